# SPDX-License-Identifier: Apache-2.0
"""libnetns: handles to Linux network namespaces, and work done inside them
without moving the caller (ctypes bindings of the libnetns C library).

    import libnetns

    with libnetns.create() as ns:              # does not move the caller
        print(libnetns.run_isolated(ns, libnetns.get).unique_id())

The names are the C functions' without ``netns_`` (doc/bindings.md has the
table for C, C++, Python and Rust); ``set_``, ``list_`` and ``type_`` end
with ``_`` so that ``from libnetns import *`` shadows no builtin. Failures
raise ``OSError`` (``FileNotFoundError``, ``PermissionError``...) carrying
the namespace's name, path or program as ``filename``, as ``os`` does.

Switches (:func:`set_`, :func:`setns`, :func:`new`, :func:`new_named`,
:class:`SetGuard`, :func:`enter_named`) act on the calling OS thread only;
:func:`create`, :func:`run`, :func:`run_isolated`, :func:`socket`,
:func:`spawn` and :class:`Popen` leave the caller where it is.

The C library is loaded from ``$NETNS_LIBRARY``, else the copy this
package carries (a wheel built from source), else the system's
``libnetns.so.0`` (Debian: ``libnetns0``).

The modules, one per concept: :mod:`libnetns.handle` (handles, lookups),
:mod:`libnetns.switching`, :mod:`libnetns.naming` (creating, naming,
deleting), :mod:`libnetns.inside` (running inside), :mod:`libnetns.listing`
(listing, identifying, watching), :mod:`libnetns.nsid`.
"""

from .handle import (
    CLONE_IO, CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID,
    CLONE_NEWTIME, CLONE_NEWUSER, CLONE_NEWUTS, NONE, FdLike, Handle, get, get_from_docker,
    get_from_name, get_from_path, get_from_pid, get_from_pidfd, get_from_thread, is_netns,
    type_, version,
)
from .inside import (
    Popen, enter_named, exec_named, run, run_isolated, socket, spawn, spawn_named,
)
from .listing import Event, Monitor, identify, list_, monitor_open, pids
from .naming import (
    attach, attach_fd, check_name, create, create_at, delete_at, delete_named, run_dir,
)
from .nsid import get_id, get_id_in, list_id, set_id
from .switching import SetGuard, new, new_named, set_, setns

__all__ = [
    # handles and lookups
    "Handle", "FdLike", "NONE", "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER",
    "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_IO", "CLONE_NEWNS", "CLONE_NEWCGROUP",
    "CLONE_NEWTIME", "version", "get", "get_from_path", "get_from_name", "get_from_pid",
    "get_from_thread", "get_from_docker", "get_from_pidfd", "type_", "is_netns",
    # switching the calling thread
    "set_", "setns", "new", "new_named", "SetGuard",
    # creating, naming, deleting
    "create", "create_at", "delete_named", "delete_at", "attach", "attach_fd",
    "check_name", "run_dir",
    # running inside
    "run", "run_isolated", "socket", "spawn", "spawn_named", "Popen", "enter_named",
    "exec_named",
    # listing, identifying, watching
    "list_", "identify", "pids", "Event", "Monitor", "monitor_open",
    # nsids
    "get_id", "set_id", "get_id_in", "list_id",
]
