// SPDX-License-Identifier: Apache-2.0
//! Handles and lookups: Handle, version, none, is_open, the get* lookups (Docker
//! through a fake daemon), type_, is_netns, and the constants and declarations
//! against netns.h; the quickstart example.
//!
//! Tests that create or enter namespaces need the privileged-test sandbox
//! (bindings/rust/run-tests.sh runs them through tests/support/sandbox-exec);
//! outside it they are skipped, or fail when NETNS_REQUIRE_SANDBOX=1. Shared
//! helpers: tests/common/mod.rs.

#[macro_use]
mod common;
use common::*;

use std::collections::HashSet;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::net::UnixListener;
use std::sync::Mutex;
use std::time::Duration;

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

// --- type_, is_netns and the declarations against netns.h ---------------------

#[test]
fn constants_0_2() {
    // The values against netns.h and <spawn.h>: bindings/check-facts.py.
    use libnetns::{sys, NsType};
    assert_eq!(NsType::Time.as_raw(), sys::NETNS_CLONE_NEWTIME);
    assert_eq!(NsType::Mnt.as_raw(), sys::NETNS_CLONE_NEWNS);
    assert_eq!(NsType::Cgroup.as_raw(), sys::NETNS_CLONE_NEWCGROUP);
}

#[test]
fn type_and_is_netns() {
    let types = [
        ("net", libnetns::NsType::Net),
        ("uts", libnetns::NsType::Uts),
        ("ipc", libnetns::NsType::Ipc),
        ("user", libnetns::NsType::User),
        ("pid", libnetns::NsType::Pid),
        ("mnt", libnetns::NsType::Mnt),
        ("cgroup", libnetns::NsType::Cgroup),
        ("time", libnetns::NsType::Time),
    ];
    for (file, want) in types {
        let path = format!("/proc/self/ns/{file}");
        let Ok(f) = std::fs::File::open(&path) else {
            assert!(file == "time" || file == "cgroup", "{path} missing");
            continue; // older kernels
        };
        assert_eq!(libnetns::type_(&f).unwrap(), want, "{path}");
        assert_eq!(libnetns::type_raw(f.as_raw_fd()).unwrap(), want, "{path}");
        assert_eq!(libnetns::is_netns(&f).unwrap(), file == "net", "{path}");
    }
    let here = libnetns::get().unwrap();
    assert_eq!(libnetns::type_(&here).unwrap(), libnetns::NsType::Net);
    assert!(libnetns::is_netns(&here).unwrap());
    assert!(libnetns::is_netns_raw(here.as_raw_fd()).unwrap());

    // Open, but not a namespace.
    let file = std::fs::File::open("/proc/self/status").unwrap();
    assert_eq!(errno(libnetns::type_(&file)), EINVAL);
    assert_eq!(
        libnetns::type_(&file).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert!(!libnetns::is_netns(&file).unwrap());
    let sock = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0));
    if let Ok(sock) = sock {
        assert_eq!(errno(libnetns::type_(&sock)), EINVAL);
        assert!(!libnetns::is_netns(&sock).unwrap());
    }

    // Closed.
    assert_eq!(errno(libnetns::type_raw(libnetns::NONE)), EBADF);
    assert_eq!(errno(libnetns::is_netns_raw(libnetns::NONE)), EBADF);
    assert_eq!(errno(libnetns::type_(closed_fd())), EBADF);
    assert_eq!(errno(libnetns::is_netns(closed_fd())), EBADF);
}

/// libnetns-sys declares every function of <netns/netns.h> (0.1 and 0.2).
#[test]
fn sys_declares_every_header_function() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../..");
    let header = std::fs::read_to_string(format!("{root}/include/netns/netns.h")).unwrap();
    let sys =
        std::fs::read_to_string(format!("{root}/bindings/rust/libnetns-sys/src/lib.rs")).unwrap();
    // The header without its comments, which mention functions too.
    let mut code = String::new();
    let mut rest = header.as_str();
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    code.push_str(rest);
    let mut names: Vec<&str> = Vec::new();
    for (i, _) in code.match_indices("netns_") {
        let ident = code[i..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next();
        let ident = ident.unwrap();
        if code[i + ident.len()..].starts_with('(') && !names.contains(&ident) {
            names.push(ident);
        }
    }
    assert!(names.len() >= 29, "found only {names:?}");
    for name in [
        "netns_create",
        "netns_run_isolated",
        "netns_spawn_named",
        "netns_is_netns",
    ] {
        assert!(names.contains(&name), "{name} not found in the header");
    }
    let missing: Vec<_> = names
        .iter()
        .filter(|n| !sys.contains(&format!("pub fn {n}(")))
        .collect();
    assert!(missing.is_empty(), "libnetns-sys lacks {missing:?}");
    assert!(sys.contains("pub type netns_fn"));
}

/// NsType maps every NETNS_CLONE_NEW* of <netns/netns.h>, by value, both
/// ways, and libnetns-sys's constants have the header's values.
#[test]
fn ns_type_matches_the_header() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../..");
    let header = std::fs::read_to_string(format!("{root}/include/netns/netns.h")).unwrap();
    let mut defines: Vec<(String, u32)> = Vec::new();
    for line in header.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#define") {
            continue;
        }
        let (Some(name), Some(value)) = (words.next(), words.next()) else {
            continue;
        };
        let Some(name) = name.strip_prefix("NETNS_CLONE_") else {
            continue;
        };
        let hex = value.trim_end_matches('u').trim_start_matches("0x");
        defines.push((name.to_owned(), u32::from_str_radix(hex, 16).unwrap()));
    }
    use libnetns::{sys, NsType};
    let sys_value = |name: &str| -> u32 {
        match name {
            "NEWUTS" => sys::NETNS_CLONE_NEWUTS as u32,
            "NEWIPC" => sys::NETNS_CLONE_NEWIPC as u32,
            "NEWUSER" => sys::NETNS_CLONE_NEWUSER as u32,
            "NEWPID" => sys::NETNS_CLONE_NEWPID as u32,
            "NEWNET" => sys::NETNS_CLONE_NEWNET as u32,
            "IO" => sys::NETNS_CLONE_IO,
            "NEWTIME" => sys::NETNS_CLONE_NEWTIME as u32,
            "NEWNS" => sys::NETNS_CLONE_NEWNS as u32,
            "NEWCGROUP" => sys::NETNS_CLONE_NEWCGROUP as u32,
            other => panic!("NETNS_CLONE_{other} is not in libnetns-sys"),
        }
    };
    let mut types = Vec::new();
    for (name, value) in &defines {
        assert_eq!(sys_value(name), *value, "NETNS_CLONE_{name}");
        let ty = NsType::from_raw(*value as i32);
        if name == "IO" {
            assert_eq!(ty, None, "CLONE_IO is not a namespace type");
            continue;
        }
        let ty = ty.unwrap_or_else(|| panic!("no NsType for NETNS_CLONE_{name}"));
        assert_eq!(ty.as_raw() as u32, *value, "NETNS_CLONE_{name}");
        types.push(ty);
    }
    assert_eq!(defines.len(), 9, "{defines:?}");
    assert_eq!(types.len(), NsType::ALL.len());
    for ty in NsType::ALL {
        assert!(
            types.contains(&ty),
            "{ty:?} is not a NETNS_CLONE_* of the header"
        );
        // The name of its /proc file is the kernel's for that type.
        if let Ok(file) = std::fs::File::open(format!("/proc/self/ns/{}", ty.proc_name())) {
            assert_eq!(libnetns::type_(&file).unwrap(), ty);
        }
    }
    assert_eq!(NsType::from_raw(0), None);
    assert_eq!(NsType::from_raw(-1), None);
}
