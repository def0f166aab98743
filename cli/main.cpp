// SPDX-License-Identifier: Apache-2.0
//
// netns(8): the entry point. Global options, the rootless decision, then
// the command; each command parses the rest of its line itself.
#include "cli.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <getopt.h>

namespace cli {

Options &options()
{
    static Options o;
    return o;
}

static void vmessage(const char *fmt, va_list ap)
{
    if (options().quiet)
        return;
    std::vfprintf(stderr, fmt, ap);
    std::fputc('\n', stderr);
}

int error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    return exit_failure;
}

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    return exit_usage;
}

const char *why(int rc) { return std::strerror(rc < 0 ? -rc : rc); }

std::string entry_path(std::string_view name)
{
    std::string path = options().run_dir;
    path += '/';
    path += name;
    return path;
}

static bool parse_int(const char *text, int min, int *out)
{
    if (text == nullptr || *text < '0' || *text > '9')
        return false;
    errno = 0;
    char *end = nullptr;
    long v = std::strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > INT_MAX)
        return false;
    *out = static_cast<int>(v);
    return true;
}

bool parse_pid(const char *text, int *pid) { return parse_int(text, 1, pid); }
bool parse_nsid(const char *text, int *id) { return parse_int(text, 0, id); }

namespace {

enum : int { opt_run_dir = 1000, opt_rootless };

constexpr const char *global_short = "jqhV";

constexpr struct option global_long[] = {
    {"json", no_argument, nullptr, 'j'},
    {"quiet", no_argument, nullptr, 'q'},
    {"help", no_argument, nullptr, 'h'},
    {"version", no_argument, nullptr, 'V'},
    {"run-dir", required_argument, nullptr, opt_run_dir},
    {"rootless", no_argument, nullptr, opt_rootless},
    {nullptr, 0, nullptr, 0},
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

// Handles a global option; false on a usage error (printed). -V is only
// valid before the command (main handles it).
bool global_option(int opt, const char *arg)
{
    switch (opt) {
    case 'j': options().json = true; return true;
    case 'q': options().quiet = true; return true;
    case opt_run_dir: return set_run_dir(arg);
    case opt_rootless: options().rootless = true; return true;
    default: return false;
    }
}

struct Command {
    const char *name;
    int (*run)(int argc, char **argv);
};

constexpr Command commands[] = {
    {"list", cmd_list},         {"add", cmd_add},         {"del", cmd_del},
    {"delete", cmd_del},        {"exec", cmd_exec},       {"identify", cmd_identify},
    {"pids", cmd_pids},         {"attach", cmd_attach},   {"set", cmd_set},
    {"list-id", cmd_list_id},   {"monitor", cmd_monitor}, {"version", cmd_version},
    {"help", cmd_help},
};

const Command *find_command(std::string_view word)
{
    for (const Command &c : commands)
        if (word == c.name)
            return &c;
    return nullptr;
}

} // namespace

int parse_options(int argc, char **argv, const char *extra_short,
                  const struct option *extra_long,
                  bool (*on_extra)(int opt, const char *arg, void *ctx), void *ctx,
                  bool stop_at_operand)
{
    std::string shortopts = stop_at_operand ? "+:" : ":";
    shortopts += global_short;
    if (extra_short != nullptr)
        shortopts += extra_short;
    std::basic_string<struct option> longopts;
    for (const struct option *o = global_long; o->name != nullptr; ++o)
        longopts.push_back(*o);
    for (const struct option *o = extra_long; o != nullptr && o->name != nullptr; ++o)
        longopts.push_back(*o);
    longopts.push_back({nullptr, 0, nullptr, 0});

    optind = 0; // glibc: a full reset, for the second parse of the line
    opterr = 0; // our own messages, which -q can silence
    int opt;
    while ((opt = getopt_long(argc, argv, shortopts.c_str(), longopts.data(), nullptr)) != -1) {
        if (opt == '?') {
            if (optopt != 0)
                return usage_error("Unknown option \"-%c\", try \"netns help %s\".", optopt, argv[0]),
                       -1;
            return usage_error("Unknown option \"%s\", try \"netns help %s\".", argv[optind - 1],
                               argv[0]),
                   -1;
        }
        if (opt == ':')
            return usage_error("Option \"%s\" needs a value.", argv[optind - 1]), -1;
        if (opt == 'h') {
            print_command_usage(stdout, argv[0]);
            return -2;
        }
        if (opt == 'V')
            return usage_error("Option \"-V\" goes before the command."), -1;
        if (global_option(opt, optarg))
            continue;
        if (opt == opt_run_dir)
            return -1;
        if (on_extra == nullptr || !on_extra(opt, optarg, ctx))
            return -1;
    }
    return optind;
}

} // namespace cli

int main(int argc, char **argv)
{
    using namespace cli;

    if (const char *dir = std::getenv("NETNS_RUN_DIR"); dir != nullptr && *dir != '\0') {
        options().run_dir = dir;
        options().run_dir_given = true;
    } else {
        options().run_dir = "/run/netns";
    }

    // The global options, up to the command word.
    optind = 0;
    opterr = 0;
    bool version = false;
    int opt;
    std::string shortopts = std::string("+:") + global_short;
    while ((opt = getopt_long(argc, argv, shortopts.c_str(), global_long, nullptr)) != -1) {
        if (opt == '?') {
            if (optopt != 0)
                return usage_error("Unknown option \"-%c\", try \"netns help\".", optopt);
            return usage_error("Unknown option \"%s\", try \"netns help\".", argv[optind - 1]);
        }
        if (opt == ':')
            return usage_error("Option \"%s\" needs a value.", argv[optind - 1]);
        if (opt == 'h') {
            print_usage(stdout);
            return exit_ok;
        }
        if (opt == 'V') {
            version = true;
            continue;
        }
        if (!global_option(opt, optarg))
            return exit_usage;
    }

    int rest = argc - optind;
    char **words = argv + optind;
    static char list_word[] = "list";
    static char version_word[] = "version";
    static char *default_words[] = {list_word, nullptr};
    static char *version_words[] = {version_word, nullptr};
    if (version) {
        if (rest != 0)
            return usage_error("Too many arguments: \"%s\"", words[0]);
        rest = 1;
        words = version_words;
    } else if (rest == 0) {
        // Like `ip netns`: no command lists the names.
        rest = 1;
        words = default_words;
    }

    const Command *command = find_command(words[0]);
    if (command == nullptr)
        return usage_error("Command \"%s\" is unknown, try \"netns help\".", words[0]);

    int rc = command->run(rest, words);
    std::fflush(stdout);
    if (std::ferror(stdout) && rc == exit_ok)
        return error("Cannot write the output: %s", std::strerror(errno));
    return rc;
}
