# SPDX-License-Identifier: Apache-2.0
"""The rootless holder (issue 16): a holder that died (also one left a
zombie, also a pid that another process got) is replaced by the next
command without a wait; the tool killed at random moments while it starts
the holder never leaves a holder that no pid file names; two commands
racing to start it end with one; the runtime directory without
$XDG_RUNTIME_DIR, or with one the user does not own; `ps` shows the holder.

Runs like test_rootless.py (whose helpers it uses): outside the sandbox, as
uid 65534 through setpriv when run as root, else as the caller; exit 77
where user namespaces are unavailable.
Usage: test_holder.py NETNS_TOOL"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_rootless as rl  # noqa: E402
from clitest import TIMEOUT, comm, have, kill_quietly, main, stat_fields, unique, wait_gone  # noqa: E402

FIX = 'set XDG_RUNTIME_DIR to a directory of uid %d with mode 0700'


def title(uid, dir):
    return 'netns-holder (rootless network namespaces of uid %d in %s/netns)' % (uid, dir)


class Case(rl.Case):
    def failing(self, code, message, *args, **kw):
        r = self.fails(code, message, *args, **kw)
        self.assertNotIn('Success', r.stderr)
        self.assertEqual(r.stderr.count('\n'), 1, 'one line: %r' % r.stderr)
        return r

    def start_time(self, pid):
        return int(stat_fields(pid)[19])

    def write_pid_file(self, text):
        path = os.path.join(self.xdg, 'netns.holder')
        with open(path, 'w') as f:
            f.write(text)
        rl.give(path)

    def user_sleeper(self):
        """A process of the tool's user that is not a holder."""
        p = subprocess.Popen(rl.PREFIX + ['sleep', '60'], stdin=subprocess.DEVNULL)
        self.addCleanup(kill_quietly, p)
        return p

    def check_one_holder(self, what):
        """The invariant, checked as the next command would see it (holding
        the lock, so no holder is being started): every holder of this
        runtime dir that the pid file does not name dies at once, and at
        most one runs, the one the pid file names."""
        with self.lock():
            named = self.holder_pid()
            for pid in rl.holders_in(self.xdg):
                if pid != named:
                    if hasattr(self, 'stats'):
                        self.stats['unnamed holder seen dying'] += 1
                    self.assertTrue(wait_gone(pid, 3.0),
                                    '%s: holder %d runs, and the pid file names %s' % (what, pid, named))
            live = rl.holders_in(self.xdg)
            self.assertLessEqual(len(live), 1, '%s: holders %s' % (what, live))
            if live:
                self.assertEqual(live, [named], what)
        rl.reap_holders()
        return live


class TestHolder(Case):
    def test_ps_shows_the_holder(self):
        a = unique('ps')
        self.ok('add', a)
        holder = self.holder()
        self.assertEqual(comm(holder), 'netns-holder')
        with open('/proc/%d/cmdline' % holder, 'rb') as f:
            self.assertEqual(f.read(), title(rl.UID, self.xdg).encode() + b'\0')
        if have('ps'):
            r = subprocess.run(['ps', '-o', 'args=', '-p', str(holder)], stdout=subprocess.PIPE,
                               text=True, timeout=TIMEOUT)
            self.assertEqual(r.stdout.strip(), title(rl.UID, self.xdg))
        # The pid file: "PID STARTTIME".
        with open(os.path.join(self.xdg, 'netns.holder')) as f:
            self.assertEqual(f.read(), '%d %d\n' % (holder, self.start_time(holder)))
        # A short command line and no environment: the title is cut, the
        # name stays.
        self.ok('del', a)
        self.assert_no_holder(holder)
        r = subprocess.run(rl.PREFIX + ['env', '-i', 'XDG_RUNTIME_DIR=' + self.xdg,
                                        self.tool.path, 'add', 'x'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)
        self.assertEqual((r.returncode, r.stderr), (0, ''))
        holder = self.holder()
        with open('/proc/%d/cmdline' % holder, 'rb') as f:
            cmdline = f.read()
        self.assertTrue(title(rl.UID, self.xdg).encode().startswith(cmdline.rstrip(b'\0')), cmdline)
        self.assertTrue(cmdline.startswith(b'netns-holder'), cmdline)
        self.ok('del', 'x')
        self.assert_no_holder(holder)

    def test_killed_holder_is_replaced(self):
        a, b = unique('k'), unique('k')
        self.ok('add', a)
        old = self.holder()
        os.kill(old, signal.SIGKILL)
        self.assertTrue(wait_gone(old))
        rl.reap_holders()  # gone for good: a pid that no process has
        start = time.monotonic()
        self.assertEqual(self.ok('list'), '')
        self.assertLess(time.monotonic() - start, TIMEOUT / 2)
        self.failing(255, 'Cannot open network namespace "%s": No such file or directory' % a,
                     'exec', a, 'true')
        self.assertIsNone(self.holder_pid(), 'list leaves the stale pid file')
        self.ok('add', b)
        new = self.holder()
        self.assertNotEqual(new, old)
        self.assertEqual(self.ok('list'), b + '\n')
        self.ok('del', b)
        self.assert_no_holder(new)

    def test_zombie_holder_is_replaced(self):
        # The tool's holder is reparented to us (the subreaper, as a
        # container's pid 1 or `systemd --user` would be) when add exits;
        # killed and never reaped, it is a zombie: its pid, its name and its
        # uid stay in /proc, its namespaces are gone.
        a, b = unique('z'), unique('z')
        self.ok('add', a)
        old = self.holder()
        self.assertEqual(rl.proc_stat(old)[1], os.getpid())
        os.kill(old, signal.SIGKILL)
        self.assertTrue(wait_gone(old))
        self.assertEqual(rl.proc_stat(old)[0], 'Z')
        self.assertEqual(comm(old), 'netns-holder')
        self.assertEqual(self.holder_pid(), old)
        try:
            start = time.monotonic()
            self.assertEqual(self.ok('list'), '')
            self.assertEqual(self.json_ok('list', '-j'), [])
            self.failing(255, 'Cannot open network namespace "%s": No such file or directory' % a,
                         'exec', a, 'true')
            self.failing(1, 'Cannot open network namespace: No such file or directory', 'pids', a)
            self.assertLess(time.monotonic() - start, TIMEOUT / 2)
            self.write_pid_file('%d %d\n' % (old, self.start_time(old)))  # named again
            self.ok('add', b)
            new = self.holder()
            self.assertNotEqual(new, old)
            self.assertEqual(self.ok('list'), b + '\n')
            self.assertEqual(rl.proc_stat(old)[0], 'Z')  # still: not what was joined
            self.ok('del', b)
            self.assert_no_holder(new)
        finally:
            try:
                os.waitpid(old, 0)
            except ChildProcessError:
                pass

    def test_pid_of_another_process(self):
        # The pid file names a pid that another process now has: a process
        # of the same user, then another holder (of another runtime dir):
        # neither is joined or stopped; a new holder is started.
        other = self.user_sleeper()
        self.write_pid_file('%d %d\n' % (other.pid, self.start_time(other.pid)))
        self.assertEqual(self.ok('list'), '')
        a = unique('r')
        self.write_pid_file('%d %d\n' % (other.pid, self.start_time(other.pid)))
        self.ok('add', a)
        holder = self.holder()
        self.assertNotEqual(holder, other.pid)
        self.assertEqual(self.ok('list'), a + '\n')
        self.ok('del', a)
        self.assert_no_holder(holder)
        self.assertIsNone(other.poll(), 'del stopped a process that is not the holder')

        # Another holder: its pid and name, not its start time.
        xdg2 = rl.user_dir('clitest-xdg2-')
        self.addCleanup(shutil.rmtree, xdg2, True)
        self.addCleanup(rl.kill_holders, xdg2)
        b = unique('other')
        self.ok('add', b, env={'XDG_RUNTIME_DIR': xdg2})
        theirs = self.holder(xdg2)
        self.write_pid_file('%d %d\n' % (theirs, self.start_time(theirs) + 1))
        self.assertEqual(self.ok('list'), '')
        self.write_pid_file('%d %d\n' % (theirs, self.start_time(theirs) + 1))
        c = unique('mine')
        self.ok('add', c)
        mine = self.holder()
        self.assertNotEqual(mine, theirs)
        self.assertEqual(self.ok('list'), c + '\n')
        self.ok('del', c)
        self.assert_no_holder(mine)
        self.assertEqual(comm(theirs), 'netns-holder')
        self.assertEqual(self.ok('list', env={'XDG_RUNTIME_DIR': xdg2}), b + '\n')
        self.ok('del', b, env={'XDG_RUNTIME_DIR': xdg2})
        self.assert_no_holder(theirs)

        # netns 0.4 wrote the pid alone: its holder is still found.
        d = unique('old')
        self.ok('add', d)
        holder = self.holder()
        self.write_pid_file('%d\n' % holder)
        self.assertEqual(self.ok('list'), d + '\n')
        self.ok('del', d)
        self.assert_no_holder(holder)
        # A garbled pid file is no holder.
        for text in ('', 'x\n', '%d x\n' % other.pid, '%d -1\n' % other.pid, '-1 0\n', '0\n',
                     '99999999999999999999 1\n'):
            self.write_pid_file(text)
            self.assertEqual(self.ok('list'), '', repr(text))
        self.assertIsNone(other.poll())

    def test_racing_adds(self):
        # Commands that race to start the holder end with one holder that
        # has every name.
        for round in range(5):
            names = [unique('race') for _ in range(6)]
            procs = [self.tool.popen('add', n) for n in names]
            for n, p in zip(names, procs):
                try:
                    out, err = p.communicate(timeout=TIMEOUT)
                finally:
                    kill_quietly(p)
                self.assertEqual((p.returncode, err), (0, b''), 'add %s' % n)
            holder = self.holder()
            self.assertEqual(self.ok('list'), ''.join(n + '\n' for n in sorted(names)))
            self.ok('del', '--all')
            self.assert_no_holder(holder)
            rl.reap_holders()

    def test_killed_while_starting(self):
        # SIGKILL at random moments while `add` starts the holder: never a
        # holder that no pid file names, and the next add never starts a
        # second one. Bounded in time; the delays span a whole add.
        spans = []
        for _ in range(3):
            n = unique('t')
            start = time.monotonic()
            self.ok('add', n)
            spans.append(time.monotonic() - start)
            self.ok('del', n)
            rl.reap_holders()
        span = sorted(spans)[1] * 1.3
        stats = self.stats = {'kills': 0, 'killed before its end': 0, 'unnamed holder seen dying': 0,
                              'holder left named': 0, 'raced': 0}
        end = time.monotonic() + 15
        rng = random.Random(os.getpid())
        while time.monotonic() < end and stats['kills'] < 400:
            n = unique('kill')
            p = self.tool.popen('add', n, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Now and then a second add races the one that is killed.
            partner = self.tool.popen('add', unique('partner')) if rng.random() < 0.3 else None
            time.sleep(rng.uniform(0, span))
            p.kill()
            p.wait(timeout=TIMEOUT)
            stats['kills'] += 1
            if p.returncode == -signal.SIGKILL:
                stats['killed before its end'] += 1
            what = 'after kill %d (%.1f ms)' % (stats['kills'], span * 1000)
            if partner:
                try:
                    _, err = partner.communicate(timeout=TIMEOUT)
                finally:
                    kill_quietly(partner)
                self.assertEqual((partner.returncode, err), (0, b''), what + ': the racing add')
                stats['raced'] += 1
            live = self.check_one_holder(what)
            if live:
                stats['holder left named'] += 1
            if partner:
                self.assertEqual(len(live), 1, what + ': the racing add made no holder')
            # The next add: one holder, the pid file's; then none again.
            m = unique('next')
            self.ok('add', m)
            self.assertEqual(len(self.check_one_holder(what + ', then add')), 1)
            self.ok('del', '--all')
            self.assertEqual(self.check_one_holder(what + ', then del --all'), [])
        print('\n%s, delays up to %.1f ms' % (stats, span * 1000), file=sys.stderr)


class TestRuntimeDir(Case):
    def test_xdg_not_usable(self):
        # One line, exit 1, nothing started, for any command.
        uid = rl.UID
        fix = FIX % uid
        cases = [('/', 'owned by uid 0')]
        loose = os.path.join(self.xdg, 'loose')
        os.mkdir(loose)
        os.chmod(loose, 0o777)
        afile = os.path.join(self.xdg, 'file')
        open(afile, 'w').close()
        rl.give(loose)
        rl.give(afile)
        os.chmod(loose, 0o777)
        cases += [(loose, 'writable by group or others (mode 0777)'),
                  (afile, 'Not a directory'),
                  (os.path.join(self.xdg, 'missing'), 'No such file or directory'),
                  ('relative/dir', 'not an absolute path')]
        for xdg, why in cases:
            for args in (['list'], ['add', unique('n')], ['--rootless', 'list'], ['exec', 'x', 'true']):
                self.failing(1, 'Rootless mode cannot use "%s" ($XDG_RUNTIME_DIR): %s; %s, or unset it'
                             % (xdg, why, fix), *args, env={'XDG_RUNTIME_DIR': xdg})
        self.assertEqual(os.listdir(loose), [])
        self.assertEqual(rl.holders_in(self.xdg), [])
        # --run-dir (or NETNS_RUN_DIR) is not rootless: $XDG_RUNTIME_DIR is
        # not looked at.
        r = self.tool.run('--run-dir', os.path.join(self.xdg, 'rd'), 'list', env={'XDG_RUNTIME_DIR': '/'})
        self.assertNotIn('XDG_RUNTIME_DIR', r.stderr)

    def test_fallback_not_usable(self):
        # $XDG_RUNTIME_DIR unset and no /run/user/UID: $TMPDIR/netns-UID,
        # refused when it is not a private directory of the user's.
        uid = rl.UID
        tmp = os.path.join(self.xdg, 'tmp')
        os.mkdir(tmp, 0o700)
        rl.give(tmp)
        dir = os.path.join(tmp, 'netns-%d' % uid)
        env = {'TMPDIR': tmp}

        def refused(why):
            for args in (['list'], ['add', unique('n')]):
                self.failing(1, 'Rootless mode cannot use "%s" ($XDG_RUNTIME_DIR is unset): %s; %s'
                             % (dir, why, FIX % uid), *args, env=env, unset=['XDG_RUNTIME_DIR'])
            self.assertEqual(rl.holders_in(self.xdg), [])

        os.symlink(self.xdg, dir)
        refused('a symbolic link')
        os.unlink(dir)
        os.mkdir(dir)
        os.chmod(dir, 0o770)
        rl.give(dir)
        refused('writable by group or others (mode 0770)')
        if rl.PREFIX:
            os.chmod(dir, 0o700)
            os.chown(dir, 0, 0)
            refused('owned by uid 0')
            # A $TMPDIR that others may write to, without the sticky bit,
            # where another user could replace the directory.
            os.rmdir(dir)
            os.chown(tmp, 0, 0)
            os.chmod(tmp, 0o777)
            refused('in a directory that others may write to, without the sticky bit')
            os.chmod(tmp, 0o1777)
        os.rmdir(dir) if os.path.isdir(dir) else None
        # Made by the tool: mode 0700 whatever the umask.
        a = unique('fb')
        r = subprocess.run(rl.PREFIX + ['sh', '-c', 'umask 0777; exec "$@"', 'sh', self.tool.path, 'add', a],
                           env=self.tool.environ(env, ['XDG_RUNTIME_DIR']), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)
        self.assertEqual((r.returncode, r.stderr), (0, ''))
        st = os.lstat(dir)
        self.assertEqual((st.st_uid, oct(st.st_mode)), (uid, oct(0o40700)))
        holder = self.holder(dir)
        with open('/proc/%d/cmdline' % holder, 'rb') as f:
            self.assertEqual(f.read(), title(uid, dir).encode() + b'\0')
        self.ok('del', a, env=env, unset=['XDG_RUNTIME_DIR'])
        self.assert_no_holder(holder)

    def test_run_user_uid(self):
        # $XDG_RUNTIME_DIR unset: /run/user/UID when it is the user's with
        # mode 0700 (what pam_systemd would have set). Only root can make
        # one, in a private mount namespace with a tmpfs on /run/user.
        if not rl.PREFIX:
            self.skipTest('needs root, to make /run/user/%d in a private mount namespace' % rl.UID)
        if not have('unshare'):
            self.skipTest('unshare (util-linux) is not installed')
        a = unique('ru')
        base = '/run/user/%d' % rl.NOBODY
        tool = ' '.join(self.tool.argv([]))
        script = '''set -e
            mkdir -p /run/user
            mount -t tmpfs -o mode=0755 clitest /run/user
            mkdir -m 0700 {base}; chown {uid}:{uid} {base}
            {tool} add {a}
            cat {base}/netns.holder
            {tool} list
            chmod 0755 {base}
            {tool} list 2>&1 || echo "failed $?"
            chmod 0700 {base}
            {tool} del {a}
        '''.format(base=base, uid=rl.NOBODY, tool=tool, a=a)
        env = self.tool.environ(unset=['XDG_RUNTIME_DIR'], env={'TMPDIR': self.xdg})
        try:
            r = subprocess.run(['unshare', '-m', '--propagation', 'private', 'sh', '-c', script], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)
            lines = r.stdout.splitlines()
            self.assertEqual(r.returncode, 0, (r.stdout, r.stderr))
            holder = int(lines[0].split()[0])
            self.assertEqual(lines[1], a)
            # /run/user/UID that is not private: not used; the fallback
            # then is $TMPDIR/netns-UID, without the names.
            self.assertEqual(lines[2:], [])
            self.assertTrue(os.path.isdir(os.path.join(self.xdg, 'netns-%d' % rl.NOBODY)))
            self.assertEqual(r.stderr, '')
            self.assertTrue(wait_gone(holder))
        finally:
            rl.kill_holders(base)


if __name__ == '__main__':
    main(rl.setup)
