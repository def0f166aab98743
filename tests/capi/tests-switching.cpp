// SPDX-License-Identifier: Apache-2.0
// Switching the calling thread through the C API (netns.h's second group):
// netns_set, netns_setns, netns_new and netns_new_named, which move the
// thread that calls them. Threads switching at once: tests-threads.cpp.
// Runs in the sandbox (sandbox.h): /run is private.
#include "capi_guards.hpp"
#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sched.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using netns::test::cloexec;
using netns::test::default_dir;
using netns::test::exists;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::Handle;
using netns::test::mounts_at;
using netns::test::NameGuard;
using netns::test::thread_ns_id;
using netns::test::unique_name;

TEST_CASE("netns_new moves the calling thread into a new namespace", "[capi]")
{
    netns::test::SetGuard keep;
    std::string home = thread_ns_id();
    Handle h(netns_new());
    REQUIRE(h.fd >= 0);
    CHECK(cloexec(h.fd));
    CHECK(thread_ns_id() == fd_ns_id(h.fd));
    CHECK(thread_ns_id() != home);
}

TEST_CASE("netns_set and netns_setns", "[capi]")
{
    netns::test::SetGuard keep;
    Handle home(netns_get());
    REQUIRE(home.fd >= 0);
    Handle other(netns_new());
    REQUIRE(other.fd >= 0);
    REQUIRE(netns_set(home.fd) == 0);
    CHECK(thread_ns_id() == fd_ns_id(home.fd));

    SECTION("set moves the thread")
    {
        CHECK(netns_set(other.fd) == 0);
        CHECK(thread_ns_id() == fd_ns_id(other.fd));
    }
    SECTION("setns with the type, or with 0 for any")
    {
        CHECK(netns_setns(other.fd, NETNS_CLONE_NEWNET) == 0);
        CHECK(thread_ns_id() == fd_ns_id(other.fd));
        CHECK(netns_setns(home.fd, 0) == 0);
        CHECK(thread_ns_id() == fd_ns_id(home.fd));
    }
    SECTION("errors leave the thread where it is")
    {
        CHECK(netns_set(NETNS_NONE) == -EBADF);
        int closed = dup(other.fd);
        close(closed);
        CHECK(netns_set(closed) == -EBADF);
        Handle mnt(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
        CHECK(netns_set(mnt.fd) == -EINVAL);
        Handle file(open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        CHECK(netns_set(file.fd) == -EINVAL);
        CHECK(netns_setns(other.fd, NETNS_CLONE_NEWUTS) == -EINVAL);
        CHECK(netns_setns(NETNS_NONE, 0) == -EBADF);
        CHECK(thread_ns_id() == fd_ns_id(home.fd));
    }
}

TEST_CASE("the Go package's README example, in C terms", "[capi]")
{
    netns::test::SetGuard keep;
    int fds = fd_count();
    int origns = netns_get();
    REQUIRE(origns >= 0);
    int newns = netns_new();
    REQUIRE(newns >= 0);
    CHECK(netns_equal(origns, newns) == 0);
    // A new namespace has only a loopback device.
    CHECK(netns::test::read_file("/proc/thread-self/net/dev").find("lo:") != std::string::npos);
    CHECK(netns::test::read_file("/proc/thread-self/net/dev").find("eth") == std::string::npos);
    REQUIRE(netns_set(origns) == 0);
    Handle now(netns_get());
    CHECK(netns_equal(now.fd, origns) == 1);
    CHECK(netns_close(&newns) == 0);
    CHECK(netns_close(&origns) == 0);
    CHECK(netns_is_open(origns) == 0);
    close(now.fd);
    now.fd = -1;
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_new_named creates, names and enters", "[named]")
{
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    int home = netns_get();
    REQUIRE(home >= 0);
    int fds = fd_count();
    NameGuard g{unique_name("create")};
    std::string path = default_dir + "/" + g.name;

    int h = netns_new_named(g.name.c_str());
    REQUIRE(h >= 0);
    CHECK(fcntl(h, F_GETFD) == FD_CLOEXEC);
    CHECK(thread_ns_id() == fd_ns_id(h));
    CHECK(netns_equal(h, home) == 0);
    CHECK(exists(path));
    CHECK(mounts_at(path) == 1);

    SECTION("netns_get_from_name finds it")
    {
        int again = netns_get_from_name(g.name.c_str());
        REQUIRE(again >= 0);
        CHECK(netns_equal(again, h) == 1);
        CHECK(netns_close(&again) == 0);
    }
    SECTION("a second create of the name: EEXIST, thread unmoved")
    {
        REQUIRE(netns_set(home) == 0);
        CHECK(netns_new_named(g.name.c_str()) == -EEXIST);
        CHECK(thread_ns_id() == fd_ns_id(home));
    }
    SECTION("the namespace outlives the creator's handle while named")
    {
        std::string id = fd_ns_id(h);
        REQUIRE(netns_set(home) == 0);
        REQUIRE(netns_close(&h) == 0);
        int again = netns_get_from_name(g.name.c_str());
        REQUIRE(again >= 0);
        CHECK(fd_ns_id(again) == id);
        close(again);
    }
    if (h >= 0)
        netns_close(&h);
    REQUIRE(netns_set(home) == 0);

    CHECK(netns_delete_named(g.name.c_str()) == 0);
    CHECK_FALSE(exists(path));
    CHECK(mounts_at(path) == 0);
    CHECK(netns_get_from_name(g.name.c_str()) == -ENOENT);
    CHECK(netns_delete_named(g.name.c_str()) == -ENOENT);
    close(home);
    CHECK(fd_count() == fds - 1);
}
