# SPDX-License-Identifier: Apache-2.0
"""Tests of the Python bindings. Run inside the privileged-test sandbox
(tests/support/sandbox-exec) with NETNS_LIBRARY pointing at the freshly built
library: `meson test --suite python`.

Everything that moves a thread runs in a worker thread of its own (see
in_thread), so the main thread's namespace is never disturbed, and named
namespaces are deleted in finally blocks.
"""

import errno
import gc
import itertools
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

import netns

HERE = os.path.dirname(os.path.abspath(__file__))
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
        netns.new().close()


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
    return unittest.skip("needs the test sandbox (tests/support/sandbox-exec)")(test)


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
                netns.delete_named(name)
            except FileNotFoundError:
                pass


class AssertErrno:
    def assertErrno(self, code, fn, *args, exc=OSError):
        with self.assertRaises(exc) as cm:
            fn(*args)
        self.assertEqual(cm.exception.errno, code, cm.exception)
        self.assertEqual(cm.exception.strerror, os.strerror(code))
        return cm.exception


class TestBasics(unittest.TestCase, AssertErrno):
    def test_version(self):
        v = netns.version()
        self.assertRegex(v, r"^\d+\.\d+\.\d+$")
        self.assertEqual(v, "0.2.0")

    def test_constants(self):
        self.assertEqual(netns.NONE, -1)
        self.assertEqual(netns.CLONE_NEWNET, 0x40000000)
        self.assertEqual(netns.CLONE_NEWUTS, 0x04000000)
        self.assertEqual(netns.CLONE_NEWIPC, 0x08000000)
        self.assertEqual(netns.CLONE_NEWUSER, 0x10000000)
        self.assertEqual(netns.CLONE_NEWPID, 0x20000000)
        self.assertEqual(netns.CLONE_IO, 0x80000000)
        if hasattr(os, "CLONE_NEWNET"):
            self.assertEqual(netns.CLONE_NEWNET, os.CLONE_NEWNET)
            self.assertEqual(netns.CLONE_NEWUTS, os.CLONE_NEWUTS)

    def test_none(self):
        h = netns.none()
        self.assertFalse(h.is_open())
        self.assertFalse(h)
        self.assertEqual(str(h), "NS(none)")
        self.assertEqual(h.unique_id(), "NS(none)")
        self.assertEqual(repr(h), "<NsHandle none>")
        self.assertEqual(h, netns.none())
        self.assertEqual(hash(h), hash(netns.none()))
        with self.assertRaises(ValueError):
            h.fileno()
        h.close()  # closing none is a no-op
        self.assertEqual(netns.NsHandle(), h)

    def test_get(self):
        with netns.get() as h:
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
        with netns.get() as a, netns.get() as b:
            self.assertNotEqual(a.fileno(), b.fileno())
            self.assertEqual(a, b)
            self.assertTrue(a.equal(b))
            self.assertTrue(a.equal(b.fileno()))
            self.assertEqual(hash(a), hash(b))
            self.assertEqual(len({a, b}), 1)
            self.assertNotEqual(a, netns.none())
            self.assertNotEqual(a, a.fileno())  # not a handle: NotImplemented
            self.assertFalse(a == "NS")

    def test_get_from_path(self):
        with netns.get() as here:
            for p in ("/proc/self/ns/net", b"/proc/thread-self/ns/net",
                      __import__("pathlib").Path("/proc/self/ns/net")):
                with netns.get_from_path(p) as h:
                    self.assertEqual(h, here)

    def test_get_from_path_errors(self):
        self.assertErrno(errno.EINVAL, netns.get_from_path, "")
        self.assertErrno(errno.ENOENT, netns.get_from_path, "/nonexistent/net",
                         exc=FileNotFoundError)
        self.assertErrno(errno.EINVAL, netns.get_from_path, "/proc/self/ns/uts")
        with tempfile.NamedTemporaryFile() as f:
            self.assertErrno(errno.EINVAL, netns.get_from_path, f.name)
            self.assertErrno(errno.ENOTDIR, netns.get_from_path, f.name + "/x")
        with self.assertRaises(ValueError):
            netns.get_from_path("/proc/self/ns/net\0x")
        with self.assertRaises(TypeError):
            netns.get_from_path(None)

    def test_get_from_pid(self):
        with netns.get() as here, netns.get_from_pid(os.getpid()) as h:
            self.assertEqual(h, here)
        if os.path.exists("/proc/1/ns/net"):
            try:
                netns.get_from_pid(1).close()
            except PermissionError:
                pass

    def test_get_from_pid_errors(self):
        self.assertErrno(errno.EINVAL, netns.get_from_pid, 0)
        self.assertErrno(errno.EINVAL, netns.get_from_pid, -1)
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()  # reaped: the pid is dead
        self.assertErrno(errno.ENOENT, netns.get_from_pid, child.pid,
                         exc=FileNotFoundError)

    def test_get_from_thread(self):
        pid = os.getpid()
        with netns.get() as here:
            with netns.get_from_thread(pid, threading.get_native_id()) as h:
                self.assertEqual(h, here)
            with netns.get_from_thread(pid, pid) as h:
                self.assertEqual(h, here)

    def test_get_from_thread_errors(self):
        pid = os.getpid()
        self.assertErrno(errno.EINVAL, netns.get_from_thread, pid, 0)
        self.assertErrno(errno.EINVAL, netns.get_from_thread, 0, pid)
        self.assertErrno(errno.EINVAL, netns.get_from_thread, pid, -3)
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()  # not a thread of ours (and dead)
        self.assertErrno(errno.ENOENT, netns.get_from_thread, pid, child.pid,
                         exc=FileNotFoundError)

    def test_get_from_name_errors(self):
        self.assertErrno(errno.ENOENT, netns.get_from_name, unique_name("missing"),
                         exc=FileNotFoundError)
        for bad in ("", ".", "..", "a/b", "/", "x" * 256):
            with self.subTest(name=bad):
                self.assertErrno(errno.EINVAL, netns.get_from_name, bad)
        with self.assertRaises(ValueError):
            netns.get_from_name("a\0b")

    def test_set_errors(self):
        self.assertErrno(errno.EBADF, netns.set, netns.none())
        self.assertErrno(errno.EBADF, netns.set, -1)
        self.assertErrno(errno.EBADF, netns.set, -42)
        h = netns.get()
        h.close()
        self.assertErrno(errno.EBADF, netns.set, h)
        self.assertErrno(errno.EBADF, netns.setns, h, netns.CLONE_NEWNET)
        r, w = os.pipe()
        try:
            self.assertErrno(errno.EINVAL, netns.set, r)
            self.assertErrno(errno.EBADF, netns.set, w + 1000)
        finally:
            os.close(r)
            os.close(w)
        with netns.get() as h:
            self.assertErrno(errno.EINVAL, netns.setns, h, netns.CLONE_NEWUTS)

    def test_close_and_detach(self):
        h = netns.get()
        fd = h.fileno()
        h.close()
        with self.assertRaises(OSError) as cm:
            os.fstat(fd)
        self.assertEqual(cm.exception.errno, errno.EBADF)
        h.close()  # idempotent
        h = netns.get()
        fd = h.detach()
        self.assertFalse(h.is_open())
        os.fstat(fd)  # still open: ours now
        with netns.NsHandle(fd) as h2:
            self.assertEqual(h2.fileno(), fd)
        self.assertRaises(OSError, os.fstat, fd)
        with self.assertRaises(TypeError):
            netns.NsHandle("3")

    def test_del_closes(self):
        h = netns.get()
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
            for fn, arg in ((netns.get_from_name, missing),
                            (netns.get_from_path, "/proc/self/ns/uts"),
                            (netns.get_from_pid, 0)):
                with self.assertRaises(OSError):
                    fn(arg)
            netns.get().close()
        self.assertEqual(open_fds(), before)

    def test_example_in_doc(self):
        doc = os.path.join(HERE, "..", "..", "doc", "bindings.md")
        with open(os.path.join(HERE, "example.py")) as f:
            example = f.read()
        with open(doc) as f:
            self.assertIn(example.strip(), f.read(),
                          "doc/bindings.md must quote bindings/python/example.py verbatim")


class TestPrivileged(unittest.TestCase, AssertErrno):
    def setUp(self):
        self.named = NamedCleanup(self)

    @privileged
    def test_new(self):
        def body():
            with netns.get() as origin:
                with netns.new() as h:
                    self.assertNotEqual(h, origin)
                    with netns.get() as now:
                        self.assertEqual(now, h)
                    with netns.new() as h2:
                        self.assertNotEqual(h2, h)
                    netns.set(origin)
                    with netns.get() as now:
                        self.assertEqual(now, origin)
                    netns.set(h)  # still alive: we hold a handle
                    with netns.get() as now:
                        self.assertEqual(now, h)
                        self.assertEqual(now.unique_id(), h.unique_id())
                    netns.setns(origin, netns.CLONE_NEWNET)
                    netns.setns(h, 0)
                    self.assertEqual(netns.get(), h)
                    netns.setns(origin.fileno())
                    self.assertEqual(netns.get(), origin)
        in_thread(body)

    @privileged
    def test_new_named(self):
        name = self.named.add(unique_name("named"))

        def create():
            with netns.get() as origin, netns.new_named(name) as h:
                self.assertNotEqual(h, origin)
                self.assertEqual(netns.get(), h)
                return h.unique_id()
        uid = in_thread(create)  # handle closed, thread gone: persists by name
        with netns.get_from_name(name) as h:
            self.assertEqual(h.unique_id(), uid)
            self.assertEqual(h, netns.get_from_path(os.path.join(run_dir(), name)))
            self.assertNotEqual(h, netns.get())
        self.assertEqual(netns.get_from_name(name.encode()).unique_id(), uid)

        self.assertErrno(errno.EEXIST, in_thread, netns.new_named, name,
                         exc=FileExistsError)
        netns.delete_named(name)
        self.assertErrno(errno.ENOENT, netns.get_from_name, name, exc=FileNotFoundError)
        self.assertErrno(errno.ENOENT, netns.delete_named, name, exc=FileNotFoundError)

    @privileged
    def test_new_named_failure_leaves_thread(self):
        name = self.named.add(unique_name("dup"))
        in_thread(lambda: netns.new_named(name).close())

        def dup():
            with netns.get() as before:
                with self.assertRaises(FileExistsError):
                    netns.new_named(name)
                self.assertEqual(netns.get(), before)
        in_thread(dup)

    @privileged
    def test_bad_names(self):
        for bad in ("", ".", "..", "a/b", "../x", "x" * 256):
            with self.subTest(name=bad):
                self.assertErrno(errno.EINVAL, in_thread, netns.new_named, bad)
                self.assertErrno(errno.EINVAL, netns.delete_named, bad)
                self.assertErrno(errno.EINVAL, netns.get_from_name, bad)
        with self.assertRaises(ValueError):
            netns.delete_named("a\0b")
        with self.assertRaises(ValueError):
            netns.new_named("a\0b")

    @privileged
    def test_longest_name(self):
        name = self.named.add("n" * 255)
        in_thread(lambda: netns.new_named(name).close())
        netns.get_from_name(name).close()
        netns.delete_named(name)

    @privileged
    def test_delete_while_in_use(self):
        name = self.named.add(unique_name("inuse"))
        h = in_thread(netns.new_named, name)
        try:
            netns.delete_named(name)
            self.assertRaises(FileNotFoundError, netns.get_from_name, name)

            def enter():
                netns.set(h)
                return netns.get().unique_id()
            self.assertEqual(in_thread(enter), h.unique_id())
        finally:
            h.close()

    @privileged
    def test_run_dir_entries_not_made_by_us(self):
        name = self.named.add(unique_name("mk"))
        in_thread(lambda: netns.new_named(name).close())  # creates the run dir
        plain = os.path.join(run_dir(), unique_name("file"))
        open(plain, "w").close()
        try:
            self.assertErrno(errno.EINVAL, netns.get_from_name, os.path.basename(plain))
        finally:
            os.unlink(plain)
        d = os.path.join(run_dir(), unique_name("dir"))
        os.mkdir(d)
        try:
            self.assertErrno(errno.EISDIR, netns.delete_named, os.path.basename(d),
                             exc=IsADirectoryError)
            self.assertTrue(os.path.isdir(d))
        finally:
            os.rmdir(d)

    @privileged
    def test_threads_are_independent(self):
        main_id = netns.get().unique_id()
        entered = threading.Event()
        release = threading.Event()
        box = {}

        def mover():
            try:
                with netns.new() as h:
                    box["id"] = h.unique_id()
                    box["tid"] = threading.get_native_id()
                    entered.set()
                    release.wait(30)
            finally:
                entered.set()

        def watcher():
            box["other"] = netns.get().unique_id()

        t = threading.Thread(target=mover)
        t.start()
        try:
            self.assertTrue(entered.wait(30))
            self.assertIn("id", box)
            self.assertNotEqual(box["id"], main_id)
            self.assertEqual(netns.get().unique_id(), main_id)
            in_thread(watcher)
            self.assertEqual(box["other"], main_id)
            with netns.get_from_thread(os.getpid(), box["tid"]) as theirs:
                self.assertEqual(theirs.unique_id(), box["id"])
            with netns.get_from_pid(os.getpid()) as main_ns:  # the main thread's
                self.assertEqual(main_ns.unique_id(), main_id)
        finally:
            release.set()
            t.join()
        self.assertEqual(netns.get().unique_id(), main_id)

    @privileged
    def test_set_guard(self):
        def body():
            with netns.get() as origin, netns.new() as target:
                netns.set(origin)
                guard = netns.SetGuard(target)
                self.assertEqual(netns.get(), origin)  # not before the block
                with guard as back:
                    self.assertEqual(back, origin)
                    self.assertEqual(netns.get(), target)
                    # a thread started inside starts where its creator is
                    # (kernel semantics), and its switches do not move us
                    def child():
                        here = netns.get().unique_id()
                        netns.set(origin)
                        return here
                    self.assertEqual(in_thread(child), target.unique_id())
                    self.assertEqual(netns.get(), target)
                    with self.assertRaises(RuntimeError):
                        with guard:
                            self.fail("must not run")
                    self.assertEqual(netns.get(), target)
                self.assertFalse(back.is_open())  # closed with the block
                self.assertEqual(netns.get(), origin)
                with guard:  # again, after the first block
                    self.assertEqual(netns.get(), target)
                with netns.SetGuard(target.fileno()):
                    self.assertEqual(netns.get(), target)
                self.assertEqual(netns.get(), origin)
        in_thread(body)

    @privileged
    def test_set_guard_restores_after_exception(self):
        def body():
            with netns.get() as origin, netns.new() as target:
                netns.set(origin)
                with self.assertRaises(KeyError):
                    with netns.SetGuard(target):
                        self.assertEqual(netns.get(), target)
                        raise KeyError("boom")
                self.assertEqual(netns.get(), origin)
                # entering a closed handle fails and does not move us
                closed = netns.get()
                closed.close()
                before = open_fds()
                with self.assertRaises(OSError) as cm:
                    with netns.SetGuard(closed):
                        self.fail("must not run")
                self.assertEqual(cm.exception.errno, errno.EBADF)
                self.assertEqual(open_fds(), before)
                self.assertEqual(netns.get(), origin)
        in_thread(body)

    @privileged
    def test_deprecated_names(self):
        """The 0.1.0 names of the guard still work, and warn."""
        def body():
            with netns.get() as origin, netns.new() as target:
                netns.set(origin)
                for old in (netns.entered, netns.switched_to):
                    with self.assertWarns(DeprecationWarning) as w:
                        guard = old(target)
                    self.assertEqual(w.filename, __file__)  # the caller's line
                    self.assertIsInstance(guard, netns.SetGuard)
                    with guard as back:
                        self.assertEqual(back, origin)
                        self.assertEqual(netns.get(), target)
                    self.assertEqual(netns.get(), origin)
        in_thread(body)

    @privileged
    def test_no_leaks(self):
        before = open_fds()

        def body():
            for _ in range(20):
                name = unique_name("leak")
                self.named.add(name)
                with netns.get() as origin:
                    netns.new().close()
                    netns.new_named(name).close()
                    with self.assertRaises(FileExistsError):
                        netns.new_named(name)
                    netns.set(origin)
                netns.delete_named(name)
        in_thread(body)
        self.assertEqual(open_fds(), before)

    @privileged
    def test_example(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = HERE + os.pathsep + env.get("PYTHONPATH", "")
        # Its fixed name "demo" goes to the sandbox's private /run/netns, not
        # to a $NETNS_RUN_DIR that may hold someone else's "demo".
        env.pop("NETNS_RUN_DIR", None)
        out = subprocess.run([sys.executable, os.path.join(HERE, "example.py")],
                             env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("libnetns " + netns.version(), out.stdout)
        self.assertIn("inside NS(", out.stdout)
        self.assertFalse(os.path.lexists("/run/netns/demo"))


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
                self.assertErrno(errno.EINVAL, self.docker, netns.get_from_docker, bad)
        with self.assertRaises(ValueError):
            netns.get_from_docker("ab\0c")

    def test_fake_daemon(self):
        pid = os.getpid()
        ok = '{"Id":"abc123","State":{"Status":"running","Running":true,"Pid":%d}}' % pid
        stopped = '{"Id":"def456","State":{"Status":"exited","Running":false,"Pid":0}}'
        fake = FakeDocker({"abc123": (200, ok), "def456": (200, stopped),
                           "garbage": (200, "this is not json")})
        self.addCleanup(fake.close)
        os.environ["DOCKER_HOST"] = "unix://" + fake.path
        with self.docker(netns.get_from_docker, "abc123") as h, netns.get() as here:
            self.assertEqual(h, here)
        self.assertErrno(errno.ENOENT, self.docker, netns.get_from_docker, "nosuch",
                         exc=FileNotFoundError)
        self.assertErrno(errno.ESRCH, self.docker, netns.get_from_docker, "def456",
                         exc=ProcessLookupError)
        self.assertErrno(errno.EPROTO, self.docker, netns.get_from_docker, "garbage")

    def test_daemon_timeout(self):
        fake = FakeDocker({"silent": None})
        self.addCleanup(fake.close)
        os.environ["DOCKER_HOST"] = "unix://" + fake.path
        self.assertErrno(errno.ETIMEDOUT, self.docker, netns.get_from_docker, "silent",
                         exc=TimeoutError)

    def test_no_daemon_no_container(self):
        with tempfile.TemporaryDirectory() as d:
            os.environ["DOCKER_HOST"] = "unix://" + os.path.join(d, "absent.sock")
            self.assertErrno(errno.ENOENT, self.docker, netns.get_from_docker,
                             "0123456789abcdef0123456789abcdef", exc=FileNotFoundError)


if __name__ == "__main__":
    unittest.main()
