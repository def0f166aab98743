# SPDX-License-Identifier: Apache-2.0
"""The `netns` tool rootless (issue 10, "Rootless"): an ordinary user's
names, kept by the per-user holder process, outlive the command; the holder
exits after the last `del`. test_holder.py builds on the helpers here.

Runs OUTSIDE the sandbox, as an ordinary user: when the suite runs as root,
the tool runs as uid 65534 through setpriv; otherwise as the caller. Each
test has a fresh $XDG_RUNTIME_DIR (so a fresh holder), and kills a holder
left behind by a failure. Exit 77 where user namespaces are unavailable.
Usage: test_rootless.py NETNS_TOOL"""

import atexit
import ctypes
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import (TIMEOUT, LineReader, Tool, ToolCase, check_json_tool, comm,  # noqa: E402
                     describe, have, kill_quietly, main, ns_inode, stat_fields, unique, wait_gone)

NOBODY = 65534
UID = NOBODY  # who runs the tool (set by setup)
HOLDER = 'netns-holder'
PR_SET_CHILD_SUBREAPER = 36
PREFIX = []
BASE_ENV = {}


def setup(argv):
    global PREFIX, BASE_ENV, UID
    if len(argv) != 1:
        sys.exit('usage: %s NETNS_TOOL' % os.path.basename(sys.argv[0]))
    if os.geteuid() == 0:
        PREFIX = ['setpriv', '--reuid=%d' % NOBODY, '--regid=%d' % NOBODY, '--clear-groups']
    else:
        UID = os.getuid()
    # The holders our tools start become our children when the tools exit,
    # so that we reap them (a pid 1 that does not would keep them as
    # zombies) and can leave them unreaped on purpose.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit('prctl(PR_SET_CHILD_SUBREAPER): %s' % os.strerror(ctypes.get_errno()))
    # Can this user make a user namespace at all? If not: skip, saying why.
    if have('unshare'):
        r = subprocess.run(PREFIX + ['unshare', '--user', '--map-root-user', 'true'],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)
        if r.returncode != 0:
            print('SKIP: %s cannot create a user namespace (%s); check '
                  'kernel.unprivileged_userns_clone and user.max_user_namespaces'
                  % ('uid %d' % NOBODY if PREFIX else 'this user', r.stdout.strip()))
            sys.exit(77)
    tool = os.path.abspath(argv[0])
    if PREFIX and subprocess.run(PREFIX + ['test', '-x', tool]).returncode != 0:
        tool = copy_tool(tool)
    env = dict(os.environ)
    for var in ('NETNS_RUN_DIR', 'DOCKER_HOST', 'XDG_RUNTIME_DIR', 'NETNS_TEST_IN_SANDBOX', 'TMPDIR'):
        env.pop(var, None)
    if PREFIX:
        # uid 65534's view: no root-only PATH entries (execvp reports EACCES,
        # not ENOENT, when a PATH dir is unreadable), HOME it may read.
        env['HOME'] = '/'
        env['PATH'] = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    BASE_ENV = env
    ToolCase.tool = Tool(tool, env, PREFIX)


def give(path):
    """Makes `path` the tool's user's (uid 65534 when we run as root)."""
    if PREFIX:
        os.chown(path, NOBODY, NOBODY, follow_symlinks=False)


def user_dir(prefix):
    """A new directory of the tool's user with mode 0700: a runtime dir."""
    d = tempfile.mkdtemp(prefix=prefix, dir='/tmp' if PREFIX else None)
    give(d)
    os.chmod(d, 0o700)
    return d


def proc_stat(pid):
    """(state, ppid) of a process, or None when it is gone."""
    fields = stat_fields(pid)
    return (fields[0], int(fields[1])) if fields else None


def holders_in(top):
    """The running (not zombie) holders whose tmpfs is under `top`: those of
    a runtime dir of this test, whatever the pid file says."""
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        pid = int(entry)
        st = proc_stat(pid)
        if st is None or st[0] in ('Z', 'X') or comm(pid) != HOLDER:
            continue
        try:
            with open('/proc/%d/mountinfo' % pid) as f:
                mounts = [line.split()[4] for line in f]
        except (OSError, IndexError):
            continue
        if any(m.startswith(top.rstrip('/') + '/') for m in mounts):
            found.append(pid)
    return found


def reap_holders():
    """Reaps the dead holders that became our children (as subreaper)."""
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            st = proc_stat(int(entry))
            if st and st[0] == 'Z' and st[1] == os.getpid() and comm(int(entry)) == HOLDER:
                try:
                    os.waitpid(int(entry), os.WNOHANG)
                except ChildProcessError:
                    pass


def kill_holders(top):
    """Kills every holder of a runtime dir under `top`, and reaps it."""
    for pid in holders_in(top):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        wait_gone(pid)
    reap_holders()


def copy_tool(tool):
    """A build uid 65534 cannot reach (say, under /root): the tool and
    libnetns.so copied where it can, in the same layout (RUNPATH
    $ORIGIN/../capi)."""
    build = os.path.dirname(os.path.dirname(tool))
    top = tempfile.mkdtemp(prefix='clitest-tool-', dir='/tmp')
    atexit.register(shutil.rmtree, top, True)
    os.chmod(top, 0o755)
    for sub, names in (('cli', [os.path.basename(tool)]),
                       ('capi', [n for n in os.listdir(os.path.join(build, 'capi'))
                                 if n.startswith('libnetns.so') and not n.endswith('.p')])):
        os.mkdir(os.path.join(top, sub), 0o755)
        for n in names:
            shutil.copy2(os.path.join(build, sub, n), os.path.join(top, sub, n), follow_symlinks=False)
    return os.path.join(top, 'cli', os.path.basename(tool))


class Case(ToolCase):
    def setUp(self):
        # A fresh runtime dir owned by the user who runs the tool.
        self.xdg = user_dir('clitest-xdg-')
        self.addCleanup(self.cleanup_xdg)
        env = dict(BASE_ENV, XDG_RUNTIME_DIR=self.xdg)
        self.tool = Tool(ToolCase.tool.path, env, PREFIX)
        self.holder_seen = None

    def cleanup_xdg(self):
        # A holder left by a failed test: kill it (it is ours: the dir is new).
        kill_holders(self.xdg)
        shutil.rmtree(self.xdg, ignore_errors=True)

    def lock(self, timeout=TIMEOUT):
        """Takes $XDG_RUNTIME_DIR/netns.lock as the tool does (a context
        manager): no holder is being started or stopped meanwhile."""
        test = self

        class Lock:
            def __enter__(self):
                try:
                    self.fd = os.open(os.path.join(test.xdg, 'netns.lock'), os.O_RDONLY | os.O_CLOEXEC)
                except FileNotFoundError:  # no command got that far
                    self.fd = os.open('/dev/null', os.O_RDONLY | os.O_CLOEXEC)
                end = time.monotonic() + timeout
                while True:
                    try:
                        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        return self
                    except BlockingIOError:
                        if time.monotonic() > end:
                            os.close(self.fd)
                            test.fail('netns.lock is still held after %d s' % timeout)
                        time.sleep(0.01)

            def __exit__(self, *exc):
                os.close(self.fd)

        return Lock()

    def holder_pid(self, xdg=None):
        try:
            with open(os.path.join(xdg or self.xdg, 'netns.holder')) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def holder(self, xdg=None):
        """The running holder's pid (asserts it runs, with its name, and is
        the only one of this runtime dir)."""
        xdg = xdg or self.xdg
        pid = self.holder_pid(xdg)
        self.assertIsNotNone(pid, 'no %s/netns.holder' % xdg)
        self.assertEqual(comm(pid), HOLDER)
        self.assertEqual(holders_in(xdg), [pid])
        self.holder_seen = pid
        return pid

    def assert_no_holder(self, pid=None):
        pid = pid or self.holder_pid()
        if pid is not None:
            self.assertTrue(wait_gone(pid), 'the holder %d still runs' % pid)


class TestRootless(Case):
    def test_names_outlive_the_command(self):
        a, b = unique('a'), unique('b')
        self.assertEqual(self.ok('add', a), '')
        holder = self.holder()
        self.assertEqual(self.ok('add', b), '')
        self.assertEqual(self.holder(), holder)  # one holder per user
        # Later commands see the names: list, list -j.
        self.assertEqual(self.ok('list'), '%s\n%s\n' % tuple(sorted([a, b])))
        doc = self.json_ok('list', '-j')
        self.assertEqual([e['name'] for e in doc], sorted([a, b]))
        # Names are private to the user: not in the host's run dir.
        self.assertFalse(os.path.lexists(os.path.join('/run/netns', a)))
        # exec: the same namespace every time, not ours, a fresh /sys.
        first = self.ok('exec', a, 'readlink', '/proc/self/ns/net')
        self.assertEqual(self.ok('exec', a, 'readlink', '/proc/self/ns/net'), first)
        self.assertNotEqual(first, 'net:[%d]\n' % ns_inode('/proc/self/ns/net'))
        self.assertNotEqual(self.ok('exec', b, 'readlink', '/proc/self/ns/net'), first)
        self.assertEqual(self.ok('exec', a, 'ls', '/sys/class/net'), 'lo\n')
        # The holder stays while a name is left, and goes after the last.
        self.assertEqual(self.ok('del', a), '')
        self.assertEqual(comm(holder), 'netns-holder')
        self.assertEqual(self.ok('list'), b + '\n')
        self.assertEqual(self.ok('del', b), '')
        self.assert_no_holder(holder)
        self.assertEqual(self.ok('list'), '')

    def test_rootless_option(self):
        a = unique('opt')
        self.ok('--rootless', 'add', a)
        holder = self.holder()
        self.assertEqual(self.ok('list', '--rootless'), a + '\n')
        self.assertEqual(self.ok('--rootless', 'exec', a, 'echo', 'hi'), 'hi\n')
        self.ok('--rootless', 'del', a)
        self.assert_no_holder(holder)

    def test_del_all(self):
        names = [unique('all') for _ in range(3)]
        for n in names:
            self.ok('add', n)
        holder = self.holder()
        self.ok('del', '--all')
        self.assertEqual(self.ok('list'), '')
        self.assert_no_holder(holder)

    def test_no_holder(self):
        n = unique('none')
        self.assertEqual(self.ok('list'), '')
        self.assertEqual(self.json_ok('list', '-j'), [])
        self.fails(1, 'Cannot remove namespace file "%s/netns/%s": No such file or directory' % (self.xdg, n),
                   'del', n)
        # ip's statuses: exec's namespace cannot be entered, 255; pids, 1.
        self.fails(255, 'Cannot open network namespace "%s": No such file or directory' % n,
                   'exec', n, 'true')
        self.fails(1, 'Cannot open network namespace: No such file or directory', 'pids', n)
        self.assert_no_holder()

    def test_bad_name_leaves_no_holder(self):
        # ip's exit(-1) for a bad name: 255.
        self.fails(255, 'Invalid netns name "a/b"', 'add', 'a/b')
        self.fails(255, 'Invalid netns name "%s"' % ('x' * 256), 'add', 'x' * 256)
        self.assert_no_holder()
        self.assertEqual(self.ok('list'), '')

    def test_without_xdg_runtime_dir(self):
        # netns(8): $XDG_RUNTIME_DIR unset (sudo -u, su, setpriv, cron):
        # /run/user/UID when it is the user's (test_holder.py), else
        # $TMPDIR/netns-UID; never the host's /run/netns.
        fallback = os.path.join(self.xdg, 'netns-%d' % UID)
        env = {'TMPDIR': self.xdg}
        for extra in ([], ['--rootless']):
            name = unique('fb')
            self.assertEqual(self.ok(*extra, 'add', name, env=env, unset=['XDG_RUNTIME_DIR']), '')
            self.assertFalse(os.path.lexists(os.path.join('/run/netns', name)))
            st = os.lstat(fallback)
            self.assertEqual((st.st_uid, oct(st.st_mode)), (UID, oct(0o40700)))
            holder = self.holder(fallback)
            self.assertEqual(self.ok(*extra, 'list', env=env, unset=['XDG_RUNTIME_DIR']), name + '\n')
            self.assertEqual(self.ok(*extra, 'exec', name, 'sh', '-c', 'echo $NETNS_RUN_DIR', env=env,
                                     unset=['XDG_RUNTIME_DIR']), fallback + '/netns\n')
            self.assertEqual(self.ok(*extra, 'del', name, env=env, unset=['XDG_RUNTIME_DIR']), '')
            self.assert_no_holder(holder)

    def test_batch(self):
        # -b: every line in the holder's namespaces and run dir, the first
        # line (which finds no holder) as well as those after the add that
        # starts it; exec lines fork there; the holder stops at the end of
        # the batch when its last name went, not at the del (a later line
        # may add one again).
        a, b, c = unique('ba'), unique('bb'), unique('bc')
        pid_file = os.path.join(self.xdg, 'netns.holder')
        script = ('list -j\n'
                  'add %s\n'
                  'netns add %s\n'
                  'list\n'
                  "exec %s sh -c 'echo $NETNS_RUN_DIR'\n"
                  'exec %s readlink /proc/self/ns/net\n'
                  'exec %s readlink /proc/self/ns/net\n'
                  'exec %s cat %s\n'
                  'del %s\n'
                  'del %s\n'
                  'list\n') % (a, b, a, a, b, a, pid_file, a, b)
        r = self.tool.run('-b', '-', input=script)
        self.assertEqual((r.returncode, r.stderr), (0, ''), describe(r))
        out = r.stdout.splitlines()
        self.assertEqual(out[:4], ['[]', a, b, os.path.join(self.xdg, 'netns')], describe(r))
        self.assertRegex(out[4], r'^net:\[\d+\]$')
        self.assertNotEqual(out[4], out[5])
        self.assertNotEqual(out[4], 'net:[%d]' % ns_inode('/proc/self/ns/net'))
        holder = int(out[6].split()[0])
        self.assertEqual(len(out), 7, describe(r))
        self.assert_no_holder(holder)
        self.assertFalse(os.path.exists(pid_file))
        self.assertEqual(self.ok('list'), '')
        # The last name deleted, then one made again: the holder keeps it.
        r = self.tool.run('-b', '-', input='add %s\ndel %s\nadd %s\n' % (a, a, c))
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, '', ''), describe(r))
        holder = self.holder()
        self.assertEqual(self.ok('list'), c + '\n')
        # A failed line under -force: the others still act; the emptied
        # holder stops at the end.
        r = self.tool.run('-force', '-b', '-', input='del %s\ndel %s\nlist\n' % (b, c))
        self.assertEqual((r.returncode, r.stdout), (1, ''), describe(r))
        self.assertEqual(r.stderr, 'Cannot remove namespace file "%s/netns/%s": No such file or directory\n'
                         'Command failed -:1\n' % (self.xdg, b))
        self.assert_no_holder(holder)
        self.assertEqual(self.ok('list'), '')

    def test_exec_passthrough(self):
        a = unique('x')
        self.ok('add', a)
        holder = self.holder()
        try:
            data = 'some data\n' * 500
            r = self.tool.run('exec', a, 'cat', input=data)
            self.assertEqual((r.returncode, r.stdout, r.stderr), (0, data, ''))
            self.assertEqual(self.ok('exec', a, 'sh', '-c', 'echo "$CLITEST_VAR"', env={'CLITEST_VAR': 'v1'}),
                             'v1\n')
            r = self.tool.run('exec', a, 'sh', '-c', 'exit 3')
            self.assertEqual(r.returncode, 3, describe(r))
            self.fails(127, 'exec of "clitest-no-such-command" failed: No such file or directory',
                       'exec', a, 'clitest-no-such-command')
            p = self.tool.popen('exec', a, 'sh', '-c', 'echo ready; exec sleep 30')
            try:
                self.assertEqual(LineReader(p.stdout).line(TIMEOUT), 'ready')
                # Exec in place: the tool is the command, so the signal
                # ends the process we started (no 128 + 15 from a parent).
                p.send_signal(signal.SIGTERM)
                self.assertEqual(p.wait(timeout=TIMEOUT), -signal.SIGTERM)
            finally:
                kill_quietly(p)
        finally:
            self.ok('del', a)
        self.assert_no_holder(holder)

    def test_pids_identify(self):
        a = unique('p')
        self.ok('add', a)
        holder = self.holder()
        pid = self.sleeper(a)
        self.assertEqual(self.ok('pids', a), '%d\n' % pid)
        self.assertEqual(self.json_ok('-j', 'pids', a), [pid])
        self.assertEqual(self.ok('identify', pid), a + '\n')
        self.assertEqual(self.json_ok('identify', '-j', pid), [{'name': a}])
        self.ok('del', a)
        self.assert_no_holder(holder)

    def test_exec_pid_path_own(self):
        # --pid and --path work for the user's own namespaces (CLI.md),
        # although the holder's user namespace cannot enter the host's.
        a = unique('own')
        self.ok('add', a)
        holder = self.holder()
        try:
            pid = self.sleeper(a)
            want = self.ok('exec', a, 'readlink', '/proc/self/ns/net')
            self.assertEqual(self.ok('exec', '--pid', pid, 'readlink', '/proc/self/ns/net'), want)
            self.assertEqual(self.ok('exec', '--path', '/proc/%d/ns/net' % pid,
                                     'readlink', '/proc/self/ns/net'),
                             want)
        finally:
            self.ok('del', a)
        self.assert_no_holder(holder)

    def test_exec_pid_host_denied(self):
        # Not the host's namespace (pid 1's): the holder's user namespace may
        # not enter it.
        a = unique('own')
        self.ok('add', a)
        holder = self.holder()
        # 255 as any namespace exec cannot enter (ip's exec by name).
        self.fails(255, re.compile(r'^Cannot open network namespace of pid 1: .+\n$'),
                   'exec', '--pid', '1', 'true')
        self.ok('del', a)
        self.assert_no_holder(holder)

    def test_attach_identify_own(self):
        a = unique('own')
        self.ok('add', a)
        holder = self.holder()
        pid = self.sleeper(a)
        b = unique('alias')
        self.assertEqual(self.ok('attach', b, pid), '')
        self.assertEqual(sorted(self.ok('identify', pid).splitlines()), sorted([a, b]))
        self.assertEqual(self.ok('exec', b, 'readlink', '/proc/self/ns/net'),
                         self.ok('exec', a, 'readlink', '/proc/self/ns/net'))
        # One name per del (ip ignores the rest; the tool refuses it and
        # deletes nothing).
        self.fails(1, 'extra arguments specified', 'del', a, b)
        self.assertEqual(self.ok('list'), ''.join(n + '\n' for n in sorted([a, b])))
        self.ok('del', a)
        self.assertEqual(comm(holder), HOLDER)
        self.ok('del', b)
        self.assert_no_holder(holder)

    def test_failed_attach_leaves_no_holder(self):
        # attach starts the holder before it opens the process's namespace;
        # pid 1's is not ours to open: the holder started for it stops.
        n = unique('att')
        self.fails(1, re.compile(r'^Bind /proc/1/ns/net -> .+ failed: .+\n$'), 'attach', n, '1')
        end = time.monotonic() + TIMEOUT
        while holders_in(self.xdg) and time.monotonic() < end:
            time.sleep(0.02)
        self.assertEqual(holders_in(self.xdg), [])
        self.assertIsNone(self.holder_pid())
        self.assertEqual(self.ok('list'), '')

    def test_invisible_to_ip(self):
        if not have('ip'):
            self.skipTest('iproute2 (ip) is not installed')
        a = unique('priv')
        self.ok('add', a)
        holder = self.holder()
        r = subprocess.run(PREFIX + ['ip', 'netns', 'list'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=TIMEOUT)
        self.assertNotIn(a, r.stdout)
        self.ok('del', a)
        self.assert_no_holder(holder)

    def test_set_fails_list_id_works(self):
        # CLI.md: not `set` (an nsid needs CAP_NET_ADMIN over the caller's
        # network namespace, the host's); list-id works.
        a = unique('id')
        self.ok('add', a)
        holder = self.holder()
        # The kernel refuses it: ip's status for a refused netlink request.
        self.fails(2, 'Cannot set nsid of "%s": Operation not permitted' % a, 'set', a, 'auto')
        self.fails(2, 'Cannot set nsid of "%s": Operation not permitted' % a, 'set', a, '7')
        self.assertEqual(self.json_ok('list', '-j'), [{'name': a}])
        ids = self.json_ok('list-id', '-j')
        self.assertIsInstance(ids, list)
        self.assertNotIn(a, [e.get('name') for e in ids])
        self.ok('list-id')
        self.ok('del', a)
        self.assert_no_holder(holder)

    def test_monitor(self):
        anchor = unique('anchor')
        self.ok('add', anchor)  # the holder runs
        holder = self.holder()
        p = self.tool.popen('monitor', '-j')
        try:
            out = LineReader(p.stdout)
            for _ in range(100):
                probe = unique('probe')
                self.ok('add', probe)
                self.ok('del', probe)
                first = out.line(0.2)
                if first is not None:
                    break
            else:
                self.fail('monitor printed nothing')
            a = unique('mon')
            self.ok('add', a)
            self.ok('del', a)
            events = [first]
            while not (a in events[-1] and 'delete' in events[-1]):
                line = out.line(5)
                self.assertIsNotNone(line, 'no more events after %r' % events)
                events.append(line)
            for line in events:
                check_json_tool(self, line)
            mine = [json.loads(l) for l in events if json.loads(l).get('name') == a]
            self.assertEqual(mine, [{'event': 'add', 'name': a}, {'event': 'delete', 'name': a}])
            p.send_signal(signal.SIGINT)
            self.assertEqual(p.wait(timeout=TIMEOUT), -signal.SIGINT)  # as ip
        finally:
            kill_quietly(p)
        self.ok('del', anchor)
        self.assert_no_holder(holder)


if __name__ == '__main__':
    main(setup)
