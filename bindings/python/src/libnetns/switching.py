# SPDX-License-Identifier: Apache-2.0
"""Switching the CALLING OS THREAD between namespaces: :func:`set_`,
:func:`setns`, :func:`new`, :func:`new_named` and :class:`SetGuard`. Each
:class:`threading.Thread` is an OS thread of its own: a switch in one never
moves another. To do work inside a namespace without moving the caller,
see :mod:`libnetns.inside`."""

from __future__ import annotations

import os
from types import TracebackType
from typing import Optional

from ._errors import StrPath, check, encode
from ._loader import lib
from .handle import FdLike, Handle, as_fd, get

__all__ = ["set_", "setns", "new", "new_named", "SetGuard"]


def set_(ns: FdLike) -> None:
    """Move the calling thread into network namespace ``ns`` (netns_set).
    ``set_`` because ``set`` is a builtin."""
    check(lib.netns_set(as_fd(ns)))


def setns(ns: FdLike, nstype: int = 0) -> None:
    """Move the calling thread into namespace ``ns`` of type ``nstype`` (a
    ``CLONE_NEW*`` constant, or 0 for any), as setns(2)."""
    check(lib.netns_setns(as_fd(ns), nstype))


def new() -> Handle:
    """Create a network namespace and MOVE the calling thread into it
    (netns_new). :func:`libnetns.create` does not move it."""
    return Handle(check(lib.netns_new()))


def new_named(name: StrPath) -> Handle:
    """Create the persistent namespace ``<run dir>/name`` and MOVE the
    calling thread into it (netns_new_named); ``FileExistsError`` (naming
    it) when taken."""
    return Handle(check(lib.netns_new_named(encode(name, "name")), name))


class SetGuard:
    """A ``with`` block inside network namespace ``ns``::

        with libnetns.SetGuard(ns) as guard:
            ...  # this thread is in ns here; guard.saved is where it was

    Entering the block saves the calling thread's namespace and moves the
    thread into ``ns`` (it has not moved when that fails). :meth:`restore`
    goes back at once and raises ``OSError`` when it cannot. Leaving the
    block goes back unless :meth:`restore` did, and ignores a failure, as
    C++'s destructor and Rust's ``Drop`` do: the thread then stays in
    ``ns`` (``setns(2)`` back into the namespace a thread just left fails
    only without kernel memory); call :meth:`restore` to be told. Other
    threads never move. A guard serves one block at a time.
    """

    __slots__ = ("_target", "_saved")

    def __init__(self, ns: FdLike) -> None:
        self._target = ns
        self._saved: Optional[Handle] = None

    @property
    def saved(self) -> Handle:
        """The namespace the thread goes back to; empty outside the block
        and after :meth:`restore`."""
        return self._saved if self._saved is not None else Handle()

    def __enter__(self) -> SetGuard:
        if self._saved is not None:
            raise RuntimeError("this SetGuard is already in use")
        saved = get()
        try:
            set_(self._target)
        except BaseException:
            saved.close()
            raise
        self._saved = saved
        return self

    def restore(self) -> None:
        """Move the thread back now (netns_set); ``OSError`` when it cannot,
        the saved handle being kept so that leaving the block tries
        again."""
        saved = self._saved
        if saved is None or not saved:
            return
        set_(saved)
        saved.close()

    def __exit__(self, exc_type: Optional[type[BaseException]],
                 exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        saved, self._saved = self._saved, None
        if saved is None or not saved:
            return
        fd = saved.release()
        try:
            set_(fd)
        except OSError:
            pass  # documented: the end of the block ignores it (restore() reports)
        finally:
            try:
                os.close(fd)
            except OSError:
                pass
