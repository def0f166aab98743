// SPDX-License-Identifier: Apache-2.0
// Listing, identifying and watching through the C API (netns.h's fifth
// group), the walks: what `ip netns list`, `identify` and `pids` know, as
// netns_list, netns_identify and netns_pids, each checked against iproute2
// both ways (the monitor: tests-listing-monitor.cpp). The run dir may hold other processes' names (CI shares one): every
// check looks at this test's own names only. Runs in the sandbox.
#include "catch.hpp"
#include "capi_guards.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <set>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using netns::test::fd_count;
using netns::test::Handle;
using netns::test::have_program;
using netns::test::listed;
using netns::test::NameGuard;
using netns::test::PrivateRunDir;
using netns::test::read_file;
using netns::test::run_command;
using netns::test::ScopedEnv;
using netns::test::Sleeper;
using netns::test::TempDir;
using netns::test::unique_name;

namespace {

std::vector<std::string> identified(pid_t pid, int *rc_out = nullptr)
{
    std::vector<std::string> out;
    int rc = netns_identify(
        pid,
        [](const char *name, void *arg) {
            static_cast<std::vector<std::string> *>(arg)->emplace_back(name);
            return 0;
        },
        &out);
    if (rc_out != nullptr)
        *rc_out = rc;
    else
        REQUIRE(rc == 0);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<pid_t> pids_of(int ns)
{
    std::vector<pid_t> out;
    int rc = netns_pids(
        ns,
        [](pid_t pid, void *arg) {
            static_cast<std::vector<pid_t> *>(arg)->push_back(pid);
            return 0;
        },
        &out);
    REQUIRE(rc == 0);
    return out;
}

// Only the names that start with prefix.
std::vector<std::string> mine(const std::vector<std::string> &names, const std::string &prefix)
{
    std::vector<std::string> out;
    for (const auto &n : names)
        if (n.rfind(prefix, 0) == 0)
            out.push_back(n);
    return out;
}

// The lines of a command's output (run through the shell).
std::vector<std::string> lines_of(const std::string &cmd)
{
    TempDir tmp;
    const std::string out = tmp / "out";
    REQUIRE(run_command(cmd + " > " + out) == 0);
    std::vector<std::string> lines;
    std::string text = read_file(out), line;
    for (char c : text) {
        if (c == '\n') {
            lines.push_back(line);
            line.clear();
        } else {
            line += c;
        }
    }
    if (!line.empty())
        lines.push_back(line);
    return lines;
}

} // namespace

// ---------------------------------------------------------------------
// netns_list

TEST_CASE("netns_list reports this test's names, sorted, and only mounted ones", "[list]")
{
    const std::string prefix = unique_name("list") + "-";
    std::vector<NameGuard> guards;
    guards.reserve(4); // NameGuard copies would delete the name twice
    std::vector<std::string> want;
    for (const char *tail : {"c", "a", "b", "B"}) {
        guards.push_back({prefix + tail});
        int h = netns_create(guards.back().name.c_str());
        REQUIRE(h >= 0);
        (void)netns_close(&h);
        want.push_back(prefix + tail);
    }
    std::sort(want.begin(), want.end());
    const int fds = fd_count();
    auto names = listed();
    CHECK(mine(names, prefix) == want);
    CHECK(std::is_sorted(names.begin(), names.end()));
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
    CHECK(fd_count() == fds);

    // Deleted: gone from the list.
    REQUIRE(netns_delete_named((prefix + "a").c_str()) == 0);
    want.erase(std::find(want.begin(), want.end(), prefix + "a"));
    CHECK(mine(listed(), prefix) == want);

    // A callback's non-zero value stops the walk at once and is returned.
    int seen = 0;
    int rc = netns_list(
        [](const char *, void *arg) {
            ++*static_cast<int *>(arg);
            return 42;
        },
        &seen);
    CHECK(rc == 42);
    CHECK(seen == 1);
}

TEST_CASE("netns_list agrees with `ip netns list`", "[list][iproute2]")
{
    if (!have_program("ip")) {
        WARN("iproute2 is not installed: skipping");
        return;
    }
    // ip netns uses /run/netns whatever NETNS_RUN_DIR says: use that dir.
    ScopedEnv env("NETNS_RUN_DIR", nullptr);
    const std::string prefix = unique_name("iplist") + "-";
    NameGuard ours{prefix + "lib"}, theirs{prefix + "ip"};
    int h = netns_create(ours.name.c_str());
    REQUIRE(h >= 0);
    (void)netns_close(&h);
    REQUIRE(run_command("ip netns add " + theirs.name) == 0);
    // A stale file of ours: ip lists it, netns_list does not.
    const std::string stale = "/run/netns/" + prefix + "stale";
    REQUIRE(run_command("touch " + stale) == 0);
    struct Unlink {
        std::string p;
        ~Unlink() { ::unlink(p.c_str()); }
    } unlink_stale{stale};

    std::vector<std::string> ip_names;
    for (const auto &line : lines_of("ip netns list 2>/dev/null"))
        ip_names.push_back(line.substr(0, line.find(' '))); // drop " (id: N)"
    std::sort(ip_names.begin(), ip_names.end());
    CHECK(mine(ip_names, prefix) ==
          std::vector<std::string>{prefix + "ip", prefix + "lib", prefix + "stale"});
    CHECK(mine(listed(), prefix) == std::vector<std::string>{prefix + "ip", prefix + "lib"});
}

TEST_CASE("netns_list: an unreadable run dir is EACCES", "[list][errors]")
{
    PrivateRunDir run;
    REQUIRE(::mkdir(run.dir.c_str(), 0) == 0);
    ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
    int rc = 0;
    netns::test::without_dac_override(
        [&] { rc = netns_list([](const char *, void *) { return 0; }, nullptr); });
    CHECK(rc == -EACCES);
    ::chmod(run.dir.c_str(), 0755);
}

// ---------------------------------------------------------------------
// netns_identify

TEST_CASE("netns_identify reports every alias of a process's namespace", "[identify]")
{
    const std::string prefix = unique_name("ident") + "-";
    NameGuard first{prefix + "1"}, second{prefix + "2"}, other{prefix + "other"};
    int h = netns_create(first.name.c_str());
    REQUIRE(h >= 0);
    Handle ns(h);
    REQUIRE(netns_attach_fd(second.name.c_str(), ns.fd) == 0);
    int o = netns_create(other.name.c_str());
    REQUIRE(o >= 0);
    Handle other_ns(o);

    Sleeper child(ns.fd);
    const int fds = fd_count();
    CHECK(mine(identified(child.pid()), prefix) ==
          std::vector<std::string>{first.name, second.name});
    CHECK(fd_count() == fds);
    // This process is in none of them.
    CHECK(mine(identified(getpid()), prefix).empty());
}

TEST_CASE("netns_identify covers `ip netns identify`, which prints one alias",
          "[identify][iproute2]")
{
    if (!have_program("ip")) {
        WARN("iproute2 is not installed: skipping");
        return;
    }
    ScopedEnv env("NETNS_RUN_DIR", nullptr);
    const std::string prefix = unique_name("ipident") + "-";
    NameGuard a{prefix + "a"}, b{prefix + "b"};
    REQUIRE(run_command("ip netns add " + a.name) == 0);
    int h = netns_get_from_name(a.name.c_str());
    REQUIRE(h >= 0);
    Handle ns(h);
    REQUIRE(netns_attach_fd(b.name.c_str(), ns.fd) == 0);
    Sleeper child(ns.fd);
    auto ip = lines_of("ip netns identify " + std::to_string(child.pid()));
    auto ours = identified(child.pid());
    CHECK(mine(ours, prefix) == std::vector<std::string>{a.name, b.name});
    // Every name ip prints is one of ours (ip prints the first it finds, or
    // all of them in newer versions).
    REQUIRE(!ip.empty());
    for (const auto &line : ip)
        for (size_t pos = 0; pos < line.size();) {
            size_t end = line.find(' ', pos);
            if (end == std::string::npos)
                end = line.size();
            const std::string word = line.substr(pos, end - pos);
            if (!word.empty())
                CHECK(std::find(ours.begin(), ours.end(), word) != ours.end());
            pos = end + 1;
        }
}

TEST_CASE("netns_identify errors", "[identify][errors]")
{
    auto count = [](const char *, void *arg) { return ++*static_cast<int *>(arg), 0; };
    int n = 0;
    CHECK(netns_identify(0, count, &n) == -EINVAL);
    CHECK(netns_identify(-1, count, &n) == -EINVAL);
    CHECK(netns_identify(netns::test::dead_pid(), count, &n) == -ESRCH);
    CHECK(netns_identify(getpid(), nullptr, nullptr) == -EINVAL);
    // A run dir that is a file.
    TempDir tmp;
    const std::string file = tmp / "file";
    REQUIRE(run_command("touch " + file) == 0);
    ScopedEnv env("NETNS_RUN_DIR", file.c_str());
    CHECK(netns_identify(getpid(), count, &n) == -ENOTDIR);
    CHECK(n == 0);
}

// ---------------------------------------------------------------------
// netns_pids

TEST_CASE("netns_pids reports the processes of a namespace, ascending", "[pids]")
{
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    CHECK(pids_of(ns.fd).empty());
    Sleeper a(ns.fd), b(ns.fd), c(ns.fd);
    std::vector<pid_t> want{a.pid(), b.pid(), c.pid()};
    std::sort(want.begin(), want.end());
    const int fds = fd_count();
    CHECK(pids_of(ns.fd) == want);
    CHECK(fd_count() == fds);
    // The caller's namespace has the caller in it.
    int self = netns_get();
    REQUIRE(self >= 0);
    Handle self_h(self);
    auto here = pids_of(self);
    CHECK(std::find(here.begin(), here.end(), getpid()) != here.end());
    CHECK(std::find(here.begin(), here.end(), a.pid()) == here.end());
}

TEST_CASE("netns_pids equals `ip netns pids`", "[pids][iproute2]")
{
    if (!have_program("ip")) {
        WARN("iproute2 is not installed: skipping");
        return;
    }
    ScopedEnv env("NETNS_RUN_DIR", nullptr);
    NameGuard name{unique_name("ippids")};
    int h = netns_create(name.name.c_str());
    REQUIRE(h >= 0);
    Handle ns(h);
    Sleeper a(ns.fd), b(ns.fd);
    std::vector<pid_t> ip;
    for (const auto &line : lines_of("ip netns pids " + name.name))
        ip.push_back(static_cast<pid_t>(std::stol(line)));
    std::sort(ip.begin(), ip.end());
    CHECK(pids_of(ns.fd) == ip);
    CHECK(ip.size() == 2);
}
