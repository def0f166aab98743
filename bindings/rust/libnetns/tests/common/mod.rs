// SPDX-License-Identifier: Apache-2.0
//! What the test programs share (`#[macro_use] mod common; use common::*;`
//! in each): the sandbox check, unique names, cleanup and small helpers.
// Not every test program uses every helper.
#![allow(dead_code)]

use std::io::ErrorKind;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

// The errno values the tests expect (Linux).
pub const EPERM: i32 = 1;
pub const ENOENT: i32 = 2;
pub const ESRCH: i32 = 3;
pub const EBADF: i32 = 9;
pub const EEXIST: i32 = 17;
pub const EISDIR: i32 = 21;
pub const EINVAL: i32 = 22;
pub const ENOSYS: i32 = 38;
pub const EPROTO: i32 = 71;
pub const EAFNOSUPPORT: i32 = 97;
pub const ENOTRECOVERABLE: i32 = 131;

/// Whether this process runs in the test sandbox (tests/support/sandbox-exec),
/// where privileged tests may run; outside it they are skipped, unless the
/// sandbox was required (NETNS_REQUIRE_SANDBOX=1), which fails the test.
pub fn in_sandbox() -> bool {
    if std::env::var("NETNS_TEST_IN_SANDBOX").as_deref() == Ok("1") {
        return true;
    }
    assert!(
        std::env::var("NETNS_REQUIRE_SANDBOX").as_deref() != Ok("1"),
        "not inside the test sandbox (run through tests/support/sandbox-exec)"
    );
    eprintln!("skipped: needs the test sandbox (tests/support/sandbox-exec)");
    false
}

/// Returns from the test unless it runs in the sandbox.
macro_rules! privileged {
    () => {
        if !crate::common::in_sandbox() {
            return;
        }
    };
}

/// A name no other test (or process) uses: "rs-TAG-PID-N".
pub fn unique_name(tag: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    format!(
        "rs-{tag}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// Deletes named namespaces (delete_named), paths (delete_at) and
/// directories when dropped, also when the test panics.
#[derive(Default)]
pub struct Cleanup {
    names: Vec<String>,
    paths: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

impl Cleanup {
    pub fn new() -> Self {
        Self::default()
    }
    /// `name`, deleted on drop.
    pub fn add(&mut self, name: String) -> String {
        self.names.push(name.clone());
        name
    }
    /// A new unique name, deleted on drop.
    pub fn name(&mut self, tag: &str) -> String {
        self.add(unique_name(tag))
    }
    pub fn path(&mut self, path: PathBuf) -> PathBuf {
        self.paths.push(path.clone());
        path
    }
    /// A new directory, removed with its contents on drop.
    pub fn dir(&mut self, tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(unique_name(tag));
        std::fs::create_dir(&dir).unwrap();
        self.dirs.push(dir.clone());
        dir
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for name in &self.names {
            match libnetns::delete_named(name) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => eprintln!("cleanup of {name}: {e}"),
            }
        }
        for path in &self.paths {
            match libnetns::delete_at(path) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => eprintln!("cleanup of {}: {e}", path.display()),
            }
        }
        for dir in self.dirs.iter().rev() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs f in a fresh OS thread; its namespace dies with it. Panics propagate.
pub fn in_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match std::thread::spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The errno of a failed call.
pub fn errno<T: std::fmt::Debug>(r: std::io::Result<T>) -> i32 {
    r.expect_err("expected an error")
        .raw_os_error()
        .expect("an OS error")
}

/// The pid of a process that has ended and been reaped.
pub fn dead_pid() -> i32 {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("spawn true");
    let pid = child.id() as i32;
    child.wait().unwrap();
    pid
}

/// The calling thread's id, from /proc.
pub fn tid() -> i32 {
    std::fs::read_link("/proc/thread-self")
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Where the library puts named namespaces: $NETNS_RUN_DIR when set (the
/// suite may run with it pointing at a directory of someone else's
/// entries), else /run/netns.
pub fn run_dir() -> String {
    std::env::var("NETNS_RUN_DIR")
        .ok()
        .filter(|dir| !dir.is_empty())
        .unwrap_or_else(|| "/run/netns".into())
}

pub fn in_user_namespace() -> bool {
    std::fs::read_to_string("/proc/self/uid_map")
        .map(|m| m.split_whitespace().collect::<Vec<_>>() != ["0", "0", "4294967295"])
        .unwrap_or(false)
}

/// Like in_thread, for tests that switch and come back. Rootless, the
/// sandbox's user namespace does not own the host's network namespace, so
/// nothing can setns() back into it (EPERM): the thread first moves to a
/// namespace of its own, which threads and processes it starts inherit.
pub fn in_home_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    in_thread(move || {
        if in_user_namespace() {
            drop(libnetns::new().expect("libnetns::new for a home namespace"));
        }
        f()
    })
}

pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// The calling thread's network namespace as (dev, ino), read from /proc,
/// independently of the library.
pub fn thread_ns() -> (u64, u64) {
    let meta = std::fs::metadata("/proc/thread-self/ns/net").unwrap();
    (meta.dev(), meta.ino())
}

pub fn fd_ns(fd: impl AsFd) -> (u64, u64) {
    let meta = std::fs::metadata(format!("/proc/self/fd/{}", fd.as_fd().as_raw_fd())).unwrap();
    (meta.dev(), meta.ino())
}

/// A descriptor number that is never open (far above any RLIMIT_NOFILE).
/// Borrowing it breaks I/O safety on purpose, to provoke EBADF.
pub fn closed_fd() -> BorrowedFd<'static> {
    // SAFETY: the library only passes it to system calls, which fail.
    unsafe { BorrowedFd::borrow_raw(1 << 29) }
}

pub fn is_cloexec(fd: impl AsFd) -> bool {
    let info =
        std::fs::read_to_string(format!("/proc/self/fdinfo/{}", fd.as_fd().as_raw_fd())).unwrap();
    let flags = info.lines().find(|l| l.starts_with("flags:")).unwrap();
    let flags = u32::from_str_radix(flags.split_whitespace().nth(1).unwrap(), 8).unwrap();
    flags & 0o2000000 != 0
}
