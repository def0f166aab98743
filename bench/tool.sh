#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/tool.sh [TOOL]: the netns tool against `ip netns` with hyperfine
# (wall clock, side by side in one hyperfine run per pair). A cross-check
# of the tool_* rows of the meson benchmark (bench/peer-tool.cpp), which is
# the one that counts: it times CPU and wall time, interleaved call by call.
#
#   bench/tool.sh [build/cli/netns]      # NAMES=2000 RUNS=30 CPU=1 by default
#
# Everything happens in a private mount namespace (a user namespace too
# when not root) with a tmpfs on /run, so both tools use that /run/netns
# and the host's is never touched; the names made here go with it.
set -eu

tool=${1:-build/cli/netns}
names=${NAMES:-2000}
runs=${RUNS:-30}

command -v hyperfine >/dev/null || { echo "tool.sh: hyperfine is not installed" >&2; exit 77; }
ip=$(command -v ip || echo /usr/sbin/ip)
[ -x "$ip" ] || { echo "tool.sh: no ip (iproute2)" >&2; exit 77; }
[ -x "$tool" ] || { echo "tool.sh: $tool is not built" >&2; exit 1; }

if [ -z "${NETNS_TOOL_SH_INNER:-}" ]; then
    tool=$(readlink -f "$tool")
    if [ "$(id -u)" = 0 ]; then
        set -- unshare --mount --propagation private
    else
        set -- unshare --user --map-root-user --mount --net --propagation private
    fi
    exec "$@" env NETNS_TOOL_SH_INNER=1 sh "$0" "$tool"
fi

mount -t tmpfs netns-tool-bench /run
unset NETNS_RUN_DIR # the tool's default, /run/netns, as ip's
# One CPU, as the meson benchmark (the last one allowed).
pin=""
if command -v taskset >/dev/null; then
    cpu=${CPU:-$(($(nproc) - 1))}
    pin="taskset -c $cpu"
fi

echo "tool: $tool ($("$tool" version 2>/dev/null || echo '?')); ip: $("$ip" -V)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); pinned: ${pin:-no}"

"$tool" add bench-probe
$pin hyperfine -N --warmup 5 --runs "$runs" \
    "$tool exec bench-probe /bin/true" \
    "$ip netns exec bench-probe /bin/true"

# add + del through sh -c; hyperfine subtracts the shell's own start.
$pin hyperfine --warmup 3 --runs "$runs" \
    "$tool add bench-churn && $tool del bench-churn" \
    "$ip netns add bench-churn && $ip netns del bench-churn"

echo "making $names names ..."
i=0
while [ "$i" -lt "$names" ]; do
    "$tool" add "bench-scale-$i"
    i=$((i + 1))
done
$pin hyperfine -N --warmup 3 --runs "$runs" --output null \
    "$tool list -j" \
    "$ip -j netns list"
"$tool" del --all
