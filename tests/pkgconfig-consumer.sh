#!/bin/sh
# Builds examples/hello.c the way README tells C users to, with
# `pkg-config --cflags --libs netns`, against this build tree's uninstalled
# netns.pc, and runs it.
# usage: pkgconfig-consumer.sh BUILD_ROOT SOURCE_ROOT CC [CC ARGS...]
# (the compiler as meson runs it: with ccache, "ccache cc")
set -eu
build=$1 src=$2
shift 2
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/netns-pc.XXXXXX")
trap 'rm -rf "$work"' EXIT
flags=$(PKG_CONFIG_PATH="$build/meson-uninstalled" pkg-config --cflags --libs netns)
echo "pkg-config --cflags --libs netns: $flags"
# shellcheck disable=SC2086
"$@" -std=c99 -pedantic -Wall -Wextra -Werror -o "$work/hello" "$src/examples/hello.c" $flags
LD_LIBRARY_PATH="$build/capi" "$work/hello" | grep -q '^libnetns .*: this thread is in NS([0-9]*:[0-9]*)$'
