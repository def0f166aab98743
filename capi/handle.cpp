// SPDX-License-Identifier: Apache-2.0
// The C facade: the only place that defines exported symbols. Each function
// checks its arguments, calls the core and turns the result into >= 0 or
// -errno. No exception and no C++ type crosses this file's boundary.
#include "export.hpp"

#include <netns/netns.h>

#include "container/docker.hpp"
#include "monitor.hpp"
#include "names.hpp"
#include "nsfd.hpp"
#include "nsid.hpp"
#include "persist.hpp"
#include "pidfd.hpp"
#include "run.hpp"
#include "spawn.hpp"
#include "thread_ns.hpp"
#include "walk.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <sched.h>
#include <unistd.h>

using namespace netns::core;

static_assert(NETNS_CLONE_NEWUTS == CLONE_NEWUTS);
static_assert(NETNS_CLONE_NEWIPC == CLONE_NEWIPC);
static_assert(NETNS_CLONE_NEWUSER == CLONE_NEWUSER);
static_assert(NETNS_CLONE_NEWPID == CLONE_NEWPID);
static_assert(NETNS_CLONE_NEWNET == CLONE_NEWNET);
static_assert(NETNS_CLONE_IO == static_cast<unsigned>(CLONE_IO));
static_assert(NETNS_CLONE_NEWTIME == CLONE_NEWTIME);
static_assert(NETNS_CLONE_NEWNS == CLONE_NEWNS);
static_assert(NETNS_CLONE_NEWCGROUP == CLONE_NEWCGROUP);

namespace {

int to_c(const Status &s) noexcept { return s ? 0 : -s.error(); }
int to_c(Result<UniqueFd> &&r) noexcept { return r ? r.value().release() : -r.error(); }

// Runs body, mapping the only exception the core can raise.
template <typename F> int guarded(F &&body) noexcept
{
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return -ENOMEM;
    } catch (...) {
        return -EIO;
    }
}

} // namespace

NETNS_EXPORT const char *netns_version(void) { return NETNS_VERSION_STRING; }

NETNS_EXPORT int netns_none(void) { return NETNS_NONE; }

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

NETNS_EXPORT int netns_new(void) { return to_c(new_()); }

NETNS_EXPORT int netns_new_named(const char *name)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(new_named(system_run_dirs(), name)); });
}

NETNS_EXPORT int netns_delete_named(const char *name)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(delete_named(system_run_dirs(), name)); });
}

NETNS_EXPORT int netns_set(int ns) { return to_c(set(ns)); }

NETNS_EXPORT int netns_setns(int ns, int nstype) { return to_c(netns::core::setns(ns, nstype)); }

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

// --- LIBNETNS_0.2 ---

NETNS_EXPORT int netns_create(const char *name)
{
    if (name == nullptr)
        return to_c(create());
    return guarded([&] { return to_c(create_named(system_run_dirs(), name)); });
}

NETNS_EXPORT int netns_create_at(const char *path)
{
    if (path == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(create_at(path)); });
}

NETNS_EXPORT int netns_delete_at(const char *path)
{
    if (path == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(delete_at(path)); });
}

NETNS_EXPORT int netns_run(int ns, netns_fn fn, void *arg, int *result)
{
    return to_c(run(ns, fn, arg, result));
}

NETNS_EXPORT int netns_run_isolated(int ns, netns_fn fn, void *arg, int *result)
{
    return to_c(run_isolated(ns, fn, arg, result));
}

NETNS_EXPORT int netns_socket(int ns, int domain, int type, int protocol)
{
    return to_c(socket(ns, domain, type, protocol));
}

namespace {

int to_c(Result<pid_t> &&r, pid_t *pid) noexcept
{
    if (!r)
        return -r.error();
    if (pid != nullptr)
        *pid = r.value();
    return 0;
}

} // namespace

NETNS_EXPORT int netns_spawn(pid_t *pid, int ns, const char *path,
                             const posix_spawn_file_actions_t *actions,
                             const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    return to_c(spawn(ns, {path, actions, attr, argv, envp, false}), pid);
}

NETNS_EXPORT int netns_spawnp(pid_t *pid, int ns, const char *file,
                              const posix_spawn_file_actions_t *actions,
                              const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    return to_c(spawn(ns, {file, actions, attr, argv, envp, true}), pid);
}

NETNS_EXPORT int netns_spawn_named(pid_t *pid, const char *name, const char *file,
                                   const posix_spawn_file_actions_t *actions,
                                   const posix_spawnattr_t *attr, char *const argv[],
                                   char *const envp[])
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] {
        return to_c(spawn_named(system_run_dirs(), name, {file, actions, attr, argv, envp, true}),
                    pid);
    });
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

// --- LIBNETNS_0.3 ---

namespace {

int to_c(Result<int> &&r) noexcept { return r ? r.value() : -r.error(); }

} // namespace

NETNS_EXPORT int netns_list(netns_name_cb cb, void *arg)
{
    if (cb == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(list(system_run_dirs(), cb, arg)); });
}

NETNS_EXPORT int netns_identify(pid_t pid, netns_name_cb cb, void *arg)
{
    if (cb == nullptr || pid <= 0)
        return -EINVAL;
    return guarded(
        [&] { return to_c(identify(system_run_dirs(), default_proc_root, pid, cb, arg)); });
}

NETNS_EXPORT int netns_pids(int ns, netns_pid_cb cb, void *arg)
{
    if (cb == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(pids(default_proc_root, ns, cb, arg)); });
}

NETNS_EXPORT int netns_get_from_pidfd(int pidfd)
{
    return guarded([&] { return to_c(get_from_pidfd(pidfd, default_proc_root)); });
}

NETNS_EXPORT int netns_attach(const char *name, pid_t pid)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(attach(system_run_dirs(), name, pid)); });
}

NETNS_EXPORT int netns_attach_fd(const char *name, int ns)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(attach_fd(system_run_dirs(), name, ns)); });
}

NETNS_EXPORT int netns_get_id(int ns)
{
    return guarded([&] { return to_c(get_id(ns)); });
}

NETNS_EXPORT int netns_set_id(int ns, int id)
{
    return guarded([&] { return to_c(set_id(ns, id)); });
}

NETNS_EXPORT int netns_get_id_in(int ns, int target)
{
    return guarded([&] { return to_c(get_id_in(ns, target)); });
}

NETNS_EXPORT int netns_monitor_open(void)
{
    return guarded([&] { return to_c(monitor_open(system_run_dirs().primary)); });
}

NETNS_EXPORT int netns_monitor_read(int fd, netns_event_cb cb, void *arg)
{
    if (cb == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(monitor_read(fd, cb, arg)); });
}

NETNS_EXPORT int netns_monitor_close(int *fd)
{
    if (fd == nullptr)
        return -EINVAL;
    if (*fd < 0) {
        *fd = NETNS_NONE;
        return -EBADF;
    }
    auto st = monitor_close(*fd);
    if (st || st.error() != EINVAL)
        *fd = NETNS_NONE;
    return to_c(st);
}

// --- LIBNETNS_0.4 ---

NETNS_EXPORT int netns_list_id(netns_id_cb cb, void *arg)
{
    if (cb == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(list_id(cb, arg)); });
}

// --- LIBNETNS_0.5 ---

NETNS_EXPORT int netns_check_name(const char *name)
{
    if (name == nullptr)
        return -EINVAL;
    return to_c(check_name(name));
}

NETNS_EXPORT int netns_run_dir(char *buf, size_t size)
{
    if (buf == nullptr && size != 0)
        return -EINVAL;
    return guarded(
        [&] { return std::snprintf(buf, size, "%s", system_run_dirs().primary.c_str()); });
}

NETNS_EXPORT int netns_enter_named(const char *name)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(enter_named(system_run_dirs(), name)); });
}

NETNS_EXPORT int netns_exec_named(const char *name, const char *file, char *const argv[],
                                  char *const envp[])
{
    if (name == nullptr || file == nullptr || argv == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(exec_named(system_run_dirs(), name, file, argv, envp)); });
}
