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
// The program enters the test sandbox first (tests/support/sandbox.h: a private
// mount namespace, and a user namespace when not root, /run a private
// tmpfs), and names namespaces in a private run directory under that /run
// (NETNS_RUN_DIR), so nothing it does outlives it.
//
// Usage: netns-bench [--rounds R] [--round-ms MS] [--only OP[,OP...]]
//                    [--iters N] [--side lib|raw|both] [--clock cpu|wall]
//   --iters N fixes N (no calibration) and --side runs one side only: for
//   profiling, e.g.
//   valgrind --tool=callgrind --toggle-collect='*::lib_get()'
//            netns-bench --only get_close --side lib --rounds 1 --iters 200
#include <netns/netns.h>

#include "sandbox.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <string>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

namespace {

[[noreturn]] void die(const char *what, int err)
{
    std::fprintf(stderr, "netns-bench: %s: %s\n", what, std::strerror(err));
    std::exit(1);
}

// A library result: >= 0 or -errno.
inline int lib_ok(int rc, const char *what)
{
    if (rc < 0)
        die(what, -rc);
    return rc;
}

// A raw system call result: >= 0 or -1 with errno.
inline int sys_ok(int rc, const char *what)
{
    if (rc < 0)
        die(what, errno);
    return rc;
}

// The clock rounds are timed with: by default the calling thread's CPU time
// (user + system), which leaves out the time other processes hold the CPU,
// the main noise on a shared machine; --clock wall for CLOCK_MONOTONIC.
clockid_t bench_clock = CLOCK_THREAD_CPUTIME_ID;

uint64_t now_ns()
{
    struct timespec ts;
    clock_gettime(bench_clock, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

// Keeps results alive so that nothing is optimized away.
volatile int sink;

// ---------------------------------------------------------------------------
// State shared by the operations.

struct Env {
    std::string run_dir; // NETNS_RUN_DIR
    int home = -1;       // the thread's namespace
    int home2 = -1;      // a second descriptor of it (for equal)
    int other = -1;      // another namespace (for set)
    pid_t pid = 0;
    std::string probe_name = "bench-probe"; // a named namespace (for from_name)
    std::string churn_name = "bench-churn"; // made and deleted (new_named)
};

Env env;

// ---------------------------------------------------------------------------
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
    // A hand-written lookup takes a name too: it builds the path and opens
    // it as safely as the library does (resolve with O_PATH, check that it
    // is on nsfs, reopen that very inode), then checks the namespace type.
    char path[PATH_MAX];
    std::snprintf(path, sizeof path, "%s/%s", env.run_dir.c_str(), env.probe_name.c_str());
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

// ---------------------------------------------------------------------------

struct Op {
    const char *name;
    const char *what;
    void (*lib)();
    void (*raw)();
};

const Op ops[] = {
    {"get_close", "netns_get + close", lib_get, raw_get},
    {"set_back", "netns_set there and back", lib_set, raw_set},
    {"equal", "netns_equal", lib_equal, raw_equal},
    {"from_name", "netns_get_from_name + close", lib_from_name, raw_from_name},
    {"from_pid", "netns_get_from_pid + close", lib_from_pid, raw_from_pid},
    {"new_named", "netns_new_named + set back + delete", lib_new_named, raw_new_named},
    {"new", "netns_new + set back + close", lib_new, raw_new},
};

struct Options {
    int rounds = 15;
    double round_ms = 30;
    long iters = 0; // 0: calibrate
    std::string side = "both"; // lib, raw or both (for profiling one side)
    std::vector<std::string> only;
};

// ns/op of n calls of f.
double time_round(void (*f)(), long n)
{
    uint64_t t0 = now_ns();
    for (long i = 0; i < n; ++i)
        f();
    return static_cast<double>(now_ns() - t0) / static_cast<double>(n);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// Iterations per round: enough for round_ms of the slower of the two.
long calibrate(const Op &op, double round_ms)
{
    double cost = 0;
    for (void (*f)() : {op.lib, op.raw}) {
        long n = 1;
        double elapsed;
        for (;;) { // warm up and grow until 5 ms
            uint64_t t0 = now_ns();
            for (long i = 0; i < n; ++i)
                f();
            elapsed = static_cast<double>(now_ns() - t0);
            if (elapsed > 5e6 || n > (1L << 26))
                break;
            n *= 2;
        }
        cost = std::max(cost, elapsed / static_cast<double>(n));
    }
    return std::max(1L, static_cast<long>(round_ms * 1e6 / cost));
}

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
        else if (a == "--iters")
            o.iters = std::max(1L, std::atol(value().c_str()));
        else if (a == "--clock") {
            std::string c = value();
            if (c == "wall")
                bench_clock = CLOCK_MONOTONIC;
            else if (c == "cpu")
                bench_clock = CLOCK_THREAD_CPUTIME_ID;
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
        }
        else if (a == "--only") {
            std::string list = value();
            for (size_t p = 0; p <= list.size();) {
                size_t c = list.find(',', p);
                if (c == std::string::npos)
                    c = list.size();
                o.only.push_back(list.substr(p, c - p));
                p = c + 1;
            }
        } else {
            std::fprintf(stderr,
                         "usage: netns-bench [--rounds R] [--round-ms MS] [--iters N] "
                         "[--only OP[,OP...]] [--side lib|raw|both] [--clock cpu|wall]\nops:");
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

void setup()
{
    char tmpl[] = "/run/netns-bench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr)
        die("mkdtemp /run/netns-bench-XXXXXX", errno);
    env.run_dir = tmpl;
    ::setenv("NETNS_RUN_DIR", env.run_dir.c_str(), 1);
    env.pid = ::getpid();
    env.home = lib_ok(netns_get(), "netns_get");
    env.home2 = lib_ok(netns_get(), "netns_get");
    env.other = lib_ok(netns_new(), "netns_new");
    lib_ok(netns_set(env.home), "netns_set");
    int probe = lib_ok(netns_new_named(env.probe_name.c_str()), "netns_new_named");
    lib_ok(netns_set(env.home), "netns_set");
    lib_ok(netns_close(&probe), "netns_close");
}

void cleanup()
{
    (void)netns_set(env.home);
    (void)netns_delete_named(env.probe_name.c_str());
    (void)netns_delete_named(env.churn_name.c_str()); // only after a failure
    // The run directory became a (shared) mount point of itself.
    while (::umount2(env.run_dir.c_str(), MNT_DETACH) == 0) {
    }
    if (::rmdir(env.run_dir.c_str()) < 0)
        std::fprintf(stderr, "netns-bench: rmdir %s: %s\n", env.run_dir.c_str(), std::strerror(errno));
    (void)netns_close(&env.other);
    (void)netns_close(&env.home2);
    (void)netns_close(&env.home);
}

} // namespace

int main(int argc, char **argv)
{
    Options opt = parse(argc, argv);
    bool root = ::geteuid() == 0;
    // Before anything can start a thread: unshare(CLONE_NEWUSER) needs a
    // single-threaded process.
    int rc = netns_test_enter_sandbox();
    if (rc != 0)
        return rc;
    setup();

    struct utsname u;
    ::uname(&u);
    std::printf("libnetns %s benchmark\n", netns_version());
    std::printf("machine: nproc=%ld cpu=\"%s\" kernel=\"%s %s %s\" %s\n",
                ::sysconf(_SC_NPROCESSORS_ONLN), cpu_model().c_str(), u.sysname, u.release,
                u.version, u.machine);
    std::printf("sandbox: %s; run dir %s\n",
                root ? "root, private mount namespace" : "rootless, user + mount namespace",
                env.run_dir.c_str());
    std::printf("clock: %s\n", bench_clock == CLOCK_MONOTONIC
                                   ? "wall (CLOCK_MONOTONIC)"
                                   : "thread CPU time, user + system (CLOCK_THREAD_CPUTIME_ID)");
    std::printf("method: lib and raw interleaved, %d rounds of N iterations (~%.0f ms per "
                "round);\n        median ns/op of each, lib/raw = ratio of the medians, "
                "paired = median of the per-round ratios\n\n",
                opt.rounds, opt.round_ms);
    std::printf("%-40s %9s %12s %12s %7s %7s\n", "operation", "N/round", "lib ns/op",
                "raw ns/op", "lib/raw", "paired");
    std::fflush(stdout);

    struct Row {
        const Op *op;
        long n;
        double lib, raw, paired, lib_min, raw_min;
    };
    std::vector<Row> rows;
    bool do_lib = opt.side != "raw", do_raw = opt.side != "lib";
    for (const Op &op : ops) {
        if (!opt.only.empty() &&
            std::find(opt.only.begin(), opt.only.end(), op.name) == opt.only.end())
            continue;
        long n = opt.iters ? opt.iters : calibrate(op, opt.round_ms);
        std::vector<double> lib, raw, ratio;
        for (int r = 0; r < opt.rounds; ++r) {
            // Interleaved, and the order flips every round (lib raw, raw lib,
            // ...) so that a slow drift of the machine favours neither side.
            double l = 0, w = 0;
            if (r % 2 == 0) {
                if (do_lib)
                    l = time_round(op.lib, n);
                if (do_raw)
                    w = time_round(op.raw, n);
            } else {
                if (do_raw)
                    w = time_round(op.raw, n);
                if (do_lib)
                    l = time_round(op.lib, n);
            }
            lib.push_back(l);
            raw.push_back(w);
            ratio.push_back(w > 0 ? l / w : 0);
        }
        Row row{&op,
                n,
                median(lib),
                median(raw),
                median(ratio),
                *std::min_element(lib.begin(), lib.end()),
                *std::min_element(raw.begin(), raw.end())};
        rows.push_back(row);
        double q = row.raw > 0 ? row.lib / row.raw : 0;
        std::printf("%-40s %9ld %12.1f %12.1f %7.3f %7.3f%s\n", op.what, n, row.lib, row.raw, q,
                    row.paired, q > 1.10 ? "  > 1.10" : "");
        std::fflush(stdout);
    }
    std::printf("\n");
    for (const Row &row : rows)
        std::printf("BENCH op=%s rounds=%d iters=%ld lib_ns=%.1f raw_ns=%.1f ratio=%.3f "
                    "paired_ratio=%.3f lib_min_ns=%.1f raw_min_ns=%.1f\n",
                    row.op->name, opt.rounds, row.n, row.lib, row.raw,
                    row.raw > 0 ? row.lib / row.raw : 0, row.paired, row.lib_min, row.raw_min);
    cleanup();
    return 0;
}
