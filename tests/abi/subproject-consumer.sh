#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# subproject-consumer.sh MESON SOURCE_ROOT
#
# Copies tests/subproject-consumer to a temporary directory, makes
# subprojects/libnetns there a symlink to SOURCE_ROOT, then configures,
# builds and runs the consumer: the way a Meson project vendors libnetns.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 MESON SOURCE_ROOT" >&2
    exit 1
fi
meson=$1
src=$(cd "$2" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/netns-subproject.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

cp -R "$src/tests/subproject-consumer" "$tmp/consumer"
mkdir -p "$tmp/consumer/subprojects"
ln -s "$src" "$tmp/consumer/subprojects/libnetns"

# No wrap may be downloaded: the subproject is already there.
"$meson" setup --wrap-mode=nodownload "$tmp/build" "$tmp/consumer"
# Build the consumer and what it needs, not every target of libnetns.
"$meson" compile -C "$tmp/build" consumer
"$tmp/build/consumer"
