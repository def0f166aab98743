// SPDX-License-Identifier: Apache-2.0
//
// The commands that act once and print: list, add, del, identify, pids,
// attach, set, list-id, version, help.
#include "cli.hpp"
#include "rootless.hpp"

#include <netns/netns.h>
#include <netns/netns.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

namespace cli {

namespace {

using json = nlohmann::ordered_json; // keys in ip's order

void print_json(const json &doc) { std::printf("%s\n", doc.dump().c_str()); }

// The usual command line: only the global options, then exactly `min` to
// `max` operands (max < 0: no limit). Returns the first operand's index,
// or an exit code (negative: -code) after printing.
int operands(int argc, char **argv, int min, int max, const char *missing, int *first)
{
    int i = parse_options(argc, argv, nullptr, nullptr, nullptr, nullptr, false);
    if (i == -2)
        return exit_ok + 1000; // help printed
    if (i < 0)
        return exit_usage;
    int n = argc - i;
    if (n < min)
        return usage_error("%s", missing);
    if (max >= 0 && n > max)
        return usage_error("Too many arguments: \"%s\"", argv[i + max]);
    *first = i;
    return -1;
}

// Runs `parse`: -1 means go on; 1000 means help was printed (exit 0).
#define PARSE_OR_RETURN(expr)                                                    \
    do {                                                                         \
        int parse_rc_ = (expr);                                                  \
        if (parse_rc_ == 1000)                                                   \
            return exit_ok;                                                      \
        if (parse_rc_ >= 0)                                                      \
            return parse_rc_;                                                    \
    } while (0)

int invalid_name(const char *name) { return error("Invalid netns name \"%s\"", name); }

// Opens a name, with ip's message on failure (-1 then).
int open_name(const char *name)
{
    if (!valid_name(name)) {
        invalid_name(name);
        return -1;
    }
    int ns = netns_get_from_name(name);
    if (ns < 0)
        error("Cannot open network namespace \"%s\": %s", name, why(ns));
    return ns;
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

int list_failed(int rc)
{
    return error("Cannot list namespaces in \"%s\": %s", options().run_dir.c_str(), why(rc));
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

} // namespace

bool valid_name(const char *name)
{
    size_t len = std::strlen(name);
    return len != 0 && len <= 255 && std::strcmp(name, ".") != 0 &&
           std::strcmp(name, "..") != 0 && std::strchr(name, '/') == nullptr;
}

int cmd_list(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 0, 0, "", &first));
    if (int rc = rootless::prepare(false); rc != 0)
        return rc;
    std::vector<std::string> names;
    if (int rc = list_names(&names); rc < 0)
        return list_failed(rc);
    std::vector<int> ids;
    bool any_id = assigned_ids(&ids) != 0 || !ids.empty(); // unknown counts as some
    json doc = json::array();
    for (const std::string &name : names) {
        int id = any_id ? id_of(name) : -1;
        if (options().json) {
            json entry = {{"name", name}};
            if (id >= 0)
                entry["id"] = id;
            doc.push_back(std::move(entry));
        } else if (id >= 0) {
            std::printf("%s (id: %d)\n", name.c_str(), id);
        } else {
            std::printf("%s\n", name.c_str());
        }
    }
    if (options().json)
        print_json(doc);
    return exit_ok;
}

int cmd_add(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 1, 1, "No netns name specified", &first));
    const char *name = argv[first];
    if (!valid_name(name))
        return invalid_name(name);
    if (int rc = rootless::prepare(true); rc != 0)
        return rc;
    int ns = netns_create(name);
    if (ns < 0)
        return error("Cannot create namespace file \"%s\": %s", entry_path(name).c_str(),
                     why(ns));
    netns_close(&ns);
    return exit_ok;
}

namespace {

bool del_option(int opt, const char *, void *ctx)
{
    if (opt == 'a') {
        *static_cast<bool *>(ctx) = true;
        return true;
    }
    return false;
}

constexpr struct option del_long[] = {
    {"all", no_argument, nullptr, 'a'},
    {nullptr, 0, nullptr, 0},
};

int delete_one(const std::string &name)
{
    if (!valid_name(name.c_str()))
        return invalid_name(name.c_str());
    int rc = netns_delete_named(name.c_str());
    if (rc < 0)
        return error("Cannot remove namespace file \"%s\": %s", entry_path(name).c_str(),
                     why(rc));
    return exit_ok;
}

} // namespace

int cmd_del(int argc, char **argv)
{
    bool all = false;
    // ip's spelling, `ip netns del -all`, which getopt would read as -a -l -l.
    static char long_all[] = "--all";
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "-all") == 0)
            argv[i] = long_all;
    int first = parse_options(argc, argv, "a", del_long, del_option, &all, false);
    if (first == -2)
        return exit_ok;
    if (first < 0)
        return exit_usage;
    if (all && first < argc)
        return usage_error("Too many arguments: \"%s\"", argv[first]);
    if (!all && first == argc)
        return usage_error("No netns name specified");
    if (int rc = rootless::prepare(false); rc != 0)
        return rc;

    std::vector<std::string> names;
    if (all) {
        if (int rc = list_names(&names); rc < 0)
            return list_failed(rc);
    } else {
        names.assign(argv + first, argv + argc);
    }
    int status = exit_ok;
    for (const std::string &name : names)
        if (delete_one(name) != exit_ok)
            status = exit_failure;
    rootless::release_if_empty();
    return status;
}

int cmd_identify(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 0, 1, "", &first));
    int pid = getpid();
    if (first < argc && !parse_pid(argv[first], &pid))
        return usage_error("Invalid pid \"%s\"", argv[first]);
    if (int rc = rootless::prepare(false); rc != 0)
        return rc;
    std::vector<std::string> names;
    int rc = netns_identify(
        pid,
        [](const char *name, void *arg) {
            static_cast<std::vector<std::string> *>(arg)->emplace_back(name);
            return 0;
        },
        &names);
    if (rc < 0)
        return error("Cannot open network namespace of pid %d: %s", pid, why(rc));
    json doc = json::array();
    for (const std::string &name : names) {
        if (options().json)
            doc.push_back({{"name", name}});
        else
            std::printf("%s\n", name.c_str());
    }
    if (options().json)
        print_json(doc);
    return exit_ok;
}

int cmd_pids(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 1, 1, "No netns name specified", &first));
    if (int rc = rootless::prepare(false); rc != 0)
        return rc;
    netns::Handle ns(open_name(argv[first]));
    if (!ns)
        return exit_failure;
    std::vector<pid_t> pids;
    int rc = netns_pids(
        ns.fd(),
        [](pid_t pid, void *arg) {
            static_cast<std::vector<pid_t> *>(arg)->push_back(pid);
            return 0;
        },
        &pids);
    if (rc < 0)
        return error("Cannot list the processes of \"%s\": %s", argv[first], why(rc));
    json doc = json::array();
    for (pid_t pid : pids) {
        if (options().json)
            doc.push_back(pid);
        else
            std::printf("%d\n", static_cast<int>(pid));
    }
    if (options().json)
        print_json(doc);
    return exit_ok;
}

int cmd_attach(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 1, 2, "No netns name specified", &first));
    const char *name = argv[first];
    if (argc - first < 2)
        return usage_error("No pid specified");
    int pid;
    if (!parse_pid(argv[first + 1], &pid))
        return usage_error("Invalid pid \"%s\"", argv[first + 1]);
    if (!valid_name(name))
        return invalid_name(name);
    if (int rc = rootless::prepare(true); rc != 0)
        return rc;
    int rc = netns_attach(name, pid);
    if (rc == -ESRCH || rc == -EPERM || rc == -EACCES)
        return error("Cannot open network namespace of pid %d: %s", pid, why(rc));
    if (rc < 0)
        return error("Cannot create namespace file \"%s\": %s", entry_path(name).c_str(),
                     why(rc));
    return exit_ok;
}

int cmd_set(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 1, 2, "No netns name specified", &first));
    if (argc - first < 2)
        return usage_error("No nsid specified");
    const char *text = argv[first + 1];
    int id = -1;
    if (std::strcmp(text, "auto") != 0 && !parse_nsid(text, &id))
        return usage_error("Invalid nsid \"%s\"", text);
    if (int rc = rootless::prepare(false); rc != 0)
        return rc;
    netns::Handle ns(open_name(argv[first]));
    if (!ns)
        return exit_failure;
    int rc = netns_set_id(ns.fd(), id);
    if (rc < 0)
        return error("Cannot set nsid of \"%s\": %s", argv[first], why(rc));
    return exit_ok;
}

int cmd_list_id(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 0, 0, "", &first));
    if (int rc = rootless::prepare(false); rc != 0)
        return rc;
    std::vector<int> ids;
    if (int rc = assigned_ids(&ids); rc < 0)
        return error("Cannot list namespace ids: %s", why(rc));
    std::map<int, std::string> names;
    if (!ids.empty()) {
        std::vector<std::string> all;
        if (int rc = list_names(&all); rc < 0)
            return list_failed(rc);
        for (const std::string &name : all)
            if (int id = id_of(name); id >= 0)
                names.emplace(id, name); // the first name of an id (sorted)
    }
    json doc = json::array();
    for (int id : ids) {
        auto it = names.find(id);
        if (options().json) {
            json entry = {{"nsid", id}};
            if (it != names.end())
                entry["name"] = it->second;
            doc.push_back(std::move(entry));
        } else if (it != names.end()) {
            std::printf("nsid %d (iproute2 netns name: %s)\n", id, it->second.c_str());
        } else {
            std::printf("nsid %d\n", id);
        }
    }
    if (options().json)
        print_json(doc);
    return exit_ok;
}

int cmd_version(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 0, 0, "", &first));
    if (options().json)
        print_json({{"version", NETNS_VERSION_STRING}, {"libnetns", netns_version()}});
    else
        std::printf("netns %s (libnetns %s)\n", NETNS_VERSION_STRING, netns_version());
    return exit_ok;
}

int cmd_help(int argc, char **argv)
{
    int first;
    PARSE_OR_RETURN(operands(argc, argv, 0, 1, "", &first));
    if (first == argc) {
        print_usage(stdout);
        return exit_ok;
    }
    if (!print_command_usage(stdout, argv[first]))
        return usage_error("Command \"%s\" is unknown, try \"netns help\".", argv[first]);
    return exit_ok;
}

} // namespace cli
