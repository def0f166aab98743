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

/// A name no other test (or process) uses: "rs-TAG-PID-N".
#[allow(dead_code)] // not every test program makes names
pub fn unique_name(tag: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    format!(
        "rs-{tag}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// Deletes the named namespaces when dropped, also when the test panics.
#[allow(dead_code)]
pub struct Named(Vec<String>);

#[allow(dead_code)]
impl Named {
    pub fn new() -> Self {
        Named(Vec::new())
    }
    pub fn add(&mut self, name: String) -> String {
        self.0.push(name.clone());
        name
    }
}

impl Drop for Named {
    fn drop(&mut self) {
        for name in &self.0 {
            match libnetns::delete_named(name) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => eprintln!("cleanup of {name}: {e}"),
            }
        }
    }
}
