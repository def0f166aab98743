// SPDX-License-Identifier: Apache-2.0
// Preparing the run directory the way `ip netns add` does, so that names
// made here and by iproute2 behave the same.
#pragma once

#include "result.hpp"
#include "unique_fd.hpp"

#include <string>
#include <sys/types.h>

namespace netns::core {

// mkdir -p. Anything existing at path is fine here: the caller opens it
// with O_DIRECTORY, which reports a non-directory as ENOTDIR.
[[nodiscard]] Status mkdir_p(const std::string &path, mode_t mode) noexcept;

// Makes dir a shared mount point (MS_SHARED|MS_REC) so that mounts made in
// it propagate to other mount namespaces; when dir is not a mount point yet
// (EINVAL), bind-mounts it onto itself first. Call with the run-dir lock
// held, or two callers may stack two self-binds.
[[nodiscard]] Status make_shared_mount(const char *dir) noexcept;

// Opens dir and takes its flock (LOCK_EX), the lock that serializes
// everything done to a run directory; it lasts as long as the returned fd.
[[nodiscard]] Result<UniqueFd> lock_dir(const char *dir) noexcept;

// Creates the run directory (mode 0755) when missing, takes its flock and
// makes it a shared mount point. The lock lasts as long as the returned fd.
[[nodiscard]] Result<UniqueFd> prepare_run_dir(const std::string &dir) noexcept;

} // namespace netns::core
