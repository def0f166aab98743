// SPDX-License-Identifier: Apache-2.0
// Running inside a namespace through the C API (netns.h's fourth group),
// the processes: netns_spawn, netns_spawnp, netns_spawn_named, and
// netns_enter_named and netns_exec_named, which do to the calling thread
// what netns_spawn_named does to its child. Every test runs in the sandbox
// (sandbox.h). The netns_spawn_named tests replace /etc only inside a
// private mount namespace of the test's own thread (PrivateEtc below),
// never the host's.
#include "catch.hpp"
#include "capi_guards.hpp"
#include "helpers.hpp"
#include "spawn_util.hpp"

#include <netns/netns.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/if.h>
#include <sched.h>
#include <spawn.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

using netns::test::Argv;
using netns::test::exec_errors_reported;
using netns::test::exited_0;
using netns::test::Fd;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::NameGuard;
using netns::test::no_children;
using netns::test::reap;
using netns::test::run_capture;
using netns::test::thread_ns_id;
using netns::test::unique_name;

namespace {

// A fresh anonymous namespace (netns_create does not move the thread).
int fresh_ns()
{
    int ns = netns_create(nullptr);
    REQUIRE(ns >= 0);
    return ns;
}

// "net:[<inode>]", as readlink(/proc/<pid>/ns/net) shows a namespace.
std::string ns_link(int fd)
{
    struct stat st;
    if (::fstat(fd, &st) < 0)
        return "bad fd";
    return "net:[" + std::to_string(st.st_ino) + "]";
}

// dev:ino of /proc/<pid>/ns/net, comparable with fd_ns_id().
std::string pid_ns_id(pid_t pid)
{
    struct stat st;
    std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    if (::stat(path.c_str(), &st) < 0)
        return "gone";
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

// A child that stays alive until its stdin (a pipe) is closed: `cat`
// reading the pipe. Its namespace, process group etc. can then be looked
// at while it runs.
class Blocked {
public:
    ~Blocked() { finish(); }
    // Sets up the pipe and the file actions; then call start().
    bool prepare()
    {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) < 0)
            return false;
        r_ = p[0];
        w_ = p[1];
        ::posix_spawn_file_actions_init(&fa_);
        have_fa_ = true;
        return ::posix_spawn_file_actions_adddup2(&fa_, r_, 0) == 0;
    }
    const posix_spawn_file_actions_t *actions() const { return &fa_; }
    pid_t pid = -1;
    // Ends the child: EOF on its stdin. Returns its wait status.
    int finish()
    {
        if (w_ >= 0)
            ::close(w_);
        w_ = -1;
        int status = -1;
        if (pid > 0)
            status = reap(pid);
        pid = -1;
        if (r_ >= 0)
            ::close(r_);
        r_ = -1;
        if (have_fa_)
            ::posix_spawn_file_actions_destroy(&fa_);
        have_fa_ = false;
        return status;
    }

private:
    int r_ = -1, w_ = -1;
    bool have_fa_ = false;
    posix_spawn_file_actions_t fa_;
};

} // namespace

TEST_CASE("netns_spawn and netns_spawnp start the child in ns", "[spawn]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    Fd ns(fresh_ns());
    REQUIRE(fd_ns_id(ns.fd) != home);
    const int fds = fd_count();

    for (bool search : {false, true}) {
        INFO((search ? "netns_spawnp" : "netns_spawn"));
        Blocked child;
        REQUIRE(child.prepare());
        Argv argv{"cat"};
        int rc = search ? netns_spawnp(&child.pid, ns.fd, "cat", child.actions(), nullptr,
                                       argv.get(), nullptr)
                        : netns_spawn(&child.pid, ns.fd, "/bin/cat", child.actions(), nullptr,
                                      argv.get(), nullptr);
        REQUIRE(rc == 0);
        REQUIRE(child.pid > 0);
        CHECK(thread_ns_id() == home);
        CHECK(pid_ns_id(child.pid) == fd_ns_id(ns.fd));
        CHECK(exited_0(child.finish()));
    }
    SECTION("a NULL pid is allowed; the child still starts (and is reaped by any-child wait)")
    {
        Argv argv{"true"};
        REQUIRE(netns_spawn(nullptr, ns.fd, "/bin/true", nullptr, nullptr, argv.get(), nullptr) ==
                0);
        int status = 0;
        pid_t got = ::waitpid(-1, &status, 0);
        CHECK(got > 0);
        CHECK(exited_0(status));
    }
    SECTION("into the caller's own namespace")
    {
        int self = netns_get();
        REQUIRE(self >= 0);
        auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"readlink", "/proc/self/ns/net"};
            return netns_spawnp(pid, self, "readlink", fa, nullptr, argv.get(), nullptr);
        });
        CHECK(r.rc == 0);
        CHECK(exited_0(r.status));
        CHECK(r.out == ns_link(self) + "\n");
        netns_close(&self);
    }
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(no_children());
}

TEST_CASE("argv, envp and file actions pass through", "[spawn]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    Fd ns(fresh_ns());
    const int fds = fd_count();

    SECTION("argv and an explicit envp")
    {
        auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"zeroth", "-c",
                      "tr '\\0' , < /proc/$$/cmdline; printf '|%s|%s|%s|%s|' \"$0\" \"$1\" "
                      "\"$FOO\" \"${HOME-unset}\"; "
                      "readlink /proc/self/ns/net",
                      "dollar0", "first arg"};
            // PATH for the shell's readlink; HOME deliberately absent.
            Argv envp{"FOO=bar baz", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
            return netns_spawn(pid, ns.fd, "/bin/sh", fa, nullptr, argv.get(), envp.get());
        });
        REQUIRE(r.rc == 0);
        CHECK(exited_0(r.status));
        CHECK(r.out.substr(0, 10) == "zeroth,-c,");
        CHECK(r.out.find(",dollar0,first arg,|dollar0|first arg|bar baz|unset|" + ns_link(ns.fd) +
                         "\n") != std::string::npos);
    }
    SECTION("envp NULL is the caller's environ")
    {
        netns::test::ScopedEnv env("NETNS_SPAWN_TEST_VAR", "from environ");
        auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"sh", "-c", "printf '%s' \"$NETNS_SPAWN_TEST_VAR\""};
            return netns_spawnp(pid, ns.fd, "sh", fa, nullptr, argv.get(), nullptr);
        });
        REQUIRE(r.rc == 0);
        CHECK(exited_0(r.status));
        CHECK(r.out == "from environ");
    }
    SECTION("an empty envp is an empty environment")
    {
        auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"env"};
            char *empty[] = {nullptr};
            return netns_spawn(pid, ns.fd, "/usr/bin/env", fa, nullptr, argv.get(), empty);
        });
        REQUIRE(r.rc == 0);
        CHECK(exited_0(r.status));
        CHECK(r.out.empty());
    }
    SECTION("file actions: addopen of a file as stdin, stdout to a pipe")
    {
        netns::test::TempDir tmp;
        const std::string in = tmp / "input";
        {
            int fd = ::open(in.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            REQUIRE(fd >= 0);
            REQUIRE(::write(fd, "through a file\n", 15) == 15);
            ::close(fd);
        }
        int p[2];
        REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
        posix_spawn_file_actions_t acts;
        REQUIRE(posix_spawn_file_actions_init(&acts) == 0);
        REQUIRE(posix_spawn_file_actions_addopen(&acts, 0, in.c_str(), O_RDONLY, 0) == 0);
        REQUIRE(posix_spawn_file_actions_adddup2(&acts, p[1], 1) == 0);
        Argv argv{"cat"};
        pid_t pid = -1;
        int rc = netns_spawn(&pid, ns.fd, "/bin/cat", &acts, nullptr, argv.get(), nullptr);
        posix_spawn_file_actions_destroy(&acts);
        ::close(p[1]);
        REQUIRE(rc == 0);
        std::string out;
        char buf[256];
        ssize_t n;
        while ((n = ::read(p[0], buf, sizeof buf)) > 0)
            out.append(buf, static_cast<size_t>(n));
        ::close(p[0]);
        CHECK(exited_0(reap(pid)));
        CHECK(out == "through a file\n");
    }
    SECTION("a file action that fails is the call's error, with no child left")
    {
        if (!exec_errors_reported()) {
            WARN("skipped under valgrind: posix_spawn cannot report the child's errors there");
            return;
        }
        posix_spawn_file_actions_t acts;
        REQUIRE(posix_spawn_file_actions_init(&acts) == 0);
        REQUIRE(posix_spawn_file_actions_addopen(&acts, 0, "/nonexistent/netns-spawn", O_RDONLY,
                                                 0) == 0);
        Argv argv{"true"};
        pid_t pid = -1;
        int rc = netns_spawn(&pid, ns.fd, "/bin/true", &acts, nullptr, argv.get(), nullptr);
        posix_spawn_file_actions_destroy(&acts);
        CHECK(rc == -ENOENT);
        CHECK(no_children());
    }
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(no_children());
}

TEST_CASE("attributes pass through: signal mask and process group", "[spawn]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    Fd ns(fresh_ns());
    const int fds = fd_count();
    posix_spawnattr_t attr;
    REQUIRE(posix_spawnattr_init(&attr) == 0);
    struct AttrGuard {
        posix_spawnattr_t *a;
        ~AttrGuard() { posix_spawnattr_destroy(a); }
    } attr_guard{&attr};

    SECTION("POSIX_SPAWN_SETSIGMASK")
    {
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGUSR1); // bit 9
        sigaddset(&mask, SIGUSR2); // bit 11
        REQUIRE(posix_spawnattr_setsigmask(&attr, &mask) == 0);
        REQUIRE(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK) == 0);
        for (bool search : {false, true}) {
            auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
                Argv argv{"grep", "^SigBlk:", "/proc/self/status"};
                return search
                           ? netns_spawnp(pid, ns.fd, "grep", fa, &attr, argv.get(), nullptr)
                           : netns_spawn(pid, ns.fd, "/bin/grep", fa, &attr, argv.get(), nullptr);
            });
            REQUIRE(r.rc == 0);
            CHECK(exited_0(r.status));
            CHECK(r.out == "SigBlk:\t0000000000000a00\n");
        }
        // The caller's own mask is untouched.
        sigset_t now;
        REQUIRE(pthread_sigmask(SIG_BLOCK, nullptr, &now) == 0);
        CHECK_FALSE(sigismember(&now, SIGUSR1));
    }
    SECTION("POSIX_SPAWN_SETPGROUP: a process group of its own")
    {
        REQUIRE(posix_spawnattr_setpgroup(&attr, 0) == 0);
        REQUIRE(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP) == 0);
        Blocked child;
        REQUIRE(child.prepare());
        Argv argv{"cat"};
        REQUIRE(netns_spawn(&child.pid, ns.fd, "/bin/cat", child.actions(), &attr, argv.get(),
                            nullptr) == 0);
        CHECK(::getpgid(child.pid) == child.pid);
        CHECK(::getpgid(child.pid) != ::getpgrp());
        CHECK(pid_ns_id(child.pid) == fd_ns_id(ns.fd));
        CHECK(exited_0(child.finish()));
    }
    SECTION("an attribute posix_spawn rejects: a process group that does not exist")
    {
        if (!exec_errors_reported()) {
            WARN("skipped under valgrind: posix_spawn cannot report the child's errors there");
            return;
        }
        // setpgid(0, <no such group>) fails in the child: EPERM, no child.
        pid_t dead = netns::test::dead_pid();
        REQUIRE(posix_spawnattr_setpgroup(&attr, dead) == 0);
        REQUIRE(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP) == 0);
        Argv argv{"true"};
        pid_t pid = -1;
        int rc = netns_spawn(&pid, ns.fd, "/bin/true", nullptr, &attr, argv.get(), nullptr);
        CHECK(rc == -EPERM);
        CHECK(no_children());
    }
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(no_children());
}

TEST_CASE("spawn errors: reported in the caller, no child, nothing moved", "[spawn][errors]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    Fd ns(fresh_ns());
    netns::test::TempDir tmp;
    const std::string plain = tmp / "not-executable";
    {
        int fd = ::open(plain.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, "#!/bin/sh\n", 10) == 10);
        ::close(fd);
    }
    Fd file(::open("/proc/self/status", O_RDONLY | O_CLOEXEC));
    Fd mnt(::open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
    int closed = ::fcntl(file.fd, F_DUPFD_CLOEXEC, 900);
    REQUIRE(closed >= 0);
    ::close(closed);
    Argv argv{"x"};
    // A PATH the test can search whoever it runs as (a directory it may not
    // enter makes a failed search EACCES, as execvp's).
    netns::test::ScopedEnv path("PATH", "/usr/bin:/bin");
    const int fds = fd_count();

    struct Row {
        const char *what;
        int rc;
        int want;
    };
    pid_t pid = 12345;
    std::vector<Row> rows = {
        {"spawn NULL path",
         netns_spawn(&pid, ns.fd, nullptr, nullptr, nullptr, argv.get(), nullptr), -EINVAL},
        {"spawnp NULL file",
         netns_spawnp(&pid, ns.fd, nullptr, nullptr, nullptr, argv.get(), nullptr), -EINVAL},
        {"spawn NULL argv",
         netns_spawn(&pid, ns.fd, "/bin/true", nullptr, nullptr, nullptr, nullptr), -EINVAL},
        {"spawnp NULL argv", netns_spawnp(&pid, ns.fd, "true", nullptr, nullptr, nullptr, nullptr),
         -EINVAL},
        {"spawn ns -1", netns_spawn(&pid, -1, "/bin/true", nullptr, nullptr, argv.get(), nullptr),
         -EBADF},
        {"spawnp ns -1", netns_spawnp(&pid, -1, "true", nullptr, nullptr, argv.get(), nullptr),
         -EBADF},
        {"spawn closed ns",
         netns_spawn(&pid, closed, "/bin/true", nullptr, nullptr, argv.get(), nullptr), -EBADF},
        {"spawn regular file as ns",
         netns_spawn(&pid, file.fd, "/bin/true", nullptr, nullptr, argv.get(), nullptr), -EINVAL},
        {"spawnp mnt ns as ns",
         netns_spawnp(&pid, mnt.fd, "true", nullptr, nullptr, argv.get(), nullptr), -EINVAL},
    };
    // The child's errors (a failed exec), where posix_spawn can report them.
    if (exec_errors_reported()) {
        std::vector<Row> exec_rows = {
            {"spawn missing binary",
             netns_spawn(&pid, ns.fd, "/nonexistent/bin/x", nullptr, nullptr, argv.get(), nullptr),
             -ENOENT},
            {"spawnp missing binary",
             netns_spawnp(&pid, ns.fd, "netns-no-such-program", nullptr, nullptr, argv.get(),
                          nullptr),
             -ENOENT},
            {"spawn not executable",
             netns_spawn(&pid, ns.fd, plain.c_str(), nullptr, nullptr, argv.get(), nullptr),
             -EACCES},
            {"spawn a directory",
             netns_spawn(&pid, ns.fd, "/", nullptr, nullptr, argv.get(), nullptr), -EACCES},
            {"spawn through a file",
             netns_spawn(&pid, ns.fd, (plain + "/x").c_str(), nullptr, nullptr, argv.get(),
                         nullptr),
             -ENOTDIR},
        };
        rows.insert(rows.end(), exec_rows.begin(), exec_rows.end());
    } else {
        WARN("exec errors skipped under valgrind: posix_spawn cannot report them there");
    }
    for (const auto &r : rows) {
        INFO(r.what << " returned " << r.rc);
        CHECK(r.rc == r.want);
    }
    CHECK(pid == 12345); // untouched on failure
    CHECK(no_children());
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
}

TEST_CASE("500 spawns from 4 threads at once: no fd leak, no zombie", "[spawn][threads]")
{
    netns::test::SetGuard keep;
    const bool valgrind = std::getenv("NETNS_TEST_UNDER_VALGRIND") != nullptr;
    const int per_thread = valgrind ? 25 : 125;
    constexpr int kThreads = 4;
    Fd a(fresh_ns());
    Fd b(fresh_ns());
    const std::string ids[2] = {fd_ns_id(a.fd), fd_ns_id(b.fd)};
    const int nss[2] = {a.fd, b.fd};
    // The descriptors a child inherits, as `ls /proc/self/fd` shows them
    // when nothing else is going on: a concurrent spawn must add none.
    auto child_fds = [&](int ns) {
        auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"ls", "/proc/self/fd"};
            return netns_spawnp(pid, ns, "ls", fa, nullptr, argv.get(), nullptr);
        });
        return r.rc == 0 && exited_0(r.status) ? r.out : "spawn failed: " + std::to_string(r.rc);
    };
    const std::string quiet_fds = child_fds(a.fd);
    REQUIRE(quiet_fds.rfind("spawn failed", 0) != 0);
    const int fds = fd_count();

    std::atomic<int> failures{0};
    std::atomic<bool> go{false};
    std::vector<std::string> first_failure(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            auto fail = [&](const std::string &what) {
                if (failures++ == 0 || first_failure[t].empty())
                    first_failure[t] = what;
            };
            const std::string mine = thread_ns_id();
            while (!go)
                std::this_thread::yield();
            for (int i = 0; i < per_thread; ++i) {
                const int which = (i + t) % 2;
                if (i % 25 == 0) {
                    // Now and then: what the child sees, while others spawn.
                    auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
                        Argv argv{"sh", "-c", "readlink /proc/self/ns/net; ls /proc/self/fd"};
                        return netns_spawnp(pid, nss[which], "sh", fa, nullptr, argv.get(),
                                            nullptr);
                    });
                    if (r.rc != 0 || !exited_0(r.status))
                        fail("sh: rc " + std::to_string(r.rc));
                    else if (r.out != ns_link(nss[which]) + "\n" + quiet_fds)
                        fail("sh printed " + r.out);
                } else {
                    Argv argv{"true"};
                    pid_t pid = -1;
                    int rc = i % 2 ? netns_spawn(&pid, nss[which], "/bin/true", nullptr, nullptr,
                                                 argv.get(), nullptr)
                                   : netns_spawnp(&pid, nss[which], "true", nullptr, nullptr,
                                                  argv.get(), nullptr);
                    if (rc != 0)
                        fail("spawn: " + std::to_string(rc));
                    else if (!exited_0(reap(pid)))
                        fail("true did not exit 0");
                }
                if (i % 10 == 5 && exec_errors_reported()) {
                    // A failing spawn in the mix.
                    Argv argv{"x"};
                    pid_t pid = -1;
                    int rc = netns_spawn(&pid, nss[which], "/nonexistent/x", nullptr, nullptr,
                                         argv.get(), nullptr);
                    if (rc != -ENOENT)
                        fail("missing binary: " + std::to_string(rc));
                }
                if (thread_ns_id() != mine)
                    fail("the calling thread moved");
            }
        });
    go = true;
    for (auto &th : threads)
        th.join();
    std::string why;
    for (const auto &f : first_failure)
        if (!f.empty())
            why += f + "\n";
    INFO(why);
    CHECK(failures == 0);
    CHECK(fd_count() == fds);
    CHECK(no_children());
    CHECK(ids[0] != ids[1]);
}

// ---------------------------------------------------------------------
// netns_spawn_named, in a private mount namespace of the test's thread.

namespace {

// Gives the calling thread a private mount namespace in which /etc is a
// temp dir of the test's (the original /etc's entries reachable through
// symlinks, a "hosts" of the test's own, and /etc/netns/<name>/hosts),
// and takes the thread back to its mount namespace on destruction. The
// host's /etc is never written: the original is seen only through a
// read-only bind mount, which lives in the private namespace alone.
class PrivateEtc {
public:
    static constexpr const char *original_hosts = "# the test's original /etc/hosts\n";

    PrivateEtc()
    {
        home_mnt_ = ::open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
        cwd_ = ::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        const char *base = std::getenv("TMPDIR");
        dir_ = std::string(base && *base ? base : "/tmp") + "/netns-etc-XXXXXX";
        if (::mkdtemp(dir_.data()) == nullptr)
            dir_.clear();
    }
    ~PrivateEtc()
    {
        if (entered_) {
            // Back to the mount namespace the thread had; the private one
            // and all its mounts die with the last reference.
            (void)::setns(home_mnt_, CLONE_NEWNS);
            (void)::fchdir(cwd_);
        }
        if (home_mnt_ >= 0)
            ::close(home_mnt_);
        if (cwd_ >= 0)
            ::close(cwd_);
        // rmdir, never a recursive removal: the directory is empty here
        // (its tmpfs was private), and were the thread still inside, rmdir
        // of a mount point would just fail.
        if (!dir_.empty())
            (void)::rmdir(dir_.c_str());
    }
    PrivateEtc(const PrivateEtc &) = delete;
    PrivateEtc &operator=(const PrivateEtc &) = delete;

    // Enters the private namespace and builds /etc there; `netns_hosts`
    // is /etc/netns/<name>/hosts (none when empty).
    void enter(const std::string &name, const std::string &netns_hosts)
    {
        REQUIRE(home_mnt_ >= 0);
        REQUIRE(cwd_ >= 0);
        REQUIRE_FALSE(dir_.empty());
        REQUIRE(::unshare(CLONE_NEWNS) == 0);
        entered_ = true;
        REQUIRE(::mount("none", "/", "none", MS_REC | MS_PRIVATE, nullptr) == 0);
        REQUIRE(::mount("netns-test-etc", dir_.c_str(), "tmpfs", 0, "mode=0755") == 0);
        const std::string orig = dir_ + "/orig", etc = dir_ + "/etc";
        REQUIRE(::mkdir(orig.c_str(), 0755) == 0);
        REQUIRE(::mount("/etc", orig.c_str(), "none", MS_BIND | MS_REC, nullptr) == 0);
        REQUIRE(::mount("none", orig.c_str(), "none", MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) ==
                0);
        REQUIRE(::mkdir(etc.c_str(), 0755) == 0);
        DIR *d = ::opendir(orig.c_str());
        REQUIRE(d != nullptr);
        while (struct dirent *e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n == "." || n == ".." || n == "hosts" || n == "netns")
                continue;
            (void)::symlink((orig + "/" + n).c_str(), (etc + "/" + n).c_str());
        }
        ::closedir(d);
        write(etc + "/hosts", original_hosts);
        REQUIRE(::mkdir((etc + "/netns").c_str(), 0755) == 0);
        if (!netns_hosts.empty()) {
            REQUIRE(::mkdir((etc + "/netns/" + name).c_str(), 0755) == 0);
            write(etc + "/netns/" + name + "/hosts", netns_hosts);
        }
        REQUIRE(::mount(etc.c_str(), "/etc", "none", MS_BIND, nullptr) == 0);
        REQUIRE(netns::test::read_file("/etc/hosts") == original_hosts);
    }

private:
    static void write(const std::string &path, const std::string &text)
    {
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
        ::close(fd);
    }

    int home_mnt_ = -1;
    int cwd_ = -1;
    std::string dir_;
    bool entered_ = false;
};

// Renames the loopback device of ns, so that a listing of /sys/class/net
// tells that namespace from any other.
void rename_lo(int ns, const std::string &to)
{
    int s = netns_socket(ns, AF_INET, SOCK_DGRAM, 0);
    REQUIRE(s >= 0);
    struct ifreq ifr = {};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    std::strncpy(ifr.ifr_newname, to.c_str(), IFNAMSIZ - 1);
    int rc = ::ioctl(s, SIOCSIFNAME, &ifr);
    int err = errno;
    ::close(s);
    INFO("SIOCSIFNAME: " << std::strerror(err));
    REQUIRE(rc == 0);
}

std::string list_sys_class_net()
{
    std::string out;
    for (const auto &n : netns::test::list_dir("/sys/class/net"))
        out += n + "\n";
    return out;
}

} // namespace

TEST_CASE("netns_spawn_named: /etc/netns, a fresh /sys, caller unchanged", "[spawn][named]")
{
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    const std::string home = thread_ns_id();
    NameGuard g{unique_name("sp")};
    int ns = netns_create(g.name.c_str());
    REQUIRE(ns >= 0);
    Fd ns_guard(ns);
    // The interface list of the named namespace is one unique name.
    const std::string ifname = "sp" + std::to_string(::getpid() % 100000000);
    rename_lo(ns, ifname);
    const std::string hosts = "10.11.12.13 netns-spawn-named-test\n";

    SECTION("with /etc/netns/<name>/hosts")
    {
        PrivateEtc etc;
        etc.enter(g.name, hosts);
        const std::string mountinfo0 = netns::test::read_file("/proc/thread-self/mountinfo");
        const std::string sys0 = list_sys_class_net();
        const int fds = fd_count();

        for (bool via_path : {false, true}) {
            INFO((via_path ? "file searched in PATH" : "absolute file"));
            auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
                Argv argv{"sh", "-c",
                          "cat /etc/hosts; echo --; ls /sys/class/net; echo --; readlink "
                          "/proc/self/ns/net"};
                return netns_spawn_named(pid, g.name.c_str(), via_path ? "sh" : "/bin/sh", fa,
                                         nullptr, argv.get(), nullptr);
            });
            REQUIRE(r.rc == 0);
            CHECK(exited_0(r.status));
            CHECK(r.out == hosts + "--\n" + ifname + "\n--\n" + ns_link(ns) + "\n");
        }
        // The caller: same mounts, same /etc/hosts, its own interfaces.
        CHECK(netns::test::read_file("/proc/thread-self/mountinfo") == mountinfo0);
        CHECK(netns::test::read_file("/etc/hosts") == PrivateEtc::original_hosts);
        CHECK(list_sys_class_net() == sys0);
        CHECK(sys0.find(ifname) == std::string::npos);
        CHECK(thread_ns_id() == home);
        CHECK(fd_count() == fds);
        CHECK(no_children());
    }
    SECTION("without /etc/netns/<name>: /etc as it is")
    {
        PrivateEtc etc;
        etc.enter(g.name, "");
        const std::string mountinfo0 = netns::test::read_file("/proc/thread-self/mountinfo");
        auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"sh", "-c", "cat /etc/hosts; ls /sys/class/net"};
            return netns_spawn_named(pid, g.name.c_str(), "sh", fa, nullptr, argv.get(), nullptr);
        });
        REQUIRE(r.rc == 0);
        CHECK(exited_0(r.status));
        CHECK(r.out == std::string(PrivateEtc::original_hosts) + ifname + "\n");
        CHECK(netns::test::read_file("/proc/thread-self/mountinfo") == mountinfo0);
    }
    SECTION("an /etc/netns/<name> entry with nothing to cover: -ENOENT, no child")
    {
        PrivateEtc etc;
        etc.enter(g.name, hosts);
        const std::string extra = "/etc/netns/" + g.name + "/netns-only-entry";
        int fd = ::open(extra.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        ::close(fd);
        const std::string mountinfo0 = netns::test::read_file("/proc/thread-self/mountinfo");
        const int fds = fd_count();
        Argv argv{"true"};
        pid_t pid = 777;
        CHECK(netns_spawn_named(&pid, g.name.c_str(), "true", nullptr, nullptr, argv.get(),
                                nullptr) == -ENOENT);
        CHECK(pid == 777);
        CHECK(no_children());
        CHECK(netns::test::read_file("/proc/thread-self/mountinfo") == mountinfo0);
        CHECK(fd_count() == fds);
    }
    SECTION("argv, envp, file actions and attributes pass through")
    {
        PrivateEtc etc;
        etc.enter(g.name, hosts);
        posix_spawnattr_t attr;
        REQUIRE(posix_spawnattr_init(&attr) == 0);
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGUSR1);
        REQUIRE(posix_spawnattr_setsigmask(&attr, &mask) == 0);
        REQUIRE(posix_spawnattr_setpgroup(&attr, 0) == 0);
        REQUIRE(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP) ==
                0);
        // The mask, as the program started sees it (a shell would reset it).
        auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"grep", "^SigBlk:", "/proc/self/status"};
            return netns_spawn_named(pid, g.name.c_str(), "grep", fa, &attr, argv.get(), nullptr);
        });
        REQUIRE(r.rc == 0);
        CHECK(exited_0(r.status));
        CHECK(r.out == "SigBlk:\t0000000000000200\n");
        // The process group, while it runs; its namespace too.
        {
            Blocked child;
            REQUIRE(child.prepare());
            Argv argv{"cat"};
            REQUIRE(netns_spawn_named(&child.pid, g.name.c_str(), "cat", child.actions(), &attr,
                                      argv.get(), nullptr) == 0);
            CHECK(::getpgid(child.pid) == child.pid);
            CHECK(pid_ns_id(child.pid) == fd_ns_id(ns));
            CHECK(exited_0(child.finish()));
        }
        // argv and envp.
        r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
            Argv argv{"zero", "-c", "printf '%s|%s|%s' \"$0\" \"$1\" \"$V\"", "dollar0", "one"};
            Argv envp{"V=named"};
            return netns_spawn_named(pid, g.name.c_str(), "/bin/sh", fa, nullptr, argv.get(),
                                     envp.get());
        });
        posix_spawnattr_destroy(&attr);
        REQUIRE(r.rc == 0);
        CHECK(exited_0(r.status));
        CHECK(r.out == "dollar0|one|named");
    }
    CHECK(thread_ns_id() == home);
    CHECK(no_children());
}

TEST_CASE("netns_spawn_named on a name made by ip netns add", "[spawn][named][iproute2]")
{
    if (!netns::test::have_program("ip")) {
        WARN("iproute2 is not installed: skipping the `ip netns add` check");
        return;
    }
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    NameGuard g{unique_name("ipadd")};
    REQUIRE(netns::test::run_command("ip netns add " + g.name) == 0);
    int ns = netns_get_from_name(g.name.c_str());
    REQUIRE(ns >= 0);
    Fd ns_guard(ns);
    const std::string hosts = "10.1.1.1 made-by-ip\n";
    PrivateEtc etc;
    etc.enter(g.name, hosts);
    const std::string mountinfo0 = netns::test::read_file("/proc/thread-self/mountinfo");
    auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
        Argv argv{"sh", "-c", "cat /etc/hosts; readlink /proc/self/ns/net; ls /sys/class/net"};
        return netns_spawn_named(pid, g.name.c_str(), "sh", fa, nullptr, argv.get(), nullptr);
    });
    REQUIRE(r.rc == 0);
    CHECK(exited_0(r.status));
    CHECK(r.out == hosts + ns_link(ns) + "\nlo\n");
    CHECK(netns::test::read_file("/proc/thread-self/mountinfo") == mountinfo0);
    // And what ip netns exec shows for the name is the same namespace.
    netns::test::TempDir tmp;
    const std::string out = tmp / "link";
    CHECK(netns::test::run_command("ip netns exec " + g.name + " readlink /proc/self/ns/net > " +
                                   out) == 0);
    CHECK(netns::test::read_file(out) == ns_link(ns) + "\n");
    CHECK(no_children());
}

TEST_CASE("netns_spawn_named errors", "[spawn][named][errors]")
{
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    const std::string home = thread_ns_id();
    NameGuard g{unique_name("sperr")};
    int ns = netns_create(g.name.c_str());
    REQUIRE(ns >= 0);
    Fd ns_guard(ns);
    netns::test::TempDir tmp;
    const std::string plain = tmp / "plain";
    ::close(::open(plain.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    const std::string missing = unique_name("missing");
    const std::string longname(300, 'n');
    Argv argv{"x"};
    netns::test::ScopedEnv path("PATH", "/usr/bin:/bin"); // see "spawn errors"
    const std::string mountinfo0 = netns::test::read_file("/proc/thread-self/mountinfo");
    const int fds = fd_count();

    struct Row {
        std::string what;
        int rc;
        int want;
    };
    pid_t pid = 4242;
    std::vector<Row> rows;
    for (const char *bad : {(const char *)nullptr, "", ".", "..", "a/b", "/abs", longname.c_str()})
        rows.push_back({std::string("name ") + (bad ? bad : "NULL"),
                        netns_spawn_named(&pid, bad, "true", nullptr, nullptr, argv.get(), nullptr),
                        -EINVAL});
    rows.push_back(
        {"unknown name",
         netns_spawn_named(&pid, missing.c_str(), "true", nullptr, nullptr, argv.get(), nullptr),
         -ENOENT});
    {
        // An entry that is not a namespace: a plain file in the run dir.
        netns::test::ScopedEnv dir("NETNS_RUN_DIR", tmp.path().c_str());
        rows.push_back(
            {"entry not a namespace",
             netns_spawn_named(&pid, "plain", "true", nullptr, nullptr, argv.get(), nullptr),
             -EINVAL});
    }
    rows.push_back(
        {"NULL file",
         netns_spawn_named(&pid, g.name.c_str(), nullptr, nullptr, nullptr, argv.get(), nullptr),
         -EINVAL});
    rows.push_back(
        {"NULL argv",
         netns_spawn_named(&pid, g.name.c_str(), "true", nullptr, nullptr, nullptr, nullptr),
         -EINVAL});
    if (exec_errors_reported()) {
        rows.push_back({"missing program",
                        netns_spawn_named(&pid, g.name.c_str(), "netns-no-such-program", nullptr,
                                          nullptr, argv.get(), nullptr),
                        -ENOENT});
        rows.push_back({"missing path",
                        netns_spawn_named(&pid, g.name.c_str(), "/nonexistent/x", nullptr, nullptr,
                                          argv.get(), nullptr),
                        -ENOENT});
        rows.push_back({"not executable",
                        netns_spawn_named(&pid, g.name.c_str(), plain.c_str(), nullptr, nullptr,
                                          argv.get(), nullptr),
                        -EACCES});
    } else {
        WARN("exec errors skipped under valgrind: posix_spawn cannot report them there");
    }
    for (const auto &r : rows) {
        INFO(r.what << " returned " << r.rc);
        CHECK(r.rc == r.want);
    }
    CHECK(pid == 4242);
    CHECK(no_children());
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(netns::test::read_file("/proc/thread-self/mountinfo") == mountinfo0);
}

// ---------------------------------------------------------------------
// LIBNETNS_0.5: netns_enter_named and netns_exec_named, which do to the
// calling thread what netns_spawn_named does to its child. The moves happen
// on threads or in forked children of the test's, never on its own thread.

#include <sys/statvfs.h>

using netns::test::Exec;
using netns::test::exec_in_child;
using netns::test::here;
using netns::test::on_thread;
using netns::test::Place;

namespace {

bool sys_read_only()
{
    struct statvfs sv;
    return ::statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY) != 0;
}

void write_new(const std::string &path, const std::string &text)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    ::close(fd);
}

} // namespace

TEST_CASE("netns_enter_named moves the thread as ip netns exec prepares its process",
          "[spawn][enter]")
{
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    NameGuard g{unique_name("en")};
    int ns = netns_create(g.name.c_str());
    REQUIRE(ns >= 0);
    Fd ns_guard(ns);
    const std::string ifname = "en" + std::to_string(::getpid() % 100000000);
    rename_lo(ns, ifname);
    const std::string hosts = "10.20.30.40 netns-enter-named-test\n";
    PrivateEtc etc;
    etc.enter(g.name, hosts);
    const Place home = here();
    const std::string mountinfo0 = netns::test::read_file("/proc/thread-self/mountinfo");
    const std::string sys0 = list_sys_class_net();
    const bool ro0 = sys_read_only();
    const int fds = fd_count();

    struct Seen {
        int rc = -1;
        Place place;
        std::string hosts, sys;
        bool ro = false;
        int fds = -1;
    };
    auto seen = on_thread([&] {
        Seen v;
        v.rc = netns_enter_named(g.name.c_str());
        v.place = here();
        try {
            v.hosts = netns::test::read_file("/etc/hosts");
        } catch (...) {
        }
        v.sys = list_sys_class_net();
        v.ro = sys_read_only();
        v.fds = fd_count();
        return v;
    });
    CHECK(seen.rc == 0);
    CHECK(seen.place.net == fd_ns_id(ns));
    CHECK(seen.place.mnt != home.mnt);
    CHECK(seen.place.cwd == home.cwd);
    CHECK(seen.hosts == hosts);
    CHECK(seen.sys == ifname + "\n");
    CHECK(seen.ro == ro0);
    CHECK(seen.fds == fds); // nothing kept open
    // The test's thread: nothing changed.
    CHECK(here() == home);
    CHECK(netns::test::read_file("/proc/thread-self/mountinfo") == mountinfo0);
    CHECK(netns::test::read_file("/etc/hosts") == PrivateEtc::original_hosts);
    CHECK(list_sys_class_net() == sys0);
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_enter_named errors: the thread stays in both namespaces", "[spawn][enter][errors]")
{
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    NameGuard g{unique_name("enerr")};
    int ns = netns_create(g.name.c_str());
    REQUIRE(ns >= 0);
    Fd ns_guard(ns);
    PrivateEtc etc;
    etc.enter(g.name, "10.0.0.1 x\n");
    const Place home = here();
    const std::string mountinfo0 = netns::test::read_file("/proc/thread-self/mountinfo");
    const int fds = fd_count();
    netns::test::TempDir tmp;
    ::close(::open((tmp / "stale").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    const std::string longname(NAME_MAX + 1, 'n');
    struct Row {
        std::string what;
        int rc;
        int want;
    };
    std::vector<Row> rows;
    for (const char *bad : {(const char *)nullptr, "", ".", "..", "a/b", "/abs", longname.c_str()})
        rows.push_back(
            {std::string("name ") + (bad ? bad : "NULL"), netns_enter_named(bad), -EINVAL});
    rows.push_back({"unknown name", netns_enter_named(unique_name("missing").c_str()), -ENOENT});
    {
        netns::test::ScopedEnv dir("NETNS_RUN_DIR", tmp.path().c_str());
        rows.push_back({"stale entry", netns_enter_named("stale"), -EINVAL});
    }
    // Fails after the move, at the /etc bind: taken back.
    const std::string extra = "/etc/netns/" + g.name + "/netns-only-entry";
    write_new(extra, "");
    rows.push_back(
        {"an /etc/netns entry with no /etc entry", netns_enter_named(g.name.c_str()), -ENOENT});
    for (const auto &r : rows) {
        INFO(r.what << " returned " << r.rc);
        CHECK(r.rc == r.want);
    }
    CHECK(here() == home);
    CHECK(netns::test::read_file("/proc/thread-self/mountinfo") == mountinfo0);
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_exec_named: the command in place, execvp's rules", "[spawn][exec]")
{
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    NameGuard g{unique_name("ex")};
    int ns = netns_create(g.name.c_str());
    REQUIRE(ns >= 0);
    Fd ns_guard(ns);
    const std::string ifname = "ex" + std::to_string(::getpid() % 100000000);
    rename_lo(ns, ifname);
    const std::string hosts = "10.20.30.41 netns-exec-named-test\n";
    PrivateEtc etc;
    etc.enter(g.name, hosts);
    const Place home = here();
    const int fds = fd_count();
    netns::test::TempDir bin;
    // No "#!": run by /bin/sh, as execvp does.
    write_new(bin / "netns-exec-test",
              "echo \"$1|$V|$$\"; cat /etc/hosts; ls /sys/class/net; readlink /proc/self/ns/net\n");
    const std::string tail = hosts + ifname + "\n" + ns_link(ns) + "\n";

    SECTION("PATH search, a script without #!, envp; the command keeps the caller's pid")
    {
        pid_t caller = -1;
        int p[2];
        REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
        Exec e = exec_in_child([&] {
            ::setenv("PATH", bin.path().c_str(), 1);
            std::string pid = std::to_string(::getpid());
            (void)!::write(p[1], pid.data(), pid.size());
            Argv argv{"netns-exec-test", "one"};
            Argv envp{"V=given"};
            return netns_exec_named(g.name.c_str(), "netns-exec-test", argv.get(), envp.get());
        });
        ::close(p[1]);
        char buf[32] = {};
        (void)!::read(p[0], buf, sizeof buf - 1);
        ::close(p[0]);
        caller = std::atoi(buf);
        CHECK(exited_0(e.status));
        CHECK(e.out == "one|given|" + std::to_string(caller) + "\n" + tail);
    }
    SECTION("envp NULL: the caller's environ")
    {
        Exec e = exec_in_child([&] {
            ::setenv("V", "inherited", 1);
            Argv argv{"x", "two"};
            return netns_exec_named(g.name.c_str(), (bin / "netns-exec-test").c_str(), argv.get(),
                                    nullptr);
        });
        CHECK(exited_0(e.status));
        CHECK(e.out.rfind("two|inherited|", 0) == 0);
        CHECK(e.out.find(tail) != std::string::npos);
    }
    SECTION("the command's exit status is the process's")
    {
        Exec e = exec_in_child([&] {
            Argv argv{"sh", "-c", "exit 42"};
            return netns_exec_named(g.name.c_str(), "sh", argv.get(), nullptr);
        });
        CHECK(WIFEXITED(e.status));
        CHECK(WEXITSTATUS(e.status) == 42);
    }
    SECTION("failures return, the thread back where it was")
    {
        write_new(bin / "not-executable", "true\n");
        REQUIRE(::chmod((bin / "not-executable").c_str(), 0644) == 0);
        netns::test::ScopedEnv path("PATH", (bin.path() + ":/usr/bin:/bin").c_str());
        Argv argv{"x"};
        struct Row {
            std::string what;
            int rc;
            int want;
        };
        const std::vector<Row> rows = {
            {"no such command on PATH",
             netns_exec_named(g.name.c_str(), "netns-no-such-program", argv.get(), nullptr),
             -ENOENT},
            {"no such path",
             netns_exec_named(g.name.c_str(), "/nonexistent/x", argv.get(), nullptr), -ENOENT},
            {"not executable (PATH)",
             netns_exec_named(g.name.c_str(), "not-executable", argv.get(), nullptr), -EACCES},
            {"a directory", netns_exec_named(g.name.c_str(), "/", argv.get(), nullptr), -EACCES},
            {"NULL name", netns_exec_named(nullptr, "true", argv.get(), nullptr), -EINVAL},
            {"NULL file", netns_exec_named(g.name.c_str(), nullptr, argv.get(), nullptr), -EINVAL},
            {"NULL argv", netns_exec_named(g.name.c_str(), "true", nullptr, nullptr), -EINVAL},
            {"bad name", netns_exec_named("a/b", "true", argv.get(), nullptr), -EINVAL},
            {"unknown name",
             netns_exec_named(unique_name("missing").c_str(), "true", argv.get(), nullptr),
             -ENOENT},
        };
        for (const auto &r : rows) {
            INFO(r.what << " returned " << r.rc);
            CHECK(r.rc == r.want);
        }
        CHECK(no_children());
    }
    CHECK(here() == home);
    CHECK(fd_count() == fds);
    CHECK(netns::test::read_file("/etc/hosts") == PrivateEtc::original_hosts);
}

TEST_CASE("netns_exec_named shows what ip netns exec shows", "[spawn][exec][iproute2]")
{
    if (!netns::test::have_program("ip")) {
        WARN("iproute2 is not installed: skipping the comparison with ip netns exec");
        return;
    }
    netns::test::SetGuard keep;
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    NameGuard g{unique_name("ipex")};
    REQUIRE(netns::test::run_command("ip netns add " + g.name) == 0);
    PrivateEtc etc;
    etc.enter(g.name, "10.1.2.3 made-by-ip\n");
    netns::test::TempDir tmp;
    // What the command sees: its namespace, /etc, /sys and its options,
    // its working directory, and that / no longer shares with the caller.
    const std::string script =
        "readlink /proc/self/ns/net; cat /etc/hosts; ls /sys/class/net; "
        "awk '$5 == \"/sys\" {print $6}' /proc/self/mountinfo | tail -n 1 | cut -d, -f1; "
        "pwd; awk '$5 == \"/\" {print ($0 ~ /shared:/) ? \"shared\" : \"not shared\"}' "
        "/proc/self/mountinfo | tail -n 1";
    const std::string file = tmp / "look.sh", out = tmp / "ip.out";
    write_new(file, script + "\n");
    REQUIRE(netns::test::run_command("ip netns exec " + g.name + " sh " + file + " > " + out) == 0);
    const std::string ip_saw = netns::test::read_file(out);
    Exec e = exec_in_child([&] {
        Argv argv{"sh", file};
        return netns_exec_named(g.name.c_str(), "sh", argv.get(), nullptr);
    });
    CHECK(exited_0(e.status));
    CHECK(e.out == ip_saw);
    CHECK(!ip_saw.empty());
}
