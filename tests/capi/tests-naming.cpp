// SPDX-License-Identifier: Apache-2.0
// Creating, naming and deleting through the C API (netns.h's third group),
// the names: the run dir (NETNS_RUN_DIR, netns_run_dir), netns_check_name,
// netns_get_from_name, netns_delete_named, netns_attach and netns_attach_fd,
// and interoperation with iproute2's `ip netns`. netns_create and
// netns_create_at: tests-naming-create.cpp; netns_new_named, which also
// moves the thread: tests-switching.cpp.
// The sandbox (sandbox.h) gives these tests a private /run, so the default
// run dir /run/netns is really used and nothing reaches the host's.
#include "catch.hpp"
#include "capi_guards.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using netns::test::default_dir;
using netns::test::exists;
using netns::test::fd_count;
using netns::test::Handle;
using netns::test::have_program;
using netns::test::listed;
using netns::test::mounts_at;
using netns::test::NameGuard;
using netns::test::PrivateRunDir;
using netns::test::read_file;
using netns::test::run_command;
using netns::test::ScopedEnv;
using netns::test::Sleeper;
using netns::test::TempDir;
using netns::test::thread_ns_id;
using netns::test::unique_name;
using netns::test::UnmountAtExit;

TEST_CASE("NETNS_RUN_DIR moves the run directory", "[named]")
{
    netns::test::SetGuard keep;
    TempDir tmp;
    std::string dir = tmp / "private/netns";
    UnmountAtExit unmount(dir);
    netns::test::ScopedEnv env("NETNS_RUN_DIR", dir.c_str());
    NameGuard g{unique_name("env")};
    const std::string &name = g.name;

    int h = netns_new_named(name.c_str());
    REQUIRE(h >= 0);
    CHECK(exists(dir + "/" + name));
    CHECK_FALSE(exists(default_dir + "/" + name));
    int again = netns_get_from_name(name.c_str());
    CHECK(netns_equal(again, h) == 1);
    netns_close(&again);
    netns_close(&h);
    CHECK(netns_delete_named(name.c_str()) == 0);
    CHECK_FALSE(exists(dir + "/" + name));
    // The run dir's own shared self-bind stays, as with iproute2.
    CHECK(mounts_at(dir) == 1);
}

TEST_CASE("iproute2 sees and uses our names, and we see its", "[named][iproute2]")
{
    if (!netns::test::have_program("ip")) {
        WARN("iproute2 is not installed: skipping the `ip netns` checks");
        return;
    }
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    int home = netns_get();
    REQUIRE(home >= 0);

    SECTION("ip netns list and exec on a name made by libnetns")
    {
        NameGuard g{unique_name("ours")};
        int h = netns_new_named(g.name.c_str());
        REQUIRE(h >= 0);
        REQUIRE(netns_set(home) == 0);
        CHECK(netns::test::run_command("ip netns list | grep -qx '" + g.name +
                                       "\\( (id: [0-9]*)\\)\\?'") == 0);
        CHECK(netns::test::run_command("ip netns exec " + g.name + " true") == 0);
        // The command really runs in that namespace.
        TempDir tmp;
        std::string out = tmp / "ino";
        CHECK(netns::test::run_command("ip netns exec " + g.name +
                                       " stat -L -c %i /proc/self/ns/net > " + out) == 0);
        struct stat st;
        REQUIRE(fstat(h, &st) == 0);
        CHECK(netns::test::read_file(out) == std::to_string(st.st_ino) + "\n");
        netns_close(&h);
        CHECK(netns_delete_named(g.name.c_str()) == 0);
        CHECK(netns::test::run_command("ip netns list | grep -q '^" + g.name + "'") != 0);
    }
    SECTION("a name made by ip netns add")
    {
        NameGuard g{unique_name("theirs")};
        REQUIRE(netns::test::run_command("ip netns add " + g.name) == 0);
        int h = netns_get_from_name(g.name.c_str());
        CHECK(h >= 0);
        CHECK(netns_equal(h, home) == 0);
        if (h >= 0)
            netns_close(&h);
        CHECK(netns_delete_named(g.name.c_str()) == 0);
        CHECK_FALSE(exists(default_dir + "/" + g.name));
    }
    close(home);
}

TEST_CASE("16 threads creating one name: exactly one wins", "[named][threads]")
{
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    NameGuard g{unique_name("race")};
    std::atomic<int> winners{0}, exists_errors{0}, others{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    int fds = fd_count();
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&] {
            int home = netns_get();
            while (!go)
                std::this_thread::yield();
            int h = netns_new_named(g.name.c_str());
            if (h >= 0) {
                ++winners;
                netns_close(&h);
            } else if (h == -EEXIST) {
                ++exists_errors;
            } else {
                ++others;
            }
            // Losers never moved; the winner goes home.
            netns_set(home);
            netns_close(&home);
        });
    go = true;
    for (auto &t : threads)
        t.join();
    CHECK(winners == 1);
    CHECK(exists_errors == 15);
    CHECK(others == 0);
    CHECK(mounts_at(default_dir + "/" + g.name) == 1);
    CHECK(mounts_at(default_dir) == 1); // one self-bind, however many raced
    CHECK(netns_delete_named(g.name.c_str()) == 0);
    CHECK(fd_count() == fds);
}

TEST_CASE("many names made in parallel stack no run-dir mounts", "[named][threads]")
{
    TempDir tmp;
    std::string dir = tmp / "netns";
    UnmountAtExit unmount(dir);
    netns::test::ScopedEnv env("NETNS_RUN_DIR", dir.c_str());
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            int home = netns_get();
            std::string name = "par-" + std::to_string(i);
            int h = netns_new_named(name.c_str());
            if (h < 0)
                ++failures;
            netns_set(home);
            netns_close(&h);
            netns_close(&home);
            if (netns_delete_named(name.c_str()) != 0)
                ++failures;
        });
    for (auto &t : threads)
        t.join();
    CHECK(failures == 0);
    CHECK(mounts_at(dir) == 1);
}

TEST_CASE("named-namespace argument errors", "[named]")
{
    netns::test::SetGuard keep;
    std::string home = thread_ns_id();
    int fds = fd_count();
    std::string longname(300, 'x');
    for (const char *bad :
         {(const char *)nullptr, "", ".", "..", "a/b", "/abs", longname.c_str()}) {
        INFO((bad ? bad : "(null)"));
        CHECK(netns_new_named(bad) == -EINVAL);
        CHECK(netns_get_from_name(bad) == -EINVAL);
        CHECK(netns_delete_named(bad) == -EINVAL);
    }
    // Whatever run dir the environment names: a name nobody else has.
    std::string missing = unique_name("missing");
    CHECK(netns_get_from_name(missing.c_str()) == -ENOENT);
    CHECK(netns_delete_named(missing.c_str()) == -ENOENT);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
}

TEST_CASE("entries that are not namespaces", "[named]")
{
    netns::test::SetGuard keep;
    TempDir tmp;
    std::string dir = tmp / "netns";
    UnmountAtExit unmount(dir);
    netns::test::ScopedEnv env("NETNS_RUN_DIR", dir.c_str());
    REQUIRE(mkdir(dir.c_str(), 0755) == 0);
    REQUIRE(mkdir((dir + "/adir").c_str(), 0755) == 0);
    close(open((dir + "/afile").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    std::string home = thread_ns_id();

    CHECK(netns_new_named("adir") == -EEXIST);
    CHECK(netns_new_named("afile") == -EEXIST);
    CHECK(netns_get_from_name("adir") == -EINVAL);
    CHECK(netns_get_from_name("afile") == -EINVAL);
    CHECK(netns_delete_named("adir") == -EISDIR);
    CHECK(exists(dir + "/adir"));
    CHECK(netns_delete_named("afile") == 0);
    CHECK(thread_ns_id() == home);
}

// ---- LIBNETNS_0.5: netns_check_name, netns_run_dir ----

#include <climits>
#include <cstring>

TEST_CASE("netns_check_name: the name rule, as a table", "[named][check_name]")
{
    const std::string longest(NAME_MAX, 'n'), too_long(NAME_MAX + 1, 'n');
    const struct {
        const char *label;
        const char *name;
        int want;
    } rows[] = {
        {"a", "a", 0},
        {"dots inside", "a.b..c", 0},
        {"three dots", "...", 0},
        {"leading dot", ".hidden", 0},
        {"leading dash", "-x", 0},
        {"-all", "-all", 0},
        {"space", "with space", 0},
        {"backslash", "a\\b", 0},
        {"not UTF-8",
         "bad\xff"
         "name",
         0},
        {"NAME_MAX bytes", longest.c_str(), 0},
        {"NULL", nullptr, -EINVAL},
        {"empty", "", -EINVAL},
        {".", ".", -EINVAL},
        {"..", "..", -EINVAL},
        {"a/b", "a/b", -EINVAL},
        {"/abs", "/abs", -EINVAL},
        {"trailing /", "a/", -EINVAL},
        {"/", "/", -EINVAL},
        {"NAME_MAX + 1 bytes", too_long.c_str(), -EINVAL},
    };
    const int fds = fd_count();
    const std::string home = thread_ns_id();
    for (const auto &r : rows) {
        INFO(r.label);
        CHECK(netns_check_name(r.name) == r.want);
        // The same rule as every function that takes a name.
        if (r.want != 0)
            CHECK(netns_get_from_name(r.name) == -EINVAL);
    }
    CHECK(fd_count() == fds);
    CHECK(thread_ns_id() == home);
}

TEST_CASE("netns_run_dir: NETNS_RUN_DIR or the default, snprintf's rules", "[named][run_dir]")
{
    char buf[64];
    SECTION("NETNS_RUN_DIR unset or empty: /run/netns (the sandbox has a /run)")
    {
        for (const char *value : {(const char *)nullptr, ""}) {
            netns::test::ScopedEnv env("NETNS_RUN_DIR", value);
            std::memset(buf, 'x', sizeof buf);
            CHECK(netns_run_dir(buf, sizeof buf) == 10);
            CHECK(std::string(buf) == "/run/netns");
        }
    }
    SECTION("NETNS_RUN_DIR set: taken as it is")
    {
        netns::test::ScopedEnv env("NETNS_RUN_DIR", "/some/where/netns");
        CHECK(netns_run_dir(buf, sizeof buf) == 17);
        CHECK(std::string(buf) == "/some/where/netns");
        // The directory the name functions use.
        TempDir tmp;
        netns::test::ScopedEnv env2("NETNS_RUN_DIR", tmp.path().c_str());
        CHECK(netns_run_dir(buf, sizeof buf) == static_cast<int>(tmp.path().size()));
        CHECK(std::string(buf) == tmp.path());
        int fd = netns_create("run-dir-check");
        REQUIRE(fd >= 0);
        netns_close(&fd);
        CHECK(exists(std::string(buf) + "/run-dir-check"));
        CHECK(netns_delete_named("run-dir-check") == 0);
    }
    SECTION("truncation, size 0, NULL")
    {
        netns::test::ScopedEnv env("NETNS_RUN_DIR", "/some/where/netns");
        std::memset(buf, 'x', sizeof buf);
        CHECK(netns_run_dir(buf, 6) == 17);
        CHECK(std::string(buf) == "/some");
        CHECK(buf[6] == 'x');
        CHECK(netns_run_dir(buf, 1) == 17);
        CHECK(buf[0] == '\0');
        std::memset(buf, 'x', sizeof buf);
        CHECK(netns_run_dir(buf, 0) == 17);
        CHECK(buf[0] == 'x');
        CHECK(netns_run_dir(nullptr, 0) == 17);
        CHECK(netns_run_dir(buf, 18) == 17);
        CHECK(std::string(buf) == "/some/where/netns");
        CHECK(netns_run_dir(nullptr, 1) == -EINVAL);
        CHECK(netns_run_dir(nullptr, sizeof buf) == -EINVAL);
    }
    SECTION("a path longer than PATH_MAX: its whole length")
    {
        const std::string deep(PATH_MAX + 10, 'd');
        netns::test::ScopedEnv env("NETNS_RUN_DIR", deep.c_str());
        CHECK(netns_run_dir(nullptr, 0) == static_cast<int>(deep.size()));
        std::string got(deep.size() + 1, '\0');
        CHECK(netns_run_dir(got.data(), got.size()) == static_cast<int>(deep.size()));
        CHECK(got.c_str() == deep);
    }
}

// ---------------------------------------------------------------------
// netns_attach, netns_attach_fd

TEST_CASE("netns_attach names a process's namespace; the caller stays", "[attach]")
{
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    Sleeper child(ns.fd);
    NameGuard name{unique_name("attach")};
    const std::string home = thread_ns_id();
    const int fds = fd_count();
    REQUIRE(netns_attach(name.name.c_str(), child.pid()) == 0);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    int got = netns_get_from_name(name.name.c_str());
    REQUIRE(got >= 0);
    Handle got_h(got);
    CHECK(netns_equal(got, ns.fd) == 1);
    CHECK(netns_attach(name.name.c_str(), child.pid()) == -EEXIST);
    CHECK(netns_attach_fd(name.name.c_str(), ns.fd) == -EEXIST);
    CHECK(fd_count() == fds + 1);
}

TEST_CASE("netns_attach_fd names any network namespace handle", "[attach]")
{
    PrivateRunDir run; // a run dir that does not exist yet: prepared as ip does
    ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    const int fds = fd_count();
    REQUIRE(netns_attach_fd("one", ns.fd) == 0);
    REQUIRE(netns_attach_fd("two", ns.fd) == 0);
    CHECK(fd_count() == fds);
    CHECK(netns_is_netns(ns.fd) == 1); // still the caller's
    CHECK(mounts_at(run.dir + "/one") == 1);
    CHECK(listed() == std::vector<std::string>{"one", "two"});
    CHECK(netns_delete_named("one") == 0);
    CHECK(netns_delete_named("two") == 0);
    CHECK(netns::test::list_dir(run.dir).empty());
}

TEST_CASE("netns_attach errors leave no entry", "[attach][errors]")
{
    PrivateRunDir run;
    ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
    CHECK(netns_attach("x", netns::test::dead_pid()) == -ESRCH);
    CHECK(netns_attach("x", 0) == -EINVAL);
    CHECK(netns_attach("a/b", getpid()) == -EINVAL);
    CHECK(netns_attach(nullptr, getpid()) == -EINVAL);
    int uts = ::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
    REQUIRE(uts >= 0);
    CHECK(netns_attach_fd("x", uts) == -EINVAL);
    ::close(uts);
    CHECK(!exists(run.dir + "/x"));

    // A read-only run dir.
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    REQUIRE(::mount(run.dir.c_str(), run.dir.c_str(), "none", MS_BIND, nullptr) == 0);
    REQUIRE(::mount("none", run.dir.c_str(), "none", MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) ==
            0);
    CHECK(netns_attach("x", getpid()) == -EROFS);
    CHECK(!exists(run.dir + "/x"));
}

TEST_CASE("netns_attach and `ip netns` work with each other's names", "[attach][iproute2]")
{
    if (!have_program("ip")) {
        WARN("iproute2 is not installed: skipping");
        return;
    }
    ScopedEnv env("NETNS_RUN_DIR", nullptr);
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    Sleeper child(ns.fd);
    // Ours, used by `ip netns exec`.
    NameGuard ours{unique_name("attached")};
    REQUIRE(netns_attach(ours.name.c_str(), child.pid()) == 0);
    TempDir tmp;
    const std::string out = tmp / "ino";
    REQUIRE(run_command("ip netns exec " + ours.name + " stat -L -c %i /proc/self/ns/net > " +
                        out) == 0);
    struct stat st;
    REQUIRE(::fstat(ns.fd, &st) == 0);
    CHECK(read_file(out) == std::to_string(st.st_ino) + "\n");
    // Theirs (`ip netns attach NAME PID`), found by netns_get_from_name.
    NameGuard theirs{unique_name("ipattached")};
    REQUIRE(run_command("ip netns attach " + theirs.name + " " + std::to_string(child.pid())) == 0);
    int got = netns_get_from_name(theirs.name.c_str());
    REQUIRE(got >= 0);
    Handle got_h(got);
    CHECK(netns_equal(got, ns.fd) == 1);
}
