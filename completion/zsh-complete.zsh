# SPDX-License-Identifier: Apache-2.0
# zsh -f zsh-complete.zsh NETNS_ZSH DIR
#
# For test-completion.sh: starts an interactive zsh on a pseudo-terminal
# (zpty) with compinit and NETNS_ZSH installed as _netns, then reads
# requests on stdin, one a line:
#   LINE   types LINE and a key bound to a completion widget; prints the
#          words compadd was given for it (as the user would be offered),
#          one a line
#   !CMD   runs CMD in that zsh (e.g. an export)
# each answer ending with "::done::". DIR is a fresh directory for its files.

zmodload zsh/zpty || { print -r -- "::error:: no zsh/zpty module"; exit 1 }
dir=$2
mkdir -p $dir || exit 1
cp -- $1 $dir/_netns || exit 1
out=$dir/out

# The interactive zsh: every compadd that adds matches also writes them to
# $out (compadd -O: the words that match what is typed, as the user would
# see them); the widget ends each completion with a marker and leaves the
# line and the screen alone (no insertion, no listing).
cat >$dir/rc <<EOF
PS1=''; RPS1=''; PS2=''
fpath=($dir \$fpath)
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*:processes' command 'ps -A -o pid,comm'
compadd() {
  if (( \${@[(I)-[OADk]*]} )); then builtin compadd "\$@"; return; fi
  local -a m
  builtin compadd -O m "\$@"
  (( \$#m )) && print -rl -- \$m >>$out
  builtin compadd "\$@"
}
_capture() {
  _main_complete
  compstate[list]=''; compstate[insert]=''
  print -r -- '::end::' >>$out
}
zle -C capture complete-word _capture
bindkey '^T' capture
_fakecmd() { compadd fake-ok }
compdef _fakecmd fakecmd
print -r -- '::end::' >>$out
EOF

: >$out
zpty z "ZDOTDIR=$dir zsh -f -i" || { print -r -- "::error:: zpty failed"; exit 1 }

# wait_end: until $out ends with the marker (10 s at most), reading what the
# terminal prints so that it never fills.
wait_end() {
  local i junk
  for (( i = 0; i < 500; i++ )); do
    [[ -s $out && $(<$out) == *'::end::' ]] && return 0
    zpty -rt z junk 2>/dev/null
    sleep 0.02
  done
  return 1
}

zpty -w z "source $dir/rc"
wait_end || { print -r -- "::error:: the interactive zsh did not start"; exit 1 }

while IFS= read -r req; do
  : >$out
  if [[ $req == '!'* ]]; then
    zpty -w z "${req#!}; print -r -- '::end::' >>$out"
  else
    # The line, the widget's key (^T), then ^U to empty the line again.
    zpty -w -n z "$req"$'\x14'
  fi
  if ! wait_end; then
    print -r -- "::error:: no completion for: $req"
    exit 1
  fi
  [[ $req == '!'* ]] || zpty -w -n z $'\x15'
  words=(${${(f)"$(<$out)"}:#::end::})
  (( $#words )) && print -rl -- $words
  print -r -- '::done::'
done
zpty -d z
