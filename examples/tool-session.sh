#!/bin/sh
# README's "The netns tool" session, run by the `tool-session` test in the
# sandbox (its private /run/netns) with the built netns first in PATH.
set -eu
netns add blue
netns exec blue ip -brief link
netns -j list
netns set blue 7
netns list
netns exec blue sh -c 'exit 3' || echo "exit status $?"
netns del blue
netns list
