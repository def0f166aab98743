// SPDX-License-Identifier: Apache-2.0
// A scope check for the calls that must leave the calling thread where it
// was: the core's tests and the C API's use the same one.
#pragma once

#include "catch.hpp"
#include "helpers.hpp"

#include <string>

namespace netns::test {

// Checks at scope exit that the thread did not move and no fd was left.
struct Unmoved {
    std::string ns = thread_ns_id();
    int fds = fd_count();
    ~Unmoved()
    {
        CHECK(thread_ns_id() == ns);
        CHECK(fd_count() == fds);
    }
};

} // namespace netns::test
