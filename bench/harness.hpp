// SPDX-License-Identifier: Apache-2.0
// netns-bench's harness, what every file of the benchmark shares: failures,
// the clock, the environment the operations run in, the children they
// start, the table's type and the rows it gives. See doc/bench.md.
#pragma once

#include <netns/netns.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <unistd.h> // environ (_GNU_SOURCE)
#include <vector>

namespace bench {

[[noreturn]] void die(const char *what, int err);

// A library call that failed. Thrown rather than fatal, so that one
// operation the library does not do (yet: -ENOSYS) fails its own row and
// the others are still measured.
struct LibFailure {
    std::string what;
    int err;
};

// A library result: >= 0 or -errno.
inline int lib_ok(int rc, const char *what)
{
    if (rc < 0)
        throw LibFailure{what, -rc};
    return rc;
}

// A raw system call result: >= 0 or -1 with errno.
inline int sys_ok(int rc, const char *what)
{
    if (rc < 0)
        die(what, errno);
    return rc;
}

// The clock rounds are timed with (harness.cpp): CPU time by default,
// CLOCK_MONOTONIC with --clock wall.
extern bool wall_clock;
uint64_t now_ns();
// CLOCK_MONOTONIC, whatever --clock says.
uint64_t wall_ns();
// CPU time of the process and its reaped children, whatever --clock says.
uint64_t cpu_ns();

// Keeps results alive so that nothing is optimized away.
extern volatile int sink;

// ---------------------------------------------------------------------------
// State shared by the operations.

struct Env {
    std::string run_dir; // NETNS_RUN_DIR
    int home = -1;       // the thread's namespace
    int home2 = -1;      // a second descriptor of it (for equal)
    int other = -1;      // another namespace (for set)
    int probe = -1;      // the named namespace below (run, socket, spawn ...)
    pid_t pid = 0;
    std::string probe_name = "bench-probe"; // a named namespace (for from_name)
    std::string probe_path;                 // run_dir/probe_name (for from_path)
    std::string churn_name = "bench-churn"; // made and deleted (new_named)
    std::string ip;                         // iproute2's ip, if found
    bool ip_dir = false;                    // /run/netns is our run dir
};

extern Env env;

// env.cpp: makes the run directory, the namespaces above and /run/netns
// for ip; cleanup() removes what the benchmark made.
void setup();
void cleanup();

// The children every side starts (env.cpp).
// Reaps pid; it must have exited 0, else the benchmark stops.
void reap(pid_t pid, const char *what);
// A child of a timed row that failed: fails that row, not the benchmark
// (the tool is under test; ip is trusted and stops the benchmark, reap()).
struct ChildFailure {
    std::string why;
};
// "exited with status N", "killed by signal S", ...
std::string status_text(int status);
// Waits for pid; its wait status.
int wait_status(pid_t pid);
// Starts PATH ARGV with ENVP, its stdout to /dev/null (or to out_fd when
// >= 0), its stderr to err_fd when >= 0 (else ours). Returns the pid, or
// -errno of posix_spawn.
pid_t start_cmd(const char *path, char *const argv[], char *const envp[], int out_fd = -1,
                int err_fd = -1);
// `ip ARGS...` with its output to /dev/null; it must exit 0.
void run_ip(char *const argv[], const char *what);
// Whether `ip netns` can run on our run dir (else why).
bool ip_ready(std::string &why);
// Whether ip sees NAME as we do: /run/netns/NAME and our run dir's NAME are
// the same inode.
bool ip_sees(const std::string &name);

// One operation: a row of the table (main.cpp).
struct Op {
    const char *name;
    const char *what;
    void (*lib)();
    void (*raw)();
    double target = 1.10;                      // the bound on lib/raw
    long min_iters = 1;                        // at least this many per round
    long max_iters = 0;                        // at most this many per round (0: no cap)
    bool per_call = false;                     // alternate lib and raw call by call within a round
    bool go = false;                           // also against the Go peer (CNI's ns.Do)
    double go_target = 1.0;                    // the bound on lib/go
    bool (*ready)(std::string &why) = nullptr; // whether the raw side can run
    bool scale = false;                        // needs the scale namespaces and processes
    bool (*check)(std::string &why) = nullptr; // lib and raw agree (run once first)
    bool wall_too = false;                     // per_call: also a row timed on the wall clock
    bool faults = false;                       // per_call: count the page faults of the children
};

struct Options {
    int rounds = 15;
    double round_ms = 30;
    long iters = 0;            // 0: calibrate
    std::string side = "both"; // lib, raw or both (for profiling one side)
    std::vector<std::string> only;
    int cpu = -1;    // pin to this CPU (-1: the last one allowed)
    bool pin = true; // --cpu any: no pinning
};

// One row of results.
struct Row {
    std::string name, what;
    long n = 0;
    double lib = 0, raw = 0, paired = 0, lib_min = 0, raw_min = 0, target = 0;
    double lib_faults = -1, raw_faults = -1; // page faults per call (-1: not counted)
    std::string failed;                      // why there are no numbers
};

void print_row(const Row &row);
// The `BENCH op=...` line of a row, for scripts.
void print_bench_line(const Row &row, int rounds);
double median(std::vector<double> v);
// Measures one operation: one row, two when it has a Go peer (or a wall
// clock row).
std::vector<Row> measure(const Op &op, const Options &opt);

} // namespace bench
