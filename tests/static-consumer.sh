#!/bin/sh
# Links examples/hello.c with libnetns.a, the way doc/packaging.md tells
# static users to: `pkg-config --static --cflags --libs netns`, against this
# build tree's uninstalled netns.pc. Registered only when the build makes
# the archive (-Ddefault_library=static or both). libnetns is taken from
# the archive (-Bstatic around -lnetns, for a `both` tree that has the .so
# beside it); what it needs (libstdc++, libmnl) comes from the same line.
# The program must not need libnetns.so.0, and must run.
# usage: static-consumer.sh BUILD_ROOT SOURCE_ROOT CC... (the compiler's command, e.g. ccache cc)
set -eu
build=$1 src=$2
shift 2
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is not installed"; exit 77; }
[ -f "$build/capi/libnetns.a" ] || { echo "no $build/capi/libnetns.a"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/netns-static.XXXXXX")
trap 'rm -rf "$work"' EXIT
flags=$(PKG_CONFIG_PATH="$build/meson-uninstalled" pkg-config --static --cflags --libs netns)
echo "pkg-config --static --cflags --libs netns: $flags"
case " $flags " in
*" -lstdc++ "*) ;;
*) echo "the --static line does not name libstdc++"; exit 1 ;;
esac
# shellcheck disable=SC2086
link=$(printf '%s\n' $flags | sed 's/^-lnetns$/-Wl,-Bstatic -lnetns -Wl,-Bdynamic/')
# shellcheck disable=SC2086
"$@" -std=c99 -pedantic -Wall -Wextra -Werror -o "$work/hello" "$src/examples/hello.c" $link
if readelf -d "$work/hello" | grep -q 'NEEDED.*libnetns'; then
    echo "hello was linked with libnetns.so, not libnetns.a:"
    readelf -d "$work/hello" | grep NEEDED
    exit 1
fi
"$work/hello" | tee "$work/out"
grep -q '^libnetns .*: this thread is in NS([0-9]*:[0-9]*)$' "$work/out"
