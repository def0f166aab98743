// SPDX-License-Identifier: Apache-2.0
// The 0.3 part of the C++ wrapper, <netns/netns.hpp>: list(), identify(),
// pids() (collected and with an early-stopping callable), get_from_pidfd(),
// attach()/attach_fd(), get_id()/set_id()/get_id_in() and Monitor, and
// 0.4's list_id(). Built
// as C++20 (tests-cxx-walk) and C++17 (tests-cxx-walk17). Runs in the
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
using t::error_of;
using t::NameGuard;

namespace {

// A child sleeping in ns, killed and reaped when the scope ends.
class Sleeper {
public:
    explicit Sleeper(const Handle &ns) : pid_(netns::spawn(ns, "/bin/sleep", {"sleep", "1000"})) {}
    ~Sleeper()
    {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    Sleeper(const Sleeper &) = delete;
    Sleeper &operator=(const Sleeper &) = delete;
    pid_t pid() const { return pid_; }

private:
    pid_t pid_;
};

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

struct Boom : std::runtime_error {
    Boom() : std::runtime_error("boom") {}
};

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

TEST_CASE("get_from_pidfd, attach, attach_fd", "[cxx][attach]")
{
    if (!netns::test::have_pidfd_open()) {
        WARN("skipped: pidfd_open(2) is not available (Linux before 5.3, or valgrind 3.19)");
        return;
    }
    t::SetGuard keep;
    Handle ns = netns::create();
    Sleeper child(ns);
    netns::Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, child.pid(), 0)));
    REQUIRE(pidfd.fd() >= 0);

    CHECK(netns::get_from_pidfd(pidfd.fd()) == ns);
    Handle not_pidfd(::open("/", O_RDONLY | O_CLOEXEC));
    CHECK(error_of([&] { (void)netns::get_from_pidfd(not_pidfd.fd()); }, "netns_get_from_pidfd") ==
          EINVAL);
    CHECK(error_of([] { (void)netns::get_from_pidfd(-1); }, "netns_get_from_pidfd") == EBADF);

    NameGuard by_pid(t::unique_name("attach"));
    netns::attach(by_pid.name(), child.pid());
    CHECK(netns::get_from_name(by_pid.name()) == ns);
    // A name that is taken: EEXIST, as std::system_error.
    CHECK(error_of([&] { netns::attach(by_pid.name(), child.pid()); }, "netns_attach") == EEXIST);
    CHECK(error_of([&] { netns::attach(t::unique_name("x"), 0); }, "netns_attach") == EINVAL);
    CHECK(error_of([&] { netns::attach(std::string("a\0b", 3), child.pid()); }, "netns_attach") ==
          EINVAL);

    NameGuard by_fd(t::unique_name("attach-fd"));
    netns::attach_fd(by_fd.name(), ns);
    CHECK(ns.is_open()); // still ours
    CHECK(netns::get_from_name(by_fd.name()) == ns);
    CHECK(error_of([&] { netns::attach_fd(by_fd.name(), ns); }, "netns_attach_fd") == EEXIST);
    CHECK(error_of([&] { netns::attach_fd(t::unique_name("y"), Handle()); }, "netns_attach_fd") ==
          EBADF);
}

TEST_CASE("get_id, set_id, get_id_in", "[cxx][nsid]")
{
    t::SetGuard keep;
    // In a namespace of the test's own, whose nsid table starts empty (as
    // root the sandbox shares the host's network namespace).
    Handle home = netns::create();
    netns::run(home, [&] {
        Handle ns = netns::create();
        Handle here = netns::get();
        REQUIRE(here == home);
        CHECK(error_of([&] { (void)netns::get_id(ns); }, "netns_get_id") == ENOENT);
        CHECK(error_of([&] { (void)netns::get_id_in(ns, here); }, "netns_get_id_in") == ENOENT);

        int id = netns::set_id(ns);
        CHECK(id >= 0);
        CHECK(netns::get_id(ns) == id);
        CHECK(netns::get_id_in(ns, here) == id);
        CHECK(error_of([&] { (void)netns::set_id(ns, id + 1); }, "netns_set_id") == EEXIST);

        // A chosen id, and another namespace's view.
        Handle other = netns::create();
        int chosen = id + 100;
        CHECK(netns::set_id(other, chosen) == chosen);
        CHECK(netns::get_id(other) == chosen);
        CHECK(error_of([&] { (void)netns::get_id_in(other, ns); }, "netns_get_id_in") == ENOENT);

        CHECK(error_of([] { (void)netns::get_id(Handle()); }, "netns_get_id") == EBADF);
    });
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

TEST_CASE("list_id: the nsids, ascending; early stop; errors of f (" CXX_STD ")",
          "[cxx][nsid][list_id]")
{
    t::SetGuard keep;
    // In a namespace of the test's own: its nsid table holds only the ids
    // the test sets.
    Handle home = netns::create();
    netns::run(home, [&] {
        CHECK(netns::list_id().empty());
        Handle a = netns::create(), b = netns::create(), c = netns::create();
        REQUIRE(netns::set_id(a, 30) == 30);
        REQUIRE(netns::set_id(b, 4) == 4);
        int picked = netns::set_id(c);
        std::vector<int> want{4, 30, picked};
        std::sort(want.begin(), want.end());
        CHECK(netns::list_id() == want);

        std::vector<int> seen;
        CHECK_FALSE(netns::list_id([&](int id) { seen.push_back(id); }));
        CHECK(seen == want);
        // A bool result stops the walk; f may call the library.
        seen.clear();
        CHECK(netns::list_id([&](int id) {
            seen.push_back(id);
            return netns::get_id(a) == 30 && seen.size() == 2;
        }));
        CHECK(seen == std::vector<int>{want[0], want[1]});
        CHECK_THROWS_AS(netns::list_id([](int) -> bool { throw Boom(); }), Boom);
    });
}
