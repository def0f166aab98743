#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The man-examples test: every section-3 page's EXAMPLES is a program.

    examples-check.py SOURCE_ROOT BUILD_ROOT SANDBOX_EXEC CC...

Each ``` block of the EXAMPLES section of man/*.3.scd is taken from the
page (the page stays the one source), its scdoc escapes undone, compiled as
strict C99 (-std=c99 -pedantic -Wall -Wextra -Werror) against the build's
headers and libnetns.so, and run in the test sandbox (SANDBOX_EXEC: a
private /run, and for an ordinary user a user namespace of its own), where
it must exit 0. A block without main() fails: readers copy whole programs.
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

FLAGS = ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror"]


def examples(page):
    """The code blocks of the page's EXAMPLES section, unescaped."""
    text = page.read_text()
    m = re.search(r"^# EXAMPLES\n(.*?)(?=^# |\Z)", text, re.S | re.M)
    if not m:
        return []
    blocks = re.findall(r"^```\n(.*?)^```", m.group(1), re.S | re.M)
    # scdoc: a backslash takes the next character literally.
    return [re.sub(r"\\(.)", r"\1", b) for b in blocks]


def main():
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    src, build, sandbox = (pathlib.Path(a) for a in sys.argv[1:4])
    cc = sys.argv[4:]
    libdir = build / "capi"
    env = dict(os.environ)
    env.pop("NETNS_RUN_DIR", None)  # the sandbox's private /run/netns
    failed = checked = 0
    with tempfile.TemporaryDirectory(prefix="man-examples-") as tmp:
        for page in sorted((src / "man").glob("*.3.scd")):
            for n, code in enumerate(examples(page), 1):
                checked += 1
                label = f"{page.name} example {n}"
                if not re.search(r"^int main\(", code, re.M):
                    print(f"FAIL {label}: not a complete program (no main)")
                    failed += 1
                    continue
                c = pathlib.Path(tmp) / f"{page.name.split('.')[0]}-{n}.c"
                exe = c.with_suffix("")
                c.write_text(code)
                compile_cmd = cc + FLAGS + [
                    "-I", str(src / "include"), "-I", str(build / "include"),
                    "-o", str(exe), str(c), str(libdir / "libnetns.so"),
                    f"-Wl,-rpath,{libdir}"]
                r = subprocess.run(compile_cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"FAIL {label}: does not compile as strict C99\n{r.stderr}")
                    failed += 1
                    continue
                r = subprocess.run([str(sandbox), str(exe)], env=env, capture_output=True,
                                   text=True, timeout=120, stdin=subprocess.DEVNULL)
                out = (r.stdout + r.stderr).rstrip()
                if r.returncode != 0:
                    print(f"FAIL {label}: exit status {r.returncode}\n{out}")
                    failed += 1
                    continue
                print(f"ok   {label}" + ("\n    " + out.replace("\n", "\n    ") if out else ""))
    if checked == 0:
        print("FAIL: no EXAMPLES found in man/*.3.scd")
        return 1
    print(f"{checked} examples, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
