// SPDX-License-Identifier: Apache-2.0
#include "nsid.hpp"

namespace netns::core {

// Placeholder until the rtnetlink code lands.
Result<int> get_id(int) { return Error{ENOSYS}; }
Result<int> set_id(int, int) { return Error{ENOSYS}; }
Result<int> get_id_in(int, int, const char *) { return Error{ENOSYS}; }

} // namespace netns::core
