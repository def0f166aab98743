// SPDX-License-Identifier: Apache-2.0
// Running inside a namespace through the C API (netns.h's fourth group),
// the work done in this process: netns_run (on the calling thread),
// netns_run_isolated (on a thread of its own) and netns_socket (processes:
// tests-inside-spawn.cpp). The caller's thread must end where it started, every time.
// Runs in the sandbox (sandbox.h).
#include "catch.hpp"
#include "capi_guards.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <arpa/inet.h>
#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <spawn.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using netns::test::Fd;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::Handle;
using netns::test::list_dir;
using netns::test::on_threads;
using netns::test::thread_ns_id;

namespace {

// A fresh anonymous namespace (fails the test when none can be made).
int fresh()
{
    int h = netns_create(nullptr);
    if (h < 0)
        FAIL("netns_create(NULL): " << std::strerror(-h));
    return h;
}

// Whether the calling thread is in ns, by the library's own comparison.
bool in(int ns)
{
    int now = netns_get();
    bool same = netns_equal(now, ns) == 1;
    netns_close(&now);
    return same;
}

// Fds of kinds that cannot be entered, and a closed number.
struct NotNetns {
    int file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    int uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
    int closed = -1;
    NotNetns()
    {
        REQUIRE(file >= 0);
        REQUIRE(uts >= 0);
        closed = fcntl(file, F_DUPFD_CLOEXEC, 900);
        close(closed);
    }
    ~NotNetns()
    {
        close(file);
        close(uts);
    }
};

int count_calls(void *arg)
{
    ++*static_cast<std::atomic<int> *>(arg);
    return 7;
}

} // namespace

// ---------------------------------------------------------------------
// netns_run

namespace {

struct Probe {
    int ns;
    bool inside = false;
    pid_t tid = 0;
    int value = 0;
};

int probe(void *arg)
{
    auto *p = static_cast<Probe *>(arg);
    p->inside = in(p->ns);
    p->tid = gettid();
    return p->value;
}

} // namespace

TEST_CASE("netns_run runs fn inside ns and brings the caller back", "[run]")
{
    Handle ns(fresh());
    const std::string home = thread_ns_id();
    const int fds = fd_count();

    Probe p{ns.fd};
    p.value = 42;
    int result = -1;
    CHECK(netns_run(ns.fd, probe, &p, &result) == 0);
    CHECK(p.inside);
    CHECK(p.tid == gettid()); // on the calling thread
    CHECK(result == 42);
    CHECK(thread_ns_id() == home);

    // Whatever fn returns is passed on, negative values included; the call
    // itself still succeeds.
    for (int v : {0, -1, -EINVAL, INT_MIN, INT_MAX}) {
        p.value = v;
        result = 12345;
        CHECK(netns_run(ns.fd, probe, &p, &result) == 0);
        CHECK(result == v);
    }
    // result may be NULL.
    p.inside = false;
    CHECK(netns_run(ns.fd, probe, &p, nullptr) == 0);
    CHECK(p.inside);
    // Running in the caller's own namespace is fine too.
    int self = netns_get();
    p.ns = self;
    CHECK(netns_run(self, probe, &p, nullptr) == 0);
    CHECK(p.inside);
    netns_close(&self);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_run errors: fn does not run and nothing moves", "[run][errors]")
{
    Handle ns(fresh());
    NotNetns bad;
    const std::string home = thread_ns_id();
    const int fds = fd_count();
    std::atomic<int> calls{0};
    int result = 99;

    CHECK(netns_run(ns.fd, nullptr, nullptr, &result) == -EINVAL);
    CHECK(netns_run(-1, count_calls, &calls, &result) == -EBADF);
    CHECK(netns_run(bad.closed, count_calls, &calls, &result) == -EBADF);
    CHECK(netns_run(bad.file, count_calls, &calls, &result) == -EINVAL);
    CHECK(netns_run(bad.uts, count_calls, &calls, &result) == -EINVAL);
    CHECK(calls == 0);
    CHECK(result == 99); // untouched
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
}

namespace {

// Three levels over three namespaces: each checks where it is before and
// after the next level, and the result is the sum of the levels.
struct Nest {
    std::array<int, 3> ns;
    std::array<bool, 3> before{}, after{};
    bool isolated_inner = false; // the innermost level through run_isolated
    int depth = 0;
};

int level(void *arg)
{
    auto *n = static_cast<Nest *>(arg);
    const int d = n->depth;
    n->before[d] = in(n->ns[d]);
    int inner = 0;
    if (d + 1 < 3) {
        n->depth = d + 1;
        int rc = (n->isolated_inner && d + 1 == 2)
                     ? netns_run_isolated(n->ns[d + 1], level, n, &inner)
                     : netns_run(n->ns[d + 1], level, n, &inner);
        n->depth = d;
        if (rc != 0)
            return -1000;
    }
    n->after[d] = in(n->ns[d]);
    return inner + (d + 1);
}

} // namespace

TEST_CASE("netns_run nests three deep over three namespaces", "[run][nested]")
{
    Handle a(fresh()), b(fresh()), c(fresh());
    REQUIRE(netns_equal(a.fd, b.fd) == 0);
    REQUIRE(netns_equal(b.fd, c.fd) == 0);
    const std::string home = thread_ns_id();
    const int fds = fd_count();
    for (bool isolated : {false, true}) {
        INFO("innermost through netns_run_isolated: " << isolated);
        Nest n{{a.fd, b.fd, c.fd}};
        n.isolated_inner = isolated;
        int result = 0;
        CHECK(netns_run(a.fd, level, &n, &result) == 0);
        CHECK(result == 1 + 2 + 3);
        for (int d = 0; d < 3; ++d) {
            INFO("level " << d);
            CHECK(n.before[d]);
            CHECK(n.after[d]);
        }
        CHECK(thread_ns_id() == home);
    }
    CHECK(fd_count() == fds);
}

namespace {

struct Wander {
    int to;
    bool moved = false;
};

int wander(void *arg)
{
    auto *w = static_cast<Wander *>(arg);
    w->moved = netns_set(w->to) == 0 && in(w->to);
    return 0;
}

} // namespace

TEST_CASE("netns_run brings the caller home even when fn moves the thread", "[run]")
{
    Handle a(fresh()), b(fresh());
    const std::string home = thread_ns_id();
    int self = netns_get();
    Handle keep(self);
    for (int to : {b.fd, self}) {
        Wander w{to};
        CHECK(netns_run(a.fd, wander, &w, nullptr) == 0);
        CHECK(w.moved);
        CHECK(thread_ns_id() == home);
        CHECK(netns_run_isolated(a.fd, wander, &w, nullptr) == 0);
        CHECK(w.moved);
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("netns_run from many threads at once", "[run][threads]")
{
    constexpr int kThreads = 16, kRounds = 100;
    std::vector<int> spaces;
    for (int i = 0; i < 4; ++i)
        spaces.push_back(fresh());
    struct CloseAll {
        std::vector<int> &v;
        ~CloseAll()
        {
            for (int &h : v)
                netns_close(&h);
        }
    } close_all{spaces};
    on_threads(kThreads, [&](int t, std::atomic<int> &failures) {
        const std::string home = thread_ns_id();
        for (int r = 0; r < kRounds; ++r) {
            int ns = spaces[(t + r) % spaces.size()];
            Probe p{ns};
            p.value = t * 1000 + r;
            int result = -1;
            if (netns_run(ns, probe, &p, &result) != 0 || !p.inside || result != p.value ||
                p.tid != gettid() || thread_ns_id() != home)
                ++failures;
        }
    });
}

// ---------------------------------------------------------------------
// netns_run_isolated

TEST_CASE("netns_run_isolated runs fn on a thread of its own", "[run_isolated]")
{
    Handle ns(fresh());
    const std::string home = thread_ns_id();
    const int fds = fd_count();
    const int tasks = netns::test::thread_count();

    Probe p{ns.fd};
    p.value = 42;
    int result = -1;
    CHECK(netns_run_isolated(ns.fd, probe, &p, &result) == 0);
    CHECK(p.inside);
    CHECK(p.tid != gettid());
    CHECK(p.tid > 0);
    CHECK(result == 42);
    for (int v : {0, -1, INT_MIN, INT_MAX}) {
        p.value = v;
        CHECK(netns_run_isolated(ns.fd, probe, &p, &result) == 0);
        CHECK(result == v);
    }
    p.inside = false;
    CHECK(netns_run_isolated(ns.fd, probe, &p, nullptr) == 0);
    CHECK(p.inside);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(netns::test::threads_settle_to(tasks));
}

TEST_CASE("netns_run_isolated errors: fn does not run and nothing moves", "[run_isolated][errors]")
{
    Handle ns(fresh());
    NotNetns bad;
    const std::string home = thread_ns_id();
    const int fds = fd_count();
    const int tasks = netns::test::thread_count();
    std::atomic<int> calls{0};
    int result = 99;

    CHECK(netns_run_isolated(ns.fd, nullptr, nullptr, &result) == -EINVAL);
    CHECK(netns_run_isolated(-1, count_calls, &calls, &result) == -EBADF);
    CHECK(netns_run_isolated(bad.closed, count_calls, &calls, &result) == -EBADF);
    CHECK(netns_run_isolated(bad.file, count_calls, &calls, &result) == -EINVAL);
    CHECK(netns_run_isolated(bad.uts, count_calls, &calls, &result) == -EINVAL);
    CHECK(calls == 0);
    CHECK(result == 99);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(netns::test::threads_settle_to(tasks));
}

namespace {

struct Isolated {
    int ns;
    std::string want; // the namespace's dev:ino
    pid_t caller;
    std::atomic<int> *bad;
};

int check_isolated(void *arg)
{
    auto *c = static_cast<Isolated *>(arg);
    if (thread_ns_id() != c->want || gettid() == c->caller)
        ++*c->bad;
    // Whatever fn does to its thread stays there.
    (void)unshare(CLONE_NEWNET);
    return static_cast<int>(gettid());
}

} // namespace

TEST_CASE("netns_run_isolated: 200 concurrent calls from 8 threads", "[run_isolated][threads]")
{
    constexpr int kThreads = 8, kCalls = 200;
    std::vector<int> spaces;
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        spaces.push_back(fresh());
        ids.push_back(fd_ns_id(spaces.back()));
    }
    struct CloseAll {
        std::vector<int> &v;
        ~CloseAll()
        {
            for (int &h : v)
                netns_close(&h);
        }
    } close_all{spaces};
    const std::string main_ns = thread_ns_id();
    const int fds = fd_count();
    const int tasks = netns::test::thread_count();
    std::atomic<int> next{0}, bad_fn{0}, failures{0}, moved{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < kThreads; ++t)
        pool.emplace_back([&] {
            const std::string home = thread_ns_id();
            while (!go)
                std::this_thread::yield();
            for (int i = next++; i < kCalls; i = next++) {
                Isolated c{spaces[i % spaces.size()], ids[i % ids.size()], gettid(), &bad_fn};
                int result = 0;
                if (netns_run_isolated(c.ns, check_isolated, &c, &result) != 0 ||
                    result == gettid() || result <= 0)
                    ++failures;
                if (thread_ns_id() != home)
                    ++moved;
            }
        });
    go = true;
    for (auto &t : pool)
        t.join();
    CHECK(next >= kCalls);
    CHECK(failures == 0);
    CHECK(bad_fn == 0);
    CHECK(moved == 0);
    CHECK(thread_ns_id() == main_ns);
    CHECK(fd_count() == fds);
    // The 8 callers have been joined; no helper thread is left either.
    CHECK(netns::test::threads_settle_to(tasks));
}

// ---------------------------------------------------------------------
// Where the caller may not enter: a child process in a user namespace of
// its own, facing a namespace owned by its parent's user namespace.

namespace {

// Runs f in a forked child that has unshared its user namespace; returns
// the child's exit status (f's return), or -1.
template <typename F> int in_child_userns(F f)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (unshare(CLONE_NEWUSER) < 0)
            _exit(errno == EINVAL ? 100 : 101); // EINVAL: not single-threaded
        try {
            _exit(f());
        } catch (...) {
            _exit(99);
        }
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

} // namespace

TEST_CASE("a namespace the caller may not enter: EPERM, fn does not run", "[run][errors][userns]")
{
    // Made before the fork: owned by the sandbox's user namespace, in which
    // the child (root of a user namespace of its own) has no capability.
    // (The other half, entering but not returning, is tests-capi-userns.)
    Handle theirs(fresh());
    int rc = in_child_userns([&]() -> int {
        const std::string home = thread_ns_id();
        const int fds = fd_count();
        std::atomic<int> calls{0};
        if (netns_run(theirs.fd, count_calls, &calls, nullptr) != -EPERM)
            return 1;
        if (netns_run_isolated(theirs.fd, count_calls, &calls, nullptr) != -EPERM)
            return 2;
        if (netns_socket(theirs.fd, AF_INET, SOCK_DGRAM, 0) != -EPERM)
            return 3;
        if (calls != 0)
            return 4;
        if (thread_ns_id() != home || fd_count() != fds)
            return 5;
        return 0;
    });
    if (rc == 100) {
        // TSan restarts its background thread in a forked child.
        WARN("skipped: the forked child is multi-threaded and cannot unshare a user namespace");
        return;
    }
    CHECK(rc == 0);
}

// ---------------------------------------------------------------------
// netns_socket

namespace {

// Brings lo up in ns through a socket made there.
int bring_lo_up(int ns)
{
    int ctl = netns_socket(ns, AF_INET, SOCK_DGRAM, 0);
    if (ctl < 0)
        return ctl;
    struct ifreq ifr {};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    int rc = 0;
    if (ioctl(ctl, SIOCGIFFLAGS, &ifr) < 0)
        rc = -errno;
    else {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(ctl, SIOCSIFFLAGS, &ifr) < 0)
            rc = -errno;
    }
    close(ctl);
    return rc;
}

struct sockaddr_in loopback(in_port_t port)
{
    struct sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

in_port_t port_of(int s)
{
    struct sockaddr_in a {};
    socklen_t len = sizeof a;
    if (getsockname(s, reinterpret_cast<struct sockaddr *>(&a), &len) < 0)
        return 0;
    return ntohs(a.sin_port);
}

bool readable(int s, int ms)
{
    struct pollfd p = {s, POLLIN, 0};
    return poll(&p, 1, ms) == 1;
}

} // namespace

TEST_CASE("netns_socket: UDP on 127.0.0.1 of a fresh namespace", "[socket]")
{
    Handle ns(fresh());
    const std::string home = thread_ns_id();
    REQUIRE(bring_lo_up(ns.fd) == 0);
    CHECK(thread_ns_id() == home);

    Fd u{netns_socket(ns.fd, AF_INET, SOCK_DGRAM, 0)};
    REQUIRE(u.fd >= 0);
    CHECK(thread_ns_id() == home);
    auto addr = loopback(0);
    REQUIRE(bind(u.fd, reinterpret_cast<struct sockaddr *>(&addr), sizeof addr) == 0);
    addr = loopback(port_of(u.fd));
    const char msg[] = "ping";
    CHECK(sendto(u.fd, msg, sizeof msg, 0, reinterpret_cast<struct sockaddr *>(&addr),
                 sizeof addr) == static_cast<ssize_t>(sizeof msg));
    REQUIRE(readable(u.fd, 5000));
    char buf[16] = {};
    CHECK(recv(u.fd, buf, sizeof buf, 0) == static_cast<ssize_t>(sizeof msg));
    CHECK(std::string(buf) == "ping");

    SECTION("it keeps working from another thread")
    {
        ssize_t sent = -1, got = -1;
        std::thread([&] {
            sent = sendto(u.fd, msg, sizeof msg, 0, reinterpret_cast<struct sockaddr *>(&addr),
                          sizeof addr);
            if (readable(u.fd, 5000))
                got = recv(u.fd, buf, sizeof buf, 0);
        }).join();
        CHECK(sent == static_cast<ssize_t>(sizeof msg));
        CHECK(got == static_cast<ssize_t>(sizeof msg));
    }
    SECTION("a second socket in the same namespace reaches it")
    {
        Fd v{netns_socket(ns.fd, AF_INET, SOCK_DGRAM, 0)};
        REQUIRE(v.fd >= 0);
        CHECK(sendto(v.fd, msg, sizeof msg, 0, reinterpret_cast<struct sockaddr *>(&addr),
                     sizeof addr) == static_cast<ssize_t>(sizeof msg));
        CHECK(readable(u.fd, 5000));
    }
}

TEST_CASE("netns_socket: a TCP listener is reachable inside its namespace only", "[socket]")
{
    Handle ns(fresh());
    const std::string home = thread_ns_id();
    REQUIRE(bring_lo_up(ns.fd) == 0);

    // A port that nothing in the caller's namespace listens on: hold it
    // bound (not listening) here. Where the caller's lo is down (the
    // rootless sandbox), nothing can listen on 127.0.0.1 at all.
    Fd reserve{socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    REQUIRE(reserve.fd >= 0);
    auto any = loopback(0);
    in_port_t port = 0;
    if (bind(reserve.fd, reinterpret_cast<struct sockaddr *>(&any), sizeof any) == 0)
        port = port_of(reserve.fd);

    Fd l{netns_socket(ns.fd, AF_INET, SOCK_STREAM, 0)};
    REQUIRE(l.fd >= 0);
    auto addr = loopback(port);
    REQUIRE(bind(l.fd, reinterpret_cast<struct sockaddr *>(&addr), sizeof addr) == 0);
    REQUIRE(listen(l.fd, 8) == 0);
    port = port_of(l.fd);
    addr = loopback(port);
    INFO("port " << port);

    SECTION("from a socket made in the namespace")
    {
        Fd c{netns_socket(ns.fd, AF_INET, SOCK_STREAM, 0)};
        REQUIRE(c.fd >= 0);
        REQUIRE(connect(c.fd, reinterpret_cast<struct sockaddr *>(&addr), sizeof addr) == 0);
        REQUIRE(readable(l.fd, 5000));
        Fd a{accept4(l.fd, nullptr, nullptr, SOCK_CLOEXEC)};
        REQUIRE(a.fd >= 0);
        CHECK(write(c.fd, "hi", 2) == 2);
        REQUIRE(readable(a.fd, 5000));
        char buf[4] = {};
        CHECK(read(a.fd, buf, sizeof buf) == 2);
        CHECK(std::string(buf) == "hi");
    }
    SECTION("from a process spawned into the namespace")
    {
        const std::string script =
            "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) + " && echo hello >&3";
        char *argv[] = {const_cast<char *>("bash"), const_cast<char *>("-c"),
                        const_cast<char *>(script.c_str()), nullptr};
        pid_t pid = 0;
        REQUIRE(netns_spawnp(&pid, ns.fd, "bash", nullptr, nullptr, argv, nullptr) == 0);
        bool accepted = readable(l.fd, 10000);
        std::string got;
        if (accepted) {
            Fd a{accept4(l.fd, nullptr, nullptr, SOCK_CLOEXEC)};
            char buf[16] = {};
            if (a.fd >= 0 && readable(a.fd, 5000) && read(a.fd, buf, sizeof buf - 1) > 0)
                got = buf;
        }
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        CHECK(accepted);
        CHECK(got == "hello\n");
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    SECTION("not from the caller's namespace")
    {
        Fd c{socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
        REQUIRE(c.fd >= 0);
        int rc = connect(c.fd, reinterpret_cast<struct sockaddr *>(&addr), sizeof addr);
        int err = errno;
        CHECK(rc == -1);
        INFO("connect: " << std::strerror(err));
        CHECK((err == ECONNREFUSED || err == ENETUNREACH || err == EHOSTUNREACH));
        CHECK_FALSE(readable(l.fd, 0));
        // Nor from a process started in the caller's namespace.
        const std::string script = "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port);
        char *argv[] = {const_cast<char *>("bash"), const_cast<char *>("-c"),
                        const_cast<char *>(script.c_str()), nullptr};
        pid_t pid = 0;
        int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, devnull, 2); // bash's connection error
        REQUIRE(posix_spawnp(&pid, "bash", &fa, nullptr, argv, environ) == 0);
        posix_spawn_file_actions_destroy(&fa);
        close(devnull);
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) != 0);
        CHECK_FALSE(readable(l.fd, 0));
    }
    CHECK(thread_ns_id() == home);
}

TEST_CASE("netns_socket always sets close-on-exec", "[socket]")
{
    Handle ns(fresh());
    const int fds = fd_count();
    struct Kind {
        int domain, type;
    };
    for (Kind k :
         {Kind{AF_INET, SOCK_DGRAM}, Kind{AF_INET, SOCK_STREAM}, Kind{AF_INET6, SOCK_DGRAM},
          Kind{AF_UNIX, SOCK_STREAM}, Kind{AF_UNIX, SOCK_SEQPACKET}, Kind{AF_NETLINK, SOCK_RAW},
          Kind{AF_INET, SOCK_DGRAM | SOCK_NONBLOCK}, Kind{AF_INET, SOCK_STREAM | SOCK_CLOEXEC}}) {
        INFO("domain " << k.domain << " type " << k.type);
        int s = netns_socket(ns.fd, k.domain, k.type, 0);
        if (s == -EAFNOSUPPORT && k.domain == AF_INET6) {
            WARN("no IPv6 in this kernel");
            continue;
        }
        REQUIRE(s >= 0);
        CHECK(fcntl(s, F_GETFD) == FD_CLOEXEC);
        CHECK(((fcntl(s, F_GETFL) & O_NONBLOCK) != 0) == ((k.type & SOCK_NONBLOCK) != 0));
        int type = 0;
        socklen_t len = sizeof type;
        CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) == 0);
        CHECK(type == (k.type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)));
        close(s);
    }
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_socket errors: no socket, nothing moves", "[socket][errors]")
{
    Handle ns(fresh());
    NotNetns bad;
    const std::string home = thread_ns_id();
    const int fds = fd_count();

    CHECK(netns_socket(ns.fd, 12345, SOCK_DGRAM, 0) == -EAFNOSUPPORT);
    CHECK(netns_socket(ns.fd, -1, SOCK_DGRAM, 0) == -EAFNOSUPPORT);
    CHECK(netns_socket(ns.fd, AF_INET, 12345, 0) == -EINVAL);
    CHECK(netns_socket(ns.fd, AF_INET, SOCK_DGRAM | 0x40000000, 0) == -EINVAL);
    CHECK(netns_socket(ns.fd, AF_INET, SOCK_DGRAM, IPPROTO_TCP) == -EPROTONOSUPPORT);
    CHECK(netns_socket(-1, AF_INET, SOCK_DGRAM, 0) == -EBADF);
    CHECK(netns_socket(bad.closed, AF_INET, SOCK_DGRAM, 0) == -EBADF);
    CHECK(netns_socket(bad.file, AF_INET, SOCK_DGRAM, 0) == -EINVAL);
    CHECK(netns_socket(bad.uts, AF_INET, SOCK_DGRAM, 0) == -EINVAL);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_socket from many threads at once", "[socket][threads]")
{
    Handle ns(fresh());
    REQUIRE(bring_lo_up(ns.fd) == 0);
    on_threads(8, [&](int, std::atomic<int> &failures) {
        const std::string home = thread_ns_id();
        for (int r = 0; r < 50; ++r) {
            int s = netns_socket(ns.fd, AF_INET, SOCK_DGRAM, 0);
            auto addr = loopback(0);
            // Binding 127.0.0.1 works only in the namespace whose lo is up.
            if (s < 0 || bind(s, reinterpret_cast<struct sockaddr *>(&addr), sizeof addr) != 0 ||
                thread_ns_id() != home)
                ++failures;
            if (s >= 0)
                close(s);
        }
    });
}

TEST_CASE("a closed ns whose number is the next free one is -EBADF, not home", "[run][errors]")
{
    // The call opens the caller's namespace first: that open gets the
    // closed number back, and must not be taken for ns.
    int stale = dup(0);
    REQUIRE(stale >= 0);
    close(stale);
    int ran = 0;
    auto mark = [](void *p) { return ++*static_cast<int *>(p); };
    CHECK(netns_run(stale, mark, &ran, nullptr) == -EBADF);
    CHECK(netns_run_isolated(stale, mark, &ran, nullptr) == -EBADF);
    CHECK(ran == 0);
    CHECK(netns_socket(stale, AF_INET, SOCK_DGRAM, 0) == -EBADF);
    char *argv[] = {const_cast<char *>("true"), nullptr};
    pid_t pid = -1;
    CHECK(netns_spawnp(&pid, stale, "true", nullptr, nullptr, argv, nullptr) == -EBADF);
    CHECK(pid == -1);
    CHECK(fcntl(stale, F_GETFD) == -1); // nothing left open at that number
}
