# SPDX-License-Identifier: Apache-2.0
"""Creating, naming and deleting namespaces, without moving the calling
thread: :func:`create`, :func:`create_at`, :func:`delete_named`,
:func:`delete_at`, :func:`attach`, :func:`attach_fd`, and the name rule and
run directory the library uses (:func:`check_name`, :func:`run_dir`)."""

from __future__ import annotations

import ctypes
import errno
import os
from typing import Optional

from ._errors import StrPath, check, encode, encode_optional
from ._loader import lib
from .handle import FdLike, Handle, as_fd

__all__ = ["create", "create_at", "delete_named", "delete_at", "attach", "attach_fd",
           "check_name", "run_dir"]


def create(name: Optional[StrPath] = None) -> Handle:
    """Create a network namespace WITHOUT moving the calling thread and
    return a handle to it (netns_create). Anonymous when ``name`` is None
    (it lives while the handle or anything inside it does); else also
    persistent as ``<run dir>/name`` (``FileExistsError`` naming it when
    taken)."""
    return Handle(check(lib.netns_create(encode_optional(name, "name")), name))


def create_at(path: StrPath) -> Handle:
    """Create a network namespace persisted at ``path``, any path whose
    directory exists (``unshare --net=FILE``), without moving the calling
    thread (netns_create_at). Remove it with :func:`delete_at`."""
    return Handle(check(lib.netns_create_at(encode(path, "path")), path))


def delete_named(name: StrPath) -> None:
    """Remove the entry ``<run dir>/name`` (netns_delete_named); the
    namespace lives on while used."""
    check(lib.netns_delete_named(encode(name, "name")), name)


def delete_at(path: StrPath) -> None:
    """Remove the namespace persisted at ``path`` (unmount, then unlink;
    netns_delete_at)."""
    check(lib.netns_delete_at(encode(path, "path")), path)


def attach(name: StrPath, pid: int) -> None:
    """Name the network namespace of process ``pid`` ``<run dir>/name``,
    like ``ip netns attach`` but through a pidfd (netns_attach).
    ``FileExistsError`` when the name is taken."""
    check(lib.netns_attach(encode(name, "name"), pid), name)


def attach_fd(name: StrPath, ns: FdLike) -> None:
    """Name network namespace ``ns`` ``<run dir>/name`` (netns_attach_fd);
    ``ns`` stays open."""
    check(lib.netns_attach_fd(encode(name, "name"), as_fd(ns)), name)


def check_name(name: StrPath) -> None:
    """Raise ``OSError`` EINVAL (naming it) unless ``name`` is a valid name
    for ``<run dir>/name`` (netns_check_name): one path component, not
    empty, not ``.`` or ``..``, no ``/`` nor NUL, at most 255 bytes. Pure."""
    raw = os.fsencode(name)
    if b"\0" in raw:  # C would see a shorter name: invalid here too
        check(-errno.EINVAL, name)
    check(lib.netns_check_name(raw), name)


def run_dir() -> str:
    """The run directory where names are made (netns_run_dir):
    ``$NETNS_RUN_DIR``, else ``/run/netns``, else ``/var/run/netns`` when
    ``/run`` does not exist."""
    size = 64
    while True:
        buf = ctypes.create_string_buffer(size)
        n = check(lib.netns_run_dir(buf, size))
        if n < size:
            return os.fsdecode(buf.value)
        size = n + 1
