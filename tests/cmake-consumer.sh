#!/bin/sh
# The CMake user's way in (README): stages this build's install with
# `meson install --destdir` (runtime and devel files only), then configures,
# builds and runs tests/cmake-consumer (find_package(netns), netns::netns,
# a C99 and a C++17 program) with CMAKE_PREFIX_PATH on the staged prefix.
# Also checks the version file: asking for a newer netns must fail.
# usage: cmake-consumer.sh MESON BUILD_ROOT SOURCE_ROOT PREFIX VERSION
set -eu
meson=$1 build=$2 src=$3 prefix=$4 version=$5
command -v cmake >/dev/null || { echo "SKIP: cmake is not installed (Debian: apt install cmake)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/netns-cmake.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$meson" install -C "$build" --no-rebuild --quiet --tags runtime,devel --destdir "$work/stage" >/dev/null
staged=$work/stage$prefix
find "$staged" -path '*cmake/netns/*' -type f | sed "s|^$work/stage||"

echo "--- cmake -DCMAKE_PREFIX_PATH=<staged prefix> -DNETNS_REQUEST=$version"
cmake -S "$src/tests/cmake-consumer" -B "$work/b" -DCMAKE_PREFIX_PATH="$staged" \
    -DNETNS_REQUEST="$version" -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; exit 1; }
grep 'found netns' "$work/configure.log"
grep -q "found netns $version in $staged/" "$work/configure.log" ||
    { echo "CMake found another netns, not the staged one"; exit 1; }
cmake --build "$work/b" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
# Both must load the staged library, not one installed on the host; from a
# static-only build (-Ddefault_library=static), netns::netns is libnetns.a
# and they load none.
if find "$staged" -name libnetns.so.0 | grep -q .; then
    expect="libnetns.so.0 => $staged/"
else
    expect=""
    echo "static-only build: netns::netns is libnetns.a"
fi
for exe in consumer-c consumer-cxx; do
    if [ -n "$expect" ]; then
        ldd "$work/b/$exe" | grep -q "$expect"
    else
        ! ldd "$work/b/$exe" | grep -q libnetns
    fi || { echo "$exe does not load the libnetns expected:"; ldd "$work/b/$exe"; exit 1; }
    "$work/b/$exe"
done

newer=$(echo "$version" | awk -F. '{ print $1 + 1 ".0" }')
echo "--- find_package(netns $newer) must fail"
if cmake -S "$src/tests/cmake-consumer" -B "$work/newer" -DCMAKE_PREFIX_PATH="$staged" \
    -DNETNS_REQUEST="$newer" >"$work/newer.log" 2>&1; then
    echo "find_package(netns $newer) accepted version $version"
    exit 1
fi
grep -A1 'version' "$work/newer.log" | grep -q "$version" ||
    { cat "$work/newer.log"; exit 1; }
echo "refused, as it should be"
