// SPDX-License-Identifier: Apache-2.0
//
// The commands on namespace ids: list-id and set. Statuses and messages
// are `ip netns`'s (iproute2 6.1) unless netns(8)'s table of differences
// says.
#include "cli.hpp"

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

namespace cli {

namespace {

// list-id's arguments as ip reads them: keywords, each once, a value each.
int list_id_value(const Line &line, size_t *i, const char *key, int value)
{
    if (value >= 0)
        usage_fail("Error: duplicate \"%s\": \"%s\" is the second value.", key, key);
    if (*i + 1 >= line.operands.size())
        usage_fail("Command line is not complete. Try option \"help\"");
    const char *text = line.operands[++*i];
    int v;
    if (!parse_integer(text, &v))
        usage_fail("Error: argument \"%s\" is wrong: \"%s\" value is invalid", text, key);
    if (v < 0)
        usage_fail("Error: argument \"%s\" is wrong: \"%s\" value should be >= 0", text, key);
    return v;
}

// The namespace of a name; an empty handle when it cannot be opened.
netns::Handle try_open(const std::string &name)
{
    try {
        return netns::get_from_name(name);
    } catch (const std::system_error &) {
        return {};
    }
}

// A namespace we can open whose id (in our namespace) is `id`: one of the
// names (the first, sorted). An empty handle when none is.
netns::Handle open_by_id(const std::vector<NamedId> &names, int id)
{
    for (const auto &[n, i] : names)
        if (i == id)
            if (netns::Handle ns = try_open(n))
                return ns;
    return {};
}

// The id that `target` has for `ns` (-ENOENT: none), or a negative errno.
int id_in(const netns::Handle &ns, const netns::Handle &target)
{
    try {
        return netns::get_id_in(ns, target);
    } catch (const std::system_error &e) {
        return rc_of(e);
    }
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
        if (w == "target-nsid")
            target = list_id_value(line, &i, "target-nsid", target);
        else if (w == "nsid")
            nsid = list_id_value(line, &i, "nsid", nsid);
        else
            ip_usage(); // as ip: its usage, on stderr
    }
    prepare(false);
    std::vector<int> ids;
    try {
        ids = netns::list_id();
    } catch (const std::system_error &e) {
        fail("Cannot list namespace ids: %s", why(rc_of(e)));
    }
    // The names of the ids (the first name of an id, sorted).
    std::vector<NamedId> names;
    if (!ids.empty())
        names = names_with_ids();
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
    bool assigned_target = std::find(ids.begin(), ids.end(), target) != ids.end();
    bool assigned_nsid = std::find(ids.begin(), ids.end(), nsid) != ids.end();

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
            fail_with(exit_netlink, "Error: Peer netns reference is invalid.");
        rows.push_back(row_for(nsid, -2));
        print_id_rows(rows);
        return exit_ok;
    }
    // As seen from the namespace with id `target`: its ids, and ours of
    // the same namespaces. Only namespaces the tool can open (the names,
    // its own) can be matched; the others show "current-nsid unassigned".
    if (!assigned_target)
        fail_with(nsid >= 0 ? exit_netlink : exit_failure,
                  nsid >= 0 ? "Error: Invalid target network namespace id."
                            : "Error: Invalid target network namespace id.\nDump terminated");
    netns::Handle tns = open_by_id(names, target);
    if (!tns)
        fail("Cannot open the network namespace with nsid %d", target);
    if (nsid >= 0) {
        if (!assigned_nsid)
            fail_with(exit_netlink, "Error: Peer netns reference is invalid.");
        netns::Handle peer = open_by_id(names, nsid);
        if (!peer)
            fail_with(exit_netlink, "Cannot open the network namespace with nsid %d", nsid);
        int seen = id_in(peer, tns);
        if (seen < 0 && seen != -ENOENT)
            fail_with(exit_netlink, "Cannot read nsid %d of nsid %d: %s", nsid, target, why(seen));
        rows.push_back(row_for(seen < 0 ? -1 : seen, nsid));
        print_id_rows(rows);
        return exit_ok;
    }
    // Candidates: every name (each namespace once) and our own namespace.
    std::vector<std::pair<int, int>> seen_current; // (id in target, id here)
    std::vector<int> done;
    auto consider = [&](const netns::Handle &ns, int current) {
        if (int seen = id_in(ns, tns); seen >= 0)
            seen_current.emplace_back(seen, current);
    };
    for (const auto &[n, id] : names) {
        if (id < 0 || std::find(done.begin(), done.end(), id) != done.end())
            continue;
        done.push_back(id);
        if (netns::Handle ns = try_open(n))
            consider(ns, id);
    }
    for (const auto &[n, id] : names) {
        if (id >= 0)
            continue;
        if (netns::Handle ns = try_open(n))
            consider(ns, -1);
    }
    try {
        consider(netns::get(), -1);
    } catch (const std::system_error &) {
    }
    std::vector<int> target_ids;
    try {
        target_ids = netns::run(tns, [] { return netns::list_id(); });
    } catch (const std::system_error &e) {
        fail("Cannot list the nsids of nsid %d: %s", target, why(rc_of(e)));
    }
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

int cmd_set(Line &line)
{
    if (line.operands.empty())
        fail("No netns name specified");
    if (line.operands.size() < 2)
        fail("No nsid specified");
    no_extra(line, 2);
    const char *text = line.operands[1];
    int id = -1;
    if (std::strcmp(text, "auto") != 0) {
        if (!parse_integer(text, &id))
            usage_fail("Error: argument \"%s\" is wrong: Invalid \"netnsid\" value", text);
        if (id < 0)
            usage_fail("Error: argument \"%s\" is wrong: \"netnsid\" value should be >= 0", text);
    }
    prepare(false);
    netns::Handle ns = open_name(line.operands[0], exit_netlink);
    try {
        (void)netns::set_id(ns, id);
    } catch (const std::system_error &e) {
        // The kernel's words, as ip prints them.
        int rc = rc_of(e);
        if (rc == -EEXIST) {
            bool has_one = true;
            try {
                (void)netns::get_id(ns);
            } catch (const std::system_error &) {
                has_one = false;
            }
            fail_with(exit_netlink, has_one ? "Error: Peer netns already has a nsid assigned."
                                            : "Error: The specified nsid is already used.");
        }
        fail_with(exit_netlink, "Cannot set nsid of \"%s\": %s", line.operands[0], why(rc));
    }
    return exit_ok;
}

} // namespace cli
