#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Debian packaging check, for a fresh Debian 12 machine, run as root:
#  1. installs the packaging tools and the build dependencies;
#  2. builds the source package and, with the test suite, the binary
#     packages (dpkg-buildpackage -us -uc -b) in a copy of the tree, so the
#     work tree stays clean;
#  3. runs lintian on them and fails on any error;
#  4. installs the packages, then runs the autopkgtest programs
#     (debian/tests) against the installed files: the C and C++ consumers
#     through pkg-config and through CMake, the Python import, the netns
#     tool as root, and the API reference's pages;
#  5. purges the packages again (also when a step fails).
#
# Environment: NETNS_DEB_KEEP=1 keeps the temporary directory;
# DEB_BUILD_OPTIONS is passed to dpkg-buildpackage as usual (nocheck skips
# the test suite, for a quick packaging-only run).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
start=$SECONDS
step() { printf '\n=== [%4ds] %s\n' $((SECONDS - start)) "$*"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "debian.sh: must run as root (it installs packages)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
packages=(libnetns0 libnetns-dev libnetns-doc python3-libnetns netns-tools)
work=$(mktemp -d /tmp/netns-deb.XXXXXX)
installed=0

cleanup() {
    rc=$?
    if [ "$installed" -eq 1 ]; then
        step "purging ${packages[*]}"
        apt-get purge -y -q "${packages[@]}" >/dev/null || rc=1
    fi
    if [ "${NETNS_DEB_KEEP:-0}" = 1 ]; then
        echo "kept $work"
    else
        rm -rf "$work"
    fi
    exit $rc
}
trap cleanup EXIT

apt_install() {
    if ! apt-get install -y -q --no-install-recommends "$@"; then
        apt-get update -q
        apt-get install -y -q --no-install-recommends "$@"
    fi
}

step "packaging tools"
apt_install build-essential debhelper dpkg-dev fakeroot lintian

step "copying the tree to $work"
pkgdir=$work/libnetns-$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
mkdir -p "$pkgdir"
if [ -d "$src/.git" ] && command -v git >/dev/null 2>&1; then
    # Tracked files plus new files that are not ignored (no build dirs).
    git -C "$src" ls-files -z --cached --others --exclude-standard |
        (cd "$src" && tar --null -T - -cf -) | tar -xf - -C "$pkgdir"
else
    tar -C "$src" --exclude='./.git' --exclude='./build*' --exclude='./obj-*' \
        --exclude='./target' --exclude='__pycache__' -cf - . | tar -xf - -C "$pkgdir"
fi

step "build dependencies"
if ! apt-get build-dep -y -q "$pkgdir"; then
    apt-get update -q
    apt-get build-dep -y -q "$pkgdir"
fi

step "source package"
(cd "$work" && dpkg-source -b "$(basename "$pkgdir")")

step "binary packages (dpkg-buildpackage -us -uc -b, with the test suite)"
(cd "$pkgdir" && dpkg-buildpackage -us -uc -b)
ls -l "$work"

step "lintian"
changes=$(ls "$work"/libnetns_*.changes)
dsc=$(ls "$work"/libnetns_*.dsc)
# Errors fail the check; warnings and below are listed (see doc/packaging.md).
lintian --fail-on error --display-info --pedantic "$dsc" "$changes"

step "installing the packages"
installed=1
(cd "$work" && apt-get install -y -q --no-install-recommends \
    ./libnetns0_*.deb ./libnetns-dev_*.deb ./libnetns-doc_*.deb ./python3-libnetns_*.deb \
    ./netns-tools_*.deb)
dpkg -L "${packages[@]}" | grep -E 'netns' | grep -v '/doc/'
test "$(pkg-config --modversion netns)" = \
    "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version | sed 's/-.*//')"

step "consumers of the installed packages (debian/tests)"
apt_install pkgconf python3 iproute2 bash-completion cmake
for t in build-consumer cmake-consumer python-import netns-tool; do
    tmp=$(mktemp -d "$work/autopkgtest.XXXXXX")
    echo "--- $t"
    # netns-tool may skip (77) on a testbed without namespaces; here, as
    # root on the CI machine, it must run.
    AUTOPKGTEST_TMP=$tmp "$pkgdir/debian/tests/$t" || {
        rc=$?
        echo "debian/tests/$t failed (exit $rc)"
        exit 1
    }
done

echo "--- the API reference (libnetns-doc)"
test -s /usr/share/doc/libnetns-doc/html/index.html
test -s /usr/share/doc/libnetns-doc/html/netns_8h.html
test -s /usr/share/doc/libnetns-doc/html/classnetns_1_1Handle.html

echo "--- README's C example (examples/hello.c) with pkg-config"
# shellcheck disable=SC2046
cc -std=c99 -pedantic -Wall -Wextra -Werror -o "$work/hello" "$src/examples/hello.c" \
    $(pkg-config --cflags --libs netns)
"$work/hello"

step "done in $((SECONDS - start)) s"
