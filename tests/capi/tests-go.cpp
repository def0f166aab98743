// SPDX-License-Identifier: Apache-2.0
// Where the C API deliberately differs from Go's vishvananda/netns (README,
// "Differences from vishvananda/netns"): one test case per difference, each
// saying what the Go package does instead.
// (doc/go-differences.md lists them.)
#include "capi_guards.hpp"
#include "catch.hpp"
#include "fake_docker.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using netns::test::exists;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::Handle;
using netns::test::TempDir;
using netns::test::thread_ns_id;

namespace {

// A run directory of the test's own, named by NETNS_RUN_DIR, whose shared
// self-bind (made by netns_new_named) is undone at scope exit.
struct OwnRunDir {
    TempDir tmp;
    std::string dir = tmp / "netns";
    netns::test::ScopedEnv env{"NETNS_RUN_DIR", dir.c_str()};
    OwnRunDir() { REQUIRE(mkdir(dir.c_str(), 0755) == 0); }
    ~OwnRunDir() { (void)umount2(dir.c_str(), MNT_DETACH); }
    std::string operator/(const std::string &name) const { return dir + "/" + name; }
};

// Creates an empty regular file.
void touch(const std::string &path)
{
    int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    close(fd);
}

std::string described(int (*describe)(int, char *, size_t), int ns)
{
    char buf[128];
    REQUIRE(describe(ns, buf, sizeof buf) >= 0);
    return buf;
}

} // namespace

TEST_CASE("go: NETNS_NONE is NS(none) in netns_string too", "[capi][go]")
{
    // Go's String() says "NS(None)" and its UniqueId() "NS(none)": one
    // spelling here for both.
    CHECK(described(netns_string, NETNS_NONE) == "NS(none)");
    CHECK(described(netns_unique_id, NETNS_NONE) == "NS(none)");
}

TEST_CASE("go: netns_is_open is 0 for every negative value", "[capi][go]")
{
    // Go's IsOpen() is true for anything but -1. Here a negative errno
    // from a failed lookup must not read as an open handle.
    int ns = netns_get_from_path("/nonexistent/net");
    CHECK(ns == -ENOENT);
    CHECK(netns_is_open(ns) == 0);
    CHECK(netns_is_open(-2) == 0);
    CHECK(netns_is_open(NETNS_NONE) == 0);
}

TEST_CASE("go: netns_equal compares namespaces, never bare numbers", "[capi][go]")
{
    // Go's Equal() is true whenever the two numbers are the same, before
    // looking at them. Here a value that is not an open descriptor equals
    // nothing, itself included; only NETNS_NONE equals NETNS_NONE.
    Handle h(netns_get());
    REQUIRE(h.fd >= 0);
    int closed = dup(h.fd);
    close(closed);
    CHECK(netns_equal(closed, closed) == 0);
    CHECK(netns_equal(-2, -2) == 0);
    CHECK(netns_equal(h.fd, h.fd) == 1);
    CHECK(netns_equal(NETNS_NONE, NETNS_NONE) == 1);
}

TEST_CASE("go: netns_get_from_path opens network namespaces only", "[capi][go]")
{
    // Go's GetFromPath() opens any file (and blocks on a FIFO without a
    // writer); the mistake shows only at setns. Here it is -EINVAL at once,
    // without blocking and without leaking a descriptor.
    TempDir tmp;
    int fds = fd_count();
    REQUIRE(mkfifo((tmp / "fifo").c_str(), 0600) == 0);
    touch(tmp / "file");
    for (const char *kind : {"fifo", "file"})
        CHECK(netns_get_from_path((tmp / kind).c_str()) == -EINVAL);
    CHECK(netns_get_from_path("/proc/self/ns/uts") == -EINVAL);
    CHECK(fd_count() == fds);
}

TEST_CASE("go: names are checked and entries verified", "[capi][go]")
{
    // Go's GetFromName() joins any string onto /var/run/netns ("../x"
    // escapes it) and opens whatever is there, e.g. the empty file a
    // half-done `ip netns add` leaves. Here the run directory is
    // NETNS_RUN_DIR (else /run/netns), names are one path component, and
    // an entry that is not a mounted network namespace is -EINVAL.
    OwnRunDir run;
    touch(run / "stale");
    CHECK(netns_get_from_name("stale") == -EINVAL);
    CHECK(netns_get_from_name("../netns/stale") == -EINVAL);
    CHECK(netns_get_from_name("a/b") == -EINVAL);
    CHECK(netns_get_from_name("missing") == -ENOENT);
}

TEST_CASE("go: pids and tids must be positive", "[capi][go]")
{
    // Go formats any number into /proc/<pid>/...; here a pid or tid <= 0
    // is -EINVAL without touching /proc.
    CHECK(netns_get_from_pid(0) == -EINVAL);
    CHECK(netns_get_from_pid(-1) == -EINVAL);
    CHECK(netns_get_from_thread(getpid(), 0) == -EINVAL);
}

TEST_CASE("go: a failing netns_new leaves the thread where it was", "[capi][go]")
{
    // Go's New() unshares, then opens the new namespace; when the open
    // fails, the thread stays in the new namespace. Here one descriptor is
    // free: enough to remember the way back, not for the new handle.
    if (std::getenv("NETNS_TEST_UNDER_VALGRIND") != nullptr) {
        WARN("skipped under valgrind: it emulates RLIMIT_NOFILE after the real open");
        return;
    }
    netns::test::SetGuard keep;
    std::string home = thread_ns_id();
    int fds = fd_count();
    int free_fd = dup(0);
    if (free_fd < 0)
        free_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(free_fd >= 0);
    close(free_fd);
    struct rlimit old;
    REQUIRE(getrlimit(RLIMIT_NOFILE, &old) == 0);
    struct rlimit one_free = old;
    one_free.rlim_cur = static_cast<rlim_t>(free_fd) + 1;
    REQUIRE(setrlimit(RLIMIT_NOFILE, &one_free) == 0);
    int rc = netns_new();
    REQUIRE(setrlimit(RLIMIT_NOFILE, &old) == 0);
    CHECK(rc == -EMFILE);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
}

TEST_CASE("go: a failing netns_new_named leaves the thread where it was", "[capi][go]")
{
    // Go's NewNamed() enters the new namespace first and then creates the
    // entry: a name that is taken fails with the thread moved. Here the
    // entry comes first, and the thread stays.
    netns::test::SetGuard keep;
    OwnRunDir run;
    touch(run / "taken");
    std::string home = thread_ns_id();
    CHECK(netns_new_named("taken") == -EEXIST);
    CHECK(thread_ns_id() == home);
    CHECK(exists(run / "taken"));
}

TEST_CASE("go: netns_delete_named peels stacked mounts and removes stale entries", "[capi][go]")
{
    // Go's DeleteNamed() unmounts once, then removes: a stale (unmounted)
    // entry fails the unmount and stays, and a second mount stacked on the
    // entry keeps it busy. Here both are removed.
    netns::test::SetGuard keep;
    OwnRunDir run;
    SECTION("stale entry")
    {
        touch(run / "stale");
        CHECK(netns_delete_named("stale") == 0);
        CHECK_FALSE(exists(run / "stale"));
    }
    SECTION("stacked mounts")
    {
        int h = netns_new_named("stacked");
        REQUIRE(h >= 0);
        netns_close(&h);
        std::string path = run / "stacked";
        REQUIRE(mount(path.c_str(), path.c_str(), "none", MS_BIND, nullptr) == 0);
        CHECK(netns_delete_named("stacked") == 0);
        CHECK_FALSE(exists(path));
    }
}

TEST_CASE("go: netns_close always leaves NETNS_NONE", "[capi][go]")
{
    // Go's Close() keeps the value when close(2) fails. Here the handle is
    // NETNS_NONE afterwards whatever happened, so it is never closed twice.
    int stale = dup(0);
    if (stale < 0)
        stale = open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(stale >= 0);
    close(stale);
    CHECK(netns_close(&stale) == -EBADF);
    CHECK(stale == NETNS_NONE);
    CHECK(netns_close(&stale) == -EBADF);
    CHECK(stale == NETNS_NONE);
}

TEST_CASE("go: the Docker lookup asks the daemon, and ids are not patterns", "[capi][go]")
{
    // Go's GetFromDocker() only globs the cgroup trees with "<id>*" (so
    // '*' or '?' in an id are patterns) and needs /var/run/docker.pid.
    // Here the Engine API answers first; no cgroup tree exists in this test.
    TempDir tmp;
    const std::string sock = tmp / "docker.sock";
    netns::test::ScopedEnv host("DOCKER_HOST", ("unix://" + sock).c_str());
    int ns = NETNS_NONE;
    {
        netns::test::FakeDaemon daemon(
            sock,
            {{netns::test::http_reply(200, "OK", netns::test::inspect_json(getpid(), true))}});
        ns = netns_get_from_docker("4f66ad9a0b2e");
    }
    REQUIRE(ns >= 0);
    CHECK(fd_ns_id(ns) == thread_ns_id());
    netns_close(&ns);
    CHECK(netns_get_from_docker("4f*") == -EINVAL);
    CHECK(netns_get_from_docker("4f?") == -EINVAL);
}
