// SPDX-License-Identifier: Apache-2.0
// netns-bench, the tool peer. Since 0.4: the netns tool (cli/, built as build/cli/netns; meson passes
// its path in NETNS_BENCH_TOOL, --tool overrides) against `ip netns`, each
// run as a child the same way (start_cmd: posix_spawn, stdout to
// /dev/null, reaped). Both run in our sandbox's mount namespace, which a
// child inherits, and both use /run/netns: ip has it built in, and the tool
// gets our environment without NETNS_RUN_DIR (and no --run-dir), so it
// takes its default, /run/netns, as a user's `netns` would. /run/netns is
// our run dir bound there (setup()); the checks below make sure both name
// the very same namespaces.
#include "harness.hpp"

#include "ops.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

Tool tool;

// The netns tool's environment: ours without NETNS_RUN_DIR, so that it
// uses /run/netns as ip does; for another build (--tool), also without
// LD_LIBRARY_PATH (meson's, pointing at our libnetns.so), so that it
// loads its own library through its RUNPATH.
void setup_tool()
{
    for (char **e = environ; *e != nullptr; ++e)
        if (std::strncmp(*e, "NETNS_RUN_DIR=", 14) != 0 &&
            !(tool.other && std::strncmp(*e, "LD_LIBRARY_PATH=", 16) == 0))
            tool.env_store.emplace_back(*e);
    for (std::string &e : tool.env_store)
        tool.envp.push_back(e.data());
    tool.envp.push_back(nullptr);
    for (const char *r : {"/usr/bin/readlink", "/bin/readlink"})
        if (tool.readlink.empty() && ::access(r, X_OK) == 0)
            tool.readlink = r;
}

namespace {

// `netns ARGS...` (argv[0] is "netns"): it must exit 0.
void run_tool(char *const argv[], const char *what)
{
    pid_t pid = start_cmd(tool.path.c_str(), argv, tool.envp.data());
    if (pid < 0)
        throw ChildFailure{std::string("posix_spawn ") + tool.path + ": " + std::strerror(-pid)};
    int status = wait_status(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw ChildFailure{std::string(what) + ": " + status_text(status)};
}

// For the checks: runs a command, returns its wait status (or -errno) and
// its stdout and stderr (through memfds: no pipe to fill up).
int run_capture(const std::string &path, const std::vector<std::string> &args, char *const envp[],
                std::string &out, std::string &err)
{
    std::vector<std::string> a = args;
    std::vector<char *> argv;
    for (std::string &s : a)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    int o = sys_ok(::memfd_create("bench-out", MFD_CLOEXEC), "memfd_create");
    int e = sys_ok(::memfd_create("bench-err", MFD_CLOEXEC), "memfd_create");
    pid_t pid = start_cmd(path.c_str(), argv.data(), envp, o, e);
    int status = pid < 0 ? pid : wait_status(pid);
    for (auto [fd, text] : {std::pair<int, std::string *>{o, &out}, {e, &err}}) {
        text->clear();
        char buf[65536];
        ssize_t n;
        ::lseek(fd, 0, SEEK_SET);
        while ((n = ::read(fd, buf, sizeof buf)) > 0)
            text->append(buf, static_cast<size_t>(n));
        ::close(fd);
    }
    return status;
}

// "`cmd` exited with status 1: <its first line of stderr>"
std::string failure_text(const std::vector<std::string> &args, int status, const std::string &err)
{
    std::string cmd;
    for (const std::string &a : args)
        cmd += (cmd.empty() ? "" : " ") + a;
    std::string line = err.substr(0, err.find('\n'));
    return "`" + cmd + "` " +
           (status < 0 ? std::string("could not start: ") + std::strerror(-status)
                       : status_text(status)) +
           (line.empty() ? "" : ": " + line);
}

// Runs the tool (args without "netns") or ip (args without "ip"); true when
// it exited 0, else why.
bool capture_ok(bool is_tool, std::vector<std::string> args, std::string &out, std::string &why)
{
    args.insert(args.begin(), is_tool ? "netns" : "ip");
    std::string err;
    int status = run_capture(is_tool ? tool.path : env.ip, args,
                             is_tool ? tool.envp.data() : environ, out, err);
    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        why = failure_text(args, status, err);
        return false;
    }
    return true;
}

} // namespace

bool tool_ready(std::string &why)
{
    if (!ip_ready(why))
        return false;
    if (tool.path.empty()) {
        why = tool.reason.empty() ? "the netns tool was not built" : tool.reason;
        return false;
    }
    if (::access(tool.path.c_str(), X_OK) < 0) {
        why = tool.path + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

bool scale_tool_ready(std::string &why) { return tool_ready(why) && scale_ip_ready(why); }

// exec NAME /bin/true

namespace {
char netns_arg0[] = "netns";
} // namespace

void tool_exec()
{
    char a1[] = "exec";
    char *const argv[] = {netns_arg0, a1, env.probe_name.data(), true_path, nullptr};
    run_tool(argv, "netns exec NAME /bin/true");
}

void ip_exec()
{
    char a0[] = "ip", a1[] = "netns", a2[] = "exec";
    char *const argv[] = {a0, a1, a2, env.probe_name.data(), true_path, nullptr};
    run_ip(argv, "ip netns exec NAME /bin/true");
}

// Both run `readlink /proc/self/ns/net` in the probe: it must name the
// probe's namespace.
bool check_tool_exec(std::string &why)
{
    struct stat probe;
    sys_ok(::fstat(env.probe, &probe), "fstat probe");
    std::string want = "net:[" + std::to_string(probe.st_ino) + "]\n";
    for (bool is_tool : {true, false}) {
        std::string out;
        std::vector<std::string> args = {"exec", env.probe_name, tool.readlink,
                                         "/proc/self/ns/net"};
        if (!is_tool)
            args.insert(args.begin(), "netns");
        if (!capture_ok(is_tool, args, out, why))
            return false;
        if (out != want) {
            why = std::string(is_tool ? "netns" : "ip netns") + " exec " + env.probe_name +
                  " ran in " + out.substr(0, out.find('\n')) + ", not in " +
                  want.substr(0, want.size() - 1);
            return false;
        }
    }
    return true;
}

// add X + del X

void tool_add_del()
{
    char a1[] = "add", d1[] = "del";
    char *const add[] = {netns_arg0, a1, tool.churn.data(), nullptr};
    char *const del[] = {netns_arg0, d1, tool.churn.data(), nullptr};
    try {
        run_tool(add, "netns add NAME");
        run_tool(del, "netns del NAME");
    } catch (const ChildFailure &) {
        (void)netns_delete_named(tool.churn.c_str()); // so that ip's add finds no leftover
        throw;
    }
}

void ip_add_del()
{
    char a0[] = "ip", a1[] = "netns", a2[] = "add", d2[] = "del";
    char *const add[] = {a0, a1, a2, tool.churn.data(), nullptr};
    char *const del[] = {a0, a1, d2, tool.churn.data(), nullptr};
    run_ip(add, "ip netns add NAME");
    run_ip(del, "ip netns del NAME");
}

namespace {

// Where a name lives: "" when it is a namespace in both our run dir and
// /run/netns (the same inode), else what is wrong.
std::string entry_state(const std::string &name, bool want)
{
    struct stat ours, theirs;
    std::string a = env.run_dir + "/" + name, b = "/run/netns/" + name;
    bool has_a = ::stat(a.c_str(), &ours) == 0, has_b = ::stat(b.c_str(), &theirs) == 0;
    struct stat home;
    sys_ok(::fstat(env.home, &home), "fstat");
    if (!want)
        return has_a || has_b ? a + " or " + b + " is still there" : "";
    if (!has_a || !has_b)
        return (has_a ? b : a) + " is missing";
    if (ours.st_dev != theirs.st_dev || ours.st_ino != theirs.st_ino || ours.st_dev != home.st_dev)
        return a + " and " + b + " are not the same namespace";
    return "";
}

} // namespace

// Each side adds the name (seen as a namespace in both directories) and
// deletes it (gone from both).
bool check_tool_add_del(std::string &why)
{
    for (bool is_tool : {true, false}) {
        std::string out, bad;
        const char *who = is_tool ? "netns" : "ip netns";
        std::vector<std::string> add = {"add", tool.churn}, del = {"del", tool.churn};
        if (!is_tool) {
            add.insert(add.begin(), "netns");
            del.insert(del.begin(), "netns");
        }
        if (!capture_ok(is_tool, add, out, why))
            return false;
        if (!(bad = entry_state(tool.churn, true)).empty()) {
            why = std::string("after ") + who + " add: " + bad;
            (void)netns_delete_named(tool.churn.c_str());
            return false;
        }
        if (!capture_ok(is_tool, del, out, why)) {
            (void)netns_delete_named(tool.churn.c_str());
            return false;
        }
        if (!(bad = entry_state(tool.churn, false)).empty()) {
            why = std::string("after ") + who + " del: " + bad;
            return false;
        }
    }
    return true;
}

// list -j, with the scale names

void tool_list()
{
    char a1[] = "list", a2[] = "-j";
    char *const argv[] = {netns_arg0, a1, a2, nullptr};
    run_tool(argv, "netns list -j");
}

namespace {

// The names of a `list -j` document, sorted: every "name":"..." value (the
// names here have no quote or backslash).
std::vector<std::string> json_names(const std::string &doc)
{
    std::vector<std::string> names;
    const std::string key = "\"name\":";
    for (size_t p = doc.find(key); p != std::string::npos; p = doc.find(key, p)) {
        p += key.size();
        while (p < doc.size() && doc[p] == ' ')
            ++p;
        size_t q = doc.find('"', p + 1);
        if (p >= doc.size() || doc[p] != '"' || q == std::string::npos)
            break;
        names.push_back(doc.substr(p + 1, q - p - 1));
        p = q;
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

// Both list the same names, every scale name among them.
bool check_tool_list(std::string &why)
{
    std::string mine, theirs;
    if (!capture_ok(true, {"list", "-j"}, mine, why) ||
        !capture_ok(false, {"-j", "netns", "list"}, theirs, why))
        return false;
    std::vector<std::string> a = json_names(mine), b = json_names(theirs);
    if (a != b || static_cast<long>(a.size()) < scale.want) {
        why = "netns list -j printed " + std::to_string(a.size()) + " names, ip -j netns list " +
              std::to_string(b.size()) + (a == b ? "" : ", not the same") + " (made " +
              std::to_string(scale.want) + ")";
        return false;
    }
    return true;
}

} // namespace bench
