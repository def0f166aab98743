// SPDX-License-Identifier: Apache-2.0
// The calling thread's network namespace: read it, switch it, create one,
// and a guard that puts the thread back.
#pragma once

#include "result.hpp"
#include "unique_fd.hpp"

#include <climits>
#include <sys/types.h>

namespace netns::core {

// Where procfs is mounted; tests may point elsewhere.
inline constexpr const char *default_proc_root = "/proc";

// The path of the calling thread's network namespace file under proc: a
// literal for the real /proc, else formatted into buf. ENAMETOOLONG when
// it does not fit.
[[nodiscard]] Result<const char *> thread_netns_path(const char *proc, char (&buf)[PATH_MAX]) noexcept;

// A handle to the calling thread's network namespace: <proc>/thread-self,
// falling back to <proc>/self/task/<tid> on kernels before 3.17.
[[nodiscard]] Result<UniqueFd> current_netns(const char *proc = default_proc_root) noexcept;

// A handle to the network namespace of pid (and of its thread tid when
// tid > 0). EINVAL when pid <= 0 or tid < 0.
[[nodiscard]] Result<UniqueFd> process_netns(const char *proc, pid_t pid, pid_t tid = 0) noexcept;

// setns(fd, type) on the calling thread. Moves the calling thread.
[[nodiscard]] Status enter_ns(int fd, int type) noexcept;

// Remembers the calling thread's network namespace and, unless dismissed,
// moves the thread back there when destroyed.
class NetnsRestorer {
public:
    [[nodiscard]] static Result<NetnsRestorer> save(const char *proc = default_proc_root) noexcept;
    NetnsRestorer(NetnsRestorer &&) noexcept = default;
    NetnsRestorer &operator=(NetnsRestorer &&) = delete;
    ~NetnsRestorer();
    void dismiss() noexcept { saved_.reset(); }

private:
    explicit NetnsRestorer(UniqueFd fd) noexcept : saved_(std::move(fd)) {}
    UniqueFd saved_;
};

// unshare(CLONE_NEWNET) and a handle to the new namespace. Moves the
// calling thread on success; on failure the thread is where it was.
[[nodiscard]] Result<UniqueFd> create_netns(const char *proc = default_proc_root) noexcept;

} // namespace netns::core
