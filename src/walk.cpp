// SPDX-License-Identifier: Apache-2.0
#include "walk.hpp"

namespace netns::core {

// Placeholder until the walks land.
Result<int> list(const RunDirs &, NameCb, void *) { return Error{ENOSYS}; }
Result<int> identify(const RunDirs &, const char *, pid_t, NameCb, void *) { return Error{ENOSYS}; }
Result<int> pids(const char *, int, PidCb, void *) { return Error{ENOSYS}; }

} // namespace netns::core
