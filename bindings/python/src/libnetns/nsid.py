# SPDX-License-Identifier: Apache-2.0
"""Namespace ids (nsids): :func:`get_id`, :func:`set_id`,
:func:`get_id_in`, :func:`list_id`. None moves the calling thread."""

from __future__ import annotations

from typing import Callable, Optional, overload

from ._errors import check
from ._loader import ID_CB, lib
from ._walk import Walk
from .handle import FdLike, as_fd

__all__ = ["get_id", "set_id", "get_id_in", "list_id"]


def get_id(ns: FdLike) -> int:
    """The nsid the caller's namespace has for ``ns`` (netns_get_id);
    ``FileNotFoundError`` when none is assigned."""
    return check(lib.netns_get_id(as_fd(ns)))


def set_id(ns: FdLike, id: Optional[int] = None) -> int:  # noqa: A002 - C's name
    """Assign nsid ``id`` to ``ns`` in the caller's namespace, or one the
    kernel picks when None; return it (netns_set_id). ``FileExistsError``
    when ``ns`` has one or ``id`` is taken."""
    return check(lib.netns_set_id(as_fd(ns), -1 if id is None else id))


def get_id_in(ns: FdLike, target: FdLike) -> int:
    """The nsid namespace ``target`` has for ``ns`` (netns_get_id_in);
    ``FileNotFoundError`` when none."""
    return check(lib.netns_get_id_in(as_fd(ns), as_fd(target)))


@overload
def list_id(callback: None = None) -> list[int]: ...
@overload
def list_id(callback: Callable[[int], object]) -> bool: ...


def list_id(callback: Optional[Callable[[int], object]] = None) -> list[int] | bool:
    """Every nsid the caller's namespace has assigned, ascending, each once
    (netns_list_id, ``ip netns list-id``); with ``callback``, calls
    ``callback(id)`` for each instead, stopping when it returns a true
    value, and returns whether it did."""
    if callback is None:
        out: list[int] = []
        list_id(out.append)
        return out
    walk = Walk(callback)
    cb = ID_CB(lambda nsid, _arg: walk.call(nsid))
    return walk.finish(lib.netns_list_id(cb, None))
