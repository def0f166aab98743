// SPDX-License-Identifier: Apache-2.0
//
// What the parts of the netns tool share: the options, the one way a
// command fails, the messages, the command line of one command, the
// command table and the commands. The tool is a client of libnetns's
// public API only (netns/netns.hpp over the C ABI).
#ifndef NETNS_CLI_CLI_HPP
#define NETNS_CLI_CLI_HPP

#include <netns/netns.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace cli {

// Exit codes, as iproute2's `ip netns` uses them (and a shell, for exec).
constexpr int exit_ok = 0;
constexpr int exit_failure = 1; // ip: a command that failed, a missing operand
constexpr int exit_netlink = 2; // ip: the kernel refused a netlink request (set, list-id nsid)
constexpr int exit_usage = 255; // ip: exit(-1): bad command line, bad name, exec's namespace
constexpr int exit_not_executable = 126;
constexpr int exit_not_found = 127;

struct Options {
    bool json = false;
    bool pretty = false;
    bool quiet = false;
    bool all = false;           // ip's -all (global): delete and exec
    bool force = false;         // ip's -force: a batch goes on after a failed line
    bool rootless = false;      // --rootless, or decided at start
    bool run_dir_given = false; // --run-dir or $NETNS_RUN_DIR (rootless's decision)
    bool run_dir_flag = false;  // --run-dir
    std::string run_dir;        // what messages show; empty: ask the library
    bool in_batch = false;      // exec forks instead of replacing the tool
};

Options &options();

// --- Failing (messages.cpp) ---------------------------------------------------
//
// The one way anything in the tool fails: it says why on stderr (unless
// -q) where the failure is found, and throws Failure with the exit status.
// exit_status_of() (below) is the one place that turns a Failure into
// the status (of the tool, of a batch line, of a forked exec child).
// Commands return exit_ok, or the status of failures they went on after
// (delete of several names, each said with say()).
struct Failure {
    int status;
    bool ends_batch = false; // ip's exit(-1): a batch stops, even with -force
};

// Runs f() and returns its exit status, or the status of the Failure it
// threw (`ends_batch`: whether that was a bad command line): the one place
// where a failure becomes an exit status, used by main() for the tool and
// for each line of a batch, and by a forked exec child. A
// std::system_error that no command turned into a message of its own
// (none should get here) is said as its C function and error; status 1.
template <typename F> int exit_status_of(F &&f, bool *ends_batch = nullptr);

// A message on stderr, unless -q.
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// say(), then Failure: exit_failure, the status given, or exit_usage for a
// bad command line (which ends a batch).
[[noreturn]] void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void fail_with(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
[[noreturn]] void usage_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// The error text of a negative errno from the C API, and the negative
// errno of a std::system_error that netns.hpp threw.
const char *why(int rc);
inline int rc_of(const std::system_error &e) { return -e.code().value(); }

// The run directory (the library's, or rootless's) and `<run dir>/<name>`,
// for messages.
const std::string &run_dir();
std::string entry_path(std::string_view name);

// The messages several commands share, each in ip's words where ip has
// them: a bad name (255, ends a batch), a stale entry (`status`), a run dir
// that cannot be listed (1), ip's usage of `ip netns` (for a bad list-id;
// 255), netns_enter_named()'s failure as ip's netns_switch says it (255),
// and a command that could not be executed (a shell's 127 or 126, else 1).
[[noreturn]] void invalid_name(const char *name);
[[noreturn]] void not_a_namespace(const char *name, int status);
[[noreturn]] void list_failed(int rc);
[[noreturn]] void ip_usage();
[[noreturn]] void enter_failed(const char *name, int rc);
[[noreturn]] void exec_failed(const char *file, int err);

template <typename F> int exit_status_of(F &&f, bool *ends_batch)
{
    try {
        return f();
    } catch (const Failure &e) {
        if (ends_batch != nullptr)
            *ends_batch = e.ends_batch;
        return e.status;
    } catch (const std::system_error &e) {
        say("%s", e.what());
        return exit_failure;
    }
}

// --- The command line (args.cpp) -------------------------------------------

// One command's line after its word: the operands (words that are not the
// tool's long options; all words after "--"), and the long options seen.
struct Line {
    std::vector<char *> operands;
    bool all = false; // --all (delete, exec)
    int target = 0;   // exec: 0 NAME, else opt_pid/opt_path/opt_docker
    const char *target_value = nullptr;
    char **command = nullptr;   // exec: CMD [ARG...] (NULL-terminated)
    const char *word = nullptr; // the command's full word, for messages
};

enum : int { opt_pid = 1, opt_path, opt_docker };

struct Command;

// The global options before the command (ip's, with ip's abbreviations,
// and the tool's own) into options(); -h prints the help. What main does
// next.
struct Globals {
    int first = 1;                    // argv[first]: the command word
    bool done = false;                // -h: nothing more to do
    bool version = false;             // -V: the version, the rest unread
    const char *batch_file = nullptr; // -b FILE
};
Globals parse_globals(int argc, char **argv);

// The words after `command`'s word (argv[1..argc)) into a Line; the tool's
// long options into options(). False when --help printed the command's
// help (nothing more to do).
bool parse_line(const Command &command, int argc, char **argv, Line *line);

// ip's makeargs(): a batch line split into words at blanks, a word that
// starts with a quote running to the same quote (false: unterminated).
bool split_line(char *line, std::vector<char *> *words);

// The library's name rule (netns::check_name); invalid_name() when the
// name breaks it.
void check_name(const char *name);

// Parses a pid (1..INT_MAX, digits only) or an integer as ip's
// get_integer() reads it (strtol base 0, within int); false when not one.
bool parse_pid(const char *text, int *pid);
bool parse_integer(const char *text, int *value);

// ip's matches(): `word` is a non-empty prefix of `full`.
bool is_prefix(std::string_view word, std::string_view full);

// --- The command and option table (table.cpp) --------------------------------
//
// The one list of the tool's commands and options: dispatch, parsing,
// `netns help` (usage.cpp) and through it the completion, the man page
// check and the tests read it.

enum : unsigned {
    takes_all = 1u << 0,        // --all after the word
    takes_target = 1u << 1,     // --pid/--path/--docker after the word
    stops_at_operand = 1u << 2, // options only before the first operand (exec)
};

struct Command {
    const char *word;
    int (*run)(Line &line);
    const char *synopsis; // after "netns WORD", may be empty
    const char *text;     // what it does (help), lines <= 78 columns
    unsigned flags;
    // After this many operands, -j, -p and -q are options again (0.4's
    // `netns list -j`): where ip has no operand left, or only a PID, which
    // never starts with '-'.
    size_t short_after;
};

// The commands in ip's order of matching, and the lookup with ip's prefix
// rule (`l` is list, `s` is show = list, `d` is delete...).
const std::vector<Command> &commands();
const Command *find_command(std::string_view word);

// The long options after a command word (long only: a word with one '-'
// there is an operand, as in ip), in the order help lists them.
enum class LongOpt { json, pretty, quiet, all, pid, path, docker, run_dir, rootless, help };

struct LongOption {
    const char *name;    // --NAME
    LongOpt opt;         //
    char short_name;     // -X too once the operands are complete; 0: none
    const char *metavar; // takes a value (--NAME VALUE, --NAME=VALUE); nullptr: none
    unsigned needs;      // a command flag; 0: every command
    const char *text;    // help
};
const std::vector<LongOption> &long_options();

// The global options as help lists them (the parser, args.cpp, takes ip's
// whole set by ip's rules: ip's abbreviations, its options that change
// nothing `ip netns` prints).
struct GlobalHelp {
    const char *spellings;
    const char *text;
};
const std::vector<GlobalHelp> &global_help();

// Help (usage.cpp): the whole usage, or one command's.
void print_usage(FILE *out);
void print_command_usage(FILE *out, const Command &command);

// --- The commands --------------------------------------------------------------
// Each returns an exit status, or throws Failure.

int cmd_list(Line &line);     // commands.cpp
int cmd_help(Line &line);     //
int cmd_add(Line &line);      //
int cmd_del(Line &line);      //
int cmd_identify(Line &line); //
int cmd_pids(Line &line);     //
int cmd_attach(Line &line);   //
int cmd_version(Line &line);  //
int cmd_list_id(Line &line);  // nsid.cpp
int cmd_set(Line &line);      //
int cmd_exec(Line &line);     // exec.cpp
int cmd_monitor(Line &line);  // monitor.cpp

// What the commands share (commands.cpp).

// ip ignores what follows its operands; the tool refuses it (a typo must
// not act on something else), with ip's words for pids and identify.
void no_extra(const Line &line, size_t max);
// Rootless preparation, once per process (a batch runs many lines).
void prepare(bool create);
// Opens a name (pids, set), with ip's messages (pids: ip's names no name).
netns::Handle open_name(const char *name, int stale_status, bool ip_names_it = true);
// Every entry of the run dir as ip reads it (stale files and directories
// too, which netns_list() leaves out), sorted; list_failed() when it
// cannot be read.
std::vector<std::string> list_entries();
// Every entry with its id (-1: none), sorted by name.
struct NamedId {
    std::string name;
    int id;
};
std::vector<NamedId> names_with_ids();

// --- JSON output (json.cpp) -------------------------------------------------
// Strings as UTF-8, every byte that is not part of valid UTF-8 as "\udcXX"
// (XX the byte: Python's "surrogateescape"), so that any name is
// represented and can be told from every other.
struct JsonField {
    const char *key;
    std::string_view text; // used when !number
    long long value = 0;
    bool number = false;
};
using JsonObject = std::vector<JsonField>;
void json_string(std::string &out, std::string_view text);
// An array of objects as ip prints it (compact, or ip's -p layout).
void print_json_objects(const std::vector<JsonObject> &objects, bool pretty);
// An array of numbers, and a single object.
void print_json_numbers(const std::vector<long long> &numbers, bool pretty);
void print_json_object(const JsonObject &object, bool pretty);
// One compact object on one line (monitor).
std::string json_line(const JsonObject &object);

} // namespace cli

#endif
