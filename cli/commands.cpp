// SPDX-License-Identifier: Apache-2.0
//
// The commands on names that act once and print: list, help, add, delete,
// identify, pids, attach, version (the nsid ones, list-id and set, are in
// nsid.cpp), and what the commands share. Statuses and messages are
// `ip netns`'s (iproute2 6.1) unless netns(8)'s table of differences says.
#include "cli.hpp"
#include "rootless.hpp"

#include <netns/netns.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cli {

void no_extra(const Line &line, size_t max)
{
    if (line.operands.size() > max)
        fail("extra arguments specified");
}

// For every command line, a batch's too: rootless::prepare decides once
// per process and joins a holder once, but gives each line its run dir,
// and a line that creates may start the holder that an earlier one found
// missing (or that another process started meanwhile).
void prepare(bool create) { rootless::prepare(create); }

std::vector<std::string> list_entries()
{
    // The library's names first (rootless: the holder's), then whatever
    // else the directory holds: ip lists, deletes and execs in every entry.
    std::vector<std::string> names;
    try {
        names = netns::list();
    } catch (const std::system_error &e) {
        list_failed(rc_of(e));
    }
    if (DIR *dir = opendir(run_dir().c_str()); dir != nullptr) {
        while (struct dirent *e = readdir(dir)) {
            std::string_view n = e->d_name;
            if (n == "." || n == "..")
                continue;
            if (std::find(names.begin(), names.end(), n) == names.end())
                names.emplace_back(n);
        }
        closedir(dir);
    }
    std::sort(names.begin(), names.end());
    return names;
}

netns::Handle open_name(const char *name, int stale_status, bool ip_names_it)
{
    check_name(name);
    try {
        return netns::get_from_name(name);
    } catch (const std::system_error &e) {
        int rc = rc_of(e);
        if (rc == -EINVAL)
            not_a_namespace(name, stale_status);
        if (!ip_names_it)
            fail("Cannot open network namespace: %s", why(rc));
        fail("Cannot open network namespace \"%s\": %s", name, why(rc));
    }
}

namespace {

// The id of a name, or -1 (none, or not readable).
int id_of(const std::string &name)
{
    try {
        return netns::get_id(netns::get_from_name(name));
    } catch (const std::system_error &) {
        return -1;
    }
}

} // namespace

std::vector<NamedId> names_with_ids()
{
    std::vector<std::string> names = list_entries();
    // None assigned, the common case, spares a lookup per name (one
    // netlink dump); not knowing counts as some.
    bool any_id = true;
    try {
        any_id = !netns::list_id().empty();
    } catch (const std::system_error &) {
    }
    std::vector<NamedId> out;
    out.reserve(names.size());
    for (std::string &name : names) {
        int id = any_id ? id_of(name) : -1;
        out.push_back({std::move(name), id});
    }
    return out;
}

int cmd_list(Line &line)
{
    no_extra(line, 0);
    prepare(false);
    std::vector<NamedId> names = names_with_ids();
    if (options().json) {
        // ip prints nothing at all when the run directory does not exist
        // (rootless, with no holder yet, has no ip to match: "[]").
        struct stat st;
        if (names.empty() && !rootless::active() && stat(run_dir().c_str(), &st) < 0 &&
            errno == ENOENT)
            return exit_ok;
        std::vector<JsonObject> doc;
        doc.reserve(names.size());
        for (const auto &[name, id] : names) {
            JsonObject o{{"name", name}};
            if (id >= 0)
                o.push_back({"id", {}, id, true});
            doc.push_back(std::move(o));
        }
        print_json_objects(doc, options().pretty);
        return exit_ok;
    }
    for (const auto &[name, id] : names) {
        if (id >= 0)
            std::printf("%s (id: %d)\n", name.c_str(), id);
        else
            std::printf("%s\n", name.c_str());
    }
    return exit_ok;
}

int cmd_help(Line &line)
{
    no_extra(line, 1);
    if (line.operands.empty()) {
        print_usage(stdout);
        return exit_ok;
    }
    const Command *c = find_command(line.operands[0]);
    if (c == nullptr)
        usage_fail("Command \"%s\" is unknown, try \"netns help\".", line.operands[0]);
    print_command_usage(stdout, *c);
    return exit_ok;
}

int cmd_add(Line &line)
{
    if (line.operands.empty())
        fail("No netns name specified");
    no_extra(line, 1);
    const char *name = line.operands[0];
    check_name(name);
    prepare(true);
    try {
        netns::Handle made = netns::create(name);
    } catch (const std::system_error &e) {
        int rc = rc_of(e);
        say("Cannot create namespace file \"%s\": %s", entry_path(name).c_str(), why(rc));
        // An entry that is not a namespace: a killed add's, or one being
        // made right now (ip releases the run dir's lock before it mounts,
        // so no lock proves which): say so, take nothing over.
        if (rc == -EEXIST) {
            try {
                netns::Handle other = netns::get_from_name(name);
            } catch (const std::system_error &o) {
                if (o.code().value() == EINVAL)
                    say("\"%s\" is not a network namespace: a stale entry (unless an add is making "
                        "it); \"netns del %s\" removes it",
                        entry_path(name).c_str(), name);
            }
        }
        rootless::release_if_empty(); // a holder started for nothing stops
        return exit_failure;
    }
    return exit_ok;
}

int cmd_del(Line &line)
{
    no_extra(line, line.all ? 0 : 1);
    if (!line.all && line.operands.empty())
        fail("No netns name specified");
    prepare(false);
    std::vector<std::string> names;
    if (line.all) {
        // Every entry, as ip's -all: stale files and directories too.
        names = list_entries();
    } else {
        check_name(line.operands[0]);
        names.emplace_back(line.operands[0]);
    }
    int status = exit_ok;
    for (const std::string &name : names) {
        try {
            netns::delete_named(name);
        } catch (const std::system_error &e) {
            say("Cannot remove namespace file \"%s\": %s", entry_path(name).c_str(), why(rc_of(e)));
            status = exit_failure;
        }
    }
    rootless::release_if_empty();
    return status;
}

int cmd_identify(Line &line)
{
    no_extra(line, 1);
    int pid = getpid();
    if (!line.operands.empty() && !parse_pid(line.operands[0], &pid))
        fail("Specified string '%s' is not a pid", line.operands[0]);
    prepare(false);
    std::vector<std::string> names;
    try {
        names = netns::identify(pid);
    } catch (const std::system_error &e) {
        // ip's words; a pid that is gone is a /proc entry that is not there.
        int rc = rc_of(e);
        fail("Cannot open network namespace: %s", why(rc == -ESRCH ? -ENOENT : rc));
    }
    if (options().json) {
        std::vector<JsonObject> doc;
        for (const std::string &name : names)
            doc.push_back({{"name", name}});
        print_json_objects(doc, options().pretty);
        return exit_ok;
    }
    if (names.empty())
        std::fputs("\n", stdout); // ip: an empty line when no name has it
    for (const std::string &name : names)
        std::printf("%s\n", name.c_str());
    return exit_ok;
}

int cmd_pids(Line &line)
{
    if (line.operands.empty())
        fail("No netns name specified");
    no_extra(line, 1);
    prepare(false);
    const char *name = line.operands[0];
    netns::Handle ns = open_name(name, exit_failure, false);
    std::vector<long long> pids;
    try {
        for (pid_t pid : netns::pids(ns))
            pids.push_back(pid);
    } catch (const std::system_error &e) {
        fail("Cannot list the processes of \"%s\": %s", name, why(rc_of(e)));
    }
    if (options().json) {
        print_json_numbers(pids, options().pretty);
        return exit_ok;
    }
    for (long long pid : pids)
        std::printf("%lld\n", pid);
    return exit_ok;
}

int cmd_attach(Line &line)
{
    if (line.operands.size() < 2)
        fail("No netns name and PID specified");
    no_extra(line, 2);
    const char *name = line.operands[0];
    int pid;
    if (!parse_pid(line.operands[1], &pid))
        fail("Invalid PID: %s", line.operands[1]);
    check_name(name);
    prepare(true);
    try {
        netns::attach(name, pid);
    } catch (const std::system_error &e) {
        int rc = rc_of(e);
        rootless::release_if_empty(); // a holder started for nothing stops
        // ip's words: its bind of /proc/PID/ns/net is what fails.
        if (rc == -ESRCH || rc == -ENOENT || rc == -EPERM || rc == -EACCES)
            fail("Bind /proc/%d/ns/net -> %s failed: %s", pid, entry_path(name).c_str(),
                 why(rc == -ESRCH ? -ENOENT : rc));
        fail("Cannot create namespace file \"%s\": %s", entry_path(name).c_str(), why(rc));
    }
    return exit_ok;
}

int cmd_version(Line &line)
{
    no_extra(line, 0);
    if (options().json)
        print_json_object({{"version", NETNS_VERSION_STRING}, {"libnetns", netns::version()}},
                          options().pretty);
    else
        std::printf("netns %s (libnetns %s)\n", NETNS_VERSION_STRING, netns::version());
    return exit_ok;
}

} // namespace cli
