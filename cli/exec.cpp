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
#include <cstring>

#include <spawn.h>
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

int exec_failed(const char *file, int rc)
{
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
        if (std::strchr(name, '/') != nullptr || !*name)
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
    int rc = name != nullptr
                 ? netns_spawn_named(&child, name, command[0], nullptr, &attr, command, environ)
                 : netns_spawnp(&child, ns, command[0], nullptr, &attr, command, environ);
    posix_spawnattr_destroy(&attr);
    if (ns >= 0)
        netns_close(&ns);
    if (rc < 0) {
        sigprocmask(SIG_SETMASK, &original, nullptr);
        return exec_failed(command[0], rc);
    }
    return wait_child(child, waited);
}

} // namespace cli
