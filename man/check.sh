#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The man-pages test: check.sh MAP COMMANDS OPTIONS PAGE...
#  MAP       capi/libnetns.map (the exported functions)
#  COMMANDS  the netns tool's commands, space-separated
#  OPTIONS   its global options, space-separated
#  PAGE      every built page and alias stub (NAME.3 or NAME.8)
# With $NETNS_TOOL (the built netns), the commands and options that
# `netns help` lists are checked too, so a new one without docs fails.
# Fails when a page makes man print anything on stderr (MANWIDTH=80
# man --warnings -l, also for a `.so` stub that does not resolve), when
# whatis (lexgrog) cannot read a page's NAME section, when an exported
# function has no page or alias naming it in NAME, or when netns(8) lacks a
# command or option. Exits 77 (skip) without man-db.
set -u

if ! command -v man >/dev/null 2>&1 || ! command -v lexgrog >/dev/null 2>&1; then
    echo "SKIP: man and lexgrog (Debian package man-db) are not installed"
    exit 77
fi
[ $# -ge 4 ] || { echo "usage: $0 MAP COMMANDS OPTIONS PAGE..." >&2; exit 2; }
map=$(realpath "$1") commands=$2 options=$3
shift 3
if [ -n "${NETNS_TOOL:-}" ]; then
    usage=$("$NETNS_TOOL" help) || { echo "FAIL: $NETNS_TOOL help failed"; exit 1; }
    # "  netns list", "  -j, --json        print JSON"
    commands="$commands $(printf '%s\n' "$usage" | sed -n 's/^  netns \([a-z][a-z-]*\).*/\1/p')"
    options="$options $(printf '%s\n' "$usage" | sed -n 's/^  \(-[^ ,]*\(, -[^ ,]*\)*\) .*/\1/p' | tr -d ,)"
fi

# The pages as they are installed (man3/, man8/), so that a stub's
# `.so man3/PAGE.3` resolves from the top of the tree, as under mandir.
tree=$(mktemp -d "${TMPDIR:-/tmp}/netns-man.XXXXXX")
trap 'rm -rf "$tree"' EXIT
mkdir "$tree/man3" "$tree/man8"
for page in "$@"; do
    case $page in
    *.3) cp "$page" "$tree/man3/" ;;
    *.8) cp "$page" "$tree/man8/" ;;
    *) echo "FAIL: $page: not a section 3 or 8 page"; exit 1 ;;
    esac
done
cd "$tree" || exit 1

failed=0
fail() { echo "FAIL: $*"; failed=1; }

# A stub's target (man3/PAGE.3), or nothing for a page of its own.
so_target() { sed -n '1s/^\.so \(man[0-9]\/[^ ]*\)$/\1/p' "$1"; }

# Render every page, two at a time (man takes about half a second each),
# in lintian's locale: PAGE.out, PAGE.err and PAGE.rc beside it.
# shellcheck disable=SC2016
printf '%s\n' man3/*.3 man8/*.8 | xargs -P 2 -n 1 sh -c \
    'LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" >"$1.out" 2>"$1.err"; echo $? >"$1.rc"' render
for page in man3/*.3 man8/*.8; do
    rc=$(cat "$page.rc" 2>/dev/null || echo "?")
    [ "$rc" = 0 ] || fail "$page: man exited $rc"
    [ -s "$page.err" ] && { fail "$page: man printed on stderr:"; sed 's/^/    /' "$page.err"; }
    [ -s "$page.out" ] || fail "$page: renders empty"
    target=$(so_target "$page")
    if [ -n "$target" ]; then
        if [ ! -f "$target" ]; then
            fail "$page: .so to a missing $target"
        elif [ -n "$(so_target "$target")" ]; then
            fail "$page: .so to another stub, $target"
        fi
    elif ! lexgrog "$page" >/dev/null 2>&1; then
        fail "$page: whatis (lexgrog) cannot parse its NAME section"
    fi
done

# Every exported function: man3/FUNCTION.3, a page or a stub, and the page
# it shows names the function in NAME.
functions=$(sed -n 's/^[[:space:]]*\(netns_[a-z0-9_]*\);.*/\1/p' "$map" | sort -u)
[ -n "$functions" ] || fail "no function found in $map"
for f in $functions; do
    page=man3/$f.3
    if [ ! -f "$page" ]; then
        fail "$f (exported in $(basename "$map")) has no man page or alias $f.3"
        continue
    fi
    shown=$(so_target "$page")
    [ -n "$shown" ] || shown=$page
    lexgrog "$shown" 2>/dev/null | grep -q "\"$f - " ||
        fail "$f: $shown does not name it in NAME"
done

# netns(8): every command and option at the start of an item (the renderer
# indents item headings by 7 columns: "       list", "       -j, --json").
if [ -f man8/netns.8 ]; then
    MANWIDTH=200 man -l man8/netns.8 2>/dev/null >netns.txt
    for c in $commands; do
        grep -Eq "^ {7}$c( |,|\$)" netns.txt || fail "netns(8) has no item for the command $c"
    done
    for o in $options; do
        grep -Eq -- "^ {7}(-[-a-zA-Z]+, )?$o( |,|\$)" netns.txt ||
            fail "netns(8) has no item for the option $o"
    done
else
    fail "netns.8 was not built"
fi

[ "$failed" -eq 0 ] && echo "man pages: $(ls man3 man8 | grep -c '\.[38]$') pages and aliases, $(echo "$functions" | wc -l) functions, every command and option documented"
exit "$failed"
