// SPDX-License-Identifier: Apache-2.0
// netns-bench: what libnetns costs over the system calls it stands for.
//
// For each operation the library call (through the C ABI of libnetns.so)
// and a hand-written equivalent made of the minimal raw system calls run in
// the same process, interleaved round by round (lib, raw, lib, raw, ...).
// A round is N iterations, N chosen so that a round lasts about
// --round-ms milliseconds; the result is the median ns/op over the rounds
// and the ratio lib/raw. See doc/bench.md.
//
// Some 0.2 operations have a peer from elsewhere as well: netns_run_isolated
// is also compared with CNI's ns.Do in Go (bench/go/cni-do, a program this
// one starts once and asks for one round at a time through a pipe, so its
// rounds interleave with ours), and netns_spawn_named is compared with
// `ip netns exec`. Since 0.4 the netns tool (cli/) is compared with
// `ip netns` too: exec, add + del, and list -j at scale, all as processes;
// since 0.5 those rows also count the page faults of each side's processes
// (a process start costs in proportion to them on the VM the targets are
// judged on), and netns_create and netns_get_from_name are measured against
// the in-place sequence and the two-call lookup by hand (issue 16).
//
// The program enters the test sandbox first (tests/support/sandbox.h: a private
// mount namespace, and a user namespace when not root, /run a private
// tmpfs), and names namespaces in a private run directory under that /run
// (NETNS_RUN_DIR), so nothing it does outlives it.
//
// Usage: netns-bench [--rounds R] [--round-ms MS] [--only OP[,OP...]]
//                    [--iters N] [--side lib|raw|both] [--clock cpu|wall]
//                    [--go-peer PATH|none] [--tool PATH|none] [--cpu N|any]
//                    [--scale N]
//   --cpu: the CPU everything runs on (default: the last one allowed);
//   --iters N fixes N (no calibration) and --side runs one side only: for
//   profiling, e.g.
//   valgrind --tool=callgrind --toggle-collect='*::lib_get()'
//            netns-bench --only get_close --side lib --rounds 1 --iters 200
//   (--side raw keeps the Go peer: it is a hand-written side too.)
#include "harness.hpp"

#include "ops.hpp"
#include "sandbox.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <string>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#ifndef NETNS_BENCH_GO_PEER
#define NETNS_BENCH_GO_PEER "" // not built: go or the CNI package missing
#endif

namespace bench {

// 1. get + close

void lib_get()
{
    int fd = lib_ok(netns_get(), "netns_get");
    lib_ok(netns_close(&fd), "netns_close");
}

void raw_get()
{
    int fd = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open");
    ::close(fd);
}

// 3. equal

void lib_equal() { sink = netns_equal(env.home, env.home2); }

void raw_equal()
{
    struct stat a, b;
    if (::fstat(env.home, &a) < 0 || ::fstat(env.home2, &b) < 0) {
        sink = 0;
        return;
    }
    sink = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// 4. from_name + close

void lib_from_name()
{
    int fd = lib_ok(netns_get_from_name(env.probe_name.c_str()), "netns_get_from_name");
    lib_ok(netns_close(&fd), "netns_close");
}

void raw_from_name()
{
    // A hand-written lookup takes a name too: it builds the path, opens it
    // and checks the namespace type (issue 16: the two-call sequence).
    char path[PATH_MAX];
    std::snprintf(path, sizeof path, "%s/%s", env.run_dir.c_str(), env.probe_name.c_str());
    int fd = sys_ok(::open(path, O_RDONLY | O_CLOEXEC), "open");
    if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        die("NS_GET_NSTYPE", EINVAL);
    ::close(fd);
}

// 4b. from_path + close: the careful lookup of any caller's path

void lib_from_path()
{
    int fd = lib_ok(netns_get_from_path(env.probe_path.c_str()), "netns_get_from_path");
    lib_ok(netns_close(&fd), "netns_close");
}

// The same two calls as raw_from_name, on the same entry.
void raw_open_type()
{
    int fd = sys_ok(::open(env.probe_path.c_str(), O_RDONLY | O_CLOEXEC), "open");
    if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        die("NS_GET_NSTYPE", EINVAL);
    ::close(fd);
}

// Two ways a cheap lookup could have checked more, by hand, each against
// raw_open_type: what one more call costs (doc/bench.md).
// fstat after the open: the file type of what was opened.
void hand_open_fstat()
{
    int fd = sys_ok(::open(env.probe_path.c_str(), O_RDONLY | O_CLOEXEC), "open");
    struct stat st;
    sys_ok(::fstat(fd, &st), "fstat");
    if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        die("NS_GET_NSTYPE", EINVAL);
    ::close(fd);
}

// stat before the open: the file type before anything is opened (racy).
void hand_stat_open()
{
    struct stat st;
    sys_ok(::stat(env.probe_path.c_str(), &st), "stat");
    raw_open_type();
}

// As safely as netns_get_from_path, by hand: resolve with O_PATH, check
// that it is on nsfs, reopen that very inode, then check the type.
void raw_from_path_careful()
{
    const char *path = env.probe_path.c_str();
    int where = sys_ok(::open(path, O_PATH | O_CLOEXEC), "open");
    struct statfs fs;
    if (::fstatfs(where, &fs) < 0 || fs.f_type != static_cast<decltype(fs.f_type)>(NSFS_MAGIC))
        die("fstatfs", EINVAL);
    char again[40];
    std::snprintf(again, sizeof again, "/proc/thread-self/fd/%d", where);
    int fd = sys_ok(::open(again, O_RDONLY | O_CLOEXEC), "open");
    ::close(where);
    if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        die("NS_GET_NSTYPE", EINVAL);
    ::close(fd);
}

// 5. from_pid + close

void lib_from_pid()
{
    int fd = lib_ok(netns_get_from_pid(env.pid), "netns_get_from_pid");
    lib_ok(netns_close(&fd), "netns_close");
}

void raw_from_pid()
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/ns/net", static_cast<int>(env.pid));
    int fd = sys_ok(::open(path, O_RDONLY | O_CLOEXEC), "open");
    ::close(fd);
}

// 2. set there and back

void lib_set()
{
    lib_ok(netns_set(env.other), "netns_set");
    lib_ok(netns_set(env.home), "netns_set");
}

void raw_set()
{
    sys_ok(::setns(env.other, CLONE_NEWNET), "setns");
    sys_ok(::setns(env.home, CLONE_NEWNET), "setns");
}

// 6. new_named, switch back, delete

void lib_new_named()
{
    int fd = lib_ok(netns_new_named(env.churn_name.c_str()), "netns_new_named");
    lib_ok(netns_set(env.home), "netns_set");
    lib_ok(netns_close(&fd), "netns_close");
    lib_ok(netns_delete_named(env.churn_name.c_str()), "netns_delete_named");
}

// iproute2's `ip netns add` + `ip netns delete`, minus what does not apply:
// the minimal sequence that gives the same result and the same guarantees
// (the lock, a shared run directory, O_EXCL on the name).
void raw_new_named()
{
    const char *dir = env.run_dir.c_str();
    char path[PATH_MAX];
    std::snprintf(path, sizeof path, "%s/%s", dir, env.churn_name.c_str());

    // mkdir -p, the short way: the directory is there almost always.
    if (::mkdir(dir, 0755) < 0 && errno != EEXIST)
        die("mkdir", errno); // (a real mkdir -p would walk up on ENOENT)
    int lock = sys_ok(::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), "open dir");
    sys_ok(::flock(lock, LOCK_EX), "flock");
    if (::mount("", dir, "none", MS_SHARED | MS_REC, nullptr) < 0) {
        if (errno != EINVAL)
            die("mount shared", errno);
        sys_ok(::mount(dir, dir, "none", MS_BIND | MS_REC, nullptr), "mount self-bind");
        sys_ok(::mount("", dir, "none", MS_SHARED | MS_REC, nullptr), "mount shared");
    }
    int entry = sys_ok(::open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0), "open excl");
    ::close(entry);
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::unshare(CLONE_NEWNET), "unshare");
    sys_ok(::mount("/proc/thread-self/ns/net", path, "none", MS_BIND, nullptr), "mount bind");
    int made = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open new");
    ::close(lock);
    // switch back
    sys_ok(::setns(saved, CLONE_NEWNET), "setns");
    ::close(saved);
    ::close(made);
    // delete
    sys_ok(::umount2(path, MNT_DETACH), "umount2");
    sys_ok(::unlink(path), "unlink");
}

// 7. new, switch back, close

void lib_new()
{
    int fd = lib_ok(netns_new(), "netns_new");
    lib_ok(netns_set(env.home), "netns_set");
    lib_ok(netns_close(&fd), "netns_close");
}

void raw_new()
{
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::unshare(CLONE_NEWNET), "unshare");
    int made = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open new");
    sys_ok(::setns(saved, CLONE_NEWNET), "setns");
    ::close(saved);
    ::close(made);
}

// Since 0.2: netns_create leaves the calling thread where it was.

// 8. create (anonymous) + close

void lib_create()
{
    int fd = lib_ok(netns_create(nullptr), "netns_create");
    lib_ok(netns_close(&fd), "netns_close");
}

// The in-place sequence by hand (issue 16's floor): open the thread's
// namespace, unshare, open the new one, setns back; no check of the way
// back, no signal mask.
void raw_create() { raw_new(); }

// The same on a thread of its own: a thread that unshares and opens its
// new namespace, joined; the caller never moves (what netns_create did
// before 0.5, and still does where the way back is refused).
namespace {

void *raw_create_thread(void *out)
{
    int *fd = static_cast<int *>(out);
    if (::unshare(CLONE_NEWNET) < 0)
        *fd = -errno;
    else if ((*fd = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
        *fd = -errno;
    return nullptr;
}

} // namespace

void raw_create_on_thread()
{
    int fd = -1;
    pthread_t t;
    int rc = ::pthread_create(&t, nullptr, raw_create_thread, &fd);
    if (rc != 0)
        die("pthread_create", rc);
    ::pthread_join(t, nullptr);
    if (fd < 0)
        die("unshare + open", -fd);
    ::close(fd);
}

// 8b. create (named) + close + delete

void lib_create_named()
{
    int fd = lib_ok(netns_create(env.churn_name.c_str()), "netns_create");
    lib_ok(netns_close(&fd), "netns_close");
    lib_ok(netns_delete_named(env.churn_name.c_str()), "netns_delete_named");
}

// Since 0.2: every operation here leaves the calling thread where it was.

namespace {

// The function run in a namespace: nothing, called through a pointer the
// compiler cannot see through, on both sides.
int empty_fn(void *) { return 7; }
netns_fn volatile fn_ptr = empty_fn;

} // namespace

// 9. run

void lib_run()
{
    int result = 0;
    lib_ok(netns_run(env.probe, fn_ptr, nullptr, &result), "netns_run");
    sink = result;
}

void raw_run()
{
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::setns(env.probe, CLONE_NEWNET), "setns");
    int result = fn_ptr(nullptr);
    sys_ok(::setns(saved, CLONE_NEWNET), "setns back");
    ::close(saved);
    sink = result;
}

// 10. run_isolated

void lib_run_isolated()
{
    int result = 0;
    lib_ok(netns_run_isolated(env.probe, fn_ptr, nullptr, &result), "netns_run_isolated");
    sink = result;
}

namespace {

struct IsolatedCall {
    int ns;
    int result;
    int err;
};

void *raw_isolated_thread(void *p)
{
    auto *call = static_cast<IsolatedCall *>(p);
    if (::setns(call->ns, CLONE_NEWNET) < 0)
        call->err = errno;
    else
        call->result = fn_ptr(nullptr);
    return nullptr; // the thread, and its namespace, end here
}

} // namespace

void raw_run_isolated()
{
    IsolatedCall call{env.probe, 0, 0};
    pthread_t t;
    int rc = ::pthread_create(&t, nullptr, raw_isolated_thread, &call);
    if (rc != 0)
        die("pthread_create", rc);
    ::pthread_join(t, nullptr);
    if (call.err != 0)
        die("setns", call.err);
    sink = call.result;
}

// 11. socket + close

void lib_socket()
{
    int s = lib_ok(netns_socket(env.probe, AF_INET, SOCK_DGRAM, 0), "netns_socket");
    ::close(s);
}

void raw_socket()
{
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::setns(env.probe, CLONE_NEWNET), "setns");
    int s = sys_ok(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket");
    sys_ok(::setns(saved, CLONE_NEWNET), "setns back");
    ::close(saved);
    ::close(s);
}

// The same calls as netns_socket makes: it first checks that the thread
// may come back (a setns into its own namespace), so that a caller that may
// enter but not leave gets EPERM instead of a stranded thread.
void raw_socket_checked()
{
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::setns(saved, CLONE_NEWNET), "setns (check)");
    sys_ok(::setns(env.probe, CLONE_NEWNET), "setns");
    int s = sys_ok(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket");
    sys_ok(::setns(saved, CLONE_NEWNET), "setns back");
    ::close(saved);
    ::close(s);
}

// 12. spawn /bin/true + waitpid

namespace {
char true_arg0[] = "true";
} // namespace
char true_path[] = "/bin/true";
char *const true_argv[] = {true_arg0, nullptr};

void lib_spawn()
{
    pid_t pid;
    lib_ok(netns_spawn(&pid, env.probe, true_path, nullptr, nullptr, true_argv, environ),
           "netns_spawn");
    reap(pid, "netns_spawn /bin/true");
}

void raw_spawn()
{
    pid_t pid = sys_ok(::fork(), "fork");
    if (pid == 0) {
        if (::setns(env.probe, CLONE_NEWNET) < 0)
            ::_exit(126);
        ::execve(true_path, true_argv, environ);
        ::_exit(127);
    }
    reap(pid, "fork + setns + execve /bin/true");
}

// 13. spawn_named /bin/true + waitpid, against `ip netns exec NAME /bin/true`

void lib_spawn_named()
{
    pid_t pid;
    lib_ok(netns_spawn_named(&pid, env.probe_name.c_str(), true_path, nullptr, nullptr, true_argv,
                             environ),
           "netns_spawn_named");
    reap(pid, "netns_spawn_named /bin/true");
}

void raw_spawn_named()
{
    char arg0[] = "ip", arg1[] = "netns", arg2[] = "exec";
    char *const argv[] = {arg0,      arg1,   arg2, const_cast<char *>(env.probe_name.c_str()),
                          true_path, nullptr};
    pid_t pid;
    int rc = ::posix_spawn(&pid, env.ip.c_str(), nullptr, nullptr, argv, environ);
    if (rc != 0)
        die("posix_spawn ip", rc);
    reap(pid, "ip netns exec NAME /bin/true");
}

bool GoPeer::start()
{
    if (pid > 0)
        return true;
    if (path.empty()) {
        if (reason.empty()) // (--go-peer none says so itself)
            reason = "not built (needs go and golang-github-containernetworking-plugins-dev "
                     "when meson configures)";
        return false;
    }
    if (::access(path.c_str(), X_OK) < 0) {
        reason = path + ": " + std::strerror(errno);
        return false;
    }
    int in[2], out[2];
    sys_ok(::pipe2(in, O_CLOEXEC), "pipe2");
    sys_ok(::pipe2(out, O_CLOEXEC), "pipe2");
    posix_spawn_file_actions_t fa;
    ::posix_spawn_file_actions_init(&fa);
    ::posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    ::posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    std::string ns_path = env.run_dir + "/" + env.probe_name;
    std::vector<std::string> args = {
        path, "-path", ns_path, "-clock", wall_clock ? "wall" : "cpu", "-serve"};
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = ::posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        pid = -1;
        reason = std::string("posix_spawn ") + path + ": " + std::strerror(rc);
        return false;
    }
    to = ::fdopen(in[1], "w");
    from = ::fdopen(out[0], "r");
    return true;
}

// ns per call of n ns.Do calls, or NaN (and reason) if the peer failed.
double GoPeer::round(long n)
{
    char line[64];
    if (std::fprintf(to, "%ld\n", n) < 0 || std::fflush(to) != 0 ||
        std::fgets(line, sizeof line, from) == nullptr) {
        reason = "the Go peer failed (its stderr above)";
        return NAN;
    }
    return std::atof(line);
}

void GoPeer::stop()
{
    if (pid <= 0)
        return;
    std::fclose(to); // EOF on its stdin: it exits
    std::fclose(from);
    int status;
    ::waitpid(pid, &status, 0);
    pid = -1;
}

GoPeer go_peer;

Scale scale;

namespace {

// The callbacks of every walk, lib and by hand: count, never stop.
int count_name(const char *, void *arg)
{
    ++*static_cast<long *>(arg);
    return 0;
}
int count_pid(pid_t, void *arg)
{
    ++*static_cast<long *>(arg);
    return 0;
}

} // namespace

netns_name_cb volatile name_cb = count_name;
netns_pid_cb volatile pid_cb = count_pid;

bool dot_or_dotdot(const char *n)
{
    return n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0));
}

// The walks, each counting what it finds: the library's (a failure throws)
// and the same by hand.

namespace {

// The walk of the run directory by hand: a bare readdir and one fstatat
// per entry, in directory order (no sort); the entries whose stat `match`
// accepts go to name_cb.
template <typename Match> long walk_run_dir(Match match)
{
    DIR *d = ::opendir(env.run_dir.c_str());
    if (d == nullptr)
        die("opendir run dir", errno);
    int dfd = ::dirfd(d);
    long c = 0;
    while (struct dirent *e = ::readdir(d)) {
        if (dot_or_dotdot(e->d_name))
            continue;
        struct stat st;
        if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && match(st))
            name_cb(e->d_name, &c);
    }
    ::closedir(d);
    return c;
}

long lib_list_count()
{
    long c = 0;
    lib_ok(netns_list(name_cb, &c), "netns_list");
    return c;
}

long lib_identify_count()
{
    long c = 0;
    lib_ok(netns_identify(scale.id_pid, name_cb, &c), "netns_identify");
    return c;
}

// What `ip netns identify` does, in process: stat the process's namespace,
// then readdir + one fstatat per entry, comparing device and inode.
long raw_identify_count()
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/ns/net", static_cast<int>(scale.id_pid));
    struct stat ns;
    sys_ok(::stat(path, &ns), "stat /proc/PID/ns/net");
    return walk_run_dir(
        [&ns](const struct stat &st) { return st.st_dev == ns.st_dev && st.st_ino == ns.st_ino; });
}

// pids: every side starts from the name.
long lib_pids_count()
{
    int fd = lib_ok(netns_get_from_name(scale.pids_name.c_str()), "netns_get_from_name");
    long c = 0;
    int rc = netns_pids(fd, pid_cb, &c);
    (void)netns_close(&fd);
    lib_ok(rc, "netns_pids");
    return c;
}

// What `ip netns pids` does, in process: the name's device and inode, then
// every numeric entry of /proc, stat of <pid>/ns/net, compare. /proc lists
// pids in ascending order already. Processes that vanish or that may not
// be inspected fail their fstatat and are skipped.
long raw_pids_count()
{
    char path[PATH_MAX];
    std::snprintf(path, sizeof path, "%s/%s", env.run_dir.c_str(), scale.pids_name.c_str());
    struct stat ns;
    sys_ok(::stat(path, &ns), "stat run dir entry");
    DIR *d = ::opendir("/proc");
    if (d == nullptr)
        die("opendir /proc", errno);
    int dfd = ::dirfd(d);
    long c = 0;
    while (struct dirent *e = ::readdir(d)) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char rel[NAME_MAX + 16];
        std::snprintf(rel, sizeof rel, "%s/ns/net", e->d_name);
        struct stat st;
        if (::fstatat(dfd, rel, &st, 0) == 0 && st.st_dev == ns.st_dev && st.st_ino == ns.st_ino)
            pid_cb(static_cast<pid_t>(std::atoi(e->d_name)), &c);
    }
    ::closedir(d);
    return c;
}

// The check of a walk that must find exactly one, on both sides.
bool found_one(const char *call, const char *unit, long lib, long raw, std::string &why)
{
    if (lib == 1 && raw == 1)
        return true;
    why = std::string(call) + " reported " + std::to_string(lib) + " " + unit + ", by hand " +
          std::to_string(raw) + " (expected 1)";
    return false;
}

} // namespace

// The walk by hand: an entry counts when it is on nsfs, i.e. a mounted
// namespace file.
long raw_list_count()
{
    return walk_run_dir([](const struct stat &st) { return st.st_dev == scale.nsfs_dev; });
}

// The timed sides: the library, by hand and ip.

// list

void lib_list() { sink = static_cast<int>(lib_list_count()); }

void raw_list() { sink = static_cast<int>(raw_list_count()); }

void ip_list()
{
    char a0[] = "ip", a1[] = "-j", a2[] = "netns", a3[] = "list";
    char *const argv[] = {a0, a1, a2, a3, nullptr};
    run_ip(argv, "ip -j netns list");
}

// identify

void lib_identify() { sink = static_cast<int>(lib_identify_count()); }

void raw_identify() { sink = static_cast<int>(raw_identify_count()); }

void ip_identify()
{
    char a0[] = "ip", a1[] = "netns", a2[] = "identify";
    char *const argv[] = {a0, a1, a2, scale.pid_arg.data(), nullptr};
    run_ip(argv, "ip netns identify PID");
}

// pids

void lib_pids() { sink = static_cast<int>(lib_pids_count()); }

void raw_pids() { sink = static_cast<int>(raw_pids_count()); }

void ip_pids()
{
    char a0[] = "ip", a1[] = "netns", a2[] = "pids";
    char *const argv[] = {a0, a1, a2, scale.pids_name.data(), nullptr};
    run_ip(argv, "ip netns pids NAME");
}

// The checks before timing: the library and the hand-written walk must
// find the same, and what was made.
bool check_list(std::string &why)
{
    long lib = lib_list_count(), raw = raw_list_count();
    if (lib != raw || raw < scale.want) {
        why = "netns_list reported " + std::to_string(lib) + " names, readdir found " +
              std::to_string(raw) + " (made " + std::to_string(scale.want) + ")";
        return false;
    }
    return true;
}

bool check_identify(std::string &why)
{
    long lib = lib_identify_count(), raw = raw_identify_count();
    return found_one("netns_identify", "names", lib, raw, why);
}

bool check_pids(std::string &why)
{
    long lib = lib_pids_count(), raw = raw_pids_count();
    return found_one("netns_pids", "pids", lib, raw, why);
}

// ---------------------------------------------------------------------------
// Making and removing the scale namespaces and processes.

namespace {

long count_procs()
{
    DIR *d = ::opendir("/proc");
    long n = 0;
    if (d == nullptr)
        return -1;
    while (struct dirent *e = ::readdir(d))
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
            ++n;
    ::closedir(d);
    return n;
}

// A process that sleeps in the namespace the parent's thread is in when it
// forks, until it is killed, or its parent dies.
pid_t sleeper(pid_t parent)
{
    pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) // the parent died before the prctl
            ::_exit(0);
        ::close_range(3, ~0U, 0); // no pipe (the Go peer's) stays open here
        for (;;)
            ::pause();
    }
    return pid;
}

void scale_kill_children()
{
    for (pid_t pid : scale.children)
        ::kill(pid, SIGKILL);
    for (pid_t pid : scale.children)
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    scale.children.clear();
}

void scale_setup()
{
    scale.tried = true;
    if (scale.want <= 0) {
        scale.skip = "scale 0 (--scale / NETNS_BENCH_SCALE)";
        return;
    }
    struct stat home;
    sys_ok(::fstat(env.home, &home), "fstat");
    scale.nsfs_dev = home.st_dev;
    scale.small = std::min(scale.small, scale.want);
    scale.mid = std::max(scale.small, scale.want / 2);
    std::printf("(scale: making %ld named namespaces with one sleeping process in each ...)\n",
                scale.want);
    std::fflush(stdout);
    // Children die by SIGKILL from here on, also when the benchmark exits
    // through die().
    std::atexit(scale_kill_children);
    pid_t self = ::getpid();
    scale.t_start = wall_ns();
    uint64_t c0 = cpu_ns();
    double pause_wall = 0, pause_cpu = 0; // the first memory measure
    for (long i = 0; i < scale.want; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "bench-scale-%05ld", i);
        int fd = netns_create(name);
        if (fd < 0) {
            scale.skip = std::string("netns_create(\"") + name + "\") after " + std::to_string(i) +
                         ": " + std::strerror(-fd);
            scale_teardown();
            return;
        }
        scale.names.push_back(name);
        // The child is born in the namespace: fork between two setns.
        sys_ok(::setns(fd, CLONE_NEWNET), "setns");
        pid_t pid = sleeper(self);
        int err = errno;
        sys_ok(::setns(env.home, CLONE_NEWNET), "setns back");
        (void)netns_close(&fd);
        if (pid < 0) {
            scale.skip = "fork after " + std::to_string(i) + ": " + std::strerror(err);
            scale_teardown();
            return;
        }
        scale.children.push_back(pid);
        if (i + 1 == scale.small || (i + 1 == scale.mid && scale.mid > scale.small)) {
            scale.id_pid = scale.children[0];
            scale.pids_name = scale.names[0];
            uint64_t w = wall_ns(), c = cpu_ns();
            measure_memory(i + 1 == scale.small ? 0 : 1);
            pause_wall += static_cast<double>(wall_ns() - w) / 1e9;
            pause_cpu += static_cast<double>(cpu_ns() - c) / 1e9;
        }
    }
    scale.setup_wall = static_cast<double>(wall_ns() - scale.t_start) / 1e9 - pause_wall;
    scale.setup_cpu = static_cast<double>(cpu_ns() - c0) / 1e9 - pause_cpu;
    if (scale.want > scale.mid)
        measure_memory(2);
    share_memory_sizes();
    // The one looked at by the timed walks: in the middle.
    long mid = scale.want / 2;
    scale.id_pid = scale.children[static_cast<size_t>(mid)];
    scale.pid_arg = std::to_string(scale.id_pid);
    scale.pids_name = scale.names[static_cast<size_t>(mid)];
    scale.procs = count_procs();
    scale.ip_sees = env.ip_dir && ip_sees(scale.pids_name);
    std::printf("(scale: made in %.1f s wall, %.1f s CPU; /proc lists %ld processes)\n",
                scale.setup_wall, scale.setup_cpu, scale.procs);
    std::fflush(stdout);
}

} // namespace

void scale_teardown()
{
    if (scale.names.empty() && scale.children.empty())
        return;
    uint64_t t0 = wall_ns();
    scale_kill_children();
    for (const std::string &n : scale.names)
        (void)netns_delete_named(n.c_str());
    scale.names.clear();
    scale.teardown_wall = static_cast<double>(wall_ns() - t0) / 1e9;
}

bool scale_ready(std::string &why)
{
    if (!scale.tried)
        scale_setup();
    if (!scale.skip.empty()) {
        why = scale.skip;
        return false;
    }
    return true;
}

bool scale_ip_ready(std::string &why)
{
    if (!ip_ready(why))
        return false;
    if (!scale.ip_sees) {
        why = "/run/netns does not show the scale names (mount propagation)";
        return false;
    }
    return true;
}

namespace {

char status_buf[8192]; // static and touched before the reset: no new page

long status_kib(const char *field)
{
    int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = ::read(fd, status_buf, sizeof status_buf - 1);
    ::close(fd);
    if (n <= 0)
        return -1;
    status_buf[n] = 0;
    const char *p = std::strstr(status_buf, field);
    return p ? std::atol(p + std::strlen(field)) : -1;
}

// The calls measured; each returns what it found (or a -errno).
long mem_list()
{
    long c = 0;
    int rc = netns_list(name_cb, &c);
    return rc < 0 ? rc : c;
}
long mem_identify()
{
    long c = 0;
    int rc = netns_identify(scale.id_pid, name_cb, &c);
    return rc < 0 ? rc : c;
}
int mem_pids_fd = -1;
long mem_pids()
{
    long c = 0;
    int rc = netns_pids(mem_pids_fd, pid_cb, &c);
    return rc < 0 ? rc : c;
}
// The controls. A bare readdir + fstatat walk: what glibc's readdir buffer
// (32 KiB, filled further the more entries there are) costs any walk.
long mem_readdir() { return raw_list_count(); }
// What collecting every name (then sorting) costs, to show that the
// measure sees it.
long mem_collect()
{
    std::vector<std::string> all;
    DIR *d = ::opendir(env.run_dir.c_str());
    if (d == nullptr)
        return -errno;
    while (struct dirent *e = ::readdir(d))
        if (!dot_or_dotdot(e->d_name))
            all.emplace_back(e->d_name);
    ::closedir(d);
    std::sort(all.begin(), all.end());
    long c = 0;
    for (const std::string &n : all)
        name_cb(n.c_str(), &c);
    return c;
}

struct MemCall {
    const char *name, *what;
    long (*call)();
    long kib[3] = {-1, -1, -1}; // at the small, the middle and the full size
    std::string failed;
    bool control = false;
};

MemCall mem_calls[] = {
    {"mem_list", "netns_list", mem_list, {-1, -1, -1}, {}, false},
    {"mem_identify", "netns_identify (one pid)", mem_identify, {-1, -1, -1}, {}, false},
    {"mem_pids", "netns_pids (one name)", mem_pids, {-1, -1, -1}, {}, false},
    {"mem_readdir", "control: readdir + fstatat by hand", mem_readdir, {-1, -1, -1}, {}, true},
    {"mem_collect", "control: all names into a vector", mem_collect, {-1, -1, -1}, {}, true},
};
// Streamed: no growth from N/2 to N names (by then every bounded buffer,
// glibc's readdir buffer and netns_list's batch, is full), but for a page
// or two of noise.
constexpr long mem_target_kib = 8;
// Below this many names at N/2 those buffers are not full yet (glibc's
// 32 KiB holds about 800 entries of these names): not judged.
constexpr long mem_judged_from = 1000;

// Growth in KiB, or -errno (of the call, or of the measure).
long mem_growth(long (*call)())
{
    int p[2];
    sys_ok(::pipe2(p, O_CLOEXEC), "pipe2");
    std::fflush(stdout);
    pid_t pid = sys_ok(::fork(), "fork");
    if (pid == 0) {
        ::close(p[0]);
        long out = 0;
        long rc = call();
        if (rc < 0) {
            out = rc;
        } else {
            ::malloc_trim(0);
            (void)status_kib("VmRSS:");
            int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
            if (fd < 0 || ::write(fd, "5", 1) != 1) {
                out = -errno;
            } else {
                ::close(fd);
                long before = status_kib("VmRSS:");
                rc = call();
                long peak = status_kib("VmHWM:");
                out = rc < 0 ? rc : (before < 0 || peak < 0) ? -EIO : peak - before;
            }
        }
        (void)!::write(p[1], &out, sizeof out);
        ::_exit(0);
    }
    ::close(p[1]);
    long out = -EIO;
    if (::read(p[0], &out, sizeof out) != static_cast<ssize_t>(sizeof out))
        out = -EIO;
    ::close(p[0]);
    reap(pid, "memory measure");
    return out;
}

} // namespace

// Each call measured in 3 children; the median.
void measure_memory(int which)
{
    mem_pids_fd = netns_get_from_name(scale.pids_name.c_str());
    for (MemCall &m : mem_calls) {
        std::vector<double> v;
        for (int i = 0; i < 3; ++i) {
            long g = mem_growth(m.call);
            if (g < 0) {
                m.failed = std::string("failed: ") + std::strerror(static_cast<int>(-g));
                break;
            }
            v.push_back(static_cast<double>(g));
        }
        if (m.failed.empty())
            m.kib[which] = static_cast<long>(median(v));
    }
    (void)netns_close(&mem_pids_fd);
}

// Sizes that coincide share their measure.
void share_memory_sizes()
{
    for (MemCall &m : mem_calls) {
        if (scale.mid <= scale.small)
            m.kib[1] = m.kib[0];
        if (scale.want <= scale.mid)
            m.kib[2] = m.kib[1];
    }
}

// The memory table, after the timed rows.
void print_memory()
{
    std::printf("\npeak RSS growth of one call, KiB (VmHWM after it - VmRSS before it, in a "
                "forked child; median of 3)\n");
    auto col = [](long n) { return std::to_string(n) + " names"; };
    std::string d_small = std::to_string(scale.small) + "->" + std::to_string(scale.want);
    std::string d_mid = std::to_string(scale.mid) + "->" + std::to_string(scale.want);
    std::printf("%-36s %10s %10s %10s %10s %10s  %s\n", "call", col(scale.small).c_str(),
                col(scale.mid).c_str(), col(scale.want).c_str(), d_small.c_str(), d_mid.c_str(),
                "target");
    for (const MemCall &m : mem_calls) {
        if (!m.failed.empty()) {
            std::printf("%-36s %s\n", m.what, m.failed.c_str());
            continue;
        }
        long d = m.kib[2] - m.kib[1];
        std::printf("%-36s %10ld %10ld %10ld %10ld %10ld  ", m.what, m.kib[0], m.kib[1], m.kib[2],
                    m.kib[2] - m.kib[0], d);
        if (m.control)
            std::printf("(reference)\n");
        else if (scale.mid < mem_judged_from)
            std::printf("<=%ld n/a (%ld names: buffers not full)\n", mem_target_kib, scale.mid);
        else
            std::printf("<=%ld %s\n", mem_target_kib, d <= mem_target_kib ? "ok" : "MISSED");
    }
    std::fflush(stdout);
}

void print_memory_lines()
{
    for (const MemCall &m : mem_calls) {
        if (!m.failed.empty()) {
            std::printf("BENCH op=%s failed=\"%s\"\n", m.name, m.failed.c_str());
            continue;
        }
        long d = m.kib[2] - m.kib[1];
        std::printf("BENCH op=%s names=%ld,%ld,%ld kib=%ld,%ld,%ld growth_kib=%ld "
                    "target_kib=%ld met=%s\n",
                    m.name, scale.small, scale.mid, scale.want, m.kib[0], m.kib[1], m.kib[2], d,
                    m.control ? 0 : mem_target_kib,
                    m.control || scale.mid < mem_judged_from ? "n/a"
                    : d <= mem_target_kib                    ? "yes"
                                                             : "no");
    }
}

Tool tool;

// The netns tool's environment: ours without NETNS_RUN_DIR, so that it
// uses /run/netns as ip does; for another build (--tool), also without
// LD_LIBRARY_PATH (meson's, pointing at our libnetns.so), so that it
// loads its own library through its RUNPATH.
void setup_tool()
{
    for (char **e = environ; *e != nullptr; ++e)
        if (std::strncmp(*e, "NETNS_RUN_DIR=", 14) != 0 &&
            !(tool.other && std::strncmp(*e, "LD_LIBRARY_PATH=", 16) == 0))
            tool.env_store.emplace_back(*e);
    for (std::string &e : tool.env_store)
        tool.envp.push_back(e.data());
    tool.envp.push_back(nullptr);
    for (const char *r : {"/usr/bin/readlink", "/bin/readlink"})
        if (tool.readlink.empty() && ::access(r, X_OK) == 0)
            tool.readlink = r;
}

namespace {

// `netns ARGS...` (argv[0] is "netns"): it must exit 0.
void run_tool(char *const argv[], const char *what)
{
    pid_t pid = start_cmd(tool.path.c_str(), argv, tool.envp.data());
    if (pid < 0)
        throw ChildFailure{std::string("posix_spawn ") + tool.path + ": " + std::strerror(-pid)};
    int status = wait_status(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw ChildFailure{std::string(what) + ": " + status_text(status)};
}

// For the checks: runs a command, returns its wait status (or -errno) and
// its stdout and stderr (through memfds: no pipe to fill up).
int run_capture(const std::string &path, const std::vector<std::string> &args, char *const envp[],
                std::string &out, std::string &err)
{
    std::vector<std::string> a = args;
    std::vector<char *> argv;
    for (std::string &s : a)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    int o = sys_ok(::memfd_create("bench-out", MFD_CLOEXEC), "memfd_create");
    int e = sys_ok(::memfd_create("bench-err", MFD_CLOEXEC), "memfd_create");
    pid_t pid = start_cmd(path.c_str(), argv.data(), envp, o, e);
    int status = pid < 0 ? pid : wait_status(pid);
    for (auto [fd, text] : {std::pair<int, std::string *>{o, &out}, {e, &err}}) {
        text->clear();
        char buf[65536];
        ssize_t n;
        ::lseek(fd, 0, SEEK_SET);
        while ((n = ::read(fd, buf, sizeof buf)) > 0)
            text->append(buf, static_cast<size_t>(n));
        ::close(fd);
    }
    return status;
}

// "`cmd` exited with status 1: <its first line of stderr>"
std::string failure_text(const std::vector<std::string> &args, int status, const std::string &err)
{
    std::string cmd;
    for (const std::string &a : args)
        cmd += (cmd.empty() ? "" : " ") + a;
    std::string line = err.substr(0, err.find('\n'));
    return "`" + cmd + "` " +
           (status < 0 ? std::string("could not start: ") + std::strerror(-status)
                       : status_text(status)) +
           (line.empty() ? "" : ": " + line);
}

// Runs the tool (args without "netns") or ip (args without "ip"); true when
// it exited 0, else why.
bool capture_ok(bool is_tool, std::vector<std::string> args, std::string &out, std::string &why)
{
    args.insert(args.begin(), is_tool ? "netns" : "ip");
    std::string err;
    int status = run_capture(is_tool ? tool.path : env.ip, args,
                             is_tool ? tool.envp.data() : environ, out, err);
    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        why = failure_text(args, status, err);
        return false;
    }
    return true;
}

} // namespace

bool tool_ready(std::string &why)
{
    if (!ip_ready(why))
        return false;
    if (tool.path.empty()) {
        why = tool.reason.empty() ? "the netns tool was not built" : tool.reason;
        return false;
    }
    if (::access(tool.path.c_str(), X_OK) < 0) {
        why = tool.path + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

bool scale_tool_ready(std::string &why) { return tool_ready(why) && scale_ip_ready(why); }

// exec NAME /bin/true

namespace {
char netns_arg0[] = "netns";
} // namespace

void tool_exec()
{
    char a1[] = "exec";
    char *const argv[] = {netns_arg0, a1, env.probe_name.data(), true_path, nullptr};
    run_tool(argv, "netns exec NAME /bin/true");
}

void ip_exec()
{
    char a0[] = "ip", a1[] = "netns", a2[] = "exec";
    char *const argv[] = {a0, a1, a2, env.probe_name.data(), true_path, nullptr};
    run_ip(argv, "ip netns exec NAME /bin/true");
}

// Both run `readlink /proc/self/ns/net` in the probe: it must name the
// probe's namespace.
bool check_tool_exec(std::string &why)
{
    struct stat probe;
    sys_ok(::fstat(env.probe, &probe), "fstat probe");
    std::string want = "net:[" + std::to_string(probe.st_ino) + "]\n";
    for (bool is_tool : {true, false}) {
        std::string out;
        std::vector<std::string> args = {"exec", env.probe_name, tool.readlink,
                                         "/proc/self/ns/net"};
        if (!is_tool)
            args.insert(args.begin(), "netns");
        if (!capture_ok(is_tool, args, out, why))
            return false;
        if (out != want) {
            why = std::string(is_tool ? "netns" : "ip netns") + " exec " + env.probe_name +
                  " ran in " + out.substr(0, out.find('\n')) + ", not in " +
                  want.substr(0, want.size() - 1);
            return false;
        }
    }
    return true;
}

// add X + del X

void tool_add_del()
{
    char a1[] = "add", d1[] = "del";
    char *const add[] = {netns_arg0, a1, tool.churn.data(), nullptr};
    char *const del[] = {netns_arg0, d1, tool.churn.data(), nullptr};
    try {
        run_tool(add, "netns add NAME");
        run_tool(del, "netns del NAME");
    } catch (const ChildFailure &) {
        (void)netns_delete_named(tool.churn.c_str()); // so that ip's add finds no leftover
        throw;
    }
}

void ip_add_del()
{
    char a0[] = "ip", a1[] = "netns", a2[] = "add", d2[] = "del";
    char *const add[] = {a0, a1, a2, tool.churn.data(), nullptr};
    char *const del[] = {a0, a1, d2, tool.churn.data(), nullptr};
    run_ip(add, "ip netns add NAME");
    run_ip(del, "ip netns del NAME");
}

namespace {

// Where a name lives: "" when it is a namespace in both our run dir and
// /run/netns (the same inode), else what is wrong.
std::string entry_state(const std::string &name, bool want)
{
    struct stat ours, theirs;
    std::string a = env.run_dir + "/" + name, b = "/run/netns/" + name;
    bool has_a = ::stat(a.c_str(), &ours) == 0, has_b = ::stat(b.c_str(), &theirs) == 0;
    struct stat home;
    sys_ok(::fstat(env.home, &home), "fstat");
    if (!want)
        return has_a || has_b ? a + " or " + b + " is still there" : "";
    if (!has_a || !has_b)
        return (has_a ? b : a) + " is missing";
    if (ours.st_dev != theirs.st_dev || ours.st_ino != theirs.st_ino || ours.st_dev != home.st_dev)
        return a + " and " + b + " are not the same namespace";
    return "";
}

} // namespace

// Each side adds the name (seen as a namespace in both directories) and
// deletes it (gone from both).
bool check_tool_add_del(std::string &why)
{
    for (bool is_tool : {true, false}) {
        std::string out, bad;
        const char *who = is_tool ? "netns" : "ip netns";
        std::vector<std::string> add = {"add", tool.churn}, del = {"del", tool.churn};
        if (!is_tool) {
            add.insert(add.begin(), "netns");
            del.insert(del.begin(), "netns");
        }
        if (!capture_ok(is_tool, add, out, why))
            return false;
        if (!(bad = entry_state(tool.churn, true)).empty()) {
            why = std::string("after ") + who + " add: " + bad;
            (void)netns_delete_named(tool.churn.c_str());
            return false;
        }
        if (!capture_ok(is_tool, del, out, why)) {
            (void)netns_delete_named(tool.churn.c_str());
            return false;
        }
        if (!(bad = entry_state(tool.churn, false)).empty()) {
            why = std::string("after ") + who + " del: " + bad;
            return false;
        }
    }
    return true;
}

// list -j, with the scale names

void tool_list()
{
    char a1[] = "list", a2[] = "-j";
    char *const argv[] = {netns_arg0, a1, a2, nullptr};
    run_tool(argv, "netns list -j");
}

namespace {

// The names of a `list -j` document, sorted: every "name":"..." value (the
// names here have no quote or backslash).
std::vector<std::string> json_names(const std::string &doc)
{
    std::vector<std::string> names;
    const std::string key = "\"name\":";
    for (size_t p = doc.find(key); p != std::string::npos; p = doc.find(key, p)) {
        p += key.size();
        while (p < doc.size() && doc[p] == ' ')
            ++p;
        size_t q = doc.find('"', p + 1);
        if (p >= doc.size() || doc[p] != '"' || q == std::string::npos)
            break;
        names.push_back(doc.substr(p + 1, q - p - 1));
        p = q;
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

// Both list the same names, every scale name among them.
bool check_tool_list(std::string &why)
{
    std::string mine, theirs;
    if (!capture_ok(true, {"list", "-j"}, mine, why) ||
        !capture_ok(false, {"-j", "netns", "list"}, theirs, why))
        return false;
    std::vector<std::string> a = json_names(mine), b = json_names(theirs);
    if (a != b || static_cast<long>(a.size()) < scale.want) {
        why = "netns list -j printed " + std::to_string(a.size()) + " names, ip -j netns list " +
              std::to_string(b.size()) + (a == b ? "" : ", not the same") + " (made " +
              std::to_string(scale.want) + ")";
        return false;
    }
    return true;
}

namespace {

// The operations, in the order their rows print (ops.hpp says which file
// defines each side).
const Op ops[] = {
    {"get_close", "netns_get + close", lib_get, raw_get},
    {"set_back", "netns_set there and back", lib_set, raw_set},
    {"equal", "netns_equal", lib_equal, raw_equal},
    // Issue 16: against the two calls that open and check by hand.
    {.name = "from_name",
     .what = "netns_get_from_name + close",
     .lib = lib_from_name,
     .raw = raw_from_name,
     .target = 1.15},
    // get_from_path keeps the careful lookup: against the same two calls
    // (its cost, for the header) and against the careful calls by hand.
    {.name = "from_path",
     .what = "netns_get_from_path vs open+ioctl",
     .lib = lib_from_path,
     .raw = raw_open_type,
     .target = 0},
    {.name = "from_path_careful",
     .what = "netns_get_from_path vs careful by hand",
     .lib = lib_from_path,
     .raw = raw_from_path_careful},
    // For reference, by hand on both sides: what one more check costs over
    // open + NS_GET_NSTYPE + close.
    {.name = "lookup_fstat",
     .what = "by hand: + fstat after the open",
     .lib = hand_open_fstat,
     .raw = raw_open_type,
     .target = 0},
    {.name = "lookup_stat",
     .what = "by hand: + stat before the open",
     .lib = hand_stat_open,
     .raw = raw_open_type,
     .target = 0},
    {.name = "lookup_careful",
     .what = "by hand: the careful lookup",
     .lib = raw_from_path_careful,
     .raw = raw_open_type,
     .target = 0},
    {"from_pid", "netns_get_from_pid + close", lib_from_pid, raw_from_pid},
    {"new_named", "netns_new_named + set back + delete", lib_new_named, raw_new_named},
    {"new", "netns_new + set back + close", lib_new, raw_new},
    // Namespaces are torn down asynchronously, and making them slows down
    // while many are dying: few per round, alternating call by call, so
    // that both sides see the same backlog.
    // Since 0.5 in place: against the in-place sequence by hand (issue 16),
    // and, for reference, against the helper thread of before.
    {.name = "create",
     .what = "netns_create(NULL) + close",
     .lib = lib_create,
     .raw = raw_create,
     .max_iters = 20,
     .per_call = true},
    {.name = "create_thread",
     .what = "netns_create vs a helper thread",
     .lib = lib_create,
     .raw = raw_create_on_thread,
     .target = 0,
     .max_iters = 20,
     .per_call = true},
    {.name = "create_named",
     .what = "netns_create(name) + close + delete",
     .lib = lib_create_named,
     .raw = raw_new_named,
     .max_iters = 20,
     .per_call = true},
    {"run", "netns_run", lib_run, raw_run},
    {.name = "run_isolated",
     .what = "netns_run_isolated",
     .lib = lib_run_isolated,
     .raw = raw_run_isolated,
     .go = true,
     .go_target = 1.00},
    // Against the minimal sequence (no way-back check), and against the
    // same calls by hand.
    {"socket", "netns_socket + close", lib_socket, raw_socket},
    {"socket_checked", "netns_socket vs by hand with its check", lib_socket, raw_socket_checked},
    // A process costs milliseconds: at least 10 per round, call by call.
    {.name = "spawn",
     .what = "netns_spawn /bin/true + waitpid",
     .lib = lib_spawn,
     .raw = raw_spawn,
     .target = 1.00,
     .min_iters = 10,
     .per_call = true},
    {.name = "spawn_named",
     .what = "netns_spawn_named /bin/true + waitpid",
     .lib = lib_spawn_named,
     .raw = raw_spawn_named,
     .target = 0.50,
     .min_iters = 10,
     .per_call = true,
     .ready = ip_ready},
    // 0.4, the netns tool against ip (issue 10, "Speed"): both sides are
    // processes; in the "lib" column the tool. Also on the wall clock: the
    // user waits for that, and CPU time leaves out waits in the kernel
    // (RCU grace periods at umount). See doc/bench.md.
    {.name = "tool_exec",
     .what = "netns exec vs ip netns exec (true)",
     .lib = tool_exec,
     .raw = ip_exec,
     .target = 1.00,
     .min_iters = 10,
     .per_call = true,
     .ready = tool_ready,
     .check = check_tool_exec,
     .wall_too = true,
     .faults = true},
    {.name = "tool_add_del",
     .what = "netns add+del vs ip netns add+del",
     .lib = tool_add_del,
     .raw = ip_add_del,
     .target = 1.00,
     .min_iters = 5,
     .per_call = true,
     .ready = tool_ready,
     .check = check_tool_add_del,
     .wall_too = true,
     .faults = true},
    // 0.3, at scale (--scale N names and processes). A target of 0: for
    // reference, none set.
    {.name = "list",
     .what = "netns_list vs readdir + fstatat",
     .lib = lib_list,
     .raw = raw_list,
     .target = 1.50,
     .scale = true,
     .check = check_list},
    {.name = "list_ip",
     .what = "netns_list vs ip -j netns list",
     .lib = lib_list,
     .raw = ip_list,
     .target = 0.20,
     .min_iters = 3,
     .per_call = true,
     .ready = scale_ip_ready,
     .scale = true},
    {.name = "tool_list",
     .what = "netns list -j vs ip -j netns list",
     .lib = tool_list,
     .raw = ip_list,
     .target = 0.30,
     .min_iters = 3,
     .per_call = true,
     .ready = scale_tool_ready,
     .scale = true,
     .check = check_tool_list,
     .wall_too = true,
     .faults = true},
    {.name = "identify",
     .what = "netns_identify vs readdir + fstatat",
     .lib = lib_identify,
     .raw = raw_identify,
     .target = 0,
     .scale = true,
     .check = check_identify},
    {.name = "identify_ip",
     .what = "netns_identify vs ip netns identify",
     .lib = lib_identify,
     .raw = ip_identify,
     .target = 0.20,
     .min_iters = 3,
     .per_call = true,
     .ready = scale_ip_ready,
     .scale = true},
    {.name = "pids",
     .what = "netns_pids vs /proc scan by hand",
     .lib = lib_pids,
     .raw = raw_pids,
     .target = 0,
     .scale = true,
     .check = check_pids},
    {.name = "pids_ip",
     .what = "netns_pids vs ip netns pids",
     .lib = lib_pids,
     .raw = ip_pids,
     .target = 1.0 / 3,
     .min_iters = 3,
     .per_call = true,
     .ready = scale_ip_ready,
     .scale = true},
};

std::string cpu_model()
{
    FILE *f = std::fopen("/proc/cpuinfo", "r");
    if (f == nullptr)
        return "unknown";
    char line[512];
    std::string model = "unknown";
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, "model name", 10) == 0) {
            const char *colon = std::strchr(line, ':');
            if (colon) {
                model = colon + 2;
                while (!model.empty() && (model.back() == '\n' || model.back() == ' '))
                    model.pop_back();
            }
            break;
        }
    }
    std::fclose(f);
    return model;
}

std::string load_average()
{
    FILE *f = std::fopen("/proc/loadavg", "r");
    if (f == nullptr)
        return "unknown";
    char line[128] = "";
    if (std::fgets(line, sizeof line, f) == nullptr)
        line[0] = 0;
    std::fclose(f);
    std::string s = line;
    // "0.52 0.58 0.59 1/234 5678": the three averages
    size_t cut = 0;
    for (int spaces = 0; cut < s.size() && spaces < 3; ++cut)
        if (s[cut] == ' ')
            ++spaces;
    return s.substr(0, cut ? cut - 1 : 0);
}

Options parse(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "netns-bench: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--rounds")
            o.rounds = std::max(1, std::atoi(value().c_str()));
        else if (a == "--round-ms")
            o.round_ms = std::max(1.0, std::atof(value().c_str()));
        else if (a == "--scale")
            scale.want = std::max(0L, std::atol(value().c_str()));
        else if (a == "--iters")
            o.iters = std::max(1L, std::atol(value().c_str()));
        else if (a == "--clock") {
            std::string c = value();
            if (c == "wall")
                wall_clock = true;
            else if (c == "cpu")
                wall_clock = false;
            else {
                std::fprintf(stderr, "netns-bench: --clock cpu|wall\n");
                std::exit(2);
            }
        } else if (a == "--side") {
            o.side = value();
            if (o.side != "lib" && o.side != "raw" && o.side != "both") {
                std::fprintf(stderr, "netns-bench: --side lib|raw|both\n");
                std::exit(2);
            }
        } else if (a == "--cpu") {
            std::string c = value();
            if (c == "any")
                o.pin = false;
            else
                o.cpu = std::atoi(c.c_str());
        } else if (a == "--go-peer") {
            std::string p = value();
            go_peer.path = p == "none" ? "" : p;
            if (p == "none")
                go_peer.reason = "disabled (--go-peer none)";
        } else if (a == "--tool") {
            std::string p = value();
            tool.path = p == "none" ? "" : p;
            tool.other = p != "none";
            if (p == "none")
                tool.reason = "disabled (--tool none)";
        } else if (a == "--only") {
            std::string list = value();
            for (size_t p = 0; p <= list.size();) {
                size_t c = list.find(',', p);
                if (c == std::string::npos)
                    c = list.size();
                o.only.push_back(list.substr(p, c - p));
                p = c + 1;
            }
        } else {
            std::fprintf(stderr, "usage: netns-bench [--rounds R] [--round-ms MS] [--iters N] "
                                 "[--only OP[,OP...]] [--side lib|raw|both] [--clock cpu|wall] "
                                 "[--go-peer PATH|none] [--tool PATH|none] [--cpu N|any] "
                                 "[--scale N]\nops:");
            for (const Op &op : ops)
                std::fprintf(stderr, " %s", op.name);
            std::fprintf(stderr, "\n");
            std::exit(2);
        }
    }
    for (const std::string &name : o.only) {
        if (std::none_of(std::begin(ops), std::end(ops),
                         [&](const Op &op) { return name == op.name; })) {
            std::fprintf(stderr, "netns-bench: no operation \"%s\"\n", name.c_str());
            std::exit(2);
        }
    }
    return o;
}

} // namespace
} // namespace bench

int main(int argc, char **argv)
{
    using namespace bench;
    uint64_t started = wall_ns();
    go_peer.path = NETNS_BENCH_GO_PEER;
    tool.path = NETNS_BENCH_TOOL;
    if (const char *s = ::getenv("NETNS_BENCH_SCALE"); s != nullptr && *s != 0)
        scale.want = std::max(0L, std::atol(s));
    Options opt = parse(argc, argv);
    bool root = ::geteuid() == 0;
    // Before anything can start a thread: unshare(CLONE_NEWUSER) needs a
    // single-threaded process.
    int rc = netns_test_enter_sandbox();
    if (rc != 0)
        return rc;
    // One CPU for everything: this thread, the threads the library and the
    // hand-written sides start (they inherit it), the children and the Go
    // peer (likewise, so its runtime runs with GOMAXPROCS=1). On a 2-vCPU
    // VM a new thread that starts on the other, idle vCPU made the CPU time
    // of thread-based operations swing by 2x from round to round (waking
    // an idle vCPU, cold caches); on one CPU all sides pay alike.
    std::string pinned = "no (--cpu any)";
    if (opt.pin) {
        cpu_set_t set;
        CPU_ZERO(&set);
        if (opt.cpu < 0) {
            cpu_set_t allowed;
            if (::sched_getaffinity(0, sizeof allowed, &allowed) == 0)
                for (int c = 0; c < CPU_SETSIZE; ++c)
                    if (CPU_ISSET(c, &allowed))
                        opt.cpu = c;
        }
        CPU_SET(opt.cpu < 0 ? 0 : opt.cpu, &set);
        if (::sched_setaffinity(0, sizeof set, &set) < 0)
            die("sched_setaffinity (--cpu)", errno);
        pinned = "CPU " + std::to_string(opt.cpu < 0 ? 0 : opt.cpu);
    }
    try {
        setup();
    } catch (const LibFailure &f) {
        die(f.what.c_str(), f.err);
    }

    struct utsname u;
    ::uname(&u);
    std::printf("libnetns %s benchmark\n", netns_version());
    std::printf("machine: nproc=%ld cpu=\"%s\" kernel=\"%s %s %s\" %s\n",
                ::sysconf(_SC_NPROCESSORS_ONLN), cpu_model().c_str(), u.sysname, u.release,
                u.version, u.machine);
    std::printf("load average at start: %s\n", load_average().c_str());
    std::printf("sandbox: %s; run dir %s%s\n",
                root ? "root, private mount namespace" : "rootless, user + mount namespace",
                env.run_dir.c_str(), env.ip_dir ? " (also bound on /run/netns for ip netns)" : "");
    std::printf("clock: %s\n", wall_clock
                                   ? "wall (CLOCK_MONOTONIC)"
                                   : "CPU time, user + system, of the whole process "
                                     "(CLOCK_PROCESS_CPUTIME_ID) and of its reaped children");
    std::printf("pinned: %s\n", pinned.c_str());
    std::printf("peers: Go %s; ip %s; netns tool %s\n",
                go_peer.path.empty() ? "(not built)" : go_peer.path.c_str(),
                env.ip.empty() ? "(not found)" : env.ip.c_str(),
                tool.path.empty() ? "(not built)" : tool.path.c_str());
    std::printf("method: lib and raw interleaved, %d rounds of N iterations (~%.0f ms per "
                "round);\n        median ns/op of each, lib/raw = ratio of the medians, "
                "paired = median of the per-round ratios\n\n",
                opt.rounds, opt.round_ms);
    std::printf("%-40s %9s %12s %12s %7s %7s  %s\n", "operation", "N/round", "lib ns/op",
                "raw ns/op", "lib/raw", "paired", "target");
    std::fflush(stdout);

    std::vector<Row> rows;
    for (const Op &op : ops) {
        if (!opt.only.empty() &&
            std::find(opt.only.begin(), opt.only.end(), op.name) == opt.only.end())
            continue;
        if (std::strcmp(op.name, "create") == 0) {
            // Let the namespaces of the operations before this one die first.
            struct timespec settle = {1, 0};
            ::nanosleep(&settle, nullptr);
        }
        for (const Row &row : measure(op, opt)) {
            print_row(row);
            rows.push_back(row);
        }
    }
    if (scale.tried && scale.skip.empty()) {
        print_memory();
        scale_teardown();
        std::printf("\nscale: removed %ld namespaces and processes in %.1f s wall; the scale "
                    "section took %.1f s in all\n",
                    scale.want, scale.teardown_wall,
                    static_cast<double>(wall_ns() - scale.t_start) / 1e9);
    }
    std::printf("\nload average at end: %s\nduration: %.1f s\n\n", load_average().c_str(),
                static_cast<double>(wall_ns() - started) / 1e9);
    for (const Row &row : rows)
        print_bench_line(row, opt.rounds);
    if (scale.tried && scale.skip.empty())
        print_memory_lines();
    cleanup();
    return 0;
}
