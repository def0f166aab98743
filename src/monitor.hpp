// SPDX-License-Identifier: Apache-2.0
// A pollable watch on a run directory that reports names as they become
// usable (mounted) and as they are removed, by whoever does it.
#pragma once

#include "result.hpp"
#include "thread_ns.hpp"
#include "unique_fd.hpp"

#include <cstddef>
#include <string>

namespace netns::core {

using EventCb = int (*)(int event, const char *name, void *arg);

// The events, as NETNS_EVENT_ADD and NETNS_EVENT_DEL.
inline constexpr int event_add = 1;
inline constexpr int event_del = 2;

// A monitor descriptor (CLOEXEC, non-blocking) watching run_dir, which
// need not exist yet. It is an epoll descriptor holding an inotify
// descriptor (the directory, or its nearest existing parent) and
// <proc>/thread-self/mountinfo (whose EPOLLPRI says the mount table
// changed: mounts make no inotify event). Names present at open are not
// reported.
[[nodiscard]] Result<UniqueFd> monitor_open(const std::string &run_dir,
                                            const char *proc = default_proc_root);

// Delivers the events since the last read; returns how many, or cb's
// non-zero value. EINVAL: fd is not a monitor; EBADF: fd is not open.
[[nodiscard]] Result<int> monitor_read(int fd, EventCb cb, void *arg);

// Closes a monitor descriptor and frees its state; EINVAL (fd left open)
// when it is not one, EBADF when it is not open.
[[nodiscard]] Status monitor_close(int fd) noexcept;

// For tests: how many monitors the process-wide registry holds (a leak
// check), and a forced resync at the next read of fd (what an inotify
// queue overflow does, which an unprivileged test cannot provoke).
[[nodiscard]] std::size_t monitor_count() noexcept;
[[nodiscard]] Status monitor_force_resync(int fd);

} // namespace netns::core
