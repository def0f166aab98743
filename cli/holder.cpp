// SPDX-License-Identifier: Apache-2.0
//
// The rootless holder: the process that keeps a user's user and mount
// namespace alive (rootless.cpp decides when and where; the top of that
// file says why). Finding the one that netns.holder names, starting one,
// joining it, stopping it.
#include "holder.hpp"
#include "cli.hpp"

#include <netns/netns.hpp>

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
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cli::rootless {

std::string read_first_line(const std::string &path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

namespace {

constexpr const char holder_comm[] = "netns-holder";

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
    ssize_t n;
    {
        netns::Fd fd(open((proc + "/stat").c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd)
            return false;
        n = read(fd.fd(), buf, sizeof buf - 1);
    }
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

} // namespace

// Whether the holder still runs and is ours: alive (not a zombie), our
// uid, the holder's name, and its start time when known.
bool Holder::alive()
{
    if (pidfd_ && exited(pidfd_.fd()))
        return false;
    std::string proc = "/proc/" + std::to_string(pid_);
    ProcStat st;
    if (!read_stat(proc, &st) || st.state == 'Z' || st.state == 'X' || st.comm != holder_comm)
        return false;
    if (know_start_ && st.start != start_)
        return false;
    struct stat owner;
    return stat(proc.c_str(), &owner) == 0 && owner.st_uid == getuid();
}

void Holder::forget()
{
    pidfd_.reset();
    pid_ = -1;
    know_start_ = false;
}

bool Holder::find()
{
    forget();
    std::istringstream in(read_first_line(pid_file()));
    std::string pid_text, start_text;
    in >> pid_text >> start_text;
    int pid = 0;
    if (!parse_pid(pid_text.c_str(), &pid))
        return false;
    pid_ = pid;
    // A pid file of netns 0.4 has no start time: its holder is known by
    // its name and uid alone.
    if (!start_text.empty()) {
        char *end = nullptr;
        errno = 0;
        start_ = std::strtoull(start_text.c_str(), &end, 10);
        if (errno != 0 || *end != '\0' || start_text[0] < '0' || start_text[0] > '9') {
            forget();
            return false;
        }
        know_start_ = true;
    }
    // The pidfd first: if the pid is then another process's, the pidfd
    // polls readable (its process exited), so the checks below that pass
    // were about the holder.
    pidfd_.reset(pidfd_open(pid));
    if ((!pidfd_ && errno != ENOSYS) || !alive()) {
        forget();
        return false;
    }
    return true;
}

void Holder::start()
{
    std::string names = run_dir();
    mode_t umask_was = umask(077);
    int made = mkdir(names.c_str(), 0700);
    umask(umask_was);
    if (made < 0 && errno != EEXIST)
        fail("Cannot create the rootless run directory \"%s\": %s", names.c_str(),
             std::strerror(errno));
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        fail("Cannot start the rootless holder: %s", std::strerror(errno));
    netns::Fd ready_in(pipefd[0]), ready_out(pipefd[1]);
    HolderPlan plan;
    plan.ready = ready_out.fd();
    plan.parent = getpid();
    plan.uid_map = "0 " + std::to_string(getuid()) + " 1\n";
    plan.gid_map = "0 " + std::to_string(getgid()) + " 1\n";
    plan.dir = names;
    plan.pid_file = pid_file();
    plan.pid_tmp = plan.pid_file + ".new";
    plan.title = std::string(holder_comm) + " (rootless network namespaces of uid " +
                 std::to_string(getuid()) + " in " + names + ")";
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0)
        fail("Cannot start the rootless holder: %s", std::strerror(errno));
    if (pid == 0) {
        ready_in.reset();
        holder_main(plan);
    }
    ready_out.reset();
    int err = 0;
    ssize_t n;
    do
        n = read(ready_in.fd(), &err, sizeof err);
    while (n < 0 && errno == EINTR);
    ready_in.reset();
    if (n != sizeof err || err != 0) {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (n != sizeof err)
            fail("Cannot start the rootless holder: %s", exit_status(status).c_str());
        fail("Cannot start the rootless holder: %s", std::strerror(err));
    }
    // Our child, not reaped: its pid is its own until we exit.
    forget();
    pid_ = pid;
    pidfd_.reset(pidfd_open(pid));
    ProcStat st;
    if (read_stat("/proc/" + std::to_string(pid), &st)) {
        start_ = st.start;
        know_start_ = true;
    }
}

bool Holder::join()
{
    std::string proc = "/proc/" + std::to_string(pid_) + "/ns/";
    netns::Fd user(open((proc + "user").c_str(), O_RDONLY | O_CLOEXEC));
    int open_errno = errno;
    netns::Fd mnt(!user ? -1 : open((proc + "mnt").c_str(), O_RDONLY | O_CLOEXEC));
    if (user && !mnt)
        open_errno = errno;
    // Opened first, checked after: a holder that died meanwhile, or a pid
    // that is now another process's, is not joined.
    if (!alive())
        return false;
    char cwd[4096];
    bool have_cwd = getcwd(cwd, sizeof cwd) != nullptr;
    if (!user || !mnt)
        fail("Cannot join the rootless holder (pid %d): %s", pid_, std::strerror(open_errno));
    if (setns(user.fd(), CLONE_NEWUSER) < 0 || setns(mnt.fd(), CLONE_NEWNS) < 0)
        fail("Cannot join the rootless holder (pid %d): %s", pid_, std::strerror(errno));
    if (have_cwd && chdir(cwd) < 0)
        (void)!chdir("/");
    return true;
}

void Holder::stop()
{
    // The pidfd reaches the holder itself, whatever got its pid meanwhile.
#ifdef SYS_pidfd_send_signal
    if (pidfd_)
        syscall(SYS_pidfd_send_signal, pidfd_.fd(), SIGTERM, nullptr, 0);
    else
#endif
        kill(pid_, SIGTERM);
    forget();
}

} // namespace cli::rootless
