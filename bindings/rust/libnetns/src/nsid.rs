// SPDX-License-Identifier: Apache-2.0
//! Namespace ids: the kernel's nsids of a namespace ([`get_id`],
//! [`set_id`], [`get_id_in`]) and the whole table ([`list_id`],
//! [`list_id_with`], a walk as [`list`](crate::list)'s). None of them moves
//! the calling thread.

use std::io;
use std::os::fd::{AsFd, AsRawFd};

use crate::listing::{int_cb, Walk};
use crate::{check, sys};

/// The namespace id (nsid) the caller's namespace has for `ns`
/// (`netns_get_id`); `ENOENT` ([`io::ErrorKind::NotFound`]) when none is
/// assigned.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(None)?;
/// let err = libnetns::get_id(&ns).unwrap_err(); // none yet
/// assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
/// let id = libnetns::set_id(&ns, None)?;
/// assert_eq!(libnetns::get_id(&ns)?, id);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get_id(ns: impl AsFd) -> io::Result<i32> {
    // SAFETY: plain integers.
    check(unsafe { sys::netns_get_id(ns.as_fd().as_raw_fd()) })
}

/// Assigns the nsid `id` to `ns` in the caller's namespace, or one the
/// kernel picks for `None`, and returns it (`netns_set_id`). `EEXIST` when
/// `ns` has one already or `id` is taken.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(None)?;
/// let id = libnetns::set_id(&ns, None)?; // one the kernel picks
/// let err = libnetns::set_id(&ns, Some(id + 1)).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn set_id(ns: impl AsFd, id: Option<i32>) -> io::Result<i32> {
    // SAFETY: plain integers.
    check(unsafe { sys::netns_set_id(ns.as_fd().as_raw_fd(), id.unwrap_or(-1)) })
}

/// The nsid that namespace `target` has for `ns` (`netns_get_id_in`);
/// `ENOENT` when none.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let here = libnetns::get()?;
/// let ns = libnetns::create(None)?;
/// // Ids are per namespace: `ns`'s id for `here`, assigned from inside it.
/// let id = libnetns::run(&ns, || libnetns::set_id(&here, Some(7)))??;
/// assert_eq!(libnetns::get_id_in(&here, &ns)?, id);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get_id_in(ns: impl AsFd, target: impl AsFd) -> io::Result<i32> {
    // SAFETY: plain integers.
    check(unsafe { sys::netns_get_id_in(ns.as_fd().as_raw_fd(), target.as_fd().as_raw_fd()) })
}

/// Since 0.4: every nsid the caller's namespace has assigned, ascending,
/// each once (`netns_list_id`, `ip netns list-id`).
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(None)?;
/// let id = libnetns::set_id(&ns, None)?;
/// assert!(libnetns::list_id()?.contains(&id));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn list_id() -> io::Result<Vec<i32>> {
    let mut out = Vec::new();
    list_id_with(|id| {
        out.push(id);
        false
    })?;
    Ok(out)
}

/// [`list_id`], calling `f(id)` for each id; `true` stops the walk. `f`
/// runs when the library holds no socket, and may call anything. Returns
/// whether `f` stopped it.
///
/// ```
/// let mut count = 0;
/// libnetns::list_id_with(|_id| {
///     count += 1;
///     false
/// })?;
/// println!("{count} nsids");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn list_id_with(f: impl FnMut(i32) -> bool) -> io::Result<bool> {
    fn go<F: FnMut(i32) -> bool>(f: F) -> io::Result<bool> {
        let mut walk = Walk::new(f);
        let arg: *mut Walk<F> = &mut walk;
        // SAFETY: as in list_with.
        let rc = unsafe { sys::netns_list_id(Some(int_cb::<F>), arg.cast()) };
        walk.finish(rc)
    }
    go(f)
}
