// SPDX-License-Identifier: Apache-2.0
// Creating, naming and deleting in the C++ wrapper, <netns/netns.hpp>:
// create() (anonymous and named), create_at()/delete_at(), attach(),
// attach_fd() (with get_from_pidfd()), check_name() and run_dir(). Built as
// C++20 (tests-cxx-naming) and C++17 (tests-cxx17-naming). Runs in the
// privileged-test sandbox (main.cpp): /run is a private tmpfs.
#include "catch.hpp"
#include "cxx_test.hpp"
#include "helpers.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <utility>
#include <vector>

// t::SetGuard (helpers.hpp) is the suite's own safety net, independent of
// the netns::SetGuard under test.
namespace t = netns::test;
using netns::Handle;
using netns::test::error_of;
using netns::test::NameGuard;
using netns::test::run_dir;
using netns::test::Sleeper;

TEST_CASE("create: an anonymous namespace; the thread does not move (" CXX_STD ")", "[cxx][create]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        Handle home = netns::get();
        Handle a = netns::create();
        CHECK(t::thread_ns_id() == here);
        REQUIRE(a);
        CHECK(a != home);
        CHECK(netns::is_netns(a));
        CHECK((::fcntl(a.fd(), F_GETFD) & FD_CLOEXEC) != 0);
        // A null name is anonymous too, as in C.
        Handle b = netns::create(static_cast<const char *>(nullptr));
        CHECK(t::thread_ns_id() == here);
        CHECK(b != a);
        CHECK(b != home);
        // Nothing was persisted: no entry of the run dir is one of them.
        // (Only that: other tests and tools may add entries meanwhile.)
        for (const auto &entry : t::list_dir(t::run_dir())) {
            int fd = netns_get_from_path((t::run_dir() + "/" + entry).c_str());
            if (fd < 0)
                continue; // not a namespace: not ours either
            CHECK_FALSE(netns_equal(fd, a.fd()));
            CHECK_FALSE(netns_equal(fd, b.fd()));
            ::close(fd);
        }
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("create(name): persisted like new_named, without moving the thread", "[cxx][create]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        Handle home = netns::get();
        NameGuard g(t::unique_name("cxx-create"));
        Handle made = netns::create(g.name());
        CHECK(t::thread_ns_id() == here);
        CHECK(made != home);
        CHECK(netns::get_from_name(g.name()) == made);
        CHECK(t::mounts_at(t::run_dir() + "/" + g.name()) == 1);

        SECTION("the const char* overload")
        {
            NameGuard c(t::unique_name("cxx-create-c"));
            Handle made_c = netns::create(c.name().c_str());
            CHECK(t::thread_ns_id() == here);
            CHECK(netns::get_from_name(c.name()) == made_c);
            CHECK(made_c != made);
        }
        SECTION("a taken name: EEXIST; the thread stays, the entry is untouched")
        {
            CHECK(error_of([&] { (void)netns::create(g.name()); }, "netns_create") == EEXIST);
            CHECK(t::thread_ns_id() == here);
            CHECK(netns::get_from_name(g.name()) == made);
        }
        SECTION("invalid names: EINVAL; nothing moves or is made")
        {
            int mounts = t::mount_count();
            const std::string bad[] = {
                "", ".", "..", "a/b", std::string(256, 'n'), std::string("nul\0name", 8)};
            for (const auto &name : bad) {
                INFO("name of " << name.size() << " bytes: " << name);
                CHECK(error_of([&] { (void)netns::create(name); }, "netns_create") == EINVAL);
            }
            CHECK(t::thread_ns_id() == here);
            CHECK(t::mount_count() == mounts);
        }
        netns::delete_named(g.name());
        CHECK(t::mounts_at(t::run_dir() + "/" + g.name()) == 0);
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("create_at and delete_at", "[cxx][create]")
{
    t::SetGuard keep;
    int before = t::fd_count();
    const std::string here = t::thread_ns_id();
    {
        t::TempDir dir;
        t::UnmountAtExit unmount(dir.path());
        const std::string path = dir / "ns";
        Handle home = netns::get();
        Handle made = netns::create_at(path);
        CHECK(t::thread_ns_id() == here);
        CHECK(made != home);
        CHECK(t::mounts_at(path) == 1);
        CHECK(netns::get_from_path(path) == made);

        // Errors of create_at, each really provoked; none moves the thread.
        CHECK(error_of([&] { (void)netns::create_at(path); }, "netns_create_at") == EEXIST);
        CHECK(t::mounts_at(path) == 1);
        CHECK(error_of([&] { (void)netns::create_at(dir / "missing/ns"); }, "netns_create_at") ==
              ENOENT);
        CHECK(error_of([&] { (void)netns::create_at(dir.path() + "/"); }, "netns_create_at") ==
              EINVAL);
        CHECK(error_of([] { (void)netns::create_at(""); }, "netns_create_at") == EINVAL);
        CHECK(error_of([] { (void)netns::create_at(static_cast<const char *>(nullptr)); },
                       "netns_create_at") == EINVAL);
        CHECK(error_of([&] { (void)netns::create_at(path + std::string("\0x", 2)); },
                       "netns_create_at") == EINVAL);
        CHECK(t::thread_ns_id() == here);

        // delete_at and its errors.
        CHECK(error_of([&] { netns::delete_at(dir.path()); }, "netns_delete_at") == EISDIR);
        CHECK(t::exists(dir.path()));
        CHECK(error_of([] { netns::delete_at("/proc/self/ns/net"); }, "netns_delete_at") == EINVAL);
        CHECK(error_of([&] { netns::delete_at(path + std::string("\0x", 2)); },
                       "netns_delete_at") == EINVAL);
        CHECK(t::mounts_at(path) == 1);
        netns::delete_at(path.c_str());
        CHECK(t::mounts_at(path) == 0);
        CHECK_FALSE(t::exists(path));
        CHECK(error_of([&] { netns::delete_at(path); }, "netns_delete_at") == ENOENT);
        CHECK(t::thread_ns_id() == here);

        // The namespace lives on in the handle; the std::string overload
        // makes a new one at the same path.
        CHECK(netns::is_netns(made));
        Handle again = netns::create_at(std::string(path));
        CHECK(again != made);
        netns::delete_at(std::string(path));
        CHECK_FALSE(t::exists(path));
    }
    CHECK(t::fd_count() == before);
}

TEST_CASE("check_name and run_dir (" CXX_STD ")", "[cxx][names]")
{
    CHECK_NOTHROW(netns::check_name("a"));
    CHECK_NOTHROW(netns::check_name(std::string(255, 'n')));
    for (const std::string &bad :
         {std::string(), std::string("."), std::string(".."), std::string("a/b"),
          std::string(256, 'n'), std::string("a\0b", 3)})
        CHECK(error_of([&] { netns::check_name(bad); }, "netns_check_name") == EINVAL);
    {
        t::ScopedEnv env("NETNS_RUN_DIR", nullptr);
        CHECK(netns::run_dir() == "/run/netns");
    }
    // Longer than the first buffer: the exact size on the second call.
    const std::string deep = "/run/tmp/" + std::string(200, 'd') + "/netns";
    t::ScopedEnv env("NETNS_RUN_DIR", deep.c_str());
    CHECK(netns::run_dir() == deep);
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
