// SPDX-License-Identifier: Apache-2.0
// Opening, verifying, identifying and describing namespace fds.
#include "catch.hpp"
#include "helpers.hpp"

#include "nsfd.hpp"
#include "thread_ns.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <string>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

using namespace netns::core;
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

    snprintf(want, sizeof want, "NS(%" PRIu64 ":%" PRIu64 ")", (uint64_t)st.st_dev, (uint64_t)st.st_ino);
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
