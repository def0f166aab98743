# SPDX-License-Identifier: Apache-2.0
"""Python bindings (ctypes, stdlib only) for libnetns, handles to Linux
network namespaces.

The shared library is loaded by its SONAME, ``libnetns.so.0``; set the
environment variable ``NETNS_LIBRARY`` to a path to load another copy.

Every C function returns ``>= 0`` or ``-errno``; here a failure raises
``OSError(errno, strerror)``, so the usual subclasses appear by themselves:
``FileNotFoundError`` (ENOENT), ``FileExistsError`` (EEXIST),
``PermissionError`` (EPERM, EACCES), ``IsADirectoryError`` (EISDIR), and a
plain ``OSError`` with ``errno == errno.EINVAL`` for invalid arguments.

Every function is named after the C function it calls, without the
``netns_`` prefix (:func:`get` is ``netns_get``); the scope guard is
:class:`SetGuard`.

Namespace switches (:func:`set`, :func:`setns`, :func:`new`,
:func:`new_named`, :class:`SetGuard`) act on the calling OS thread only. Each
Python :class:`threading.Thread` is its own OS thread, so a switch in one
thread never affects another.
"""

import ctypes
import os
import warnings

__all__ = [
    "NsHandle", "NONE",
    "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER", "CLONE_NEWPID",
    "CLONE_NEWNET", "CLONE_IO",
    "version", "none", "get", "get_from_path", "get_from_name",
    "get_from_pid", "get_from_thread", "get_from_docker", "new", "new_named",
    "delete_named", "set", "setns", "SetGuard",
    "entered", "switched_to",  # deprecated
]

#: The handle value that names no namespace (``NETNS_NONE``).
NONE = -1

CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_IO = 0x80000000


def _load():
    path = os.environ.get("NETNS_LIBRARY") or "libnetns.so.0"
    lib = ctypes.CDLL(path, use_errno=False)

    c_int, c_char_p, c_size_t = ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t
    pid_t = ctypes.c_int  # pid_t is a 32-bit int on Linux
    signatures = {
        "netns_version": ([], c_char_p),
        "netns_none": ([], c_int),
        "netns_get": ([], c_int),
        "netns_get_from_path": ([c_char_p], c_int),
        "netns_get_from_name": ([c_char_p], c_int),
        "netns_get_from_pid": ([pid_t], c_int),
        "netns_get_from_thread": ([pid_t, pid_t], c_int),
        "netns_get_from_docker": ([c_char_p], c_int),
        "netns_new": ([], c_int),
        "netns_new_named": ([c_char_p], c_int),
        "netns_delete_named": ([c_char_p], c_int),
        "netns_set": ([c_int], c_int),
        "netns_setns": ([c_int, c_int], c_int),
        "netns_close": ([ctypes.POINTER(c_int)], c_int),
        "netns_is_open": ([c_int], c_int),
        "netns_equal": ([c_int, c_int], c_int),
        "netns_string": ([c_int, ctypes.c_char_p, c_size_t], c_int),
        "netns_unique_id": ([c_int, ctypes.c_char_p, c_size_t], c_int),
    }
    for name, (argtypes, restype) in signatures.items():
        func = getattr(lib, name)
        func.argtypes = argtypes
        func.restype = restype
    return lib


_lib = _load()


def _check(rc):
    """Turn a C return value into itself, or raise OSError for -errno."""
    if rc < 0:
        err = -rc
        raise OSError(err, os.strerror(err))
    return rc


def _encode(value, what):
    """A str, bytes or os.PathLike as the bytes the C API wants."""
    raw = os.fsencode(value)
    if b"\0" in raw:
        raise ValueError(f"embedded null byte in {what}")
    return raw


def _describe(func, fd):
    size = 64
    while True:
        buf = ctypes.create_string_buffer(size)
        n = _check(func(fd, buf, size))
        if n < size:
            return buf.value.decode("utf-8", "replace")
        size = n + 1


def _as_fd(ns):
    """The descriptor number of a handle, an int or an object with fileno().

    A closed NsHandle yields NONE (so the C API answers EBADF) rather than
    raising ValueError as fileno() does.
    """
    if isinstance(ns, NsHandle):
        return ns._fd
    if isinstance(ns, int):
        return ns
    return ns.fileno()


class NsHandle:
    """An owned handle (file descriptor) to a network namespace.

    ``NsHandle(fd)`` takes ownership of ``fd``; the handle is closed by
    :meth:`close`, by leaving a ``with`` block, or when garbage collected.
    A handle compares equal to another handle to the same namespace, and
    hashes by :meth:`unique_id` (a closed handle hashes like :func:`none`).
    """

    __slots__ = ("_fd", "__weakref__")

    # Kept on the class so __del__ still works during interpreter shutdown,
    # when module globals may already be gone.
    _close_fn = _lib.netns_close

    def __init__(self, fd=NONE):
        if not isinstance(fd, int):
            raise TypeError("fd must be an int")
        self._fd = fd if fd >= 0 else NONE

    # -- life cycle ---------------------------------------------------------
    def close(self):
        """Close the handle. Closing a closed (or none) handle does nothing."""
        fd, self._fd = self._fd, NONE
        if fd >= 0:
            _check(self._close_fn(ctypes.byref(ctypes.c_int(fd))))

    def detach(self):
        """Give up ownership: return the descriptor and leave the handle
        closed. The caller must close the descriptor."""
        fd, self._fd = self._fd, NONE
        return fd

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        fd = getattr(self, "_fd", NONE)
        if fd >= 0:
            self._fd = NONE
            try:
                self._close_fn(ctypes.byref(ctypes.c_int(fd)))
            except Exception:  # pragma: no cover - interpreter shutdown
                pass

    # -- queries -------------------------------------------------------------
    def fileno(self):
        """The descriptor number; raises ValueError when closed."""
        if self._fd < 0:
            raise ValueError("operation on a closed (or none) namespace handle")
        return self._fd

    def is_open(self):
        """Whether the handle holds a descriptor (netns_is_open)."""
        return bool(_lib.netns_is_open(self._fd))

    def unique_id(self):
        """``"NS(<dev>:<ino>)"``: the same for every handle to the namespace."""
        return _describe(_lib.netns_unique_id, self._fd)

    def equal(self, other):
        """Whether both name the same namespace (netns_equal)."""
        return bool(_lib.netns_equal(self._fd, _as_fd(other)))

    def __eq__(self, other):
        if not isinstance(other, NsHandle):
            return NotImplemented
        return bool(_lib.netns_equal(self._fd, other._fd))

    def __hash__(self):
        return hash(self.unique_id())

    def __str__(self):
        return _describe(_lib.netns_string, self._fd)

    def __repr__(self):
        if self._fd < 0:
            return "<NsHandle none>"
        return f"<NsHandle fd={self._fd} {self.unique_id()}>"

    def __bool__(self):
        return self._fd >= 0


# -- module functions ------------------------------------------------------------

def version():
    """The library's version string, "MAJOR.MINOR.MICRO"."""
    return _lib.netns_version().decode("ascii")


def none():
    """The empty handle (NETNS_NONE)."""
    return NsHandle(_lib.netns_none())


def get():
    """A handle to the calling thread's network namespace."""
    return NsHandle(_check(_lib.netns_get()))


def get_from_path(path):
    """A handle to the network namespace at ``path`` (any nsfs file)."""
    return NsHandle(_check(_lib.netns_get_from_path(_encode(path, "path"))))


def get_from_name(name):
    """A handle to the named namespace (as made by new_named/`ip netns add`)."""
    return NsHandle(_check(_lib.netns_get_from_name(_encode(name, "name"))))


def get_from_pid(pid):
    """A handle to the network namespace of process ``pid``."""
    return NsHandle(_check(_lib.netns_get_from_pid(pid)))


def get_from_thread(pid, tid):
    """A handle to the network namespace of thread ``tid`` of ``pid``
    (see :func:`threading.get_native_id`)."""
    return NsHandle(_check(_lib.netns_get_from_thread(pid, tid)))


def get_from_docker(container_id):
    """A handle to the network namespace of a Docker container."""
    raw = _encode(container_id, "container id")
    return NsHandle(_check(_lib.netns_get_from_docker(raw)))


def new():
    """Create a network namespace and move the calling thread into it."""
    return NsHandle(_check(_lib.netns_new()))


def new_named(name):
    """Create a persistent named namespace and move the calling thread into it."""
    return NsHandle(_check(_lib.netns_new_named(_encode(name, "name"))))


def delete_named(name):
    """Remove the named namespace's entry (the namespace lives on while used)."""
    _check(_lib.netns_delete_named(_encode(name, "name")))


def set(ns):  # noqa: A001 - mirrors the C/Go API name
    """Move the calling thread into network namespace ``ns`` (a handle, an
    int descriptor or any object with fileno())."""
    _check(_lib.netns_set(_as_fd(ns)))


def setns(ns, nstype=0):
    """Move the calling thread into namespace ``ns`` of type ``nstype``
    (a CLONE_NEW* constant, or 0 for any type), as setns(2)."""
    _check(_lib.netns_setns(_as_fd(ns), nstype))


class SetGuard:
    """A ``with`` block inside network namespace ``ns``::

        with netns.SetGuard(ns) as origin:
            ...  # this thread is in ns here

    Entering the block moves the calling OS thread into ``ns`` (netns_set);
    leaving it, normally or by an exception, moves the thread back to the
    namespace it was in. ``as`` gives the handle to that original namespace
    (valid only inside the block). Other threads are not moved: a thread
    started inside the block starts in ``ns``, as the kernel makes a new
    thread in its creator's namespaces, and stays there. If entering fails
    the thread has not moved. If going back fails, the OSError propagates
    (chained to any exception raised in the block), since the thread is
    then in the wrong namespace. A guard may serve several blocks in turn,
    not nested in itself.
    """

    __slots__ = ("_target", "_origin")

    def __init__(self, ns):
        self._target = ns
        self._origin = None

    def __enter__(self):
        if self._origin is not None:
            raise RuntimeError("this SetGuard is already in use")
        origin = get()
        try:
            set(self._target)
        except BaseException:
            origin.close()
            raise
        self._origin = origin
        return origin

    def __exit__(self, *exc):
        origin, self._origin = self._origin, None
        with origin:
            set(origin)
        return False


def _deprecated_guard(old):
    def alias(ns):
        warnings.warn(f"netns.{old}() is deprecated; use netns.SetGuard",
                      DeprecationWarning, stacklevel=2)
        return SetGuard(ns)
    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = "Deprecated (0.1.0 name): use :class:`SetGuard`."
    return alias


entered = _deprecated_guard("entered")
switched_to = _deprecated_guard("switched_to")
