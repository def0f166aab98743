#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# abi-check.sh BASELINE LIBRARY
#
# Compares the freshly built LIBRARY with the committed ABI BASELINE (made by
# abidw, see tests/abi/README.md) and fails on anything that would break a
# program linked against the baseline:
#   - a removed function or variable, or a symbol that lost its version node;
#   - a changed function (parameter or return types, sizes, layouts).
# New symbols (in a new version node) are allowed and only reported.
#
# abidiff's exit status is a bit mask:
#   1 ABIDIFF_ERROR, 2 ABIDIFF_USAGE_ERROR,
#   4 ABIDIFF_ABI_CHANGE, 8 ABIDIFF_ABI_INCOMPATIBLE_CHANGE.
# Bit 8 is set only for removed symbols; a changed function type sets bit 4
# alone, and so does an added symbol. So the comparison is made twice:
# once in full (the report that is printed), once with additions suppressed
# (--no-added-syms), where any remaining bit 4 or 8 is a real break.
#
# Exit status: 0 compatible, 1 broken or error, 77 skipped (no abidiff, or a
# baseline of another architecture).
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 BASELINE.abi LIBRARY.so" >&2
    exit 1
fi
baseline=$1
library=$2

if ! command -v abidiff >/dev/null 2>&1; then
    echo "SKIP: abidiff not found (install abigail-tools)"
    exit 77
fi
for f in "$baseline" "$library"; do
    if [ ! -r "$f" ]; then
        echo "ERROR: cannot read $f" >&2
        exit 1
    fi
done

# The baseline is made on x86_64; a build for another architecture has other
# type sizes, so there is nothing meaningful to compare it with.
base_arch=$(sed -n "s/.*<abi-corpus [^>]*architecture='\([^']*\)'.*/\1/p" "$baseline" | head -n 1)
lib_arch=$(abidw --no-corpus-path --exported-interfaces-only "$library" 2>/dev/null |
    sed -n "s/.*<abi-corpus [^>]*architecture='\([^']*\)'.*/\1/p" | head -n 1)
if [ -z "$lib_arch" ]; then
    echo "ERROR: abidw could not read $library (built without debug info?)" >&2
    exit 1
fi
if [ -n "$base_arch" ] && [ "$base_arch" != "$lib_arch" ]; then
    echo "SKIP: baseline is for $base_arch, this build is $lib_arch"
    exit 77
fi

common="--no-show-locs --exported-interfaces-only --fail-no-debug-info"

echo "== abidiff $baseline $library"
# shellcheck disable=SC2086
abidiff $common "$baseline" "$library"
full=$?
echo "== abidiff exit status $full"

# shellcheck disable=SC2086
abidiff $common --no-added-syms "$baseline" "$library" >/dev/null 2>&1
strict=$?

if [ $((full & 3)) -ne 0 ] || [ $((strict & 3)) -ne 0 ]; then
    echo "FAIL: abidiff could not compare (status $full/$strict)" >&2
    exit 1
fi
if [ $((strict & 8)) -ne 0 ]; then
    echo "FAIL: incompatible ABI change: symbols were removed" >&2
    exit 1
fi
if [ $((strict & 4)) -ne 0 ]; then
    echo "FAIL: ABI change in existing interfaces (see the report above)" >&2
    exit 1
fi
# abidiff allows a symbol added to a node that the baseline already has, but
# a released version node never changes: new symbols go into a new node.
if command -v nm >/dev/null 2>&1; then
    base_syms=$(sed -n "s/.*<elf-symbol name='\([^']*\)' version='\([^']*\)'.*/\1@\2/p" "$baseline" | sort -u)
    base_nodes=$(printf '%s\n' "$base_syms" | sed 's/.*@//' | sort -u)
    lib_syms=$(nm -D --defined-only "$library" | awk '$2 != "A" { print $3 }' | sed 's/@@*/@/' | sort -u)
    bad=0
    for sym in $lib_syms; do
        node=${sym#*@}
        [ "$node" = "$sym" ] && continue
        if printf '%s\n' "$base_nodes" | grep -qx "$node" &&
           ! printf '%s\n' "$base_syms" | grep -qx "$sym"; then
            echo "FAIL: $sym was added to the released node $node" >&2
            bad=1
        fi
    done
    [ $bad -eq 0 ] || exit 1
fi

if [ $((full & 4)) -ne 0 ]; then
    echo "OK: only additions. Record them in the baseline when the new" \
         "version node is released (ninja abi-baseline)."
else
    echo "OK: no ABI change"
fi
exit 0
