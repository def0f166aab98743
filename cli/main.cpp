// SPDX-License-Identifier: Apache-2.0
//
// netns(8): the entry point. The command line as iproute2's `ip netns`
// reads it (ip's global options with ip's abbreviations, ip's prefix
// matching of command words, operands that start with '-'), the tool's own
// long options, the command table, and -b/-batch files.
#include "cli.hpp"
#include "rootless.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace cli {

Options &options()
{
    static Options o;
    return o;
}

namespace {

bool usage_flag = false;

void vmessage(const char *fmt, va_list ap)
{
    if (options().quiet)
        return;
    std::vfprintf(stderr, fmt, ap);
    std::fputc('\n', stderr);
}

} // namespace

int error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    return exit_failure;
}

int error_status(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    return status;
}

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    usage_flag = true;
    return exit_usage;
}

bool usage_failed() { return usage_flag; }
void clear_usage_failed() { usage_flag = false; }

const char *why(int rc) { return std::strerror(rc < 0 ? -rc : rc); }

const std::string &run_dir()
{
    std::string &dir = options().run_dir;
    if (dir.empty()) {
        char buf[PATH_MAX];
        int n = netns_run_dir(buf, sizeof buf);
        if (n > 0 && static_cast<size_t>(n) < sizeof buf)
            dir.assign(buf, static_cast<size_t>(n));
    }
    return dir;
}

std::string entry_path(std::string_view name)
{
    std::string path = run_dir();
    path += '/';
    path += name;
    return path;
}

static bool parse_long(const char *text, int base, long min, long max, long *out)
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

// For every command line, a batch's too: rootless::prepare decides once
// per process and joins a holder once, but gives each line its run dir,
// and a line that creates may start the holder that an earlier one found
// missing (or that another process started meanwhile).
int prepare(bool create) { return rootless::prepare(create); }

// The table, in ip's order of matching (do_netns): the first command whose
// word starts with what was typed wins, so `l` and `s` are list (show),
// `d` delete, `e` exec, `i` identify, `p` pids, `a` add. `version` is the
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

// ip's matches(): `word` is a non-empty prefix of `full`.
static bool is_prefix(std::string_view word, std::string_view full)
{
    return !word.empty() && word.size() <= full.size() && full.compare(0, word.size(), word) == 0;
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

namespace {

// The long options a command line may have after its command word.
enum LongOpt {
    lo_json,
    lo_quiet,
    lo_run_dir,
    lo_rootless,
    lo_help,
    lo_all,
    lo_pid,
    lo_path,
    lo_docker,
    lo_pretty,
    lo_none
};

struct LongSpec {
    const char *name;
    LongOpt opt;
    bool value;
    unsigned needs; // a command flag, 0 for every command
};

constexpr LongSpec long_after[] = {
    {"json", lo_json, false, 0},           {"pretty", lo_pretty, false, 0},
    {"quiet", lo_quiet, false, 0},         {"run-dir", lo_run_dir, true, 0},
    {"rootless", lo_rootless, false, 0},   {"help", lo_help, false, 0},
    {"all", lo_all, false, takes_all},     {"pid", lo_pid, true, takes_target},
    {"path", lo_path, true, takes_target}, {"docker", lo_docker, true, takes_target},
};

// --run-dir DIR: the library reads $NETNS_RUN_DIR, and so does a command
// that `exec` starts (another netns, ip-netns-aware tools).
bool set_run_dir(const char *dir)
{
    if (dir == nullptr || *dir == '\0') {
        usage_error("Invalid run directory \"\"");
        return false;
    }
    setenv("NETNS_RUN_DIR", dir, 1);
    options().run_dir = dir;
    options().run_dir_given = true;
    options().run_dir_flag = true;
    return true;
}

// Reads a `--name[=value]` word (argv[*i]) against `specs`; returns the
// option (lo_none after a usage error) and its value.
LongOpt long_option(char **argv, int argc, int *i, unsigned flags, const char **value,
                    const char *command)
{
    std::string_view word = argv[*i] + 2;
    std::string_view name = word.substr(0, word.find('='));
    bool has_eq = name.size() != word.size();
    for (const LongSpec &s : long_after) {
        if (name != s.name || (s.needs != 0 && (flags & s.needs) == 0))
            continue;
        if (!s.value) {
            if (has_eq) {
                usage_error("Option \"--%s\" takes no value.", s.name);
                return lo_none;
            }
            return s.opt;
        }
        if (has_eq) {
            *value = argv[*i] + 2 + name.size() + 1;
        } else if (*i + 1 < argc) {
            *value = argv[++*i];
        } else {
            usage_error("Option \"--%s\" needs a value.", s.name);
            return lo_none;
        }
        return s.opt;
    }
    usage_error("Option \"%s\" is unknown, try \"netns help %s\".", argv[*i], command);
    return lo_none;
}

// Runs one command line: words[0] is the command word (none: list).
// Returns the exit status; usage_failed() tells a line ip would end with
// exit(-1).
int run_words(int argc, char **argv)
{
    static char list_word[] = "list";
    static char *list_words[] = {list_word, nullptr};
    if (argc == 0) {
        argc = 1;
        argv = list_words;
    }
    // ip checks the first word after the command word as a name, whatever
    // the command, unless -all.
    if (!options().all && argc > 1 && netns_check_name(argv[1]) != 0)
        return invalid_name(argv[1]);
    const Command *command = find_command(argv[0]);
    if (command == nullptr)
        return usage_error("Command \"%s\" is unknown, try \"netns help\".", argv[0]);

    Line line;
    line.word = command->word;
    bool options_done = false;
    for (int i = 1; i < argc; ++i) {
        char *w = argv[i];
        bool is_long = !options_done && w[0] == '-' && w[1] == '-';
        if (is_long && w[2] == '\0') {
            options_done = true;
            continue;
        }
        bool is_short = !options_done && !(command->flags & stops_at_operand) &&
                        line.operands.size() >= command->short_after && w[0] == '-' &&
                        (w[1] == 'j' || w[1] == 'p' || w[1] == 'q') && w[2] == '\0';
        if (is_short) {
            if (w[1] == 'j')
                options().json = true;
            else if (w[1] == 'p')
                options().pretty = true;
            else
                options().quiet = true;
            continue;
        }
        if (!is_long) {
            if (command->flags & stops_at_operand) {
                // exec: [NAME] CMD [ARG...], CMD's words untouched.
                if (line.target == 0 && !line.all && !options().all) {
                    line.operands.push_back(w);
                    ++i;
                }
                line.command = argv + i;
                break;
            }
            line.operands.push_back(w);
            continue;
        }
        const char *value = nullptr;
        LongOpt opt = long_option(argv, argc, &i, command->flags, &value, command->word);
        switch (opt) {
        case lo_json: options().json = true; break;
        case lo_pretty: options().pretty = true; break;
        case lo_quiet: options().quiet = true; break;
        case lo_run_dir:
            if (!set_run_dir(value))
                return exit_usage;
            break;
        case lo_rootless: options().rootless = true; break;
        case lo_help: print_command_usage(stdout, *command); return exit_ok;
        case lo_all: line.all = true; break;
        case lo_pid:
        case lo_path:
        case lo_docker:
            if (line.target != 0)
                return usage_error("Only one of NAME, --pid, --path and --docker");
            line.target = opt == lo_pid ? opt_pid : opt == lo_path ? opt_path : opt_docker;
            line.target_value = value;
            break;
        case lo_none: return exit_usage;
        }
    }
    if ((command->flags & stops_at_operand) && line.command == nullptr)
        line.command = argv + argc; // no CMD: the NULL at the end
    if (options().all && (command->flags & takes_all))
        line.all = true;
    return command->run(line);
}

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

// ip's makeargs(): words split at blanks, a word that starts with a quote
// runs to the same quote.
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

// -b FILE: each line a command of `ip -b FILE` syntax, with or without
// ip's object word (`netns add x` or `add x`); `#` starts a comment, a
// backslash at the end of a line continues it. A failed line prints
// "Command failed FILE:LINE" and ends the batch (status 1) unless -force;
// a line that ip would end with exit(-1) (bad name, unknown command, bad
// option value) ends it with 255 even with -force, as in ip.
int batch(const char *name)
{
    FILE *in = stdin;
    if (std::strcmp(name, "-") != 0) {
        in = std::fopen(name, "re");
        if (in == nullptr)
            return error("Cannot open file \"%s\" for reading: %s", name, why(errno));
    }
    options().in_batch = true;
    const Options saved = options();
    // A line's --run-dir is the line's: the environment goes back too.
    const char *env_dir = std::getenv("NETNS_RUN_DIR");
    const std::string saved_env = env_dir != nullptr ? env_dir : "";
    const bool had_env = env_dir != nullptr;
    char *buf = nullptr;
    size_t cap = 0;
    int lineno = 0, status = exit_ok;
    std::string line;
    std::vector<char *> words;
    for (;;) {
        ssize_t n = getline(&buf, &cap, in);
        if (n < 0)
            break;
        ++lineno;
        line.assign(buf, static_cast<size_t>(n));
        for (;;) {
            if (size_t hash = line.find('#'); hash != std::string::npos)
                line.erase(hash);
            size_t bs = line.find("\\\n");
            if (bs == std::string::npos)
                break;
            line.erase(bs);
            n = getline(&buf, &cap, in);
            if (n < 0) {
                error("Missing continuation line");
                break;
            }
            ++lineno;
            line.append(buf, static_cast<size_t>(n));
        }
        std::vector<char> text(line.begin(), line.end());
        text.push_back('\0');
        if (!split_line(text.data(), &words)) {
            std::free(buf);
            return error("Unterminated quoted string");
        }
        if (words.empty())
            continue;
        // ip's object word: "net", "netn", "netns" are netns to ip.
        size_t first = 0;
        if (std::string_view w = words[0]; w.size() >= 3 && is_prefix(w, "netns"))
            first = 1;
        words.push_back(nullptr);
        clear_usage_failed();
        int rc = run_words(static_cast<int>(words.size() - 1 - first), words.data() + first);
        std::fflush(stdout);
        if (usage_failed()) {
            status = rc;
            break;
        }
        options() = saved;
        if (had_env)
            setenv("NETNS_RUN_DIR", saved_env.c_str(), 1);
        else
            unsetenv("NETNS_RUN_DIR");
        if (rc != exit_ok) {
            error("Command failed %s:%d", name, lineno);
            status = exit_failure;
            if (!saved.force)
                break;
        }
    }
    std::free(buf);
    if (in != stdin)
        std::fclose(in);
    return status;
}

} // namespace

} // namespace cli

int main(int argc, char **argv)
{
    using namespace cli;
    Options &o = options();
    // For rootless's decision only (the run dir itself is the library's).
    if (const char *dir = std::getenv("NETNS_RUN_DIR"); dir != nullptr && *dir != '\0')
        o.run_dir_given = true;

    const char *batch_file = nullptr;
    bool version = false;
    int i = 1;
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
            return exit_ok;
        }
        if (std::strcmp(w, "-V") == 0 || std::strcmp(w, "--version") == 0) {
            version = true;
            break; // as ip: the rest of the line is not read
        }
        if (std::strcmp(w, "--rootless") == 0) {
            o.rootless = true;
            continue;
        }
        if (std::strncmp(w, "--run-dir", 9) == 0 && (w[9] == '\0' || w[9] == '=')) {
            const char *dir = w[9] == '=' ? w + 10 : (i + 1 < argc ? argv[++i] : nullptr);
            if (dir == nullptr)
                return usage_error("Option \"--run-dir\" needs a value.");
            if (!set_run_dir(dir))
                return exit_usage;
            continue;
        }
        // ip's family options: nothing `ip netns` prints depends on them.
        if (std::strcmp(w, "-4") == 0 || std::strcmp(w, "-6") == 0 || std::strcmp(w, "-0") == 0 ||
            std::strcmp(w, "-M") == 0 || std::strcmp(w, "-B") == 0)
            continue;
        // ip's: "--x" is "-x", and a word is the first option it abbreviates.
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
        const GlobalSpec *spec = nullptr;
        for (const GlobalSpec &g : ip_globals) {
            if (opt.size() > 1 && is_prefix(opt, g.name)) {
                spec = &g;
                break;
            }
        }
        if (spec == nullptr) // ip's words, the word without a second '-' as ip has it
            return usage_error("Option \"%s\" is unknown, try \"netns -help\".",
                               w[1] == '-' ? w + 1 : w);
        switch (spec->opt) {
        case g_json: o.json = true; break;
        case g_pretty: o.pretty = true; break;
        case g_all: o.all = true; break;
        case g_force: o.force = true; break;
        case g_help: print_usage(stdout); return exit_ok;
        case g_netns:
            // ip's -netns NAME: the rest runs inside NAME, entered as
            // `ip netns exec` enters it (ip's netns_switch).
            if (i + 1 >= argc)
                return usage_error("Command line is not complete. Try option \"help\"");
            if (int rc = netns_enter_named(argv[i + 1]); rc < 0)
                return enter_failed(argv[i + 1], rc);
            ++i;
            break;
        case g_version: version = true; break;
        case g_batch:
            if (i + 1 >= argc)
                return usage_error("Option \"%s\" needs a value.", w);
            batch_file = argv[++i];
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
        default:
            return usage_error("Option \"%s\" (ip's \"%s\") is not supported by netns.", w,
                               spec->name);
        }
        if (version)
            break;
    }
    if (version) {
        Line line;
        return cmd_version(line);
    }

    int rc;
    if (batch_file != nullptr) {
        if (i < argc)
            return error("extra arguments specified");
        rc = batch(batch_file);
    } else {
        rc = run_words(argc - i, argv + i);
    }
    std::fflush(stdout);
    if (std::ferror(stdout) && rc == exit_ok) // (never "Success")
        return error("Cannot write the output: %s", std::strerror(errno != 0 ? errno : EIO));
    return rc;
}
