#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The API reference's guard works: Doxygen, configured as the build
configures it (the built Doxyfile), accepts copies of the public headers as
they are, and fails, naming the symbol, on copies that each lose one
comment: a function's and a macro's in netns.h, a function's in netns.hpp.

usage: check-undocumented.py DOXYGEN DOXYFILE INCLUDE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

doxygen, doxyfile, include = sys.argv[1:4]


def run(work, label):
    """Doxygen over work/include; returns (exit status, its warnings)."""
    out = os.path.join(work, "out-" + label)
    config = open(doxyfile, encoding="utf-8").read()
    inc = os.path.join(work, "include")
    # The later setting of a tag wins: the copies, and a scratch output.
    config += "\n".join([
        "",
        f"INPUT = {inc}/netns/netns.h {inc}/netns/netns.hpp",
        f"STRIP_FROM_PATH = {inc}",
        f"STRIP_FROM_INC_PATH = {inc}",
        f"OUTPUT_DIRECTORY = {out}",
        "USE_MDFILE_AS_MAINPAGE =",
        "",
    ])
    p = subprocess.run([doxygen, "-"], input=config, capture_output=True, text=True)
    return p.returncode, p.stderr + p.stdout


def drop_comment(path, before):
    """Removes the comment right above the first line matching `before`
    (a /** */ block or a run of // lines); returns the line it documented."""
    lines = open(path, encoding="utf-8").read().split("\n")
    at = next(i for i, l in enumerate(lines) if re.search(before, l))
    end = at - 1
    if lines[end].strip().endswith("*/"):
        start = end
        while "/*" not in lines[start]:
            start -= 1
    else:
        start = end
        while start > 0 and lines[start - 1].strip().startswith("//"):
            start -= 1
        assert lines[end].strip().startswith("//"), lines[end]
    del lines[start:end + 1]
    open(path, "w", encoding="utf-8").write("\n".join(lines))
    return lines[start]


cases = [
    ("netns.h", r"^int netns_get\(void\)", "netns_get"),
    ("netns.h", r"^#define NETNS_NONE\b", "NETNS_NONE"),
    ("netns.hpp", r"inline Handle get_from_pid\(pid_t pid\)$", "get_from_pid"),
]

failed = False
with tempfile.TemporaryDirectory(prefix="netns-doxygen.") as work:
    def fresh_copy():
        shutil.rmtree(os.path.join(work, "include"), ignore_errors=True)
        shutil.copytree(include, os.path.join(work, "include"))

    fresh_copy()
    rc, log = run(work, "as-is")
    print(f"headers as they are: doxygen exit {rc}")
    if rc != 0:
        print(log)
        sys.exit("the unchanged headers must build without a warning")

    for n, (header, before, symbol) in enumerate(cases):
        fresh_copy()
        line = drop_comment(os.path.join(work, "include", "netns", header), before)
        rc, log = run(work, str(n))
        named = [l for l in log.splitlines() if "not documented" in l and symbol in l]
        print(f"{header} without the comment of `{line.strip()}`: doxygen exit {rc}")
        for l in named:
            print("  " + l.replace(work, "<copy>"))
        if rc == 0 or not named:
            print(log)
            print(f"FAIL: an undocumented {symbol} did not fail the build with its name")
            failed = True

sys.exit(1 if failed else 0)
