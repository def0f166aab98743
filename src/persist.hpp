// SPDX-License-Identifier: Apache-2.0
// Persistent (named) network namespaces: a bind mount of the namespace file
// onto <run dir>/<name>, as `ip netns add` makes them.
#pragma once

#include "names.hpp"
#include "result.hpp"
#include "thread_ns.hpp"
#include "unique_fd.hpp"

#include <string_view>
#include <sys/types.h>

namespace netns::core {

// Creates a network namespace, moves the calling thread into it and
// bind-mounts it at dirs.primary/name. On failure nothing is left behind
// and the thread is where it was.
[[nodiscard]] Result<UniqueFd> new_named(const RunDirs &dirs, std::string_view name,
                                         const char *proc = "/proc");

// Creates a network namespace without moving the calling thread (see
// create(); `on` as there) and bind-mounts it at dirs.primary/name, with
// new_named's run-dir preparation and lock. On failure nothing is left
// behind (ENOTRECOVERABLE: as create_in_place, the thread is left in the
// new namespace, which is not persisted).
[[nodiscard]] Result<UniqueFd> create_named(const RunDirs &dirs, std::string_view name,
                                            const char *proc = "/proc",
                                            CreateOn on = CreateOn::caller);

// The same at any path: the file is created with O_EXCL in an existing
// directory, under that directory's lock; no shared-mount preparation.
[[nodiscard]] Result<UniqueFd> create_at(std::string_view path, const char *proc = "/proc",
                                         CreateOn on = CreateOn::caller);

// delete_named for any path, under its directory's lock. EINVAL for a
// path whose directory is on procfs.
[[nodiscard]] Status delete_at(std::string_view path);

// Persists the network namespace ns as dirs.primary/name, with new_named's
// run-dir preparation and lock and an O_EXCL entry. ns stays the caller's.
[[nodiscard]] Status attach_fd(const RunDirs &dirs, std::string_view name, int ns,
                               const char *proc = "/proc");

// attach_fd for the namespace of process pid, taken through a pidfd.
[[nodiscard]] Status attach(const RunDirs &dirs, std::string_view name, pid_t pid,
                            const char *proc = "/proc");

// Opens the named namespace, searching dirs.primary then dirs.fallback.
[[nodiscard]] Result<UniqueFd> get_from_name(const RunDirs &dirs, std::string_view name);

// Unmounts every mount stacked on path (never following a symlink), then
// unlinks it, retrying EBUSY for up to one second.
[[nodiscard]] Status remove_mounted_file(const char *path) noexcept;

// Removes dirs.primary/name, or dirs.fallback/name when only that exists.
[[nodiscard]] Status delete_named(const RunDirs &dirs, std::string_view name);

} // namespace netns::core
