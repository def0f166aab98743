# SPDX-License-Identifier: Apache-2.0
"""What the test modules of the Python package share (test_<group>.py, one
per group of the C API, as the package's modules): the privileged-test
sandbox, entered when this module is first imported (before any thread
starts; see netns_test_sandbox.py), the `privileged` decorator, unique
names and their cleanup, and small helpers.

Everything that moves a thread runs in a worker thread of its own (see
in_thread), so the main thread's namespace is never disturbed, and named
namespaces are deleted in finally blocks or cleanups.
"""

import fcntl
import itertools
import os
import signal
import struct
import threading
import time
import unittest

import netns_test_sandbox

# Before anything starts a thread: the sandbox needs a single-threaded process.
SANDBOX_MISSING = netns_test_sandbox.enter()

import libnetns  # noqa: E402 - after NETNS_LIBRARY is settled

__all__ = [
    "HERE", "PKG_PATH", "IN_SANDBOX", "in_user_namespace", "setUpModule", "run_dir", "unique_name",
    "privileged", "in_thread", "open_fds", "NamedCleanup", "AssertErrno", "thread_ns", "ns_id",
    "wait_exit_code", "thread_count", "settled_thread_count", "baseline_thread_count",
    "searchable_path", "SIOCGSKNS", "bring_lo_up", "CallerStays", "dead_pid", "SANDBOX_MISSING",
    "WalkHelpers", "restore_env_later", "SIOCGIFFLAGS", "SIOCSIFFLAGS", "IFF_UP"
]


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


_home_made = False


def setUpModule():
    """Each test module's setUpModule (imported into it): once per process.
    Rootless, the sandbox is root of a user namespace that does not own the
    host's network namespace, so nothing can setns() back into it (EPERM):
    start from a namespace of our own. Done in the main thread before the
    first test starts a thread, so every thread starts there."""
    global _home_made
    if IN_SANDBOX and in_user_namespace() and not _home_made:
        libnetns.new().close()
    _home_made = True


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
    restore_env_later(case, "PATH")
    dirs = (os.environ.get("PATH") or os.defpath).split(os.pathsep)
    os.environ["PATH"] = os.pathsep.join(d for d in dirs if d and os.access(d, os.X_OK))


def restore_env_later(case, name):
    """Put $name back as it is now (set or unset) when the test ends."""
    old = os.environ.get(name)

    def restore():
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old
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


def dead_pid():
    """The pid of a process that has exited and been reaped."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


class WalkHelpers:
    """What the walk and nsid tests share."""

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
