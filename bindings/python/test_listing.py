# SPDX-License-Identifier: Apache-2.0
"""Listing, identifying and watching: list_, identify, pids, get_from_pidfd,
attach, attach_fd and Monitor.

Shared set-up and helpers: netns_test_support.py (importing it enters the
privileged-test sandbox)."""

import errno
import os
import selectors
import time
import unittest

from netns_test_support import (  # noqa: F401 - setUpModule runs per module
    AssertErrno, dead_pid, NamedCleanup, privileged, setUpModule, unique_name, WalkHelpers,
)

import libnetns  # after netns_test_support: it settles NETNS_LIBRARY


class TestWalks(unittest.TestCase, AssertErrno, WalkHelpers):
    def setUp(self):
        self.named = NamedCleanup(self)

    @privileged
    def test_list(self):
        a = self.named.add(unique_name("list-a"))
        b = self.named.add(a + "-b")
        ns = self.handle(libnetns.create(a))
        libnetns.attach_fd(b, ns)
        names = libnetns.list_()
        self.assertIsInstance(names, list)
        self.assertIn(a, names)
        self.assertIn(b, names)
        self.assertEqual(names, sorted(names, key=os.fsencode))
        self.assertLess(names.index(a), names.index(b))

        seen = []
        self.assertFalse(libnetns.list_(seen.append))
        self.assertIn(a, seen)
        calls = []
        self.assertTrue(libnetns.list_(lambda name: calls.append(name) or True))
        self.assertEqual(len(calls), 1)

        libnetns.delete_named(a)
        libnetns.delete_named(b)
        names = libnetns.list_()
        self.assertNotIn(a, names)
        self.assertNotIn(b, names)

    @privileged
    def test_walk_callback_exception_stops_and_reaches_caller(self):
        a = self.named.add(unique_name("list-x"))
        b = self.named.add(a + "-b")
        ns = self.handle(libnetns.create(a))
        libnetns.attach_fd(b, ns)
        calls = []

        def boom(item):
            calls.append(item)
            raise KeyError("boom")
        with self.assertRaises(KeyError):
            libnetns.list_(boom)
        self.assertEqual(len(calls), 1)
        pid = self.sleeper(ns)
        calls.clear()
        with self.assertRaises(KeyError):
            libnetns.pids(ns, boom)
        self.assertEqual(calls, [pid])
        with self.assertRaises(TypeError):
            libnetns.list_(42)

    @privileged
    def test_identify(self):
        a = self.named.add(unique_name("id-a"))
        b = self.named.add(unique_name("id-b"))
        ns = self.handle(libnetns.create(a))
        libnetns.attach_fd(b, ns)
        pid = self.sleeper(ns)
        names = libnetns.identify(pid)
        self.assertIn(a, names)
        self.assertIn(b, names)
        calls = []
        self.assertTrue(libnetns.identify(pid, lambda name: calls.append(name) or True))
        self.assertEqual(len(calls), 1)
        anon = self.handle(libnetns.create())
        self.assertEqual(libnetns.identify(self.sleeper(anon)), [])
        self.assertErrno(errno.EINVAL, libnetns.identify, 0)
        self.assertErrno(errno.ESRCH, libnetns.identify, dead_pid(), exc=ProcessLookupError)

    @privileged
    def test_pids(self):
        ns = self.handle(libnetns.create())
        self.assertEqual(libnetns.pids(ns), [])
        want = sorted([self.sleeper(ns), self.sleeper(ns)])
        self.assertEqual(libnetns.pids(ns), want)
        self.assertEqual(libnetns.pids(ns.fileno()), want)
        seen = []
        self.assertTrue(libnetns.pids(ns, lambda pid: seen.append(pid) or True))
        self.assertEqual(seen, want[:1])
        self.assertErrno(errno.EBADF, libnetns.pids, libnetns.Handle())
        self.assertErrno(errno.EINVAL, libnetns.pids, self.root_dir())

    @privileged
    def test_get_from_pidfd_and_attach(self):
        ns = self.handle(libnetns.create())
        pid = self.sleeper(ns)
        pidfd = os.pidfd_open(pid)
        self.addCleanup(os.close, pidfd)
        with libnetns.get_from_pidfd(pidfd) as h:
            self.assertEqual(h, ns)
        self.assertErrno(errno.EINVAL, libnetns.get_from_pidfd, self.root_dir())
        self.assertErrno(errno.EBADF, libnetns.get_from_pidfd, -1)

        name = self.named.add(unique_name("attach"))
        libnetns.attach(name, pid)
        with libnetns.get_from_name(name) as h:
            self.assertEqual(h, ns)
        self.assertErrno(errno.EEXIST, libnetns.attach, name, pid, exc=FileExistsError)
        self.assertErrno(errno.EINVAL, libnetns.attach, unique_name("x"), 0)
        with self.assertRaises(ValueError):
            libnetns.attach("a\0b", pid)

        name2 = self.named.add(unique_name("attach-fd"))
        libnetns.attach_fd(name2, ns)
        self.assertTrue(ns.is_open())
        with libnetns.get_from_name(name2) as h:
            self.assertEqual(h, ns)
        self.assertErrno(errno.EEXIST, libnetns.attach_fd, name2, ns, exc=FileExistsError)
        self.assertErrno(errno.EBADF, libnetns.attach_fd, unique_name("y"), libnetns.Handle())


class TestMonitor(unittest.TestCase, AssertErrno):
    def setUp(self):
        self.named = NamedCleanup(self)

    def events_of(self, mon, name, want):
        """Events about `name` only (the run dir may be shared), read until
        `want` of them came or 5 s passed."""
        out = []
        deadline = time.monotonic() + 5
        with selectors.DefaultSelector() as sel:
            sel.register(mon, selectors.EVENT_READ)
            while len(out) < want and time.monotonic() < deadline:
                sel.select(0.1)
                out += [event for event, n in mon.read() if n == name]
        return out

    @privileged
    def test_add_then_del(self):
        with libnetns.monitor_open() as mon:
            self.assertIsInstance(mon, libnetns.Monitor)
            self.assertEqual(mon.read(), [])
            name = self.named.add(unique_name("mon"))
            with selectors.DefaultSelector() as sel:
                sel.register(mon, selectors.EVENT_READ)
                libnetns.create(name).close()
                self.assertTrue(sel.select(5), "not readable after an add")
            self.assertEqual(self.events_of(mon, name, 1), [libnetns.Event.ADD])
            libnetns.delete_named(name)
            self.assertEqual(self.events_of(mon, name, 1), [libnetns.Event.DEL])
        self.assertFalse(mon.is_open())
        mon.close()  # twice: nothing
        with self.assertRaises(ValueError):
            mon.fileno()
        self.assertErrno(errno.EBADF, mon.read)

    @privileged
    def test_callback_stops_and_keeps_the_rest(self):
        with libnetns.Monitor() as mon:
            for tag in ("mon-x", "mon-y"):
                libnetns.create(self.named.add(unique_name(tag))).close()
            calls = []
            self.assertEqual(mon.read(lambda e, n: calls.append((e, n)) or True), 1)
            self.assertEqual(len(calls), 1)
            self.assertNotEqual(mon.read(), [])  # the rest was kept

            libnetns.create(self.named.add(unique_name("mon-t"))).close()

            def boom(event, name):
                raise KeyError("boom")
            with self.assertRaises(KeyError):
                mon.read(boom)

    @privileged
    def test_asyncio_add_reader(self):
        import asyncio
        name = self.named.add(unique_name("mon-aio"))

        async def main():
            loop = asyncio.get_running_loop()
            got = asyncio.Queue()
            with libnetns.Monitor() as mon:
                loop.add_reader(mon, lambda: [got.put_nowait(ev) for ev in mon.read()])
                try:
                    libnetns.create(name).close()
                    while True:
                        event, n = await asyncio.wait_for(got.get(), 5)
                        if n == name:
                            return event
                finally:
                    loop.remove_reader(mon)
        self.assertEqual(asyncio.run(main()), libnetns.Event.ADD)


if __name__ == "__main__":
    unittest.main()
