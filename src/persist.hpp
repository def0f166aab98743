// SPDX-License-Identifier: Apache-2.0
// Persistent (named) network namespaces: a bind mount of the namespace file
// onto <run dir>/<name>, as `ip netns add` makes them.
#pragma once

#include "names.hpp"
#include "result.hpp"
#include "unique_fd.hpp"

#include <string_view>

namespace netns::core {

// Creates a network namespace, moves the calling thread into it and
// bind-mounts it at dirs.primary/name. On failure nothing is left behind
// and the thread is where it was.
[[nodiscard]] Result<UniqueFd> new_named(const RunDirs &dirs, std::string_view name,
                                            const char *proc = "/proc");

// Opens the named namespace, searching dirs.primary then dirs.fallback.
[[nodiscard]] Result<UniqueFd> get_from_name(const RunDirs &dirs, std::string_view name);

// Unmounts every mount stacked on path (never following a symlink), then
// unlinks it, retrying EBUSY for up to one second.
[[nodiscard]] Status remove_mounted_file(const char *path) noexcept;

// Removes dirs.primary/name, or dirs.fallback/name when only that exists.
[[nodiscard]] Status delete_named(const RunDirs &dirs, std::string_view name);

} // namespace netns::core
