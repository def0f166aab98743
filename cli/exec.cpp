// SPDX-License-Identifier: Apache-2.0
//
// netns exec: start a command inside a namespace (by name, as `ip netns
// exec` does, or by pid, path or Docker container), wait for it, and exit
// with its status. Signals sent to netns are passed on to the command.
#include "cli.hpp"
#include "rootless.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace cli {

namespace {

enum : int { opt_pid = 2000, opt_path, opt_docker };

constexpr struct option exec_long[] = {
    {"pid", required_argument, nullptr, opt_pid},
    {"path", required_argument, nullptr, opt_path},
    {"docker", required_argument, nullptr, opt_docker},
    {nullptr, 0, nullptr, 0},
};

struct Target {
    int kind = 0; // 0: a name (the first operand), else opt_pid/path/docker
    const char *value = nullptr;
    bool twice = false;
};

bool exec_option(int opt, const char *arg, void *ctx)
{
    auto *t = static_cast<Target *>(ctx);
    if (opt != opt_pid && opt != opt_path && opt != opt_docker)
        return false;
    if (t->kind != 0)
        t->twice = true;
    t->kind = opt;
    t->value = arg;
    return true;
}

// Signals that reach netns from another process (kill, a supervisor) go
// on to the command. Those the terminal sends reach the command by
// itself, being in the same process group, so they are not sent twice.
constexpr int forwarded[] = {SIGHUP,  SIGINT,  SIGQUIT,  SIGTERM, SIGUSR1,
                             SIGUSR2, SIGWINCH, SIGCONT, SIGALRM};

// Opens the namespace of --pid/--path/--docker, with its message.
int open_target(const Target &t)
{
    int ns = -1;
    switch (t.kind) {
    case opt_pid: {
        int pid;
        if (!parse_pid(t.value, &pid)) {
            usage_error("Invalid pid \"%s\"", t.value);
            return -exit_usage;
        }
        ns = netns_get_from_pid(pid);
        if (ns < 0)
            error("Cannot open network namespace of pid %d: %s", pid, why(ns));
        break;
    }
    case opt_path:
        ns = netns_get_from_path(t.value);
        if (ns < 0)
            error("Cannot open network namespace \"%s\": %s", t.value, why(ns));
        break;
    case opt_docker:
        ns = netns_get_from_docker(t.value);
        if (ns < 0)
            error("Cannot open network namespace of container \"%s\": %s", t.value, why(ns));
        break;
    }
    return ns < 0 ? -exit_failure : ns;
}

// Whether a PATH search for `file` finds anything at all. execvp(3)
// reports EACCES when a PATH directory cannot be searched and nothing is
// found elsewhere; a shell calls that "not found" (127), and so do we.
bool in_path(const char *file)
{
    const char *path = std::getenv("PATH");
    std::string_view rest = path != nullptr ? path : "/bin:/usr/bin";
    for (;;) {
        size_t colon = rest.find(':');
        std::string dir(rest.substr(0, colon));
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + file;
        struct stat st;
        if (stat(candidate.c_str(), &st) == 0)
            return true;
        if (colon == std::string_view::npos)
            return false;
        rest.remove_prefix(colon + 1);
    }
}

int exec_failed(const char *file, int rc)
{
    if (rc == -EACCES && std::strchr(file, '/') == nullptr && !in_path(file))
        rc = -ENOENT;
    error("exec of \"%s\" failed: %s", file, why(rc));
    switch (-rc) {
    case ENOENT:
        return exit_not_found;
    case EACCES: case ENOEXEC: case ENOTDIR: case ELOOP: case ENAMETOOLONG:
    case ETXTBSY: case E2BIG: case EISDIR:
        return exit_not_executable;
    default:
        return exit_failure;
    }
}

// Starts the command in `ns` from a forked child that moves into it and
// does not come back: what rootless mode needs, where the holder's user
// namespace may enter the user's namespaces but not return to the host's
// (netns_spawnp checks the way back first). Returns the child's pid, or a
// negative exit code after printing why.
pid_t fork_into(int ns, char **command, const sigset_t &original)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return -error("Cannot start \"%s\": %s", command[0], why(errno));
    std::fflush(nullptr);
    pid_t child = fork();
    if (child < 0) {
        int e = errno;
        close(pipefd[0]);
        close(pipefd[1]);
        return -error("Cannot start \"%s\": %s", command[0], why(e));
    }
    if (child == 0) {
        // What failed (1: entering, 2: exec) and its errno, through the
        // pipe that a successful exec closes.
        sigprocmask(SIG_SETMASK, &original, nullptr);
        int report[2] = {1, 0};
        int rc = netns_set(ns);
        if (rc == 0) {
            execvp(command[0], command);
            report[0] = 2;
            rc = -errno;
        }
        report[1] = -rc;
        (void)!write(pipefd[1], report, sizeof report);
        _exit(exit_not_found);
    }
    close(pipefd[1]);
    int report[2];
    ssize_t n;
    do
        n = read(pipefd[0], report, sizeof report);
    while (n < 0 && errno == EINTR);
    close(pipefd[0]);
    if (n != sizeof report)
        return child; // exec'd
    while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
    if (report[0] == 1)
        return -error("Cannot enter network namespace: %s", why(report[1]));
    return -exec_failed(command[0], -report[1]);
}

// Waits for the child, passing signals on; returns its shell-style status.
int wait_child(pid_t child, const sigset_t &waited)
{
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&waited, &info);
        if (sig < 0)
            continue; // EINTR
        if (sig != SIGCHLD) {
            if (info.si_code != SI_KERNEL)
                kill(child, sig);
            continue;
        }
        int status;
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) {
            if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
            return WEXITSTATUS(status);
        }
    }
}

} // namespace

int cmd_exec(int argc, char **argv)
{
    Target target;
    int first = parse_options(argc, argv, nullptr, exec_long, exec_option, &target, true);
    if (first == -2)
        return exit_ok;
    if (first < 0)
        return exit_usage;
    if (target.twice)
        return usage_error("Only one of NAME, --pid, --path and --docker");
    const char *name = nullptr;
    if (target.kind == 0) {
        if (first == argc)
            return usage_error("No netns name specified");
        name = argv[first++];
    }
    if (first == argc)
        return usage_error("No command specified");
    char **command = argv + first;

    if (int rc = rootless::prepare(false); rc != 0)
        return rc;
    rootless::unlock(); // the command may run for long

    int ns = -1;
    if (name != nullptr) {
        // Opened first for ip's message: the spawn's ENOENT could also be
        // the command's.
        if (!valid_name(name))
            return error("Invalid netns name \"%s\"", name);
        ns = netns_get_from_name(name);
        if (ns < 0) {
            if (ns == -EINVAL)
                return error("Invalid netns name \"%s\"", name);
            return error("Cannot open network namespace \"%s\": %s", name, why(ns));
        }
        netns_close(&ns);
    } else {
        ns = open_target(target);
        if (ns < 0)
            return -ns;
    }

    // Block what we wait for before the child exists, so nothing is lost;
    // the child gets the original mask back.
    sigset_t waited, original;
    sigemptyset(&waited);
    sigaddset(&waited, SIGCHLD);
    for (int sig : forwarded)
        sigaddset(&waited, sig);
    sigprocmask(SIG_BLOCK, &waited, &original);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &original);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);

    pid_t child = -1;
    int rc = 0;
    if (name != nullptr)
        rc = netns_spawn_named(&child, name, command[0], nullptr, &attr, command, environ);
    else if (!rootless::active())
        rc = netns_spawnp(&child, ns, command[0], nullptr, &attr, command, environ);
    else if (child = fork_into(ns, command, original); child < 0)
        rc = static_cast<int>(child); // -exit code, printed
    posix_spawnattr_destroy(&attr);
    if (name == nullptr && rootless::active() && rc < 0) {
        netns_close(&ns);
        sigprocmask(SIG_SETMASK, &original, nullptr);
        return -rc;
    }
    if (ns >= 0)
        netns_close(&ns);
    if (rc < 0) {
        sigprocmask(SIG_SETMASK, &original, nullptr);
        return exec_failed(command[0], rc);
    }
    return wait_child(child, waited);
}

} // namespace cli
