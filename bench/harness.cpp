// SPDX-License-Identifier: Apache-2.0
// netns-bench's harness: the clock, the rounds (calibrated, interleaved or
// call by call), the rows and their ratios, as printed. See doc/bench.md.
#include "harness.hpp"

#include "ops.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/resource.h>

namespace bench {

[[noreturn]] void die(const char *what, int err)
{
    std::fprintf(stderr, "netns-bench: %s: %s\n", what, std::strerror(err));
    std::exit(1);
}

// The clock rounds are timed with. By default CPU time: that of the whole
// process (every thread, the ones that ended too: CLOCK_PROCESS_CPUTIME_ID)
// plus that of its children it has reaped (RUSAGE_CHILDREN), so that an
// operation that works on a thread or in a process of its own is charged
// for it. That leaves out the time other processes hold the CPU, the main
// noise on a shared machine. For the operations that stay on the calling
// thread it is that thread's CPU time (the process has no other busy
// thread). --clock wall for CLOCK_MONOTONIC.
bool wall_clock = false;

uint64_t now_ns()
{
    struct timespec ts;
    if (wall_clock) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    struct rusage ch;
    ::getrusage(RUSAGE_CHILDREN, &ch);
    uint64_t us = static_cast<uint64_t>(ch.ru_utime.tv_sec + ch.ru_stime.tv_sec) * 1000000u +
                  static_cast<uint64_t>(ch.ru_utime.tv_usec + ch.ru_stime.tv_usec);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec) +
           us * 1000u;
}

// Keeps results alive so that nothing is optimized away.
volatile int sink;

uint64_t wall_ns()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

// CPU time of the process and its reaped children, whatever --clock says.
uint64_t cpu_ns()
{
    bool was = wall_clock;
    wall_clock = false;
    uint64_t t = now_ns();
    wall_clock = was;
    return t;
}

namespace {

// ns/op of n calls of f.
double time_round(void (*f)(), long n)
{
    uint64_t t0 = now_ns();
    for (long i = 0; i < n; ++i)
        f();
    return static_cast<double>(now_ns() - t0) / static_cast<double>(n);
}

// Page faults (minor + major) of the reaped children so far.
uint64_t children_faults()
{
    struct rusage ch;
    ::getrusage(RUSAGE_CHILDREN, &ch);
    return static_cast<uint64_t>(ch.ru_minflt + ch.ru_majflt);
}

// ns/op of n calls each of a and b, alternating call by call (a first);
// with wa and wb, also on the wall clock (when the clock is the CPU's);
// with fa and fb, the page faults per call of the children each side
// started and reaped (counted outside the timed spans).
void time_alternating(void (*a)(), void (*b)(), long n, double &ta, double &tb,
                      double *wa = nullptr, double *wb = nullptr, double *fa = nullptr,
                      double *fb = nullptr)
{
    uint64_t sa = 0, sb = 0, swa = 0, swb = 0, sfa = 0, sfb = 0;
    for (long i = 0; i < n; ++i) {
        uint64_t f0 = fa ? children_faults() : 0;
        uint64_t w0 = wa ? wall_ns() : 0;
        uint64_t t0 = now_ns();
        a();
        uint64_t t1 = now_ns();
        uint64_t w1 = wa ? wall_ns() : 0;
        uint64_t f1 = fa ? children_faults() : 0;
        // With a count in between, b's span starts after it.
        uint64_t t1b = fa ? now_ns() : t1;
        uint64_t w1b = fa && wa ? wall_ns() : w1;
        b();
        uint64_t t2 = now_ns();
        uint64_t w2 = wa ? wall_ns() : 0;
        uint64_t f2 = fa ? children_faults() : 0;
        sa += t1 - t0;
        sb += t2 - t1b;
        swa += w1 - w0;
        swb += w2 - w1b;
        sfa += f1 - f0;
        sfb += f2 - f1;
    }
    ta = static_cast<double>(sa) / static_cast<double>(n);
    tb = static_cast<double>(sb) / static_cast<double>(n);
    if (wa) {
        *wa = static_cast<double>(swa) / static_cast<double>(n);
        *wb = static_cast<double>(swb) / static_cast<double>(n);
    }
    if (fa) {
        *fa = static_cast<double>(sfa) / static_cast<double>(n);
        *fb = static_cast<double>(sfb) / static_cast<double>(n);
    }
}

} // namespace

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

namespace {

// Iterations per round: enough for round_ms of the slower of the two.
long calibrate(const Op &op, double round_ms, bool do_lib, bool do_raw)
{
    double cost = 0;
    for (void (*f)() : {op.lib, op.raw}) {
        if ((f == op.lib && !do_lib) || (f == op.raw && !do_raw))
            continue;
        f(); // the first call pays for what later ones reuse (a thread stack, pages)
        long n = 1;
        double elapsed;
        for (;;) { // warm up and grow until 5 ms
            uint64_t t0 = now_ns();
            for (long i = 0; i < n; ++i)
                f();
            elapsed = static_cast<double>(now_ns() - t0);
            if (elapsed > 5e6 || n > (1L << 26) || (op.max_iters && n >= op.max_iters))
                break;
            n *= 2;
        }
        cost = std::max(cost, elapsed / static_cast<double>(n));
    }
    long n = std::max(op.min_iters, static_cast<long>(round_ms * 1e6 / cost));
    return op.max_iters ? std::min(n, op.max_iters) : n;
}

} // namespace

void print_row(const Row &row)
{
    if (!row.failed.empty()) {
        std::printf("%-40s %s\n", row.what.c_str(), row.failed.c_str());
    } else {
        double q = row.raw > 0 ? row.lib / row.raw : 0;
        if (row.target <= 0) // for reference: no target
            std::printf("%-40s %9ld %12.1f %12.1f %7.3f %7.3f  (reference)\n", row.what.c_str(),
                        row.n, row.lib, row.raw, q, row.paired);
        else
            std::printf("%-40s %9ld %12.1f %12.1f %7.3f %7.3f  <=%.2f %s\n", row.what.c_str(),
                        row.n, row.lib, row.raw, q, row.paired, row.target,
                        q <= row.target ? "ok" : "MISSED");
        if (row.lib_faults >= 0)
            std::printf("%-40s %9s %12.1f %12.1f %7.3f  (page faults per call)\n", "", "",
                        row.lib_faults, row.raw_faults,
                        row.raw_faults > 0 ? row.lib_faults / row.raw_faults : 0);
    }
    std::fflush(stdout);
}

void print_bench_line(const Row &row, int rounds)
{
    if (!row.failed.empty()) {
        std::printf("BENCH op=%s failed=\"%s\"\n", row.name.c_str(), row.failed.c_str());
        return;
    }
    double q = row.raw > 0 ? row.lib / row.raw : 0;
    std::printf("BENCH op=%s rounds=%d iters=%ld lib_ns=%.1f raw_ns=%.1f ratio=%.3f "
                "paired_ratio=%.3f lib_min_ns=%.1f raw_min_ns=%.1f target=%.2f met=%s\n",
                row.name.c_str(), rounds, row.n, row.lib, row.raw, q, row.paired, row.lib_min,
                row.raw_min, row.target,
                row.target <= 0   ? "n/a"
                : q <= row.target ? "yes"
                                  : "no");
    if (row.lib_faults >= 0)
        std::printf("BENCH op=%s_faults lib_faults=%.1f raw_faults=%.1f\n", row.name.c_str(),
                    row.lib_faults, row.raw_faults);
}

namespace {

Row summarize(const char *name, const char *what, long n, double target,
              const std::vector<double> &lib, const std::vector<double> &raw)
{
    std::vector<double> ratio;
    for (size_t i = 0; i < lib.size(); ++i)
        ratio.push_back(raw[i] > 0 ? lib[i] / raw[i] : 0);
    Row row;
    row.name = name;
    row.what = what;
    row.n = n;
    row.lib = median(lib);
    row.raw = median(raw);
    row.paired = median(ratio);
    row.lib_min = *std::min_element(lib.begin(), lib.end());
    row.raw_min = *std::min_element(raw.begin(), raw.end());
    row.target = target;
    return row;
}

} // namespace

// Measures one operation: one row, two when it has a Go peer.
std::vector<Row> measure(const Op &op, const Options &opt)
{
    bool do_lib = opt.side != "raw", do_raw = opt.side != "lib";
    std::string go_name = std::string(op.name) + "_go";
    std::string go_what = std::string(op.what) + " vs CNI ns.Do (Go)";
    auto failed = [&](const std::string &why) {
        std::vector<Row> rows(1);
        rows[0].name = op.name;
        rows[0].what = op.what;
        rows[0].failed = why;
        if (op.go) {
            rows.emplace_back();
            rows[1].name = go_name;
            rows[1].what = go_what;
            rows[1].failed = "not measured: " + why;
        }
        return rows;
    };
    std::string why;
    if (op.scale && !scale_ready(why))
        return failed("skipped: " + why);
    if (do_raw && op.ready != nullptr && !op.ready(why))
        return failed("skipped: " + why);

    bool with_go = op.go && do_raw && go_peer.start();
    // The wall clock as well, in the same calls (pointless when it is the
    // clock already).
    bool with_wall = op.wall_too && op.per_call && do_lib && do_raw && !wall_clock;
    std::string wall_name = std::string(op.name) + "_wall";
    std::string wall_what = std::string(op.what) + " (wall)";
    std::vector<double> lib, raw, go, lib_wall, raw_wall, lib_faults, raw_faults;
    const bool with_faults = op.faults && op.per_call && do_lib && do_raw;
    long n;
    try {
        if (do_lib && do_raw && op.check != nullptr && !op.check(why))
            return failed("failed: " + why);
        n = opt.iters ? opt.iters : calibrate(op, opt.round_ms, do_lib, do_raw);
        if (with_go && std::isnan(go_peer.round(n))) // its warm-up
            with_go = false;
        for (int r = 0; r < opt.rounds; ++r) {
            double l = 0, w = 0, g = 0, lw = 0, ww = 0, lf = 0, wf = 0;
            if (op.per_call && do_lib && do_raw) {
                // Call by call; which side goes first flips every round.
                if (r % 2 == 0)
                    time_alternating(op.lib, op.raw, n, l, w, with_wall ? &lw : nullptr, &ww,
                                     with_faults ? &lf : nullptr, &wf);
                else
                    time_alternating(op.raw, op.lib, n, w, l, with_wall ? &ww : nullptr, &lw,
                                     with_faults ? &wf : nullptr, &lf);
                if (with_go)
                    g = go_peer.round(n);
            } else {
                // Side by side, the order rotating every round (lib raw go,
                // raw go lib, go lib raw, ...) so that a slow drift of the
                // machine favours none of them.
                std::vector<int> sides;
                if (do_lib)
                    sides.push_back(0);
                if (do_raw)
                    sides.push_back(1);
                if (with_go)
                    sides.push_back(2);
                std::rotate(sides.begin(), sides.begin() + r % sides.size(), sides.end());
                for (int side : sides) {
                    if (side == 0)
                        l = time_round(op.lib, n);
                    else if (side == 1)
                        w = time_round(op.raw, n);
                    else
                        g = go_peer.round(n);
                }
            }
            if (with_go && std::isnan(g))
                with_go = false;
            lib.push_back(l);
            raw.push_back(w);
            go.push_back(g);
            lib_wall.push_back(lw);
            raw_wall.push_back(ww);
            lib_faults.push_back(lf);
            raw_faults.push_back(wf);
        }
    } catch (const LibFailure &f) {
        (void)netns_set(env.home); // whatever the failure left
        return failed(std::string("failed: ") + f.what + ": " + std::strerror(f.err));
    } catch (const ChildFailure &f) {
        return failed("failed: " + f.why);
    }
    std::vector<Row> rows;
    rows.push_back(summarize(op.name, op.what, n, op.target, lib, raw));
    if (with_faults) {
        rows.back().lib_faults = median(lib_faults);
        rows.back().raw_faults = median(raw_faults);
    }
    if (with_wall)
        rows.push_back(
            summarize(wall_name.c_str(), wall_what.c_str(), n, op.target, lib_wall, raw_wall));
    if (op.go) {
        if (with_go) {
            rows.push_back(summarize(go_name.c_str(), go_what.c_str(), n, op.go_target, lib, go));
        } else {
            Row row;
            row.name = go_name;
            row.what = go_what;
            row.failed =
                "skipped: Go peer " +
                (go_peer.reason.empty() ? std::string("not run (--side)") : go_peer.reason);
            rows.push_back(row);
        }
    }
    return rows;
}

} // namespace bench
