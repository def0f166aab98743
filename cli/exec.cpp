// SPDX-License-Identifier: Apache-2.0
//
// netns exec: the tool becomes the command, as `ip netns exec` and nsenter
// do. It prepares its own (single-threaded) process inside the namespace
// (by name: netns::enter_named(), which does what ip does; by pid, path or
// Docker container: netns::set()) and execs the command: no child, nothing
// left to forward signals or to be orphaned, the command has netns's pid.
// Only -all (one command per namespace) and a batch's exec lines fork, as
// ip does, and wait.
#include "cli.hpp"
#include "rootless.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace cli {

namespace {

// Opens the namespace of --pid/--path/--docker (255 when it cannot).
netns::Handle open_target(int kind, const char *value)
{
    int pid = 0;
    if (kind == opt_pid && !parse_pid(value, &pid))
        usage_fail("Invalid pid \"%s\"", value);
    try {
        switch (kind) {
        case opt_pid: return netns::get_from_pid(pid);
        case opt_path: return netns::get_from_path(value);
        default: return netns::get_from_docker(value);
        }
    } catch (const std::system_error &e) {
        int rc = rc_of(e);
        switch (kind) {
        case opt_pid:
            // A pid with no /proc entry is a process that does not exist.
            if (rc == -ENOENT && kill(pid, 0) < 0 && errno == ESRCH)
                rc = -ESRCH;
            fail_with(exit_usage, "Cannot open network namespace of pid %d: %s", pid, why(rc));
        case opt_path:
            if (rc == -EINVAL)
                fail_with(exit_usage, "\"%s\" is not a network namespace", value);
            fail_with(exit_usage, "Cannot open network namespace \"%s\": %s", value, why(rc));
        default:
            fail_with(exit_usage, "Cannot open network namespace of container \"%s\": %s", value,
                      why(rc));
        }
    }
}

// Moves this process into the namespace and execs the command; returns
// only by throwing Failure (after printing why).
[[noreturn]] void exec_here(int kind, const char *value, char **command)
{
    if (kind == 0) {
        try {
            netns::enter_named(value);
        } catch (const std::system_error &e) {
            enter_failed(value, rc_of(e));
        }
    } else {
        netns::Handle ns = open_target(kind, value);
        try {
            netns::set(ns);
        } catch (const std::system_error &e) {
            fail_with(exit_usage, "setting the network namespace failed: %s", why(rc_of(e)));
        }
    }
    std::fflush(stdout);
    execvp(command[0], command);
    exec_failed(command[0], errno);
}

// ip's way in a batch and for -all: a child per command, waited for.
// Returns the command's status, shell style (-all goes on after each).
int exec_child(int kind, const char *value, char **command)
{
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t child = fork();
    if (child < 0) {
        say("Cannot start \"%s\": %s", command[0], why(errno));
        return exit_failure;
    }
    if (child == 0)
        _exit(exit_status_of([&]() -> int { exec_here(kind, value, command); }));
    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            say("Cannot wait for \"%s\": %s", command[0], why(errno));
            return exit_failure;
        }
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

} // namespace

int cmd_exec(Line &line)
{
    if (line.all && line.target != 0)
        usage_fail("Only one of NAME, --all, --pid, --path and --docker");
    const char *name = line.operands.empty() ? nullptr : line.operands[0];
    if (!line.all && line.target == 0 && name == nullptr)
        fail("No netns name specified");
    if (line.command == nullptr || line.command[0] == nullptr)
        fail("No command specified");
    if (name != nullptr)
        check_name(name);

    prepare(false);
    rootless::unlock(); // the command may run for long

    if (line.all) {
        // As `ip -all netns exec`: each entry in turn (a stale one too: it
        // fails to enter, said on stderr), after a line that says which,
        // going on after a failure; status 0.
        for (const std::string &n : list_entries()) {
            std::printf("\nnetns: %s\n", n.c_str());
            exec_child(0, n.c_str(), line.command);
        }
        return exit_ok;
    }
    int kind = line.target;
    const char *value = kind == 0 ? name : line.target_value;
    if (options().in_batch)
        return exec_child(kind, value, line.command);
    exec_here(kind, value, line.command);
}

} // namespace cli
