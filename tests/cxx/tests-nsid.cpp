// SPDX-License-Identifier: Apache-2.0
// Namespace ids in the C++ wrapper, <netns/netns.hpp>: get_id(), set_id(),
// get_id_in() and list_id(). Built as C++20 (tests-cxx-nsid) and C++17
// (tests-cxx17-nsid). Runs in the privileged-test sandbox (main.cpp).
#include "catch.hpp"
#include "cxx_test.hpp"
#include "helpers.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <utility>
#include <vector>

// t::SetGuard (helpers.hpp) is the suite's own safety net, independent of
// the netns::SetGuard under test.
namespace t = netns::test;
using netns::Handle;
using netns::test::Boom;
using netns::test::error_of;

TEST_CASE("get_id, set_id, get_id_in", "[cxx][nsid]")
{
    t::SetGuard keep;
    // In a namespace of the test's own, whose nsid table starts empty (as
    // root the sandbox shares the host's network namespace).
    Handle home = netns::create();
    netns::run(home, [&] {
        Handle ns = netns::create();
        Handle here = netns::get();
        REQUIRE(here == home);
        CHECK(error_of([&] { (void)netns::get_id(ns); }, "netns_get_id") == ENOENT);
        CHECK(error_of([&] { (void)netns::get_id_in(ns, here); }, "netns_get_id_in") == ENOENT);

        int id = netns::set_id(ns);
        CHECK(id >= 0);
        CHECK(netns::get_id(ns) == id);
        CHECK(netns::get_id_in(ns, here) == id);
        CHECK(error_of([&] { (void)netns::set_id(ns, id + 1); }, "netns_set_id") == EEXIST);

        // A chosen id, and another namespace's view.
        Handle other = netns::create();
        int chosen = id + 100;
        CHECK(netns::set_id(other, chosen) == chosen);
        CHECK(netns::get_id(other) == chosen);
        CHECK(error_of([&] { (void)netns::get_id_in(other, ns); }, "netns_get_id_in") == ENOENT);

        CHECK(error_of([] { (void)netns::get_id(Handle()); }, "netns_get_id") == EBADF);
    });
}

TEST_CASE("list_id: the nsids, ascending; early stop; errors of f (" CXX_STD ")",
          "[cxx][nsid][list_id]")
{
    t::SetGuard keep;
    // In a namespace of the test's own: its nsid table holds only the ids
    // the test sets.
    Handle home = netns::create();
    netns::run(home, [&] {
        CHECK(netns::list_id().empty());
        Handle a = netns::create(), b = netns::create(), c = netns::create();
        REQUIRE(netns::set_id(a, 30) == 30);
        REQUIRE(netns::set_id(b, 4) == 4);
        int picked = netns::set_id(c);
        std::vector<int> want{4, 30, picked};
        std::sort(want.begin(), want.end());
        CHECK(netns::list_id() == want);

        std::vector<int> seen;
        CHECK_FALSE(netns::list_id([&](int id) { seen.push_back(id); }));
        CHECK(seen == want);
        // A bool result stops the walk; f may call the library.
        seen.clear();
        CHECK(netns::list_id([&](int id) {
            seen.push_back(id);
            return netns::get_id(a) == 30 && seen.size() == 2;
        }));
        CHECK(seen == std::vector<int>{want[0], want[1]});
        CHECK_THROWS_AS(netns::list_id([](int) -> bool { throw Boom(); }), Boom);
    });
}
