// SPDX-License-Identifier: Apache-2.0
// Handles and lookups in the C++ wrapper, <netns/netns.hpp>: version(),
// Handle, Fd, get() and the get_from_*() lookups, type() and is_netns(),
// and Handle's deprecated 0.1.0 names.
// Built as C++20 (tests-cxx-handle) and C++17 (tests-cxx17-handle). Runs in
// the privileged-test sandbox (main.cpp): /run is a private tmpfs.
#include "catch.hpp"
#include "cxx_test.hpp"
#include "helpers.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <utility>
#include <vector>

// t::SetGuard (helpers.hpp) is the suite's own safety net, independent of
// the netns::SetGuard under test.
namespace t = netns::test;
using netns::Handle;
using netns::test::dead_pid;
using netns::test::error_of;
using netns::test::fd_is_open;
using netns::test::NameGuard;

// The contract the header checks with static_assert, restated so that a
// regression fails here with a name.
static_assert(std::is_nothrow_move_constructible_v<Handle>);
static_assert(std::is_nothrow_move_assignable_v<Handle>);
static_assert(std::is_nothrow_swappable_v<Handle>);
static_assert(noexcept(std::declval<Handle &>().swap(std::declval<Handle &>())));
static_assert(!std::is_copy_constructible_v<Handle> && !std::is_copy_assignable_v<Handle>);
static_assert(std::is_constructible_v<bool, const Handle &> &&
                  !std::is_convertible_v<const Handle &, bool>,
              "operator bool must be explicit");
static_assert(!std::is_convertible_v<int, Handle>);
TEST_CASE("version: the library's version string (" CXX_STD ")", "[cxx]")
{
    std::string v = netns::version();
    CHECK(v == std::to_string(NETNS_VERSION_MAJOR) + "." + std::to_string(NETNS_VERSION_MINOR) +
                   "." + std::to_string(NETNS_VERSION_MICRO));
    CHECK(v == netns_version());
}

TEST_CASE("Handle: empty handles", "[cxx]")
{
    Handle h;
    CHECK(h.fd() == NETNS_NONE);
    CHECK_FALSE(h.is_open());
    CHECK_FALSE(static_cast<bool>(h));
    CHECK(h.to_string() == "NS(none)");
    CHECK(h.unique_id() == "NS(none)");
    CHECK(h == Handle());
    CHECK_FALSE(h != Handle());
    CHECK(h.release() == NETNS_NONE);

    SECTION("close() on an empty handle does nothing")
    {
        CHECK_NOTHROW(h.close());
        CHECK(h.fd() == NETNS_NONE);
    }
    SECTION("Handle(NETNS_NONE) is empty")
    {
        Handle n(NETNS_NONE);
        CHECK_FALSE(n);
        CHECK(n == h);
    }
}

TEST_CASE("netns::get opens the calling thread's namespace", "[cxx]")
{
    int before = t::fd_count();
    {
        Handle h = netns::get();
        REQUIRE(h.is_open());
        REQUIRE(static_cast<bool>(h));
        CHECK(fd_is_open(h.fd()));
        CHECK(t::fd_ns_id(h.fd()) == t::thread_ns_id());
        CHECK((::fcntl(h.fd(), F_GETFD) & FD_CLOEXEC) != 0);
        CHECK(t::fd_count() == before + 1);
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("Handle: equality", "[cxx]")
{
    Handle a = netns::get();
    Handle b = netns::get();
    REQUIRE(a.fd() != b.fd());
    CHECK(a == b);
    CHECK_FALSE(a != b);
    CHECK(a != Handle());
    CHECK(Handle() != a);
    CHECK_FALSE(a == Handle());

    SECTION("a different namespace is not equal")
    {
        t::SetGuard keep;
        Handle fresh = netns::new_();
        CHECK(fresh != a);
        CHECK_FALSE(fresh == a);
    }
    SECTION("a closed descriptor equals nothing")
    {
        int fd = ::dup(a.fd());
        REQUIRE(fd >= 0);
        ::close(fd);
        Handle stale(fd); // owns a closed descriptor
        CHECK(stale != a);
        CHECK(stale != Handle());
        CHECK(stale.to_string() == "NS(" + std::to_string(fd) + ": unknown)");
        CHECK(stale.unique_id() == "NS(unknown)");
        CHECK(stale.release() == fd); // nothing to close
    }
}

TEST_CASE("Handle: to_string and unique_id", "[cxx]")
{
    Handle a = netns::get();
    Handle b = netns::get();
    struct stat st;
    REQUIRE(::fstat(a.fd(), &st) == 0);
    std::string dev = std::to_string(static_cast<unsigned long long>(st.st_dev));
    std::string ino = std::to_string(static_cast<unsigned long long>(st.st_ino));

    CHECK(a.to_string() == "NS(" + std::to_string(a.fd()) + ": " + dev + ", " + ino + ")");
    CHECK(b.to_string() == "NS(" + std::to_string(b.fd()) + ": " + dev + ", " + ino + ")");
    CHECK(a.to_string() != b.to_string());
    CHECK(a.unique_id() == "NS(" + dev + ":" + ino + ")");
    CHECK(a.unique_id() == b.unique_id());

    SECTION("descriptions longer than the first buffer are whole")
    {
        // A five-digit descriptor makes a description of 24 bytes or more,
        // past the wrapper's first buffer: it must ask again with the size.
        struct rlimit lim;
        REQUIRE(::getrlimit(RLIMIT_NOFILE, &lim) == 0);
        struct rlimit saved = lim;
        if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur <= 10000 &&
            (lim.rlim_max == RLIM_INFINITY || lim.rlim_max > 10000)) {
            lim.rlim_cur = 10001;
            REQUIRE(::setrlimit(RLIMIT_NOFILE, &lim) == 0);
        }
        int high = ::fcntl(a.fd(), F_DUPFD_CLOEXEC, 10000);
        (void)::setrlimit(RLIMIT_NOFILE, &saved);
        if (high < 0) {
            WARN("cannot open descriptor 10000 (RLIMIT_NOFILE); using a low one");
            high = ::fcntl(a.fd(), F_DUPFD_CLOEXEC, 100);
        }
        REQUIRE(high >= 0);
        Handle h(high);
        char buf[128];
        int n = netns_string(h.fd(), buf, sizeof buf);
        REQUIRE(n > 0);
        CHECK(h.to_string() == std::string(buf, static_cast<size_t>(n)));
        CHECK(h.to_string() == "NS(" + std::to_string(high) + ": " + dev + ", " + ino + ")");
        CHECK(h.unique_id() == a.unique_id());
    }
}

TEST_CASE("Handle: move semantics leave the source empty", "[cxx]")
{
    int before = t::fd_count();
    SECTION("move construction")
    {
        Handle a = netns::get();
        int fd = a.fd();
        Handle b(std::move(a));
        CHECK(b.fd() == fd);
        CHECK(a.fd() == NETNS_NONE); // NOLINT(bugprone-use-after-move)
        CHECK_FALSE(a.is_open());
        CHECK(fd_is_open(fd));
    }
    SECTION("move assignment closes the target's descriptor")
    {
        Handle a = netns::get();
        Handle b = netns::get();
        int fa = a.fd();
        int fb = b.fd();
        b = std::move(a);
        CHECK(b.fd() == fa);
        CHECK(a.fd() == NETNS_NONE); // NOLINT(bugprone-use-after-move)
        CHECK_FALSE(fd_is_open(fb));
        CHECK(t::fd_count() == before + 1);
    }
    SECTION("self move assignment keeps the descriptor")
    {
        Handle a = netns::get();
        int fd = a.fd();
        Handle &alias = a;
        a = std::move(alias);
        CHECK(a.fd() == fd);
        CHECK(fd_is_open(fd));
    }
    SECTION("move assignment from an empty handle empties the target")
    {
        Handle a = netns::get();
        int fd = a.fd();
        a = Handle();
        CHECK_FALSE(a);
        CHECK_FALSE(fd_is_open(fd));
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("Handle: swap, release, reset, close", "[cxx]")
{
    int before = t::fd_count();
    SECTION("member and free swap")
    {
        Handle a = netns::get();
        Handle b;
        int fd = a.fd();
        a.swap(b);
        CHECK(a.fd() == NETNS_NONE);
        CHECK(b.fd() == fd);
        swap(a, b); // found by ADL
        CHECK(a.fd() == fd);
        CHECK(b.fd() == NETNS_NONE);
        using std::swap;
        swap(a, b);
        CHECK(b.fd() == fd);
    }
    SECTION("release gives the descriptor up")
    {
        int fd;
        {
            Handle a = netns::get();
            fd = a.release();
            CHECK_FALSE(a);
        }
        CHECK(fd_is_open(fd)); // the handle did not close it
        CHECK(::close(fd) == 0);
    }
    SECTION("the adopting constructor takes ownership")
    {
        int fd = netns_get();
        REQUIRE(fd >= 0);
        {
            Handle a(fd);
            CHECK(a.fd() == fd);
        }
        CHECK_FALSE(fd_is_open(fd));
    }
    SECTION("reset closes and adopts")
    {
        Handle a = netns::get();
        int old = a.fd();
        int fd = netns_get();
        REQUIRE(fd >= 0);
        a.reset(fd);
        CHECK(a.fd() == fd);
        CHECK_FALSE(fd_is_open(old));
        a.reset();
        CHECK_FALSE(a);
        CHECK_FALSE(fd_is_open(fd));
    }
    SECTION("close closes and empties")
    {
        Handle a = netns::get();
        int fd = a.fd();
        a.close();
        CHECK_FALSE(a);
        CHECK(a.fd() == NETNS_NONE);
        CHECK_FALSE(fd_is_open(fd));
        CHECK_NOTHROW(a.close()); // twice: nothing left to close
    }
    SECTION("close of a descriptor that is not open throws EBADF and empties")
    {
        int fd = ::dup(0);
        REQUIRE(fd >= 0);
        ::close(fd);
        Handle a(fd);
        CHECK(error_of([&] { a.close(); }, "netns_close") == EBADF);
        CHECK_FALSE(a);
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("netns::get_from_path", "[cxx]")
{
    int before = t::fd_count();
    SECTION("/proc/self/ns/net, as char* and std::string")
    {
        Handle a = netns::get_from_path("/proc/thread-self/ns/net");
        Handle b = netns::get_from_path(std::string("/proc/self/ns/net"));
        CHECK(a == netns::get());
        CHECK(b == a);
    }
    SECTION("errors")
    {
        CHECK(error_of([] { (void)netns::get_from_path("/nonexistent/x"); },
                       "netns_get_from_path") == ENOENT);
        CHECK(error_of([] { (void)netns::get_from_path(""); }, "netns_get_from_path") == EINVAL);
        CHECK(error_of([] { (void)netns::get_from_path(static_cast<const char *>(nullptr)); },
                       "netns_get_from_path") == EINVAL);
        CHECK(error_of([] { (void)netns::get_from_path("/proc/self/ns/uts"); },
                       "netns_get_from_path") == EINVAL);
        CHECK(error_of([] { (void)netns::get_from_path("/dev/null"); }, "netns_get_from_path") ==
              EINVAL);
        // An embedded NUL would silently shorten the path to a valid one.
        std::string cut("/proc/self/ns/net\0junk", 22);
        CHECK(error_of([&] { (void)netns::get_from_path(cut); }, "netns_get_from_path") == EINVAL);
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("netns::get_from_pid and get_from_thread", "[cxx]")
{
    int before = t::fd_count();
    Handle self = netns::get();
    SECTION("this process and this thread")
    {
        CHECK(netns::get_from_pid(::getpid()) == self);
        CHECK(netns::get_from_thread(::getpid(), ::gettid()) == self);
    }
    SECTION("a thread's namespace follows the thread")
    {
        t::SetGuard keep;
        Handle fresh = netns::new_();
        CHECK(netns::get_from_thread(::getpid(), ::gettid()) == fresh);
        netns::set(self);
        CHECK(netns::get_from_thread(::getpid(), ::gettid()) == self);
    }
    SECTION("errors")
    {
        CHECK(error_of([] { (void)netns::get_from_pid(0); }, "netns_get_from_pid") == EINVAL);
        CHECK(error_of([] { (void)netns::get_from_pid(-1); }, "netns_get_from_pid") == EINVAL);
        pid_t dead = dead_pid();
        CHECK(error_of([&] { (void)netns::get_from_pid(dead); }, "netns_get_from_pid") == ENOENT);
        CHECK(error_of([] { (void)netns::get_from_thread(0, 1); }, "netns_get_from_thread") ==
              EINVAL);
        CHECK(error_of([] { (void)netns::get_from_thread(::getpid(), 0); },
                       "netns_get_from_thread") == EINVAL);
        CHECK(error_of([] { (void)netns::get_from_thread(::getpid(), -5); },
                       "netns_get_from_thread") == EINVAL);
        CHECK(error_of([&] { (void)netns::get_from_thread(::getpid(), dead); },
                       "netns_get_from_thread") == ENOENT);
    }
    self.close();
    CHECK(t::fd_count() == before);
}

TEST_CASE("netns::get_from_docker errors", "[cxx]")
{
    int before = t::fd_count();
    CHECK(error_of([] { (void)netns::get_from_docker(""); }, "netns_get_from_docker") == EINVAL);
    CHECK(error_of([] { (void)netns::get_from_docker(static_cast<const char *>(nullptr)); },
                   "netns_get_from_docker") == EINVAL);
    CHECK(error_of([] { (void)netns::get_from_docker("bad/id"); }, "netns_get_from_docker") ==
          EINVAL);
    CHECK(error_of([] { (void)netns::get_from_docker(std::string(129, 'a')); },
                   "netns_get_from_docker") == EINVAL);
    std::string cut("abc\0def", 7);
    CHECK(error_of([&] { (void)netns::get_from_docker(cut); }, "netns_get_from_docker") == EINVAL);
    {
        // No daemon on this socket (the sandbox's /run is empty), and no
        // container of this id in the cgroup trees.
        t::ScopedEnv host("DOCKER_HOST", "unix:///run/netns-cxx-no-docker.sock");
        int err = error_of([] { (void)netns::get_from_docker(std::string("0123456789abcdef")); },
                           "netns_get_from_docker");
        CHECK(err == ENOENT);
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("type and is_netns", "[cxx][type]")
{
    int before = t::fd_count();
    {
        Handle home = netns::get();
        CHECK(netns::type(home) == NETNS_CLONE_NEWNET);
        CHECK(netns::type(home.fd()) == NETNS_CLONE_NEWNET);
        CHECK(netns::is_netns(home));
        CHECK(netns::is_netns(home.fd()));

        netns::Fd uts(::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC));
        REQUIRE(uts);
        CHECK(netns::type(uts.fd()) == NETNS_CLONE_NEWUTS);
        CHECK_FALSE(netns::is_netns(uts.fd()));
        netns::Fd mnt(::open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
        REQUIRE(mnt);
        CHECK(netns::type(mnt.fd()) == NETNS_CLONE_NEWNS);
        // A Handle adopting a namespace of another type.
        Handle uts_handle(::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC));
        CHECK(netns::type(uts_handle) == NETNS_CLONE_NEWUTS);
        CHECK_FALSE(netns::is_netns(uts_handle));

        // Open descriptors that are not namespaces.
        netns::Fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        REQUIRE(devnull);
        CHECK(error_of([&] { (void)netns::type(devnull.fd()); }, "netns_type") == EINVAL);
        CHECK_FALSE(netns::is_netns(devnull.fd()));
        netns::Fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        REQUIRE(sock);
        CHECK(error_of([&] { (void)netns::type(sock.fd()); }, "netns_type") == EINVAL);
        CHECK_FALSE(netns::is_netns(sock.fd()));

        // Descriptors that are not open.
        int closed = ::dup(0);
        REQUIRE(closed >= 0);
        ::close(closed);
        CHECK(error_of([&] { (void)netns::type(closed); }, "netns_type") == EBADF);
        CHECK(error_of([&] { (void)netns::is_netns(closed); }, "netns_is_netns") == EBADF);
        CHECK(error_of([] { (void)netns::type(Handle()); }, "netns_type") == EBADF);
        CHECK(error_of([] { (void)netns::is_netns(Handle()); }, "netns_is_netns") == EBADF);
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("Fd owns one descriptor", "[cxx][fd]")
{
    int before = t::fd_count();
    SECTION("empty, adopt, move, release, reset, close")
    {
        netns::Fd empty;
        CHECK_FALSE(empty);
        CHECK(empty.fd() == -1);
        CHECK_NOTHROW(empty.close());

        netns::Fd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        REQUIRE(a);
        int fd = a.fd();
        netns::Fd b(std::move(a));
        CHECK_FALSE(a); // NOLINT(bugprone-use-after-move)
        CHECK(b.fd() == fd);
        a = std::move(b);
        CHECK(a.fd() == fd);
        swap(a, b);
        CHECK(b.fd() == fd);
        int raw = b.release();
        CHECK_FALSE(b);
        CHECK(t::fd_is_open(raw));
        b.reset(raw);
        CHECK(b.fd() == raw);
        b.close();
        CHECK_FALSE(b);
        CHECK_FALSE(t::fd_is_open(raw));
    }
    SECTION("the destructor closes")
    {
        int fd;
        {
            netns::Fd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
            fd = a.fd();
            CHECK(t::fd_is_open(fd));
        }
        CHECK_FALSE(t::fd_is_open(fd));
    }
    SECTION("close of a descriptor that is not open throws EBADF and empties")
    {
        int fd = ::dup(0);
        REQUIRE(fd >= 0);
        ::close(fd);
        netns::Fd a(fd);
        CHECK(error_of([&] { a.close(); }, "close") == EBADF);
        CHECK_FALSE(a);
    }
    CHECK(t::fd_count() == before);
}

// The 0.1.0 names are deprecated forwards; they must keep working.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
TEST_CASE("the deprecated names forward to the new ones", "[cxx]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    {
        Handle home = Handle::current();
        CHECK(home == netns::get());
        CHECK(Handle::from_path("/proc/self/ns/net") == home);
        CHECK(Handle::from_path(std::string("/proc/self/ns/net")) == home);
        CHECK(Handle::from_pid(::getpid()) == home);
        CHECK(Handle::from_thread(::getpid(), ::gettid()) == home);
        CHECK(error_of([] { (void)Handle::from_docker("bad/id"); }, "netns_get_from_docker") ==
              EINVAL);
        CHECK(error_of([] { (void)Handle::from_docker(std::string("bad/id")); },
                       "netns_get_from_docker") == EINVAL);

        Handle fresh = netns::create(); // Handle::create() is removed
        CHECK(fresh != home);

        NameGuard a(t::unique_name("cxx-old"));
        NameGuard b(t::unique_name("cxx-old-c"));
        Handle named = netns::create(a.name()); // Handle::create_named() is removed
        Handle named_c = netns::create(b.name().c_str());
        CHECK(Handle::from_name(a.name()) == named);
        CHECK(Handle::from_name(b.name().c_str()) == named_c);

        {
            netns::ScopedSwitch in(fresh);
            CHECK(netns::get() == fresh);
            CHECK(in.saved() == home);
        }
        CHECK(netns::get() == home);
    }
    CHECK(t::fd_count() == before);
}
#pragma GCC diagnostic pop
