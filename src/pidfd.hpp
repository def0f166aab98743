// SPDX-License-Identifier: Apache-2.0
// Processes pinned by pidfds, so that a recycled pid never stands for
// another process.
#pragma once

#include "result.hpp"
#include "unique_fd.hpp"

#include <sys/types.h>

namespace netns::core {

// pidfd_open(2), CLOEXEC. EINVAL for pid <= 0, ESRCH for no such process.
[[nodiscard]] Result<UniqueFd> open_pidfd(pid_t pid) noexcept;

// The network namespace of the process behind pidfd: the
// PIDFD_GET_NET_NAMESPACE ioctl when use_ioctl and the kernel has it, else
// proc/<pid>/ns/net checked afterwards through the pidfd (still alive, so
// still that pid). EBADF: not open; EINVAL: not a pidfd; ESRCH: exited.
[[nodiscard]] Result<UniqueFd> get_from_pidfd(int pidfd, const char *proc, bool use_ioctl = true);

} // namespace netns::core
