# SPDX-License-Identifier: Apache-2.0
"""Running inside a namespace.

Without moving the caller: :func:`run` (the calling thread goes in and
comes back), :func:`run_isolated` (a thread made for the call),
:func:`socket`, :func:`spawn`, :func:`spawn_named` and :class:`Popen` (a
process started inside). In place, for a process that execs next:
:func:`enter_named` and :func:`exec_named`, which MOVE the calling thread,
as ``ip netns exec`` prepares its process."""

from __future__ import annotations

import ctypes
import errno as _errno
import itertools
import os
import socket as _socket
import subprocess
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Callable, NoReturn, Optional, ParamSpec, TypeVar, Union

from ._errors import StrPath, check, encode, error
from ._loader import FN, lib, libc
from .handle import FdLike, as_fd

__all__ = ["run", "run_isolated", "socket", "spawn", "spawn_named", "Popen", "enter_named",
           "exec_named"]

P = ParamSpec("P")
T = TypeVar("T")

#: A descriptor for spawn()'s stdin/stdout/stderr: None (inherit), an int,
#: an object with fileno(), subprocess.DEVNULL or (stderr) subprocess.STDOUT.
Redirect = Union[None, int, Any]
#: One of os.posix_spawn()'s file_actions tuples.
FileAction = tuple[Any, ...]


class _Call:
    """One run()/run_isolated() call: what to call and how it ended."""

    __slots__ = ("fn", "args", "kwargs", "isolated", "done", "value", "error")

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 isolated: bool) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.isolated = isolated
        self.done = False
        self.value: Any = None
        self.error: Optional[BaseException] = None


# The calls in progress, by the key passed to C as the callback's argument.
# One callback object serves every call, so no ctypes closure is made per
# call and none can be freed while C still holds it.
_calls: dict[int, _Call] = {}
_call_keys = itertools.count(1)  # never 0: C would pass it back as None


def _forget_dummy_thread(ident: int) -> None:
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


def _trampoline(key: int) -> int:
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


_trampoline_c = FN(_trampoline)


def _run(cfunc: Callable[..., int], ns: FdLike, fn: Callable[..., T], args: tuple[Any, ...],
         kwargs: dict[str, Any], isolated: bool) -> T:
    if not callable(fn):
        raise TypeError(f"fn must be callable, not {type(fn).__name__}")
    fd = as_fd(ns)
    call = _Call(fn, args, kwargs, isolated)
    exc: Optional[BaseException] = None
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
        check(rc)
        if not call.done:  # pragma: no cover - the callback itself failed
            raise SystemError("libnetns: the callback did not run to its end")
        # Taken out of call first: the traceback holds the callback's frame,
        # which holds call, so call must not hold the exception.
        exc, call.error = call.error, None
        if exc is not None:
            raise exc
        value: T = call.value
        return value
    finally:
        del call, exc


def run(ns: FdLike, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
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
    return _run(lib.netns_run, ns, fn, args, kwargs, False)


def run_isolated(ns: FdLike, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Call ``fn(*args, **kwargs)`` inside network namespace ``ns`` on a new
    OS thread made for the call, wait for it, and return what ``fn``
    returns; an exception raised by ``fn`` reaches the caller unchanged.

    The calling thread never changes namespace, and nothing ``fn`` does to
    its thread (:func:`libnetns.set_`, :func:`libnetns.new`) outlives the call. ``fn`` sees its
    own thread: :func:`threading.get_native_id` and :class:`threading.local`
    values differ from the caller's, and it may not install signal handlers.
    If the call fails (``OSError``), ``fn`` did not run.
    """
    return _run(lib.netns_run_isolated, ns, fn, args, kwargs, True)


def socket(ns: FdLike, family: int = _socket.AF_INET, type: int = _socket.SOCK_STREAM,  # noqa: A002
           proto: int = 0) -> _socket.socket:
    """A :class:`socket.socket` created inside network namespace ``ns``, with
    the arguments of :class:`socket.socket`. It stays in ``ns`` whichever
    thread uses it; the calling thread does not move. Like every socket
    Python makes, it is not inheritable (close-on-exec)."""
    fd = check(lib.netns_socket(as_fd(ns), family, type, proto))
    try:
        return _socket.socket(family, type, proto, fileno=fd)
    except BaseException:
        os.close(fd)
        raise


# -- spawn -------------------------------------------------------------------

# ctypes cannot know the size of posix_spawn_file_actions_t,
# posix_spawnattr_t or sigset_t: they live in buffers large and aligned
# enough for the C library's (bindings/check-facts.py compares them with the
# C compiler's sizeof/alignof, and the flags below with <spawn.h>'s).
_Opaque = ctypes.c_uint64 * 128
_Sigset = ctypes.c_uint64 * 32

# <spawn.h>'s flags (the same in glibc and musl; checked, see above).
_POSIX_SPAWN_RESETIDS = 0x01
_POSIX_SPAWN_SETPGROUP = 0x02
_POSIX_SPAWN_SETSIGDEF = 0x04
_POSIX_SPAWN_SETSIGMASK = 0x08
_POSIX_SPAWN_SETSID = 0x80


def _libc_check(rc: int) -> None:
    """posix_spawn_* helpers return an errno value, not -1."""
    if rc != 0:
        raise OSError(rc, os.strerror(rc))


class _SpawnArgs:
    """The C arguments of one netns_spawn*() call; close() frees them."""

    def __init__(self, argv: Sequence[StrPath], env: Optional[Mapping[StrPath, StrPath]],
                 stdin: Redirect = None, stdout: Redirect = None, stderr: Redirect = None,
                 file_actions: Iterable[FileAction] = (), setpgroup: Optional[int] = None,
                 setsid: bool = False, setsigmask: Optional[Iterable[int]] = None,
                 setsigdef: Optional[Iterable[int]] = None, resetids: bool = False) -> None:
        self.actions: Any = None
        self.attr: Any = None
        self._dups: list[int] = []
        try:
            if isinstance(argv, (str, bytes)) or not hasattr(argv, "__iter__"):
                raise TypeError("argv must be a list or tuple of arguments")
            raw_argv = [encode(a, "argv") for a in argv]
            if not raw_argv:
                raise ValueError("argv must not be empty")
            self.argv0 = raw_argv[0]
            self.argv: Any = (ctypes.c_char_p * (len(raw_argv) + 1))(*raw_argv, None)
            self.envp: Any = None  # NULL: the caller's environment
            if env is not None:
                entries = []
                for key, value in env.items():
                    raw_key = os.fsencode(key)
                    if not raw_key or b"=" in raw_key or b"\0" in raw_key:
                        raise ValueError("illegal environment variable name")
                    entries.append(raw_key + b"=" + encode(value, "environment"))
                self.envp = (ctypes.c_char_p * (len(entries) + 1))(*entries, None)
            self._build_actions(stdin, stdout, stderr, file_actions)
            self._build_attr(setpgroup, setsid, setsigmask, setsigdef, resetids)
        except BaseException:
            self.close()
            raise

    def _new_actions(self) -> Any:
        if self.actions is None:
            actions = _Opaque()
            _libc_check(libc.posix_spawn_file_actions_init(actions))
            self.actions = actions
        return self.actions

    def _std_source(self, value: Redirect, target: int) -> Optional[int]:
        """The caller's descriptor to become ``target`` in the child, or None."""
        if value is None:
            return None
        if value == subprocess.DEVNULL:
            flags = os.O_RDONLY if target == 0 else os.O_WRONLY
            _libc_check(libc.posix_spawn_file_actions_addopen(
                self._new_actions(), target, os.devnull.encode(), flags, 0))
            return None
        if value == subprocess.PIPE:
            raise ValueError("spawn() takes descriptors; for pipes use "
                             "os.pipe() or libnetns.Popen")
        if target == 2 and value == subprocess.STDOUT:
            return 1  # applied after stdout's own redirection
        fd: int = value if isinstance(value, int) else value.fileno()
        if 0 <= fd <= 2 and fd != target:
            # An earlier redirection may already have replaced descriptor
            # fd in the child: use a copy above 2 (closed after the call).
            fd = os.dup(fd)
            self._dups.append(fd)
        return fd

    def _build_actions(self, stdin: Redirect, stdout: Redirect, stderr: Redirect,
                       file_actions: Iterable[FileAction]) -> None:
        for target, value in enumerate((stdin, stdout, stderr)):
            fd = self._std_source(value, target)
            if fd is not None and fd != target:
                _libc_check(libc.posix_spawn_file_actions_adddup2(
                    self._new_actions(), fd, target))
        # The same tuples as os.posix_spawn()'s file_actions.
        for action in file_actions:
            tag, *rest = action
            actions = self._new_actions()
            if tag == os.POSIX_SPAWN_OPEN:
                fd, path, flags, mode = rest
                rc = libc.posix_spawn_file_actions_addopen(
                    actions, fd, encode(path, "path"), flags, mode)
            elif tag == os.POSIX_SPAWN_CLOSE:
                (fd,) = rest
                rc = libc.posix_spawn_file_actions_addclose(actions, fd)
            elif tag == os.POSIX_SPAWN_DUP2:
                fd, new_fd = rest
                rc = libc.posix_spawn_file_actions_adddup2(actions, fd, new_fd)
            else:
                raise TypeError(f"unknown file action {tag!r}")
            _libc_check(rc)

    @staticmethod
    def _sigset(signals: Iterable[int]) -> Any:
        sigset = _Sigset()
        libc.sigemptyset(sigset)
        for sig in signals:
            if libc.sigaddset(sigset, int(sig)) != 0:
                raise ValueError(f"invalid signal number {sig}")
        return sigset

    def _build_attr(self, setpgroup: Optional[int], setsid: bool,
                    setsigmask: Optional[Iterable[int]], setsigdef: Optional[Iterable[int]],
                    resetids: bool) -> None:
        flags = 0
        flags |= _POSIX_SPAWN_SETPGROUP if setpgroup is not None else 0
        flags |= _POSIX_SPAWN_SETSID if setsid else 0
        flags |= _POSIX_SPAWN_SETSIGMASK if setsigmask is not None else 0
        flags |= _POSIX_SPAWN_SETSIGDEF if setsigdef is not None else 0
        flags |= _POSIX_SPAWN_RESETIDS if resetids else 0
        if not flags:
            return
        attr = _Opaque()
        _libc_check(libc.posix_spawnattr_init(attr))
        self.attr = attr
        if setpgroup is not None:
            _libc_check(libc.posix_spawnattr_setpgroup(attr, setpgroup))
        if setsigmask is not None:
            _libc_check(libc.posix_spawnattr_setsigmask(attr, self._sigset(setsigmask)))
        if setsigdef is not None:
            _libc_check(libc.posix_spawnattr_setsigdefault(attr, self._sigset(setsigdef)))
        _libc_check(libc.posix_spawnattr_setflags(attr, flags))

    def close(self) -> None:
        actions, self.actions = self.actions, None
        if actions is not None:
            libc.posix_spawn_file_actions_destroy(actions)
        attr, self.attr = self.attr, None
        if attr is not None:
            libc.posix_spawnattr_destroy(attr)
        dups, self._dups = self._dups, []
        for fd in dups:
            os.close(fd)


def spawn(ns: FdLike, argv: Sequence[StrPath], env: Optional[Mapping[StrPath, StrPath]] = None,
          *, path: Optional[StrPath] = None, stdin: Redirect = None, stdout: Redirect = None,
          stderr: Redirect = None, file_actions: Iterable[FileAction] = (),
          setpgroup: Optional[int] = None, setsid: bool = False,
          setsigmask: Optional[Iterable[int]] = None, setsigdef: Optional[Iterable[int]] = None,
          resetids: bool = False) -> int:
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

    A program that cannot be run raises ``OSError`` here, naming it as
    ``filename`` (``FileNotFoundError``, ``PermissionError``...), and no
    child is left.
    """
    raw_path = None if path is None else encode(path, "path")
    call = lib.netns_spawnp if raw_path is None else lib.netns_spawn
    args = _SpawnArgs(argv, env, stdin, stdout, stderr, file_actions, setpgroup, setsid,
                      setsigmask, setsigdef, resetids)
    try:
        program = argv[0] if path is None else path
        pid = ctypes.c_int()
        check(call(ctypes.byref(pid), as_fd(ns), args.argv0 if raw_path is None else raw_path,
                   args.actions, args.attr, args.argv, args.envp), program)
        return pid.value
    finally:
        args.close()


def spawn_named(name: StrPath, argv: Sequence[StrPath],
                env: Optional[Mapping[StrPath, StrPath]] = None, *,
                path: Optional[StrPath] = None, stdin: Redirect = None, stdout: Redirect = None,
                stderr: Redirect = None, file_actions: Iterable[FileAction] = (),
                setpgroup: Optional[int] = None, setsid: bool = False,
                setsigmask: Optional[Iterable[int]] = None,
                setsigdef: Optional[Iterable[int]] = None, resetids: bool = False) -> int:
    """What ``ip netns exec NAME`` does: start a process in the named
    namespace with a private mount namespace of its own, a fresh ``/sys``
    and ``/etc/netns/<name>/*`` mounted over ``/etc``; return its pid. The
    other arguments are those of :func:`spawn`. The caller's thread and
    mount namespace do not change. An ``OSError`` names the namespace as
    ``filename`` and the program as ``filename2``."""
    raw_path = None
    if path is not None:
        raw_path = encode(path, "path")
        if b"/" not in raw_path:
            raw_path = b"./" + raw_path  # as spawn(): path is never searched in PATH
    args = _SpawnArgs(argv, env, stdin, stdout, stderr, file_actions, setpgroup, setsid,
                      setsigmask, setsigdef, resetids)
    try:
        program = argv[0] if path is None else path
        pid = ctypes.c_int()
        check(lib.netns_spawn_named(ctypes.byref(pid), encode(name, "name"),
                                    args.argv0 if raw_path is None else raw_path,
                                    args.actions, args.attr, args.argv, args.envp),
              name, program)
        return pid.value
    finally:
        args.close()


class Popen(subprocess.Popen[Any]):
    """:class:`subprocess.Popen` with the child in network namespace ``ns``::

        with libnetns.Popen(ns, ["ip", "addr"], stdout=subprocess.PIPE) as p:
            out, _ = p.communicate()

    Every argument after ``ns`` is :class:`subprocess.Popen`'s, with all its
    features (pipes, ``communicate()``, ``wait()``, ``returncode``, ``cwd``,
    ``pass_fds``...). The process is started by :mod:`subprocess` itself on a
    thread of :func:`run_isolated`, so it starts in ``ns`` while the calling
    thread never moves; errors (``FileNotFoundError``...) are raised here.
    """

    def __init__(self, ns: FdLike, args: Any, *popen_args: Any, **popen_kwargs: Any) -> None:
        init: Callable[..., None] = super().__init__
        run_isolated(ns, init, args, *popen_args, **popen_kwargs)

    def __del__(self, *args: Any, **kwargs: Any) -> None:
        # subprocess.Popen.__del__ expects a completed __init__; ours may
        # have failed before it ran (e.g. a closed ns).
        if hasattr(self, "returncode"):
            super().__del__(*args, **kwargs)  # type: ignore[misc]


def enter_named(name: StrPath) -> None:
    """Prepare the CALLING OS THREAD as ``ip netns exec NAME`` prepares its
    process (netns_enter_named): the network namespace ``<run dir>/name``, a
    mount namespace of its own with ``/`` a recursive slave, a fresh
    ``/sys``, the ``/etc/netns/NAME`` binds. MOVES the calling thread
    (network and mount namespace) on success; meant for a process that
    execs next (:func:`exec_named`, or ``os.exec*``). On failure it raises
    ``OSError`` (``name`` as its filename) with the thread back in both
    namespaces, but for ENOTRECOVERABLE."""
    check(lib.netns_enter_named(encode(name, "name")), name)


def exec_named(name: StrPath, file: StrPath, argv: Sequence[StrPath],
               env: Optional[Mapping[StrPath, StrPath]] = None) -> NoReturn:
    """:func:`enter_named`, then ``execvpe`` of ``file`` with ``argv``
    (``argv[0]`` included) and ``env`` (a mapping; None: the caller's
    environment), searching PATH and running a file without ``#!`` with
    ``/bin/sh`` (netns_exec_named). Replaces the process, as
    :func:`os.execvpe` does (flush Python's buffers first); returns only by
    raising ``OSError`` (``name`` as filename, ``file`` as filename2), with
    the thread back where it was, but for ENOTRECOVERABLE."""
    raw_file = encode(file, "file")
    args = _SpawnArgs(argv, env)
    try:
        rc: int = lib.netns_exec_named(encode(name, "name"), raw_file, args.argv, args.envp)
    finally:
        args.close()
    raise error(-rc if rc < 0 else _errno.EIO, name, file)
