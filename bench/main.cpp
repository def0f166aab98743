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
//
// The files: harness.hpp/.cpp (the clock, the rounds, the rows and their
// ratios) and env.cpp (the run directory, the namespaces the operations
// use, ip, the children); the operations by group, as in netns.h:
// ops-handle.cpp (handles and lookups), ops-switching.cpp (switching the
// calling thread), ops-naming.cpp (creating, naming and deleting),
// ops-inside.cpp (running inside a namespace), ops-listing.cpp (listing
// and identifying, at scale, with the scale namespaces and processes) and
// memory.cpp (their memory); the peers from elsewhere: peer-go.cpp (CNI's
// ns.Do) and peer-tool.cpp (the netns tool against ip netns); this file:
// the table of operations, the options and main().
#include "harness.hpp"

#include "ops.hpp"
#include "sandbox.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sched.h>
#include <string>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

#ifndef NETNS_BENCH_GO_PEER
#define NETNS_BENCH_GO_PEER "" // not built: go or the CNI package missing
#endif

namespace bench {
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
