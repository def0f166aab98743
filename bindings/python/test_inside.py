# SPDX-License-Identifier: Apache-2.0
"""Running inside a namespace: run, run_isolated (also from asyncio), socket,
spawn, Popen, enter_named and exec_named.

Shared set-up and helpers: netns_test_support.py (importing it enters the
privileged-test sandbox)."""

import errno
import fcntl
import gc
import itertools
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import traceback
import unittest

from netns_test_support import (  # noqa: F401 - setUpModule runs per module
    HERE, IN_SANDBOX, PKG_PATH, SIOCGSKNS, AssertErrno, baseline_thread_count, bring_lo_up,
    CallerStays, in_thread, NamedCleanup, ns_id, open_fds, privileged, run_dir, searchable_path,
    settled_thread_count, setUpModule, thread_ns, unique_name, wait_exit_code, restore_env_later,
)

import libnetns  # after netns_test_support: it settles NETNS_LIBRARY


class TestRun(unittest.TestCase, AssertErrno):
    RUNNERS = (libnetns.run, libnetns.run_isolated)

    @privileged
    def test_run_returns_value_inside(self):
        def body():
            tid = threading.get_native_id()
            marker = object()
            with libnetns.create() as h, CallerStays(self):
                def fn(a, b, *, ns=None, fn=None):
                    return {"where": thread_ns(), "tid": threading.get_native_id(),
                            "args": (a, b), "kw": (ns, fn), "marker": marker}
                got = libnetns.run(h, fn, 1, "two", ns="n", fn="f")
                self.assertEqual(got["where"], ns_id(h))
                self.assertEqual(got["tid"], tid)  # the caller's own thread
                self.assertEqual(got["args"], (1, "two"))
                self.assertEqual(got["kw"], ("n", "f"))  # fn's keywords, not run's
                self.assertIs(got["marker"], marker)
                self.assertIsNone(libnetns.run(h, lambda: None))
                self.assertEqual(libnetns.run(h.fileno(), thread_ns), ns_id(h))
        in_thread(body)

    @privileged
    def test_run_isolated_returns_value_inside(self):
        tid = threading.get_native_id()
        active = threading.active_count()
        tasks = baseline_thread_count()
        with libnetns.create() as h, CallerStays(self):
            def fn(a, *, b):
                threading.current_thread()  # registers a _DummyThread
                return thread_ns(), threading.get_native_id(), a + b
            where, fn_tid, total = libnetns.run_isolated(h, fn, 40, b=2)
            self.assertEqual(where, ns_id(h))
            self.assertNotEqual(fn_tid, tid)  # a thread of its own
            self.assertEqual(total, 42)
            # fn may move or replace its thread's namespace: nothing outlives it
            libnetns.run_isolated(h, lambda: libnetns.new().close())
            libnetns.run_isolated(h, libnetns.set_, libnetns.get())
            self.assertEqual(libnetns.run_isolated(h, thread_ns), ns_id(h))
        self.assertEqual(settled_thread_count(tasks), tasks)
        self.assertEqual(threading.active_count(), active)

    @privileged
    def test_exceptions_reach_the_caller(self):
        class Boom(Exception):
            pass

        def raise_new(exc_type):
            raise exc_type()

        def body():
            with libnetns.create() as h, CallerStays(self):
                for runner in self.RUNNERS:
                    with self.subTest(runner=runner.__name__):
                        err = Boom("inside")

                        def fail():
                            raise err
                        try:
                            runner(h, fail)
                        except Boom as e:
                            self.assertIs(e, err)
                            codes = [f.f_code for f, _ in traceback.walk_tb(e.__traceback__)]
                            self.assertIn(fail.__code__, codes)  # fn's frame is there
                        else:
                            self.fail("no exception")
                        # BaseExceptions too: fn ran as if called directly
                        for exc_type in (KeyboardInterrupt, SystemExit):
                            with self.assertRaises(exc_type):
                                runner(h, raise_new, exc_type)
        in_thread(body)

    @privileged
    def test_errors_do_not_run_fn(self):
        def body():
            ran = []
            closed = libnetns.get()
            closed.close()
            r, w = os.pipe()
            try:
                with CallerStays(self), open("/proc/self/ns/uts", "rb", buffering=0) as uts:
                    for runner in self.RUNNERS:
                        with self.subTest(runner=runner.__name__):
                            for ns, code in ((closed, errno.EBADF), (-1, errno.EBADF),
                                             (w + 1000, errno.EBADF), (r, errno.EINVAL),
                                             (uts, errno.EINVAL)):
                                self.assertErrno(code, runner, ns, ran.append, 1)
                            with self.assertRaises(TypeError):
                                runner(libnetns.get(), "not callable")
                            with self.assertRaises(TypeError):
                                runner(libnetns.get())  # no fn at all
                self.assertEqual(ran, [])
            finally:
                os.close(r)
                os.close(w)
        in_thread(body)

    @privileged
    def test_nested_three_deep(self):
        def body():
            spaces = [libnetns.create() for _ in range(3)]
            try:
                with CallerStays(self):
                    ids = [ns_id(h) for h in spaces]
                    for runners in itertools.product(self.RUNNERS, repeat=3):
                        def level(depth):
                            here = thread_ns()
                            self.assertEqual(here, ids[depth])
                            if depth + 1 < 3:
                                below = runners[depth + 1](spaces[depth + 1], level, depth + 1)
                            else:
                                below = []
                            self.assertEqual(thread_ns(), here)  # back after the inner call
                            return [depth] + below
                        with self.subTest(runners=[r.__name__ for r in runners]):
                            self.assertEqual(runners[0](spaces[0], level, 0), [0, 1, 2])
            finally:
                for h in spaces:
                    h.close()
        in_thread(body)

    @privileged
    def test_run_goes_back_after_fn_moved(self):
        def body():
            with libnetns.create() as h, libnetns.create() as other, CallerStays(self):
                def move():
                    libnetns.set_(other)
                    return thread_ns()
                self.assertEqual(libnetns.run(h, move), ns_id(other))
        in_thread(body)

    @privileged
    def test_run_isolated_concurrent(self):
        """8 threads x 25 calls over 4 namespaces: each fn is where it should
        be, no caller moves, no thread is left (OS or threading)."""
        active = threading.active_count()
        tasks = baseline_thread_count()
        spaces = [libnetns.create() for _ in range(4)]
        self.addCleanup(lambda: [h.close() for h in spaces])
        ids = [ns_id(h) for h in spaces]
        failures = []

        def worker(k):
            before = thread_ns()
            for i in range(25):
                j = (k + i) % len(spaces)
                got = libnetns.run_isolated(spaces[j], lambda: (thread_ns(),
                                                                threading.current_thread().name))
                if got[0] != ids[j]:
                    failures.append((k, i, "wrong namespace"))
            if thread_ns() != before:
                failures.append((k, "caller moved"))

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        self.assertEqual(settled_thread_count(tasks), tasks)
        self.assertEqual(threading.active_count(), active)

    @privileged
    def test_switch_back_failure(self):
        """A process whose capabilities are only in a child user namespace may
        enter a namespace of that user namespace but not come back to its own:
        run() raises ENOTRECOVERABLE (chained to fn's exception);
        run_isolated() cannot end that way."""
        script = textwrap.dedent("""
            import ctypes, errno, json, sys, threading
            import libnetns
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(libnetns.CLONE_NEWUSER) != 0:  # still single-threaded
                print(json.dumps({"skip": errno.errorcode[ctypes.get_errno()]}))
                sys.exit(0)
            out = {}
            h = libnetns.create()  # owned by the new user namespace
            out["isolated"] = libnetns.run_isolated(h, lambda: 7)
            def returns():  # on a thread of its own: it stays in h
                try:
                    out["value"] = libnetns.run(h, lambda: 7)
                except OSError as e:
                    out["errno"] = e.errno
            t = threading.Thread(target=returns)
            t.start()
            t.join()
            try:
                libnetns.run(h, lambda: {}["missing"])
            except OSError as e:
                out["errno2"] = e.errno
                out["context"] = type(e.__context__).__name__
            print(json.dumps(out))
        """)
        env = dict(os.environ)
        env["PYTHONPATH"] = PKG_PATH + os.pathsep + env.get("PYTHONPATH", "")
        out = subprocess.run([sys.executable, "-c", script], env=env,
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        got = json.loads(out.stdout)
        if "skip" in got:
            self.skipTest(f"unshare(CLONE_NEWUSER): {got['skip']}")
        self.assertEqual(got, {"isolated": 7, "errno": errno.ENOTRECOVERABLE,
                               "errno2": errno.ENOTRECOVERABLE, "context": "KeyError"})


class TestSocket(unittest.TestCase, AssertErrno):
    @privileged
    def test_socket_is_inside(self):
        def body():
            with libnetns.create() as h, CallerStays(self):
                with libnetns.socket(h) as s:
                    self.assertIsInstance(s, socket.socket)
                    self.assertEqual((s.family, s.type), (socket.AF_INET, socket.SOCK_STREAM))
                    self.assertFalse(s.get_inheritable())
                    with libnetns.Handle(fcntl.ioctl(s.fileno(), SIOCGSKNS)) as where:
                        self.assertEqual(where, h)
                with libnetns.socket(h, socket.AF_INET6, socket.SOCK_DGRAM) as s:
                    self.assertEqual((s.family, s.type), (socket.AF_INET6, socket.SOCK_DGRAM))
                    with libnetns.Handle(fcntl.ioctl(s.fileno(), SIOCGSKNS)) as where:
                        self.assertEqual(where, h)
                with libnetns.socket(h, socket.AF_INET,
                                     socket.SOCK_DGRAM | socket.SOCK_NONBLOCK) as s:
                    self.assertFalse(s.getblocking())
                    self.assertEqual(s.type, socket.SOCK_DGRAM)
        in_thread(body)

    @privileged
    def test_socket_loopback(self):
        """UDP over the namespace's own lo; a TCP listener there is reachable
        from the namespace and not from the caller's."""
        def body():
            with libnetns.create() as h, CallerStays(self):
                with libnetns.socket(h, socket.AF_INET, socket.SOCK_DGRAM) as ctl:
                    bring_lo_up(ctl)
                with libnetns.socket(h, socket.AF_INET, socket.SOCK_DGRAM) as a, \
                        libnetns.socket(h, socket.AF_INET, socket.SOCK_DGRAM) as b:
                    a.bind(("127.0.0.1", 0))
                    b.bind(("127.0.0.1", 0))
                    a.settimeout(10)
                    b.sendto(b"ping", a.getsockname())
                    self.assertEqual(a.recvfrom(16), (b"ping", b.getsockname()))
                with libnetns.socket(h) as listener:
                    listener.bind(("127.0.0.1", 0))
                    listener.listen(1)
                    port = listener.getsockname()[1]
                    with libnetns.socket(h) as inside:
                        inside.settimeout(10)
                        inside.connect(("127.0.0.1", port))
                    with socket.socket() as outside:  # the caller's namespace
                        outside.settimeout(10)
                        with self.assertRaises(OSError):
                            outside.connect(("127.0.0.1", port))
        in_thread(body)

    @privileged
    def test_socket_errors(self):
        def body():
            closed = libnetns.get()
            closed.close()
            r, w = os.pipe()
            try:
                with libnetns.create() as h, CallerStays(self):
                    before = open_fds()
                    self.assertErrno(errno.EBADF, libnetns.socket, closed)
                    self.assertErrno(errno.EBADF, libnetns.socket, w + 1000)
                    self.assertErrno(errno.EINVAL, libnetns.socket, r)
                    self.assertErrno(errno.EAFNOSUPPORT, libnetns.socket, h, 12345)
                    self.assertErrno(errno.EINVAL, libnetns.socket, h, socket.AF_INET, 12345)
                    self.assertErrno(errno.EPROTONOSUPPORT, libnetns.socket, h,
                                     socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_TCP)
                    self.assertEqual(open_fds(), before)
            finally:
                os.close(r)
                os.close(w)
        in_thread(body)


class TestSpawn(unittest.TestCase, AssertErrno):
    def setUp(self):
        self.named = NamedCleanup(self)
        self.ns = libnetns.create() if IN_SANDBOX else libnetns.Handle()
        self.addCleanup(self.ns.close)

    def output(self, spawn, *args, **kwargs):
        """Run a spawn function with stdout to a pipe; its output and exit code."""
        r, w = os.pipe()
        try:
            pid = spawn(*args, stdout=w, **kwargs)
        except BaseException:
            os.close(r)
            raise
        finally:
            os.close(w)
        with os.fdopen(r, "rb") as f:
            out = f.read()
        return out.decode(), wait_exit_code(pid)

    def start_cat(self, spawn, *args, **kwargs):
        """A `cat` that runs until the returned write end is closed."""
        r, w = os.pipe()
        try:
            pid = spawn(*args, ["cat"], stdin=r, stdout=subprocess.DEVNULL, **kwargs)
        except BaseException:
            os.close(w)
            raise
        finally:
            os.close(r)
        return pid, w

    @privileged
    def test_child_is_in_the_namespace(self):
        with CallerStays(self):
            pid, w = self.start_cat(libnetns.spawn, self.ns)
        try:
            with libnetns.get_from_pid(pid) as theirs:
                self.assertEqual(theirs, self.ns)
            st = os.stat(f"/proc/{pid}/ns/net")
            self.assertEqual((st.st_dev, st.st_ino), ns_id(self.ns))
        finally:
            os.close(w)  # cat sees EOF and ends
            self.assertEqual(wait_exit_code(pid), 0)

    @privileged
    def test_stdout_through_a_pipe(self):
        with CallerStays(self):
            out, code = self.output(libnetns.spawn, self.ns, ["readlink", "/proc/self/ns/net"])
        self.assertEqual((out, code), (f"net:[{ns_id(self.ns)[1]}]\n", 0))
        out, code = self.output(libnetns.spawn, self.ns,
                                ["sh", "-c", "echo out; echo err >&2; exit 3"],
                                stderr=subprocess.STDOUT)
        self.assertEqual((out, code), ("out\nerr\n", 3))

    @privileged
    def test_argv_env_and_path(self):
        script = 'echo "$0|$1|${NETNS_PY_TEST-unset}"'
        out, _ = self.output(libnetns.spawn, self.ns, ["sh", "-c", script, "zero", "one"],
                             env={"NETNS_PY_TEST": "yes", b"PATH": os.defpath})
        self.assertEqual(out, "zero|one|yes\n")
        out, _ = self.output(libnetns.spawn, self.ns, ["sh", "-c", script], env={})
        self.assertEqual(out, "sh||unset\n")
        os.environ["NETNS_PY_TEST"] = "inherited"  # env=None: the caller's environment
        self.addCleanup(os.environ.pop, "NETNS_PY_TEST", None)
        out, _ = self.output(libnetns.spawn, self.ns, [b"sh", "-c", script])
        self.assertEqual(out, "sh||inherited\n")
        # path: the file to run, as is; argv[0] is only the program's name
        sh = shutil.which("sh")
        out, _ = self.output(libnetns.spawn, self.ns, ["any-name", "-c", script],
                             path=pathlib.Path(sh))
        self.assertEqual(out, "any-name||inherited\n")

    @privileged
    def test_missing_or_unrunnable_program(self):
        searchable_path(self)
        before = open_fds()
        with CallerStays(self):
            missing = unique_name("no-such-program")
            self.assertErrno(errno.ENOENT, libnetns.spawn, self.ns, [missing],
                             exc=FileNotFoundError)
            self.assertErrno(errno.ENOENT, libnetns.spawn, self.ns, ["x"],
                             exc=FileNotFoundError, path=f"/nonexistent/{missing}")
            with tempfile.NamedTemporaryFile(dir=os.environ.get("TMPDIR")) as f:
                os.chmod(f.name, 0o644)  # not executable, even by root
                self.assertErrno(errno.EACCES, libnetns.spawn, self.ns, ["x"],
                                 exc=PermissionError, path=f.name)
        self.assertEqual(open_fds(), before)
        with self.assertRaises(ChildProcessError):  # no child was left to reap
            os.waitpid(-1, os.WNOHANG)

    @privileged
    def test_spawn_errors(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        closed = libnetns.get()
        closed.close()
        before = open_fds()
        self.assertErrno(errno.EBADF, libnetns.spawn, closed, ["true"])
        self.assertErrno(errno.EINVAL, libnetns.spawn, r, ["true"])
        self.assertErrno(errno.EBADF, libnetns.spawn, self.ns, ["true"], stdout=w + 1000)
        self.assertErrno(errno.EBADF, libnetns.spawn, self.ns, ["true"],
                         file_actions=[(os.POSIX_SPAWN_DUP2, w + 1000, 1)])
        with self.assertRaises(ValueError):
            libnetns.spawn(self.ns, [])
        with self.assertRaises(TypeError):
            libnetns.spawn(self.ns, "true")
        with self.assertRaises(ValueError):
            libnetns.spawn(self.ns, ["echo", "a\0b"])
        with self.assertRaises(ValueError):
            libnetns.spawn(self.ns, ["true"], env={"A=B": "c"})
        with self.assertRaises(ValueError):
            libnetns.spawn(self.ns, ["true"], stdout=subprocess.PIPE)
        with self.assertRaises(ValueError):
            libnetns.spawn(self.ns, ["true"], setsigmask=[100000])
        with self.assertRaises(TypeError):
            libnetns.spawn(self.ns, ["true"], file_actions=[(99, 1)])
        self.assertEqual(open_fds(), before)

    @privileged
    def test_file_actions_and_attributes(self):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        target = os.path.join(d.name, "out")
        code = self.output(libnetns.spawn, self.ns, ["echo", "to a file"], file_actions=[
            (os.POSIX_SPAWN_OPEN, 1, target, os.O_WRONLY | os.O_CREAT, 0o600)])[1]
        self.assertEqual(code, 0)
        with open(target) as f:
            self.assertEqual(f.read(), "to a file\n")
        out, code = self.output(libnetns.spawn, self.ns,
                                ["sh", "-c", "{ echo x >&5; } 2>/dev/null || echo closed"],
                                file_actions=[(os.POSIX_SPAWN_DUP2, 1, 5),
                                              (os.POSIX_SPAWN_CLOSE, 5)])
        self.assertEqual(out, "closed\n")

        pid, w = self.start_cat(libnetns.spawn, self.ns, setpgroup=0,
                                setsigmask=[signal.SIGUSR1], setsigdef=[signal.SIGUSR2])
        try:
            self.assertEqual(os.getpgid(pid), pid)
            with open(f"/proc/{pid}/status") as f:
                blocked = int(re.search(r"^SigBlk:\s*([0-9a-f]+)$", f.read(), re.M)[1], 16)
            self.assertEqual(blocked, 1 << (signal.SIGUSR1 - 1))
        finally:
            os.close(w)
            self.assertEqual(wait_exit_code(pid), 0)
        pid, w = self.start_cat(libnetns.spawn, self.ns, setsid=True, resetids=True)
        try:
            self.assertEqual(os.getsid(pid), pid)
        finally:
            os.close(w)
            self.assertEqual(wait_exit_code(pid), 0)

    @privileged
    def test_no_leaks(self):
        searchable_path(self)
        before = open_fds()
        for _ in range(20):
            pid = libnetns.spawn(self.ns, ["true"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.STDOUT)
            self.assertEqual(wait_exit_code(pid), 0)
            with self.assertRaises(FileNotFoundError):
                libnetns.spawn(self.ns, [unique_name("missing")])
        self.assertEqual(open_fds(), before)

    @privileged
    def test_socket_reachable_from_spawned_child(self):
        with libnetns.socket(self.ns, socket.AF_INET, socket.SOCK_DGRAM) as ctl:
            bring_lo_up(ctl)
        with libnetns.socket(self.ns) as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            listener.settimeout(30)
            client = ("import socket, sys; "
                      "socket.create_connection(('127.0.0.1', int(sys.argv[1])), 10)"
                      ".sendall(b'hello from the child')")
            pid = libnetns.spawn(self.ns, [sys.executable, "-c", client,
                                           str(listener.getsockname()[1])])
            try:
                conn, _ = listener.accept()
                with conn:
                    conn.settimeout(30)
                    self.assertEqual(conn.recv(64), b"hello from the child")
            finally:
                self.assertEqual(wait_exit_code(pid), 0)

    @privileged
    def test_spawn_named(self):
        searchable_path(self)
        name = self.named.add(unique_name("exec"))
        libnetns.create(name).close()
        with libnetns.get_from_name(name) as h:
            ino = ns_id(h)[1]
        with open("/proc/self/mountinfo") as f:
            mounts = f.read()
        with CallerStays(self):
            out, code = self.output(libnetns.spawn_named, name, [
                "sh", "-c", "readlink /proc/self/ns/net; ls /sys/class/net"])
        self.assertEqual((out, code), (f"net:[{ino}]\nlo\n", 0))
        out, code = self.output(libnetns.spawn_named, name, ["any-name", "-c", "echo $0"],
                                path=shutil.which("sh"))
        self.assertEqual((out, code), ("any-name\n", 0))
        with open("/proc/self/mountinfo") as f:
            self.assertEqual(f.read(), mounts)  # the caller's mounts are unchanged

        self.assertErrno(errno.ENOENT, libnetns.spawn_named, unique_name("missing"), ["true"],
                         exc=FileNotFoundError)
        self.assertErrno(errno.ENOENT, libnetns.spawn_named, name, [unique_name("missing")],
                         exc=FileNotFoundError)
        for bad in ("", "..", "a/b"):
            self.assertErrno(errno.EINVAL, libnetns.spawn_named, bad, ["true"])
        with self.assertRaises(ValueError):
            libnetns.spawn_named("a\0b", ["true"])


def thread_place():
    """The calling thread's network and mount namespaces and cwd."""
    return (os.stat("/proc/thread-self/ns/net").st_ino,
            os.stat("/proc/thread-self/ns/mnt").st_ino, os.getcwd())


class TestInPlace(unittest.TestCase, AssertErrno):
    """Since 0.5: check_name, run_dir, enter_named, exec_named."""

    def setUp(self):
        self.named = NamedCleanup(self)

    def test_check_name(self):
        for ok in ("a", "-all", "...", ".x", "a b", b"bad\xffname", "n" * 255,
                   pathlib.PurePath("p")):
            self.assertIsNone(libnetns.check_name(ok), ok)
        for bad in ("", ".", "..", "a/b", "/", "n" * 256, "a\0b", b""):
            e = self.assertErrno(errno.EINVAL, libnetns.check_name, bad)
            self.assertEqual(e.filename, bad)

    def test_run_dir(self):
        restore_env_later(self, "NETNS_RUN_DIR")
        for value, want in (("/some/where", "/some/where"), ("/x" * 100, "/x" * 100)):
            os.environ["NETNS_RUN_DIR"] = value
            self.assertEqual(libnetns.run_dir(), want)
        os.environ.pop("NETNS_RUN_DIR")
        self.assertIn(libnetns.run_dir(), ("/run/netns", "/var/run/netns"))
        if IN_SANDBOX:  # the sandbox has a /run
            self.assertEqual(libnetns.run_dir(), "/run/netns")

    @privileged
    def test_enter_named_moves_the_thread(self):
        name = self.named.add(unique_name("enter"))
        with libnetns.create(name) as h:
            want = ns_id(h)[1]
        before = thread_place()

        def enter():
            start = thread_place()
            libnetns.enter_named(name)
            return start, thread_place(), sorted(os.listdir("/sys/class/net"))
        start, inside, links = in_thread(enter)
        self.assertEqual(inside[0], want)
        self.assertNotEqual(inside[1], start[1])  # a mount namespace of its own
        self.assertEqual(inside[2], start[2])
        self.assertEqual(links, ["lo"])
        self.assertEqual(thread_place(), before)

    @privileged
    def test_enter_named_errors(self):
        before = thread_place()
        missing = unique_name("missing")
        e = self.assertErrno(errno.ENOENT, libnetns.enter_named, missing, exc=FileNotFoundError)
        self.assertEqual(e.filename, missing)
        for bad in ("", ".", "..", "a/b", "n" * 256):
            self.assertErrno(errno.EINVAL, libnetns.enter_named, bad)
        with self.assertRaises(ValueError):
            libnetns.enter_named("a\0b")
        with tempfile.TemporaryDirectory() as tmp:
            open(os.path.join(tmp, "stale"), "w").close()  # a killed add's entry
            old = os.environ.get("NETNS_RUN_DIR")
            os.environ["NETNS_RUN_DIR"] = tmp
            try:
                self.assertErrno(errno.EINVAL, libnetns.enter_named, "stale")
            finally:
                if old is None:
                    os.environ.pop("NETNS_RUN_DIR")
                else:
                    os.environ["NETNS_RUN_DIR"] = old
        self.assertEqual(thread_place(), before)

    def run_python(self, code, **env):
        """A fresh interpreter that imports libnetns and runs code."""
        full = dict(os.environ, PYTHONPATH=PKG_PATH, **env)
        return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True,
                              text=True, timeout=60)

    @privileged
    def test_exec_named(self):
        searchable_path(self)
        name = self.named.add(unique_name("exec"))
        with libnetns.create(name) as h:
            ino = ns_id(h)[1]
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, "no-shebang")
            with open(script, "w") as f:
                f.write('echo "$1|$V"; readlink /proc/self/ns/net; ls /sys/class/net\n')
            os.chmod(script, 0o755)
            # PATH search, no "#!", env; the command keeps the pid.
            r = self.run_python(
                "import os, sys, libnetns; print(os.getpid(), flush=True); "
                f"libnetns.exec_named({name!r}, 'no-shebang', ['x', 'one'], {{'V': 'given'}})",
                PATH=tmp + os.pathsep + os.environ["PATH"])
            self.assertEqual(r.returncode, 0, r.stderr)
            pid, rest = r.stdout.split("\n", 1)
            self.assertEqual(rest, f"one|given\nnet:[{ino}]\nlo\n")
            # env None: the caller's environment.
            r = self.run_python(
                f"import libnetns; libnetns.exec_named({name!r}, {script!r}, ['x', 'two'])", V="kept")
            self.assertEqual((r.returncode, r.stdout), (0, f"two|kept\nnet:[{ino}]\nlo\n"), r.stderr)
        # A failed exec returns (raises) with the thread back.
        before = thread_place()
        prog = unique_name("missing-program")
        e = self.assertErrno(errno.ENOENT, libnetns.exec_named, name, prog, [prog],
                             exc=FileNotFoundError)
        self.assertEqual((e.filename, e.filename2), (name, prog))
        self.assertErrno(errno.EACCES, libnetns.exec_named, name, "/", ["x"], exc=PermissionError)
        self.assertErrno(errno.ENOENT, libnetns.exec_named, unique_name("missing"), "true", ["true"],
                         exc=FileNotFoundError)
        self.assertErrno(errno.EINVAL, libnetns.exec_named, "a/b", "true", ["true"])
        with self.assertRaises(ValueError):
            libnetns.exec_named(name, "true", [])
        self.assertEqual(thread_place(), before)


class TestPopen(unittest.TestCase, AssertErrno):
    def setUp(self):
        self.ns = libnetns.create() if IN_SANDBOX else libnetns.Handle()
        self.addCleanup(self.ns.close)

    @privileged
    def test_popen(self):
        with CallerStays(self):
            with libnetns.Popen(self.ns, ["readlink", "/proc/self/ns/net"],
                                stdout=subprocess.PIPE, text=True) as p:
                self.assertIsInstance(p, subprocess.Popen)
                out, _ = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(out, f"net:[{ns_id(self.ns)[1]}]\n")
        with libnetns.Popen(self.ns, ["cat"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE) as p:
            self.assertEqual(p.communicate(b"through", timeout=30), (b"through", None))
        p = libnetns.Popen(self.ns, ["sh", "-c", "exit 5"], -1)  # Popen's positional bufsize
        self.assertEqual(p.wait(timeout=30), 5)
        self.assertEqual(p.returncode, 5)

    @privileged
    def test_example_inside(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = PKG_PATH + os.pathsep + env.get("PYTHONPATH", "")
        out = subprocess.run([sys.executable, os.path.join(HERE, "example_inside.py")],
                             env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout, r"a function ran in NS\(\d+:\d+\)\n")
        self.assertRegex(out.stdout, r"\n *lo:")  # /proc/net/dev of the new namespace
        self.assertEqual(re.findall(r"^ *(\S+):", out.stdout, re.M), ["lo"])

    @privileged
    def test_popen_errors(self):
        closed = libnetns.get()
        closed.close()
        searchable_path(self)  # subprocess searches PATH as execvp(3) does
        unraisable = []
        old_hook = sys.unraisablehook
        sys.unraisablehook = unraisable.append
        self.addCleanup(setattr, sys, "unraisablehook", old_hook)
        before = open_fds()
        with CallerStays(self):
            self.assertErrno(errno.ENOENT, libnetns.Popen, self.ns, [unique_name("missing")],
                             exc=FileNotFoundError)
            self.assertErrno(errno.EBADF, libnetns.Popen, closed, ["true"])
        gc.collect()
        self.assertEqual(unraisable, [])  # no half-made Popen complains in __del__
        self.assertEqual(open_fds(), before)


class TestAsyncio(unittest.TestCase):
    def setUp(self):
        self.named = NamedCleanup(self)

    @privileged
    def test_run_isolated_through_to_thread(self):
        import asyncio

        async def main():
            with libnetns.create() as ns:
                ids = await asyncio.gather(*(
                    asyncio.to_thread(libnetns.run_isolated, ns, lambda: libnetns.get().unique_id())
                    for _ in range(4)))
                return ids, ns.unique_id()
        here = libnetns.get().unique_id()
        ids, inside = asyncio.run(main())
        self.assertEqual(ids, [inside] * 4)
        self.assertEqual(libnetns.get().unique_id(), here)

    @privileged
    def test_example_asyncio(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = PKG_PATH + os.pathsep + env.get("PYTHONPATH", "")
        env.pop("NETNS_RUN_DIR", None)  # its fixed name goes to the sandbox's /run/netns
        out = subprocess.run([sys.executable, os.path.join(HERE, "example_asyncio.py")],
                             env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout, r"^devices inside: (.* )?lo( .*)?\n")
        self.assertTrue(out.stdout.endswith("ADD aio-demo\nDEL aio-demo\n"), out.stdout)
        self.assertFalse(os.path.lexists("/run/netns/aio-demo"))


if __name__ == "__main__":
    unittest.main()
