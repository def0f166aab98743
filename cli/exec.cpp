// SPDX-License-Identifier: Apache-2.0
//
// netns exec: the tool becomes the command, as `ip netns exec` and nsenter
// do. It prepares its own (single-threaded) process inside the namespace
// (by name: netns_enter_named(), which does what ip does; by pid, path or
// Docker container: netns_set()) and execs the command: no child, nothing
// left to forward signals or to be orphaned, the command has netns's pid.
// Only -all (one command per namespace) and a batch's exec lines fork, as
// ip does, and wait.
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
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cli {

namespace {

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

// The command could not be executed: a shell's statuses (ip says 1).
int exec_failed(const char *file, int err)
{
    if (err == EACCES && std::strchr(file, '/') == nullptr && !in_path(file))
        err = ENOENT;
    error("exec of \"%s\" failed: %s", file, why(err));
    switch (err) {
    case ENOENT: return exit_not_found;
    case EACCES:
    case ENOEXEC:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case ETXTBSY:
    case E2BIG:
    case EISDIR: return exit_not_executable;
    default: return exit_failure;
    }
}

// Opens the namespace of --pid/--path/--docker; a negative exit status
// after printing why.
int open_target(int kind, const char *value)
{
    int ns = -1;
    switch (kind) {
    case opt_pid: {
        int pid;
        if (!parse_pid(value, &pid))
            return -usage_error("Invalid pid \"%s\"", value);
        ns = netns_get_from_pid(pid);
        // A pid with no /proc entry is a process that does not exist.
        if (ns == -ENOENT && kill(pid, 0) < 0 && errno == ESRCH)
            ns = -ESRCH;
        if (ns < 0)
            return -error_status(exit_usage, "Cannot open network namespace of pid %d: %s", pid,
                                 why(ns));
        break;
    }
    case opt_path:
        ns = netns_get_from_path(value);
        if (ns == -EINVAL)
            return -error_status(exit_usage, "\"%s\" is not a network namespace", value);
        if (ns < 0)
            return -error_status(exit_usage, "Cannot open network namespace \"%s\": %s", value,
                                 why(ns));
        break;
    case opt_docker:
        ns = netns_get_from_docker(value);
        if (ns < 0)
            return -error_status(exit_usage,
                                 "Cannot open network namespace of container \"%s\": %s", value,
                                 why(ns));
        break;
    }
    return ns;
}

// Moves this process into the namespace and execs the command; returns
// only on failure, with the exit status (after printing why).
int exec_here(int kind, const char *value, char **command)
{
    if (kind == 0) {
        if (int rc = netns_enter_named(value); rc < 0)
            return enter_failed(value, rc);
    } else {
        int ns = open_target(kind, value);
        if (ns < 0)
            return -ns;
        int rc = netns_set(ns);
        netns_close(&ns);
        if (rc < 0)
            return error_status(exit_usage, "setting the network namespace failed: %s", why(rc));
    }
    std::fflush(stdout);
    execvp(command[0], command);
    return exec_failed(command[0], errno);
}

// ip's way in a batch and for -all: a child per command, waited for.
// Returns the command's status, shell style.
int exec_child(int kind, const char *value, char **command)
{
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t child = fork();
    if (child < 0)
        return error("Cannot start \"%s\": %s", command[0], why(errno));
    if (child == 0)
        _exit(exec_here(kind, value, command));
    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR)
            return error("Cannot wait for \"%s\": %s", command[0], why(errno));
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

} // namespace

// netns_enter_named()'s failure, in ip's words where ip has them; 255 as
// ip's exec of a namespace it cannot enter.
int enter_failed(const char *name, int rc)
{
    std::string entry = entry_path(name);
    switch (-rc) {
    case ENOENT: {
        struct stat st;
        if (lstat(entry.c_str(), &st) == 0)
            return error_status(exit_usage,
                                "Cannot prepare network namespace \"%s\" (a fresh /sys, the "
                                "binds of /etc/netns/%s): %s",
                                name, name, why(rc));
        return error_status(exit_usage, "Cannot open network namespace \"%s\": %s", name, why(rc));
    }
    case EINVAL: return not_a_namespace(name, exit_usage);
    case EPERM:
        return error_status(exit_usage, "setting the network namespace \"%s\" failed: %s", name,
                            why(rc));
    case EACCES:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
        return error_status(exit_usage, "Cannot open network namespace \"%s\": %s", name, why(rc));
    case ENOTRECOVERABLE:
        return error_status(exit_usage,
                            "Cannot return from network namespace \"%s\" after a failure: %s", name,
                            why(rc));
    default:
        return error_status(exit_usage, "Cannot prepare network namespace \"%s\": %s", name,
                            why(rc));
    }
}

int cmd_exec(Line &line)
{
    if (line.all && line.target != 0)
        return usage_error("Only one of NAME, --all, --pid, --path and --docker");
    const char *name = line.operands.empty() ? nullptr : line.operands[0];
    if (!line.all && line.target == 0 && name == nullptr)
        return error("No netns name specified");
    if (line.command == nullptr || line.command[0] == nullptr)
        return error("No command specified");
    if (name != nullptr && netns_check_name(name) != 0)
        return invalid_name(name);

    if (int rc = prepare(false); rc != 0)
        return rc;
    rootless::unlock(); // the command may run for long

    if (line.all) {
        // As `ip -all netns exec`: each entry in turn (a stale one too: it
        // fails to enter, said on stderr), after a line that says which,
        // going on after a failure; status 0.
        std::vector<std::string> names;
        if (int rc = list_entries(&names); rc < 0)
            return list_failed(rc);
        for (const std::string &n : names) {
            std::printf("\nnetns: %s\n", n.c_str());
            exec_child(0, n.c_str(), line.command);
        }
        return exit_ok;
    }
    int kind = line.target;
    const char *value = kind == 0 ? name : line.target_value;
    if (options().in_batch)
        return exec_child(kind, value, line.command);
    return exec_here(kind, value, line.command);
}

} // namespace cli
