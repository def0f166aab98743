// SPDX-License-Identifier: Apache-2.0
// Bad input, as a table: every kind of bad argument against every function
// that takes it. Each call must give its documented errno, leave the thread
// in its namespace and leave the fd count unchanged.
#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using netns::test::dead_pid;
using netns::test::fd_count;
using netns::test::TempDir;
using netns::test::thread_ns_id;

namespace {

struct Case {
    std::string what;
    std::function<int()> call;
    std::vector<int> expected; // any of these negative errnos
};

// Fds of each bad kind, opened for the table and closed after it.
struct BadFds {
    int file = -1, pipe_r = -1, pipe_w = -1, mnt = -1, closed = -1;
    BadFds()
    {
        file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
        int p[2];
        if (pipe2(p, O_CLOEXEC) == 0) {
            pipe_r = p[0];
            pipe_w = p[1];
        }
        mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
        // A high number, so that no open during the table reuses it.
        closed = fcntl(file, F_DUPFD_CLOEXEC, 900);
        close(closed);
    }
    ~BadFds()
    {
        for (int fd : {file, pipe_r, pipe_w, mnt})
            if (fd >= 0)
                close(fd);
    }
};

// netns_equal(fd, <a handle to this thread's namespace>).
int equal_to_self(int fd)
{
    int self = netns_get();
    int r = netns_equal(fd, self);
    netns_close(&self);
    return r;
}

} // namespace

TEST_CASE("bad input gives the documented errno and changes nothing", "[errors]")
{
    netns::test::SetGuard keep;
    TempDir tmp;
    std::string file = tmp / "file";
    close(open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    std::string fifo = tmp / "fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::string longname(300, 'n');
    BadFds fds;
    REQUIRE(fds.file >= 0);
    REQUIRE(fds.pipe_r >= 0);
    REQUIRE(fds.mnt >= 0);
    pid_t dead = dead_pid();

    std::vector<Case> cases;
    // Names.
    std::vector<std::pair<std::string, const char *>> bad_names = {
        {"NULL", nullptr}, {"\"\"", ""},     {"\".\"", "."},
        {"\"..\"", ".."},  {"a/b", "a/b"}, {"300 chars", longname.c_str()},
    };
    for (const auto &[label, name] : bad_names) {
        const char *n = name;
        cases.push_back({"get_from_name(" + label + ")", [n] { return netns_get_from_name(n); }, {-EINVAL}});
        cases.push_back({"new_named(" + label + ")", [n] { return netns_new_named(n); }, {-EINVAL}});
        cases.push_back({"delete_named(" + label + ")", [n] { return netns_delete_named(n); }, {-EINVAL}});
    }
    // Paths.
    cases.push_back({"get_from_path(NULL)", [] { return netns_get_from_path(nullptr); }, {-EINVAL}});
    cases.push_back({"get_from_path(\"\")", [] { return netns_get_from_path(""); }, {-EINVAL}});
    cases.push_back({"get_from_path(regular file)", [&] { return netns_get_from_path(file.c_str()); }, {-EINVAL}});
    cases.push_back({"get_from_path(fifo)", [&] { return netns_get_from_path(fifo.c_str()); }, {-EINVAL}});
    cases.push_back({"get_from_path(mnt ns)", [] { return netns_get_from_path("/proc/self/ns/mnt"); }, {-EINVAL}});
    cases.push_back({"get_from_path(missing)", [&] { return netns_get_from_path((tmp / "nope").c_str()); }, {-ENOENT}});
    // Fds.
    std::vector<std::pair<std::string, int>> not_ns = {
        {"regular file", fds.file}, {"pipe", fds.pipe_r}, {"mnt ns", fds.mnt}};
    for (const auto &[label, fd] : not_ns) {
        int f = fd;
        cases.push_back({"set(" + label + ")", [f] { return netns_set(f); }, {-EINVAL}});
        cases.push_back({"setns(" + label + ", NET)", [f] { return netns_setns(f, NETNS_CLONE_NEWNET); }, {-EINVAL}});
        cases.push_back({"equal(" + label + ", self)", [f] { return equal_to_self(f); }, {0}});
    }
    std::vector<std::pair<std::string, int>> no_fd = {{"fd -1", -1}, {"closed fd", fds.closed}};
    for (const auto &[label, fd] : no_fd) {
        int f = fd;
        cases.push_back({"set(" + label + ")", [f] { return netns_set(f); }, {-EBADF}});
        cases.push_back({"setns(" + label + ", 0)", [f] { return netns_setns(f, 0); }, {-EBADF}});
        cases.push_back({"close(" + label + ")", [f] {
                             int h = f;
                             return netns_close(&h);
                         },
                         {-EBADF}});
        // is_open() only looks at the value: a closed fd number is "open".
        cases.push_back({"is_open(" + label + ")", [f] { return netns_is_open(f); }, {f == -1 ? 0 : 1}});
        cases.push_back({"equal(" + label + ", self)", [f] { return equal_to_self(f); }, {0}});
        cases.push_back({"string(" + label + ")", [f] {
                             char buf[64];
                             int n = netns_string(f, buf, sizeof buf);
                             std::string want = f == -1 ? "NS(none)" : "NS(" + std::to_string(f) + ": unknown)";
                             return n == static_cast<int>(want.size()) && buf == want ? 0 : -1;
                         },
                         {0}});
        cases.push_back({"unique_id(" + label + ")", [f] {
                             char buf[64];
                             netns_unique_id(f, buf, sizeof buf);
                             return std::string(buf) == (f == -1 ? "NS(none)" : "NS(unknown)") ? 0 : -1;
                         },
                         {0}});
    }
    cases.push_back({"close(NULL)", [] { return netns_close(nullptr); }, {-EINVAL}});
    cases.push_back({"string(NULL, 10)", [] { return netns_string(-1, nullptr, 10); }, {-EINVAL}});
    cases.push_back({"unique_id(NULL, 10)", [] { return netns_unique_id(-1, nullptr, 10); }, {-EINVAL}});
    // Pids.
    cases.push_back({"get_from_pid(0)", [] { return netns_get_from_pid(0); }, {-EINVAL}});
    cases.push_back({"get_from_pid(-1)", [] { return netns_get_from_pid(-1); }, {-EINVAL}});
    cases.push_back({"get_from_pid(dead)", [dead] { return netns_get_from_pid(dead); }, {-ENOENT, -ESRCH}});
    cases.push_back({"get_from_thread(0, 1)", [] { return netns_get_from_thread(0, 1); }, {-EINVAL}});
    cases.push_back({"get_from_thread(self, 0)", [] { return netns_get_from_thread(getpid(), 0); }, {-EINVAL}});
    cases.push_back({"get_from_thread(dead, dead)", [dead] { return netns_get_from_thread(dead, dead); }, {-ENOENT, -ESRCH}});
    // Container ids.
    for (const char *id : {(const char *)nullptr, "", "a/b", "../x", "a b", "x;y"}) {
        cases.push_back({std::string("get_from_docker(") + (id ? id : "NULL") + ")",
                         [id] { return netns_get_from_docker(id); },
                         {-EINVAL}});
    }
    std::string long_id(129, 'a');
    cases.push_back({"get_from_docker(129 chars)", [&] { return netns_get_from_docker(long_id.c_str()); }, {-EINVAL}});

    std::string home = thread_ns_id();
    for (const auto &c : cases) {
        int before = fd_count();
        int rc = c.call();
        INFO(c.what << " returned " << rc);
        bool expected = false;
        for (int e : c.expected)
            expected |= rc == e;
        CHECK(expected);
        CHECK(thread_ns_id() == home);
        CHECK(fd_count() == before);
    }
    CHECK(cases.size() > 60);
}
