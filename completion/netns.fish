# SPDX-License-Identifier: Apache-2.0
# fish completion for netns(8), the libnetns command-line tool.
# Installed as netns.fish in fish's vendor_completions.d (Debian's
# /usr/share/fish/vendor_completions.d); fish loads it for netns.
#
# Nothing here lists the tool's commands or options: the engine (the one
# awk program of bash, zsh and fish, netns-complete.awk) reads them from
# the tool's own `netns help` and `netns help COMMAND`, and names come from
# `netns list` asked with the line's --run-dir/--rootless, so that the
# completion follows the tool it completes and keeps no run-dir policy of
# its own.

function __netns_complete
    # The engine, installed once for the three shells (meson writes its path).
    set -l engine '@NETNS_COMPLETE_AWK@'

    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l tool $tokens[1]
    string match -q -- '~/*' $tool; and set tool $HOME/(string sub -s 3 -- $tool)
    # --opt=VALUE: what is offered for VALUE goes after "--opt=".
    set -l prefix ''
    # Quoted: an empty token is still one argument.
    for act in (awk -f "$engine" -- "$tool" "$cur" $tokens[2..-1] 2>/dev/null)
        switch $act
            case 'w *'
                string sub -s 3 -- $act
            case 'prefix *'
                set prefix (string sub -s 8 -- $act)
                set cur (string sub -s (math (string length -- $prefix) + 1) -- $cur)
            case pids
                __fish_complete_pids | string replace -r -- '^' "$prefix"
            case files
                __fish_complete_path "$cur" | string replace -r -- '^' "$prefix"
            case dirs
                __fish_complete_directories "$cur" | string replace -r -- '^' "$prefix"
            case 'command *'
                # exec NAME CMD...: from CMD on, complete as if CMD were typed alone.
                set -l from (math (string sub -s 9 -- $act) + 1)
                complete -C (string join ' ' -- (string escape -- $tokens[$from..-1]) (commandline -ct))
        end
    end
end

complete -c netns -f -a '(__netns_complete)'
