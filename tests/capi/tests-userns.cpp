// SPDX-License-Identifier: Apache-2.0
// The one way back an ordinary caller can be refused: a process whose
// privileges are in a child user namespace while it still lives in its
// parent's network namespace may enter a namespace it created, but not
// return to its own. Each case runs in a forked child that makes exactly
// that situation (unshare(CLONE_NEWUSER) only), so the test process itself
// never loses its way home. netns_spawn and netns_socket check the way
// back first and refuse; netns_run cannot (fn must run in between), nor do
// netns_enter_named and netns_exec_named, whose success never comes back:
// they enter, and say -ENOTRECOVERABLE only when a later step fails.
#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using netns::test::fd_count;

namespace {

bool write_file(const char *path, const std::string &text)
{
    int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

// The child's status when it cannot make a user namespace because it is
// not single-threaded: TSan restarts its background thread in a forked
// child. The case is then skipped, with a warning.
constexpr int no_userns = 90;

// Becomes root of a new user namespace, staying in the current network
// namespace (owned by the parent user namespace).
int enter_child_userns()
{
    uid_t uid = ::geteuid();
    gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWUSER) < 0)
        return errno == EINVAL ? no_userns : 89;
    (void)write_file("/proc/self/setgroups", "deny");
    if (!write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1\n") ||
        !write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1\n"))
        return 91;
    return 0;
}

// Runs body in a forked child placed as above, with home = a handle to
// the child's starting network namespace and ns = a namespace it created.
// Returns the child's exit status: 0 when every check passed, else the
// number of the check that failed (see each case).
int in_trap(const std::function<int(int home, int ns)> &body)
{
    pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (int rc = enter_child_userns(); rc != 0)
            ::_exit(rc);
        int home = netns_get();
        int ns = netns_create(nullptr);
        if (home < 0 || ns < 0)
            ::_exit(92);
        ::_exit(body(home, ns));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool at(int ns)
{
    int here = netns_get();
    bool same = here >= 0 && netns_equal(here, ns);
    netns_close(&here);
    return same;
}

int return_seven(void *ran)
{
    *static_cast<bool *>(ran) = true;
    return 7;
}

int where_am_i(void *ns) { return at(*static_cast<int *>(ns)) ? 1 : 0; }

} // namespace

#define CHECK_TRAP(...)                                                                            \
    do {                                                                                           \
        int rc_ = in_trap(__VA_ARGS__);                                                            \
        if (rc_ == no_userns) {                                                                    \
            WARN("skipped: the forked child is multi-threaded (a sanitizer's thread) and "         \
                 "cannot unshare a user namespace");                                               \
            return;                                                                                \
        }                                                                                          \
        REQUIRE(rc_ == 0);                                                                         \
    } while (0)

TEST_CASE("userns trap: the way back is really refused there", "[userns]")
{
    // The premise of the other cases: set then set back fails with EPERM.
    CHECK_TRAP([](int home, int ns) {
        if (netns_set(ns) != 0)
            return 1;
        if (netns_set(home) != -EPERM)
            return 2;
        return at(ns) ? 0 : 3;
    });
}

TEST_CASE("userns trap: netns_spawn refuses with -EPERM before moving", "[userns]")
{
    CHECK_TRAP([](int home, int ns) {
        char *argv[] = {const_cast<char *>("true"), nullptr};
        pid_t pid = -1;
        int before = fd_count();
        if (netns_spawnp(&pid, ns, "true", nullptr, nullptr, argv, nullptr) != -EPERM)
            return 1;
        if (!at(home))
            return 2;
        if (pid != -1 || ::waitpid(-1, nullptr, WNOHANG) != -1 || errno != ECHILD)
            return 3; // no child was started
        return fd_count() == before ? 0 : 4;
    });
}

TEST_CASE("userns trap: netns_run ran fn and says -ENOTRECOVERABLE", "[userns]")
{
    CHECK_TRAP([](int, int ns) {
        bool ran = false;
        int result = 0;
        int before = fd_count();
        if (netns_run(ns, return_seven, &ran, &result) != -ENOTRECOVERABLE)
            return 1;
        if (!ran || result != 7)
            return 2;
        if (!at(ns))
            return 3; // where the header says it is left
        return fd_count() == before ? 0 : 4;
    });
}

TEST_CASE("userns trap: netns_socket refuses with -EPERM before moving", "[userns]")
{
    CHECK_TRAP([](int home, int ns) {
        int before = fd_count();
        if (netns_socket(ns, AF_INET, SOCK_DGRAM, 0) != -EPERM)
            return 1;
        if (!at(home))
            return 2;
        return fd_count() == before ? 0 : 3;
    });
}

TEST_CASE("userns trap: netns_run_isolated works and the caller stays home", "[userns]")
{
    CHECK_TRAP([](int home, int ns) {
        int inside = -1;
        if (netns_run_isolated(ns, where_am_i, &ns, &inside) != 0)
            return 1;
        if (inside != 1)
            return 2;
        return at(home) ? 0 : 3;
    });
}

// ---- 0.5: netns_enter_named and netns_exec_named in the trap ----

#include <cstdlib>
#include <sys/mount.h>
#include <sys/stat.h>
#include <thread>

namespace {

// In the trap's child: a mount namespace of its own (owned by the child's
// user namespace), a run dir on a tmpfs with the named namespace `name`,
// and a tmpfs over /etc with /etc/netns/<name>/<entry> (no /etc/<entry>):
// the bind that fails after enter_named has moved the thread. Returns
// 0, or the number of the step that failed (50 and up).
int trap_with_name(const char *name, const char *entry)
{
    if (::unshare(CLONE_NEWNS) < 0)
        return 50;
    if (::mount("none", "/", "none", MS_REC | MS_PRIVATE, nullptr) < 0)
        return 51;
    const char *base = std::getenv("TMPDIR");
    std::string run = std::string(base && *base ? base : "/tmp") + "/netns-userns-XXXXXX";
    if (::mkdtemp(run.data()) == nullptr)
        return 52;
    if (::mount("netns-trap", run.c_str(), "tmpfs", 0, nullptr) < 0)
        return 53;
    if (::setenv("NETNS_RUN_DIR", run.c_str(), 1) < 0)
        return 54;
    int made = netns_create(name);
    if (made < 0)
        return 55;
    netns_close(&made);
    if (::mount("netns-trap-etc", "/etc", "tmpfs", 0, nullptr) < 0)
        return 56;
    std::string dir = std::string("/etc/netns/") + name;
    if (::mkdir("/etc/netns", 0755) < 0 || ::mkdir(dir.c_str(), 0755) < 0)
        return 57;
    int fd = ::open((dir + "/" + entry).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return 58;
    ::close(fd);
    return 0;
}

std::string mountinfo()
{
    int fd = ::open("/proc/thread-self/mountinfo", O_RDONLY | O_CLOEXEC);
    std::string out;
    char buf[4096];
    for (ssize_t n; fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0;)
        out.append(buf, static_cast<size_t>(n));
    if (fd >= 0)
        ::close(fd);
    return out;
}

} // namespace

TEST_CASE("userns trap: netns_enter_named enters; a failure after the move is -ENOTRECOVERABLE",
          "[userns][enter]")
{
    CHECK_TRAP([](int home, int) {
        if (int rc = trap_with_name("trap", "only-there"); rc != 0)
            return rc;
        int named = netns_get_from_name("trap");
        if (named < 0)
            return 1;
        const std::string mounts = mountinfo();
        // The way back is never needed on success: it works here.
        int rc = -1;
        bool inside = false;
        ::unlink("/etc/netns/trap/only-there");
        std::thread t([&] {
            rc = netns_enter_named("trap");
            inside = at(named);
        });
        t.join();
        if (rc != 0 || !inside)
            return 2;
        // A bind that fails after the move: the mount namespace
        // comes back, the network namespace cannot.
        int fd = ::open("/etc/netns/trap/only-there", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return 3;
        ::close(fd);
        int before = fd_count();
        if (netns_enter_named("trap") != -ENOTRECOVERABLE)
            return 4;
        if (!at(named) || at(home))
            return 5; // where the header says it is left
        if (mountinfo() != mounts)
            return 6; // back in its mount namespace, nothing mounted
        return fd_count() == before ? 0 : 7;
    });
}

TEST_CASE("userns trap: a failed exec in netns_exec_named is -ENOTRECOVERABLE", "[userns][exec]")
{
    CHECK_TRAP([](int home, int) {
        if (int rc = trap_with_name("trap", "unused"); rc != 0)
            return rc;
        ::unlink("/etc/netns/trap/unused");
        int named = netns_get_from_name("trap");
        if (named < 0)
            return 1;
        char arg0[] = "x";
        char *argv[] = {arg0, nullptr};
        if (netns_exec_named("trap", "/nonexistent/netns-x", argv, nullptr) != -ENOTRECOVERABLE)
            return 2;
        return at(named) && !at(home) ? 0 : 3;
    });
}

TEST_CASE("userns trap: netns_create falls back to a helper thread; the caller stays home",
          "[userns]")
{
    // The way back is refused here, so netns_create cannot make the
    // namespace in place: it must make it on a helper thread (in_trap's
    // own netns_create already did), and its failures leave nothing.
    netns::test::TempDir tmp;
    const std::string at_path = tmp / "at";
    CHECK_TRAP([&](int home, int ns) {
        if (netns_equal(ns, home) != 0 || !at(home))
            return 1;
        int before = fd_count();
        int again = netns_create(nullptr);
        if (again < 0 || netns_equal(again, home) != 0 || netns_equal(again, ns) != 0)
            return 2;
        netns_close(&again);
        if (!at(home) || fd_count() != before)
            return 3;
        // Persisting needs a mount, which this user namespace may
        // not make in its parent's mount namespace: -EPERM, with the
        // entry removed and the thread home.
        if (netns_create_at(at_path.c_str()) != -EPERM)
            return 4;
        if (::access(at_path.c_str(), F_OK) == 0 || errno != ENOENT)
            return 5;
        return at(home) && fd_count() == before ? 0 : 6;
    });
}
