// SPDX-License-Identifier: Apache-2.0
// Doing work inside a network namespace: a function on the calling thread
// (there and back), a function on a thread of its own, a socket.
#pragma once

#include "result.hpp"
#include "thread_ns.hpp"
#include "unique_fd.hpp"

namespace netns::core {

using Fn = int (*)(void *arg);

// Moves the calling thread into ns, calls fn(arg), moves it back; *result
// (when not null) gets fn's value. fn did not run when entering failed;
// ENOTRECOVERABLE when fn ran but the thread could not be moved back.
[[nodiscard]] Status run(int ns, Fn fn, void *arg, int *result,
                         const char *proc = default_proc_root) noexcept;

// Runs fn(arg) on a new thread that enters ns first and ends afterwards;
// the calling thread never moves.
[[nodiscard]] Status run_isolated(int ns, Fn fn, void *arg, int *result) noexcept;

// socket(domain, type | SOCK_CLOEXEC, protocol) made inside ns, by a
// visit of the calling thread that checked its way back first.
[[nodiscard]] Result<UniqueFd> socket(int ns, int domain, int type, int protocol,
                                      const char *proc = default_proc_root) noexcept;

} // namespace netns::core
