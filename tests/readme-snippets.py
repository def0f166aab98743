#!/usr/bin/env python3
"""Checks that README.md's code snippets are the files the tests use.

A fenced block right after `<!-- snippet: PATH -->` must be PATH's whole
text; after `<!-- snippet-lines: PATH -->`, every non-empty line of the
block must appear within a line of PATH (for commands a script runs). Each marked
file is built or run by a test, so the README cannot rot.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
readme = (root / "README.md").read_text()
marker = re.compile(r"<!-- (snippet|snippet-lines): (\S+) -->\s*\n```[^\n]*\n(.*?)```", re.S)
found = 0
bad = 0
for kind, path, block in marker.findall(readme):
    found += 1
    text = (root / path).read_text()
    if kind == "snippet":
        ok = block == text
    else:
        lines = text.splitlines()
        missing = [b for b in block.splitlines()
                   if b.strip() and not any(b.strip() in l for l in lines)]
        ok = not missing
    if not ok:
        bad += 1
        print(f"README.md: the {kind} block for {path} differs from the file")
if found == 0:
    print("README.md has no snippet markers")
    sys.exit(1)
print(f"{found} snippets checked, {bad} out of date")
sys.exit(1 if bad else 0)
