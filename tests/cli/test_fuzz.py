# SPDX-License-Identifier: Apache-2.0
"""A bounded fuzz of the `netns` tool's argv, as real processes (issue 16,
"Tests"): random command words and prefixes, option spellings, numbers and
names with odd bytes (not UTF-8, newlines, a leading '-', too long), run
against a run dir that holds such names (made by ip) and a stale entry.

Every run must: end by itself (no hang; only `monitor` may wait, and it must
end on SIGTERM), not die by a signal, not exit with a signal-like status,
leave the run dir as it was when it failed (unless it did several things: a
batch, -all, del of several names), never print a message that ends in
"Success", and print JSON that a strict parser takes (UTF-8 included) for
every -j output of list/list-id/identify, with an entry for every name.

Bounded: NETNS_FUZZ_SECONDS (default 20) or NETNS_FUZZ_RUNS (default 3000)
runs, whichever comes first; seeded by NETNS_FUZZ_SEED (default: the time),
printed first so that a failure can be replayed. exec only ever runs
/bin/true or commands that do not exist: no vocabulary word is a program on
PATH. Runs inside tests/support/sandbox-exec (a private /run; --run-dir and
batch files only under it). Usage: test_fuzz.py NETNS_TOOL"""

import ctypes
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True

IP = '/usr/sbin/ip'
RUN_DIR = b'/run/netns'
WORK = '/run/fuzz'
OTHER_RUN_DIR = '/run/fuzz-rd'
PATH = '/usr/sbin:/usr/bin:/sbin:/bin'
# HOME too on the private /run: whatever a rootless fallback makes there dies
# with the sandbox.
ENV = {'PATH': PATH, 'LC_ALL': 'C', 'HOME': WORK + '/home'}
TIMEOUT = 5.0

BAD = os.fsdecode(b'bad\xffname')
NL = 'new\nline'
# The run dir every run starts from: ip's names (odd ones too), a stale file.
NAMES = ['a', 'b', '-x', BAD, NL, 'sp ace']
STALE = 'st'

COMMANDS = ['list', 'lis', 'l', 'show', 's', 'lst', 'list-id', 'list-i', 'help', 'h', 'add', 'a',
            'ad', 'set', 'se', 'delete', 'del', 'd', 'identify', 'i', 'pids', 'p', 'exec', 'e',
            'attach', 'at', 'version', 'lists', 'LIST', 'x', '', 'monitor', 'm']
OPTIONS = ['-j', '-json', '--json', '-js', '-p', '-pretty', '--pretty', '-all', '--all', '-a',
           '-b', '-batch', '--batch', '-force', '-q', '--quiet', '--run-dir', '--rootless', '-h',
           '--help', '-V', '--version', '--pid', '--path', '--docker', '--', '-', '-n', '-0',
           '--run-dir=' + OTHER_RUN_DIR, '--pid=1', '-jp', '-pj', '---', '-J']
OPERANDS = NAMES + [STALE, 'nosuch', '', '.', '..', 'a/b', '/', 'x' * 256, 'z' * 4096, 'é',
                    '\x01', ' ', '-all', '-x', '-j', '--', 'nsid', 'target-nsid', 'auto',
                    '0', '1', '-1', '2', '2147483647', '2147483648', '99999999999999999999',
                    '0x10', '+1', ' 1', '1 ', 'self', '/proc/self/ns/net', '/dev/null',
                    '/run/netns/a', '/run/netns/st', '/nonexistent', OTHER_RUN_DIR,
                    WORK + '/batch', WORK + '/nosuchfile', 'true', '/bin/true',
                    'nosuch-fuzz-cmd', '{pid}', '{gone}']
BATCH_LINES = ['netns list', 'list', 'netns add fz1', 'add fz2', 'netns del fz1', 'del nosuch',
               'netns exec a /bin/true', 'exec a nosuch-fuzz-cmd', '-j list', 'netns -j list',
               'bogus', 'netns', '', '# comment', 'netns add ' + BAD, 'add "q uote"',
               'netns set a 1', 'netns identify', 'netns pids a', 'netns add']

# ip's order of the command words (its prefix rule takes the first match),
# and the tool's own `version` after them.
IP_ORDER = ['list', 'show', 'lst', 'list-id', 'help', 'add', 'set', 'delete', 'identify', 'pids',
            'exec', 'monitor', 'attach', 'version']


def command_of(word):
    """The command a word names, by ip's prefix rule; None for none."""
    if not word:
        return None
    for c in IP_ORDER:
        if c.startswith(word):
            return c
    return None


MONITOR = re.compile(r'^m(o(n(i(t(o(r)?)?)?)?)?)?$')


def safe_vocabulary(words):
    """Drops every word that names a program on PATH (except true): exec
    of a random word must never run anything but /bin/true."""
    keep = []
    for w in words:
        if w in ('true', '/bin/true') or '/' in w:
            keep.append(w)
        elif w and shutil.which(w, path=PATH) is not None:
            continue
        else:
            keep.append(w)
    return keep


def garbage(rng):
    """A random word that no program is called: it always holds a byte
    that no name on PATH has."""
    n = rng.randrange(0, 24)
    body = bytes(rng.choice(range(1, 256)) for _ in range(n))
    odd = rng.choice([b'\xff', b'\n', b'\x01', b'\t', b'\x7f', b'\xc3('])
    pos = rng.randrange(0, len(body) + 1)
    return os.fsdecode(body[:pos] + odd + body[pos:])


class Fuzzer:
    def __init__(self, tool, seed):
        self.tool = tool
        self.rng = random.Random(seed)
        self.commands = safe_vocabulary(COMMANDS)
        self.options = OPTIONS
        self.operands = safe_vocabulary(OPERANDS)
        self.failures = []
        self.kinds = {}
        self.runs = 0
        self.json_checked = 0

    # -- the run dir --------------------------------------------------------

    def ip(self, *args):
        r = subprocess.run([IP] + list(args), env=ENV, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        if r.returncode != 0:
            raise RuntimeError('ip %r: %r' % (args, r.stderr))

    def make_state(self):
        for n in NAMES:
            if not os.path.lexists(os.path.join(RUN_DIR, os.fsencode(n))):
                self.ip('netns', 'add', n)
        st = os.path.join(os.fsdecode(RUN_DIR), STALE)
        if not os.path.lexists(st):
            os.close(os.open(st, os.O_CREAT | os.O_EXCL | os.O_RDONLY, 0))
        os.makedirs(WORK + '/home', exist_ok=True)
        os.makedirs(OTHER_RUN_DIR, exist_ok=True)

    @staticmethod
    def snapshot(d=RUN_DIR):
        """Names -> (kind, inode of the namespace behind a mount)."""
        try:
            names = os.listdir(d)
        except FileNotFoundError:
            return None
        mounted = set()
        with open('/proc/self/mountinfo', 'rb') as f:
            for line in f:
                left, right = line.split(b' - ', 1)
                if right.startswith(b'nsfs '):
                    mp = re.sub(rb'\\([0-7]{3})', lambda m: bytes([int(m.group(1), 8)]),
                                left.split(b' ')[4])
                    mounted.add(mp)
        out = {}
        for n in names:
            p = os.path.join(d, n)
            try:
                if p in mounted:
                    out[n] = ('ns', os.stat(p).st_ino)
                else:
                    out[n] = ('dir' if os.path.isdir(p) else 'file', 0)
            except OSError as e:
                out[n] = ('error %d' % e.errno, 0)
        return out

    @staticmethod
    def remove(path):
        while subprocess.run(['umount', '-l', path], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL).returncode == 0:
            pass
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        except OSError:
            pass

    def restore(self, base):
        """Back to the starting run dir: names the run made are removed,
        the ones it removed made again."""
        now = self.snapshot() or {}
        for n, v in now.items():
            if n not in base or base[n] != v:
                self.remove(os.path.join(RUN_DIR, n))
        for d in (OTHER_RUN_DIR.encode(),):
            for n in (os.listdir(d) if os.path.isdir(d) else []):
                self.remove(os.path.join(d, n))
        self.make_state()
        return self.snapshot()

    # -- one run -------------------------------------------------------------

    def argv(self, ctx):
        rng = self.rng
        r = rng.random()
        if r < 0.2:
            # A listing in JSON, the names with odd bytes in the run dir.
            words = [rng.choice(['-j', '-json', '--json']) for _ in range(rng.choice([1, 1, 2]))]
            words += rng.sample(['-p', '-pretty'], rng.choice([0, 0, 1]))
            words += rng.choice([[], ['list'], ['show'], ['lst'], ['l'], ['list-id'],
                                 ['list-id', 'nsid', '1'], ['identify'], ['identify', '{pid}'],
                                 ['identify', '{gone}'], ['pids', 'a'], ['version']])
        elif r < 0.6:
            # What a person might type: few options, a command, operands.
            words = rng.sample(['-j', '-p', '-all', '-q', '--json', '-force'], rng.choice([0, 0, 1, 2]))
            words.append(rng.choice(self.commands))
            words += [rng.choice(self.operands) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        else:
            words = self.random_words(ctx)
        return [w.replace('{pid}', str(ctx['pid'])).replace('{gone}', str(ctx['gone']))
                for w in words]

    def random_words(self, ctx):
        rng = self.rng
        words = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            o = rng.choice(self.options)
            words.append(o)
            if o in ('-b', '-batch', '--batch', '--run-dir', '--pid', '--path', '--docker') \
                    and rng.random() < 0.8:
                words.append(rng.choice([WORK + '/batch', '-', OTHER_RUN_DIR, '/run/netns', '1',
                                         WORK + '/nosuchfile', '/run/netns/a', str(ctx['pid'])]))
        if rng.random() < 0.9:
            words.append(rng.choice(self.commands) if rng.random() < 0.9 else garbage(rng))
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 6])):
            r = rng.random()
            if r < 0.7:
                words.append(rng.choice(self.operands))
            elif r < 0.8:
                words.append(rng.choice(self.options))
            else:
                words.append(garbage(rng))
        return words

    def write_batch(self):
        lines = [self.rng.choice(BATCH_LINES) for _ in range(self.rng.randrange(0, 6))]
        with open(WORK + '/batch', 'w', encoding='utf-8', errors='surrogateescape') as f:
            f.write('\n'.join(lines) + ('\n' if lines else ''))

    def fail(self, argv, why, r=None):
        # One bug shows in many runs: the first 3 of each kind (what, and the
        # first line of stderr) are printed, the others counted.
        self.failures.append(argv)
        key = (why.split(':')[0], r[2].split(b'\n')[0][:60] if r else b'')
        kind = self.kinds.setdefault(key, {'count': 0, 'texts': []})
        kind['count'] += 1
        seen = kind['texts']
        if len(seen) < 3:
            text = 'netns %s\n  %s' % (' '.join(repr(w) for w in argv), why)
            if r is not None:
                text += '\n  exit %s\n  stdout %r\n  stderr %r' % (r[0], r[1][:400], r[2][:400])
            seen.append(text)

    def run_one(self, base, ctx):
        argv = self.argv(ctx)
        self.write_batch()
        monitor = any(MONITOR.match(w) for w in argv)
        p = subprocess.Popen([self.tool] + argv, env=ENV, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = p.communicate(timeout=0.3 if monitor else TIMEOUT)
        except subprocess.TimeoutExpired:
            if not monitor:
                out, err = self.kill(p, ctx)
                self.fail(argv, 'no end within %.0f s (killed)' % TIMEOUT, (p.returncode, out, err))
                return self.restore(base)
            p.send_signal(signal.SIGTERM)
            try:
                out, err = p.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                out, err = self.kill(p, ctx)
                self.fail(argv, 'a monitor that SIGTERM does not end', (p.returncode, out, err))
                return self.restore(base)
            if p.returncode not in (0, -signal.SIGTERM, 128 + signal.SIGTERM):
                self.fail(argv, 'a monitor ended by SIGTERM exits %s' % p.returncode,
                          (p.returncode, out, err))
            return self.restore(base)
        rc = p.returncode
        res = (rc, out, err)
        self.runs += 1
        if rc < 0:
            self.fail(argv, 'killed by signal %d' % -rc, res)
        elif 128 <= rc < 255:
            self.fail(argv, 'a signal-like exit status %d' % rc, res)
        for line in err.split(b'\n'):
            if line.rstrip().endswith(b'Success'):
                self.fail(argv, 'a message that ends in "Success"', res)
                break
        now = self.snapshot()
        if rc != 0 and now != base and not self.several(argv):
            self.fail(argv, 'failed, yet the run dir changed: %r -> %r' % (
                sorted(set(base or {}) ^ set(now or {})), now), res)
        if rc == 0 and out and self.json_listing(argv):
            self.check_json(argv, res, base)
        reap_orphans(ctx)
        if now != base or os.listdir(OTHER_RUN_DIR):
            return self.restore(base)
        return base

    @staticmethod
    def kill(p, ctx):
        """SIGKILL to a run that hangs, and to what it left that keeps its
        pipes open (orphans come to us, the subreaper)."""
        p.kill()
        p.wait()
        try:
            return p.communicate(timeout=1.0)
        except subprocess.TimeoutExpired:
            reap_orphans(ctx, kill=True)
            return p.communicate()

    @staticmethod
    def several(argv):
        """Commands that do several things, any of which may fail after
        others worked: a batch, -all, del of more than one name."""
        for i, w in enumerate(argv):
            if w in ('-b', '-batch', '--batch', '-force', '-all', '--all', '-a', '-') \
                    or w.startswith('-b') or w.startswith('--b'):
                return True
            if w in ('delete', 'del', 'd', 'de', 'dele', 'delet') and len(argv) - i > 2:
                return True
        return False

    @staticmethod
    def json_listing(argv):
        """-j (any spelling) before a command that lists: its stdout is JSON,
        unless the line also asks for help or the version (anywhere: after the
        command word too), which is text."""
        if any(w in ('-h', '-help', '--help', '-V', '--version') for w in argv):
            return False
        js = False
        for w in argv:
            if w in ('-j', '-json', '--json', '-js', '-jp', '-pj'):
                js = True
            elif w in ('-b', '-batch', '--batch', '--pid', '--path', '--docker', '-h',
                       '--help', '-V', '--version', '-q', '--quiet') \
                    or w.startswith('--run-dir') or w.startswith('--rootless'):
                return False
            elif not w.startswith('-') or w in ('-', '--'):
                return js and command_of(w) in ('list', 'show', 'lst', 'list-id', 'identify', 'pids',
                                                'version')
        return js

    def check_json(self, argv, res, base):
        self.json_checked += 1
        try:
            doc = json.loads(res[1].decode('utf-8'))
        except (UnicodeDecodeError, ValueError) as e:
            self.fail(argv, '-j output that is not JSON: %s' % e, res)
            return
        words = [w for w in argv if not w.startswith('-')]
        if len(words) <= 1 and (not words or command_of(words[0]) in ('list', 'show', 'lst')):
            # Every name, the ones that are not UTF-8 too.
            if not isinstance(doc, list) or len(doc) < len([n for n in base if base[n][0] == 'ns']):
                self.fail(argv, '-j list misses names: %d entries for %d names' % (
                    len(doc) if isinstance(doc, list) else -1, len(base)), res)


def fixed_json(f, ctx):
    """Before the random runs: every listing in JSON once, with a name that
    is not UTF-8 in each (in the run dir, with an nsid, with a process)."""
    base = f.snapshot()
    for argv in (['-j', 'list'], ['-j'], ['-j', '-p', 'list'], ['-j', 'list-id'],
                 ['-j', 'list-id', 'nsid', '7'], ['-j', 'identify', str(ctx['bad_pid'])]):
        r = subprocess.run([f.tool] + argv, env=ENV, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
        res = (r.returncode, r.stdout, r.stderr)
        f.runs += 1
        if r.returncode != 0:
            f.fail(argv, 'exit %d' % r.returncode, res)
            continue
        f.check_json(argv, res, base)
        if BAD.encode('utf-8', 'surrogateescape') not in r.stdout and b'\\' not in r.stdout \
                and b'bad' not in r.stdout:
            f.fail(argv, 'no trace of the name that is not UTF-8', res)


def children(keep):
    """Our children that we did not start ourselves (a holder or command
    the tool left: we are their subreaper)."""
    me = os.getpid()
    out = []
    for d in os.listdir('/proc'):
        if d.isdigit() and int(d) not in keep:
            try:
                with open('/proc/%s/stat' % d) as f:
                    fields = f.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me:
                out.append((int(d), fields[0]))
    return out


def reap_orphans(ctx, kill=False):
    for pid, state in children(ctx['keep']):
        if kill and state != 'Z':
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if state == 'Z' or kill:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def gone_pid():
    p = subprocess.Popen(['true'])
    p.wait()
    return p.pid


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: test_fuzz.py NETNS_TOOL')
    if os.environ.get('NETNS_TEST_IN_SANDBOX') != '1':
        sys.exit('test_fuzz.py runs inside tests/support/sandbox-exec only')
    if not os.access(IP, os.X_OK):
        print('SKIP: %s is not installed (it makes the names with odd bytes)' % IP)
        sys.exit(77)
    for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    tool = os.path.abspath(sys.argv[1])
    seed = int(os.environ.get('NETNS_FUZZ_SEED') or time.time_ns() % 1000000007)
    seconds = float(os.environ.get('NETNS_FUZZ_SECONDS') or 20)
    limit = int(os.environ.get('NETNS_FUZZ_RUNS') or 3000)
    print('fuzz: seed %d (replay: NETNS_FUZZ_SEED=%d), %.0f s or %d runs' % (seed, seed, seconds, limit),
          flush=True)
    # Orphans (a holder a run started, a command it left) come to us, so
    # that none outlives the test.
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    f = Fuzzer(tool, seed)
    f.make_state()
    # A process in `a`, for identify/attach/--pid operands.
    sleeper = subprocess.Popen([IP, 'netns', 'exec', 'a', 'sleep', '1000'], env=ENV,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    in_bad = subprocess.Popen([IP, 'netns', 'exec', BAD, 'sleep', '1000'], env=ENV,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    ctx = {'pid': sleeper.pid, 'gone': gone_pid(), 'keep': {sleeper.pid, in_bad.pid},
           'bad_pid': in_bad.pid}
    try:
        f.ip('netns', 'set', BAD, '7')
        bad_ino = os.stat(os.path.join(RUN_DIR, os.fsencode(BAD))).st_ino
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end and os.stat('/proc/%d/ns/net' % in_bad.pid).st_ino != bad_ino:
            time.sleep(0.01)
        fixed_json(f, ctx)
        in_bad.kill()
        in_bad.wait()
        base = f.snapshot()
        end = time.monotonic() + seconds
        while time.monotonic() < end and f.runs < limit:
            base = f.run_one(base, ctx)
    finally:
        for p in (sleeper, in_bad):
            p.kill()
            p.wait()
        reap_orphans(ctx, kill=True)
        for n in list(f.snapshot() or {}):
            f.remove(os.path.join(RUN_DIR, n))
    for (why, _), kind in f.kinds.items():
        for text in kind['texts']:
            print('\nFAIL: %s' % text)
        print('  (%d runs failed this way: %s)' % (kind['count'], why))
    print('\nfuzz: %d runs, %d JSON outputs checked, %d failures (seed %d)' % (
        f.runs, f.json_checked, len(f.failures), seed))
    sys.exit(1 if f.failures else 0)


if __name__ == '__main__':
    main()
