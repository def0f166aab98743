// SPDX-License-Identifier: Apache-2.0
//! Switching the calling thread: new, new_named, set, setns and SetGuard.
//! Everything that moves a thread runs in a thread of its own (`in_thread`),
//! because with --test-threads=1 tests share the main thread.
//!
//! Tests that create or enter namespaces need the privileged-test sandbox
//! (bindings/rust/run-tests.sh runs them through tests/support/sandbox-exec);
//! outside it they are skipped, or fail when NETNS_REQUIRE_SANDBOX=1. Shared
//! helpers: tests/common/mod.rs.

#[macro_use]
mod common;
use common::*;

use std::io::ErrorKind;
use std::os::fd::{AsFd, AsRawFd};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

#[test]
fn set_errors() {
    assert_eq!(errno(libnetns::set_raw(libnetns::NONE)), EBADF);
    assert_eq!(errno(libnetns::set_raw(-42)), EBADF);
    assert_eq!(
        errno(libnetns::setns_raw(
            libnetns::NONE,
            Some(libnetns::NsType::Net)
        )),
        EBADF
    );
    let h = libnetns::get().unwrap();
    let raw = h.as_raw_fd();
    drop(h);
    assert_eq!(errno(libnetns::set_raw(raw)), EBADF);
    let file = std::fs::File::open("/proc/self/status").unwrap();
    assert_eq!(
        libnetns::set(&file).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let h = libnetns::get().unwrap();
    assert_eq!(
        errno(libnetns::setns(&h, Some(libnetns::NsType::Uts))),
        EINVAL
    );
    assert_eq!(libnetns::get().unwrap(), h);
}

#[test]
fn new_moves_only_this_thread() {
    privileged!();
    in_home_thread(|| {
        let origin = libnetns::get().unwrap();
        let h = libnetns::new().unwrap();
        assert_ne!(h, origin);
        assert_eq!(libnetns::get().unwrap(), h);
        let h2 = libnetns::new().unwrap();
        assert_ne!(h2, h);
        libnetns::set(&origin).unwrap();
        assert_eq!(libnetns::get().unwrap(), origin);
        libnetns::set(&h).unwrap();
        assert_eq!(libnetns::get().unwrap().unique_id(), h.unique_id());
        libnetns::setns(&origin, Some(libnetns::NsType::Net)).unwrap();
        assert_eq!(libnetns::get().unwrap(), origin);
        libnetns::setns(&h2, None).unwrap();
        assert_eq!(libnetns::get().unwrap(), h2);
        libnetns::set_raw(origin.as_raw_fd()).unwrap();
        assert_eq!(libnetns::get().unwrap(), origin);
    });
}

#[test]
fn new_named_from_name_delete() {
    privileged!();
    let mut named = Cleanup::new();
    let name = named.add(unique_name("named"));
    let n = name.clone();
    let id = in_thread(move || {
        let origin = libnetns::get().unwrap();
        let h = libnetns::new_named(&n).unwrap();
        assert_ne!(h, origin);
        assert_eq!(libnetns::get().unwrap(), h);
        h.unique_id()
    });
    // Handle closed and thread gone: the name keeps it alive.
    let h = libnetns::get_from_name(&name).unwrap();
    assert_eq!(h.unique_id(), id);
    assert_eq!(
        libnetns::get_from_path(format!("{}/{name}", run_dir())).unwrap(),
        h
    );
    assert_ne!(libnetns::get().unwrap(), h);

    let n = name.clone();
    let e = in_thread(move || {
        let before = libnetns::get().unwrap();
        let e = libnetns::new_named(&n).unwrap_err();
        assert_eq!(
            libnetns::get().unwrap(),
            before,
            "a failed new_named moved the thread"
        );
        e
    });
    assert_eq!(e.kind(), ErrorKind::AlreadyExists);
    assert_eq!(e.raw_os_error(), Some(EEXIST));

    libnetns::delete_named(&name).unwrap();
    assert_eq!(
        libnetns::get_from_name(&name).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        libnetns::delete_named(&name).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    // The namespace lives on through our handle.
    let hid = h.unique_id();
    let entered = in_thread(move || {
        libnetns::set(&h).unwrap();
        libnetns::get().unwrap().unique_id()
    });
    assert_eq!(entered, hid);
}

#[test]
fn threads_are_independent() {
    privileged!();
    let main_id = libnetns::get().unwrap().unique_id();
    let (tx, rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let mover = std::thread::spawn(move || {
        let h = libnetns::new().unwrap();
        tx.send((h.unique_id(), tid())).unwrap();
        let _ = release_rx.recv_timeout(Duration::from_secs(30));
    });
    let (their_id, their_tid) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("mover failed");
    let result = std::panic::catch_unwind(|| {
        assert_ne!(their_id, main_id);
        assert_eq!(libnetns::get().unwrap().unique_id(), main_id);
        assert_eq!(in_thread(|| libnetns::get().unwrap().unique_id()), main_id);
        let pid = std::process::id() as i32;
        assert_eq!(
            libnetns::get_from_thread(pid, their_tid)
                .unwrap()
                .unique_id(),
            their_id
        );
    });
    release_tx.send(()).unwrap();
    mover.join().unwrap();
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
    assert_eq!(libnetns::get().unwrap().unique_id(), main_id);
}

#[test]
fn set_guard() {
    privileged!();
    in_home_thread(|| {
        let origin = libnetns::get().unwrap();
        let target = libnetns::new().unwrap();
        libnetns::set(&origin).unwrap();
        {
            let guard = libnetns::SetGuard::new(&target).unwrap();
            assert_eq!(guard.saved(), &origin);
            assert_eq!(libnetns::get().unwrap(), target);
            // A thread spawned now starts where its creator is; its moves do
            // not affect us.
            let o = origin.try_clone().unwrap();
            let child = in_thread(move || {
                let id = libnetns::get().unwrap().unique_id();
                libnetns::set(&o).unwrap();
                id
            });
            assert_eq!(child, target.unique_id());
            assert_eq!(libnetns::get().unwrap(), target);
        }
        assert_eq!(libnetns::get().unwrap(), origin);

        let mut guard = libnetns::SetGuard::new(target.as_fd()).unwrap();
        assert_eq!(libnetns::get().unwrap(), target);
        guard.restore().unwrap();
        assert_eq!(libnetns::get().unwrap(), origin);
        // Once back, dropping the guard does not move the thread again.
        libnetns::set(&target).unwrap();
        drop(guard);
        assert_eq!(libnetns::get().unwrap(), target);
        libnetns::set(&origin).unwrap();
    });
}

#[test]
fn set_guard_restores_on_panic_and_fails_cleanly() {
    privileged!();
    in_home_thread(|| {
        let origin = libnetns::get().unwrap();
        let target = libnetns::new().unwrap();
        libnetns::set(&origin).unwrap();
        let t = target.try_clone().unwrap();
        let r = std::panic::catch_unwind(move || {
            let _g = libnetns::SetGuard::new(&t).unwrap();
            assert_eq!(libnetns::get().unwrap(), t);
            panic!("boom");
        });
        assert!(r.is_err());
        assert_eq!(libnetns::get().unwrap(), origin);

        // Entering something that is not a netns fails without moving.
        let file = std::fs::File::open("/proc/self/status").unwrap();
        assert_eq!(
            libnetns::SetGuard::new(&file).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(libnetns::get().unwrap(), origin);
    });
}

#[test]
fn no_leaks_privileged() {
    privileged!();
    static LOCK: Mutex<()> = Mutex::new(());
    let _l = LOCK.lock().unwrap();
    let mut named = Cleanup::new();
    let names: Vec<String> = (0..10).map(|_| named.add(unique_name("leak"))).collect();
    let before = open_fds();
    in_home_thread(move || {
        let origin = libnetns::get().unwrap();
        for name in &names {
            drop(libnetns::new().unwrap());
            drop(libnetns::new_named(name).unwrap());
            assert_eq!(
                libnetns::new_named(name).unwrap_err().kind(),
                ErrorKind::AlreadyExists
            );
            libnetns::set(&origin).unwrap();
            libnetns::delete_named(name).unwrap();
        }
    });
    // Other tests run concurrently; give their descriptors a moment.
    for _ in 0..50 {
        if open_fds() <= before {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(open_fds() <= before, "descriptors leaked");
}
