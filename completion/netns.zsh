#compdef netns
# SPDX-License-Identifier: Apache-2.0
# zsh completion for netns(8), the libnetns command-line tool.
# Installed as _netns in a directory of $fpath (Debian's
# /usr/share/zsh/vendor-completions); compinit loads it for netns.
#
# Nothing here lists the tool's commands or options: the engine (the one
# awk program of bash, zsh and fish, netns-complete.awk) reads them from
# the tool's own `netns help` and `netns help COMMAND`, and names come from
# `netns list` asked with the line's --run-dir/--rootless, so that the
# completion follows the tool it completes and keeps no run-dir policy of
# its own.

# The engine, installed once for the three shells (meson writes its path).
local engine='@NETNS_COMPLETE_AWK@'

local tool=${(Q)words[1]} act ret=1
[[ $tool == '~/'* ]] && tool=$HOME/${tool#'~/'}
local -a acts ws
acts=("${(@f)$(awk -f "$engine" -- "$tool" "${(Q)PREFIX}" "${(@Q)words[2,CURRENT-1]}" 2>/dev/null)}")
for act in $acts; do
  case $act in
    ('w '*) ws+=("${act#w }") ;;
    (pids) _pids && ret=0 ;;
    (files) _files && ret=0 ;;
    (dirs) _files -/ && ret=0 ;;
    # --opt=VALUE: complete VALUE.
    ('prefix '*) compset -P '*=' ;;
    ('command '*)
      # exec NAME CMD...: from CMD on, complete as if CMD were typed alone.
      shift $(( ${act#command } )) words
      (( CURRENT -= ${act#command} ))
      _normal
      return
      ;;
  esac
done
(( $#ws )) && compadd -a ws && ret=0
return ret
