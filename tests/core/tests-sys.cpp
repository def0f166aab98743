// SPDX-License-Identifier: Apache-2.0
// The fault-injection hook of the system-call wrappers, which every
// "[fault]" sweep relies on.
#include "catch.hpp"
#include "fault_sweep.hpp"

#include "sys.hpp"
#include "thread_ns.hpp"

using namespace netns::core;
using netns::test::Disarm;

TEST_CASE("fault: the hook counts and fires once", "[sys][fault]")
{
    Disarm disarm;
    fault::arm(1, EIO);
    auto fd = get();
    CHECK(fault::fired());
    CHECK(fault::calls() == 1);
    CHECK(fd.error() == EIO);
    fault::disarm();
    auto again = get();
    CHECK(again.ok());
}

TEST_CASE("fault: the hook fails the n-th call with the given errno", "[sys][fault]")
{
    Disarm disarm;
    fault::arm(2, ENOMEM);
    auto first = get();
    CHECK(first.ok());
    CHECK_FALSE(fault::fired());
    auto second = get();
    CHECK(fault::fired());
    CHECK(fault::calls() == 2);
    CHECK(second.error() == ENOMEM);
    auto third = get(); // fired once: later calls go through
    CHECK(third.ok());
}
