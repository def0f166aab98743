# SPDX-License-Identifier: Apache-2.0
"""Loading libnetns.so.0 with ctypes, and the C signatures.

The library is looked for, in order: ``$NETNS_LIBRARY`` (a path, for an
uninstalled build); the copy a wheel carries (this package's directory, or
meson-python's ``.libnetns.mesonpy.libs`` next to it); the system's
``libnetns.so.0``, by its soname (Debian's ``libnetns0``).
"""

from __future__ import annotations

import ctypes
import glob
import os
from typing import Any

HOW_TO_GET = (
    "libnetns.so.0 (the libnetns C library) could not be loaded: install it "
    "(Debian: `apt install libnetns0`), or install this package from source "
    "with its own copy of the library (`pip install --no-build-isolation .` "
    "in a libnetns checkout, with meson, ninja, a C++20 compiler, meson-python "
    "and patchelf), "
    "or set NETNS_LIBRARY to the path of a libnetns.so.0"
)

#: ``int (*netns_fn)(void *arg)``.
FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
#: ``netns_name_cb``; the name arrives as bytes (c_char_p).
NAME_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
#: ``netns_pid_cb``.
PID_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p)
#: ``netns_event_cb``.
EVENT_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
#: ``netns_id_cb``.
ID_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p)


def candidates() -> list[str]:
    """Where the library is looked for, in order."""
    out = []
    env = os.environ.get("NETNS_LIBRARY")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    for folder in (here, os.path.join(os.path.dirname(here), ".libnetns.mesonpy.libs")):
        # A wheel may carry the real file (libnetns.so.0.X.Y) only.
        out += sorted(glob.glob(os.path.join(folder, "libnetns.so.0*")))
    out.append("libnetns.so.0")
    return out


def _signatures() -> dict[str, tuple[list[Any], Any]]:
    c_int, c_char_p, c_size_t, c_void_p = (ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
                                           ctypes.c_void_p)
    pid_t = ctypes.c_int  # a 32-bit int on Linux
    int_p = ctypes.POINTER(c_int)
    argv_t = ctypes.POINTER(c_char_p)
    spawn_args = [ctypes.POINTER(pid_t), c_int, c_char_p, c_void_p, c_void_p, argv_t, argv_t]
    return {
        # Handles and lookups.
        "netns_version": ([], c_char_p),
        "netns_none": ([], c_int),
        "netns_close": ([int_p], c_int),
        "netns_is_open": ([c_int], c_int),
        "netns_equal": ([c_int, c_int], c_int),
        "netns_string": ([c_int, c_char_p, c_size_t], c_int),
        "netns_unique_id": ([c_int, c_char_p, c_size_t], c_int),
        "netns_get": ([], c_int),
        "netns_get_from_path": ([c_char_p], c_int),
        "netns_get_from_name": ([c_char_p], c_int),
        "netns_get_from_pid": ([pid_t], c_int),
        "netns_get_from_thread": ([pid_t, pid_t], c_int),
        "netns_get_from_docker": ([c_char_p], c_int),
        "netns_get_from_pidfd": ([c_int], c_int),
        "netns_type": ([c_int], c_int),
        "netns_is_netns": ([c_int], c_int),
        # Switching the calling thread.
        "netns_set": ([c_int], c_int),
        "netns_setns": ([c_int, c_int], c_int),
        "netns_new": ([], c_int),
        "netns_new_named": ([c_char_p], c_int),
        # Creating, naming and deleting.
        "netns_create": ([c_char_p], c_int),
        "netns_create_at": ([c_char_p], c_int),
        "netns_delete_named": ([c_char_p], c_int),
        "netns_delete_at": ([c_char_p], c_int),
        "netns_attach": ([c_char_p, pid_t], c_int),
        "netns_attach_fd": ([c_char_p, c_int], c_int),
        "netns_check_name": ([c_char_p], c_int),
        "netns_run_dir": ([c_char_p, c_size_t], c_int),
        # Running inside a namespace.
        "netns_run": ([c_int, FN, c_void_p, int_p], c_int),
        "netns_run_isolated": ([c_int, FN, c_void_p, int_p], c_int),
        "netns_socket": ([c_int, c_int, c_int, c_int], c_int),
        "netns_spawn": (spawn_args, c_int),
        "netns_spawnp": (spawn_args, c_int),
        "netns_spawn_named": ([ctypes.POINTER(pid_t), c_char_p] + spawn_args[2:], c_int),
        "netns_enter_named": ([c_char_p], c_int),
        "netns_exec_named": ([c_char_p, c_char_p, argv_t, argv_t], c_int),
        # Listing, identifying and watching.
        "netns_list": ([NAME_CB, c_void_p], c_int),
        "netns_identify": ([pid_t, NAME_CB, c_void_p], c_int),
        "netns_pids": ([c_int, PID_CB, c_void_p], c_int),
        "netns_monitor_open": ([], c_int),
        "netns_monitor_read": ([c_int, EVENT_CB, c_void_p], c_int),
        "netns_monitor_close": ([int_p], c_int),
        # Namespace ids.
        "netns_get_id": ([c_int], c_int),
        "netns_set_id": ([c_int, c_int], c_int),
        "netns_get_id_in": ([c_int, c_int], c_int),
        "netns_list_id": ([ID_CB, c_void_p], c_int),
    }


def load() -> Any:
    """The library with every signature set; ImportError when none loads."""
    errors = []
    for path in candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            errors.append(str(e))
            continue
        try:
            for name, (argtypes, restype) in _signatures().items():
                func = getattr(lib, name)
                func.argtypes = argtypes
                func.restype = restype
        except AttributeError as e:
            # An older libnetns.so.0 than this package needs.
            errors.append(f"{path}: {e}")
            continue
        return lib
    raise ImportError(HOW_TO_GET + " (" + "; ".join(errors) + ")", name="libnetns")


def load_libc() -> Any:
    """The C library's posix_spawn helpers, for spawn()'s file actions and
    attributes."""
    libc = ctypes.CDLL(None)
    c_int, c_void_p = ctypes.c_int, ctypes.c_void_p
    signatures: dict[str, list[Any]] = {
        "posix_spawn_file_actions_init": [c_void_p],
        "posix_spawn_file_actions_destroy": [c_void_p],
        "posix_spawn_file_actions_addopen": [c_void_p, c_int, ctypes.c_char_p, c_int,
                                             ctypes.c_uint],
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


lib: Any = load()
libc: Any = load_libc()
