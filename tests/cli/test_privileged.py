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
                     describe, gone_pid, have, kill_quietly, main, ns_inode, unique)

RUN_DIR = '/run/netns'
VERSION = None
# The messages, in one place: ip's (iproute2 6.1) where ip has one.
UNKNOWN_OPTION = 'Option "%s" is unknown, try "netns help%s".'
NEEDS_VALUE = 'Option "%s" needs a value.'
UNKNOWN = 'Command "%s" is unknown, try "netns help".'
NO_NAME = 'No netns name specified'
NO_CMD = 'No command specified'
NO_NAME_PID = 'No netns name and PID specified'
NO_NSID = 'No nsid specified'
EXTRA = 'extra arguments specified'
BAD_PID = 'Invalid pid "%s"'
BAD_ATTACH_PID = 'Invalid PID: %s'
NOT_A_PID = "Specified string '%s' is not a pid"
BAD_NSID = 'Error: argument "%s" is wrong: Invalid "netnsid" value'
ONLY_ONE = 'Only one of NAME, --pid, --path and --docker'
STALE = '"%s" is not a network namespace (a stale entry? "netns del %s" removes it)'
BAD_NAME = 'Invalid netns name "%s"'
CANNOT_CREATE = 'Cannot create namespace file "%s": %s'
CANNOT_REMOVE = 'Cannot remove namespace file "%s": %s'
CANNOT_OPEN = 'Cannot open network namespace "%s": %s'
CANNOT_OPEN_PID = 'Cannot open network namespace of pid %d: %s'
CANNOT_OPEN_IP = 'Cannot open network namespace: %s'  # ip's pids and identify
CANNOT_OPEN_DOCKER = 'Cannot open network namespace of container "%s": %s'
CANNOT_LIST = 'Cannot list namespaces in "%s": %s'
EXEC_FAILED = 'exec of "%s" failed: %s'
ENOENT = 'No such file or directory'
ESRCH = 'No such process'

# The tool's commands, read from its command table as `netns help` prints
# it (setup): the table is their one list. ip's order of matching is
# test_compat.py's and test_fuzz.py's to check, side by side with ip.
COMMANDS = []


def help_commands(tool):
    """The words of the "  netns WORD ..." lines of `TOOL help`."""
    out = subprocess.run([tool, 'help'], stdout=subprocess.PIPE, check=True, text=True).stdout
    return [line.split()[1] for line in out.splitlines() if line.startswith('  netns ')]


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
    COMMANDS[:] = help_commands(os.path.abspath(argv[0]))


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

    def tmpdir(self):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        return d.name

    def file(self, name, text, mode=0o644):
        """A file of the test's own holding `text` (a script, a batch)."""
        f = os.path.join(self.tmpdir(), name)
        with open(f, 'w') as fh:
            fh.write(text)
        os.chmod(f, mode)
        return f

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
        # --help after the command word is that command's help; -h there is
        # an operand, as every word with one '-' is in ip.
        for c in ('list', 'exec', 'set'):
            with self.subTest(command=c):
                want = self.ok('help', c)
                self.assertEqual(self.ok(c, '--help'), want)
        self.fails(1, EXTRA, 'list', '-h')
        self.fails(1, EXTRA, 'list', '-V')

    def test_help_format(self):
        # PLAN.md's format, which completion reads: a Commands block of
        # "  netns WORD ..." lines in ip's order, option lines "  -x, ...",
        # every line <= 80 columns.
        out = self.ok('help')
        for line in out.splitlines():
            self.assertLessEqual(len(line), 80, line)
        words = [l.split()[1] for l in out.splitlines() if l.startswith('  netns ')]
        # Each once; list first (no command is list, and `l` is list).
        self.assertEqual(len(words), len(set(words)), words)
        self.assertEqual(words[0], 'list')
        opts = [l.split()[0] for l in out.splitlines() if l.startswith('  -')]
        for o in ('-j,', '-p,', '-a,', '-b,', '-force', '-q,', '--run-dir', '--rootless', '-h,', '-V,'):
            self.assertIn(o, opts)
        for c in COMMANDS:
            with self.subTest(command=c):
                text = self.ok('help', c)
                self.assertTrue(text.startswith('Usage: netns %s' % c), text)
                for line in text.splitlines():
                    self.assertLessEqual(len(line), 80, line)
                after = [l.split()[0] for l in text.splitlines() if l.startswith('  -')]
                # Only what works after the word: long options and -j, -p,
                # -q (not for exec), never -V or -h.
                if c == 'exec':
                    self.assertTrue(all(o.startswith('--') for o in after), after)
                else:
                    self.assertEqual([o for o in after if not o.startswith('--')], ['-j,', '-p,', '-q,'])
                self.assertIn('--help', after)
                self.assertNotIn('-V', text.split('Options after')[1])
        self.assertIn('--pid', self.ok('help', 'exec'))
        self.assertIn('--all', self.ok('help', 'delete'))
        self.assertNotIn('--pid', self.ok('help', 'add'))

    def test_help_prefixes(self):
        # `netns help e` is exec's, as `netns e` is exec.
        self.assertEqual(self.ok('help', 'e'), self.ok('help', 'exec'))
        self.assertEqual(self.ok('help', 'del'), self.ok('help', 'delete'))
        self.assertEqual(self.ok('help', 'show'), self.ok('help', 'list'))
        self.assertEqual(self.ok('h'), self.ok('help'))
        self.assertEqual(self.ok('-help'), self.ok('help'))

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
        self.assertEqual(self.ok('del', a), '')
        self.assertEqual(self.ok('delete', b), '')
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, a)))
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, b)))
        self.assertEqual([n for n in lines(self.ok('list')) if n in (a, b)], [])

    def test_list_sorted_json(self):
        names = [self.add('s') for _ in range(3)]
        doc = self.json_ok('list', '--json')
        self.assertIsInstance(doc, list)
        mine = [e for e in doc if e.get('name') in names]
        self.assertEqual(mine, [{'name': n} for n in sorted(names)])
        self.assertEqual([e['name'] for e in doc], sorted(e['name'] for e in doc))

    def test_del_one_name(self):
        # ip deletes the first name and ignores the rest; the tool refuses
        # the line and deletes nothing.
        a, b = self.add('a'), self.add('b')
        self.fails(1, EXTRA, 'del', a, b)
        self.assertTrue(os.path.lexists(os.path.join(RUN_DIR, a)))
        self.assertTrue(os.path.lexists(os.path.join(RUN_DIR, b)))
        missing = self.name('missing')
        self.fails(1, 'Cannot remove namespace file "%s/%s": No such file or directory' % (RUN_DIR, missing),
                   'del', missing)

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
        # ip's spellings: -all (and its abbreviation -a) before the command;
        # a stale file goes too, as with ip.
        again = self.add('all', run_dir=d, env={'NETNS_RUN_DIR': d})
        stale = os.path.join(d, self.name('stale', run_dir=d))
        open(stale, 'w').close()
        self.assertEqual(self.ok('--run-dir', d, '-all', 'delete'), '')
        self.assertFalse(os.path.lexists(os.path.join(d, again)))
        self.assertFalse(os.path.lexists(stale))
        again = self.add('all', run_dir=d, env={'NETNS_RUN_DIR': d})
        self.assertEqual(self.ok('--run-dir', d, '-a', 'd'), '')
        self.assertFalse(os.path.lexists(os.path.join(d, again)))
        # -all with a name: refused (ip would delete every name).
        again = self.add('all', run_dir=d, env={'NETNS_RUN_DIR': d})
        self.fails(1, EXTRA, '--run-dir', d, '-all', 'del', again)
        self.assertTrue(os.path.lexists(os.path.join(d, again)))

    def test_del_dash_all_is_a_name(self):
        # `ip netns del -all` deletes only an entry called "-all".
        keep = self.add('keep')
        self.fails(1, CANNOT_REMOVE % (RUN_DIR + '/-all', ENOENT), 'del', '-all')
        self.assertTrue(os.path.lexists(os.path.join(RUN_DIR, keep)))
        self.addCleanup(umount_and_remove, os.path.join(RUN_DIR, '-all'))
        self.ok('add', '-all')
        self.assertTrue(os.path.lexists(os.path.join(RUN_DIR, '-all')))
        self.ok('del', '-all')
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, '-all')))
        self.assertTrue(os.path.lexists(os.path.join(RUN_DIR, keep)))

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
        ids = {e['name']: e.get('id') for e in self.json_ok('list', '--json') if e['name'] in (a, b, c)}
        self.assertEqual(ids[a], ida)
        self.assertIsInstance(ids[b], int)
        self.assertGreaterEqual(ids[b], 0)
        self.assertIsInstance(ids[c], int)
        self.assertIn('%s (id: %d)' % (a, ida), lines(self.ok('list')))
        # list-id, text and JSON, against ip's.
        mine = [l for l in lines(self.ok('list-id')) if any(l.endswith(': %s)' % n) for n in (a, b, c))]
        ip = [l for l in lines(self.ip('netns', 'list-id'))
              if any(l.endswith(': %s)' % n) for n in (a, b, c))]
        self.assertEqual(sorted(mine), sorted(ip))
        self.assertIn('nsid %d (iproute2 netns name: %s)' % (ida, a), mine)
        ours = [e for e in self.json_ok('list-id', '--json') if e.get('name') in (a, b, c)]
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
        self.assertIn('nsid %d ' % nsid, lines(self.ok('list-id')))  # ip's blank too
        # (ip prints `nsid N ` with a trailing blank.)
        self.assertIn('nsid %d' % nsid, [l.rstrip() for l in lines(self.ip('netns', 'list-id'))])
        self.assertIn({'nsid': nsid}, self.json_ok('-j', 'list-id'))
        self.assertIn({'nsid': nsid}, json.loads(self.ip('-j', 'netns', 'list-id')))

    def test_lines_agree(self):
        # Lines whose output does not depend on directory order: the same
        # stdout and exit status from `ip ARGS` and `netns ARGS-without-netns`
        # (the big comparison is test_compat.py's).
        a = self.add('agree')
        pid = self.sleeper(a)
        nsid = self.free_nsid()
        self.ok('set', a, str(nsid))
        missing = self.name('missing')
        lines_ = [
            ['netns', 'add'], ['netns', 'del'], ['netns', 'exec'], ['netns', 'exec', a],
            ['netns', 'exec', missing, 'true'], ['netns', 'exec', 'a/b', 'true'],
            ['netns', 'exec', a, 'sh', '-c', 'echo in; exit 4'], ['netns', 'e', a, 'true'],
            ['netns', 'pids'], ['netns', 'pids', missing], ['netns', 'p', a], ['netns', 'i', str(pid)],
            ['netns', 'identify', 'x'], ['netns', 'identify', '1', '2'], ['netns', 'set', a],
            ['netns', 'set', a, 'x'], ['netns', 'set', a, '-1'], ['netns', 'set', missing, '5'],
            ['netns', 'se', a, 'auto'], ['netns', 'list-id', 'nsid'], ['netns', 'list-id', 'foo'],
            ['netns', 'list-id', 'nsid', 'x'], ['netns', 'list-id', 'nsid', str(nsid)],
            ['-j', 'netns', 'list-id', 'nsid', str(nsid)],
            ['-j', '-p', 'netns', 'list-id', 'nsid', str(nsid)],
            ['netns', 'list-', 'nsid', hex(nsid)], ['netns', 'bogus'], ['netns', 'bogus', 'a/b'],
            ['-x', 'netns'], ['netns', 'attach'], ['netns', 'attach', missing, 'x'],
            ['netns', 'del', missing], ['netns', 'del', '-all'], ['netns', 'list', 'a/b'],
        ]
        for line in lines_:
            with self.subTest(line=' '.join(line)):
                ip = subprocess.run(['ip'] + line, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, text=True, timeout=TIMEOUT)
                ours = self.tool.run(*[w for w in line if w != 'netns'])
                self.assertEqual((ours.returncode, ours.stdout), (ip.returncode, ip.stdout),
                                 'ip: %s\nnetns: %s' % (describe(ip), describe(ours)))
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, missing)))

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
        # In place: the tool's process is the command, so it is what dies
        # of the signal (a shell says 128+N).
        r = self.tool.run('exec', a, 'sh', '-c', 'kill -KILL $$')
        self.assertEqual(r.returncode, -signal.SIGKILL, describe(r))
        r = self.tool.run('exec', a, 'sh', '-c', 'kill -SEGV $$')
        self.assertEqual(r.returncode, -signal.SIGSEGV, describe(r))
        r = subprocess.run(['sh', '-c', '"$0" exec %s sh -c "kill -TERM \\$\\$"; echo $?' % a,
                            self.tool.path],
                           stdout=subprocess.PIPE, text=True, env=self.tool.env, timeout=TIMEOUT)
        self.assertEqual(r.stdout, '143\n')

    def test_in_place(self):
        # The command is the tool's process: same pid, no child, so $!,
        # kill and wait reach it.
        a = self.add()
        p = self.tool.popen('exec', a, 'sh', '-c', 'echo $$; exec sleep 30')
        try:
            pid = int(LineReader(p.stdout).line(TIMEOUT))
            self.assertEqual(pid, p.pid)
            self.assertEqual(ns_inode('/proc/%d/ns/net' % p.pid), ns_inode(os.path.join(RUN_DIR, a)))
            p.kill()
            self.assertEqual(p.wait(timeout=TIMEOUT), -signal.SIGKILL)
            self.assertFalse(os.path.exists('/proc/%d/ns' % pid), 'the command still runs')
        finally:
            kill_quietly(p)

    def test_no_shebang(self):
        # execvp's rule, as ip: a file the kernel cannot execute runs in /bin/sh.
        a = self.add()
        f = self.file('script', 'readlink /proc/self/ns/net\nexit 7\n', 0o755)
        r = self.tool.run('exec', a, f)
        self.assertEqual((r.returncode, r.stdout), (7, 'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a))),
                         describe(r))

    def test_stale_entry(self):
        # What a killed add leaves: an empty file, said as such.
        d = self.run_dir()
        env = {'NETNS_RUN_DIR': d}
        self.add('anchor', run_dir=d, env=env)  # the run dir is set up
        n = self.name('stale', run_dir=d)
        open(os.path.join(d, n), 'w').close()
        path = os.path.join(d, n)
        self.fails(255, STALE % (path, n), 'exec', n, 'true', env=env)
        self.fails(1, STALE % (path, n), 'pids', n, env=env)
        self.fails(2, STALE % (path, n), 'set', n, '5', env=env)
        r = self.fails(1, None, 'add', n, env=env)
        self.assertEqual(r.stderr.splitlines(), [
            'Cannot create namespace file "%s": File exists' % path,
            '"%s" is not a network namespace: a stale entry (unless an add is making it); '
            '"netns del %s" removes it' % (path, n)])
        self.assertIn(n, lines(self.ok('list', env=env)))  # listed, as ip lists it
        self.ok('del', n, env=env)
        self.assertFalse(os.path.lexists(path))
        self.ok('add', n, env=env)

    def test_etc_netns_bind_failure_refused(self):
        # ip warns and runs the command anyway; the tool refuses (255). In a
        # mount namespace of its own with a tmpfs on /etc (never the host's
        # /etc): /etc/netns/NAME/f with no /etc/f to cover.
        if not have('unshare'):
            self.skipTest('unshare (util-linux) is not installed')
        a = self.add()
        script = ('mount -t tmpfs clitest-etc /etc && mkdir -p /etc/netns/"$1" && '
                  'echo x >/etc/netns/"$1"/clitest-f && exec "$0" exec "$1" echo ran')
        r = subprocess.run(['unshare', '-m', '--propagation', 'private', 'sh', '-c', script,
                            self.tool.path, a], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=self.tool.env, timeout=TIMEOUT)
        self.assertEqual((r.returncode, r.stdout), (255, ''), describe(r))
        self.assertRegex(r.stderr, r'^Cannot prepare network namespace "%s" .*: No such file or directory\n$'
                         % re.escape(a))

    def test_all(self):
        # -all exec: every name in turn, each after "\nnetns: NAME", going
        # on after a failure, status 0, as ip.
        d = self.run_dir()
        env = {'NETNS_RUN_DIR': d}
        names = sorted(self.add('x', run_dir=d, env=env) for _ in range(3))
        out = self.ok('-all', 'exec', 'sh', '-c', 'readlink /proc/self/ns/net', env=env)
        want = ''.join('\nnetns: %s\nnet:[%d]\n' % (n, ns_inode(os.path.join(d, n))) for n in names)
        self.assertEqual(out, want)
        self.assertEqual(self.ok('exec', '--all', 'true', env=env),
                         ''.join('\nnetns: %s\n' % n for n in names))
        r = self.tool.run('-all', 'exec', 'sh', '-c', 'exit 3', env=env)
        self.assertEqual((r.returncode, r.stdout), (0, ''.join('\nnetns: %s\n' % n for n in names)))
        self.fails(1, NO_CMD, '-all', 'exec', env=env)

    def test_sigterm_reaches_command(self):
        # SIGTERM to netns's pid is SIGTERM to the command (the same process).
        a = self.add()
        p = self.tool.popen('exec', a, 'sh', '-c', 'echo $$; exec sleep 30')
        try:
            pid = int(LineReader(p.stdout).line(TIMEOUT))
            p.send_signal(signal.SIGTERM)
            rc = p.wait(timeout=TIMEOUT)
            self.assertEqual(rc, -signal.SIGTERM, 'netns exited %d' % rc)
            self.assertFalse(os.path.exists('/proc/%d/ns' % pid), 'the command still runs')
        finally:
            kill_quietly(p)

    def test_signals_reach_trap(self):
        # The command traps the signal sent to netns's pid and exits 3.
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
        f = self.file('plain', '#!/bin/sh\necho no\n')
        self.fails(126, 'exec of "%s" failed: Permission denied' % f, 'exec', a, f)
        self.fails(126, re.compile(r'exec of ".*" failed: '), 'exec', a, self.tmpdir())

    def test_exec_pid(self):
        a = self.add()
        pid = self.sleeper(a)
        want = 'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a))
        self.assertEqual(self.ok('exec', '--pid', pid, 'readlink', '/proc/self/ns/net'), want)
        self.assertEqual(self.ok('exec', '--pid=%d' % pid, 'readlink', '/proc/self/ns/net'), want)
        g = gone_pid()
        self.fails(255, CANNOT_OPEN_PID % (g, ESRCH), 'exec', '--pid', g, 'true')

    def test_exec_path(self):
        a = self.add()
        want = 'net:[%d]\n' % ns_inode(os.path.join(RUN_DIR, a))
        self.assertEqual(self.ok('exec', '--path', os.path.join(RUN_DIR, a), 'readlink', '/proc/self/ns/net'),
                         want)
        pid = self.sleeper(a)
        self.assertEqual(self.ok('exec', '--path', '/proc/%d/ns/net' % pid, 'readlink', '/proc/self/ns/net'),
                         want)
        self.fails(255, 'Cannot open network namespace "/nonexistent/ns": No such file or directory',
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
        self.assertTrue(any(r.startswith('GET ') and '/containers/%s/json' % cid in r
                            for r in daemon.requests),
                        daemon.requests)
        # A container the daemon does not know.
        self.fails(255, 'Cannot open network namespace of container "clitest-nosuch": '
                   'No such file or directory',
                   'exec', '--docker', 'clitest-nosuch', 'true', env=env)

    def test_exec_options_after_name_are_the_commands(self):
        # Options after CMD belong to CMD.
        a = self.add()
        self.assertEqual(self.ok('exec', a, 'echo', '-j', '--help'), '-j --help\n')
        self.assertEqual(self.ok('exec', '--pid', str(os.getpid()), 'echo', '--all'), '--all\n')
        self.assertEqual(self.ok('exec', '--', a, 'echo', '--'), '--\n')


class TestIdentifyAttachPids(Case):
    def test_identify_every_alias(self):
        a = self.add('ia')
        pid = self.sleeper(a)
        b = self.name('ib')
        self.assertEqual(self.ok('attach', b, pid), '')
        self.assertEqual(ns_inode(os.path.join(RUN_DIR, b)), ns_inode(os.path.join(RUN_DIR, a)))
        self.assertEqual(sorted(lines(self.ok('identify', pid))), sorted([a, b]))
        doc = self.json_ok('-j', 'identify', pid)
        self.assertEqual(doc, self.json_ok('identify', '--json', pid))
        self.assertEqual(sorted(doc, key=lambda e: e['name']), [{'name': n} for n in sorted([a, b])])
        # Without PID: netns's own namespace (here, run inside the namespace).
        out = self.ok('exec', a, self.tool.path, 'identify')
        self.assertEqual(sorted(lines(out)), sorted([a, b]))

    def test_identify_unnamed(self):
        # A pid whose namespace has no name: an empty line (ip's), exit 0.
        a = self.add()
        pid = self.sleeper(a)
        self.ok('del', a)
        self.assertEqual(self.ok('identify', pid), '\n')
        self.assertEqual(self.json_ok('identify', '--json', pid), [])

    def test_identify_missing_pid(self):
        g = gone_pid()
        self.fails(1, CANNOT_OPEN_IP % ENOENT, 'identify', g)  # ip's words
        self.fails(1, NOT_A_PID % 'x', 'identify', 'x')
        self.fails(1, EXTRA, 'identify', '1', '2')

    def test_attach_missing_pid(self):
        g = gone_pid()
        n = self.name()
        # ip's words: its bind of /proc/PID/ns/net is what fails.
        self.fails(1, re.compile(r'^Bind /proc/%d/ns/net -> .* failed: No such file or directory\n$' % g),
                   'attach', n, g)
        self.assertFalse(os.path.lexists(os.path.join(RUN_DIR, n)))

    def test_pids(self):
        a = self.add()
        pids = sorted([self.sleeper(a), self.sleeper(a)])
        self.assertEqual(lines(self.ok('pids', a)), [str(p) for p in pids])
        doc = self.json_ok('pids', a, '--json')
        self.assertEqual(doc, pids)
        b = self.add()
        self.assertEqual(self.ok('pids', b), '')
        self.assertEqual(self.json_ok('-j', 'pids', b), [])

    def test_set_range(self):
        a = self.add()
        self.fails(255, 'Error: argument "-1" is wrong: "netnsid" value should be >= 0', 'set', a, '-1')
        self.fails(255, BAD_NSID % '2147483648', 'set', a, '2147483648')
        self.fails(255, BAD_NSID % 'x', 'set', a, 'x')
        # ip's get_integer(): base 0, so 0x10 is 16.
        nsid = 0x40000000 + os.getpid()  # free on a used host, most likely
        self.ok('set', a, hex(nsid))
        self.assertIn('%s (id: %d)' % (a, nsid), lines(self.ok('list')))
        self.fails(1, 'Cannot open network namespace "%s": No such file or directory' % (a + 'x'),
                   'set', a + 'x', 'auto')


def free_nsid(tool_case, env=None):
    """An nsid that nothing in our network namespace has (a used host may
    have others)."""
    used = {e['nsid'] for e in tool_case.json_ok('list-id', '--json', env=env) if 'nsid' in e}
    n = 100000 + (os.getpid() * 7 + len(used)) % 1000000
    while n in used:
        n += 1
    return n


class TestCommandLine(Case):
    """ip's command line: prefixes, global options, operands that start
    with '-', -batch."""

    def own(self):
        d = self.run_dir()
        return d, {'NETNS_RUN_DIR': d}

    def test_prefixes(self):
        d, env = self.own()
        names = sorted(self.add('p', run_dir=d, env=env) for _ in range(2))
        want = self.ok('list', env=env)
        self.assertEqual(lines(want), names)
        for word in ('l', 'li', 'lis', 's', 'sh', 'sho', 'show', 'ls', 'lst'):
            with self.subTest(word=word):
                self.assertEqual(self.ok(word, env=env), want)
        self.assertEqual(self.ok(env=env), want)  # no command: list
        self.assertEqual(self.ok('--', env=env), want)
        # a: add, d/de/del: delete, e: exec, i: identify, p: pids,
        # se: set, at: attach, list-: list-id, h: help.
        n = self.name('a', run_dir=d)
        self.ok('a', n, env=env)
        self.assertIn(n, lines(self.ok('list', env=env)))
        self.assertEqual(self.ok('e', n, 'readlink', '/proc/self/ns/net', env=env),
                         'net:[%d]\n' % ns_inode(os.path.join(d, n)))
        pid = self.sleeper(n, env=env)
        self.assertEqual(self.ok('i', pid, env=env), n + '\n')
        self.assertEqual(self.ok('p', n, env=env), '%d\n' % pid)
        m = self.name('at', run_dir=d)
        self.ok('at', m, pid, env=env)
        self.assertEqual(ns_inode(os.path.join(d, m)), ns_inode(os.path.join(d, n)))
        nsid = free_nsid(self, env)
        self.ok('se', m, str(nsid), env=env)
        self.assertIn('nsid %d (iproute2 netns name: %s)' % (nsid, min(m, n)),
                      lines(self.ok('list-', env=env)))
        for word in ('d', 'de', 'del', 'delete'):
            x = self.add('d', run_dir=d, env=env)
            self.ok(word, x, env=env)
            self.assertFalse(os.path.lexists(os.path.join(d, x)))
        self.assertEqual(self.ok('h'), self.ok('help'))
        # Longer than the word, or not a prefix: unknown.
        self.fails(255, UNKNOWN % 'lists', 'lists')
        self.fails(255, UNKNOWN % 'x', 'x')

    def test_global_options(self):
        d, env = self.own()
        n = self.add('g', run_dir=d, env=env)
        compact = '[{"name":"%s"}]\n' % n
        for opts in (['-j'], ['-json'], ['--json'], ['-js'], ['-jso']):
            with self.subTest(opts=opts):
                self.assertEqual(self.ok(*opts, 'list', env=env), compact)
        # ip's -p layout.
        pretty = '[ {\n        "name": "%s"\n    } ]\n' % n
        for opts in (['-j', '-p'], ['-p', '-j'], ['-json', '-pretty'], ['--json', '--pretty']):
            with self.subTest(opts=opts):
                self.assertEqual(self.ok(*opts, 'list', env=env), pretty)
        self.assertEqual(self.ok('-p', 'list', env=env), n + '\n')  # -p alone: text
        self.assertEqual(self.ok('list', '--json', '--pretty', env=env), pretty)
        # ip's options that change nothing netns prints.
        for opts in (['-4'], ['-6'], ['-d'], ['-s'], ['-o'], ['-r'], ['-t'], ['-N'], ['-br'], ['-iec']):
            with self.subTest(opts=opts):
                self.assertEqual(self.ok(*opts, 'list', env=env), n + '\n')
        # Version: the rest of the line is not read, as ip's -V.
        v = self.ok('version')
        for opts in (['-V'], ['-Version'], ['-Ver'], ['--version'], ['-V', 'bogus', 'x']):
            self.assertEqual(self.ok(*opts), v)
        self.assertEqual(self.json_ok('-j', 'version'), {'version': VERSION, 'libnetns': VERSION})
        # An empty run dir: [] (and none at all: nothing, as ip).
        empty = self.run_dir()
        self.assertEqual(self.ok('-j', 'list', env={'NETNS_RUN_DIR': empty}), '[]\n')
        self.assertEqual(self.ok('-j', '-p', 'list', env={'NETNS_RUN_DIR': empty}), '[ ]\n')
        self.assertEqual(self.ok('-j', 'list', env={'NETNS_RUN_DIR': empty + '/none'}), '')

    def test_short_options_after_operands(self):
        # -j, -p, -q once a command has all its operands (0.4's `list -j`;
        # ip fails or ignores the word there).
        d, env = self.own()
        n = self.add('s', run_dir=d, env=env)
        pid = self.sleeper(n, env=env)
        want = self.ok('-j', 'list', env=env)
        self.assertEqual(self.ok('list', '-j', env=env), want)
        self.assertEqual(self.ok('list', '-j', '-p', env=env), self.ok('-j', '-p', 'list', env=env))
        self.assertEqual(self.ok('identify', '-j', str(pid), env=env), '[{"name":"%s"}]\n' % n)
        self.assertEqual(self.ok('pids', n, '-j', env=env), '[%d]\n' % pid)
        self.assertEqual(self.ok('version', '-j'), self.ok('-j', 'version'))
        r = self.tool.run('del', self.name('q', run_dir=d), '-q', env=env)
        self.assertEqual((r.returncode, r.stderr), (1, ''), describe(r))
        # Where a name goes, -j is the name.
        self.addCleanup(umount_and_remove, os.path.join(d, '-j'))
        self.ok('add', '-j', env=env)
        self.assertEqual(self.ok('pids', '-j', env=env), '')
        self.ok('del', '-j', env=env)
        self.fails(1, EXTRA, 'list', '-x')

    def test_operands_with_dash(self):
        # After the command word a word with one '-' is an operand, as ip
        # reads it; "--" ends the tool's long options.
        d, env = self.own()
        self.add('anchor', run_dir=d, env=env)
        for n in ('-x', '-all', '-j', '-h', '-V', '-'):
            with self.subTest(name=n):
                self.addCleanup(umount_and_remove, os.path.join(d, n))
                self.ok('add', n, env=env)
                self.assertTrue(os.path.lexists(os.path.join(d, n)))
                self.assertIn(n, lines(self.ok('list', env=env)))
                self.assertEqual(self.ok('exec', n, 'readlink', '/proc/self/ns/net', env=env),
                                 'net:[%d]\n' % ns_inode(os.path.join(d, n)))
                self.ok('del', n, env=env)
                self.assertFalse(os.path.lexists(os.path.join(d, n)))
        n = '--long'
        self.addCleanup(umount_and_remove, os.path.join(d, n))
        self.fails(255, UNKNOWN_OPTION % (n, ' add'), 'add', n, env=env)
        self.ok('add', '--', n, env=env)
        self.assertTrue(os.path.lexists(os.path.join(d, n)))
        self.ok('del', '--', n, env=env)
        self.assertFalse(os.path.lexists(os.path.join(d, n)))

    def test_batch(self):
        d, env = self.own()
        a, b, c, e = (self.name(x, run_dir=d) for x in 'abce')
        missing = self.name('missing', run_dir=d)
        f = self.file('batch', '# names\n'
                               'netns add %s\n'
                               'add %s   # without the object word\n'
                               '\n'
                               'net add "%s"\n'
                               'netns exec %s sh -c "echo hi; exit 3"\n'
                               'netns del %s\n'
                               'netns add \\\n  %s\n' % (a, b, c, a, missing, e))
        r = self.tool.run('-batch', f, env=env)
        self.assertEqual((r.returncode, r.stdout), (1, 'hi\n'), describe(r))
        self.assertEqual(r.stderr, 'Command failed %s:6\n' % f)
        self.assertEqual(sorted(os.listdir(d)), sorted([a, b, c]))
        # -force: on after each failure, status 1 at the end.
        self.ok('del', a, env=env)
        r = self.tool.run('-force', '-b', f, env=env)
        self.assertEqual(r.returncode, 1, describe(r))
        self.assertIn('Command failed %s:6\n' % f, r.stderr)
        self.assertIn(CANNOT_REMOVE % (os.path.join(d, missing), ENOENT) + '\nCommand failed %s:7\n' % f,
                      r.stderr)
        self.assertTrue(os.path.lexists(os.path.join(d, e)))  # the continued line
        # A line ip ends with exit(-1) ends the batch with 255, -force or not.
        g = self.name('g', run_dir=d)
        f2 = self.file('batch', 'netns add a/b\nnetns add %s\n' % g)
        for opts in ([], ['-force']):
            r = self.tool.run(*opts, '-b', f2, env=env)
            self.assertEqual((r.returncode, r.stderr), (255, BAD_NAME % 'a/b' + '\n'), describe(r))
            self.assertFalse(os.path.lexists(os.path.join(d, g)))
        # stdin, global options for every line, a line with only "netns".
        r = self.tool.run('-j', '-batch', '-', input='netns list\nnetns\n', env=env)
        self.assertEqual(r.returncode, 0, describe(r))
        doc = r.stdout.splitlines()
        self.assertEqual(len(doc), 2)
        self.assertEqual(json.loads(doc[0]), json.loads(doc[1]))
        self.fails(1, EXTRA, '-b', f, 'list', env=env)

    def test_list_id_filters(self):
        # nsid N: that one; target-nsid T: the ids the namespace with nsid
        # T has, with ours of the same namespace (ip's words and layout).
        a, b, c = self.add('ta'), self.add('tb'), self.add('tc')
        ida, idb = free_nsid(self), None
        self.ok('set', a, str(ida))
        idb = free_nsid(self)
        self.ok('set', b, str(idb))
        # Ids that a gives to b and c (run inside a).
        self.ok('exec', a, self.tool.path, 'set', b, '3')
        self.ok('exec', a, self.tool.path, 'set', c, '4')
        self.assertEqual(self.ok('list-id', 'nsid', str(ida)),
                         'nsid %d (iproute2 netns name: %s)\n' % (ida, a))
        self.assertEqual(self.json_ok('-j', 'list-id', 'nsid', str(ida)), [{'nsid': ida, 'name': a}])
        self.assertEqual(self.ok('list-id', 'target-nsid', str(ida)),
                         'nsid 3 current-nsid %d (iproute2 netns name: %s)\n'
                         'nsid 4 current-nsid unassigned \n' % (idb, b))
        self.assertEqual(self.json_ok('-j', 'list-id', 'target-nsid', str(ida)),
                         [{'nsid': 3, 'current-nsid': idb, 'name': b}, {'nsid': 4}])
        self.assertEqual(self.ok('list-id', 'target-nsid', str(ida), 'nsid', str(idb)),
                         'nsid 3 current-nsid %d (iproute2 netns name: %s)\n' % (idb, b))
        self.assertEqual(self.ok('list-id', 'nsid', str(ida), 'target-nsid', str(ida)),
                         'nsid unassigned current-nsid %d (iproute2 netns name: %s)\n' % (ida, a))
        self.assertEqual(self.ok('list-id', 'target-nsid', str(idb)), '')
        unused = free_nsid(self)
        self.fails(2, 'Error: Peer netns reference is invalid.', 'list-id', 'nsid', str(unused))
        self.fails(1, 'Dump terminated', 'list-id', 'target-nsid', str(unused))
        self.fails(2, 'Error: Invalid target network namespace id.',
                   'list-id', 'target-nsid', str(unused), 'nsid', str(ida))
        # ip's get_integer(): any base.
        self.assertEqual(self.ok('list-id', 'nsid', hex(ida)), self.ok('list-id', 'nsid', str(ida)))

    def test_json_odd_bytes(self):
        # Names that are not UTF-8: valid JSON, each byte that is not part
        # of valid UTF-8 as \udcXX (surrogateescape), so every name comes
        # back exactly.
        d, env = self.own()
        raw = [b'bad\xffname-%d' % os.getpid(), b'q"\\\x01t\xc3\xa9-%d' % os.getpid(),
               b'\xed\xa0\x80x%d' % os.getpid(), b'\xc3(%d' % os.getpid()]
        names = [os.fsdecode(n) for n in raw]
        for n in names:
            self.addCleanup(umount_and_remove, os.path.join(d, n))
            self.ok('add', n, env=env)
        doc = self.json_ok('-j', 'list', env=env)
        got = sorted(e['name'].encode('utf-8', 'surrogateescape') for e in doc)
        self.assertEqual(got, sorted(raw))
        self.assertIn('\\udcff', self.ok('-j', 'list', env=env))
        pid = self.sleeper(names[0], env=env)
        doc = self.json_ok('-j', 'identify', str(pid), env=env)
        self.assertEqual([e['name'].encode('utf-8', 'surrogateescape') for e in doc], [raw[0]])
        nsid = free_nsid(self, env)
        self.ok('set', names[0], str(nsid), env=env)
        doc = [e for e in self.json_ok('-j', 'list-id', env=env) if e.get('nsid') == nsid]
        self.assertEqual([e['name'].encode('utf-8', 'surrogateescape') for e in doc], [raw[0]])
        # monitor: one JSON object per line, the name whole.
        p = self.tool.popen('-j', 'monitor', env=env)
        try:
            out = LineReader(p.stdout)
            for _ in range(100):
                probe = self.add('probe', run_dir=d, env=env)
                self.ok('del', probe, env=env)
                if out.line(0.2) is not None:
                    break
            self.ok('del', names[1], env=env)
            while True:
                line = out.line(5)
                self.assertIsNotNone(line)
                check_json_tool(self, line)
                e = json.loads(line)
                if e['name'].encode('utf-8', 'surrogateescape') == raw[1]:
                    self.assertEqual(e['event'], 'delete')
                    break
            p.send_signal(signal.SIGTERM)
            self.assertEqual(p.wait(timeout=TIMEOUT), -signal.SIGTERM)  # as ip
        finally:
            kill_quietly(p)


class TestMonitor(Case):
    def monitor(self, sig, json_mode):
        anchor = self.add('anchor')  # the run dir exists
        args = ['monitor', '--json'] if json_mode else ['monitor']
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
            # As ip: the tool dies of the signal, its output written out.
            p.send_signal(sig)
            self.assertEqual(p.wait(timeout=TIMEOUT), -sig)
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

    def test_monitor_in_batch(self):
        # SIGINT ends a batch's monitor line and the batch with it, as ip's
        # batch (one process) dies of it: the next line does not run.
        a = self.add('mb')
        f = self.file('batch', 'monitor\nexec %s echo after\n' % a)
        p = self.tool.popen('-b', f)
        try:
            out = LineReader(p.stdout)
            for _ in range(100):
                probe = self.add('probe')
                self.ok('del', probe)
                if out.line(0.2) is not None:
                    break
            else:
                self.fail('monitor printed nothing')
            p.send_signal(signal.SIGINT)
            self.assertEqual(p.wait(timeout=TIMEOUT), -signal.SIGINT)
            rest = [l for l in p.stdout.read().decode().splitlines() if not l.startswith(('add ', 'delete '))]
            self.assertEqual(rest, [])
            self.assertEqual(p.stderr.read(), b'')
        finally:
            kill_quietly(p)


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
        f = self.file('a-file', '')
        plain = self.file('not-executable', '#!/bin/sh\n')
        table = [
            # (args, exit code, stderr's last line or a regex); statuses
            # and words are ip's, measured against iproute2 6.1.
            (['bogus'], 255, UNKNOWN % 'bogus'),
            (['bogus', 'x'], 255, UNKNOWN % 'bogus'),
            (['bogus', 'a/b'], 255, BAD_NAME % 'a/b'),  # ip checks the name first
            # ip's words: the word without its second '-', try "ip -help".
            (['--bogus', 'list'], 255, 'Option "-bogus" is unknown, try "netns -help".'),
            (['list', '--bogus'], 255, UNKNOWN_OPTION % ('--bogus', ' list')),
            (['-Z', 'list'], 255, 'Option "-Z" is unknown, try "netns -help".'),
            (['-n', 'clitest-nosuch', 'list'], 255,
             'Cannot open network namespace "clitest-nosuch": No such file or directory'),
            (['-n'], 255, 'Command line is not complete. Try option "help"'),
            (['-color=bogus', 'list'], 255, 'Option "-color=bogus" is unknown, try "netns -help".'),
            (['-f', 'inet', 'list'], 255, 'Option "-f" (ip\'s "-family") is not supported by netns.'),
            (['--run-dir'], 255, NEEDS_VALUE % '--run-dir'),
            (['-b'], 255, NEEDS_VALUE % '-b'),
            (['-batch', '/nonexistent/file'], 1,
             'Cannot open file "/nonexistent/file" for reading: No such file or directory'),
            (['add'], 1, NO_NAME),
            (['del'], 1, NO_NAME),
            (['exec'], 1, NO_NAME),
            (['pids'], 1, NO_NAME),
            (['attach'], 1, NO_NAME_PID),
            (['attach', 'newname'], 1, NO_NAME_PID),
            (['set'], 1, NO_NAME),
            (['exec', a], 1, NO_CMD),
            (['exec', '--pid', str(pid)], 1, NO_CMD),
            (['set', a], 1, NO_NSID),
            (['add', 'n1', 'x'], 1, EXTRA),
            (['list', 'x'], 1, EXTRA),
            (['pids', a, 'x'], 1, EXTRA),
            (['identify', str(pid), 'x'], 1, EXTRA),
            (['attach', 'n2', str(pid), 'x'], 1, EXTRA),
            (['set', a, '5', 'x'], 1, EXTRA),
            (['del', a, 'x'], 1, EXTRA),
            (['monitor', 'x'], 1, EXTRA),
            (['version', 'x'], 1, EXTRA),
            (['del', '--all', 'x'], 1, EXTRA),
            (['-all', 'del', 'x'], 1, EXTRA),
            (['list-id', 'x'], 255, 'NETNSID := auto | POSITIVE-INT'),
            (['list-id', 'nsid'], 255, 'Command line is not complete. Try option "help"'),
            (['list-id', 'nsid', 'x'], 255, 'Error: argument "x" is wrong: "nsid" value is invalid'),
            (['list-id', 'nsid', '-1'], 255, 'Error: argument "-1" is wrong: "nsid" value should be >= 0'),
            (['list-id', 'nsid', '1', 'nsid', '2'], 255,
             'Error: duplicate "nsid": "nsid" is the second value.'),
            (['list-id', 'target-nsid', '2147483648'], 255,
             'Error: argument "2147483648" is wrong: "target-nsid" value is invalid'),
            (['attach', 'n3', 'x'], 1, BAD_ATTACH_PID % 'x'),
            (['attach', 'n3', '5x'], 1, BAD_ATTACH_PID % '5x'),
            (['attach', 'n3', '-5'], 1, BAD_ATTACH_PID % '-5'),
            (['identify', 'x'], 1, NOT_A_PID % 'x'),
            (['identify', '12abc'], 1, NOT_A_PID % '12abc'),
            (['exec', '--pid', 'x', 'true'], 255, BAD_PID % 'x'),
            (['set', a, 'x'], 255, BAD_NSID % 'x'),
            (['exec', '--pid', str(pid), '--path', '/proc/1/ns/net', 'true'], 255,
             ONLY_ONE),
            (['exec', '--path', '/proc/1/ns/net', '--docker', 'abc', 'true'], 255,
             ONLY_ONE),
            (['add', 'a/b'], 255, BAD_NAME % 'a/b'),
            (['add', '.'], 255, BAD_NAME % '.'),
            (['add', '..'], 255, BAD_NAME % '..'),
            (['add', ''], 255, BAD_NAME % ''),
            (['add', long_name], 255, BAD_NAME % long_name),
            (['add', '--', 'a/b'], 255, BAD_NAME % 'a/b'),
            (['del', 'a/b'], 255, BAD_NAME % 'a/b'),
            (['exec', 'a/b', 'true'], 255, BAD_NAME % 'a/b'),
            (['pids', long_name], 255, BAD_NAME % long_name),
            (['attach', '../x', str(pid)], 255, BAD_NAME % '../x'),
            (['set', 'a/b', '5'], 255, BAD_NAME % 'a/b'),
            (['list', 'a/b'], 255, BAD_NAME % 'a/b'),
            (['identify', ''], 255, BAD_NAME % ''),
            (['del', 'nosuch'], 1, CANNOT_REMOVE % (d + '/nosuch', ENOENT)),
            (['exec', 'nosuch', 'true'], 255, CANNOT_OPEN % ('nosuch', ENOENT)),
            (['pids', 'nosuch'], 1, CANNOT_OPEN_IP % ENOENT),
            (['set', 'nosuch', '5'], 1, CANNOT_OPEN % ('nosuch', ENOENT)),
            (['add', a], 1, re.compile(r'^Cannot create namespace file "%s/%s": File exists\n$' % (d, a))),
            (['identify', str(g)], 1, CANNOT_OPEN_IP % ENOENT),
            (['exec', '--pid', str(g), 'true'], 255, CANNOT_OPEN_PID % (g, ESRCH)),
            (['attach', 'n4', str(g)], 1,
             re.compile(r'^Bind /proc/%d/ns/net -> .*/n4 failed: %s\n$' % (g, ENOENT))),
            (['exec', '--path', '/nonexistent', 'true'], 255, CANNOT_OPEN % ('/nonexistent', ENOENT)),
            (['exec', '--path', f, 'true'], 255, '"%s" is not a network namespace' % f),
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
        self.assertEqual(self.ok('exec', '--quiet', a, 'echo', 'hi'), 'hi\n')

    def test_rootless_runtime_dir_refused(self):
        # Never a fallback to the host's run dir: one line that says why
        # and what to set (an unset $XDG_RUNTIME_DIR has a fallback of its
        # own: test_rootless.py, test_holder.py).
        why = ('Rootless mode cannot use "rel" ($XDG_RUNTIME_DIR): not an absolute path; '
               'set XDG_RUNTIME_DIR to a directory of uid %d with mode 0700, or unset it' % os.getuid())
        self.fails(1, why, '--rootless', 'list', env={'XDG_RUNTIME_DIR': 'rel'})
        self.fails(1, why, '--rootless', 'add', unique('r'), env={'XDG_RUNTIME_DIR': 'rel'})


if __name__ == '__main__':
    main(setup)
