// SPDX-License-Identifier: Apache-2.0
// Small tools the tests share: counting fds and mounts, the calling
// thread's namespace identity, temporary directories, environment scopes.
#pragma once

#include <string>
#include <vector>
#include <sys/types.h>

namespace netns::test {

// Entries in /proc/self/fd, not counting the one used to list them.
int fd_count();

// st_dev/st_ino of /proc/thread-self/ns/net, as one comparable string.
std::string thread_ns_id();
// The same for an fd.
std::string fd_ns_id(int fd);

// The whole of a file; throws std::runtime_error when it cannot be read.
std::string read_file(const std::string &path);

// How many mounts /proc/self/mountinfo lists at exactly this mount point.
int mounts_at(const std::string &mount_point);
// How many lines /proc/self/mountinfo has.
int mount_count();
// The mount points at or under dir, in /proc/self/mountinfo order.
std::vector<std::string> mounts_under(const std::string &dir);

// The names in a directory, sorted, without "." and ".."; empty when the
// directory cannot be read.
std::vector<std::string> list_dir(const std::string &dir);

// A pid that is certainly not running: a reaped child's.
pid_t dead_pid();

// Whether a command can be found on $PATH.
bool have_program(const char *name);
// Runs a shell command; returns its exit status (or -1).
int run_command(const std::string &cmd);

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::string &path() const { return path_; }
    std::string operator/(const std::string &name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Sets (or, with nullptr, unsets) an environment variable for a scope.
class ScopedEnv {
public:
    ScopedEnv(const char *name, const char *value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv &) = delete;
    ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
    std::string name_;
    std::string old_;
    bool had_;
};

// The tests' scope guard: puts the calling thread back into the network
// namespace it was in when constructed, so that a failing test cannot
// strand the rest of the suite.
class SetGuard {
public:
    SetGuard();
    ~SetGuard();
    SetGuard(const SetGuard &) = delete;
    SetGuard &operator=(const SetGuard &) = delete;

private:
    int fd_;
};

// A unique name for a named namespace, e.g. "t-<pid>-<n>-<tag>".
std::string unique_name(const std::string &tag);

} // namespace netns::test
