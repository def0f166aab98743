// SPDX-License-Identifier: Apache-2.0
// 1000 iterations of every function, failures included, leave the fd count
// and the mount table as they were.
#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <string>
#include <unistd.h>

using netns::test::fd_count;
using netns::test::mount_count;
using netns::test::thread_ns_id;

TEST_CASE("no fd or mount leaks over 1000 rounds", "[leaks]")
{
    netns::test::ThreadNsKeeper keep;
    netns::test::TempDir tmp;
    std::string dir = tmp / "netns";
    netns::test::ScopedEnv env("NETNS_RUN_DIR", dir.c_str());
    int home = netns_get();
    REQUIRE(home >= 0);
    // Make the run dir (and its one self-bind) exist before counting.
    REQUIRE(netns_new_named("warmup") >= 0);
    REQUIRE(netns_set(home) == 0);
    REQUIRE(netns_delete_named("warmup") == 0);
    int fds = fd_count();
    int mounts = mount_count();
    std::string home_id = thread_ns_id();

    constexpr int rounds = 1000;
    int failures = 0;
    char buf[64];
    for (int i = 0; i < rounds; ++i) {
        int h = netns_get();
        failures += h < 0;
        int p = netns_get_from_pid(getpid());
        int t = netns_get_from_thread(getpid(), gettid());
        int f = netns_get_from_path("/proc/self/ns/net");
        failures += netns_equal(h, p) != 1 || netns_equal(t, f) != 1;
        failures += netns_string(h, buf, sizeof buf) <= 0 || netns_unique_id(h, buf, sizeof buf) <= 0;
        failures += netns_is_open(h) != 1;
        failures += netns_set(h) != 0 || netns_setns(h, NETNS_CLONE_NEWNET) != 0;
        // Failing calls.
        failures += netns_get_from_path("/proc/self/ns/mnt") != -EINVAL;
        failures += netns_get_from_path("/proc/self/status") != -EINVAL;
        failures += netns_get_from_name("missing") != -ENOENT;
        failures += netns_get_from_name("..") != -EINVAL;
        failures += netns_get_from_pid(0) != -EINVAL;
        failures += netns_get_from_docker("bad/id") != -EINVAL;
        failures += netns_delete_named("missing") != -ENOENT;
        failures += netns_set(-1) != -EBADF;
        failures += netns_new_named("") != -EINVAL;
        failures += netns_close(&h) != 0 || netns_close(&p) != 0 || netns_close(&t) != 0 ||
                    netns_close(&f) != 0;
        failures += netns_close(&h) != -EBADF;
        // Creating namespaces is slow: do it every tenth round.
        if (i % 10 == 0) {
            int n = netns_new();
            failures += n < 0 || netns_set(home) != 0 || netns_close(&n) != 0;
            std::string name = "leak-" + std::to_string(i);
            int named = netns_new_named(name.c_str());
            failures += named < 0 || netns_set(home) != 0;
            failures += netns_new_named(name.c_str()) != -EEXIST;
            int found = netns_get_from_name(name.c_str());
            failures += netns_equal(found, named) != 1 || netns_close(&found) != 0;
            failures += netns_close(&named) != 0;
            failures += netns_delete_named(name.c_str()) != 0;
        }
    }
    CHECK(failures == 0);
    CHECK(thread_ns_id() == home_id);
    netns_close(&home);
    CHECK(fd_count() == fds - 1);
    CHECK(mount_count() == mounts);
}
