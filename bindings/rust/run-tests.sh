#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs the Rust bindings' tests (which run the example) inside the privileged-test
# sandbox, against the freshly built library. Called by meson (suite 'rust'):
#   run-tests.sh SANDBOX_EXEC LIB_DIR TARGET_DIR [CARGO]
# Exits 77 (skip) only when no usable cargo is available, after saying why.
set -u

sandbox_exec=$1
lib_dir=$2
target_dir=$3
cargo=${4:-}
here=$(cd "$(dirname "$0")" && pwd)

skip() {
    echo "SKIP: $*"
    exit 77
}

if [ -z "$cargo" ] || [ ! -x "$cargo" ]; then
    cargo=$(command -v cargo 2>/dev/null) || skip "cargo not found (not on PATH, not found by meson)"
fi
if ! version=$("$cargo" --version 2>&1); then
    skip "cargo ($cargo) is not usable by $(id -un 2>/dev/null || id -u): $version"
fi
echo "using $cargo: $version"

# cargo wants a writable CARGO_HOME for its caches; with no dependencies and
# --offline nothing is fetched, so a private one in the build dir will do.
if [ -z "${CARGO_HOME:-}" ]; then
    home_cargo="${HOME:-/nonexistent}/.cargo"
    if ! { [ -d "$home_cargo" ] && [ -w "$home_cargo" ]; } &&
       ! { [ -n "${HOME:-}" ] && [ -w "$HOME" ]; }; then
        export CARGO_HOME="$target_dir/cargo-home"
        mkdir -p "$CARGO_HOME"
        echo "HOME is not writable: CARGO_HOME=$CARGO_HOME"
    fi
fi

export CARGO_TARGET_DIR="$target_dir"
export NETNS_LIB_DIR="$lib_dir"
export LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export NETNS_REQUIRE_SANDBOX=1
export CARGO_TERM_COLOR=never
manifest="$here/Cargo.toml"

# Build outside the sandbox (a user namespace may hide the toolchain).
"$cargo" build --offline --manifest-path "$manifest" --workspace --all-targets || exit 1
"$cargo" test --offline --manifest-path "$manifest" --workspace --no-run || exit 1

# The tests also run examples/quickstart (see quickstart_example_runs).
exec "$sandbox_exec" "$cargo" test --offline --manifest-path "$manifest" --workspace
