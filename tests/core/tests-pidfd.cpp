// SPDX-License-Identifier: Apache-2.0
// Processes pinned by pidfds (src/pidfd.cpp): open_pidfd and
// get_from_pidfd, through the kernel's ioctl and through the /proc path
// that kernels before 6.11 take; then the fault-injection sweep.
#include "catch.hpp"
#include "fault_sweep.hpp"
#include "helpers.hpp"

#include "nsfd.hpp"
#include "pidfd.hpp"
#include "thread_ns.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace netns::core;
using netns::test::fault_errnos;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::Scratch;
using netns::test::sweep;

namespace {

// A child in namespace ns that waits for a byte on a pipe, then exits
// (not reaped until the destructor, so the test can look at a zombie).
class Child {
public:
    explicit Child(int ns)
    {
        int p[2];
        REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::close(p[1]);
            if (::setns(ns, CLONE_NEWNET) < 0)
                ::_exit(1);
            char c;
            (void)::read(p[0], &c, 1);
            ::_exit(0);
        }
        ::close(p[0]);
        go_ = p[1];
        REQUIRE(netns::test::wait_in_ns(pid_, ns));
    }
    ~Child()
    {
        if (go_ >= 0)
            ::close(go_);
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;
    pid_t pid() const { return pid_; }
    // Lets the child exit and waits until it is a zombie (not reaped).
    void exit_unreaped()
    {
        ::close(go_);
        go_ = -1;
        siginfo_t info{};
        REQUIRE(::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT) == 0);
    }

private:
    pid_t pid_;
    int go_ = -1;
};

} // namespace

TEST_CASE("open_pidfd: close-on-exec pidfds, and its errors", "[pidfd]")
{
    if (!netns::test::have_pidfd_open()) {
        WARN("skipped: pidfd_open(2) is not available (Linux before 5.3, or valgrind 3.19)");
        return;
    }
    auto fd = open_pidfd(::getpid());
    REQUIRE(fd.ok());
    CHECK((::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK(open_pidfd(0).error() == EINVAL);
    CHECK(open_pidfd(-1).error() == EINVAL);
    CHECK(open_pidfd(netns::test::dead_pid()).error() == ESRCH);
}

TEST_CASE("get_from_pidfd: the process's namespace, by ioctl and by /proc", "[pidfd]")
{
    if (!netns::test::have_pidfd_open()) {
        WARN("skipped: pidfd_open(2) is not available (Linux before 5.3, or valgrind 3.19)");
        return;
    }
    auto ns = create();
    REQUIRE(ns.ok());
    Child child(ns->get());
    auto pidfd = open_pidfd(child.pid());
    REQUIRE(pidfd.ok());
    const int fds = fd_count();
    for (bool use_ioctl : {true, false}) {
        INFO("use_ioctl " << use_ioctl);
        auto got = get_from_pidfd(pidfd->get(), "/proc", use_ioctl);
        REQUIRE(got.ok());
        CHECK(fd_ns_id(got->get()) == fd_ns_id(ns->get()));
        CHECK((::fcntl(got->get(), F_GETFD) & FD_CLOEXEC) != 0);
        auto type = ns_type(got->get());
        REQUIRE(type.ok());
        CHECK(type.value() == CLONE_NEWNET);
    }
    CHECK(fd_count() == fds);

    // Exited (a zombie, its pid not reused yet): ESRCH either way.
    child.exit_unreaped();
    const int fds_after = fd_count();
    for (bool use_ioctl : {true, false}) {
        INFO("use_ioctl " << use_ioctl);
        CHECK(get_from_pidfd(pidfd->get(), "/proc", use_ioctl).error() == ESRCH);
    }
    CHECK(fd_count() == fds_after);
}

TEST_CASE("get_from_pidfd: descriptors that are not pidfds", "[pidfd][errors]")
{
    for (bool use_ioctl : {true, false}) {
        INFO("use_ioctl " << use_ioctl);
        CHECK(get_from_pidfd(-1, "/proc", use_ioctl).error() == EBADF);
        int p[2];
        REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
        CHECK(get_from_pidfd(p[0], "/proc", use_ioctl).error() == EINVAL);
        ::close(p[0]);
        ::close(p[1]);
        CHECK(get_from_pidfd(p[0], "/proc", use_ioctl).error() == EBADF);
        int s[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s) == 0);
        CHECK(get_from_pidfd(s[0], "/proc", use_ioctl).error() == EINVAL);
        ::close(s[0]);
        ::close(s[1]);
        int nsfd = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        REQUIRE(nsfd >= 0);
        CHECK(get_from_pidfd(nsfd, "/proc", use_ioctl).error() == EINVAL);
        ::close(nsfd);
    }
}

TEST_CASE("fault: get_from_pidfd", "[pidfd][fault]")
{
    if (!netns::test::have_pidfd_open()) {
        WARN("skipped: pidfd_open(2) is not available (Linux before 5.3, or valgrind 3.19)");
        return;
    }
    Scratch scratch;
    auto ns = create();
    REQUIRE(ns.ok());
    Child child(ns->get());
    auto pidfd = open_pidfd(child.pid());
    REQUIRE(pidfd.ok());
    for (bool use_ioctl : {true, false}) {
        for (int err : fault_errnos) {
            auto swept =
                sweep({.what = use_ioctl ? "get_from_pidfd (ioctl)" : "get_from_pidfd (/proc)",
                       .scratch = scratch.path(),
                       .call =
                           [&] {
                               auto r = get_from_pidfd(pidfd->get(), "/proc", use_ioctl);
                               if (r)
                                   CHECK(fd_ns_id(r->get()) == fd_ns_id(ns->get()));
                               return r.error();
                           }},
                      err);
            // fstatfs, then the ioctl; or open fdinfo, read, open(O_PATH)...,
            // poll.
            CHECK(swept.sites >= (use_ioctl ? 2u : 6u));
        }
    }
}

TEST_CASE("parse_fdinfo_pid reads the Pid: line", "[pidfd][parse]")
{
    const std::string real =
        "pos:\t0\nflags:\t02000002\nmnt_id:\t15\nino:\t1063\nPid:\t4321\nNSpid:\t4321\n";
    auto r = parse_fdinfo_pid(real);
    REQUIRE(r.ok());
    CHECK(r.value() == 4321);
    CHECK(parse_fdinfo_pid("Pid:\t-1\n").value() == -1);
    CHECK(parse_fdinfo_pid("Pid: 0").value() == 0);
    CHECK(parse_fdinfo_pid("Pid:\t2147483647\n").value() == 2147483647);
    for (const char *bad :
         {"", "pos:\t0\n", "Pid:\n", "Pid:\tx\n", "Pid:\t12x\n", "Pid:\t-2\n", "Pid:\t2147483648\n",
          "Pid:\t99999999999\n", "NSpid:\t5\n", "xPid:\t5\n", "Pid:\t-\n", "Pid:\t1 2\n"})
        CHECK(parse_fdinfo_pid(bad).error() == EINVAL);
}

TEST_CASE("get_from_pid_pinned: through a pidfd, or by number without pidfd_open", "[pidfd]")
{
    auto ns = create();
    REQUIRE(ns.ok());
    Child child(ns->get());
    const int fds = fd_count();
    // With pidfd_open (when the kernel has it), and as on a kernel without
    // it: the first wrapped call, pidfd_open, fails with ENOSYS.
    for (bool without : {false, true}) {
        INFO("without pidfd_open " << without);
        netns::test::Disarm disarm;
        if (without)
            fault::arm(1, ENOSYS);
        auto got = get_from_pid_pinned(child.pid(), "/proc");
        const bool fired = fault::fired();
        fault::disarm();
        REQUIRE(got.ok());
        CHECK(fired == without);
        CHECK(fd_ns_id(got->get()) == fd_ns_id(ns->get()));
        for (int bad : {0, -1}) {
            if (without)
                fault::arm(1, ENOSYS);
            CHECK(get_from_pid_pinned(bad, "/proc").error() == EINVAL);
            fault::disarm();
        }
        if (without)
            fault::arm(1, ENOSYS);
        CHECK(get_from_pid_pinned(netns::test::dead_pid(), "/proc").error() == ESRCH);
        fault::disarm();
    }
    CHECK(fd_count() == fds);
}
