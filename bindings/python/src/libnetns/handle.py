# SPDX-License-Identifier: Apache-2.0
"""Handles and lookups: :class:`Handle`, the ``get*`` functions, the
constants and the descriptor checks. None of these moves the calling
thread."""

from __future__ import annotations

import ctypes
from types import TracebackType
from typing import Any, Callable, Optional, Protocol, TypeVar, Union

from ._errors import StrPath, check, encode
from ._loader import lib

__all__ = [
    "Handle", "FdLike", "NONE",
    "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET",
    "CLONE_IO", "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWTIME",
    "version", "get", "get_from_path", "get_from_name", "get_from_pid",
    "get_from_thread", "get_from_docker", "get_from_pidfd", "type_", "is_netns",
]

#: The handle value that names no namespace (``NETNS_NONE``).
NONE = -1

# Namespace types, the kernel's CLONE_* values (setns(), type_()). These,
# NONE and listing.Event are netns.h's values, checked by value against it
# by bindings/check-facts.py.
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_IO = 0x80000000
CLONE_NEWTIME = 0x00000080
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000


class _HasFileno(Protocol):
    def fileno(self) -> int: ...


#: What the functions taking a namespace accept: a :class:`Handle`, an int
#: descriptor, or any object with ``fileno()``.
FdLike = Union["Handle", int, _HasFileno]


def as_fd(ns: FdLike) -> int:
    """The descriptor number of a handle, an int or an object with
    fileno(). A closed Handle gives NONE (so C answers EBADF) rather than
    the ValueError of fileno()."""
    if isinstance(ns, Handle):
        return ns._fd
    if isinstance(ns, int):
        return ns
    return ns.fileno()


def describe(func: Callable[..., int], fd: int) -> str:
    size = 64
    while True:
        buf = ctypes.create_string_buffer(size)
        n = check(func(fd, buf, size))
        if n < size:
            return buf.value.decode("utf-8", "replace")
        size = n + 1


_Self = TypeVar("_Self", bound="_Owned")


class _Owned:
    """A descriptor owned by an object (:class:`Handle`, :class:`~libnetns.Monitor`):
    closed by :meth:`close`, by leaving a ``with`` block, or when garbage
    collected, with the subclass's C close function."""

    __slots__ = ("_fd", "__weakref__")

    _fd: int
    # On the class so that __del__ works at interpreter shutdown, when the
    # module's globals may be gone.
    _close_fn: Any

    def close(self) -> None:
        """Close it (netns_close, netns_monitor_close); closing an empty or
        closed one does nothing."""
        fd, self._fd = self._fd, NONE
        if fd >= 0:
            check(self._close_fn(ctypes.byref(ctypes.c_int(fd))))

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, exc_type: Optional[type[BaseException]],
                 exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.close()

    def __del__(self) -> None:
        fd = getattr(self, "_fd", NONE)
        if fd >= 0:
            self._fd = NONE
            try:
                self._close_fn(ctypes.byref(ctypes.c_int(fd)))
            except Exception:  # pragma: no cover - interpreter shutdown
                pass


class Handle(_Owned):
    """An owned handle (file descriptor) to a network namespace.

    ``Handle(fd)`` takes ownership of ``fd``; ``Handle()`` is the empty
    handle (``netns_none``). The handle is closed by :meth:`close`, by
    leaving a ``with`` block, or when garbage collected; :meth:`release`
    gives the descriptor up. A handle compares equal to another handle to
    the same namespace (``netns_equal``) and hashes by :meth:`unique_id`.
    """

    __slots__ = ()

    _close_fn: Any = lib.netns_close

    def __init__(self, fd: int = NONE) -> None:
        if not isinstance(fd, int):
            raise TypeError("fd must be an int")
        self._fd = fd if fd >= 0 else NONE

    def release(self) -> int:
        """Give up ownership: return the descriptor (NONE when empty) and
        leave the handle empty. The caller closes the descriptor."""
        fd, self._fd = self._fd, NONE
        return fd

    def fileno(self) -> int:
        """The descriptor, still owned by the handle; ValueError when
        empty."""
        if self._fd < 0:
            raise ValueError("operation on a closed (or empty) namespace handle")
        return self._fd

    def is_open(self) -> bool:
        """Whether the handle holds a descriptor (netns_is_open)."""
        return bool(lib.netns_is_open(self._fd))

    def unique_id(self) -> str:
        """``"NS(<dev>:<ino>)"``: the same for every handle to the namespace
        (netns_unique_id)."""
        return describe(lib.netns_unique_id, self._fd)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Handle):
            return NotImplemented
        return bool(lib.netns_equal(self._fd, other._fd))

    def __hash__(self) -> int:
        return hash(self.unique_id())

    def __str__(self) -> str:
        """``"NS(<fd>: <dev>, <ino>)"`` (netns_string)."""
        return describe(lib.netns_string, self._fd)

    def __repr__(self) -> str:
        if self._fd < 0:
            return "<libnetns.Handle empty>"
        return f"<libnetns.Handle fd={self._fd} {self.unique_id()}>"

    def __bool__(self) -> bool:
        return self._fd >= 0


def version() -> str:
    """The library's version, ``"MAJOR.MINOR.MICRO"`` (netns_version)."""
    raw: bytes = lib.netns_version()
    return raw.decode("ascii")


def get() -> Handle:
    """A handle to the calling thread's network namespace (netns_get)."""
    return Handle(check(lib.netns_get()))


def get_from_path(path: StrPath) -> Handle:
    """A handle to the network namespace at ``path`` (any nsfs file:
    ``/proc/<pid>/ns/net``, ``/run/netns/<name>``...). ``OSError`` (with
    ``path`` as ``filename``) EINVAL when it is not a network namespace."""
    return Handle(check(lib.netns_get_from_path(encode(path, "path")), path))


def get_from_name(name: StrPath) -> Handle:
    """A handle to the named namespace ``<run dir>/name``
    (netns_get_from_name); ``FileNotFoundError`` naming it when absent."""
    return Handle(check(lib.netns_get_from_name(encode(name, "name")), name))


def get_from_pid(pid: int) -> Handle:
    """A handle to the network namespace of process ``pid``."""
    return Handle(check(lib.netns_get_from_pid(pid)))


def get_from_thread(pid: int, tid: int) -> Handle:
    """A handle to the network namespace of thread ``tid`` of ``pid``
    (see :func:`threading.get_native_id`)."""
    return Handle(check(lib.netns_get_from_thread(pid, tid)))


def get_from_docker(container_id: StrPath) -> Handle:
    """A handle to the network namespace of a Docker container (its id or
    name, ``filename`` of the ``OSError``)."""
    raw = encode(container_id, "container id")
    return Handle(check(lib.netns_get_from_docker(raw), container_id))


def get_from_pidfd(pidfd: FdLike) -> Handle:
    """A handle to the network namespace of the process behind ``pidfd``
    (:func:`os.pidfd_open`), never another process's after its pid is
    reused. EINVAL when it is not a pidfd, ``ProcessLookupError`` when the
    process exited."""
    return Handle(check(lib.netns_get_from_pidfd(as_fd(pidfd))))


def type_(fd: FdLike) -> int:
    """The ``CLONE_NEW*`` type of ``fd``, a namespace of any kind
    (netns_type). EINVAL when it is not a namespace, EBADF when not open."""
    return check(lib.netns_type(as_fd(fd)))


def is_netns(fd: FdLike) -> bool:
    """Whether ``fd`` is a network namespace (netns_is_netns); EBADF when it
    is not open."""
    return bool(check(lib.netns_is_netns(as_fd(fd))))
