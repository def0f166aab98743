#!/usr/bin/env bash
# Hardening runs (doc/hardening.md): every one must be clean.
#   1. valgrind memcheck over the C/C++ suite      (build-vg,   gcc -O0)
#   2. ASan + UBSan over the C/C++ suite           (build-asan, gcc -O1)
#   3. TSan over the C/C++ suite                   (build-tsan, gcc -O1)
#   4. libFuzzer: each corpus once, then fuzzing   (build-fuzz, clang)
# Run as root on Debian 12; installs what it needs. Every step runs even when
# an earlier one failed; the exit status is non-zero when any failed.
#
# Knobs (environment):
#   NETNS_JOBS=2             ninja -j and meson test --num-processes
#   NETNS_FUZZ_SECONDS=30    fuzzing time per target (9 targets, 2 at a time)
#   NETNS_HARDENING="valgrind asan tsan fuzz"   the steps to run
#   NETNS_TSAN_TESTS="..."   only these tests under TSan (default: all C/C++)
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
stamp() { echo "=== [hardening $(( $(date +%s) - start ))s] $*"; }

jobs=${NETNS_JOBS:-2}
fuzz_seconds=${NETNS_FUZZ_SECONDS:-20}
steps=${NETNS_HARDENING:-valgrind asan tsan fuzz}
# Most tests start threads (the fake Docker daemon serves from one), and the
# whole suite takes seconds under TSan: all of it by default.
tsan_tests=${NETNS_TSAN_TESTS:-}
# Scripts and interpreters are not checked by these tools (the setups in
# tests/setups/meson.build exclude them too).
no_suites=(--no-suite python --no-suite rust --no-suite abi --no-suite docs)

failed=()
logs=$(mktemp -d "${TMPDIR:-/tmp}/netns-hardening.XXXXXX")
step_ok() { stamp "$1: clean"; }
step_failed() { stamp "$1: FAILED"; failed+=("$1"); }

want() { case " $steps " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# --- dependencies --------------------------------------------------------
pkgs=(meson ninja-build g++ gcc pkg-config catch2 libmnl-dev nlohmann-json3-dev iproute2
      python3 util-linux libasan8 libubsan1 libtsan2)
want valgrind && pkgs+=(valgrind)
want fuzz && pkgs+=(clang libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    stamp "installing: ${missing[*]}"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        { echo "hardening: cannot install ${missing[*]}"; exit 1; }
fi

# configure DIR [meson options...]: a fresh setup, or a reconfigure (test
# files are picked up at configure time) with these options.
configure() {
    local dir=$1
    shift
    if [ -f "$dir/meson-private/coredata.dat" ]; then
        meson setup --reconfigure "$dir" "$@" >"$logs/${dir##*/}.setup.log" 2>&1
    else
        rm -rf "$dir"
        meson setup "$dir" "$@" >"$logs/${dir##*/}.setup.log" 2>&1
    fi || { cat "$logs/${dir##*/}.setup.log"; return 1; }
}

build() {
    local dir=$1
    shift
    configure "$dir" "$@" && ninja -C "$dir" -j"$jobs" >"$logs/${dir##*/}.build.log" 2>&1 ||
        { tail -50 "$logs/${dir##*/}.build.log" 2>/dev/null; return 1; }
}

# has_setup DIR NAME: whether tests/setups/meson.build is included.
has_setup() {
    meson test -C "$1" --setup="$2" --list >/dev/null 2>&1 && return 0
    echo "hardening: test setup '$2' is not registered:" \
         "tests/meson.build must say subdir('setups')"
    return 1
}

# --- 1. valgrind ---------------------------------------------------------
if want valgrind; then
    stamp "valgrind: building build-vg"
    if build build-vg -Dbuildtype=debug && has_setup build-vg valgrind &&
        meson test -C build-vg --setup=valgrind "${no_suites[@]}" \
            --num-processes "$jobs" --print-errorlogs; then
        step_ok valgrind
    else
        step_failed valgrind
    fi
fi

# --- 2. ASan + UBSan -----------------------------------------------------
if want asan; then
    stamp "asan: building build-asan"
    # b_lundef=false: meson's advice for sanitized shared libraries (with gcc
    # libnetns.so links libasan itself, so -Wl,--no-undefined still holds).
    san_args='-fno-sanitize-recover=all -fno-omit-frame-pointer'
    if build build-asan -Doptimization=1 -Ddebug=true \
            -Db_sanitize=address,undefined -Db_lundef=false \
            -Dc_args="$san_args" -Dcpp_args="$san_args" &&
        has_setup build-asan asan &&
        meson test -C build-asan --setup=asan "${no_suites[@]}" \
            --num-processes "$jobs" --print-errorlogs; then
        step_ok asan
    else
        step_failed asan
    fi
fi

# --- 3. TSan -------------------------------------------------------------
if want tsan; then
    stamp "tsan: building build-tsan"
    tsan_ok=false
    if build build-tsan -Doptimization=1 -Ddebug=true \
            -Db_sanitize=thread -Db_lundef=false &&
        has_setup build-tsan tsan; then
        run=()
        if [ -n "$tsan_tests" ]; then
            registered=$(meson test -C build-tsan --list 2>/dev/null | sed 's|.* / ||')
            for t in $tsan_tests; do
                grep -qxF -- "$t" <<<"$registered" && run+=("$t")
            done
            [ ${#run[@]} -gt 0 ] || echo "hardening: none of $tsan_tests is registered"
        fi
        if [ -z "$tsan_tests" ] || [ ${#run[@]} -gt 0 ]; then
            meson test -C build-tsan --setup=tsan "${no_suites[@]}" \
                --num-processes "$jobs" --print-errorlogs "${run[@]}" && tsan_ok=true
        fi
    fi
    if $tsan_ok; then step_ok tsan; else step_failed tsan; fi
fi

# --- 4. libFuzzer --------------------------------------------------------
if want fuzz; then
    stamp "fuzz: building build-fuzz"
    if CC=clang CXX=clang++ build build-fuzz -Dfuzzing=true -Dtests=false \
            -Dbuildtype=debugoptimized &&
        meson test -C build-fuzz --suite fuzz-regression --print-errorlogs \
            --num-processes "$jobs" &&
        stamp "fuzz: ${fuzz_seconds}s per target" &&
        NETNS_FUZZ_SECONDS=$fuzz_seconds meson test -C build-fuzz --suite fuzz \
            --print-errorlogs --num-processes "$jobs"; then
        step_ok fuzz
    else
        step_failed fuzz
        arts=$(find build-fuzz/tests/fuzz -type f \( -name 'crash-*' -o -name 'leak-*' \
                -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null)
        [ -n "$arts" ] && echo "fuzz: inputs that fail (base64):" &&
            for a in $arts; do echo "  $a: $(base64 -w0 "$a")"; done
    fi
fi

if [ ${#failed[@]} -gt 0 ]; then
    stamp "FAILED: ${failed[*]}"
    exit 1
fi
stamp "all clean: $steps"
