// SPDX-License-Identifier: Apache-2.0
// Listing, identifying and watching through the C API (netns.h's fifth
// group), the watching: netns_monitor_open/read/close, with names
// made by this library and by `ip netns`, poll(2) on the descriptor, bad
// input, and 8 threads adding and deleting 200 names each while one reader
// drains the descriptor. The run dir may be shared (CI's NETNS_RUN_DIR):
// every check looks at this test's own names only.
#include "catch.hpp"
#include "capi_guards.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <linux/capability.h>
#include <map>
#include <mutex>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

using netns::test::fd_count;
using netns::test::have_program;
using netns::test::NameGuard;
using netns::test::run_command;
using netns::test::ScopedEnv;
using netns::test::TempDir;
using netns::test::unique_name;

namespace {

using Events = std::vector<std::string>; // "+name", "-name"

struct Sink {
    std::string prefix; // only names starting with it are kept
    Events events;
};

int collect(int event, const char *name, void *arg)
{
    auto *s = static_cast<Sink *>(arg);
    if (std::string(name).rfind(s->prefix, 0) == 0)
        s->events.push_back((event == NETNS_EVENT_ADD   ? "+"
                             : event == NETNS_EVENT_DEL ? "-"
                                                        : "?") +
                            std::string(name));
    return 0;
}

bool readable(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    return ::poll(&p, 1, ms) == 1 && (p.revents & POLLIN) != 0;
}

// Reads until `want` events with the prefix arrived (or 5 s passed).
Events wait_for(int fd, const std::string &prefix, size_t want)
{
    Sink s{prefix, {}};
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (s.events.size() < want && std::chrono::steady_clock::now() < end) {
        readable(fd, 100);
        int n = netns_monitor_read(fd, collect, &s);
        REQUIRE(n >= 0);
    }
    return s.events;
}

struct Monitor {
    int fd;
    Monitor() : fd(netns_monitor_open()) { REQUIRE(fd >= 0); }
    ~Monitor()
    {
        if (fd >= 0)
            (void)netns_monitor_close(&fd);
    }
    Monitor(const Monitor &) = delete;
    Monitor &operator=(const Monitor &) = delete;
};

// Makes sure the current run dir exists (names made while it is missing
// cannot be watched yet), with a name made and removed.
void ensure_run_dir()
{
    const std::string warm = unique_name("warm");
    int h = netns_create(warm.c_str());
    REQUIRE(h >= 0);
    netns_close(&h);
    REQUIRE(netns_delete_named(warm.c_str()) == 0);
}

// Runs f on a thread of its own without CAP_DAC_OVERRIDE and
// CAP_DAC_READ_SEARCH (a thread's capabilities are its own): permission
// bits then apply to it, also as root and in the sandbox's user namespace.
template <typename F> void without_dac(F f)
{
    std::thread t([&] {
        struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct data[2] = {};
        if (syscall(SYS_capget, &hdr, data) == 0) {
            for (int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH})
                data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
            (void)syscall(SYS_capset, &hdr, data);
        }
        f();
    });
    t.join();
}

} // namespace

TEST_CASE("netns_monitor_open gives a CLOEXEC, non-blocking, pollable descriptor", "[monitor]")
{
    ensure_run_dir();
    Monitor m;
    CHECK((fcntl(m.fd, F_GETFD) & FD_CLOEXEC) != 0);
    CHECK((fcntl(m.fd, F_GETFL) & O_NONBLOCK) != 0);
    const std::string name = unique_name("poll");
    NameGuard g{name};
    // Read whatever other processes did so far.
    Sink none{name, {}};
    REQUIRE(netns_monitor_read(m.fd, collect, &none) >= 0);
    int h = netns_create(name.c_str());
    REQUIRE(h >= 0);
    netns_close(&h);
    CHECK(readable(m.fd, 5000));
    CHECK(wait_for(m.fd, name, 1) == Events{"+" + name});
    REQUIRE(netns_delete_named(name.c_str()) == 0);
    CHECK(readable(m.fd, 5000));
    CHECK(wait_for(m.fd, name, 1) == Events{"-" + name});
    // It works with epoll too (a monitor inside another epoll set).
    int ep = epoll_create1(EPOLL_CLOEXEC);
    REQUIRE(ep >= 0);
    struct epoll_event ev = {};
    ev.events = EPOLLIN;
    REQUIRE(epoll_ctl(ep, EPOLL_CTL_ADD, m.fd, &ev) == 0);
    h = netns_create(name.c_str());
    REQUIRE(h >= 0);
    netns_close(&h);
    struct epoll_event out;
    CHECK(epoll_wait(ep, &out, 1, 5000) == 1);
    CHECK(wait_for(m.fd, name, 1) == Events{"+" + name});
    close(ep);
}

TEST_CASE("netns_monitor_read sees netns_new_named, netns_create and deletes, in order",
          "[monitor]")
{
    netns::test::SetGuard keep;
    ensure_run_dir();
    Monitor m;
    const std::string p = unique_name("order") + "-";
    const std::string a = p + "a", b = p + "b", c = p + "c";
    NameGuard ga{a}, gb{b}, gc{c};
    int home = netns_get();
    REQUIRE(home >= 0);
    int h = netns_new_named(a.c_str());
    REQUIRE(h >= 0);
    REQUIRE(netns_set(home) == 0);
    netns_close(&h);
    h = netns_create(b.c_str());
    REQUIRE(h >= 0);
    netns_close(&h);
    REQUIRE(netns_delete_named(a.c_str()) == 0);
    h = netns_create(c.c_str());
    REQUIRE(h >= 0);
    netns_close(&h);
    REQUIRE(netns_delete_named(c.c_str()) == 0);
    REQUIRE(netns_delete_named(b.c_str()) == 0);
    CHECK(wait_for(m.fd, p, 6) == Events{"+" + a, "+" + b, "-" + a, "+" + c, "-" + c, "-" + b});
    netns_close(&home);
}

TEST_CASE("netns_monitor_read sees `ip netns add` and `ip netns del`, and ip sees ours",
          "[monitor][iproute2]")
{
    if (!have_program("ip")) {
        WARN("iproute2 is not installed: skipping the `ip netns` checks");
        return;
    }
    ScopedEnv env("NETNS_RUN_DIR", nullptr); // ip works in /run/netns
    ensure_run_dir();
    Monitor m;
    const std::string p = unique_name("ip") + "-";
    const std::string theirs = p + "theirs", ours = p + "ours";
    NameGuard gt{theirs}, go{ours};
    REQUIRE(run_command("ip netns add " + theirs) == 0);
    int h = netns_create(ours.c_str());
    REQUIRE(h >= 0);
    netns_close(&h);
    REQUIRE(run_command("ip netns del " + ours) == 0);
    REQUIRE(netns_delete_named(theirs.c_str()) == 0);
    CHECK(wait_for(m.fd, p, 4) == Events{"+" + theirs, "+" + ours, "-" + ours, "-" + theirs});
}

TEST_CASE("netns_monitor_open on a run dir that does not exist yet", "[monitor]")
{
    TempDir tmp;
    const std::string dir = tmp / "not/yet/netns";
    ScopedEnv env("NETNS_RUN_DIR", dir.c_str());
    netns::test::UnmountAtExit unmount(dir);
    Monitor m;
    const std::string name = unique_name("later");
    NameGuard g{name};
    int h = netns_create(name.c_str()); // makes the directories, then the name
    REQUIRE(h >= 0);
    netns_close(&h);
    CHECK(readable(m.fd, 5000));
    CHECK(wait_for(m.fd, name, 1) == Events{"+" + name});
    REQUIRE(netns_delete_named(name.c_str()) == 0);
    CHECK(wait_for(m.fd, name, 1) == Events{"-" + name});
}

TEST_CASE("netns_monitor_* bad input", "[monitor][errors]")
{
    TempDir tmp;
    const int fds = fd_count();
    Sink s{"", {}};
    int fd = netns_monitor_open();
    REQUIRE(fd >= 0);
    CHECK(netns_monitor_read(fd, nullptr, nullptr) == -EINVAL);
    CHECK(netns_monitor_read(-1, collect, &s) == -EBADF);
    CHECK(netns_monitor_close(nullptr) == -EINVAL);
    int none = NETNS_NONE;
    CHECK(netns_monitor_close(&none) == -EBADF);
    CHECK(none == NETNS_NONE);

    int p[2];
    REQUIRE(pipe2(p, O_CLOEXEC) == 0);
    CHECK(netns_monitor_read(p[0], collect, &s) == -EINVAL);
    int not_ours = p[0];
    CHECK(netns_monitor_close(&not_ours) == -EINVAL);
    CHECK(not_ours == p[0]); // unchanged, and still open
    CHECK(fcntl(p[0], F_GETFD) >= 0);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    REQUIRE(ep >= 0);
    CHECK(netns_monitor_read(ep, collect, &s) == -EINVAL);
    close(ep);
    close(p[0]);
    close(p[1]);
    int closed = p[1];
    CHECK(netns_monitor_read(closed, collect, &s) == -EBADF);
    CHECK(netns_monitor_close(&closed) == -EBADF);
    CHECK(closed == NETNS_NONE);

    const int kept = fd;
    CHECK(netns_monitor_close(&fd) == 0);
    CHECK(fd == NETNS_NONE);
    CHECK(netns_monitor_read(kept, collect, &s) == -EBADF);
    CHECK(fd_count() == fds);

    // A run dir whose path runs through a file.
    const std::string file = tmp / "file";
    REQUIRE(run_command("touch " + file) == 0);
    ScopedEnv env("NETNS_RUN_DIR", (file + "/netns").c_str());
    CHECK(netns_monitor_open() == -ENOTDIR);
    CHECK(fd_count() == fds);
}

TEST_CASE("monitor: 8 threads add and delete 200 names each while one reader drains",
          "[monitor][stress]")
{
    // A reader that keeps up, and one that reads every 30 ms (its reads
    // then find names made, mounted and removed since the last one).
    const int pause_ms = GENERATE(0, 30);
    INFO("reader pause " << pause_ms << " ms");
    // With iproute2, a ninth thread runs `ip netns add` and `del` meanwhile:
    // all of it in /run/netns then, where ip works (private in the sandbox).
    const bool with_ip = have_program("ip");
    std::optional<ScopedEnv> env;
    if (with_ip)
        env.emplace("NETNS_RUN_DIR", nullptr);
    ensure_run_dir();
    // memcheck is 10-50 times slower: fewer names there.
    const bool valgrind = std::getenv("NETNS_TEST_UNDER_VALGRIND") != nullptr;
    const int threads = 8, per_thread = valgrind ? 25 : 200,
              by_ip = with_ip ? (valgrind ? 5 : 40) : 0;
    const std::string prefix = unique_name("st") + "-";
    std::vector<std::string> names;
    for (int t = 0; t < threads; ++t)
        for (int i = 0; i < per_thread; ++i)
            names.push_back(prefix + std::to_string(t) + "-" + std::to_string(i));
    for (int i = 0; i < by_ip; ++i)
        names.push_back(prefix + "ip-" + std::to_string(i));
    Monitor m;
    std::atomic<int> writers_left{threads + (with_ip ? 1 : 0)};
    std::atomic<int> failures{0};
    const auto start = std::chrono::steady_clock::now();

    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t)
        writers.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const std::string &name = names[static_cast<size_t>(t * per_thread + i)];
                int h = netns_create(name.c_str());
                if (h < 0) {
                    ++failures;
                    continue;
                }
                netns_close(&h);
                if (netns_delete_named(name.c_str()) != 0)
                    ++failures;
            }
            --writers_left;
        });
    if (with_ip)
        writers.emplace_back([&] {
            for (int i = 0; i < by_ip; ++i) {
                const std::string &name = names[static_cast<size_t>(threads * per_thread + i)];
                if (run_command("ip netns add " + name) != 0 ||
                    run_command("ip netns del " + name) != 0)
                    ++failures;
            }
            --writers_left;
        });

    // The reader: polls and drains until the writers are done and every
    // name's delete arrived (or 60 s passed).
    Sink s{prefix, {}};
    size_t reads = 0, wakeups = 0;
    int read_error = 0;
    const size_t want = 2 * names.size();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        if (readable(m.fd, 100))
            ++wakeups;
        if (pause_ms > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
        int n = netns_monitor_read(m.fd, collect, &s);
        ++reads;
        if (n < 0) {
            read_error = n;
            break;
        }
        if (writers_left == 0 && s.events.size() >= want)
            break;
    }
    for (auto &w : writers)
        w.join();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    WARN("stress (reader pause " << pause_ms << " ms): " << threads * per_thread
                                 << " names by the library and " << by_ip
                                 << " by ip, added and deleted in " << secs << " s; " << reads
                                 << " reads, " << wakeups << " wakeups, " << s.events.size()
                                 << " events");
    CHECK(read_error == 0);
    CHECK(failures == 0);

    // Exactly an add then a delete for every name; nothing else.
    std::map<std::string, std::string> seen; // name -> "+-"
    for (const auto &e : s.events)
        seen[e.substr(1)] += e[0];
    CHECK(s.events.size() == want);
    size_t right = 0;
    for (const auto &name : names) {
        auto it = seen.find(name);
        if (it != seen.end() && it->second == "+-")
            ++right;
        else
            UNSCOPED_INFO(name << ": " << (it == seen.end() ? "(nothing)" : it->second));
    }
    CHECK(right == names.size());
    CHECK(seen.size() == names.size());
}

TEST_CASE("netns_monitor_open: a run dir (or its parent) that cannot be read", "[monitor][errors]")
{
    TempDir tmp;
    const std::string dir = tmp / "netns";
    REQUIRE(mkdir(dir.c_str(), 0) == 0);
    const int fds = fd_count();
    int rc = 0;
    {
        ScopedEnv env("NETNS_RUN_DIR", dir.c_str());
        without_dac([&] { rc = netns_monitor_open(); });
        CHECK(rc == -EACCES);
    }
    {
        // Missing, below a parent that cannot be read: the parent is what
        // would be watched.
        ScopedEnv env("NETNS_RUN_DIR", (dir + "/below").c_str());
        REQUIRE(chmod(dir.c_str(), 0111) == 0);
        without_dac([&] { rc = netns_monitor_open(); });
        CHECK(rc == -EACCES);
    }
    if (rc >= 0)
        netns_monitor_close(&rc);
    CHECK(fd_count() == fds);
    chmod(dir.c_str(), 0755);
}
