# SPDX-License-Identifier: Apache-2.0
"""What the `netns` tool's tests share: spawning the tool, unique names,
waiting on processes, reading a monitor's lines, and a fake Docker daemon.

The tests spawn the built binary as a real process and check its exit
status, stdout and stderr against CLI.md / netns(8)."""

import json
import os
import re
import select
import shutil
import signal
import socketserver
import subprocess
import sys
import threading
import time
import unittest

# Every spawn has a deadline: a tool that hangs (or a holder that keeps our
# pipes open) fails the test instead of the whole run.
TIMEOUT = 20

_counter = 0


def unique(label):
    """A name no other test (or test run) uses: the test's pid and a count."""
    global _counter
    _counter += 1
    return 'clt%d-%s%d' % (os.getpid(), label, _counter)


class Tool:
    """The `netns` binary, run with a fixed environment and an optional
    prefix (setpriv, to run it as another user)."""

    def __init__(self, path, env, prefix=()):
        self.path = path
        self.env = dict(env)
        self.prefix = list(prefix)

    def argv(self, args):
        return self.prefix + [self.path] + [str(a) for a in args]

    def environ(self, env=None, unset=()):
        e = dict(self.env)
        for k in unset:
            e.pop(k, None)
        if env:
            e.update(env)
        return e

    def run(self, *args, input=None, env=None, unset=(), timeout=TIMEOUT):
        """Runs `netns ARGS...` to its end: a CompletedProcess with text
        stdout and stderr."""
        return subprocess.run(self.argv(args), input=input, env=self.environ(env, unset),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL if input is None else None,
                              text=True, timeout=timeout)

    def popen(self, *args, env=None, unset=(), **kw):
        kw.setdefault('stdin', subprocess.DEVNULL)
        kw.setdefault('stdout', subprocess.PIPE)
        kw.setdefault('stderr', subprocess.PIPE)
        return subprocess.Popen(self.argv(args), env=self.environ(env, unset), **kw)


def describe(r):
    return 'exit %s\nstdout: %r\nstderr: %r' % (r.returncode, r.stdout, r.stderr)


class ToolCase(unittest.TestCase):
    """A test case with helpers to assert on a run of the tool."""

    tool = None  # set by the test program

    def ok(self, *args, **kw):
        """Runs the tool, asserts exit 0 and an empty stderr, returns stdout."""
        r = self.tool.run(*args, **kw)
        self.assertEqual(r.returncode, 0, 'netns %s\n%s' % (' '.join(map(str, args)), describe(r)))
        self.assertEqual(r.stderr, '', 'netns %s\n%s' % (' '.join(map(str, args)), describe(r)))
        return r.stdout

    def fails(self, code, message, *args, **kw):
        """Runs the tool, asserts exit `code` and that stderr is `message`
        (a str: the last line, exactly; a compiled regex: searched)."""
        r = self.tool.run(*args, **kw)
        what = 'netns %s\n%s' % (' '.join(map(str, args)), describe(r))
        self.assertEqual(r.returncode, code, what)
        self.assertEqual(r.stdout, '', what)
        if isinstance(message, str):
            lines = r.stderr.rstrip('\n').split('\n')
            self.assertEqual(lines[-1], message, what)
        elif message is not None:
            self.assertRegex(r.stderr, message, what)
        return r

    def sleeper(self, name, extra=(), env=None):
        """A process in NAME's namespace (start_sleeper), ended after the
        test; returns its pid."""
        p, pid = start_sleeper(self.tool, name, extra, env)
        self.addCleanup(stop_sleeper, p, pid)
        return pid

    def json_ok(self, *args, **kw):
        """Runs a printing command with -j: stdout must be one JSON document
        that `python3 -m json.tool` accepts; returns it parsed."""
        out = self.ok(*args, **kw)
        check_json_tool(self, out)
        return json.loads(out)


def check_json_tool(test, text):
    """Feeds `text` to a real `python3 -m json.tool` process."""
    r = subprocess.run([sys.executable, '-m', 'json.tool'], input=text, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    test.assertEqual(r.returncode, 0, 'json.tool rejects %r: %s' % (text, r.stderr))


def ns_inode(path):
    """The namespace inode behind an nsfs file (a name, /proc/PID/ns/net)."""
    return os.stat(path).st_ino


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (which may hold
    any byte, ')' too): [0] is field 3 (the state), [1] the ppid, [19] the
    start time. None when the process is gone."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()
    except (OSError, IndexError):
        return None


def wait_gone(pid, timeout=5.0):
    """Waits until process `pid` no longer runs (gone or a zombie)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        fields = stat_fields(pid)
        if not fields or fields[0] in ('Z', 'X'):
            return True
        time.sleep(0.02)
    return False


def comm(pid):
    try:
        with open('/proc/%d/comm' % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def gone_pid():
    """A pid that no process has: a child's, after it was reaped."""
    p = subprocess.Popen(['true'])
    p.wait()
    return p.pid


def kill_quietly(proc):
    """Ends a Popen we started (and reaps it)."""
    if proc is None:
        return
    if proc.poll() is None:
        try:
            proc.kill()
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    for f in (proc.stdin, proc.stdout, proc.stderr):
        if f:
            f.close()


class LineReader:
    """Reads a process's stdout line by line with deadlines (no blocking
    readline: a tool that prints nothing must fail the test, not hang it)."""

    def __init__(self, stream):
        self.fd = stream.fileno()
        self.buf = b''
        self.eof = False

    def line(self, timeout=5.0):
        """The next line (without its newline), or None at the deadline or EOF."""
        end = time.monotonic() + timeout
        while b'\n' not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or self.eof:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                return None
            chunk = os.read(self.fd, 4096)
            if not chunk:
                self.eof = True
                continue
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return line.decode()


def start_sleeper(tool, name, extra=(), env=None):
    """`netns exec NAME sh -c 'echo $$; exec sleep 30'`: a process in NAME's
    namespace. Returns (Popen of netns, pid of the sleeping command)."""
    p = tool.popen(*extra, 'exec', name, 'sh', '-c', 'echo $$; exec sleep 30', env=env)
    line = LineReader(p.stdout).line(TIMEOUT)
    if line is None:
        p.kill()
        err = p.stderr.read()
        kill_quietly(p)
        raise AssertionError('netns exec %s sh printed no pid: %r' % (name, err))
    return p, int(line)


def stop_sleeper(p, pid):
    """Ends a start_sleeper(): the command first, then netns exits too."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        p.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    kill_quietly(p)


def inspect_json(pid, cid):
    """What `GET /containers/ID/json` answers, as much as the library reads."""
    return json.dumps({
        'Id': cid, 'Name': '/clitest',
        'State': {'Status': 'running', 'Running': True, 'Paused': False, 'Pid': pid, 'ExitCode': 0},
        'HostConfig': {'NetworkMode': 'default'},
    }) + '\n'


class FakeDocker:
    """A fake Docker Engine API on a unix socket: GET /containers/ID/json
    answers the inspect JSON of `containers[ID]` (a pid) or 404, and
    GET /containers/json (the library's ambiguity check) the list."""

    def __init__(self, path, containers):
        self.path = path
        self.requests = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                req = b''
                while b'\r\n\r\n' not in req:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        break
                    req += chunk
                line = req.split(b'\r\n', 1)[0].decode(errors='replace')
                outer.requests.append(line)
                parts = line.split(' ')
                target = parts[1] if len(parts) > 1 else ''
                target = re.sub(r'^/v[0-9.]+', '', target)
                m = re.match(r'^/containers/([^/?]+)/json$', target)
                if target.startswith('/containers/json'):
                    body = json.dumps([{'Id': cid, 'Names': ['/c-' + cid], 'State': 'running'}
                                       for cid in containers]) + '\n'
                    status = '200 OK'
                elif m and m.group(1) in containers:
                    body = inspect_json(containers[m.group(1)], m.group(1))
                    status = '200 OK'
                else:
                    body = json.dumps({'message': 'No such container: %s' % (m.group(1) if m else target)})
                    status = '404 Not Found'
                data = body.encode()
                self.request.sendall(('HTTP/1.1 %s\r\nContent-Type: application/json\r\n'
                                      'Content-Length: %d\r\n\r\n' % (status, len(data))).encode() + data)

        class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
            daemon_threads = True

        self.server = Server(path, Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def have(program):
    return shutil.which(program) is not None


def main(setup):
    """Runs the unittest cases of the calling module after setup(argv)
    (which may exit 77 to skip)."""
    # A signal ignored here (nohup, some CI runners) would stay ignored in
    # the tool and its commands, and sh cannot trap what it starts with
    # ignored: the defaults, as a terminal would give.
    for sig in (signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2,
                signal.SIGWINCH):
        signal.signal(sig, signal.SIG_DFL)
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    setup(sys.argv[1:])
    prog = unittest.main(module='__main__', argv=[sys.argv[0]], verbosity=2, exit=False)
    sys.exit(0 if prog.result.wasSuccessful() else 1)
