// SPDX-License-Identifier: Apache-2.0
//! Raw declarations of the C API of `libnetns.so.0` (`<netns/netns.h>`).
//!
//! Every function returns `>= 0` on success or a negative errno value. A
//! handle is a plain file descriptor; [`NETNS_NONE`] means "no namespace".
//! Namespace switches act on the calling thread only. See the `netns` crate
//! for a safe interface.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int};

/// `pid_t` on Linux.
pub type pid_t = i32;

pub const NETNS_VERSION_MAJOR: c_int = 0;
pub const NETNS_VERSION_MINOR: c_int = 2;
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
}
