// SPDX-License-Identifier: Apache-2.0
//! Safe bindings for `libnetns.so.0`: handles to Linux network namespaces.
//!
//! Every function is named after the C function it calls, without the
//! `netns_` prefix: [`get`] is `netns_get`, [`get_from_name`] is
//! `netns_get_from_name`, [`new_named`] is `netns_new_named`. The scope
//! guard is [`SetGuard`].
//!
//! A [`NetNs`] owns a file descriptor ([`OwnedFd`]) to a network namespace;
//! dropping it closes the descriptor. Failures are [`std::io::Error`]s made
//! with [`io::Error::from_raw_os_error`] from the library's `-errno`, so
//! [`io::Error::kind`] works as for the standard library: `ENOENT` is
//! [`ErrorKind::NotFound`], `EEXIST` [`ErrorKind::AlreadyExists`], `EINVAL`
//! [`ErrorKind::InvalidInput`], `EPERM`/`EACCES`
//! [`ErrorKind::PermissionDenied`], and [`io::Error::raw_os_error`] gives
//! the errno itself (e.g. `EBADF`, 9).
//!
//! # Threads
//!
//! Namespace switches ([`set`], [`setns`], [`new`], [`new_named`],
//! [`SetGuard::new`]) act on the **calling OS thread only**, never on the
//! whole process. A thread spawned afterwards starts in the namespace of the
//! thread that spawns it. [`SetGuard`] is therefore `!Send`: it must be
//! dropped on the thread that switched.
//!
//! ```no_run
//! let here = netns::get()?;
//! let other = netns::get_from_name("blue")?;
//! {
//!     let _guard = netns::SetGuard::new(&other)?; // this thread is now in "blue"
//!     assert_eq!(netns::get()?, other);
//! } // back in `here`
//! assert_eq!(netns::get()?, here);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The guard cannot cross threads:
//!
//! ```compile_fail
//! fn needs_send<T: Send>(_: T) {}
//! let guard = netns::SetGuard::new(&netns::get().unwrap()).unwrap();
//! needs_send(guard);
//! ```
//!
//! # Doing work inside a namespace without moving (since 0.2)
//!
//! [`create`] makes a namespace on a helper thread; [`run`] runs a closure
//! on the calling thread inside a namespace and switches back;
//! [`run_isolated`] runs it on a thread of its own, so the caller's thread
//! never changes; [`socket`] (and [`udp_bind`], [`tcp_listen`],
//! [`tcp_connect`]) make sockets that belong to a namespace; [`Command`]
//! (and [`spawn`], [`spawn_named`]) start processes in one. A panic in the
//! closure continues in the caller, after the thread is back.
//!
//! ```no_run
//! use std::net::{Ipv4Addr, SocketAddr};
//!
//! let ns = netns::create(None)?; // this thread does not move
//! let here = netns::get()?;
//! let inside = netns::run(&ns, || netns::get())??;
//! assert_eq!(inside, ns);
//! assert_eq!(netns::get()?, here);
//!
//! let names = vec!["lo".to_owned()];
//! let count = netns::run_isolated(&ns, || names.len())?; // may borrow
//! assert_eq!(count, 1);
//!
//! let sock = netns::udp_bind(&ns, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
//! let out = netns::Command::new("ip").args(["link", "show"]).output(&ns)?;
//! assert!(out.status.success());
//! # drop(sock);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! [`run_isolated`] runs the closure on another thread, so it must be `Send`:
//!
//! ```compile_fail
//! let ns = netns::get().unwrap();
//! let shared = std::rc::Rc::new(1);
//! netns::run_isolated(&ns, || *shared + 1).unwrap();
//! ```
//!
//! [`run`] runs it on the calling thread, so it need not be:
//!
//! ```no_run
//! let ns = netns::get().unwrap();
//! let shared = std::rc::Rc::new(1);
//! assert_eq!(netns::run(&ns, || *shared + 1).unwrap(), 2);
//! ```
//!
//! # Names, processes, nsids and a monitor (since 0.3)
//!
//! [`list`], [`identify`] and [`pids`] return a `Vec` (their `_with` forms
//! take a closure that may stop the walk); [`attach`] and [`attach_fd`]
//! name a process's namespace or a handle; [`get_id`], [`set_id`] and
//! [`get_id_in`] handle nsids; a [`Monitor`] ([`AsRawFd`], to poll)
//! reports names added and removed. None of them moves the calling thread.
//! Since 0.4, [`list_id`] (and [`list_id_with`]) walk the nsid table.
//!
//! # `ip netns exec` in place (since 0.5)
//!
//! [`check_name`] and [`run_dir`] give the library's name rule and run
//! directory. [`enter_named`] prepares the **calling thread** as
//! `ip netns exec NAME` prepares its process (the named network namespace,
//! a mount namespace of its own, a fresh `/sys`, the `/etc/netns/NAME`
//! binds) and MOVES it; [`exec_named`] (and [`Command::exec_named`]) then
//! replace the process with a command, which keeps its pid. They are meant
//! for a single-threaded process that execs next.

use std::ffi::{c_void, CStr, CString, OsStr};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io::{self, ErrorKind};
use std::marker::PhantomData;
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::raw::{c_char, c_int};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::ptr;

pub use netns_sys as sys;

mod spawn;
pub use spawn::{exec_named, spawn, spawn_named, Child, Command, Stdio};

mod names;
pub use names::{
    attach, attach_fd, get_from_pidfd, get_id, get_id_in, identify, identify_with, list,
    list_id, list_id_with, list_with, monitor_open, pids, pids_with, set_id, Event, Monitor,
};

/// The raw handle value that names no namespace (`NETNS_NONE`).
pub const NONE: RawFd = sys::NETNS_NONE;
pub const CLONE_NEWUTS: c_int = sys::NETNS_CLONE_NEWUTS;
pub const CLONE_NEWIPC: c_int = sys::NETNS_CLONE_NEWIPC;
pub const CLONE_NEWUSER: c_int = sys::NETNS_CLONE_NEWUSER;
pub const CLONE_NEWPID: c_int = sys::NETNS_CLONE_NEWPID;
pub const CLONE_NEWNET: c_int = sys::NETNS_CLONE_NEWNET;
pub const CLONE_IO: u32 = sys::NETNS_CLONE_IO;
pub const CLONE_NEWTIME: c_int = sys::NETNS_CLONE_NEWTIME;
pub const CLONE_NEWNS: c_int = sys::NETNS_CLONE_NEWNS;
pub const CLONE_NEWCGROUP: c_int = sys::NETNS_CLONE_NEWCGROUP;

const EINVAL: c_int = 22;

fn check(rc: c_int) -> io::Result<c_int> {
    if rc < 0 {
        Err(io::Error::from_raw_os_error(-rc))
    } else {
        Ok(rc)
    }
}

fn owned(rc: c_int) -> io::Result<NetNs> {
    let fd = check(rc)?;
    // SAFETY: on success the library returns a new descriptor that only we own.
    Ok(NetNs { fd: unsafe { OwnedFd::from_raw_fd(fd) } })
}

fn c_string(s: &OsStr, what: &str) -> io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| {
        io::Error::new(ErrorKind::InvalidInput, format!("{what} contains a NUL byte"))
    })
}

type DescribeFn = unsafe extern "C" fn(c_int, *mut c_char, usize) -> c_int;

fn describe(f: DescribeFn, fd: RawFd) -> String {
    let mut buf = vec![0u8; 64];
    loop {
        // SAFETY: buf is writable for buf.len() bytes.
        let n = unsafe { f(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            // Only possible with a NULL buffer, which we never pass.
            return String::from("NS(unknown)");
        }
        let n = n as usize;
        if n < buf.len() {
            buf.truncate(n);
            return String::from_utf8_lossy(&buf).into_owned();
        }
        buf.resize(n + 1, 0);
    }
}

/// An owned handle to a network namespace. Dropping it closes the descriptor.
///
/// Two handles compare equal when they name the same namespace
/// (`netns_equal`), and hash by [`NetNs::unique_id`]. [`fmt::Display`] gives
/// the Go package's `NS(<fd>: <dev>, <ino>)` (`netns_string`).
pub struct NetNs {
    fd: OwnedFd,
}

impl NetNs {
    /// `NS(<dev>:<ino>)`: the same for every handle to this namespace.
    pub fn unique_id(&self) -> String {
        unique_id(self.fd.as_raw_fd())
    }

    /// Whether `other` names the same namespace as `self`.
    pub fn equal(&self, other: impl AsFd) -> bool {
        equal(self, other)
    }

    /// A second handle (a `dup` of the descriptor) to the same namespace.
    pub fn try_clone(&self) -> io::Result<NetNs> {
        Ok(NetNs { fd: self.fd.try_clone()? })
    }

    /// Closes the handle, reporting a close error that dropping would ignore.
    pub fn close(self) -> io::Result<()> {
        let mut fd = self.into_raw_fd();
        // SAFETY: fd is ours; netns_close closes it and sets it to NETNS_NONE.
        check(unsafe { sys::netns_close(&mut fd) }).map(drop)
    }
}

impl AsFd for NetNs {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for NetNs {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl IntoRawFd for NetNs {
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}

impl FromRawFd for NetNs {
    /// # Safety
    /// `fd` must be an open descriptor that the caller owns (see [`OwnedFd`]).
    unsafe fn from_raw_fd(fd: RawFd) -> Self {
        NetNs { fd: OwnedFd::from_raw_fd(fd) }
    }
}

/// Wraps a descriptor without checking that it is a network namespace (use
/// [`get_from_path`] for that); operations on a wrong one fail with `EINVAL`.
impl From<OwnedFd> for NetNs {
    fn from(fd: OwnedFd) -> Self {
        NetNs { fd }
    }
}

impl From<NetNs> for OwnedFd {
    fn from(ns: NetNs) -> Self {
        ns.fd
    }
}

impl PartialEq for NetNs {
    fn eq(&self, other: &Self) -> bool {
        equal(self, other)
    }
}

impl Eq for NetNs {}

impl Hash for NetNs {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.unique_id().hash(state);
    }
}

impl fmt::Display for NetNs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&string(self.fd.as_raw_fd()))
    }
}

impl fmt::Debug for NetNs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetNs")
            .field("fd", &self.fd.as_raw_fd())
            .field("id", &self.unique_id())
            .finish()
    }
}

/// The library's version string, `"MAJOR.MINOR.MICRO"`.
pub fn version() -> &'static str {
    // SAFETY: the library returns a static NUL-terminated ASCII string.
    unsafe { CStr::from_ptr(sys::netns_version()) }.to_str().unwrap_or("unknown")
}

/// The raw empty handle, [`NONE`] (`netns_none`). In safe code, "no
/// namespace" is `Option<NetNs>::None`.
pub fn none() -> RawFd {
    // SAFETY: no arguments, no side effects.
    unsafe { sys::netns_none() }
}

/// Whether `fd` is a handle value (`>= 0`) rather than [`NONE`].
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: only compares the value.
    unsafe { sys::netns_is_open(fd) != 0 }
}

/// Whether `a` and `b` name the same namespace (`netns_equal`).
pub fn equal(a: impl AsFd, b: impl AsFd) -> bool {
    equal_raw(a.as_fd().as_raw_fd(), b.as_fd().as_raw_fd())
}

/// [`equal`] on raw values: true also when both are [`NONE`]; false when
/// a descriptor cannot be examined.
pub fn equal_raw(a: RawFd, b: RawFd) -> bool {
    // SAFETY: only fstat(2)s the descriptors.
    unsafe { sys::netns_equal(a, b) != 0 }
}

/// `netns_string` of a raw value: `NS(<fd>: <dev>, <ino>)`, `NS(none)` or
/// `NS(<fd>: unknown)`.
pub fn string(fd: RawFd) -> String {
    describe(sys::netns_string, fd)
}

/// `netns_unique_id` of a raw value: `NS(<dev>:<ino>)`, `NS(none)` or
/// `NS(unknown)`.
pub fn unique_id(fd: RawFd) -> String {
    describe(sys::netns_unique_id, fd)
}

/// A handle to the calling thread's network namespace.
pub fn get() -> io::Result<NetNs> {
    // SAFETY: no arguments.
    owned(unsafe { sys::netns_get() })
}

/// A handle to the network namespace at `path` (any nsfs file, e.g.
/// `/proc/<pid>/ns/net` or `/run/netns/<name>`).
pub fn get_from_path(path: impl AsRef<Path>) -> io::Result<NetNs> {
    let path = c_string(path.as_ref().as_os_str(), "path")?;
    // SAFETY: path is a valid C string.
    owned(unsafe { sys::netns_get_from_path(path.as_ptr()) })
}

/// A handle to the named namespace (made by [`new_named`] or `ip netns add`).
pub fn get_from_name(name: impl AsRef<OsStr>) -> io::Result<NetNs> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    owned(unsafe { sys::netns_get_from_name(name.as_ptr()) })
}

/// Since 0.5: `Ok(())` when `name` is a valid name for `<run dir>/<name>`
/// (`netns_check_name`): one path component, not empty, not `.` or `..`,
/// no `/` nor NUL, at most 255 bytes; else `EINVAL`. Pure; does not move
/// the calling thread.
pub fn check_name(name: impl AsRef<OsStr>) -> io::Result<()> {
    // A NUL would cut the name short on its way to C: invalid here too.
    let name = CString::new(name.as_ref().as_bytes())
        .map_err(|_| io::Error::from_raw_os_error(EINVAL))?;
    // SAFETY: name is a valid C string.
    check(unsafe { sys::netns_check_name(name.as_ptr()) }).map(drop)
}

/// Since 0.5: the run directory where names are made (`netns_run_dir`):
/// `$NETNS_RUN_DIR`, else `/run/netns`, else `/var/run/netns` when `/run`
/// does not exist. Does not move the calling thread.
pub fn run_dir() -> io::Result<std::path::PathBuf> {
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

/// Since 0.5: prepares the **calling thread** as `ip netns exec NAME`
/// prepares its process (`netns_enter_named`): the network namespace
/// `<run dir>/<name>`, a mount namespace of its own with `/` a recursive
/// slave, a fresh `/sys`, the `/etc/netns/<name>` binds. MOVES the calling
/// thread (network and mount namespace) on success; meant for a
/// single-threaded process that execs next. On failure the thread is back
/// in both namespaces, but for `ENOTRECOVERABLE`.
pub fn enter_named(name: impl AsRef<OsStr>) -> io::Result<()> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    check(unsafe { sys::netns_enter_named(name.as_ptr()) }).map(drop)
}

/// A handle to the network namespace of process `pid`.
pub fn get_from_pid(pid: i32) -> io::Result<NetNs> {
    // SAFETY: plain integers.
    owned(unsafe { sys::netns_get_from_pid(pid) })
}

/// A handle to the network namespace of thread `tid` of process `pid`.
pub fn get_from_thread(pid: i32, tid: i32) -> io::Result<NetNs> {
    // SAFETY: plain integers.
    owned(unsafe { sys::netns_get_from_thread(pid, tid) })
}

/// A handle to the network namespace of a Docker container (id, prefix or
/// name).
pub fn get_from_docker(id: &str) -> io::Result<NetNs> {
    let id = c_string(OsStr::new(id), "container id")?;
    // SAFETY: id is a valid C string.
    owned(unsafe { sys::netns_get_from_docker(id.as_ptr()) })
}

/// Creates a network namespace and **moves the calling thread** into it.
pub fn new() -> io::Result<NetNs> {
    // SAFETY: no arguments.
    owned(unsafe { sys::netns_new() })
}

/// Creates a persistent namespace `<run dir>/<name>` (like `ip netns add`)
/// and **moves the calling thread** into it.
pub fn new_named(name: impl AsRef<OsStr>) -> io::Result<NetNs> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    owned(unsafe { sys::netns_new_named(name.as_ptr()) })
}

/// Removes the named namespace's entry; the namespace lives on while used.
pub fn delete_named(name: impl AsRef<OsStr>) -> io::Result<()> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    check(unsafe { sys::netns_delete_named(name.as_ptr()) }).map(drop)
}

/// Moves the calling thread into network namespace `ns`.
pub fn set(ns: impl AsFd) -> io::Result<()> {
    set_raw(ns.as_fd().as_raw_fd())
}

/// [`set`] on a raw descriptor; [`NONE`] or a closed one gives `EBADF`.
pub fn set_raw(fd: RawFd) -> io::Result<()> {
    // SAFETY: setns(2) only reads the descriptor.
    check(unsafe { sys::netns_set(fd) }).map(drop)
}

/// Moves the calling thread into namespace `ns` of type `nstype` (one
/// `CLONE_NEW*`, or 0 for any type), as setns(2).
pub fn setns(ns: impl AsFd, nstype: c_int) -> io::Result<()> {
    setns_raw(ns.as_fd().as_raw_fd(), nstype)
}

/// [`setns`] on a raw descriptor.
pub fn setns_raw(fd: RawFd, nstype: c_int) -> io::Result<()> {
    // SAFETY: setns(2) only reads the descriptor.
    check(unsafe { sys::netns_setns(fd, nstype) }).map(drop)
}

/// Keeps the calling thread in another namespace until dropped, then moves
/// it back to where it was.
///
/// It is `!Send` and `!Sync`: namespaces are per thread, so it must be
/// dropped on the thread that made it. If moving back fails when dropped
/// (which needs the namespace to become unenterable, e.g. lost privileges),
/// it panics, or aborts the process when already unwinding, rather than
/// leave the thread silently in the wrong namespace; use
/// [`SetGuard::restore`] to handle that error yourself.
#[must_use = "the thread goes back as soon as the guard is dropped"]
pub struct SetGuard {
    origin: Option<NetNs>,
    _not_send: PhantomData<*const ()>,
}

impl SetGuard {
    /// Moves the calling thread into `target` (`netns_set`) until the
    /// returned guard drops. On error the thread has not moved.
    pub fn new(target: impl AsFd) -> io::Result<SetGuard> {
        let origin = get()?;
        set(target)?;
        Ok(SetGuard { origin: Some(origin), _not_send: PhantomData })
    }

    /// The namespace the thread goes back to.
    pub fn origin(&self) -> &NetNs {
        self.origin.as_ref().expect("origin is set until drop")
    }

    /// Moves the thread back now, returning the error instead of panicking.
    pub fn restore(mut self) -> io::Result<()> {
        let origin = self.origin.take().expect("origin is set until drop");
        set(&origin)
    }
}

impl Drop for SetGuard {
    fn drop(&mut self) {
        if let Some(origin) = self.origin.take() {
            if let Err(err) = set(&origin) {
                if std::thread::panicking() {
                    eprintln!("netns: cannot go back to {origin}: {err}; aborting");
                    std::process::abort();
                }
                panic!("netns: cannot go back to {origin}: {err}");
            }
        }
    }
}

impl fmt::Debug for SetGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetGuard").field("origin", &self.origin).finish()
    }
}

// --- Since 0.2: create, run code, open sockets and start processes in a
// namespace without moving the calling thread.

/// Creates a network namespace **without moving the calling thread**
/// (`netns_create`): a short-lived helper thread makes it.
///
/// `None`: anonymous, alive as long as the returned handle (or anything
/// inside it: a process, a socket) is. `Some(name)`: also persisted as
/// `<run dir>/<name>`, as [`new_named`] does (`EEXIST` when it exists,
/// `EINVAL` for a bad name); remove it with [`delete_named`].
pub fn create(name: Option<&str>) -> io::Result<NetNs> {
    let Some(name) = name else {
        // SAFETY: NULL asks for an anonymous namespace.
        return owned(unsafe { sys::netns_create(ptr::null()) });
    };
    let name = c_string(OsStr::new(name), "name")?;
    // SAFETY: name is a valid C string.
    owned(unsafe { sys::netns_create(name.as_ptr()) })
}

/// Like [`create`], persisted at any `path` (`unshare --net=FILE`): the file
/// is created (`EEXIST` if anything is there) in a directory that must
/// exist (`ENOENT`). Does not move the calling thread. Remove it with
/// [`delete_at`].
pub fn create_at(path: impl AsRef<Path>) -> io::Result<NetNs> {
    let path = c_string(path.as_ref().as_os_str(), "path")?;
    // SAFETY: path is a valid C string.
    owned(unsafe { sys::netns_create_at(path.as_ptr()) })
}

/// Removes a namespace persisted at `path` by [`create_at`] (unmount, then
/// unlink); the namespace lives on while used. `EISDIR` for a directory,
/// `EINVAL` for a path on `/proc`.
pub fn delete_at(path: impl AsRef<Path>) -> io::Result<()> {
    let path = c_string(path.as_ref().as_os_str(), "path")?;
    // SAFETY: path is a valid C string.
    check(unsafe { sys::netns_delete_at(path.as_ptr()) }).map(drop)
}

/// The `CLONE_NEW*` type of a namespace descriptor of any kind
/// (`netns_type`); `EINVAL` when `fd` is not a namespace. (`type` is a Rust
/// keyword, hence the trailing `_`.)
pub fn type_(fd: impl AsFd) -> io::Result<c_int> {
    type_raw(fd.as_fd().as_raw_fd())
}

/// [`type_`] on a raw descriptor; a closed one gives `EBADF`.
pub fn type_raw(fd: RawFd) -> io::Result<c_int> {
    // SAFETY: an ioctl that only reads the descriptor.
    check(unsafe { sys::netns_type(fd) })
}

/// Whether `fd` is a network namespace (`netns_is_netns`).
pub fn is_netns(fd: impl AsFd) -> io::Result<bool> {
    is_netns_raw(fd.as_fd().as_raw_fd())
}

/// [`is_netns`] on a raw descriptor; a closed one gives `EBADF`.
pub fn is_netns_raw(fd: RawFd) -> io::Result<bool> {
    // SAFETY: an ioctl that only reads the descriptor.
    check(unsafe { sys::netns_is_netns(fd) }).map(|yes| yes != 0)
}

/// The closure and its outcome, shared with [`trampoline`] through `void *`.
struct Call<F, T> {
    f: Option<F>,
    out: Option<std::thread::Result<T>>,
}

/// The `netns_fn` given to the library. A panic must not unwind into the C
/// frames above it, so it is caught here and resumed by [`call_in`] on the
/// caller's side.
unsafe extern "C" fn trampoline<F: FnOnce() -> T, T>(arg: *mut c_void) -> c_int {
    // SAFETY: arg is the &mut Call<F, T> that call_in passed, alive and not
    // otherwise used until the library returns.
    let call = unsafe { &mut *arg.cast::<Call<F, T>>() };
    if let Some(f) = call.f.take() {
        call.out = Some(panic::catch_unwind(AssertUnwindSafe(f)));
    }
    0
}

type RunFn = unsafe extern "C" fn(c_int, sys::netns_fn, *mut c_void, *mut c_int) -> c_int;

fn call_in<F: FnOnce() -> T, T>(run: RunFn, ns: RawFd, f: F) -> io::Result<T> {
    let mut call = Call { f: Some(f), out: None };
    let arg: *mut Call<F, T> = &mut call;
    // SAFETY: the library calls trampoline::<F, T> with `arg` at most once,
    // and has returned (joined its thread, for run_isolated) by the time
    // `call` is used again here.
    let rc = unsafe { run(ns, Some(trampoline::<F, T>), arg.cast(), ptr::null_mut()) };
    match call.out {
        Some(Err(payload)) => panic::resume_unwind(payload),
        // -ENOTRECOVERABLE: f ran, but the thread is not back; the value is
        // dropped (a socket is closed, as netns_socket does).
        Some(Ok(value)) => check(rc).map(|_| value),
        None => match check(rc) {
            Err(err) => Err(err),
            Ok(_) => Err(io::Error::new(ErrorKind::Other, "the library did not call the function")),
        },
    }
}

/// Runs `f` on the calling thread inside `ns` (`netns_run`) and returns its
/// result; the thread is switched back afterwards, also when `f` panics (the
/// panic then continues in the caller). `f` may borrow from the caller and
/// need not be `Send`.
///
/// Errors: those of entering `ns` (`EINVAL` when it is not a network
/// namespace, `EBADF`, `EPERM`; `f` did not run), or `ENOTRECOVERABLE` when
/// `f` ran but the thread could not be switched back: it is then left in
/// `ns` and must not be used for namespace-sensitive work again, and `f`'s
/// result is dropped (a panic of `f` is resumed even then). Calls nest.
pub fn run<T>(ns: impl AsFd, f: impl FnOnce() -> T) -> io::Result<T> {
    call_in(sys::netns_run, ns.as_fd().as_raw_fd(), f)
}

/// Runs `f` inside `ns` on a thread of its own that ends afterwards
/// (`netns_run_isolated`), waits for it and returns `f`'s result; a panic in
/// `f` continues in the caller. The calling thread never changes namespace,
/// whatever `f` does to its own thread. Like [`std::thread::scope`], `f` may
/// borrow from the caller; it and its result must be `Send`.
///
/// Errors (`f` did not run): `EINVAL` when `ns` is not a network namespace,
/// `EBADF`, `EPERM`, `EAGAIN` (no thread), `ENOMEM`.
pub fn run_isolated<T: Send>(ns: impl AsFd, f: impl FnOnce() -> T + Send) -> io::Result<T> {
    call_in(sys::netns_run_isolated, ns.as_fd().as_raw_fd(), f)
}

/// A socket made inside `ns` (`netns_socket`: `socket(2)` with `domain`,
/// `type_` and `protocol`, always `SOCK_CLOEXEC`); it belongs to `ns` for
/// its whole life, whichever thread uses it. The calling thread does not
/// move. Turn it into a std type with `From<OwnedFd>` (`UnixDatagram`,
/// `UdpSocket`...), or use [`udp_bind`], [`tcp_listen`], [`tcp_connect`].
pub fn socket(ns: impl AsFd, domain: c_int, type_: c_int, protocol: c_int) -> io::Result<OwnedFd> {
    // SAFETY: plain integers.
    let fd = check(unsafe { sys::netns_socket(ns.as_fd().as_raw_fd(), domain, type_, protocol) })?;
    // SAFETY: on success the library returns a new descriptor that only we own.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

// The std::net helpers run the std constructor through `run`, which makes
// the socket inside `ns` exactly as netns_socket does. They take a
// SocketAddr, not ToSocketAddrs: a name lookup there would happen inside
// `ns`, whose resolver is usually unreachable.

/// A [`UdpSocket`] made inside `ns` and bound to `addr` there.
pub fn udp_bind(ns: impl AsFd, addr: SocketAddr) -> io::Result<UdpSocket> {
    run(ns, || UdpSocket::bind(addr))?
}

/// A [`TcpListener`] made inside `ns`, bound to `addr` there and listening.
pub fn tcp_listen(ns: impl AsFd, addr: SocketAddr) -> io::Result<TcpListener> {
    run(ns, || TcpListener::bind(addr))?
}

/// A [`TcpStream`] made inside `ns` and connected to `addr` from there.
pub fn tcp_connect(ns: impl AsFd, addr: SocketAddr) -> io::Result<TcpStream> {
    run(ns, || TcpStream::connect(addr))?
}

// --- Deprecated 0.1.0 names: one-line forwards, kept so that code written
// against 0.1.0 still builds.

#[deprecated(note = "use get_from_path")]
pub fn from_path(path: impl AsRef<Path>) -> io::Result<NetNs> {
    get_from_path(path)
}

#[deprecated(note = "use get_from_name")]
pub fn from_name(name: impl AsRef<OsStr>) -> io::Result<NetNs> {
    get_from_name(name)
}

#[deprecated(note = "use get_from_pid")]
pub fn from_pid(pid: i32) -> io::Result<NetNs> {
    get_from_pid(pid)
}

#[deprecated(note = "use get_from_thread")]
pub fn from_thread(pid: i32, tid: i32) -> io::Result<NetNs> {
    get_from_thread(pid, tid)
}

#[deprecated(note = "use get_from_docker")]
pub fn from_docker(id: &str) -> io::Result<NetNs> {
    get_from_docker(id)
}

#[deprecated(note = "use SetGuard")]
pub type SwitchGuard = SetGuard;

#[deprecated(note = "use SetGuard::new")]
pub fn enter(target: impl AsFd) -> io::Result<SetGuard> {
    SetGuard::new(target)
}

/// Runs `f` with the calling thread inside `target`, then moves it back,
/// also when `f` panics.
#[deprecated(note = "use SetGuard::new, then restore() for the error of going back")]
pub fn run_in<T>(target: impl AsFd, f: impl FnOnce() -> T) -> io::Result<T> {
    let guard = SetGuard::new(target)?;
    let value = f();
    guard.restore()?;
    Ok(value)
}
