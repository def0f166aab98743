// SPDX-License-Identifier: Apache-2.0
//
// The rootless holder (holder.cpp): the process that keeps one user's user
// and mount namespace, with the names' tmpfs, alive; rootless.cpp decides
// when a command uses it. netns(8), ROOTLESS MODE, says where and how.
#ifndef NETNS_CLI_HOLDER_HPP
#define NETNS_CLI_HOLDER_HPP

#include <netns/netns.hpp>

#include <string>

#include <sys/types.h>

namespace cli::rootless {

// The first line of a file ("" when it cannot be read).
std::string read_first_line(const std::string &path);

// A runtime directory's holder, as netns.holder ("PID STARTTIME") names
// it; the start time (field 22 of /proc/PID/stat) tells the holder from a
// later process that got its pid.
class Holder {
public:
    std::string dir; // the runtime directory

    std::string run_dir() const { return dir + "/netns"; }
    std::string pid_file() const { return dir + "/netns.holder"; }
    pid_t pid() const { return pid_; }

    // The holder that the pid file names, when it still runs; false when
    // there is none (no file, a garbled one, a dead holder, a zombie, or a
    // pid that another process has now).
    bool find();
    // Starts one (Failure when it cannot), published in the pid file.
    void start();
    // Joins its user namespace, then its mount namespace, at the same
    // working directory path; false when it died (or became a zombie)
    // meanwhile, Failure when it cannot be joined.
    bool join();
    // SIGTERM to it (through its pidfd where there is one), then forget().
    void stop();
    void forget();

private:
    bool alive();

    pid_t pid_ = -1;
    netns::Fd pidfd_; // where the kernel has pidfds (5.3)
    unsigned long long start_ = 0;
    bool know_start_ = false;
};

} // namespace cli::rootless

#endif
