// SPDX-License-Identifier: Apache-2.0
//
// What the parts of the netns tool share: the options, the messages, the
// command line of one command and the commands. The tool is a client of
// libnetns's public C API only.
#ifndef NETNS_CLI_CLI_HPP
#define NETNS_CLI_CLI_HPP

#include <cstdio>
#include <string>
#include <string_view>
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

// A message on stderr, unless -q. `error` returns exit_failure,
// `error_status` the status given, and `usage_error` exit_usage (and marks
// the line as one that ends a batch, as ip's exit(-1) does).
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int error_status(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool usage_failed(); // since the last clear
void clear_usage_failed();

// The error text of a negative errno from the library.
const char *why(int rc);

// The run directory (the library's, or rootless's) and `<run dir>/<name>`,
// for messages.
const std::string &run_dir();
std::string entry_path(std::string_view name);

// The messages several commands share (commands.cpp), returning the exit
// status: a bad name (ip's, 255), a stale entry (`status`), a run dir that
// cannot be listed (1).
int invalid_name(const char *name);
int not_a_namespace(const char *name, int status);
int list_failed(int rc);
// ip's usage of `ip netns` on stderr (what ip prints for a bad list-id); 255.
int ip_usage();
// netns_enter_named()'s failure said as ip's netns_switch says it; 255.
int enter_failed(const char *name, int rc);
// Every name (netns_list()) into `names`; 0 or a negative errno.
int list_names(std::vector<std::string> *names);
// Every entry of the run dir as ip reads it (stale files and directories
// too, which netns_list() leaves out), sorted.
int list_entries(std::vector<std::string> *names);

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

// Parses a pid (1..INT_MAX, digits only) or an integer as ip's
// get_integer() reads it (strtol base 0, within int); false when not one.
bool parse_pid(const char *text, int *pid);
bool parse_integer(const char *text, int *value);

// The commands. Each returns an exit status (after printing why).
int cmd_list(Line &line);
int cmd_list_id(Line &line);
int cmd_help(Line &line);
int cmd_add(Line &line);
int cmd_set(Line &line);
int cmd_del(Line &line);
int cmd_identify(Line &line);
int cmd_pids(Line &line);
int cmd_exec(Line &line);
int cmd_monitor(Line &line);
int cmd_attach(Line &line);
int cmd_version(Line &line);

// The command table (main.cpp): the one source of dispatch and help.
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

// Help (usage.cpp): the whole usage, or one command's.
void print_usage(FILE *out);
void print_command_usage(FILE *out, const Command &command);

// Rootless preparation, once per process (a batch runs many lines).
int prepare(bool create);

// JSON output (json.cpp): strings as UTF-8, every byte that is not part of
// valid UTF-8 as "\udcXX" (XX the byte: Python's "surrogateescape"), so
// that any name is represented and can be told from every other.
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
