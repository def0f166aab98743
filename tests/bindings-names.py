#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""doc/bindings.md's names table against the header and the three bindings.

Every function, callback type and constant of include/netns/netns.h has a
row; every name in the C++, Python and Rust columns exists in netns.hpp, the
`libnetns` Python package (imported) and the Rust sources under
bindings/rust. A new C function without its binding names fails here.

Usage: bindings-names.py [SOURCE_ROOT]  (default: this file's ../)
The library must be loadable by the package (NETNS_LIBRARY, its own copy or
the system's libnetns.so.0); meson sets NETNS_LIBRARY.
"""

import builtins
import importlib
import os
import re
import sys
import unittest

ROOT = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 and os.path.isdir(sys.argv[1])
                       else os.path.join(os.path.dirname(__file__), os.pardir))
HEADER = os.path.join(ROOT, "include", "netns", "netns.h")
HPP = os.path.join(ROOT, "include", "netns", "netns.hpp")
DOC = os.path.join(ROOT, "doc", "bindings.md")
RUST = os.path.join(ROOT, "bindings", "rust")
PYTHON = os.path.join(ROOT, "bindings", "python", "src")

NONE_CELL = "—"
# The standard traits a Rust cell may name as `Trait::method`.
RUST_TRAITS = {"AsFd", "AsRawFd", "Default", "Display", "Drop", "FromRawFd", "Hash",
               "IntoRawFd", "PartialEq"}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def strip_c_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def header_names():
    """The header's functions, callback types and constants."""
    text = strip_c_comments(read(HEADER))
    functions = set(re.findall(r"(?<!\w)(netns_\w+)\s*\(", text))
    types = set(re.findall(r"typedef[^;]*\(\s*\*\s*(netns_\w+)\s*\)", text))
    constants = set(re.findall(r"^#define\s+(NETNS_\w+)", text, flags=re.M))
    constants -= {"NETNS_NETNS_H", "NETNS_WARN_UNUSED"}
    return functions - types, types, constants


def table():
    """The rows of the names table: dicts keyed by the column titles."""
    text = read(DOC)
    m = re.search(r"<!-- names-table: begin -->\n(.*?)<!-- names-table: end -->", text, re.S)
    if not m:
        raise AssertionError("doc/bindings.md has no names table")
    lines = [line for line in m.group(1).splitlines() if line.startswith("|")]
    split = lambda line: [c.strip() for c in line.strip().strip("|").split("|")]  # noqa: E731
    titles = split(lines[0])
    rows = []
    for line in lines[2:]:
        cells = split(line)
        if len(cells) != len(titles):
            raise AssertionError(f"a row with {len(cells)} cells, not {len(titles)}: {line}")
        rows.append(dict(zip(titles, cells)))
    return rows


def code(cell):
    """The name in a cell: its code span, or None for `—`."""
    if cell == NONE_CELL:
        return None
    m = re.fullmatch(r"`([^`]+)`", cell)
    if not m:
        raise AssertionError(f"a name cell is one code span or {NONE_CELL}: {cell!r}")
    return m.group(1)


def row_type(row):
    """The binding type a row's methods and traits belong to (from C++)."""
    cxx = code(row["C++"]) or ""
    m = re.match(r"~?(\w+)(?:::|\(|$)", cxx)
    return m.group(1) if m and m.group(1)[0].isupper() else "Handle"


def c_key(row):
    m = re.match(r"`((?:netns|NETNS)_[\w*]+)`", row["C"])
    return m.group(1) if m else None


class NamesTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows = table()
        cls.functions, cls.types, cls.constants = header_names()

    def test_every_header_name_has_one_row(self):
        keys = [c_key(r) for r in self.rows if c_key(r)]
        self.assertEqual(sorted(k for k in set(keys) if keys.count(k) > 1), [],
                         "C names with more than one row")
        covered = set(keys)
        wildcards = [k[:-1] for k in covered if k.endswith("*")]
        missing = sorted(n for n in self.functions | self.types | self.constants
                         if n not in covered and not any(n.startswith(w) for w in wildcards))
        self.assertEqual(missing, [], "header names without a row in doc/bindings.md")
        unknown = sorted(k for k in covered if not k.endswith("*")
                         and k not in self.functions | self.types | self.constants)
        self.assertEqual(unknown, [], "rows for names the header does not have")

    def test_functions_have_a_name_in_every_binding(self):
        for row in self.rows:
            if c_key(row) in self.functions:
                for lang in ("C++", "Python", "Rust"):
                    self.assertIsNotNone(code(row[lang]), f"{c_key(row)} has no {lang} name")

    def test_a_missing_name_says_why(self):
        for row in self.rows:
            if NONE_CELL in (row["C++"], row["Python"], row["Rust"]):
                self.assertTrue(row["Note"], f"{row['C']}: a {NONE_CELL} cell needs a note")

    def test_cxx(self):
        hpp = strip_c_comments(read(HPP))
        header = strip_c_comments(read(HEADER))
        for row in self.rows:
            name = code(row["C++"])
            if name is None:
                continue
            with self.subTest(c=row["C"], cxx=name):
                if name.startswith("NETNS_"):
                    prefix = name.rstrip("*")
                    self.assertRegex(header, r"#define\s+" + re.escape(prefix))
                elif name.startswith("operator") or name.startswith("~"):
                    self.assertIn(name, hpp.replace(" ", ""))
                elif m := re.fullmatch(r"(\w+)\(.*\)", name):
                    self.assertRegex(hpp, rf"\b{m.group(1)}\s*\(")
                elif "::" in name:
                    owner, member = name.split("::")
                    self.assertRegex(hpp, rf"\b(class|struct|enum class)\s+{owner}\b")
                    self.assertRegex(hpp, rf"\b{member}\b")
                else:
                    self.assertRegex(hpp, rf"(\b{name}\s*\(|\b(class|struct)\s+{name}\b)")


class PythonNames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if PYTHON not in sys.path:
            sys.path.insert(0, PYTHON)
        cls.pkg = importlib.import_module("libnetns")
        cls.rows = table()

    def test_names_exist(self):
        pkg = self.pkg
        header = strip_c_comments(read(HEADER))
        for row in self.rows:
            name = code(row["Python"])
            if name is None:
                continue
            with self.subTest(c=row["C"], python=name):
                if name.endswith("*"):
                    prefix = name[:-1]
                    consts = re.findall(rf"#define\s+NETNS_({prefix}\w+)", header)
                    self.assertTrue(consts)
                    for const in consts:
                        self.assertIn(const, pkg.__all__)
                    continue
                if m := re.fullmatch(r"(\w+)\(.*\)", name):
                    self.assertIn(m.group(1), pkg.__all__)
                    self.assertTrue(callable(getattr(pkg, m.group(1))))
                    continue
                owner, _, member = name.partition(".")
                self.assertIn(owner, pkg.__all__)
                obj = getattr(pkg, owner)
                if member:
                    # Defined by the class (or a base of its own), not by object.
                    defined = any(member in vars(k) for k in obj.__mro__ if k is not object)
                    self.assertTrue(defined, f"{owner} does not define {member}")

    def test_all_shadows_no_builtin(self):
        shadowing = sorted(n for n in self.pkg.__all__ if hasattr(builtins, n))
        self.assertEqual(shadowing, [], "__all__ names that shadow builtins")

    def test_all_names_exist(self):
        for name in self.pkg.__all__:
            self.assertTrue(hasattr(self.pkg, name), name)


class RustNames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(RUST):
            raise unittest.SkipTest(f"no Rust crates here ({RUST} is absent): "
                                    "the Rust column is not checked")
        sources = []
        for top, dirs, files in os.walk(RUST):
            dirs[:] = [d for d in dirs if d not in ("target", "tests", "examples")]
            sources += [read(os.path.join(top, f)) for f in files if f.endswith(".rs")]
        cls.text = "\n".join(sources)
        cls.items = set(re.findall(
            r"\bpub(?:\([^)]*\))?\s+(?:unsafe\s+)?(?:fn|struct|enum|type|const|trait|static)\s+(\w+)",
            cls.text))
        cls.rows = table()

    def assertItem(self, name):
        self.assertTrue(name in self.items, f"no `pub` item {name} under {RUST}")

    def has_impl(self, trait, ty):
        return (re.search(rf"\bimpl(?:<[^>]*>)?\s+(?:[\w:]+::)?{trait}(?:<[^>]*>)?\s+for\s+{ty}\b",
                          self.text) is not None
                or re.search(rf"#\[derive\([^)]*\b{trait}\b[^)]*\)\]\s*(?:#\[[^\]]*\]\s*)*"
                             rf"pub\s+(?:struct|enum)\s+{ty}\b", self.text) is not None)

    def test_names_exist(self):
        header = strip_c_comments(read(HEADER))
        for row in self.rows:
            name = code(row["Rust"])
            if name is None:
                continue
            with self.subTest(c=row["C"], rust=name):
                if name.endswith("*"):
                    prefix = name[:-1]
                    for const in re.findall(rf"#define\s+NETNS_({prefix}\w+)", header):
                        self.assertItem(const)
                elif "::" in name:
                    owner, member = name.split("::")
                    if owner in RUST_TRAITS:
                        ty = row_type(row)
                        self.assertTrue(self.has_impl(owner, ty), f"no impl {owner} for {ty}")
                    else:
                        self.assertItem(owner)
                        if member[0].isupper():  # an enum variant
                            self.assertRegex(self.text, rf"\benum\s+{owner}\b[^}}]*\b{member}\b")
                        else:
                            self.assertItem(member)
                else:
                    self.assertItem(name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
