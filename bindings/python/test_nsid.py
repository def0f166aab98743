# SPDX-License-Identifier: Apache-2.0
"""Namespace ids: get_id, set_id, get_id_in and list_id.

Shared set-up and helpers: netns_test_support.py (importing it enters the
privileged-test sandbox)."""

import errno
import unittest

from netns_test_support import (  # noqa: F401 - setUpModule runs per module
    AssertErrno, NamedCleanup, privileged, setUpModule, WalkHelpers,
)

import libnetns  # after netns_test_support: it settles NETNS_LIBRARY


class TestNsid(unittest.TestCase, AssertErrno, WalkHelpers):
    def setUp(self):
        self.named = NamedCleanup(self)

    @privileged
    def test_nsid(self):
        # In a namespace of the test's own, whose nsid table starts empty
        # (as root the sandbox shares the host's network namespace).
        with libnetns.create() as home:
            libnetns.run(home, self.nsid_checks, home)

    def nsid_checks(self, home):
        ns = self.handle(libnetns.create())
        here = self.handle(libnetns.get())
        self.assertEqual(here, home)
        self.assertErrno(errno.ENOENT, libnetns.get_id, ns, exc=FileNotFoundError)
        self.assertErrno(errno.ENOENT, libnetns.get_id_in, ns, here, exc=FileNotFoundError)
        nsid = libnetns.set_id(ns)
        self.assertGreaterEqual(nsid, 0)
        self.assertEqual(libnetns.get_id(ns), nsid)
        self.assertEqual(libnetns.get_id_in(ns, here), nsid)
        self.assertErrno(errno.EEXIST, libnetns.set_id, ns, nsid + 1, exc=FileExistsError)
        other = self.handle(libnetns.create())
        self.assertEqual(libnetns.set_id(other, nsid + 100), nsid + 100)
        self.assertEqual(libnetns.get_id(other), nsid + 100)
        self.assertErrno(errno.ENOENT, libnetns.get_id_in, other, ns, exc=FileNotFoundError)
        self.assertErrno(errno.EBADF, libnetns.get_id, libnetns.Handle())

    @privileged
    def test_list_id(self):
        # In a namespace of the test's own: its nsid table holds only the
        # ids the test sets.
        with libnetns.create() as home:
            libnetns.run(home, self.list_id_checks)

    def list_id_checks(self):
        self.assertEqual(libnetns.list_id(), [])
        a = self.handle(libnetns.create())
        b = self.handle(libnetns.create())
        c = self.handle(libnetns.create())
        self.assertEqual(libnetns.set_id(a, 50), 50)
        self.assertEqual(libnetns.set_id(b, 3), 3)
        picked = libnetns.set_id(c)
        want = sorted([3, 50, picked])
        ids = libnetns.list_id()
        self.assertEqual(ids, want)
        self.assertTrue(all(isinstance(i, int) for i in ids))
        seen = []
        self.assertFalse(libnetns.list_id(seen.append))
        self.assertEqual(seen, want)
        # A true return stops the walk; the callback may call the library.
        seen = []
        self.assertTrue(libnetns.list_id(lambda i: seen.append(i) or libnetns.get_id(a) == 50))
        self.assertEqual(seen, want[:1])
        with self.assertRaises(ZeroDivisionError):
            libnetns.list_id(lambda i: 1 // 0)
        with self.assertRaises(TypeError):
            libnetns.list_id(42)


if __name__ == "__main__":
    unittest.main()
