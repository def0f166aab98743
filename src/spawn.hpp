// SPDX-License-Identifier: Apache-2.0
// Starting processes inside a network namespace, on top of posix_spawn(3).
#pragma once

#include "names.hpp"
#include "result.hpp"
#include "thread_ns.hpp"

#include <spawn.h>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace netns::core {

// What posix_spawn(3) takes, plus whether to search PATH (posix_spawnp).
// envp null: the caller's environ.
struct SpawnArgs {
    const char *file = nullptr;
    const posix_spawn_file_actions_t *actions = nullptr;
    const posix_spawnattr_t *attr = nullptr;
    char *const *argv = nullptr;
    char *const *envp = nullptr;
    bool search = false;
};

// posix_spawn with the child in network namespace ns: the calling thread
// visits ns for the call (after checking it may come back). A failed exec
// is the error; no child is left then.
[[nodiscard]] Result<pid_t> spawn(int ns, const SpawnArgs &args,
                                  const char *proc = default_proc_root) noexcept;

// The filesystem roots spawn_named works on; tests point them elsewhere.
struct SpawnRoots {
    std::string etc = "/etc"; // /etc/netns/<name>/<entry> binds over /etc/<entry>
    std::string sys = "/sys"; // remounted as a fresh sysfs
};

// `ip netns exec name`: the child gets dirs' namespace `name`, a private
// mount namespace (/ a recursive slave), a fresh sysfs on roots.sys and the
// /etc/netns/<name> binds. The mounts are made by a helper thread with a
// mount namespace of its own (enter_named's work); the caller's is never
// touched.
[[nodiscard]] Result<pid_t> spawn_named(const RunDirs &dirs, std::string_view name,
                                        const SpawnArgs &args, const SpawnRoots &roots = {});

// What `ip netns exec name` does to its own process, done to the calling
// thread, in ip's order: setns into dirs' namespace `name`,
// unshare(CLONE_NEWNS), / a recursive slave, a fresh sysfs on roots.sys,
// the /etc/netns/<name> binds. Moves the calling thread (network and mount
// namespace) on success. On failure the thread is back in both namespaces,
// with its root and working directory, or the error is ENOTRECOVERABLE.
// A failed /etc bind is an error here (ip only warns).
[[nodiscard]] Status enter_named(const RunDirs &dirs, std::string_view name,
                                 const SpawnRoots &roots = {},
                                 const char *proc = default_proc_root);

// enter_named, then execvpe(file, argv, envp, or environ when null).
// Returns only on failure, with the thread back where it was (else
// ENOTRECOVERABLE): the error of either step. EINVAL when file or argv is
// null (nothing done).
[[nodiscard]] Status exec_named(const RunDirs &dirs, std::string_view name, const char *file,
                                char *const argv[], char *const envp[],
                                const SpawnRoots &roots = {}, const char *proc = default_proc_root);

} // namespace netns::core
