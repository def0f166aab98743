// SPDX-License-Identifier: Apache-2.0
// Opening, verifying, identifying and describing namespace fds.
#include "catch.hpp"
#include "file_kinds.hpp"
#include "helpers.hpp"

#include "nsfd.hpp"
#include "thread_ns.hpp"

#include <cinttypes>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sched.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <type_traits>
#include <unistd.h>
#include <vector>

using namespace netns::core;
using netns::test::not_network_namespaces;
using netns::test::TempDir;

TEST_CASE("ns_type tells namespace types apart", "[nsfd]")
{
    SECTION("a network namespace")
    {
        UniqueFd fd(open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
        CHECK(ns_type(fd.get()).value() == CLONE_NEWNET);
    }
    SECTION("a mount namespace")
    {
        UniqueFd fd(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
        CHECK(ns_type(fd.get()).value() == CLONE_NEWNS);
    }
    SECTION("not a namespace")
    {
        UniqueFd fd(open("/proc/self/status", O_RDONLY | O_CLOEXEC));
        CHECK(ns_type(fd.get()).error() == EINVAL);
    }
    SECTION("no fd")
    {
        CHECK(ns_type(-1).error() == EBADF);
        int p[2];
        REQUIRE(pipe2(p, O_CLOEXEC) == 0);
        close(p[0]);
        close(p[1]);
        CHECK(ns_type(p[0]).error() == EBADF);
    }
}

TEST_CASE("get_from_path opens only namespaces of the asked type", "[nsfd]")
{
    int before = netns::test::fd_count();
    TempDir tmp;
    SECTION("the right type, or any type")
    {
        auto fd = get_from_path("/proc/self/ns/net", CLONE_NEWNET);
        REQUIRE(fd.ok());
        CHECK(fcntl(fd->get(), F_GETFD) == FD_CLOEXEC);
        CHECK(get_from_path("/proc/self/ns/mnt", 0).ok());
    }
    SECTION("the wrong type")
    {
        CHECK(get_from_path("/proc/self/ns/mnt", CLONE_NEWNET).error() == EINVAL);
        CHECK(get_from_path("/proc/self/ns/uts", CLONE_NEWNET).error() == EINVAL);
    }
    SECTION("a regular file, a directory, a FIFO (without blocking)")
    {
        std::string file = tmp / "file";
        close(open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
        CHECK(get_from_path(file.c_str(), CLONE_NEWNET).error() == EINVAL);
        CHECK(get_from_path(tmp.path().c_str(), CLONE_NEWNET).error() == EINVAL);
        std::string fifo = tmp / "fifo";
        REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
        CHECK(get_from_path(fifo.c_str(), CLONE_NEWNET).error() == EINVAL);
    }
    SECTION("open errors pass through")
    {
        CHECK(get_from_path((tmp / "missing").c_str(), CLONE_NEWNET).error() == ENOENT);
        CHECK(get_from_path("/proc/self/status/x", CLONE_NEWNET).error() == ENOTDIR);
    }
    CHECK(netns::test::fd_count() == before);
}

TEST_CASE("ns_id and equal compare namespaces, not fds", "[nsfd]")
{
    UniqueFd a(open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    UniqueFd b(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    UniqueFd m(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
    CHECK(ns_id(a.get()).value() == ns_id(b.get()).value());
    CHECK(equal(a.get(), b.get()));
    CHECK_FALSE(equal(a.get(), m.get()));
    CHECK(equal(-1, -1));
    CHECK_FALSE(equal(a.get(), -1));
    CHECK_FALSE(equal(-1, a.get()));
    CHECK_FALSE(equal(-7, -7));
    CHECK(ns_id(-1).error() == EBADF);
}

TEST_CASE("describe uses the Go package's formats", "[nsfd]")
{
    UniqueFd fd(open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    struct stat st;
    REQUIRE(fstat(fd.get(), &st) == 0);
    char want[128];
    char buf[128];

    snprintf(want, sizeof want, "NS(%d: %" PRIu64 ", %" PRIu64 ")", fd.get(), (uint64_t)st.st_dev,
             (uint64_t)st.st_ino);
    CHECK(string(fd.get(), buf, sizeof buf) == (int)strlen(want));
    CHECK(std::string(buf) == want);

    snprintf(want, sizeof want, "NS(%" PRIu64 ":%" PRIu64 ")", (uint64_t)st.st_dev,
             (uint64_t)st.st_ino);
    CHECK(unique_id(fd.get(), buf, sizeof buf) == (int)strlen(want));
    CHECK(std::string(buf) == want);

    CHECK(string(-1, buf, sizeof buf) == 8);
    CHECK(std::string(buf) == "NS(none)");
    CHECK(unique_id(-1, buf, sizeof buf) == 8);
    CHECK(std::string(buf) == "NS(none)");

    int closed = dup(fd.get());
    close(closed);
    string(closed, buf, sizeof buf);
    CHECK(std::string(buf) == "NS(" + std::to_string(closed) + ": unknown)");
    unique_id(closed, buf, sizeof buf);
    CHECK(std::string(buf) == "NS(unknown)");

    SECTION("truncation follows snprintf")
    {
        char small[5] = {'x', 'x', 'x', 'x', 'x'};
        CHECK(string(-1, small, sizeof small) == 8);
        CHECK(std::string(small) == "NS(n");
        CHECK(string(-1, nullptr, 0) == 8);
    }
}

TEST_CASE("get_from_path: anything but a namespace of the type is EINVAL, without opening it",
          "[nsfd]")
{
    int before = netns::test::fd_count();
    TempDir tmp;
    std::string skipped;
    // The FIFO has no writer: opening it for real would block.
    auto kinds = not_network_namespaces(tmp.path(), skipped);
    if (!skipped.empty())
        WARN("no block device to try: " << skipped);
    const std::size_t direct = kinds.size();
    CHECK(direct >= 10);
    for (std::size_t i = 0; i < direct; ++i) {
        std::string link = tmp / ("link-" + std::to_string(i));
        REQUIRE(symlink(kinds[i].path.c_str(), link.c_str()) == 0);
        kinds.push_back({"symlink to " + kinds[i].label, link, kinds[i].is_namespace});
    }

    for (const auto &k : kinds) {
        INFO(k.label << ": " << k.path);
        CHECK(get_from_path(k.path.c_str(), CLONE_NEWNET).error() == EINVAL);
    }
    SECTION("any type: every namespace opens, nothing else does")
    {
        for (const auto &k : kinds) {
            INFO(k.label << ": " << k.path);
            auto fd = get_from_path(k.path.c_str(), 0);
            if (k.is_namespace)
                CHECK(fd.ok());
            else
                CHECK(fd.error() == EINVAL);
        }
    }
    SECTION("the type is checked on the file opened, through symlinks too")
    {
        std::string link = tmp / "to-net";
        REQUIRE(symlink("/proc/self/ns/net", link.c_str()) == 0);
        auto fd = get_from_path(link.c_str(), CLONE_NEWNET);
        REQUIRE(fd.ok());
        CHECK(ns_type(fd->get()).value() == CLONE_NEWNET);
        CHECK((fcntl(fd->get(), F_GETFL) & O_ACCMODE) == O_RDONLY);
        CHECK(netns::test::fd_ns_id(fd->get()) == netns::test::thread_ns_id());
    }
    CHECK(netns::test::fd_count() == before);
}

TEST_CASE("get_from_path: path errors keep their meaning", "[nsfd]")
{
    int before = netns::test::fd_count();
    TempDir tmp;
    const std::string file = tmp / "file";
    close(open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    const std::string loop = tmp / "loop", dangling = tmp / "dangling";
    REQUIRE(symlink(loop.c_str(), loop.c_str()) == 0);
    REQUIRE(symlink((tmp / "nothing").c_str(), dangling.c_str()) == 0);
    CHECK(get_from_path((tmp / "missing").c_str(), CLONE_NEWNET).error() == ENOENT);
    CHECK(get_from_path(dangling.c_str(), CLONE_NEWNET).error() == ENOENT);
    CHECK(get_from_path((file + "/x").c_str(), CLONE_NEWNET).error() == ENOTDIR);
    CHECK(get_from_path(loop.c_str(), CLONE_NEWNET).error() == ELOOP);
    CHECK(get_from_path((tmp / std::string(NAME_MAX + 1, 'n')).c_str(), CLONE_NEWNET).error() ==
          ENAMETOOLONG);
    std::string deep = "/";
    while (deep.size() <= PATH_MAX)
        deep += "a/";
    CHECK(get_from_path(deep.c_str(), CLONE_NEWNET).error() == ENAMETOOLONG);
    CHECK(netns::test::fd_count() == before);
}

TEST_CASE("get_from_path: a directory that cannot be searched is EACCES", "[nsfd]")
{
    // A child in a new user namespace, where the directory's owner is not
    // mapped: no capability overrides its mode 000.
    TempDir tmp;
    const std::string locked = tmp / "locked";
    REQUIRE(mkdir(locked.c_str(), 0700) == 0);
    const std::string inside = locked + "/net";
    close(open(inside.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    REQUIRE(chmod(locked.c_str(), 0) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (unshare(CLONE_NEWUSER) < 0)
            _exit(200);
        auto fd = get_from_path(inside.c_str(), CLONE_NEWNET);
        _exit(fd.ok() ? 0 : fd.error());
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    chmod(locked.c_str(), 0700);
    REQUIRE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 200) {
        WARN("skipped: cannot create a user namespace here");
        return;
    }
    CHECK(WEXITSTATUS(status) == EACCES);
}

TEST_CASE("an Error is never 0", "[result]")
{
    // Built from 0 (or a negative value) it reads EIO, so that the C facade
    // can never turn a failure into a 0 return.
    static_assert(Error{0}.code() == EIO);
    static_assert(Error{-EINVAL}.code() == EIO);
    static_assert(Error{EINVAL}.code() == EINVAL);
    static_assert(!std::is_default_constructible_v<Error>);
    static_assert(!std::is_convertible_v<int, Error>);
    static_assert(!std::is_aggregate_v<Error>);
    errno = 0;
    CHECK(last_error().code() == EIO);
    errno = ENOENT;
    CHECK(last_error().code() == ENOENT);
    Status st = Error{0};
    CHECK_FALSE(st.ok());
    CHECK(st.error() == EIO);
    Result<int> r = Error{0};
    CHECK_FALSE(r.ok());
    CHECK(r.error() == EIO);
}

// ---- fault injection ----
// The n-th system call of each entry point fails (support/fault_sweep.hpp).

#include "fault_sweep.hpp"

using netns::test::Disarm;
using netns::test::fault_errnos;
using netns::test::Scratch;
using netns::test::sweep;

TEST_CASE("fault: get_from_path, ns_type", "[nsfd][fault]")
{
    Scratch scratch;
    const std::string none = scratch / "run";
    auto fd = get();
    REQUIRE(fd.ok());
    for (int err : fault_errnos) {
        auto swept =
            sweep({.what = "get_from_path",
                   .scratch = scratch.path(),
                   .run_dir = none,
                   .call = [] { return get_from_path("/proc/self/ns/net", CLONE_NEWNET).error(); }},
                  err);
        CHECK(swept.sites >= 4); // open(O_PATH), fstatfs, open (again), ioctl(NS_GET_NSTYPE)
        swept = sweep({.what = "ns_type",
                       .scratch = scratch.path(),
                       .run_dir = none,
                       .call = [&] { return ns_type(fd->get()).error(); }},
                      err);
        CHECK(swept.sites >= 1);
    }
}

TEST_CASE("fault: ns_id, equal, string, unique_id", "[nsfd][fault]")
{
    Disarm disarm;
    auto fd = get();
    REQUIRE(fd.ok());
    const int fds = netns::test::fd_count();
    for (int err : fault_errnos) {
        fault::arm(1, err);
        auto id = ns_id(fd->get());
        CHECK(fault::fired());
        CHECK(id.error() == err);

        for (unsigned n = 1; n <= 2; ++n) {
            fault::arm(n, err);
            CHECK_FALSE(equal(fd->get(), fd->get()));
            CHECK(fault::fired());
        }
        fault::arm(3, err);
        CHECK(equal(fd->get(), fd->get()));
        CHECK_FALSE(fault::fired());

        char buf[64];
        fault::arm(1, err);
        int n = string(fd->get(), buf, sizeof buf);
        CHECK(fault::fired());
        CHECK(std::string(buf) == "NS(" + std::to_string(fd->get()) + ": unknown)");
        CHECK(n == static_cast<int>(std::strlen(buf)));
        fault::arm(1, err);
        n = unique_id(fd->get(), buf, sizeof buf);
        CHECK(fault::fired());
        CHECK(std::string(buf) == "NS(unknown)");
        CHECK(n == static_cast<int>(std::strlen(buf)));
        fault::disarm();
    }
    CHECK(netns::test::fd_count() == fds);
}
