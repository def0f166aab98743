# SPDX-License-Identifier: Apache-2.0
"""Tests of the Python package `libnetns`: `python3 -m unittest` in
bindings/python (as root or as a user: the module enters the privileged-test
sandbox itself, see netns_test_sandbox.py), or `meson test --suite python`,
which runs the same tests inside tests/support/sandbox-exec.

Everything that moves a thread runs in a worker thread of its own (see
in_thread), so the main thread's namespace is never disturbed, and named
namespaces are deleted in finally blocks.
"""

import errno
import fcntl
import gc
import itertools
import json
import os
import pathlib
import re
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
import unittest

import netns_test_sandbox

# Before anything starts a thread: the sandbox needs a single-threaded process.
SANDBOX_MISSING = netns_test_sandbox.enter()

import libnetns  # noqa: E402 - after NETNS_LIBRARY is settled

HERE = os.path.dirname(os.path.abspath(__file__))
#: Where the libnetns under test comes from, for the child interpreters.
PKG_PATH = os.path.dirname(os.path.dirname(os.path.abspath(libnetns.__file__)))
IN_SANDBOX = os.environ.get("NETNS_TEST_IN_SANDBOX") == "1"
_counter = itertools.count()


def in_user_namespace():
    """Whether this process runs in a user namespace other than the initial
    one (the sandbox's rootless mode)."""
    try:
        with open("/proc/self/uid_map") as f:
            return f.read().split() != ["0", "0", "4294967295"]
    except OSError:
        return False


def setUpModule():
    # Rootless, the sandbox is root of a user namespace that does not own
    # the host's network namespace, so nothing can setns() back into it
    # (EPERM): start from a namespace of our own. Done in the main thread
    # before any other thread exists, so every thread starts there.
    if IN_SANDBOX and in_user_namespace():
        libnetns.new().close()


def run_dir():
    """Where the library puts named namespaces: $NETNS_RUN_DIR when set (the
    suite may run with it pointing at a directory of someone else's
    entries), else /run/netns."""
    return os.environ.get("NETNS_RUN_DIR") or "/run/netns"


def unique_name(tag):
    return f"py-{tag}-{os.getpid()}-{next(_counter)}"


def privileged(test):
    """Skip outside the sandbox, unless NETNS_REQUIRE_SANDBOX=1 (set by the
    meson test) turns that into a failure."""
    if IN_SANDBOX:
        return test
    if os.environ.get("NETNS_REQUIRE_SANDBOX") == "1":
        def fail(self):
            self.fail("not inside the test sandbox (run through sandbox-exec)")
        return fail
    return unittest.skip(f"cannot enter the test sandbox here: {SANDBOX_MISSING}")(test)


def in_thread(fn, *args):
    """Run fn in a fresh OS thread and return its result, re-raising its
    exception. The thread's namespace dies with it."""
    box = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 - re-raised below
            box["error"] = e

    t = threading.Thread(target=run)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def open_fds():
    return sorted(int(n) for n in os.listdir("/proc/self/fd"))


class NamedCleanup:
    """Deletes named namespaces at the end of a test, even when it fails."""

    def __init__(self, case):
        self.names = []
        case.addCleanup(self.cleanup)

    def add(self, name):
        self.names.append(name)
        return name

    def cleanup(self):
        for name in self.names:
            try:
                libnetns.delete_named(name)
            except FileNotFoundError:
                pass


class AssertErrno:
    def assertErrno(self, code, fn, *args, exc=OSError, **kwargs):
        with self.assertRaises(exc) as cm:
            fn(*args, **kwargs)
        self.assertEqual(cm.exception.errno, code, cm.exception)
        self.assertEqual(cm.exception.strerror, os.strerror(code))
        return cm.exception


class TestBasics(unittest.TestCase, AssertErrno):
    def test_version(self):
        v = libnetns.version()
        self.assertRegex(v, r"^\d+\.\d+\.\d+$")
        self.assertEqual(v, "0.5.0")

    def test_constants(self):
        self.assertEqual(libnetns.NONE, -1)
        self.assertEqual(libnetns.CLONE_NEWNET, 0x40000000)
        self.assertEqual(libnetns.CLONE_NEWUTS, 0x04000000)
        self.assertEqual(libnetns.CLONE_NEWIPC, 0x08000000)
        self.assertEqual(libnetns.CLONE_NEWUSER, 0x10000000)
        self.assertEqual(libnetns.CLONE_NEWPID, 0x20000000)
        self.assertEqual(libnetns.CLONE_IO, 0x80000000)
        if hasattr(os, "CLONE_NEWNET"):
            self.assertEqual(libnetns.CLONE_NEWNET, os.CLONE_NEWNET)
            self.assertEqual(libnetns.CLONE_NEWUTS, os.CLONE_NEWUTS)

    def test_none(self):
        h = libnetns.Handle()
        self.assertFalse(h.is_open())
        self.assertFalse(h)
        self.assertEqual(str(h), "NS(none)")
        self.assertEqual(h.unique_id(), "NS(none)")
        self.assertEqual(repr(h), "<libnetns.Handle empty>")
        self.assertEqual(h, libnetns.Handle())
        self.assertEqual(hash(h), hash(libnetns.Handle()))
        with self.assertRaises(ValueError):
            h.fileno()
        h.close()  # closing none is a no-op
        self.assertEqual(libnetns.Handle(), h)

    def test_get(self):
        with libnetns.get() as h:
            self.assertTrue(h.is_open())
            self.assertTrue(h)
            fd = h.fileno()
            self.assertGreaterEqual(fd, 0)
            st = os.fstat(fd)
            self.assertRegex(str(h), rf"^NS\({fd}: {st.st_dev}, {st.st_ino}\)$")
            self.assertEqual(h.unique_id(), f"NS({st.st_dev}:{st.st_ino})")
            self.assertEqual(os.stat("/proc/thread-self/ns/net").st_ino, st.st_ino)
            self.assertIn(f"fd={fd}", repr(h))
            # O_CLOEXEC
            self.assertFalse(os.get_inheritable(fd))
        self.assertFalse(h.is_open())
        with self.assertRaises(ValueError):
            h.fileno()

    def test_equal_and_hash(self):
        with libnetns.get() as a, libnetns.get() as b:
            self.assertNotEqual(a.fileno(), b.fileno())
            self.assertEqual(a, b)
            self.assertEqual(hash(a), hash(b))
            self.assertEqual(len({a, b}), 1)
            self.assertNotEqual(a, libnetns.Handle())
            self.assertNotEqual(a, a.fileno())  # not a handle: NotImplemented
            self.assertFalse(a == "NS")

    def test_get_from_path(self):
        with libnetns.get() as here:
            for p in ("/proc/self/ns/net", b"/proc/thread-self/ns/net",
                      __import__("pathlib").Path("/proc/self/ns/net")):
                with libnetns.get_from_path(p) as h:
                    self.assertEqual(h, here)

    def test_get_from_path_errors(self):
        self.assertErrno(errno.EINVAL, libnetns.get_from_path, "")
        self.assertErrno(errno.ENOENT, libnetns.get_from_path, "/nonexistent/net",
                         exc=FileNotFoundError)
        self.assertErrno(errno.EINVAL, libnetns.get_from_path, "/proc/self/ns/uts")
        with tempfile.NamedTemporaryFile() as f:
            self.assertErrno(errno.EINVAL, libnetns.get_from_path, f.name)
            self.assertErrno(errno.ENOTDIR, libnetns.get_from_path, f.name + "/x")
        with self.assertRaises(ValueError):
            libnetns.get_from_path("/proc/self/ns/net\0x")
        with self.assertRaises(TypeError):
            libnetns.get_from_path(None)

    def test_get_from_pid(self):
        with libnetns.get() as here, libnetns.get_from_pid(os.getpid()) as h:
            self.assertEqual(h, here)
        if os.path.exists("/proc/1/ns/net"):
            try:
                libnetns.get_from_pid(1).close()
            except PermissionError:
                pass

    def test_get_from_pid_errors(self):
        self.assertErrno(errno.EINVAL, libnetns.get_from_pid, 0)
        self.assertErrno(errno.EINVAL, libnetns.get_from_pid, -1)
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()  # reaped: the pid is dead
        self.assertErrno(errno.ENOENT, libnetns.get_from_pid, child.pid,
                         exc=FileNotFoundError)

    def test_get_from_thread(self):
        pid = os.getpid()
        with libnetns.get() as here:
            with libnetns.get_from_thread(pid, threading.get_native_id()) as h:
                self.assertEqual(h, here)
            with libnetns.get_from_thread(pid, pid) as h:
                self.assertEqual(h, here)

    def test_get_from_thread_errors(self):
        pid = os.getpid()
        self.assertErrno(errno.EINVAL, libnetns.get_from_thread, pid, 0)
        self.assertErrno(errno.EINVAL, libnetns.get_from_thread, 0, pid)
        self.assertErrno(errno.EINVAL, libnetns.get_from_thread, pid, -3)
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()  # not a thread of ours (and dead)
        self.assertErrno(errno.ENOENT, libnetns.get_from_thread, pid, child.pid,
                         exc=FileNotFoundError)

    def test_get_from_name_errors(self):
        self.assertErrno(errno.ENOENT, libnetns.get_from_name, unique_name("missing"),
                         exc=FileNotFoundError)
        for bad in ("", ".", "..", "a/b", "/", "x" * 256):
            with self.subTest(name=bad):
                self.assertErrno(errno.EINVAL, libnetns.get_from_name, bad)
        with self.assertRaises(ValueError):
            libnetns.get_from_name("a\0b")

    def test_set_errors(self):
        self.assertErrno(errno.EBADF, libnetns.set_, libnetns.Handle())
        self.assertErrno(errno.EBADF, libnetns.set_, -1)
        self.assertErrno(errno.EBADF, libnetns.set_, -42)
        h = libnetns.get()
        h.close()
        self.assertErrno(errno.EBADF, libnetns.set_, h)
        self.assertErrno(errno.EBADF, libnetns.setns, h, libnetns.CLONE_NEWNET)
        r, w = os.pipe()
        try:
            self.assertErrno(errno.EINVAL, libnetns.set_, r)
            self.assertErrno(errno.EBADF, libnetns.set_, w + 1000)
        finally:
            os.close(r)
            os.close(w)
        with libnetns.get() as h:
            self.assertErrno(errno.EINVAL, libnetns.setns, h, libnetns.CLONE_NEWUTS)

    def test_close_and_release(self):
        h = libnetns.get()
        fd = h.fileno()
        h.close()
        with self.assertRaises(OSError) as cm:
            os.fstat(fd)
        self.assertEqual(cm.exception.errno, errno.EBADF)
        h.close()  # idempotent
        h = libnetns.get()
        fd = h.release()
        self.assertFalse(h.is_open())
        os.fstat(fd)  # still open: ours now
        with libnetns.Handle(fd) as h2:
            self.assertEqual(h2.fileno(), fd)
        self.assertRaises(OSError, os.fstat, fd)
        with self.assertRaises(TypeError):
            libnetns.Handle("3")

    def test_del_closes(self):
        h = libnetns.get()
        fd = h.fileno()
        del h
        gc.collect()
        with self.assertRaises(OSError) as cm:
            os.fstat(fd)
        self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_no_leaks_on_errors(self):
        missing = unique_name("missing")
        before = open_fds()
        for _ in range(50):
            for fn, arg in ((libnetns.get_from_name, missing),
                            (libnetns.get_from_path, "/proc/self/ns/uts"),
                            (libnetns.get_from_pid, 0)):
                with self.assertRaises(OSError):
                    fn(arg)
            libnetns.get().close()
        self.assertEqual(open_fds(), before)

    def test_example_in_doc(self):
        doc = os.path.join(HERE, "..", "..", "doc", "bindings.md")
        with open(doc) as f:
            text = f.read()
        for name in ("example.py", "example_inside.py", "example_asyncio.py"):
            with open(os.path.join(HERE, name)) as f:
                example = f.read()
            self.assertIn(example.strip(), text,
                          f"doc/bindings.md must quote bindings/python/{name} verbatim")


class TestPrivileged(unittest.TestCase, AssertErrno):
    def setUp(self):
        self.named = NamedCleanup(self)

    @privileged
    def test_new(self):
        def body():
            with libnetns.get() as origin:
                with libnetns.new() as h:
                    self.assertNotEqual(h, origin)
                    with libnetns.get() as now:
                        self.assertEqual(now, h)
                    with libnetns.new() as h2:
                        self.assertNotEqual(h2, h)
                    libnetns.set_(origin)
                    with libnetns.get() as now:
                        self.assertEqual(now, origin)
                    libnetns.set_(h)  # still alive: we hold a handle
                    with libnetns.get() as now:
                        self.assertEqual(now, h)
                        self.assertEqual(now.unique_id(), h.unique_id())
                    libnetns.setns(origin, libnetns.CLONE_NEWNET)
                    libnetns.setns(h, 0)
                    self.assertEqual(libnetns.get(), h)
                    libnetns.setns(origin.fileno())
                    self.assertEqual(libnetns.get(), origin)
        in_thread(body)

    @privileged
    def test_new_named(self):
        name = self.named.add(unique_name("named"))

        def create():
            with libnetns.get() as origin, libnetns.new_named(name) as h:
                self.assertNotEqual(h, origin)
                self.assertEqual(libnetns.get(), h)
                return h.unique_id()
        uid = in_thread(create)  # handle closed, thread gone: persists by name
        with libnetns.get_from_name(name) as h:
            self.assertEqual(h.unique_id(), uid)
            self.assertEqual(h, libnetns.get_from_path(os.path.join(run_dir(), name)))
            self.assertNotEqual(h, libnetns.get())
        self.assertEqual(libnetns.get_from_name(name.encode()).unique_id(), uid)

        self.assertErrno(errno.EEXIST, in_thread, libnetns.new_named, name,
                         exc=FileExistsError)
        libnetns.delete_named(name)
        self.assertErrno(errno.ENOENT, libnetns.get_from_name, name, exc=FileNotFoundError)
        self.assertErrno(errno.ENOENT, libnetns.delete_named, name, exc=FileNotFoundError)

    @privileged
    def test_new_named_failure_leaves_thread(self):
        name = self.named.add(unique_name("dup"))
        in_thread(lambda: libnetns.new_named(name).close())

        def dup():
            with libnetns.get() as before:
                with self.assertRaises(FileExistsError):
                    libnetns.new_named(name)
                self.assertEqual(libnetns.get(), before)
        in_thread(dup)

    @privileged
    def test_bad_names(self):
        for bad in ("", ".", "..", "a/b", "../x", "x" * 256):
            with self.subTest(name=bad):
                self.assertErrno(errno.EINVAL, in_thread, libnetns.new_named, bad)
                self.assertErrno(errno.EINVAL, libnetns.delete_named, bad)
                self.assertErrno(errno.EINVAL, libnetns.get_from_name, bad)
        with self.assertRaises(ValueError):
            libnetns.delete_named("a\0b")
        with self.assertRaises(ValueError):
            libnetns.new_named("a\0b")

    @privileged
    def test_longest_name(self):
        name = self.named.add("n" * 255)
        in_thread(lambda: libnetns.new_named(name).close())
        libnetns.get_from_name(name).close()
        libnetns.delete_named(name)

    @privileged
    def test_delete_while_in_use(self):
        name = self.named.add(unique_name("inuse"))
        h = in_thread(libnetns.new_named, name)
        try:
            libnetns.delete_named(name)
            self.assertRaises(FileNotFoundError, libnetns.get_from_name, name)

            def enter():
                libnetns.set_(h)
                return libnetns.get().unique_id()
            self.assertEqual(in_thread(enter), h.unique_id())
        finally:
            h.close()

    @privileged
    def test_run_dir_entries_not_made_by_us(self):
        name = self.named.add(unique_name("mk"))
        in_thread(lambda: libnetns.new_named(name).close())  # creates the run dir
        plain = os.path.join(run_dir(), unique_name("file"))
        open(plain, "w").close()
        try:
            self.assertErrno(errno.EINVAL, libnetns.get_from_name, os.path.basename(plain))
        finally:
            os.unlink(plain)
        d = os.path.join(run_dir(), unique_name("dir"))
        os.mkdir(d)
        try:
            self.assertErrno(errno.EISDIR, libnetns.delete_named, os.path.basename(d),
                             exc=IsADirectoryError)
            self.assertTrue(os.path.isdir(d))
        finally:
            os.rmdir(d)

    @privileged
    def test_threads_are_independent(self):
        main_id = libnetns.get().unique_id()
        entered = threading.Event()
        release = threading.Event()
        box = {}

        def mover():
            try:
                with libnetns.new() as h:
                    box["id"] = h.unique_id()
                    box["tid"] = threading.get_native_id()
                    entered.set()
                    release.wait(30)
            finally:
                entered.set()

        def watcher():
            box["other"] = libnetns.get().unique_id()

        t = threading.Thread(target=mover)
        t.start()
        try:
            self.assertTrue(entered.wait(30))
            self.assertIn("id", box)
            self.assertNotEqual(box["id"], main_id)
            self.assertEqual(libnetns.get().unique_id(), main_id)
            in_thread(watcher)
            self.assertEqual(box["other"], main_id)
            with libnetns.get_from_thread(os.getpid(), box["tid"]) as theirs:
                self.assertEqual(theirs.unique_id(), box["id"])
            with libnetns.get_from_pid(os.getpid()) as main_ns:  # the main thread's
                self.assertEqual(main_ns.unique_id(), main_id)
        finally:
            release.set()
            t.join()
        self.assertEqual(libnetns.get().unique_id(), main_id)

    @privileged
    def test_set_guard(self):
        def body():
            with libnetns.get() as origin, libnetns.new() as target:
                libnetns.set_(origin)
                guard = libnetns.SetGuard(target)
                self.assertEqual(libnetns.get(), origin)  # not before the block
                with guard as g:
                    self.assertIs(g, guard)
                    back = g.saved
                    self.assertEqual(back, origin)
                    self.assertEqual(libnetns.get(), target)
                    # a thread started inside starts where its creator is
                    # (kernel semantics), and its switches do not move us

                    def child():
                        here = libnetns.get().unique_id()
                        libnetns.set_(origin)
                        return here
                    self.assertEqual(in_thread(child), target.unique_id())
                    self.assertEqual(libnetns.get(), target)
                    with self.assertRaises(RuntimeError):
                        with guard:
                            self.fail("must not run")
                    self.assertEqual(libnetns.get(), target)
                self.assertFalse(back.is_open())  # closed with the block
                self.assertEqual(libnetns.get(), origin)
                with guard:  # again, after the first block
                    self.assertEqual(libnetns.get(), target)
                with libnetns.SetGuard(target.fileno()):
                    self.assertEqual(libnetns.get(), target)
                self.assertEqual(libnetns.get(), origin)
        in_thread(body)

    @privileged
    def test_set_guard_restores_after_exception(self):
        def body():
            with libnetns.get() as origin, libnetns.new() as target:
                libnetns.set_(origin)
                with self.assertRaises(KeyError):
                    with libnetns.SetGuard(target):
                        self.assertEqual(libnetns.get(), target)
                        raise KeyError("boom")
                self.assertEqual(libnetns.get(), origin)
                # entering a closed handle fails and does not move us
                closed = libnetns.get()
                closed.close()
                before = open_fds()
                with self.assertRaises(OSError) as cm:
                    with libnetns.SetGuard(closed):
                        self.fail("must not run")
                self.assertEqual(cm.exception.errno, errno.EBADF)
                self.assertEqual(open_fds(), before)
                self.assertEqual(libnetns.get(), origin)
        in_thread(body)

    @privileged
    def test_set_guard_restore(self):
        """restore() goes back now and reports a failure; the end of the
        block then ignores one (doc/bindings.md: one behaviour in C++,
        Python and Rust)."""
        def body():
            with libnetns.get() as origin, libnetns.new() as target:
                libnetns.set_(origin)
                with libnetns.SetGuard(target) as guard:
                    guard.restore()
                    self.assertEqual(libnetns.get(), origin)
                    self.assertFalse(guard.saved.is_open())
                    guard.restore()  # twice: nothing
                self.assertEqual(libnetns.get(), origin)
                before = open_fds()
                r, w = os.pipe()
                try:
                    with libnetns.SetGuard(target) as guard:
                        # The saved descriptor now names a pipe: going back fails.
                        os.dup2(r, guard.saved.fileno())
                        self.assertErrno(errno.EINVAL, guard.restore)
                        self.assertTrue(guard.saved.is_open())  # kept for the block's end
                    # The block's end ignored the failure: still in target.
                    self.assertEqual(libnetns.get(), target)
                finally:
                    os.close(r)
                    os.close(w)
                self.assertEqual(open_fds(), before)
                libnetns.set_(origin)
        in_thread(body)

    @privileged
    def test_no_leaks(self):
        before = open_fds()

        def body():
            for _ in range(20):
                name = unique_name("leak")
                self.named.add(name)
                with libnetns.get() as origin:
                    libnetns.new().close()
                    libnetns.new_named(name).close()
                    with self.assertRaises(FileExistsError):
                        libnetns.new_named(name)
                    libnetns.set_(origin)
                libnetns.delete_named(name)
        in_thread(body)
        self.assertEqual(open_fds(), before)

    @privileged
    def test_example(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = PKG_PATH + os.pathsep + env.get("PYTHONPATH", "")
        # Its fixed name "demo" goes to the sandbox's private /run/netns, not
        # to a $NETNS_RUN_DIR that may hold someone else's "demo".
        env.pop("NETNS_RUN_DIR", None)
        out = subprocess.run([sys.executable, os.path.join(HERE, "example.py")],
                             env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("libnetns " + libnetns.version(), out.stdout)
        self.assertIn("inside NS(", out.stdout)
        self.assertFalse(os.path.lexists("/run/netns/demo"))


class TestErrorsNameTheirFile(unittest.TestCase):
    """OSError carries the path, name or program as `filename`, as os does."""

    def test_path(self):
        with self.assertRaises(OSError) as cm:
            libnetns.get_from_path("/etc/passwd")
        self.assertEqual((cm.exception.errno, cm.exception.filename),
                         (errno.EINVAL, "/etc/passwd"))
        self.assertIn("'/etc/passwd'", str(cm.exception))
        with self.assertRaises(FileNotFoundError) as cm:
            libnetns.get_from_path(pathlib.Path("/nonexistent/net"))
        self.assertEqual(cm.exception.filename, pathlib.Path("/nonexistent/net"))

    def test_name(self):
        name = unique_name("missing")
        with self.assertRaises(FileNotFoundError) as cm:
            libnetns.get_from_name(name)
        self.assertEqual(cm.exception.filename, name)
        with self.assertRaises(OSError) as cm:
            libnetns.check_name("a/b")
        self.assertEqual((cm.exception.errno, cm.exception.filename), (errno.EINVAL, "a/b"))
        with self.assertRaises(OSError) as cm:
            libnetns.delete_named("..")
        self.assertEqual(cm.exception.filename, "..")

    @privileged
    def test_program(self):
        missing = "/nonexistent/program"
        with libnetns.get() as here:
            with self.assertRaises(FileNotFoundError) as cm:
                libnetns.spawn(here, [missing])
            self.assertEqual(cm.exception.filename, missing)
            with self.assertRaises(FileNotFoundError) as cm:
                libnetns.spawn(here, ["x"], path=missing)
            self.assertEqual(cm.exception.filename, missing)
        name = unique_name("missing")
        with self.assertRaises(FileNotFoundError) as cm:
            libnetns.spawn_named(name, ["true"])
        self.assertEqual((cm.exception.filename, cm.exception.filename2), (name, "true"))

    def test_no_filename_where_os_has_none(self):
        with self.assertRaises(OSError) as cm:
            libnetns.get_from_pid(0)
        self.assertIsNone(cm.exception.filename)

    def test_import_error_says_how_to_get_the_library(self):
        env = dict(os.environ, NETNS_LIBRARY="/nonexistent/libnetns.so.0",
                   PYTHONPATH=PKG_PATH)
        r = subprocess.run([sys.executable, "-c", "import libnetns"], env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ImportError", r.stderr)
        self.assertIn("apt install libnetns0", r.stderr)
        self.assertIn("pip install", r.stderr)


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


class FakeDocker:
    """A Docker Engine API double on a unix socket: `containers` maps an id
    to (HTTP status, body) or to None (never answer)."""

    def __init__(self, containers):
        self.containers = containers
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "docker.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        self.sock.listen(8)
        self.stop = False
        self.held = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            data = b""
            conn.settimeout(10)
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                conn.close()
                continue
            m = re.match(rb"GET (?:/v[0-9.]+)?/containers/([^/?\s]+)/json", data)
            key = m.group(1).decode() if m else None
            answer = self.containers.get(key, (404, '{"message":"No such container"}'))
            if answer is None:
                self.held.append(conn)  # never answer
                continue
            status, body = answer
            reason = {200: "OK", 404: "Not Found"}.get(status, "Error")
            body = body.encode()
            conn.sendall(b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                         % (status, reason.encode(), len(body), body))
            conn.close()

    def close(self):
        self.stop = True
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(5)
        for c in self.held:
            c.close()
        self.dir.cleanup()


class TestDocker(unittest.TestCase, AssertErrno):
    def setUp(self):
        old = os.environ.get("DOCKER_HOST")

        def restore():
            if old is None:
                os.environ.pop("DOCKER_HOST", None)
            else:
                os.environ["DOCKER_HOST"] = old
        self.addCleanup(restore)

    def docker(self, fn, *args):
        try:
            return fn(*args)
        except OSError as e:
            if e.errno == errno.ENOSYS:
                self.skipTest("netns_get_from_docker is not implemented in the core (ENOSYS)")
            raise

    def test_invalid_ids(self):
        for bad in ("", "a/b", "a b", "x" * 129, "..%", "ü"):
            with self.subTest(id=bad):
                self.assertErrno(errno.EINVAL, self.docker, libnetns.get_from_docker, bad)
        with self.assertRaises(ValueError):
            libnetns.get_from_docker("ab\0c")

    def test_fake_daemon(self):
        pid = os.getpid()
        ok = '{"Id":"abc123","State":{"Status":"running","Running":true,"Pid":%d}}' % pid
        stopped = '{"Id":"def456","State":{"Status":"exited","Running":false,"Pid":0}}'
        fake = FakeDocker({"abc123": (200, ok), "def456": (200, stopped),
                           "garbage": (200, "this is not json")})
        self.addCleanup(fake.close)
        os.environ["DOCKER_HOST"] = "unix://" + fake.path
        with self.docker(libnetns.get_from_docker, "abc123") as h, libnetns.get() as here:
            self.assertEqual(h, here)
        self.assertErrno(errno.ENOENT, self.docker, libnetns.get_from_docker, "nosuch",
                         exc=FileNotFoundError)
        self.assertErrno(errno.ESRCH, self.docker, libnetns.get_from_docker, "def456",
                         exc=ProcessLookupError)
        self.assertErrno(errno.EPROTO, self.docker, libnetns.get_from_docker, "garbage")

    def test_daemon_timeout(self):
        fake = FakeDocker({"silent": None})
        self.addCleanup(fake.close)
        os.environ["DOCKER_HOST"] = "unix://" + fake.path
        self.assertErrno(errno.ETIMEDOUT, self.docker, libnetns.get_from_docker, "silent",
                         exc=TimeoutError)

    def test_no_daemon_no_container(self):
        with tempfile.TemporaryDirectory() as d:
            os.environ["DOCKER_HOST"] = "unix://" + os.path.join(d, "absent.sock")
            self.assertErrno(errno.ENOENT, self.docker, libnetns.get_from_docker,
                             "0123456789abcdef0123456789abcdef", exc=FileNotFoundError)


# -- since 0.2 ---------------------------------------------------------------

def thread_ns():
    """(st_dev, st_ino) of the calling thread's network namespace."""
    st = os.stat("/proc/thread-self/ns/net")
    return st.st_dev, st.st_ino


def ns_id(h):
    st = os.fstat(h if isinstance(h, int) else h.fileno())
    return st.st_dev, st.st_ino


def wait_exit_code(pid):
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def thread_count():
    return len(os.listdir("/proc/self/task"))


def settled_thread_count(expected, timeout=10):
    """The number of threads, once it is ``expected`` or after ``timeout``
    seconds: a joined thread may still be in /proc/self/task for a moment,
    as the kernel wakes the joiner before it removes the thread."""
    deadline = time.monotonic() + timeout
    while (count := thread_count()) != expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return count


def baseline_thread_count():
    """The number of threads once every one that earlier tests joined has
    left /proc/self/task (then it equals threading.active_count())."""
    return settled_thread_count(threading.active_count())


def searchable_path(case):
    """Drop from PATH, for the rest of the test, the directories this user
    cannot search: like execvp(3), a PATH search that meets one reports a
    missing program as EACCES, not ENOENT (e.g. uid 65534 with root's PATH)."""
    old = os.environ.get("PATH")
    dirs = (old or os.defpath).split(os.pathsep)
    os.environ["PATH"] = os.pathsep.join(d for d in dirs if d and os.access(d, os.X_OK))

    def restore():
        if old is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = old
    case.addCleanup(restore)


SIOCGSKNS = 0x894C  # a socket's network namespace, as a new descriptor
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def bring_lo_up(sock):
    """ifconfig lo up, through a socket of the namespace (SIOCSIFFLAGS)."""
    ifreq = struct.pack("16sh22x", b"lo", 0)
    flags = struct.unpack("16sh22x", fcntl.ioctl(sock.fileno(), SIOCGIFFLAGS, ifreq))[1]
    fcntl.ioctl(sock.fileno(), SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | IFF_UP))


class CallerStays:
    """Asserts that the calling thread's namespace is the same at the end of
    the block as at its start."""

    def __init__(self, case):
        self.case = case

    def __enter__(self):
        self.before = thread_ns()
        return self

    def __exit__(self, *exc):
        self.case.assertEqual(thread_ns(), self.before, "the calling thread moved")
        return False


class TestKinds(unittest.TestCase, AssertErrno):
    """type() and is_netns(): no privileges needed."""

    KINDS = {"net": libnetns.CLONE_NEWNET, "uts": libnetns.CLONE_NEWUTS,
             "ipc": libnetns.CLONE_NEWIPC, "mnt": libnetns.CLONE_NEWNS,
             "pid": libnetns.CLONE_NEWPID, "user": libnetns.CLONE_NEWUSER,
             "cgroup": libnetns.CLONE_NEWCGROUP, "time": libnetns.CLONE_NEWTIME}

    def test_constants(self):
        self.assertEqual(libnetns.CLONE_NEWNS, 0x00020000)
        self.assertEqual(libnetns.CLONE_NEWCGROUP, 0x02000000)
        self.assertEqual(libnetns.CLONE_NEWTIME, 0x00000080)
        for name in ("CLONE_NEWNS", "CLONE_NEWCGROUP"):
            if hasattr(os, name):
                self.assertEqual(getattr(libnetns, name), getattr(os, name))
        for name in libnetns.__all__:
            self.assertTrue(hasattr(libnetns, name), name)

    def test_type(self):
        for kind, expected in self.KINDS.items():
            path = f"/proc/self/ns/{kind}"
            if not os.path.exists(path):  # time namespaces: Linux 5.6
                continue
            with self.subTest(kind=kind):
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
                try:
                    self.assertEqual(libnetns.type_(fd), expected)
                finally:
                    os.close(fd)
                with open(path, "rb", buffering=0) as f:  # anything with fileno()
                    self.assertEqual(libnetns.type_(f), expected)
        with libnetns.get() as h:
            self.assertEqual(libnetns.type_(h), libnetns.CLONE_NEWNET)

    def test_type_errors(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        self.assertErrno(errno.EINVAL, libnetns.type_, r)
        with tempfile.TemporaryFile() as f:
            self.assertErrno(errno.EINVAL, libnetns.type_, f)
        with socket.socket(socket.AF_UNIX) as s:
            self.assertErrno(errno.EINVAL, libnetns.type_, s)
        h = libnetns.get()
        h.close()
        self.assertErrno(errno.EBADF, libnetns.type_, h)
        self.assertErrno(errno.EBADF, libnetns.type_, -1)
        self.assertErrno(errno.EBADF, libnetns.type_, w + 1000)

    def test_is_netns(self):
        with libnetns.get() as h:
            self.assertIs(libnetns.is_netns(h), True)
            self.assertIs(libnetns.is_netns(h.fileno()), True)
        with open("/proc/self/ns/uts", "rb", buffering=0) as f:
            self.assertIs(libnetns.is_netns(f), False)
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        self.assertIs(libnetns.is_netns(r), False)
        with tempfile.TemporaryFile() as f:
            self.assertIs(libnetns.is_netns(f), False)
        with socket.socket(socket.AF_UNIX) as s:
            self.assertIs(libnetns.is_netns(s), False)
        h = libnetns.get()
        h.close()
        self.assertErrno(errno.EBADF, libnetns.is_netns, h)
        self.assertErrno(errno.EBADF, libnetns.is_netns, w + 1000)


class TestCreate(unittest.TestCase, AssertErrno):
    def setUp(self):
        self.named = NamedCleanup(self)

    def tmpdir(self):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        return d.name

    def delete_at_cleanup(self, path):
        def cleanup():
            try:
                libnetns.delete_at(path)
            except FileNotFoundError:
                pass
        self.addCleanup(cleanup)
        return path

    @privileged
    def test_create_anonymous(self):
        with CallerStays(self):
            with libnetns.get() as here, libnetns.create() as h, libnetns.create(None) as h2:
                self.assertTrue(h.is_open())
                self.assertNotEqual(h, here)
                self.assertNotEqual(h, h2)
                self.assertTrue(libnetns.is_netns(h))
                self.assertEqual(libnetns.type_(h), libnetns.CLONE_NEWNET)
                self.assertFalse(os.get_inheritable(h.fileno()))
                self.assertEqual(libnetns.get(), here)

    @privileged
    def test_create_named(self):
        name = self.named.add(unique_name("create"))
        with CallerStays(self):
            with libnetns.create(name) as h:
                self.assertNotEqual(h, libnetns.get())
                self.assertEqual(libnetns.get_from_name(name), h)
                self.assertEqual(libnetns.get_from_path(os.path.join(run_dir(), name)), h)
            self.assertErrno(errno.EEXIST, libnetns.create, name, exc=FileExistsError)
            self.assertErrno(errno.EEXIST, libnetns.create, name.encode(), exc=FileExistsError)
        libnetns.get_from_name(name).close()  # persists without a handle
        libnetns.delete_named(name)
        self.assertRaises(FileNotFoundError, libnetns.get_from_name, name)

    @privileged
    def test_create_bad_names(self):
        with CallerStays(self):
            for bad in ("", ".", "..", "a/b", "../x", "x" * 256):
                with self.subTest(name=bad):
                    self.assertErrno(errno.EINVAL, libnetns.create, bad)
            with self.assertRaises(ValueError):
                libnetns.create("a\0b")
            with self.assertRaises(TypeError):
                libnetns.create(42)

    @privileged
    def test_create_at_and_delete_at(self):
        d = self.tmpdir()
        path = self.delete_at_cleanup(os.path.join(d, "ns"))
        with CallerStays(self):
            with libnetns.create_at(pathlib.Path(path)) as h:
                self.assertNotEqual(h, libnetns.get())
                with libnetns.get_from_path(path) as again:
                    self.assertEqual(again, h)
                self.assertErrno(errno.EEXIST, libnetns.create_at, path, exc=FileExistsError)
                libnetns.delete_at(path.encode())
                self.assertFalse(os.path.lexists(path))
                self.assertTrue(libnetns.is_netns(h))  # lives on while the handle does
                self.assertErrno(errno.ENOENT, libnetns.delete_at, path, exc=FileNotFoundError)
        # create_at after delete_at: the path is free again
        libnetns.create_at(path).close()
        self.assertTrue(libnetns.is_netns(libnetns.get_from_path(path)))
        libnetns.delete_at(path)
        self.assertEqual(os.listdir(d), [])

    @privileged
    def test_create_at_errors(self):
        d = self.tmpdir()
        plain = os.path.join(d, "plain")
        open(plain, "w").close()
        os.symlink(os.path.join(d, "nowhere"), os.path.join(d, "dangling"))
        before = sorted(os.listdir(d))
        with CallerStays(self):
            for bad in ("", d + "/", os.path.join(d, "."), os.path.join(d, "..")):
                with self.subTest(path=bad):
                    self.assertErrno(errno.EINVAL, libnetns.create_at, bad)
            self.assertErrno(errno.ENOENT, libnetns.create_at, os.path.join(d, "no", "ns"),
                             exc=FileNotFoundError)
            self.assertErrno(errno.ENOTDIR, libnetns.create_at, os.path.join(plain, "ns"),
                             exc=NotADirectoryError)
            self.assertErrno(errno.EEXIST, libnetns.create_at, plain, exc=FileExistsError)
            self.assertErrno(errno.EEXIST, libnetns.create_at, os.path.join(d, "dangling"),
                             exc=FileExistsError)
            with self.assertRaises(ValueError):
                libnetns.create_at(os.path.join(d, "a\0b"))
        self.assertEqual(sorted(os.listdir(d)), before)  # nothing left behind

    @privileged
    def test_delete_at_errors(self):
        d = self.tmpdir()
        plain = os.path.join(d, "plain")
        open(plain, "w").close()
        sub = os.path.join(d, "sub")
        os.mkdir(sub)
        for bad in ("", d + "/", os.path.join(d, "."), os.path.join(d, "..")):
            with self.subTest(path=bad):
                self.assertErrno(errno.EINVAL, libnetns.delete_at, bad)
        self.assertErrno(errno.EINVAL, libnetns.delete_at, "/proc/self/ns/net")
        self.assertErrno(errno.ENOENT, libnetns.delete_at, os.path.join(d, "missing"),
                         exc=FileNotFoundError)
        self.assertErrno(errno.EISDIR, libnetns.delete_at, sub, exc=IsADirectoryError)
        self.assertTrue(os.path.isdir(sub))
        self.assertErrno(errno.ENOTDIR, libnetns.delete_at, os.path.join(plain, "x"),
                         exc=NotADirectoryError)


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
        old = os.environ.get("NETNS_RUN_DIR")

        def restore():
            if old is None:
                os.environ.pop("NETNS_RUN_DIR", None)
            else:
                os.environ["NETNS_RUN_DIR"] = old
        self.addCleanup(restore)
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


if __name__ == "__main__":
    unittest.main()


# -- since 0.3 -------------------------------------------------------------------

def dead_pid():
    """The pid of a process that has exited and been reaped."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


class TestWalks(unittest.TestCase, AssertErrno):
    """list, identify, pids, get_from_pidfd, attach, attach_fd, nsids."""

    def setUp(self):
        self.named = NamedCleanup(self)

    def sleeper(self, ns):
        """A child sleeping in ns, killed and reaped at the end of the test."""
        pid = libnetns.spawn(ns, ["sleep", "1000"])

        def reap():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self.addCleanup(reap)
        return pid

    def handle(self, h):
        self.addCleanup(h.close)
        return h

    def root_dir(self):
        """A descriptor that is neither a namespace nor a pidfd."""
        fd = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
        self.addCleanup(os.close, fd)
        return fd

    @privileged
    def test_list(self):
        a = self.named.add(unique_name("list-a"))
        b = self.named.add(a + "-b")
        ns = self.handle(libnetns.create(a))
        libnetns.attach_fd(b, ns)
        names = libnetns.list_()
        self.assertIsInstance(names, list)
        self.assertIn(a, names)
        self.assertIn(b, names)
        self.assertEqual(names, sorted(names, key=os.fsencode))
        self.assertLess(names.index(a), names.index(b))

        seen = []
        self.assertFalse(libnetns.list_(seen.append))
        self.assertIn(a, seen)
        calls = []
        self.assertTrue(libnetns.list_(lambda name: calls.append(name) or True))
        self.assertEqual(len(calls), 1)

        libnetns.delete_named(a)
        libnetns.delete_named(b)
        names = libnetns.list_()
        self.assertNotIn(a, names)
        self.assertNotIn(b, names)

    @privileged
    def test_walk_callback_exception_stops_and_reaches_caller(self):
        a = self.named.add(unique_name("list-x"))
        b = self.named.add(a + "-b")
        ns = self.handle(libnetns.create(a))
        libnetns.attach_fd(b, ns)
        calls = []

        def boom(item):
            calls.append(item)
            raise KeyError("boom")
        with self.assertRaises(KeyError):
            libnetns.list_(boom)
        self.assertEqual(len(calls), 1)
        pid = self.sleeper(ns)
        calls.clear()
        with self.assertRaises(KeyError):
            libnetns.pids(ns, boom)
        self.assertEqual(calls, [pid])
        with self.assertRaises(TypeError):
            libnetns.list_(42)

    @privileged
    def test_identify(self):
        a = self.named.add(unique_name("id-a"))
        b = self.named.add(unique_name("id-b"))
        ns = self.handle(libnetns.create(a))
        libnetns.attach_fd(b, ns)
        pid = self.sleeper(ns)
        names = libnetns.identify(pid)
        self.assertIn(a, names)
        self.assertIn(b, names)
        calls = []
        self.assertTrue(libnetns.identify(pid, lambda name: calls.append(name) or True))
        self.assertEqual(len(calls), 1)
        anon = self.handle(libnetns.create())
        self.assertEqual(libnetns.identify(self.sleeper(anon)), [])
        self.assertErrno(errno.EINVAL, libnetns.identify, 0)
        self.assertErrno(errno.ESRCH, libnetns.identify, dead_pid(), exc=ProcessLookupError)

    @privileged
    def test_pids(self):
        ns = self.handle(libnetns.create())
        self.assertEqual(libnetns.pids(ns), [])
        want = sorted([self.sleeper(ns), self.sleeper(ns)])
        self.assertEqual(libnetns.pids(ns), want)
        self.assertEqual(libnetns.pids(ns.fileno()), want)
        seen = []
        self.assertTrue(libnetns.pids(ns, lambda pid: seen.append(pid) or True))
        self.assertEqual(seen, want[:1])
        self.assertErrno(errno.EBADF, libnetns.pids, libnetns.Handle())
        self.assertErrno(errno.EINVAL, libnetns.pids, self.root_dir())

    @privileged
    def test_get_from_pidfd_and_attach(self):
        ns = self.handle(libnetns.create())
        pid = self.sleeper(ns)
        pidfd = os.pidfd_open(pid)
        self.addCleanup(os.close, pidfd)
        with libnetns.get_from_pidfd(pidfd) as h:
            self.assertEqual(h, ns)
        self.assertErrno(errno.EINVAL, libnetns.get_from_pidfd, self.root_dir())
        self.assertErrno(errno.EBADF, libnetns.get_from_pidfd, -1)

        name = self.named.add(unique_name("attach"))
        libnetns.attach(name, pid)
        with libnetns.get_from_name(name) as h:
            self.assertEqual(h, ns)
        self.assertErrno(errno.EEXIST, libnetns.attach, name, pid, exc=FileExistsError)
        self.assertErrno(errno.EINVAL, libnetns.attach, unique_name("x"), 0)
        with self.assertRaises(ValueError):
            libnetns.attach("a\0b", pid)

        name2 = self.named.add(unique_name("attach-fd"))
        libnetns.attach_fd(name2, ns)
        self.assertTrue(ns.is_open())
        with libnetns.get_from_name(name2) as h:
            self.assertEqual(h, ns)
        self.assertErrno(errno.EEXIST, libnetns.attach_fd, name2, ns, exc=FileExistsError)
        self.assertErrno(errno.EBADF, libnetns.attach_fd, unique_name("y"), libnetns.Handle())

    @privileged
    def test_nsid(self):
        # In a namespace of the test's own, whose nsid table starts empty
        # (as root the sandbox shares the host's network namespace).
        with libnetns.create() as home:
            libnetns.run(home, self.nsid_checks, home)

    def nsid_checks(self, home):
        ns = self.handle(libnetns.create())
        here = self.handle(libnetns.get())
        self.assertEqual(here, home)
        self.assertErrno(errno.ENOENT, libnetns.get_id, ns, exc=FileNotFoundError)
        self.assertErrno(errno.ENOENT, libnetns.get_id_in, ns, here, exc=FileNotFoundError)
        nsid = libnetns.set_id(ns)
        self.assertGreaterEqual(nsid, 0)
        self.assertEqual(libnetns.get_id(ns), nsid)
        self.assertEqual(libnetns.get_id_in(ns, here), nsid)
        self.assertErrno(errno.EEXIST, libnetns.set_id, ns, nsid + 1, exc=FileExistsError)
        other = self.handle(libnetns.create())
        self.assertEqual(libnetns.set_id(other, nsid + 100), nsid + 100)
        self.assertEqual(libnetns.get_id(other), nsid + 100)
        self.assertErrno(errno.ENOENT, libnetns.get_id_in, other, ns, exc=FileNotFoundError)
        self.assertErrno(errno.EBADF, libnetns.get_id, libnetns.Handle())

    @privileged
    def test_list_id(self):
        # In a namespace of the test's own: its nsid table holds only the
        # ids the test sets.
        with libnetns.create() as home:
            libnetns.run(home, self.list_id_checks)

    def list_id_checks(self):
        self.assertEqual(libnetns.list_id(), [])
        a = self.handle(libnetns.create())
        b = self.handle(libnetns.create())
        c = self.handle(libnetns.create())
        self.assertEqual(libnetns.set_id(a, 50), 50)
        self.assertEqual(libnetns.set_id(b, 3), 3)
        picked = libnetns.set_id(c)
        want = sorted([3, 50, picked])
        ids = libnetns.list_id()
        self.assertEqual(ids, want)
        self.assertTrue(all(isinstance(i, int) for i in ids))
        seen = []
        self.assertFalse(libnetns.list_id(seen.append))
        self.assertEqual(seen, want)
        # A true return stops the walk; the callback may call the library.
        seen = []
        self.assertTrue(libnetns.list_id(lambda i: seen.append(i) or libnetns.get_id(a) == 50))
        self.assertEqual(seen, want[:1])
        with self.assertRaises(ZeroDivisionError):
            libnetns.list_id(lambda i: 1 // 0)
        with self.assertRaises(TypeError):
            libnetns.list_id(42)


class TestMonitor(unittest.TestCase, AssertErrno):
    def setUp(self):
        self.named = NamedCleanup(self)

    def events_of(self, mon, name, want):
        """Events about `name` only (the run dir may be shared), read until
        `want` of them came or 5 s passed."""
        out = []
        deadline = time.monotonic() + 5
        with selectors.DefaultSelector() as sel:
            sel.register(mon, selectors.EVENT_READ)
            while len(out) < want and time.monotonic() < deadline:
                sel.select(0.1)
                out += [event for event, n in mon.read() if n == name]
        return out

    @privileged
    def test_add_then_del(self):
        with libnetns.monitor_open() as mon:
            self.assertIsInstance(mon, libnetns.Monitor)
            self.assertEqual(mon.read(), [])
            name = self.named.add(unique_name("mon"))
            with selectors.DefaultSelector() as sel:
                sel.register(mon, selectors.EVENT_READ)
                libnetns.create(name).close()
                self.assertTrue(sel.select(5), "not readable after an add")
            self.assertEqual(self.events_of(mon, name, 1), [libnetns.Event.ADD])
            libnetns.delete_named(name)
            self.assertEqual(self.events_of(mon, name, 1), [libnetns.Event.DEL])
        self.assertFalse(mon.is_open())
        mon.close()  # twice: nothing
        with self.assertRaises(ValueError):
            mon.fileno()
        self.assertErrno(errno.EBADF, mon.read)

    @privileged
    def test_callback_stops_and_keeps_the_rest(self):
        with libnetns.Monitor() as mon:
            for tag in ("mon-x", "mon-y"):
                libnetns.create(self.named.add(unique_name(tag))).close()
            calls = []
            self.assertEqual(mon.read(lambda e, n: calls.append((e, n)) or True), 1)
            self.assertEqual(len(calls), 1)
            self.assertNotEqual(mon.read(), [])  # the rest was kept

            libnetns.create(self.named.add(unique_name("mon-t"))).close()

            def boom(event, name):
                raise KeyError("boom")
            with self.assertRaises(KeyError):
                mon.read(boom)

    @privileged
    def test_asyncio_add_reader(self):
        import asyncio
        name = self.named.add(unique_name("mon-aio"))

        async def main():
            loop = asyncio.get_running_loop()
            got = asyncio.Queue()
            with libnetns.Monitor() as mon:
                loop.add_reader(mon, lambda: [got.put_nowait(ev) for ev in mon.read()])
                try:
                    libnetns.create(name).close()
                    while True:
                        event, n = await asyncio.wait_for(got.get(), 5)
                        if n == name:
                            return event
                finally:
                    loop.remove_reader(mon)
        self.assertEqual(asyncio.run(main()), libnetns.Event.ADD)
