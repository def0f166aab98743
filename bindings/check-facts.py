#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The values the bindings mirror, checked by value against the C compiler.

<netns/netns.h> (and <netns/version.h>, generated from meson.build's version)
is the one source of the handle, namespace-type and event constants; the C
library's <spawn.h> is the one source of the spawn flags and of the size and
alignment of posix_spawn_file_actions_t, posix_spawnattr_t and sigset_t.
The Python package and libnetns-sys write them again (ctypes and a no_std
crate cannot include a C header), so this test compares every copy with what
`facts` (bindings/facts.c, built by meson) prints:

- every `#define NETNS_*` constant of the header is printed by `facts`;
- the Python package: NONE, CLONE_*, Event, the spawn flags, and buffers at
  least as large and as aligned as the C library's spawn types;
- libnetns-sys (its source, so that the test needs no cargo): every
  NETNS_* and POSIX_SPAWN_* `pub const`, and the size and alignment of its
  opaque spawn types for this machine's pointer width;
- the loaded library's netns_version() and the Cargo workspace's version.

Usage: check-facts.py FACTS_PROGRAM [SOURCE_ROOT]  (default: this file's ../)
The Python package loads NETNS_LIBRARY (meson sets it to the built library).
"""

import ctypes
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FACTS = sys.argv[1]
ROOT = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, os.pardir))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python", "src"))

import libnetns  # noqa: E402
from libnetns import inside  # noqa: E402

SYS_RS = os.path.join(ROOT, "bindings", "rust", "libnetns-sys", "src", "lib.rs")
CARGO = os.path.join(ROOT, "bindings", "rust", "Cargo.toml")
HEADER = os.path.join(ROOT, "include", "netns", "netns.h")
VERSION_H = os.path.join(ROOT, "include", "netns", "version.h.in")
SPAWN_TYPES = ("posix_spawn_file_actions_t", "posix_spawnattr_t", "sigset_t")

failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f"{what} is {got!r}, the C compiler says {want!r}")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def facts():
    """NAME -> value (int, or str for NETNS_VERSION_STRING)."""
    out = subprocess.run([FACTS], check=True, capture_output=True, text=True).stdout
    values = {}
    for line in out.splitlines():
        name, value = line.split(" ", 1)
        values[name] = value if name == "NETNS_VERSION_STRING" else int(value)
    return values


def rust_int(literal):
    return int(literal.replace("_", ""), 0)


def check_header(c):
    text = re.sub(r"/\*.*?\*/", " ", read(HEADER) + read(VERSION_H), flags=re.S)
    names = set(re.findall(r"^#define\s+(NETNS_\w+)", text, flags=re.M))
    names -= {"NETNS_NETNS_H", "NETNS_VERSION_H", "NETNS_WARN_UNUSED"}
    for name in sorted(names - set(c)):
        failures.append(f"{name} is in the header but bindings/facts.c does not print it")


def check_python(c):
    expect("libnetns.NONE", libnetns.NONE, c["NETNS_NONE"])
    for name, value in c.items():
        if name.startswith("NETNS_CLONE_"):
            attr = name[len("NETNS_"):]
            expect(f"libnetns.{attr}", getattr(libnetns, attr, None), value)
        elif name.startswith("NETNS_EVENT_"):
            member = name[len("NETNS_EVENT_"):]
            got = libnetns.Event[member].value if member in libnetns.Event.__members__ else None
            expect(f"libnetns.Event.{member}", got, value)
        elif name.startswith("POSIX_SPAWN_"):
            expect(f"libnetns.inside._{name}", getattr(inside, "_" + name, None), value)
    events = {m.name: m.value for m in libnetns.Event}
    expect("libnetns.Event", events,
           {n[len("NETNS_EVENT_"):]: v for n, v in c.items() if n.startswith("NETNS_EVENT_")})
    buffers = {"posix_spawn_file_actions_t": inside._Opaque,
               "posix_spawnattr_t": inside._Opaque, "sigset_t": inside._Sigset}
    for ctype, buf in buffers.items():
        for what, got in (("sizeof", ctypes.sizeof(buf)), ("alignof", ctypes.alignment(buf))):
            want = c[f"{what}({ctype})"]
            if got < want:
                failures.append(f"the Python buffer for {ctype} has {what} {got}, "
                                f"less than the C library's {want}")
    expect("libnetns.version()", libnetns.version(), c["NETNS_VERSION_STRING"])


def check_rust(c):
    text = read(SYS_RS)
    consts = {name: rust_int(value) for name, value in
              re.findall(r"^pub const (\w+): \w+ = (-?[0-9a-fx_]+);", text, flags=re.M)}
    for name, value in c.items():
        if name.startswith(("NETNS_", "POSIX_SPAWN_")) and name != "NETNS_VERSION_STRING":
            if name == "POSIX_SPAWN_SETSID":
                continue  # libnetns-sys does not offer it
            expect(f"libnetns_sys::{name}", consts.get(name), value)
    for name in consts:
        if name.startswith(("NETNS_", "POSIX_SPAWN_")) and name not in c:
            failures.append(f"libnetns_sys::{name} is not a constant of the header or <spawn.h>")
    # Sizes: `const NAME: usize = N;` (for this pointer width) or a literal.
    width = str(ctypes.sizeof(ctypes.c_void_p) * 8)
    sizes = {}
    for cfg, name, value in re.findall(
            r'^(?:#\[cfg\(target_pointer_width = "(\d+)"\)\]\n)?const (\w+): usize = (\d+);',
            text, flags=re.M):
        if cfg in ("", width):
            sizes[name] = int(value)
    for ctype in SPAWN_TYPES:
        m = re.search(r"#\[repr\(C, align\((\d+)\)\)\]\npub struct " + ctype +
                      r" \{\n\s*_opaque: \[u8; (\w+)\],\n\}", text)
        if not m:
            failures.append(f"libnetns_sys::{ctype}: no `#[repr(C, align(N))]` opaque struct")
            continue
        size = int(m.group(2)) if m.group(2).isdigit() else sizes.get(m.group(2))
        expect(f"sizeof(libnetns_sys::{ctype})", size, c[f"sizeof({ctype})"])
        expect(f"alignof(libnetns_sys::{ctype})", int(m.group(1)), c[f"alignof({ctype})"])
    m = re.search(r'^\[workspace\.package\][^\[]*?^version = "([^"]+)"', read(CARGO), re.M | re.S)
    expect("bindings/rust/Cargo.toml's version", m and m.group(1), c["NETNS_VERSION_STRING"])


def main():
    c = facts()
    check_header(c)
    check_python(c)
    check_rust(c)
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        return 1
    print(f"ok: {len(c)} facts agree with the Python package and libnetns-sys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
