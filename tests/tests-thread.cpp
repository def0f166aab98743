// SPDX-License-Identifier: Apache-2.0
// The calling thread's namespace: read, switch, create, restore.
#include "catch.hpp"
#include "helpers.hpp"

#include "nsfd.hpp"
#include "sys.hpp"
#include "thread_ns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace netns::core;
using netns::test::fd_ns_id;
using netns::test::thread_ns_id;

TEST_CASE("current_netns is the calling thread's namespace", "[thread]")
{
    netns::test::ThreadNsKeeper keep;
    auto fd = current_netns();
    REQUIRE(fd.ok());
    CHECK(fd_ns_id(fd->get()) == thread_ns_id());
    CHECK(fcntl(fd->get(), F_GETFD) == FD_CLOEXEC);

    SECTION("it follows the thread, not the process")
    {
        REQUIRE(unshare(CLONE_NEWNET) == 0);
        auto moved = current_netns();
        REQUIRE(moved.ok());
        CHECK(fd_ns_id(moved->get()) == thread_ns_id());
        CHECK_FALSE(same_ns(moved->get(), fd->get()));
    }
    SECTION("a bad proc root")
    {
        CHECK(current_netns("/nonexistent").error() == ENOENT);
    }
}

TEST_CASE("process_netns opens another process's or thread's namespace", "[thread]")
{
    auto self = current_netns();
    REQUIRE(self.ok());
    auto mine = process_netns("/proc", getpid());
    REQUIRE(mine.ok());
    CHECK(same_ns(mine->get(), self->get()));
    auto thread = process_netns("/proc", getpid(), gettid());
    REQUIRE(thread.ok());
    CHECK(same_ns(thread->get(), self->get()));

    SECTION("bad ids")
    {
        CHECK(process_netns("/proc", 0).error() == EINVAL);
        CHECK(process_netns("/proc", -1).error() == EINVAL);
        CHECK(process_netns("/proc", getpid(), -1).error() == EINVAL);
    }
    SECTION("a dead pid")
    {
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        REQUIRE(child > 0);
        REQUIRE(waitpid(child, nullptr, 0) == child);
        int err = process_netns("/proc", child).error();
        CHECK((err == ENOENT || err == ESRCH));
    }
    SECTION("a tid that is not in that process")
    {
        CHECK(process_netns("/proc", getpid(), 0x3ffffff0).error() == ENOENT);
    }
}

TEST_CASE("enter_ns and NetnsRestorer", "[thread]")
{
    netns::test::ThreadNsKeeper keep;
    std::string home = thread_ns_id();
    auto fresh = [] {
        // A namespace to visit, made on another thread so ours stays put.
        UniqueFd fd;
        std::thread([&] {
            REQUIRE(unshare(CLONE_NEWNET) == 0);
            fd = std::move(current_netns()).value();
        }).join();
        return fd;
    }();
    REQUIRE(fresh);

    SECTION("enter moves the thread")
    {
        REQUIRE(enter_ns(fresh.get(), CLONE_NEWNET).ok());
        CHECK(thread_ns_id() == fd_ns_id(fresh.get()));
    }
    SECTION("the restorer moves it back")
    {
        {
            auto r = NetnsRestorer::save();
            REQUIRE(r.ok());
            REQUIRE(enter_ns(fresh.get(), CLONE_NEWNET).ok());
            CHECK(thread_ns_id() != home);
        }
        CHECK(thread_ns_id() == home);
    }
    SECTION("a dismissed restorer does not")
    {
        {
            auto r = NetnsRestorer::save();
            REQUIRE(enter_ns(fresh.get(), CLONE_NEWNET).ok());
            r->dismiss();
        }
        CHECK(thread_ns_id() == fd_ns_id(fresh.get()));
    }
    SECTION("errors")
    {
        CHECK(enter_ns(-1, CLONE_NEWNET).error() == EBADF);
        UniqueFd mnt(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
        CHECK(enter_ns(mnt.get(), CLONE_NEWNET).error() == EINVAL);
        UniqueFd file(open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        CHECK(enter_ns(file.get(), CLONE_NEWNET).error() == EINVAL);
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("create_netns makes a namespace and stays in it", "[thread]")
{
    netns::test::ThreadNsKeeper keep;
    std::string home = thread_ns_id();
    int fds = netns::test::fd_count();
    {
        auto fd = create_netns();
        REQUIRE(fd.ok());
        CHECK(thread_ns_id() == fd_ns_id(fd->get()));
        CHECK(thread_ns_id() != home);
    }
    CHECK(netns::test::fd_count() == fds);

    SECTION("a failure after unshare goes back")
    {
        netns::test::ThreadNsKeeper inner;
        std::string here = thread_ns_id();
        int count = netns::test::fd_count();
        // Calls: open(save), unshare, open(new). Fail the third.
        fault::arm(3, EMFILE);
        auto fd = create_netns();
        bool fired = fault::fired();
        fault::disarm();
        CHECK(fired);
        CHECK(fd.error() == EMFILE);
        CHECK(thread_ns_id() == here);
        CHECK(netns::test::fd_count() == count);
    }
}

TEST_CASE("namespace switches are per thread", "[thread]")
{
    netns::test::ThreadNsKeeper keep;
    std::string home = thread_ns_id();
    std::string other;
    std::thread([&] {
        auto fd = create_netns();
        REQUIRE(fd.ok());
        other = thread_ns_id();
    }).join();
    CHECK(other != home);
    CHECK(thread_ns_id() == home);
}
