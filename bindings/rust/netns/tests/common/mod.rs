// SPDX-License-Identifier: Apache-2.0
//! What the test programs share (`#[macro_use] mod common;` in each).

/// Whether this process runs in the test sandbox (tests/support/sandbox-exec),
/// where privileged tests may run; outside it they are skipped, unless the
/// sandbox was required (NETNS_REQUIRE_SANDBOX=1), which fails the test.
pub fn in_sandbox() -> bool {
    if std::env::var("NETNS_TEST_IN_SANDBOX").as_deref() == Ok("1") {
        return true;
    }
    assert!(
        std::env::var("NETNS_REQUIRE_SANDBOX").as_deref() != Ok("1"),
        "not inside the test sandbox (run through tests/support/sandbox-exec)"
    );
    eprintln!("skipped: needs the test sandbox (tests/support/sandbox-exec)");
    false
}

/// Returns from the test unless it runs in the sandbox.
macro_rules! privileged {
    () => {
        if !crate::common::in_sandbox() {
            return;
        }
    };
}
