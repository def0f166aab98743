# SPDX-License-Identifier: Apache-2.0
"""The `netns` tool as root (issue 10, "Tests"): every command and option,
iproute2 both ways, JSON, bad input, exec's pass-through.

Runs inside the test sandbox (tests/support/sandbox-exec): root in a private
mount namespace (as an ordinary user: a private user+mount+net namespace in
which the user is root) with a private /run, so /run/netns here is never the
host's. Usage: test_privileged.py NETNS_TOOL PROJECT_VERSION"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import (TIMEOUT, FakeDocker, LineReader, Tool, ToolCase, check_json_tool,  # noqa: E402
                     describe, gone_pid, have, kill_quietly, main, ns_inode, start_sleeper,
                     stop_sleeper, unique)

RUN_DIR = '/run/netns'
VERSION = None
# CLI.md's messages, in one place. Lines marked SPEC MISMATCH: the tool
# (as of fbf90af) and netns(8) word it otherwise; whichever side changes,
# this is the line to edit.
# The tool's own words for what getopt finds, so -q can silence them.
UNKNOWN_OPTION = 'Unknown option "%s", try "netns help%s".'
NEEDS_VALUE = 'Option "%s" needs a value.'
UNKNOWN = 'Command "%s" is unknown, try "netns help".'
NO_NAME = 'No netns name specified'
NO_CMD = 'No command specified'
NO_PID = 'No pid specified'
NO_NSID = 'No nsid specified'
TOO_MANY = 'Too many arguments: "%s"'
BAD_PID = 'Invalid pid "%s"'
BAD_NSID = 'Invalid nsid "%s"'
ONLY_ONE = 'Only one of NAME, --pid, --path and --docker'
BAD_NAME = 'Invalid netns name "%s"'
CANNOT_CREATE = 'Cannot create namespace file "%s": %s'
CANNOT_REMOVE = 'Cannot remove namespace file "%s": %s'
CANNOT_OPEN = 'Cannot open network namespace "%s": %s'
CANNOT_OPEN_PID = 'Cannot open network namespace of pid %d: %s'
CANNOT_OPEN_DOCKER = 'Cannot open network namespace of container "%s": %s'
CANNOT_LIST = 'Cannot list namespaces in "%s": %s'
EXEC_FAILED = 'exec of "%s" failed: %s'
NEEDS_XDG = 'Rootless mode needs $XDG_RUNTIME_DIR'
ENOENT = 'No such file or directory'
ESRCH = 'No such process'

COMMANDS = ['list', 'add', 'del', 'exec', 'identify', 'pids', 'attach', 'set', 'list-id',
            'monitor', 'version', 'help']


def setup(argv):
    global VERSION
    if len(argv) != 2:
        sys.exit('usage: test_privileged.py NETNS_TOOL PROJECT_VERSION')
    if os.environ.get('NETNS_TEST_IN_SANDBOX') != '1':
        # Never the host's /run/netns: only the sandbox's private one.
        sys.exit('test_privileged.py runs inside tests/support/sandbox-exec only')
    VERSION = argv[1]
    env = dict(os.environ)
    # The default run dir (the sandbox's /run/netns) unless a test says.
    for var in ('NETNS_RUN_DIR', 'DOCKER_HOST', 'XDG_RUNTIME_DIR'):
        env.pop(var, None)
    os.environ.pop('NETNS_RUN_DIR', None)  # for the `ip` we spawn too
    ToolCase.tool = Tool(os.path.abspath(argv[0]), env)


def lines(text):
    return text.splitlines()


def umount_and_remove(path):
    """Removes a name without the tool (cleanup must work when it is broken)."""
    if os.path.lexists(path):
        subprocess.run(['umount', '-l', path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            os.unlink(path)
        except OSError:
            pass


def mounted(path):
    with open('/proc/self/mountinfo') as f:
        return any(line.split(' ')[4] == path for line in f)


def clear_run_dir(d):
    """Unmounts a run dir's names, then the dir (the library, like ip, may
    have made it a mount point of its own)."""
    if os.path.isdir(d):
        for n in os.listdir(d):
            umount_and_remove(os.path.join(d, n))
        # (os.path.ismount misses a bind mount of a dir onto itself.)
        while mounted(d):
            if subprocess.run(['umount', '-l', d], stderr=subprocess.DEVNULL).returncode != 0:
                break


class Case(ToolCase):
    """Tracks the names and processes a test makes; removes them after it."""

    def setUp(self):
        self.procs = []

    def name(self, label='n', run_dir=RUN_DIR):
        n = unique(label)
        self.addCleanup(umount_and_remove, os.path.join(run_dir, n))
        return n

    def add(self, label='n', **kw):
        n = self.name(label, kw.pop('run_dir', RUN_DIR))
        self.ok('add', n, **kw)
        return n

    def sleeper(self, name, extra=(), env=None):
        p, pid = start_sleeper(self.tool, name, extra, env)
        self.addCleanup(stop_sleeper, p, pid)
        return pid

    def tmpdir(self):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        return d.name

    def run_dir(self):
        """A fresh run dir of the test's own (its names unmounted after)."""
        d = self.tmpdir()
        self.addCleanup(clear_run_dir, d)
        return d


class TestVersionHelp(Case):
    def test_version(self):
        want = 'netns %s (libnetns %s)\n' % (VERSION, VERSION)
        self.assertEqual(self.ok('version'), want)
        self.assertEqual(self.ok('-V'), want)
        self.assertEqual(self.ok('--version'), want)

    def test_version_json(self):
        self.assertEqual(self.json_ok('-j', 'version'), {'version': VERSION, 'libnetns': VERSION})
        self.assertEqual(self.json_ok('version', '--json'), {'version': VERSION, 'libnetns': VERSION})

    def test_help(self):
        out = self.ok('help')
        for c in COMMANDS:
            self.assertRegex(out, r'\b%s\b' % re.escape(c))
        # Says what works rootless (issue 10).
        self.assertIn('rootless', out.lower())
        self.assertEqual(self.ok('-h'), out)
        self.assertEqual(self.ok('--help'), out)

    def test_help_command(self):
        for c in COMMANDS:
            with self.subTest(command=c):
                out = self.ok('help', c)
                self.assertIn(c, out)

    def test_help_after_command(self):
        # A global option after the command word: -h/--help there is that
        # command's help.
        for c in ('list', 'exec', 'set'):
            with self.subTest(command=c):
                want = self.ok('help', c)
                self.assertEqual(self.ok(c, '-h'), want)
                self.assertEqual(self.ok(c, '--help'), want)

    def test_help_unknown_command(self):
        self.fails(255, UNKNOWN % 'bogus', 'help', 'bogus')


class TestNames(Case):
    def test_add_list_del(self):
        a, b = self.name('b'), self.name('a')
        self.assertEqual(self.ok('add', a), '')
        self.assertEqual(self.ok('add', b), '')
        # A real nsfs mount that outlives the command.
        self.assertNotEqual(ns_inode(os.path.join(RUN_DIR, a)), ns_inode(os.path.join(RUN_DIR, b)))
        self.assertNotEqual(ns_inode(os.path.join(RUN_DIR, a)), ns_inode('/proc/self/ns/net'))
        mine = [n for n in lines(self.ok('list')) if n in (a, b)]
        self.assertEqual(mine, sorted([a, b]))
        self.assertEqual(self.ok('del', a, b), '')
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, a)))
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, b)))
        self.assertEqual([n for n in lines(self.ok('list')) if n in (a, b)], [])

    def test_list_sorted_json(self):
        names = [self.add('s') for _ in range(3)]
        doc = self.json_ok('list', '-j')
        self.assertIsInstance(doc, list)
        mine = [e for e in doc if e.get('name') in names]
        self.assertEqual(mine, [{'name': n} for n in sorted(names)])
        self.assertEqual([e['name'] for e in doc], sorted(e['name'] for e in doc))

    def test_del_goes_on_after_failure(self):
        a, missing, b = self.add('a'), self.name('missing'), self.add('b')
        self.fails(1, 'Cannot remove namespace file "%s/%s": No such file or directory' % (RUN_DIR, missing),
                   'del', a, missing, b)
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, a)))
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, b)))

    def test_del_all(self):
        # In a run dir of its own: --all deletes every name in it.
        d = self.run_dir()
        names = [self.add('all', run_dir=d, env={'NETNS_RUN_DIR': d}) for _ in range(3)]
        other = self.add('keep')  # in /run/netns: not touched
        self.assertEqual(self.ok('del', '--all', env={'NETNS_RUN_DIR': d}), '')
        self.assertEqual(self.ok('list', env={'NETNS_RUN_DIR': d}), '')
        for n in names:
            self.assertFalse(os.path.lexists(os.path.join(d, n)))
        self.assertTrue(os.path.lexists(os.path.join(RUN_DIR, other)))
        again = self.add('all', run_dir=d, env={'NETNS_RUN_DIR': d})
        self.assertEqual(self.ok('--run-dir', d, 'del', '-a'), '')
        self.assertFalse(os.path.lexists(os.path.join(d, again)))

    def test_add_existing(self):
        a = self.add()
        self.fails(1, 'Cannot create namespace file "%s/%s": File exists' % (RUN_DIR, a), 'add', a)

    def test_run_dir_option_and_env(self):
        d1, d2 = self.run_dir(), self.run_dir()
        # --run-dir wins over NETNS_RUN_DIR.
        a = self.name('opt', run_dir=d1)
        self.ok('--run-dir', d1, 'add', a, env={'NETNS_RUN_DIR': d2})
        self.assertTrue(os.path.lexists(os.path.join(d1, a)))
        self.assertFalse(os.path.lexists(os.path.join(d2, a)))
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, a)))
        # NETNS_RUN_DIR alone.
        b = self.name('env', run_dir=d2)
        self.ok('add', b, env={'NETNS_RUN_DIR': d2})
        self.assertTrue(os.path.lexists(os.path.join(d2, b)))
        self.assertEqual(lines(self.ok('list', env={'NETNS_RUN_DIR': d2})), [b])
        self.assertEqual(lines(self.ok('list', '--run-dir', d1)), [a])
        self.assertNotIn(a, lines(self.ok('list')))
        # The option after the command word; the exec'd command sees it.
        out = self.ok('exec', '--run-dir', d1, a, 'sh', '-c', 'echo "$NETNS_RUN_DIR"')
        self.assertEqual(out, d1 + '\n')
        self.ok('--run-dir', d1, 'del', a)
        self.ok('del', b, env={'NETNS_RUN_DIR': d2})


class TestIproute2(Case):
    """Both ways with `ip netns`, in the sandbox's /run/netns (ip ignores
    NETNS_RUN_DIR)."""

    def setUp(self):
        super().setUp()
        if not have('ip'):
            self.skipTest('iproute2 (ip) is not installed')

    def ip(self, *args):
        r = subprocess.run(['ip'] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, 'ip %s\n%s' % (' '.join(args), describe(r)))
        return r.stdout

    def test_netns_add_ip_exec(self):
        a = self.add()
        out = self.ip('netns', 'exec', a, 'readlink', '/proc/self/ns/net')
        self.assertEqual(out, 'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a)))
        self.assertIn(a, self.ip('netns', 'list'))
        self.ip('netns', 'del', a)
        self.assertNotIn(a, lines(self.ok('list')))

    def test_ip_add_netns_exec(self):
        a = self.name('ip')
        self.ip('netns', 'add', a)
        out = self.ok('exec', a, 'readlink', '/proc/self/ns/net')
        self.assertEqual(out, 'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a)))
        # Like `ip netns exec`: a fresh /sys, showing the namespace's devices.
        self.assertEqual(self.ok('exec', a, 'ls', '/sys/class/net'), 'lo\n')
        self.assertEqual(self.ok('del', a), '')
        self.assertNotIn(a, self.ip('netns', 'list'))

    def test_list_agrees(self):
        names = [self.add('l') for _ in range(2)]
        names.append(self.name('ipl'))
        self.ip('netns', 'add', names[-1])
        self.ok('set', names[0], 'auto')
        mine_ip = [l for l in lines(self.ip('netns', 'list')) if l.split(' ')[0] in names]
        mine = [l for l in lines(self.ok('list')) if l.split(' ')[0] in names]
        # ip lists in directory order; netns sorted.
        self.assertEqual(mine, sorted(mine_ip))
        self.assertEqual(len(mine), 3)
        self.assertRegex([l for l in mine if l.startswith(names[0])][0], r'^\S+ \(id: \d+\)$')

    def test_list_json_agrees(self):
        a, b, c = self.add('j'), self.add('j'), self.add('j')
        self.ok('set', a, '%d' % self.free_nsid())
        self.ip('netns', 'set', b, '%d' % self.free_nsid())
        ours = self.json_ok('-j', 'list')
        check_json_tool(self, self.ip('-j', 'netns', 'list'))
        theirs = json.loads(self.ip('-j', 'netns', 'list'))
        for n in (a, b, c):
            with self.subTest(name=n):
                mine = [e for e in ours if e['name'] == n]
                ip = [e for e in theirs if e['name'] == n]
                self.assertEqual(len(mine), 1)
                self.assertEqual(mine, ip)
        self.assertIn('id', [e for e in ours if e['name'] == a][0])
        self.assertIn('id', [e for e in ours if e['name'] == b][0])
        self.assertNotIn('id', [e for e in ours if e['name'] == c][0])

    def free_nsid(self):
        used = {e['nsid'] for e in json.loads(self.ip('-j', 'netns', 'list-id') or '[]')}
        n = 1000 + os.getpid() % 100000
        while n in used:
            n += 1
        return n

    def test_set_and_list_id_agree(self):
        a, b, c = self.add('i'), self.add('i'), self.add('i')
        ida = self.free_nsid()
        self.assertEqual(self.ok('set', a, str(ida)), '')
        self.assertEqual(self.ok('set', b, 'auto'), '')
        self.ip('netns', 'set', c, str(self.free_nsid()))
        ids = {e['name']: e.get('id') for e in self.json_ok('list', '-j') if e['name'] in (a, b, c)}
        self.assertEqual(ids[a], ida)
        self.assertIsInstance(ids[b], int)
        self.assertGreaterEqual(ids[b], 0)
        self.assertIsInstance(ids[c], int)
        self.assertIn('%s (id: %d)' % (a, ida), lines(self.ok('list')))
        # list-id, text and JSON, against ip's.
        mine = [l for l in lines(self.ok('list-id')) if any(l.endswith(': %s)' % n) for n in (a, b, c))]
        ip = [l for l in lines(self.ip('netns', 'list-id')) if any(l.endswith(': %s)' % n) for n in (a, b, c))]
        self.assertEqual(sorted(mine), sorted(ip))
        self.assertIn('nsid %d (iproute2 netns name: %s)' % (ida, a), mine)
        ours = [e for e in self.json_ok('list-id', '-j') if e.get('name') in (a, b, c)]
        theirs = [e for e in json.loads(self.ip('-j', 'netns', 'list-id')) if e.get('name') in (a, b, c)]
        key = lambda e: e['nsid']  # noqa: E731
        self.assertEqual(sorted(ours, key=key), sorted(theirs, key=key))
        self.assertEqual(len(ours), 3)
        self.assertIn({'nsid': ida, 'name': a}, ours)

    def test_list_id_nameless(self):
        # A namespace with an nsid but no name (deleted while a process
        # keeps it): `nsid N` alone, {"nsid":N}.
        a = self.add('nameless')
        nsid = self.free_nsid()
        self.ok('set', a, str(nsid))
        self.sleeper(a)
        self.ok('del', a)
        self.assertIn('nsid %d' % nsid, lines(self.ok('list-id')))
        # (ip prints `nsid N ` with a trailing blank.)
        self.assertIn('nsid %d' % nsid, [l.rstrip() for l in lines(self.ip('netns', 'list-id'))])
        self.assertIn({'nsid': nsid}, self.json_ok('-j', 'list-id'))
        self.assertIn({'nsid': nsid}, json.loads(self.ip('-j', 'netns', 'list-id')))

    def test_identify_and_pids_agree(self):
        a = self.add('p')
        pid = self.sleeper(a)
        self.assertEqual(self.ok('identify', pid), self.ip('netns', 'identify', str(pid)))
        self.assertEqual(self.ok('pids', a), self.ip('netns', 'pids', a))


class TestExec(Case):
    def test_stdio(self):
        a = self.add()
        data = ''.join('line %d\n' % i for i in range(2000))
        r = self.tool.run('exec', a, 'cat', input=data)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, data, ''))
        r = self.tool.run('exec', a, 'sh', '-c', 'cat >&2', input='to stderr\n')
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, '', 'to stderr\n'))

    def test_environment(self):
        a = self.add()
        out = self.ok('exec', a, 'sh', '-c', 'echo "$CLITEST_VAR"', env={'CLITEST_VAR': 'a b=c'})
        self.assertEqual(out, 'a b=c\n')

    def test_in_the_namespace(self):
        a = self.add()
        self.assertEqual(self.ok('exec', a, 'readlink', '/proc/self/ns/net'),
                         'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a)))
        self.assertEqual(self.ok('exec', a, 'ls', '/sys/class/net'), 'lo\n')

    def test_exit_status(self):
        a = self.add()
        for code in (0, 1, 3, 126, 255):
            r = self.tool.run('exec', a, 'sh', '-c', 'exit %d' % code)
            self.assertEqual(r.returncode, code, describe(r))
            self.assertEqual(r.stderr, '')

    def test_killed_by_signal(self):
        a = self.add()
        r = self.tool.run('exec', a, 'sh', '-c', 'kill -KILL $$')
        self.assertEqual(r.returncode, 137, describe(r))
        r = self.tool.run('exec', a, 'sh', '-c', 'kill -SEGV $$')
        self.assertEqual(r.returncode, 128 + signal.SIGSEGV, describe(r))

    def test_signal_forwarded_term(self):
        # netns gets SIGTERM; the sleeping command dies of it; netns exits 143.
        a = self.add()
        p = self.tool.popen('exec', a, 'sh', '-c', 'echo $$; exec sleep 30')
        try:
            pid = int(LineReader(p.stdout).line(TIMEOUT))
            p.send_signal(signal.SIGTERM)
            rc = p.wait(timeout=TIMEOUT)
            self.assertEqual(rc, 143, 'netns exited %d (negative: killed itself)' % rc)
            self.assertFalse(os.path.exists('/proc/%d/ns' % pid), 'the command still runs')
        finally:
            kill_quietly(p)

    def test_signals_forwarded_to_trap(self):
        # The command traps the signal and exits 3: netns itself survives it.
        a = self.add()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1,
                    signal.SIGUSR2, signal.SIGWINCH):
            with self.subTest(signal=sig.name):
                script = ('trap "echo got; exit 3" %s; echo ready; '
                          'while :; do sleep 0.05; done' % sig.name[3:])
                p = self.tool.popen('exec', a, 'sh', '-c', script)
                try:
                    out = LineReader(p.stdout)
                    self.assertEqual(out.line(TIMEOUT), 'ready')
                    p.send_signal(sig)
                    self.assertEqual(out.line(TIMEOUT), 'got')
                    self.assertEqual(p.wait(timeout=TIMEOUT), 3)
                finally:
                    kill_quietly(p)

    def test_missing_command(self):
        a = self.add()
        self.fails(127, 'exec of "clitest-no-such-command" failed: No such file or directory',
                   'exec', a, 'clitest-no-such-command')
        self.fails(127, 'exec of "/nonexistent/cmd" failed: No such file or directory',
                   'exec', a, '/nonexistent/cmd', 'arg')

    def test_not_executable(self):
        a = self.add()
        f = os.path.join(self.tmpdir(), 'plain')
        with open(f, 'w') as fh:
            fh.write('#!/bin/sh\necho no\n')
        os.chmod(f, 0o644)
        self.fails(126, 'exec of "%s" failed: Permission denied' % f, 'exec', a, f)
        self.fails(126, re.compile(r'exec of ".*" failed: '), 'exec', a, self.tmpdir())

    def test_exec_pid(self):
        a = self.add()
        pid = self.sleeper(a)
        want = 'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a))
        self.assertEqual(self.ok('exec', '--pid', pid, 'readlink', '/proc/self/ns/net'), want)
        self.assertEqual(self.ok('exec', '--pid=%d' % pid, 'readlink', '/proc/self/ns/net'), want)
        # CLI.md: <strerror>; the pid's /proc entry is missing (ENOENT) or
        # the process is (ESRCH).
        g = gone_pid()
        self.fails(1, re.compile(r'^Cannot open network namespace of pid %d: '
                                 r'(No such process|No such file or directory)\n$' % g),
                   'exec', '--pid', g, 'true')

    def test_exec_path(self):
        a = self.add()
        want = 'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a))
        self.assertEqual(self.ok('exec', '--path', os.path.join(RUN_DIR, a), 'readlink', '/proc/self/ns/net'),
                         want)
        pid = self.sleeper(a)
        self.assertEqual(self.ok('exec', '--path', '/proc/%d/ns/net' % pid, 'readlink', '/proc/self/ns/net'),
                         want)
        self.fails(1, 'Cannot open network namespace "/nonexistent/ns": No such file or directory',
                   'exec', '--path', '/nonexistent/ns', 'true')

    def test_exec_docker(self):
        a = self.add()
        pid = self.sleeper(a)
        sock = os.path.join(self.tmpdir(), 'docker.sock')
        cid = '4f66ad9a0b2e%08d' % (os.getpid() % 10 ** 8)
        daemon = FakeDocker(sock, {cid: pid})
        self.addCleanup(daemon.close)
        env = {'DOCKER_HOST': 'unix://' + sock}
        out = self.ok('exec', '--docker', cid, 'readlink', '/proc/self/ns/net', env=env)
        self.assertEqual(out, 'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a)))
        self.assertTrue(any(r.startswith('GET ') and '/containers/%s/json' % cid in r for r in daemon.requests),
                        daemon.requests)
        # A container the daemon does not know.
        self.fails(1, 'Cannot open network namespace of container "clitest-nosuch": No such file or directory',
                   'exec', '--docker', 'clitest-nosuch', 'true', env=env)

    def test_exec_options_after_name_are_the_commands(self):
        # Options after CMD belong to CMD.
        a = self.add()
        self.assertEqual(self.ok('exec', a, 'echo', '-j', '--help'), '-j --help\n')


class TestIdentifyAttachPids(Case):
    def test_identify_every_alias(self):
        a = self.add('ia')
        pid = self.sleeper(a)
        b = self.name('ib')
        self.assertEqual(self.ok('attach', b, pid), '')
        self.assertEqual(ns_inode(os.path.join(RUN_DIR, b)), ns_inode(os.path.join(RUN_DIR, a)))
        self.assertEqual(sorted(lines(self.ok('identify', pid))), sorted([a, b]))
        doc = self.json_ok('-j', 'identify', pid)
        self.assertEqual(sorted(doc, key=lambda e: e['name']), [{'name': n} for n in sorted([a, b])])
        # Without PID: netns's own namespace (here, run inside the namespace).
        out = self.ok('exec', a, self.tool.path, 'identify')
        self.assertEqual(sorted(lines(out)), sorted([a, b]))

    def test_identify_unnamed(self):
        # A pid whose namespace has no name: nothing, exit 0.
        a = self.add()
        pid = self.sleeper(a)
        self.ok('del', a)
        self.assertEqual(self.ok('identify', pid), '')
        self.assertEqual(self.json_ok('identify', '-j', pid), [])

    def test_identify_missing_pid(self):
        g = gone_pid()
        self.fails(1, CANNOT_OPEN_PID % (g, ESRCH), 'identify', g)

    def test_attach_missing_pid(self):
        g = gone_pid()
        n = self.name()
        self.fails(1, re.compile(r'%d.*: No such process\n$' % g), 'attach', n, g)
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, n)))

    def test_pids(self):
        a = self.add()
        pids = sorted([self.sleeper(a), self.sleeper(a)])
        self.assertEqual(lines(self.ok('pids', a)), [str(p) for p in pids])
        doc = self.json_ok('pids', a, '-j')
        self.assertEqual(doc, pids)
        b = self.add()
        self.assertEqual(self.ok('pids', b), '')
        self.assertEqual(self.json_ok('-j', 'pids', b), [])

    def test_set_range(self):
        a = self.add()
        # (getopt may take "-1" for an option: a usage error either way.)
        self.fails(255, re.compile(r'"?-1"?'), 'set', a, '-1')
        self.fails(255, BAD_NSID % '2147483648', 'set', a, '2147483648')
        self.fails(255, BAD_NSID % 'x', 'set', a, 'x')
        self.fails(1, 'Cannot open network namespace "%s": No such file or directory' % (a + 'x'),
                   'set', a + 'x', 'auto')


class TestMonitor(Case):
    def monitor(self, sig, json_mode):
        anchor = self.add('anchor')  # the run dir exists
        args = ['monitor', '-j'] if json_mode else ['monitor']
        p = self.tool.popen(*args)
        try:
            out = LineReader(p.stdout)
            # Probe names until the monitor reports one: then it is watching.
            for _ in range(100):
                probe = self.add('probe')
                self.ok('del', probe)
                first = out.line(0.2)
                if first is not None:
                    break
            else:
                self.fail('monitor printed nothing: %r' % p.stderr.read1() if p.poll() is not None else '')
            a = self.name('mon')
            self.ok('add', a)
            self.ok('del', a)
            got = [first]
            while True:
                line = out.line(5)
                self.assertIsNotNone(line, 'no more events after %r' % got)
                got.append(line)
                if (json_mode and a in line and 'delete' in line) or line == 'delete ' + a:
                    break
            if json_mode:
                events = []
                for line in got:
                    check_json_tool(self, line)
                    events.append(json.loads(line))
                mine = [e for e in events if e.get('name') == a]
                self.assertEqual(mine, [{'event': 'add', 'name': a}, {'event': 'delete', 'name': a}])
            else:
                self.assertEqual([l for l in got if l.endswith(' ' + a)], ['add ' + a, 'delete ' + a])
                for l in got:
                    self.assertRegex(l, r'^(add|delete) \S+$')
            p.send_signal(sig)
            self.assertEqual(p.wait(timeout=TIMEOUT), 0)
            self.assertEqual(p.stderr.read(), b'')
        finally:
            kill_quietly(p)
        self.ok('del', anchor)

    def test_monitor_json_sigint(self):
        self.monitor(signal.SIGINT, True)

    def test_monitor_json_sigterm(self):
        self.monitor(signal.SIGTERM, True)

    def test_monitor_text_sigint(self):
        self.monitor(signal.SIGINT, False)


class TestBadInput(Case):
    """Each bad input with its exit status and message (CLI.md); nothing new
    in the run dir afterwards."""

    def test_table(self):
        d = self.run_dir()
        env = {'NETNS_RUN_DIR': d}
        a = self.add('t', run_dir=d, env=env)
        pid = self.sleeper(a, env=env)
        self.ok('attach', self.name('t2', run_dir=d), pid, env=env)
        before = sorted(os.listdir(d))
        g = gone_pid()
        long_name = 'x' * 256
        f = os.path.join(self.tmpdir(), 'a-file')
        open(f, 'w').close()
        plain = os.path.join(self.tmpdir(), 'not-executable')
        with open(plain, 'w') as fh:
            fh.write('#!/bin/sh\n')
        os.chmod(plain, 0o644)
        table = [
            # (args, exit code, stderr's last line or a regex)
            (['bogus'], 255, UNKNOWN % 'bogus'),
            (['bogus', 'x'], 255, UNKNOWN % 'bogus'),
            (['--bogus', 'list'], 255, UNKNOWN_OPTION % ('--bogus', '')),
            (['list', '--bogus'], 255, UNKNOWN_OPTION % ('--bogus', ' list')),
            (['-Z', 'list'], 255, UNKNOWN_OPTION % ('-Z', '')),
            (['--run-dir'], 255, NEEDS_VALUE % '--run-dir'),
            (['add'], 255, NO_NAME),
            (['del'], 255, NO_NAME),
            (['exec'], 255, NO_NAME),
            (['pids'], 255, NO_NAME),
            (['attach'], 255, NO_NAME),
            (['set'], 255, NO_NAME),
            (['exec', a], 255, NO_CMD),
            (['exec', '--pid', str(pid)], 255, NO_CMD),
            (['attach', 'newname'], 255, NO_PID),
            (['set', a], 255, NO_NSID),
            (['add', 'n1', 'x'], 255, TOO_MANY % 'x'),
            (['list', 'x'], 255, TOO_MANY % 'x'),
            (['pids', a, 'x'], 255, TOO_MANY % 'x'),
            (['identify', str(pid), 'x'], 255, TOO_MANY % 'x'),
            (['attach', 'n2', str(pid), 'x'], 255, TOO_MANY % 'x'),
            (['set', a, '5', 'x'], 255, TOO_MANY % 'x'),
            (['list-id', 'x'], 255, TOO_MANY % 'x'),
            (['monitor', 'x'], 255, TOO_MANY % 'x'),
            (['version', 'x'], 255, TOO_MANY % 'x'),
            (['del', '--all', 'x'], 255, TOO_MANY % 'x'),
            (['attach', 'n3', 'x'], 255, BAD_PID % 'x'),
            (['attach', 'n3', '5x'], 255, BAD_PID % '5x'),
            (['attach', 'n3', '-5'], 255, None),  # getopt may take it for an option
            (['identify', 'x'], 255, BAD_PID % 'x'),
            (['identify', '12abc'], 255, BAD_PID % '12abc'),
            (['exec', '--pid', 'x', 'true'], 255, BAD_PID % 'x'),
            (['set', a, 'x'], 255, BAD_NSID % 'x'),
            (['exec', '--pid', str(pid), '--path', '/proc/1/ns/net', 'true'], 255,
             ONLY_ONE),
            (['exec', '--path', '/proc/1/ns/net', '--docker', 'abc', 'true'], 255,
             ONLY_ONE),
            (['add', 'a/b'], 1, 'Invalid netns name "a/b"'),
            (['add', '.'], 1, 'Invalid netns name "."'),
            (['add', '..'], 1, 'Invalid netns name ".."'),
            (['add', ''], 1, 'Invalid netns name ""'),
            (['add', long_name], 1, 'Invalid netns name "%s"' % long_name),
            (['del', 'a/b'], 1, 'Invalid netns name "a/b"'),
            (['exec', 'a/b', 'true'], 1, 'Invalid netns name "a/b"'),
            (['pids', long_name], 1, 'Invalid netns name "%s"' % long_name),
            (['attach', '../x', str(pid)], 1, 'Invalid netns name "../x"'),
            (['set', 'a/b', '5'], 1, 'Invalid netns name "a/b"'),
            (['del', 'nosuch'], 1, 'Cannot remove namespace file "%s/nosuch": No such file or directory' % d),
            (['exec', 'nosuch', 'true'], 1, 'Cannot open network namespace "nosuch": No such file or directory'),
            (['pids', 'nosuch'], 1, 'Cannot open network namespace "nosuch": No such file or directory'),
            (['set', 'nosuch', '5'], 1, 'Cannot open network namespace "nosuch": No such file or directory'),
            (['add', a], 1, 'Cannot create namespace file "%s/%s": File exists' % (d, a)),
            (['identify', str(g)], 1, CANNOT_OPEN_PID % (g, ESRCH)),
            (['exec', '--pid', str(g), 'true'], 1,
             re.compile(r'^Cannot open network namespace of pid %d: (No such process|No such file or directory)\n$'
                        % g)),
            (['attach', 'n4', str(g)], 1, re.compile(r'%d.*: No such process\n$' % g)),
            (['exec', '--path', '/nonexistent', 'true'], 1,
             'Cannot open network namespace "/nonexistent": No such file or directory'),
            (['exec', a, 'clitest-no-such-command'], 127,
             'exec of "clitest-no-such-command" failed: No such file or directory'),
            (['exec', a, plain], 126, 'exec of "%s" failed: Permission denied' % plain),
            (['--run-dir', f, 'list'], 1, 'Cannot list namespaces in "%s": Not a directory' % f),
            (['list', '--run-dir', f], 1, 'Cannot list namespaces in "%s": Not a directory' % f),
            (['--run-dir', f, 'add', 'n5'], 1, 'Cannot create namespace file "%s/n5": Not a directory' % f),
            (['help', 'bogus'], 255, UNKNOWN % 'bogus'),
        ]
        for args, code, message in table:
            with self.subTest(args=' '.join(args)[:80]):
                self.fails(code, message, *args, env=env)
                # -q: the same status, nothing on stderr.
                r = self.tool.run('-q', *args, env=env)
                self.assertEqual((r.returncode, r.stderr, r.stdout), (code, '', ''), describe(r))
        self.assertEqual(sorted(os.listdir(d)), before)
        self.assertEqual(os.listdir(os.path.dirname(f)), [os.path.basename(f)])

    def test_quiet_keeps_stdout(self):
        a = self.add()
        r = self.tool.run('--quiet', 'add', a)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (1, '', ''), describe(r))
        self.assertIn(a, lines(self.ok('-q', 'list')))
        self.assertEqual(self.ok('exec', '-q', a, 'echo', 'hi'), 'hi\n')

    def test_rootless_needs_xdg_runtime_dir(self):
        self.fails(1, NEEDS_XDG, '--rootless', 'list')
        self.fails(1, NEEDS_XDG, '--rootless', 'add', unique('r'))


if __name__ == '__main__':
    main(setup)
