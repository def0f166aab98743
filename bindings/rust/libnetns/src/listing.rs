// SPDX-License-Identifier: Apache-2.0
//! Listing, identifying and watching: which names exist ([`list`]), which
//! names a process's namespace has ([`identify`]), which processes live in a
//! namespace ([`pids`]), and a [`Monitor`] of names coming and going. None
//! of them moves the calling thread.
//!
//! The walks (and [`list_id`](crate::list_id)'s) come in two forms:
//! `list()` collects every item into a `Vec` (the C walk runs to its end
//! first; iterate the `Vec`), and `list_with(f)` calls `f` as the C walk
//! reports each item, `true` stopping the walk at once; it returns whether
//! `f` stopped it. A panic in `f` stops the walk too and continues in the
//! caller once the C call has returned (it never unwinds through the C
//! frames).
//!
//! Names are [`OsString`]s, as [`std::fs::read_dir`]'s are: a name is any
//! bytes but `/` and NUL, and is passed back as is to [`get_from_name`](crate::get_from_name).

use std::any::Any;
use std::ffi::{c_void, CStr, OsStr, OsString};
use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::raw::{c_char, c_int};
use std::os::unix::ffi::OsStrExt;
use std::panic::{self, AssertUnwindSafe};

use crate::{check, sys};

/// One callback walk: the closure, what it panicked with, how many items it
/// was given.
pub(crate) struct Walk<F> {
    f: F,
    panic: Option<Box<dyn Any + Send>>,
    taken: usize,
}

impl<F> Walk<F> {
    pub(crate) fn new(f: F) -> Self {
        Walk {
            f,
            panic: None,
            taken: 0,
        }
    }

    /// Calls the closure through `g`; a panic becomes a stop (1).
    fn call(&mut self, g: impl FnOnce(&mut F) -> bool) -> c_int {
        self.taken += 1;
        let f = &mut self.f;
        match panic::catch_unwind(AssertUnwindSafe(|| g(f))) {
            Ok(stop) => c_int::from(stop),
            Err(payload) => {
                self.panic = Some(payload);
                1
            }
        }
    }

    /// Resumes the closure's panic, or maps the C result: whether it stopped.
    pub(crate) fn finish(&mut self, rc: c_int) -> io::Result<bool> {
        if let Some(payload) = self.panic.take() {
            panic::resume_unwind(payload);
        }
        check(rc).map(|rc| rc > 0)
    }
}

/// # Safety
/// `name` is a C string and `arg` the `&mut Walk<F>` given to the C walk.
unsafe extern "C" fn name_cb<F: FnMut(&OsStr) -> bool>(
    name: *const c_char,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: see above; the walk is not otherwise used until the C call returns.
    let walk = unsafe { &mut *arg.cast::<Walk<F>>() };
    // SAFETY: the library passes a valid C string, alive for this call.
    let name = OsStr::from_bytes(unsafe { CStr::from_ptr(name) }.to_bytes());
    walk.call(|f| f(name))
}

/// # Safety
/// `arg` is the `&mut Walk<F>` given to netns_pids or netns_list_id (a pid
/// and an nsid are both a C `int`).
pub(crate) unsafe extern "C" fn int_cb<F: FnMut(i32) -> bool>(
    value: c_int,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: as for name_cb.
    let walk = unsafe { &mut *arg.cast::<Walk<F>>() };
    walk.call(|f| f(value))
}

/// Every named namespace, sorted by name, each once (`netns_list`): the
/// entries of the run directory that are mounted namespaces. A run
/// directory that does not exist has no names.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(Some("doc-list"))?;
/// assert!(libnetns::list()?.iter().any(|name| name == "doc-list"));
/// libnetns::delete_named("doc-list")?;
/// # drop(ns);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn list() -> io::Result<Vec<OsString>> {
    let mut out = Vec::new();
    list_with(|name| {
        out.push(name.to_owned());
        false
    })?;
    Ok(out)
}

/// [`list`], calling `f(name)` for each name as the walk reports it; `true`
/// stops the walk at once. Returns whether `f` stopped it.
///
/// ```
/// let mut first = None;
/// let stopped = libnetns::list_with(|name| {
///     first = Some(name.to_owned());
///     true // one is enough
/// })?;
/// assert_eq!(stopped, first.is_some());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn list_with(f: impl FnMut(&OsStr) -> bool) -> io::Result<bool> {
    fn go<F: FnMut(&OsStr) -> bool>(f: F) -> io::Result<bool> {
        let mut walk = Walk::new(f);
        let arg: *mut Walk<F> = &mut walk;
        // SAFETY: name_cb::<F> gets `arg`, alive until netns_list returns.
        let rc = unsafe { sys::netns_list(Some(name_cb::<F>), arg.cast()) };
        walk.finish(rc)
    }
    go(f)
}

/// Every name whose namespace is process `pid`'s: all its aliases, in
/// directory order (`netns_identify`); empty when it has none. `ESRCH`
/// (see [`io::Error::raw_os_error`]) when there is no such process,
/// `EINVAL` for `pid <= 0`.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(Some("doc-identify"))?;
/// let mut child = libnetns::spawn(&ns, "sleep", ["10"])?;
/// assert_eq!(libnetns::identify(child.id() as i32)?, ["doc-identify"]);
/// child.kill()?;
/// child.wait()?;
/// libnetns::delete_named("doc-identify")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn identify(pid: i32) -> io::Result<Vec<OsString>> {
    let mut out = Vec::new();
    identify_with(pid, |name| {
        out.push(name.to_owned());
        false
    })?;
    Ok(out)
}

/// [`identify`], calling `f(name)` for each name; `true` stops the walk.
/// Returns whether `f` stopped it.
///
/// ```
/// let mut names = 0;
/// libnetns::identify_with(std::process::id() as i32, |_name| {
///     names += 1;
///     false
/// })?;
/// println!("this process's namespace has {names} names");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn identify_with(pid: i32, f: impl FnMut(&OsStr) -> bool) -> io::Result<bool> {
    fn go<F: FnMut(&OsStr) -> bool>(pid: i32, f: F) -> io::Result<bool> {
        let mut walk = Walk::new(f);
        let arg: *mut Walk<F> = &mut walk;
        // SAFETY: as in list_with.
        let rc = unsafe { sys::netns_identify(pid, Some(name_cb::<F>), arg.cast()) };
        walk.finish(rc)
    }
    go(pid, f)
}

/// The processes (thread-group leaders) in namespace `ns`, ascending
/// (`netns_pids`); those the caller may not inspect are skipped.
///
/// ```
/// let here = libnetns::get()?;
/// assert!(libnetns::pids(&here)?.contains(&(std::process::id() as i32)));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn pids(ns: impl AsFd) -> io::Result<Vec<i32>> {
    let mut out = Vec::new();
    pids_with(ns, |pid| {
        out.push(pid);
        false
    })?;
    Ok(out)
}

/// [`pids`], calling `f(pid)` for each process; `true` stops the walk.
/// Returns whether `f` stopped it.
///
/// ```
/// let me = std::process::id() as i32;
/// let found = libnetns::pids_with(libnetns::get()?, |pid| pid == me)?;
/// assert!(found);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn pids_with(ns: impl AsFd, f: impl FnMut(i32) -> bool) -> io::Result<bool> {
    fn go<F: FnMut(i32) -> bool>(ns: RawFd, f: F) -> io::Result<bool> {
        let mut walk = Walk::new(f);
        let arg: *mut Walk<F> = &mut walk;
        // SAFETY: as in list_with.
        let rc = unsafe { sys::netns_pids(ns, Some(int_cb::<F>), arg.cast()) };
        walk.finish(rc)
    }
    go(ns.as_fd().as_raw_fd(), f)
}

/// What a [`Monitor`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// A name became usable (`NETNS_EVENT_ADD`).
    Add,
    /// A name was removed (`NETNS_EVENT_DEL`).
    Del,
}

impl Event {
    /// The event of a C value (`NETNS_EVENT_*`), `None` for an unknown one.
    ///
    /// ```
    /// use libnetns::{sys, Event};
    /// assert_eq!(Event::from_raw(sys::NETNS_EVENT_ADD), Some(Event::Add));
    /// assert_eq!(Event::from_raw(0), None);
    /// ```
    pub fn from_raw(event: c_int) -> Option<Event> {
        match event {
            sys::NETNS_EVENT_ADD => Some(Event::Add),
            sys::NETNS_EVENT_DEL => Some(Event::Del),
            _ => None,
        }
    }
}

/// A watch on the run directory for names added and removed by anyone
/// (`netns_monitor_open`); the directory need not exist yet. Names that
/// exist when it opens are not reported.
///
/// Poll its descriptor ([`AsRawFd`]/[`AsFd`]: `poll(2)`, epoll, an event
/// loop) for readability, then [`read`](Monitor::read), which never blocks.
/// Dropping it closes it (`netns_monitor_close`).
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// use libnetns::Event;
/// let mut monitor = libnetns::monitor_open()?;
/// let ns = libnetns::create(Some("doc-monitor"))?;
/// libnetns::delete_named("doc-monitor")?;
/// // ... poll monitor.as_raw_fd() for POLLIN; here the events are there ...
/// let events = monitor.read()?;
/// let mine: Vec<_> = events.iter().filter(|(_, name)| name == "doc-monitor").collect();
/// assert_eq!(mine.first().map(|e| e.0), Some(Event::Add));
/// assert_eq!(mine.last().map(|e| e.0), Some(Event::Del));
/// # drop(ns);
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Monitor {
    fd: RawFd,
}

/// # Safety
/// `name` is a C string and `arg` the `&mut Walk<F>` given to the read.
unsafe extern "C" fn event_cb<F: FnMut(Event, &OsStr) -> bool>(
    event: c_int,
    name: *const c_char,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: as for name_cb.
    let walk = unsafe { &mut *arg.cast::<Walk<F>>() };
    // SAFETY: the library passes a valid C string, alive for this call.
    let name = OsStr::from_bytes(unsafe { CStr::from_ptr(name) }.to_bytes());
    match Event::from_raw(event) {
        Some(event) => walk.call(|f| f(event, name)),
        None => 0, // not in the contract; nothing to report
    }
}

impl Monitor {
    /// The events since the last read, in order (`netns_monitor_read`);
    /// empty when there is none. Never blocks.
    ///
    /// ```
    /// let mut monitor = libnetns::monitor_open()?;
    /// for (event, name) in monitor.read()? {
    ///     println!("{event:?} {}", name.to_string_lossy());
    /// }
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn read(&mut self) -> io::Result<Vec<(Event, OsString)>> {
        let mut out = Vec::new();
        self.read_with(|event, name| {
            out.push((event, name.to_owned()));
            false
        })?;
        Ok(out)
    }

    /// [`read`](Monitor::read), calling `f(event, name)` for each event;
    /// `true` stops the delivery, and the events not yet delivered are kept
    /// for the next read. Returns the number of events given to `f`.
    ///
    /// ```
    /// let mut monitor = libnetns::monitor_open()?;
    /// let delivered = monitor.read_with(|_event, _name| true)?; // one at most
    /// assert!(delivered <= 1);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn read_with(&mut self, f: impl FnMut(Event, &OsStr) -> bool) -> io::Result<usize> {
        fn go<F: FnMut(Event, &OsStr) -> bool>(fd: RawFd, f: F) -> io::Result<usize> {
            let mut walk = Walk::new(f);
            let arg: *mut Walk<F> = &mut walk;
            // SAFETY: event_cb::<F> gets `arg`, alive until the call returns.
            let rc = unsafe { sys::netns_monitor_read(fd, Some(event_cb::<F>), arg.cast()) };
            // C returns the count or f's stop value: count here.
            walk.finish(rc).map(|_| walk.taken)
        }
        go(self.fd, f)
    }

    /// Closes it (`netns_monitor_close`), reporting an error that dropping
    /// would ignore.
    ///
    /// ```
    /// libnetns::monitor_open()?.close()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn close(self) -> io::Result<()> {
        let mut fd = self.fd;
        std::mem::forget(self);
        // SAFETY: fd is ours; netns_monitor_close closes and frees it.
        check(unsafe { sys::netns_monitor_close(&mut fd) }).map(drop)
    }
}

/// Starts watching the run directory for names added and removed
/// (`netns_monitor_open`); see [`Monitor`].
///
/// ```
/// let mut monitor = libnetns::monitor_open()?;
/// assert!(monitor.read()?.iter().all(|(_, name)| !name.is_empty()));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn monitor_open() -> io::Result<Monitor> {
    // SAFETY: no arguments.
    let fd = check(unsafe { sys::netns_monitor_open() })?;
    Ok(Monitor { fd })
}

impl Drop for Monitor {
    fn drop(&mut self) {
        // SAFETY: the descriptor is ours and not used after this.
        unsafe { sys::netns_monitor_close(&mut self.fd) };
    }
}

impl AsRawFd for Monitor {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

impl AsFd for Monitor {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: the descriptor is open for as long as the monitor lives.
        unsafe { BorrowedFd::borrow_raw(self.fd) }
    }
}

impl fmt::Debug for Monitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor").field("fd", &self.fd).finish()
    }
}
