// SPDX-License-Identifier: Apache-2.0
//
// The tool's command and option table: the one list of its commands and
// options. Dispatch (main.cpp) and parsing (args.cpp) read it, help
// (usage.cpp) prints it, and through `netns help` the completion
// (completion/netns-complete.awk), the man page check (man/check.sh) and
// the tests (tests/cli/, completion/test-completion.sh) read it.
#include "cli.hpp"

namespace cli {

// In ip's order of matching (do_netns): the first command whose word
// starts with what was typed wins, so `l` and `s` are list (show), `d`
// delete, `e` exec, `i` identify, `p` pids, `a` add. `version` is the
// tool's own.
const std::vector<Command> &commands()
{
    static const std::vector<Command> table = {
        {"list", cmd_list, "",
         "List the named network namespaces, sorted, with their nsid if any.\n"
         "Also spelled show and lst; ip's abbreviations work (l, s, sh, ls).",
         0, 0},
        {"list-id", cmd_list_id, "[target-nsid ID] [nsid ID]",
         "List the nsids assigned in the current network namespace (as seen\n"
         "from the namespace with nsid target-nsid), or only the one with nsid ID.",
         0, 0},
        {"help", cmd_help, "[COMMAND]", "Print this help, or COMMAND's.", 0, 1},
        {"add", cmd_add, "NEWNAME", "Create a network namespace named NEWNAME.", 0, 1},
        {"set", cmd_set, "NAME ID|auto",
         "Assign the nsid ID (0 to 2147483647, or one the kernel picks) to NAME.", 0, 2},
        {"delete", cmd_del, "NAME|--all",
         "Delete the name NAME (every name with --all or -all before the command).", takes_all, 1},
        {"identify", cmd_identify, "[PID]",
         "Print every name of the network namespace of PID (default: netns's).", 0, 0},
        {"pids", cmd_pids, "NAME", "Print the pids of the processes in the namespace NAME.", 0, 1},
        {"exec", cmd_exec, "NAME|--all|--pid PID|--path FILE|--docker ID CMD...",
         "Run CMD in place of netns inside a network namespace: by NAME as\n"
         "`ip netns exec` does (a private mount namespace, a fresh /sys, the\n"
         "binds of /etc/netns/NAME), in every named one (--all, or -all before\n"
         "the command: one after the other, each after a line \"netns: NAME\"),\n"
         "or the namespace of a process, of a file or of a Docker container.\n"
         "Exits with CMD's status (127: CMD not found, 126: it cannot be run,\n"
         "255: the namespace cannot be entered).",
         takes_all | takes_target | stops_at_operand, 0},
        {"monitor", cmd_monitor, "",
         "Print names as they are added and deleted, until SIGINT or SIGTERM.", 0, 0},
        {"attach", cmd_attach, "NEWNAME PID",
         "Name the network namespace of process PID as NEWNAME.", 0, 2},
        {"version", cmd_version, "", "Print the versions of netns and of libnetns.", 0, 0},
    };
    return table;
}

const Command *find_command(std::string_view word)
{
    // ip tries list, show and lst before list-id.
    if (is_prefix(word, "show") || is_prefix(word, "lst"))
        return &commands()[0];
    for (const Command &c : commands())
        if (is_prefix(word, c.word))
            return &c;
    return nullptr;
}

const std::vector<LongOption> &long_options()
{
    static const std::vector<LongOption> table = {
        {"json", LongOpt::json, 'j', nullptr, 0, "print JSON (-j, -p, -q: after the operands)"},
        {"pretty", LongOpt::pretty, 'p', nullptr, 0, "indent the JSON"},
        {"quiet", LongOpt::quiet, 'q', nullptr, 0, "no messages on stderr"},
        {"all", LongOpt::all, 0, nullptr, takes_all, "every named namespace"},
        {"pid", LongOpt::pid, 0, "PID", takes_target, "the network namespace of process PID"},
        {"path", LongOpt::path, 0, "FILE", takes_target,
         "the network namespace that FILE is (or is bound to)"},
        {"docker", LongOpt::docker, 0, "ID", takes_target,
         "the network namespace of Docker container ID"},
        {"run-dir", LongOpt::run_dir, 0, "DIR", 0, "the run directory"},
        {"rootless", LongOpt::rootless, 0, nullptr, 0, "use your own rootless namespaces"},
        {"help", LongOpt::help, 0, nullptr, 0, "this help"},
    };
    return table;
}

// Before the command: ip's spellings (any abbreviation ip takes works too)
// and the tool's own.
const std::vector<GlobalHelp> &global_help()
{
    static const std::vector<GlobalHelp> table = {
        {"-j, -json, --json", "print JSON (monitor: one object per line)"},
        {"-p, -pretty, --pretty", "indent the JSON as ip -p does"},
        {"-a, -all, --all", "delete and exec: every named namespace"},
        {"-b, -batch FILE", "run the commands of FILE (- for stdin), one a line"},
        {"-force", "with -batch: go on after a failed line"},
        {"-n, -netns NAME", "run the command inside the named namespace NAME"},
        {"-q, --quiet", "no messages on stderr; the exit status tells"},
        {"--run-dir DIR", "the run directory (default: the library's)"},
        {"--rootless", "rootless namespaces of your own (see below)"},
        {"-h, -help, --help", "this help"},
        {"-V, -Version, --version", "the version (the rest of the line is not read)"},
    };
    return table;
}

} // namespace cli
