#!/bin/sh
# Installs, from Debian 12's archive, whatever the build and the test suite
# need and is missing. Uses sudo when not root.
set -eu
pkgs="meson ninja-build g++ gcc pkg-config catch2 libmnl-dev nlohmann-json3-dev iproute2 python3 util-linux abigail-tools binutils scdoc man-db bash-completion zsh fish procps python3-mesonpy python3-build python3-venv patchelf mypy cmake doxygen"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
echo "installing:$missing"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
