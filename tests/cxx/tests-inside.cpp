// SPDX-License-Identifier: Apache-2.0
// Running inside a namespace in the C++ wrapper, <netns/netns.hpp>, the
// work done in this process: run(), run_isolated() and socket() (the
// processes: tests-inside-spawn.cpp). Built as C++20 (tests-cxx-inside)
// and as C++17 (tests-cxx17-inside, tests/cxx/meson.build). Runs in the
// privileged-test sandbox (main.cpp): /run is a private tmpfs.
#include "catch.hpp"
#include "cxx_test.hpp"
#include "helpers.hpp"

#include <netns/netns.hpp>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdexcept>
#include <string>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <type_traits>
#include <unistd.h>
#include <utility>
#include <vector>

namespace t = netns::test;
using netns::Handle;
using t::Child;
using t::error_of;
using t::exited_ok;
using t::Pipe;

namespace {

// An exception type of the tests' own, to see that what f throws arrives
// as itself and not as a copy sliced to std::exception.
struct Boom : std::exception {
    explicit Boom(int value) : n(value) {}
    const char *what() const noexcept override { return "boom"; }
    int n;
};

// run() and run_isolated() take the same callables and must give the same
// results: the typed tests below run for both.
struct Run {
    static constexpr bool isolated = false;
    template <typename F> static decltype(auto) call(const Handle &ns, F &&f)
    {
        return netns::run(ns, std::forward<F>(f));
    }
};
struct RunIsolated {
    static constexpr bool isolated = true;
    template <typename F> static decltype(auto) call(const Handle &ns, F &&f)
    {
        return netns::run_isolated(ns, std::forward<F>(f));
    }
};

// A result that is neither copyable nor default-constructible.
struct MoveOnly {
    explicit MoveOnly(int v) : value(v) {}
    MoveOnly(MoveOnly &&) = default;
    MoveOnly &operator=(MoveOnly &&) = default;
    MoveOnly(const MoveOnly &) = delete;
    MoveOnly &operator=(const MoveOnly &) = delete;
    int value;
};
static_assert(!std::is_default_constructible_v<MoveOnly>);

// A callable that counts how often it is copied or moved.
struct Counted {
    int *copies;
    int *moves;
    Counted(int *c, int *m) : copies(c), moves(m) {}
    Counted(const Counted &o) : copies(o.copies), moves(o.moves) { ++*copies; }
    Counted(Counted &&o) noexcept : copies(o.copies), moves(o.moves) { ++*moves; }
    int operator()() const { return 11; }
};

// A callable that says how it was called.
struct Qualified {
    std::string operator()() & { return "lvalue"; }
    std::string operator()() const & { return "const lvalue"; }
    std::string operator()() && { return "rvalue"; }
};

int free_function() { return 99; }

// The number of threads of this process.

// Brings the loopback interface of the socket's namespace up (SIOCSIFFLAGS
// acts on the namespace the socket belongs to).
void bring_lo_up(int sock)
{
    struct ifreq ifr {};
    std::strcpy(ifr.ifr_name, "lo");
    REQUIRE(::ioctl(sock, SIOCGIFFLAGS, &ifr) == 0);
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    REQUIRE(::ioctl(sock, SIOCSIFFLAGS, &ifr) == 0);
}

bool lo_is_up(int sock)
{
    struct ifreq ifr {};
    std::strcpy(ifr.ifr_name, "lo");
    REQUIRE(::ioctl(sock, SIOCGIFFLAGS, &ifr) == 0);
    return (ifr.ifr_flags & IFF_UP) != 0;
}

struct sockaddr_in loopback(in_port_t port = 0)
{
    struct sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_port = port;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int bind_to(int sock, const struct sockaddr_in &a)
{
    return ::bind(sock, reinterpret_cast<const struct sockaddr *>(&a), sizeof a);
}

in_port_t port_of(int sock)
{
    struct sockaddr_in a {};
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(sock, reinterpret_cast<struct sockaddr *>(&a), &len) == 0);
    return a.sin_port;
}

// SO_NETNS_COOKIE (Linux 5.14): the identity of a socket's namespace; 0
// when the kernel does not have it.
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
uint64_t netns_cookie(int sock)
{
    uint64_t cookie = 0;
    socklen_t len = sizeof cookie;
    if (::getsockopt(sock, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) != 0)
        return 0;
    return cookie;
}

} // namespace

// --- run, run_isolated -------------------------------------------------------------

TEMPLATE_TEST_CASE("run/run_isolated: f runs inside ns and its result comes back", "[cxx][run]",
                   Run, RunIsolated)
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    const pid_t caller = static_cast<pid_t>(::gettid());
    Handle home = netns::get();
    Handle ns = netns::create();
    const std::string inside = t::fd_ns_id(ns.fd());

    // Where f runs: in ns, on the caller's thread (run) or on another thread
    // while the caller's stays home (run_isolated).
    auto where_f_runs = [&] {
        CHECK(t::thread_ns_id() == inside);
        if (TestType::isolated) {
            CHECK(::gettid() != caller);
            CHECK(netns::get_from_thread(::getpid(), caller) == home);
        } else {
            CHECK(::gettid() == caller);
        }
    };

    SECTION("an int")
    {
        int r = TestType::call(ns, [&] {
            where_f_runs();
            return 42;
        });
        CHECK(r == 42);
    }
    SECTION("void")
    {
        bool ran = false;
        TestType::call(ns, [&] {
            where_f_runs();
            ran = true;
        });
        auto nothing = [] {};
        static_assert(std::is_void_v<decltype(TestType::call(ns, nothing))>);
        CHECK(ran);
    }
    SECTION("a move-only result: std::unique_ptr")
    {
        std::unique_ptr<std::string> p = TestType::call(ns, [&] {
            where_f_runs();
            return std::make_unique<std::string>("made inside");
        });
        REQUIRE(p);
        CHECK(*p == "made inside");
    }
    SECTION("a result that is neither copyable nor default-constructible")
    {
        MoveOnly m = TestType::call(ns, [] { return MoveOnly(7); });
        CHECK(m.value == 7);
    }
    SECTION("an owning descriptor made inside: a socket of ns")
    {
        netns::Fd s = TestType::call(
            ns, [] { return netns::Fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)); });
        REQUIRE(s);
        netns::Fd ref = netns::socket(ns, AF_INET, SOCK_DGRAM);
        uint64_t cookie = netns_cookie(s.fd());
        if (cookie != 0)
            CHECK(cookie == netns_cookie(ref.fd()));
        CHECK_FALSE(lo_is_up(s.fd())); // a fresh namespace's lo
    }
    SECTION("an lvalue reference is returned as that reference")
    {
        int x = 1;
        auto ref = [&]() -> int & { return x; };
        int &r = TestType::call(ns, ref);
        CHECK(&r == &x);
        const int &cr = TestType::call(ns, [&]() -> const int & { return x; });
        CHECK(&cr == &x);
        static_assert(std::is_same_v<decltype(TestType::call(ns, ref)), int &>);
    }
    SECTION("an rvalue reference is returned as that reference")
    {
        std::string s = "moved?";
        std::string &&rr = TestType::call(ns, [&]() -> std::string && { return std::move(s); });
        CHECK(&rr == &s);
        CHECK(s == "moved?"); // a reference: nothing was moved from s
    }
    SECTION("a move-only callable")
    {
        auto p = std::make_unique<int>(5);
        int r = TestType::call(ns, [p = std::move(p)] { return *p; });
        CHECK(r == 5);
    }
    SECTION("the callable is called as what it was passed as, and never copied")
    {
        Qualified q;
        const Qualified cq;
        CHECK(TestType::call(ns, Qualified{}) == "rvalue");
        CHECK(TestType::call(ns, q) == "lvalue");
        CHECK(TestType::call(ns, cq) == "const lvalue");
        CHECK(TestType::call(ns, std::move(q)) == "rvalue");

        int copies = 0, moves = 0;
        Counted c(&copies, &moves);
        CHECK(TestType::call(ns, c) == 11);
        CHECK(TestType::call(ns, std::move(c)) == 11);
        CHECK(copies == 0);
        CHECK(moves == 0);
    }
    SECTION("a function pointer and a std::function")
    {
        CHECK(TestType::call(ns, free_function) == 99);
        CHECK(TestType::call(ns, &free_function) == 99);
        std::function<std::string()> fn = [] { return std::string("fn"); };
        CHECK(TestType::call(ns, fn) == "fn");
    }
    SECTION("f may move its thread; the caller's still ends where it started")
    {
        Handle other = netns::create();
        TestType::call(ns, [&] { netns::set(other); });
        CHECK(t::thread_ns_id() == here);
        // ...and so may a raw unshare of the network namespace.
        TestType::call(ns, [] { REQUIRE(::unshare(CLONE_NEWNET) == 0); });
    }
    CHECK(t::thread_ns_id() == here);
    CHECK(netns::get() == home);
    home.close();
    ns.close();
    CHECK(t::fd_count() == before);
}

TEMPLATE_TEST_CASE("run/run_isolated: what f throws reaches the caller", "[cxx][run]", Run,
                   RunIsolated)
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    Handle ns = netns::create();

    SECTION("an exception type of our own, whole")
    {
        try {
            TestType::call(ns, []() -> int { throw Boom(17); });
            FAIL("no exception");
        } catch (const Boom &b) {
            CHECK(b.n == 17);
            CHECK(t::thread_ns_id() == here); // the thread is back before the handler
        }
    }
    SECTION("from a function returning a move-only type")
    {
        CHECK_THROWS_AS(
            TestType::call(
                ns, []() -> std::unique_ptr<int> { throw std::runtime_error("no pointer"); }),
            std::runtime_error);
    }
    SECTION("from a function returning void, and a reference")
    {
        CHECK_THROWS_AS(TestType::call(ns, [] { throw std::logic_error("void"); }),
                        std::logic_error);
        int x = 0;
        CHECK_THROWS_AS(TestType::call(ns,
                                       [&]() -> int & {
                                           if (x == 0)
                                               throw Boom(1);
                                           return x;
                                       }),
                        Boom);
    }
    SECTION("something that is not a std::exception")
    {
        try {
            TestType::call(ns, [] { throw 5; });
            FAIL("no exception");
        } catch (int i) {
            CHECK(i == 5);
        }
    }
    SECTION("a std::system_error of f's is not mistaken for the library's")
    {
        try {
            TestType::call(
                ns, [] { throw std::system_error(EACCES, std::system_category(), "inside f"); });
            FAIL("no exception");
        } catch (const std::system_error &e) {
            CHECK(e.code().value() == EACCES);
            CHECK(std::string(e.what()).rfind("inside f", 0) == 0);
        }
    }
    SECTION("the very exception object f threw")
    {
        auto thrown = std::make_shared<int>(3);
        try {
            TestType::call(ns, [&] { throw thrown; });
            FAIL("no exception");
        } catch (const std::shared_ptr<int> &p) {
            CHECK(p == thrown);
        }
    }
    SECTION("after an exception the next call works")
    {
        CHECK_THROWS_AS(TestType::call(ns, [] { throw Boom(2); }), Boom);
        CHECK(TestType::call(ns, [] { return t::thread_ns_id(); }) == t::fd_ns_id(ns.fd()));
    }
    CHECK(t::thread_ns_id() == here);
    ns.close();
    CHECK(t::fd_count() == before);
}

TEMPLATE_TEST_CASE("run/run_isolated: errors before f runs", "[cxx][run]", Run, RunIsolated)
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    const char *function = TestType::isolated ? "netns_run_isolated" : "netns_run";
    int calls = 0;
    auto f = [&] {
        ++calls;
        return std::make_unique<int>(1);
    };

    CHECK(error_of([&] { (void)TestType::call(Handle(), f); }, function) == EBADF);
    {
        Handle devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        REQUIRE(devnull);
        CHECK(error_of([&] { (void)TestType::call(devnull, f); }, function) == EINVAL);
        Handle uts(::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC));
        REQUIRE(uts);
        CHECK(error_of([&] { TestType::call(uts, [&] { ++calls; }); }, function) == EINVAL);
        // A high number, so that no descriptor the call opens takes it.
        int closed = ::fcntl(0, F_DUPFD_CLOEXEC, 500);
        REQUIRE(closed >= 0);
        ::close(closed);
        Handle stale(closed);
        CHECK(error_of([&] { (void)TestType::call(stale, f); }, function) == EBADF);
        (void)stale.release();
    }
    CHECK(calls == 0);
    CHECK(t::thread_ns_id() == here);
    CHECK(t::fd_count() == before);
}

TEST_CASE("run and run_isolated nest, each level where it should be", "[cxx][run]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        Handle a = netns::create();
        Handle b = netns::create();
        Handle c = netns::create();
        const std::string in_a = t::fd_ns_id(a.fd());
        const std::string in_b = t::fd_ns_id(b.fd());
        const std::string in_c = t::fd_ns_id(c.fd());

        SECTION("three deep over three namespaces, mixed, with a result")
        {
            std::unique_ptr<std::string> r = netns::run(a, [&] {
                CHECK(t::thread_ns_id() == in_a);
                auto inner = netns::run_isolated(b, [&] {
                    CHECK(t::thread_ns_id() == in_b);
                    auto deepest = netns::run(c, [&] {
                        CHECK(t::thread_ns_id() == in_c);
                        return std::make_unique<std::string>("c");
                    });
                    CHECK(t::thread_ns_id() == in_b);
                    return std::make_unique<std::string>(*deepest + "b");
                });
                CHECK(t::thread_ns_id() == in_a);
                return std::make_unique<std::string>(*inner + "a");
            });
            REQUIRE(r);
            CHECK(*r == "cba");
        }
        SECTION("an exception from the deepest level passes every level")
        {
            std::vector<std::string> back; // where each level is after its inner call
            try {
                netns::run_isolated(a, [&] {
                    try {
                        netns::run(b, [&] {
                            try {
                                netns::run(c, [] { throw Boom(3); });
                            } catch (...) {
                                back.push_back(t::thread_ns_id() == in_b ? "b" : "?");
                                throw;
                            }
                        });
                    } catch (...) {
                        back.push_back(t::thread_ns_id() == in_a ? "a" : "?");
                        throw;
                    }
                });
                FAIL("no exception");
            } catch (const Boom &e) {
                CHECK(e.n == 3);
            }
            CHECK(back == std::vector<std::string>{"b", "a"});
        }
        SECTION("an exception caught halfway")
        {
            int r = netns::run(a, [&] {
                try {
                    return netns::run_isolated(b, []() -> int { throw Boom(4); });
                } catch (const Boom &e) {
                    CHECK(t::thread_ns_id() == in_a);
                    return e.n;
                }
            });
            CHECK(r == 4);
        }
    }
    CHECK(t::thread_ns_id() == here);
    CHECK(t::fd_count() == before);
}

TEST_CASE("run_isolated from many threads: results, exceptions, no thread left", "[cxx][run]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const int threads_before = t::thread_count();
    {
        Handle ns[2] = {netns::create(), netns::create()};
        const std::string ids[2] = {t::fd_ns_id(ns[0].fd()), t::fd_ns_id(ns[1].fd())};
        std::atomic<int> good{0}, wrong{0};
        std::vector<std::thread> callers;
        for (int i = 0; i < 4; ++i) {
            callers.emplace_back([&, i] {
                const std::string home = t::thread_ns_id();
                for (int k = 0; k < 25; ++k) {
                    const int which = (i + k) % 2;
                    try {
                        auto r = netns::run_isolated(ns[which], [&]() -> std::unique_ptr<int> {
                            if (t::thread_ns_id() != ids[which])
                                return nullptr;
                            if (k % 3 == 0)
                                throw Boom(k);
                            return std::make_unique<int>(k);
                        });
                        (r && *r == k && k % 3 != 0 ? good : wrong)++;
                    } catch (const Boom &b) {
                        (b.n == k && k % 3 == 0 ? good : wrong)++;
                    } catch (...) {
                        wrong++;
                    }
                    if (t::thread_ns_id() != home)
                        wrong++;
                }
            });
        }
        for (auto &th : callers)
            th.join();
        CHECK(good == 100);
        CHECK(wrong == 0);
    }
    CHECK(t::threads_settle_to(threads_before));
    CHECK(t::fd_count() == before);
}

// A thread that may enter a namespace but not come back: a child process in
// a user namespace of its own, which owns the namespace it enters but not
// the one it started in. netns::run() must throw ENOTRECOVERABLE there, with
// what f returned discarded and what f threw nested.
TEST_CASE("run: ENOTRECOVERABLE when the thread cannot come back", "[cxx][run]")
{
    Pipe report;
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // The child: no Catch2 here; it writes what went wrong and _exits.
        std::string bad;
        auto expect = [&](bool ok, const char *what) {
            if (!ok)
                bad += std::string(what) + "\n";
        };
        int code = 0;
        try {
            if (::unshare(CLONE_NEWUSER) != 0) {
                bad = "SKIP: unshare(CLONE_NEWUSER): " + std::string(std::strerror(errno));
                code = 77;
            } else {
                Handle ns = netns::create(); // owned by the new user namespace
                const std::string in_ns = t::fd_ns_id(ns.fd());
                // Each case on a fresh thread: a thread starts in the
                // namespace of the one that creates it, this one's, so a
                // thread left in ns by one case does not affect the next.
                auto on_thread = [](auto f) { std::thread(f).join(); };

                on_thread([&] { // f returned an owning value: it is dropped
                    static std::atomic<int> alive{0};
                    struct Tracked {
                        Tracked() { ++alive; }
                        Tracked(Tracked &&) noexcept { ++alive; }
                        ~Tracked() { --alive; }
                    };
                    int calls = 0;
                    try {
                        [[maybe_unused]] Tracked r = netns::run(ns, [&] {
                            ++calls;
                            return Tracked();
                        });
                        expect(false, "run returned");
                    } catch (const std::system_error &e) {
                        expect(e.code().value() == ENOTRECOVERABLE, "errno ENOTRECOVERABLE");
                        expect(std::string(e.what()).rfind("netns_run", 0) == 0, "what()");
                        expect(dynamic_cast<const std::nested_exception *>(&e) == nullptr,
                               "nothing nested when f returned");
                        expect(alive == 0, "the result was destroyed");
                    }
                    expect(calls == 1, "f ran once");
                    expect(t::thread_ns_id() == in_ns, "the thread is left in ns");
                });
                on_thread([&] { // f threw: nested in the ENOTRECOVERABLE error
                    try {
                        netns::run(ns, []() -> int { throw Boom(9); });
                        expect(false, "run returned");
                    } catch (const std::system_error &e) {
                        expect(e.code().value() == ENOTRECOVERABLE, "errno ENOTRECOVERABLE");
                        try {
                            std::rethrow_if_nested(e);
                            expect(false, "f's exception is nested");
                        } catch (const Boom &b) {
                            expect(b.n == 9, "the nested exception is f's");
                        }
                    } catch (...) {
                        expect(false, "a std::system_error");
                    }
                });
                on_thread([&] { // void: the same error
                    bool ran = false;
                    try {
                        netns::run(ns, [&] { ran = true; });
                        expect(false, "run returned");
                    } catch (const std::system_error &e) {
                        expect(e.code().value() == ENOTRECOVERABLE, "void: ENOTRECOVERABLE");
                    }
                    expect(ran, "void: f ran");
                });
                on_thread([&] { // socket() checks the way back: EPERM, nothing moved
                    int fds = t::fd_count();
                    const std::string here = t::thread_ns_id();
                    try {
                        (void)netns::socket(ns, AF_INET, SOCK_DGRAM);
                        expect(false, "socket returned");
                    } catch (const std::system_error &e) {
                        expect(e.code().value() == EPERM, "socket: EPERM");
                        expect(t::thread_ns_id() == here, "socket: thread not moved");
                        expect(std::string(e.what()).rfind("netns_socket", 0) == 0,
                               "socket: what()");
                    }
                    expect(t::fd_count() == fds, "socket: no descriptor left");
                });
                on_thread([&] { // run_isolated cannot end this way
                    const std::string here = t::thread_ns_id();
                    try {
                        int r = netns::run_isolated(
                            ns, [&] { return t::thread_ns_id() == in_ns ? 1 : 2; });
                        expect(r == 1, "run_isolated: f ran in ns");
                    } catch (...) {
                        expect(false, "run_isolated threw");
                    }
                    expect(t::thread_ns_id() == here, "run_isolated: the thread stayed");
                });
            }
        } catch (const std::exception &e) {
            bad += std::string("exception: ") + e.what() + "\n";
        } catch (...) {
            bad += "unknown exception\n";
        }
        (void)!::write(report.write.fd(), bad.data(), bad.size());
        ::_exit(code != 0 ? code : bad.empty() ? 0 : 1);
    }
    Child child(pid);
    std::string bad = report.drain();
    int status = child.wait();
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
        WARN("not tested: " << bad);
        return;
    }
    INFO(bad);
    CHECK(bad.empty());
    CHECK(exited_ok(status));
}

// --- socket --------------------------------------------------------------------

TEST_CASE("socket: made inside ns, usable from here", "[cxx][socket]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        Handle ns = netns::create();
        Handle other = netns::create();
        netns::Fd udp = netns::socket(ns, AF_INET, SOCK_DGRAM);
        CHECK(t::thread_ns_id() == here);
        REQUIRE(udp);
        CHECK((::fcntl(udp.fd(), F_GETFD) & FD_CLOEXEC) != 0); // always SOCK_CLOEXEC

        // A new namespace's lo is down: nothing can be sent to 127.0.0.1.
        REQUIRE(bind_to(udp.fd(), loopback()) == 0);
        const struct sockaddr_in self = loopback(port_of(udp.fd()));
        const auto *to_self = reinterpret_cast<const struct sockaddr *>(&self);
        CHECK_FALSE(lo_is_up(udp.fd()));
        CHECK(::sendto(udp.fd(), "ping", 4, 0, to_self, sizeof self) == -1);
        CHECK(errno == ENETUNREACH);
        bring_lo_up(udp.fd()); // through the socket: ns's lo
        CHECK(t::thread_ns_id() == here);
        CHECK(lo_is_up(netns::socket(ns, AF_INET, SOCK_DGRAM).fd()));
        CHECK_FALSE(lo_is_up(netns::socket(other, AF_INET, SOCK_DGRAM).fd()));

        // Now lo of ns is up: send to ourselves and receive.
        REQUIRE(::sendto(udp.fd(), "ping", 4, 0, to_self, sizeof self) == 4);
        char buf[8] = {};
        CHECK(::recv(udp.fd(), buf, sizeof buf, 0) == 4);
        CHECK(std::string(buf) == "ping");

        // The socket's namespace is ns, as its cookie says (Linux 5.14+).
        if (uint64_t cookie = netns_cookie(udp.fd()); cookie != 0) {
            uint64_t inside = netns::run(ns, [] {
                netns::Fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
                return netns_cookie(s.fd());
            });
            CHECK(cookie == inside);
            netns::Fd mine(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
            CHECK(cookie != netns_cookie(mine.fd()));
        } else {
            WARN("no SO_NETNS_COOKIE: namespace checked through lo only");
        }

        // TCP: a listener of ns is reachable from another socket of ns, not
        // from one of another namespace (whose lo is up too).
        netns::Fd listener = netns::socket(ns, AF_INET, SOCK_STREAM);
        REQUIRE(bind_to(listener.fd(), loopback()) == 0);
        REQUIRE(::listen(listener.fd(), 1) == 0);
        const struct sockaddr_in to = loopback(port_of(listener.fd()));
        netns::Fd client = netns::socket(ns, AF_INET, SOCK_STREAM);
        CHECK(::connect(client.fd(), reinterpret_cast<const struct sockaddr *>(&to), sizeof to) ==
              0);
        netns::Fd stranger_lo = netns::socket(other, AF_INET, SOCK_DGRAM);
        bring_lo_up(stranger_lo.fd());
        netns::Fd stranger = netns::socket(other, AF_INET, SOCK_STREAM);
        CHECK(::connect(stranger.fd(), reinterpret_cast<const struct sockaddr *>(&to), sizeof to) ==
              -1);
        CHECK(errno == ECONNREFUSED);

        // The socket works from any thread.
        ssize_t sent = -1;
        std::thread([&] { sent = ::sendto(udp.fd(), "pong", 4, 0, to_self, sizeof self); }).join();
        REQUIRE(sent == 4);
        CHECK(::recv(udp.fd(), buf, sizeof buf, 0) == 4);
        CHECK(std::string(buf) == "pong");
    }
    CHECK(t::thread_ns_id() == here);
    CHECK(t::fd_count() == before);
}

TEST_CASE("socket: errors", "[cxx][socket]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        Handle ns = netns::create();
        CHECK(error_of([] { (void)netns::socket(Handle(), AF_INET, SOCK_DGRAM); },
                       "netns_socket") == EBADF);
        Handle devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        REQUIRE(devnull);
        CHECK(error_of([&] { (void)netns::socket(devnull, AF_INET, SOCK_DGRAM); },
                       "netns_socket") == EINVAL);
        CHECK(error_of([&] { (void)netns::socket(ns, 12345, SOCK_DGRAM); }, "netns_socket") ==
              EAFNOSUPPORT);
        CHECK(error_of([&] { (void)netns::socket(ns, AF_INET, 12345); }, "netns_socket") == EINVAL);
        CHECK(error_of([&] { (void)netns::socket(ns, AF_INET, SOCK_DGRAM, IPPROTO_TCP); },
                       "netns_socket") == EPROTONOSUPPORT);
    }
    CHECK(t::thread_ns_id() == here);
    CHECK(t::fd_count() == before);
}
