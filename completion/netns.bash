# SPDX-License-Identifier: Apache-2.0
# bash completion for netns(8), the libnetns command-line tool.
# Installed as <completionsdir>/netns; bash-completion loads it on demand.
# shellcheck shell=bash

# Every command, and the options each one takes besides the global ones.
_netns_commands='list add del exec identify pids attach set list-id monitor version help'
_netns_global_opts='-j --json -q --quiet --run-dir --rootless -h --help -V --version'
# After the command word: the same but -V/--version (only valid before it).
_netns_command_opts='-j --json -q --quiet --run-dir --rootless -h --help'

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

# _netns_names: the names `netns list` prints that start with $cur, asked
# with the run dir and --rootless given on the line (NETNS_RUN_DIR from the
# environment reaches the tool by itself).
_netns_names()
{
    local -a opts=()
    [[ -n $run_dir ]] && opts+=(--run-dir "$run_dir")
    [[ $rootless == 1 ]] && opts+=(--rootless)
    local line name
    while IFS= read -r line; do
        # "NAME" or "NAME (id: N)"
        name=${line% (id: +([0-9]))}
        [[ -n $name && $name == "$cur"* ]] || continue
        # Names may hold any byte but '/': quote what the shell would split.
        printf -v name '%q' "$name"
        COMPREPLY+=("$name")
    done < <("$netns" "${opts[@]}" list 2>/dev/null)
}

# _netns_words WORDS: those of WORDS that start with $cur.
_netns_words()
{
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
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
    local cur prev words cword split
    _init_completion -s || return

    local netns=${words[0]}
    # shellcheck disable=SC2088 # a literal "~/" that the shell would expand
    [[ $netns == '~/'* ]] && netns=$HOME/${netns#'~/'}

    # One pass over the words before the cursor: the global options (which
    # may also follow the command word), the command and its arguments.
    local run_dir=${NETNS_RUN_DIR-} rootless=0 cmd='' i w
    local -a args=()      # indices of the command's non-option words
    local all=0           # del: --all seen
    local exec_at=''      # exec: index of the command to run
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --run-dir)
                ((i + 1 < cword)) && run_dir=${words[i + 1]}
                ((i++))
                continue
                ;;
            --run-dir=*)
                run_dir=${w#--run-dir=}
                continue
                ;;
            --rootless)
                rootless=1
                continue
                ;;
        esac
        if [[ -z $cmd ]]; then
            [[ $w == -* ]] || cmd=$w
            # The tool takes "delete" for "del", as ip does.
            [[ $cmd == delete ]] && cmd=del
            continue
        fi
        case $cmd in
            exec)
                case $w in
                    --pid | --path | --docker)
                        ((i++))
                        if ((i < cword)); then
                            exec_at=$((i + 1))
                            break
                        fi
                        ;;
                    --pid=* | --path=* | --docker=*)
                        exec_at=$((i + 1))
                        break
                        ;;
                    -*) ;;
                    *)
                        exec_at=$((i + 1))
                        break
                        ;;
                esac
                ;;
            del)
                case $w in
                    -a | --all) all=1 ;;
                    -*) ;;
                    *) args+=("$i") ;;
                esac
                ;;
            *)
                [[ $w == -* ]] || args+=("$i")
                ;;
        esac
    done
    # shellcheck disable=SC2088
    [[ $run_dir == '~/'* ]] && run_dir=$HOME/${run_dir#'~/'}

    # exec NAME CMD...: from CMD on, complete as if CMD were typed alone.
    if [[ -n $exec_at ]] && ((exec_at <= cword)); then
        _command_offset "$(_netns_index "$exec_at")"
        return
    fi

    # Arguments of options.
    case $prev in
        --run-dir)
            _filedir -d
            return
            ;;
        --path)
            [[ $cmd == exec ]] && _filedir
            return
            ;;
        --pid)
            [[ $cmd == exec ]] && _netns_pids
            return
            ;;
        --docker)
            return
            ;;
    esac
    $split && return

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            _netns_words "$_netns_global_opts"
        else
            _netns_words "$_netns_commands"
        fi
        return
    fi

    if [[ $cur == -* ]]; then
        local more=''
        case $cmd in
            exec) more='--pid --path --docker' ;;
            del) more='-a --all' ;;
        esac
        _netns_words "$_netns_command_opts $more"
        return
    fi

    # The command's Nth non-option argument, counting from 0.
    local n=${#args[@]}
    case $cmd in
        del)
            ((all)) || _netns_names
            ;;
        exec | pids)
            ((n == 0)) && _netns_names
            ;;
        attach)
            if ((n == 0)); then
                _netns_names
            elif ((n == 1)); then
                _netns_pids
            fi
            ;;
        set)
            if ((n == 0)); then
                _netns_names
            elif ((n == 1)); then
                _netns_words 'auto'
            fi
            ;;
        identify)
            ((n == 0)) && _netns_pids
            ;;
        help)
            ((n == 0)) && _netns_words "$_netns_commands"
            ;;
    esac
    # add NAME (a new name), list, list-id, monitor, version: nothing to offer.
} &&
    complete -F _netns netns
