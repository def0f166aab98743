// SPDX-License-Identifier: Apache-2.0
// Processes pinned by pidfds, so that a recycled pid never stands for
// another process.
#pragma once

#include "result.hpp"
#include "unique_fd.hpp"

#include <string_view>
#include <sys/types.h>

namespace netns::core {

// pidfd_open(2), CLOEXEC. EINVAL for pid <= 0, ESRCH for no such process.
[[nodiscard]] Result<UniqueFd> open_pidfd(pid_t pid) noexcept;

// The network namespace of the process behind pidfd: the
// PIDFD_GET_NET_NAMESPACE ioctl when use_ioctl and the kernel has it, else
// proc/<pid>/ns/net checked afterwards through the pidfd (still alive, so
// still that pid). EBADF: not open; EINVAL: not a pidfd; ESRCH: exited.
[[nodiscard]] Result<UniqueFd> get_from_pidfd(int pidfd, const char *proc, bool use_ioctl = true);

// The network namespace of process pid, pinned with a pidfd while it is
// taken, so a pid reused meanwhile gives ESRCH, never another process's
// namespace. Without pidfd_open (Linux before 5.3, or valgrind 3.19, which
// does not know the call: ENOSYS) it falls back to proc/<pid>/ns/net by
// number. EINVAL for pid <= 0; ESRCH for no such process.
[[nodiscard]] Result<UniqueFd> get_from_pid_pinned(pid_t pid, const char *proc);

// The pid of a pidfd's fdinfo text: the value of its "Pid:" line (the pid
// in the reader's pid namespace; -1 once the process has exited, 0 when it
// is outside that namespace). EINVAL when there is no such line, or its
// value is not a decimal integer (blanks before it allowed) from -1 to
// INT_MAX ending the line. Pure.
[[nodiscard]] Result<pid_t> parse_fdinfo_pid(std::string_view fdinfo) noexcept;

} // namespace netns::core
