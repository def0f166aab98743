// SPDX-License-Identifier: Apache-2.0
//! Processes started in a namespace: `netns_spawn`, `netns_spawnp` and
//! `netns_spawn_named` behind a small `std::process::Command`-like builder.

use std::collections::BTreeMap;
use std::ffi::{CString, OsStr, OsString};
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::raw::{c_char, c_int};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::process::{ExitStatus, Output};
use std::ptr;

use crate::{c_string, check, sys};

// The few C library calls the builder needs beyond libnetns-sys.
extern "C" {
    fn pipe2(fds: *mut c_int, flags: c_int) -> c_int;
    fn waitpid(pid: sys::pid_t, status: *mut c_int, options: c_int) -> sys::pid_t;
    fn kill(pid: sys::pid_t, sig: c_int) -> c_int;
}

const O_RDONLY: c_int = 0;
const O_WRONLY: c_int = 1;
const O_CLOEXEC: c_int = 0o2000000;
const WNOHANG: c_int = 1;
const SIGKILL: c_int = 9;
const SIGPIPE: c_int = 13;
const EIO: c_int = 5;

/// What a standard stream of the child is connected to.
pub struct Stdio(StdioKind);

enum StdioKind {
    Inherit,
    Null,
    Piped,
    Fd(OwnedFd),
}

impl Stdio {
    /// The caller's own stream (the default of [`Command::spawn`]).
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let status = libnetns::Command::new("true")
    ///     .stdout(libnetns::Stdio::inherit())
    ///     .spawn(&ns)?
    ///     .wait()?;
    /// assert!(status.success());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn inherit() -> Stdio {
        Stdio(StdioKind::Inherit)
    }
    /// `/dev/null`.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let mut child = libnetns::Command::new("ip")
    ///     .args(["link", "show"])
    ///     .stdout(libnetns::Stdio::null())
    ///     .spawn(&ns)?;
    /// assert!(child.wait()?.success());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn null() -> Stdio {
        Stdio(StdioKind::Null)
    }
    /// A new pipe whose other end is the [`Child`]'s `stdin`, `stdout` or
    /// `stderr`.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// use std::io::{Read, Write};
    /// let ns = libnetns::create(None)?;
    /// let mut child = libnetns::Command::new("cat")
    ///     .stdin(libnetns::Stdio::piped())
    ///     .stdout(libnetns::Stdio::piped())
    ///     .spawn(&ns)?;
    /// child.stdin.take().unwrap().write_all(b"ping")?;
    /// let mut echoed = String::new();
    /// child.stdout.take().unwrap().read_to_string(&mut echoed)?;
    /// assert_eq!(echoed, "ping");
    /// assert!(child.wait()?.success());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn piped() -> Stdio {
        Stdio(StdioKind::Piped)
    }
}

/// The child gets this descriptor (it is `dup2`ed; the caller's stays open
/// as long as the [`Command`]).
impl From<OwnedFd> for Stdio {
    fn from(fd: OwnedFd) -> Stdio {
        Stdio(StdioKind::Fd(fd))
    }
}

impl From<File> for Stdio {
    fn from(file: File) -> Stdio {
        Stdio(StdioKind::Fd(file.into()))
    }
}

impl fmt::Debug for Stdio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            StdioKind::Inherit => f.write_str("Stdio::inherit()"),
            StdioKind::Null => f.write_str("Stdio::null()"),
            StdioKind::Piped => f.write_str("Stdio::piped()"),
            StdioKind::Fd(fd) => write!(f, "Stdio::from({fd:?})"),
        }
    }
}

/// A process to start inside a network namespace, built like
/// [`std::process::Command`]: program, arguments, environment, standard
/// streams, process group and signal mask. [`Command::spawn`] starts it in
/// a namespace given by handle (`netns_spawn`, or `netns_spawnp` for a
/// program without `/`, searched in `PATH`), [`Command::spawn_named`] as
/// `ip netns exec NAME` does (`netns_spawn_named`). The calling thread never
/// moves; a program that cannot be executed is an error of the call (e.g.
/// `ENOENT`), not a child that exits 127.
///
/// As with `std`, the child starts with an empty signal mask and `SIGPIPE`
/// at its default action (Rust programs ignore it).
#[derive(Debug)]
pub struct Command {
    program: OsString,
    args: Vec<OsString>,
    env_clear: bool,
    env: BTreeMap<OsString, Option<OsString>>,
    stdin: Option<Stdio>,
    stdout: Option<Stdio>,
    stderr: Option<Stdio>,
    pgroup: Option<i32>,
    sigmask: Vec<c_int>,
}

impl Command {
    /// `program` with no arguments; it is `argv[0]` too. A program without
    /// `/` is searched in `PATH` (`netns_spawnp`).
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("ip").args(["-o", "link"]).output(&ns)?;
    /// assert!(String::from_utf8_lossy(&out.stdout).contains("lo:"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(program: impl AsRef<OsStr>) -> Command {
        Command {
            program: program.as_ref().to_owned(),
            args: Vec::new(),
            env_clear: false,
            env: BTreeMap::new(),
            stdin: None,
            stdout: None,
            stderr: None,
            pgroup: None,
            sigmask: Vec::new(),
        }
    }

    /// Adds one argument.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("echo").arg("hello").output(&ns)?;
    /// assert_eq!(out.stdout, b"hello\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Adds arguments.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("echo").args(["a", "b"]).output(&ns)?;
    /// assert_eq!(out.stdout, b"a b\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Sets a variable in the child's environment (by default the caller's).
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("sh")
    ///     .args(["-c", "echo $GREETING"])
    ///     .env("GREETING", "hi")
    ///     .output(&ns)?;
    /// assert_eq!(out.stdout, b"hi\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Command {
        self.env
            .insert(key.as_ref().to_owned(), Some(value.as_ref().to_owned()));
        self
    }

    /// Sets several variables, as [`Command::env`] for each.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("sh")
    ///     .args(["-c", "echo $A$B"])
    ///     .envs([("A", "1"), ("B", "2")])
    ///     .output(&ns)?;
    /// assert_eq!(out.stdout, b"12\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        for (k, v) in vars {
            self.env(k, v);
        }
        self
    }

    /// Removes a variable from the child's environment.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("sh")
    ///     .args(["-c", "echo ${HOME:-unset}"])
    ///     .env_remove("HOME")
    ///     .output(&ns)?;
    /// assert_eq!(out.stdout, b"unset\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Command {
        self.env.insert(key.as_ref().to_owned(), None);
        self
    }

    /// Starts the child's environment empty instead of the caller's.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("/usr/bin/env").env_clear().env("ONLY", "1").output(&ns)?;
    /// assert_eq!(out.stdout, b"ONLY=1\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn env_clear(&mut self) -> &mut Command {
        self.env_clear = true;
        self.env.clear();
        self
    }

    /// What the child's stdin (descriptor 0) is connected to: a [`Stdio`], or
    /// an [`OwnedFd`] or [`File`] the child gets a copy of.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let input = std::fs::File::open("/proc/self/status")?; // any file
    /// let out = libnetns::Command::new("head").arg("-c4").stdin(input).output(&ns)?;
    /// assert_eq!(out.stdout, b"Name");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stdin(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.stdin = Some(cfg.into());
        self
    }

    /// What the child's stdout (descriptor 1) is connected to: a [`Stdio`], or
    /// an [`OwnedFd`] or [`File`] the child gets a copy of.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let mut child = libnetns::Command::new("echo")
    ///     .arg("out")
    ///     .stdout(libnetns::Stdio::piped())
    ///     .spawn(&ns)?;
    /// let mut text = String::new();
    /// std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut text)?;
    /// assert_eq!(text, "out\n");
    /// child.wait()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stdout(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.stdout = Some(cfg.into());
        self
    }

    /// What the child's stderr (descriptor 2) is connected to: a [`Stdio`], or
    /// an [`OwnedFd`] or [`File`] the child gets a copy of.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("sh")
    ///     .args(["-c", "echo oops >&2"])
    ///     .stderr(libnetns::Stdio::piped())
    ///     .output(&ns)?;
    /// assert_eq!(out.stderr, b"oops\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stderr(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.stderr = Some(cfg.into());
        self
    }

    /// Puts the child into process group `pgid` (0: a new group led by the
    /// child), as `posix_spawnattr_setpgroup`.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let mut child = libnetns::Command::new("sleep").arg("0").process_group(0).spawn(&ns)?;
    /// child.wait()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn process_group(&mut self, pgid: i32) -> &mut Command {
        self.pgroup = Some(pgid);
        self
    }

    /// The signals blocked in the child (by default none).
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// const SIGTERM: i32 = 15;
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("grep")
    ///     .args(["^SigBlk", "/proc/self/status"])
    ///     .signal_mask(&[SIGTERM])
    ///     .output(&ns)?;
    /// assert!(String::from_utf8_lossy(&out.stdout).trim_end().ends_with("4000"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn signal_mask(&mut self, signals: &[c_int]) -> &mut Command {
        self.sigmask = signals.to_vec();
        self
    }

    /// Starts the program with its network namespace `ns`. Standard streams
    /// not set are inherited. The calling thread does not move.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let mut child = libnetns::Command::new("ip").args(["link", "set", "lo", "up"]).spawn(&ns)?;
    /// assert!(child.wait()?.success());
    /// let err = libnetns::Command::new("no-such-program").spawn(&ns).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn spawn(&mut self, ns: impl AsFd) -> io::Result<Child> {
        let ns = ns.as_fd().as_raw_fd();
        let search = !self.program.as_bytes().contains(&b'/');
        self.start(
            Target::Ns { ns, search },
            StdioKind::Inherit,
            StdioKind::Inherit,
        )
    }

    /// Starts the program as `ip netns exec NAME` does: in the namespace
    /// `<run dir>/<name>`, with a private mount namespace, its own `/sys`
    /// and `/etc/netns/<name>/*` over `/etc` (`netns_spawn_named`). The
    /// program is searched in `PATH` when it has no `/`. The calling thread
    /// does not move.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(Some("doc-cmd-spawn-named"))?;
    /// let mut child = libnetns::Command::new("true").spawn_named("doc-cmd-spawn-named")?;
    /// assert!(child.wait()?.success());
    /// libnetns::delete_named("doc-cmd-spawn-named")?;
    /// # drop(ns);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn spawn_named(&mut self, name: impl AsRef<OsStr>) -> io::Result<Child> {
        let name = c_string(name.as_ref(), "name")?;
        self.start(Target::Named(name), StdioKind::Inherit, StdioKind::Inherit)
    }

    /// Since 0.5: replaces the calling process with the program, after
    /// preparing the calling thread as `ip netns exec NAME` does
    /// (`netns_exec_named`, see [`crate::enter_named`]): as
    /// `std::os::unix::process::CommandExt::exec`, it returns only on
    /// failure, with the thread back where it was (but for
    /// `ENOTRECOVERABLE`). `PATH` is searched and a file without `#!` runs
    /// with `/bin/sh`; the arguments and environment set here apply. The
    /// standard streams, process group and signal mask set here do not: the
    /// program keeps the process's own (an `InvalidInput` error, with
    /// nothing done, when any was set).
    ///
    /// ```no_run
    /// // As `exec ip netns exec blue ip link show`:
    /// let err = libnetns::Command::new("ip").args(["link", "show"]).exec_named("blue");
    /// eprintln!("cannot run ip in blue: {err}");
    /// std::process::exit(1);
    /// ```
    pub fn exec_named(&mut self, name: impl AsRef<OsStr>) -> io::Error {
        match self.exec_named_inner(name.as_ref()) {
            Ok(never) => match never {},
            Err(e) => e,
        }
    }

    fn exec_named_inner(&mut self, name: &OsStr) -> io::Result<std::convert::Infallible> {
        if self.stdin.is_some()
            || self.stdout.is_some()
            || self.stderr.is_some()
            || self.pgroup.is_some()
            || !self.sigmask.is_empty()
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "exec_named keeps the process's streams, process group and signal mask",
            ));
        }
        let name = c_string(name, "name")?;
        let (argv_owned, envp_owned) = self.c_strings()?;
        let program = &argv_owned[0];
        let argv = null_terminated(&argv_owned);
        let envp = envp_owned.as_deref().map(null_terminated);
        let envp_ptr = envp.as_ref().map_or(ptr::null(), |e| e.as_ptr());
        // SAFETY: every pointer is valid and NUL-terminated (argv, envp are
        // NULL-terminated arrays of them) for the duration of the call.
        let rc = unsafe {
            sys::netns_exec_named(name.as_ptr(), program.as_ptr(), argv.as_ptr(), envp_ptr)
        };
        check(if rc < 0 { rc } else { -EIO })?;
        unreachable!("check() of a negative value is an error")
    }

    /// Runs the program in `ns` to its end and collects its output, as
    /// `std::process::Command::output`: standard streams not set are
    /// `/dev/null` (stdin) and pipes (stdout, stderr). The calling thread
    /// does not move.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let out = libnetns::Command::new("cat").arg("/proc/net/dev").output(&ns)?;
    /// assert!(out.status.success());
    /// assert!(String::from_utf8_lossy(&out.stdout).contains("lo:"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn output(&mut self, ns: impl AsFd) -> io::Result<Output> {
        let ns = ns.as_fd().as_raw_fd();
        let search = !self.program.as_bytes().contains(&b'/');
        self.start(Target::Ns { ns, search }, StdioKind::Null, StdioKind::Piped)?
            .wait_with_output()
    }

    fn start(&mut self, target: Target, stdin: StdioKind, out: StdioKind) -> io::Result<Child> {
        let (argv_owned, envp_owned) = self.c_strings()?;
        let program = &argv_owned[0];
        let argv = null_terminated(&argv_owned);
        let envp = envp_owned.as_deref().map(null_terminated);

        let mut actions = FileActions::new()?;
        let (child_stdin, keep_stdin) = actions.stdio(0, self.stdin.as_ref(), &stdin)?;
        let (child_stdout, keep_stdout) = actions.stdio(1, self.stdout.as_ref(), &out)?;
        let (child_stderr, keep_stderr) = actions.stdio(2, self.stderr.as_ref(), &out)?;
        let attr = SpawnAttr::new(self.pgroup, &self.sigmask)?;

        let mut pid: sys::pid_t = 0;
        let envp_ptr = envp.as_ref().map_or(ptr::null(), |e| e.as_ptr());
        // SAFETY: every pointer is valid and NUL-terminated (argv, envp are
        // NULL-terminated arrays of them) for the duration of the call.
        let rc = unsafe {
            match &target {
                Target::Ns { ns, search } => {
                    // netns_spawnp searches PATH as execvp(3); same arguments.
                    let spawn = if *search {
                        sys::netns_spawnp
                    } else {
                        sys::netns_spawn
                    };
                    spawn(
                        &mut pid,
                        *ns,
                        program.as_ptr(),
                        &actions.0,
                        &attr.0,
                        argv.as_ptr(),
                        envp_ptr,
                    )
                }
                Target::Named(name) => sys::netns_spawn_named(
                    &mut pid,
                    name.as_ptr(),
                    program.as_ptr(),
                    &actions.0,
                    &attr.0,
                    argv.as_ptr(),
                    envp_ptr,
                ),
            }
        };
        // The child's ends of new pipes close here (kept until now).
        drop((keep_stdin, keep_stdout, keep_stderr));
        check(rc)?;
        Ok(Child {
            pid,
            status: None,
            stdin: child_stdin,
            stdout: child_stdout,
            stderr: child_stderr,
        })
    }

    /// `argv` (the program first, then its arguments) and the environment
    /// (`None`: the caller's environ, unchanged) as C strings.
    fn c_strings(&self) -> io::Result<(Vec<CString>, Option<Vec<CString>>)> {
        let mut argv = vec![c_string(&self.program, "program")?];
        for arg in &self.args {
            argv.push(c_string(arg, "argument")?);
        }
        Ok((argv, self.environment()?))
    }

    /// `None`: the caller's environ, unchanged.
    fn environment(&self) -> io::Result<Option<Vec<CString>>> {
        if !self.env_clear && self.env.is_empty() {
            return Ok(None);
        }
        let mut vars: BTreeMap<OsString, OsString> = if self.env_clear {
            BTreeMap::new()
        } else {
            std::env::vars_os().collect()
        };
        for (k, v) in &self.env {
            match v {
                Some(v) => vars.insert(k.clone(), v.clone()),
                None => vars.remove(k),
            };
        }
        let mut envp = Vec::with_capacity(vars.len());
        for (k, v) in vars {
            let mut entry = k;
            entry.push("=");
            entry.push(v);
            envp.push(c_string(&entry, "environment variable")?);
        }
        Ok(Some(envp))
    }
}

enum Target {
    Ns { ns: RawFd, search: bool },
    Named(CString),
}

fn null_terminated(strings: &[CString]) -> Vec<*mut c_char> {
    strings
        .iter()
        .map(|s| s.as_ptr() as *mut c_char)
        .chain([ptr::null_mut()])
        .collect()
}

/// The C library's functions return a positive errno value.
fn posix(rc: c_int) -> io::Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(rc))
    }
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [-1 as c_int; 2];
    // SAFETY: fds has room for the two descriptors.
    if unsafe { pipe2(fds.as_mut_ptr(), O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 made them; only we own them.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// An initialised `posix_spawn_file_actions_t`, destroyed on drop.
struct FileActions(sys::posix_spawn_file_actions_t);

impl FileActions {
    fn new() -> io::Result<FileActions> {
        let mut raw = MaybeUninit::<sys::posix_spawn_file_actions_t>::uninit();
        // SAFETY: init fills the storage; the object holds no pointer to
        // itself, so it may move afterwards.
        posix(unsafe { sys::posix_spawn_file_actions_init(raw.as_mut_ptr()) })?;
        // SAFETY: initialised just above.
        Ok(FileActions(unsafe { raw.assume_init() }))
    }

    /// Connects the child's descriptor `target` as `cfg` (or `default` when
    /// not set) says. Returns the caller's end of a new pipe, and the
    /// child's end, which must stay open until the spawn call returns.
    fn stdio(
        &mut self,
        target: c_int,
        cfg: Option<&Stdio>,
        default: &StdioKind,
    ) -> io::Result<(Option<File>, Option<OwnedFd>)> {
        match cfg.map_or(default, |s| &s.0) {
            StdioKind::Inherit => Ok((None, None)),
            StdioKind::Null => {
                let flags = if target == 0 { O_RDONLY } else { O_WRONLY };
                // SAFETY: self.0 is initialised; the path is a C string literal.
                posix(unsafe {
                    sys::posix_spawn_file_actions_addopen(
                        &mut self.0,
                        target,
                        b"/dev/null\0".as_ptr().cast(),
                        flags,
                        0,
                    )
                })?;
                Ok((None, None))
            }
            StdioKind::Piped => {
                let (read, write) = pipe()?;
                let (ours, theirs) = if target == 0 {
                    (write, read)
                } else {
                    (read, write)
                };
                self.dup2(theirs.as_raw_fd(), target)?;
                Ok((Some(File::from(ours)), Some(theirs)))
            }
            StdioKind::Fd(fd) => {
                self.dup2(fd.as_raw_fd(), target)?;
                Ok((None, None))
            }
        }
    }

    fn dup2(&mut self, fd: RawFd, target: c_int) -> io::Result<()> {
        // SAFETY: self.0 is initialised.
        posix(unsafe { sys::posix_spawn_file_actions_adddup2(&mut self.0, fd, target) })
    }
}

impl Drop for FileActions {
    fn drop(&mut self) {
        // SAFETY: initialised in new(), destroyed once.
        unsafe { sys::posix_spawn_file_actions_destroy(&mut self.0) };
    }
}

/// An initialised `posix_spawnattr_t`, destroyed on drop.
struct SpawnAttr(sys::posix_spawnattr_t);

impl SpawnAttr {
    fn new(pgroup: Option<i32>, blocked: &[c_int]) -> io::Result<SpawnAttr> {
        let mut raw = MaybeUninit::<sys::posix_spawnattr_t>::uninit();
        // SAFETY: init fills the storage, which holds no pointer to itself.
        posix(unsafe { sys::posix_spawnattr_init(raw.as_mut_ptr()) })?;
        // SAFETY: initialised just above; dropped (destroyed) on error below.
        let mut attr = SpawnAttr(unsafe { raw.assume_init() });
        let mask = sigset(blocked)?;
        let default = sigset(&[SIGPIPE])?;
        let mut flags = sys::POSIX_SPAWN_SETSIGMASK | sys::POSIX_SPAWN_SETSIGDEF;
        // SAFETY: attr.0 is initialised; the sets are initialised sigset_t.
        unsafe {
            posix(sys::posix_spawnattr_setsigmask(&mut attr.0, &mask))?;
            posix(sys::posix_spawnattr_setsigdefault(&mut attr.0, &default))?;
            if let Some(pgid) = pgroup {
                posix(sys::posix_spawnattr_setpgroup(&mut attr.0, pgid))?;
                flags |= sys::POSIX_SPAWN_SETPGROUP;
            }
            posix(sys::posix_spawnattr_setflags(&mut attr.0, flags))?;
        }
        Ok(attr)
    }
}

impl Drop for SpawnAttr {
    fn drop(&mut self) {
        // SAFETY: initialised in new(), destroyed once.
        unsafe { sys::posix_spawnattr_destroy(&mut self.0) };
    }
}

fn sigset(signals: &[c_int]) -> io::Result<sys::sigset_t> {
    let mut set = MaybeUninit::<sys::sigset_t>::uninit();
    // SAFETY: sigemptyset initialises the set; sigaddset only writes into it.
    unsafe {
        if sys::sigemptyset(set.as_mut_ptr()) < 0 {
            return Err(io::Error::last_os_error());
        }
        for &sig in signals {
            if sys::sigaddset(set.as_mut_ptr(), sig) < 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(set.assume_init())
    }
}

/// A process started by [`Command::spawn`], [`spawn`] or [`spawn_named`].
/// As with [`std::process::Child`], the caller reaps it ([`Child::wait`]);
/// dropping it without waiting leaves a zombie until this process ends.
#[derive(Debug)]
pub struct Child {
    pid: sys::pid_t,
    status: Option<ExitStatus>,
    /// The caller's end of the child's stdin, when it was [`Stdio::piped`].
    pub stdin: Option<File>,
    /// The caller's end of the child's stdout, when it was [`Stdio::piped`].
    pub stdout: Option<File>,
    /// The caller's end of the child's stderr, when it was [`Stdio::piped`].
    pub stderr: Option<File>,
}

impl Child {
    /// The child's process id.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let mut child = libnetns::spawn(&ns, "sleep", ["0"])?;
    /// assert!(child.id() > 0);
    /// child.wait()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn id(&self) -> u32 {
        self.pid as u32
    }

    /// Waits for the child to end (closing its stdin first) and reaps it.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let status = libnetns::spawn(&ns, "sh", ["-c", "exit 3"])?.wait()?;
    /// assert_eq!(status.code(), Some(3));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        loop {
            if let Some(status) = self.reap(0)? {
                return Ok(status);
            }
        }
    }

    /// The exit status if the child has ended (reaping it), else `None`.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let mut child = libnetns::spawn(&ns, "sleep", ["10"])?;
    /// assert!(child.try_wait()?.is_none());
    /// child.kill()?;
    /// child.wait()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.reap(WNOHANG)
    }

    /// Sends `SIGKILL` to the child, unless it has been reaped already.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// use std::os::unix::process::ExitStatusExt;
    /// let ns = libnetns::create(None)?;
    /// let mut child = libnetns::spawn(&ns, "sleep", ["10"])?;
    /// child.kill()?;
    /// assert_eq!(child.wait()?.signal(), Some(9));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn kill(&mut self) -> io::Result<()> {
        if self.status.is_some() {
            return Ok(());
        }
        // SAFETY: plain integers; the pid is ours until reaped.
        if unsafe { kill(self.pid, SIGKILL) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Reads the child's piped stdout and stderr to their end, then waits.
    ///
    /// ```
    /// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
    /// let ns = libnetns::create(None)?;
    /// let child = libnetns::Command::new("echo")
    ///     .arg("done")
    ///     .stdout(libnetns::Stdio::piped())
    ///     .spawn(&ns)?;
    /// let out = child.wait_with_output()?;
    /// assert_eq!(out.stdout, b"done\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn wait_with_output(mut self) -> io::Result<Output> {
        drop(self.stdin.take());
        fn read_all(file: Option<File>) -> io::Result<Vec<u8>> {
            let mut buf = Vec::new();
            if let Some(mut file) = file {
                file.read_to_end(&mut buf)?;
            }
            Ok(buf)
        }
        let stderr = self.stderr.take();
        // Both at once, so that a child filling one pipe cannot block.
        let reader = std::thread::spawn(move || read_all(stderr));
        let stdout = read_all(self.stdout.take());
        let stderr = reader
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let status = self.wait()?;
        Ok(Output {
            status,
            stdout: stdout?,
            stderr: stderr?,
        })
    }

    fn reap(&mut self, options: c_int) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.status {
            return Ok(Some(status));
        }
        let mut raw: c_int = 0;
        // SAFETY: raw is writable; the pid is our child.
        match unsafe { waitpid(self.pid, &mut raw, options) } {
            0 => Ok(None),
            n if n < 0 => {
                let err = io::Error::last_os_error();
                if err.kind() == io::ErrorKind::Interrupted {
                    Ok(None)
                } else {
                    Err(err)
                }
            }
            _ => {
                let status = ExitStatus::from_raw(raw);
                self.status = Some(status);
                Ok(Some(status))
            }
        }
    }
}

/// Starts `program` with `args` (not counting `argv[0]`, which is
/// `program`) and the caller's environment and standard streams, in `ns`:
/// `Command::new(program).args(args).spawn(ns)`. The calling thread does
/// not move.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(None)?;
/// let status = libnetns::spawn(&ns, "ip", ["link", "set", "lo", "up"])?.wait()?;
/// assert!(status.success());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn spawn<I, S>(ns: impl AsFd, program: impl AsRef<OsStr>, args: I) -> io::Result<Child>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(program).args(args).spawn(ns)
}

/// Since 0.5: `Command::new(program).args(args).exec_named(name)`: the
/// process becomes `program` in the named namespace, as
/// `exec ip netns exec NAME program args...` would make it; returns only
/// the error of a failed call (the thread back where it was).
///
/// ```no_run
/// let err = libnetns::exec_named("blue", "ip", ["addr"]); // returns only on failure
/// eprintln!("ip netns exec blue ip addr: {err}");
/// std::process::exit(1);
/// ```
pub fn exec_named<I, S>(name: impl AsRef<OsStr>, program: impl AsRef<OsStr>, args: I) -> io::Error
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(program).args(args).exec_named(name)
}

/// `Command::new(program).args(args).spawn_named(name)`: as `ip netns exec
/// NAME program args...`. The calling thread does not move.
///
/// ```
/// # if std::env::var_os("NETNS_TEST_IN_SANDBOX").is_none() { return Ok(()); }
/// let ns = libnetns::create(Some("doc-spawn-named"))?;
/// let status = libnetns::spawn_named("doc-spawn-named", "ip", ["link", "show"])?.wait()?;
/// assert!(status.success());
/// libnetns::delete_named("doc-spawn-named")?;
/// # drop(ns);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn spawn_named<I, S>(
    name: impl AsRef<OsStr>,
    program: impl AsRef<OsStr>,
    args: I,
) -> io::Result<Child>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(program).args(args).spawn_named(name)
}
