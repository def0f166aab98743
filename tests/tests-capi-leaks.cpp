// SPDX-License-Identifier: Apache-2.0
// 1000 iterations of every function, failures included, leave the fd count
// and the mount table as they were.
#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <string>
#include <unistd.h>
#include <vector>

using netns::test::fd_count;
using netns::test::mount_count;
using netns::test::thread_ns_id;

TEST_CASE("no fd or mount leaks over 1000 rounds", "[leaks]")
{
    netns::test::SetGuard keep;
    netns::test::TempDir tmp;
    std::string dir = tmp / "netns";
    netns::test::UnmountAtExit unmount(dir);
    netns::test::ScopedEnv env("NETNS_RUN_DIR", dir.c_str());
    int home = netns_get();
    REQUIRE(home >= 0);
    // Make the run dir (and its one self-bind) exist before counting.
    int warmup = netns_new_named("warmup");
    REQUIRE(warmup >= 0);
    REQUIRE(netns_set(home) == 0);
    REQUIRE(netns_close(&warmup) == 0);
    REQUIRE(netns_delete_named("warmup") == 0);
    int fds = fd_count();
    int mounts = mount_count();
    std::string home_id = thread_ns_id();

    constexpr int rounds = 1000;
    // Checking every call with CHECK would print 30,000 assertions; count
    // failures instead and report the first few lines that failed.
    int failures = 0;
    std::vector<int> failed_lines;
    auto expect = [&](bool ok, int line) {
        if (!ok && ++failures <= 10)
            failed_lines.push_back(line);
    };
#define EXPECT(cond) expect((cond), __LINE__)
    char buf[64];
    for (int i = 0; i < rounds; ++i) {
        int h = netns_get();
        EXPECT(h >= 0);
        int p = netns_get_from_pid(getpid());
        int t = netns_get_from_thread(getpid(), gettid());
        int f = netns_get_from_path("/proc/self/ns/net");
        EXPECT(netns_equal(h, p) == 1 && netns_equal(t, f) == 1);
        EXPECT(netns_string(h, buf, sizeof buf) > 0 && netns_unique_id(h, buf, sizeof buf) > 0);
        EXPECT(netns_is_open(h) == 1);
        EXPECT(netns_set(h) == 0 && netns_setns(h, NETNS_CLONE_NEWNET) == 0);
        // Failing calls.
        EXPECT(netns_get_from_path("/proc/self/ns/mnt") == -EINVAL);
        EXPECT(netns_get_from_path("/proc/self/status") == -EINVAL);
        EXPECT(netns_get_from_name("missing") == -ENOENT);
        EXPECT(netns_get_from_name("..") == -EINVAL);
        EXPECT(netns_get_from_pid(0) == -EINVAL);
        EXPECT(netns_get_from_docker("bad/id") == -EINVAL);
        EXPECT(netns_delete_named("missing") == -ENOENT);
        EXPECT(netns_set(-1) == -EBADF);
        EXPECT(netns_new_named("") == -EINVAL);
        EXPECT(netns_close(&h) == 0 && netns_close(&p) == 0 && netns_close(&t) == 0 &&
               netns_close(&f) == 0);
        EXPECT(netns_close(&h) == -EBADF);
        // Creating namespaces is slow: do it every tenth round.
        if (i % 10 == 0) {
            int n = netns_new();
            EXPECT(n >= 0 && netns_set(home) == 0 && netns_close(&n) == 0);
            std::string name = "leak-" + std::to_string(i);
            int named = netns_new_named(name.c_str());
            EXPECT(named >= 0 && netns_set(home) == 0);
            EXPECT(netns_new_named(name.c_str()) == -EEXIST);
            int found = netns_get_from_name(name.c_str());
            EXPECT(netns_equal(found, named) == 1 && netns_close(&found) == 0);
            EXPECT(netns_close(&named) == 0);
            EXPECT(netns_delete_named(name.c_str()) == 0);
        }
    }
#undef EXPECT
    INFO("failed checks at lines: " << [&] {
        std::string l;
        for (int n : failed_lines)
            l += std::to_string(n) + " ";
        return l;
    }());
    CHECK(failures == 0);
    CHECK(thread_ns_id() == home_id);
    netns_close(&home);
    CHECK(fd_count() == fds - 1);
    CHECK(mount_count() == mounts);
}
