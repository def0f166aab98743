// SPDX-License-Identifier: Apache-2.0
// The C facade, "Running inside a namespace".
#include "facade.hpp"

#include "names.hpp"
#include "run.hpp"
#include "spawn.hpp"

#include <type_traits>

using namespace netns::core;
using namespace netns::capi;

static_assert(std::is_same_v<netns_fn, Fn>);

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
