// SPDX-License-Identifier: Apache-2.0
// Namespace ids (nsid) over rtnetlink, RTM_GETNSID / RTM_NEWNSID, framed
// with libmnl.
#pragma once

#include "result.hpp"
#include "thread_ns.hpp"

namespace netns::core {

// The id the caller's network namespace has for ns; ENOENT when none.
[[nodiscard]] Result<int> get_id(int ns);

// Assigns id (< 0: the kernel picks) to ns; returns the id assigned.
[[nodiscard]] Result<int> set_id(int ns, int id);

// The id target has for ns, without moving the calling thread.
[[nodiscard]] Result<int> get_id_in(int ns, int target, const char *proc = default_proc_root);

} // namespace netns::core
