#!/usr/bin/env python3
"""Checks that README.md's code snippets are the files the tests use.

A fenced block right after `<!-- snippet: PATH -->` must be PATH's whole
text; after `<!-- snippet-lines: PATH -->`, every non-empty line of the
block must appear within a line of PATH (for commands a script runs). Each marked
file is built or run by a test, so the README cannot rot.

Every ```sh block must also be pasteable: its shell words parse (no
unmatched quote or parenthesis), every command it runs is a shell builtin,
a program on PATH (or one this project builds, or a known optional tool),
or a file of the tree, and every relative path it names exists in the
tree, or is made earlier in the same block (`meson setup DIR`, `-o FILE`).
"""
import pathlib
import re
import shlex
import shutil
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

BUILTINS = {"cd", "echo", "exit", "export", "set", "test", "[", "true", "false", "wait", "kill"}
# Programs this project builds (the source folder must exist).
OWN = {"netns": "cli"}
# Tools a reader may not have yet; the README says where they come from.
OPTIONAL = {"dpkg-buildpackage": "dpkg-dev", "sudo": "sudo", "cargo": "Rust's cargo",
            "pip": "python3-pip", "apt": "apt"}
SEPARATORS = {"&&", "||", ";", "|", "(", ")", "&", "$", "`"}
GLOB = re.compile(r"[*?\[]")


def shell_problems(block):
    """What keeps a ```sh block from running as written (empty: nothing)."""
    problems = []
    made = set()  # paths the block itself creates, relative to the root
    text = block.replace("\\\n", " ")
    for line in text.splitlines():
        lex = shlex.shlex(line, posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        lex.commenters = "#"
        try:
            tokens = list(lex)
        except ValueError as e:
            problems.append(f"cannot parse {line!r}: {e}")
            continue
        if tokens.count("(") != tokens.count(")"):
            problems.append(f"unmatched parenthesis in {line!r}")
        start = True
        for i, tok in enumerate(tokens):
            if tok in SEPARATORS:
                start = tok not in (")",)
                continue
            if start and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", tok):
                continue  # VAR=value before a command
            if start and tok == "sudo":
                continue
            if start:
                start = False
                if "/" in tok:
                    path = tok[2:] if tok.startswith("./") else tok
                    if not (path in made or (root / path).is_file()
                            or any(path.startswith(d + "/") for d in made)):
                        problems.append(f"no program {tok}")
                elif tok in OWN:
                    if not (root / OWN[tok]).is_dir():
                        problems.append(f"{tok}: {OWN[tok]}/ is missing")
                elif tok not in BUILTINS and shutil.which(tok) is None:
                    if tok in OPTIONAL:
                        print(f"note: {tok} is not installed here ({OPTIONAL[tok]})")
                    else:
                        problems.append(f"no command {tok}")
                if tok == "meson" and tokens[i + 1:i + 2] == ["setup"]:
                    rest = [t for t in tokens[i + 2:] if not t.startswith("-")]
                    if rest:
                        made.add(rest[0])
                continue
            if i > 0 and tokens[i - 1] == "-o":
                made.add(tok[2:] if tok.startswith("./") else tok)
                continue
            if ("/" in tok and not tok.startswith(("-", "/", "$", "~"))
                    and "=" not in tok and " " not in tok and not GLOB.search(tok)):
                path = tok[2:] if tok.startswith("./") else tok
                if not ((root / path).exists() or path in made
                        or any(path.startswith(d + "/") for d in made)):
                    problems.append(f"no such path {tok}")
    return problems


sh_blocks = re.findall(r"^```sh\n(.*?)^```", readme, re.S | re.M)
for block in sh_blocks:
    for problem in shell_problems(block):
        bad += 1
        print(f"README.md: a sh block cannot run as written: {problem}")

if found == 0:
    print("README.md has no snippet markers")
    sys.exit(1)
print(f"{found} snippets and {len(sh_blocks)} sh blocks checked, {bad} problems")
sys.exit(1 if bad else 0)
