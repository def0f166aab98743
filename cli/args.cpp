// SPDX-License-Identifier: Apache-2.0
//
// The command line as iproute2's `ip netns` reads it: ip's global options
// with ip's abbreviations, ip's prefix matching of words, operands that
// start with '-', ip's batch line syntax; and the tool's own long options
// (table.cpp lists them). Every parse error is a usage_fail().
#include "cli.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace cli {

Options &options()
{
    static Options o;
    return o;
}

bool is_prefix(std::string_view word, std::string_view full)
{
    return !word.empty() && word.size() <= full.size() && full.compare(0, word.size(), word) == 0;
}

void check_name(const char *name)
{
    try {
        netns::check_name(name);
    } catch (const std::system_error &) {
        invalid_name(name);
    }
}

namespace {

bool parse_long(const char *text, int base, long min, long max, long *out)
{
    if (text == nullptr || *text == '\0')
        return false;
    errno = 0;
    char *end = nullptr;
    long v = std::strtol(text, &end, base);
    if (end == text || *end != '\0' || errno == ERANGE || v < min || v > max)
        return false;
    *out = v;
    return true;
}

} // namespace

bool parse_pid(const char *text, int *pid)
{
    // Digits only, as ip's is_pid() wants them.
    for (const char *p = text; *p != '\0'; ++p)
        if (*p < '0' || *p > '9')
            return false;
    long v;
    if (!parse_long(text, 10, 1, INT_MAX, &v))
        return false;
    *pid = static_cast<int>(v);
    return true;
}

bool parse_integer(const char *text, int *value)
{
    long v;
    if (!parse_long(text, 0, INT_MIN, INT_MAX, &v))
        return false;
    *value = static_cast<int>(v);
    return true;
}

namespace {

// --run-dir DIR: the library reads $NETNS_RUN_DIR, and so does a command
// that `exec` starts (another netns, ip-netns-aware tools).
void set_run_dir(const char *dir)
{
    if (dir == nullptr || *dir == '\0')
        usage_fail("Invalid run directory \"\"");
    setenv("NETNS_RUN_DIR", dir, 1);
    options().run_dir = dir;
    options().run_dir_given = true;
    options().run_dir_flag = true;
}

// Reads a `--name[=value]` word (argv[*i]) against the long options that
// `command` takes; returns the option and its value.
const LongOption &long_option(char **argv, int argc, int *i, const Command &command,
                              const char **value)
{
    std::string_view word = argv[*i] + 2;
    std::string_view name = word.substr(0, word.find('='));
    bool has_eq = name.size() != word.size();
    for (const LongOption &o : long_options()) {
        if (name != o.name || (o.needs != 0 && (command.flags & o.needs) == 0))
            continue;
        if (o.metavar == nullptr) {
            if (has_eq)
                usage_fail("Option \"--%s\" takes no value.", o.name);
            return o;
        }
        if (has_eq)
            *value = argv[*i] + 2 + name.size() + 1;
        else if (*i + 1 < argc)
            *value = argv[++*i];
        else
            usage_fail("Option \"--%s\" needs a value.", o.name);
        return o;
    }
    usage_fail("Option \"%s\" is unknown, try \"netns help %s\".", argv[*i], command.word);
}

// -j, -p or -q: where the command's operands are complete.
const LongOption *short_option(const char *w)
{
    if (w[0] != '-' || w[1] == '\0' || w[2] != '\0')
        return nullptr;
    for (const LongOption &o : long_options())
        if (o.short_name != 0 && o.short_name == w[1])
            return &o;
    return nullptr;
}

} // namespace

bool parse_line(const Command &command, int argc, char **argv, Line *line)
{
    line->word = command.word;
    bool options_done = false;
    for (int i = 1; i < argc; ++i) {
        char *w = argv[i];
        bool is_long = !options_done && w[0] == '-' && w[1] == '-';
        if (is_long && w[2] == '\0') {
            options_done = true;
            continue;
        }
        const LongOption *o = nullptr;
        if (!options_done && !(command.flags & stops_at_operand) &&
            line->operands.size() >= command.short_after)
            o = short_option(w);
        const char *value = nullptr;
        if (o == nullptr && is_long)
            o = &long_option(argv, argc, &i, command, &value);
        if (o == nullptr) {
            if (command.flags & stops_at_operand) {
                // exec: [NAME] CMD [ARG...], CMD's words untouched.
                if (line->target == 0 && !line->all && !options().all) {
                    line->operands.push_back(w);
                    ++i;
                }
                line->command = argv + i;
                break;
            }
            line->operands.push_back(w);
            continue;
        }
        switch (o->opt) {
        case LongOpt::json: options().json = true; break;
        case LongOpt::pretty: options().pretty = true; break;
        case LongOpt::quiet: options().quiet = true; break;
        case LongOpt::run_dir: set_run_dir(value); break;
        case LongOpt::rootless: options().rootless = true; break;
        case LongOpt::help: print_command_usage(stdout, command); return false;
        case LongOpt::all: line->all = true; break;
        case LongOpt::pid:
        case LongOpt::path:
        case LongOpt::docker:
            if (line->target != 0)
                usage_fail("Only one of NAME, --pid, --path and --docker");
            line->target = o->opt == LongOpt::pid    ? opt_pid
                           : o->opt == LongOpt::path ? opt_path
                                                     : opt_docker;
            line->target_value = value;
            break;
        }
    }
    if ((command.flags & stops_at_operand) && line->command == nullptr)
        line->command = argv + argc; // no CMD: the NULL at the end
    if (options().all && (command.flags & takes_all))
        line->all = true;
    return true;
}

namespace {

// ip's global options, in the order ip's main() tries them: a word is the
// first one it abbreviates ("-h" is -human, "-b" -batch, "-f" -family).
enum GlobalOpt {
    g_loops,
    g_family,
    g_human,
    g_iec,
    g_stats,
    g_details,
    g_resolve,
    g_oneline,
    g_timestamp,
    g_tshort,
    g_version,
    g_force,
    g_batch,
    g_brief,
    g_json,
    g_pretty,
    g_rcvbuf,
    g_color,
    g_help,
    g_netns,
    g_numeric,
    g_all
};

struct GlobalSpec {
    const char *name;
    GlobalOpt opt;
};

constexpr GlobalSpec ip_globals[] = {
    {"-loops", g_loops},
    {"-family", g_family},
    {"-human", g_human},
    {"-human-readable", g_human},
    {"-iec", g_iec},
    {"-stats", g_stats},
    {"-statistics", g_stats},
    {"-details", g_details},
    {"-resolve", g_resolve},
    {"-oneline", g_oneline},
    {"-timestamp", g_timestamp},
    {"-tshort", g_tshort},
    {"-Version", g_version},
    {"-force", g_force},
    {"-batch", g_batch},
    {"-brief", g_brief},
    {"-json", g_json},
    {"-pretty", g_pretty},
    {"-rcvbuf", g_rcvbuf},
    {"-color", g_color},
    {"-help", g_help},
    {"-netns", g_netns},
    {"-Numeric", g_numeric},
    {"-all", g_all},
};

// The ip global option a word names (ip's: "--x" is "-x", and a word is
// the first option it abbreviates); usage_fail() when none.
const GlobalSpec &ip_global(const char *w)
{
    std::string_view opt = w[1] == '-' ? w + 1 : w;
    // -color[=always|auto|never]: another value is an unknown option.
    if (size_t eq = opt.find('='); eq != std::string_view::npos) {
        std::string_view mode = opt.substr(eq + 1);
        if (is_prefix(opt.substr(0, eq), "-color") &&
            (mode.empty() || mode == "always" || mode == "auto" || mode == "never"))
            opt = opt.substr(0, eq);
        else
            opt = {}; // unknown
    }
    for (const GlobalSpec &g : ip_globals)
        if (opt.size() > 1 && is_prefix(opt, g.name))
            return g;
    // ip's words, the word without a second '-' as ip has it
    usage_fail("Option \"%s\" is unknown, try \"netns -help\".", w[1] == '-' ? w + 1 : w);
}

} // namespace

Globals parse_globals(int argc, char **argv)
{
    Options &o = options();
    // For rootless's decision only (the run dir itself is the library's).
    if (const char *dir = std::getenv("NETNS_RUN_DIR"); dir != nullptr && *dir != '\0')
        o.run_dir_given = true;

    Globals g;
    int &i = g.first;
    for (; i < argc; ++i) {
        const char *w = argv[i];
        if (std::strcmp(w, "--") == 0) {
            ++i;
            break;
        }
        if (w[0] != '-')
            break;
        // The tool's own options first.
        if (std::strcmp(w, "-q") == 0 || std::strcmp(w, "--quiet") == 0) {
            o.quiet = true;
            continue;
        }
        if (std::strcmp(w, "-h") == 0 || std::strcmp(w, "--help") == 0) {
            print_usage(stdout);
            g.done = true;
            return g;
        }
        if (std::strcmp(w, "-V") == 0 || std::strcmp(w, "--version") == 0) {
            g.version = true;
            return g; // as ip: the rest of the line is not read
        }
        if (std::strcmp(w, "--rootless") == 0) {
            o.rootless = true;
            continue;
        }
        if (std::strncmp(w, "--run-dir", 9) == 0 && (w[9] == '\0' || w[9] == '=')) {
            const char *dir = w[9] == '=' ? w + 10 : (i + 1 < argc ? argv[++i] : nullptr);
            if (dir == nullptr)
                usage_fail("Option \"--run-dir\" needs a value.");
            set_run_dir(dir);
            continue;
        }
        // ip's family options: nothing `ip netns` prints depends on them.
        if (std::strcmp(w, "-4") == 0 || std::strcmp(w, "-6") == 0 || std::strcmp(w, "-0") == 0 ||
            std::strcmp(w, "-M") == 0 || std::strcmp(w, "-B") == 0)
            continue;
        const GlobalSpec &spec = ip_global(w);
        switch (spec.opt) {
        case g_json: o.json = true; break;
        case g_pretty: o.pretty = true; break;
        case g_all: o.all = true; break;
        case g_force: o.force = true; break;
        case g_help:
            print_usage(stdout);
            g.done = true;
            return g;
        case g_netns:
            // ip's -netns NAME: the rest runs inside NAME, entered as
            // `ip netns exec` enters it (ip's netns_switch).
            if (i + 1 >= argc)
                usage_fail("Command line is not complete. Try option \"help\"");
            try {
                netns::enter_named(argv[i + 1]);
            } catch (const std::system_error &e) {
                enter_failed(argv[i + 1], rc_of(e));
            }
            ++i;
            break;
        case g_version: g.version = true; return g;
        case g_batch:
            if (i + 1 >= argc)
                usage_fail("Option \"%s\" needs a value.", w);
            g.batch_file = argv[++i];
            break;
        // ip's options that change nothing `ip netns` prints.
        case g_human:
        case g_iec:
        case g_stats:
        case g_details:
        case g_resolve:
        case g_oneline:
        case g_timestamp:
        case g_tshort:
        case g_brief:
        case g_numeric:
        case g_color: break;
        default: usage_fail("Option \"%s\" (ip's \"%s\") is not supported by netns.", w, spec.name);
        }
    }
    return g;
}

bool split_line(char *line, std::vector<char *> *words)
{
    static const char ws[] = " \t\r\n";
    char *cp = line;
    words->clear();
    while (*cp != '\0') {
        cp += std::strspn(cp, ws);
        if (*cp == '\0')
            break;
        if (*cp == '\'' || *cp == '"') {
            char quote = *cp++;
            words->push_back(cp);
            cp = std::strchr(cp, quote);
            if (cp == nullptr)
                return false;
        } else {
            words->push_back(cp);
            cp += std::strcspn(cp, ws);
            if (*cp == '\0')
                break;
        }
        *cp++ = '\0';
    }
    return true;
}

} // namespace cli
