// SPDX-License-Identifier: Apache-2.0
//! Switching the calling thread: [`new`], [`new_named`], [`set`], [`setns`]
//! and the [`SetGuard`] that switches back. Each of them MOVES the calling
//! OS thread, never the process.

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsFd, AsRawFd, RawFd};

use crate::handle::owned;
use crate::{c_string, check, get, sys, Handle, NsType};

/// Creates a network namespace and **moves the calling thread** into it
/// (`netns_new`). The namespace lives as long as the handle or anything
/// inside it. Prefer [`create`](crate::create), which does not move the thread.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let before = libnetns::get()?;
/// let fresh = libnetns::new()?; // this thread is now in `fresh`
/// assert_eq!(libnetns::get()?, fresh);
/// libnetns::set(&before)?; // and back
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn new() -> io::Result<Handle> {
    // SAFETY: no arguments.
    owned(unsafe { sys::netns_new() })
}

/// Creates a persistent namespace `<run dir>/<name>` (like `ip netns add`)
/// and **moves the calling thread** into it (`netns_new_named`). `EEXIST`
/// when the name exists. Prefer [`create`](crate::create), which does not move the thread.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let before = libnetns::get()?;
/// let blue = libnetns::new_named("doc-new-named")?; // this thread moved
/// libnetns::set(&before)?;
/// assert_eq!(libnetns::get_from_name("doc-new-named")?, blue);
/// libnetns::delete_named("doc-new-named")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn new_named(name: impl AsRef<OsStr>) -> io::Result<Handle> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    owned(unsafe { sys::netns_new_named(name.as_ptr()) })
}

/// **Moves the calling thread** into network namespace `ns` (`netns_set`).
/// `EINVAL` when `ns` is not a network namespace, `EPERM` without
/// `CAP_SYS_ADMIN`. Prefer [`run`](crate::run) or [`SetGuard`], which come back.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let here = libnetns::get()?;
/// let other = libnetns::create(None)?;
/// libnetns::set(&other)?;
/// assert_eq!(libnetns::get()?, other);
/// libnetns::set(&here)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn set(ns: impl AsFd) -> io::Result<()> {
    set_raw(ns.as_fd().as_raw_fd())
}

/// [`set`] on a raw descriptor; [`NONE`](crate::NONE) or a closed one gives `EBADF`.
///
/// ```
/// let err = libnetns::set_raw(libnetns::NONE).unwrap_err();
/// assert_eq!(err.raw_os_error(), Some(9)); // EBADF
/// ```
pub fn set_raw(fd: RawFd) -> io::Result<()> {
    // SAFETY: setns(2) only reads the descriptor.
    check(unsafe { sys::netns_set(fd) }).map(drop)
}

/// **Moves the calling thread** into namespace `ns`, as setns(2)
/// (`netns_setns`): of type `nstype`, checked by the kernel (`EINVAL` for
/// another type), or of any type for `None`. Joining a mount or user
/// namespace has the kernel's extra conditions (a single-threaded process
/// for a user namespace).
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// use libnetns::NsType;
/// let here = libnetns::get()?;
/// let uts = std::fs::File::open("/proc/self/ns/uts")?;
/// let err = libnetns::setns(&here, Some(NsType::Uts)).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput); // not a UTS namespace
/// libnetns::setns(&uts, Some(NsType::Uts))?; // the one it is in: no change
/// libnetns::setns(&here, None)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn setns(ns: impl AsFd, nstype: Option<NsType>) -> io::Result<()> {
    setns_raw(ns.as_fd().as_raw_fd(), nstype)
}

/// [`setns`] on a raw descriptor; [`NONE`](crate::NONE) or a closed one gives `EBADF`.
///
/// ```
/// use libnetns::NsType;
/// let err = libnetns::setns_raw(libnetns::NONE, Some(NsType::Net)).unwrap_err();
/// assert_eq!(err.raw_os_error(), Some(9)); // EBADF
/// ```
pub fn setns_raw(fd: RawFd, nstype: Option<NsType>) -> io::Result<()> {
    let nstype = nstype.map_or(0, NsType::as_raw);
    // SAFETY: setns(2) only reads the descriptor.
    check(unsafe { sys::netns_setns(fd, nstype) }).map(drop)
}

/// Keeps the calling thread in another namespace until dropped, then moves
/// it back to the namespace it saved.
///
/// It is `!Send` and `!Sync`: namespaces are per thread, so it must be
/// dropped on the thread that made it. Dropping it goes back and
/// **ignores** a failure, as the C++ and Python guards do (the thread then
/// stays where it is; `setns(2)` into the namespace a thread just left
/// fails only without kernel memory); call [`SetGuard::restore`] to be told.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let here = libnetns::get()?;
/// let other = libnetns::create(None)?;
/// let mut guard = libnetns::SetGuard::new(&other)?;
/// assert_eq!(libnetns::get()?, other);
/// assert_eq!(guard.saved(), &here);
/// guard.restore()?; // back now, with the error if any
/// assert_eq!(libnetns::get()?, here);
/// # Ok::<(), std::io::Error>(())
/// ```
#[must_use = "the thread goes back as soon as the guard is dropped"]
pub struct SetGuard {
    saved: Handle,
    restored: bool,
    _not_send: PhantomData<*const ()>,
}

impl SetGuard {
    /// Saves the calling thread's namespace and **moves the thread** into
    /// `target` (`netns_set`) until the returned guard drops. On error the
    /// thread has not moved.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let here = libnetns::get()?;
    /// let other = libnetns::create(None)?;
    /// {
    ///     let _guard = libnetns::SetGuard::new(&other)?;
    ///     assert_eq!(libnetns::get()?, other);
    /// }
    /// assert_eq!(libnetns::get()?, here);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(target: impl AsFd) -> io::Result<SetGuard> {
        let saved = get()?;
        set(target)?;
        Ok(SetGuard {
            saved,
            restored: false,
            _not_send: PhantomData,
        })
    }

    /// The namespace the thread goes back to.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let here = libnetns::get()?;
    /// let guard = libnetns::SetGuard::new(libnetns::create(None)?)?;
    /// assert_eq!(guard.saved(), &here);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn saved(&self) -> &Handle {
        &self.saved
    }

    /// Moves the thread back now and reports a failure; after a failure the
    /// guard keeps the saved namespace, and dropping it tries again. Once
    /// back, dropping the guard does nothing.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let here = libnetns::get()?;
    /// let mut guard = libnetns::SetGuard::new(libnetns::create(None)?)?;
    /// guard.restore()?;
    /// assert_eq!(libnetns::get()?, here);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn restore(&mut self) -> io::Result<()> {
        set(&self.saved)?;
        self.restored = true;
        Ok(())
    }
}

impl Drop for SetGuard {
    fn drop(&mut self) {
        if !self.restored {
            // Ignored, as documented: restore() is the way to be told.
            let _ = set(&self.saved);
        }
    }
}

impl fmt::Debug for SetGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetGuard")
            .field("saved", &self.saved)
            .field("restored", &self.restored)
            .finish()
    }
}
