#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What a Python user does with a libnetns checkout, on a copy of it in a
temporary directory (the tracked files, as a fresh clone has them):

 1. `pip install --no-build-isolation ./bindings/python` into a venv
    (--system-site-packages, for Debian's meson-python), then
    `python -c 'import libnetns; print(libnetns.version())'`, which must load
    the copy of libnetns.so.0 the package carries, not a system one;
 2. `python3 -m build --no-isolation --wheel` at the root: a wheel that
    carries the library and the typed package.

Usage: wheel_check.py [SOURCE_ROOT]. Exit 77, saying why, when no Python here
has meson-python, build and venv (Debian: python3-mesonpy python3-build
python3-venv patchelf). ccache (CCACHE_BASEDIR) keeps the rebuild short.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

ROOT = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 and os.path.isdir(sys.argv[1])
                       else os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))


def python_with_tools():
    """A Python that has meson-python, build and venv: this one, or
    Debian's (the suite's python3 may be another installation)."""
    for exe in (sys.executable, "/usr/bin/python3"):
        if exe and os.path.exists(exe) and subprocess.run(
                [exe, "-c", "import mesonpy, build, venv, ensurepip"],
                capture_output=True).returncode == 0:
            return exe
    return None


SKIP_DIRS = {".git", "__pycache__", ".mypy_cache", "target"}


def source_files():
    """ROOT's tracked files; without git (a copy of the tree), every file
    but those of build directories and caches."""
    r = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"], capture_output=True)
    if r.returncode == 0:
        return [os.fsdecode(n) for n in r.stdout.split(b"\0") if n]
    out = []
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".mesonpy")
                   and not os.path.exists(os.path.join(top, d, "meson-private"))]
        out += [os.path.relpath(os.path.join(top, f), ROOT) for f in files]
    return out


def copy_checkout(dest):
    """The source files of ROOT (with their current contents) into dest."""
    for name in source_files():
        src = os.path.join(ROOT, name)
        if not os.path.lexists(src):  # deleted in the work tree
            continue
        dst = os.path.join(dest, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)


PYTHON = python_with_tools()


class Wheel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if PYTHON is None:
            print("SKIP: no Python with meson-python, build and venv "
                  "(apt install python3-mesonpy python3-build python3-venv patchelf)",
                  file=sys.stderr)
            sys.exit(77)
        cls.tmp = tempfile.TemporaryDirectory(prefix="libnetns-wheel-")
        cls.src = os.path.join(cls.tmp.name, "libnetns")
        copy_checkout(cls.src)
        cls.env = dict(os.environ, CCACHE_BASEDIR=cls.src, PIP_NO_INDEX="1",
                       PIP_DISABLE_PIP_VERSION_CHECK="1")
        # The package must find its own copy, not one named by the suite.
        cls.env.pop("NETNS_LIBRARY", None)
        cls.env.pop("PYTHONPATH", None)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_ok(self, *args, cwd=None):
        r = subprocess.run(list(args), cwd=cwd or self.src, env=self.env, capture_output=True,
                           text=True, timeout=600)
        self.assertEqual(r.returncode, 0, f"{' '.join(args)}:\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def test_pip_install_then_import(self):
        venv = os.path.join(self.tmp.name, "venv")
        self.run_ok(PYTHON, "-m", "venv", "--system-site-packages", venv)
        py = os.path.join(venv, "bin", "python")
        self.run_ok(py, "-m", "pip", "install", "--no-build-isolation", "./bindings/python")
        # From elsewhere than the checkout, so that only the installed package is found.
        out = self.run_ok(py, "-c", "import libnetns; print(libnetns.version())",
                          cwd=self.tmp.name)
        self.assertRegex(out, r"^\d+\.\d+\.\d+\n$")
        maps = self.run_ok(py, "-c", "import libnetns; print(open('/proc/self/maps').read())",
                           cwd=self.tmp.name)
        loaded = {line.split()[-1] for line in maps.splitlines() if "libnetns.so" in line}
        self.assertEqual(len(loaded), 1, loaded)
        self.assertTrue(loaded.pop().startswith(venv + "/"), "not the package's own library")

    def test_build_wheel(self):
        out = os.path.join(self.tmp.name, "dist")
        self.run_ok(PYTHON, "-m", "build", "--no-isolation", "--wheel", "--outdir", out)
        (wheel,) = os.listdir(out)
        with zipfile.ZipFile(os.path.join(out, wheel)) as z:
            names = z.namelist()
        for name in ("libnetns/__init__.py", "libnetns/py.typed", "libnetns/_loader.py"):
            self.assertIn(name, names)
        self.assertTrue([n for n in names if os.path.basename(n).startswith("libnetns.so.0")],
                        names)


if __name__ == "__main__":
    unittest.main(verbosity=2)
