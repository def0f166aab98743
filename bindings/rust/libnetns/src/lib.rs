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
//! A [`Handle`] owns a file descriptor ([`OwnedFd`]) to a network namespace;
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
//! [`get_id_in`] and [`list_id`] handle nsids; a [`Monitor`] ([`AsRawFd`],
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
use std::path::{Path, PathBuf};
use std::ptr;

/// The raw declarations of `<netns/netns.h>`: the `libnetns-sys` crate.
pub use libnetns_sys as sys;

mod spawn;
pub use spawn::{exec_named, spawn, spawn_named, Child, Command, Stdio};

mod names;
pub use names::{
    attach, attach_fd, get_from_pidfd, get_id, get_id_in, identify, identify_with, list, list_id,
    list_id_with, list_with, monitor_open, pids, pids_with, set_id, Event, Monitor,
};

/// The raw handle value that names no namespace (`NETNS_NONE`, -1). In safe
/// code "no namespace" is `Option<Handle>::None`; this value is for the
/// `_raw` functions and [`sys`].
pub const NONE: RawFd = sys::NETNS_NONE;

const EINVAL: c_int = 22;

/// A namespace type: the kernel's `CLONE_NEW*` value of each kind of
/// namespace (`NETNS_CLONE_NEW*`), as [`type_`] returns it and [`setns`]
/// checks it. The variants are named after the files of `/proc/<pid>/ns/`.
///
/// ```
/// use libnetns::NsType;
///
/// let net = std::fs::File::open("/proc/self/ns/net")?;
/// assert_eq!(libnetns::type_(&net)?, NsType::Net);
/// assert_eq!(NsType::Net.as_raw(), libnetns::sys::NETNS_CLONE_NEWNET);
/// assert_eq!(NsType::from_raw(0x0002_0000), Some(NsType::Mnt)); // CLONE_NEWNS
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NsType {
    /// A network namespace (`CLONE_NEWNET`, `/proc/<pid>/ns/net`).
    Net,
    /// A mount namespace (`CLONE_NEWNS`, `mnt`).
    Mnt,
    /// A UTS namespace: host and domain name (`CLONE_NEWUTS`, `uts`).
    Uts,
    /// An IPC namespace (`CLONE_NEWIPC`, `ipc`).
    Ipc,
    /// A user namespace (`CLONE_NEWUSER`, `user`).
    User,
    /// A PID namespace (`CLONE_NEWPID`, `pid`).
    Pid,
    /// A cgroup namespace (`CLONE_NEWCGROUP`, `cgroup`; Linux 4.6).
    Cgroup,
    /// A time namespace (`CLONE_NEWTIME`, `time`; Linux 5.6).
    Time,
}

impl NsType {
    /// Every type, in the order of the variants.
    ///
    /// ```
    /// let raw: Vec<i32> = libnetns::NsType::ALL.iter().map(|t| t.as_raw()).collect();
    /// assert!(raw.contains(&0x4000_0000)); // CLONE_NEWNET
    /// ```
    pub const ALL: [NsType; 8] = [
        NsType::Net,
        NsType::Mnt,
        NsType::Uts,
        NsType::Ipc,
        NsType::User,
        NsType::Pid,
        NsType::Cgroup,
        NsType::Time,
    ];

    /// The `CLONE_NEW*` value, for [`sys`] calls.
    ///
    /// ```
    /// assert_eq!(libnetns::NsType::Uts.as_raw(), 0x0400_0000);
    /// ```
    pub const fn as_raw(self) -> c_int {
        match self {
            NsType::Net => sys::NETNS_CLONE_NEWNET,
            NsType::Mnt => sys::NETNS_CLONE_NEWNS,
            NsType::Uts => sys::NETNS_CLONE_NEWUTS,
            NsType::Ipc => sys::NETNS_CLONE_NEWIPC,
            NsType::User => sys::NETNS_CLONE_NEWUSER,
            NsType::Pid => sys::NETNS_CLONE_NEWPID,
            NsType::Cgroup => sys::NETNS_CLONE_NEWCGROUP,
            NsType::Time => sys::NETNS_CLONE_NEWTIME,
        }
    }

    /// The type of a `CLONE_NEW*` value; `None` for any other value (0,
    /// `CLONE_IO`, a combination).
    ///
    /// ```
    /// use libnetns::NsType;
    /// assert_eq!(NsType::from_raw(0x4000_0000), Some(NsType::Net));
    /// assert_eq!(NsType::from_raw(0), None);
    /// ```
    pub const fn from_raw(value: c_int) -> Option<NsType> {
        Some(match value {
            sys::NETNS_CLONE_NEWNET => NsType::Net,
            sys::NETNS_CLONE_NEWNS => NsType::Mnt,
            sys::NETNS_CLONE_NEWUTS => NsType::Uts,
            sys::NETNS_CLONE_NEWIPC => NsType::Ipc,
            sys::NETNS_CLONE_NEWUSER => NsType::User,
            sys::NETNS_CLONE_NEWPID => NsType::Pid,
            sys::NETNS_CLONE_NEWCGROUP => NsType::Cgroup,
            sys::NETNS_CLONE_NEWTIME => NsType::Time,
            _ => return None,
        })
    }

    /// The name of its file in `/proc/<pid>/ns/` (`"net"`, `"mnt"`...).
    ///
    /// ```
    /// let path = format!("/proc/self/ns/{}", libnetns::NsType::Net.proc_name());
    /// assert!(libnetns::is_netns(std::fs::File::open(path)?)?);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub const fn proc_name(self) -> &'static str {
        match self {
            NsType::Net => "net",
            NsType::Mnt => "mnt",
            NsType::Uts => "uts",
            NsType::Ipc => "ipc",
            NsType::User => "user",
            NsType::Pid => "pid",
            NsType::Cgroup => "cgroup",
            NsType::Time => "time",
        }
    }
}

fn check(rc: c_int) -> io::Result<c_int> {
    if rc < 0 {
        Err(io::Error::from_raw_os_error(-rc))
    } else {
        Ok(rc)
    }
}

fn owned(rc: c_int) -> io::Result<Handle> {
    let fd = check(rc)?;
    // SAFETY: on success the library returns a new descriptor that only we own.
    Ok(Handle {
        fd: unsafe { OwnedFd::from_raw_fd(fd) },
    })
}

fn c_string(s: &OsStr, what: &str) -> io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| {
        io::Error::new(
            ErrorKind::InvalidInput,
            format!("{what} contains a NUL byte"),
        )
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

/// An owned handle to a network namespace. Dropping it closes the
/// descriptor ([`Handle::close`] reports the error instead).
///
/// Two handles compare equal when they name the same namespace
/// (`netns_equal`), and hash by [`Handle::unique_id`]. [`fmt::Display`]
/// gives the Go package's `NS(<fd>: <dev>, <ino>)` (`netns_string`). It is
/// an [`OwnedFd`] underneath: [`AsFd`], [`AsRawFd`], [`IntoRawFd`] (giving
/// up ownership), [`FromRawFd`] and `From<OwnedFd>` (adopting a
/// descriptor).
///
/// ```
/// use std::os::fd::{AsRawFd, IntoRawFd, FromRawFd};
///
/// let ns = libnetns::get()?;
/// println!("{ns}"); // NS(3: 4, 4026531840)
/// assert!(ns.to_string().starts_with(&format!("NS({}: ", ns.as_raw_fd())));
/// let raw = ns.into_raw_fd(); // the caller closes it now
/// // SAFETY: raw is an open descriptor that nothing else owns.
/// let ns = unsafe { libnetns::Handle::from_raw_fd(raw) };
/// ns.close()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Handle {
    fd: OwnedFd,
}

impl Handle {
    /// `NS(<dev>:<ino>)` (`netns_unique_id`): the same for every handle to
    /// this namespace, different for every other namespace alive.
    ///
    /// ```
    /// let a = libnetns::get()?;
    /// let b = libnetns::get_from_pid(std::process::id() as i32)?;
    /// assert_eq!(a.unique_id(), b.unique_id());
    /// assert!(a.unique_id().starts_with("NS("));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn unique_id(&self) -> String {
        describe(sys::netns_unique_id, self.fd.as_raw_fd())
    }

    /// A second handle (a `dup` with `O_CLOEXEC`) to the same namespace.
    ///
    /// ```
    /// use std::os::fd::AsRawFd;
    /// let a = libnetns::get()?;
    /// let b = a.try_clone()?;
    /// assert_eq!(a, b);
    /// assert_ne!(a.as_raw_fd(), b.as_raw_fd());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn try_clone(&self) -> io::Result<Handle> {
        Ok(Handle {
            fd: self.fd.try_clone()?,
        })
    }

    /// Closes the handle (`netns_close`), reporting a close error that
    /// dropping would ignore.
    ///
    /// ```
    /// libnetns::get()?.close()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn close(self) -> io::Result<()> {
        let mut fd = self.into_raw_fd();
        // SAFETY: fd is ours; netns_close closes it and sets it to NETNS_NONE.
        check(unsafe { sys::netns_close(&mut fd) }).map(drop)
    }
}

impl AsFd for Handle {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Handle {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl IntoRawFd for Handle {
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}

impl FromRawFd for Handle {
    /// # Safety
    /// `fd` must be an open descriptor that the caller owns (see [`OwnedFd`]).
    unsafe fn from_raw_fd(fd: RawFd) -> Self {
        Handle {
            fd: OwnedFd::from_raw_fd(fd),
        }
    }
}

/// Wraps a descriptor without checking that it is a network namespace (use
/// [`is_netns`] or [`get_from_path`] for that); operations on a wrong one
/// fail with `EINVAL`.
impl From<OwnedFd> for Handle {
    fn from(fd: OwnedFd) -> Self {
        Handle { fd }
    }
}

impl From<Handle> for OwnedFd {
    fn from(ns: Handle) -> Self {
        ns.fd
    }
}

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        // SAFETY: only fstat(2)s the descriptors.
        unsafe { sys::netns_equal(self.as_raw_fd(), other.as_raw_fd()) != 0 }
    }
}

impl Eq for Handle {}

impl Hash for Handle {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.unique_id().hash(state);
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&describe(sys::netns_string, self.fd.as_raw_fd()))
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("fd", &self.fd.as_raw_fd())
            .field("id", &self.unique_id())
            .finish()
    }
}

/// The library's version string, `"MAJOR.MINOR.MICRO"` (`netns_version`):
/// the version of the `libnetns.so.0` loaded, which may be newer than this
/// crate's.
///
/// ```
/// let v = libnetns::version();
/// assert_eq!(v.split('.').count(), 3);
/// println!("libnetns {v}");
/// ```
pub fn version() -> &'static str {
    // SAFETY: the library returns a static NUL-terminated ASCII string.
    unsafe { CStr::from_ptr(sys::netns_version()) }
        .to_str()
        .unwrap_or("unknown")
}

/// The raw empty handle, [`NONE`] (`netns_none`). In safe code, "no
/// namespace" is `Option<Handle>::None`.
///
/// ```
/// assert_eq!(libnetns::none(), libnetns::NONE);
/// ```
pub fn none() -> RawFd {
    // SAFETY: no arguments, no side effects.
    unsafe { sys::netns_none() }
}

/// Whether the raw value `fd` is a handle value (`>= 0`) rather than
/// [`NONE`] (`netns_is_open`); it does not check the descriptor.
///
/// ```
/// assert!(!libnetns::is_open(libnetns::NONE));
/// assert!(libnetns::is_open(0));
/// ```
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: only compares the value.
    unsafe { sys::netns_is_open(fd) != 0 }
}

/// A handle to the calling thread's network namespace (`netns_get`).
///
/// ```
/// let here = libnetns::get()?;
/// assert!(libnetns::is_netns(&here)?);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get() -> io::Result<Handle> {
    // SAFETY: no arguments.
    owned(unsafe { sys::netns_get() })
}

/// A handle to the network namespace at `path` (`netns_get_from_path`): any
/// nsfs file, e.g. `/proc/<pid>/ns/net` or `/run/netns/<name>`. `EINVAL`
/// when it is not a network namespace, `ENOENT` when it does not exist.
///
/// ```
/// let ns = libnetns::get_from_path("/proc/self/ns/net")?;
/// assert_eq!(ns, libnetns::get()?);
/// let err = libnetns::get_from_path("/etc/passwd").unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get_from_path(path: impl AsRef<Path>) -> io::Result<Handle> {
    let path = c_string(path.as_ref().as_os_str(), "path")?;
    // SAFETY: path is a valid C string.
    owned(unsafe { sys::netns_get_from_path(path.as_ptr()) })
}

/// A handle to the namespace named `<run dir>/<name>`
/// (`netns_get_from_name`), made by [`create`], [`new_named`] or
/// `ip netns add`. `ENOENT` ([`ErrorKind::NotFound`]) when there is none,
/// `EINVAL` for a bad name (see [`check_name`]).
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let made = libnetns::create(Some("doc-get-from-name"))?;
/// let found = libnetns::get_from_name("doc-get-from-name")?;
/// assert_eq!(found, made);
/// libnetns::delete_named("doc-get-from-name")?;
/// let err = libnetns::get_from_name("doc-get-from-name").unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get_from_name(name: impl AsRef<OsStr>) -> io::Result<Handle> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    owned(unsafe { sys::netns_get_from_name(name.as_ptr()) })
}

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

/// Prepares the **calling thread** as `ip netns exec NAME` prepares its
/// process (`netns_enter_named`, since 0.5): the network namespace
/// `<run dir>/<name>`, a mount namespace of its own with `/` a recursive
/// slave, a fresh `/sys`, the `/etc/netns/<name>` binds. MOVES the calling
/// thread (network and mount namespace) on success; meant for a
/// single-threaded process that execs next (see [`exec_named`]). On
/// failure the thread is back in both namespaces, but for
/// `ENOTRECOVERABLE`.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(Some("doc-enter-named"))?;
/// libnetns::enter_named("doc-enter-named")?; // this thread moved
/// assert_eq!(libnetns::get()?, ns);
/// libnetns::delete_named("doc-enter-named")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn enter_named(name: impl AsRef<OsStr>) -> io::Result<()> {
    let name = c_string(name.as_ref(), "name")?;
    // SAFETY: name is a valid C string.
    check(unsafe { sys::netns_enter_named(name.as_ptr()) }).map(drop)
}

/// A handle to the network namespace of process `pid`
/// (`netns_get_from_pid`); `ENOENT` when there is no such process.
///
/// ```
/// let mine = libnetns::get_from_pid(std::process::id() as i32)?;
/// assert_eq!(mine, libnetns::get()?);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get_from_pid(pid: i32) -> io::Result<Handle> {
    // SAFETY: plain integers.
    owned(unsafe { sys::netns_get_from_pid(pid) })
}

/// A handle to the network namespace of thread `tid` of process `pid`
/// (`netns_get_from_thread`).
///
/// ```
/// let pid = std::process::id() as i32; // the main thread's tid is the pid
/// assert_eq!(libnetns::get_from_thread(pid, pid)?, libnetns::get()?);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get_from_thread(pid: i32, tid: i32) -> io::Result<Handle> {
    // SAFETY: plain integers.
    owned(unsafe { sys::netns_get_from_thread(pid, tid) })
}

/// A handle to the network namespace of a Docker container, by id, id
/// prefix or name (`netns_get_from_docker`): it asks the Engine API on
/// `/var/run/docker.sock`, else searches the cgroup tree. `EINVAL` for an
/// id that cannot be one, `ENOENT` when there is no such container.
///
/// ```no_run
/// let web = libnetns::get_from_docker("web")?; // needs a running container
/// let out = libnetns::Command::new("ss").arg("-ltn").output(&web)?;
/// print!("{}", String::from_utf8_lossy(&out.stdout));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get_from_docker(id: &str) -> io::Result<Handle> {
    let id = c_string(OsStr::new(id), "container id")?;
    // SAFETY: id is a valid C string.
    owned(unsafe { sys::netns_get_from_docker(id.as_ptr()) })
}

/// Creates a network namespace and **moves the calling thread** into it
/// (`netns_new`). The namespace lives as long as the handle or anything
/// inside it. Prefer [`create`], which does not move the thread.
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
/// when the name exists. Prefer [`create`], which does not move the thread.
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

/// **Moves the calling thread** into network namespace `ns` (`netns_set`).
/// `EINVAL` when `ns` is not a network namespace, `EPERM` without
/// `CAP_SYS_ADMIN`. Prefer [`run`] or [`SetGuard`], which come back.
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

/// [`set`] on a raw descriptor; [`NONE`] or a closed one gives `EBADF`.
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

/// [`setns`] on a raw descriptor; [`NONE`] or a closed one gives `EBADF`.
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

/// Creates a network namespace **without moving the calling thread**
/// (`netns_create`): a short-lived helper thread makes it.
///
/// `None`: anonymous, alive as long as the returned handle (or anything
/// inside it: a process, a socket) is. `Some(name)`: also persisted as
/// `<run dir>/<name>`, as [`new_named`] does (`EEXIST` when it exists,
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

/// The type of a namespace descriptor of any kind (`netns_type`); `EINVAL`
/// when `fd` is not a namespace. (`type` is a Rust keyword, hence the
/// trailing `_`.) A type this crate does not know (a newer kernel's) is an
/// [`ErrorKind::Unsupported`] error.
///
/// ```
/// use libnetns::NsType;
/// let mnt = std::fs::File::open("/proc/self/ns/mnt")?;
/// assert_eq!(libnetns::type_(&mnt)?, NsType::Mnt);
/// assert_eq!(libnetns::type_(libnetns::get()?)?, NsType::Net);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn type_(fd: impl AsFd) -> io::Result<NsType> {
    type_raw(fd.as_fd().as_raw_fd())
}

/// [`type_`] on a raw descriptor; [`NONE`] or a closed one gives `EBADF`.
///
/// ```
/// let err = libnetns::type_raw(libnetns::NONE).unwrap_err();
/// assert_eq!(err.raw_os_error(), Some(9)); // EBADF
/// ```
pub fn type_raw(fd: RawFd) -> io::Result<NsType> {
    // SAFETY: an ioctl that only reads the descriptor.
    let raw = check(unsafe { sys::netns_type(fd) })?;
    NsType::from_raw(raw).ok_or_else(|| {
        io::Error::new(
            ErrorKind::Unsupported,
            format!("unknown namespace type {raw:#x}"),
        )
    })
}

/// Whether `fd` is a network namespace (`netns_is_netns`); `Ok(false)` for
/// any other descriptor, `EBADF` for a closed one.
///
/// ```
/// assert!(libnetns::is_netns(std::fs::File::open("/proc/self/ns/net")?)?);
/// assert!(!libnetns::is_netns(std::fs::File::open("/proc/self/ns/uts")?)?);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn is_netns(fd: impl AsFd) -> io::Result<bool> {
    is_netns_raw(fd.as_fd().as_raw_fd())
}

/// [`is_netns`] on a raw descriptor; [`NONE`] or a closed one gives
/// `EBADF`.
///
/// ```
/// let err = libnetns::is_netns_raw(libnetns::NONE).unwrap_err();
/// assert_eq!(err.raw_os_error(), Some(9)); // EBADF
/// ```
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
    let mut call = Call {
        f: Some(f),
        out: None,
    };
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
            Ok(_) => Err(io::Error::new(
                ErrorKind::Other,
                "the library did not call the function",
            )),
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
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(None)?;
/// let mut seen = Vec::new();
/// libnetns::run(&ns, || seen.push(libnetns::get().map(|h| h.unique_id())))?;
/// assert_eq!(seen[0].as_ref().unwrap(), &ns.unique_id());
/// # Ok::<(), std::io::Error>(())
/// ```
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
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(None)?;
/// let here = libnetns::get()?;
/// // f may move its own thread: the caller's is not affected.
/// let moved = libnetns::run_isolated(&ns, || libnetns::new().map(|h| h.unique_id()))??;
/// assert_ne!(moved, ns.unique_id());
/// assert_eq!(libnetns::get()?, here);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run_isolated<T: Send>(ns: impl AsFd, f: impl FnOnce() -> T + Send) -> io::Result<T> {
    call_in(sys::netns_run_isolated, ns.as_fd().as_raw_fd(), f)
}

/// A socket made inside `ns` (`netns_socket`: `socket(2)` with `domain`,
/// `type_` and `protocol`, always `SOCK_CLOEXEC`); it belongs to `ns` for
/// its whole life, whichever thread uses it. The calling thread does not
/// move. Turn it into a std type with `From<OwnedFd>` (`UnixDatagram`,
/// `UdpSocket`...), or use [`udp_bind`], [`tcp_listen`], [`tcp_connect`].
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// const AF_INET: i32 = 2;
/// const SOCK_DGRAM: i32 = 2;
/// let ns = libnetns::create(None)?;
/// let fd = libnetns::socket(&ns, AF_INET, SOCK_DGRAM, 0)?;
/// let udp = std::net::UdpSocket::from(fd);
/// assert_eq!(udp.local_addr()?.port(), 0); // not bound yet
/// # Ok::<(), std::io::Error>(())
/// ```
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

/// A [`UdpSocket`] made inside `ns` and bound to `addr` there. The calling
/// thread does not move (it runs `UdpSocket::bind` through [`run`]).
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// use std::net::{Ipv4Addr, SocketAddr};
/// let ns = libnetns::create(None)?;
/// let udp = libnetns::udp_bind(&ns, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))?;
/// assert_ne!(udp.local_addr()?.port(), 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn udp_bind(ns: impl AsFd, addr: SocketAddr) -> io::Result<UdpSocket> {
    run(ns, || UdpSocket::bind(addr))?
}

/// A [`TcpListener`] made inside `ns`, bound to `addr` there and listening.
/// The calling thread does not move.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// use std::net::{Ipv4Addr, SocketAddr};
/// let ns = libnetns::create(None)?;
/// let listener = libnetns::tcp_listen(&ns, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))?;
/// println!("listening in {ns} on {}", listener.local_addr()?);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn tcp_listen(ns: impl AsFd, addr: SocketAddr) -> io::Result<TcpListener> {
    run(ns, || TcpListener::bind(addr))?
}

/// A [`TcpStream`] made inside `ns` and connected to `addr` from there. The
/// calling thread does not move.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// use std::net::{Ipv4Addr, SocketAddr};
/// let ns = libnetns::create(None)?;
/// libnetns::spawn(&ns, "ip", ["link", "set", "lo", "up"])?.wait()?;
/// let any = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
/// let listener = libnetns::tcp_listen(&ns, any)?;
/// let stream = libnetns::tcp_connect(&ns, listener.local_addr()?)?;
/// assert_eq!(listener.accept()?.1, stream.local_addr()?);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn tcp_connect(ns: impl AsFd, addr: SocketAddr) -> io::Result<TcpStream> {
    run(ns, || TcpStream::connect(addr))?
}
