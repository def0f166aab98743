#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# test-completion.sh SHELL NETNS SCRIPT [BASH_COMPLETION]
#
# Checks the SHELL (bash, zsh or fish) completion SCRIPT of netns against
# NETNS, the built tool: the commands it offers are exactly those of the
# `Commands:` block of `NETNS help`, the options before the command exactly
# the option lines of `NETNS help`, and after each command exactly the
# options of `NETNS help COMMAND` (its option lines and the options of its
# synopsis); then that names (from the run dir the line names), pids, files
# and the command after `exec NAME` complete. The expected words are read
# from the tool here, by this file's own reading of the help format (a
# `Commands:` block of "  netns WORD ..." lines; option lines that start
# with two spaces and the spellings), not by the completion's engine.
#
# bash: bash-completion (BASH_COMPLETION, its main script) and SCRIPT are
# loaded into this bash and _netns is called as bash calls it. zsh: a zsh
# on a pseudo-terminal (zsh-complete.zsh) types each line and reports what
# compadd was given. fish: `complete -C LINE` with SCRIPT sourced.
# Meson runs it in the test sandbox (a private /run and TMPDIR), where NETNS
# makes the names that the name completions must offer.
# No `set -eu`: bash-completion's functions rely on neither.

if [ $# -lt 3 ]; then
    echo "usage: $0 bash|zsh|fish NETNS SCRIPT [BASH_COMPLETION]" >&2
    exit 2
fi
sh=$1 tool=$2 script=$3 bc=${4-}
here=$(cd "$(dirname "$0")" && pwd)

case $sh in
    bash) ;;
    zsh | fish)
        if ! command -v "$sh" >/dev/null; then
            echo "SKIP: $sh is not installed (Debian package $sh)"
            exit 77
        fi
        ;;
    *)
        echo "unknown shell $sh" >&2
        exit 2
        ;;
esac

# The completion runs the tool as typed (netns): put the built one first.
tool=$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")
PATH=$(dirname "$tool"):$PATH
hash -r
unset NETNS_RUN_DIR
export PATH

fails=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netns-completion.XXXXXX") || exit 1
cleanup() {
    if [[ -n ${zsh_pid-} ]]; then
        # End of input ends the driver, which ends its zsh.
        exec {zsh_in}>&-
        [[ -n ${ZSH[1]-} ]] && eval "exec ${ZSH[1]}>&-"
        local i
        for ((i = 0; i < 50; i++)); do
            kill -0 "$zsh_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill "$zsh_pid" 2>/dev/null
        wait "$zsh_pid" 2>/dev/null
    fi
    local d
    for d in "${rd-}" "${odd-}"; do
        [[ -n $d ]] || continue
        netns --run-dir "$d" del --all >/dev/null 2>&1
        # Like `ip netns add`, the tool leaves its run dir a mount point.
        umount "$d" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

# --- The tool's help, read by this test --------------------------------------

# help_commands: the command words of the Commands: block of `netns help`,
# in order, each once: "  netns [-opt] WORD ..." (and its continuation lines).
help_commands() {
    netns help | awk '
        /^Commands/ { blk = 1; next }
        /^[ ]*$/ { blk = 0 }
        blk && /^ +netns / {
            for (i = 2; i <= NF; i++)
                if ($i !~ /^[-[]/) { if (!seen[$i]++) print $i; break }
        }'
}

# option_spellings: the spellings of the option lines on stdin ("  -x, --xx ARG  text").
option_spellings() {
    grep -E '^  -' | sed -E 's/^  //; s/ {2,}.*//; s/[, ]+/\n/g' |
        grep -E '^-' | sed 's/=.*//'
}

help_globals() { netns help | option_spellings | awk '!seen[$0]++'; }

# help_options WORD: the options of `netns help WORD`: its option lines and
# the options in its synopsis lines after the command word.
help_options() {
    local out
    out=$(netns help "$1")
    {
        option_spellings <<<"$out"
        grep -E '^(Usage:)? *netns ' <<<"$out" | tr '[]{}|' '     ' | awk '{
            for (i = 1; i <= NF && $i != "netns"; i++) ;
            for (i++; i <= NF; i++) if ($i !~ /^-/) break
            for (i++; i <= NF; i++) if ($i ~ /^-/) { sub(/=.*/, "", $i); print $i }
        }'
    } | awk '!seen[$0]++'
}

# starting PREFIX WORD...: the WORDs that start with PREFIX.
starting() {
    local p=$1 w
    shift
    for w in "$@"; do [[ $w == "$p"* ]] && printf '%s\n' "$w"; done
}

# --- Completing a line in each shell ------------------------------------------

# comp LINE: completes LINE (the cursor at its end) into GOT, one word each,
# without descriptions.
if [[ $sh == bash ]]; then
    # shellcheck source=/dev/null
    source "$bc" || { echo "cannot load $bc"; exit 1; }
    # shellcheck source=/dev/null
    source "$script" || { echo "cannot load $script"; exit 1; }
    [[ $(complete -p netns) == *'-F _netns'* ]] || { echo "netns.bash did not register _netns"; exit 1; }
    _fake_cmd() { COMPREPLY=(fake-ok); }
    complete -F _fake_cmd fakecmd
    comp() {
        COMP_LINE=$1
        COMP_POINT=${#COMP_LINE}
        # bash keeps '=' (one of COMP_WORDBREAKS) as a word of its own.
        read -ra COMP_WORDS <<<"${COMP_LINE//=/ = }"
        [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMPREPLY=()
        _netns netns "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        GOT=("${COMPREPLY[@]}")
    }
    setenv() { export "$1=$2"; }
elif [[ $sh == zsh ]]; then
    coproc ZSH { zsh -f "$here/zsh-complete.zsh" "$script" "$tmp/zsh" 2>&1; }
    # shellcheck disable=SC2153 # ZSH_PID: set by coproc
    zsh_pid=$ZSH_PID
    exec {zsh_in}>&"${ZSH[1]}"
    zsh_out=${ZSH[0]}
    # zsh_say LINE: one request; the answer ends with "::done::".
    zsh_say() {
        local line
        GOT=()
        printf '%s\n' "$1" >&"$zsh_in"
        while IFS= read -r -t 30 line <&"$zsh_out"; do
            [[ $line == ::done:: ]] && return 0
            [[ $line == ::error::* ]] && { echo "zsh driver: $line"; exit 1; }
            GOT+=("$line")
        done
        echo "zsh driver: no answer to '$1'"
        exit 1
    }
    zsh_say '!:' # started
    comp() { zsh_say "$1"; }
    # The zsh on the terminal keeps its environment: change it there.
    setenv() { zsh_say "!export $1=${2@Q}"; }
else
    comp() {
        # shellcheck disable=SC2016 # fish's $argv
        mapfile -t GOT < <(fish --no-config -c 'source $argv[1]; complete -c fakecmd -f -a fake-ok; complete -C $argv[2]' "$script" "$1" | cut -f1)
    }
    setenv() { export "$1=$2"; }
fi

sorted() { [ $# -eq 0 ] || printf '%s\n' "$@" | sort -u | tr '\n' ' '; }

# expect LINE [WORD...]: completing LINE offers exactly the WORDs.
expect() {
    local line=$1
    shift
    comp "$line"
    local got want
    got=$(sorted "${GOT[@]}")
    want=$(sorted "$@")
    if [[ $got == "$want" ]]; then
        echo "ok   '$line' -> [$got]"
    else
        echo "FAIL '$line': got [$got], want [$want]"
        fails=$((fails + 1))
    fi
}

# expect_has LINE WORD...: completing LINE offers at least the WORDs.
expect_has() {
    local line=$1 w
    shift
    comp "$line"
    for w in "$@"; do
        if [[ " ${GOT[*]} " != *" $w "* ]]; then
            echo "FAIL '$line': [$w] missing from [${GOT[*]:0:40}]"
            fails=$((fails + 1))
            return
        fi
    done
    echo "ok   '$line' has [$*]"
}

# expect_files LINE NAME...: completing LINE offers exactly the files NAME
# (last components: each shell shows paths its own way).
expect_files() {
    local line=$1 w
    shift
    comp "$line"
    local -a base=()
    for w in "${GOT[@]}"; do
        w=${w%/}
        base+=("${w##*/}")
    done
    GOT=("${base[@]}")
    local got want
    got=$(sorted "${GOT[@]}")
    want=$(sorted "$@")
    if [[ $got == "$want" ]]; then
        echo "ok   '$line' -> files [$got]"
    else
        echo "FAIL '$line': got files [$got], want [$want]"
        fails=$((fails + 1))
    fi
}

# --- The checks ----------------------------------------------------------------

mapfile -t commands < <(help_commands)
mapfile -t globals < <(help_globals)
echo "# from \`$tool help\`: commands [${commands[*]}], options [${globals[*]}]"
if ((${#commands[@]} == 0 || ${#globals[@]} == 0)); then
    echo "FAIL: no Commands: block or no option line in \`netns help\`:"
    netns help | sed 's/^/    /'
    exit 1
fi

echo "# the help fits 80 columns (PLAN.md), every page of it"
for page in '' "${commands[@]}"; do
    # shellcheck disable=SC2086 # no word: the whole help
    long=$(netns help $page | awk 'length($0) > 80 { print length($0) ": " $0 }')
    if [[ -n $long ]]; then
        echo "FAIL: netns help $page has lines over 80 columns:"
        printf '    %s\n' "$long"
        fails=$((fails + 1))
    fi
done

echo "# commands and options"
expect 'netns ' "${commands[@]}"
expect 'netns -' "${globals[@]}"
declare -A tried=()
for c in "${commands[@]}"; do
    [[ -n ${tried[${c:0:2}]-} ]] && continue
    tried[${c:0:2}]=1
    mapfile -t want < <(starting "${c:0:2}" "${commands[@]}")
    expect "netns ${c:0:2}" "${want[@]}"
done
mapfile -t want < <(starting --r "${globals[@]}")
expect 'netns --r' "${want[@]}"
expect 'netns help ' "${commands[@]}"
mapfile -t want < <(starting e "${commands[@]}")
expect 'netns help e' "${want[@]}"
for c in "${commands[@]}"; do
    mapfile -t opts < <(help_options "$c")
    expect "netns $c -" "${opts[@]}"
    # After the global options that take no argument.
    for g in "${globals[@]}"; do
        if [[ $g == -j || $g == -q ]]; then
            expect "netns $g $c -" "${opts[@]}"
            break
        fi
    done
done
mapfile -t want < <(starting l "${commands[@]}")
expect "netns --run-dir /nonexistent l" "${want[@]}"
expect 'netns help exec '
expect 'netns set foo ' auto
expect 'netns set foo 5 '
expect 'netns add '
expect 'netns list '
expect 'netns exec --docker '
# ip's keywords with a value, where the synopsis has them.
if netns help list-id | grep -qE '^(Usage:)? *netns list-id .*target-nsid [A-Z].*nsid [A-Z]'; then
    expect 'netns list-id ' nsid target-nsid
    expect 'netns list-id t' target-nsid
    expect 'netns list-id nsid '
    expect 'netns list-id nsid 3 ' target-nsid
fi

echo "# pids"
if [[ $sh != bash ]] && ! command -v ps >/dev/null; then
    # zsh's _pids and fish's __fish_complete_pids ask ps.
    echo "FAIL: $sh offers pids through ps, which is not installed (Debian package procps)"
    fails=$((fails + 1))
else
    expect_has 'netns identify ' 1 $$
    expect_has "netns identify ${$:0:1}" $$
    expect_has 'netns attach foo ' $$
    expect_has 'netns exec --pid ' $$
    [[ $sh == bash ]] && expect_has 'netns exec --pid=' $$ # zsh and fish: --pid=N is not split
fi
expect 'netns identify 1 '

echo "# files"
files=$tmp/files
mkdir -p "$files/dir1"
: >"$files/file1"
expect_files "netns --run-dir $files/" dir1
expect_files "netns --run-dir=$files/" dir1
expect_files "netns exec --path $files/" dir1 file1
expect_files "netns exec --path=$files/f" file1

echo "# the command after exec NAME / --pid / --path"
expect_has 'netns exec foo tru' true
expect 'netns exec foo fakecmd ' fake-ok
expect 'netns exec foo fakecmd --pid ' fake-ok
expect 'netns -j exec --pid 1 fakecmd -x ' fake-ok
expect "netns --run-dir=$tmp exec --path=$files/file1 fakecmd a=b " fake-ok
expect 'netns exec --docker abc fakecmd ' fake-ok
if netns help exec | grep -qE '^  .*--all'; then
    expect 'netns exec --all fakecmd ' fake-ok
fi

echo "# names from \`netns list\`"
rd=$tmp/run
empty=$tmp/empty
mkdir "$rd" "$empty"
for n in alpha alpine beta; do
    netns --run-dir "$rd" add "$n" || { echo "FAIL: netns --run-dir $rd add $n"; exit 1; }
done
expect "netns --run-dir $rd del " alpha alpine beta
expect "netns --run-dir $rd del al" alpha alpine
expect "netns --run-dir $rd delete al" alpha alpine
expect "netns --run-dir $rd d al" alpha alpine
# A second name where the synopsis says NAME... (the tool of 0.4), else none
# (ip's delete NAME).
if netns help del | grep -qE '^(Usage:)? *netns .*NAME ?[].]*[.][.][.]'; then
    expect "netns --run-dir $rd del alpha " alpha alpine beta
else
    expect "netns --run-dir $rd del alpha "
fi
expect "netns --run-dir $rd del --all "
expect "netns --run-dir=$rd pids b" beta
expect "netns --run-dir $rd e al" alpha alpine
expect "netns --run-dir $rd exec alpha fakecmd " fake-ok
expect "netns --run-dir $rd set al" alpha alpine
expect "netns --run-dir $rd pids alpha "
expect "netns --run-dir $empty del "
# add and attach make a new name: nothing to offer.
expect "netns --run-dir $rd add "
expect "netns --run-dir $rd attach "
# A name with a space: bash inserts what the shell reads back as it
# (two\ words); zsh and fish quote the match themselves.
odd=$tmp/odd
mkdir "$odd"
netns --run-dir "$odd" add 'two words' || { echo "FAIL: netns --run-dir $odd add 'two words'"; exit 1; }
if [[ $sh == bash ]]; then
    expect "netns --run-dir $odd pids t" 'two\ words'
else
    expect "netns --run-dir $odd pids t" 'two words'
fi
netns --run-dir "$odd" del 'two words'
umount "$odd" 2>/dev/null
setenv NETNS_RUN_DIR "$rd"
expect 'netns exec ' alpha alpine beta
setenv NETNS_RUN_DIR "$empty"
expect "netns --run-dir $rd pids " alpha alpine beta
expect 'netns pids '

if ((fails)); then
    echo "$fails completion check(s) failed"
    exit 1
fi
echo "all completion checks passed"
