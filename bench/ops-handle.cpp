// SPDX-License-Identifier: Apache-2.0
// netns-bench, handles and lookups: netns_get, netns_equal and the
// netns_get_from_* lookups against the calls they stand for.
#include "harness.hpp"

#include "ops.hpp"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace bench {

// 1. get + close

void lib_get()
{
    int fd = lib_ok(netns_get(), "netns_get");
    lib_ok(netns_close(&fd), "netns_close");
}

void raw_get()
{
    int fd = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open");
    ::close(fd);
}

// 3. equal

void lib_equal() { sink = netns_equal(env.home, env.home2); }

void raw_equal()
{
    struct stat a, b;
    if (::fstat(env.home, &a) < 0 || ::fstat(env.home2, &b) < 0) {
        sink = 0;
        return;
    }
    sink = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// 4. from_name + close

void lib_from_name()
{
    int fd = lib_ok(netns_get_from_name(env.probe_name.c_str()), "netns_get_from_name");
    lib_ok(netns_close(&fd), "netns_close");
}

void raw_from_name()
{
    // A hand-written lookup takes a name too: it builds the path, opens it
    // and checks the namespace type (issue 16: the two-call sequence).
    char path[PATH_MAX];
    std::snprintf(path, sizeof path, "%s/%s", env.run_dir.c_str(), env.probe_name.c_str());
    int fd = sys_ok(::open(path, O_RDONLY | O_CLOEXEC), "open");
    if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        die("NS_GET_NSTYPE", EINVAL);
    ::close(fd);
}

// 4b. from_path + close: the careful lookup of any caller's path

void lib_from_path()
{
    int fd = lib_ok(netns_get_from_path(env.probe_path.c_str()), "netns_get_from_path");
    lib_ok(netns_close(&fd), "netns_close");
}

// The same two calls as raw_from_name, on the same entry.
void raw_open_type()
{
    int fd = sys_ok(::open(env.probe_path.c_str(), O_RDONLY | O_CLOEXEC), "open");
    if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        die("NS_GET_NSTYPE", EINVAL);
    ::close(fd);
}

// Two ways a cheap lookup could have checked more, by hand, each against
// raw_open_type: what one more call costs (doc/bench.md).
// fstat after the open: the file type of what was opened.
void hand_open_fstat()
{
    int fd = sys_ok(::open(env.probe_path.c_str(), O_RDONLY | O_CLOEXEC), "open");
    struct stat st;
    sys_ok(::fstat(fd, &st), "fstat");
    if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        die("NS_GET_NSTYPE", EINVAL);
    ::close(fd);
}

// stat before the open: the file type before anything is opened (racy).
void hand_stat_open()
{
    struct stat st;
    sys_ok(::stat(env.probe_path.c_str(), &st), "stat");
    raw_open_type();
}

// As safely as netns_get_from_path, by hand: resolve with O_PATH, check
// that it is on nsfs, reopen that very inode, then check the type.
void raw_from_path_careful()
{
    const char *path = env.probe_path.c_str();
    int where = sys_ok(::open(path, O_PATH | O_CLOEXEC), "open");
    struct statfs fs;
    if (::fstatfs(where, &fs) < 0 || fs.f_type != static_cast<decltype(fs.f_type)>(NSFS_MAGIC))
        die("fstatfs", EINVAL);
    char again[40];
    std::snprintf(again, sizeof again, "/proc/thread-self/fd/%d", where);
    int fd = sys_ok(::open(again, O_RDONLY | O_CLOEXEC), "open");
    ::close(where);
    if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
        die("NS_GET_NSTYPE", EINVAL);
    ::close(fd);
}

// 5. from_pid + close

void lib_from_pid()
{
    int fd = lib_ok(netns_get_from_pid(env.pid), "netns_get_from_pid");
    lib_ok(netns_close(&fd), "netns_close");
}

void raw_from_pid()
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/ns/net", static_cast<int>(env.pid));
    int fd = sys_ok(::open(path, O_RDONLY | O_CLOEXEC), "open");
    ::close(fd);
}

} // namespace bench
