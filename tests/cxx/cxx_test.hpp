// SPDX-License-Identifier: Apache-2.0
// What the C++ wrapper's test programs (tests-<group>.cpp here) share.
#pragma once

#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <system_error>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

#if __cplusplus >= 202002L
#define CXX_STD "C++20"
#else
#define CXX_STD "C++17"
#endif

namespace netns::test {

// What f throws: the errno of a std::system_error of the system category
// whose what() starts with `function`; 0 when f does not throw. Any other
// exception fails the test.
template <typename F> int error_of(F &&f, const char *function)
{
    try {
        f();
    } catch (const std::system_error &e) {
        CHECK(e.code().category() == std::system_category());
        CHECK(std::string(e.what()).rfind(function, 0) == 0);
        return e.code().value();
    }
    return 0;
}

inline bool fd_is_open(int fd) { return fd >= 0 && ::fcntl(fd, F_GETFD) >= 0; }

// Where the library puts named namespaces: $NETNS_RUN_DIR when set (the
// suite may run with it pointing at a directory of someone else's
// entries), else /run/netns.
inline std::string run_dir()
{
    const char *dir = ::getenv("NETNS_RUN_DIR");
    return dir != nullptr && *dir != '\0' ? dir : "/run/netns";
}

// Deletes a named namespace when the scope ends, whatever happened.
class NameGuard {
public:
    explicit NameGuard(std::string name) : name_(std::move(name)) {}
    ~NameGuard() { (void)netns_delete_named(name_.c_str()); }
    NameGuard(const NameGuard &) = delete;
    NameGuard &operator=(const NameGuard &) = delete;
    const std::string &name() const { return name_; }

private:
    std::string name_;
};

// A child sleeping in ns, killed and reaped when the scope ends.
class Sleeper : public KilledAtExit {
public:
    explicit Sleeper(const Handle &ns)
        : KilledAtExit(netns::spawn(ns, "/bin/sleep", {"sleep", "1000"}))
    {
    }
};

// A pipe whose ends close with the scope.
struct Pipe {
    netns::Fd read, write;
    Pipe()
    {
        int fds[2];
        REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
        read.reset(fds[0]);
        write.reset(fds[1]);
    }
    // Everything until EOF (the write end is closed here first).
    std::string drain()
    {
        write.reset();
        std::string out;
        char buf[512];
        ssize_t n;
        while ((n = ::read(read.fd(), buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
            if (n > 0)
                out.append(buf, static_cast<size_t>(n));
        return out;
    }
};

// Owns a child: wait() reaps it; if the test fails first, the destructor
// kills and reaps it, so no process or zombie is left.
class Child {
public:
    explicit Child(pid_t pid) : pid_(pid) {}
    ~Child()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            (void)wait();
        }
    }
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;
    pid_t pid() const { return pid_; }
    // The wait status, or -1.
    int wait()
    {
        int status = -1;
        pid_t r;
        do
            r = ::waitpid(pid_, &status, 0);
        while (r < 0 && errno == EINTR);
        pid_ = 0;
        return r < 0 ? -1 : status;
    }

private:
    pid_t pid_;
};

// Whether a wait status is a clean exit (0).
inline bool exited_ok(int status)
{
    return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// What a callable of a walk throws: it must reach the caller as itself.
struct Boom : std::runtime_error {
    Boom() : std::runtime_error("boom") {}
};

} // namespace netns::test
