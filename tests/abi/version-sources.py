#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""version-sources.py VERSION SOURCE_ROOT

The project version in meson.build is the one place the version is written;
the build makes netns/version.h and netns_version() from it. The files that
cannot read it (Cargo manifests, Debian's changelog, the bindings' tests,
the docs) repeat it, and this check fails, naming file and line, when one of
them says something else: a version change is made everywhere or fails.
"""
import re
import sys

V = r"(\d+\.\d+\.\d+)"

# (file, pattern with one group per version part, how many matches).
# None: any number, zero included (a test that stops repeating the version
# is fine); a number: exactly that many, so a reworded file cannot slip out
# of the check.
COPIES = [
    ("bindings/rust/Cargo.toml", r'^version = "' + V + '"', 1),
    ("bindings/rust/libnetns/Cargo.toml", r'^libnetns-sys = \{.*version = "' + V + '"', 1),
    ("bindings/rust/Cargo.lock", r'^name = "libnetns(?:-sys)?"\nversion = "' + V + '"', 2),
    ("bindings/rust/libnetns-sys/src/lib.rs",
     # (each constant after its own doc comment)
     r"NETNS_VERSION_MAJOR: c_int = (\d+);\s*(?:///[^\n]*\n\s*)*"
     r"pub const NETNS_VERSION_MINOR: c_int = (\d+);\s*(?:///[^\n]*\n\s*)*"
     r"pub const NETNS_VERSION_MICRO: c_int = (\d+);", 1),
    # Native package: the whole version, after an optional epoch.
    ("debian/changelog", r"\Alibnetns \((?:\d+:)?" + V + r"\)", 1),
    ("bindings/rust/libnetns/tests/handle.rs", r'"' + V + '"', None),
    ("README.md", r'^\| `netns_version\(\)` \| `"' + V + '"`', 1),
    ("README.md", r"`libnetns\.so\." + V + "`", 1),
    ("README.md", r"project version \(`" + V + r"`\)", 1),
    ("doc/packaging.md", r"version " + V + ",", 1),
    ("doc/packaging.md", r"_" + V + r"_(?:amd64|all)\.deb", 3),
]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: version-sources.py VERSION SOURCE_ROOT")
    version, root = sys.argv[1], sys.argv[2]
    bad = 0
    for path, pattern, count in COPIES:
        with open(f"{root}/{path}", encoding="utf-8") as f:
            text = f.read()
        found = list(re.finditer(pattern, text, re.MULTILINE))
        if count is not None and len(found) != count:
            print(f"{path}: {len(found)} matches of {pattern!r}, expected {count}")
            bad += 1
        for m in found:
            said = ".".join(m.groups())
            line = text.count("\n", 0, m.start()) + 1
            if said != version:
                print(f"{path}:{line}: says {said}, meson.build says {version}")
                bad += 1
            else:
                print(f"{path}:{line}: {said}")
    if bad:
        sys.exit(f"{bad} copies of the version disagree with meson.build")


if __name__ == "__main__":
    main()
