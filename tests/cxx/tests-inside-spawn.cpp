// SPDX-License-Identifier: Apache-2.0
// Running inside a namespace in the C++ wrapper, <netns/netns.hpp>, the
// processes: spawn(), spawnp(), spawn_named(), and enter_named() and
// exec_named(), which do to the calling thread what spawn_named() does to
// its child (the work done in this process: tests-inside.cpp). Built as
// C++20 (tests-cxx-inside-spawn) and as C++17 (tests-cxx17-inside-spawn,
// tests/cxx/meson.build). Runs in the privileged-test sandbox (main.cpp):
// /run is a private tmpfs.
#include "catch.hpp"
#include "cxx_test.hpp"
#include "helpers.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace t = netns::test;
using netns::Handle;
using t::Child;
using t::error_of;
using t::exited_ok;
using t::NameGuard;
using t::Pipe;

namespace {

// posix_spawn file actions, destroyed with the scope.
struct FileActions {
    posix_spawn_file_actions_t actions;
    FileActions() { REQUIRE(::posix_spawn_file_actions_init(&actions) == 0); }
    ~FileActions() { ::posix_spawn_file_actions_destroy(&actions); }
    FileActions(const FileActions &) = delete;
    FileActions &operator=(const FileActions &) = delete;
    void dup2(int from, int to)
    {
        REQUIRE(::posix_spawn_file_actions_adddup2(&actions, from, to) == 0);
    }
};

// "net:[<inode>]", as readlink(2) shows /proc/<pid>/ns/net for ns.
std::string ns_link(const Handle &ns)
{
    struct stat st;
    REQUIRE(::fstat(ns.fd(), &st) == 0);
    return "net:[" + std::to_string(static_cast<unsigned long long>(st.st_ino)) + "]";
}

// Whether this process has no child (left): every test reaps its own.
bool no_children()
{
    int status;
    return ::waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

} // namespace

// Whether a failed exec comes back as an error: not under valgrind, which
// runs glibc's posix_spawn child as a fork (doc/hardening.md).
static bool exec_errors_reported() { return std::getenv("NETNS_TEST_UNDER_VALGRIND") == nullptr; }

// --- spawn, spawnp, spawn_named ----------------------------------------------------

TEST_CASE("spawn: the child starts in ns; argv, env, actions, attributes pass", "[cxx][spawn]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        Handle ns = netns::create();

        SECTION("/proc/<pid>/ns/net of a live child is ns")
        {
            Pipe in;
            FileActions fa;
            fa.dup2(in.read.fd(), 0);
            Child child(netns::spawn(ns, "/bin/sh", {"sh", "-c", "read line; exit 0"},
                                     {std::nullopt, &fa.actions, nullptr}));
            CHECK(t::thread_ns_id() == here);
            CHECK(netns::get_from_pid(child.pid()) == ns);
            CHECK(t::fd_ns_id(netns::get_from_pid(child.pid()).fd()) == t::fd_ns_id(ns.fd()));
            in.write.reset(); // EOF: the child ends
            CHECK(exited_ok(child.wait()));
        }
        SECTION("argv and env arrive as given; stdout through a file action")
        {
            Pipe out;
            FileActions fa;
            fa.dup2(out.write.fd(), 1);
            netns::SpawnOptions options;
            options.env = std::vector<std::string>{"V=vee", "PATH=/usr/bin:/bin"};
            options.actions = &fa.actions;
            Child child(netns::spawn(
                ns, "/bin/sh",
                {"sh", "-c", "echo \"$0|$1|$2|$V\"; readlink /proc/self/ns/net", "zero", "one two"},
                options));
            CHECK(out.drain() == "zero|one two||vee\n" + ns_link(ns) + "\n");
            CHECK(exited_ok(child.wait()));
        }
        SECTION("env: exactly the given strings, none, or the caller's")
        {
            auto env_of = [&](std::optional<std::vector<std::string>> env) {
                Pipe out;
                FileActions fa;
                fa.dup2(out.write.fd(), 1);
                Child child(netns::spawn(ns, "/usr/bin/env", {"env"},
                                         {std::move(env), &fa.actions, nullptr}));
                std::string text = out.drain();
                CHECK(exited_ok(child.wait()));
                return text;
            };
            CHECK(env_of(std::vector<std::string>{"A=1", "B=two words"}) == "A=1\nB=two words\n");
            CHECK(env_of(std::vector<std::string>{}).empty());
            t::ScopedEnv mark("NETNS_CXX_SPAWN_ENV", "inherited");
            CHECK(env_of(std::nullopt).find("\nNETNS_CXX_SPAWN_ENV=inherited\n") !=
                  std::string::npos);
        }
        SECTION("attributes: a new process group")
        {
            Pipe in;
            FileActions fa;
            fa.dup2(in.read.fd(), 0);
            posix_spawnattr_t attr;
            REQUIRE(::posix_spawnattr_init(&attr) == 0);
            REQUIRE(::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP) == 0);
            REQUIRE(::posix_spawnattr_setpgroup(&attr, 0) == 0);
            pid_t pid = -1;
            CHECK_NOTHROW(pid = netns::spawn(ns, "/bin/sh", {"sh", "-c", "read line; exit 0"},
                                             {std::nullopt, &fa.actions, &attr}));
            ::posix_spawnattr_destroy(&attr);
            REQUIRE(pid > 0);
            Child child(pid);
            CHECK(::getpgid(pid) == pid);
            CHECK(::getpgid(pid) != ::getpgrp());
            in.write.reset();
            CHECK(exited_ok(child.wait()));
        }
        SECTION("spawnp searches PATH")
        {
            Pipe out;
            FileActions fa;
            fa.dup2(out.write.fd(), 1);
            t::ScopedEnv path("PATH", "/usr/bin:/bin");
            Child child(netns::spawnp(ns, "readlink", {"readlink", "/proc/self/ns/net"},
                                      {std::nullopt, &fa.actions, nullptr}));
            CHECK(t::thread_ns_id() == here);
            CHECK(out.drain() == ns_link(ns) + "\n");
            CHECK(exited_ok(child.wait()));
        }
        SECTION("the exit status is the child's")
        {
            Child child(netns::spawn(ns, "/bin/sh", {"sh", "-c", "exit 3"}));
            int status = child.wait();
            CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 3));
        }
    }
    CHECK(no_children());
    CHECK(t::thread_ns_id() == here);
    CHECK(t::fd_count() == before);
}

TEST_CASE("spawn: errors reach the caller, no child is left", "[cxx][spawn]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        Handle ns = netns::create();
        t::TempDir dir;

        // Under valgrind a failed exec cannot be reported (its posix_spawn
        // child is a fork; doc/hardening.md): there it would be a child.
        if (exec_errors_reported()) {
            CHECK(error_of([&] { (void)netns::spawn(ns, dir / "missing", {"missing"}); },
                           "netns_spawn") == ENOENT);
            t::ScopedEnv path("PATH", "/usr/bin:/bin");
            CHECK(error_of([&] { (void)netns::spawnp(ns, "netns-cxx-no-such-program", {"x"}); },
                           "netns_spawnp") == ENOENT);
            // A file without execute permission: EACCES (for root too).
            const std::string plain = dir / "plain";
            netns::Fd made(::open(plain.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
            REQUIRE(made);
            made.close();
            CHECK(error_of([&] { (void)netns::spawn(ns, plain, {"plain"}); }, "netns_spawn") ==
                  EACCES);
        } else {
            WARN("exec errors not checked under valgrind");
        }

        CHECK(error_of([] { (void)netns::spawn(Handle(), "/bin/true", {"true"}); },
                       "netns_spawn") == EBADF);
        Handle devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        REQUIRE(devnull);
        CHECK(error_of([&] { (void)netns::spawn(devnull, "/bin/true", {"true"}); },
                       "netns_spawn") == EINVAL);
        CHECK(error_of([&] { (void)netns::spawnp(devnull, "true", {"true"}); }, "netns_spawnp") ==
              EINVAL);

        // Strings that C would cut short at an embedded NUL.
        const std::string nul("/bin/true\0x", 11);
        CHECK(error_of([&] { (void)netns::spawn(ns, nul, {"true"}); }, "netns_spawn") == EINVAL);
        CHECK(error_of(
                  [&] {
                      (void)netns::spawn(ns, "/bin/true", {"true", nul});
                  },
                  "netns_spawn") == EINVAL);
        CHECK(error_of(
                  [&] {
                      (void)netns::spawn(ns, "/bin/true", {"true"},
                                         {std::vector<std::string>{nul}, nullptr, nullptr});
                  },
                  "netns_spawn") == EINVAL);
    }
    CHECK(no_children());
    CHECK(t::thread_ns_id() == here);
    CHECK(t::fd_count() == before);
}

TEST_CASE("spawn_named: like ip netns exec", "[cxx][spawn]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        NameGuard g(t::unique_name("cxx-spawn"));
        Handle named = netns::create(g.name());
        int mounts = t::mount_count();

        SECTION("the child is in the named namespace and sees its own /sys")
        {
            Pipe out;
            FileActions fa;
            fa.dup2(out.write.fd(), 1);
            t::ScopedEnv path("PATH", "/usr/bin:/bin");
            Child child(netns::spawn_named(
                g.name(), "sh", {"sh", "-c", "ls /sys/class/net; readlink /proc/self/ns/net"},
                {std::nullopt, &fa.actions, nullptr}));
            CHECK(t::thread_ns_id() == here);
            CHECK(out.drain() == "lo\n" + ns_link(named) + "\n");
            CHECK(exited_ok(child.wait()));
            CHECK(t::mount_count() == mounts); // the caller's mounts are untouched
        }
        SECTION("errors")
        {
            std::string missing = t::unique_name("cxx-spawn-missing");
            CHECK(error_of([&] { (void)netns::spawn_named(missing, "/bin/true", {"true"}); },
                           "netns_spawn_named") == ENOENT);
            CHECK(error_of([&] { (void)netns::spawn_named("a/b", "/bin/true", {"true"}); },
                           "netns_spawn_named") == EINVAL);
            CHECK(error_of(
                      [&] {
                          (void)netns::spawn_named(g.name() + std::string("\0x", 2), "/bin/true",
                                                   {"true"});
                      },
                      "netns_spawn_named") == EINVAL);
            if (exec_errors_reported())
                CHECK(error_of(
                          [&] {
                              (void)netns::spawn_named(g.name(), "/nonexistent/netns-cxx", {"x"});
                          },
                          "netns_spawn_named") == ENOENT);
            CHECK(t::mount_count() == mounts);
        }
    }
    CHECK(no_children());
    CHECK(t::thread_ns_id() == here);
    CHECK(t::fd_count() == before);
}

// --- enter_named, exec_named ------------------------------------------------------

TEST_CASE("enter_named moves the calling thread; exec_named execs in place", "[cxx][enter]")
{
    t::SetGuard keep;
    const std::string here = t::thread_ns_id();
    int before = t::fd_count();
    NameGuard g(t::unique_name("cxx-enter"));
    Handle named = netns::create(g.name());
    SECTION("enter_named, on a thread of its own")
    {
        std::string seen;
        int err = -1;
        std::thread th([&] {
            try {
                netns::enter_named(g.name());
                seen = t::thread_ns_id();
                err = 0;
            } catch (const std::system_error &e) {
                err = e.code().value();
            }
        });
        th.join();
        CHECK(err == 0);
        CHECK(seen == t::fd_ns_id(named.fd()));
    }
    SECTION("exec_named, in a child")
    {
        Pipe out;
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::dup2(out.write.fd(), 1);
            try {
                netns::exec_named(g.name(), "sh",
                                  {"sh", "-c", "echo $V; readlink /proc/self/ns/net"},
                                  std::vector<std::string>{"V=cxx"});
            } catch (...) {
            }
            ::_exit(99);
        }
        CHECK(out.drain() == "cxx\n" + ns_link(named) + "\n");
        int status = -1;
        ::waitpid(pid, &status, 0);
        CHECK(exited_ok(status));
    }
    SECTION("errors: thrown, the thread back")
    {
        const std::string missing = t::unique_name("cxx-enter-missing");
        CHECK(error_of([&] { netns::enter_named(missing); }, "netns_enter_named") == ENOENT);
        CHECK(error_of([&] { netns::enter_named("a/b"); }, "netns_enter_named") == EINVAL);
        CHECK(error_of([&] { netns::enter_named(g.name() + std::string("\0x", 2)); },
                       "netns_enter_named") == EINVAL);
        t::ScopedEnv path("PATH", "/usr/bin:/bin");
        CHECK(error_of([&] { netns::exec_named(g.name(), "netns-no-such-program", {"x"}); },
                       "netns_exec_named") == ENOENT);
        CHECK(error_of([&] { netns::exec_named(missing, "true", {"true"}); }, "netns_exec_named") ==
              ENOENT);
        CHECK(error_of([&] { netns::exec_named(g.name(), "true", {std::string("a\0b", 3)}); },
                       "netns_exec_named") == EINVAL);
        CHECK(t::thread_ns_id() == here);
    }
    CHECK(t::thread_ns_id() == here);
    CHECK(no_children());
    named.close();
    CHECK(t::fd_count() == before);
}
