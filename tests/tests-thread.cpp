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

TEST_CASE("get is the calling thread's namespace", "[thread]")
{
    netns::test::SetGuard keep;
    auto fd = get();
    REQUIRE(fd.ok());
    CHECK(fd_ns_id(fd->get()) == thread_ns_id());
    CHECK(fcntl(fd->get(), F_GETFD) == FD_CLOEXEC);

    SECTION("it follows the thread, not the process")
    {
        REQUIRE(unshare(CLONE_NEWNET) == 0);
        auto moved = get();
        REQUIRE(moved.ok());
        CHECK(fd_ns_id(moved->get()) == thread_ns_id());
        CHECK_FALSE(equal(moved->get(), fd->get()));
    }
    SECTION("a bad proc root")
    {
        CHECK(get("/nonexistent").error() == ENOENT);
    }
}

TEST_CASE("get_from_pid opens another process's or thread's namespace", "[thread]")
{
    auto self = get();
    REQUIRE(self.ok());
    auto mine = get_from_pid("/proc", getpid());
    REQUIRE(mine.ok());
    CHECK(equal(mine->get(), self->get()));
    auto thread = get_from_thread("/proc", getpid(), gettid());
    REQUIRE(thread.ok());
    CHECK(equal(thread->get(), self->get()));

    SECTION("bad ids")
    {
        CHECK(get_from_pid("/proc", 0).error() == EINVAL);
        CHECK(get_from_pid("/proc", -1).error() == EINVAL);
        CHECK(get_from_thread("/proc", getpid(), -1).error() == EINVAL);
    }
    SECTION("a dead pid")
    {
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        REQUIRE(child > 0);
        REQUIRE(waitpid(child, nullptr, 0) == child);
        int err = get_from_pid("/proc", child).error();
        CHECK((err == ENOENT || err == ESRCH));
    }
    SECTION("a tid that is not in that process")
    {
        CHECK(get_from_thread("/proc", getpid(), 0x3ffffff0).error() == ENOENT);
    }
}

TEST_CASE("setns and SetGuard", "[thread]")
{
    netns::test::SetGuard keep;
    std::string home = thread_ns_id();
    auto fresh = [] {
        // A namespace to visit, made on another thread so ours stays put.
        UniqueFd fd;
        std::thread([&] {
            REQUIRE(unshare(CLONE_NEWNET) == 0);
            fd = std::move(get()).value();
        }).join();
        return fd;
    }();
    REQUIRE(fresh);

    SECTION("enter moves the thread")
    {
        REQUIRE(set(fresh.get()).ok());
        CHECK(thread_ns_id() == fd_ns_id(fresh.get()));
    }
    SECTION("the restorer moves it back")
    {
        {
            auto r = SetGuard::save();
            REQUIRE(r.ok());
            REQUIRE(set(fresh.get()).ok());
            CHECK(thread_ns_id() != home);
        }
        CHECK(thread_ns_id() == home);
    }
    SECTION("a dismissed restorer does not")
    {
        {
            auto r = SetGuard::save();
            REQUIRE(set(fresh.get()).ok());
            r->dismiss();
        }
        CHECK(thread_ns_id() == fd_ns_id(fresh.get()));
    }
    SECTION("errors")
    {
        CHECK(set(-1).error() == EBADF);
        UniqueFd mnt(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
        CHECK(set(mnt.get()).error() == EINVAL);
        UniqueFd file(open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        CHECK(set(file.get()).error() == EINVAL);
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("new_ makes a namespace and stays in it", "[thread]")
{
    netns::test::SetGuard keep;
    std::string home = thread_ns_id();
    int fds = netns::test::fd_count();
    {
        auto fd = new_();
        REQUIRE(fd.ok());
        CHECK(thread_ns_id() == fd_ns_id(fd->get()));
        CHECK(thread_ns_id() != home);
    }
    CHECK(netns::test::fd_count() == fds);

    SECTION("a failure after unshare goes back")
    {
        netns::test::SetGuard inner;
        std::string here = thread_ns_id();
        int count = netns::test::fd_count();
        // Calls: open(save), unshare, open(new). Fail the third.
        fault::arm(3, EMFILE);
        auto fd = new_();
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
    netns::test::SetGuard keep;
    std::string home = thread_ns_id();
    std::string other;
    std::thread([&] {
        auto fd = new_();
        REQUIRE(fd.ok());
        other = thread_ns_id();
    }).join();
    CHECK(other != home);
    CHECK(thread_ns_id() == home);
}

// ---- fault injection ----
// The n-th system call of each entry point fails (support/fault_sweep.hpp).

#include "fault_sweep.hpp"

using netns::test::fault_errnos;
using netns::test::Scratch;
using netns::test::sweep;

TEST_CASE("fault: get, get_from_pid, get_from_thread", "[thread][fault]")
{
    Scratch scratch;
    const std::string none = scratch / "run";
    for (int err : fault_errnos) {
        auto swept = sweep({.what = "get", .scratch = scratch.path(), .run_dir = none,
                            .call = [] { return get().error(); }},
                           err);
        CHECK(swept.sites >= 1);
        swept = sweep({.what = "get_from_pid", .scratch = scratch.path(), .run_dir = none,
                       .call = [] { return get_from_pid("/proc", getpid()).error(); }},
                      err);
        CHECK(swept.sites >= 1);
        swept = sweep({.what = "get_from_thread", .scratch = scratch.path(), .run_dir = none,
                       .call = [] { return get_from_thread("/proc", getpid(), gettid()).error(); }},
                      err);
        CHECK(swept.sites >= 1);
    }
}

TEST_CASE("fault: set", "[thread][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    auto home = get();
    REQUIRE(home.ok());
    auto other = new_(); // moves this thread: go back
    REQUIRE(other.ok());
    REQUIRE(set(home->get()).ok());
    for (int err : fault_errnos) {
        auto swept = sweep({.what = "set",
                            .scratch = scratch.path(),
                            .run_dir = scratch / "run",
                            .call = [&] { return set(other->get()).error(); },
                            .on_success =
                                [&] {
                                    CHECK(thread_ns_id() == fd_ns_id(other->get()));
                                    REQUIRE(set(home->get()).ok());
                                }},
                           err);
        CHECK(swept.sites >= 1);
    }
}

TEST_CASE("fault: new_", "[thread][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    auto home_fd = get();
    REQUIRE(home_fd.ok());
    for (int err : fault_errnos) {
        UniqueFd made;
        auto swept = sweep({.what = "new_",
                            .scratch = scratch.path(),
                            .run_dir = scratch / "run",
                            .call =
                                [&] {
                                    auto r = new_();
                                    if (r)
                                        made = std::move(r).value();
                                    return r.error();
                                },
                            .on_success =
                                [&] {
                                    // The success: the thread moved into the new namespace.
                                    CHECK(thread_ns_id() == fd_ns_id(made.get()));
                                    CHECK(thread_ns_id() != home);
                                    REQUIRE(set(home_fd->get()).ok());
                                    made.reset();
                                }},
                           err);
        CHECK(swept.sites >= 3); // open (save), unshare, open (the handle)
        CHECK(thread_ns_id() == home);
    }
}
