// SPDX-License-Identifier: Apache-2.0
//
// Rootless mode. An unprivileged process cannot mount in the host's mount
// namespace, so a user's names live in a mount namespace of their own:
// the holder process (one per user and runtime directory, like a rootless
// container engine's pause process) owns a user namespace mapping the user
// to root and a mount namespace with a private tmpfs on <runtime dir>/netns.
// Each command joins both before acting; `del` stops the holder when no
// name is left, and the names' mounts go with its mount namespace.
//
// The runtime directory is $XDG_RUNTIME_DIR, else /run/user/UID when it is
// the user's (mode 0700), else ${TMPDIR:-/tmp}/netns-UID, made by us (as
// tmux makes /tmp/tmux-UID). In it, netns.lock serialises the commands that
// start, use or stop the holder and netns.holder names the holder: "PID
// STARTTIME", the start time (field 22 of /proc/PID/stat) telling the
// holder from a later process that got its pid.
//
// The holder publishes itself: it writes netns.holder while the command
// that started it still holds the lock (the holder shares that lock's open
// file), with PR_SET_PDEATHSIG armed until then. A command killed before
// that takes its unpublished holder with it; one killed after leaves a
// holder that netns.holder names. Either way the next command finds at
// most one holder, the one the pid file names.
#include "rootless.hpp"
#include "cli.hpp"

#include <netns/netns.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cli::rootless {

namespace {

constexpr const char holder_comm[] = "netns-holder";

struct State {
    bool decided = false; // whether this process is rootless
    bool active = false;  // it is
    bool joined = false;  // it is in the holder's namespaces
    bool release_pending = false;
    std::string dir; // the runtime directory
    pid_t holder = -1;
    int pidfd = -1; // the holder's, where the kernel has pidfds (5.3)
    unsigned long long start = 0;
    bool know_start = false;
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

// Why this user cannot make user namespaces, or "" when it can.
std::string userns_unavailable()
{
    std::string max = read_first_line("/proc/sys/user/max_user_namespaces");
    if (!max.empty() && std::atol(max.c_str()) <= 0)
        return "user.max_user_namespaces is " + max;
    // Debian's switch, where the kernel has it.
    std::string clone = read_first_line("/proc/sys/kernel/unprivileged_userns_clone");
    if (!clone.empty() && clone != "1")
        return "kernel.unprivileged_userns_clone is " + clone;
    return "";
}

std::string run_dir() { return state.dir + "/netns"; }
std::string pid_file() { return state.dir + "/netns.holder"; }

// What /proc/PID/stat says that we use.
struct ProcStat {
    char state = '?';
    std::string comm;
    unsigned long long start = 0;                          // field 22
    unsigned long arg_start = 0, arg_end = 0, env_end = 0; // 48, 49, 51
    unsigned long env_start = 0;                           // 50
};

bool read_stat(const std::string &proc, ProcStat *st)
{
    char buf[1024];
    int fd = open((proc + "/stat").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    // The command name may hold any byte, ')' too: it ends at the last ')'.
    char *open_paren = std::strchr(buf, '(');
    char *close_paren = std::strrchr(buf, ')');
    if (open_paren == nullptr || close_paren == nullptr || close_paren < open_paren)
        return false;
    st->comm.assign(open_paren + 1, close_paren);
    std::istringstream in(close_paren + 1);
    std::vector<std::string> fields; // fields[0] is field 3, the state
    for (std::string f; in >> f;)
        fields.push_back(f);
    if (fields.size() < 20)
        return false;
    st->state = fields[0][0];
    st->start = std::strtoull(fields[19].c_str(), nullptr, 10);
    if (fields.size() >= 49) { // Linux 3.5
        st->arg_start = std::strtoul(fields[45].c_str(), nullptr, 10);
        st->arg_end = std::strtoul(fields[46].c_str(), nullptr, 10);
        st->env_start = std::strtoul(fields[47].c_str(), nullptr, 10);
        st->env_end = std::strtoul(fields[48].c_str(), nullptr, 10);
    }
    return true;
}

int pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
    return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); // close-on-exec
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

// A pidfd polls readable once its process has exited (a zombie too).
bool exited(int pidfd)
{
    struct pollfd p = {pidfd, POLLIN, 0};
    return poll(&p, 1, 0) != 0;
}

// Whether the holder in `state` still runs and is ours: alive (not a
// zombie), our uid, the holder's name, and its start time when known.
bool holder_alive()
{
    if (state.pidfd >= 0 && exited(state.pidfd))
        return false;
    std::string proc = "/proc/" + std::to_string(state.holder);
    ProcStat st;
    if (!read_stat(proc, &st) || st.state == 'Z' || st.state == 'X' || st.comm != holder_comm)
        return false;
    if (state.know_start && st.start != state.start)
        return false;
    struct stat owner;
    return stat(proc.c_str(), &owner) == 0 && owner.st_uid == getuid();
}

void forget_holder()
{
    if (state.pidfd >= 0)
        close(state.pidfd);
    state.pidfd = -1;
    state.holder = -1;
    state.know_start = false;
}

// The holder that the pid file names, into `state`, when it still runs;
// false when there is none (no file, a garbled one, a dead holder, a
// zombie, or a pid that another process has now).
bool find_holder()
{
    forget_holder();
    std::istringstream in(read_first_line(pid_file()));
    std::string pid_text, start_text;
    in >> pid_text >> start_text;
    int pid = 0;
    if (!parse_pid(pid_text.c_str(), &pid))
        return false;
    state.holder = pid;
    // A pid file of netns 0.4 has no start time: its holder is known by
    // its name and uid alone.
    if (!start_text.empty()) {
        char *end = nullptr;
        errno = 0;
        state.start = std::strtoull(start_text.c_str(), &end, 10);
        if (errno != 0 || *end != '\0' || start_text[0] < '0' || start_text[0] > '9') {
            forget_holder();
            return false;
        }
        state.know_start = true;
    }
    // The pidfd first: if the pid is then another process's, the pidfd
    // polls readable (its process exited), so the checks below that pass
    // were about the holder.
    state.pidfd = pidfd_open(pid);
    if ((state.pidfd < 0 && errno != ENOSYS) || !holder_alive()) {
        forget_holder();
        return false;
    }
    return true;
}

bool write_file(const char *path, const std::string &text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    return close(fd) == 0 && ok;
}

// What the holder needs, prepared before fork().
struct HolderPlan {
    int ready;    // write end: 0 or an errno, once published
    pid_t parent; // the command that starts it
    std::string uid_map, gid_map, dir, pid_file, pid_tmp, title;
};

// PR_SET_PDEATHSIG, then whether the parent is still the one that forked
// us: if it died before the signal was armed, nobody would send it.
bool die_with_parent(pid_t parent)
{
    return prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == parent;
}

// `ps` shows the holder as what it is: its argv area (with the
// environment's after it, which the holder no longer reads) is
// overwritten with `title`, as setproctitle() does; the kernel reads a
// cmdline whose last argv byte is not NUL up to the first NUL. No exec
// needed, so nothing else changes (and no hidden command-line argument
// for the tool to parse).
void set_title(const std::string &title)
{
    prctl(PR_SET_NAME, holder_comm);
    ProcStat st;
    if (!read_stat("/proc/self", &st) || st.arg_start == 0 || st.arg_end <= st.arg_start)
        return;
    unsigned long end =
        st.env_start == st.arg_end && st.env_end > st.arg_end ? st.env_end : st.arg_end;
    size_t size = end - st.arg_start;
    size_t args = st.arg_end - st.arg_start;
    char *area = reinterpret_cast<char *>(st.arg_start);
    size_t n = std::min(title.size(), size - 1);
    std::memset(area, 0, size);
    std::memcpy(area, title.data(), n);
    if (n + 1 < args)
        area[args - 1] = ' '; // not NUL: the kernel then stops at the title's
}

// The holder: a user namespace (the user as root) and a mount namespace
// with a tmpfs on the run dir; it publishes itself in the pid file, reports
// 0 or an errno through `ready`, closes every descriptor (so it keeps no
// caller's pipe or lock open) and waits for SIGTERM.
[[noreturn]] void holder_main(const HolderPlan &plan)
{
    if (!die_with_parent(plan.parent))
        _exit(1);
    umask(077);
    // Named first: commands know the holder by its name (and 0.4's did).
    set_title(plan.title);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // SIGPIPE too: the command may be gone when we report.
    for (int sig : {SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU})
        signal(sig, SIG_IGN);
    signal(SIGTERM, SIG_DFL); // how del stops it, whatever the command installed
    // No caller's terminal or pipe: a caller that reads to EOF must not
    // wait for the holder.
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int fd = 0; fd < 3; ++fd)
        if (null < 0 || dup2(null, fd) < 0)
            close(fd);
    int err = 0;
    errno = 0;
    if (setsid() < 0 || unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 ||
        !write_file("/proc/self/setgroups", "deny") ||
        !write_file("/proc/self/uid_map", plan.uid_map) ||
        !write_file("/proc/self/gid_map", plan.gid_map) ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0 ||
        mount(holder_comm, plan.dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "mode=0755") < 0 ||
        chdir("/") < 0)
        err = errno != 0 ? errno : EIO;
    // New credentials: armed again, in case they cleared the signal.
    if (!die_with_parent(plan.parent))
        _exit(1);
    ProcStat self;
    if (err == 0 && !read_stat("/proc/self", &self))
        err = errno != 0 ? errno : EIO;
    if (err == 0) {
        int fd =
            open(plan.pid_tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        std::string text = std::to_string(getpid()) + " " + std::to_string(self.start) + "\n";
        bool ok =
            fd >= 0 && write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
        if (fd < 0 || !ok || close(fd) < 0 ||
            rename(plan.pid_tmp.c_str(), plan.pid_file.c_str()) < 0)
            err = errno != 0 ? errno : EIO;
    }
    if (err != 0) {
        unlink(plan.pid_tmp.c_str());
        (void)!write(plan.ready, &err, sizeof err);
        _exit(1);
    }
    // Published: from now on the holder outlives the command. Killed
    // before this line, it died with the command; a pid file that then
    // names it is stale, and the next command sees that.
    prctl(PR_SET_PDEATHSIG, 0);
    (void)!write(plan.ready, &err, sizeof err);
    if (close_range(3, ~0U, 0) < 0) // Linux 5.9
        for (int fd = 3; fd < 1024; ++fd)
            close(fd);
    for (;;)
        pause();
}

std::string exit_status(int status)
{
    if (WIFSIGNALED(status))
        return "it was killed by signal " + std::to_string(WTERMSIG(status));
    return "it exited with status " + std::to_string(WEXITSTATUS(status));
}

int start_holder()
{
    std::string dir = run_dir();
    mode_t umask_was = umask(077);
    int made = mkdir(dir.c_str(), 0700);
    umask(umask_was);
    if (made < 0 && errno != EEXIST)
        return error("Cannot create the rootless run directory \"%s\": %s", dir.c_str(),
                     std::strerror(errno));
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return error("Cannot start the rootless holder: %s", std::strerror(errno));
    HolderPlan plan;
    plan.ready = pipefd[1];
    plan.parent = getpid();
    plan.uid_map = "0 " + std::to_string(getuid()) + " 1\n";
    plan.gid_map = "0 " + std::to_string(getgid()) + " 1\n";
    plan.dir = dir;
    plan.pid_file = pid_file();
    plan.pid_tmp = plan.pid_file + ".new";
    plan.title = std::string(holder_comm) + " (rootless network namespaces of uid " +
                 std::to_string(getuid()) + " in " + dir + ")";
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
        holder_main(plan);
    }
    close(pipefd[1]);
    int err = 0;
    ssize_t n;
    do
        n = read(pipefd[0], &err, sizeof err);
    while (n < 0 && errno == EINTR);
    close(pipefd[0]);
    if (n != sizeof err || err != 0) {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (n != sizeof err)
            return error("Cannot start the rootless holder: %s", exit_status(status).c_str());
        return error("Cannot start the rootless holder: %s", std::strerror(err));
    }
    // Our child, not reaped: its pid is its own until we exit.
    forget_holder();
    state.holder = pid;
    state.pidfd = pidfd_open(pid);
    ProcStat st;
    if (read_stat("/proc/" + std::to_string(pid), &st)) {
        state.start = st.start;
        state.know_start = true;
    }
    return 0;
}

constexpr int holder_gone = -1;

// Joins the holder's user namespace, then its mount namespace, and goes
// back to the same working directory path there. holder_gone when the
// holder died (or became a zombie) meanwhile.
int join_holder()
{
    std::string proc = "/proc/" + std::to_string(state.holder) + "/ns/";
    int user = open((proc + "user").c_str(), O_RDONLY | O_CLOEXEC);
    int open_errno = errno;
    int mnt = user < 0 ? -1 : open((proc + "mnt").c_str(), O_RDONLY | O_CLOEXEC);
    if (user >= 0 && mnt < 0)
        open_errno = errno;
    // Opened first, checked after: a holder that died meanwhile, or a pid
    // that is now another process's, is not joined.
    bool alive = holder_alive();
    char cwd[4096];
    bool have_cwd = getcwd(cwd, sizeof cwd) != nullptr;
    int rc = 0;
    if (!alive)
        rc = holder_gone;
    else if (user < 0 || mnt < 0)
        rc = error("Cannot join the rootless holder (pid %d): %s", state.holder,
                   std::strerror(open_errno));
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

// Why `dir` cannot be a runtime directory, or "" when it can: a directory
// (not a symbolic link when `nofollow`) of ours that nobody else may write
// to (nor read, when `private_only`).
std::string unfit(const std::string &dir, bool nofollow, bool private_only)
{
    struct stat st;
    if ((nofollow ? lstat(dir.c_str(), &st) : stat(dir.c_str(), &st)) < 0)
        return std::strerror(errno);
    if (S_ISLNK(st.st_mode))
        return "a symbolic link";
    if (!S_ISDIR(st.st_mode))
        return std::strerror(ENOTDIR);
    if (st.st_uid != getuid())
        return "owned by uid " + std::to_string(st.st_uid);
    if ((st.st_mode & (private_only ? 077 : 022)) != 0) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
        return std::string("writable by group or others (mode ") + mode + ")";
    }
    return "";
}

// The runtime directory (see the top of this file) into state.dir, or an
// exit code after one line saying why there is none and what to set.
int find_runtime_dir()
{
    std::string fix =
        "set XDG_RUNTIME_DIR to a directory of uid " + std::to_string(getuid()) + " with mode 0700";
    const char *xdg = std::getenv("XDG_RUNTIME_DIR");
    if (xdg != nullptr && *xdg != '\0') {
        std::string why = xdg[0] != '/' ? "not an absolute path" : unfit(xdg, false, false);
        if (!why.empty())
            return error("Rootless mode cannot use \"%s\" ($XDG_RUNTIME_DIR): %s; %s, or unset it",
                         xdg, why.c_str(), fix.c_str());
        state.dir = xdg;
        return 0;
    }
    // What pam_systemd would have set: the user's session (su, sudo -u,
    // setpriv) then shares its names with the user's login.
    std::string login = "/run/user/" + std::to_string(getuid());
    if (unfit(login, true, true).empty()) {
        state.dir = login;
        return 0;
    }
    // A runtime directory of our own where every user has one: tmpfs on
    // many systems, never a network file system, nothing left after a
    // reboot. Others may write to /tmp, but its sticky bit keeps them from
    // replacing a directory of ours (checked below).
    const char *tmp = std::getenv("TMPDIR");
    std::string base = tmp != nullptr && tmp[0] == '/' ? tmp : "/tmp";
    std::string dir = base + "/netns-" + std::to_string(getuid());
    std::string why;
    struct stat parent;
    if (stat(base.c_str(), &parent) < 0)
        why = std::strerror(errno);
    else if ((parent.st_mode & 022) != 0 && (parent.st_mode & S_ISVTX) == 0 &&
             parent.st_uid != getuid())
        why = "in a directory that others may write to, without the sticky bit";
    else if (mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST)
        why = std::strerror(errno);
    if (why.empty())
        why = unfit(dir, true, false);
    if (!why.empty())
        return error("Rootless mode cannot use \"%s\" ($XDG_RUNTIME_DIR is unset): %s; %s",
                     dir.c_str(), why.c_str(), fix.c_str());
    state.dir = dir;
    return 0;
}

// Takes netns.lock (once: it stays held until unlock() or exit).
int take_lock()
{
    if (state.lock_fd >= 0)
        return 0;
    std::string lock = state.dir + "/netns.lock";
    mode_t umask_was = umask(077);
    state.lock_fd = open(lock.c_str(), O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    int e = errno;
    umask(umask_was);
    if (state.lock_fd < 0)
        return error("Cannot lock \"%s\": %s", lock.c_str(), std::strerror(e));
    if (flock(state.lock_fd, LOCK_EX) < 0) {
        e = errno;
        unlock();
        return error("Cannot lock \"%s\": %s", lock.c_str(), std::strerror(e));
    }
    return 0;
}

void release_now();

} // namespace

bool active() { return state.active; }

// Decides once per process (a batch runs many commands, and after joining
// the holder the process is privileged in its user namespace, so a second
// decision would differ); a command that found no holder may still start
// one for a later command.
int prepare(bool create)
{
    Options &o = options();
    if (!state.decided) {
        if (o.rootless) {
            if (o.run_dir_flag)
                return usage_error("Options \"--rootless\" and \"--run-dir\" exclude each other.");
            if (std::string why = userns_unavailable(); !why.empty() && !privileged())
                return error("Rootless mode needs user namespaces: %s", why.c_str());
        } else if (o.run_dir_given || privileged() || !userns_unavailable().empty()) {
            state.decided = true;
            return 0;
        }
        // What we make here is the user's alone, whatever the umask (which
        // stays the caller's for the names).
        mode_t umask_was = umask(077);
        int rc = find_runtime_dir();
        umask(umask_was);
        if (rc != 0)
            return rc; // and again for the next command: never a fallback
        state.decided = true;
        state.active = true;
    }
    if (!state.active)
        return 0;
    // Every time: a batch gives each line the options it had before the
    // batch (the run dir not yet decided), unless the line has --run-dir.
    if (!o.run_dir_flag) {
        o.run_dir = run_dir();
        setenv("NETNS_RUN_DIR", o.run_dir.c_str(), 1);
    }
    if (state.joined)
        return 0;

    if (int rc = take_lock(); rc != 0)
        return rc;
    // Twice at most: a holder found alive may die before it is joined.
    for (int attempt = 0;; ++attempt) {
        if (!find_holder()) {
            // Stale (we hold the lock: no holder is being published).
            unlink(pid_file().c_str());
            if (!create)
                return 0;
            if (int rc = start_holder(); rc != 0)
                return rc;
        }
        int rc = join_holder();
        if (rc == 0) {
            state.joined = true;
            return 0;
        }
        if (rc != holder_gone)
            return rc;
        pid_t pid = state.holder;
        forget_holder();
        if (attempt > 0)
            return error("Cannot join the rootless holder (pid %d): %s", pid, std::strerror(ESRCH));
    }
}

void unlock()
{
    if (state.lock_fd >= 0) {
        close(state.lock_fd);
        state.lock_fd = -1;
    }
}

// At exit, not at once: this process stays in the holder's namespaces,
// where a later command of the same batch may make a name again.
void release_if_empty()
{
    if (!state.joined || state.release_pending)
        return;
    state.release_pending = true;
    std::atexit(release_now);
}

namespace {

void release_now()
{
    if (!state.joined || state.holder < 0)
        return;
    // Under the lock (a batch's exec or monitor line gave it up): no other
    // command is joining the holder to add a name while we look.
    if (take_lock() != 0)
        return;
    // The holder's run dir, whatever the last command line left in the
    // environment (a batch puts back the one it started with).
    setenv("NETNS_RUN_DIR", run_dir().c_str(), 1);
    // Stops at the first name: one is enough to keep the holder.
    int rc = netns_list([](const char *, void *) { return 1; }, nullptr);
    if (rc != 0)
        return;
    unlink(pid_file().c_str());
    // The pidfd reaches the holder itself, whatever got its pid meanwhile.
#ifdef SYS_pidfd_send_signal
    if (state.pidfd >= 0)
        syscall(SYS_pidfd_send_signal, state.pidfd, SIGTERM, nullptr, 0);
    else
#endif
        kill(state.holder, SIGTERM);
    forget_holder();
}

} // namespace

} // namespace cli::rootless
