// SPDX-License-Identifier: Apache-2.0
//! Running inside a namespace: run and run_isolated, sockets, processes
//! (spawn, spawn_named, Command), enter_named and exec_named.
//! Tests that create or enter namespaces need the privileged-test sandbox
//! (bindings/rust/run-tests.sh runs them through tests/support/sandbox-exec);
//! outside it they are skipped, or fail when NETNS_REQUIRE_SANDBOX=1.
//!
//! Some checks need a process of their own (exact thread and descriptor
//! counts, a user namespace): the test then runs this binary again, filtered
//! to a `*_child` test that does nothing unless its variable is set.

#[macro_use]
mod common;
use common::*;

use std::cell::Cell;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::os::raw::{c_char, c_int, c_ulong, c_void};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};

const AF_INET: c_int = 2;

const SOCK_STREAM: c_int = 1;

const SOCK_DGRAM: c_int = 2;

const SIGUSR1: c_int = 10;

extern "C" {
    fn ioctl(fd: c_int, request: c_ulong, ...) -> c_int;
    fn unshare(flags: c_int) -> c_int;
    fn mount(
        source: *const c_char,
        target: *const c_char,
        fstype: *const c_char,
        flags: c_ulong,
        data: *const c_void,
    ) -> c_int;
}

const SIOCGIFFLAGS: c_ulong = 0x8913;

const SIOCSIFFLAGS: c_ulong = 0x8914;

const SIOCGSKNS: c_ulong = 0x894C;

const IFF_UP: i16 = 0x1;

const CLONE_NEWNS: c_int = libnetns::sys::NETNS_CLONE_NEWNS;

const MS_BIND: c_ulong = 4096;

const MS_REC: c_ulong = 16384;

const MS_PRIVATE: c_ulong = 1 << 18;

fn pid_ns(pid: u32) -> (u64, u64) {
    let meta = std::fs::metadata(format!("/proc/{pid}/ns/net")).unwrap();
    (meta.dev(), meta.ino())
}

/// The namespace a socket belongs to (SIOCGSKNS).
fn socket_ns(sock: impl AsFd) -> libnetns::Handle {
    let sock = sock.as_fd();
    // SAFETY: SIOCGSKNS takes no argument and returns a new descriptor.
    let fd = unsafe { ioctl(sock.as_raw_fd(), SIOCGSKNS) };
    assert!(fd >= 0, "SIOCGSKNS: {}", std::io::Error::last_os_error());
    // SAFETY: a new descriptor that only we own.
    libnetns::Handle::from(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Brings `lo` up in the namespace of `sock` (SIOCGIFFLAGS/SIOCSIFFLAGS).
fn lo_up(sock: impl AsFd) {
    let sock = sock.as_fd();
    let mut ifr = [0u8; 40];
    ifr[..2].copy_from_slice(b"lo");
    // SAFETY: ifr is a struct ifreq (name, then the flags at offset 16).
    unsafe {
        assert_eq!(
            ioctl(sock.as_raw_fd(), SIOCGIFFLAGS, ifr.as_mut_ptr()),
            0,
            "SIOCGIFFLAGS"
        );
        let flags = i16::from_ne_bytes([ifr[16], ifr[17]]) | IFF_UP;
        ifr[16..18].copy_from_slice(&flags.to_ne_bytes());
        assert_eq!(
            ioctl(sock.as_raw_fd(), SIOCSIFFLAGS, ifr.as_mut_ptr()),
            0,
            "SIOCSIFFLAGS: {}",
            std::io::Error::last_os_error()
        );
    }
}

/// Runs this test binary again, filtered to the test `child`, with `var`
/// set, and checks that it passed.
fn run_child(child: &str, var: &str, value: &str, wrap: &[&str]) -> String {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = if let Some((first, rest)) = wrap.split_first() {
        let mut c = std::process::Command::new(first);
        c.args(rest).arg(&exe);
        c
    } else {
        std::process::Command::new(&exe)
    };
    let out = cmd
        .args(["--exact", child, "--nocapture", "--test-threads=1"])
        .env(var, value)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{child} failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("1 passed"),
        "{child} did not run:\n{stdout}\n{stderr}"
    );
    stdout
}

/// accept() with a deadline, so that a client that never comes fails the
/// test instead of hanging it.
fn accept_within(listener: &std::net::TcpListener, limit: Duration) -> TcpStream {
    listener.set_nonblocking(true).unwrap();
    let start = Instant::now();
    loop {
        match listener.accept() {
            Ok((s, _)) => {
                listener.set_nonblocking(false).unwrap();
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(limit)).unwrap();
                return s;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock && start.elapsed() < limit => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("accept: {e}"),
        }
    }
}

fn count_entries(dir: &str) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

/// Waits (up to 2 s) until `dir` has `want` entries: a joined thread can
/// linger in /proc/self/task for a moment after it ended.
fn settles_to(dir: &str, want: usize) -> usize {
    let start = Instant::now();
    loop {
        let n = count_entries(dir);
        if n == want || start.elapsed() > Duration::from_secs(2) {
            return n;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn which(program: &str) -> std::io::Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .ok_or_else(|| std::io::Error::from_raw_os_error(ENOENT))
}

/// The lines of this process's mountinfo for mounts on or under /etc and
/// /sys (other tests mount elsewhere meanwhile).
fn etc_and_sys_mounts() -> Vec<String> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    info.lines()
        .filter(|l| {
            let target = l.split(' ').nth(4).unwrap_or("");
            ["/etc", "/sys"]
                .iter()
                .any(|t| target == *t || target.starts_with(&format!("{t}/")))
        })
        .map(str::to_owned)
        .collect()
}

fn thread_mnt() -> u64 {
    std::fs::metadata("/proc/thread-self/ns/mnt").unwrap().ino()
}

// --- run and run_isolated -----------------------------------------------------

#[test]
fn run_returns_result_and_borrows() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let ns = libnetns::create(None).unwrap();
        // Not Send, borrowed mutably: run calls f on this very thread.
        let seen = Rc::new(Cell::new(0));
        let mut log = Vec::new();
        let me = tid();
        let value = libnetns::run(&ns, || {
            seen.set(seen.get() + 1);
            log.push((thread_ns(), tid()));
            "result"
        })
        .unwrap();
        assert_eq!(value, "result");
        assert_eq!(seen.get(), 1);
        assert_eq!(log, [(fd_ns(&ns), me)]);
        assert_eq!(thread_ns(), before);

        // f that moves its thread itself is still brought back.
        let other = libnetns::create(None).unwrap();
        libnetns::run(&ns, || libnetns::set(&other).unwrap()).unwrap();
        assert_eq!(thread_ns(), before);
        // An Err from f is a value like any other.
        let r: std::io::Result<std::io::Result<()>> =
            libnetns::run(&ns, || Err(std::io::Error::from_raw_os_error(EPERM)));
        assert_eq!(r.unwrap().unwrap_err().raw_os_error(), Some(EPERM));
    });
}

#[test]
fn run_nests_three_deep() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let [a, b, c] = [0; 3].map(|_| libnetns::create(None).unwrap());
        let r = libnetns::run(&a, || {
            assert_eq!(thread_ns(), fd_ns(&a));
            let r = libnetns::run(&b, || {
                assert_eq!(thread_ns(), fd_ns(&b));
                let r = libnetns::run_isolated(&c, || {
                    assert_eq!(thread_ns(), fd_ns(&c));
                    libnetns::run(&a, thread_ns).unwrap()
                });
                assert_eq!(thread_ns(), fd_ns(&b));
                r.unwrap()
            });
            assert_eq!(thread_ns(), fd_ns(&a));
            r.unwrap()
        });
        assert_eq!(r.unwrap(), fd_ns(&a));
        assert_eq!(thread_ns(), before);
    });
}

#[test]
fn run_errors() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let file = std::fs::File::open("/proc/self/status").unwrap();
        let uts = std::fs::File::open("/proc/self/ns/uts").unwrap();
        let ran = Cell::new(false);
        assert_eq!(errno(libnetns::run(&file, || ran.set(true))), EINVAL);
        assert_eq!(errno(libnetns::run(&uts, || ran.set(true))), EINVAL);
        assert_eq!(errno(libnetns::run(closed_fd(), || ran.set(true))), EBADF);
        assert!(!ran.get(), "f ran although entering failed");
        let ran = AtomicUsize::new(0);
        let bump = || {
            ran.fetch_add(1, Ordering::SeqCst);
        };
        assert_eq!(errno(libnetns::run_isolated(&file, bump)), EINVAL);
        assert_eq!(errno(libnetns::run_isolated(&uts, bump)), EINVAL);
        assert_eq!(
            libnetns::run_isolated(closed_fd(), bump)
                .unwrap_err()
                .raw_os_error(),
            Some(EBADF)
        );
        assert_eq!(
            ran.load(Ordering::SeqCst),
            0,
            "f ran although entering failed"
        );
        assert_eq!(thread_ns(), before);
    });
}

#[test]
fn run_panics_reach_the_caller() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let ns = libnetns::create(None).unwrap();
        #[derive(Debug, PartialEq)]
        struct Payload(u32);
        // The panic hook prints the panics of run_isolated's threads, which
        // the test harness does not capture.
        eprintln!("run_panics_reach_the_caller: the panics printed next are expected");

        let r = std::panic::catch_unwind(|| {
            libnetns::run(&ns, || -> u32 { std::panic::panic_any(Payload(7)) })
        });
        let payload = r.expect_err("the panic did not reach the caller");
        assert_eq!(payload.downcast_ref::<Payload>(), Some(&Payload(7)));
        assert_eq!(thread_ns(), before, "run did not switch back after a panic");

        let r = std::panic::catch_unwind(|| {
            libnetns::run_isolated(&ns, || -> u32 { std::panic::panic_any(Payload(8)) })
        });
        let payload = r.expect_err("the panic did not reach the caller");
        assert_eq!(payload.downcast_ref::<Payload>(), Some(&Payload(8)));
        assert_eq!(thread_ns(), before);

        // A panic with a message, through two levels.
        let r = std::panic::catch_unwind(|| {
            libnetns::run(&ns, || libnetns::run_isolated(&ns, || panic!("deep {}", 3)))
        });
        let payload = r.unwrap_err();
        // (A message may be a String or, when constant, a &'static str.)
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied());
        assert_eq!(message, Some("deep 3"));
        assert_eq!(thread_ns(), before);
        // The thread still works normally afterwards.
        assert_eq!(libnetns::run(&ns, thread_ns).unwrap(), fd_ns(&ns));
    });
}

#[test]
fn run_isolated_never_moves_the_caller() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let me = tid();
        let ns = libnetns::create(None).unwrap();
        let other = libnetns::create(None).unwrap();
        // Borrows from the caller (no 'static needed), returns a value.
        let words = ["a".to_owned(), "b".to_owned()];
        let (joined, where_, their_tid) = libnetns::run_isolated(&ns, || {
            let seen = thread_ns();
            // Whatever f does to its own thread stays there.
            libnetns::set(&other).unwrap();
            drop(libnetns::new().unwrap());
            (words.join("+"), seen, tid())
        })
        .unwrap();
        assert_eq!(joined, "a+b");
        assert_eq!(where_, fd_ns(&ns));
        assert_ne!(their_tid, me, "run_isolated ran f on the calling thread");
        assert_eq!(thread_ns(), before, "run_isolated moved the caller");
        assert_eq!(
            libnetns::get().unwrap(),
            libnetns::get_from_path("/proc/thread-self/ns/net").unwrap()
        );
    });
}

/// 200 concurrent run_isolated calls from 8 threads, in a process of its own
/// (run_isolated_stress_child) so that thread and descriptor counts are
/// exact: every f sees its namespace, no caller moves, no thread or
/// descriptor is left.
#[test]
fn run_isolated_concurrent() {
    privileged!();
    run_child(
        "run_isolated_stress_child",
        "NETNS_RS_STRESS_CHILD",
        "1",
        &[],
    );
}

#[test]
fn run_isolated_stress_child() {
    if std::env::var("NETNS_RS_STRESS_CHILD").is_err() {
        return;
    }
    let spaces: Vec<libnetns::Handle> = (0..4).map(|_| libnetns::create(None).unwrap()).collect();
    let ids: Vec<(u64, u64)> = spaces.iter().map(fd_ns).collect();
    let tasks = count_entries("/proc/self/task");
    let fds = count_entries("/proc/self/fd");
    let barrier = Barrier::new(8);
    let calls = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for t in 0..8 {
            let (spaces, ids, barrier, calls) = (&spaces, &ids, &barrier, &calls);
            s.spawn(move || {
                let home = thread_ns();
                barrier.wait();
                for i in 0..25 {
                    let k = (t + i) % spaces.len();
                    let seen = libnetns::run_isolated(&spaces[k], thread_ns).unwrap();
                    assert_eq!(seen, ids[k], "f ran in the wrong namespace");
                    assert_eq!(thread_ns(), home, "a caller moved");
                    calls.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    assert_eq!(calls.load(Ordering::SeqCst), 200);
    assert_eq!(
        settles_to("/proc/self/task", tasks),
        tasks,
        "threads left behind"
    );
    assert_eq!(count_entries("/proc/self/fd"), fds, "descriptors leaked");

    // Spawns from 4 threads at once leak no descriptor and leave no zombie.
    std::thread::scope(|s| {
        for ns in &spaces {
            s.spawn(move || {
                for _ in 0..10 {
                    let mut child = libnetns::spawn(ns, "true", [] as [&str; 0]).unwrap();
                    assert!(child.wait().unwrap().success());
                }
            });
        }
    });
    assert_eq!(
        settles_to("/proc/self/task", tasks),
        tasks,
        "threads left behind"
    );
    assert_eq!(count_entries("/proc/self/fd"), fds, "descriptors leaked");
}

/// A process whose CAP_SYS_ADMIN is only in a child user namespace, while
/// it still lives in its parent's network namespace, can enter a namespace
/// it creates but not come back: run and udp_bind give ENOTRECOVERABLE
/// (after f ran), socket and spawn refuse beforehand (EPERM),
/// run_isolated is unaffected. Run under
/// `unshare --user --map-root-user` (util-linux), in a process of its own.
#[test]
fn run_cannot_switch_back() {
    privileged!();
    let Ok(unshare) = which("unshare") else {
        eprintln!("skipped: no unshare(1)");
        return;
    };
    let unshare = unshare.to_str().unwrap().to_owned();
    run_child(
        "cannot_switch_back_child",
        "NETNS_RS_NOTRECOVERABLE_CHILD",
        "1",
        &[&unshare, "--user", "--map-root-user"],
    );
}

#[test]
fn cannot_switch_back_child() {
    if std::env::var("NETNS_RS_NOTRECOVERABLE_CHILD").is_err() {
        return;
    }
    let before = thread_ns();
    let ns = libnetns::create(None).unwrap();
    assert_eq!(thread_ns(), before);

    // run_isolated: f runs, nothing to switch back.
    assert_eq!(libnetns::run_isolated(&ns, thread_ns).unwrap(), fd_ns(&ns));
    assert_eq!(thread_ns(), before);

    // spawn checks that it will be allowed back before it moves.
    assert_eq!(errno(libnetns::spawn(&ns, "true", [] as [&str; 0])), EPERM);
    assert_eq!(thread_ns(), before);

    // socket checks the way back too: EPERM, nothing moved, no socket.
    let fds = count_entries("/proc/self/fd");
    assert_eq!(errno(libnetns::socket(&ns, AF_INET, SOCK_DGRAM, 0)), EPERM);
    assert_eq!(thread_ns(), before);
    assert_eq!(
        count_entries("/proc/self/fd"),
        fds,
        "a socket was left open"
    );

    // udp_bind runs std's constructor through run(), on a fresh thread
    // (which starts where this one is): ENOTRECOVERABLE, no socket left.
    let ns_id = fd_ns(&ns);
    {
        let ns = ns.try_clone().unwrap();
        let (e, stays) = in_thread(move || {
            let e = errno(libnetns::udp_bind(
                &ns,
                SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            ));
            (e, thread_ns())
        });
        assert_eq!(e, ENOTRECOVERABLE, "udp_bind");
        assert_eq!(stays, ns_id);
    }
    assert_eq!(
        count_entries("/proc/self/fd"),
        fds,
        "a socket was left open"
    );
    assert_eq!(thread_ns(), before);

    // SetGuard: restore() reports the failure and keeps the saved handle
    // (it may be called again); dropping the guard tries once more and
    // ignores the failure, as the C++ and Python guards do: no panic, the
    // thread stays in ns.
    {
        let ns = ns.try_clone().unwrap();
        let (first, again, stays) = in_thread(move || {
            let mut guard = libnetns::SetGuard::new(&ns).unwrap();
            let first = errno(guard.restore());
            let again = errno(guard.restore());
            drop(guard);
            (first, again, thread_ns())
        });
        assert_eq!((first, again), (EPERM, EPERM), "SetGuard::restore");
        assert_eq!(stays, ns_id);
    }
    assert_eq!(thread_ns(), before);

    // run: f runs, the switch back fails, the thread stays in ns.
    let ran = Cell::new(false);
    let e = libnetns::run(&ns, || ran.set(true)).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(ENOTRECOVERABLE));
    assert!(ran.get(), "f did not run");
    assert_eq!(thread_ns(), fd_ns(&ns));
}

// --- socket -----------------------------------------------------------------

#[test]
fn socket_udp_in_a_fresh_namespace() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let ns = libnetns::create(None).unwrap();
        let raw = libnetns::socket(&ns, AF_INET, SOCK_DGRAM, 0).unwrap();
        assert_eq!(thread_ns(), before, "socket moved the thread");
        assert!(is_cloexec(&raw));
        assert_eq!(socket_ns(&raw), ns);
        assert_ne!(socket_ns(&raw), libnetns::get().unwrap());
        lo_up(&raw);

        // A bound socket made there gets datagrams on 127.0.0.1 from the
        // unbound raw socket, turned into a std type.
        let server = libnetns::udp_bind(&ns, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).unwrap();
        assert_eq!(socket_ns(&server), ns);
        assert_eq!(thread_ns(), before);
        let client = UdpSocket::from(raw);
        client
            .send_to(b"ping", server.local_addr().unwrap())
            .unwrap();
        server
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut buf = [0u8; 16];
        let (n, from) = server.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"ping");
        assert_eq!(from.ip(), Ipv4Addr::LOCALHOST);
        // The socket keeps working from another thread.
        let addr = server.local_addr().unwrap();
        std::thread::scope(|s| {
            s.spawn(|| client.send_to(b"pong", addr).unwrap());
        });
        let (n, _) = server.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"pong");
    });
}

#[test]
fn socket_errors() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let ns = libnetns::create(None).unwrap();
        let file = std::fs::File::open("/proc/self/status").unwrap();
        assert_eq!(
            errno(libnetns::socket(&file, AF_INET, SOCK_DGRAM, 0)),
            EINVAL
        );
        assert_eq!(
            errno(libnetns::socket(closed_fd(), AF_INET, SOCK_DGRAM, 0)),
            EBADF
        );
        assert_eq!(
            errno(libnetns::socket(&ns, 4242, SOCK_DGRAM, 0)),
            EAFNOSUPPORT
        );
        assert_eq!(errno(libnetns::socket(&ns, AF_INET, 4242, 0)), EINVAL);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        assert_eq!(errno(libnetns::udp_bind(&file, addr)), EINVAL);
        // lo is down in a fresh namespace: 127.0.0.1 is not there yet.
        let down = libnetns::tcp_connect(&ns, SocketAddr::from((Ipv4Addr::LOCALHOST, 9)));
        assert!(down.is_err());
        assert_eq!(thread_ns(), before);
    });
}

/// A TCP listener made in a namespace is reachable from a process spawned
/// into it and from tcp_connect, not from the caller's namespace.
#[test]
fn socket_tcp_reachable_only_inside() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let ns = libnetns::create(None).unwrap();
        lo_up(libnetns::socket(&ns, AF_INET, SOCK_STREAM, 0).unwrap());
        let listener =
            libnetns::tcp_listen(&ns, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).unwrap();
        let addr = listener.local_addr().unwrap();
        assert_eq!(socket_ns(&listener), ns);

        // tcp_connect from the namespace.
        let mut c = libnetns::tcp_connect(&ns, addr).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        c.write_all(b"hi").unwrap();
        let mut buf = [0u8; 2];
        s.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"hi");
        drop((c, s));

        // From a process spawned into it.
        let exe = std::env::current_exe().unwrap();
        let mut child = libnetns::Command::new(&exe)
            .args([
                "--exact",
                "tcp_client_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("NETNS_RS_TCP_CHILD", addr.to_string())
            .stdout(libnetns::Stdio::piped())
            .spawn(&ns)
            .unwrap();
        // The child says which namespace it ran in: it may already have
        // exited (its /proc entry gone) by the time we could look.
        let mut s = accept_within(&listener, Duration::from_secs(30));
        let mut msg = String::new();
        s.read_to_string(&mut msg).unwrap();
        let (dev, ino) = fd_ns(&ns);
        assert_eq!(msg, format!("from the child in {dev}:{ino}"));
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert!(child.wait().unwrap().success(), "{out}");
        assert!(out.contains("1 passed"), "{out}");

        // From the caller's namespace: whatever answers there (nothing, or
        // someone else's port), our listener never sees it.
        listener.set_nonblocking(true).unwrap();
        let _ = TcpStream::connect_timeout(&addr, Duration::from_millis(500));
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(listener.accept().unwrap_err().kind(), ErrorKind::WouldBlock);
        assert_eq!(thread_ns(), before);
    });
}

#[test]
fn tcp_client_child() {
    let Ok(addr) = std::env::var("NETNS_RS_TCP_CHILD") else {
        return;
    };
    let mut s = TcpStream::connect(addr.as_str()).unwrap();
    let (dev, ino) = thread_ns();
    s.write_all(format!("from the child in {dev}:{ino}").as_bytes())
        .unwrap();
}

// --- spawn ------------------------------------------------------------------

#[test]
fn spawn_child_is_in_the_namespace() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let ns = libnetns::create(None).unwrap();
        for program in ["cat", "/bin/cat"] {
            // cat waits on its stdin, so its /proc entry is there to look at.
            let mut child = libnetns::Command::new(program)
                .stdin(libnetns::Stdio::piped())
                .stdout(libnetns::Stdio::null())
                .spawn(&ns)
                .unwrap();
            assert_eq!(thread_ns(), before, "spawn moved the thread");
            assert_eq!(pid_ns(child.id()), fd_ns(&ns), "{program}");
            assert_eq!(libnetns::get_from_pid(child.id() as i32).unwrap(), ns);
            assert!(child.try_wait().unwrap().is_none());
            child.stdin.take().unwrap().write_all(b"bye").unwrap();
            let status = child.wait().unwrap();
            assert!(status.success());
            assert_eq!(child.try_wait().unwrap(), Some(status));
        }
        let mut child = libnetns::spawn(&ns, "sleep", ["30"]).unwrap();
        assert_eq!(pid_ns(child.id()), fd_ns(&ns));
        child.kill().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(child.wait().unwrap().signal(), Some(9));
        child.kill().unwrap(); // reaped: nothing to do
        assert_eq!(thread_ns(), before);
    });
}

#[test]
fn spawn_passes_argv_env_and_stdio() {
    privileged!();
    in_thread(|| {
        let ns = libnetns::create(None).unwrap();
        let out = libnetns::Command::new("sh")
            .args([
                "-c",
                "printf '%s|%s|%s' \"$0\" \"$1\" \"$FOO\"; printf err >&2; exit 3",
                "zero",
                "one two",
            ])
            .env_clear()
            .env("FOO", "bar")
            .output(&ns)
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "zero|one two|bar");
        assert_eq!(out.stderr, b"err");
        assert_eq!(out.status.code(), Some(3));

        // The caller's environment, with changes.
        std::env::var("PATH").expect("PATH is set");
        let out = libnetns::Command::new("sh")
            .args([
                "-c",
                "printf '%s|%s' \"${NETNS_RS_GONE-unset}\" \"$NETNS_RS_NEW\"; [ -n \"$PATH\" ]",
            ])
            .env("NETNS_RS_NEW", "new")
            .env("NETNS_RS_GONE", "x")
            .env_remove("NETNS_RS_GONE")
            .output(&ns)
            .unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout, b"unset|new");

        // stdin from a file, stdout to a file, stdin /dev/null.
        let mut clean = Cleanup::default();
        let dir = clean.dir("stdio");
        std::fs::write(dir.join("in"), b"through a file").unwrap();
        let input = std::fs::File::open(dir.join("in")).unwrap();
        let output = std::fs::File::create(dir.join("out")).unwrap();
        let status = libnetns::Command::new("cat")
            .stdin(input)
            .stdout(output)
            .spawn(&ns)
            .unwrap()
            .wait()
            .unwrap();
        assert!(status.success());
        assert_eq!(std::fs::read(dir.join("out")).unwrap(), b"through a file");
        let out = libnetns::Command::new("cat")
            .stdin(libnetns::Stdio::null())
            .output(&ns)
            .unwrap();
        assert!(out.status.success() && out.stdout.is_empty());
        let out = libnetns::Command::new("cat")
            .arg("/proc/self/net/dev")
            .output(&ns)
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        // A fresh namespace has lo only.
        let ifaces: Vec<_> = text
            .lines()
            .skip(2)
            .map(|l| l.split(':').next().unwrap().trim())
            .collect();
        assert_eq!(ifaces, ["lo"], "{text}");
    });
}

#[test]
fn spawn_attributes() {
    privileged!();
    in_thread(|| {
        let ns = libnetns::create(None).unwrap();
        let mut child = libnetns::Command::new("cat")
            .stdin(libnetns::Stdio::piped())
            .process_group(0)
            .signal_mask(&[SIGUSR1])
            .spawn(&ns)
            .unwrap();
        let pid = child.id();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let after_comm = &stat[stat.rfind(')').unwrap() + 2..];
        let pgrp: u32 = after_comm
            .split_whitespace()
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(pgrp, pid, "not the leader of a new process group");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let field = |name: &str| {
            let line = status.lines().find(|l| l.starts_with(name)).unwrap();
            u64::from_str_radix(line.split_whitespace().nth(1).unwrap(), 16).unwrap()
        };
        assert_eq!(field("SigBlk:"), 1 << (SIGUSR1 - 1), "signal mask");
        assert_eq!(
            field("SigIgn:") & (1 << 12),
            0,
            "SIGPIPE is still ignored in the child"
        );
        drop(child.stdin.take());
        assert!(child.wait().unwrap().success());

        // By default: the caller's process group, nothing blocked.
        let mut child = libnetns::Command::new("cat")
            .stdin(libnetns::Stdio::piped())
            .spawn(&ns)
            .unwrap();
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
        let blocked = status.lines().find(|l| l.starts_with("SigBlk:")).unwrap();
        assert!(blocked.ends_with("0000000000000000"), "{blocked}");
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", child.id())).unwrap();
        let pgrp: i32 = stat[stat.rfind(')').unwrap() + 2..]
            .split_whitespace()
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        let mine = std::fs::read_to_string("/proc/self/stat").unwrap();
        let my_pgrp: i32 = mine[mine.rfind(')').unwrap() + 2..]
            .split_whitespace()
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(pgrp, my_pgrp);
        drop(child.stdin.take());
        assert!(child.wait().unwrap().success());
    });
}

#[test]
fn spawn_errors() {
    privileged!();
    in_thread(|| {
        let before = thread_ns();
        let ns = libnetns::create(None).unwrap();
        let none: [&str; 0] = [];
        let missing = unique_name("no-such-program");
        let e = libnetns::spawn(&ns, &missing, none).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(ENOENT), "{e}");
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(
            errno(libnetns::spawn(
                &ns,
                format!("/nonexistent/{missing}"),
                none
            )),
            ENOENT
        );
        assert_eq!(
            errno(libnetns::Command::new("/proc/self/status").output(&ns)),
            13 /* EACCES */
        );
        let file = std::fs::File::open("/proc/self/status").unwrap();
        assert_eq!(errno(libnetns::spawn(&file, "true", none)), EINVAL);
        assert_eq!(errno(libnetns::spawn(closed_fd(), "true", none)), EBADF);
        // A file action with a bad descriptor.
        // Never dropped: closing the fd that was never open would abort.
        let mut cmd = std::mem::ManuallyDrop::new(libnetns::Command::new("true"));
        // SAFETY: an fd number that is never open; spawn only dup2s it.
        cmd.stdout(unsafe { OwnedFd::from_raw_fd(1 << 29) });
        assert_eq!(errno(cmd.spawn(&ns)), EBADF);
        assert_eq!(
            libnetns::spawn(&ns, "a\0b", none).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            libnetns::spawn(&ns, "true", ["a\0b"]).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(thread_ns(), before);
    });
}

#[test]
fn spawn_named_sees_its_namespace_and_sys() {
    privileged!();
    let mut clean = Cleanup::default();
    let name = clean.name("exec");
    let ns = libnetns::create(Some(name.as_str())).unwrap();
    let n = name.clone();
    in_thread(move || {
        let before = thread_ns();
        let mut child = libnetns::Command::new("cat")
            .stdin(libnetns::Stdio::piped())
            .spawn_named(&n)
            .unwrap();
        assert_eq!(thread_ns(), before, "spawn_named moved the thread");
        assert_eq!(pid_ns(child.id()), fd_ns(&ns));
        drop(child.stdin.take());
        assert!(child.wait().unwrap().success());

        // /sys is the namespace's own: lo only.
        let mut child = libnetns::Command::new("ls")
            .arg("/sys/class/net")
            .stdout(libnetns::Stdio::piped())
            .spawn_named(&n)
            .unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(out, "lo\n");

        let none: [&str; 0] = [];
        assert_eq!(
            errno(libnetns::spawn_named(unique_name("missing"), "true", none)),
            ENOENT
        );
        assert_eq!(errno(libnetns::spawn_named("a/b", "true", none)), EINVAL);
        assert_eq!(
            errno(libnetns::spawn_named(
                &n,
                unique_name("no-such-program"),
                none
            )),
            ENOENT
        );
        assert_eq!(thread_ns(), before);
    });
}

/// /etc/netns/<name>/hosts is what the child reads as /etc/hosts. The test
/// thread first gets a mount namespace of its own with a scratch /etc (never
/// the host's), which spawn_named's private copy starts from.
#[test]
fn spawn_named_etc_netns() {
    privileged!();
    let mut clean = Cleanup::default();
    let name = clean.name("etc");
    drop(libnetns::create(Some(name.as_str())).unwrap());
    let etc = clean.dir("etc");
    std::fs::write(etc.join("hosts"), "127.0.0.1 the-default\n").unwrap();
    if let Ok(cache) = std::fs::read("/etc/ld.so.cache") {
        std::fs::write(etc.join("ld.so.cache"), cache).unwrap();
    }
    std::fs::create_dir_all(etc.join("netns").join(&name)).unwrap();
    std::fs::write(
        etc.join("netns").join(&name).join("hosts"),
        "127.0.0.1 only-in-netns\n",
    )
    .unwrap();
    let mounts_before = etc_and_sys_mounts();

    let n = name.clone();
    let (inside, own_view) = in_thread(move || {
        let c = |s: &Path| std::ffi::CString::new(s.as_os_str().as_bytes()).unwrap();
        // SAFETY: plain system calls on this thread; C strings stay alive.
        unsafe {
            assert_eq!(
                unshare(CLONE_NEWNS),
                0,
                "unshare: {}",
                std::io::Error::last_os_error()
            );
            let root = c(Path::new("/"));
            assert_eq!(
                mount(
                    std::ptr::null(),
                    root.as_ptr(),
                    std::ptr::null(),
                    MS_REC | MS_PRIVATE,
                    std::ptr::null()
                ),
                0
            );
            let (src, dst) = (c(&etc), c(Path::new("/etc")));
            assert_eq!(
                mount(
                    src.as_ptr(),
                    dst.as_ptr(),
                    std::ptr::null(),
                    MS_BIND,
                    std::ptr::null()
                ),
                0,
                "bind {} on /etc: {}",
                etc.display(),
                std::io::Error::last_os_error()
            );
        }
        let out = libnetns::Command::new("/bin/cat")
            .arg("/etc/hosts")
            .stdout(libnetns::Stdio::piped())
            .spawn_named(&n)
            .unwrap();
        let out = out.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let own = std::fs::read_to_string("/etc/hosts").unwrap();
        (String::from_utf8(out.stdout).unwrap(), own)
    });
    assert_eq!(inside, "127.0.0.1 only-in-netns\n");
    // The caller's view is unchanged: its thread's /etc is still the scratch
    // one (not the netns file), and the process's /etc and /sys mounts are
    // as before.
    assert_eq!(own_view, "127.0.0.1 the-default\n");
    assert_eq!(etc_and_sys_mounts(), mounts_before);
}

// --- enter_named and exec_named ---------------------------------------------

#[test]
fn enter_named_moves_the_thread() {
    privileged!();
    let mut clean = Cleanup::default();
    let name = clean.name("enter");
    let ns = libnetns::create(Some(name.as_str())).unwrap();
    let want = fd_ns(&ns);
    let n = name.clone();
    let (before, inside, mnt_before, mnt_inside, links) = in_thread(move || {
        let before = thread_ns();
        let mnt_before = thread_mnt();
        libnetns::enter_named(&n).unwrap();
        let mut links: Vec<String> = std::fs::read_dir("/sys/class/net")
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        links.sort();
        (before, thread_ns(), mnt_before, thread_mnt(), links)
    });
    assert_eq!(inside, want);
    assert_ne!(inside, before);
    assert_ne!(mnt_inside, mnt_before);
    assert_eq!(links, ["lo"]);
    let n = name.clone();
    in_thread(move || {
        let (net, mnt) = (thread_ns(), thread_mnt());
        assert_eq!(errno(libnetns::enter_named(unique_name("missing"))), ENOENT);
        assert_eq!(errno(libnetns::enter_named("a/b")), EINVAL);
        assert_eq!(
            libnetns::enter_named("a\0b").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        let none: [&str; 0] = [];
        let missing = libnetns::exec_named(&n, unique_name("no-such-program"), none);
        assert_eq!(errno(Err::<(), _>(missing)), ENOENT);
        assert_eq!(
            errno(Err::<(), _>(libnetns::exec_named("a/b", "true", none))),
            EINVAL
        );
        assert_eq!(
            libnetns::Command::new("true")
                .stdout(libnetns::Stdio::null())
                .exec_named(&n)
                .kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            (thread_ns(), thread_mnt()),
            (net, mnt),
            "a failed call moved the thread"
        );
    });
}

/// Run by exec_named_replaces_the_process in a fresh copy of this test
/// program (exec replaces the whole process): the namespace name comes in
/// the environment; without it, this test does nothing.
#[test]
fn exec_named_child() {
    let Some(name) = std::env::var_os("NETNS_RS_EXEC_NAMED") else {
        return;
    };
    let err = libnetns::Command::new("sh")
        .args([
            "-c",
            "echo MARK; echo \"$V\"; readlink /proc/self/ns/net; echo $$",
        ])
        .env("V", "from-command")
        .exec_named(name);
    panic!("exec_named returned: {err}");
}

#[test]
fn exec_named_replaces_the_process() {
    privileged!();
    let mut clean = Cleanup::default();
    let name = clean.name("exec");
    let ns = libnetns::create(Some(name.as_str())).unwrap();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "exec_named_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("NETNS_RS_EXEC_NAMED", &name)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let after = text.split_once("MARK\n").expect("the command ran").1;
    let ino = fd_ns(&ns).1;
    assert_eq!(after, format!("from-command\nnet:[{ino}]\n{pid}\n"));
}
