// SPDX-License-Identifier: Apache-2.0
// netns-bench, switching the calling thread: netns_set, netns_new_named and
// netns_new against the calls they stand for.
#include "harness.hpp"

#include "ops.hpp"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bench {

// 2. set there and back

void lib_set()
{
    lib_ok(netns_set(env.other), "netns_set");
    lib_ok(netns_set(env.home), "netns_set");
}

void raw_set()
{
    sys_ok(::setns(env.other, CLONE_NEWNET), "setns");
    sys_ok(::setns(env.home, CLONE_NEWNET), "setns");
}

// 6. new_named, switch back, delete

void lib_new_named()
{
    int fd = lib_ok(netns_new_named(env.churn_name.c_str()), "netns_new_named");
    lib_ok(netns_set(env.home), "netns_set");
    lib_ok(netns_close(&fd), "netns_close");
    lib_ok(netns_delete_named(env.churn_name.c_str()), "netns_delete_named");
}

// iproute2's `ip netns add` + `ip netns delete`, minus what does not apply:
// the minimal sequence that gives the same result and the same guarantees
// (the lock, a shared run directory, O_EXCL on the name).
void raw_new_named()
{
    const char *dir = env.run_dir.c_str();
    char path[PATH_MAX];
    std::snprintf(path, sizeof path, "%s/%s", dir, env.churn_name.c_str());

    // mkdir -p, the short way: the directory is there almost always.
    if (::mkdir(dir, 0755) < 0 && errno != EEXIST)
        die("mkdir", errno); // (a real mkdir -p would walk up on ENOENT)
    int lock = sys_ok(::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), "open dir");
    sys_ok(::flock(lock, LOCK_EX), "flock");
    if (::mount("", dir, "none", MS_SHARED | MS_REC, nullptr) < 0) {
        if (errno != EINVAL)
            die("mount shared", errno);
        sys_ok(::mount(dir, dir, "none", MS_BIND | MS_REC, nullptr), "mount self-bind");
        sys_ok(::mount("", dir, "none", MS_SHARED | MS_REC, nullptr), "mount shared");
    }
    int entry = sys_ok(::open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0), "open excl");
    ::close(entry);
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::unshare(CLONE_NEWNET), "unshare");
    sys_ok(::mount("/proc/thread-self/ns/net", path, "none", MS_BIND, nullptr), "mount bind");
    int made = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open new");
    ::close(lock);
    // switch back
    sys_ok(::setns(saved, CLONE_NEWNET), "setns");
    ::close(saved);
    ::close(made);
    // delete
    sys_ok(::umount2(path, MNT_DETACH), "umount2");
    sys_ok(::unlink(path), "unlink");
}

// 7. new, switch back, close

void lib_new()
{
    int fd = lib_ok(netns_new(), "netns_new");
    lib_ok(netns_set(env.home), "netns_set");
    lib_ok(netns_close(&fd), "netns_close");
}

void raw_new()
{
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::unshare(CLONE_NEWNET), "unshare");
    int made = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open new");
    sys_ok(::setns(saved, CLONE_NEWNET), "setns");
    ::close(saved);
    ::close(made);
}

} // namespace bench
