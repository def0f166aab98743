// SPDX-License-Identifier: Apache-2.0
// The Go package's threaded test: many threads at once each get, create,
// switch back, close and compare, and each checks its own namespace.
#include "capi_guards.hpp"
#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <atomic>
#include <sys/socket.h>
#include <unistd.h>
#include <string>
#include <thread>
#include <vector>

using netns::test::fd_ns_id;
using netns::test::on_threads;
using netns::test::thread_ns_id;

TEST_CASE("threads switch namespaces independently", "[threads]")
{
    constexpr int threads = 16;
    constexpr int rounds = 20;
    on_threads(threads, [&](int, std::atomic<int> &failures) {
        auto fail = [&] { ++failures; };
        for (int r = 0; r < rounds; ++r) {
            int origns = netns_get();
            if (origns < 0)
                return fail();
            int newns = netns_new();
            if (newns < 0 || netns_equal(origns, newns) != 0 || thread_ns_id() != fd_ns_id(newns))
                fail();
            if (netns_set(origns) != 0 || thread_ns_id() != fd_ns_id(origns))
                fail();
            int now = netns_get();
            if (netns_equal(now, origns) != 1)
                fail();
            if (netns_close(&now) != 0 || netns_close(&newns) != 0 || netns_close(&origns) != 0)
                fail();
            if (netns_is_open(origns) != 0)
                fail();
        }
    });
}

TEST_CASE("a switch on one thread is invisible to another", "[threads]")
{
    netns::test::SetGuard keep;
    int home = netns_get();
    REQUIRE(home >= 0);
    std::atomic<int> step{0};
    std::string seen_by_other;
    std::thread other([&] {
        while (step.load() != 1)
            std::this_thread::yield();
        seen_by_other = thread_ns_id();
        step = 2;
    });
    int fresh = netns_new(); // only this thread moves
    REQUIRE(fresh >= 0);
    step = 1;
    while (step.load() != 2)
        std::this_thread::yield();
    other.join();
    CHECK(seen_by_other == fd_ns_id(home));
    CHECK(thread_ns_id() == fd_ns_id(fresh));
    netns_close(&fresh);
    netns_close(&home);
}

namespace {

int where_am_i(void *arg)
{
    // Which namespace fn runs in, as the caller can compare it.
    *static_cast<std::string *>(arg) = thread_ns_id();
    return 1;
}

} // namespace

TEST_CASE("threads create, run in and open sockets in namespaces at once, never moving",
          "[threads]")
{
    constexpr int threads = 16;
    constexpr int rounds = 20;
    netns::test::TempDir tmp;
    on_threads(threads, [&](int t, std::atomic<int> &failures) {
        const std::string home = thread_ns_id();
        for (int r = 0; r < rounds; ++r) {
            int ns = netns_create(nullptr);
            if (ns < 0) {
                ++failures;
                continue;
            }
            const std::string id = fd_ns_id(ns);
            std::string seen, seen_isolated;
            int res = 0;
            if (id == home || netns_run(ns, where_am_i, &seen, &res) != 0 || seen != id || res != 1)
                ++failures;
            if (netns_run_isolated(ns, where_am_i, &seen_isolated, nullptr) != 0 ||
                seen_isolated != id)
                ++failures;
            int s = netns_socket(ns, AF_INET, SOCK_DGRAM, 0);
            if (s < 0)
                ++failures;
            else
                close(s);
            // A persisted one too, made and removed by path.
            const std::string at = tmp / ("t" + std::to_string(t) + "-" + std::to_string(r));
            int p = netns_create_at(at.c_str());
            if (p < 0 || netns_equal(p, ns) != 0 || netns_delete_at(at.c_str()) != 0)
                ++failures;
            netns_close(&p);
            netns_close(&ns);
            if (thread_ns_id() != home)
                ++failures;
        }
    });
    CHECK(netns::test::list_dir(tmp.path()).empty());
}
