// SPDX-License-Identifier: Apache-2.0
// Namespace ids through the C API (netns.h's sixth group): netns_get_id, netns_set_id,
// netns_get_id_in, and interoperation with iproute2 (`ip netns set`,
// `ip netns list-id`) both ways. Each test moves its thread into a fresh
// namespace of its own first, so the ids it sets go into a table only it
// uses; every call must leave the thread where it was and leak no
// descriptor. Runs in the sandbox (sandbox.h): /run is private.
#include "capi_guards.hpp"
#include "catch.hpp"
#include "helpers.hpp"
#include "unmoved.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <unistd.h>

using netns::test::have_program;
using netns::test::run_command;
using netns::test::unique_name;
using netns::test::Unmoved;

namespace {

// A handle that must have opened, closed at scope exit.
struct Handle : netns::test::Handle {
    explicit Handle(int h) : netns::test::Handle(h) { REQUIRE(h >= 0); }
};

// The test thread in a namespace of its own for the test's length.
struct Home {
    netns::test::SetGuard keep;
    Handle ns{netns_create(nullptr)};
    Home() { REQUIRE(netns_set(ns.fd) == 0); }
};

// A name made by `ip netns add`, deleted at scope exit. iproute2 has its
// own run dir (/run/netns here: the sandbox's private /run), whatever
// NETNS_RUN_DIR says; names are unique, so a shared dir is no problem.
struct IpName {
    std::string name;
    explicit IpName(const std::string &tag) : name(unique_name(tag))
    {
        REQUIRE(run_command("ip netns add " + name) == 0);
    }
    ~IpName() { (void)run_command("ip netns delete " + name + " 2>/dev/null"); }
    IpName(const IpName &) = delete;
    IpName &operator=(const IpName &) = delete;
    // A handle to it, by iproute2's path.
    int open() const
    {
        for (const char *dir : {"/run/netns/", "/var/run/netns/"}) {
            int h = netns_get_from_path((dir + name).c_str());
            if (h >= 0)
                return h;
        }
        return -ENOENT;
    }
};

// What a shell command prints.
std::string output_of(const std::string &cmd)
{
    std::string out;
    FILE *p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[512];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    ::pclose(p);
    return out;
}

bool have_ip()
{
    if (have_program("ip"))
        return true;
    WARN("iproute2 is not installed: skipping the `ip netns` checks");
    return false;
}

} // namespace

TEST_CASE("netns_get_id, netns_set_id: assign, read back, EEXIST", "[capi][nsid]")
{
    Home home;
    Handle a{netns_create(nullptr)}, b{netns_create(nullptr)};
    Unmoved u;
    CHECK(netns_get_id(a.fd) == -ENOENT);
    CHECK(netns_set_id(a.fd, 7) == 7);
    CHECK(netns_get_id(a.fd) == 7);
    CHECK(netns_set_id(a.fd, 7) == -EEXIST);
    CHECK(netns_set_id(a.fd, 8) == -EEXIST);
    CHECK(netns_set_id(b.fd, 7) == -EEXIST);
    CHECK(netns_get_id(b.fd) == -ENOENT);
    int picked = netns_set_id(b.fd, -1);
    CHECK(picked >= 0);
    CHECK(picked != 7);
    CHECK(netns_get_id(b.fd) == picked);
    Handle c{netns_create(nullptr)};
    CHECK(netns_set_id(c.fd, INT_MAX) == INT_MAX);
    CHECK(netns_get_id(c.fd) == INT_MAX);
}

TEST_CASE("netns_get_id, netns_set_id, netns_get_id_in: bad descriptors", "[capi][nsid][errors]")
{
    Home home;
    Handle ns{netns_create(nullptr)};
    int pipefd[2];
    REQUIRE(::pipe2(pipefd, O_CLOEXEC) == 0);
    int uts = ::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
    REQUIRE(uts >= 0);
    int closed = ::dup(ns.fd);
    REQUIRE(closed >= 0);
    ::close(closed);
    {
        Unmoved u;
        for (int bad : {NETNS_NONE, closed}) {
            INFO("fd " << bad);
            CHECK(netns_get_id(bad) == -EBADF);
            CHECK(netns_set_id(bad, 1) == -EBADF);
            CHECK(netns_get_id_in(bad, ns.fd) == -EBADF);
            CHECK(netns_get_id_in(ns.fd, bad) == -EBADF);
        }
        for (int bad : {pipefd[0], pipefd[1], uts}) {
            INFO("fd " << bad);
            CHECK(netns_get_id(bad) == -EINVAL);
            CHECK(netns_set_id(bad, 1) == -EINVAL);
            CHECK(netns_set_id(bad, -1) == -EINVAL);
            CHECK(netns_get_id_in(bad, ns.fd) == -EINVAL);
            CHECK(netns_get_id_in(ns.fd, bad) == -EINVAL);
        }
        CHECK(netns_get_id(ns.fd) == -ENOENT);
    }
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    ::close(uts);
}

TEST_CASE("netns_get_id_in: the view from inside target, nothing assigned", "[capi][nsid]")
{
    Home home;
    Handle ns{netns_create(nullptr)}, target{netns_create(nullptr)}, other{netns_create(nullptr)};
    // Inside target, ns gets 5 (the thread goes there and back).
    REQUIRE(netns_set(target.fd) == 0);
    CHECK(netns_set_id(ns.fd, 5) == 5);
    REQUIRE(netns_set(home.ns.fd) == 0);

    SECTION("target has no id here: a socket inside target")
    {
        Unmoved u;
        CHECK(netns_get_id_in(ns.fd, target.fd) == 5);
        CHECK(netns_get_id_in(other.fd, target.fd) == -ENOENT);
        CHECK(netns_get_id(target.fd) == -ENOENT); // still none
    }
    SECTION("target has an id here: NETNSA_TARGET_NSID")
    {
        REQUIRE(netns_set_id(target.fd, 2) == 2);
        Unmoved u;
        CHECK(netns_get_id_in(ns.fd, target.fd) == 5);
        CHECK(netns_get_id_in(other.fd, target.fd) == -ENOENT);
        CHECK(netns_get_id(target.fd) == 2);
    }
    // No id appeared anywhere on the way.
    CHECK(netns_get_id(ns.fd) == -ENOENT);
    CHECK(netns_get_id(other.fd) == -ENOENT);
    REQUIRE(netns_set(target.fd) == 0);
    CHECK(netns_get_id(other.fd) == -ENOENT);
    CHECK(netns_get_id(home.ns.fd) == -ENOENT);
    REQUIRE(netns_set(home.ns.fd) == 0);
}

TEST_CASE("ids set by netns_set_id appear in `ip netns list-id`", "[capi][nsid][iproute2]")
{
    if (!have_ip())
        return;
    Home home;
    IpName named("setid");
    Handle h{named.open()};
    Handle anon{netns_create(nullptr)};
    const int id = netns_set_id(h.fd, 23);
    REQUIRE(id == 23);
    const int picked = netns_set_id(anon.fd, -1);
    REQUIRE(picked >= 0);
    // `ip netns list-id` lists the ids of the namespace it runs in: home.
    const std::string listing = output_of("ip netns list-id");
    INFO(listing);
    CHECK(listing.find("nsid 23 (iproute2 netns name: " + named.name + ")\n") != std::string::npos);
    CHECK(listing.find("nsid " + std::to_string(picked) + " ") != std::string::npos);
    // `ip netns list` shows it next to the name.
    CHECK(run_command("ip netns list | grep -qx '" + named.name + " (id: 23)'") == 0);
}

TEST_CASE("ids set by `ip netns set` are read by netns_get_id", "[capi][nsid][iproute2]")
{
    if (!have_ip())
        return;
    Home home;
    IpName fixed("ipset"), automatic("ipauto");
    Handle f{fixed.open()}, a{automatic.open()};
    REQUIRE(run_command("ip netns set " + fixed.name + " 31") == 0);
    REQUIRE(run_command("ip netns set " + automatic.name + " auto") == 0);
    Unmoved u;
    CHECK(netns_get_id(f.fd) == 31);
    const int picked = netns_get_id(a.fd);
    CHECK(picked >= 0);
    CHECK(picked != 31);
    const std::string listing = output_of("ip netns list-id");
    INFO(listing);
    CHECK(listing.find("nsid " + std::to_string(picked) +
                       " (iproute2 netns name: " + automatic.name + ")\n") != std::string::npos);
    // And once set by iproute2, netns_set_id says EEXIST.
    CHECK(netns_set_id(f.fd, 32) == -EEXIST);
    CHECK(netns_set_id(a.fd, -1) == -EEXIST);
}

TEST_CASE("netns_get_id_in reads ids set inside target by `ip netns exec ... ip netns set`",
          "[capi][nsid][iproute2]")
{
    if (!have_ip())
        return;
    Home home;
    IpName target("target"), peer("peer");
    Handle t{target.open()}, p{peer.open()};
    REQUIRE(run_command("ip netns exec " + target.name + " ip netns set " + peer.name + " 17") ==
            0);
    Unmoved u;
    CHECK(netns_get_id_in(p.fd, t.fd) == 17); // a socket inside target
    CHECK(netns_get_id(p.fd) == -ENOENT);
    REQUIRE(netns_set_id(t.fd, 3) == 3);
    CHECK(netns_get_id_in(p.fd, t.fd) == 17); // NETNSA_TARGET_NSID
    // iproute2's own view of it agrees.
    const std::string listing = output_of("ip netns exec " + target.name + " ip netns list-id");
    INFO(listing);
    CHECK(listing.find("nsid 17 (iproute2 netns name: " + peer.name + ")\n") != std::string::npos);
}

// ---- netns_list_id (LIBNETNS_0.4) ----

#include <algorithm>
#include <regex>
#include <sys/resource.h>
#include <sys/wait.h>
#include <vector>

namespace {

// Every id netns_list_id reports, in order; rc its return value.
struct Listed {
    std::vector<int> ids;
    int rc = 0;
};
Listed list_ids()
{
    Listed out;
    out.rc = netns_list_id(
        [](int id, void *arg) {
            static_cast<std::vector<int> *>(arg)->push_back(id);
            return 0;
        },
        &out.ids);
    return out;
}

// The nsids `ip -j netns list-id` prints, in its order.
std::vector<int> ip_ids()
{
    const std::string json = output_of("ip -j netns list-id");
    INFO(json);
    std::vector<int> ids;
    static const std::regex nsid("\"nsid\":\\s*(\\d+)");
    for (auto it = std::sregex_iterator(json.begin(), json.end(), nsid);
         it != std::sregex_iterator(); ++it)
        ids.push_back(std::stoi((*it)[1]));
    return ids;
}

// Only the ids in own, in order.
std::vector<int> only(const std::vector<int> &ids, const std::vector<int> &own)
{
    std::vector<int> kept;
    for (int id : ids)
        if (std::find(own.begin(), own.end(), id) != own.end())
            kept.push_back(id);
    return kept;
}

} // namespace

TEST_CASE("netns_list_id: the ids of the test's namespaces, ascending", "[capi][nsid][list_id]")
{
    Home home;
    {
        Unmoved u;
        Listed none = list_ids();
        CHECK(none.rc == 0);
        CHECK(none.ids.empty()); // home is fresh
    }
    Handle a{netns_create(nullptr)}, b{netns_create(nullptr)}, c{netns_create(nullptr)};
    REQUIRE(netns_set_id(a.fd, 300) == 300);
    REQUIRE(netns_set_id(b.fd, 2) == 2);
    const int picked = netns_set_id(c.fd, -1);
    REQUIRE(picked >= 0);
    std::vector<int> own;
    for (int fd : {a.fd, b.fd, c.fd})
        own.push_back(netns_get_id(fd));
    std::sort(own.begin(), own.end());
    Listed got;
    {
        Unmoved u;
        got = list_ids();
    }
    CHECK(got.rc == 0);
    CHECK(std::is_sorted(got.ids.begin(), got.ids.end()));
    CHECK(only(got.ids, own) == own);
}

TEST_CASE("netns_list_id: stopped by the callback, which may call the library",
          "[capi][nsid][list_id]")
{
    Home home;
    Handle a{netns_create(nullptr)}, b{netns_create(nullptr)}, c{netns_create(nullptr)};
    REQUIRE(netns_set_id(a.fd, 10) == 10);
    REQUIRE(netns_set_id(b.fd, 11) == 11);
    REQUIRE(netns_set_id(c.fd, 12) == 12);
    Unmoved u;
    struct Seen {
        std::vector<int> ids;
        int handle; // b: its id, read from inside the callback
        int inner = 0;
    } seen{{}, b.fd};
    int rc = netns_list_id(
        [](int id, void *arg) {
            auto *s = static_cast<Seen *>(arg);
            s->ids.push_back(id);
            s->inner = netns_get_id(s->handle);
            return id == s->inner ? 5 : 0; // stop at b's id
        },
        &seen);
    CHECK(rc == 5);
    CHECK(seen.inner == 11);
    CHECK(only(seen.ids, {10, 11, 12}) == std::vector<int>{10, 11});
    CHECK(seen.ids.back() == 11);
}

TEST_CASE("netns_list_id: EINVAL and EMFILE", "[capi][nsid][list_id][errors]")
{
    Home home;
    {
        Unmoved u;
        CHECK(netns_list_id(nullptr, nullptr) == -EINVAL);
    }
    if (std::getenv("NETNS_TEST_UNDER_VALGRIND") != nullptr) {
        WARN("EMFILE skipped under valgrind: it emulates RLIMIT_NOFILE and refuses to lower it "
             "here");
        return;
    }
    // No descriptor free: the netlink socket cannot be made. In a child, so
    // that the test process keeps its limit and descriptors.
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        rlimit lim{64, 64};
        if (::setrlimit(RLIMIT_NOFILE, &lim) != 0)
            ::_exit(2);
        while (::dup(0) >= 0) {
        }
        if (errno != EMFILE)
            ::_exit(3);
        int rc = netns_list_id([](int, void *) { return 0; }, nullptr);
        ::_exit(rc == -EMFILE ? 0 : 4);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("netns_list_id agrees with `ip -j netns list-id`", "[capi][nsid][list_id][iproute2]")
{
    if (!have_ip())
        return;
    Home home;
    IpName fixed("listid"), automatic("listauto");
    Handle f{fixed.open()}, anon{netns_create(nullptr)};
    REQUIRE(run_command("ip netns set " + fixed.name + " 41") == 0);
    REQUIRE(run_command("ip netns set " + automatic.name + " auto") == 0);
    REQUIRE(netns_set_id(anon.fd, 40) == 40);
    std::vector<int> own{40, 41};
    {
        Handle a{automatic.open()};
        own.push_back(netns_get_id(a.fd));
    }
    std::sort(own.begin(), own.end());
    // Both list the ids of the namespace they run in: home.
    Listed got;
    {
        Unmoved u;
        got = list_ids();
    }
    REQUIRE(got.rc == 0);
    const std::vector<int> ip = ip_ids();
    CHECK(only(got.ids, own) == own);
    CHECK(only(ip, own) == own);
    CHECK(only(got.ids, own) == only(ip, own));
}
