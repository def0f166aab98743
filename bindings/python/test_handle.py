# SPDX-License-Identifier: Apache-2.0
"""Handles and lookups: Handle, version, the get* functions, type_ and
is_netns, the constants, and the errors that name their file.

Shared set-up and helpers: netns_test_support.py (importing it enters the
privileged-test sandbox)."""

import errno
import gc
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

from netns_test_support import (  # noqa: F401 - setUpModule runs per module
    HERE, PKG_PATH, AssertErrno, open_fds, privileged, setUpModule, unique_name, restore_env_later,
)

import libnetns  # after netns_test_support: it settles NETNS_LIBRARY


class TestBasics(unittest.TestCase, AssertErrno):

    def test_version(self):
        v = libnetns.version()
        self.assertRegex(v, r"^\d+\.\d+\.\d+$")  # the value: bindings/check-facts.py

    def test_constants(self):
        # The values against netns.h: bindings/check-facts.py; here against
        # Python's own os module where it has them.
        for name in ("CLONE_NEWNET", "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER",
                     "CLONE_NEWPID", "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWTIME"):
            if hasattr(os, name):
                self.assertEqual(getattr(libnetns, name), getattr(os, name))

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


class TestKinds(unittest.TestCase, AssertErrno):
    """type() and is_netns(): no privileges needed."""

    KINDS = {"net": libnetns.CLONE_NEWNET, "uts": libnetns.CLONE_NEWUTS,
             "ipc": libnetns.CLONE_NEWIPC, "mnt": libnetns.CLONE_NEWNS,
             "pid": libnetns.CLONE_NEWPID, "user": libnetns.CLONE_NEWUSER,
             "cgroup": libnetns.CLONE_NEWCGROUP, "time": libnetns.CLONE_NEWTIME}

    def test_constants(self):
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
        restore_env_later(self, "DOCKER_HOST")

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


if __name__ == "__main__":
    unittest.main()
