// SPDX-License-Identifier: Apache-2.0
// netns-bench, memory at scale: the peak RSS growth of one call. In a forked child (so that
// nothing of the benchmark's own history counts): the call once to warm up
// (code pages, the stack), malloc_trim(0) so that the heap's free pages are
// returned and an allocation must fault them in again, then "5" into
// /proc/self/clear_refs resets VmHWM to the current RSS; VmRSS is read, the
// call made, VmHWM read. Growth = VmHWM - VmRSS, in KiB, page granular.
#include "harness.hpp"

#include "ops.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace bench {

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

} // namespace bench
