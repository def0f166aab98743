// SPDX-License-Identifier: Apache-2.0
// What the tests of the spawn functions share (header-only, so that both the
// C API tests and the core's tests can use it): starting a child with its
// stdout in a pipe and collecting what it printed, reaping it, checking
// that a process has no child left (no zombie either), and where a thread
// is (the enter_named and exec_named tests).
#pragma once

#include "catch.hpp"
#include "helpers.hpp"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <functional>
#include <spawn.h>
#include <ostream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace netns::test {

// True when the process has no child at all, running or zombie: what a
// failed spawn must leave. (The test programs start no other children.)
inline bool no_children()
{
    errno = 0;
    return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

// Whether a failed exec (or file action, or attribute) comes back as
// posix_spawn's error. Not under valgrind: it runs glibc's
// CLONE_VM|CLONE_VFORK child as a fork of its own, so the child's error
// never reaches the parent; posix_spawn returns 0 and the child exits 127.
// Tests of those errors are skipped there (the other runs cover them).
inline bool exec_errors_reported() { return std::getenv("NETNS_TEST_UNDER_VALGRIND") == nullptr; }

// waitpid() that retries EINTR; the raw status, or -1.
inline int reap(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return status;
}

// An argv array built from strings (posix_spawn takes char *const[]).
class Argv {
public:
    Argv(std::initializer_list<std::string> words) : words_(words) { build(); }
    explicit Argv(std::vector<std::string> words) : words_(std::move(words)) { build(); }
    Argv(const Argv &) = delete;
    Argv &operator=(const Argv &) = delete;
    char *const *get() const { return ptrs_.data(); }

private:
    void build()
    {
        for (auto &w : words_)
            ptrs_.push_back(w.data());
        ptrs_.push_back(nullptr);
    }
    std::vector<std::string> words_;
    std::vector<char *> ptrs_;
};

// File actions that send the child's stdout to the write end of a pipe,
// and close that pipe's ends in the child.
class StdoutPipe {
public:
    StdoutPipe()
    {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) == 0) {
            r_ = p[0];
            w_ = p[1];
        }
        ::posix_spawn_file_actions_init(&fa_);
        if (ok()) // dup2 onto 1 clears FD_CLOEXEC there; the originals close on exec
            ::posix_spawn_file_actions_adddup2(&fa_, w_, 1);
    }
    ~StdoutPipe()
    {
        ::posix_spawn_file_actions_destroy(&fa_);
        close_write();
        if (r_ >= 0)
            ::close(r_);
    }
    StdoutPipe(const StdoutPipe &) = delete;
    StdoutPipe &operator=(const StdoutPipe &) = delete;
    bool ok() const { return r_ >= 0 && w_ >= 0; }
    const posix_spawn_file_actions_t *actions() const { return &fa_; }
    void close_write()
    {
        if (w_ >= 0)
            ::close(w_);
        w_ = -1;
    }
    // Everything written until every writer has closed.
    std::string read_all()
    {
        close_write();
        std::string out;
        char buf[4096];
        for (;;) {
            ssize_t n = ::read(r_, buf, sizeof buf);
            if (n > 0)
                out.append(buf, static_cast<size_t>(n));
            else if (n == 0 || errno != EINTR)
                break;
        }
        return out;
    }

private:
    int r_ = -1, w_ = -1;
    posix_spawn_file_actions_t fa_;
};

// What a child printed and how it ended.
struct Ran {
    int rc = -1;     // the spawn call's return value
    int status = -1; // waitpid status, when rc == 0
    std::string out; // its stdout
};

// Runs spawn(&pid, actions) (a spawn call with the stdout actions filled
// in), collects the child's stdout and reaps it.
inline Ran run_capture(const std::function<int(pid_t *, const posix_spawn_file_actions_t *)> &spawn)
{
    Ran r;
    StdoutPipe pipe;
    if (!pipe.ok())
        return r;
    pid_t pid = -1;
    r.rc = spawn(&pid, pipe.actions());
    if (r.rc != 0)
        return r;
    r.out = pipe.read_all();
    r.status = reap(pid);
    return r;
}

inline bool exited_0(int status)
{
    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The calling thread's mount namespace, as "<dev>:<inode>".
inline std::string thread_mnt_id()
{
    struct stat st;
    if (::stat("/proc/thread-self/ns/mnt", &st) < 0)
        return "none";
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

inline std::string cwd_now()
{
    char buf[PATH_MAX];
    return ::getcwd(buf, sizeof buf) != nullptr ? buf : "?";
}

// Where the calling thread is (its network and mount namespaces and its
// working directory): what a failed netns_enter_named or netns_exec_named
// must leave as it was.
struct Place {
    std::string net, mnt, cwd;
    bool operator==(const Place &) const = default;
};
inline Place here() { return {thread_ns_id(), thread_mnt_id(), cwd_now()}; }
inline std::ostream &operator<<(std::ostream &o, const Place &p)
{
    return o << "net " << p.net << ", mnt " << p.mnt << ", cwd " << p.cwd;
}

// Runs f on a thread of its own (it starts in the test thread's namespaces
// and ends with whatever f did to it) and returns f's result; checks stay
// on the test's thread.
template <typename F> auto on_thread(F f)
{
    decltype(f()) r{};
    std::thread t([&] { r = f(); });
    t.join();
    return r;
}

// A forked child that runs call() (an exec_named that replaces it) with
// its stdout in a pipe: what it printed and how it ended. A call that
// returns, with an errno (the core's) or its negative (the C API's), exits
// with 100 + the errno.
struct Exec {
    int status = -1;
    std::string out;
};
template <typename F> Exec exec_in_child(F &&call)
{
    Exec e;
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(p[1], 1);
        ::_exit(100 + std::abs(call()));
    }
    ::close(p[1]);
    char buf[4096];
    for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) != 0;) {
        if (n > 0)
            e.out.append(buf, static_cast<size_t>(n));
        else if (errno != EINTR)
            break;
    }
    ::close(p[0]);
    e.status = reap(pid);
    return e;
}

} // namespace netns::test
