// SPDX-License-Identifier: Apache-2.0
// What `ip netns list`, `identify`, `pids` and `attach` know, through the C
// API: netns_list, netns_identify, netns_pids, netns_get_from_pidfd,
// netns_attach and netns_attach_fd, each checked against iproute2 both
// ways. The run dir may hold other processes' names (CI shares one): every
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

using netns::test::exists;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::Handle;
using netns::test::have_program;
using netns::test::mounts_at;
using netns::test::NameGuard;
using netns::test::PrivateRunDir;
using netns::test::read_file;
using netns::test::run_command;
using netns::test::ScopedEnv;
using netns::test::TempDir;
using netns::test::thread_ns_id;
using netns::test::unique_name;

namespace {

std::vector<std::string> listed()
{
    std::vector<std::string> out;
    int rc = netns_list(
        [](const char *name, void *arg) {
            static_cast<std::vector<std::string> *>(arg)->emplace_back(name);
            return 0;
        },
        &out);
    REQUIRE(rc == 0);
    return out;
}

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

// A child that sleeps in namespace ns until killed; killed and reaped at
// scope exit.
class Sleeper {
public:
    explicit Sleeper(int ns)
    {
        static char arg0[] = "sleep", arg1[] = "1000";
        static char *const argv[] = {arg0, arg1, nullptr};
        REQUIRE(netns_spawn(&pid_, ns, "/bin/sleep", nullptr, nullptr, argv, nullptr) == 0);
    }
    ~Sleeper()
    {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Sleeper(const Sleeper &) = delete;
    Sleeper &operator=(const Sleeper &) = delete;
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
};

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0u)); }

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

// ---------------------------------------------------------------------
// netns_get_from_pidfd

TEST_CASE("netns_get_from_pidfd opens the namespace of the process behind a pidfd", "[pidfd]")
{
    if (!netns::test::have_pidfd_open()) {
        WARN("skipped: pidfd_open(2) is not available (Linux before 5.3, or valgrind 3.19)");
        return;
    }
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    pid_t pid;
    {
        Sleeper child(ns.fd);
        pid = child.pid();
        int pidfd = pidfd_open(pid);
        REQUIRE(pidfd >= 0);
        const int fds = fd_count();
        int got = netns_get_from_pidfd(pidfd);
        REQUIRE(got >= 0);
        CHECK(fd_count() == fds + 1);
        CHECK(netns_equal(got, ns.fd) == 1);
        CHECK((::fcntl(got, F_GETFD) & FD_CLOEXEC) != 0);
        (void)netns_close(&got);
        ::kill(pid, SIGKILL);
        siginfo_t info{};
        REQUIRE(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0);
        // Exited: ESRCH, never another process's namespace.
        CHECK(netns_get_from_pidfd(pidfd) == -ESRCH);
        ::close(pidfd);
    }
    CHECK(netns_get_from_pidfd(-1) == -EBADF);
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    CHECK(netns_get_from_pidfd(p[0]) == -EINVAL);
    ::close(p[0]);
    ::close(p[1]);
}

// ---------------------------------------------------------------------
// netns_attach, netns_attach_fd

TEST_CASE("netns_attach names a process's namespace; the caller stays", "[attach]")
{
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    Sleeper child(ns.fd);
    NameGuard name{unique_name("attach")};
    const std::string home = thread_ns_id();
    const int fds = fd_count();
    REQUIRE(netns_attach(name.name.c_str(), child.pid()) == 0);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    int got = netns_get_from_name(name.name.c_str());
    REQUIRE(got >= 0);
    Handle got_h(got);
    CHECK(netns_equal(got, ns.fd) == 1);
    CHECK(netns_attach(name.name.c_str(), child.pid()) == -EEXIST);
    CHECK(netns_attach_fd(name.name.c_str(), ns.fd) == -EEXIST);
    CHECK(fd_count() == fds + 1);
}

TEST_CASE("netns_attach_fd names any network namespace handle", "[attach]")
{
    PrivateRunDir run; // a run dir that does not exist yet: prepared as ip does
    ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    const int fds = fd_count();
    REQUIRE(netns_attach_fd("one", ns.fd) == 0);
    REQUIRE(netns_attach_fd("two", ns.fd) == 0);
    CHECK(fd_count() == fds);
    CHECK(netns_is_netns(ns.fd) == 1); // still the caller's
    CHECK(mounts_at(run.dir + "/one") == 1);
    CHECK(listed() == std::vector<std::string>{"one", "two"});
    CHECK(netns_delete_named("one") == 0);
    CHECK(netns_delete_named("two") == 0);
    CHECK(netns::test::list_dir(run.dir).empty());
}

TEST_CASE("netns_attach errors leave no entry", "[attach][errors]")
{
    PrivateRunDir run;
    ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
    CHECK(netns_attach("x", netns::test::dead_pid()) == -ESRCH);
    CHECK(netns_attach("x", 0) == -EINVAL);
    CHECK(netns_attach("a/b", getpid()) == -EINVAL);
    CHECK(netns_attach(nullptr, getpid()) == -EINVAL);
    int uts = ::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
    REQUIRE(uts >= 0);
    CHECK(netns_attach_fd("x", uts) == -EINVAL);
    ::close(uts);
    CHECK(!exists(run.dir + "/x"));

    // A read-only run dir.
    REQUIRE(::mkdir(run.dir.c_str(), 0755) == 0);
    REQUIRE(::mount(run.dir.c_str(), run.dir.c_str(), "none", MS_BIND, nullptr) == 0);
    REQUIRE(::mount("none", run.dir.c_str(), "none", MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) ==
            0);
    CHECK(netns_attach("x", getpid()) == -EROFS);
    CHECK(!exists(run.dir + "/x"));
}

TEST_CASE("netns_attach and `ip netns` work with each other's names", "[attach][iproute2]")
{
    if (!have_program("ip")) {
        WARN("iproute2 is not installed: skipping");
        return;
    }
    ScopedEnv env("NETNS_RUN_DIR", nullptr);
    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle ns(h);
    Sleeper child(ns.fd);
    // Ours, used by `ip netns exec`.
    NameGuard ours{unique_name("attached")};
    REQUIRE(netns_attach(ours.name.c_str(), child.pid()) == 0);
    TempDir tmp;
    const std::string out = tmp / "ino";
    REQUIRE(run_command("ip netns exec " + ours.name + " stat -L -c %i /proc/self/ns/net > " +
                        out) == 0);
    struct stat st;
    REQUIRE(::fstat(ns.fd, &st) == 0);
    CHECK(read_file(out) == std::to_string(st.st_ino) + "\n");
    // Theirs (`ip netns attach NAME PID`), found by netns_get_from_name.
    NameGuard theirs{unique_name("ipattached")};
    REQUIRE(run_command("ip netns attach " + theirs.name + " " + std::to_string(child.pid())) == 0);
    int got = netns_get_from_name(theirs.name.c_str());
    REQUIRE(got >= 0);
    Handle got_h(got);
    CHECK(netns_equal(got, ns.fd) == 1);
}
