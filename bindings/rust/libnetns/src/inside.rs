// SPDX-License-Identifier: Apache-2.0
//! Running inside a namespace: [`run`], [`run_isolated`], [`socket`] and
//! the `std::net` helpers, and [`enter_named`]; the processes
//! ([`Command`](crate::Command), [`spawn`](crate::spawn), ...) are in
//! `spawn.rs`.

use std::ffi::{c_void, OsStr};
use std::io::{self, ErrorKind};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::raw::c_int;
use std::panic::{self, AssertUnwindSafe};
use std::ptr;

use crate::{c_string, check, sys};

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

/// Prepares the **calling thread** as `ip netns exec NAME` prepares its
/// process (`netns_enter_named`, since 0.5): the network namespace
/// `<run dir>/<name>`, a mount namespace of its own with `/` a recursive
/// slave, a fresh `/sys`, the `/etc/netns/<name>` binds. MOVES the calling
/// thread (network and mount namespace) on success; meant for a
/// single-threaded process that execs next (see [`exec_named`](crate::exec_named)). On
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
