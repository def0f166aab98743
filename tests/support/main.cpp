// SPDX-License-Identifier: Apache-2.0
// The Catch2 main of every test program: enter the sandbox (sandbox.h),
// then run the tests.
#if !__has_include(<catch2/catch_all.hpp>)
#define CATCH_CONFIG_RUNNER
#endif
#include "catch.hpp"
#include "sandbox.h"

int main(int argc, char *argv[])
{
    // Before Catch2 or a test starts a thread: unshare(CLONE_NEWUSER) needs
    // a single-threaded process.
    int rc = netns_test_enter_sandbox();
    if (rc != 0)
        return rc;
    return Catch::Session().run(argc, argv);
}
