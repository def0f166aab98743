// SPDX-License-Identifier: Apache-2.0
//! Raw declarations of the C API of `libnetns.so.0` (`<netns/netns.h>`):
//! handles to Linux network namespaces.
//!
//! Every function returns `>= 0` on success or a negative errno value. A
//! handle is a plain file descriptor; [`NETNS_NONE`] means "no namespace".
//! Namespace switches act on the calling thread only; each function's
//! manual page (`netns_get(3)`, ...) says whether it moves it. The `libnetns`
//! crate is the safe interface.
//!
//! ```
//! use libnetns_sys::*;
//!
//! // SAFETY: no arguments; a new descriptor or -errno comes back.
//! let mut ns = unsafe { netns_get() };
//! assert!(ns >= 0);
//! // SAFETY: a plain integer in, a plain integer out.
//! assert_eq!(unsafe { netns_is_netns(ns) }, 1);
//! // SAFETY: ns is ours; netns_close closes it and sets it to NETNS_NONE.
//! assert_eq!(unsafe { netns_close(&mut ns) }, 0);
//! assert_eq!(ns, NETNS_NONE);
//! ```
//!
//! The build script links `-lnetns`, found in `$NETNS_LIB_DIR`, else
//! through `pkg-config`, else on the linker's default path; with
//! `links = "netns"`, dependents read the directory in `DEP_NETNS_LIB_DIR`.
#![no_std]
#![deny(missing_docs)]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_short, c_void};

/// `pid_t` on Linux.
pub type pid_t = i32;

// The C library's spawn types, opaque here (no `libc` crate): storage of the
// size and alignment of glibc's and musl's on 64-bit Linux, only ever
// initialised and used through the C library's functions below. Make them
// with `MaybeUninit::uninit()` and `posix_spawn_*_init`.
//
// The sizes, the alignments and every `NETNS_*`/`POSIX_SPAWN_*` constant of
// this file are copies of the C headers' (a no_std crate without a build-time
// C compiler cannot include them): bindings/check-facts.py compares each one
// with the C compiler's value, so a wrong copy fails the test suite.

/// `posix_spawn_file_actions_t` (opaque; 80 bytes, 8-aligned on LP64).
#[repr(C, align(8))]
pub struct posix_spawn_file_actions_t {
    _opaque: [u8; SPAWN_FILE_ACTIONS_SIZE],
}

/// `posix_spawnattr_t` (opaque; 336 bytes, 8-aligned).
#[repr(C, align(8))]
pub struct posix_spawnattr_t {
    _opaque: [u8; 336],
}

/// `sigset_t` (opaque; 128 bytes, 8-aligned), for the signal mask and
/// default-signal set of a `posix_spawnattr_t`.
#[repr(C, align(8))]
pub struct sigset_t {
    _opaque: [u8; 128],
}

#[cfg(target_pointer_width = "64")]
const SPAWN_FILE_ACTIONS_SIZE: usize = 80;
#[cfg(target_pointer_width = "32")]
const SPAWN_FILE_ACTIONS_SIZE: usize = 76;

/// [`posix_spawnattr_setflags`] flag: reset the effective ids (Linux:
/// glibc and musl agree on these values).
pub const POSIX_SPAWN_RESETIDS: c_short = 0x01;
/// [`posix_spawnattr_setflags`] flag: apply [`posix_spawnattr_setpgroup`].
pub const POSIX_SPAWN_SETPGROUP: c_short = 0x02;
/// [`posix_spawnattr_setflags`] flag: apply [`posix_spawnattr_setsigdefault`].
pub const POSIX_SPAWN_SETSIGDEF: c_short = 0x04;
/// [`posix_spawnattr_setflags`] flag: apply [`posix_spawnattr_setsigmask`].
pub const POSIX_SPAWN_SETSIGMASK: c_short = 0x08;

// ---------------------------------------------------------------------------
// Handles and lookups

/// The major version of the header these declarations follow.
pub const NETNS_VERSION_MAJOR: c_int = 0;
/// The minor version of the header these declarations follow.
pub const NETNS_VERSION_MINOR: c_int = 5;
/// The micro version of the header these declarations follow.
pub const NETNS_VERSION_MICRO: c_int = 0;
/// The handle value that names no namespace.
pub const NETNS_NONE: c_int = -1;
/// A UTS namespace (`CLONE_NEWUTS`), for [`netns_setns`] and [`netns_type`].
pub const NETNS_CLONE_NEWUTS: c_int = 0x0400_0000;
/// An IPC namespace (`CLONE_NEWIPC`).
pub const NETNS_CLONE_NEWIPC: c_int = 0x0800_0000;
/// A user namespace (`CLONE_NEWUSER`).
pub const NETNS_CLONE_NEWUSER: c_int = 0x1000_0000;
/// A PID namespace (`CLONE_NEWPID`).
pub const NETNS_CLONE_NEWPID: c_int = 0x2000_0000;
/// A network namespace (`CLONE_NEWNET`).
pub const NETNS_CLONE_NEWNET: c_int = 0x4000_0000;
/// `CLONE_IO`, not a namespace type (kept from the Go package's list);
/// `0x80000000u` in C: unsigned, so it does not fit a positive `c_int`.
pub const NETNS_CLONE_IO: u32 = 0x8000_0000;
/// Since 0.2: a time namespace (`CLONE_NEWTIME`), as [`netns_type`] may
/// return.
pub const NETNS_CLONE_NEWTIME: c_int = 0x0000_0080;
/// Since 0.2: a mount namespace (`CLONE_NEWNS`).
pub const NETNS_CLONE_NEWNS: c_int = 0x0002_0000;
/// Since 0.2: a cgroup namespace (`CLONE_NEWCGROUP`).
pub const NETNS_CLONE_NEWCGROUP: c_int = 0x0200_0000;

extern "C" {
    /// The library's version, `"MAJOR.MINOR.MICRO"`, a static string.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let v = unsafe { core::ffi::CStr::from_ptr(netns_version()) };
    /// assert_eq!(v.to_bytes().iter().filter(|&&b| b == b'.').count(), 2);
    /// ```
    pub fn netns_version() -> *const c_char;
    /// [`NETNS_NONE`], the empty handle.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// assert_eq!(unsafe { netns_none() }, NETNS_NONE);
    /// ```
    pub fn netns_none() -> c_int;
    /// Closes `*ns` and sets it to [`NETNS_NONE`]; `-EBADF` (and [`NETNS_NONE`]
    /// too) when it was not open.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut ns = unsafe { netns_get() };
    /// assert_eq!(unsafe { netns_close(&mut ns) }, 0);
    /// assert_eq!(ns, NETNS_NONE);
    /// assert_eq!(unsafe { netns_close(&mut ns) }, -9); // -EBADF
    /// ```
    pub fn netns_close(ns: *mut c_int) -> c_int;
    /// 1 when `ns` is a handle value (`>= 0`), 0 for [`NETNS_NONE`].
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// assert_eq!(unsafe { netns_is_open(NETNS_NONE) }, 0);
    /// ```
    pub fn netns_is_open(ns: c_int) -> c_int;
    /// 1 when `a` and `b` name the same namespace (or both are [`NETNS_NONE`]),
    /// else 0.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let (mut a, mut b) = unsafe { (netns_get(), netns_get()) };
    /// assert_eq!(unsafe { netns_equal(a, b) }, 1);
    /// unsafe { netns_close(&mut a); netns_close(&mut b) };
    /// ```
    pub fn netns_equal(a: c_int, b: c_int) -> c_int;
    /// Writes `NS(<fd>: <dev>, <ino>)` into `buf` (NUL-terminated, cut to
    /// `size`) and returns its full length, as snprintf(3).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut buf = [0 as core::ffi::c_char; 64];
    /// let n = unsafe { netns_string(NETNS_NONE, buf.as_mut_ptr(), buf.len()) };
    /// let text = unsafe { core::ffi::CStr::from_ptr(buf.as_ptr()) };
    /// assert_eq!((n, text.to_bytes()), (8, &b"NS(none)"[..]));
    /// ```
    pub fn netns_string(ns: c_int, buf: *mut c_char, size: usize) -> c_int;
    /// Writes `NS(<dev>:<ino>)` into `buf`, as [`netns_string`].
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut buf = [0 as core::ffi::c_char; 64];
    /// let mut ns = unsafe { netns_get() };
    /// assert!(unsafe { netns_unique_id(ns, buf.as_mut_ptr(), buf.len()) } > 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_unique_id(ns: c_int, buf: *mut c_char, size: usize) -> c_int;
    /// A new handle to the calling thread's network namespace, or `-errno`.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut ns = unsafe { netns_get() };
    /// assert!(ns >= 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_get() -> c_int;
    /// A handle to the network namespace at `path` (an nsfs file); `-EINVAL`
    /// when it is not one.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut ns = unsafe { netns_get_from_path(b"/proc/self/ns/net\0".as_ptr().cast()) };
    /// assert!(ns >= 0);
    /// assert_eq!(unsafe { netns_get_from_path(b"/etc/passwd\0".as_ptr().cast()) }, -22); // -EINVAL
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_get_from_path(path: *const c_char) -> c_int;
    /// A handle to the namespace `<run dir>/<name>`; `-ENOENT` when there is
    /// none, `-EINVAL` for a bad name.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// assert_eq!(unsafe { netns_get_from_name(b"a/b\0".as_ptr().cast()) }, -22); // -EINVAL
    /// ```
    pub fn netns_get_from_name(name: *const c_char) -> c_int;
    /// A handle to the network namespace of process `pid`; `-ENOENT` when there
    /// is none.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut ns = unsafe { netns_get_from_pid(std::process::id() as pid_t) };
    /// assert!(ns >= 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_get_from_pid(pid: pid_t) -> c_int;
    /// A handle to the network namespace of thread `tid` of process `pid`.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let pid = std::process::id() as pid_t;
    /// let mut ns = unsafe { netns_get_from_thread(pid, pid) };
    /// assert!(ns >= 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_get_from_thread(pid: pid_t, tid: pid_t) -> c_int;
    /// A handle to the network namespace of a Docker container (id, prefix or
    /// name).
    ///
    /// ``` no_run
    /// # use libnetns_sys::*;
    /// let mut ns = unsafe { netns_get_from_docker(b"web\0".as_ptr().cast()) };
    /// assert!(ns >= 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_get_from_docker(id: *const c_char) -> c_int;
    /// Since 0.3: a handle to the network namespace of the process behind
    /// `pidfd`; `-EINVAL` when it is not a pidfd.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let file = std::fs::File::open("/proc/self/status").unwrap();
    /// let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
    /// assert_eq!(unsafe { netns_get_from_pidfd(fd) }, -22); // -EINVAL
    /// ```
    pub fn netns_get_from_pidfd(pidfd: c_int) -> c_int;
    /// Since 0.2: the `NETNS_CLONE_NEW*` type of a namespace descriptor of any
    /// kind; `-EINVAL` for another descriptor.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut ns = unsafe { netns_get() };
    /// assert_eq!(unsafe { netns_type(ns) }, NETNS_CLONE_NEWNET);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_type(fd: c_int) -> c_int;
    /// Since 0.2: 1 when `fd` is a network namespace, 0 for another descriptor,
    /// `-EBADF` for a closed one.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// assert_eq!(unsafe { netns_is_netns(NETNS_NONE) }, -9); // -EBADF
    /// ```
    pub fn netns_is_netns(fd: c_int) -> c_int;
}

// ---------------------------------------------------------------------------
// Switching the calling thread

extern "C" {
    /// MOVES the calling thread into network namespace `ns`.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut here = unsafe { netns_get() };
    /// assert_eq!(unsafe { netns_set(here) }, 0);
    /// unsafe { netns_close(&mut here) };
    /// assert_eq!(unsafe { netns_set(NETNS_NONE) }, -9); // -EBADF
    /// ```
    pub fn netns_set(ns: c_int) -> c_int;
    /// MOVES the calling thread into namespace `ns` of type `nstype` (one
    /// `NETNS_CLONE_NEW*`, or 0 for any), as setns(2).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut here = unsafe { netns_get() };
    /// assert_eq!(unsafe { netns_setns(here, NETNS_CLONE_NEWNET) }, 0);
    /// assert_eq!(unsafe { netns_setns(here, NETNS_CLONE_NEWUTS) }, -22); // -EINVAL
    /// unsafe { netns_close(&mut here) };
    /// ```
    pub fn netns_setns(ns: c_int, nstype: c_int) -> c_int;
    /// Creates a network namespace and MOVES the calling thread into it.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_new() };
    /// assert!(ns >= 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_new() -> c_int;
    /// Creates `<run dir>/<name>` and MOVES the calling thread into it;
    /// `-EEXIST` when it exists.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_new_named(b"doc-sys-new-named\0".as_ptr().cast()) };
    /// assert!(ns >= 0);
    /// assert_eq!(unsafe { netns_delete_named(b"doc-sys-new-named\0".as_ptr().cast()) }, 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_new_named(name: *const c_char) -> c_int;
}

// ---------------------------------------------------------------------------
// Creating, naming and deleting

extern "C" {
    // Since 0.2 (LIBNETNS_0.2).
    /// Since 0.2: creates a namespace on a helper thread, WITHOUT moving the
    /// caller; `name` NULL for an anonymous one, else also `<run dir>/<name>`.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// assert!(ns >= 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_create(name: *const c_char) -> c_int;
    /// Since 0.2: as [`netns_create`], persisted at any `path` (created; its
    /// directory must exist).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let path = std::ffi::CString::new(format!("/tmp/doc-sys-create-at-{}", std::process::id())).unwrap();
    /// let mut ns = unsafe { netns_create_at(path.as_ptr()) };
    /// assert!(ns >= 0);
    /// assert_eq!(unsafe { netns_delete_at(path.as_ptr()) }, 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_create_at(path: *const c_char) -> c_int;
    /// Removes the entry `<run dir>/<name>`; `-ENOENT` when there is none.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// assert_eq!(unsafe { netns_delete_named(b"doc-sys-none-such\0".as_ptr().cast()) }, -2); // -ENOENT
    /// ```
    pub fn netns_delete_named(name: *const c_char) -> c_int;
    /// Since 0.2: unmounts and unlinks a namespace persisted at `path`;
    /// `-EINVAL` on `/proc`.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// assert_eq!(unsafe { netns_delete_at(b"/proc/self/ns/net\0".as_ptr().cast()) }, -22); // -EINVAL
    /// ```
    pub fn netns_delete_at(path: *const c_char) -> c_int;
    /// Since 0.3: names the namespace of process `pid` `<run dir>/<name>` (`ip
    /// netns attach`).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// assert_eq!(unsafe { netns_attach(b"doc-sys-attach\0".as_ptr().cast(), std::process::id() as pid_t) }, 0);
    /// assert_eq!(unsafe { netns_delete_named(b"doc-sys-attach\0".as_ptr().cast()) }, 0);
    /// ```
    pub fn netns_attach(name: *const c_char, pid: pid_t) -> c_int;
    /// Since 0.3: names the namespace `ns` `<run dir>/<name>`.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// assert_eq!(unsafe { netns_attach_fd(b"doc-sys-attach-fd\0".as_ptr().cast(), ns) }, 0);
    /// assert_eq!(unsafe { netns_delete_named(b"doc-sys-attach-fd\0".as_ptr().cast()) }, 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_attach_fd(name: *const c_char, ns: c_int) -> c_int;
    // Since 0.5 (LIBNETNS_0.5). netns_enter_named and netns_exec_named MOVE
    // the calling thread (network and mount namespace).
    /// Since 0.5: 0 when `name` is a valid name for `<run dir>/<name>`, else
    /// `-EINVAL`.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// assert_eq!(unsafe { netns_check_name(b"blue\0".as_ptr().cast()) }, 0);
    /// assert_eq!(unsafe { netns_check_name(b"..\0".as_ptr().cast()) }, -22);
    /// ```
    pub fn netns_check_name(name: *const c_char) -> c_int;
    /// Since 0.5: writes the run directory (`$NETNS_RUN_DIR`, else
    /// `/run/netns`) into `buf` and returns its length, as snprintf(3).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut buf = [0 as core::ffi::c_char; 256];
    /// let n = unsafe { netns_run_dir(buf.as_mut_ptr(), buf.len()) };
    /// assert!(n > 0 && buf[0] == b'/' as core::ffi::c_char);
    /// ```
    pub fn netns_run_dir(buf: *mut c_char, size: usize) -> c_int;
}

// ---------------------------------------------------------------------------
// Running inside a namespace

/// A function run inside a namespace by [`netns_run`]/[`netns_run_isolated`].
pub type netns_fn = Option<unsafe extern "C" fn(arg: *mut c_void) -> c_int>;

extern "C" {
    /// Since 0.2: calls `fn_(arg)` on the calling thread inside `ns`, then
    /// switches back; stores its return value in `*result` when not NULL.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// unsafe extern "C" fn count(arg: *mut core::ffi::c_void) -> core::ffi::c_int {
    ///     unsafe { *arg.cast::<i32>() += 1 };
    ///     7
    /// }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// let (mut calls, mut result) = (0i32, 0);
    /// let rc = unsafe { netns_run(ns, Some(count), (&mut calls as *mut i32).cast(), &mut result) };
    /// assert_eq!((rc, calls, result), (0, 1, 7));
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_run(ns: c_int, fn_: netns_fn, arg: *mut c_void, result: *mut c_int) -> c_int;
    /// Since 0.2: as [`netns_run`], on a thread of its own: the caller never
    /// moves.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// unsafe extern "C" fn seven(_: *mut core::ffi::c_void) -> core::ffi::c_int { 7 }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// let mut result = 0;
    /// assert_eq!(unsafe { netns_run_isolated(ns, Some(seven), core::ptr::null_mut(), &mut result) }, 0);
    /// assert_eq!(result, 7);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_run_isolated(
        ns: c_int,
        fn_: netns_fn,
        arg: *mut c_void,
        result: *mut c_int,
    ) -> c_int;
    /// Since 0.2: `socket(2)` inside `ns` (always `SOCK_CLOEXEC`), without
    /// moving the caller.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// let fd = unsafe { netns_socket(ns, 2 /* AF_INET */, 2 /* SOCK_DGRAM */, 0) };
    /// assert!(fd >= 0);
    /// drop(unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd) });
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_socket(ns: c_int, domain: c_int, type_: c_int, protocol: c_int) -> c_int;
    /// Since 0.2: `posix_spawn(3)` of `path` with its network namespace `ns`;
    /// the caller never moves. `actions` and `attr` may be NULL.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// let mut pid: pid_t = 0;
    /// let argv = [b"true\0".as_ptr() as *mut core::ffi::c_char, core::ptr::null_mut()];
    /// let envp = [core::ptr::null_mut()];
    /// let rc = unsafe {
    ///     netns_spawn(&mut pid, ns, b"/bin/true\0".as_ptr().cast(), core::ptr::null(), core::ptr::null(),
    ///                 argv.as_ptr(), envp.as_ptr())
    /// };
    /// assert_eq!(rc, 0);
    /// extern "C" { fn waitpid(pid: pid_t, status: *mut i32, options: i32) -> pid_t; }
    /// let mut status = 0;
    /// assert_eq!(unsafe { waitpid(pid, &mut status, 0) }, pid);
    /// assert_eq!(status, 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_spawn(
        pid: *mut pid_t,
        ns: c_int,
        path: *const c_char,
        actions: *const posix_spawn_file_actions_t,
        attr: *const posix_spawnattr_t,
        argv: *const *mut c_char,
        envp: *const *mut c_char,
    ) -> c_int;
    /// Since 0.2: as [`netns_spawn`], `file` searched in `PATH`
    /// (`posix_spawnp(3)`).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// let mut pid: pid_t = 0;
    /// let argv = [b"true\0".as_ptr() as *mut core::ffi::c_char, core::ptr::null_mut()];
    /// let envp = [core::ptr::null_mut()];
    /// let rc = unsafe {
    ///     netns_spawnp(&mut pid, ns, b"true\0".as_ptr().cast(), core::ptr::null(), core::ptr::null(),
    ///                  argv.as_ptr(), envp.as_ptr())
    /// };
    /// assert_eq!(rc, 0);
    /// extern "C" { fn waitpid(pid: pid_t, status: *mut i32, options: i32) -> pid_t; }
    /// let mut status = 0;
    /// assert_eq!(unsafe { waitpid(pid, &mut status, 0) }, pid);
    /// assert_eq!(status, 0);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_spawnp(
        pid: *mut pid_t,
        ns: c_int,
        file: *const c_char,
        actions: *const posix_spawn_file_actions_t,
        attr: *const posix_spawnattr_t,
        argv: *const *mut c_char,
        envp: *const *mut c_char,
    ) -> c_int;
    /// Since 0.2: starts `file` (searched in `PATH`) as `ip netns exec NAME`
    /// does: in `<run dir>/<name>`, a mount namespace of its own, a fresh
    /// `/sys`, the `/etc/netns/<name>` binds.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(b"doc-sys-spawn-named\0".as_ptr().cast()) };
    /// let mut pid: pid_t = 0;
    /// let argv = [b"true\0".as_ptr() as *mut core::ffi::c_char, core::ptr::null_mut()];
    /// let envp = [core::ptr::null_mut()];
    /// let rc = unsafe {
    ///     netns_spawn_named(&mut pid, b"doc-sys-spawn-named\0".as_ptr().cast(), b"true\0".as_ptr().cast(),
    ///                       core::ptr::null(), core::ptr::null(), argv.as_ptr(), envp.as_ptr())
    /// };
    /// assert_eq!(rc, 0);
    /// extern "C" { fn waitpid(pid: pid_t, status: *mut i32, options: i32) -> pid_t; }
    /// let mut status = 0;
    /// assert_eq!(unsafe { waitpid(pid, &mut status, 0) }, pid);
    /// assert_eq!(status, 0);
    /// unsafe { netns_delete_named(b"doc-sys-spawn-named\0".as_ptr().cast()); netns_close(&mut ns) };
    /// ```
    pub fn netns_spawn_named(
        pid: *mut pid_t,
        name: *const c_char,
        file: *const c_char,
        actions: *const posix_spawn_file_actions_t,
        attr: *const posix_spawnattr_t,
        argv: *const *mut c_char,
        envp: *const *mut c_char,
    ) -> c_int;
    /// Since 0.5: prepares the calling thread as `ip netns exec NAME` prepares
    /// its process, and MOVES it (network and mount namespace).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(b"doc-sys-enter-named\0".as_ptr().cast()) };
    /// assert_eq!(unsafe { netns_enter_named(b"doc-sys-enter-named\0".as_ptr().cast()) }, 0);
    /// unsafe { netns_delete_named(b"doc-sys-enter-named\0".as_ptr().cast()); netns_close(&mut ns) };
    /// ```
    pub fn netns_enter_named(name: *const c_char) -> c_int;
    /// Since 0.5: [`netns_enter_named`], then `execvpe(3)` of `file`: returns
    /// only on failure (`-errno`, the thread back where it was).
    ///
    /// ``` no_run
    /// # use libnetns_sys::*;
    /// let argv = [b"ip\0".as_ptr() as *mut core::ffi::c_char, b"addr\0".as_ptr() as *mut core::ffi::c_char, core::ptr::null_mut()];
    /// let rc = unsafe { netns_exec_named(b"blue\0".as_ptr().cast(), b"ip\0".as_ptr().cast(), argv.as_ptr(), core::ptr::null()) };
    /// panic!("exec failed: {rc}");
    /// ```
    pub fn netns_exec_named(
        name: *const c_char,
        file: *const c_char,
        argv: *const *mut c_char,
        envp: *const *mut c_char,
    ) -> c_int;
}

// The C library's functions that build the `actions` and `attr` arguments of
// netns_spawn*(). They are not part of libnetns, and return a positive errno
// value on failure, as in C.
extern "C" {
    /// Initialises `actions` (then pass it to `netns_spawn*`, and destroy it).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut actions = core::mem::MaybeUninit::<posix_spawn_file_actions_t>::uninit();
    /// assert_eq!(unsafe { posix_spawn_file_actions_init(actions.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawn_file_actions_destroy(actions.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawn_file_actions_init(actions: *mut posix_spawn_file_actions_t) -> c_int;
    /// Frees what [`posix_spawn_file_actions_init`] and the `add*` calls
    /// allocated.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut actions = core::mem::MaybeUninit::<posix_spawn_file_actions_t>::uninit();
    /// assert_eq!(unsafe { posix_spawn_file_actions_init(actions.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawn_file_actions_destroy(actions.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawn_file_actions_destroy(actions: *mut posix_spawn_file_actions_t) -> c_int;
    /// Adds "open `path` as descriptor `fd`" to the actions of the child.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut actions = core::mem::MaybeUninit::<posix_spawn_file_actions_t>::uninit();
    /// assert_eq!(unsafe { posix_spawn_file_actions_init(actions.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawn_file_actions_addopen(actions.as_mut_ptr(), 0, b"/dev/null\0".as_ptr().cast(), 0, 0) }, 0);
    /// assert_eq!(unsafe { posix_spawn_file_actions_destroy(actions.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawn_file_actions_addopen(
        actions: *mut posix_spawn_file_actions_t,
        fd: c_int,
        path: *const c_char,
        oflag: c_int,
        mode: u32,
    ) -> c_int;
    /// Adds "close `fd`" to the actions of the child.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut actions = core::mem::MaybeUninit::<posix_spawn_file_actions_t>::uninit();
    /// assert_eq!(unsafe { posix_spawn_file_actions_init(actions.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawn_file_actions_addclose(actions.as_mut_ptr(), 3) }, 0);
    /// assert_eq!(unsafe { posix_spawn_file_actions_destroy(actions.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawn_file_actions_addclose(
        actions: *mut posix_spawn_file_actions_t,
        fd: c_int,
    ) -> c_int;
    /// Adds "`dup2(fd, newfd)`" to the actions of the child.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut actions = core::mem::MaybeUninit::<posix_spawn_file_actions_t>::uninit();
    /// assert_eq!(unsafe { posix_spawn_file_actions_init(actions.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawn_file_actions_adddup2(actions.as_mut_ptr(), 1, 2) }, 0);
    /// assert_eq!(unsafe { posix_spawn_file_actions_destroy(actions.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawn_file_actions_adddup2(
        actions: *mut posix_spawn_file_actions_t,
        fd: c_int,
        newfd: c_int,
    ) -> c_int;
    /// Initialises `attr` (then pass it to `netns_spawn*`, and destroy it).
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut attr = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    /// assert_eq!(unsafe { posix_spawnattr_init(attr.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_destroy(attr.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawnattr_init(attr: *mut posix_spawnattr_t) -> c_int;
    /// Frees what [`posix_spawnattr_init`] allocated.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut attr = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    /// assert_eq!(unsafe { posix_spawnattr_init(attr.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_destroy(attr.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawnattr_destroy(attr: *mut posix_spawnattr_t) -> c_int;
    /// Sets the `POSIX_SPAWN_*` flags that say which attributes apply.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut attr = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    /// assert_eq!(unsafe { posix_spawnattr_init(attr.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_setflags(attr.as_mut_ptr(), POSIX_SPAWN_SETPGROUP) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_destroy(attr.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawnattr_setflags(attr: *mut posix_spawnattr_t, flags: c_short) -> c_int;
    /// Sets the process group of the child (0: a new one); applies with
    /// [`POSIX_SPAWN_SETPGROUP`].
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut attr = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    /// assert_eq!(unsafe { posix_spawnattr_init(attr.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_setpgroup(attr.as_mut_ptr(), 0) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_destroy(attr.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawnattr_setpgroup(attr: *mut posix_spawnattr_t, pgroup: pid_t) -> c_int;
    /// Sets the signal mask of the child; applies with
    /// [`POSIX_SPAWN_SETSIGMASK`].
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut attr = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    /// assert_eq!(unsafe { posix_spawnattr_init(attr.as_mut_ptr()) }, 0);
    /// let mut set = core::mem::MaybeUninit::<sigset_t>::uninit();
    /// assert_eq!(unsafe { sigemptyset(set.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_setsigmask(attr.as_mut_ptr(), set.as_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_destroy(attr.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawnattr_setsigmask(attr: *mut posix_spawnattr_t, mask: *const sigset_t)
        -> c_int;
    /// Sets the signals reset to their default action in the child; applies
    /// with [`POSIX_SPAWN_SETSIGDEF`].
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut attr = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    /// assert_eq!(unsafe { posix_spawnattr_init(attr.as_mut_ptr()) }, 0);
    /// let mut set = core::mem::MaybeUninit::<sigset_t>::uninit();
    /// assert_eq!(unsafe { sigemptyset(set.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { sigaddset(set.as_mut_ptr(), 13 /* SIGPIPE */) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_setsigdefault(attr.as_mut_ptr(), set.as_ptr()) }, 0);
    /// assert_eq!(unsafe { posix_spawnattr_destroy(attr.as_mut_ptr()) }, 0);
    /// ```
    pub fn posix_spawnattr_setsigdefault(
        attr: *mut posix_spawnattr_t,
        sigdefault: *const sigset_t,
    ) -> c_int;
    /// Makes `set` empty. Returns 0, or -1 with errno set.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut set = core::mem::MaybeUninit::<sigset_t>::uninit();
    /// assert_eq!(unsafe { sigemptyset(set.as_mut_ptr()) }, 0);
    /// ```
    pub fn sigemptyset(set: *mut sigset_t) -> c_int;
    /// Adds `signum` to `set`. Returns 0, or -1 with errno set.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut set = core::mem::MaybeUninit::<sigset_t>::uninit();
    /// assert_eq!(unsafe { sigemptyset(set.as_mut_ptr()) }, 0);
    /// assert_eq!(unsafe { sigaddset(set.as_mut_ptr(), 15 /* SIGTERM */) }, 0);
    /// ```
    pub fn sigaddset(set: *mut sigset_t, signum: c_int) -> c_int;
}

// ---------------------------------------------------------------------------
// Listing, identifying and watching

/// Since 0.3: called with each name by [`netns_list`]/[`netns_identify`];
/// a non-zero return stops the walk.
pub type netns_name_cb =
    Option<unsafe extern "C" fn(name: *const c_char, arg: *mut c_void) -> c_int>;
/// Since 0.3: called with each pid by [`netns_pids`]; a non-zero return
/// stops the walk.
pub type netns_pid_cb = Option<unsafe extern "C" fn(pid: pid_t, arg: *mut c_void) -> c_int>;
/// Since 0.3: called with each event by [`netns_monitor_read`]; a non-zero
/// return stops the delivery.
pub type netns_event_cb =
    Option<unsafe extern "C" fn(event: c_int, name: *const c_char, arg: *mut c_void) -> c_int>;
/// Since 0.3: an event of [`netns_monitor_read`]: a name became usable.
pub const NETNS_EVENT_ADD: c_int = 1;
/// Since 0.3: an event of [`netns_monitor_read`]: a name was removed.
pub const NETNS_EVENT_DEL: c_int = 2;

extern "C" {
    // Since 0.3 (LIBNETNS_0.3).
    /// Since 0.3: calls `cb(name, arg)` for each named namespace, sorted; a
    /// non-zero return stops the walk.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// unsafe extern "C" fn count(_: *const core::ffi::c_char, arg: *mut core::ffi::c_void) -> core::ffi::c_int {
    ///     unsafe { *arg.cast::<usize>() += 1 };
    ///     0
    /// }
    /// let mut names = 0usize;
    /// assert!(unsafe { netns_list(Some(count), (&mut names as *mut usize).cast()) } >= 0);
    /// ```
    pub fn netns_list(cb: netns_name_cb, arg: *mut c_void) -> c_int;
    /// Since 0.3: calls `cb(name, arg)` for each name of the namespace of
    /// process `pid`.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// unsafe extern "C" fn stop(_: *const core::ffi::c_char, _: *mut core::ffi::c_void) -> core::ffi::c_int { 1 }
    /// assert!(unsafe { netns_identify(std::process::id() as pid_t, Some(stop), core::ptr::null_mut()) } >= 0);
    /// assert_eq!(unsafe { netns_identify(0, Some(stop), core::ptr::null_mut()) }, -22); // -EINVAL
    /// ```
    pub fn netns_identify(pid: pid_t, cb: netns_name_cb, arg: *mut c_void) -> c_int;
    /// Since 0.3: calls `cb(pid, arg)` for each process in namespace `ns`,
    /// ascending.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// unsafe extern "C" fn is_me(pid: pid_t, _: *mut core::ffi::c_void) -> core::ffi::c_int {
    ///     (pid == std::process::id() as pid_t) as core::ffi::c_int
    /// }
    /// let mut ns = unsafe { netns_get() };
    /// assert_eq!(unsafe { netns_pids(ns, Some(is_me), core::ptr::null_mut()) }, 1);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_pids(ns: c_int, cb: netns_pid_cb, arg: *mut c_void) -> c_int;
    /// Since 0.3: a descriptor that becomes readable when names are added or
    /// removed; read it with [`netns_monitor_read`].
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut fd = unsafe { netns_monitor_open() };
    /// assert!(fd >= 0);
    /// assert_eq!(unsafe { netns_monitor_close(&mut fd) }, 0);
    /// ```
    pub fn netns_monitor_open() -> c_int;
    /// Since 0.3: calls `cb(event, name, arg)` for each pending event
    /// ([`NETNS_EVENT_ADD`], [`NETNS_EVENT_DEL`]); never blocks; returns the
    /// count.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// unsafe extern "C" fn show(_: core::ffi::c_int, _: *const core::ffi::c_char, _: *mut core::ffi::c_void) -> core::ffi::c_int { 0 }
    /// let mut fd = unsafe { netns_monitor_open() };
    /// assert!(unsafe { netns_monitor_read(fd, Some(show), core::ptr::null_mut()) } >= 0);
    /// unsafe { netns_monitor_close(&mut fd) };
    /// ```
    pub fn netns_monitor_read(fd: c_int, cb: netns_event_cb, arg: *mut c_void) -> c_int;
    /// Since 0.3: closes a monitor and sets `*fd` to -1.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// let mut fd = unsafe { netns_monitor_open() };
    /// assert_eq!(unsafe { netns_monitor_close(&mut fd) }, 0);
    /// assert_eq!(fd, -1);
    /// ```
    pub fn netns_monitor_close(fd: *mut c_int) -> c_int;
}

// ---------------------------------------------------------------------------
// Namespace ids

/// Since 0.4: called with each id by [`netns_list_id`]; a non-zero return
/// stops the walk.
pub type netns_id_cb = Option<unsafe extern "C" fn(id: c_int, arg: *mut c_void) -> c_int>;

extern "C" {
    /// Since 0.3: the nsid the namespace of the caller has for `ns`; `-ENOENT`
    /// when none.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// assert_eq!(unsafe { netns_get_id(ns) }, -2); // -ENOENT: none yet
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_get_id(ns: c_int) -> c_int;
    /// Since 0.3: assigns nsid `id` (or one the kernel picks for -1) to `ns` in
    /// the namespace of the caller, and returns it.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let mut ns = unsafe { netns_create(core::ptr::null()) };
    /// let id = unsafe { netns_set_id(ns, -1) };
    /// assert!(id >= 0);
    /// assert_eq!(unsafe { netns_get_id(ns) }, id);
    /// unsafe { netns_close(&mut ns) };
    /// ```
    pub fn netns_set_id(ns: c_int, id: c_int) -> c_int;
    /// Since 0.3: the nsid that namespace `target` has for `ns`; `-ENOENT` when
    /// none.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return; }
    /// let (mut a, mut b) = unsafe { (netns_create(core::ptr::null()), netns_create(core::ptr::null())) };
    /// assert_eq!(unsafe { netns_get_id_in(a, b) }, -2); // -ENOENT
    /// unsafe { netns_close(&mut a); netns_close(&mut b) };
    /// ```
    pub fn netns_get_id_in(ns: c_int, target: c_int) -> c_int;
    // Since 0.4 (LIBNETNS_0.4).
    /// Since 0.4: calls `cb(id, arg)` for each nsid the namespace of the caller
    /// has assigned, ascending.
    ///
    /// ```
    /// # use libnetns_sys::*;
    /// unsafe extern "C" fn count(_: core::ffi::c_int, arg: *mut core::ffi::c_void) -> core::ffi::c_int {
    ///     unsafe { *arg.cast::<usize>() += 1 };
    ///     0
    /// }
    /// let mut ids = 0usize;
    /// assert!(unsafe { netns_list_id(Some(count), (&mut ids as *mut usize).cast()) } >= 0);
    /// ```
    pub fn netns_list_id(cb: netns_id_cb, arg: *mut c_void) -> c_int;
}
