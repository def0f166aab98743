// SPDX-License-Identifier: Apache-2.0
// The walks of `ip netns list`, `identify` and `pids`: streamed to a
// callback, with the directories and the /proc root as parameters so tests
// can feed them fake trees.
#pragma once

#include "names.hpp"
#include "result.hpp"

#include <sys/types.h>

namespace netns::core {

using NameCb = int (*)(const char *name, void *arg);
using PidCb = int (*)(pid_t pid, void *arg);

// Every name in dirs that is a mounted namespace file, sorted, each once
// (primary wins). A missing directory has no names. Returns 0, or cb's
// non-zero value when it stopped the walk.
[[nodiscard]] Result<int> list(const RunDirs &dirs, NameCb cb, void *arg);

// Every name in dirs whose namespace is process pid's network namespace.
[[nodiscard]] Result<int> identify(const RunDirs &dirs, const char *proc, pid_t pid, NameCb cb,
                                   void *arg);

// Every process under proc whose network namespace is ns, ascending.
[[nodiscard]] Result<int> pids(const char *proc, int ns, PidCb cb, void *arg);

} // namespace netns::core
