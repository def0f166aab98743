# SPDX-License-Identifier: Apache-2.0
"""`mypy --strict` on the package and its examples, when mypy is installed
(Debian: mypy); skipped, saying so, when it is not."""

import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def mypy_command():
    try:
        import mypy  # noqa: F401
        return [sys.executable, "-m", "mypy"]
    except ImportError:
        exe = shutil.which("mypy")
        return [exe] if exe else None


class Typing(unittest.TestCase):
    def test_mypy_strict(self):
        cmd = mypy_command()
        if cmd is None:
            self.skipTest("mypy is not installed (apt install mypy)")
        files = [os.path.join("src", "libnetns")] + sorted(
            f for f in os.listdir(HERE) if f.startswith("example") and f.endswith(".py"))
        # No cache: the source tree stays as it was.
        r = subprocess.run(cmd + ["--strict", "--cache-dir", os.devnull] + files, cwd=HERE,
                           env=dict(os.environ, MYPYPATH="src"),
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("Success", r.stdout)


if __name__ == "__main__":
    unittest.main()
