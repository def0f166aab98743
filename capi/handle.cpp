// SPDX-License-Identifier: Apache-2.0
// The C facade, "Handles and lookups". The facade is the only place that
// defines exported symbols: each function checks its arguments, calls the
// core and turns the result into >= 0 or -errno. No exception and no C++
// type crosses its boundary.
#include "facade.hpp"

#include "container/docker.hpp"
#include "names.hpp"
#include "nsfd.hpp"
#include "persist.hpp"
#include "pidfd.hpp"
#include "thread_ns.hpp"

#include <cstdlib>
#include <sched.h>
#include <unistd.h>

using namespace netns::core;
using namespace netns::capi;

static_assert(NETNS_NONE == no_fd);
// netns_setns() and netns_type() speak the kernel's CLONE_* values.
static_assert(NETNS_CLONE_NEWUTS == CLONE_NEWUTS);
static_assert(NETNS_CLONE_NEWIPC == CLONE_NEWIPC);
static_assert(NETNS_CLONE_NEWUSER == CLONE_NEWUSER);
static_assert(NETNS_CLONE_NEWPID == CLONE_NEWPID);
static_assert(NETNS_CLONE_NEWNET == CLONE_NEWNET);
static_assert(NETNS_CLONE_IO == static_cast<unsigned>(CLONE_IO));
static_assert(NETNS_CLONE_NEWTIME == CLONE_NEWTIME);
static_assert(NETNS_CLONE_NEWNS == CLONE_NEWNS);
static_assert(NETNS_CLONE_NEWCGROUP == CLONE_NEWCGROUP);

NETNS_EXPORT int netns_none(void) { return NETNS_NONE; }

NETNS_EXPORT int netns_close(int *ns)
{
    if (ns == nullptr)
        return -EINVAL;
    int fd = *ns;
    *ns = NETNS_NONE;
    if (fd < 0)
        return -EBADF;
    // Linux releases the descriptor even when close() reports an error.
    return ::close(fd) == 0 ? 0 : -errno;
}

NETNS_EXPORT int netns_is_open(int ns) { return ns >= 0 ? 1 : 0; }

NETNS_EXPORT int netns_equal(int a, int b) { return equal(a, b) ? 1 : 0; }

NETNS_EXPORT int netns_string(int ns, char *buf, size_t size)
{
    if (buf == nullptr && size != 0)
        return -EINVAL;
    return string(ns, buf, size);
}

NETNS_EXPORT int netns_unique_id(int ns, char *buf, size_t size)
{
    if (buf == nullptr && size != 0)
        return -EINVAL;
    return unique_id(ns, buf, size);
}

NETNS_EXPORT const char *netns_version(void) { return NETNS_VERSION_STRING; }

NETNS_EXPORT int netns_get(void) { return to_c(get()); }

NETNS_EXPORT int netns_get_from_path(const char *path)
{
    if (path == nullptr || *path == '\0')
        return -EINVAL;
    return to_c(get_from_path(path, CLONE_NEWNET));
}

NETNS_EXPORT int netns_get_from_name(const char *name)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(get_from_name(system_run_dirs(), name)); });
}

NETNS_EXPORT int netns_get_from_pid(pid_t pid)
{
    return to_c(get_from_pid(default_proc_root, pid));
}

NETNS_EXPORT int netns_get_from_thread(pid_t pid, pid_t tid)
{
    return to_c(get_from_thread(default_proc_root, pid, tid));
}

NETNS_EXPORT int netns_get_from_docker(const char *id)
{
    if (id == nullptr)
        return -EINVAL;
    return guarded([&] {
        return to_c(get_from_docker(id, system_docker_sources(::secure_getenv("DOCKER_HOST"))));
    });
}

NETNS_EXPORT int netns_get_from_pidfd(int pidfd)
{
    return guarded([&] { return to_c(get_from_pidfd(pidfd, default_proc_root)); });
}

NETNS_EXPORT int netns_type(int fd)
{
    auto type = ns_type(fd);
    return type ? type.value() : -type.error();
}

NETNS_EXPORT int netns_is_netns(int fd)
{
    auto type = ns_type(fd);
    if (type)
        return type.value() == CLONE_NEWNET ? 1 : 0;
    return type.error() == EINVAL ? 0 : -type.error();
}
