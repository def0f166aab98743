// SPDX-License-Identifier: Apache-2.0
//! Listing, identifying and watching: list, identify, pids (and their
//! early-stopping `_with` forms), get_from_pidfd, attach, attach_fd and
//! Monitor. The run dir may hold other tests' entries: only our own unique
//! names are looked at.
//!
//! Tests that create or enter namespaces need the privileged-test sandbox
//! (bindings/rust/run-tests.sh runs them through tests/support/sandbox-exec);
//! outside it they are skipped, or fail when NETNS_REQUIRE_SANDBOX=1. Shared
//! helpers: tests/common/mod.rs.

#[macro_use]
mod common;
use common::*;

use libnetns::Event;
use std::ffi::{OsStr, OsString};
use std::io::ErrorKind;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::os::raw::{c_int, c_long, c_short};
use std::time::{Duration, Instant};

/// A child sleeping in a namespace, killed and reaped when dropped.
struct Sleeper(libnetns::Child);

impl Sleeper {
    fn new(ns: impl AsFd) -> Self {
        Sleeper(libnetns::spawn(ns, "sleep", ["1000"]).expect("spawn sleep"))
    }
    fn pid(&self) -> i32 {
        self.0.id() as i32
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

extern "C" {
    fn syscall(number: c_long, ...) -> c_long;
    fn poll(fds: *mut PollFd, nfds: u64, timeout: c_int) -> c_int;
}

#[repr(C)]
struct PollFd {
    fd: c_int,
    events: c_short,
    revents: c_short,
}

const POLLIN: c_short = 1;

fn pidfd_open(pid: i32) -> OwnedFd {
    const SYS_PIDFD_OPEN: c_long = 434; // the same on every architecture
                                        // SAFETY: pidfd_open(2) with plain integers.
    let fd = unsafe { syscall(SYS_PIDFD_OPEN, pid as c_long, 0 as c_long) };
    assert!(fd >= 0, "pidfd_open: {}", std::io::Error::last_os_error());
    // SAFETY: a new descriptor that only we own.
    unsafe { OwnedFd::from_raw_fd(fd as i32) }
}

/// Whether fd becomes readable within `ms` milliseconds.
fn readable(fd: &impl AsRawFd, ms: c_int) -> bool {
    let mut p = PollFd {
        fd: fd.as_raw_fd(),
        events: POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    unsafe { poll(&mut p, 1, ms) == 1 && p.revents & POLLIN != 0 }
}

/// The events of `monitor` about `name` only, read until `want` came or
/// 5 s passed.
fn events_of(monitor: &mut libnetns::Monitor, name: &str, want: usize) -> Vec<Event> {
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while out.len() < want && Instant::now() < deadline {
        readable(monitor, 100);
        for (event, n) in monitor.read().expect("monitor read") {
            if n == name {
                out.push(event);
            }
        }
    }
    out
}

fn has(names: &[OsString], name: &str) -> bool {
    names.iter().any(|n| n == name)
}

#[test]
fn list_sorted_with_early_stop() {
    privileged!();
    let mut named = Cleanup::new();
    let a = named.add(unique_name("list-a"));
    let b = named.add(format!("{a}-b"));
    let ns = libnetns::create(Some(&a)).unwrap();
    libnetns::attach_fd(&b, &ns).unwrap();

    let names = libnetns::list().unwrap();
    assert!(has(&names, &a) && has(&names, &b), "{names:?}");
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    let mut calls = 0;
    assert!(libnetns::list_with(|_| {
        calls += 1;
        true
    })
    .unwrap());
    assert_eq!(calls, 1);
    let mut seen = Vec::new();
    assert!(!libnetns::list_with(|n: &OsStr| {
        seen.push(n.to_owned());
        false
    })
    .unwrap());
    assert!(has(&seen, &a));

    libnetns::delete_named(&a).unwrap();
    libnetns::delete_named(&b).unwrap();
    let names = libnetns::list().unwrap();
    assert!(!has(&names, &a) && !has(&names, &b));
}

#[test]
fn walk_panic_stops_and_continues_in_caller() {
    privileged!();
    let mut named = Cleanup::new();
    let a = named.add(unique_name("list-p"));
    let b = named.add(format!("{a}-b"));
    let ns = libnetns::create(Some(&a)).unwrap();
    libnetns::attach_fd(&b, &ns).unwrap();
    let mut calls = 0;
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        libnetns::list_with(|_| {
            calls += 1;
            panic!("boom")
        })
    }));
    assert_eq!(*r.unwrap_err().downcast_ref::<&str>().unwrap(), "boom");
    assert_eq!(calls, 1);
}

#[test]
fn identify_every_alias() {
    privileged!();
    let mut named = Cleanup::new();
    let a = named.add(unique_name("id-a"));
    let b = named.add(unique_name("id-b"));
    let ns = libnetns::create(Some(&a)).unwrap();
    libnetns::attach_fd(&b, &ns).unwrap();
    let child = Sleeper::new(&ns);
    let names = libnetns::identify(child.pid()).unwrap();
    assert!(has(&names, &a) && has(&names, &b), "{names:?}");
    let mut calls = 0;
    assert!(libnetns::identify_with(child.pid(), |_| {
        calls += 1;
        true
    })
    .unwrap());
    assert_eq!(calls, 1);

    let anon = libnetns::create(None).unwrap();
    let nameless = Sleeper::new(&anon);
    assert!(libnetns::identify(nameless.pid()).unwrap().is_empty());
    assert_eq!(errno(libnetns::identify(0)), EINVAL);
    assert_eq!(errno(libnetns::identify(dead_pid())), ESRCH);
}

#[test]
fn pids_ascending_with_early_stop() {
    privileged!();
    let ns = libnetns::create(None).unwrap();
    assert!(libnetns::pids(&ns).unwrap().is_empty());
    {
        let one = Sleeper::new(&ns);
        let two = Sleeper::new(&ns);
        let mut want = vec![one.pid(), two.pid()];
        want.sort();
        assert_eq!(libnetns::pids(&ns).unwrap(), want);
        let mut seen = Vec::new();
        assert!(libnetns::pids_with(&ns, |pid| {
            seen.push(pid);
            true
        })
        .unwrap());
        assert_eq!(seen, want[..1]);
    }
    assert!(libnetns::pids(&ns).unwrap().is_empty());
    let dir = std::fs::File::open("/").unwrap();
    assert_eq!(errno(libnetns::pids(&dir)), EINVAL);
}

#[test]
fn get_from_pidfd_attach_attach_fd() {
    privileged!();
    let mut named = Cleanup::new();
    let ns = libnetns::create(None).unwrap();
    let child = Sleeper::new(&ns);
    let pidfd = pidfd_open(child.pid());
    assert_eq!(libnetns::get_from_pidfd(&pidfd).unwrap(), ns);
    let dir = std::fs::File::open("/").unwrap();
    assert_eq!(errno(libnetns::get_from_pidfd(&dir)), EINVAL);

    let name = named.add(unique_name("attach"));
    libnetns::attach(&name, child.pid()).unwrap();
    assert_eq!(libnetns::get_from_name(&name).unwrap(), ns);
    let err = libnetns::attach(&name, child.pid()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert_eq!(errno(libnetns::attach(unique_name("x"), 0)), EINVAL);
    assert_eq!(
        libnetns::attach("a\0b", child.pid()).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );

    let name2 = named.add(unique_name("attach-fd"));
    libnetns::attach_fd(&name2, &ns).unwrap();
    assert_eq!(libnetns::get_from_name(&name2).unwrap(), ns);
    let err = libnetns::attach_fd(&name2, &ns).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
}

#[test]
fn monitor_add_then_del() {
    privileged!();
    let mut named = Cleanup::new();
    let mut monitor = libnetns::monitor_open().unwrap();
    assert!(monitor.read().unwrap().is_empty());
    assert!(monitor.as_fd().as_raw_fd() >= 0);
    let name = named.add(unique_name("mon"));
    drop(libnetns::create(Some(&name)).unwrap());
    assert!(readable(&monitor, 5000), "not readable after an add");
    assert_eq!(events_of(&mut monitor, &name, 1), [Event::Add]);
    libnetns::delete_named(&name).unwrap();
    assert_eq!(events_of(&mut monitor, &name, 1), [Event::Del]);
    monitor.close().unwrap();
}

#[test]
fn monitor_read_with_stops_and_keeps_the_rest() {
    privileged!();
    let mut named = Cleanup::new();
    let mut monitor = libnetns::monitor_open().unwrap();
    for tag in ["mon-x", "mon-y"] {
        drop(libnetns::create(Some(&named.add(unique_name(tag)))).unwrap());
    }
    let mut calls = 0;
    assert_eq!(
        monitor
            .read_with(|_, _| {
                calls += 1;
                true
            })
            .unwrap(),
        1
    );
    assert_eq!(calls, 1);
    assert!(!monitor.read().unwrap().is_empty(), "the rest was kept");

    drop(libnetns::create(Some(&named.add(unique_name("mon-p")))).unwrap());
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        monitor.read_with(|_, _| panic!("boom"))
    }));
    assert!(r.is_err());
}
