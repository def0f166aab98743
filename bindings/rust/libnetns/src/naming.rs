// SPDX-License-Identifier: Apache-2.0
//! Creating, naming and deleting: [`create`], [`create_at`],
//! [`delete_named`], [`delete_at`], [`attach`], [`attach_fd`], and the name
//! rule and run directory ([`check_name`], [`run_dir`]). None of them moves
//! the calling thread.

use std::ffi::{CString, OsStr};
use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::os::raw::c_int;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::ptr;

use crate::handle::owned;
use crate::{c_string, check, sys, Handle};

/// Creates a network namespace **without moving the calling thread**
/// (`netns_create`): a short-lived helper thread makes it.
///
/// `None`: anonymous, alive as long as the returned handle (or anything
/// inside it: a process, a socket) is. `Some(name)`: also persisted as
/// `<run dir>/<name>`, as [`new_named`](crate::new_named) does (`EEXIST` when it exists,
/// `EINVAL` for a bad name); remove it with [`delete_named`].
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let here = libnetns::get()?;
/// let anonymous = libnetns::create(None)?;
/// let named = libnetns::create(Some("doc-create"))?;
/// assert_ne!(anonymous, named);
/// assert_eq!(libnetns::get()?, here); // this thread did not move
/// let err = libnetns::create(Some("doc-create")).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
/// libnetns::delete_named("doc-create")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn create(name: Option<&str>) -> io::Result<Handle> {
    let Some(name) = name else {
        // SAFETY: NULL asks for an anonymous namespace.
        return owned(unsafe { sys::netns_create(ptr::null()) });
    };
    let name = c_string(OsStr::new(name), "name")?;
    // SAFETY: name is a valid C string.
    owned(unsafe { sys::netns_create(name.as_ptr()) })
}

/// Like [`create`], persisted at any `path` (`netns_create_at`, as
/// `unshare --net=FILE`): the file is created (`EEXIST` if anything is
/// there) in a directory that must exist (`ENOENT`). Does not move the
/// calling thread. Remove it with [`delete_at`].
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let path = std::env::temp_dir().join(format!("doc-create-at-{}", std::process::id()));
/// let ns = libnetns::create_at(&path)?;
/// assert_eq!(libnetns::get_from_path(&path)?, ns);
/// libnetns::delete_at(&path)?;
/// assert!(!path.exists());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn create_at(path: impl AsRef<Path>) -> io::Result<Handle> {
    let path = c_string(path.as_ref().as_os_str(), "path")?;
    // SAFETY: path is a valid C string.
    owned(unsafe { sys::netns_create_at(path.as_ptr()) })
}

/// Removes the named namespace's entry `<run dir>/<name>` (like
/// `ip netns del`, `netns_delete_named`); the namespace lives on while
/// used. `ENOENT` when there is none.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(Some("doc-delete-named"))?;
/// libnetns::delete_named("doc-delete-named")?;
/// assert!(libnetns::get_from_name("doc-delete-named").is_err());
/// assert!(libnetns::is_netns(&ns)?); // still alive through `ns`
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn delete_named(name: impl AsRef<OsStr>) -> io::Result<()> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    check(unsafe { sys::netns_delete_named(name.as_ptr()) }).map(drop)
}

/// Removes a namespace persisted at `path` by [`create_at`]
/// (`netns_delete_at`: unmount, then unlink); the namespace lives on while
/// used. `EISDIR` for a directory, `EINVAL` for a path on `/proc`.
///
/// ```
/// let err = libnetns::delete_at("/proc/self/ns/net").unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
/// ```
pub fn delete_at(path: impl AsRef<Path>) -> io::Result<()> {
    let path = c_string(path.as_ref().as_os_str(), "path")?;
    // SAFETY: path is a valid C string.
    check(unsafe { sys::netns_delete_at(path.as_ptr()) }).map(drop)
}

/// Names the namespace of process `pid` `<run dir>/<name>`, like `ip netns
/// attach` but through a pidfd (`netns_attach`). `EEXIST`
/// ([`io::ErrorKind::AlreadyExists`]) when the name is taken; remove it with
/// [`delete_named`](crate::delete_named).
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(None)?;
/// let mut child = libnetns::spawn(&ns, "sleep", ["10"])?;
/// libnetns::attach("doc-attach", child.id() as i32)?;
/// assert_eq!(libnetns::get_from_name("doc-attach")?, ns);
/// child.kill()?;
/// child.wait()?;
/// libnetns::delete_named("doc-attach")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn attach(name: impl AsRef<OsStr>, pid: i32) -> io::Result<()> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    check(unsafe { sys::netns_attach(name.as_ptr(), pid) }).map(drop)
}

/// Names the namespace `ns` `<run dir>/<name>` (`netns_attach_fd`); `ns`
/// stays open.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(None)?;
/// libnetns::attach_fd("doc-attach-fd", &ns)?;
/// assert_eq!(libnetns::get_from_name("doc-attach-fd")?, ns);
/// libnetns::delete_named("doc-attach-fd")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn attach_fd(name: impl AsRef<OsStr>, ns: impl AsFd) -> io::Result<()> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string; ns is only read.
    check(unsafe { sys::netns_attach_fd(name.as_ptr(), ns.as_fd().as_raw_fd()) }).map(drop)
}

const EINVAL: c_int = 22;

/// `Ok(())` when `name` is a valid name for `<run dir>/<name>`
/// (`netns_check_name`, since 0.5): one path component, not empty, not `.`
/// or `..`, no `/` nor NUL, at most 255 bytes; else `EINVAL`. Pure; does
/// not move the calling thread.
///
/// ```
/// assert!(libnetns::check_name("blue").is_ok());
/// let err = libnetns::check_name("a/b").unwrap_err();
/// assert_eq!(err.raw_os_error(), Some(22)); // EINVAL
/// ```
pub fn check_name(name: impl AsRef<OsStr>) -> io::Result<()> {
    // A NUL would cut the name short on its way to C: invalid here too.
    let name =
        CString::new(name.as_ref().as_bytes()).map_err(|_| io::Error::from_raw_os_error(EINVAL))?;
    // SAFETY: name is a valid C string.
    check(unsafe { sys::netns_check_name(name.as_ptr()) }).map(drop)
}

/// The run directory where names are made (`netns_run_dir`, since 0.5):
/// `$NETNS_RUN_DIR`, else `/run/netns`, else `/var/run/netns` when `/run`
/// does not exist. Does not move the calling thread.
///
/// ```
/// let dir = libnetns::run_dir()?;
/// assert!(dir.is_absolute());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run_dir() -> io::Result<PathBuf> {
    let mut buf = vec![0u8; 64];
    loop {
        // SAFETY: buf is writable for buf.len() bytes.
        let n = check(unsafe { sys::netns_run_dir(buf.as_mut_ptr().cast(), buf.len()) })? as usize;
        if n < buf.len() {
            buf.truncate(n);
            return Ok(std::ffi::OsString::from_vec(buf).into());
        }
        buf = vec![0u8; n + 1];
    }
}
