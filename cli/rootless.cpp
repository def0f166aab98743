// SPDX-License-Identifier: Apache-2.0
//
// Rootless mode. An unprivileged process cannot mount in the host's mount
// namespace, so a user's names live in a mount namespace of their own:
// the holder process (one per user, like a rootless container engine's
// pause process) owns a user namespace mapping the user to root and a mount
// namespace with a private tmpfs on $XDG_RUNTIME_DIR/netns. Each command
// joins both before acting; `del` stops the holder when no name is left,
// and the names' mounts go with its mount namespace.
//
// $XDG_RUNTIME_DIR/netns.lock serialises commands that start, use or stop
// the holder; $XDG_RUNTIME_DIR/netns.holder holds its pid.
#include "rootless.hpp"
#include "cli.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cli::rootless {

namespace {

constexpr const char holder_comm[] = "netns-holder";

struct State {
    bool active = false;
    std::string xdg;
    pid_t holder = -1;
    int lock_fd = -1;
};

State state;

std::string read_first_line(const std::string &path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// Effective CAP_SYS_ADMIN (bit 21 of CapEff).
bool privileged()
{
    if (geteuid() == 0)
        return true;
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("CapEff:", 0) == 0) {
            unsigned long long caps = std::strtoull(line.c_str() + 7, nullptr, 16);
            return (caps >> 21) & 1;
        }
    }
    return false;
}

bool userns_available()
{
    std::string max = read_first_line("/proc/sys/user/max_user_namespaces");
    if (!max.empty() && std::atol(max.c_str()) <= 0)
        return false;
    // Debian's switch, where the kernel has it.
    std::string clone = read_first_line("/proc/sys/kernel/unprivileged_userns_clone");
    return clone.empty() || clone == "1";
}

std::string run_dir() { return state.xdg + "/netns"; }
std::string pid_file() { return state.xdg + "/netns.holder"; }

// The holder's pid from the pid file, when that process is still our
// holder (its name and owner); else -1.
pid_t find_holder()
{
    std::string text = read_first_line(pid_file());
    int pid = 0;
    if (!parse_pid(text.c_str(), &pid))
        return -1;
    std::string proc = "/proc/" + std::to_string(pid);
    if (read_first_line(proc + "/comm") != holder_comm)
        return -1;
    struct stat st;
    if (stat(proc.c_str(), &st) != 0 || st.st_uid != getuid())
        return -1;
    return pid;
}

bool write_file(const char *path, const std::string &text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    return close(fd) == 0 && ok;
}

// The holder: a user namespace (the user as root) and a mount namespace
// with a tmpfs on the run dir; then it waits for SIGTERM. It reports 0 or
// an errno through `ready` before closing every descriptor, so it keeps
// no caller's pipe open.
[[noreturn]] void holder_main(int ready, uid_t uid, gid_t gid, const std::string &dir)
{
    int err = 0;
    if (setsid() < 0 || unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 ||
        !write_file("/proc/self/setgroups", "deny") ||
        !write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1\n") ||
        !write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1\n") ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0 ||
        mount(holder_comm, dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "mode=0755") < 0)
        err = errno != 0 ? errno : EIO;
    prctl(PR_SET_NAME, holder_comm);
    for (int sig : {SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2})
        signal(sig, SIG_IGN);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
    }
    if (chdir("/") < 0 && err == 0)
        err = errno;
    (void)!write(ready, &err, sizeof err);
    if (err != 0)
        _exit(1);
    close_range(3, ~0U, 0);
    for (;;)
        pause();
}

int start_holder()
{
    std::string dir = run_dir();
    if (mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST)
        return error("Cannot create the rootless run directory \"%s\": %s", dir.c_str(),
                     std::strerror(errno));
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return error("Cannot start the rootless holder: %s", std::strerror(errno));
    uid_t uid = getuid();
    gid_t gid = getgid();
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pipefd[0]);
        close(pipefd[1]);
        return error("Cannot start the rootless holder: %s", std::strerror(e));
    }
    if (pid == 0) {
        close(pipefd[0]);
        holder_main(pipefd[1], uid, gid, dir);
    }
    close(pipefd[1]);
    int err = 0;
    ssize_t n;
    do
        n = read(pipefd[0], &err, sizeof err);
    while (n < 0 && errno == EINTR);
    close(pipefd[0]);
    if (n != sizeof err)
        err = EIO;
    if (err != 0)
        return error("Cannot start the rootless holder: %s", std::strerror(err));

    // The pid file is replaced whole, so no reader sees half of it.
    std::string tmp = pid_file() + ".new";
    std::FILE *f = std::fopen(tmp.c_str(), "we");
    bool ok = f != nullptr && std::fprintf(f, "%d\n", pid) > 0;
    ok = (f != nullptr && std::fclose(f) == 0) && ok;
    if (!ok || rename(tmp.c_str(), pid_file().c_str()) < 0) {
        int e = errno;
        kill(pid, SIGKILL);
        unlink(tmp.c_str());
        return error("Cannot write \"%s\": %s", pid_file().c_str(), std::strerror(e));
    }
    state.holder = pid;
    return 0;
}

// Joins the holder's user namespace, then its mount namespace, and goes
// back to the same working directory path there.
int join_holder()
{
    std::string proc = "/proc/" + std::to_string(state.holder) + "/ns/";
    int user = open((proc + "user").c_str(), O_RDONLY | O_CLOEXEC);
    int mnt = open((proc + "mnt").c_str(), O_RDONLY | O_CLOEXEC);
    // Opened first, checked after: a pid reused meanwhile is not joined.
    bool same = find_holder() == state.holder;
    char cwd[4096];
    bool have_cwd = getcwd(cwd, sizeof cwd) != nullptr;
    int rc = 0;
    if (user < 0 || mnt < 0 || !same)
        rc = error("Cannot join the rootless holder (pid %d): %s", state.holder,
                   std::strerror(same ? errno : ESRCH));
    else if (setns(user, CLONE_NEWUSER) < 0 || setns(mnt, CLONE_NEWNS) < 0)
        rc = error("Cannot join the rootless holder (pid %d): %s", state.holder,
                   std::strerror(errno));
    if (user >= 0)
        close(user);
    if (mnt >= 0)
        close(mnt);
    if (rc == 0 && have_cwd && chdir(cwd) < 0)
        (void)!chdir("/");
    return rc;
}

} // namespace

bool active() { return state.active; }

int prepare(bool create)
{
    Options &o = options();
    const char *xdg = std::getenv("XDG_RUNTIME_DIR");
    bool have_xdg = xdg != nullptr && xdg[0] == '/';
    if (o.rootless) {
        if (o.run_dir_flag)
            return usage_error("Options \"--rootless\" and \"--run-dir\" exclude each other.");
        if (!have_xdg)
            return error("Rootless mode needs $XDG_RUNTIME_DIR");
    } else if (o.run_dir_given || !have_xdg || privileged() || !userns_available()) {
        return 0;
    }
    state.active = true;
    state.xdg = xdg;
    o.run_dir = run_dir();
    setenv("NETNS_RUN_DIR", o.run_dir.c_str(), 1);

    std::string lock = state.xdg + "/netns.lock";
    state.lock_fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (state.lock_fd < 0 || flock(state.lock_fd, LOCK_EX) < 0)
        return error("Cannot lock \"%s\": %s", lock.c_str(), std::strerror(errno));
    state.holder = find_holder();
    if (state.holder < 0) {
        if (!create)
            return 0;
        if (int rc = start_holder(); rc != 0)
            return rc;
    }
    return join_holder();
}

void unlock()
{
    if (state.lock_fd >= 0) {
        close(state.lock_fd);
        state.lock_fd = -1;
    }
}

void release_if_empty()
{
    if (!state.active || state.holder < 0)
        return;
    // Stops at the first name: one is enough to keep the holder.
    int rc = netns_list([](const char *, void *) { return 1; }, nullptr);
    if (rc != 0)
        return;
    unlink(pid_file().c_str());
    kill(state.holder, SIGTERM);
    state.holder = -1;
}

} // namespace cli::rootless
