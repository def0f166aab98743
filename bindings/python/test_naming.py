# SPDX-License-Identifier: Apache-2.0
"""Creating, naming and deleting: create, create_at, delete_named, delete_at
and the run directory (attach is with the walks, in test_listing.py).

Shared set-up and helpers: netns_test_support.py (importing it enters the
privileged-test sandbox)."""

import errno
import os
import pathlib
import tempfile
import unittest

from netns_test_support import (  # noqa: F401 - setUpModule runs per module
    AssertErrno, CallerStays, in_thread, NamedCleanup, privileged, run_dir, setUpModule,
    unique_name,
)

import libnetns  # after netns_test_support: it settles NETNS_LIBRARY


class TestCreate(unittest.TestCase, AssertErrno):
    def setUp(self):
        self.named = NamedCleanup(self)

    def tmpdir(self):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        return d.name

    def delete_at_cleanup(self, path):
        def cleanup():
            try:
                libnetns.delete_at(path)
            except FileNotFoundError:
                pass
        self.addCleanup(cleanup)
        return path

    @privileged
    def test_create_anonymous(self):
        with CallerStays(self):
            with libnetns.get() as here, libnetns.create() as h, libnetns.create(None) as h2:
                self.assertTrue(h.is_open())
                self.assertNotEqual(h, here)
                self.assertNotEqual(h, h2)
                self.assertTrue(libnetns.is_netns(h))
                self.assertEqual(libnetns.type_(h), libnetns.CLONE_NEWNET)
                self.assertFalse(os.get_inheritable(h.fileno()))
                self.assertEqual(libnetns.get(), here)

    @privileged
    def test_create_named(self):
        name = self.named.add(unique_name("create"))
        with CallerStays(self):
            with libnetns.create(name) as h:
                self.assertNotEqual(h, libnetns.get())
                self.assertEqual(libnetns.get_from_name(name), h)
                self.assertEqual(libnetns.get_from_path(os.path.join(run_dir(), name)), h)
            self.assertErrno(errno.EEXIST, libnetns.create, name, exc=FileExistsError)
            self.assertErrno(errno.EEXIST, libnetns.create, name.encode(), exc=FileExistsError)
        libnetns.get_from_name(name).close()  # persists without a handle
        libnetns.delete_named(name)
        self.assertRaises(FileNotFoundError, libnetns.get_from_name, name)

    @privileged
    def test_create_bad_names(self):
        with CallerStays(self):
            for bad in ("", ".", "..", "a/b", "../x", "x" * 256):
                with self.subTest(name=bad):
                    self.assertErrno(errno.EINVAL, libnetns.create, bad)
            with self.assertRaises(ValueError):
                libnetns.create("a\0b")
            with self.assertRaises(TypeError):
                libnetns.create(42)

    @privileged
    def test_create_at_and_delete_at(self):
        d = self.tmpdir()
        path = self.delete_at_cleanup(os.path.join(d, "ns"))
        with CallerStays(self):
            with libnetns.create_at(pathlib.Path(path)) as h:
                self.assertNotEqual(h, libnetns.get())
                with libnetns.get_from_path(path) as again:
                    self.assertEqual(again, h)
                self.assertErrno(errno.EEXIST, libnetns.create_at, path, exc=FileExistsError)
                libnetns.delete_at(path.encode())
                self.assertFalse(os.path.lexists(path))
                self.assertTrue(libnetns.is_netns(h))  # lives on while the handle does
                self.assertErrno(errno.ENOENT, libnetns.delete_at, path, exc=FileNotFoundError)
        # create_at after delete_at: the path is free again
        libnetns.create_at(path).close()
        self.assertTrue(libnetns.is_netns(libnetns.get_from_path(path)))
        libnetns.delete_at(path)
        self.assertEqual(os.listdir(d), [])

    @privileged
    def test_create_at_errors(self):
        d = self.tmpdir()
        plain = os.path.join(d, "plain")
        open(plain, "w").close()
        os.symlink(os.path.join(d, "nowhere"), os.path.join(d, "dangling"))
        before = sorted(os.listdir(d))
        with CallerStays(self):
            for bad in ("", d + "/", os.path.join(d, "."), os.path.join(d, "..")):
                with self.subTest(path=bad):
                    self.assertErrno(errno.EINVAL, libnetns.create_at, bad)
            self.assertErrno(errno.ENOENT, libnetns.create_at, os.path.join(d, "no", "ns"),
                             exc=FileNotFoundError)
            self.assertErrno(errno.ENOTDIR, libnetns.create_at, os.path.join(plain, "ns"),
                             exc=NotADirectoryError)
            self.assertErrno(errno.EEXIST, libnetns.create_at, plain, exc=FileExistsError)
            self.assertErrno(errno.EEXIST, libnetns.create_at, os.path.join(d, "dangling"),
                             exc=FileExistsError)
            with self.assertRaises(ValueError):
                libnetns.create_at(os.path.join(d, "a\0b"))
        self.assertEqual(sorted(os.listdir(d)), before)  # nothing left behind

    @privileged
    def test_delete_at_errors(self):
        d = self.tmpdir()
        plain = os.path.join(d, "plain")
        open(plain, "w").close()
        sub = os.path.join(d, "sub")
        os.mkdir(sub)
        for bad in ("", d + "/", os.path.join(d, "."), os.path.join(d, "..")):
            with self.subTest(path=bad):
                self.assertErrno(errno.EINVAL, libnetns.delete_at, bad)
        self.assertErrno(errno.EINVAL, libnetns.delete_at, "/proc/self/ns/net")
        self.assertErrno(errno.ENOENT, libnetns.delete_at, os.path.join(d, "missing"),
                         exc=FileNotFoundError)
        self.assertErrno(errno.EISDIR, libnetns.delete_at, sub, exc=IsADirectoryError)
        self.assertTrue(os.path.isdir(sub))
        self.assertErrno(errno.ENOTDIR, libnetns.delete_at, os.path.join(plain, "x"),
                         exc=NotADirectoryError)


class TestNames(unittest.TestCase, AssertErrno):

    def setUp(self):
        self.named = NamedCleanup(self)

    @privileged
    def test_bad_names(self):
        for bad in ("", ".", "..", "a/b", "../x", "x" * 256):
            with self.subTest(name=bad):
                self.assertErrno(errno.EINVAL, in_thread, libnetns.new_named, bad)
                self.assertErrno(errno.EINVAL, libnetns.delete_named, bad)
                self.assertErrno(errno.EINVAL, libnetns.get_from_name, bad)
        with self.assertRaises(ValueError):
            libnetns.delete_named("a\0b")
        with self.assertRaises(ValueError):
            libnetns.new_named("a\0b")

    @privileged
    def test_longest_name(self):
        name = self.named.add("n" * 255)
        in_thread(lambda: libnetns.new_named(name).close())
        libnetns.get_from_name(name).close()
        libnetns.delete_named(name)

    @privileged
    def test_delete_while_in_use(self):
        name = self.named.add(unique_name("inuse"))
        h = in_thread(libnetns.new_named, name)
        try:
            libnetns.delete_named(name)
            self.assertRaises(FileNotFoundError, libnetns.get_from_name, name)

            def enter():
                libnetns.set_(h)
                return libnetns.get().unique_id()
            self.assertEqual(in_thread(enter), h.unique_id())
        finally:
            h.close()

    @privileged
    def test_run_dir_entries_not_made_by_us(self):
        name = self.named.add(unique_name("mk"))
        in_thread(lambda: libnetns.new_named(name).close())  # creates the run dir
        plain = os.path.join(run_dir(), unique_name("file"))
        open(plain, "w").close()
        try:
            self.assertErrno(errno.EINVAL, libnetns.get_from_name, os.path.basename(plain))
        finally:
            os.unlink(plain)
        d = os.path.join(run_dir(), unique_name("dir"))
        os.mkdir(d)
        try:
            self.assertErrno(errno.EISDIR, libnetns.delete_named, os.path.basename(d),
                             exc=IsADirectoryError)
            self.assertTrue(os.path.isdir(d))
        finally:
            os.rmdir(d)


if __name__ == "__main__":
    unittest.main()
