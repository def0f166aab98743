// SPDX-License-Identifier: Apache-2.0
//
// netns help: generated from the command table (main.cpp), so dispatch,
// help and the completions that read this output agree. The format is
// fixed (completion and tests parse it): a "Commands:" block of
// "  netns WORD ..." lines in ip's order, and option lines that start with
// two blanks and the option's spellings. Every line fits 80 columns.
// netns(8) says the same at length.
#include "cli.hpp"

#include <cstdio>

namespace cli {

namespace {

struct OptionHelp {
    const char *spellings;
    const char *text;
    unsigned needs; // a command flag; 0: every command
};

// Before the command: ip's spellings (any abbreviation ip takes works too)
// and the tool's own.
constexpr OptionHelp global_options[] = {
    {"-j, -json, --json", "print JSON (monitor: one object per line)", 0},
    {"-p, -pretty, --pretty", "indent the JSON as ip -p does", 0},
    {"-a, -all, --all", "delete and exec: every named namespace", 0},
    {"-b, -batch FILE", "run the commands of FILE (- for stdin), one a line", 0},
    {"-force", "with -batch: go on after a failed line", 0},
    {"-n, -netns NAME", "run the command inside the named namespace NAME", 0},
    {"-q, --quiet", "no messages on stderr; the exit status tells", 0},
    {"--run-dir DIR", "the run directory (default: the library's)", 0},
    {"--rootless", "rootless namespaces of your own (see below)", 0},
    {"-h, -help, --help", "this help", 0},
    {"-V, -Version, --version", "the version (the rest of the line is not read)", 0},
};

// After the command word: long options only (a word with one '-' there is
// an operand, as in ip: `netns add -x` makes "-x").
constexpr OptionHelp command_options[] = {
    {"-j, --json", "print JSON (-j, -p, -q: after the operands)", 0},
    {"-p, --pretty", "indent the JSON", 0},
    {"-q, --quiet", "no messages on stderr", 0},
    {"--all", "every named namespace", takes_all},
    {"--pid PID", "the network namespace of process PID", takes_target},
    {"--path FILE", "the network namespace that FILE is (or is bound to)", takes_target},
    {"--docker ID", "the network namespace of Docker container ID", takes_target},
    {"--run-dir DIR", "the run directory", 0},
    {"--rootless", "use your own rootless namespaces", 0},
    {"--help", "this help", 0},
};

constexpr const char rootless_text[] =
    "Rootless (an ordinary user): names live in RUNTIME/netns inside a user and mount\n"
    "namespace of your own, kept by one \"netns-holder\" process (started by add,\n"
    "stopped when the last name is deleted). RUNTIME is $XDG_RUNTIME_DIR, else\n"
    "/run/user/UID when it is yours with mode 0700, else $TMPDIR/netns-UID (/tmp).\n"
    "add, del, list, exec NAME, pids, identify, list-id and monitor work on your\n"
    "names; exec --pid/--path/--docker and attach only on namespaces your user\n"
    "namespace may enter; set does not work (it needs CAP_NET_ADMIN over the\n"
    "host's namespace). `ip netns` does not see the names. See netns(8).\n";

constexpr const char exit_text[] =
    "Exit status, as ip's: 0 success, 1 failure, 2 refused by the kernel (set,\n"
    "list-id), 255 bad command line or name; exec: CMD's (see netns help exec).\n";

void print_option(FILE *out, const OptionHelp &o)
{
    std::fprintf(out, "  %-24s %s\n", o.spellings, o.text);
}

} // namespace

void print_usage(FILE *out)
{
    std::fputs("Usage: netns [OPTIONS] [COMMAND [ARGS...]]\n"
               "       netns [OPTIONS] -batch FILE\n"
               "\nCommands (ip's abbreviations work; no command: list):\n",
               out);
    for (const Command &c : commands())
        std::fprintf(out, "  netns %s%s%s\n", c.word, *c.synopsis ? " " : "", c.synopsis);
    std::fputs("\nOptions before the command:\n", out);
    for (const OptionHelp &o : global_options)
        print_option(out, o);
    std::fputs("\nAfter the command word: long options (netns help COMMAND lists them),\n"
               "and -- ends them; a word with one '-' is an operand (netns add -x makes\n"
               "\"-x\"), except -j, -p and -q once the operands are complete (list -j).\n",
               out);
    std::fprintf(out, "\n%s\n%s", rootless_text, exit_text);
}

void print_command_usage(FILE *out, const Command &c)
{
    std::fprintf(out, "Usage: netns %s%s%s\n\n%s\n\nOptions after \"%s\":\n", c.word,
                 *c.synopsis ? " " : "", c.synopsis, c.text, c.word);
    for (const OptionHelp &o : command_options) {
        if (o.needs != 0 && (c.flags & o.needs) == 0)
            continue;
        // exec's words after the option are NAME and CMD's: long ones only.
        if ((c.flags & stops_at_operand) && o.spellings[1] != '-') {
            OptionHelp l = o;
            l.spellings += 4; // "-j, --json" -> "--json"
            l.text = o.spellings[1] == 'j' ? "print JSON" : o.text;
            print_option(out, l);
            continue;
        }
        print_option(out, o);
    }
}

} // namespace cli
