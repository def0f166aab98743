// SPDX-License-Identifier: Apache-2.0
// Handles and lookups through the C API (netns.h's first group): the
// version, the constants, netns_none, netns_is_open, netns_close,
// netns_equal, netns_string, netns_unique_id, the netns_get* lookups
// (netns_get_from_docker: tests-handle-docker.cpp), netns_type and
// netns_is_netns; success paths and every documented error. Linked against
// libnetns.so.
#include "capi_guards.hpp"
#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sched.h>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using netns::test::cloexec;
using netns::test::dead_pid;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::list_dir;
using netns::test::pidfd_open;
using netns::test::Sleeper;
using netns::test::TempDir;
using netns::test::thread_ns_id;

using netns::test::Handle;

TEST_CASE("netns_version and the version macros agree", "[capi]")
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", NETNS_VERSION_MAJOR, NETNS_VERSION_MINOR,
             NETNS_VERSION_MICRO);
    CHECK(std::string(NETNS_VERSION_STRING) == want);
    CHECK(std::string(netns_version()) == NETNS_VERSION_STRING);
}

TEST_CASE("constants have the kernel's values", "[capi]")
{
    CHECK(NETNS_NONE == -1);
    CHECK(NETNS_CLONE_NEWUTS == CLONE_NEWUTS);
    CHECK(NETNS_CLONE_NEWIPC == CLONE_NEWIPC);
    CHECK(NETNS_CLONE_NEWUSER == CLONE_NEWUSER);
    CHECK(NETNS_CLONE_NEWPID == CLONE_NEWPID);
    CHECK(NETNS_CLONE_NEWNET == CLONE_NEWNET);
    CHECK(NETNS_CLONE_IO == static_cast<unsigned>(CLONE_IO));
}

TEST_CASE("netns_none and netns_is_open", "[capi]")
{
    CHECK(netns_none() == NETNS_NONE);
    CHECK(netns_is_open(netns_none()) == 0);
    CHECK(netns_is_open(0) == 1);
    CHECK(netns_is_open(5) == 1);
    CHECK(netns_is_open(-2) == 0);
}

TEST_CASE("netns_get", "[capi]")
{
    Handle h(netns_get());
    REQUIRE(h.fd >= 0);
    CHECK(cloexec(h.fd));
    CHECK(fd_ns_id(h.fd) == thread_ns_id());
}

TEST_CASE("netns_get_from_path", "[capi]")
{
    int fds = fd_count();
    TempDir tmp;
    SECTION("a network namespace file")
    {
        Handle h(netns_get_from_path("/proc/self/ns/net"));
        REQUIRE(h.fd >= 0);
        CHECK(cloexec(h.fd));
        CHECK(fd_ns_id(h.fd) == thread_ns_id());
    }
    SECTION("not a network namespace: EINVAL")
    {
        std::string file = tmp / "file";
        close(open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
        std::string fifo = tmp / "fifo";
        REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
        CHECK(netns_get_from_path(file.c_str()) == -EINVAL);
        CHECK(netns_get_from_path(fifo.c_str()) == -EINVAL);
        CHECK(netns_get_from_path(tmp.path().c_str()) == -EINVAL);
        CHECK(netns_get_from_path("/proc/self/ns/mnt") == -EINVAL);
        CHECK(netns_get_from_path(nullptr) == -EINVAL);
        CHECK(netns_get_from_path("") == -EINVAL);
    }
    SECTION("open errors pass through")
    {
        CHECK(netns_get_from_path((tmp / "missing").c_str()) == -ENOENT);
        CHECK(netns_get_from_path("/proc/self/status/net") == -ENOTDIR);
        std::string longpath(5000, 'a');
        CHECK(netns_get_from_path(longpath.c_str()) == -ENAMETOOLONG);
    }
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_get_from_pid and netns_get_from_thread", "[capi]")
{
    int fds = fd_count();
    {
        Handle p(netns_get_from_pid(getpid()));
        REQUIRE(p.fd >= 0);
        CHECK(cloexec(p.fd));
        Handle t(netns_get_from_thread(getpid(), gettid()));
        REQUIRE(t.fd >= 0);
        CHECK(netns_equal(p.fd, t.fd) == 1);
    }
    SECTION("bad ids: EINVAL")
    {
        CHECK(netns_get_from_pid(0) == -EINVAL);
        CHECK(netns_get_from_pid(-5) == -EINVAL);
        CHECK(netns_get_from_thread(0, 1) == -EINVAL);
        CHECK(netns_get_from_thread(getpid(), 0) == -EINVAL);
        CHECK(netns_get_from_thread(getpid(), -1) == -EINVAL);
    }
    SECTION("dead pids: ENOENT or ESRCH")
    {
        pid_t dead = dead_pid();
        int rc = netns_get_from_pid(dead);
        CHECK((rc == -ENOENT || rc == -ESRCH));
        rc = netns_get_from_thread(dead, dead);
        CHECK((rc == -ENOENT || rc == -ESRCH));
        CHECK(netns_get_from_thread(getpid(), dead) == -ENOENT);
    }
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_close", "[capi]")
{
    int fds = fd_count();
    int h = netns_get();
    REQUIRE(h >= 0);
    CHECK(netns_close(&h) == 0);
    CHECK(h == NETNS_NONE);
    CHECK(fd_count() == fds);
    CHECK(netns_close(&h) == -EBADF); // already closed
    CHECK(h == NETNS_NONE);
    CHECK(netns_close(nullptr) == -EINVAL);
    int stale = dup(0);
    close(stale);
    CHECK(netns_close(&stale) == -EBADF);
    CHECK(stale == NETNS_NONE);
}

TEST_CASE("netns_equal", "[capi]")
{
    netns::test::SetGuard keep;
    Handle a(netns_get());
    Handle b(netns_get_from_pid(getpid()));
    CHECK(netns_equal(a.fd, b.fd) == 1);
    CHECK(netns_equal(a.fd, a.fd) == 1);
    CHECK(netns_equal(NETNS_NONE, NETNS_NONE) == 1);
    CHECK(netns_equal(a.fd, NETNS_NONE) == 0);
    CHECK(netns_equal(NETNS_NONE, a.fd) == 0);
    Handle c(netns_new());
    CHECK(netns_equal(a.fd, c.fd) == 0);
    int closed = dup(a.fd);
    close(closed);
    CHECK(netns_equal(a.fd, closed) == 0);
    Handle mnt(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
    CHECK(netns_equal(a.fd, mnt.fd) == 0);
}

TEST_CASE("netns_string and netns_unique_id", "[capi]")
{
    Handle h(netns_get());
    struct stat st;
    REQUIRE(fstat(h.fd, &st) == 0);
    char want[128], buf[128];

    snprintf(want, sizeof want, "NS(%d: %" PRIu64 ", %" PRIu64 ")", h.fd, (uint64_t)st.st_dev,
             (uint64_t)st.st_ino);
    CHECK(netns_string(h.fd, buf, sizeof buf) == (int)strlen(want));
    CHECK(std::string(buf) == want);
    CHECK(netns_string(h.fd, nullptr, 0) == (int)strlen(want));

    snprintf(want, sizeof want, "NS(%" PRIu64 ":%" PRIu64 ")", (uint64_t)st.st_dev,
             (uint64_t)st.st_ino);
    CHECK(netns_unique_id(h.fd, buf, sizeof buf) == (int)strlen(want));
    CHECK(std::string(buf) == want);

    SECTION("the same namespace through another handle has the same id")
    {
        Handle other(netns_get_from_pid(getpid()));
        char again[128];
        netns_unique_id(other.fd, again, sizeof again);
        CHECK(std::string(again) == buf);
    }
    SECTION("none and unknown")
    {
        CHECK(netns_string(NETNS_NONE, buf, sizeof buf) == 8);
        CHECK(std::string(buf) == "NS(none)");
        CHECK(netns_unique_id(NETNS_NONE, buf, sizeof buf) == 8);
        CHECK(std::string(buf) == "NS(none)");
        int closed = dup(h.fd);
        close(closed);
        netns_string(closed, buf, sizeof buf);
        CHECK(std::string(buf) == "NS(" + std::to_string(closed) + ": unknown)");
        CHECK(netns_unique_id(closed, buf, sizeof buf) == 11);
        CHECK(std::string(buf) == "NS(unknown)");
    }
    SECTION("snprintf truncation, and the NULL buffer")
    {
        char small[4];
        CHECK(netns_string(NETNS_NONE, small, sizeof small) == 8);
        CHECK(std::string(small) == "NS(");
        CHECK(netns_unique_id(NETNS_NONE, small, 1) == 8);
        CHECK(small[0] == '\0');
        CHECK(netns_string(h.fd, nullptr, 10) == -EINVAL);
        CHECK(netns_unique_id(h.fd, nullptr, 10) == -EINVAL);
    }
}

// ---------------------------------------------------------------------
// netns_type / netns_is_netns

TEST_CASE("netns_type and netns_is_netns tell every namespace type", "[type]")
{
    const std::map<std::string, int> types = {
        {"net", NETNS_CLONE_NEWNET},   {"uts", NETNS_CLONE_NEWUTS},
        {"ipc", NETNS_CLONE_NEWIPC},   {"mnt", NETNS_CLONE_NEWNS},
        {"pid", NETNS_CLONE_NEWPID},   {"pid_for_children", NETNS_CLONE_NEWPID},
        {"user", NETNS_CLONE_NEWUSER}, {"cgroup", NETNS_CLONE_NEWCGROUP},
        {"time", NETNS_CLONE_NEWTIME}, {"time_for_children", NETNS_CLONE_NEWTIME},
    };
    const int fds = fd_count();
    const auto present = list_dir("/proc/self/ns");
    REQUIRE(!present.empty());
    int seen = 0;
    for (const auto &name : present) {
        INFO("/proc/self/ns/" << name);
        int fd = open(("/proc/self/ns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            // pid_for_children before the first child of a new pid ns.
            WARN("cannot open /proc/self/ns/" << name << ": " << std::strerror(errno));
            continue;
        }
        auto it = types.find(name);
        if (it == types.end()) {
            WARN("an entry this test does not know: " << name);
            CHECK(netns_type(fd) > 0);
        } else {
            CHECK(netns_type(fd) == it->second);
            CHECK(netns_is_netns(fd) == (it->second == NETNS_CLONE_NEWNET ? 1 : 0));
            ++seen;
        }
        close(fd);
    }
    CHECK(seen >= 7); // net uts ipc mnt pid user cgroup at least
    // Handles from the library are network namespaces.
    int h = netns_get();
    CHECK(netns_type(h) == NETNS_CLONE_NEWNET);
    CHECK(netns_is_netns(h) == 1);
    netns_close(&h);
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_type and netns_is_netns on fds that are not namespaces", "[type][errors]")
{
    TempDir tmp;
    const std::string file = tmp / "file";
    int f = open(file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    REQUIRE(f >= 0);
    int p[2];
    REQUIRE(pipe2(p, O_CLOEXEC) == 0);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(s >= 0);
    int d = open("/proc/self/ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(d >= 0);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(null >= 0);
    for (int fd : {f, p[0], p[1], s, d, null}) {
        INFO("fd " << fd);
        CHECK(netns_type(fd) == -EINVAL);
        CHECK(netns_is_netns(fd) == 0);
    }
    for (int fd : {f, p[0], p[1], s, d, null})
        close(fd);
    // Closed now, and never-open numbers.
    for (int fd : {f, s, -1, -100, INT_MAX}) {
        INFO("closed fd " << fd);
        CHECK(netns_type(fd) == -EBADF);
        CHECK(netns_is_netns(fd) == -EBADF);
    }
}

TEST_CASE("netns_type and netns_is_netns on O_PATH descriptors", "[type]")
{
    // The kernel refuses the type ioctl on O_PATH fds; the library reopens
    // the inode, but only once it is known to be a namespace: an O_PATH
    // FIFO must not block.
    TempDir tmp;
    const std::string fifo = tmp / "fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    int net = open("/proc/self/ns/net", O_PATH | O_CLOEXEC);
    int uts = open("/proc/self/ns/uts", O_PATH | O_CLOEXEC);
    int pipe_path = open(fifo.c_str(), O_PATH | O_CLOEXEC);
    int file = open("/proc/self/ns", O_PATH | O_CLOEXEC);
    REQUIRE(net >= 0);
    REQUIRE(uts >= 0);
    REQUIRE(pipe_path >= 0);
    REQUIRE(file >= 0);
    int before = netns::test::fd_count();
    CHECK(netns_type(net) == NETNS_CLONE_NEWNET);
    CHECK(netns_is_netns(net) == 1);
    CHECK(netns_type(uts) == NETNS_CLONE_NEWUTS);
    CHECK(netns_is_netns(uts) == 0);
    CHECK(netns_type(pipe_path) == -EINVAL);
    CHECK(netns_is_netns(pipe_path) == 0);
    CHECK(netns_type(file) == -EINVAL);
    CHECK(netns::test::fd_count() == before);
    for (int fd : {net, uts, pipe_path, file})
        close(fd);
}

// ---------------------------------------------------------------------
// netns_get_from_pidfd

TEST_CASE("netns_get_from_pidfd opens the namespace of the process behind a pidfd", "[pidfd]")
{
    if (!netns::test::have_pidfd_open()) {
        WARN("skipped: pidfd_open(2) is not available (Linux before 5.3, or valgrind 3.19)");
        return;
    }
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    pid_t pid;
    {
        Sleeper child(ns.fd);
        pid = child.pid();
        int pidfd = pidfd_open(pid);
        REQUIRE(pidfd >= 0);
        const int fds = fd_count();
        int got = netns_get_from_pidfd(pidfd);
        REQUIRE(got >= 0);
        CHECK(fd_count() == fds + 1);
        CHECK(netns_equal(got, ns.fd) == 1);
        CHECK((::fcntl(got, F_GETFD) & FD_CLOEXEC) != 0);
        (void)netns_close(&got);
        ::kill(pid, SIGKILL);
        siginfo_t info{};
        REQUIRE(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0);
        // Exited: ESRCH, never another process's namespace.
        CHECK(netns_get_from_pidfd(pidfd) == -ESRCH);
        ::close(pidfd);
    }
    CHECK(netns_get_from_pidfd(-1) == -EBADF);
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    CHECK(netns_get_from_pidfd(p[0]) == -EINVAL);
    ::close(p[0]);
    ::close(p[1]);
}
