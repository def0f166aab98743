// SPDX-License-Identifier: Apache-2.0
//
// netns(8): the entry point. Runs one command line, or the lines of a
// -b/-batch file; a failure (a Failure thrown after its message was said)
// becomes the exit status here, through exit_status_of() (cli.hpp), for
// the tool and for each line of a batch.
#include "cli.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

namespace {

// Runs one command line: argv[0] is the command word (none: list).
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
    if (!options().all && argc > 1)
        check_name(argv[1]);
    const Command *command = find_command(argv[0]);
    if (command == nullptr)
        usage_fail("Command \"%s\" is unknown, try \"netns help\".", argv[0]);
    Line line;
    if (!parse_line(*command, argc, argv, &line))
        return exit_ok; // --help
    return command->run(line);
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
            fail("Cannot open file \"%s\" for reading: %s", name, why(errno));
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
                say("Missing continuation line");
                break;
            }
            ++lineno;
            line.append(buf, static_cast<size_t>(n));
        }
        std::vector<char> text(line.begin(), line.end());
        text.push_back('\0');
        if (!split_line(text.data(), &words)) {
            std::free(buf);
            fail("Unterminated quoted string");
        }
        if (words.empty())
            continue;
        // ip's object word: "net", "netn", "netns" are netns to ip.
        size_t first = 0;
        if (std::string_view w = words[0]; w.size() >= 3 && is_prefix(w, "netns"))
            first = 1;
        words.push_back(nullptr);
        bool ends_batch = false;
        int rc = exit_status_of(
            [&] {
                return run_words(static_cast<int>(words.size() - 1 - first), words.data() + first);
            },
            &ends_batch);
        std::fflush(stdout);
        if (ends_batch) {
            status = rc;
            break;
        }
        options() = saved;
        if (had_env)
            setenv("NETNS_RUN_DIR", saved_env.c_str(), 1);
        else
            unsetenv("NETNS_RUN_DIR");
        if (rc != exit_ok) {
            say("Command failed %s:%d", name, lineno);
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

int run(int argc, char **argv)
{
    Globals g = parse_globals(argc, argv);
    if (g.done)
        return exit_ok;
    if (g.version) {
        Line line;
        return cmd_version(line);
    }
    int rc;
    if (g.batch_file != nullptr) {
        if (g.first < argc)
            fail("extra arguments specified");
        rc = batch(g.batch_file);
    } else {
        rc = run_words(argc - g.first, argv + g.first);
    }
    std::fflush(stdout);
    if (std::ferror(stdout) && rc == exit_ok) // (never "Success")
        fail("Cannot write the output: %s", std::strerror(errno != 0 ? errno : EIO));
    return rc;
}

} // namespace

} // namespace cli

int main(int argc, char **argv)
{
    return cli::exit_status_of([&] { return cli::run(argc, argv); });
}
