// SPDX-License-Identifier: Apache-2.0
#include "pidfd.hpp"

namespace netns::core {

// Placeholder until the pidfd code lands.
Result<UniqueFd> open_pidfd(pid_t) noexcept { return Error{ENOSYS}; }
Result<UniqueFd> get_from_pidfd(int, const char *, bool) { return Error{ENOSYS}; }

} // namespace netns::core
