// SPDX-License-Identifier: Apache-2.0
// Small tools the tests share: counting fds and mounts, the calling
// thread's namespace identity, temporary directories, environment scopes.
#pragma once

#include <string>
#include <thread>
#include <string_view>
#include <utility>
#include <vector>
#include <sys/types.h>

namespace netns::test {

// Entries in /proc/self/fd, not counting the one used to list them.
int fd_count();

// st_dev/st_ino of /proc/thread-self/ns/net, as one comparable string.
std::string thread_ns_id();
// The same for an fd.
std::string fd_ns_id(int fd);
// The same for process pid's /proc/<pid>/ns/net ("gone" when unreadable).
std::string pid_ns_id(pid_t pid);
// Waits (up to 1 s) until process pid is in namespace ns; says whether it is.
bool wait_in_ns(pid_t pid, int ns);

// The whole of a file; throws std::runtime_error when it cannot be read.
std::string read_file(const std::string &path);

// Mounts as path lookup sees them. The mount table also lists mounts that
// nothing can reach (e.g. the host's /run/netns under the sandbox's tmpfs on
// /run): these helpers leave those out, so that a test counts only what its
// own code did. Paths are absolute, without symlinks; the overloads taking
// the text of a mountinfo file are the pure part.

// How many mounts are stacked at exactly this mount point and reachable:
// the lowest one sits on the mount that the parent directory is in, each
// next one on the one before.
int mounts_at(const std::string &mount_point);
int mounts_at(std::string_view mountinfo, const std::string &mount_point);
// The mount points of the reachable mounts at or under dir, in mountinfo
// order (a mount point once per mount stacked there).
std::vector<std::string> mounts_under(const std::string &dir);
std::vector<std::string> mounts_under(std::string_view mountinfo, const std::string &dir);
// The optional fields ("shared:N master:M ...") of each reachable mount
// at exactly this mount point, lowest first.
std::vector<std::string> mount_tags_at(const std::string &mount_point);
// Takes down every reachable mount at or under dir.
void unmount_under(const std::string &dir);
// How many mounts the mount table lists, unreachable ones included (a leak
// may be hidden): compare it only with a count taken before.
int mount_count();

// The strings separated by spaces, or "(none)": for test messages.
std::string join_words(const std::vector<std::string> &words);

// Whether anything is at path (symbolic links not followed).
bool exists(const std::string &path);

// The names in a directory, sorted, without "." and ".."; empty when the
// directory cannot be read.
std::vector<std::string> list_dir(const std::string &dir);

// The number of threads of this process (/proc/self/task). The first call
// starts and joins one thread, so that threads a runtime starts with the
// process's first thread (TSan's background thread) are already counted.
int thread_count();
// Waits (up to 5 s) until the process has n threads, and says whether it
// does: a joined thread can stay listed in /proc for a moment.
bool threads_settle_to(int n);

// A pid that is certainly not running: a reaped child's.
pid_t dead_pid();

// Whether pidfd_open(2) works here: not before Linux 5.3, nor under
// valgrind 3.19, which does not know the call.
bool have_pidfd_open();

// Whether a command can be found on $PATH.
bool have_program(const char *name);
// Runs a shell command; returns its exit status (or -1).
int run_command(const std::string &cmd);

// A child process, killed (SIGKILL) and reaped at scope exit, also when
// a test fails; pid() -1 (or a pid_ that stayed -1): none.
class KilledAtExit {
public:
    explicit KilledAtExit(pid_t pid = -1) : pid_(pid) {}
    ~KilledAtExit();
    KilledAtExit(const KilledAtExit &) = delete;
    KilledAtExit &operator=(const KilledAtExit &) = delete;
    pid_t pid() const { return pid_; }

protected:
    pid_t pid_;
};

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

// Takes down every mount at or under a directory at scope exit, also when
// a test fails.
class UnmountAtExit {
public:
    explicit UnmountAtExit(std::string dir) : dir_(std::move(dir)) {}
    ~UnmountAtExit()
    {
        try {
            unmount_under(dir_);
        } catch (...) { // the sandbox's end takes them down anyway
        }
    }
    UnmountAtExit(const UnmountAtExit &) = delete;
    UnmountAtExit &operator=(const UnmountAtExit &) = delete;

private:
    std::string dir_;
};

// A private run directory (<temp dir>/netns, not created) for one test;
// its mounts are taken down even when the test fails.
struct PrivateRunDir {
    TempDir tmp;
    std::string dir = tmp / "netns";
    UnmountAtExit unmount{dir};
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

// Drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the calling thread's
// effective set: permission bits then apply to it.
void drop_dac_override();

// Runs f on a thread of its own that has dropped CAP_DAC_OVERRIDE and
// CAP_DAC_READ_SEARCH (a thread's capabilities are its own): permission
// bits then apply to it, also as root and in the sandbox's user namespace.
template <typename F> void without_dac_override(F f)
{
    std::thread t([&] {
        drop_dac_override();
        f();
    });
    t.join();
}

// A unique name for a named namespace, e.g. "t-<pid>-<n>-<tag>".
std::string unique_name(const std::string &tag);

} // namespace netns::test
