# SPDX-License-Identifier: Apache-2.0
"""`netns exec` runs the command in place (issue 16, "Tests"): the command
has the tool's pid (`$!`, pidfiles, `kill` and `wait` reach it), SIGKILL to
it leaves nothing behind, execvp's rules (PATH, /bin/sh for a file without
`#!`), stdio, environment, exit status and signal state pass through as with
`ip netns exec`, `-all exec` goes on after a namespace it cannot enter as ip
does, and `exec --pid/--path/--docker` exec in place too.

What ip does is measured by running /usr/sbin/ip side by side, never
written down here. Runs inside tests/support/sandbox-exec (private /run; as
an ordinary user, root in a fresh user+mount+net namespace).
Usage: test_exec.py NETNS_TOOL"""

import os
import select
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import (TIMEOUT, FakeDocker, Tool, ToolCase, describe, kill_quietly, main,  # noqa: E402
                     ns_inode, unique, wait_gone)

IP = '/usr/sbin/ip'
RUN_DIR = '/run/netns'
ENV = {'PATH': '/usr/sbin:/usr/bin:/sbin:/bin', 'LC_ALL': 'C', 'HOME': '/',
       'COMPAT_VAR': 'two words', 'EMPTY_VAR': ''}


def setup(argv):
    if len(argv) != 1:
        sys.exit('usage: test_exec.py NETNS_TOOL')
    if os.environ.get('NETNS_TEST_IN_SANDBOX') != '1':
        sys.exit('test_exec.py runs inside tests/support/sandbox-exec only')
    if not os.access(IP, os.X_OK):
        print('SKIP: %s is not installed (the reference to compare with)' % IP)
        sys.exit(77)
    ToolCase.tool = Tool(os.path.abspath(argv[0]), ENV)


def run(argv, input=None, env=None, timeout=TIMEOUT):
    return subprocess.run(argv, input=input, env=env or ENV, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL if input is None else None, timeout=timeout)


def cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return f.read().split(b'\0')[:-1]
    except OSError:
        return None


def wait_cmdline(pid, want, timeout=5.0):
    """Waits until process `pid` runs `want` (a list of bytes): the tool
    has exec'd it in place."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = cmdline(pid)
        if got == want:
            return got
        # Gone or a zombie: it will not become `want`. (An empty cmdline
        # alone is no sign: it reads so for a moment during execve.)
        try:
            with open('/proc/%d/stat' % pid) as f:
                if f.read().rsplit(')', 1)[1].split()[0] in ('Z', 'X'):
                    return got
        except OSError:
            return got
        time.sleep(0.01)
    return cmdline(pid)


def pids_in(ino):
    """Every process whose network namespace is `ino`."""
    out = []
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                if os.stat('/proc/%s/ns/net' % d).st_ino == ino:
                    out.append(int(d))
            except OSError:
                pass
    return out


def kill_in(path):
    """SIGKILLs every process in the namespace at `path` (what a broken
    tool may have left there)."""
    try:
        ino = ns_inode(path)
    except OSError:
        return
    kill_in_ino(ino)


def kill_in_ino(ino):
    for pid in pids_in(ino):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pid in pids_in(ino):
        wait_gone(pid)


def unmount_remove(path):
    subprocess.run(['umount', '-l', path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        os.unlink(path)
    except OSError:
        pass


class Case(ToolCase):
    def setUp(self):
        self.procs = []

    def add(self, label='x'):
        """A name made by ip (the reference), removed after the test."""
        n = unique(label)
        self.addCleanup(unmount_remove, os.path.join(RUN_DIR, n))
        self.addCleanup(kill_in, os.path.join(RUN_DIR, n))
        r = run([IP, 'netns', 'add', n])
        self.assertEqual(r.returncode, 0, describe(r))
        return n

    def popen(self, argv, env=None, **kw):
        kw.setdefault('stdin', subprocess.DEVNULL)
        kw.setdefault('stdout', subprocess.PIPE)
        kw.setdefault('stderr', subprocess.PIPE)
        p = subprocess.Popen(argv, env=dict(ENV, **(env or {})), **kw)
        self.addCleanup(kill_quietly, p)
        return p

    def both(self, args, input=None, env=None):
        """`ip netns ARGS` and `netns ARGS`: (ip's result, the tool's)."""
        a = run([IP, 'netns'] + list(args), input=input, env=env)
        b = run([self.tool.path] + list(args), input=input, env=env)
        return a, b

    def same(self, args, input=None, env=None, stderr=True, key=lambda out: out):
        """Asserts the same stdout (as `key` sees it), exit status and
        stderr from ip and the tool; returns the tool's result."""
        a, b = self.both(args, input, env)
        what = 'netns %r\n-- ip:\n%s\n-- netns:\n%s' % (args, describe(a), describe(b))
        self.assertEqual(b.returncode, a.returncode, what)
        self.assertEqual(key(b.stdout), key(a.stdout), what)
        if stderr:
            self.assertEqual(b.stderr, a.stderr, what)
        return b


class TestInPlace(Case):
    def in_place(self, argv, target_ino, env=None):
        """Starts the tool with `argv` (which execs `sleep 30`): the process
        Popen made becomes sleep, in the namespace `target_ino`; SIGKILL to
        that pid leaves no process behind."""
        p = self.popen([self.tool.path] + argv, env=env)
        got = wait_cmdline(p.pid, [b'sleep', b'30'])
        if got != [b'sleep', b'30']:
            p.kill()
            p.wait(timeout=TIMEOUT)
            # A tool that spawned the command orphans it, and the orphan keeps
            # our pipes open: kill it, read what stderr has, do not wait on EOF.
            time.sleep(0.2)
            kill_in_ino(target_ino)
            err = b''
            if select.select([p.stderr], [], [], 1.0)[0]:
                err = os.read(p.stderr.fileno(), 65536)
            self.fail('pid %d (the tool started as netns %r) runs %r, not sleep 30: exit %s, %r'
                      % (p.pid, argv, got, p.returncode, err))
        self.assertEqual(ns_inode('/proc/%d/ns/net' % p.pid), target_ino)
        # One process, one thread: nothing stays behind to forward signals.
        self.assertEqual(os.listdir('/proc/%d/task' % p.pid), [str(p.pid)])
        kids = [d for d in os.listdir('/proc') if d.isdigit() and self.ppid(int(d)) == p.pid]
        self.assertEqual(kids, [], 'the command has children: %r' % kids)
        os.kill(p.pid, signal.SIGKILL)
        self.assertEqual(p.wait(timeout=TIMEOUT), -signal.SIGKILL)
        self.assertTrue(wait_gone(p.pid))
        return p

    @staticmethod
    def ppid(pid):
        try:
            with open('/proc/%d/stat' % pid) as f:
                return int(f.read().rsplit(')', 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return None

    def test_bang_pid_is_the_command(self):
        n = self.add('inplace')
        ino = ns_inode(os.path.join(RUN_DIR, n))
        self.in_place(['exec', n, 'sleep', '30'], ino)
        self.assertEqual(pids_in(ino), [], 'a process is left in %s' % n)

    def test_shell_sees_its_pid(self):
        # `$$` of the command is the pid its parent started: no process in
        # between, the parent is the caller.
        n = self.add('pid')
        p = self.popen([self.tool.path, 'exec', n, 'sh', '-c', 'echo $$ $PPID'])
        out, err = p.communicate(timeout=TIMEOUT)
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(out.decode().split(), [str(p.pid), str(os.getpid())])

    def test_sigterm_reaches_the_command(self):
        n = self.add('term')
        p = self.popen([self.tool.path, 'exec', n, 'sh', '-c',
                        'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.05; done'])
        self.assertEqual(p.stdout.readline(), b'ready\n')
        os.kill(p.pid, signal.SIGTERM)
        out, _ = p.communicate(timeout=TIMEOUT)
        self.assertEqual((p.returncode, out), (7, b'got-term\n'))

    def test_exec_pid_in_place(self):
        n = self.add('bypid')
        ino = ns_inode(os.path.join(RUN_DIR, n))
        holder = self.holder(n)
        self.in_place(['exec', '--pid', str(holder.pid), 'sleep', '30'], ino)
        self.assertEqual(pids_in(ino), [holder.pid])

    def holder(self, n):
        """A process in `n` (ip's exec: in place too): its Popen."""
        ino = ns_inode(os.path.join(RUN_DIR, n))
        holder = self.popen([IP, 'netns', 'exec', n, 'sleep', '60'])
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end and ns_inode('/proc/%d/ns/net' % holder.pid) != ino:
            time.sleep(0.01)
        return holder

    def test_exec_docker_in_place(self):
        n = self.add('bydocker')
        ino = ns_inode(os.path.join(RUN_DIR, n))
        holder = self.holder(n)
        sock = os.path.join(os.environ.get('TMPDIR', '/run/tmp'), unique('docker') + '.sock')
        cid = '5e77be0a1c3f%08d' % (os.getpid() % 10 ** 8)
        daemon = FakeDocker(sock, {cid: holder.pid})
        self.addCleanup(daemon.close)
        self.in_place(['exec', '--docker', cid, 'sleep', '30'], ino,
                      env={'DOCKER_HOST': 'unix://' + sock})
        self.assertEqual(pids_in(ino), [holder.pid])

    def test_exec_path_in_place(self):
        n = self.add('bypath')
        path = os.path.join(RUN_DIR, n)
        self.in_place(['exec', '--path', path, 'sleep', '30'], ns_inode(path))


class TestExecvpRules(Case):
    def script(self, body, name='compat-noshebang'):
        d = os.path.join(os.environ.get('TMPDIR', '/run/tmp'), unique('bin'))
        os.mkdir(d)
        self.addCleanup(lambda: (os.unlink(os.path.join(d, name)), os.rmdir(d)))
        path = os.path.join(d, name)
        with open(path, 'w') as f:
            f.write(body)
        os.chmod(path, 0o755)
        return d, path

    def test_script_without_shebang(self):
        n = self.add('sh')
        _, path = self.script('echo "no shebang: $# $1"\nexit 5\n')
        r = self.same(['exec', n, path, 'arg one'])
        self.assertEqual((r.returncode, r.stdout), (5, b'no shebang: 1 arg one\n'))

    def test_script_without_shebang_by_path_search(self):
        n = self.add('shp')
        d, _ = self.script('echo found-by-path\n')
        env = dict(ENV, PATH=d + ':' + ENV['PATH'])
        r = self.same(['exec', n, 'compat-noshebang'], env=env)
        self.assertEqual((r.returncode, r.stdout), (0, b'found-by-path\n'))

    def test_path_search(self):
        n = self.add('path')
        r = self.same(['exec', n, 'ip', '-o', 'link', 'show', 'lo'])
        self.assertIn(b'lo:', r.stdout)


class TestPassThrough(Case):
    def test_stdin_stdout_stderr(self):
        n = self.add('stdio')
        r = self.same(['exec', n, 'sh', '-c', 'cat; echo to-err >&2; echo to-out'],
                      input=b'line 1\nline 2\n')
        self.assertEqual((r.stdout, r.stderr), (b'line 1\nline 2\nto-out\n', b'to-err\n'))

    def test_environment(self):
        n = self.add('env')
        # (The order is not compared: nothing may rely on it.)
        r = self.same(['exec', n, 'env'], key=lambda out: sorted(out.splitlines()))
        self.assertEqual(sorted(r.stdout.decode().splitlines()),
                         sorted('%s=%s' % kv for kv in ENV.items()))

    def test_exit_status(self):
        n = self.add('status')
        for code in (0, 1, 2, 42, 126, 127, 255):
            with self.subTest(code=code):
                r = self.same(['exec', n, 'sh', '-c', 'exit %d' % code])
                self.assertEqual(r.returncode, code)

    def test_killed_by_signal(self):
        # In place, a command killed by a signal is the tool killed by it.
        n = self.add('sig')
        for sig in (signal.SIGTERM, signal.SIGKILL, signal.SIGSEGV):
            with self.subTest(sig=sig):
                r = self.same(['exec', n, 'sh', '-c', 'kill -%d $$' % sig])
                self.assertEqual(r.returncode, -sig)

    def test_signal_state(self):
        # Blocked and ignored signals as ip leaves them (the tool's own
        # handling undone before the exec).
        n = self.add('mask')
        r = self.same(['exec', n, 'grep', '-E', '^Sig(Blk|Ign|Cgt):', '/proc/self/status'])
        self.assertIn(b'SigBlk:\t0000000000000000', r.stdout)

    def test_fds(self):
        # No descriptor of the tool's reaches the command.
        n = self.add('fds')
        r = self.same(['exec', n, 'sh', '-c', 'ls /proc/$$/fd'])
        self.assertEqual(r.stdout.split(), [b'0', b'1', b'2'])

    def test_in_the_namespace(self):
        n = self.add('where')
        r = self.same(['exec', n, 'ip', 'netns', 'identify'])
        self.assertEqual(r.stdout, n.encode() + b'\n')
        # A fresh /sys for the namespace, as ip mounts it.
        r = self.same(['exec', n, 'ls', '/sys/class/net'])
        self.assertEqual(r.stdout, b'lo\n')


ALL_SCRIPT = r'''
set -e
mount -t tmpfs compat-exec /run
mkdir -p /run/netns
ip netns add c
ip netns add b
ip netns add a
: > /run/netns/b-stale
set +e
"$@"
echo "exit=$?"
ls /run/netns
'''


class TestAllExec(Case):
    """-all exec in a run dir of its own (a private mount and network
    namespace with a tmpfs on /run): a, b, c and a stale b-stale between
    them."""

    def all_exec(self, prog_args):
        return run(['unshare', '--mount', '--net', '--propagation', 'private', 'sh', '-c', ALL_SCRIPT,
                    'sh'] + prog_args)

    def test_goes_on_after_a_failing_namespace(self):
        cmd = ['exec', 'sh', '-c', 'echo "in $(ip netns identify)"; exit 3']
        a = self.all_exec([IP, '-all', 'netns'] + cmd)
        b = self.all_exec([self.tool.path, '-all'] + cmd)
        what = '-- ip:\n%s\n-- netns:\n%s' % (describe(a), describe(b))
        for r in (a, b):
            self.assertIn(b'exit=', r.stdout, what)
        # The exit status, and that every namespace that can be entered ran
        # its command (once: ip's child that failed to enter b-stale goes on
        # with the rest of ip's loop, a bug the tool does not copy).
        status = lambda r: r.stdout.rsplit(b'exit=', 1)[1].split(b'\n')[0]
        self.assertEqual(status(b), status(a), what)
        blocks = lambda r: [x for x in r.stdout.rsplit(b'exit=', 1)[0].split(b'\nnetns: ') if x]
        want = sorted(set(blocks(a)))
        self.assertEqual(sorted(blocks(b)), want, what)
        for n in (b'a', b'b', b'c'):
            self.assertIn(n + b'\nin ' + n + b'\n', want, what)
        self.assertIn(b'b-stale\n', want, what)
        self.assertIn(b'b-stale', b.stderr, what)

    def test_every_namespace(self):
        cmd = ['exec', 'echo', 'hi']
        a = self.all_exec([IP, '-all', 'netns'] + cmd)
        b = self.all_exec([self.tool.path, '-all'] + cmd)
        # Without the stale entry's repeat, ip's output is the tool's.
        self.assertEqual(b.returncode, 0, describe(b))
        self.assertTrue(b.stdout.startswith(b'\nnetns: '), describe(b))
        self.assertEqual(b.stdout.count(b'\nnetns: a\nhi\n'), 1, describe(b))
        self.assertEqual(b.stdout.count(b'\nnetns: b\nhi\n'), 1, describe(b))
        self.assertEqual(b.stdout.count(b'\nnetns: c\nhi\n'), 1, describe(b))
        self.assertIn(b'\nnetns: a\nhi\n', a.stdout)


if __name__ == '__main__':
    main(setup)
