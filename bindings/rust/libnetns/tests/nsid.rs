// SPDX-License-Identifier: Apache-2.0
//! Namespace ids: get_id, set_id, get_id_in and list_id, each in a fresh
//! namespace whose nsid table starts empty.
//!
//! Tests that create or enter namespaces need the privileged-test sandbox
//! (bindings/rust/run-tests.sh runs them through tests/support/sandbox-exec);
//! outside it they are skipped, or fail when NETNS_REQUIRE_SANDBOX=1. Shared
//! helpers: tests/common/mod.rs.

#[macro_use]
mod common;
use common::*;

use std::io::ErrorKind;

/// Runs f on a thread of its own, first moved to a new namespace whose
/// nsid table starts empty (as root the sandbox shares the host's network
/// namespace; rootless, the sandbox's user namespace does not own it).
fn in_fresh_namespace<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let run = move || {
        drop(libnetns::new().expect("libnetns::new"));
        f()
    };
    match std::thread::spawn(run).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[test]
fn nsids() {
    privileged!();
    in_fresh_namespace(|| {
        let ns = libnetns::create(None).unwrap();
        let here = libnetns::get().unwrap();
        assert_eq!(
            libnetns::get_id(&ns).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            libnetns::get_id_in(&ns, &here).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        let id = libnetns::set_id(&ns, None).unwrap();
        assert!(id >= 0);
        assert_eq!(libnetns::get_id(&ns).unwrap(), id);
        assert_eq!(libnetns::get_id_in(&ns, &here).unwrap(), id);
        assert_eq!(
            libnetns::set_id(&ns, Some(id + 1)).unwrap_err().kind(),
            ErrorKind::AlreadyExists
        );
        let other = libnetns::create(None).unwrap();
        assert_eq!(libnetns::set_id(&other, Some(id + 100)).unwrap(), id + 100);
        assert_eq!(libnetns::get_id(&other).unwrap(), id + 100);
        assert_eq!(
            libnetns::get_id_in(&other, &ns).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        let dir = std::fs::File::open("/").unwrap();
        assert_eq!(errno(libnetns::get_id(&dir)), EINVAL);
    });
}

#[test]
fn list_id() {
    privileged!();
    // In a namespace of the test's own: its nsid table holds only the ids
    // the test sets.
    in_fresh_namespace(|| {
        assert_eq!(libnetns::list_id().unwrap(), Vec::<i32>::new());
        let a = libnetns::create(None).unwrap();
        let b = libnetns::create(None).unwrap();
        let c = libnetns::create(None).unwrap();
        assert_eq!(libnetns::set_id(&a, Some(60)).unwrap(), 60);
        assert_eq!(libnetns::set_id(&b, Some(6)).unwrap(), 6);
        let picked = libnetns::set_id(&c, None).unwrap();
        let mut want = vec![6, 60, picked];
        want.sort_unstable();
        assert_eq!(libnetns::list_id().unwrap(), want);
        let mut seen = Vec::new();
        assert!(!libnetns::list_id_with(|id| {
            seen.push(id);
            false
        })
        .unwrap());
        assert_eq!(seen, want);
        // true stops the walk; the closure may call the library.
        seen.clear();
        assert!(libnetns::list_id_with(|id| {
            seen.push(id);
            libnetns::get_id(&a).unwrap() == 60
        })
        .unwrap());
        assert_eq!(seen, want[..1]);
        let caught = std::panic::catch_unwind(|| libnetns::list_id_with(|_| panic!("boom")));
        assert!(caught.is_err());
    });
}
