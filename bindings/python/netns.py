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

Since 0.2 the work can be done without moving the caller at all:
:func:`create` makes a namespace, :func:`run` and :func:`run_isolated` call
a function inside one, :func:`socket` opens a socket in one, and
:func:`spawn`, :func:`spawn_named` and :class:`Popen` start a process in one.

Since 0.3: :func:`list`, :func:`identify` and :func:`pids` walk names and
processes, :func:`attach` names a process's namespace, :func:`get_id` and
:func:`set_id` handle nsids, and :class:`Monitor` watches names come and go.

Since 0.4: :func:`list_id` walks the nsids the caller's namespace has.

Since 0.5: :func:`check_name` and :func:`run_dir` give the library's name
rule and run directory, and :func:`enter_named` and :func:`exec_named` do
what ``ip netns exec`` does IN PLACE: they move the calling OS thread
(network and mount namespace), for a process that execs next.
"""

import builtins
import ctypes
import errno as _errno
import itertools
import os
import socket as _socket
import subprocess
import threading
import warnings

__all__ = [
    "NsHandle", "NONE",
    "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER", "CLONE_NEWPID",
    "CLONE_NEWNET", "CLONE_IO",
    "version", "none", "get", "get_from_path", "get_from_name",
    "get_from_pid", "get_from_thread", "get_from_docker", "new", "new_named",
    "delete_named", "set", "setns", "SetGuard",
    # since 0.2
    "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWTIME",
    "create", "create_at", "delete_at", "run", "run_isolated", "socket",
    "spawn", "spawn_named", "Popen", "type", "is_netns",
    # since 0.3
    "EVENT_ADD", "EVENT_DEL", "list", "identify", "pids", "get_from_pidfd",
    "attach", "attach_fd", "get_id", "set_id", "get_id_in", "Monitor",
    "monitor_open",
    # since 0.4
    "list_id",
    # since 0.5
    "check_name", "run_dir", "enter_named", "exec_named",
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
# Since 0.2, for type(), which reports namespaces of every kind.
CLONE_NEWTIME = 0x00000080
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000

#: The C callback type ``int (*netns_fn)(void *arg)``.
_NETNS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
# Since 0.3: netns_name_cb, netns_pid_cb, netns_event_cb. The name is taken
# as c_char_p, which ctypes hands over as bytes.
_NAME_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
_PID_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p)
_EVENT_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
# Since 0.4: netns_id_cb.
_ID_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p)


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
    c_void_p, argv_t = ctypes.c_void_p, ctypes.POINTER(c_char_p)
    spawn_args = [ctypes.POINTER(pid_t), c_int, c_char_p, c_void_p, c_void_p,
                  argv_t, argv_t]
    signatures_0_2 = {
        "netns_create": ([c_char_p], c_int),
        "netns_create_at": ([c_char_p], c_int),
        "netns_delete_at": ([c_char_p], c_int),
        "netns_run": ([c_int, _NETNS_FN, c_void_p, ctypes.POINTER(c_int)], c_int),
        "netns_run_isolated": ([c_int, _NETNS_FN, c_void_p, ctypes.POINTER(c_int)],
                               c_int),
        "netns_socket": ([c_int, c_int, c_int, c_int], c_int),
        "netns_spawn": (spawn_args, c_int),
        "netns_spawnp": (spawn_args, c_int),
        "netns_spawn_named": ([ctypes.POINTER(pid_t), c_char_p] + spawn_args[2:],
                              c_int),
        "netns_type": ([c_int], c_int),
        "netns_is_netns": ([c_int], c_int),
    }
    signatures.update(signatures_0_2)
    signatures.update({
        "netns_list": ([_NAME_CB, c_void_p], c_int),
        "netns_identify": ([pid_t, _NAME_CB, c_void_p], c_int),
        "netns_pids": ([c_int, _PID_CB, c_void_p], c_int),
        "netns_get_from_pidfd": ([c_int], c_int),
        "netns_attach": ([c_char_p, pid_t], c_int),
        "netns_attach_fd": ([c_char_p, c_int], c_int),
        "netns_get_id": ([c_int], c_int),
        "netns_set_id": ([c_int, c_int], c_int),
        "netns_get_id_in": ([c_int, c_int], c_int),
        "netns_monitor_open": ([], c_int),
        "netns_monitor_read": ([c_int, _EVENT_CB, c_void_p], c_int),
        "netns_monitor_close": ([ctypes.POINTER(c_int)], c_int),
    })
    signatures.update({
        "netns_list_id": ([_ID_CB, c_void_p], c_int),
    })
    signatures.update({
        "netns_check_name": ([c_char_p], c_int),
        "netns_run_dir": ([ctypes.c_char_p, c_size_t], c_int),
        "netns_enter_named": ([c_char_p], c_int),
        "netns_exec_named": ([c_char_p, c_char_p, argv_t, argv_t], c_int),
    })
    for name, (argtypes, restype) in signatures.items():
        func = getattr(lib, name)
        func.argtypes = argtypes
        func.restype = restype
    return lib


def _load_libc():
    """The C library's posix_spawn helpers, to build the file actions and
    attributes that spawn() passes through to netns_spawn()."""
    libc = ctypes.CDLL(None)
    c_int, c_void_p = ctypes.c_int, ctypes.c_void_p
    signatures = {
        "posix_spawn_file_actions_init": [c_void_p],
        "posix_spawn_file_actions_destroy": [c_void_p],
        "posix_spawn_file_actions_addopen": [c_void_p, c_int, ctypes.c_char_p,
                                             c_int, ctypes.c_uint],
        "posix_spawn_file_actions_addclose": [c_void_p, c_int],
        "posix_spawn_file_actions_adddup2": [c_void_p, c_int, c_int],
        "posix_spawnattr_init": [c_void_p],
        "posix_spawnattr_destroy": [c_void_p],
        "posix_spawnattr_setflags": [c_void_p, ctypes.c_short],
        "posix_spawnattr_setpgroup": [c_void_p, c_int],
        "posix_spawnattr_setsigmask": [c_void_p, c_void_p],
        "posix_spawnattr_setsigdefault": [c_void_p, c_void_p],
        "sigemptyset": [c_void_p],
        "sigaddset": [c_void_p, c_int],
    }
    for name, argtypes in signatures.items():
        func = getattr(libc, name)
        func.argtypes = argtypes
        func.restype = c_int
    return libc


_lib = _load()
_libc = _load_libc()


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


# -- since 0.2: work inside a namespace without moving the caller ------------

def create(name=None):
    """Create a network namespace WITHOUT moving the calling thread, and
    return a handle to it.

    With ``name`` None the namespace is anonymous: it lives as long as the
    handle, or anything inside it (a process, a socket), does. Otherwise it
    is also made persistent as ``<run dir>/<name>``, as :func:`new_named`
    does (``FileExistsError`` when the name is taken).
    """
    raw = None if name is None else _encode(name, "name")
    return NsHandle(_check(_lib.netns_create(raw)))


def create_at(path):
    """Create a network namespace persisted at ``path``, any path whose
    directory exists (like ``unshare --net=FILE``), without moving the
    calling thread; return a handle to it. Remove it with :func:`delete_at`.
    """
    return NsHandle(_check(_lib.netns_create_at(_encode(path, "path"))))


def delete_at(path):
    """Remove the namespace persisted at ``path`` (unmount, then unlink), the
    counterpart of :func:`create_at` as :func:`delete_named` is of
    :func:`new_named`."""
    _check(_lib.netns_delete_at(_encode(path, "path")))


def type(fd):  # noqa: A001 - the C name without netns_, as set() is
    """The namespace type of ``fd`` (a handle, an int descriptor or any
    object with fileno()): one of the ``CLONE_NEW*`` constants, for a
    namespace of any kind. ``OSError`` EINVAL when ``fd`` is not a
    namespace, EBADF when it is not open."""
    return _check(_lib.netns_type(_as_fd(fd)))


def is_netns(fd):
    """Whether ``fd`` (a handle, an int descriptor or any object with
    fileno()) is a network namespace; ``OSError`` EBADF when it is not open."""
    return bool(_check(_lib.netns_is_netns(_as_fd(fd))))


class _Call:
    """One run()/run_isolated() call: what to call and how it ended."""

    __slots__ = ("fn", "args", "kwargs", "isolated", "done", "value", "error")

    def __init__(self, fn, args, kwargs, isolated):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.isolated = isolated
        self.done = False
        self.value = self.error = None


# The calls in progress, by the key passed to C as the callback's argument.
# One callback object serves every call, so no ctypes closure is made per
# call and none can be freed while C still holds it.
_calls = {}
_call_keys = itertools.count(1)  # never 0: C would pass it back as None


def _forget_dummy_thread(ident):
    """Drop the threading._DummyThread that threading.current_thread() (called
    by fn, logging, ...) registers for a thread Python did not start: Python
    3.11 never removes it, so it would outlive run_isolated()'s thread in
    threading.enumerate()."""
    active = getattr(threading, "_active", None)
    lock = getattr(threading, "_active_limbo_lock", None)
    if active is None or lock is None:  # pragma: no cover - other Pythons
        return
    with lock:
        thread = active.get(ident)
        if isinstance(thread, threading._DummyThread):
            del active[ident]


def _trampoline(key):
    # Called by C, on the caller's thread (run) or on a new thread
    # (run_isolated); ctypes takes the GIL, creating a thread state for a
    # thread Python has not seen. Nothing may escape: an exception leaving
    # a ctypes callback is only printed, so it is stashed and re-raised by
    # _run() in the caller.
    call = _calls[key]
    isolated_ident = None
    if call.isolated:
        ident = threading.get_ident()
        if ident not in getattr(threading, "_active", {}):
            isolated_ident = ident
    try:
        call.value = call.fn(*call.args, **call.kwargs)
    except BaseException as e:  # noqa: BLE001 - re-raised in the caller
        call.error = e
    finally:
        call.done = True
        if isolated_ident is not None:
            _forget_dummy_thread(isolated_ident)
    return 0


_trampoline_c = _NETNS_FN(_trampoline)


def _run(cfunc, ns, fn, args, kwargs, isolated):
    if not callable(fn):
        raise TypeError(f"fn must be callable, not {builtins.type(fn).__name__}")
    fd = _as_fd(ns)
    call = _Call(fn, args, kwargs, isolated)
    error = None
    key = next(_call_keys)
    _calls[key] = call
    try:
        rc = cfunc(fd, _trampoline_c, key, None)
    finally:
        del _calls[key]
    try:
        if rc == -_errno.ENOTRECOVERABLE and call.done:
            # fn ran but the thread could not come back: that matters more
            # than fn's outcome, which is chained (as SetGuard does).
            err = OSError(_errno.ENOTRECOVERABLE, os.strerror(_errno.ENOTRECOVERABLE))
            err.__context__, call.error = call.error, None
            raise err
        _check(rc)
        if not call.done:  # pragma: no cover - the callback itself failed
            raise SystemError("netns: the callback did not run to its end")
        # Taken out of call first: the traceback holds the callback's frame,
        # which holds call, so call must not hold the exception.
        error, call.error = call.error, None
        if error is not None:
            raise error
        return call.value
    finally:
        call = error = None


def run(ns, fn, /, *args, **kwargs):
    """Call ``fn(*args, **kwargs)`` on the calling thread inside network
    namespace ``ns`` (a handle, an int descriptor or any object with
    fileno()), then switch the thread back; return what ``fn`` returns.

    An exception raised by ``fn`` reaches the caller unchanged, after the
    switch back. If entering ``ns`` fails, ``OSError`` is raised and ``fn``
    did not run. If switching back fails, ``OSError`` ENOTRECOVERABLE is
    raised (chained to ``fn``'s exception, if any): the thread is then left
    in ``ns`` and must not be used for namespace-sensitive work.
    Calls nest, and any number of threads may call run() at once.
    """
    return _run(_lib.netns_run, ns, fn, args, kwargs, False)


def run_isolated(ns, fn, /, *args, **kwargs):
    """Call ``fn(*args, **kwargs)`` inside network namespace ``ns`` on a new
    OS thread made for the call, wait for it, and return what ``fn``
    returns; an exception raised by ``fn`` reaches the caller unchanged.

    The calling thread never changes namespace, and nothing ``fn`` does to
    its thread (:func:`set`, :func:`new`) outlives the call. ``fn`` sees its
    own thread: :func:`threading.get_native_id` and :class:`threading.local`
    values differ from the caller's, and it may not install signal handlers.
    If the call fails (``OSError``), ``fn`` did not run.
    """
    return _run(_lib.netns_run_isolated, ns, fn, args, kwargs, True)


def socket(ns, family=_socket.AF_INET, type=_socket.SOCK_STREAM, proto=0):  # noqa: A002
    """A :class:`socket.socket` created inside network namespace ``ns``, with
    the arguments of :class:`socket.socket`. It stays in ``ns`` whichever
    thread uses it; the calling thread does not move. Like every socket
    Python makes, it is not inheritable (close-on-exec)."""
    fd = _check(_lib.netns_socket(_as_fd(ns), family, type, proto))
    try:
        return _socket.socket(family, type, proto, fileno=fd)
    except BaseException:
        os.close(fd)
        raise


# -- spawn -------------------------------------------------------------------

# posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on
# x86_64 glibc; ctypes cannot know, so both live in 1 KiB buffers aligned
# for any of their members. sigset_t is 128 bytes in glibc.
_Opaque = ctypes.c_uint64 * 128
_Sigset = ctypes.c_uint64 * 32

# <spawn.h>'s flags (the same in glibc and musl).
_POSIX_SPAWN_RESETIDS = 0x01
_POSIX_SPAWN_SETPGROUP = 0x02
_POSIX_SPAWN_SETSIGDEF = 0x04
_POSIX_SPAWN_SETSIGMASK = 0x08
_POSIX_SPAWN_SETSID = 0x80


def _libc_check(rc):
    """posix_spawn_* helpers return an errno value, not -1."""
    if rc != 0:
        raise OSError(rc, os.strerror(rc))


class _SpawnArgs:
    """The C arguments of one netns_spawn*() call; close() frees them."""

    def __init__(self, argv, env, stdin, stdout, stderr, file_actions,
                 setpgroup, setsid, setsigmask, setsigdef, resetids):
        self._actions = self._attr = None
        self._dups = []
        try:
            self._build(argv, env, stdin, stdout, stderr, file_actions,
                        setpgroup, setsid, setsigmask, setsigdef, resetids)
        except BaseException:
            self.close()
            raise

    def _build(self, argv, env, stdin, stdout, stderr, file_actions,
               setpgroup, setsid, setsigmask, setsigdef, resetids):
        if isinstance(argv, (str, bytes)) or not hasattr(argv, "__iter__"):
            raise TypeError("argv must be a list or tuple of arguments")
        raw_argv = [_encode(a, "argv") for a in argv]
        if not raw_argv:
            raise ValueError("argv must not be empty")
        self.argv0 = raw_argv[0]
        self.argv = (ctypes.c_char_p * (len(raw_argv) + 1))(*raw_argv, None)
        self.envp = None  # NULL: the caller's environment
        if env is not None:
            entries = []
            for key, value in env.items():
                key = os.fsencode(key)
                if not key or b"=" in key or b"\0" in key:
                    raise ValueError("illegal environment variable name")
                entries.append(key + b"=" + _encode(value, "environment"))
            self.envp = (ctypes.c_char_p * (len(entries) + 1))(*entries, None)
        self._build_actions(stdin, stdout, stderr, file_actions)
        self._build_attr(setpgroup, setsid, setsigmask, setsigdef, resetids)

    def _new_actions(self):
        if self._actions is None:
            actions = _Opaque()
            _libc_check(_libc.posix_spawn_file_actions_init(actions))
            self._actions = actions
        return self._actions

    def _std_source(self, value, target):
        """The caller's descriptor to become ``target`` in the child, or None."""
        if value is None:
            return None
        if value == subprocess.DEVNULL:
            flags = os.O_RDONLY if target == 0 else os.O_WRONLY
            _libc_check(_libc.posix_spawn_file_actions_addopen(
                self._new_actions(), target, os.devnull.encode(), flags, 0))
            return None
        if value == subprocess.PIPE:
            raise ValueError("spawn() takes descriptors; for pipes use "
                             "os.pipe() or netns.Popen")
        if target == 2 and value == subprocess.STDOUT:
            return 1  # applied after stdout's own redirection
        fd = value if isinstance(value, int) else value.fileno()
        if 0 <= fd <= 2 and fd != target:
            # An earlier redirection may already have replaced descriptor
            # fd in the child: use a copy above 2 (closed after the call).
            fd = os.dup(fd)
            self._dups.append(fd)
        return fd

    def _build_actions(self, stdin, stdout, stderr, file_actions):
        for target, value in enumerate((stdin, stdout, stderr)):
            fd = self._std_source(value, target)
            if fd is not None and fd != target:
                _libc_check(_libc.posix_spawn_file_actions_adddup2(
                    self._new_actions(), fd, target))
        # The same tuples as os.posix_spawn()'s file_actions.
        for action in file_actions:
            tag, *rest = action
            actions = self._new_actions()
            if tag == os.POSIX_SPAWN_OPEN:
                fd, path, flags, mode = rest
                rc = _libc.posix_spawn_file_actions_addopen(
                    actions, fd, _encode(path, "path"), flags, mode)
            elif tag == os.POSIX_SPAWN_CLOSE:
                (fd,) = rest
                rc = _libc.posix_spawn_file_actions_addclose(actions, fd)
            elif tag == os.POSIX_SPAWN_DUP2:
                fd, new_fd = rest
                rc = _libc.posix_spawn_file_actions_adddup2(actions, fd, new_fd)
            else:
                raise TypeError(f"unknown file action {tag!r}")
            _libc_check(rc)

    def _sigset(self, signals):
        sigset = _Sigset()
        _libc.sigemptyset(sigset)
        for sig in signals:
            if _libc.sigaddset(sigset, int(sig)) != 0:
                raise ValueError(f"invalid signal number {sig}")
        return sigset

    def _build_attr(self, setpgroup, setsid, setsigmask, setsigdef, resetids):
        flags = 0
        flags |= _POSIX_SPAWN_SETPGROUP if setpgroup is not None else 0
        flags |= _POSIX_SPAWN_SETSID if setsid else 0
        flags |= _POSIX_SPAWN_SETSIGMASK if setsigmask is not None else 0
        flags |= _POSIX_SPAWN_SETSIGDEF if setsigdef is not None else 0
        flags |= _POSIX_SPAWN_RESETIDS if resetids else 0
        if not flags:
            return
        attr = _Opaque()
        _libc_check(_libc.posix_spawnattr_init(attr))
        self._attr = attr
        if setpgroup is not None:
            _libc_check(_libc.posix_spawnattr_setpgroup(attr, setpgroup))
        if setsigmask is not None:
            _libc_check(_libc.posix_spawnattr_setsigmask(attr, self._sigset(setsigmask)))
        if setsigdef is not None:
            _libc_check(_libc.posix_spawnattr_setsigdefault(attr, self._sigset(setsigdef)))
        _libc_check(_libc.posix_spawnattr_setflags(attr, flags))

    @property
    def actions(self):
        return self._actions

    @property
    def attr(self):
        return self._attr

    def close(self):
        actions, self._actions = self._actions, None
        if actions is not None:
            _libc.posix_spawn_file_actions_destroy(actions)
        attr, self._attr = self._attr, None
        if attr is not None:
            _libc.posix_spawnattr_destroy(attr)
        dups, self._dups = self._dups, []
        for fd in dups:
            os.close(fd)


def _spawn(call, target, path, argv, env, kwargs):
    args = _SpawnArgs(argv, env, **kwargs)
    try:
        file = args.argv0 if path is None else path
        pid = ctypes.c_int()
        _check(call(ctypes.byref(pid), target, file, args.actions, args.attr,
                    args.argv, args.envp))
        return pid.value
    finally:
        args.close()


def spawn(ns, argv, env=None, *, path=None, stdin=None, stdout=None,
          stderr=None, file_actions=(), setpgroup=None, setsid=False,
          setsigmask=None, setsigdef=None, resetids=False):
    """Start a process inside network namespace ``ns`` and return its pid;
    the caller reaps it (:func:`os.waitpid`). The calling thread does not
    move.

    ``argv[0]`` is searched in ``PATH`` (of the caller's environment) when
    it has no ``/`` (netns_spawnp); ``path`` names the file to run instead,
    as is (netns_spawn). ``env``: a mapping, or None for the caller's
    environment. ``stdin``, ``stdout``, ``stderr``: None (inherit), a
    descriptor or an object with fileno() of the caller's,
    :data:`subprocess.DEVNULL`, or for ``stderr`` :data:`subprocess.STDOUT`.
    ``file_actions``, ``setpgroup``, ``setsid``, ``setsigmask``,
    ``setsigdef`` and ``resetids`` are those of :func:`os.posix_spawn`, and
    are applied after the three above.

    A program that cannot be run raises ``OSError`` here
    (``FileNotFoundError``, ``PermissionError``...), and no child is left.
    """
    path = None if path is None else _encode(path, "path")
    call = _lib.netns_spawnp if path is None else _lib.netns_spawn
    kwargs = dict(stdin=stdin, stdout=stdout, stderr=stderr,
                  file_actions=file_actions, setpgroup=setpgroup, setsid=setsid,
                  setsigmask=setsigmask, setsigdef=setsigdef, resetids=resetids)
    return _spawn(call, _as_fd(ns), path, argv, env, kwargs)


def spawn_named(name, argv, env=None, *, path=None, stdin=None, stdout=None,
                stderr=None, file_actions=(), setpgroup=None, setsid=False,
                setsigmask=None, setsigdef=None, resetids=False):
    """What ``ip netns exec NAME`` does: start a process in the named
    namespace with a private mount namespace of its own, a fresh ``/sys``
    and ``/etc/netns/<name>/*`` mounted over ``/etc``; return its pid. The
    other arguments are those of :func:`spawn`. The caller's thread and
    mount namespace do not change."""
    if path is not None:
        path = _encode(path, "path")
        if b"/" not in path:
            path = b"./" + path  # as spawn(): path is never searched in PATH
    kwargs = dict(stdin=stdin, stdout=stdout, stderr=stderr,
                  file_actions=file_actions, setpgroup=setpgroup, setsid=setsid,
                  setsigmask=setsigmask, setsigdef=setsigdef, resetids=resetids)
    return _spawn(_lib.netns_spawn_named, _encode(name, "name"), path, argv, env,
                  kwargs)


class Popen(subprocess.Popen):
    """:class:`subprocess.Popen` with the child in network namespace ``ns``::

        with netns.Popen(ns, ["ip", "addr"], stdout=subprocess.PIPE) as p:
            out, _ = p.communicate()

    Every argument after ``ns`` is :class:`subprocess.Popen`'s, with all its
    features (pipes, ``communicate()``, ``wait()``, ``returncode``, ``cwd``,
    ``pass_fds``...). The process is started by :mod:`subprocess` itself on a
    thread of :func:`run_isolated`, so it starts in ``ns`` while the calling
    thread never moves; errors (``FileNotFoundError``...) are raised here.
    """

    def __init__(self, ns, args, *popen_args, **popen_kwargs):
        run_isolated(ns, super().__init__, args, *popen_args, **popen_kwargs)

    def __del__(self, *args, **kwargs):
        # subprocess.Popen.__del__ expects a completed __init__; ours may
        # have failed before it ran (e.g. a closed ns).
        if hasattr(self, "returncode"):
            super().__del__(*args, **kwargs)


# -- since 0.3: names, processes, nsids and a monitor -------------------------
#
# The walks (list(), identify(), pids()) take an optional callback. Without
# one they return every item in a Python list (the C walk runs to its end
# first). With one they call callback(item) as the C walk reports each
# item; a true return value stops the walk at once, and the call returns
# whether the callback stopped it. An exception raised by the callback
# stops the walk too and is re-raised once the C call has returned (it
# never crosses the C frames). None of them moves the calling thread.

#: Events of :meth:`Monitor.read` (``NETNS_EVENT_ADD``/``NETNS_EVENT_DEL``).
EVENT_ADD = 1
EVENT_DEL = 2


class _Walk:
    """One callback walk: calls fn, turns its exception into a stop."""

    __slots__ = ("fn", "error", "taken")

    def __init__(self, fn):
        if not callable(fn):
            raise TypeError(f"callback must be callable, not {builtins.type(fn).__name__}")
        self.fn = fn
        self.error = None
        self.taken = 0

    def call(self, *args):
        self.taken += 1
        try:
            return 1 if self.fn(*args) else 0
        except BaseException as e:  # noqa: BLE001 - re-raised by finish()
            self.error = e
            return 1

    def finish(self, rc):
        error, self.error = self.error, None
        if error is not None:
            try:
                raise error
            finally:
                error = None
        return _check(rc) > 0


def _walk_names(cfunc, args, callback):
    if callback is None:
        out = []
        _walk_names(cfunc, args, out.append)
        return out
    walk = _Walk(callback)
    # A ctypes closure per call, alive (in this frame) while C may call it.
    cb = _NAME_CB(lambda name, _arg: walk.call(os.fsdecode(name)))
    return walk.finish(cfunc(*args, cb, None))


def list(callback=None):  # noqa: A001 - the C name without netns_
    """The named namespaces, sorted by name, each once (netns_list): the
    entries of the run directory that are mounted namespaces. Returns a
    list of names (str, os.fsdecode'd); with ``callback``, calls
    ``callback(name)`` for each instead, stopping when it returns a true
    value, and returns whether it did."""
    return _walk_names(_lib.netns_list, (), callback)


def identify(pid, callback=None):
    """Every name of the network namespace of process ``pid``: all its
    aliases (netns_identify); ``[]`` when it has none. ``callback`` as for
    :func:`list`. ``ProcessLookupError`` when there is no such process."""
    return _walk_names(_lib.netns_identify, (pid,), callback)


def pids(ns, callback=None):
    """The pids of the processes in network namespace ``ns`` (a handle, an
    int descriptor or any object with fileno()), ascending (netns_pids).
    ``callback`` as for :func:`list`."""
    fd = _as_fd(ns)
    if callback is None:
        out = []
        pids(fd, out.append)
        return out
    walk = _Walk(callback)
    cb = _PID_CB(lambda pid, _arg: walk.call(pid))
    return walk.finish(_lib.netns_pids(fd, cb, None))


def get_from_pidfd(pidfd):
    """A handle to the network namespace of the process behind ``pidfd``
    (:func:`os.pidfd_open`; an int or an object with fileno()); never
    another process's after its pid is reused. ``OSError`` EINVAL when it
    is not a pidfd, ``ProcessLookupError`` when the process exited."""
    return NsHandle(_check(_lib.netns_get_from_pidfd(_as_fd(pidfd))))


def attach(name, pid):
    """Name the network namespace of process ``pid`` ``<run dir>/<name>``,
    like ``ip netns attach`` but through a pidfd (netns_attach).
    ``FileExistsError`` when the name is taken."""
    _check(_lib.netns_attach(_encode(name, "name"), pid))


def attach_fd(name, ns):
    """Name the network namespace ``ns`` ``<run dir>/<name>``
    (netns_attach_fd); ``ns`` stays open."""
    _check(_lib.netns_attach_fd(_encode(name, "name"), _as_fd(ns)))


def get_id(ns):
    """The namespace id (nsid) the caller's namespace has for ``ns``
    (netns_get_id); ``FileNotFoundError`` when none is assigned."""
    return _check(_lib.netns_get_id(_as_fd(ns)))


def set_id(ns, id=None):  # noqa: A002 - the C parameter's name
    """Assign the nsid ``id`` to ``ns`` in the caller's namespace, or one
    the kernel picks when ``id`` is None; return it (netns_set_id).
    ``FileExistsError`` when ``ns`` has one or ``id`` is taken."""
    return _check(_lib.netns_set_id(_as_fd(ns), -1 if id is None else id))


def get_id_in(ns, target):
    """The nsid that namespace ``target`` has for ``ns`` (netns_get_id_in);
    ``FileNotFoundError`` when none."""
    return _check(_lib.netns_get_id_in(_as_fd(ns), _as_fd(target)))


class Monitor:
    """A watch on the run directory for names added and removed by anyone
    (netns_monitor_open); the directory need not exist yet. Names that
    exist when it opens are not reported.

    It has :meth:`fileno`, so it works with :mod:`selectors`,
    :func:`select.select` and ``asyncio``'s ``loop.add_reader(monitor,
    ...)``; when it is readable, :meth:`read` (never blocking) returns the
    events. Close it with :meth:`close` or a ``with`` block::

        with netns.Monitor() as m:
            sel = selectors.DefaultSelector()
            sel.register(m, selectors.EVENT_READ)
            while sel.select():
                for event, name in m.read():
                    print("+" if event == netns.EVENT_ADD else "-", name)
    """

    __slots__ = ("_fd", "__weakref__")

    _close_fn = _lib.netns_monitor_close

    def __init__(self):
        self._fd = NONE
        self._fd = _check(_lib.netns_monitor_open())

    def fileno(self):
        """The descriptor to poll; raises ValueError when closed."""
        if self._fd < 0:
            raise ValueError("operation on a closed monitor")
        return self._fd

    @property
    def closed(self):
        return self._fd < 0

    def read(self, callback=None):
        """The events since the last read, in order (netns_monitor_read): a
        list of ``(event, name)`` tuples, ``event`` being :data:`EVENT_ADD`
        or :data:`EVENT_DEL`; ``[]`` when there is none. With ``callback``,
        calls ``callback(event, name)`` for each instead, stopping when it
        returns a true value (the rest is kept for the next read), and
        returns the number of events it was given."""
        if callback is None:
            out = []
            self.read(lambda event, name: out.append((event, name)))
            return out
        walk = _Walk(callback)
        cb = _EVENT_CB(lambda event, name, _arg: walk.call(event, os.fsdecode(name)))
        walk.finish(_lib.netns_monitor_read(self._fd, cb, None))
        # C returns the count or the callback's stop value: count here.
        return walk.taken

    def close(self):
        """Close it (netns_monitor_close); closing twice does nothing."""
        fd, self._fd = self._fd, NONE
        if fd >= 0:
            _check(self._close_fn(ctypes.byref(ctypes.c_int(fd))))

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

    def __repr__(self):
        return "<netns.Monitor closed>" if self._fd < 0 else f"<netns.Monitor fd={self._fd}>"


def monitor_open():
    """A new :class:`Monitor` (netns_monitor_open)."""
    return Monitor()


# -- since 0.4: the nsid table -------------------------------------------------


def list_id(callback=None):
    """Every nsid the caller's network namespace has assigned, ascending,
    each once (netns_list_id, ``ip netns list-id``): a list of int; with
    ``callback``, calls ``callback(id)`` for each instead, stopping when it
    returns a true value, and returns whether it did (as :func:`list`).
    The callback runs when the library holds no socket and may call
    anything. Does not move the calling thread."""
    if callback is None:
        out = []
        list_id(out.append)
        return out
    walk = _Walk(callback)
    cb = _ID_CB(lambda nsid, _arg: walk.call(nsid))
    return walk.finish(_lib.netns_list_id(cb, None))


def _check_name_call(rc, name, file=None):
    """_check() whose OSError names the namespace (and the file, if any):
    ``FileNotFoundError: [Errno 2] No such file or directory: 'NAME'``."""
    if rc < 0:
        err = -rc
        if file is None:
            raise OSError(err, os.strerror(err), name)
        raise OSError(err, os.strerror(err), name, None, file)
    return rc


def check_name(name):
    """Raise ``OSError`` EINVAL (with ``name`` as its filename) unless
    ``name`` (str, bytes or os.PathLike) is a valid name for
    ``<run dir>/name`` (netns_check_name): one path component, not empty,
    not ``.`` or ``..``, no ``/`` nor NUL, at most 255 bytes. Pure; does not
    move the calling thread."""
    raw = os.fsencode(name)
    if b"\0" in raw:  # C would see a shorter name: invalid here too
        _check_name_call(-_errno.EINVAL, name)
    _check_name_call(_lib.netns_check_name(raw), name)


def run_dir():
    """The run directory where names are made (netns_run_dir), as str:
    ``$NETNS_RUN_DIR``, else ``/run/netns``, else ``/var/run/netns`` when
    ``/run`` does not exist. Does not move the calling thread."""
    size = 64
    while True:
        buf = ctypes.create_string_buffer(size)
        n = _check(_lib.netns_run_dir(buf, size))
        if n < size:
            return os.fsdecode(buf.value)
        size = n + 1


def enter_named(name):
    """Prepare the CALLING OS THREAD as ``ip netns exec NAME`` prepares its
    process (netns_enter_named): the network namespace ``<run dir>/name``, a
    mount namespace of its own with ``/`` a recursive slave, a fresh
    ``/sys``, the ``/etc/netns/NAME`` binds. MOVES the calling thread
    (network and mount namespace) on success; meant for a process that
    execs next (:func:`exec_named`, or ``os.exec*``). On failure it raises
    ``OSError`` (``name`` as its filename) with the thread back in both
    namespaces, but for ENOTRECOVERABLE."""
    _check_name_call(_lib.netns_enter_named(_encode(name, "name")), name)


def exec_named(name, file, argv, env=None):
    """:func:`enter_named`, then ``execvpe`` of ``file`` with ``argv``
    (``argv[0]`` included) and ``env`` (a mapping; None: the caller's
    environment), searching PATH and running a file without ``#!`` with
    ``/bin/sh`` (netns_exec_named). Replaces the process, as
    :func:`os.execvpe` does (flush Python's buffers first); returns only by
    raising ``OSError`` (``name`` as filename, ``file`` as filename2), with
    the thread back where it was, but for ENOTRECOVERABLE."""
    raw_file = _encode(file, "file")
    args = _SpawnArgs(argv, env, None, None, None, (), None, False, None, None, False)
    try:
        rc = _lib.netns_exec_named(_encode(name, "name"), raw_file, args.argv, args.envp)
    finally:
        args.close()
    _check_name_call(rc if rc < 0 else -_errno.EIO, name, file)


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
