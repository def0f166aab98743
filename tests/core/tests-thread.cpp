// SPDX-License-Identifier: Apache-2.0
// The calling thread's namespace: read, switch, create, restore.
#include "catch.hpp"
#include "helpers.hpp"

#include "nsfd.hpp"
#include "sys.hpp"
#include "thread_ns.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <functional>
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

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
    SECTION("a bad proc root") { CHECK(get("/nonexistent").error() == ENOENT); }
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

TEST_CASE("setns and Visit::save", "[thread]")
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
            auto r = Visit::save();
            REQUIRE(r.ok());
            REQUIRE(set(fresh.get()).ok());
            CHECK(thread_ns_id() != home);
        }
        CHECK(thread_ns_id() == home);
    }
    SECTION("a dismissed restorer does not")
    {
        {
            auto r = Visit::save();
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
using netns::test::keeping;
using netns::test::Scratch;
using netns::test::sweep;
using netns::test::WayBack;

TEST_CASE("fault: get, get_from_pid, get_from_thread", "[thread][fault]")
{
    Scratch scratch;
    const std::string none = scratch / "run";
    for (int err : fault_errnos) {
        auto swept = sweep({.what = "get",
                            .scratch = scratch.path(),
                            .run_dir = none,
                            .call = [] { return get().error(); }},
                           err);
        CHECK(swept.sites >= 1);
        swept = sweep({.what = "get_from_pid",
                       .scratch = scratch.path(),
                       .run_dir = none,
                       .call = [] { return get_from_pid("/proc", getpid()).error(); }},
                      err);
        CHECK(swept.sites >= 1);
        swept = sweep({.what = "get_from_thread",
                       .scratch = scratch.path(),
                       .run_dir = none,
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
                            .call = keeping(made, [&] { return new_(); }),
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

// ---- Visit and create (0.2) ----

namespace {

// A namespace made on a throwaway thread (the caller's never moves).
UniqueFd made_elsewhere()
{
    UniqueFd fd;
    std::thread([&] {
        if (unshare(CLONE_NEWNET) == 0)
            fd = std::move(get()).value();
    }).join();
    return fd;
}

} // namespace

TEST_CASE("Visit enters and leaves", "[thread][visit]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    const int fds = netns::test::fd_count();
    UniqueFd there = made_elsewhere();
    REQUIRE(there);

    for (bool check_return : {false, true}) {
        INFO("check_return " << check_return);
        {
            auto v = Visit::enter(there.get(), check_return);
            REQUIRE(v.ok());
            CHECK(thread_ns_id() == fd_ns_id(there.get()));
            CHECK(v->leave().ok());
            CHECK(thread_ns_id() == home);
        }
        CHECK(thread_ns_id() == home); // a left Visit does nothing more
        {
            auto v = Visit::enter(there.get(), check_return);
            REQUIRE(v.ok());
            CHECK(thread_ns_id() == fd_ns_id(there.get()));
        } // not left: the destructor moves the thread back
        CHECK(thread_ns_id() == home);
    }
    SECTION("leave goes back even when the work moved the thread elsewhere")
    {
        UniqueFd third = made_elsewhere();
        auto v = Visit::enter(there.get());
        REQUIRE(v.ok());
        REQUIRE(set(third.get()).ok());
        CHECK(v->leave().ok());
        CHECK(thread_ns_id() == home);
    }
    SECTION("nested visits")
    {
        UniqueFd third = made_elsewhere();
        auto outer = Visit::enter(there.get());
        REQUIRE(outer.ok());
        {
            auto inner = Visit::enter(third.get(), true);
            REQUIRE(inner.ok());
            CHECK(thread_ns_id() == fd_ns_id(third.get()));
            CHECK(inner->leave().ok());
        }
        CHECK(thread_ns_id() == fd_ns_id(there.get()));
        CHECK(outer->leave().ok());
        CHECK(thread_ns_id() == home);
    }
    SECTION("errors: the thread does not move")
    {
        CHECK(Visit::enter(-1).error() == EBADF);
        CHECK(Visit::enter(-1, true).error() == EBADF);
        UniqueFd file(open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        UniqueFd mnt(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
        for (bool check_return : {false, true}) {
            CHECK(Visit::enter(file.get(), check_return).error() == EINVAL);
            CHECK(Visit::enter(mnt.get(), check_return).error() == EINVAL);
        }
        CHECK(Visit::enter(there.get(), false, "/nonexistent").error() == ENOENT);
        CHECK(thread_ns_id() == home);
    }
    SECTION("a failed way back: ENOTRECOVERABLE, the thread stays, no second attempt")
    {
        {
            auto v = Visit::enter(there.get());
            REQUIRE(v.ok());
            fault::arm(1, EPERM); // leave's setns
            auto st = v->leave();
            const bool fired = fault::fired();
            fault::disarm();
            CHECK(fired);
            CHECK(st.error() == ENOTRECOVERABLE);
            CHECK(thread_ns_id() == fd_ns_id(there.get()));
        }
        // The destructor does not try again: the thread is still there.
        CHECK(thread_ns_id() == fd_ns_id(there.get()));
        // keep (the test's guard) takes it home.
    }
    there.reset();
    CHECK(netns::test::fd_count() == fds);
}

TEST_CASE("create makes a namespace without moving the thread", "[thread][create]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    const int fds = netns::test::fd_count();
    {
        auto a = create();
        REQUIRE(a.ok());
        auto b = create();
        REQUIRE(b.ok());
        CHECK(thread_ns_id() == home);
        CHECK(fcntl(a->get(), F_GETFD) == FD_CLOEXEC);
        CHECK(ns_type(a->get()).value() == CLONE_NEWNET);
        CHECK(fd_ns_id(a->get()) != home);
        CHECK(fd_ns_id(a->get()) != fd_ns_id(b->get()));
        CHECK(netns::test::fd_count() == fds + 2);
    }
    CHECK(netns::test::fd_count() == fds);
    SECTION("a bad proc root: the error, the thread unmoved")
    {
        CHECK(create("/nonexistent").error() == ENOENT);
        CHECK(thread_ns_id() == home);
        CHECK(netns::test::fd_count() == fds);
    }
    SECTION("from many threads at once")
    {
        std::vector<std::string> ids(8);
        // The last namespace of each thread stays open until the ids are
        // compared: a freed namespace's inode number may be reused.
        std::vector<UniqueFd> last(8);
        std::vector<std::thread> threads;
        std::atomic<int> moved{0};
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&, i] {
                const std::string mine = thread_ns_id();
                for (int k = 0; k < 10; ++k) {
                    auto r = create();
                    if (r && k == 9) {
                        last[i] = std::move(r).value();
                        ids[i] = fd_ns_id(last[i].get());
                    }
                }
                if (thread_ns_id() != mine)
                    ++moved;
            });
        for (auto &t : threads)
            t.join();
        CHECK(moved == 0);
        std::sort(ids.begin(), ids.end());
        CHECK(std::unique(ids.begin(), ids.end()) == ids.end());
        CHECK(ids[0] != "");
        last.clear();
        CHECK(netns::test::fd_count() == fds);
    }
}

namespace {

// What the signal handler below saw: where the thread was each time it ran.
char home_link[64];
std::atomic<int> handled{0};
std::atomic<int> strayed{0};

void note_where(int)
{
    // Async-signal-safe: readlink into a local buffer, atomics.
    const int saved = errno;
    char here[64] = {};
    ssize_t n = ::readlink("/proc/thread-self/ns/net", here, sizeof here - 1);
    if (n <= 0 || std::strcmp(here, home_link) != 0)
        ++strayed;
    ++handled;
    errno = saved;
}

// Runs `make` `times` times on this thread while another thread sends it
// SIGUSR1 every 20 microseconds; returns how often the handler found the
// thread outside its namespace. handled counts the handler's runs.
int strays_while(const std::function<void()> &make, int times)
{
    ssize_t n = ::readlink("/proc/thread-self/ns/net", home_link, sizeof home_link - 1);
    REQUIRE(n > 0);
    home_link[n] = '\0';
    handled = 0;
    strayed = 0;
    struct sigaction sa {
    }, old{};
    sa.sa_handler = note_where;
    sigemptyset(&sa.sa_mask);
    REQUIRE(sigaction(SIGUSR1, &sa, &old) == 0);
    const pthread_t me = pthread_self();
    std::atomic<bool> stop{false};
    std::thread pester([&] {
        const struct timespec pause = {0, 20 * 1000};
        while (!stop) {
            (void)pthread_kill(me, SIGUSR1);
            nanosleep(&pause, nullptr);
        }
    });
    for (int i = 0; i < times; ++i)
        make();
    stop = true;
    pester.join();
    // Take any signal still pending before the old disposition is back.
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, nullptr);
    REQUIRE(sigaction(SIGUSR1, &old, nullptr) == 0);
    const struct timespec zero = {0, 0};
    while (sigtimedwait(&usr1, nullptr, &zero) == SIGUSR1) {
    }
    pthread_sigmask(SIG_UNBLOCK, &usr1, nullptr);
    return strayed;
}

} // namespace

TEST_CASE("create in place: no signal handler runs outside the thread's namespace",
          "[thread][create]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    sigset_t mask_before;
    REQUIRE(pthread_sigmask(SIG_BLOCK, nullptr, &mask_before) == 0);
    int cancel_before = -1;
    REQUIRE(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &cancel_before) == 0);
    REQUIRE(pthread_setcancelstate(cancel_before, nullptr) == 0);

    const int strays = strays_while(
        [] {
            auto made = create_in_place();
            REQUIRE(made.ok());
        },
        20);
    INFO("the handler ran " << handled << " times");
    CHECK(handled > 0); // delivered once the window closed
    CHECK(strays == 0);
    CHECK(thread_ns_id() == home);
    // The mask and the cancellation state are the caller's again.
    sigset_t mask_after;
    REQUIRE(pthread_sigmask(SIG_BLOCK, nullptr, &mask_after) == 0);
    for (int sig = 1; sig < NSIG; ++sig)
        CHECK(sigismember(&mask_after, sig) == sigismember(&mask_before, sig));
    int cancel_after = -1;
    REQUIRE(pthread_setcancelstate(cancel_before, &cancel_after) == 0);
    CHECK(cancel_after == cancel_before);

    SECTION("the control: the same calls by hand, signals open, are seen outside")
    {
        auto home_fd = get();
        REQUIRE(home_fd.ok());
        const int seen = strays_while(
            [&] {
                REQUIRE(::unshare(CLONE_NEWNET) == 0);
                UniqueFd made(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
                REQUIRE(::setns(home_fd->get(), CLONE_NEWNET) == 0);
            },
            20);
        INFO("the handler ran " << handled << " times");
        CHECK(seen > 0); // the test can see a stray handler
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("create in place and on a helper thread give the same", "[thread][create]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    const int fds = netns::test::fd_count();
    for (auto on : {CreateOn::caller, CreateOn::helper}) {
        auto made = create(default_proc_root, on);
        REQUIRE(made.ok());
        CHECK(thread_ns_id() == home);
        CHECK(fcntl(made->get(), F_GETFD) == FD_CLOEXEC);
        CHECK(ns_type(made->get()).value() == CLONE_NEWNET);
        CHECK(fd_ns_id(made->get()) != home);
        CHECK(create("/nonexistent", on).error() == ENOENT);
        CHECK(thread_ns_id() == home);
    }
    {
        auto a = create_in_place();
        auto b = create_on_helper();
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        CHECK(fd_ns_id(a->get()) != fd_ns_id(b->get()));
    }
    CHECK(netns::test::fd_count() == fds);
}

TEST_CASE("fault: Visit", "[thread][visit][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    WayBack back;
    const std::string &home = back.home;
    UniqueFd there = made_elsewhere();
    REQUIRE(there);
    for (bool check_return : {false, true}) {
        for (int err : fault_errnos) {
            back.unrecoverable = 0;
            auto swept = sweep({.what = check_return ? "Visit (checking the way back)" : "Visit",
                                .scratch = scratch.path(),
                                .run_dir = scratch / "run",
                                .call =
                                    [&] {
                                        auto v = Visit::enter(there.get(), check_return);
                                        if (!v)
                                            return v.error();
                                        if (thread_ns_id() != fd_ns_id(there.get()))
                                            return -1;
                                        auto st = v->leave();
                                        // The documented state: still inside.
                                        back.after(st.error(), fd_ns_id(there.get()));
                                        return st.error();
                                    },
                                .on_success = [&] { CHECK(thread_ns_id() == home); },
                                .may_report_as = ENOTRECOVERABLE},
                               err);
            // open (home), [setns (check)], setns (in), setns (back)
            CHECK(swept.sites == (check_return ? 4u : 3u));
            CHECK(back.unrecoverable == 1); // only the last site
            CHECK(thread_ns_id() == home);
        }
    }
}

TEST_CASE("fault: create, in place", "[thread][create][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    WayBack back;
    const std::string &home = back.home;
    for (int err : fault_errnos) {
        UniqueFd made;
        back.unrecoverable = 0;
        auto swept = sweep({.what = "create (in place)",
                            .scratch = scratch.path(),
                            .run_dir = scratch / "run",
                            .call =
                                [&] {
                                    auto r = create();
                                    if (r && fault::fired()) {
                                        // ENOMEM on the way back, retried: home, and a
                                        // namespace that is not home's.
                                        CHECK(thread_ns_id() == home);
                                        CHECK(fd_ns_id(r->get()) != home);
                                        return 0; // r closes it
                                    }
                                    if (r)
                                        made = std::move(r).value();
                                    // The documented state: left in the new namespace.
                                    back.after(r.error());
                                    return r.error();
                                },
                            .on_success =
                                [&] {
                                    CHECK(thread_ns_id() == home);
                                    CHECK(fd_ns_id(made.get()) != home);
                                    made.reset();
                                },
                            .may_absorb = err == ENOMEM,
                            .may_report_as = ENOTRECOVERABLE},
                           err);
        // open (home), setns (the check), unshare, open (the handle), setns
        // (back): a failure at any of the first four leaves the thread home;
        // the way back retries ENOMEM (the one failure the kernel can still
        // give there after the check) and says ENOTRECOVERABLE for any other.
        CHECK(swept.sites == 5);
        CHECK(swept.absorbed == (err == ENOMEM ? 1u : 0u));
        CHECK(back.unrecoverable == (err == ENOMEM ? 0u : 1u));
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("fault: create, on a helper thread", "[thread][create][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    for (int err : fault_errnos) {
        UniqueFd made;
        auto swept = sweep(
            {.what = "create (helper thread)",
             .scratch = scratch.path(),
             .run_dir = scratch / "run",
             .call = keeping(made, [&] { return create(default_proc_root, CreateOn::helper); }),
             .on_success =
                 [&] {
                     CHECK(thread_ns_id() == home);
                     CHECK(fd_ns_id(made.get()) != home);
                     made.reset();
                 }},
            err);
        CHECK(swept.sites == 3); // the helper thread's start, unshare, open
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("create: a refused way back sends it to a helper thread", "[thread][create][fault]")
{
    netns::test::Disarm disarm;
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    const int fds = netns::test::fd_count();
    // 2: the check's setns; 3: unshare in place (the helper's says the same
    // EPERM to a caller that really lacks the privilege).
    for (unsigned site : {2u, 3u}) {
        INFO("EPERM at wrapped call #" << site);
        {
            fault::arm(site, EPERM);
            auto in_place = create_in_place();
            CHECK(fault::fired());
            fault::disarm();
            CHECK(in_place.error() == EPERM);
            CHECK(thread_ns_id() == home);
        }
        fault::arm(site, EPERM);
        auto made = create();
        const bool fired = fault::fired();
        const unsigned calls = fault::calls();
        fault::disarm();
        CHECK(fired);
        CHECK(calls == site);
        // create_in_place said EPERM to the same failure (above): the
        // namespace came from the helper thread.
        REQUIRE(made.ok());
        CHECK(thread_ns_id() == home);
        CHECK(ns_type(made->get()).value() == CLONE_NEWNET);
        CHECK(fd_ns_id(made->get()) != home);
    }
    CHECK(netns::test::fd_count() == fds);
}
