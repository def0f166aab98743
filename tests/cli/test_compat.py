# SPDX-License-Identifier: Apache-2.0
"""`netns` against the real `ip netns` (issue 16, "Tests"): the same command
lines, run once as `ip [OPTS] netns ARGS` and once as `netns [OPTS] ARGS`,
each from the same starting state in a fresh private mount + network
namespace with a tmpfs on /run; their stdout, exit status and the resulting
run dir (names, and which are mounted namespaces) must be identical, and so
must stderr (ip's `ip netns`/`ip` read as `netns`) unless STDERR_DIFFERS
gives the line's reason.

Expectations come only from running /usr/sbin/ip now, on this machine:
nothing here says what ip prints. The few lines where the tool differs on
purpose are in DELIBERATE, each with the reason (a row of netns(8)'s table
of differences, checked) and a check that it differs in exactly that way.

Runs inside tests/support/sandbox-exec (root in a private mount namespace;
as an ordinary user, root in a fresh user+mount+net namespace, where ip
works as well). Every side forks, unshares its own mount, network and pid
namespace (its /proc mounted anew) and mounts a tmpfs on /run (and, for the
/etc/netns lines, an overlay on /etc whose upper layer is on that tmpfs), so
nothing is left behind, no process either, and the host's /run/netns and
/etc are never touched.

Usage: test_compat.py NETNS_TOOL [--self-check] [--only SUBSTRING] [-v] [--dump]
  --self-check  both sides are ip: every line must be identical (the
                suite's own check: no line depends on chance).
  --dump        prints what ip did for each line.
"""

import ast
import ctypes
import difflib
import json
import os
import pickle
import pty
import re
import select
import signal
import subprocess
import sys
import time

IP = '/usr/sbin/ip'
RUN_DIR = b'/run/netns'
WORK = '/run/compat'  # per side, on the side's own /run tmpfs
TIMEOUT = 20
ENV = {'PATH': '/usr/sbin:/usr/bin:/sbin:/bin', 'LC_ALL': 'C', 'HOME': '/', 'COMPAT_VAR': 'x y'}

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                        ctypes.c_char_p]


def _check(rc, what):
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, '%s: %s' % (what, os.strerror(e)))


def sys_unshare(flags):
    _check(_libc.unshare(flags), 'unshare')


def sys_mount(src, target, fstype, flags, data=None):
    enc = (lambda s: None if s is None else os.fsencode(s))
    _check(_libc.mount(enc(src), enc(target), enc(fstype), flags, enc(data)),
           'mount %s' % target)


# Names with odd bytes, as str with surrogateescape (subprocess passes them
# through as the raw bytes).
BAD = os.fsdecode(b'bad\xffname')
NL = 'new\nline'
LONG = 'x' * 256   # NAME_MAX + 1: invalid
MAX = 'y' * 255    # NAME_MAX: valid

# ---------------------------------------------------------------------------
# The table. Each line: (ARGS, SETUP, extra). ARGS is the part after `netns`;
# global options go in extra['opts'] (before `netns` for ip, before the
# command for the tool). SETUP steps run with ip before the command, the same
# on both sides:
#   'add N...'     ip netns add, in reverse order (so readdir order on tmpfs,
#                  newest first, lists them sorted)
#   'sleep N'      `ip netns exec N sleep 1000` in the background: {pid:N}
#   'set N ID'     ip netns set N ID
#   'attach N'     ip netns attach N {self} (the side's own namespace)
#   'stale N'      an empty file in the run dir (a killed add)
#   'dir N'        a directory in the run dir
#   'etc N/F TEXT' /etc/netns/N/F (over a private overlay of /etc)
# Placeholders in ARGS: {pid:N}, {self}, {gone} (a pid no process has),
# {bad}, {nl}, {sp} (a space inside), {long}, {max}. extra: opts, files
# {path: text} (the tool side may get other text in tool_files), input
# (stdin), kind 'monitor' (on a pty, an add and a del, then SIGTERM).
# ---------------------------------------------------------------------------

AB = ['add a b']
BATCH = WORK + '/batch'


def L(args, setup=(), **extra):
    return (args, list(setup), extra)


LINES = [
    # No command, list and every spelling ip takes for it.
    L([], AB),
    L([], []),
    L(['list'], AB), L(['list'], []), L(['lis'], AB), L(['li'], AB), L(['l'], AB),
    L(['show'], AB), L(['sh'], AB), L(['s'], AB), L(['lst'], AB),
    L([''], AB),
    L(['list'], AB + ['set a 3']),
    L(['list'], AB + ['stale st']),
    L(['list'], AB + ['stale st'], opts=['-j']),
    L(['list'], ['add {bad} {nl}']),
    # Made in sorted order: on tmpfs (newest first) readdir is not sorted.
    L(['list'], ['add a', 'add b', 'add c']),
    L(['list'], ['add a', 'add b', 'add c'], opts=['-j']),
    # Global options.
    L(['list'], AB + ['set b 1'], opts=['-j']),
    L(['list'], AB, opts=['-json']),
    L(['list'], AB, opts=['--json']),
    L([], AB, opts=['-j']),
    L(['list'], [], opts=['-j']),
    L(['list'], AB + ['set a 2'], opts=['-j', '-p']),
    L(['list'], AB, opts=['-pretty', '-json']),
    L(['list'], AB, opts=['-p']),
    L(['list'], ['add {bad}'], opts=['-j']),
    L(['list'], ['add {nl} q"uote'], opts=['-j']),
    L(['list-id', 'nsid', '1'], AB + ['set a 1'], opts=['-j']),
    L(['list-id'], AB + ['set a 1', 'set b 2'], opts=['-j', '-p']),
    L(['pids', 'a'], AB + ['sleep a'], opts=['-j']),
    L(['exec', 'a', 'echo', 'hi'], AB, opts=['-j']),
    L(['identify'], [], opts=['-j']),
    L(['list'], AB, opts=['-all']),
    # ip's spellings of its options: any prefix ip takes, and -- before them.
    L(['exec', 'echo', 'hi'], AB, opts=['-a']),
    L(['del'], AB, opts=['-al']),
    L(['del'], AB, opts=['--all']),
    L(['list'], AB, opts=['-jso']),
    L(['list'], AB, opts=['-pr', '-j']),
    L(['list'], AB, opts=['--']),
    L(['list'], AB, opts=['-x']),
    L(['list'], AB, opts=['-c']), L(['list'], AB + ['set a 1'], opts=['-color=always', '-j']),
    L(['list'], AB, opts=['-color=bogus']),
    L([], AB, opts=['-help']),
    L(['list'], AB, opts=['-h']),
    L(['identify'], AB, opts=['-n', 'a']),
    L(['identify'], AB, opts=['-netns', 'nosuch']),
    L([], AB, opts=['-V']),
    L(['list'], AB, opts=['-f', 'inet']),
    L([], AB, opts=['-bat', BATCH], files={BATCH: 'add x\n'}),
    # Words that start with "--" after the command word: ip's operands.
    L(['add', '--x'], AB), L(['add', '--', '--x'], AB),
    L([], AB, opts=['-ba', BATCH], files={BATCH: 'netns add x\n'}),
    L([], AB, opts=['-fo', '-b', BATCH], files={BATCH: 'netns del nosuch\nnetns add x\n'}),
    L([], AB + ['set a 1'], opts=['-j', '-b', BATCH], files={BATCH: 'netns list\nnetns list-id\n'}),
    # add, and names: operands that start with '-', odd bytes, bad names.
    L(['add', 'n'], []), L(['add', 'n'], AB), L(['a', 'n'], AB), L(['ad', 'n'], AB),
    L(['add', 'a'], AB),
    L(['add', 'st'], ['stale st']),
    L(['add', '-x'], AB), L(['add', '-all'], []), L(['add', '-j'], []),
    L(['add', '{bad}'], []), L(['add', '{nl}'], []), L(['add', '{max}'], []),
    L(['add', '{long}'], []), L(['add', ''], []), L(['add', '.'], []), L(['add', '..'], []),
    L(['add', 'a/b'], []), L(['add'], []), L(['add', '{sp}'], AB), L(['add', 'dir'], ['dir dir']),
    L(['add', 'x', 'y'], AB), L(['list', 'extra'], AB),
    L(['add', 'n'], [], opts=['-all']),
    # delete.
    L(['delete', 'a'], AB), L(['del', 'a'], AB), L(['de', 'b'], AB), L(['d', 'a'], AB),
    L(['del', 'nosuch'], AB), L(['del'], AB), L(['del', ''], AB), L(['del', 'a/b'], AB),
    L(['del', 'st'], AB + ['stale st']), L(['del', 'dir'], ['dir dir']),
    L(['del', '-all'], AB), L(['del', '-x'], ['add -x a']), L(['del', 'a', 'b'], AB),
    L(['del'], AB, opts=['-all']), L(['delete'], AB + ['stale st'], opts=['-all']),
    L(['del'], [], opts=['-all']), L(['del', 'a'], ['add a b c'], opts=['-all']),
    L(['del'], AB + ['dir dir'], opts=['-all']),
    # exec.
    L(['exec', 'a', 'echo', 'hi', '-x'], AB), L(['e', 'a', 'echo', 'hi'], AB),
    L(['ex', 'b', 'ip', '-o', 'link'], AB),
    L(['exec', 'a', 'ip', 'netns', 'identify'], AB),
    L(['exec', 'a', 'ls', '/sys/class/net'], AB),
    L(['exec', 'a', 'sh', '-c', 'exit 3'], AB),
    L(['exec', 'a', 'sh', '-c', 'kill -9 $$'], AB),
    L(['exec', 'a', 'sh', '-c', 'echo "$0|$1|$#"', 'x y', ''], AB),
    L(['exec', 'a', 'env'], AB),
    L(['exec', 'a', 'cat'], AB, input='from stdin\n'),
    L(['exec', '-x', 'echo', 'dash'], ['add -x']),
    L(['exec', '{sp}', 'echo', 'space'], ['add {sp}']),
    L(['exec', 'a', 'nosuchcommand'], AB),
    L(['exec', 'nosuch', 'true'], AB), L(['exec', 'st', 'true'], AB + ['stale st']),
    L(['exec', 'a'], AB), L(['exec'], AB), L(['exec', '', 'true'], AB),
    L(['exec', '{long}', 'true'], AB),
    L(['exec', 'a', 'cat', '/etc/hosts'], AB + ['etc a/hosts 192.0.2.1 compat-a']),
    L(['exec', 'b', 'cat', '/etc/hosts'], AB + ['etc a/hosts 192.0.2.1 compat-a']),
    L(['exec', 'a', 'cat', '/etc/hosts'],
      AB + ['etc a/hosts 192.0.2.1 compat-a', 'etc a/compat-missing x']),
    L(['exec', 'echo', 'hi'], AB, opts=['-all']),
    L(['exec', 'sh', '-c', 'echo in; exit 3'], AB, opts=['-all']),
    L(['exec', 'echo', 'hi'], AB + ['stale b1'], opts=['-all']),
    L(['exec'], AB, opts=['-all']),
    L(['exec', 'nosuchcommand'], AB, opts=['-all']),
    L(['exec', 'echo', 'none'], [], opts=['-all']),
    # identify.
    L(['identify'], AB), L(['identify'], AB + ['attach me']), L(['i'], AB + ['attach me']),
    L(['id', '{pid:a}'], AB + ['sleep a']), L(['identify', '{self}'], AB + ['attach me']),
    L(['identify', '{gone}'], AB), L(['identify', 'abc'], AB), L(['identify', '1', '2'], AB),
    L(['identify', ''], AB),
    L(['identify', '{pid:a}'], AB + ['sleep a'], opts=['-j']),
    L(['identify', '{pid:a}'], AB + ['sleep a', 'attach-pid z a']),
    # pids.
    L(['pids', 'a'], AB + ['sleep a']), L(['p', 'a'], AB + ['sleep a']), L(['pi', 'b'], AB),
    L(['pids', 'nosuch'], AB), L(['pids'], AB), L(['pids', 'a', 'b'], AB),
    L(['pids', 'st'], AB + ['stale st']),
    L(['pids', ''], AB),
    # set.
    L(['set', 'a', '5'], AB), L(['se', 'a', '0'], AB), L(['set', 'a', 'auto'], AB),
    L(['set', 'a', '2147483647'], AB),
    L(['set', 'a', '-1'], AB), L(['set', 'a', 'x'], AB), L(['set', 'a', '2147483648'], AB),
    L(['set', 'a'], AB), L(['set'], AB), L(['set', 'nosuch', '1'], AB),
    L(['set', 'st', '1'], AB + ['stale st']), L(['set', 'b', '2'], AB + ['set a 2']),
    L(['set', 'a', '4'], AB + ['set a 2']),
    # attach.
    L(['attach', 'n', '{pid:a}'], AB + ['sleep a']), L(['at', 'n', '{self}'], AB),
    L(['attach', 'n', '{gone}'], AB), L(['attach', 'n', 'abc'], AB), L(['attach', 'n', '0'], AB),
    L(['attach', 'n'], AB), L(['attach', 'a', '{self}'], AB), L(['attach', '-y', '{self}'], AB),
    # list-id.
    L(['list-id'], AB), L(['list-id'], AB + ['set a 1', 'set b 2']),
    L(['list-i'], AB + ['set a 1']),
    L(['list-id'], AB + ['set a 1', 'set b 2'], opts=['-j']),
    L(['list-id', 'nsid', '2'], AB + ['set a 1', 'set b 2']),
    L(['list-id', 'nsid', '7'], AB + ['set a 1']),
    L(['list-id', 'target-nsid', '1'], AB + ['set a 1', 'set b 2']),
    L(['list-id', 'target-nsid', '1', 'nsid', '2'], AB + ['set a 1', 'set b 2']),
    L(['list-id', 'nsid', 'x'], AB), L(['list-id', 'nsid', '-1'], AB),
    L(['list-id', 'nsid'], AB), L(['list-id', 'target-nsid', 'x'], AB),
    L(['list-id', 'nsid', '1', 'nsid', '1'], AB + ['set a 1']),
    L(['list-id', 'foo'], AB), L(['list-id', 'target-nsid', '9'], AB + ['set a 1']),
    # help, unknown commands.
    L(['help'], AB), L(['h'], AB),
    L(['lists'], AB), L(['adds', 'n'], AB), L(['LIST'], AB), L(['x'], AB),
    # monitor.
    L(['monitor'], [], kind='monitor'), L(['m'], AB, kind='monitor'),
    L(['monitor'], AB, kind='monitor', opts=['-j']),
    # batch: ip's syntax, with and without the leading `netns`.
    L([], [], opts=['-b', BATCH],
      files={BATCH: 'netns add y\n\n# a comment\nnetns add x\nnetns list\n'},
      tool_files={BATCH: 'add y\n\n# a comment\nadd x\nlist\n'}),
    L([], [], opts=['-batch', BATCH],
      files={BATCH: 'netns add x\nnetns add y\nnetns exec x echo in-x\n'}),
    L([], AB, opts=['-b', BATCH],
      files={BATCH: 'netns add x\nnetns del nosuch\nnetns add y\n'}),
    L([], AB, opts=['-force', '-b', BATCH],
      files={BATCH: 'netns add x\nnetns del nosuch\nnetns add y\n'}),
    L([], AB, opts=['-force', '-batch', BATCH],
      files={BATCH: 'netns add x\nnetns add\nnetns exec a sh -c "exit 4"\nnetns add y\n'},
      tool_files={BATCH: 'add x\nadd\nexec a sh -c "exit 4"\nadd y\n'}),
    L([], AB, opts=['-b', '-'], input='netns del a\nnetns list\n'),
    L([], AB, opts=['-b', WORK + '/nosuchfile']),
]

# Lines where the tool differs on purpose (README's and netns(8)'s table):
# a key is a line's text as line_text() prints it; each check is true when
# the tool differs in exactly the documented way.


def _unchanged(r):
    return r['post'] == r['pre']


def refused(ip, tool):
    """Extra operands are refused instead of ignored: ip succeeds, the tool
    fails without output or change."""
    return ip['rc'] == 0 and tool['rc'] not in (0, None) and tool['out'] == b'' and _unchanged(tool)


def missing_127(ip, tool):
    """exec of a command that is not there is 127, as a shell says."""
    return ip['rc'] not in (0, 127) and tool['rc'] == 127 and tool['out'] == ip['out'] \
        and tool['post'] == ip['post']


def every_alias(ip, tool):
    """identify prints every name of the namespace (ip: the last it reads)."""
    names = tool['out'].splitlines()
    return ip['rc'] == tool['rc'] == 0 and len(ip['out'].splitlines()) == 1 \
        and ip['out'].splitlines()[0] in names and len(names) == len(set(names)) > 1 \
        and tool['post'] == ip['post']


def json_where_ip_ignores_it(ip, tool):
    """-j prints JSON for identify and pids too (ip ignores -j there and
    prints lines): the tool's stdout is JSON holding each line ip printed."""
    text = re.sub(rb'\{(pid:\w+|self|gone)\}', b'0', tool['out'])
    try:
        json.loads(text.decode('utf-8'))
    except ValueError:
        return False
    lines = [l for l in ip['out'].splitlines() if l]
    return ip['rc'] == tool['rc'] == 0 and all(l in tool['out'] for l in lines) \
        and tool['out'] != ip['out'] and tool['post'] == ip['post']


def monitor_json(ip, tool):
    """monitor -j prints one JSON object a line (ip ignores -j there). (Its
    exit status on SIGTERM is the `monitor` lines' business.)"""
    try:
        docs = [json.loads(l) for l in tool['out'].decode('utf-8').splitlines()]
    except ValueError:
        return False
    return len(docs) == len(ip['out'].splitlines()) > 0 and tool['post'] == ip['post']


def long_option(ip, tool):
    """After the command word, a word that starts with "--" is the tool's
    long option (an unknown one is refused); ip makes a name of it."""
    return ip['rc'] == 0 and ip['post'] != ip['pre'] and tool['rc'] not in (0, None) \
        and tool['out'] == b'' and _unchanged(tool)


def dashdash(ip, tool):
    """"--" ends the tool's options: `add -- --x` makes "--x" (ip makes
    "--" and ignores the rest)."""
    return ip['rc'] == tool['rc'] == 0 and any(l.startswith("b'--': ns") for l in ip['post']) \
        and any(l.startswith("b'--x': ns") for l in tool['post']) \
        and not any(l.startswith("b'--': ") for l in tool['post'])


def help_stdout(ip, tool):
    """help prints the tool's help on stdout and exits 0 (PLAN.md's help
    format, which completion reads; ip prints its usage on stderr, 255)."""
    return ip['rc'] == 255 and ip['out'] == b'' and tool['rc'] == 0 and b'Commands' in tool['out'] \
        and tool['post'] == ip['post']


def _canonical(out):
    try:
        doc = json.loads(out)
    except ValueError:
        return sorted(out.splitlines())
    if isinstance(doc, list):
        return sorted(json.dumps(x, sort_keys=True) for x in doc)
    return doc


def sorted_list(ip, tool):
    """list is sorted by name (ip: directory order)."""
    return ip['rc'] == tool['rc'] == 0 and tool['out'] != ip['out'] \
        and _canonical(tool['out']) == _canonical(ip['out'])


def etc_refused(ip, tool):
    """A /etc/netns/NAME/X whose /etc/X is missing fails the exec (ip warns
    and runs the command in a half-made view)."""
    return ip['rc'] == 0 and ip['out'] != b'' and tool['rc'] not in (0, None) \
        and tool['out'] == b'' and tool['post'] == ip['post']


def json_escaped(ip, tool):
    """-j output is JSON also for a name that is not UTF-8 (ip prints the
    raw byte, which no JSON parser takes)."""
    try:
        ip['out'].decode('utf-8')
        return False  # ip's is valid: the line would not differ
    except UnicodeDecodeError:
        pass
    try:
        doc = json.loads(tool['out'].decode('utf-8'))
    except ValueError:
        return False
    return ip['rc'] == tool['rc'] == 0 and isinstance(doc, list) and len(doc) == 1 \
        and isinstance(doc[0].get('name'), str) and tool['post'] == ip['post']


def _blocks(out):
    return [b for b in out.split(b'\nnetns: ') if b]


def all_exec_once(ip, tool):
    """-all exec: a namespace that cannot be entered is reported and the
    others run once each (ip's forked child that failed to enter goes on with
    the rest of the loop, so ip runs them twice)."""
    seen = []
    for b in _blocks(ip['out']):
        if b not in seen:
            seen.append(b)
    got = _blocks(tool['out'])
    return ip['rc'] == tool['rc'] and len(got) == len(set(got)) and sorted(got) == sorted(seen) \
        and len(seen) < len(_blocks(ip['out'])) and tool['post'] == ip['post']


def _names(out):
    return [l for l in out.split(b'\n') if l]


def pids_stale_refused(ip, tool):
    """pids of a stale entry: "not a network namespace", exit 1 (ip: nothing, 0)."""
    return ip['rc'] == 0 and ip['out'] == b'' and tool['rc'] == 1 and tool['out'] == b'' \
        and tool['post'] == ip['post']


def own_version(ip, tool):
    """-V prints the tool's version (ip: ip's), exit 0."""
    return ip['rc'] == tool['rc'] == 0 and tool['out'].startswith(b'netns ') \
        and ip['out'].startswith(b'ip ') and tool['post'] == ip['post']


def option_refused(ip, tool):
    """ip's options that change what ip does outside `ip netns` (-family,
    -loops, -rcvbuf) are refused, exit 255, nothing done."""
    return ip['rc'] == 0 and tool['rc'] == 255 and tool['out'] == b'' and _unchanged(tool)


def batch_netns_word(ip, tool):
    """A batch line without the word netns is a netns command (ip: an
    object of its own, `add` is `address`, which fails)."""
    return ip['rc'] != 0 and _unchanged(ip) and tool['rc'] == 0 \
        and any(l.startswith("b'x': ns") for l in tool['post'])


def all_del_goes_on(ip, tool):
    """-all delete goes on after an entry it cannot remove, exit 1 (ip stops
    there, exit 0)."""
    left = [l for l in tool['post'] if not l.startswith('nsids')]
    return ip['rc'] == 0 and tool['rc'] == 1 and len(left) == 1 and left[0].endswith(': dir') \
        and b'Is a directory' in tool['err']


def help_not_human(ip, tool):
    """-h is help (ip: -human, and the command runs)."""
    return ip['rc'] == 0 and ip['out'] != b'' and tool['rc'] == 0 and b'Commands' in tool['out'] \
        and tool['post'] == ip['post']


# Each reason is the first cell of a row of netns(8)'s table of differences
# (DIFFERENCES FROM IP NETNS, markup left out); main() checks that it is
# there, and README has the same table.
EXTRA = 'extra operands (add a b, del a b, list x, -all del x)'
HELP = 'help, -h, -help'
JSON_ALL = '-j with identify, pids and monitor'
DASH = 'a word that starts with "--" after the command word'
DELIBERATE = {
    # Exec of a missing command is 127, as a shell says (ip: 1).
    'netns exec a nosuchcommand  [add a b]':
        (missing_127, 'exec of a command that is not found or cannot run'),
    # Extra operands are refused instead of ignored.
    'netns add x y  [add a b]': (refused, EXTRA),
    'netns del a b  [add a b]': (refused, EXTRA),
    'netns list extra  [add a b]': (refused, EXTRA),
    'netns -all del a  [add a b c]': (refused, EXTRA),
    # identify prints every name of the namespace (ip: the last it reads).
    'netns identify {pid:a}  [add a b; sleep a; attach-pid z a]':
        (every_alias, 'identify of a namespace with several names'),
    # list is sorted (ip: directory order).
    'netns list  [add a; add b; add c]': (sorted_list, 'list, -all exec, -all delete order'),
    'netns -j list  [add a; add b; add c]': (sorted_list, 'list, -all exec, -all delete order'),
    # A stale entry is listed, as ip lists it (ip's stderr has the kernel's
    # refusal of its nsid lookup, the tool's nothing): only the order differs.
    'netns list  [add a b; stale st]': (sorted_list, 'list, -all exec, -all delete order'),
    'netns -j list  [add a b; stale st]': (sorted_list, 'list, -all exec, -all delete order'),
    # A /etc/netns/NAME/X bind that fails fails the exec (ip warns, runs).
    'netns exec a cat /etc/hosts  [add a b; etc a/hosts 192.0.2.1 compat-a; etc a/compat-missing x]':
        (etc_refused, 'an /etc/netns/NAME entry that cannot be bound (no /etc entry)'),
    # -j output is JSON a parser takes, a name that is not UTF-8 too (ip's is
    # not: it prints the raw byte).
    'netns -j list  [add {bad}]':
        (json_escaped, 'JSON of a name that is not UTF-8 or holds control characters'),
    # -j is JSON for identify, pids and monitor too (ip ignores -j there).
    'netns -j identify {pid:a}  [add a b; sleep a]': (json_where_ip_ignores_it, JSON_ALL),
    'netns -j identify': (json_where_ip_ignores_it, JSON_ALL),
    'netns -j pids a  [add a b; sleep a]': (json_where_ip_ignores_it, JSON_ALL),
    'netns -j monitor  [add a b]': (monitor_json, JSON_ALL),
    # -all exec runs each namespace once: ip's child that fails to enter one
    # (here the stale b1, listed and tried by both) goes on with the rest of
    # ip's loop, so ip runs the later ones twice.
    'netns -all exec echo hi  [add a b; stale b1]':
        (all_exec_once, '-all exec with an entry it cannot enter'),
    # help is the tool's own help on stdout, exit 0 (PLAN.md's help format,
    # which completion reads); ip prints its usage on stderr and exits 255,
    # and its -h is -human (the command runs).
    'netns help  [add a b]': (help_stdout, HELP),
    'netns h  [add a b]': (help_stdout, HELP),
    'netns -help  [add a b]': (help_stdout, HELP),
    'netns -h list  [add a b]': (help_not_human, HELP),
    # The tool's long options after the command word, and "--" ending them
    # (issue 16, item 1).
    'netns add --x  [add a b]': (long_option, DASH),
    'netns add -- --x  [add a b]': (dashdash, DASH),
    # -V is the tool's version; ip's other options are refused; a batch
    # line is a netns command with or without the word netns.
    'netns -V  [add a b]': (own_version, '-V'),
    'netns -f inet list  [add a b]': (option_refused, '-family, -loops, -rcvbuf'),
    'netns -bat /run/compat/batch  [add a b]': (batch_netns_word, 'a batch line without the word netns'),
    # A stale entry is not a namespace: pids says so (ip: nothing, 0).
    'netns pids st  [add a b; stale st]': (pids_stale_refused, 'pids of a stale entry'),
    # -all delete goes on after an entry it cannot remove, says so, exit 1
    # (ip stops there, exit 0, the rest kept): every name that can go goes.
    'netns -all del  [add a b; dir dir]':
        (all_del_goes_on, '-all delete with an entry that cannot be removed'),
}

# Lines where both exit with the same status but the tool's stderr says
# something else than ip's (after `ip netns`/`ip` become `netns`), each with
# its reason. Every other such line must have ip's stderr.
STDERR_DIFFERS = {
    'netns add st  [stale st]':
        'add of a stale entry also says that it is stale and how to remove it (issue 16)',
    'netns add dir  [dir dir]':
        'add over an entry that is not a namespace says so and how to remove it (issue 16)',
    'netns exec st true  [add a b; stale st]':
        'a stale entry is "not a network namespace" (issue 16; ip: setns\'s EINVAL)',
    'netns set st 1  [add a b; stale st]':
        'a stale entry is "not a network namespace" (ip: the kernel\'s "Peer netns reference '
        'is invalid")',
    'netns list-id nsid -1  [add a b]':
        'ip prints "(null)" for the argument (an ip bug); the tool names it',
}


def ip_words(err):
    """ip's stderr in the tool's name."""
    err = err.replace(b'ip [-all] netns', b'netns [-all]').replace(b'ip netns', b'netns')
    return err.replace(b'"ip -help"', b'"netns -help"')


MAN_PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'man',
                        'netns.8.scd')


def table_rows():
    """The first cells of netns(8)'s table of differences, markup left out."""
    with open(MAN_PAGE, encoding='utf-8') as f:
        text = f.read()
    section = text.split('# DIFFERENCES FROM IP NETNS', 1)[1].split('\n# ', 1)[0]
    rows = [l[1:].strip() for l in section.splitlines() if l.startswith('|')]
    return [re.sub(r'[*_]', '', r) for r in rows]


def line_text(line):
    args, setup, extra = line
    words = ['netns'] + list(extra.get('opts', [])) + list(args)
    text = ' '.join(show_word(w) for w in words)
    return '%s  [%s]' % (text, '; '.join(setup)) if setup else text


def show_word(w):
    if w == '':
        return "''"
    if re.fullmatch(r'[\w@%+=:,./{}-]+', w) and not w.startswith('{') or re.fullmatch(r'\{[\w:]+\}', w):
        return w
    return repr(w)


# ---------------------------------------------------------------------------
# One side: fork, private namespaces, setup, the command, the result.
# ---------------------------------------------------------------------------

def expand(word, ctx):
    def sub(m):
        key = m.group(1)
        if key == 'bad':
            return BAD
        if key == 'nl':
            return NL
        if key == 'sp':
            return 'sp ace'
        if key == 'long':
            return LONG
        if key == 'max':
            return MAX
        if key == 'self':
            return str(ctx['self'])
        if key == 'gone':
            return str(ctx['gone'])
        if key.startswith('pid:'):
            return str(ctx['pids'][key[4:]])
        raise KeyError(key)
    return re.sub(r'\{([\w:]+)\}', sub, word)


def run_ip(*args):
    r = subprocess.run([IP] + list(args), env=ENV, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    if r.returncode != 0:
        raise RuntimeError('setup: ip %s: %r' % (' '.join(args), r.stderr))


def ns_ino(path):
    return os.stat(path).st_ino


def unescape_mount(field):
    return re.sub(rb'\\([0-7]{3})', lambda m: bytes([int(m.group(1), 8)]), field)


def run_dir_state():
    """The run dir as a list of lines: each name (as bytes, sorted) with what
    it is: a mounted namespace ('ns N', N the namespace's rank, so aliases
    share it and 'self' is the side's own), a file, a directory. None when
    there is no run dir."""
    try:
        names = sorted(os.listdir(RUN_DIR))
    except FileNotFoundError:
        return None
    fstype = {}
    with open('/proc/self/mountinfo', 'rb') as f:
        for line in f:
            left, right = line.split(b' - ', 1)
            fstype[unescape_mount(left.split(b' ')[4])] = right.split(b' ')[0]
    own = ns_ino('/proc/self/ns/net')
    ranks = {}
    out = []
    for n in names:
        p = RUN_DIR + b'/' + n
        if fstype.get(p) == b'nsfs':
            ino = ns_ino(p)
            what = 'ns self' if ino == own else 'ns %d' % ranks.setdefault(ino, len(ranks))
        elif os.path.isdir(p):
            what = 'dir'
        else:
            what = 'file %d bytes' % os.lstat(p).st_size
        out.append('%r: %s' % (n, what))
    # The nsids the side's namespace has for its peers (what set changes).
    r = subprocess.run([IP, 'netns', 'list-id'], env=ENV, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=TIMEOUT)
    out += ['nsids: %r' % l for l in r.stdout.splitlines()]
    return out


def gone_pid():
    p = subprocess.Popen(['true'])
    p.wait()
    return p.pid


def wait_in(pid, name):
    want = ns_ino(os.path.join(os.fsdecode(RUN_DIR), name))
    end = time.monotonic() + TIMEOUT
    while time.monotonic() < end:
        try:
            if ns_ino('/proc/%d/ns/net' % pid) == want:
                return
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError('setup: the sleeper never entered %s' % name)


class Unavailable(Exception):
    """A line's setup cannot be made on this machine: the line is skipped."""


def do_setup(setup, ctx):
    for step in setup:
        word, _, rest = step.partition(' ')
        if word == 'add':
            for n in reversed(rest.split(' ')):
                run_ip('netns', 'add', expand(n, ctx))
        elif word == 'sleep':
            p = subprocess.Popen([IP, 'netns', 'exec', rest, 'sleep', '1000'], env=ENV,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            ctx['procs'].append(p)
            ctx['pids'][rest] = p.pid
            wait_in(p.pid, rest)
        elif word == 'set':
            n, nsid = rest.split(' ')
            run_ip('netns', 'set', n, nsid)
        elif word == 'attach':
            run_ip('netns', 'attach', rest, str(ctx['self']))
        elif word == 'attach-pid':
            n, of = rest.split(' ')
            run_ip('netns', 'attach', n, str(ctx['pids'][of]))
        elif word in ('stale', 'dir'):
            os.makedirs(RUN_DIR, exist_ok=True)
            p = os.path.join(os.fsdecode(RUN_DIR), rest)
            if word == 'dir':
                os.mkdir(p)
            else:
                os.close(os.open(p, os.O_CREAT | os.O_EXCL | os.O_RDONLY, 0))
        elif word == 'etc':
            path, _, text = rest.partition(' ')
            if not ctx['etc']:
                # /etc as an overlay whose upper layer is on this side's
                # tmpfs: /etc/netns exists here only.
                os.makedirs(WORK + '/etc-up', exist_ok=True)
                os.makedirs(WORK + '/etc-work', exist_ok=True)
                try:
                    sys_mount('compat-etc', '/etc', 'overlay', 0,
                              'lowerdir=/etc,upperdir=%s/etc-up,workdir=%s/etc-work' % (WORK, WORK))
                except OSError as e:
                    raise Unavailable('no overlay on /etc here (%s)' % e.strerror)
                ctx['etc'] = True
            full = '/etc/netns/' + path
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, 'w') as f:
                f.write(text + '\n')
        else:
            raise ValueError('unknown setup step %r' % step)


def inotify_ready(pid):
    """Process `pid` has an inotify descriptor with a watch on it (fdinfo
    says so): a monitor that will see what comes next."""
    try:
        for fd in os.listdir('/proc/%d/fd' % pid):
            try:
                if os.readlink('/proc/%d/fd/%s' % (pid, fd)) == 'anon_inode:inotify':
                    with open('/proc/%d/fdinfo/%s' % (pid, fd)) as f:
                        if 'inotify wd:' in f.read():
                            return True
            except OSError:
                pass
    except OSError:
        pass
    return False


def run_monitor(argv):
    """A monitor on a pty (line-buffered, as a user sees it) while the side
    adds and deletes a name; ended with SIGTERM."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, env=ENV, stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=subprocess.PIPE)
    os.close(slave)
    end = time.monotonic() + TIMEOUT
    while not inotify_ready(p.pid) and p.poll() is None and time.monotonic() < end:
        time.sleep(0.01)
    if p.poll() is None:
        run_ip('netns', 'add', 'm1')
        run_ip('netns', 'del', 'm1')
    # Read until both events are printed and 0.3 s pass quietly (a loaded
    # machine may take a while), or until the timeout: a fixed window
    # would compare how fast each side is, not what it prints.
    out = b''
    deadline = time.monotonic() + TIMEOUT
    last = time.monotonic()
    while time.monotonic() < deadline:
        if time.monotonic() - last >= (0.3 if out.count(b'\n') >= 2 else TIMEOUT):
            break
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            last = time.monotonic()
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=TIMEOUT)
    err = p.stderr.read()
    os.close(master)
    return rc, out.replace(b'\r\n', b'\n'), err


def side_main(line, prog, wfd):
    """In the forked child: its own namespaces, the setup, the command."""
    args, setup, extra = line
    # We are pid 1 of the side's own pid namespace: when we exit, the kernel
    # kills whatever the command left running. Its /proc, and pids from
    # 10001 on (pids told apart from small numbers such as nsids).
    sys_mount('compat-proc', '/proc', 'proc', 0)
    try:
        with open('/proc/sys/kernel/ns_last_pid', 'w') as f:
            f.write('10000')
    except OSError:
        pass
    sys_mount('compat-run', '/run', 'tmpfs', 0, 'mode=0755')
    os.makedirs(WORK)
    ctx = {'self': os.getpid(), 'gone': gone_pid(), 'pids': {}, 'procs': [], 'etc': False}
    res = {}
    try:
        do_setup(setup, ctx)
        is_ip = prog == IP
        files = extra.get('files', {}) if is_ip else extra.get('tool_files', extra.get('files', {}))
        for path, text in files.items():
            with open(path, 'w') as f:
                f.write(text)
        words = [expand(w, ctx) for w in args]
        opts = [expand(w, ctx) for w in extra.get('opts', [])]
        argv = [prog] + opts + (['netns'] if is_ip else []) + words
        res['pre'] = run_dir_state()
        if extra.get('kind') == 'monitor':
            rc, out, err = run_monitor(argv)
        else:
            inp = extra.get('input')
            try:
                r = subprocess.run(argv, env=ENV, input=inp.encode() if inp is not None else None,
                                   stdin=subprocess.DEVNULL if inp is None else None,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
                rc, out, err = r.returncode, r.stdout, r.stderr
            except subprocess.TimeoutExpired as e:
                rc, out, err = None, e.stdout or b'', (e.stderr or b'') + b'\n(timeout)'
        res['post'] = run_dir_state()
        # Values that may differ between the sides: pids (the same setup
        # makes the same ones, but nothing promises it). Not {self}: 1 on
        # both sides, and too short to replace.
        subs = [(str(v), '{pid:%s}' % k) for k, v in ctx['pids'].items()]
        subs += [(str(ctx['gone']), '{gone}')]
        for k, v in subs:
            if len(k) < 4:
                continue
            out = re.sub(rb'\b%s\b' % k.encode(), v.encode(), out)
            err = re.sub(rb'\b%s\b' % k.encode(), v.encode(), err)
        res.update(rc=rc, out=out, err=err)
    except Unavailable as e:
        res['skip'] = str(e)
    except Exception as e:  # noqa: BLE001 (reported, not hidden)
        res['error'] = '%s: %s' % (type(e).__name__, e)
    finally:
        for p in ctx['procs']:
            p.kill()
            p.wait()
    os.write(wfd, pickle.dumps(res))
    os.close(wfd)


def run_side(line, prog):
    """Forks a child that unshares a mount, network and pid namespace and
    forks the side (pid 1 there), which sends its result down a pipe."""
    r, w = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(r)
            sys_unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID)
            sys_mount(None, '/', None, MS_REC | MS_PRIVATE)
            side = os.fork()
            if side == 0:
                code = 0
                try:
                    side_main(line, prog, w)
                except BaseException as e:  # noqa: BLE001
                    os.write(w, pickle.dumps({'error': 'side: %s: %s' % (type(e).__name__, e)}))
                    code = 1
                os._exit(code)
            code = 0 if os.waitpid(side, 0)[1] == 0 else 1
        except BaseException as e:  # noqa: BLE001
            try:
                os.write(w, pickle.dumps({'error': 'side: %s: %s' % (type(e).__name__, e)}))
            except OSError:
                pass
        os._exit(code)
    os.close(w)
    data = b''
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return pickle.loads(data) if data else {'error': 'side died without a result'}


# ---------------------------------------------------------------------------
# Comparison and report.
# ---------------------------------------------------------------------------

def show_result(r):
    if 'error' in r:
        return ['error: ' + r['error']]
    out = ['exit %s' % r['rc']]
    out += ['stdout: %r' % l for l in r['out'].split(b'\n')]
    out += ['run dir: %s' % l for l in (r['post'] if r['post'] is not None else ['(none)'])]
    return out


def diff(a, b, la, lb):
    return '\n'.join(difflib.unified_diff(show_result(a), show_result(b), la, lb, lineterm='', n=1000))


def same(a, b):
    return 'error' not in a and 'error' not in b and a['rc'] == b['rc'] and a['out'] == b['out'] \
        and a['post'] == b['post']


def main():
    argv = sys.argv[1:]
    self_check = '--self-check' in argv
    verbose = '-v' in argv
    dump = '--dump' in argv
    only = None
    if '--only' in argv:
        only = argv[argv.index('--only') + 1]
        del argv[argv.index('--only'):argv.index('--only') + 2]
    rest = [a for a in argv if a not in ('--self-check', '-v', '--dump')]
    if len(rest) != 1:
        sys.exit('usage: test_compat.py NETNS_TOOL [--self-check] [--only SUBSTRING] [-v] [--dump]')
    tool = os.path.abspath(rest[0])
    if os.environ.get('NETNS_TEST_IN_SANDBOX') != '1':
        sys.exit('test_compat.py runs inside tests/support/sandbox-exec only')
    if not os.access(IP, os.X_OK):
        print('SKIP: %s is not installed (the reference to compare with)' % IP)
        sys.exit(77)
    # Where ip itself cannot make a namespace, nothing can be compared.
    probe = run_side(L(['add', 'probe'], []), IP)
    if 'error' in probe or probe['rc'] != 0:
        print('SKIP: ip netns add does not work here: %s' %
              (probe.get('error') or probe['err'].decode(errors='replace').strip()))
        sys.exit(77)
    texts = [line_text(l) for l in LINES]
    assert len(set(texts)) == len(texts), 'duplicate lines in the table'
    unknown = (set(DELIBERATE) | set(STDERR_DIFFERS)) - set(texts)
    assert not unknown, 'DELIBERATE or STDERR_DIFFERS names no line: %r' % unknown
    rows = table_rows()
    missing = sorted({r for _, r in DELIBERATE.values()} - set(rows))
    assert not missing, "reasons not in netns(8)'s table of differences: %r" % missing
    extra = sorted(set(rows) - {r for _, r in DELIBERATE.values()})
    assert not extra, "netns(8)'s table of differences has rows no line shows: %r" % extra

    other = IP if self_check else tool
    label = 'ip' if self_check else 'netns'
    n = identical = deliberate = 0
    failures = []
    stderr_differs = []
    skipped = []
    for line, text in zip(LINES, texts):
        if only and only not in text:
            continue
        n += 1
        a = run_side(line, IP)
        b = run_side(line, other)
        if 'skip' in a or 'skip' in b:
            skipped.append((text, a.get('skip') or b.get('skip')))
            continue
        check = None if self_check else DELIBERATE.get(text)
        if dump:
            print('== %s\n   %s\n   stderr: %r' % (text, '\n   '.join(show_result(a)), a.get('err')))
        if 'error' in a:
            failures.append((text, 'the ip side failed: %s' % a['error']))
            continue
        if 'error' in b:
            failures.append((text, 'the %s side failed: %s' % (label, b['error'])))
            continue
        if check:
            fn, reason = check
            ok = fn(a, b) or (fn is sorted_list and same(a, b))
            if ok:
                deliberate += 1
                print('deliberate (%s): %s' % (reason, text))
            else:
                failures.append((text, 'does not differ as documented (%s):\n%s' %
                                 (reason, diff(a, b, 'ip', label))))
            continue
        if same(a, b):
            want_err = a['err'] if self_check else ip_words(a['err'])
            if want_err != b['err'] and text not in STDERR_DIFFERS:
                failures.append((text, 'same stdout, status and run dir, another stderr:'
                                 '\n  ip stderr:    %r\n  %s stderr: %r' % (a['err'], label, b['err'])))
                continue
            identical += 1
            if want_err != b['err']:
                stderr_differs.append((text, a['err'], b['err']))
            elif text in STDERR_DIFFERS and not self_check:
                failures.append((text, 'STDERR_DIFFERS lists it, but the stderr is ip\'s: %r'
                                 % b['err']))
            if verbose:
                print('identical: %s' % text)
        else:
            failures.append((text, diff(a, b, 'ip', label) +
                             '\n  ip stderr:    %r\n  %s stderr: %r' % (a['err'], label, b['err'])))
    for text, what in failures:
        print('\nFAIL: %s\n%s' % (text, what))
    if stderr_differs and verbose:
        print('\nSame stdout, status and run dir, another stderr on purpose:')
        for text, ea, eb in stderr_differs:
            print('  %s (%s)\n    ip:    %r\n    %s: %r' % (text, STDERR_DIFFERS[text], ea, label, eb))
    for text, why in skipped:
        print('skipped: %s: %s' % (text, why))
    print('\ncompat: %d lines, %d identical, %d deliberate differences%s%s' %
          (n, identical, deliberate, (', %d skipped' % len(skipped)) if skipped else '',
           (', %d FAILED' % len(failures)) if failures else ''))
    if stderr_differs:
        print('(%d identical lines have another stderr on purpose; -v lists them)' % len(stderr_differs))
    if self_check:
        print('(self-check: ip against ip)')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    sys.dont_write_bytecode = True
    main()
