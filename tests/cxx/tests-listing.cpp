// SPDX-License-Identifier: Apache-2.0
// Listing, identifying and watching in the C++ wrapper, <netns/netns.hpp>:
// list(), identify(), pids() (collected and with an early-stopping
// callable) and Monitor. Built as C++20 (tests-cxx-listing) and C++17
// (tests-cxx17-listing). Runs in the
// privileged-test sandbox (main.cpp): /run is a private tmpfs, but the run
// dir may hold other tests' entries, so only our own names are looked at.
#include "catch.hpp"
#include "cxx_test.hpp"
#include "helpers.hpp"

#include <netns/netns.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <string>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace t = netns::test;
using netns::Handle;
using t::Boom;
using t::error_of;
using t::NameGuard;
using t::Sleeper;

namespace {

bool contains(const std::vector<std::string> &names, const std::string &name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Waits up to 5 s for fd to be readable.
bool readable(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 5000) == 1 && (p.revents & POLLIN) != 0;
}

// The events of monitor m about `name` only (the run dir may be shared),
// reading until `want` of them came or 5 s passed.
std::vector<netns::Event> events_of(netns::Monitor &m, const std::string &name, size_t want)
{
    std::vector<netns::Event> out;
    for (int i = 0; i < 50 && out.size() < want; ++i) {
        pollfd p{m.fd(), POLLIN, 0};
        ::poll(&p, 1, 100);
        for (auto &[event, n] : m.read())
            if (n == name)
                out.push_back(event);
    }
    return out;
}

} // namespace

TEST_CASE("list: our names, sorted; early stop; errors of f (" CXX_STD ")", "[cxx][walk]")
{
    t::SetGuard keep;
    // "a" and "b" tags: a is sorted before b (same prefix).
    NameGuard a(t::unique_name("walk-a"));
    NameGuard b(a.name() + "-b");
    Handle ns = netns::create(a.name());
    netns::attach_fd(b.name(), ns);

    std::vector<std::string> names = netns::list();
    REQUIRE(contains(names, a.name()));
    REQUIRE(contains(names, b.name()));
    CHECK(std::is_sorted(names.begin(), names.end()));
    CHECK(std::find(names.begin(), names.end(), a.name()) <
          std::find(names.begin(), names.end(), b.name()));

    SECTION("a callable returning void sees every name")
    {
        std::vector<std::string> seen;
        CHECK_FALSE(netns::list([&](const std::string &name) { seen.push_back(name); }));
        CHECK(contains(seen, a.name()));
        CHECK(contains(seen, b.name()));
    }
    SECTION("true stops the walk at once")
    {
        int calls = 0;
        CHECK(netns::list([&](std::string_view) { return ++calls == 1; }));
        CHECK(calls == 1);
    }
    SECTION("what f throws stops the walk and reaches the caller")
    {
        int calls = 0;
        CHECK_THROWS_AS(netns::list([&](const std::string &) {
                            ++calls;
                            throw Boom();
                        }),
                        Boom);
        CHECK(calls == 1);
    }
    netns::delete_named(b.name());
    netns::delete_named(a.name());
    names = netns::list();
    CHECK_FALSE(contains(names, a.name()));
    CHECK_FALSE(contains(names, b.name()));
}

TEST_CASE("identify: every alias of a process's namespace; errors", "[cxx][walk]")
{
    t::SetGuard keep;
    NameGuard a(t::unique_name("id-a"));
    NameGuard b(t::unique_name("id-b"));
    Handle ns = netns::create(a.name());
    netns::attach_fd(b.name(), ns);
    Sleeper child(ns);

    std::vector<std::string> names = netns::identify(child.pid());
    CHECK(contains(names, a.name()));
    CHECK(contains(names, b.name()));

    int calls = 0;
    CHECK(netns::identify(child.pid(), [&](const std::string &) { return ++calls > 0; }));
    CHECK(calls == 1);

    // A namespace of no name: no names, no error.
    Handle anon = netns::create();
    Sleeper nameless(anon);
    CHECK(netns::identify(nameless.pid()).empty());

    CHECK(error_of([] { (void)netns::identify(0); }, "netns_identify") == EINVAL);
    CHECK(error_of([] { (void)netns::identify(t::dead_pid()); }, "netns_identify") == ESRCH);
}

TEST_CASE("pids: the processes of a namespace, ascending; early stop; errors", "[cxx][walk]")
{
    t::SetGuard keep;
    Handle ns = netns::create();
    CHECK(netns::pids(ns).empty());
    {
        Sleeper one(ns), two(ns);
        std::vector<pid_t> pids = netns::pids(ns);
        std::vector<pid_t> want{one.pid(), two.pid()};
        std::sort(want.begin(), want.end());
        CHECK(pids == want);

        std::vector<pid_t> seen;
        CHECK(netns::pids(ns, [&](pid_t pid) {
            seen.push_back(pid);
            return true;
        }));
        CHECK(seen == std::vector<pid_t>{want[0]});

        CHECK_THROWS_AS(netns::pids(ns, [](pid_t) -> bool { throw Boom(); }), Boom);
    }
    CHECK(netns::pids(ns).empty());
    CHECK(error_of([] { (void)netns::pids(Handle()); }, "netns_pids") == EBADF);
    Handle not_netns(::open("/", O_RDONLY | O_CLOEXEC));
    CHECK(error_of([&] { (void)netns::pids(not_netns); }, "netns_pids") == EINVAL);
}

TEST_CASE("Monitor: readable after an add, reports ADD then DEL; move-only; close",
          "[cxx][monitor]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    {
        netns::Monitor m = netns::monitor_open();
        REQUIRE(m.is_open());
        CHECK(m.read().empty());

        NameGuard name(t::unique_name("mon"));
        Handle ns = netns::create(name.name());
        CHECK(readable(m.fd()));
        CHECK(events_of(m, name.name(), 1) == std::vector<netns::Event>{netns::Event::add});
        netns::delete_named(name.name());
        CHECK(events_of(m, name.name(), 1) == std::vector<netns::Event>{netns::Event::del});

        SECTION("a callable may stop the delivery; the rest is kept")
        {
            NameGuard x(t::unique_name("mon-x")), y(t::unique_name("mon-y"));
            Handle nx = netns::create(x.name());
            Handle ny = netns::create(y.name());
            CHECK(readable(m.fd()));
            int calls = 0;
            int taken = m.read([&](netns::Event, const std::string &) { return ++calls == 1; });
            CHECK(taken == 1);
            CHECK(calls == 1);
            // The other events are still there (ours at least; others' too).
            std::vector<std::string> rest;
            for (auto &[event, n] : m.read())
                rest.push_back(n);
            CHECK(!rest.empty());
        }
        SECTION("what the callable throws reaches the caller")
        {
            NameGuard x(t::unique_name("mon-t"));
            Handle nx = netns::create(x.name());
            CHECK(readable(m.fd()));
            CHECK_THROWS_AS(m.read([](netns::Event, const std::string &) { throw Boom(); }), Boom);
        }
        SECTION("moved, then closed")
        {
            netns::Monitor moved = std::move(m);
            CHECK_FALSE(m.is_open());
            CHECK(moved.is_open());
            moved.close();
            CHECK_FALSE(moved.is_open());
            moved.close(); // a no-op
            CHECK(error_of([&] { (void)moved.read(); }, "netns_monitor_read") == EBADF);
        }
    }
    CHECK(t::fd_count() == before);
}
