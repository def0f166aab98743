# SPDX-License-Identifier: Apache-2.0
# bash completion for netns(8), the libnetns command-line tool.
# Installed as <completionsdir>/netns; bash-completion loads it on demand.
# shellcheck shell=bash
#
# Nothing here lists the tool's commands or options: the engine (the one
# awk program of bash, zsh and fish, netns-complete.awk) reads them from
# the tool's own `netns help` and `netns help COMMAND`, and names come from
# `netns list` asked with the line's --run-dir/--rootless, so that the
# completion follows the tool it completes and keeps no run-dir policy of
# its own.

# The engine, installed once for the three shells (meson writes its path).
_netns_engine='@NETNS_COMPLETE_AWK@'

# _netns_index WORD: the index in COMP_WORDS where words[WORD] begins.
# _init_completion -s joins "--opt=value" (and redirections) into one word,
# while _command_offset counts in bash's own COMP_WORDS, which keeps '=' and
# its neighbours apart; each joined word is a run of adjacent COMP_WORDS.
_netns_index()
{
    local want=$1 j=0 k=0 acc=''
    while ((j < want && k < ${#COMP_WORDS[@]})); do
        acc+=${COMP_WORDS[k]}
        ((k++))
        if [[ $acc == "${words[j]}" ]]; then
            acc=''
            ((j++))
        fi
    done
    printf '%s\n' "$k"
}

# _netns_pids: the numbers in /proc that start with $cur (no ps needed).
_netns_pids()
{
    local d
    for d in /proc/[0-9]*; do
        d=${d#/proc/}
        [[ $d == "$cur"* ]] && COMPREPLY+=("$d")
    done
}

_netns()
{
    # shellcheck disable=SC2034 # prev and split: set and used by _filedir
    local cur prev words cword split
    _init_completion -s || return

    local netns=${words[0]}
    # shellcheck disable=SC2088 # a literal "~/" that the shell would expand
    [[ $netns == '~/'* ]] && netns=$HOME/${netns#'~/'}

    # The engine sees "--opt=VALUE" whole (words[cword]); bash-completion has
    # already split it ($cur is VALUE), so its "prefix" line needs nothing here.
    local act q
    local -a acts
    mapfile -t acts < <(awk -f "$_netns_engine" -- "$netns" "${words[cword]}" "${words[@]:1:cword-1}" 2>/dev/null)
    for act in "${acts[@]}"; do
        case $act in
            'w '*)
                # Names may hold any byte but '/': quote what the shell would split.
                printf -v q '%q' "${act#w }"
                COMPREPLY+=("$q")
                ;;
            pids) _netns_pids ;;
            files) _filedir ;;
            dirs) _filedir -d ;;
            'command '*)
                # exec NAME CMD...: from CMD on, complete as if CMD were typed alone.
                _command_offset "$(_netns_index "${act#command }")"
                return
                ;;
        esac
    done
} &&
    complete -F _netns netns
