#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# embed-engine.sh [--check]: copies netns-complete.awk (the one engine of
# the completions) into netns.bash, netns.zsh and netns.fish, between each
# one's "# BEGIN netns-complete.awk" line and the line that closes the quote
# that holds it ("'" then "# END netns-complete.awk"). With --check, changes
# nothing and fails when a copy differs (a meson test).
set -eu
cd "$(dirname "$0")"
check=0
[ "${1-}" = --check ] && check=1
if grep -q "[\\\\']" netns-complete.awk; then
    echo "netns-complete.awk holds a quote or a backslash" >&2
    exit 1
fi
status=0
for f in netns.bash netns.zsh netns.fish; do
    # The script with the engine's text replaced: the BEGIN line, the line
    # that opens the quote, the engine, then from the closing quote on.
    new=$(awk -v engine=netns-complete.awk '
        state == 0 { print; if ($0 ~ /^ *# BEGIN netns-complete.awk$/) state = 1; next }
        state == 1 { print; while ((getline l < engine) > 0) print l; state = 2; next }
        state == 2 { if ($0 == "'"'"'") { print; state = 3 } next }
        { print }
        END { if (state != 3) exit 1 }' "$f") || { echo "$f: no engine markers" >&2; exit 1; }
    if [ "$new" != "$(cat "$f")" ]; then
        if [ $check = 1 ]; then
            echo "$f: its engine differs from netns-complete.awk (run completion/embed-engine.sh)"
            status=1
        else
            printf '%s\n' "$new" >"$f"
            echo "updated $f"
        fi
    fi
done
[ $check = 0 ] || [ $status = 1 ] || echo "the engine of netns.bash, netns.zsh and netns.fish is netns-complete.awk"
exit $status
