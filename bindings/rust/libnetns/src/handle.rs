// SPDX-License-Identifier: Apache-2.0
//! Handles and lookups: [`Handle`], the `get*` functions, [`NsType`] and the
//! descriptor checks. None of them moves the calling thread.

use std::ffi::{CStr, OsStr};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io::{self, ErrorKind};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::raw::{c_char, c_int};

use std::path::Path;

use crate::{c_string, check, sys};

/// The raw handle value that names no namespace (`NETNS_NONE`, -1). In safe
/// code "no namespace" is `Option<Handle>::None`; this value is for the
/// `_raw` functions and [`sys`].
pub const NONE: RawFd = sys::NETNS_NONE;

/// A namespace type: the kernel's `CLONE_NEW*` value of each kind of
/// namespace (`NETNS_CLONE_NEW*`), as [`type_`] returns it and [`setns`](crate::setns)
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

/// A [`Handle`] owning the new descriptor a library call returned, or its
/// `-errno` as an error.
pub(crate) fn owned(rc: c_int) -> io::Result<Handle> {
    let fd = check(rc)?;
    // SAFETY: on success the library returns a new descriptor that only we own.
    Ok(Handle {
        fd: unsafe { OwnedFd::from_raw_fd(fd) },
    })
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
/// (`netns_get_from_name`), made by [`create`](crate::create), [`new_named`](crate::new_named) or
/// `ip netns add`. `ENOENT` ([`ErrorKind::NotFound`]) when there is none,
/// `EINVAL` for a bad name (see [`check_name`](crate::check_name)).
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

/// The namespace of the process behind a pidfd (`pidfd_open(2)`, clone3's
/// `CLONE_PIDFD`) (`netns_get_from_pidfd`): never another process's after
/// its pid is reused. `EINVAL` when it is not a pidfd, `ESRCH` when the
/// process exited.
///
/// ```
/// use std::os::fd::{FromRawFd, OwnedFd};
/// extern "C" {
///     fn syscall(number: std::ffi::c_long, ...) -> std::ffi::c_long;
/// }
/// const SYS_PIDFD_OPEN: std::ffi::c_long = 434; // the same on every architecture
/// // SAFETY: pidfd_open(2) takes a pid and flags, returns a new descriptor or -1.
/// let fd = unsafe { syscall(SYS_PIDFD_OPEN, std::process::id() as i32, 0) };
/// if fd >= 0 {
///     // SAFETY: fd is a new descriptor that nothing else owns.
///     let pidfd = unsafe { OwnedFd::from_raw_fd(fd as i32) };
///     assert_eq!(libnetns::get_from_pidfd(&pidfd)?, libnetns::get()?);
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn get_from_pidfd(pidfd: impl AsFd) -> io::Result<Handle> {
    // SAFETY: an ioctl (or /proc lookup) on a borrowed descriptor.
    owned(unsafe { sys::netns_get_from_pidfd(pidfd.as_fd().as_raw_fd()) })
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
