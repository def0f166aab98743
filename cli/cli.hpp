// SPDX-License-Identifier: Apache-2.0
//
// What the parts of the netns tool share: the options, the messages and the
// commands. The tool is a client of libnetns's public C API only.
#ifndef NETNS_CLI_CLI_HPP
#define NETNS_CLI_CLI_HPP

#include <cstdio>
#include <string>
#include <string_view>

#include <getopt.h>

namespace cli {

// Exit codes, as iproute2 uses them (and a shell, for exec).
constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 255;
constexpr int exit_not_executable = 126;
constexpr int exit_not_found = 127;

struct Options {
    bool json = false;
    bool quiet = false;
    bool rootless = false;       // --rootless, or decided at start
    bool run_dir_given = false;  // --run-dir or $NETNS_RUN_DIR
    bool run_dir_flag = false;   // --run-dir
    std::string run_dir;         // what messages show
};

Options &options();

// A message on stderr, unless -q. `error` returns exit_failure, `usage_error`
// exit_usage (and adds the hint), so a command can `return error(...)`.
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// The error text of a negative errno from the library.
const char *why(int rc);

// `<run dir>/<name>`, for messages.
std::string entry_path(std::string_view name);

// Parses the options after a command word (argv[0]): the global ones
// (-j, -q, --run-dir, --rootless, -h) plus the command's own, described by
// `extra_short` and `extra_long` (an array ending with a zero entry) and
// handled by `on_extra`, which returns false on a bad value (after printing
// it). Operands may come before options unless `stop_at_operand` (exec,
// whose command's own options must not be taken). Returns the index of the
// first operand, or -1 after a usage error, or -2 after -h (help printed).
int parse_options(int argc, char **argv, const char *extra_short,
                  const struct ::option *extra_long,
                  bool (*on_extra)(int opt, const char *arg, void *ctx), void *ctx,
                  bool stop_at_operand);

// The library's name rules, for a message before any system call.
bool valid_name(const char *name);

// Parses a pid (1..INT_MAX) or a nsid (0..INT_MAX); false when not one.
bool parse_pid(const char *text, int *pid);
bool parse_nsid(const char *text, int *id);

// The commands: argv[0] is the command word.
int cmd_list(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_del(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_pids(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_list_id(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

// Help texts (usage.cpp): the whole usage, or one command's (false when the
// command is unknown).
void print_usage(FILE *out);
bool print_command_usage(FILE *out, std::string_view command);

} // namespace cli

#endif
