// SPDX-License-Identifier: Apache-2.0
//! Tests of the safe bindings against the freshly built libnetns. Tests that
//! create or enter namespaces need the privileged-test sandbox
//! (tests/support/sandbox-exec, as bindings/rust/run-tests.sh does); outside it they
//! are skipped, or fail when NETNS_REQUIRE_SANDBOX=1.
//!
//! Everything that moves a thread runs in a thread of its own (`in_thread`),
//! because with --test-threads=1 tests share the main thread.

#[macro_use]
mod common;

use common::*;

use std::collections::HashSet;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::net::UnixListener;
use std::sync::{mpsc, Mutex};
use std::time::Duration;

/// Where the library puts named namespaces: $NETNS_RUN_DIR when set (the
/// suite may run with it pointing at a directory of someone else's
/// entries), else /run/netns.
fn run_dir() -> String {
    std::env::var("NETNS_RUN_DIR")
        .ok()
        .filter(|dir| !dir.is_empty())
        .unwrap_or_else(|| "/run/netns".into())
}

fn in_user_namespace() -> bool {
    std::fs::read_to_string("/proc/self/uid_map")
        .map(|m| m.split_whitespace().collect::<Vec<_>>() != ["0", "0", "4294967295"])
        .unwrap_or(false)
}

/// Like in_thread, for tests that switch and come back. Rootless, the
/// sandbox's user namespace does not own the host's network namespace, so
/// nothing can setns() back into it (EPERM): the thread first moves to a
/// namespace of its own, which threads and processes it starts inherit.
fn in_home_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    in_thread(move || {
        if in_user_namespace() {
            drop(libnetns::new().expect("libnetns::new for a home namespace"));
        }
        f()
    })
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn version_and_constants() {
    // The constants' values against netns.h: bindings/check-facts.py.
    let v = format!(
        "{}.{}.{}",
        libnetns::sys::NETNS_VERSION_MAJOR,
        libnetns::sys::NETNS_VERSION_MINOR,
        libnetns::sys::NETNS_VERSION_MICRO
    );
    assert_eq!(libnetns::version(), v);
    assert_eq!(libnetns::NONE, libnetns::sys::NETNS_NONE);
    for t in libnetns::NsType::ALL {
        assert_eq!(libnetns::NsType::from_raw(t.as_raw()), Some(t));
    }
    let io = libnetns::sys::NETNS_CLONE_IO as i32;
    assert_eq!(libnetns::NsType::from_raw(io), None);
}

#[test]
fn none_values() {
    assert_eq!(libnetns::none(), libnetns::NONE);
    assert!(!libnetns::is_open(libnetns::none()));
    assert!(libnetns::is_open(0));
}

#[test]
fn get_and_describe() {
    let h = libnetns::get().unwrap();
    let fd = h.as_raw_fd();
    assert!(fd >= 0 && libnetns::is_open(fd));
    let meta = std::fs::metadata(format!("/proc/self/fd/{fd}")).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        h.to_string(),
        format!("NS({fd}: {}, {})", meta.dev(), meta.ino())
    );
    assert_eq!(h.unique_id(), format!("NS({}:{})", meta.dev(), meta.ino()));
    let thread_ns = std::fs::metadata("/proc/thread-self/ns/net").unwrap();
    assert_eq!(thread_ns.ino(), meta.ino());
    assert!(format!("{h:?}").contains(&h.unique_id()));
    // O_CLOEXEC
    let flags = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).unwrap();
    let flags = flags.lines().find(|l| l.starts_with("flags:")).unwrap();
    let flags = u32::from_str_radix(flags.split_whitespace().nth(1).unwrap(), 8).unwrap();
    assert_ne!(flags & 0o2000000, 0, "handle is not O_CLOEXEC");
}

#[test]
fn equality_hash_clone_and_fd_traits() {
    let a = libnetns::get().unwrap();
    let b = libnetns::get().unwrap();
    assert_ne!(a.as_raw_fd(), b.as_raw_fd());
    assert_eq!(a, b);
    assert_eq!(&a, &b.try_clone().unwrap());
    let set: HashSet<_> = [a.try_clone().unwrap(), b.try_clone().unwrap()]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 1);

    // OwnedFd round trip.
    let owned: OwnedFd = b.into();
    let raw = owned.as_raw_fd();
    let b = libnetns::Handle::from(owned);
    assert_eq!(b.as_raw_fd(), raw);
    let raw = b.into_raw_fd();
    // SAFETY: raw came from into_raw_fd just above.
    let b = unsafe { libnetns::Handle::from_raw_fd(raw) };
    assert_eq!(a, b);
    b.close().unwrap();

    // A namespace of another type is not the same namespace.
    let uts = OwnedFd::from(std::fs::File::open("/proc/self/ns/uts").unwrap());
    assert_ne!(a, libnetns::Handle::from(uts));
}

#[test]
fn drop_closes() {
    // Other tests open descriptors concurrently; retry to ride out noise.
    for attempt in 0.. {
        let before = open_fds();
        let h = libnetns::get().unwrap();
        let opened = open_fds() == before + 1;
        drop(h);
        if opened && open_fds() == before {
            break;
        }
        assert!(attempt < 50, "drop did not close the handle");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn get_from_path_ok_and_errors() {
    let here = libnetns::get().unwrap();
    assert_eq!(libnetns::get_from_path("/proc/self/ns/net").unwrap(), here);
    let path = std::path::Path::new("/proc/thread-self/ns/net");
    assert_eq!(libnetns::get_from_path(path).unwrap(), here);
    assert_eq!(
        libnetns::get_from_path("").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(errno(libnetns::get_from_path("")), EINVAL);
    assert_eq!(
        libnetns::get_from_path("/nonexistent/net")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(errno(libnetns::get_from_path("/proc/self/ns/uts")), EINVAL);
    assert_eq!(errno(libnetns::get_from_path("/proc/self/status")), EINVAL);
    assert_eq!(
        errno(libnetns::get_from_path("/proc/self/status/x")),
        20 /* ENOTDIR */
    );
    let nul = libnetns::get_from_path("/proc/self/ns/net\0x").unwrap_err();
    assert_eq!(nul.kind(), ErrorKind::InvalidInput);
}

#[test]
fn get_from_pid_and_thread() {
    let here = libnetns::get().unwrap();
    let pid = std::process::id() as i32;
    assert_eq!(libnetns::get_from_pid(pid).unwrap(), here);
    assert_eq!(libnetns::get_from_thread(pid, tid()).unwrap(), here);
    assert_eq!(libnetns::get_from_thread(pid, pid).unwrap(), here);

    assert_eq!(errno(libnetns::get_from_pid(0)), EINVAL);
    assert_eq!(
        libnetns::get_from_pid(-1).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let dead = dead_pid();
    assert_eq!(
        libnetns::get_from_pid(dead).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(errno(libnetns::get_from_thread(pid, 0)), EINVAL);
    assert_eq!(errno(libnetns::get_from_thread(0, pid)), EINVAL);
    assert_eq!(errno(libnetns::get_from_thread(pid, -5)), EINVAL);
    assert_eq!(errno(libnetns::get_from_thread(pid, dead)), ENOENT);
}

#[test]
fn get_from_name_errors() {
    let e = libnetns::get_from_name(unique_name("missing")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.raw_os_error(), Some(ENOENT));
    let long = "x".repeat(256);
    for bad in ["", ".", "..", "a/b", "/", long.as_str()] {
        let e = libnetns::get_from_name(bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}");
        assert_eq!(e.raw_os_error(), Some(EINVAL), "{bad:?}");
    }
    assert_eq!(
        libnetns::get_from_name("a\0b").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn set_errors() {
    assert_eq!(errno(libnetns::set_raw(libnetns::NONE)), EBADF);
    assert_eq!(errno(libnetns::set_raw(-42)), EBADF);
    assert_eq!(
        errno(libnetns::setns_raw(
            libnetns::NONE,
            Some(libnetns::NsType::Net)
        )),
        EBADF
    );
    let h = libnetns::get().unwrap();
    let raw = h.as_raw_fd();
    drop(h);
    assert_eq!(errno(libnetns::set_raw(raw)), EBADF);
    let file = std::fs::File::open("/proc/self/status").unwrap();
    assert_eq!(
        libnetns::set(&file).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let h = libnetns::get().unwrap();
    assert_eq!(
        errno(libnetns::setns(&h, Some(libnetns::NsType::Uts))),
        EINVAL
    );
    assert_eq!(libnetns::get().unwrap(), h);
}

#[test]
fn no_leaks_on_errors() {
    // Other tests open descriptors concurrently; retry to ride out noise.
    static LOCK: Mutex<()> = Mutex::new(());
    let _l = LOCK.lock().unwrap();
    let missing = unique_name("missing");
    for attempt in 0.. {
        let before = open_fds();
        for _ in 0..50 {
            let _ = libnetns::get_from_name(&missing).unwrap_err();
            let _ = libnetns::get_from_path("/proc/self/ns/uts").unwrap_err();
            let _ = libnetns::get_from_pid(0).unwrap_err();
            drop(libnetns::get().unwrap());
        }
        if open_fds() == before {
            break;
        }
        assert!(attempt < 20, "descriptors leaked");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn new_moves_only_this_thread() {
    privileged!();
    in_home_thread(|| {
        let origin = libnetns::get().unwrap();
        let h = libnetns::new().unwrap();
        assert_ne!(h, origin);
        assert_eq!(libnetns::get().unwrap(), h);
        let h2 = libnetns::new().unwrap();
        assert_ne!(h2, h);
        libnetns::set(&origin).unwrap();
        assert_eq!(libnetns::get().unwrap(), origin);
        libnetns::set(&h).unwrap();
        assert_eq!(libnetns::get().unwrap().unique_id(), h.unique_id());
        libnetns::setns(&origin, Some(libnetns::NsType::Net)).unwrap();
        assert_eq!(libnetns::get().unwrap(), origin);
        libnetns::setns(&h2, None).unwrap();
        assert_eq!(libnetns::get().unwrap(), h2);
        libnetns::set_raw(origin.as_raw_fd()).unwrap();
        assert_eq!(libnetns::get().unwrap(), origin);
    });
}

#[test]
fn new_named_from_name_delete() {
    privileged!();
    let mut named = Cleanup::new();
    let name = named.add(unique_name("named"));
    let n = name.clone();
    let id = in_thread(move || {
        let origin = libnetns::get().unwrap();
        let h = libnetns::new_named(&n).unwrap();
        assert_ne!(h, origin);
        assert_eq!(libnetns::get().unwrap(), h);
        h.unique_id()
    });
    // Handle closed and thread gone: the name keeps it alive.
    let h = libnetns::get_from_name(&name).unwrap();
    assert_eq!(h.unique_id(), id);
    assert_eq!(
        libnetns::get_from_path(format!("{}/{name}", run_dir())).unwrap(),
        h
    );
    assert_ne!(libnetns::get().unwrap(), h);

    let n = name.clone();
    let e = in_thread(move || {
        let before = libnetns::get().unwrap();
        let e = libnetns::new_named(&n).unwrap_err();
        assert_eq!(
            libnetns::get().unwrap(),
            before,
            "a failed new_named moved the thread"
        );
        e
    });
    assert_eq!(e.kind(), ErrorKind::AlreadyExists);
    assert_eq!(e.raw_os_error(), Some(EEXIST));

    libnetns::delete_named(&name).unwrap();
    assert_eq!(
        libnetns::get_from_name(&name).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        libnetns::delete_named(&name).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    // The namespace lives on through our handle.
    let hid = h.unique_id();
    let entered = in_thread(move || {
        libnetns::set(&h).unwrap();
        libnetns::get().unwrap().unique_id()
    });
    assert_eq!(entered, hid);
}

#[test]
fn bad_names() {
    privileged!();
    let long = "x".repeat(256);
    for bad in ["", ".", "..", "a/b", "../x", long.as_str()] {
        let b = bad.to_owned();
        let e = in_thread(move || libnetns::new_named(&b).unwrap_err());
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "new_named({bad:?})");
        assert_eq!(e.raw_os_error(), Some(EINVAL));
        assert_eq!(
            errno(libnetns::delete_named(bad)),
            EINVAL,
            "delete_named({bad:?})"
        );
    }
    assert_eq!(
        libnetns::new_named("a\0b").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        libnetns::delete_named("a\0b").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    // The longest valid name works.
    let mut named = Cleanup::new();
    let longest = named.add(format!("{}{}", unique_name("l"), "n".repeat(200)));
    let longest = named.add(format!("{longest}{}", "m".repeat(255 - longest.len())));
    assert_eq!(longest.len(), 255);
    let n = longest.clone();
    in_thread(move || drop(libnetns::new_named(&n).unwrap()));
    libnetns::get_from_name(&longest).unwrap();
}

#[test]
fn run_dir_entries_not_made_by_us() {
    privileged!();
    let mut named = Cleanup::new();
    let name = named.add(unique_name("mk"));
    let n = name.clone();
    in_thread(move || drop(libnetns::new_named(&n).unwrap()));
    let dir = run_dir();

    let file = unique_name("file");
    let path = format!("{dir}/{file}");
    std::fs::write(&path, b"").unwrap();
    let r = libnetns::get_from_name(&file);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(errno(r), EINVAL);

    let sub = unique_name("dir");
    let path = format!("{dir}/{sub}");
    std::fs::create_dir(&path).unwrap();
    let r = libnetns::delete_named(&sub);
    let still_there = std::path::Path::new(&path).is_dir();
    std::fs::remove_dir(&path).unwrap();
    assert_eq!(errno(r), EISDIR);
    assert!(still_there);
}

#[test]
fn threads_are_independent() {
    privileged!();
    let main_id = libnetns::get().unwrap().unique_id();
    let (tx, rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let mover = std::thread::spawn(move || {
        let h = libnetns::new().unwrap();
        tx.send((h.unique_id(), tid())).unwrap();
        let _ = release_rx.recv_timeout(Duration::from_secs(30));
    });
    let (their_id, their_tid) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("mover failed");
    let result = std::panic::catch_unwind(|| {
        assert_ne!(their_id, main_id);
        assert_eq!(libnetns::get().unwrap().unique_id(), main_id);
        assert_eq!(in_thread(|| libnetns::get().unwrap().unique_id()), main_id);
        let pid = std::process::id() as i32;
        assert_eq!(
            libnetns::get_from_thread(pid, their_tid)
                .unwrap()
                .unique_id(),
            their_id
        );
    });
    release_tx.send(()).unwrap();
    mover.join().unwrap();
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
    assert_eq!(libnetns::get().unwrap().unique_id(), main_id);
}

#[test]
fn set_guard() {
    privileged!();
    in_home_thread(|| {
        let origin = libnetns::get().unwrap();
        let target = libnetns::new().unwrap();
        libnetns::set(&origin).unwrap();
        {
            let guard = libnetns::SetGuard::new(&target).unwrap();
            assert_eq!(guard.saved(), &origin);
            assert_eq!(libnetns::get().unwrap(), target);
            // A thread spawned now starts where its creator is; its moves do
            // not affect us.
            let o = origin.try_clone().unwrap();
            let child = in_thread(move || {
                let id = libnetns::get().unwrap().unique_id();
                libnetns::set(&o).unwrap();
                id
            });
            assert_eq!(child, target.unique_id());
            assert_eq!(libnetns::get().unwrap(), target);
        }
        assert_eq!(libnetns::get().unwrap(), origin);

        let mut guard = libnetns::SetGuard::new(target.as_fd()).unwrap();
        assert_eq!(libnetns::get().unwrap(), target);
        guard.restore().unwrap();
        assert_eq!(libnetns::get().unwrap(), origin);
        // Once back, dropping the guard does not move the thread again.
        libnetns::set(&target).unwrap();
        drop(guard);
        assert_eq!(libnetns::get().unwrap(), target);
        libnetns::set(&origin).unwrap();
    });
}

#[test]
fn set_guard_restores_on_panic_and_fails_cleanly() {
    privileged!();
    in_home_thread(|| {
        let origin = libnetns::get().unwrap();
        let target = libnetns::new().unwrap();
        libnetns::set(&origin).unwrap();
        let t = target.try_clone().unwrap();
        let r = std::panic::catch_unwind(move || {
            let _g = libnetns::SetGuard::new(&t).unwrap();
            assert_eq!(libnetns::get().unwrap(), t);
            panic!("boom");
        });
        assert!(r.is_err());
        assert_eq!(libnetns::get().unwrap(), origin);

        // Entering something that is not a netns fails without moving.
        let file = std::fs::File::open("/proc/self/status").unwrap();
        assert_eq!(
            libnetns::SetGuard::new(&file).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(libnetns::get().unwrap(), origin);
    });
}

#[test]
fn no_leaks_privileged() {
    privileged!();
    static LOCK: Mutex<()> = Mutex::new(());
    let _l = LOCK.lock().unwrap();
    let mut named = Cleanup::new();
    let names: Vec<String> = (0..10).map(|_| named.add(unique_name("leak"))).collect();
    let before = open_fds();
    in_home_thread(move || {
        let origin = libnetns::get().unwrap();
        for name in &names {
            drop(libnetns::new().unwrap());
            drop(libnetns::new_named(name).unwrap());
            assert_eq!(
                libnetns::new_named(name).unwrap_err().kind(),
                ErrorKind::AlreadyExists
            );
            libnetns::set(&origin).unwrap();
            libnetns::delete_named(name).unwrap();
        }
    });
    // Other tests run concurrently; give their descriptors a moment.
    for _ in 0..50 {
        if open_fds() <= before {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(open_fds() <= before, "descriptors leaked");
}

// --- Docker, against a fake Engine API on a unix socket ----------------------

fn fake_docker(dir: &std::path::Path, answers: Vec<(&'static str, u16, String)>) -> String {
    let path = dir.join("docker.sock");
    let listener = UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let req = String::from_utf8_lossy(&req);
            let first = req.lines().next().unwrap_or("");
            let (status, body) = answers
                .iter()
                .find(|(id, _, _)| first.contains(&format!("/containers/{id}/json")))
                .map(|(_, s, b)| (*s, b.clone()))
                .unwrap_or((404, r#"{"message":"No such container"}"#.to_owned()));
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = conn.write_all(reply.as_bytes());
        }
    });
    format!("unix://{}", path.display())
}

fn skip_enosys<T>(r: std::io::Result<T>) -> Option<std::io::Result<T>> {
    match r {
        Err(e) if e.raw_os_error() == Some(ENOSYS) => {
            eprintln!("skipped: netns_get_from_docker not implemented (ENOSYS)");
            None
        }
        r => Some(r),
    }
}

#[test]
fn get_from_docker_invalid_ids() {
    let long = "x".repeat(129);
    for bad in ["", "a/b", "a b", long.as_str(), "ü"] {
        let Some(r) = skip_enosys(libnetns::get_from_docker(bad)) else {
            return;
        };
        assert_eq!(r.unwrap_err().kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
    assert_eq!(
        libnetns::get_from_docker("a\0b").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

/// Runs the queries in a child process (this test binary, filtered to
/// `docker_child`) so that DOCKER_HOST is never changed in this
/// multi-threaded process.
#[test]
fn get_from_docker_fake_daemon() {
    let dir = std::env::temp_dir().join(unique_name("docker"));
    std::fs::create_dir(&dir).unwrap();
    struct Rm(std::path::PathBuf);
    impl Drop for Rm {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let _rm = Rm(dir.clone());
    let pid = std::process::id();
    let host = fake_docker(
        &dir,
        vec![
            (
                "abc123",
                200,
                format!(r#"{{"Id":"abc123","State":{{"Running":true,"Pid":{pid}}}}}"#),
            ),
            (
                "def456",
                200,
                r#"{"Id":"def456","State":{"Running":false,"Pid":0}}"#.to_owned(),
            ),
            ("garbage", 200, "not json".to_owned()),
        ],
    );
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "docker_child", "--nocapture", "--test-threads=1"])
        .env("DOCKER_HOST", &host)
        .env("NETNS_DOCKER_CHILD", pid.to_string())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "child did not run:\n{stdout}");
    if stderr.contains("skipped:") {
        eprintln!("{stderr}");
    }
}

/// The child half of get_from_docker_fake_daemon; a no-op on its own.
#[test]
fn docker_child() {
    let Ok(pid) = std::env::var("NETNS_DOCKER_CHILD") else {
        return;
    };
    let pid: i32 = pid.parse().unwrap();
    let Some(ok) = skip_enosys(libnetns::get_from_docker("abc123")) else {
        return;
    };
    assert_eq!(ok.unwrap(), libnetns::get_from_pid(pid).unwrap());
    assert_eq!(
        libnetns::get_from_docker("nosuch").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(errno(libnetns::get_from_docker("def456")), ESRCH);
    assert_eq!(errno(libnetns::get_from_docker("garbage")), EPROTO);
}

/// Runs examples/quickstart (built by `cargo test`) from a home thread: a
/// child process starts in the namespace of the thread that spawns it.
#[test]
fn quickstart_example_runs() {
    privileged!();
    let exe = std::env::current_exe().unwrap();
    let example = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/quickstart");
    assert!(example.exists(), "{} not built", example.display());
    // Its fixed name "demo" goes to the sandbox's private /run/netns, not to
    // a $NETNS_RUN_DIR that may hold someone else's "demo".
    let out = in_home_thread(move || {
        std::process::Command::new(example)
            .env_remove("NETNS_RUN_DIR")
            .output()
            .unwrap()
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "quickstart failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("libnetns {}", libnetns::version())),
        "{stdout}"
    );
    assert!(stdout.contains("inside NS("), "{stdout}");
}

#[test]
fn quickstart_example_is_in_the_readme() {
    let example = include_str!("../examples/quickstart.rs");
    let readme = include_str!("../README.md");
    assert!(
        readme.contains(example.trim()),
        "bindings/rust/libnetns/README.md must quote examples/quickstart.rs verbatim"
    );
}
