// SPDX-License-Identifier: Apache-2.0
// Since 0.3, at scale: the walks of `ip netns list`, `identify` and `pids`
// with many named namespaces (--scale N or NETNS_BENCH_SCALE, default
// 2000), each holding one sleeping process of ours. The benchmark makes
// them itself, in its sandbox, when the first of these operations comes,
// and removes them at the end. The children die with the benchmark however
// it ends (PR_SET_PDEATHSIG); the names are mounts of the sandbox's private
// mount namespace, which goes with its last process.
#include "harness.hpp"

#include "ops.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

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

} // namespace bench
