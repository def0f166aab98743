// SPDX-License-Identifier: Apache-2.0
// Starting processes inside a namespace (src/spawn.hpp): spawn, and
// spawn_named with its /etc and /sys roots pointed at temp dirs, so that
// the mount work is seen without touching the real /etc or /sys.
#include "catch.hpp"
#include "helpers.hpp"
#include "spawn_util.hpp"

#include "names.hpp"
#include "nsfd.hpp"
#include "persist.hpp"
#include "run.hpp"
#include "spawn.hpp"
#include "sys.hpp"
#include "thread_ns.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/if.h>
#include <sched.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace netns::core;
using netns::test::Argv;
using netns::test::exited_0;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::mounts_under;
using netns::test::no_children;
using netns::test::reap;
using netns::test::run_capture;
using netns::test::thread_ns_id;

namespace {

UniqueFd fresh()
{
    auto fd = create();
    REQUIRE(fd.ok());
    return std::move(fd).value();
}

std::string ns_link(int fd)
{
    struct stat st;
    if (::fstat(fd, &st) < 0)
        return "bad fd";
    return "net:[" + std::to_string(st.st_ino) + "]";
}

void write_file(const std::string &path, const std::string &text)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    ::close(fd);
}

// Renames ns's loopback device, so a listing of its /sys/class/net is
// unlike any other namespace's.
void rename_lo(int ns, const std::string &to)
{
    auto s = netns::core::socket(ns, AF_INET, SOCK_DGRAM, 0);
    REQUIRE(s.ok());
    struct ifreq ifr = {};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    std::strncpy(ifr.ifr_newname, to.c_str(), IFNAMSIZ - 1);
    REQUIRE(::ioctl(s->get(), SIOCSIFNAME, &ifr) == 0);
}

// A private run dir with one named namespace, and /etc and /sys roots in
// a temp dir: <tmp>/etc/hosts, <tmp>/etc/netns/<name>/hosts, <tmp>/sys.
struct Setup {
    netns::test::PrivateRunDir run;
    RunDirs dirs{run.dir, {}};
    netns::test::TempDir tmp;
    netns::test::UnmountAtExit unmount{tmp.path()};
    SpawnRoots roots{tmp / "etc", tmp / "sys"};
    std::string name = "spawned";
    std::string ifname = "spx" + std::to_string(::getpid() % 1000000);
    UniqueFd ns;
    const std::string original = "127.0.0.1 original\n";
    const std::string replaced = "10.9.8.7 netns-spawned\n";

    Setup()
    {
        auto made = create_named(dirs, name);
        REQUIRE(made.ok());
        ns = std::move(made).value();
        rename_lo(ns.get(), ifname);
        REQUIRE(::mkdir(roots.etc.c_str(), 0755) == 0);
        REQUIRE(::mkdir(roots.sys.c_str(), 0755) == 0);
        REQUIRE(::mkdir((roots.etc + "/netns").c_str(), 0755) == 0);
        REQUIRE(::mkdir((roots.etc + "/netns/" + name).c_str(), 0755) == 0);
        write_file(roots.etc + "/hosts", original);
        write_file(roots.etc + "/netns/" + name + "/hosts", replaced);
    }
    ~Setup() { (void)delete_named(dirs, name); }
};

} // namespace

TEST_CASE("spawn starts the child in ns, the caller stays", "[spawn]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    UniqueFd ns = fresh();
    const int fds = fd_count();
    for (bool search : {false, true}) {
        INFO("search " << search);
        auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"readlink", "/proc/self/ns/net"};
            auto p = spawn(ns.get(), {search ? "readlink" : "/usr/bin/readlink", fa, nullptr, argv.get(), nullptr, search});
            if (p)
                *pid = p.value();
            return p.error();
        });
        REQUIRE(r.rc == 0);
        CHECK(exited_0(r.status));
        CHECK(r.out == ns_link(ns.get()) + "\n");
        CHECK(thread_ns_id() == home);
    }
    SECTION("errors: no child, thread unmoved")
    {
        Argv argv{"x"};
        UniqueFd file(::open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        CHECK(spawn(ns.get(), {nullptr, nullptr, nullptr, argv.get()}).error() == EINVAL);
        CHECK(spawn(ns.get(), {"/bin/true", nullptr, nullptr, nullptr}).error() == EINVAL);
        CHECK(spawn(-1, {"/bin/true", nullptr, nullptr, argv.get()}).error() == EBADF);
        CHECK(spawn(file.get(), {"/bin/true", nullptr, nullptr, argv.get()}).error() == EINVAL);
        if (netns::test::exec_errors_reported()) {
            CHECK(spawn(ns.get(), {"/nonexistent/x", nullptr, nullptr, argv.get()}).error() == ENOENT);
            CHECK(spawn(ns.get(), {"/", nullptr, nullptr, argv.get()}).error() == EACCES);
        }
        CHECK(spawn(ns.get(), {"/bin/true", nullptr, nullptr, argv.get()}, "/nonexistent").error() == ENOENT);
        CHECK(no_children());
        CHECK(thread_ns_id() == home);
    }
    CHECK(fd_count() == fds);
    CHECK(no_children());
}

TEST_CASE("spawn: a forced switch-back failure kills and reaps the child", "[spawn][fault]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    auto home_fd = get();
    REQUIRE(home_fd.ok());
    UniqueFd ns = fresh();
    const int fds = fd_count();
    // Calls: open (home), setns (check), setns (in), posix_spawn, setns (back).
    Argv argv{"sleep", "100"};
    fault::arm(5, EPERM);
    auto pid = spawn(ns.get(), {"/bin/sleep", nullptr, nullptr, argv.get()});
    const bool fired = fault::fired();
    fault::disarm();
    CHECK(fired);
    CHECK(pid.error() == ENOTRECOVERABLE);
    CHECK(no_children()); // killed and reaped
    CHECK(thread_ns_id() == fd_ns_id(ns.get()));
    CHECK(fd_count() == fds);
    REQUIRE(::setns(home_fd->get(), CLONE_NEWNET) == 0);
    CHECK(thread_ns_id() == home);
}

TEST_CASE("spawn_named: the namespace, /etc/netns binds and a fresh sysfs", "[spawn][named]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    Setup s;
    const int fds = fd_count();
    const auto mounts0 = mounts_under(s.tmp.path());
    const std::string mountinfo0 = netns::test::read_file("/proc/thread-self/mountinfo");

    auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
        Argv argv{"sh", "-c",
                  "cat " + s.roots.etc + "/hosts; ls " + s.roots.sys + "/class/net; readlink /proc/self/ns/net"};
        auto p = spawn_named(s.dirs, s.name, {"sh", fa, nullptr, argv.get(), nullptr, true}, s.roots);
        if (p)
            *pid = p.value();
        return p.error();
    });
    REQUIRE(r.rc == 0);
    CHECK(exited_0(r.status));
    CHECK(r.out == s.replaced + s.ifname + "\n" + ns_link(s.ns.get()) + "\n");
    // The caller saw none of it.
    CHECK(netns::test::read_file(s.roots.etc + "/hosts") == s.original);
    CHECK(netns::test::list_dir(s.roots.sys).empty());
    CHECK(mounts_under(s.tmp.path()) == mounts0);
    CHECK(netns::test::read_file("/proc/thread-self/mountinfo") == mountinfo0);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(no_children());

    SECTION("a name without /etc/netns/<name>: /etc as it is")
    {
        auto other = create_named(s.dirs, "plain");
        REQUIRE(other.ok());
        auto r2 = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"cat", s.roots.etc + "/hosts"};
            auto p = spawn_named(s.dirs, "plain", {"cat", fa, nullptr, argv.get(), nullptr, true}, s.roots);
            if (p)
                *pid = p.value();
            return p.error();
        });
        CHECK(r2.rc == 0);
        CHECK(r2.out == s.original);
        CHECK(delete_named(s.dirs, "plain").ok());
    }
    SECTION("an /etc/netns entry with nothing to cover: ENOENT, no child")
    {
        write_file(s.roots.etc + "/netns/" + s.name + "/only-there", "x\n");
        Argv argv{"true"};
        CHECK(spawn_named(s.dirs, s.name, {"true", nullptr, nullptr, argv.get(), nullptr, true}, s.roots).error() ==
              ENOENT);
        CHECK(no_children());
        CHECK(mounts_under(s.tmp.path()) == mounts0);
    }
    SECTION("errors: no child, no mount, thread unmoved")
    {
        Argv argv{"x"};
        CHECK(spawn_named(s.dirs, "missing", {"true", nullptr, nullptr, argv.get(), nullptr, true}, s.roots).error() ==
              ENOENT);
        for (const char *bad : {"", ".", "..", "a/b"})
            CHECK(spawn_named(s.dirs, bad, {"true", nullptr, nullptr, argv.get(), nullptr, true}, s.roots).error() ==
                  EINVAL);
        CHECK(spawn_named(s.dirs, s.name, {nullptr, nullptr, nullptr, argv.get(), nullptr, true}, s.roots).error() ==
              EINVAL);
        CHECK(spawn_named(s.dirs, s.name, {"true", nullptr, nullptr, nullptr, nullptr, true}, s.roots).error() ==
              EINVAL);
        if (netns::test::exec_errors_reported())
            CHECK(spawn_named(s.dirs, s.name, {"/nonexistent/x", nullptr, nullptr, argv.get(), nullptr, true}, s.roots)
                      .error() == ENOENT);
        // A /sys root that does not exist: the sysfs mount fails.
        SpawnRoots no_sys{s.roots.etc, s.tmp / "nosys"};
        CHECK(spawn_named(s.dirs, s.name, {"true", nullptr, nullptr, argv.get(), nullptr, true}, no_sys).error() ==
              ENOENT);
        CHECK(no_children());
        CHECK(mounts_under(s.tmp.path()) == mounts0);
        CHECK(thread_ns_id() == home);
    }
    CHECK(fd_count() == fds);
}

// ---- fault injection ----

#include "fault_sweep.hpp"

using netns::test::fault_errnos;
using netns::test::Scratch;
using netns::test::sweep;

TEST_CASE("fault: spawn", "[spawn][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    auto home_fd = get();
    REQUIRE(home_fd.ok());
    UniqueFd ns = fresh();
    Argv argv{"true"};
    for (int err : fault_errnos) {
        unsigned unrecoverable = 0;
        pid_t child = -1;
        auto swept = sweep({.what = "spawn",
                            .scratch = scratch.path(),
                            .run_dir = scratch / "run",
                            .call =
                                [&] {
                                    auto p = spawn(ns.get(), {"/bin/true", nullptr, nullptr, argv.get()});
                                    if (p)
                                        child = p.value();
                                    if (p.error() == ENOTRECOVERABLE) {
                                        ++unrecoverable;
                                        CHECK(thread_ns_id() == fd_ns_id(ns.get()));
                                        REQUIRE(::setns(home_fd->get(), CLONE_NEWNET) == 0);
                                    }
                                    return p.error();
                                },
                            .on_success =
                                [&] {
                                    CHECK(exited_0(reap(child)));
                                    CHECK(no_children());
                                },
                            .on_failure = [&] { CHECK(no_children()); },
                            .may_report_as = ENOTRECOVERABLE},
                           err);
        // open (home), setns (check), setns (in), posix_spawn, setns (back)
        CHECK(swept.sites == 5);
        CHECK(unrecoverable == 1);
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("fault: spawn_named", "[spawn][named][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    Setup s;
    const std::string check = "grep -q netns-spawned " + s.roots.etc + "/hosts && test -d " + s.roots.sys +
                              "/class/net/" + s.ifname;
    Argv argv{"sh", "-c", check};
    for (int err : fault_errnos) {
        pid_t child = -1;
        auto swept = sweep({.what = "spawn_named",
                            .scratch = s.tmp.path(),
                            .run_dir = s.dirs.primary,
                            .call =
                                [&] {
                                    auto p = spawn_named(s.dirs, s.name,
                                                         {"/bin/sh", nullptr, nullptr, argv.get(), nullptr, false},
                                                         s.roots);
                                    if (p)
                                        child = p.value();
                                    return p.error();
                                },
                            .on_success =
                                [&] {
                                    CHECK(exited_0(reap(child)));
                                    CHECK(no_children());
                                },
                            .on_failure = [&] { CHECK(no_children()); }},
                           err);
        // get_from_name (open, ioctl), the /etc/netns listing, the helper
        // thread, unshare, mount (slave), setns, umount2, mount (sysfs),
        // mount (bind), posix_spawn.
        CHECK(swept.sites >= 11);
        CHECK(thread_ns_id() == home);
        CHECK(netns::test::read_file(s.roots.etc + "/hosts") == s.original);
    }
}
