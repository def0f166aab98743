# SPDX-License-Identifier: Apache-2.0
"""Switching the calling thread: new, new_named, set_, setns and SetGuard.

Shared set-up and helpers: netns_test_support.py (importing it enters the
privileged-test sandbox)."""

import errno
import os
import threading
import unittest

from netns_test_support import (  # noqa: F401 - setUpModule runs per module
    AssertErrno, in_thread, NamedCleanup, open_fds, privileged, run_dir, setUpModule, unique_name,
)

import libnetns  # after netns_test_support: it settles NETNS_LIBRARY


class TestSwitching(unittest.TestCase, AssertErrno):

    def setUp(self):
        self.named = NamedCleanup(self)

    @privileged
    def test_new(self):
        def body():
            with libnetns.get() as origin:
                with libnetns.new() as h:
                    self.assertNotEqual(h, origin)
                    with libnetns.get() as now:
                        self.assertEqual(now, h)
                    with libnetns.new() as h2:
                        self.assertNotEqual(h2, h)
                    libnetns.set_(origin)
                    with libnetns.get() as now:
                        self.assertEqual(now, origin)
                    libnetns.set_(h)  # still alive: we hold a handle
                    with libnetns.get() as now:
                        self.assertEqual(now, h)
                        self.assertEqual(now.unique_id(), h.unique_id())
                    libnetns.setns(origin, libnetns.CLONE_NEWNET)
                    libnetns.setns(h, 0)
                    self.assertEqual(libnetns.get(), h)
                    libnetns.setns(origin.fileno())
                    self.assertEqual(libnetns.get(), origin)
        in_thread(body)

    @privileged
    def test_new_named(self):
        name = self.named.add(unique_name("named"))

        def create():
            with libnetns.get() as origin, libnetns.new_named(name) as h:
                self.assertNotEqual(h, origin)
                self.assertEqual(libnetns.get(), h)
                return h.unique_id()
        uid = in_thread(create)  # handle closed, thread gone: persists by name
        with libnetns.get_from_name(name) as h:
            self.assertEqual(h.unique_id(), uid)
            self.assertEqual(h, libnetns.get_from_path(os.path.join(run_dir(), name)))
            self.assertNotEqual(h, libnetns.get())
        self.assertEqual(libnetns.get_from_name(name.encode()).unique_id(), uid)

        self.assertErrno(errno.EEXIST, in_thread, libnetns.new_named, name,
                         exc=FileExistsError)
        libnetns.delete_named(name)
        self.assertErrno(errno.ENOENT, libnetns.get_from_name, name, exc=FileNotFoundError)
        self.assertErrno(errno.ENOENT, libnetns.delete_named, name, exc=FileNotFoundError)

    @privileged
    def test_new_named_failure_leaves_thread(self):
        name = self.named.add(unique_name("dup"))
        in_thread(lambda: libnetns.new_named(name).close())

        def dup():
            with libnetns.get() as before:
                with self.assertRaises(FileExistsError):
                    libnetns.new_named(name)
                self.assertEqual(libnetns.get(), before)
        in_thread(dup)

    @privileged
    def test_threads_are_independent(self):
        main_id = libnetns.get().unique_id()
        entered = threading.Event()
        release = threading.Event()
        box = {}

        def mover():
            try:
                with libnetns.new() as h:
                    box["id"] = h.unique_id()
                    box["tid"] = threading.get_native_id()
                    entered.set()
                    release.wait(30)
            finally:
                entered.set()

        def watcher():
            box["other"] = libnetns.get().unique_id()

        t = threading.Thread(target=mover)
        t.start()
        try:
            self.assertTrue(entered.wait(30))
            self.assertIn("id", box)
            self.assertNotEqual(box["id"], main_id)
            self.assertEqual(libnetns.get().unique_id(), main_id)
            in_thread(watcher)
            self.assertEqual(box["other"], main_id)
            with libnetns.get_from_thread(os.getpid(), box["tid"]) as theirs:
                self.assertEqual(theirs.unique_id(), box["id"])
            with libnetns.get_from_pid(os.getpid()) as main_ns:  # the main thread's
                self.assertEqual(main_ns.unique_id(), main_id)
        finally:
            release.set()
            t.join()
        self.assertEqual(libnetns.get().unique_id(), main_id)

    @privileged
    def test_set_guard(self):
        def body():
            with libnetns.get() as origin, libnetns.new() as target:
                libnetns.set_(origin)
                guard = libnetns.SetGuard(target)
                self.assertEqual(libnetns.get(), origin)  # not before the block
                with guard as g:
                    self.assertIs(g, guard)
                    back = g.saved
                    self.assertEqual(back, origin)
                    self.assertEqual(libnetns.get(), target)
                    # a thread started inside starts where its creator is
                    # (kernel semantics), and its switches do not move us

                    def child():
                        here = libnetns.get().unique_id()
                        libnetns.set_(origin)
                        return here
                    self.assertEqual(in_thread(child), target.unique_id())
                    self.assertEqual(libnetns.get(), target)
                    with self.assertRaises(RuntimeError):
                        with guard:
                            self.fail("must not run")
                    self.assertEqual(libnetns.get(), target)
                self.assertFalse(back.is_open())  # closed with the block
                self.assertEqual(libnetns.get(), origin)
                with guard:  # again, after the first block
                    self.assertEqual(libnetns.get(), target)
                with libnetns.SetGuard(target.fileno()):
                    self.assertEqual(libnetns.get(), target)
                self.assertEqual(libnetns.get(), origin)
        in_thread(body)

    @privileged
    def test_set_guard_restores_after_exception(self):
        def body():
            with libnetns.get() as origin, libnetns.new() as target:
                libnetns.set_(origin)
                with self.assertRaises(KeyError):
                    with libnetns.SetGuard(target):
                        self.assertEqual(libnetns.get(), target)
                        raise KeyError("boom")
                self.assertEqual(libnetns.get(), origin)
                # entering a closed handle fails and does not move us
                closed = libnetns.get()
                closed.close()
                before = open_fds()
                with self.assertRaises(OSError) as cm:
                    with libnetns.SetGuard(closed):
                        self.fail("must not run")
                self.assertEqual(cm.exception.errno, errno.EBADF)
                self.assertEqual(open_fds(), before)
                self.assertEqual(libnetns.get(), origin)
        in_thread(body)

    @privileged
    def test_set_guard_restore(self):
        """restore() goes back now and reports a failure; the end of the
        block then ignores one (doc/bindings.md: one behaviour in C++,
        Python and Rust)."""
        def body():
            with libnetns.get() as origin, libnetns.new() as target:
                libnetns.set_(origin)
                with libnetns.SetGuard(target) as guard:
                    guard.restore()
                    self.assertEqual(libnetns.get(), origin)
                    self.assertFalse(guard.saved.is_open())
                    guard.restore()  # twice: nothing
                self.assertEqual(libnetns.get(), origin)
                before = open_fds()
                r, w = os.pipe()
                try:
                    with libnetns.SetGuard(target) as guard:
                        # The saved descriptor now names a pipe: going back fails.
                        os.dup2(r, guard.saved.fileno())
                        self.assertErrno(errno.EINVAL, guard.restore)
                        self.assertTrue(guard.saved.is_open())  # kept for the block's end
                    # The block's end ignored the failure: still in target.
                    self.assertEqual(libnetns.get(), target)
                finally:
                    os.close(r)
                    os.close(w)
                self.assertEqual(open_fds(), before)
                libnetns.set_(origin)
        in_thread(body)

    @privileged
    def test_no_leaks(self):
        before = open_fds()

        def body():
            for _ in range(20):
                name = unique_name("leak")
                self.named.add(name)
                with libnetns.get() as origin:
                    libnetns.new().close()
                    libnetns.new_named(name).close()
                    with self.assertRaises(FileExistsError):
                        libnetns.new_named(name)
                    libnetns.set_(origin)
                libnetns.delete_named(name)
        in_thread(body)
        self.assertEqual(open_fds(), before)

    def test_set_errors(self):
        self.assertErrno(errno.EBADF, libnetns.set_, libnetns.Handle())
        self.assertErrno(errno.EBADF, libnetns.set_, -1)
        self.assertErrno(errno.EBADF, libnetns.set_, -42)
        h = libnetns.get()
        h.close()
        self.assertErrno(errno.EBADF, libnetns.set_, h)
        self.assertErrno(errno.EBADF, libnetns.setns, h, libnetns.CLONE_NEWNET)
        r, w = os.pipe()
        try:
            self.assertErrno(errno.EINVAL, libnetns.set_, r)
            self.assertErrno(errno.EBADF, libnetns.set_, w + 1000)
        finally:
            os.close(r)
            os.close(w)
        with libnetns.get() as h:
            self.assertErrno(errno.EINVAL, libnetns.setns, h, libnetns.CLONE_NEWUTS)


if __name__ == "__main__":
    unittest.main()
