// SPDX-License-Identifier: Apache-2.0
//! Safe bindings for `libnetns.so.0`: handles to Linux network namespaces.
//!
//! Every function is named after the C function it calls, without the
//! `netns_` prefix: [`get`] is `netns_get`, [`get_from_name`] is
//! `netns_get_from_name`, [`run_isolated`] is `netns_run_isolated`; the
//! names are those of the C++ and Python bindings (the table in the
//! project's `doc/bindings.md`). The raw declarations are in [`sys`]
//! (the `libnetns-sys` crate).
//!
//! A [`Handle`] owns a file descriptor ([`OwnedFd`](std::os::fd::OwnedFd)) to a network namespace;
//! dropping it closes the descriptor. Failures are [`std::io::Error`]s made
//! with [`io::Error::from_raw_os_error`] from the library's `-errno`, so
//! [`io::Error::kind`] works as for the standard library: `ENOENT` is
//! [`ErrorKind::NotFound`], `EEXIST` [`ErrorKind::AlreadyExists`], `EINVAL`
//! [`ErrorKind::InvalidInput`], `EPERM`/`EACCES`
//! [`ErrorKind::PermissionDenied`], and [`io::Error::raw_os_error`] gives
//! the errno itself (e.g. `EBADF`, 9).
//!
//! ```
//! let here = libnetns::get()?; // the calling thread's namespace
//! let same = libnetns::get_from_path("/proc/self/ns/net")?;
//! assert_eq!(here, same); // same namespace, two descriptors
//! let err = libnetns::get_from_name("no/such name").unwrap_err();
//! assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # Doing work inside a namespace without moving
//!
//! `setns(2)` moves one thread, never the process. These calls leave the
//! calling thread where it is, and are the ones to start with: [`create`]
//! makes a namespace on a helper thread; [`run`] runs a closure on the
//! calling thread inside a namespace and switches back; [`run_isolated`]
//! runs it on a thread of its own, so the caller's thread never changes;
//! [`socket`] (and [`udp_bind`], [`tcp_listen`], [`tcp_connect`]) make
//! sockets that belong to a namespace; [`Command`] (and [`spawn`],
//! [`spawn_named`]) start processes in one. A panic in the closure
//! continues in the caller, after the thread is back.
//!
//! The examples that make namespaces need `CAP_SYS_ADMIN`; the crate's test
//! suite runs them in a sandbox of their own (they do nothing elsewhere).
//!
//! ```
//! # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
//! use std::net::{Ipv4Addr, SocketAddr};
//!
//! let ns = libnetns::create(None)?; // this thread does not move
//! let here = libnetns::get()?;
//! let inside = libnetns::run(&ns, || libnetns::get())??;
//! assert_eq!(inside, ns);
//! assert_eq!(libnetns::get()?, here);
//!
//! let names = vec!["lo".to_owned()];
//! let count = libnetns::run_isolated(&ns, || names.len())?; // may borrow
//! assert_eq!(count, 1);
//!
//! let sock = libnetns::udp_bind(&ns, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))?;
//! let out = libnetns::Command::new("ip").args(["link", "show"]).output(&ns)?;
//! assert!(out.status.success());
//! # drop(sock);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! [`run_isolated`] runs the closure on another thread, so it must be `Send`:
//!
//! ```compile_fail
//! let ns = libnetns::get().unwrap();
//! let shared = std::rc::Rc::new(1);
//! libnetns::run_isolated(&ns, || *shared + 1).unwrap();
//! ```
//!
//! [`run`] runs it on the calling thread, so it need not be:
//!
//! ```
//! # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
//! let ns = libnetns::get().unwrap();
//! let shared = std::rc::Rc::new(1);
//! assert_eq!(libnetns::run(&ns, || *shared + 1).unwrap(), 2);
//! ```
//!
//! # Calls that move the calling thread
//!
//! [`new`], [`new_named`], [`set`], [`setns`] and [`SetGuard::new`] act on
//! the **calling OS thread only**, never on the whole process, and leave it
//! in another namespace. A thread spawned afterwards starts in the
//! namespace of the thread that spawns it. [`SetGuard`] is therefore
//! `!Send`: it must be dropped on the thread that switched.
//!
//! ```
//! # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
//! let here = libnetns::get()?;
//! let other = libnetns::create(None)?;
//! {
//!     let _guard = libnetns::SetGuard::new(&other)?; // this thread is now in `other`
//!     assert_eq!(libnetns::get()?, other);
//! } // back in `here`
//! assert_eq!(libnetns::get()?, here);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The guard cannot cross threads:
//!
//! ```compile_fail
//! fn needs_send<T: Send>(_: T) {}
//! let guard = libnetns::SetGuard::new(&libnetns::get().unwrap()).unwrap();
//! needs_send(guard);
//! ```
//!
//! # Names, processes, nsids and a monitor
//!
//! [`list`], [`identify`] and [`pids`] return a `Vec` (their `_with` forms
//! take a closure that may stop the walk); [`attach`] and [`attach_fd`]
//! name a process's namespace or a handle; [`get_id`], [`set_id`],
//! [`get_id_in`] and [`list_id`] handle nsids; a [`Monitor`] ([`AsRawFd`](std::os::fd::AsRawFd),
//! to poll) reports names added and removed. None of them moves the
//! calling thread.
//!
//! # `ip netns exec` in place
//!
//! [`check_name`] and [`run_dir`] give the library's name rule and run
//! directory. [`enter_named`] prepares the **calling thread** as
//! `ip netns exec NAME` prepares its process (the named network namespace,
//! a mount namespace of its own, a fresh `/sys`, the `/etc/netns/NAME`
//! binds) and MOVES it; [`exec_named`] (and [`Command::exec_named`]) then
//! replace the process with a command, which keeps its pid. They are meant
//! for a single-threaded process that execs next.
#![deny(missing_docs)]
#![warn(rustdoc::broken_intra_doc_links)]

use std::ffi::{CString, OsStr};
use std::io::{self, ErrorKind};
use std::os::raw::c_int;
use std::os::unix::ffi::OsStrExt;

/// The raw declarations of `<netns/netns.h>`: the `libnetns-sys` crate.
pub use libnetns_sys as sys;

// One module a group, as in <netns/netns.h>, the C++ and the Python package;
// every public item is re-exported here (its path is `libnetns::X`).

// Handles and lookups.
mod handle;
pub use handle::{
    get, get_from_docker, get_from_name, get_from_path, get_from_pid, get_from_pidfd,
    get_from_thread, is_netns, is_netns_raw, is_open, none, type_, type_raw, version, Handle,
    NsType, NONE,
};

// Switching the calling thread.
mod switching;
pub use switching::{new, new_named, set, set_raw, setns, setns_raw, SetGuard};

// Creating, naming and deleting.
mod naming;
pub use naming::{
    attach, attach_fd, check_name, create, create_at, delete_at, delete_named, run_dir,
};

// Running inside a namespace (processes: spawn.rs).
mod inside;
mod spawn;
pub use inside::{enter_named, run, run_isolated, socket, tcp_connect, tcp_listen, udp_bind};
pub use spawn::{exec_named, spawn, spawn_named, Child, Command, Stdio};

// Listing, identifying and watching.
mod listing;
pub use listing::{
    identify, identify_with, list, list_with, monitor_open, pids, pids_with, Event, Monitor,
};

// Namespace ids.
mod nsid;
pub use nsid::{get_id, get_id_in, list_id, list_id_with, set_id};

// What the groups share.

/// `Ok(rc)` for a non-negative return value, else the error of `-rc`.
fn check(rc: c_int) -> io::Result<c_int> {
    if rc < 0 {
        Err(io::Error::from_raw_os_error(-rc))
    } else {
        Ok(rc)
    }
}

/// `s` for C, or an `InvalidInput` error naming `what` when it holds a NUL.
fn c_string(s: &OsStr, what: &str) -> io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| {
        io::Error::new(
            ErrorKind::InvalidInput,
            format!("{what} contains a NUL byte"),
        )
    })
}
