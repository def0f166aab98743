// SPDX-License-Identifier: Apache-2.0
//
// The commands that act once and print: list, list-id, help, add, set,
// delete, identify, pids, attach, version. Statuses and messages are
// `ip netns`'s (iproute2 6.1) unless netns(8)'s table of differences says.
#include "cli.hpp"
#include "rootless.hpp"

#include <netns/netns.h>
#include <netns/netns.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cli {

int invalid_name(const char *name) { return usage_error("Invalid netns name \"%s\"", name); }

// A stale entry (a file that is not a mounted namespace: what a killed
// `add` leaves), said as such, not as a bad name.
int not_a_namespace(const char *name, int status)
{
    return error_status(status,
                        "\"%s\" is not a network namespace (a stale entry? \"netns del %s\""
                        " removes it)",
                        entry_path(name).c_str(), name);
}

int list_names(std::vector<std::string> *names)
{
    return netns_list(
        [](const char *name, void *arg) {
            static_cast<std::vector<std::string> *>(arg)->emplace_back(name);
            return 0;
        },
        names);
}

int list_entries(std::vector<std::string> *names)
{
    // The library's names first (rootless: the holder's), then whatever
    // else the directory holds: ip lists, deletes and execs in every entry.
    if (int rc = list_names(names); rc < 0)
        return rc;
    if (DIR *dir = opendir(run_dir().c_str()); dir != nullptr) {
        while (struct dirent *e = readdir(dir)) {
            std::string_view n = e->d_name;
            if (n == "." || n == "..")
                continue;
            if (std::find(names->begin(), names->end(), n) == names->end())
                names->emplace_back(n);
        }
        closedir(dir);
    }
    std::sort(names->begin(), names->end());
    return 0;
}

int list_failed(int rc)
{
    return error("Cannot list namespaces in \"%s\": %s", run_dir().c_str(), why(rc));
}

namespace {

// ip ignores what follows its operands; the tool refuses it (a typo must
// not act on something else), with ip's words for pids and identify.
int extra(const Line &line, size_t max)
{
    if (line.operands.size() > max)
        return error("extra arguments specified");
    return -1;
}

#define RETURN_IF(expr)                                                                            \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ >= 0)                                                                              \
            return rc_;                                                                            \
    } while (0)

// Opens a name for pids and set, with ip's message (pids: ip's names no
// name); -status on failure.
int open_name(const char *name, int stale_status, bool ip_names_it = true)
{
    if (netns_check_name(name) != 0)
        return -invalid_name(name);
    int ns = netns_get_from_name(name);
    if (ns == -EINVAL)
        return -not_a_namespace(name, stale_status);
    if (ns < 0 && !ip_names_it)
        return -error("Cannot open network namespace: %s", why(ns));
    if (ns < 0)
        return -error("Cannot open network namespace \"%s\": %s", name, why(ns));
    return ns;
}

// The nsids assigned in our namespace (one netlink dump); none assigned,
// the common case, spares a lookup per name.
int assigned_ids(std::vector<int> *ids)
{
    return netns_list_id(
        [](int id, void *arg) {
            static_cast<std::vector<int> *>(arg)->push_back(id);
            return 0;
        },
        ids);
}

// The id of a name, or -1 (none, or not readable).
int id_of(const std::string &name)
{
    netns::Handle ns(netns_get_from_name(name.c_str()));
    if (!ns)
        return -1;
    int id = netns_get_id(ns.fd());
    return id < 0 ? -1 : id;
}

// Every name with its id (-1: none), sorted by name.
int names_with_ids(std::vector<std::pair<std::string, int>> *out)
{
    std::vector<std::string> names;
    if (int rc = list_entries(&names); rc < 0)
        return rc;
    std::vector<int> ids;
    bool any_id = assigned_ids(&ids) != 0 || !ids.empty(); // unknown counts as some
    out->reserve(names.size());
    for (std::string &name : names) {
        int id = any_id ? id_of(name) : -1;
        out->emplace_back(std::move(name), id);
    }
    return 0;
}

} // namespace

int cmd_list(Line &line)
{
    RETURN_IF(extra(line, 0));
    if (int rc = prepare(false); rc != 0)
        return rc;
    std::vector<std::pair<std::string, int>> names;
    if (int rc = names_with_ids(&names); rc < 0)
        return list_failed(rc);
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

namespace {

// list-id's arguments as ip reads them: keywords, each once, a value each.
bool list_id_value(const Line &line, size_t *i, const char *key, int *value)
{
    if (*value >= 0) {
        usage_error("Error: duplicate \"%s\": \"%s\" is the second value.", key, key);
        return false;
    }
    if (*i + 1 >= line.operands.size()) {
        usage_error("Command line is not complete. Try option \"help\"");
        return false;
    }
    const char *text = line.operands[++*i];
    int v;
    if (!parse_integer(text, &v)) {
        usage_error("Error: argument \"%s\" is wrong: \"%s\" value is invalid", text, key);
        return false;
    }
    if (v < 0) {
        usage_error("Error: argument \"%s\" is wrong: \"%s\" value should be >= 0", text, key);
        return false;
    }
    *value = v;
    return true;
}

// A namespace we can open whose id (in our namespace) is `id`: one of the
// names (the first, sorted). NETNS_NONE when none is.
int open_by_id(const std::vector<std::pair<std::string, int>> &names, int id, std::string *name)
{
    for (const auto &[n, i] : names) {
        if (i == id) {
            int ns = netns_get_from_name(n.c_str());
            if (ns >= 0) {
                *name = n;
                return ns;
            }
        }
    }
    return -1;
}

struct IdRow {
    int nsid = -1;    // -1: unassigned
    int current = -2; // -2: not shown (no target); -1: unassigned
    std::string name;
    bool named = false;
};

void print_id_rows(const std::vector<IdRow> &rows)
{
    if (options().json) {
        std::vector<JsonObject> doc;
        for (const IdRow &r : rows) {
            JsonObject o;
            if (r.nsid >= 0)
                o.push_back({"nsid", {}, r.nsid, true});
            if (r.current >= 0)
                o.push_back({"current-nsid", {}, r.current, true});
            if (r.named)
                o.push_back({"name", r.name});
            doc.push_back(std::move(o));
        }
        print_json_objects(doc, options().pretty);
        return;
    }
    for (const IdRow &r : rows) {
        // ip's words, blanks included ("nsid 4 current-nsid unassigned ").
        std::string text;
        text = r.nsid >= 0 ? "nsid " + std::to_string(r.nsid) + " " : "nsid unassigned ";
        if (r.current >= 0)
            text += "current-nsid " + std::to_string(r.current) + " ";
        else if (r.current == -1)
            text += "current-nsid unassigned ";
        if (r.named) {
            text += "(iproute2 netns name: ";
            text += r.name;
            text += ")";
        }
        std::printf("%s\n", text.c_str());
    }
}

} // namespace

int cmd_list_id(Line &line)
{
    int target = -1, nsid = -1;
    for (size_t i = 0; i < line.operands.size(); ++i) {
        std::string_view w = line.operands[i];
        if (w == "target-nsid") {
            if (!list_id_value(line, &i, "target-nsid", &target))
                return exit_usage;
        } else if (w == "nsid") {
            if (!list_id_value(line, &i, "nsid", &nsid))
                return exit_usage;
        } else {
            return ip_usage(); // as ip: its usage, on stderr
        }
    }
    if (int rc = prepare(false); rc != 0)
        return rc;
    std::vector<int> ids;
    if (int rc = assigned_ids(&ids); rc < 0)
        return error("Cannot list namespace ids: %s", why(rc));
    // The names of the ids (the first name of an id, sorted).
    std::vector<std::pair<std::string, int>> names;
    if (!ids.empty())
        if (int rc = names_with_ids(&names); rc < 0)
            return list_failed(rc);
    std::map<int, std::string> name_of;
    for (const auto &[n, id] : names)
        if (id >= 0)
            name_of.emplace(id, n);
    auto row_for = [&](int id, int current) {
        IdRow r;
        r.nsid = id;
        r.current = current;
        int key = current >= -1 && target >= 0 ? current : id;
        if (auto it = name_of.find(key); it != name_of.end() && key >= 0) {
            r.name = it->second;
            r.named = true;
        }
        return r;
    };
    bool assigned_target = false, assigned_nsid = false;
    for (int id : ids) {
        assigned_target |= id == target;
        assigned_nsid |= id == nsid;
    }

    std::vector<IdRow> rows;
    if (target < 0 && nsid < 0) {
        for (int id : ids)
            rows.push_back(row_for(id, -2));
        print_id_rows(rows);
        return exit_ok;
    }
    if (target < 0) {
        // One id: the kernel refuses one that is not assigned.
        if (!assigned_nsid)
            return error_status(exit_netlink, "Error: Peer netns reference is invalid.");
        rows.push_back(row_for(nsid, -2));
        print_id_rows(rows);
        return exit_ok;
    }
    // As seen from the namespace with id `target`: its ids, and ours of
    // the same namespaces. Only namespaces the tool can open (the names,
    // its own) can be matched; the others show "current-nsid unassigned".
    if (!assigned_target)
        return error_status(nsid >= 0 ? exit_netlink : exit_failure,
                            nsid >= 0 ? "Error: Invalid target network namespace id."
                                      : "Error: Invalid target network namespace id.\n"
                                        "Dump terminated");
    std::string target_name;
    netns::Handle tns(open_by_id(names, target, &target_name));
    if (!tns)
        return error("Cannot open the network namespace with nsid %d", target);
    if (nsid >= 0) {
        if (!assigned_nsid)
            return error_status(exit_netlink, "Error: Peer netns reference is invalid.");
        std::string peer_name;
        netns::Handle peer(open_by_id(names, nsid, &peer_name));
        if (!peer)
            return error_status(exit_netlink, "Cannot open the network namespace with nsid %d",
                                nsid);
        int seen = netns_get_id_in(peer.fd(), tns.fd());
        if (seen < 0 && seen != -ENOENT)
            return error_status(exit_netlink, "Cannot read nsid %d of nsid %d: %s", nsid, target,
                                why(seen));
        rows.push_back(row_for(seen < 0 ? -1 : seen, nsid));
        print_id_rows(rows);
        return exit_ok;
    }
    // Candidates: every name (each namespace once) and our own namespace.
    std::vector<std::pair<int, int>> seen_current; // (id in target, id here)
    std::vector<int> done;
    auto consider = [&](int fd, int current) {
        int seen = netns_get_id_in(fd, tns.fd());
        if (seen >= 0)
            seen_current.emplace_back(seen, current);
    };
    for (const auto &[n, id] : names) {
        if (id < 0 || std::find(done.begin(), done.end(), id) != done.end())
            continue;
        done.push_back(id);
        netns::Handle ns(netns_get_from_name(n.c_str()));
        if (ns)
            consider(ns.fd(), id);
    }
    for (const auto &[n, id] : names) {
        if (id >= 0)
            continue;
        netns::Handle ns(netns_get_from_name(n.c_str()));
        if (ns)
            consider(ns.fd(), -1);
    }
    if (netns::Handle self(netns_get()); self)
        consider(self.fd(), -1);
    std::vector<int> target_ids;
    int result = 0;
    int rc = netns_run(
        tns.fd(),
        [](void *arg) -> int {
            return netns_list_id(
                [](int id, void *a) {
                    static_cast<std::vector<int> *>(a)->push_back(id);
                    return 0;
                },
                arg);
        },
        &target_ids, &result);
    if (rc == 0)
        rc = result;
    if (rc < 0)
        return error("Cannot list the nsids of nsid %d: %s", target, why(rc));
    for (int id : target_ids) {
        int current = -1;
        for (const auto &[s, c] : seen_current)
            if (s == id && c >= 0)
                current = c;
        rows.push_back(row_for(id, current));
    }
    print_id_rows(rows);
    return exit_ok;
}

int ip_usage()
{
    // ip's usage of `ip netns`, in the tool's name.
    return usage_error("Usage:\tnetns list\n"
                       "\tnetns add NAME\n"
                       "\tnetns attach NAME PID\n"
                       "\tnetns set NAME NETNSID\n"
                       "\tnetns [-all] delete [NAME]\n"
                       "\tnetns identify [PID]\n"
                       "\tnetns pids NAME\n"
                       "\tnetns [-all] exec [NAME] cmd ...\n"
                       "\tnetns monitor\n"
                       "\tnetns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n"
                       "NETNSID := auto | POSITIVE-INT");
}

int cmd_help(Line &line)
{
    RETURN_IF(extra(line, 1));
    if (line.operands.empty()) {
        print_usage(stdout);
        return exit_ok;
    }
    const Command *c = find_command(line.operands[0]);
    if (c == nullptr)
        return usage_error("Command \"%s\" is unknown, try \"netns help\".", line.operands[0]);
    print_command_usage(stdout, *c);
    return exit_ok;
}

int cmd_add(Line &line)
{
    if (line.operands.empty())
        return error("No netns name specified");
    RETURN_IF(extra(line, 1));
    const char *name = line.operands[0];
    if (netns_check_name(name) != 0)
        return invalid_name(name);
    if (int rc = prepare(true); rc != 0)
        return rc;
    int ns = netns_create(name);
    if (ns < 0) {
        error("Cannot create namespace file \"%s\": %s", entry_path(name).c_str(), why(ns));
        // An entry that is not a namespace: a killed add's, or one being
        // made right now (ip releases the run dir's lock before it mounts,
        // so no lock proves which): say so, take nothing over.
        if (ns == -EEXIST) {
            int other = netns_get_from_name(name);
            if (other == -EINVAL)
                error("\"%s\" is not a network namespace: a stale entry (unless an add is making "
                      "it); \"netns del %s\" removes it",
                      entry_path(name).c_str(), name);
            if (other >= 0)
                netns_close(&other);
        }
        rootless::release_if_empty(); // a holder started for nothing stops
        return exit_failure;
    }
    netns_close(&ns);
    return exit_ok;
}

int cmd_set(Line &line)
{
    if (line.operands.empty())
        return error("No netns name specified");
    if (line.operands.size() < 2)
        return error("No nsid specified");
    RETURN_IF(extra(line, 2));
    const char *text = line.operands[1];
    int id = -1;
    if (std::strcmp(text, "auto") != 0) {
        if (!parse_integer(text, &id))
            return usage_error("Error: argument \"%s\" is wrong: Invalid \"netnsid\" value", text);
        if (id < 0)
            return usage_error("Error: argument \"%s\" is wrong: \"netnsid\" value should be >= 0",
                               text);
    }
    if (int rc = prepare(false); rc != 0)
        return rc;
    int fd = open_name(line.operands[0], exit_netlink);
    if (fd < 0)
        return -fd;
    netns::Handle ns(fd);
    int rc = netns_set_id(ns.fd(), id);
    // The kernel's words, as ip prints them.
    if (rc == -EEXIST && netns_get_id(ns.fd()) >= 0)
        return error_status(exit_netlink, "Error: Peer netns already has a nsid assigned.");
    if (rc == -EEXIST)
        return error_status(exit_netlink, "Error: The specified nsid is already used.");
    if (rc < 0)
        return error_status(exit_netlink, "Cannot set nsid of \"%s\": %s", line.operands[0],
                            why(rc));
    return exit_ok;
}

int cmd_del(Line &line)
{
    if (line.all) {
        RETURN_IF(extra(line, 0));
    } else {
        if (line.operands.empty())
            return error("No netns name specified");
        RETURN_IF(extra(line, 1));
    }
    if (int rc = prepare(false); rc != 0)
        return rc;
    std::vector<std::string> names;
    if (line.all) {
        // Every entry, as ip's -all: stale files and directories too.
        if (int rc = list_entries(&names); rc < 0)
            return list_failed(rc);
    } else {
        if (netns_check_name(line.operands[0]) != 0)
            return invalid_name(line.operands[0]);
        names.emplace_back(line.operands[0]);
    }
    int status = exit_ok;
    for (const std::string &name : names) {
        int rc = netns_delete_named(name.c_str());
        if (rc < 0)
            status =
                error("Cannot remove namespace file \"%s\": %s", entry_path(name).c_str(), why(rc));
    }
    rootless::release_if_empty();
    return status;
}

int cmd_identify(Line &line)
{
    RETURN_IF(extra(line, 1));
    int pid = getpid();
    if (!line.operands.empty() && !parse_pid(line.operands[0], &pid))
        return error("Specified string '%s' is not a pid", line.operands[0]);
    if (int rc = prepare(false); rc != 0)
        return rc;
    std::vector<std::string> names;
    int rc = netns_identify(
        pid,
        [](const char *name, void *arg) {
            static_cast<std::vector<std::string> *>(arg)->emplace_back(name);
            return 0;
        },
        &names);
    // ip's words; a pid that is gone is a /proc entry that is not there.
    if (rc < 0)
        return error("Cannot open network namespace: %s", why(rc == -ESRCH ? -ENOENT : rc));
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
        return error("No netns name specified");
    RETURN_IF(extra(line, 1));
    if (int rc = prepare(false); rc != 0)
        return rc;
    int fd = open_name(line.operands[0], exit_failure, false);
    if (fd < 0)
        return -fd;
    netns::Handle ns(fd);
    std::vector<long long> pids;
    int rc = netns_pids(
        ns.fd(),
        [](pid_t pid, void *arg) {
            static_cast<std::vector<long long> *>(arg)->push_back(pid);
            return 0;
        },
        &pids);
    if (rc < 0)
        return error("Cannot list the processes of \"%s\": %s", line.operands[0], why(rc));
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
        return error("No netns name and PID specified");
    RETURN_IF(extra(line, 2));
    const char *name = line.operands[0];
    int pid;
    if (!parse_pid(line.operands[1], &pid))
        return error("Invalid PID: %s", line.operands[1]);
    if (netns_check_name(name) != 0)
        return invalid_name(name);
    if (int rc = prepare(true); rc != 0)
        return rc;
    int rc = netns_attach(name, pid);
    if (rc < 0)
        rootless::release_if_empty(); // a holder started for nothing stops
    // ip's words: its bind of /proc/PID/ns/net is what fails.
    if (rc == -ESRCH || rc == -ENOENT || rc == -EPERM || rc == -EACCES)
        return error("Bind /proc/%d/ns/net -> %s failed: %s", pid, entry_path(name).c_str(),
                     why(rc == -ESRCH ? -ENOENT : rc));
    if (rc < 0)
        return error("Cannot create namespace file \"%s\": %s", entry_path(name).c_str(), why(rc));
    return exit_ok;
}

int cmd_version(Line &line)
{
    RETURN_IF(extra(line, 0));
    if (options().json)
        print_json_object({{"version", NETNS_VERSION_STRING}, {"libnetns", netns_version()}},
                          options().pretty);
    else
        std::printf("netns %s (libnetns %s)\n", NETNS_VERSION_STRING, netns_version());
    return exit_ok;
}

} // namespace cli
