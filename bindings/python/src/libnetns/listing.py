# SPDX-License-Identifier: Apache-2.0
"""Listing, identifying and watching: :func:`list_`, :func:`identify`,
:func:`pids`, and :class:`Monitor` for names that come and go. None moves
the calling thread.

The walks take an optional callback: without one they return every item
in a list; with one they call ``callback(item)`` for each, stop when it
returns a true value and return whether it did. An exception raised by the
callback stops the walk and is raised again by the call."""

from __future__ import annotations

import enum
import os
from typing import Any, Callable, Optional, overload

from ._errors import check
from ._loader import EVENT_CB, NAME_CB, PID_CB, lib
from ._walk import Walk
from .handle import NONE, FdLike, _Owned, as_fd

__all__ = ["list_", "identify", "pids", "Event", "Monitor", "monitor_open"]


def _walk_names(cfunc: Callable[..., int], args: tuple[Any, ...],
                callback: Callable[[str], object]) -> bool:
    walk = Walk(callback)
    # A ctypes closure per call, alive (in this frame) while C may call it.
    cb = NAME_CB(lambda name, _arg: walk.call(os.fsdecode(name)))
    return walk.finish(cfunc(*args, cb, None))


@overload
def list_(callback: None = None) -> list[str]: ...
@overload
def list_(callback: Callable[[str], object]) -> bool: ...


def list_(callback: Optional[Callable[[str], object]] = None) -> list[str] | bool:
    """The named namespaces, sorted, each once (netns_list): the entries of
    the run directory that are mounted namespaces. ``list_`` because
    ``list`` is a builtin."""
    if callback is None:
        out: list[str] = []
        _walk_names(lib.netns_list, (), out.append)
        return out
    return _walk_names(lib.netns_list, (), callback)


@overload
def identify(pid: int, callback: None = None) -> list[str]: ...
@overload
def identify(pid: int, callback: Callable[[str], object]) -> bool: ...


def identify(pid: int, callback: Optional[Callable[[str], object]] = None) -> list[str] | bool:
    """Every name of the network namespace of process ``pid``, all its
    aliases (netns_identify); ``[]`` when it has none.
    ``ProcessLookupError`` when there is no such process."""
    if callback is None:
        out: list[str] = []
        _walk_names(lib.netns_identify, (pid,), out.append)
        return out
    return _walk_names(lib.netns_identify, (pid,), callback)


@overload
def pids(ns: FdLike, callback: None = None) -> list[int]: ...
@overload
def pids(ns: FdLike, callback: Callable[[int], object]) -> bool: ...


def pids(ns: FdLike, callback: Optional[Callable[[int], object]] = None) -> list[int] | bool:
    """The pids of the processes in network namespace ``ns``, ascending
    (netns_pids)."""
    fd = as_fd(ns)
    if callback is None:
        out: list[int] = []
        pids(fd, out.append)
        return out
    walk = Walk(callback)
    cb = PID_CB(lambda pid, _arg: walk.call(pid))
    return walk.finish(lib.netns_pids(fd, cb, None))


class Event(enum.IntEnum):
    """What :meth:`Monitor.read` reports (``NETNS_EVENT_*``)."""

    #: A name became usable.
    ADD = 1
    #: A name was removed.
    DEL = 2


class Monitor(_Owned):
    """A watch on the run directory for names added and removed by anyone
    (netns_monitor_open); the directory need not exist yet, and names that
    exist when it opens are not reported.

    It has :meth:`fileno`, so it works with :mod:`selectors` and asyncio's
    ``loop.add_reader(monitor, ...)``; when it is readable, :meth:`read`
    (never blocking) returns the events. Close it with :meth:`close` or a
    ``with`` block::

        with libnetns.Monitor() as m:
            sel = selectors.DefaultSelector()
            sel.register(m, selectors.EVENT_READ)
            while sel.select():
                for event, name in m.read():
                    print("+" if event == libnetns.Event.ADD else "-", name)
    """

    __slots__ = ()

    _close_fn: Any = lib.netns_monitor_close

    def __init__(self) -> None:
        self._fd = NONE
        self._fd = check(lib.netns_monitor_open())

    def fileno(self) -> int:
        """The descriptor to poll; ValueError when closed."""
        if self._fd < 0:
            raise ValueError("operation on a closed monitor")
        return self._fd

    def is_open(self) -> bool:
        """Whether it holds a descriptor."""
        return self._fd >= 0

    @overload
    def read(self, callback: None = None) -> list[tuple[Event, str]]: ...
    @overload
    def read(self, callback: Callable[[Event, str], object]) -> int: ...

    def read(self, callback: Optional[Callable[[Event, str], object]] = None
             ) -> list[tuple[Event, str]] | int:
        """The events since the last read, in order (netns_monitor_read): a
        list of ``(Event, name)``; ``[]`` when none. With ``callback``,
        calls ``callback(event, name)`` for each instead, stopping when it
        returns a true value (the rest is kept for the next read), and
        returns the number of events it was given."""
        if callback is None:
            out: list[tuple[Event, str]] = []
            self.read(lambda event, name: out.append((event, name)))
            return out
        walk = Walk(callback)
        cb = EVENT_CB(lambda event, name, _arg: walk.call(Event(event), os.fsdecode(name)))
        walk.finish(lib.netns_monitor_read(self._fd, cb, None))
        # C returns the count or the callback's stop value: count here.
        return walk.taken

    def __repr__(self) -> str:
        if self._fd < 0:
            return "<libnetns.Monitor closed>"
        return f"<libnetns.Monitor fd={self._fd}>"


def monitor_open() -> Monitor:
    """A new :class:`Monitor` (netns_monitor_open)."""
    return Monitor()
