// SPDX-License-Identifier: Apache-2.0
// The calling thread's network namespace: read it, switch it, create one,
// and the guard that puts the thread back.
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
[[nodiscard]] Result<const char *> thread_netns_path(const char *proc,
                                                     char (&buf)[PATH_MAX]) noexcept;

// A handle to the calling thread's network namespace,
// <proc>/thread-self/ns/net.
[[nodiscard]] Result<UniqueFd> get(const char *proc = default_proc_root) noexcept;

// A handle to the network namespace of process pid. EINVAL when pid <= 0.
[[nodiscard]] Result<UniqueFd> get_from_pid(const char *proc, pid_t pid) noexcept;

// A handle to the network namespace of thread tid of process pid. EINVAL
// when pid <= 0 or tid <= 0.
[[nodiscard]] Result<UniqueFd> get_from_thread(const char *proc, pid_t pid, pid_t tid) noexcept;

// setns(fd, type) on the calling thread. Moves the calling thread.
[[nodiscard]] Status setns(int fd, int type) noexcept;
// setns(fd, CLONE_NEWNET).
[[nodiscard]] Status set(int fd) noexcept;

// A stay of the calling thread away from its network namespace, and the
// one guard that brings it back. save() only remembers where the thread is
// (the caller then moves it: unshare, setns); enter() also moves it into
// ns. leave() is the checked way back; dismiss() stays where the thread
// is; a guard destroyed otherwise moves the thread back (unchecked: it
// runs on failure paths and unwinding, with nothing better to do).
class Visit {
public:
    [[nodiscard]] static Result<Visit> save(const char *proc = default_proc_root) noexcept;
    // Moves the calling thread into ns. With check_return, first checks
    // that the thread will be allowed back (setns into its own namespace:
    // the permission check of the way back, EPERM when refused).
    [[nodiscard]] static Result<Visit> enter(int ns, bool check_return = false,
                                             const char *proc = default_proc_root) noexcept;
    Visit(Visit &&) noexcept = default;
    Visit &operator=(Visit &&) = delete;
    ~Visit();
    // Moves the thread back; ENOTRECOVERABLE when that fails, and then the
    // thread stays where it is (no second attempt).
    [[nodiscard]] Status leave() noexcept;
    void dismiss() noexcept { home_.reset(); }

private:
    explicit Visit(UniqueFd home) noexcept : home_(std::move(home)) {}
    UniqueFd home_;
};

// Where create makes the namespace: on the calling thread when its way
// back is allowed (else on a helper thread), or always on a helper thread
// (for the tests of that fallback).
enum class CreateOn { caller, helper };

// A new network namespace, without moving the calling thread:
// create_in_place where the way back is allowed, else create_on_helper.
[[nodiscard]] Result<UniqueFd> create(const char *proc = default_proc_root,
                                      CreateOn on = CreateOn::caller) noexcept;

// An in-place visit: checks the way back (setns into the thread's own
// namespace; EPERM, nothing moved, when refused), then with every signal
// blocked and cancellation off unshares, opens the new namespace and
// setns back. Does not move the calling thread, unless ENOTRECOVERABLE:
// the way back, allowed by the check, still failed (see go_back).
[[nodiscard]] Result<UniqueFd> create_in_place(const char *proc = default_proc_root) noexcept;

// unshare and open on a short-lived helper thread: the calling thread never
// moves, on success or failure.
[[nodiscard]] Result<UniqueFd> create_on_helper(const char *proc = default_proc_root) noexcept;

// unshare(CLONE_NEWNET) and a handle to the new namespace. Moves the
// calling thread on success; on failure the thread is where it was.
[[nodiscard]] Result<UniqueFd> new_(const char *proc = default_proc_root) noexcept;

} // namespace netns::core
