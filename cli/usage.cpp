// SPDX-License-Identifier: Apache-2.0
//
// netns help: the usage of the tool and of each command. netns(8) says the
// same at length.
#include "cli.hpp"

#include <cstdio>
#include <string_view>

namespace cli {

namespace {

struct Usage {
    const char *command;
    const char *synopsis;
    const char *text;
};

constexpr Usage usages[] = {
    {"list", "netns list", "List the named network namespaces, sorted, with their nsid if any."},
    {"add", "netns add NAME", "Create a network namespace named NAME."},
    {"del", "netns del NAME...\n       netns del --all",
     "Delete the named network namespaces (every one with --all)."},
    {"exec",
     "netns exec NAME CMD [ARG...]\n"
     "       netns exec --pid PID | --path FILE | --docker ID CMD [ARG...]",
     "Run CMD inside a network namespace: by NAME as `ip netns exec` does (a private mount\n"
     "namespace, a fresh /sys, the binds of /etc/netns/NAME), or the namespace of a process,\n"
     "of a file, or of a Docker container. Exits with CMD's status (128+N when killed by\n"
     "signal N, 127 when CMD is not found, 126 when it cannot be run)."},
    {"identify", "netns identify [PID]",
     "Print every name of the network namespace of PID (default: netns itself)."},
    {"pids", "netns pids NAME", "Print the pids of the processes in the namespace NAME."},
    {"attach", "netns attach NAME PID", "Name the network namespace of process PID as NAME."},
    {"set", "netns set NAME ID|auto",
     "Assign the namespace id (nsid) ID, 0 to 2147483647, or one the kernel picks, to NAME."},
    {"list-id", "netns list-id", "List the nsids assigned in the current network namespace."},
    {"monitor", "netns monitor",
     "Print names as they are added and deleted, until SIGINT or SIGTERM."},
    {"version", "netns version", "Print the versions of netns and of libnetns."},
    {"help", "netns help [COMMAND]", "Print this help, or COMMAND's."},
};

constexpr const char options_text[] =
    "Options (before or after the command):\n"
    "  -j, --json        print JSON (monitor: one object per line)\n"
    "  -q, --quiet       no messages on stderr; the exit status tells\n"
    "  --run-dir DIR     the run directory (default: $NETNS_RUN_DIR, else /run/netns)\n"
    "  --rootless        use your own rootless namespaces (automatic when unprivileged)\n"
    "  -h, --help        this help\n"
    "  -V, --version     the version\n";

constexpr const char rootless_text[] =
    "Rootless (an ordinary user): names live in $XDG_RUNTIME_DIR/netns inside a user and\n"
    "mount namespace of your own, kept by one \"netns-holder\" process (started by add,\n"
    "stopped when the last name is deleted). add, del, list, exec NAME, pids, identify,\n"
    "list-id and monitor work on your names; exec --pid/--path/--docker and attach only\n"
    "on namespaces your user namespace may enter; set does not work (it needs\n"
    "CAP_NET_ADMIN over the host's namespace). `ip netns` does not see the names.\n";

constexpr const char exit_text[] =
    "Exit status: 0 success, 1 failure, 255 usage error; exec: the command's.\n";

} // namespace

void print_usage(FILE *out)
{
    std::fputs("Usage: netns [OPTIONS] COMMAND [ARGS...]\n\nCommands:\n", out);
    for (const Usage &u : usages)
        std::fprintf(out, "  %s\n", u.synopsis);
    std::fprintf(out, "\n%s\n%s\n%s", options_text, rootless_text, exit_text);
}

bool print_command_usage(FILE *out, std::string_view command)
{
    if (command == "delete")
        command = "del";
    for (const Usage &u : usages) {
        if (command == u.command) {
            std::fprintf(out, "Usage: %s\n\n%s\n\n%s", u.synopsis, u.text, options_text);
            return true;
        }
    }
    return false;
}

} // namespace cli
