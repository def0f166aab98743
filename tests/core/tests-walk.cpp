// SPDX-License-Identifier: Apache-2.0
// The walks (src/walk.cpp): list, identify and pids over run directories
// and /proc trees the tests make themselves, with real namespaces mounted
// in them; then the fault-injection sweep of each.
#include "catch.hpp"
#include "fault_sweep.hpp"
#include "helpers.hpp"

#include "names.hpp"
#include "nsfd.hpp"
#include "persist.hpp"
#include "thread_ns.hpp"
#include "walk.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace netns::core;
using netns::test::fault_errnos;
using netns::test::fd_count;
using netns::test::Scratch;
using netns::test::sweep;
using netns::test::thread_ns_id;

namespace {

// Collects what a walk reports; stops after `stop_after` items when set.
struct Names {
    std::vector<std::string> got;
    size_t stop_after = 0;
    static int cb(const char *name, void *arg)
    {
        auto *self = static_cast<Names *>(arg);
        self->got.emplace_back(name);
        return self->stop_after != 0 && self->got.size() == self->stop_after ? 7 : 0;
    }
};

struct Pids {
    std::vector<pid_t> got;
    size_t stop_after = 0;
    static int cb(pid_t pid, void *arg)
    {
        auto *self = static_cast<Pids *>(arg);
        self->got.push_back(pid);
        return self->stop_after != 0 && self->got.size() == self->stop_after ? 9 : 0;
    }
};

void touch(const std::string &path)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    ::close(fd);
}

// Bind-mounts the namespace fd onto a new file at path.
void bind_ns(int ns, const std::string &path)
{
    touch(path);
    const std::string src = "/proc/thread-self/fd/" + std::to_string(ns);
    REQUIRE(::mount(src.c_str(), path.c_str(), "none", MS_BIND, nullptr) == 0);
}

// A child that sleeps until killed, in the namespace ns (or the caller's
// when ns < 0); killed and reaped at scope exit.
class Sleeper : public netns::test::KilledAtExit {
public:
    explicit Sleeper(int ns = -1)
    {
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            if (ns >= 0 && ::setns(ns, CLONE_NEWNET) < 0)
                ::_exit(1);
            for (;;)
                ::pause();
        }
        if (ns >= 0)
            REQUIRE(netns::test::wait_in_ns(pid_, ns));
    }
};

} // namespace

// ---------------------------------------------------------------------
// list

TEST_CASE("list: mounted namespaces only, sorted, each once", "[walk][list]")
{
    Scratch scratch;
    const std::string dir = scratch / "netns";
    REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
    auto a = create();
    REQUIRE(a.ok());
    bind_ns(a->get(), dir + "/zeta");
    bind_ns(a->get(), dir + "/alpha");
    bind_ns(a->get(), dir + "/Mid");
    touch(dir + "/stale");                                  // an unmounted file
    REQUIRE(::mkdir((dir + "/subdir").c_str(), 0755) == 0); // a directory
    REQUIRE(::symlink((dir + "/alpha").c_str(), (dir + "/link").c_str()) == 0);

    Names n;
    auto r = list({dir, ""}, Names::cb, &n);
    REQUIRE(r.ok());
    CHECK(r.value() == 0);
    CHECK(n.got == std::vector<std::string>{"Mid", "alpha", "zeta"});
}

TEST_CASE("list: a missing run directory has no names; a file is ENOTDIR", "[walk][list][errors]")
{
    Scratch scratch;
    Names n;
    auto r = list({scratch / "missing", ""}, Names::cb, &n);
    REQUIRE(r.ok());
    CHECK(n.got.empty());

    touch(scratch / "file");
    CHECK(list({scratch / "file", ""}, Names::cb, &n).error() == ENOTDIR);
}

TEST_CASE("list: fallback directory merged, a shared name once, the run dir wins", "[walk][list]")
{
    Scratch scratch;
    const std::string one = scratch / "one", two = scratch / "two";
    REQUIRE(::mkdir(one.c_str(), 0755) == 0);
    REQUIRE(::mkdir(two.c_str(), 0755) == 0);
    auto a = create();
    REQUIRE(a.ok());
    bind_ns(a->get(), one + "/b");
    bind_ns(a->get(), two + "/a");
    bind_ns(a->get(), two + "/b");
    bind_ns(a->get(), two + "/c");
    touch(one + "/c"); // shadows two/c: a lookup by name finds this stale file

    Names n;
    REQUIRE(list({one, two}, Names::cb, &n).ok());
    CHECK(n.got == std::vector<std::string>{"a", "b"});

    // The same directory given twice (as /run/netns and /var/run/netns
    // usually are, through the /var/run symlink): each name once.
    REQUIRE(::symlink(one.c_str(), (scratch / "alias").c_str()) == 0);
    Names m;
    REQUIRE(list({one, scratch / "alias"}, Names::cb, &m).ok());
    CHECK(m.got == std::vector<std::string>{"b"});
}

TEST_CASE("list: more names than one batch come out sorted, each once", "[walk][list]")
{
    Scratch scratch;
    const std::string dir = scratch / "netns", fb = scratch / "fb";
    REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
    REQUIRE(::mkdir(fb.c_str(), 0755) == 0);
    auto a = create();
    REQUIRE(a.ok());
    std::vector<std::string> want;
    // 700 names (several batches), made in an order that is not sorted,
    // some in both directories, some stale.
    for (int i = 0; i < 700; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "n%03d", (i * 337) % 700);
        if (i % 50 == 0) {
            touch(dir + "/" + name + "-stale");
        }
        bind_ns(a->get(), (i % 3 == 0 ? fb : dir) + "/" + name);
        if (i % 7 == 0)
            bind_ns(a->get(), (i % 3 == 0 ? dir : fb) + "/" + name);
        want.emplace_back(name);
    }
    std::sort(want.begin(), want.end());
    Names n;
    REQUIRE(list({dir, fb}, Names::cb, &n).ok());
    CHECK(n.got.size() == want.size());
    CHECK(n.got == want);

    // A callback that stops the walk: at once, with its value.
    Names s;
    s.stop_after = 300; // inside the second batch
    auto r = list({dir, fb}, Names::cb, &s);
    REQUIRE(r.ok());
    CHECK(r.value() == 7);
    CHECK(s.got.size() == 300);
    CHECK(std::equal(s.got.begin(), s.got.end(), want.begin()));
}

TEST_CASE("list: an unreadable run directory is EACCES", "[walk][list][errors]")
{
    Scratch scratch;
    const std::string dir = scratch / "netns";
    REQUIRE(::mkdir(dir.c_str(), 0) == 0);
    // Permission bits do not stop a process with CAP_DAC_OVERRIDE (root,
    // the sandbox's user namespace): test them on a thread without it.
    int err = 0;
    netns::test::without_dac_override([&] {
        Names n;
        err = list({dir, ""}, Names::cb, &n).error();
    });
    CHECK(err == EACCES);
}

// ---------------------------------------------------------------------
// identify

TEST_CASE("identify: every alias of a process's namespace, and nothing else", "[walk][identify]")
{
    Scratch scratch;
    const std::string dir = scratch / "netns", fb = scratch / "fb";
    REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
    REQUIRE(::mkdir(fb.c_str(), 0755) == 0);
    auto a = create();
    auto b = create();
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    bind_ns(a->get(), dir + "/a1");
    bind_ns(a->get(), dir + "/a2");
    bind_ns(b->get(), dir + "/b1");
    bind_ns(a->get(), fb + "/a3");
    bind_ns(a->get(), fb + "/b1"); // shadowed by dir/b1: not an alias of a
    touch(dir + "/stale");

    Sleeper in_a(a->get());
    Names n;
    auto r = identify({dir, fb}, "/proc", in_a.pid(), Names::cb, &n);
    REQUIRE(r.ok());
    std::sort(n.got.begin(), n.got.end());
    CHECK(n.got == std::vector<std::string>{"a1", "a2", "a3"});

    // A process in a namespace without a name: no names, no error.
    Sleeper home;
    Names none;
    REQUIRE(identify({dir, fb}, "/proc", home.pid(), Names::cb, &none).ok());
    CHECK(none.got.empty());

    // Early stop.
    Names one;
    one.stop_after = 1;
    auto s = identify({dir, fb}, "/proc", in_a.pid(), Names::cb, &one);
    REQUIRE(s.ok());
    CHECK(s.value() == 7);
    CHECK(one.got.size() == 1);
}

TEST_CASE("identify: bad and dead pids", "[walk][identify][errors]")
{
    Scratch scratch;
    Names n;
    CHECK(identify({scratch.path(), ""}, "/proc", 0, Names::cb, &n).error() == EINVAL);
    CHECK(identify({scratch.path(), ""}, "/proc", -5, Names::cb, &n).error() == EINVAL);
    CHECK(identify({scratch.path(), ""}, "/proc", netns::test::dead_pid(), Names::cb, &n).error() ==
          ESRCH);
    CHECK(n.got.empty());
}

// ---------------------------------------------------------------------
// pids

TEST_CASE("pids: the processes of one namespace, ascending", "[walk][pids]")
{
    auto a = create();
    REQUIRE(a.ok());
    Sleeper s1(a->get()), s2(a->get()), s3(a->get());
    Sleeper elsewhere;
    Pids p;
    auto r = pids("/proc", a->get(), Pids::cb, &p);
    REQUIRE(r.ok());
    std::vector<pid_t> want{s1.pid(), s2.pid(), s3.pid()};
    std::sort(want.begin(), want.end());
    CHECK(p.got == want);

    Pids stop;
    stop.stop_after = 2;
    auto s = pids("/proc", a->get(), Pids::cb, &stop);
    REQUIRE(s.ok());
    CHECK(s.value() == 9);
    CHECK(stop.got == std::vector<pid_t>{want[0], want[1]});

    // A namespace nobody lives in.
    auto empty = create();
    REQUIRE(empty.ok());
    Pids none;
    REQUIRE(pids("/proc", empty->get(), Pids::cb, &none).ok());
    CHECK(none.got.empty());
}

TEST_CASE("pids: a fake /proc tree: vanished, odd and unsorted entries", "[walk][pids]")
{
    Scratch scratch;
    const std::string proc = scratch / "proc";
    REQUIRE(::mkdir(proc.c_str(), 0755) == 0);
    auto a = create();
    REQUIRE(a.ok());
    Sleeper in_a(a->get());
    const std::string target = "/proc/" + std::to_string(in_a.pid()) + "/ns/net";
    auto add = [&](const std::string &name, const char *link_to) {
        REQUIRE(::mkdir((proc + "/" + name).c_str(), 0755) == 0);
        REQUIRE(::mkdir((proc + "/" + name + "/ns").c_str(), 0755) == 0);
        if (link_to != nullptr)
            REQUIRE(::symlink(link_to, (proc + "/" + name + "/ns/net").c_str()) == 0);
    };
    // Made out of order; "self" and "12x" are not processes; 300 has
    // vanished (no ns/net); 400 is in another namespace.
    add("900", target.c_str());
    add("17", target.c_str());
    add("300", nullptr);
    add("400", "/proc/self/ns/net");
    add("self", target.c_str());
    add("12x", target.c_str());
    add("250", target.c_str());
    touch(proc + "/555"); // a file, not a process directory

    Pids p;
    REQUIRE(pids(proc.c_str(), a->get(), Pids::cb, &p).ok());
    CHECK(p.got == std::vector<pid_t>{17, 250, 900});
}

TEST_CASE("pids: bad namespace descriptors", "[walk][pids][errors]")
{
    Pids p;
    CHECK(pids("/proc", -1, Pids::cb, &p).error() == EBADF);
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    CHECK(pids("/proc", fds[0], Pids::cb, &p).error() == EINVAL);
    ::close(fds[0]);
    CHECK(pids("/proc", fds[0], Pids::cb, &p).error() == EBADF);
    ::close(fds[1]);
    int uts = ::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
    REQUIRE(uts >= 0);
    CHECK(pids("/proc", uts, Pids::cb, &p).error() == EINVAL);
    ::close(uts);
    auto a = create();
    REQUIRE(a.ok());
    Scratch scratch;
    CHECK(pids((scratch / "no-proc").c_str(), a->get(), Pids::cb, &p).error() == ENOENT);
    CHECK(p.got.empty());
}

// ---------------------------------------------------------------------
// fault injection

TEST_CASE("fault: list, identify and pids", "[walk][fault]")
{
    Scratch scratch;
    const std::string dir = scratch / "netns";
    REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
    auto a = create();
    REQUIRE(a.ok());
    bind_ns(a->get(), dir + "/x");
    bind_ns(a->get(), dir + "/y");
    Sleeper in_a(a->get());
    const int fds = fd_count();
    for (int err : fault_errnos) {
        auto l = sweep({.what = "list",
                        .scratch = scratch.path(),
                        .call =
                            [&] {
                                Names n;
                                auto r = list({dir, ""}, Names::cb, &n);
                                if (r)
                                    CHECK(n.got == std::vector<std::string>{"x", "y"});
                                return r.error();
                            }},
                       err);
        CHECK(l.sites >= 4); // stat, open, fstatat x2
        auto i = sweep({.what = "identify",
                        .scratch = scratch.path(),
                        .call =
                            [&] {
                                Names n;
                                auto r = identify({dir, ""}, "/proc", in_a.pid(), Names::cb, &n);
                                if (r)
                                    CHECK(n.got.size() == 2);
                                return r.error();
                            }},
                       err);
        CHECK(i.sites >= 5); // pidfd_open, fstatfs, ioctl, fstat, open, fstatat...
        auto p = sweep({.what = "pids",
                        .scratch = scratch.path(),
                        .call =
                            [&] {
                                Pids n;
                                auto r = pids("/proc", a->get(), Pids::cb, &n);
                                if (r)
                                    CHECK(n.got == std::vector<pid_t>{in_a.pid()});
                                return r.error();
                            }},
                       err);
        CHECK(p.sites >= 4);
    }
    CHECK(fd_count() == fds);
}
