// SPDX-License-Identifier: Apache-2.0
#include "monitor.hpp"

namespace netns::core {

// Placeholder until the monitor lands.
Result<UniqueFd> monitor_open(const std::string &, const char *) { return Error{ENOSYS}; }
Result<int> monitor_read(int, EventCb, void *) { return Error{ENOSYS}; }
Status monitor_close(int) { return Error{ENOSYS}; }

} // namespace netns::core
