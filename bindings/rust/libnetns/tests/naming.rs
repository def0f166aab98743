// SPDX-License-Identifier: Apache-2.0
//! Creating, naming and deleting: create, create_at, delete_named, delete_at,
//! the name rule and the run directory (attach and attach_fd are tested with
//! the walks, in listing.rs).
//!
//! Tests that create or enter namespaces need the privileged-test sandbox
//! (bindings/rust/run-tests.sh runs them through tests/support/sandbox-exec);
//! outside it they are skipped, or fail when NETNS_REQUIRE_SANDBOX=1. Shared
//! helpers: tests/common/mod.rs.

#[macro_use]
mod common;
use common::*;

use std::io::ErrorKind;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

#[test]
fn bad_names() {
    privileged!();
    let long = "x".repeat(256);
    for bad in ["", ".", "..", "a/b", "../x", long.as_str()] {
        let b = bad.to_owned();
        let e = in_thread(move || libnetns::new_named(&b).unwrap_err());
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "new_named({bad:?})");
        assert_eq!(e.raw_os_error(), Some(EINVAL));
        assert_eq!(
            errno(libnetns::delete_named(bad)),
            EINVAL,
            "delete_named({bad:?})"
        );
    }
    assert_eq!(
        libnetns::new_named("a\0b").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        libnetns::delete_named("a\0b").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    // The longest valid name works.
    let mut named = Cleanup::new();
    let longest = named.add(format!("{}{}", unique_name("l"), "n".repeat(200)));
    let longest = named.add(format!("{longest}{}", "m".repeat(255 - longest.len())));
    assert_eq!(longest.len(), 255);
    let n = longest.clone();
    in_thread(move || drop(libnetns::new_named(&n).unwrap()));
    libnetns::get_from_name(&longest).unwrap();
}

#[test]
fn run_dir_entries_not_made_by_us() {
    privileged!();
    let mut named = Cleanup::new();
    let name = named.add(unique_name("mk"));
    let n = name.clone();
    in_thread(move || drop(libnetns::new_named(&n).unwrap()));
    let dir = run_dir();

    let file = unique_name("file");
    let path = format!("{dir}/{file}");
    std::fs::write(&path, b"").unwrap();
    let r = libnetns::get_from_name(&file);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(errno(r), EINVAL);

    let sub = unique_name("dir");
    let path = format!("{dir}/{sub}");
    std::fs::create_dir(&path).unwrap();
    let r = libnetns::delete_named(&sub);
    let still_there = std::path::Path::new(&path).is_dir();
    std::fs::remove_dir(&path).unwrap();
    assert_eq!(errno(r), EISDIR);
    assert!(still_there);
}

// --- create, create_at, delete_at --------------------------------------------

#[test]
fn create_anonymous_does_not_move() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let origin = libnetns::get().unwrap();
        let a = libnetns::create(None).unwrap();
        let b = libnetns::create(None).unwrap();
        assert_eq!(thread_ns(), before, "create moved the thread");
        assert_eq!(libnetns::get().unwrap(), origin);
        assert_ne!(a, origin);
        assert_ne!(a, b);
        assert!(libnetns::is_netns(&a).unwrap());
        assert!(is_cloexec(&a));
        // It is a real namespace: entering it works.
        let inside = libnetns::run(&a, thread_ns).unwrap();
        assert_eq!(inside, fd_ns(&a));
        assert_eq!(thread_ns(), before);
    });
}

#[test]
fn create_named() {
    privileged!();
    let mut clean = Cleanup::default();
    let name = clean.name("named");
    let n = name.clone();
    let id = in_thread(move || {
        let before = thread_ns();
        let h = libnetns::create(Some(n.as_str())).unwrap();
        assert_eq!(thread_ns(), before, "create(name) moved the thread");
        // Existing name: EEXIST, and the thread still has not moved.
        let e = libnetns::create(Some(n.as_str())).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(EEXIST));
        assert_eq!(e.kind(), ErrorKind::AlreadyExists);
        assert_eq!(thread_ns(), before);
        h.unique_id()
    });
    // Handle closed, thread gone: the entry keeps it.
    let h = libnetns::get_from_name(&name).unwrap();
    assert_eq!(h.unique_id(), id);
    libnetns::delete_named(&name).unwrap();
    assert_eq!(errno(libnetns::get_from_name(&name)), ENOENT);

    let before = thread_ns();
    let long = "x".repeat(256);
    for bad in ["", ".", "..", "a/b", long.as_str()] {
        assert_eq!(
            errno(libnetns::create(Some(bad))),
            EINVAL,
            "create({bad:?})"
        );
        assert_eq!(thread_ns(), before);
    }
    assert_eq!(
        libnetns::create(Some("a\0b")).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn create_at_and_delete_at() {
    privileged!();
    let mut clean = Cleanup::default();
    let dir = clean.dir("at");
    let path = clean.path(dir.join("ns"));
    let p = path.clone();
    let id = in_thread(move || {
        let before = thread_ns();
        let h = libnetns::create_at(&p).unwrap();
        assert_eq!(thread_ns(), before, "create_at moved the thread");
        assert_eq!(libnetns::get_from_path(&p).unwrap(), h);
        assert_eq!(errno(libnetns::create_at(&p)), EEXIST);
        assert_eq!(thread_ns(), before);
        h.unique_id()
    });
    assert_eq!(libnetns::get_from_path(&path).unwrap().unique_id(), id);
    let kept = libnetns::get_from_path(&path).unwrap();

    // Documented errors.
    let before = thread_ns();
    assert_eq!(errno(libnetns::create_at(dir.join("missing/ns"))), ENOENT);
    assert_eq!(errno(libnetns::create_at("")), EINVAL);
    assert_eq!(
        errno(libnetns::create_at(format!("{}/", dir.display()))),
        EINVAL
    );
    let link = dir.join("dangling");
    std::os::unix::fs::symlink(dir.join("nowhere"), &link).unwrap();
    assert_eq!(errno(libnetns::create_at(&link)), EEXIST);
    assert!(
        !dir.join("nowhere").exists(),
        "create_at followed a dangling symlink"
    );
    assert_eq!(errno(libnetns::create_at(dir.join("dangling/x"))), ENOENT);
    let file = dir.join("file");
    std::fs::write(&file, b"").unwrap();
    assert_eq!(
        errno(libnetns::create_at(file.join("x"))),
        20 /* ENOTDIR */
    );
    assert_eq!(thread_ns(), before);

    assert_eq!(errno(libnetns::delete_at(&dir)), EISDIR);
    assert!(dir.is_dir());
    assert_eq!(errno(libnetns::delete_at("/proc/self/ns/net")), EINVAL);
    assert_eq!(errno(libnetns::delete_at("")), EINVAL);
    assert_eq!(errno(libnetns::delete_at(dir.join("missing"))), ENOENT);
    assert_eq!(
        libnetns::delete_at("a\0b").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );

    libnetns::delete_at(&path).unwrap();
    assert!(
        std::fs::symlink_metadata(&path).is_err(),
        "delete_at left the file"
    );
    assert_eq!(errno(libnetns::delete_at(&path)), ENOENT);
    // The namespace lives on through a handle.
    assert_eq!(kept.unique_id(), id);
    assert_eq!(libnetns::run(&kept, thread_ns).unwrap(), fd_ns(&kept));
}

#[test]
fn check_name_and_run_dir() {
    for ok in ["a", "-all", "...", ".x", "with space"] {
        libnetns::check_name(ok).unwrap();
    }
    libnetns::check_name("n".repeat(255)).unwrap();
    libnetns::check_name(std::ffi::OsStr::from_bytes(b"bad\xffname")).unwrap();
    for bad in ["", ".", "..", "a/b", "/", "a\0b"] {
        assert_eq!(errno(libnetns::check_name(bad)), EINVAL, "{bad:?}");
    }
    assert_eq!(errno(libnetns::check_name("n".repeat(256))), EINVAL);
    // run_dir: whatever NETNS_RUN_DIR says, else /run/netns (there is a
    // /run here). The environment is the process's: read, not changed.
    let want = std::env::var_os("NETNS_RUN_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| PathBuf::from("/run/netns"), PathBuf::from);
    assert_eq!(libnetns::run_dir().unwrap(), want);
}
