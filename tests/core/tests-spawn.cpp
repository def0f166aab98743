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
            auto p = spawn(ns.get(), {search ? "readlink" : "/usr/bin/readlink", fa, nullptr,
                                      argv.get(), nullptr, search});
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
            CHECK(spawn(ns.get(), {"/nonexistent/x", nullptr, nullptr, argv.get()}).error() ==
                  ENOENT);
            CHECK(spawn(ns.get(), {"/", nullptr, nullptr, argv.get()}).error() == EACCES);
        }
        CHECK(
            spawn(ns.get(), {"/bin/true", nullptr, nullptr, argv.get()}, "/nonexistent").error() ==
            ENOENT);
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
                  "cat " + s.roots.etc + "/hosts; ls " + s.roots.sys +
                      "/class/net; readlink /proc/self/ns/net"};
        auto p =
            spawn_named(s.dirs, s.name, {"sh", fa, nullptr, argv.get(), nullptr, true}, s.roots);
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
            auto p = spawn_named(s.dirs, "plain", {"cat", fa, nullptr, argv.get(), nullptr, true},
                                 s.roots);
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
        CHECK(spawn_named(s.dirs, s.name, {"true", nullptr, nullptr, argv.get(), nullptr, true},
                          s.roots)
                  .error() == ENOENT);
        CHECK(no_children());
        CHECK(mounts_under(s.tmp.path()) == mounts0);
    }
    SECTION("errors: no child, no mount, thread unmoved")
    {
        Argv argv{"x"};
        CHECK(spawn_named(s.dirs, "missing", {"true", nullptr, nullptr, argv.get(), nullptr, true},
                          s.roots)
                  .error() == ENOENT);
        for (const char *bad : {"", ".", "..", "a/b"})
            CHECK(spawn_named(s.dirs, bad, {"true", nullptr, nullptr, argv.get(), nullptr, true},
                              s.roots)
                      .error() == EINVAL);
        CHECK(spawn_named(s.dirs, s.name, {nullptr, nullptr, nullptr, argv.get(), nullptr, true},
                          s.roots)
                  .error() == EINVAL);
        CHECK(
            spawn_named(s.dirs, s.name, {"true", nullptr, nullptr, nullptr, nullptr, true}, s.roots)
                .error() == EINVAL);
        if (netns::test::exec_errors_reported())
            CHECK(spawn_named(s.dirs, s.name,
                              {"/nonexistent/x", nullptr, nullptr, argv.get(), nullptr, true},
                              s.roots)
                      .error() == ENOENT);
        // A /sys root that does not exist: the sysfs mount fails.
        SpawnRoots no_sys{s.roots.etc, s.tmp / "nosys"};
        CHECK(spawn_named(s.dirs, s.name, {"true", nullptr, nullptr, argv.get(), nullptr, true},
                          no_sys)
                  .error() == ENOENT);
        CHECK(no_children());
        CHECK(mounts_under(s.tmp.path()) == mounts0);
        CHECK(thread_ns_id() == home);
    }
    CHECK(fd_count() == fds);
}

// ---- fault injection ----

#include "fault_sweep.hpp"

using netns::test::fault_errnos;
using netns::test::keeping;
using netns::test::Scratch;
using netns::test::sweep;
using netns::test::WayBack;

TEST_CASE("fault: spawn", "[spawn][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    WayBack back;
    UniqueFd ns = fresh();
    Argv argv{"true"};
    for (int err : fault_errnos) {
        pid_t child = -1;
        auto swept =
            back.sweep({.what = "spawn",
                        .scratch = scratch.path(),
                        .run_dir = scratch / "run",
                        .call = keeping(
                            child,
                            [&] {
                                return spawn(ns.get(), {"/bin/true", nullptr, nullptr, argv.get()});
                            }),
                        .on_success =
                            [&] {
                                CHECK(exited_0(reap(child)));
                                CHECK(no_children());
                            },
                        .on_failure = [&] { CHECK(no_children()); }},
                       err, fd_ns_id(ns.get()));
        // open (home), setns (check), setns (in), posix_spawn, setns (back)
        CHECK(swept.sites == 5);
    }
}

TEST_CASE("fault: spawn_named", "[spawn][named][fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    Setup s;
    const std::string check = "grep -q netns-spawned " + s.roots.etc + "/hosts && test -d " +
                              s.roots.sys + "/class/net/" + s.ifname;
    Argv argv{"sh", "-c", check};
    for (int err : fault_errnos) {
        pid_t child = -1;
        auto swept = sweep({.what = "spawn_named",
                            .scratch = s.tmp.path(),
                            .run_dir = s.dirs.primary,
                            .call = keeping(child,
                                            [&] {
                                                return spawn_named(s.dirs, s.name,
                                                                   {"/bin/sh", nullptr, nullptr,
                                                                    argv.get(), nullptr, false},
                                                                   s.roots);
                                            }),
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

// ---- enter_named and exec_named: what `ip netns exec` does, in place ----

#include <climits>
#include <linux/capability.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>

using netns::test::Exec;
using netns::test::exec_in_child;
using netns::test::here;
using netns::test::on_thread;
using netns::test::Place;

namespace {

// Drops a capability from the calling thread's effective set.
void drop_cap(int cap)
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {};
    if (::syscall(SYS_capget, &hdr, data) == 0) {
        data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
        (void)::syscall(SYS_capset, &hdr, data);
    }
}

// What a thread saw right after enter_named.
struct Inside {
    int err = -1;
    Place place;
    std::string hosts;
    std::vector<std::string> sys_net;
    bool sys_ro = false;
    int fds = -1;
};

Inside enter_and_look(const Setup &s, const SpawnRoots &roots)
{
    Inside in;
    in.err = enter_named(s.dirs, s.name, roots).error();
    in.place = here();
    try {
        in.hosts = netns::test::read_file(roots.etc + "/hosts");
    } catch (...) {
    }
    in.sys_net = netns::test::list_dir(roots.sys + "/class/net");
    struct statvfs sv;
    in.sys_ro = ::statvfs(roots.sys.c_str(), &sv) == 0 && (sv.f_flag & ST_RDONLY) != 0;
    in.fds = fd_count();
    return in;
}

} // namespace

// How many wrapped calls get_from_name makes for the setup's name: the
// sweeps count the calls of enter_named after it.
static unsigned lookup_calls(const Setup &s)
{
    fault::arm(100000, EIO);
    auto ns = get_from_name(s.dirs, s.name);
    unsigned n = fault::calls();
    fault::disarm();
    REQUIRE(ns.ok());
    return n;
}

TEST_CASE("enter_named moves the thread: namespace, mount namespace, /sys, /etc binds",
          "[spawn][enter]")
{
    Setup s;
    const Place home = here();
    const int fds = fd_count();
    const auto mounts0 = mounts_under(s.tmp.path());

    SECTION("a read-write /sys")
    {
        auto in = on_thread([&] { return enter_and_look(s, s.roots); });
        CHECK(in.err == 0);
        CHECK(in.place.net == fd_ns_id(s.ns.get()));
        CHECK(in.place.mnt != home.mnt);
        CHECK(in.place.cwd == home.cwd);
        CHECK(in.hosts == s.replaced);
        CHECK(in.sys_net == std::vector<std::string>{s.ifname});
        CHECK_FALSE(in.sys_ro);
        CHECK(in.fds == fds); // the way back was closed
    }
    SECTION("a read-only /sys stays read-only")
    {
        REQUIRE(::mount(s.roots.sys.c_str(), s.roots.sys.c_str(), "none", MS_BIND, nullptr) == 0);
        REQUIRE(::mount("none", s.roots.sys.c_str(), "none", MS_REMOUNT | MS_BIND | MS_RDONLY,
                        nullptr) == 0);
        auto in = on_thread([&] { return enter_and_look(s, s.roots); });
        CHECK(in.err == 0);
        CHECK(in.sys_net == std::vector<std::string>{s.ifname});
        CHECK(in.sys_ro);
        REQUIRE(::umount2(s.roots.sys.c_str(), MNT_DETACH) == 0);
    }
    SECTION("no /etc/netns/<name>: /etc as it is")
    {
        auto plain = create_named(s.dirs, "plain");
        REQUIRE(plain.ok());
        auto in = on_thread([&] {
            Inside v;
            v.err = enter_named(s.dirs, "plain", s.roots).error();
            v.place = here();
            v.hosts = netns::test::read_file(s.roots.etc + "/hosts");
            return v;
        });
        CHECK(in.err == 0);
        CHECK(in.place.net == fd_ns_id(plain->get()));
        CHECK(in.hosts == s.original);
        CHECK(delete_named(s.dirs, "plain").ok());
    }
    // The caller saw none of it.
    CHECK(here() == home);
    CHECK(netns::test::read_file(s.roots.etc + "/hosts") == s.original);
    CHECK(netns::test::list_dir(s.roots.sys).empty());
    CHECK(mounts_under(s.tmp.path()) == mounts0);
    CHECK(fd_count() == fds);
}

TEST_CASE("enter_named errors leave the thread where it was", "[spawn][enter][errors]")
{
    Setup s;
    const Place home = here();
    const int fds = fd_count();
    const auto mounts0 = mounts_under(s.tmp.path());
    write_file(s.dirs.primary + "/stale", ""); // a killed `ip netns add`'s entry
    struct Row {
        std::string what;
        int err;
        int want;
    };
    std::vector<Row> rows;
    for (const std::string &bad :
         std::vector<std::string>{"", ".", "..", "a/b", std::string(NAME_MAX + 1, 'n')})
        rows.push_back({"name \"" + bad + "\"", enter_named(s.dirs, bad, s.roots).error(), EINVAL});
    rows.push_back({"stale entry", enter_named(s.dirs, "stale", s.roots).error(), EINVAL});
    rows.push_back({"missing", enter_named(s.dirs, "missing", s.roots).error(), ENOENT});
    rows.push_back(
        {"run dir missing", enter_named({s.tmp / "none", {}}, s.name, s.roots).error(), ENOENT});
    SpawnRoots no_sys{s.roots.etc, s.tmp / "nosys"};
    rows.push_back({"no /sys", enter_named(s.dirs, s.name, no_sys).error(), ENOENT});
    rows.push_back(
        {"bad /proc", enter_named(s.dirs, s.name, s.roots, "/nonexistent").error(), ENOENT});
    const std::string extra = s.roots.etc + "/netns/" + s.name + "/only-there";
    write_file(extra, "x\n");
    rows.push_back({"/etc/netns entry with no /etc entry",
                    enter_named(s.dirs, s.name, s.roots).error(), ENOENT});
    REQUIRE(::unlink(extra.c_str()) == 0);
    for (const auto &r : rows) {
        INFO(r.what << ": " << std::strerror(r.err));
        CHECK(r.err == r.want);
    }
    CHECK(here() == home);
    CHECK(fd_count() == fds);
    CHECK(mounts_under(s.tmp.path()) == mounts0);
    CHECK(netns::test::read_file(s.roots.etc + "/hosts") == s.original);

    // Permissions: on threads of their own (capabilities are per thread).
    struct Seen {
        int err = -1;
        bool unmoved = false;
    };
    // enter_named on a thread that did `drop` first.
    auto enter_after = [&](auto drop) {
        return on_thread([&] {
            drop();
            const Place at = here();
            Seen v{enter_named(s.dirs, s.name, s.roots).error(), false};
            v.unmoved = here() == at;
            return v;
        });
    };
    SECTION("EPERM without CAP_SYS_ADMIN")
    {
        auto seen = enter_after([] { drop_cap(CAP_SYS_ADMIN); });
        CHECK(seen.err == EPERM);
        CHECK(seen.unmoved);
    }
    SECTION("EACCES: /etc/netns/<name> unreadable")
    {
        const std::string dir = s.roots.etc + "/netns/" + s.name;
        REQUIRE(::chmod(dir.c_str(), 0) == 0);
        auto seen = enter_after(netns::test::drop_dac_override);
        REQUIRE(::chmod(dir.c_str(), 0755) == 0);
        CHECK(seen.err == EACCES);
        CHECK(seen.unmoved);
    }
    SECTION("EACCES: the run dir cannot be searched")
    {
        REQUIRE(::chmod(s.dirs.primary.c_str(), 0) == 0);
        auto seen = enter_after(netns::test::drop_dac_override);
        REQUIRE(::chmod(s.dirs.primary.c_str(), 0755) == 0);
        CHECK(seen.err == EACCES);
        CHECK(seen.unmoved);
    }
    CHECK(fd_count() == fds);
}

TEST_CASE("enter_named: a failed way back is ENOTRECOVERABLE", "[spawn][enter][fault]")
{
    Setup s;
    const std::string extra = s.roots.etc + "/netns/" + s.name + "/only-there";
    write_file(extra, "x\n"); // a real failure after the move: the bind
    const Place home = here();
    const int fds = fd_count();
    // How many wrapped calls the failing call makes; the way back is the
    // last two (setns into the mount namespace, then the network one).
    const unsigned calls = on_thread([&] {
        fault::arm(100000, EIO);
        (void)enter_named(s.dirs, s.name, s.roots);
        unsigned n = fault::calls();
        fault::disarm();
        return n;
    });
    REQUIRE(calls > 2);
    struct Seen {
        int err = -1;
        bool fired = false;
        Place place;
    };
    auto fail_at = [&](unsigned n) {
        return on_thread([&] {
            fault::arm(n, EPERM);
            Seen v{enter_named(s.dirs, s.name, s.roots).error(), fault::fired(), here()};
            fault::disarm();
            return v; // the thread ends where it was left
        });
    };
    auto mnt_back = fail_at(calls - 1);
    CHECK(mnt_back.fired);
    CHECK(mnt_back.err == ENOTRECOVERABLE);
    CHECK(mnt_back.place.mnt != home.mnt); // stranded in its mount namespace
    CHECK(mnt_back.place.net == home.net); // the net way back still taken
    auto net_back = fail_at(calls);
    CHECK(net_back.fired);
    CHECK(net_back.err == ENOTRECOVERABLE);
    CHECK(net_back.place.mnt == home.mnt);
    CHECK(net_back.place.net == fd_ns_id(s.ns.get()));
    CHECK(here() == home);
    CHECK(fd_count() == fds);
}

TEST_CASE("exec_named runs the command in the namespace, in place", "[spawn][exec]")
{
    Setup s;
    const Place home = here();
    const int fds = fd_count();
    netns::test::TempDir bin;
    // No "#!": execvpe runs it with /bin/sh, as a shell would.
    write_file(bin / "netns-test-cmd", "echo \"$1|$V\"; cat " + s.roots.etc + "/hosts; ls " +
                                           s.roots.sys +
                                           "/class/net; readlink /proc/self/ns/net; echo $$\n");
    REQUIRE(::chmod((bin / "netns-test-cmd").c_str(), 0755) == 0);
    const std::string expect_tail = s.replaced + s.ifname + "\n" + ns_link(s.ns.get()) + "\n";

    SECTION("PATH search, a script without #!, envp")
    {
        Exec e = exec_in_child([&] {
            ::setenv("PATH", bin.path().c_str(), 1);
            Argv argv{"netns-test-cmd", "one"};
            Argv envp{"V=given"};
            return exec_named(s.dirs, s.name, "netns-test-cmd", argv.get(), envp.get(), s.roots)
                .error();
        });
        CHECK(exited_0(e.status));
        CHECK(e.out.rfind("one|given\n" + expect_tail, 0) == 0);
    }
    SECTION("envp NULL: the caller's environ; a path; the caller's pid")
    {
        int p[2];
        REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
        Exec e = exec_in_child([&] {
            ::setenv("V", "inherited", 1);
            std::string pid = std::to_string(::getpid()) + "\n";
            (void)!::write(p[1], pid.data(), pid.size());
            Argv argv{"cmd", "two"};
            return exec_named(s.dirs, s.name, (bin / "netns-test-cmd").c_str(), argv.get(), nullptr,
                              s.roots)
                .error();
        });
        ::close(p[1]);
        char buf[32] = {};
        (void)!::read(p[0], buf, sizeof buf - 1);
        ::close(p[0]);
        CHECK(exited_0(e.status));
        CHECK(e.out == "two|inherited\n" + expect_tail + buf);
    }
    SECTION("exec failures: the errno, the thread back")
    {
        write_file(bin / "not-executable", "true\n");
        netns::test::ScopedEnv path("PATH", bin.path().c_str());
        Argv argv{"x"};
        struct Row {
            std::string what;
            int err;
            int want;
        };
        const std::vector<Row> rows = {
            {"missing command",
             exec_named(s.dirs, s.name, "netns-no-such-program", argv.get(), nullptr, s.roots)
                 .error(),
             ENOENT},
            {"missing path",
             exec_named(s.dirs, s.name, "/nonexistent/x", argv.get(), nullptr, s.roots).error(),
             ENOENT},
            {"not executable, by path",
             exec_named(s.dirs, s.name, (bin / "not-executable").c_str(), argv.get(), nullptr,
                        s.roots)
                 .error(),
             EACCES},
            {"not executable, found on PATH",
             exec_named(s.dirs, s.name, "not-executable", argv.get(), nullptr, s.roots).error(),
             EACCES},
            {"a directory", exec_named(s.dirs, s.name, "/", argv.get(), nullptr, s.roots).error(),
             EACCES},
            {"NULL file", exec_named(s.dirs, s.name, nullptr, argv.get(), nullptr, s.roots).error(),
             EINVAL},
            {"NULL argv", exec_named(s.dirs, s.name, "true", nullptr, nullptr, s.roots).error(),
             EINVAL},
            {"missing name",
             exec_named(s.dirs, "missing", "true", argv.get(), nullptr, s.roots).error(), ENOENT},
            {"bad name", exec_named(s.dirs, "..", "true", argv.get(), nullptr, s.roots).error(),
             EINVAL},
        };
        for (const auto &r : rows) {
            INFO(r.what << ": " << std::strerror(r.err));
            CHECK(r.err == r.want);
        }
    }
    CHECK(here() == home);
    CHECK(fd_count() == fds);
    CHECK(no_children());
    CHECK(netns::test::read_file(s.roots.etc + "/hosts") == s.original);
}

namespace {

// The calling thread's net and mount namespaces and working directory,
// held open: take() puts the thread back there by hand (after an
// enter_named that got through, or a way back that failed).
struct WayHome {
    UniqueFd net{::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)};
    UniqueFd mnt{::open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC)};
    UniqueFd cwd{::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)};
    WayHome()
    {
        REQUIRE(net);
        REQUIRE(mnt);
        REQUIRE(cwd);
    }
    void take() const
    {
        REQUIRE(::setns(mnt.get(), CLONE_NEWNS) == 0);
        REQUIRE(::fchdir(cwd.get()) == 0);
        REQUIRE(::setns(net.get(), CLONE_NEWNET) == 0);
    }
};

} // namespace

TEST_CASE("fault: enter_named", "[spawn][enter][fault]")
{
    Setup s;
    const Place home = here();
    WayHome way_home;
    for (int err : fault_errnos) {
        auto swept =
            sweep({.what = "enter_named",
                   .scratch = s.tmp.path(),
                   .run_dir = s.dirs.primary,
                   .call = [&] { return enter_named(s.dirs, s.name, s.roots).error(); },
                   .on_success =
                       [&] {
                           CHECK(thread_ns_id() == fd_ns_id(s.ns.get()));
                           CHECK(netns::test::read_file(s.roots.etc + "/hosts") == s.replaced);
                           // Back by hand, for the next round.
                           way_home.take();
                       },
                   .on_failure = [&] { CHECK(here() == home); }},
                  err);
        // get_from_name's, the /etc/netns listing, the way back's 4 opens,
        // setns, unshare, mount (slave), umount2, mount (sysfs), mount (bind).
        CHECK(swept.sites == lookup_calls(s) + 11);
        CHECK(here() == home);
        CHECK(netns::test::read_file(s.roots.etc + "/hosts") == s.original);
    }
}

TEST_CASE("fault: exec_named", "[spawn][exec][fault]")
{
    // A sweep ends with a call that gets through, which for exec_named is
    // an exec: sweep a command that is not there instead, whose ENOENT
    // ends it. Its way back runs after a real failure, so the sweep reaches
    // it: those two sites are ENOTRECOVERABLE, and the test takes the
    // thread back by hand.
    Setup s;
    const Place home = here();
    WayHome way_home;
    const int fds = fd_count();
    const auto mounts0 = mounts_under(s.tmp.path());
    Argv argv{"x"};
    netns::test::Disarm disarm;
    for (int err : fault_errnos) {
        unsigned n = 1, unrecoverable = 0;
        for (;; ++n) {
            INFO("failing wrapped call #" << n << " with " << std::strerror(err));
            REQUIRE(n < 200);
            fault::arm(n, err);
            int got =
                exec_named(s.dirs, s.name, "/nonexistent/netns-x", argv.get(), nullptr, s.roots)
                    .error();
            const bool fired = fault::fired();
            fault::disarm();
            if (got == ENOTRECOVERABLE) {
                ++unrecoverable;
                way_home.take();
            }
            CHECK(here() == home);
            CHECK(fd_count() == fds);
            CHECK(mounts_under(s.tmp.path()) == mounts0);
            if (!fired) {
                CHECK(got == ENOENT);
                break;
            }
            CHECK((got == err || got == ENOTRECOVERABLE));
        }
        // As enter_named, the execvpe and the two setns of the way back.
        CHECK(n - 1 == lookup_calls(s) + 14);
        CHECK(unrecoverable == 2);
    }
}
