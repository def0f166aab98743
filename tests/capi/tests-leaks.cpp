// SPDX-License-Identifier: Apache-2.0
// 1000 iterations of every function, failures included, leave the fd count
// and the mount table as they were.
#include "catch.hpp"
#include "helpers.hpp"

#include <sys/syscall.h>

#include <netns/netns.h>

#include <cerrno>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using netns::test::fd_count;
using netns::test::mount_count;
using netns::test::thread_ns_id;

namespace {

int noop(void *) { return 1; }

// A round makes dozens of calls: checking each with CHECK would print tens
// of thousands of assertions. Counts the failed ones instead, and reports
// the first few lines that failed in one assertion.
class Failures {
public:
    void expect(bool ok, int line)
    {
        if (!ok && ++count_ <= 10)
            lines_.push_back(line);
    }
    void check() const
    {
        std::string l;
        for (int n : lines_)
            l += std::to_string(n) + " ";
        INFO("failed checks at lines: " << l);
        CHECK(count_ == 0);
    }

private:
    int count_ = 0;
    std::vector<int> lines_;
};

#define EXPECT(cond) failures.expect((cond), __LINE__)

// What every round runs in: the test thread brought home at the end, and a
// run dir of the test's own (NETNS_RUN_DIR), whose mounts are taken down.
struct Rounds {
    netns::test::SetGuard keep;
    netns::test::PrivateRunDir run;
    const std::string &dir = run.dir;
    netns::test::ScopedEnv env{"NETNS_RUN_DIR", run.dir.c_str()};
};

// A named namespace (in the test's run dir) for the rounds to use, closed
// and deleted at scope exit.
struct Named {
    const char *name;
    int ns;
    explicit Named(const char *n) : name(n), ns(netns_create(n)) { REQUIRE(ns >= 0); }
    ~Named()
    {
        netns_close(&ns);
        (void)netns_delete_named(name);
    }
    Named(const Named &) = delete;
    Named &operator=(const Named &) = delete;
};

} // namespace

TEST_CASE("no fd or mount leaks over 1000 rounds", "[leaks]")
{
    Rounds rounds_in;
    const std::string &dir = rounds_in.dir;
    int home = netns_get();
    REQUIRE(home >= 0);
    // Make the run dir (and its one self-bind) exist before counting.
    int warmup = netns_new_named("warmup");
    REQUIRE(warmup >= 0);
    REQUIRE(netns_set(home) == 0);
    REQUIRE(netns_close(&warmup) == 0);
    REQUIRE(netns_delete_named("warmup") == 0);
    int fds = fd_count();
    int mounts = mount_count();
    std::string home_id = thread_ns_id();

    const pid_t dead = netns::test::dead_pid();
    const bool pidfds = netns::test::have_pidfd_open(); // not under valgrind 3.19
    constexpr int rounds = 1000;
    Failures failures;
    char buf[64];
    for (int i = 0; i < rounds; ++i) {
        int h = netns_get();
        EXPECT(h >= 0);
        int p = netns_get_from_pid(getpid());
        int t = netns_get_from_thread(getpid(), gettid());
        int f = netns_get_from_path("/proc/self/ns/net");
        EXPECT(netns_equal(h, p) == 1 && netns_equal(t, f) == 1);
        EXPECT(netns_string(h, buf, sizeof buf) > 0 && netns_unique_id(h, buf, sizeof buf) > 0);
        EXPECT(netns_is_open(h) == 1);
        EXPECT(netns_set(h) == 0 && netns_setns(h, NETNS_CLONE_NEWNET) == 0);
        // Failing calls.
        EXPECT(netns_get_from_path("/proc/self/ns/mnt") == -EINVAL);
        EXPECT(netns_get_from_path("/proc/self/status") == -EINVAL);
        EXPECT(netns_get_from_name("missing") == -ENOENT);
        EXPECT(netns_get_from_name("..") == -EINVAL);
        EXPECT(netns_get_from_pid(0) == -EINVAL);
        EXPECT(netns_get_from_docker("bad/id") == -EINVAL);
        EXPECT(netns_delete_named("missing") == -ENOENT);
        EXPECT(netns_set(-1) == -EBADF);
        EXPECT(netns_new_named("") == -EINVAL);
        EXPECT(netns_close(&h) == 0 && netns_close(&p) == 0 && netns_close(&t) == 0 &&
               netns_close(&f) == 0);
        EXPECT(netns_close(&h) == -EBADF);
        // LIBNETNS_0.2: the calls that cannot create, and the failing ones.
        EXPECT(netns_type(home) == NETNS_CLONE_NEWNET && netns_is_netns(home) == 1);
        EXPECT(netns_type(-1) == -EBADF && netns_is_netns(-1) == -EBADF);
        EXPECT(netns_run(home, noop, nullptr, nullptr) == 0);
        EXPECT(netns_run(-1, noop, nullptr, nullptr) == -EBADF);
        EXPECT(netns_run(home, nullptr, nullptr, nullptr) == -EINVAL);
        EXPECT(netns_run_isolated(-1, noop, nullptr, nullptr) == -EBADF);
        int s = netns_socket(home, AF_INET, SOCK_DGRAM, 0);
        EXPECT(s >= 0 && close(s) == 0);
        EXPECT(netns_socket(home, 12345, SOCK_DGRAM, 0) == -EAFNOSUPPORT);
        EXPECT(netns_socket(-1, AF_INET, SOCK_DGRAM, 0) == -EBADF);
        EXPECT(netns_create("") == -EINVAL);
        EXPECT(netns_create_at("") == -EINVAL);
        EXPECT(netns_create_at((dir + "/nodir/x").c_str()) == -ENOENT);
        EXPECT(netns_delete_at((dir + "/missing").c_str()) == -ENOENT);
        EXPECT(netns_delete_at("/proc/self/ns/net") == -EINVAL);
        // LIBNETNS_0.3: walks, pidfds, ids, monitors, and the failing calls.
        auto none = [](const char *, void *) { return 0; };
        auto first = [](const char *, void *) { return 1; };
        EXPECT(netns_list(none, nullptr) == 0);
        EXPECT(netns_identify(getpid(), none, nullptr) == 0);
        EXPECT(netns_identify(dead, none, nullptr) == -ESRCH);
        EXPECT(netns_pids(
                   home, [](pid_t, void *) { return 1; }, nullptr) == 1);
        EXPECT(netns_pids(
                   -1, [](pid_t, void *) { return 0; }, nullptr) == -EBADF);
        if (pidfds) {
            int pidfd = static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0u));
            int viapid = netns_get_from_pidfd(pidfd);
            EXPECT(netns_equal(viapid, home) == 1 && netns_close(&viapid) == 0 &&
                   close(pidfd) == 0);
        }
        EXPECT(netns_get_from_pidfd(home) == -EINVAL);
        EXPECT(netns_attach("", getpid()) == -EINVAL && netns_attach_fd("x", -1) == -EBADF);
        int id = netns_get_id(home);
        EXPECT(id >= 0 || id == -ENOENT);
        EXPECT(netns_get_id(-1) == -EBADF && netns_set_id(-1, 1) == -EBADF);
        // LIBNETNS_0.4: the id table, walked whole and stopped at once.
        EXPECT(netns_list_id([](int, void *) { return 0; }, nullptr) == 0);
        EXPECT(netns_list_id(nullptr, nullptr) == -EINVAL);
        int mon = netns_monitor_open();
        EXPECT(mon >= 0 && netns_monitor_read(
                               mon, [](int, const char *, void *) { return 0; }, nullptr) >= 0);
        EXPECT(netns_monitor_close(&mon) == 0 && mon == NETNS_NONE);
        // Creating namespaces is slow: do it every tenth round.
        if (i % 10 == 0) {
            int n = netns_new();
            EXPECT(n >= 0 && netns_set(home) == 0 && netns_close(&n) == 0);
            std::string name = "leak-" + std::to_string(i);
            int named = netns_new_named(name.c_str());
            EXPECT(named >= 0 && netns_set(home) == 0);
            EXPECT(netns_new_named(name.c_str()) == -EEXIST);
            int found = netns_get_from_name(name.c_str());
            EXPECT(netns_equal(found, named) == 1 && netns_close(&found) == 0);
            EXPECT(netns_close(&named) == 0);
            EXPECT(netns_delete_named(name.c_str()) == 0);
            // LIBNETNS_0.2, creating: nothing moves, nothing stays.
            int anon = netns_create(nullptr);
            EXPECT(anon >= 0);
            int r = 0;
            EXPECT(netns_run(anon, noop, nullptr, &r) == 0 && r == 1);
            EXPECT(netns_run_isolated(anon, noop, nullptr, &r) == 0 && r == 1);
            int as = netns_socket(anon, AF_INET, SOCK_STREAM, 0);
            EXPECT(as >= 0 && close(as) == 0);
            EXPECT(netns_close(&anon) == 0);
            int made = netns_create(name.c_str());
            EXPECT(made >= 0 && netns_create(name.c_str()) == -EEXIST);
            EXPECT(netns_close(&made) == 0 && netns_delete_named(name.c_str()) == 0);
            // LIBNETNS_0.3, naming: attach by fd and by pid, listed,
            // identified, ids set and read back.
            int anon3 = netns_create(nullptr);
            EXPECT(anon3 >= 0 && netns_attach_fd(name.c_str(), anon3) == 0);
            EXPECT(netns_attach_fd(name.c_str(), anon3) == -EEXIST);
            EXPECT(netns_list(first, nullptr) == 1);
            int sid = netns_set_id(anon3, -1);
            EXPECT(sid >= 0 && netns_get_id(anon3) == sid &&
                   netns_get_id_in(home, anon3) == -ENOENT);
            EXPECT(netns_list_id([](int, void *) { return 1; }, nullptr) == 1);
            EXPECT(netns_delete_named(name.c_str()) == 0 && netns_close(&anon3) == 0);
            EXPECT(netns_attach(name.c_str(), getpid()) == 0);
            EXPECT(netns_identify(getpid(), first, nullptr) == 1);
            EXPECT(netns_delete_named(name.c_str()) == 0);
            const std::string at = dir + "/at-" + std::to_string(i);
            int atns = netns_create_at(at.c_str());
            EXPECT(atns >= 0 && netns_create_at(at.c_str()) == -EEXIST);
            EXPECT(netns_close(&atns) == 0 && netns_delete_at(at.c_str()) == 0);
        }
    }
    failures.check();
    CHECK(thread_ns_id() == home_id);
    netns_close(&home);
    CHECK(fd_count() == fds - 1);
    CHECK(mount_count() == mounts);
}

// ---- spawn: netns_spawn, netns_spawnp, netns_spawn_named (htspawn) ----
// Spawns that succeed and spawns that fail, 300 rounds: no fd, mount or
// child is left, and the calling thread stays where it is.

#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

TEST_CASE("no fd, mount or child leaks over 300 rounds of spawns", "[leaks][spawn]")
{
    Rounds rounds_in;
    netns::test::ScopedEnv path("PATH", "/usr/bin:/bin");
    Named named("spawn-leaks");
    const int ns = named.ns;
    const int fds = fd_count();
    const int mounts = mount_count();
    const std::string home_id = thread_ns_id();

    Failures failures;
    auto exited_0 = [](pid_t pid) {
        int status = -1;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    };
    auto childless = [] {
        errno = 0;
        return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
    };
    char arg0[] = "true";
    char *const argv[] = {arg0, nullptr};
    posix_spawn_file_actions_t acts;
    REQUIRE(posix_spawn_file_actions_init(&acts) == 0);
    REQUIRE(posix_spawn_file_actions_addopen(&acts, 1, "/dev/null", O_WRONLY, 0) == 0);
    posix_spawn_file_actions_t bad_acts;
    REQUIRE(posix_spawn_file_actions_init(&bad_acts) == 0);
    REQUIRE(posix_spawn_file_actions_addopen(&bad_acts, 0, "/nonexistent/x", O_RDONLY, 0) == 0);
    const bool valgrind = std::getenv("NETNS_TEST_UNDER_VALGRIND") != nullptr;
    const bool exec_errors = !valgrind;
    const int rounds = valgrind ? 60 : 300;
    for (int i = 0; i < rounds; ++i) {
        pid_t pid = -1;
        EXPECT(netns_spawn(&pid, ns, "/bin/true", &acts, nullptr, argv, nullptr) == 0 &&
               exited_0(pid));
        EXPECT(netns_spawnp(&pid, ns, "true", nullptr, nullptr, argv, nullptr) == 0 &&
               exited_0(pid));
        // Failing calls. (A failed exec or file action cannot be reported
        // under valgrind, whose posix_spawn child is a fork.)
        if (exec_errors) {
            EXPECT(netns_spawn(&pid, ns, "/nonexistent/x", nullptr, nullptr, argv, nullptr) ==
                   -ENOENT);
            EXPECT(netns_spawnp(&pid, ns, "netns-no-such-program", nullptr, nullptr, argv,
                                nullptr) == -ENOENT);
            EXPECT(netns_spawn(&pid, ns, "/bin/true", &bad_acts, nullptr, argv, nullptr) ==
                   -ENOENT);
        }
        EXPECT(netns_spawn(&pid, -1, "/bin/true", nullptr, nullptr, argv, nullptr) == -EBADF);
        EXPECT(netns_spawn(&pid, ns, nullptr, nullptr, nullptr, argv, nullptr) == -EINVAL);
        EXPECT(netns_spawn_named(&pid, "missing", "true", nullptr, nullptr, argv, nullptr) ==
               -ENOENT);
        EXPECT(netns_spawn_named(&pid, "..", "true", nullptr, nullptr, argv, nullptr) == -EINVAL);
        // The named spawn mounts (in a mount namespace of its own): every
        // tenth round.
        if (i % 10 == 0) {
            EXPECT(netns_spawn_named(&pid, "spawn-leaks", "true", &acts, nullptr, argv, nullptr) ==
                       0 &&
                   exited_0(pid));
            if (exec_errors)
                EXPECT(netns_spawn_named(&pid, "spawn-leaks", "netns-no-such-program", nullptr,
                                         nullptr, argv, nullptr) == -ENOENT);
        }
        EXPECT(childless());
    }
    posix_spawn_file_actions_destroy(&acts);
    posix_spawn_file_actions_destroy(&bad_acts);
    failures.check();
    CHECK(thread_ns_id() == home_id);
    CHECK(fd_count() == fds);
    CHECK(mount_count() == mounts);
}
// ---- end of spawn (htspawn) ----

// ---- LIBNETNS_0.5: netns_enter_named, netns_exec_named ----
// Failures that undo a whole move (a failed exec after the namespace, the
// mount namespace and /sys were set up), failures before it, and moves that
// succeed (on threads that end, and in children that exec), 300 rounds: no
// fd, mount, child or moved thread is left.

#include <sys/stat.h>
#include <thread>

TEST_CASE("no fd, mount or move leaks over 300 rounds of enter_named and exec_named",
          "[leaks][enter]")
{
    Rounds rounds_in;
    netns::test::ScopedEnv path("PATH", "/usr/bin:/bin");
    Named named("enter-leaks");
    auto mnt_id = [] {
        struct stat st;
        return ::stat("/proc/thread-self/ns/mnt", &st) == 0 ? st.st_ino : 0;
    };
    const int fds = fd_count();
    const int mounts = mount_count();
    const std::string home_id = thread_ns_id();
    const auto home_mnt = mnt_id();
    const int threads = netns::test::thread_count();

    Failures failures;
    char arg0[] = "true";
    char *const argv[] = {arg0, nullptr};
    const bool valgrind = std::getenv("NETNS_TEST_UNDER_VALGRIND") != nullptr;
    const int rounds = valgrind ? 60 : 300;
    for (int i = 0; i < rounds; ++i) {
        EXPECT(netns_exec_named("enter-leaks", "netns-no-such-program", argv, nullptr) == -ENOENT);
        EXPECT(netns_exec_named("enter-leaks", "/", argv, nullptr) == -EACCES);
        EXPECT(netns_enter_named("missing") == -ENOENT);
        EXPECT(netns_enter_named("..") == -EINVAL);
        EXPECT(netns_exec_named("missing", "true", argv, nullptr) == -ENOENT);
        EXPECT(thread_ns_id() == home_id && mnt_id() == home_mnt);
        if (i % 10 == 0) {
            int rc = -1;
            std::thread t([&] { rc = netns_enter_named("enter-leaks"); });
            t.join();
            EXPECT(rc == 0);
            pid_t pid = ::fork();
            if (pid == 0) {
                ::_exit(100 - netns_exec_named("enter-leaks", "true", argv, nullptr));
            }
            int status = -1;
            while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            EXPECT(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
    }
    failures.check();
    CHECK(thread_ns_id() == home_id);
    CHECK(mnt_id() == home_mnt);
    CHECK(fd_count() == fds);
    CHECK(mount_count() == mounts);
    CHECK(netns::test::threads_settle_to(threads));
}
