#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# exports-check.sh LIBRARY VERSION_SCRIPT
#
# What the dynamic symbol table of the built libnetns.so may hold:
#   - the version node symbols (LIBNETNS_<major>.<minor>, type A);
#   - netns_* functions, each bound to a LIBNETNS_* node;
# and nothing else: no C++ (_Z*) symbol, no unversioned symbol, nothing
# from the static core or from libstdc++ leaking through. Every name that
# VERSION_SCRIPT lists as global must be exported, and the SONAME must be
# libnetns.so.0.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 LIBRARY VERSION_SCRIPT" >&2
    exit 1
fi
library=$1
map=$2

for tool in nm readelf; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "SKIP: $tool not found (binutils)"
        exit 77
    fi
done

status=0
fail() {
    echo "FAIL: $*" >&2
    status=1
}

soname=$(readelf -d "$library" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$soname" = "libnetns.so.0" ]; then
    echo "ok: SONAME $soname"
else
    fail "SONAME is '$soname', expected libnetns.so.0"
fi

symbols=$(nm -D --defined-only "$library") || {
    fail "nm -D failed on $library"
    exit 1
}
if [ -z "$symbols" ]; then
    fail "no dynamic symbols in $library"
    exit 1
fi

exported=""
nodes=0
functions=0
# Each line: VALUE TYPE NAME
while read -r _value type name; do
    case $name in
    _Z*)
        fail "C++ symbol exported: $name ($type)"
        continue
        ;;
    esac
    if [ "$type" = "A" ]; then
        if printf '%s\n' "$name" | grep -Eqx 'LIBNETNS_[0-9]+\.[0-9]+'; then
            nodes=$((nodes + 1))
        else
            fail "unexpected absolute symbol $name"
        fi
        continue
    fi
    if printf '%s\n' "$name" | grep -Eqx 'netns_[a-z0-9_]+@@?LIBNETNS_[0-9]+\.[0-9]+'; then
        functions=$((functions + 1))
        exported="$exported ${name%%@*}"
    else
        fail "symbol outside the netns_*@LIBNETNS_* contract: $name ($type)"
    fi
done <<EOT
$symbols
EOT

[ $nodes -ge 1 ] || fail "no LIBNETNS_* version node is defined"

# The names the version script exports, without comments.
wanted=$(sed -e 's|/\*.*\*/||g' -e 's|#.*||' "$map" |
    grep -Eo '^[[:space:]]*netns_[a-z0-9_]+[[:space:]]*;' | tr -d ' \t;')
for name in $wanted; do
    case " $exported " in
    *" $name "*) ;;
    *) fail "$name is in $(basename "$map") but not exported" ;;
    esac
done

if [ $status -eq 0 ]; then
    echo "ok: $functions netns_* functions in $nodes version node(s), nothing else exported"
fi
exit $status
