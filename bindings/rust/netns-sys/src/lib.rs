// SPDX-License-Identifier: Apache-2.0
//! Raw declarations of the C API of `libnetns.so.0` (`<netns/netns.h>`).
//!
//! Every function returns `>= 0` on success or a negative errno value. A
//! handle is a plain file descriptor; [`NETNS_NONE`] means "no namespace".
//! Namespace switches act on the calling thread only. See the `netns` crate
//! for a safe interface.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_short, c_void};

/// `pid_t` on Linux.
pub type pid_t = i32;

// The C library's spawn types, opaque here (no `libc` crate): storage of the
// size and alignment of glibc's and musl's on 64-bit Linux, only ever
// initialised and used through the C library's functions below. Make them
// with `MaybeUninit::uninit()` and `posix_spawn_*_init`.

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

pub const NETNS_VERSION_MAJOR: c_int = 0;
pub const NETNS_VERSION_MINOR: c_int = 5;
pub const NETNS_VERSION_MICRO: c_int = 0;

/// The handle value that names no namespace.
pub const NETNS_NONE: c_int = -1;

pub const NETNS_CLONE_NEWUTS: c_int = 0x0400_0000;
pub const NETNS_CLONE_NEWIPC: c_int = 0x0800_0000;
pub const NETNS_CLONE_NEWUSER: c_int = 0x1000_0000;
pub const NETNS_CLONE_NEWPID: c_int = 0x2000_0000;
pub const NETNS_CLONE_NEWNET: c_int = 0x4000_0000;
/// `0x80000000u` in C: unsigned, so it does not fit a positive `c_int`.
pub const NETNS_CLONE_IO: u32 = 0x8000_0000;
/// Since 0.2: the other types [`netns_type`] may return.
pub const NETNS_CLONE_NEWTIME: c_int = 0x0000_0080;
pub const NETNS_CLONE_NEWNS: c_int = 0x0002_0000;
pub const NETNS_CLONE_NEWCGROUP: c_int = 0x0200_0000;

/// `posix_spawnattr_setflags` flags (Linux: glibc and musl agree).
pub const POSIX_SPAWN_RESETIDS: c_short = 0x01;
pub const POSIX_SPAWN_SETPGROUP: c_short = 0x02;
pub const POSIX_SPAWN_SETSIGDEF: c_short = 0x04;
pub const POSIX_SPAWN_SETSIGMASK: c_short = 0x08;

/// A function run inside a namespace by [`netns_run`]/[`netns_run_isolated`].
pub type netns_fn = Option<unsafe extern "C" fn(arg: *mut c_void) -> c_int>;

/// Since 0.3: called with each name by [`netns_list`]/[`netns_identify`];
/// a non-zero return stops the walk.
pub type netns_name_cb = Option<unsafe extern "C" fn(name: *const c_char, arg: *mut c_void) -> c_int>;
/// Since 0.3: called with each pid by [`netns_pids`]; a non-zero return
/// stops the walk.
pub type netns_pid_cb = Option<unsafe extern "C" fn(pid: pid_t, arg: *mut c_void) -> c_int>;
/// Since 0.3: called with each event by [`netns_monitor_read`]; a non-zero
/// return stops the delivery.
pub type netns_event_cb =
    Option<unsafe extern "C" fn(event: c_int, name: *const c_char, arg: *mut c_void) -> c_int>;

/// Since 0.4: called with each id by [`netns_list_id`]; a non-zero return
/// stops the walk.
pub type netns_id_cb = Option<unsafe extern "C" fn(id: c_int, arg: *mut c_void) -> c_int>;

/// Since 0.3: the events of [`netns_monitor_read`].
pub const NETNS_EVENT_ADD: c_int = 1;
pub const NETNS_EVENT_DEL: c_int = 2;

extern "C" {
    pub fn netns_version() -> *const c_char;
    pub fn netns_none() -> c_int;
    pub fn netns_get() -> c_int;
    pub fn netns_get_from_path(path: *const c_char) -> c_int;
    pub fn netns_get_from_name(name: *const c_char) -> c_int;
    pub fn netns_get_from_pid(pid: pid_t) -> c_int;
    pub fn netns_get_from_thread(pid: pid_t, tid: pid_t) -> c_int;
    pub fn netns_get_from_docker(id: *const c_char) -> c_int;
    pub fn netns_new() -> c_int;
    pub fn netns_new_named(name: *const c_char) -> c_int;
    pub fn netns_delete_named(name: *const c_char) -> c_int;
    pub fn netns_set(ns: c_int) -> c_int;
    pub fn netns_setns(ns: c_int, nstype: c_int) -> c_int;
    pub fn netns_close(ns: *mut c_int) -> c_int;
    pub fn netns_is_open(ns: c_int) -> c_int;
    pub fn netns_equal(a: c_int, b: c_int) -> c_int;
    pub fn netns_string(ns: c_int, buf: *mut c_char, size: usize) -> c_int;
    pub fn netns_unique_id(ns: c_int, buf: *mut c_char, size: usize) -> c_int;

    // Since 0.2 (LIBNETNS_0.2).
    pub fn netns_create(name: *const c_char) -> c_int;
    pub fn netns_create_at(path: *const c_char) -> c_int;
    pub fn netns_delete_at(path: *const c_char) -> c_int;
    pub fn netns_run(ns: c_int, fn_: netns_fn, arg: *mut c_void, result: *mut c_int) -> c_int;
    pub fn netns_run_isolated(
        ns: c_int,
        fn_: netns_fn,
        arg: *mut c_void,
        result: *mut c_int,
    ) -> c_int;
    pub fn netns_socket(ns: c_int, domain: c_int, type_: c_int, protocol: c_int) -> c_int;
    pub fn netns_spawn(
        pid: *mut pid_t,
        ns: c_int,
        path: *const c_char,
        actions: *const posix_spawn_file_actions_t,
        attr: *const posix_spawnattr_t,
        argv: *const *mut c_char,
        envp: *const *mut c_char,
    ) -> c_int;
    pub fn netns_spawnp(
        pid: *mut pid_t,
        ns: c_int,
        file: *const c_char,
        actions: *const posix_spawn_file_actions_t,
        attr: *const posix_spawnattr_t,
        argv: *const *mut c_char,
        envp: *const *mut c_char,
    ) -> c_int;
    pub fn netns_spawn_named(
        pid: *mut pid_t,
        name: *const c_char,
        file: *const c_char,
        actions: *const posix_spawn_file_actions_t,
        attr: *const posix_spawnattr_t,
        argv: *const *mut c_char,
        envp: *const *mut c_char,
    ) -> c_int;
    pub fn netns_type(fd: c_int) -> c_int;
    pub fn netns_is_netns(fd: c_int) -> c_int;

    // Since 0.3 (LIBNETNS_0.3).
    pub fn netns_list(cb: netns_name_cb, arg: *mut c_void) -> c_int;
    pub fn netns_identify(pid: pid_t, cb: netns_name_cb, arg: *mut c_void) -> c_int;
    pub fn netns_pids(ns: c_int, cb: netns_pid_cb, arg: *mut c_void) -> c_int;
    pub fn netns_get_from_pidfd(pidfd: c_int) -> c_int;
    pub fn netns_attach(name: *const c_char, pid: pid_t) -> c_int;
    pub fn netns_attach_fd(name: *const c_char, ns: c_int) -> c_int;
    pub fn netns_get_id(ns: c_int) -> c_int;
    pub fn netns_set_id(ns: c_int, id: c_int) -> c_int;
    pub fn netns_get_id_in(ns: c_int, target: c_int) -> c_int;
    pub fn netns_monitor_open() -> c_int;
    pub fn netns_monitor_read(fd: c_int, cb: netns_event_cb, arg: *mut c_void) -> c_int;
    pub fn netns_monitor_close(fd: *mut c_int) -> c_int;

    // Since 0.4 (LIBNETNS_0.4).
    pub fn netns_list_id(cb: netns_id_cb, arg: *mut c_void) -> c_int;

    // Since 0.5 (LIBNETNS_0.5). netns_enter_named and netns_exec_named MOVE
    // the calling thread (network and mount namespace).
    pub fn netns_check_name(name: *const c_char) -> c_int;
    pub fn netns_run_dir(buf: *mut c_char, size: usize) -> c_int;
    pub fn netns_enter_named(name: *const c_char) -> c_int;
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
    pub fn posix_spawn_file_actions_init(actions: *mut posix_spawn_file_actions_t) -> c_int;
    pub fn posix_spawn_file_actions_destroy(actions: *mut posix_spawn_file_actions_t) -> c_int;
    pub fn posix_spawn_file_actions_addopen(
        actions: *mut posix_spawn_file_actions_t,
        fd: c_int,
        path: *const c_char,
        oflag: c_int,
        mode: u32,
    ) -> c_int;
    pub fn posix_spawn_file_actions_addclose(
        actions: *mut posix_spawn_file_actions_t,
        fd: c_int,
    ) -> c_int;
    pub fn posix_spawn_file_actions_adddup2(
        actions: *mut posix_spawn_file_actions_t,
        fd: c_int,
        newfd: c_int,
    ) -> c_int;
    pub fn posix_spawnattr_init(attr: *mut posix_spawnattr_t) -> c_int;
    pub fn posix_spawnattr_destroy(attr: *mut posix_spawnattr_t) -> c_int;
    pub fn posix_spawnattr_setflags(attr: *mut posix_spawnattr_t, flags: c_short) -> c_int;
    pub fn posix_spawnattr_setpgroup(attr: *mut posix_spawnattr_t, pgroup: pid_t) -> c_int;
    pub fn posix_spawnattr_setsigmask(attr: *mut posix_spawnattr_t, mask: *const sigset_t)
        -> c_int;
    pub fn posix_spawnattr_setsigdefault(
        attr: *mut posix_spawnattr_t,
        sigdefault: *const sigset_t,
    ) -> c_int;
    /// Returns 0, or -1 with errno set.
    pub fn sigemptyset(set: *mut sigset_t) -> c_int;
    /// Returns 0, or -1 with errno set.
    pub fn sigaddset(set: *mut sigset_t, signum: c_int) -> c_int;
}
