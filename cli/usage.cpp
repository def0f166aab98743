// SPDX-License-Identifier: Apache-2.0
//
// netns help: printed from the command and option table (table.cpp), so
// dispatch, help and the completions that read this output agree. The
// format is fixed (completion, the man page check and tests parse it): a
// "Commands:" block of "  netns WORD ..." lines in ip's order, and option
// lines that start with two blanks and the option's spellings. Every line
// fits 80 columns. netns(8) says the same at length.
#include "cli.hpp"

#include <cstdio>
#include <string>

namespace cli {

namespace {

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

void print_option(FILE *out, const char *spellings, const char *text)
{
    std::fprintf(out, "  %-24s %s\n", spellings, text);
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
    for (const GlobalHelp &o : global_help())
        print_option(out, o.spellings, o.text);
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
    // exec's words after the option are NAME and CMD's: long ones only.
    bool long_only = (c.flags & stops_at_operand) != 0;
    for (const LongOption &o : long_options()) {
        if (o.needs != 0 && (c.flags & o.needs) == 0)
            continue;
        std::string spellings;
        if (o.short_name != 0 && !long_only)
            spellings = std::string{'-', o.short_name, ',', ' '};
        spellings += "--";
        spellings += o.name;
        if (o.metavar != nullptr) {
            spellings += ' ';
            spellings += o.metavar;
        }
        const char *text = o.text;
        if (long_only && o.opt == LongOpt::json)
            text = "print JSON"; // (-j, -p, -q: not after exec's word)
        print_option(out, spellings.c_str(), text);
    }
}

} // namespace cli
