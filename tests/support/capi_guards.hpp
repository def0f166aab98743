// SPDX-License-Identifier: Apache-2.0
// What the C API tests share: scope guards (a handle or a descriptor
// closed, a name deleted, a child killed at scope exit, also when a test
// fails), a few one-line questions (netns_list's names, close-on-exec,
// pidfd_open) and the threads-at-once runs (on_threads).
#pragma once

#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <string>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace netns::test {

// The default run directory, the sandbox's own: its /run is a fresh tmpfs,
// so whatever is mounted there (as the mount table's reachable part shows
// it) the tests did.
inline const std::string default_dir = "/run/netns";

// Closes a handle at scope exit.
struct Handle {
    int fd = NETNS_NONE;
    explicit Handle(int h) : fd(h) {}
    ~Handle()
    {
        if (fd >= 0)
            (void)netns_close(&fd);
    }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
};

// Closes a descriptor that is not a handle (a socket, a file) at scope
// exit.
struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
};

// Deletes a name (in whatever run dir is current) at scope exit.
struct NameGuard {
    std::string name;
    ~NameGuard() { (void)netns_delete_named(name.c_str()); }
};

// A child that sleeps in namespace ns until killed; killed and reaped at
// scope exit.
class Sleeper : public KilledAtExit {
public:
    explicit Sleeper(int ns)
    {
        static char arg0[] = "sleep", arg1[] = "1000";
        static char *const argv[] = {arg0, arg1, nullptr};
        REQUIRE(netns_spawn(&pid_, ns, "/bin/sleep", nullptr, nullptr, argv, nullptr) == 0);
    }
};

// The names netns_list reports, in its order.
inline std::vector<std::string> listed()
{
    std::vector<std::string> out;
    int rc = netns_list(
        [](const char *name, void *arg) {
            static_cast<std::vector<std::string> *>(arg)->emplace_back(name);
            return 0;
        },
        &out);
    REQUIRE(rc == 0);
    return out;
}

// Whether fd is close-on-exec (and has no other descriptor flag).
inline bool cloexec(int fd) { return ::fcntl(fd, F_GETFD) == FD_CLOEXEC; }

// pidfd_open(2), which glibc 2.36 has no wrapper for.
inline int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0u)); }

// Runs body(t, failures) on n threads at once (t = 0 .. n-1), each
// counting into failures what went wrong; then checks that nothing did,
// that the calling thread did not move (nobody else's switch reached it)
// and that no fd was left.
template <typename Body> void on_threads(int n, Body body)
{
    const std::string main_ns = thread_ns_id();
    const int fds = fd_count();
    std::atomic<int> failures{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < n; ++t)
        pool.emplace_back([&, t] { body(t, failures); });
    for (auto &t : pool)
        t.join();
    CHECK(failures == 0);
    CHECK(thread_ns_id() == main_ns);
    CHECK(fd_count() == fds);
}

} // namespace netns::test
