// SPDX-License-Identifier: Apache-2.0
// A pollable watch on a run directory that reports names as they become
// usable (mounted) and as they are removed, by whoever does it.
#pragma once

#include "result.hpp"
#include "thread_ns.hpp"
#include "unique_fd.hpp"

#include <string>

namespace netns::core {

using EventCb = int (*)(int event, const char *name, void *arg);

// A monitor descriptor (CLOEXEC, non-blocking) watching run_dir, which
// need not exist yet.
[[nodiscard]] Result<UniqueFd> monitor_open(const std::string &run_dir,
                                            const char *proc = default_proc_root);

// Delivers the events since the last read; returns how many, or cb's
// non-zero value. EINVAL: fd is not a monitor.
[[nodiscard]] Result<int> monitor_read(int fd, EventCb cb, void *arg);

// Closes a monitor descriptor and frees its state; EINVAL (fd left open)
// when it is not one.
[[nodiscard]] Status monitor_close(int fd);

} // namespace netns::core
