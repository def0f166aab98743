// SPDX-License-Identifier: Apache-2.0
// The monitor of a run directory, on real directories, mounts and
// namespaces: adds only once mounted, deletes, a run dir that is missing,
// removed, replaced or mounted over, an overflowing inotify queue, a
// callback that stops, bad descriptors, and the fault-injection sweeps.
#include "catch.hpp"
#include "fault_sweep.hpp"
#include "helpers.hpp"

#include "monitor.hpp"
#include "names.hpp"
#include "persist.hpp"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <string>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace netns::core;
using netns::test::exists;
using netns::test::fault_errnos;
using netns::test::fd_count;
using netns::test::have_program;
using netns::test::run_command;
using netns::test::Scratch;
using netns::test::sweep;
using netns::test::TempDir;
using netns::test::unique_name;
using netns::test::UnmountAtExit;

namespace {

using Events = std::vector<std::string>; // "+name" for an add, "-name" for a delete

int collect(int event, const char *name, void *arg)
{
    static_cast<Events *>(arg)->push_back((event == event_add   ? "+"
                                           : event == event_del ? "-"
                                                                : "?") +
                                          std::string(name));
    return 0;
}

// One read: its events (REQUIREs success).
Events read_events(int fd)
{
    Events out;
    auto n = monitor_read(fd, collect, &out);
    REQUIRE(n.ok());
    CHECK(*n == static_cast<int>(out.size()));
    return out;
}

// Whether fd becomes readable within ms.
bool readable(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    return ::poll(&p, 1, ms) == 1 && (p.revents & POLLIN) != 0;
}

// A monitor that is closed (and unregistered) at scope exit.
struct Mon {
    int fd = -1;
    explicit Mon(const std::string &dir)
    {
        auto m = monitor_open(dir);
        REQUIRE(m.ok());
        fd = m->release();
    }
    struct Adopt {};
    Mon(Adopt, int adopted) : fd(adopted) {}
    ~Mon()
    {
        if (fd >= 0)
            (void)monitor_close(fd);
    }
    Mon(const Mon &) = delete;
    Mon &operator=(const Mon &) = delete;
};

// An empty entry, as `ip netns add` makes it before mounting.
void touch(const std::string &path)
{
    int f = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    REQUIRE(f >= 0);
    ::close(f);
}

// A plain bind mount of the calling thread's namespace, as `mount --bind`.
void bind_ns(const std::string &path)
{
    REQUIRE(::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) == 0);
}

void unmount_and_remove(const std::string &path)
{
    REQUIRE(::umount2(path.c_str(), MNT_DETACH) == 0);
    REQUIRE(::unlink(path.c_str()) == 0);
}

// A run dir of its own under a scratch directory; every mount under it is
// taken down at scope exit.
struct RunDir {
    Scratch scratch;
    std::string dir = scratch / "netns";
    RunDirs dirs{dir, {}};
    std::string operator/(const std::string &name) const { return dir + "/" + name; }
};

} // namespace

TEST_CASE("monitor: an add is reported once the entry is mounted, not when its file appears",
          "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    const size_t registered = monitor_count();
    Mon m(run.dir);
    CHECK(monitor_count() == registered + 1);
    CHECK(read_events(m.fd).empty());

    const std::string path = run / "plain";
    touch(path);
    CHECK(readable(m.fd, 2000)); // the inotify event
    CHECK(read_events(m.fd).empty());
    CHECK_FALSE(readable(m.fd, 0)); // the read took the readiness down

    bind_ns(path); // makes no inotify event: the mount table wakes the poller
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"+plain"});
    CHECK(read_events(m.fd).empty());

    unmount_and_remove(path);
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"-plain"});
}

TEST_CASE("monitor: names made and removed by the library, in order", "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    Mon m(run.dir);
    std::vector<std::string> names;
    for (int i = 0; i < 5; ++i) {
        names.push_back("lib" + std::to_string(i));
        REQUIRE(create_named(run.dirs, names.back()).ok());
    }
    CHECK(delete_named(run.dirs, "lib1").ok());
    CHECK(delete_named(run.dirs, "lib3").ok());
    CHECK(readable(m.fd, 2000));
    Events got = read_events(m.fd);
    // A name made and removed before the read could look at it shows as
    // an add and a delete, in order.
    CHECK(got == Events{"+lib0", "+lib1", "+lib2", "+lib3", "+lib4", "-lib1", "-lib3"});
    for (const char *n : {"lib0", "lib2", "lib4"})
        CHECK(delete_named(run.dirs, n).ok());
    CHECK(read_events(m.fd) == Events{"-lib0", "-lib2", "-lib4"});
}

TEST_CASE("monitor: a name reused at once is reported each time", "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    Mon m(run.dir);
    REQUIRE(create_named(run.dirs, "again").ok());
    REQUIRE(delete_named(run.dirs, "again").ok());
    REQUIRE(create_named(run.dirs, "again").ok());
    CHECK(read_events(m.fd) == Events{"+again", "-again", "+again"});
    REQUIRE(delete_named(run.dirs, "again").ok());
    REQUIRE(create_named(run.dirs, "again").ok());
    REQUIRE(delete_named(run.dirs, "again").ok());
    CHECK(read_events(m.fd) == Events{"-again", "+again", "-again"});
}

TEST_CASE("monitor: names there at open are not reported, their removal is", "[monitor]")
{
    RunDir run;
    REQUIRE(create_named(run.dirs, "old").ok());
    touch(run / "stale"); // a leftover file, mounted later by hand
    Mon m(run.dir);
    CHECK(read_events(m.fd).empty());
    bind_ns(run / "stale");
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"+stale"});
    REQUIRE(delete_named(run.dirs, "old").ok());
    REQUIRE(delete_named(run.dirs, "stale").ok());
    CHECK(read_events(m.fd) == Events{"-old", "-stale"});
}

TEST_CASE("monitor: entries never mounted are never reported", "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    Mon m(run.dir);
    touch(run / "never");
    CHECK(read_events(m.fd).empty());
    REQUIRE(::unlink((run / "never").c_str()) == 0);
    CHECK(read_events(m.fd).empty());
    // Made and removed between two reads, with no mount anywhere meanwhile.
    touch(run / "never2");
    REQUIRE(::unlink((run / "never2").c_str()) == 0);
    CHECK(read_events(m.fd).empty());
    // Directories and symbolic links are not names.
    REQUIRE(::mkdir((run / "subdir").c_str(), 0755) == 0);
    REQUIRE(::symlink("/proc/self/ns/net", (run / "link").c_str()) == 0);
    CHECK(read_events(m.fd).empty());
}

TEST_CASE("monitor: a run dir missing at open, made later, removed and made again", "[monitor]")
{
    RunDir run;
    const std::string deep = run.scratch / "a/b/netns";
    const RunDirs dirs{deep, {}};
    Mon m(deep); // three components missing
    CHECK(read_events(m.fd).empty());
    REQUIRE(create_named(dirs, "first").ok()); // mkdir -p, then the name
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"+first"});

    REQUIRE(delete_named(dirs, "first").ok());
    // The library's self-bind of the run dir must go before rmdir.
    netns::test::unmount_under(deep);
    REQUIRE(::rmdir(deep.c_str()) == 0);
    REQUIRE(::rmdir((run.scratch / "a/b").c_str()) == 0);
    CHECK(read_events(m.fd) == Events{"-first"});

    REQUIRE(create_named(dirs, "second").ok());
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"+second"});
    REQUIRE(delete_named(dirs, "second").ok());
    CHECK(read_events(m.fd) == Events{"-second"});
}

TEST_CASE("monitor: names made right after the missing run dir appears are reported", "[monitor]")
{
    // monitor_open finds the run dir missing, watches its parent, sees the
    // run dir there and moves the watch onto it: whatever was made in it
    // meanwhile had no event of its own. The run dir appearing at that
    // moment is an injected ENOENT on the first watch of the run dir (the
    // first wrapped call whose ENOENT monitor_open survives); its name
    // must be reported once.
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    touch(run / "early");
    bind_ns(run / "early");
    int found = 0;
    for (unsigned n = 1; n < 32 && found == 0; ++n) {
        netns::core::fault::arm(n, ENOENT);
        auto opened = monitor_open(run.dir);
        const bool fired = netns::core::fault::fired();
        netns::core::fault::disarm();
        if (!opened)
            continue;
        REQUIRE(fired);
        Mon m(Mon::Adopt{}, opened->release());
        found = static_cast<int>(n);
        CHECK(read_events(m.fd) == Events{"+early"});
        CHECK(read_events(m.fd).empty()); // once
        unmount_and_remove(run / "early");
        CHECK(read_events(m.fd) == Events{"-early"});
    }
    CHECK(found > 0);
}

TEST_CASE("monitor: a run dir made and used at once after open", "[monitor]")
{
    // The run dir and a name made right after the monitor opened on its
    // missing run dir: the name is reported once, every time.
    for (int round = 0; round < 50; ++round) {
        RunDir run;
        Mon m(run.dir);
        REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
        const std::string name = "n" + std::to_string(round);
        touch(run / name);
        bind_ns(run / name);
        Events got;
        for (int i = 0; i < 100 && got.empty(); ++i)
            if (readable(m.fd, 20))
                got = read_events(m.fd);
        CHECK(got == Events{"+" + name});
        CHECK(read_events(m.fd).empty());
        unmount_and_remove(run / name);
    }
}

TEST_CASE("monitor: a run dir renamed away and another put in its place", "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    const std::string other = run.scratch / "other";
    REQUIRE(::mkdir(other.c_str(), 0755) == 0);
    touch(other + "/there");
    bind_ns(other + "/there");
    Mon m(run.dir);
    touch(run / "here");
    bind_ns(run / "here");
    CHECK(read_events(m.fd) == Events{"+here"});
    // Swap: "here" leaves the path, "there" arrives on it.
    const std::string aside = run.scratch / "aside";
    REQUIRE(::rename(run.dir.c_str(), aside.c_str()) == 0);
    REQUIRE(::rename(other.c_str(), run.dir.c_str()) == 0);
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"-here", "+there"});
    // And the new directory is the one watched now.
    touch(run / "new");
    bind_ns(run / "new");
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"+new"});
}

TEST_CASE("monitor: a directory mounted over the run dir, and taken off again", "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    Mon m(run.dir);
    touch(run / "below");
    bind_ns(run / "below");
    CHECK(read_events(m.fd) == Events{"+below"});

    REQUIRE(::mount("tmpfs", run.dir.c_str(), "tmpfs", 0, "mode=0755") == 0);
    CHECK(readable(m.fd, 2000)); // no inotify event: the mount table says it
    CHECK(read_events(m.fd) == Events{"-below"});
    touch(run / "above");
    bind_ns(run / "above");
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"+above"});

    REQUIRE(::umount2(run.dir.c_str(), MNT_DETACH) == 0); // the tmpfs, and "above" on it
    CHECK(readable(m.fd, 2000));
    CHECK(read_events(m.fd) == Events{"-above", "+below"});
}

TEST_CASE("monitor: an overflowing inotify queue is made up for by comparing the names",
          "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    touch(run / "gone");
    bind_ns(run / "gone");
    Mon m(run.dir);
    // More events than the queue holds (each round makes two).
    long max_queued = 16384;
    std::ifstream("/proc/sys/fs/inotify/max_queued_events") >> max_queued;
    INFO("max_queued_events " << max_queued);
    REQUIRE(max_queued < 1000000);
    const long rounds = max_queued / 2 + 10;
    const std::string churn = run / "churn";
    for (long i = 0; i < rounds; ++i) {
        int f = ::open(churn.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0);
        REQUIRE(f >= 0);
        ::close(f);
        REQUIRE(::unlink(churn.c_str()) == 0);
    }
    // Their events are lost: only the comparison can report these.
    unmount_and_remove(run / "gone");
    touch(run / "late");
    bind_ns(run / "late");
    Events got = read_events(m.fd);
    Events mine;
    long churned = 0;
    for (auto &e : got)
        if (e.substr(1) == "churn")
            ++churned;
        else
            mine.push_back(e);
    CHECK(mine == Events{"-gone", "+late"});
    // The churn's removals came after mounts, so each one that was queued
    // shows as an add and a delete: fewer than were made.
    CHECK(churned % 2 == 0);
    CHECK(churned < 2 * rounds);
    touch(run / "after");
    bind_ns(run / "after");
    CHECK(read_events(m.fd) == Events{"+after"});
}

TEST_CASE("monitor: a forced resync reports nothing when nothing changed", "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    Mon m(run.dir);
    touch(run / "x");
    bind_ns(run / "x");
    REQUIRE(monitor_force_resync(m.fd).ok());
    CHECK(read_events(m.fd) == Events{"+x"}); // the diff, not the queued create too
    REQUIRE(monitor_force_resync(m.fd).ok());
    CHECK(read_events(m.fd).empty());
}

TEST_CASE("monitor: a callback that stops keeps the rest for the next read", "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    Mon m(run.dir);
    for (const char *n : {"s1", "s2", "s3"}) {
        touch(run / n);
        bind_ns(run / n);
    }
    Events got;
    auto stop_after_one = [](int event, const char *name, void *arg) -> int {
        collect(event, name, arg);
        return 42;
    };
    auto rc = monitor_read(m.fd, stop_after_one, &got);
    REQUIRE(rc.ok());
    CHECK(*rc == 42);
    CHECK(got == Events{"+s1"});
    got.clear();
    rc = monitor_read(m.fd, stop_after_one, &got);
    REQUIRE(rc.ok());
    CHECK(*rc == 42);
    CHECK(got == Events{"+s2"});
    CHECK(read_events(m.fd) == Events{"+s3"});
}

TEST_CASE("monitor: the callback may read and close the monitor", "[monitor]")
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    auto opened = monitor_open(run.dir);
    REQUIRE(opened.ok());
    int fd = opened->release();
    for (const char *n : {"c1", "c2"}) {
        touch(run / n);
        bind_ns(run / n);
    }
    struct Ctx {
        int fd;
        Events inner;
        int inner_rc = -1;
        int close_rc = -1;
    } ctx{fd, {}, -1, -1};
    auto cb = [](int, const char *, void *arg) -> int {
        auto *c = static_cast<Ctx *>(arg);
        auto n = monitor_read(c->fd, collect, &c->inner); // no deadlock
        c->inner_rc = n ? *n : -n.error();
        c->close_rc = monitor_close(c->fd).error();
        return 0;
    };
    const size_t registered = monitor_count();
    auto rc = monitor_read(fd, cb, &ctx);
    REQUIRE(rc.ok());
    CHECK(*rc == 1); // the second event went to the inner read
    CHECK(ctx.inner == Events{"+c2"});
    CHECK(ctx.close_rc == 0);
    CHECK(monitor_count() == registered - 1);
    CHECK(monitor_read(fd, collect, &ctx.inner).error() == EBADF);
}

TEST_CASE("monitor: bad descriptors", "[monitor][errors]")
{
    RunDir run;
    const int fds = fd_count();
    const size_t registered = monitor_count();
    Events got;
    CHECK(monitor_read(-1, collect, &got).error() == EBADF);
    CHECK(monitor_close(-1).error() == EBADF);
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    CHECK(monitor_read(p[0], collect, &got).error() == EINVAL);
    CHECK(monitor_close(p[0]).error() == EINVAL);
    CHECK(::fcntl(p[0], F_GETFD) >= 0); // left open
    ::close(p[1]);
    CHECK(monitor_read(p[1], collect, &got).error() == EBADF);
    int ep = ::epoll_create1(EPOLL_CLOEXEC); // an epoll descriptor, not ours
    REQUIRE(ep >= 0);
    CHECK(monitor_read(ep, collect, &got).error() == EINVAL);
    CHECK(monitor_close(ep).error() == EINVAL);
    ::close(ep);

    auto opened = monitor_open(run.dir);
    REQUIRE(opened.ok());
    int fd = opened->release();
    CHECK(monitor_read(fd, nullptr, nullptr).error() == EINVAL);
    CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    CHECK((::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    CHECK(monitor_close(fd).ok());
    CHECK(monitor_read(fd, collect, &got).error() == EBADF);
    CHECK(monitor_close(fd).error() == EBADF);
    CHECK(monitor_count() == registered);

    // Closed with close(2) and the number taken by a pipe: not a monitor any
    // more, and what it held is freed.
    opened = monitor_open(run.dir);
    REQUIRE(opened.ok());
    fd = opened->release();
    ::close(fd);
    ::close(p[0]);
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    REQUIRE((p[0] == fd || p[1] == fd));
    CHECK(monitor_read(fd, collect, &got).error() == EINVAL);
    CHECK(monitor_count() == registered);
    ::close(p[0]);
    ::close(p[1]);

    // Closed with close(2) and the number taken by a new monitor: the new
    // one is the one registered.
    opened = monitor_open(run.dir);
    REQUIRE(opened.ok());
    fd = opened->release();
    ::close(fd);
    auto again = monitor_open(run.dir);
    REQUIRE(again.ok());
    CHECK(again->get() == fd);
    CHECK(monitor_count() == registered + 1);
    CHECK(read_events(fd).empty());
    CHECK(monitor_close(again->release()).ok());
    CHECK(monitor_count() == registered);
    CHECK(fd_count() == fds);
}

TEST_CASE("monitor: open errors", "[monitor][errors]")
{
    TempDir tmp;
    touch(tmp / "file");
    const int fds = fd_count();
    const size_t registered = monitor_count();
    CHECK(monitor_open(tmp / "file").error() == ENOTDIR);
    CHECK(monitor_open(tmp / "file/netns").error() == ENOTDIR);
    CHECK(monitor_open(tmp / "file/a/b").error() == ENOTDIR);
    CHECK(fd_count() == fds);
    CHECK(monitor_count() == registered);
}

TEST_CASE("monitor: ip netns add and del are seen", "[monitor][iproute2]")
{
    if (!have_program("ip")) {
        WARN("iproute2 is not installed: skipping");
        return;
    }
    // `ip` works in /run/netns, which the sandbox makes private.
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    // Made first: names made and removed again while the directory is
    // still missing cannot be seen (nothing can watch it yet).
    REQUIRE(run_command("mkdir -p /run/netns") == 0);
    Mon m("/run/netns");
    const std::string a = unique_name("ipa"), b = unique_name("ipb");
    REQUIRE(run_command("ip netns add " + a) == 0);
    REQUIRE(run_command("ip netns add " + b) == 0);
    REQUIRE(run_command("ip netns del " + a) == 0);
    auto mine = [&](Events ev) {
        Events out;
        for (auto &e : ev)
            if (e.substr(1) == a || e.substr(1) == b)
                out.push_back(e);
        return out;
    };
    CHECK(readable(m.fd, 2000));
    CHECK(mine(read_events(m.fd)) == Events{"+" + a, "+" + b, "-" + a});
    REQUIRE(run_command("ip netns del " + b) == 0);
    CHECK(readable(m.fd, 2000));
    CHECK(mine(read_events(m.fd)) == Events{"-" + b});
}

// ---------------------------------------------------------------------------
// Fault injection.

namespace {

// Sweeps monitor_open: a failure leaves no descriptor and no registration.
void sweep_open(const std::string &dir, const Scratch &scratch)
{
    const size_t registered = monitor_count();
    for (int err : fault_errnos) {
        int fd = -1;
        auto swept = sweep({.what = "monitor_open",
                            .scratch = scratch.path(),
                            .call =
                                [&] {
                                    auto m = monitor_open(dir);
                                    if (!m)
                                        return m.error();
                                    fd = m->release();
                                    return 0;
                                },
                            .on_success =
                                [&] {
                                    CHECK(monitor_count() == registered + 1);
                                    CHECK(monitor_close(fd).ok());
                                },
                            .on_failure = [&] { CHECK(monitor_count() == registered); }},
                           err);
        CHECK(swept.sites >= 7);
        CHECK(monitor_count() == registered);
    }
}

} // namespace

TEST_CASE("fault: monitor_open, run dir there with entries", "[monitor][fault]")
{
    RunDir run;
    REQUIRE(create_named(run.dirs, "n0").ok());
    touch(run / "stale");
    sweep_open(run.dir, run.scratch);
    CHECK(delete_named(run.dirs, "n0").ok());
}

TEST_CASE("fault: monitor_open, run dir missing", "[monitor][fault]")
{
    RunDir run;
    sweep_open(run.scratch / "a/netns", run.scratch);
}

namespace {

enum class ReadPath { create, pending, resync, moved };

// Sweeps monitor_read over one way an add reaches it. After a failure the
// next read must still deliver it: nothing is lost.
void sweep_read(ReadPath path)
{
    RunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    const size_t registered = monitor_count();
    int fd = -1;
    unsigned round = 0;
    std::string name;
    auto cleanup = [&] {
        if (fd >= 0)
            CHECK(monitor_close(fd).ok());
        fd = -1;
        netns::test::unmount_under(run.dir);
        ::umount2(run.dir.c_str(), MNT_DETACH);
        for (const auto &e : netns::test::list_dir(run.dir))
            ::unlink((run / e).c_str());
    };
    for (int err : fault_errnos) {
        auto swept = sweep(
            {.what = "monitor_read",
             .scratch = run.scratch.path(),
             .prepare =
                 [&] {
                     cleanup();
                     name = "r" + std::to_string(round++);
                     if (path == ReadPath::moved) {
                         // Open on the plain dir, then cover it with a tmpfs.
                         auto m = monitor_open(run.dir);
                         REQUIRE(m.ok());
                         fd = m->release();
                         REQUIRE(::mount("tmpfs", run.dir.c_str(), "tmpfs", 0, "mode=0755") == 0);
                         touch(run / name);
                         bind_ns(run / name);
                         return;
                     }
                     touch(run / "stale"); // a pending entry to look at
                     auto m = monitor_open(run.dir);
                     REQUIRE(m.ok());
                     fd = m->release();
                     touch(run / name);
                     if (path == ReadPath::pending)
                         REQUIRE(read_events(fd).empty());
                     bind_ns(run / name);
                     if (path == ReadPath::resync)
                         REQUIRE(monitor_force_resync(fd).ok());
                 },
             .call =
                 [&] {
                     Events got;
                     auto n = monitor_read(fd, collect, &got);
                     if (!n)
                         return n.error();
                     CHECK(got == Events{"+" + name});
                     return 0;
                 },
             .on_success = [&] { cleanup(); },
             .on_failure =
                 [&] {
                     CHECK(read_events(fd) == Events{"+" + name});
                     CHECK(read_events(fd).empty());
                 }},
            err);
        CHECK(swept.sites >= 2);
    }
    cleanup();
    CHECK(monitor_count() == registered);
}

} // namespace

TEST_CASE("fault: monitor_read, a new entry already mounted", "[monitor][fault]")
{
    sweep_read(ReadPath::create);
}

TEST_CASE("fault: monitor_read, a pending entry mounted since", "[monitor][fault]")
{
    sweep_read(ReadPath::pending);
}

TEST_CASE("fault: monitor_read, a resync", "[monitor][fault]") { sweep_read(ReadPath::resync); }

TEST_CASE("fault: monitor_read, the run dir mounted over", "[monitor][fault]")
{
    sweep_read(ReadPath::moved);
}
