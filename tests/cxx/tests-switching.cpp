// SPDX-License-Identifier: Apache-2.0
// Switching the calling thread in the C++ wrapper, <netns/netns.hpp>, over
// libnetns.so: set(), setns(), new_(), new_named() and SetGuard. Built
// twice: as C++20 (tests-cxx-switching) and as C++17 (tests-cxx17-switching,
// tests/cxx/meson.build).
// Runs in the privileged-test sandbox (main.cpp): /run is a private tmpfs,
// so the default run directory is private to this process.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <utility>

// t::SetGuard (helpers.hpp) is the suite's own safety net, independent of
// the netns::SetGuard under test.
namespace t = netns::test;
using netns::Handle;

using netns::test::error_of;
using netns::test::NameGuard;
using netns::test::run_dir;

// The contract the header checks with static_assert, restated so that a
// regression fails here with a name.
static_assert(!std::is_copy_constructible_v<netns::SetGuard> &&
              !std::is_move_constructible_v<netns::SetGuard> &&
              !std::is_copy_assignable_v<netns::SetGuard> &&
              !std::is_move_assignable_v<netns::SetGuard>);
static_assert(std::is_nothrow_destructible_v<netns::SetGuard>);

TEST_CASE("netns::set and netns::setns", "[cxx]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    Handle home = netns::get();
    SECTION("set moves the thread and back")
    {
        Handle other = netns::new_();
        netns::set(home);
        CHECK(netns::get() == home);
        netns::set(other);
        CHECK(netns::get() == other);
        CHECK(t::thread_ns_id() == t::fd_ns_id(other.fd()));
        netns::set(home);
        CHECK(t::thread_ns_id() == t::fd_ns_id(home.fd()));
    }
    SECTION("setns with NETNS_CLONE_NEWNET and with 0")
    {
        Handle other = netns::new_();
        netns::setns(home, NETNS_CLONE_NEWNET);
        CHECK(netns::get() == home);
        netns::setns(other, 0);
        CHECK(netns::get() == other);
        netns::setns(home, 0);
        CHECK(netns::get() == home);
    }
    SECTION("set(empty handle) throws EBADF and does not move")
    {
        CHECK(error_of([] { netns::set(Handle()); }, "netns_set") == EBADF);
        CHECK(error_of([] { netns::setns(Handle(), NETNS_CLONE_NEWNET); }, "netns_setns") == EBADF);
        CHECK(netns::get() == home);
    }
    SECTION("a descriptor that is not a network namespace: EINVAL")
    {
        Handle devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        REQUIRE(devnull);
        CHECK(error_of([&] { netns::set(devnull); }, "netns_set") == EINVAL);
        Handle uts(::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC));
        REQUIRE(uts);
        CHECK(error_of([&] { netns::set(uts); }, "netns_set") == EINVAL);
        CHECK(error_of([&] { netns::setns(home, NETNS_CLONE_NEWUTS); }, "netns_setns") == EINVAL);
        CHECK(netns::get() == home);
    }
    home.close();
    CHECK(t::fd_count() == before);
}

TEST_CASE("netns::new_ moves the calling thread", "[cxx]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    {
        Handle home = netns::get();
        Handle a = netns::new_();
        REQUIRE(a);
        CHECK(a != home);
        CHECK(netns::get() == a); // the thread moved
        Handle b = netns::new_();
        CHECK(b != a);
        CHECK(b != home);
        CHECK(netns::get() == b);
        netns::set(home);
        CHECK(netns::get() == home);
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("netns::new_named, get_from_name and delete_named", "[cxx]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    Handle home = netns::get();

    SECTION("create, find, delete")
    {
        NameGuard g(t::unique_name("cxx"));
        Handle made = netns::new_named(g.name());
        CHECK(made != home);
        CHECK(netns::get() == made); // the thread moved
        netns::set(home);
        {
            Handle found = netns::get_from_name(g.name());
            CHECK(found == made);
            Handle found_c = netns::get_from_name(g.name().c_str());
            CHECK(found_c == made);
            CHECK(t::mounts_at(run_dir() + "/" + g.name()) == 1);
        }
        netns::delete_named(g.name());
        CHECK(t::mounts_at(run_dir() + "/" + g.name()) == 0);
        CHECK(error_of([&] { (void)netns::get_from_name(g.name()); }, "netns_get_from_name") ==
              ENOENT);
        // The namespace lives on while a handle holds it.
        CHECK(made.unique_id() != home.unique_id());
        netns::set(made);
        CHECK(netns::get() == made);
        netns::set(home);
    }
    SECTION("the const char* overloads")
    {
        NameGuard g(t::unique_name("cxx-c"));
        Handle made = netns::new_named(g.name().c_str());
        netns::set(home);
        netns::delete_named(g.name().c_str());
        CHECK(error_of([&] { netns::delete_named(g.name()); }, "netns_delete_named") == ENOENT);
    }
    SECTION("a duplicate name: EEXIST, and the thread does not move")
    {
        NameGuard g(t::unique_name("cxx-dup"));
        Handle made = netns::new_named(g.name());
        netns::set(home);
        CHECK(error_of([&] { (void)netns::new_named(g.name()); }, "netns_new_named") == EEXIST);
        CHECK(netns::get() == home);
        CHECK(netns::get_from_name(g.name()) == made); // untouched
    }
    SECTION("a missing name: ENOENT")
    {
        std::string missing = t::unique_name("cxx-missing");
        CHECK(error_of([&] { (void)netns::get_from_name(missing); }, "netns_get_from_name") ==
              ENOENT);
        CHECK(error_of([&] { netns::delete_named(missing); }, "netns_delete_named") == ENOENT);
    }
    SECTION("invalid names: EINVAL everywhere, nothing moves or is made")
    {
        int mounts = t::mount_count();
        const std::string bad[] = {
            "", ".", "..", "a/b", "/abs", std::string(256, 'n'), std::string("nul\0name", 8)};
        for (const auto &name : bad) {
            INFO("name of " << name.size() << " bytes: " << name);
            CHECK(error_of([&] { (void)netns::new_named(name); }, "netns_new_named") == EINVAL);
            CHECK(error_of([&] { (void)netns::get_from_name(name); }, "netns_get_from_name") ==
                  EINVAL);
            CHECK(error_of([&] { netns::delete_named(name); }, "netns_delete_named") == EINVAL);
        }
        CHECK(error_of([] { (void)netns::new_named(static_cast<const char *>(nullptr)); },
                       "netns_new_named") == EINVAL);
        CHECK(error_of([] { (void)netns::get_from_name(static_cast<const char *>(nullptr)); },
                       "netns_get_from_name") == EINVAL);
        CHECK(error_of([] { netns::delete_named(static_cast<const char *>(nullptr)); },
                       "netns_delete_named") == EINVAL);
        CHECK(netns::get() == home);
        CHECK(t::mount_count() == mounts);
    }
    SECTION("a name at the length limit works")
    {
        std::string longest = t::unique_name("cxx-long");
        longest.resize(255, 'x');
        NameGuard g(longest);
        Handle made = netns::new_named(g.name());
        netns::set(home);
        CHECK(netns::get_from_name(g.name()) == made);
        netns::delete_named(g.name());
    }
    SECTION("NETNS_RUN_DIR moves the run directory")
    {
        t::TempDir dir;
        t::ScopedEnv env("NETNS_RUN_DIR", (dir / "netns").c_str());
        NameGuard g(t::unique_name("cxx-env")); // destroyed before env
        Handle made = netns::new_named(g.name());
        netns::set(home);
        CHECK(t::mounts_at(dir / "netns" + "/" + g.name()) == 1);
        CHECK(netns::get_from_path(dir / "netns" + "/" + g.name()) == made);
        netns::delete_named(g.name());
        CHECK(t::mounts_at(dir / "netns" + "/" + g.name()) == 0);
        // The run directory stays a mount point (shared, like iproute2's);
        // take it down so that TempDir can remove it.
        while (::umount2((dir / "netns").c_str(), MNT_DETACH) == 0) {
        }
    }
    CHECK(netns::get() == home);
    home.close();
    CHECK(t::fd_count() == before);
}

TEST_CASE("netns::SetGuard", "[cxx]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    Handle home = netns::get();
    Handle other = netns::new_();
    netns::set(home);

    SECTION("switches for the scope and restores")
    {
        {
            netns::SetGuard in(other);
            CHECK(netns::get() == other);
            CHECK(in.saved() == home);
        }
        CHECK(netns::get() == home);
    }
    SECTION("nests")
    {
        Handle third = netns::new_();
        netns::set(home);
        {
            netns::SetGuard in(other);
            {
                netns::SetGuard deeper(third);
                CHECK(netns::get() == third);
                CHECK(deeper.saved() == other);
            }
            CHECK(netns::get() == other);
        }
        CHECK(netns::get() == home);
    }
    SECTION("restores when the scope is left by an exception")
    {
        CHECK_THROWS_AS(
            [&] {
                netns::SetGuard in(other);
                REQUIRE(netns::get() == other);
                throw std::runtime_error("leaving");
            }(),
            std::runtime_error);
        CHECK(netns::get() == home);
    }
    SECTION("a failing switch throws and does not move the thread")
    {
        CHECK(error_of([] { netns::SetGuard in{Handle()}; }, "netns_set") == EBADF);
        Handle devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        REQUIRE(devnull);
        CHECK(error_of([&] { netns::SetGuard in(devnull); }, "netns_set") == EINVAL);
        CHECK(netns::get() == home);
    }
    SECTION("restore() moves back early, the destructor then does nothing")
    {
        {
            netns::SetGuard in(other);
            in.restore();
            CHECK(netns::get() == home);
            CHECK_FALSE(in.saved());
            CHECK_NOTHROW(in.restore());
            netns::set(other); // the destructor must not move us back now
        }
        CHECK(netns::get() == other);
        netns::set(home);
    }
    SECTION("a temporary target is fine")
    {
        {
            netns::SetGuard in(netns::get_from_pid(::getpid()));
            CHECK(netns::get() == home);
        }
        CHECK(netns::get() == home);
    }
    home.close();
    other.close();
    CHECK(t::fd_count() == before);
}

TEST_CASE("No descriptor leaks, success or failure", "[cxx]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    Handle home = netns::get();
    const std::string missing = t::unique_name("cxx-missing");
    for (int i = 0; i < 20; ++i) {
        (void)netns::get().to_string();
        (void)netns::get_from_pid(::getpid()).unique_id();
        (void)error_of([&] { (void)netns::get_from_name(missing); }, "netns_get_from_name");
        (void)error_of([] { (void)netns::get_from_path("/dev/null"); }, "netns_get_from_path");
        (void)error_of([] { netns::set(Handle()); }, "netns_set");
        {
            netns::SetGuard in(home);
        }
        NameGuard g(t::unique_name("cxx-leak"));
        {
            Handle h = netns::new_named(g.name());
            netns::set(home);
            (void)error_of([&] { (void)netns::new_named(g.name()); }, "netns_new_named");
        }
        netns::delete_named(g.name());
    }
    home.close();
    CHECK(t::fd_count() == before);
}
