# SPDX-License-Identifier: Apache-2.0
"""The privileged-test sandbox for `python3 -m unittest` run by hand, as
tests/support/sandbox.c makes it for meson: the test modules call enter()
when imported, while the process is still single-threaded.

 - as root: a private mount namespace (real root, real namespaces);
 - as a user: a fresh user + mount + network namespace in which the user is
   root, so the same tests run rootless;
 - both: / a recursive slave, a private tmpfs on /run (so /run/netns and
   TMPDIR=/run/tmp are private), NETNS_TEST_IN_SANDBOX=1.

Nothing a test does, even one that crashes, is left on the host. Under meson
(sandbox-exec) the variable is already set and nothing is done. When the
sandbox is impossible here (no user namespaces for a user), enter() returns
why, and the privileged tests skip with that reason (they fail instead under
NETNS_REQUIRE_SANDBOX=1).

Importing it puts ./src (the package's sources) first on sys.path, unless
NETNS_TEST_INSTALLED=1; enter() also points NETNS_LIBRARY at ../../build/capi/libnetns.so.0 when that
build exists and the variable is unset, so a test of the source tree tests
the library built next to it.
"""

import ctypes
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
#: The package's sources (src layout: not found by test discovery itself).
SRC = os.path.join(HERE, "src")

# The tests test this tree's package, unless NETNS_TEST_INSTALLED=1 asks
# for the installed one (Debian's autopkgtest).
if os.environ.get("NETNS_TEST_INSTALLED") != "1" and SRC not in sys.path:
    sys.path.insert(0, SRC)

_MS_NOSUID, _MS_NODEV, _MS_REC, _MS_SLAVE = 0x2, 0x4, 0x4000, 0x80000

_reason = None
_entered = False


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _library():
    if os.environ.get("NETNS_LIBRARY"):
        return
    built = os.path.join(HERE, os.pardir, os.pardir, "build", "capi", "libnetns.so.0")
    if os.path.exists(built):
        os.environ["NETNS_LIBRARY"] = os.path.abspath(built)


def enter():
    """Enter the sandbox once; None when in it, else the reason why not."""
    global _reason, _entered
    _library()
    if os.environ.get("NETNS_TEST_IN_SANDBOX") == "1" or _entered or _reason:
        return _reason
    # The package's CLONE_* values (loading the library starts no thread).
    from libnetns import CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWUSER
    libc = ctypes.CDLL(None, use_errno=True)
    libc.unshare.argtypes = [ctypes.c_int]
    libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]

    def fail(what):
        err = ctypes.get_errno()
        return f"{what}: {os.strerror(err)}"

    uid, gid = os.geteuid(), os.getegid()
    if uid != 0:
        # The network namespace too: the host's belongs to the initial user
        # namespace, so a thread that left it could never setns() back.
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0:
            _reason = (fail("not root, and unshare(CLONE_NEWUSER)") +
                       " (check kernel.unprivileged_userns_clone and user.max_user_namespaces)")
            return _reason
        try:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"0 {uid} 1")
            _write("/proc/self/gid_map", f"0 {gid} 1")
        except OSError as e:
            _reason = f"cannot map root in the user namespace: {e}"
            return _reason
    elif libc.unshare(CLONE_NEWNS) != 0:
        _reason = fail("unshare(CLONE_NEWNS)")
        return _reason
    if libc.mount(None, b"/", None, _MS_REC | _MS_SLAVE, None) != 0:
        _reason = fail("making / a slave")
        return _reason
    if libc.mount(b"netns-test-run", b"/run", b"tmpfs", _MS_NOSUID | _MS_NODEV,
                  b"mode=0755") != 0:
        _reason = fail("tmpfs on /run")
        return _reason
    os.makedirs("/run/tmp", exist_ok=True)
    os.chmod("/run/tmp", 0o1777)
    os.environ["TMPDIR"] = "/run/tmp"
    tempfile.tempdir = None  # computed again from TMPDIR
    os.environ["NETNS_TEST_IN_SANDBOX"] = "1"
    _entered = True
    return None
