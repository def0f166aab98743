// SPDX-License-Identifier: Apache-2.0
// Doing work inside a namespace (src/run.hpp): run (on the calling thread,
// there and back), run_isolated (on a thread of its own) and socket.
#include "catch.hpp"
#include "helpers.hpp"

#include "nsfd.hpp"
#include "run.hpp"
#include "sys.hpp"
#include "thread_ns.hpp"

#include <atomic>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <string>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace netns::core;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::thread_ns_id;

namespace {

// A namespace made without moving the calling thread.
UniqueFd fresh()
{
    auto fd = create();
    REQUIRE(fd.ok());
    return std::move(fd).value();
}

// What a function run inside saw.
struct Seen {
    std::string ns;
    pid_t tid = 0;
    int calls = 0;
};

int record(void *p)
{
    auto *s = static_cast<Seen *>(p);
    s->ns = thread_ns_id();
    s->tid = gettid();
    ++s->calls;
    return 42;
}

} // namespace

TEST_CASE("run calls fn inside ns on the calling thread and comes back", "[run]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    UniqueFd ns = fresh();
    const int fds = fd_count();

    Seen seen;
    int result = 0;
    REQUIRE(run(ns.get(), record, &seen, &result).ok());
    CHECK(result == 42);
    CHECK(seen.calls == 1);
    CHECK(seen.ns == fd_ns_id(ns.get()));
    CHECK(seen.tid == gettid());
    CHECK(thread_ns_id() == home);
    // A NULL result is allowed.
    REQUIRE(run(ns.get(), record, &seen, nullptr).ok());
    CHECK(seen.calls == 2);
    CHECK(fd_count() == fds);

    SECTION("nested three deep over three namespaces")
    {
        UniqueFd b = fresh(), c = fresh();
        struct Level {
            std::vector<int> nss;
            size_t depth = 0;
            std::vector<std::string> seen;
            bool all_back = true;
        } lv{{ns.get(), b.get(), c.get()}, 0, {}, true};
        // Each level checks where it is, runs the next, and checks it is back.
        struct Rec {
            static int go(void *p)
            {
                auto *l = static_cast<Level *>(p);
                l->seen.push_back(thread_ns_id());
                const size_t d = ++l->depth;
                if (d < l->nss.size()) {
                    const std::string here = thread_ns_id();
                    int inner = 0;
                    if (!run(l->nss[d], go, p, &inner).ok() || thread_ns_id() != here)
                        l->all_back = false;
                }
                return static_cast<int>(d);
            }
        };
        int r = 0;
        REQUIRE(run(ns.get(), Rec::go, &lv, &r).ok());
        CHECK(r == 1);
        CHECK(lv.all_back);
        REQUIRE(lv.seen.size() == 3);
        CHECK(lv.seen[0] == fd_ns_id(ns.get()));
        CHECK(lv.seen[1] == fd_ns_id(b.get()));
        CHECK(lv.seen[2] == fd_ns_id(c.get()));
        CHECK(thread_ns_id() == home);
    }
    SECTION("fn moving the thread itself: still back home afterwards")
    {
        UniqueFd other = fresh();
        int target = other.get();
        int r = 0;
        REQUIRE(run(
                    ns.get(), [](void *p) { return set(*static_cast<int *>(p)).ok() ? 0 : 1; },
                    &target, &r)
                    .ok());
        CHECK(r == 0);
        CHECK(thread_ns_id() == home);
    }
    SECTION("errors: fn not run, thread unmoved")
    {
        Seen none;
        UniqueFd file(::open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        CHECK(run(ns.get(), nullptr, nullptr, nullptr).error() == EINVAL);
        CHECK(run(-1, record, &none, nullptr).error() == EBADF);
        CHECK(run(file.get(), record, &none, nullptr).error() == EINVAL);
        CHECK(run(ns.get(), record, &none, nullptr, "/nonexistent").error() == ENOENT);
        CHECK(none.calls == 0);
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("run: a forced switch-back failure is ENOTRECOVERABLE", "[run][fault]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    auto home_fd = get();
    REQUIRE(home_fd.ok());
    UniqueFd ns = fresh();
    const int fds = fd_count();

    // Wrapped calls of run: open (home), setns (in), setns (back).
    Seen seen;
    int result = 0;
    fault::arm(3, EPERM);
    auto st = run(ns.get(), record, &seen, &result);
    const bool fired = fault::fired();
    fault::disarm();
    CHECK(fired);
    CHECK(st.error() == ENOTRECOVERABLE);
    // fn ran and its result is stored; the thread is where fn left it.
    CHECK(seen.calls == 1);
    CHECK(result == 42);
    CHECK(thread_ns_id() == fd_ns_id(ns.get()));
    // No descriptor is kept for a later attempt.
    CHECK(fd_count() == fds);
    // The test restores the thread itself.
    REQUIRE(::setns(home_fd->get(), CLONE_NEWNET) == 0);
    CHECK(thread_ns_id() == home);

    SECTION("socket: the same, and no socket left")
    {
        // socket's calls: open (home), setns (the way-back check), setns
        // (in), socket, setns (back).
        fault::arm(5, ENOMEM);
        auto s = netns::core::socket(ns.get(), AF_INET, SOCK_DGRAM, 0);
        const bool f = fault::fired();
        fault::disarm();
        CHECK(f);
        CHECK(s.error() == ENOTRECOVERABLE);
        CHECK(thread_ns_id() == fd_ns_id(ns.get()));
        CHECK(fd_count() == fds);
        REQUIRE(::setns(home_fd->get(), CLONE_NEWNET) == 0);
    }
}

TEST_CASE("run_isolated runs fn on a thread of its own", "[run][isolated]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    UniqueFd ns = fresh();
    const int fds = fd_count();
    const int threads = netns::test::thread_count();

    Seen seen;
    int result = 0;
    REQUIRE(run_isolated(ns.get(), record, &seen, &result).ok());
    CHECK(result == 42);
    CHECK(seen.ns == fd_ns_id(ns.get()));
    CHECK(seen.tid != gettid());
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(netns::test::threads_settle_to(threads));

    SECTION("what fn does to its thread does not outlive it")
    {
        int r = 0;
        REQUIRE(run_isolated(
                    ns.get(), [](void *) { return ::unshare(CLONE_NEWNET); }, nullptr, &r)
                    .ok());
        CHECK(r == 0);
        CHECK(thread_ns_id() == home);
    }
    SECTION("nested in run, and run nested in it")
    {
        UniqueFd b = fresh();
        struct Pair {
            int b;
            std::string seen;
        } p{b.get(), {}};
        int r = 0;
        REQUIRE(run(
                    ns.get(),
                    [](void *v) {
                        auto *pp = static_cast<Pair *>(v);
                        int inner = 0;
                        return run_isolated(
                                   pp->b,
                                   [](void *w) {
                                       static_cast<Pair *>(w)->seen = thread_ns_id();
                                       return 7;
                                   },
                                   pp, &inner)
                                       .ok()
                                   ? inner
                                   : -1;
                    },
                    &p, &r)
                    .ok());
        CHECK(r == 7);
        CHECK(p.seen == fd_ns_id(b.get()));
        CHECK(thread_ns_id() == home);
    }
    SECTION("200 concurrent calls from 8 threads")
    {
        UniqueFd b = fresh();
        const int nss[2] = {ns.get(), b.get()};
        const std::string ids[2] = {fd_ns_id(ns.get()), fd_ns_id(b.get())};
        std::atomic<int> bad{0};
        std::vector<std::thread> ts;
        for (int t = 0; t < 8; ++t)
            ts.emplace_back([&, t] {
                const std::string mine = thread_ns_id();
                for (int i = 0; i < 25; ++i) {
                    Seen s;
                    int r = 0;
                    const int w = (t + i) % 2;
                    if (!run_isolated(nss[w], record, &s, &r).ok() || r != 42 || s.ns != ids[w])
                        ++bad;
                    if (thread_ns_id() != mine)
                        ++bad;
                }
            });
        for (auto &t : ts)
            t.join();
        CHECK(bad == 0);
        CHECK(netns::test::threads_settle_to(threads));
    }
    SECTION("errors: fn not run")
    {
        Seen none;
        UniqueFd file(::open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        CHECK(run_isolated(ns.get(), nullptr, nullptr, nullptr).error() == EINVAL);
        CHECK(run_isolated(-1, record, &none, nullptr).error() == EBADF);
        CHECK(run_isolated(file.get(), record, &none, nullptr).error() == EINVAL);
        CHECK(none.calls == 0);
        CHECK(thread_ns_id() == home);
        CHECK(netns::test::threads_settle_to(threads));
    }
    CHECK(fd_count() == fds);
}

TEST_CASE("socket makes a socket inside ns", "[run][socket]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    UniqueFd ns = fresh();
    const int fds = fd_count();

    auto s = netns::core::socket(ns.get(), AF_INET, SOCK_DGRAM, 0);
    REQUIRE(s.ok());
    CHECK(thread_ns_id() == home);
    CHECK(fcntl(s->get(), F_GETFD) == FD_CLOEXEC);
    // The socket's namespace (SIOCGSKNS) is ns.
    int sk_ns = ::ioctl(s->get(), SIOCGSKNS);
    REQUIRE(sk_ns >= 0);
    CHECK(equal(sk_ns, ns.get()));
    ::close(sk_ns);
    s = Error{EBADF};

    SECTION("errors: nothing left, thread unmoved")
    {
        UniqueFd file(::open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        CHECK(netns::core::socket(-1, AF_INET, SOCK_DGRAM, 0).error() == EBADF);
        CHECK(netns::core::socket(file.get(), AF_INET, SOCK_DGRAM, 0).error() == EINVAL);
        CHECK(netns::core::socket(ns.get(), AF_INET, 12345, 0).error() == EINVAL);
        CHECK(netns::core::socket(ns.get(), 12345, SOCK_DGRAM, 0).error() == EAFNOSUPPORT);
        CHECK(netns::core::socket(ns.get(), AF_INET, SOCK_DGRAM, IPPROTO_TCP).error() ==
              EPROTONOSUPPORT);
        CHECK(thread_ns_id() == home);
    }
    CHECK(fd_count() == fds);
}

// ---- fault injection ----
// The n-th system call of each entry point fails (support/fault_sweep.hpp).
// A failure of the way back is ENOTRECOVERABLE by contract: each sweep
// checks it happens only there, and puts the thread back itself.

#include "fault_sweep.hpp"

using netns::test::fault_errnos;
using netns::test::keeping;
using netns::test::Scratch;
using netns::test::sweep;
using netns::test::WayBack;

TEST_CASE("fault: run", "[run][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    WayBack back;
    UniqueFd ns = fresh();
    for (int err : fault_errnos) {
        Seen seen;
        auto swept = back.sweep({.what = "run",
                                 .scratch = scratch.path(),
                                 .run_dir = scratch / "run",
                                 .prepare = [&] { seen = Seen{}; },
                                 .call =
                                     [&] {
                                         int result = 0;
                                         auto st = run(ns.get(), record, &seen, &result);
                                         if (st.error() == ENOTRECOVERABLE) {
                                             CHECK(seen.calls == 1);
                                             CHECK(result == 42);
                                         } else if (!st) {
                                             CHECK(seen.calls == 0); // fn did not run
                                         }
                                         return st.error();
                                     },
                                 .on_success =
                                     [&] {
                                         CHECK(seen.calls == 1);
                                         CHECK(seen.ns == fd_ns_id(ns.get()));
                                     }},
                                err, fd_ns_id(ns.get()));
        CHECK(swept.sites == 3); // open (home), setns (in), setns (back)
    }
}

TEST_CASE("fault: run_isolated", "[run][isolated][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    UniqueFd ns = fresh();
    const int threads = netns::test::thread_count();
    for (int err : fault_errnos) {
        Seen seen;
        auto swept = sweep({.what = "run_isolated",
                            .scratch = scratch.path(),
                            .run_dir = scratch / "run",
                            .prepare = [&] { seen = Seen{}; },
                            .call =
                                [&] {
                                    auto st = run_isolated(ns.get(), record, &seen, nullptr);
                                    if (!st)
                                        CHECK(seen.calls == 0);
                                    return st.error();
                                },
                            .on_success =
                                [&] {
                                    CHECK(seen.calls == 1);
                                    CHECK(seen.ns == fd_ns_id(ns.get()));
                                }},
                           err);
        CHECK(swept.sites == 2); // the thread's start, setns
        CHECK(thread_ns_id() == home);
        CHECK(netns::test::threads_settle_to(threads));
    }
}

TEST_CASE("fault: socket", "[run][socket][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    WayBack back;
    UniqueFd ns = fresh();
    for (int err : fault_errnos) {
        UniqueFd made;
        auto swept = back.sweep(
            {.what = "socket",
             .scratch = scratch.path(),
             .run_dir = scratch / "run",
             .call = keeping(
                 made, [&] { return netns::core::socket(ns.get(), AF_INET, SOCK_STREAM, 0); }),
             .on_success =
                 [&] {
                     int sk_ns = ::ioctl(made.get(), SIOCGSKNS);
                     CHECK(sk_ns >= 0);
                     if (sk_ns >= 0) {
                         CHECK(equal(sk_ns, ns.get()));
                         ::close(sk_ns);
                     }
                     made.reset();
                 }},
            err, fd_ns_id(ns.get()));
        // open (home), setns (the way-back check), setns (in), socket,
        // setns (back)
        CHECK(swept.sites == 5);
    }
}
