// SPDX-License-Identifier: Apache-2.0
// A pure parser of /proc/<pid>/cgroup, for tests and fuzzers that build or
// check fake cgroup trees. The library itself never reads that file.
#pragma once

#include "result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace netns::test {

using core::Result;

// One line of /proc/<pid>/cgroup (cgroups(7)):
// hierarchy-ID:controller-list:cgroup-path.
struct CgroupEntry {
    unsigned hierarchy = 0;               // 0 for the v2 unified hierarchy
    std::vector<std::string> controllers; // empty for v2; "name=systemd"...
    std::string path;                     // starts with '/'; may contain ':'
};

// One line, without its newline. EINVAL when malformed: a bad or missing
// hierarchy ID, an empty controller name, a controller list on hierarchy 0
// or none on another, a path not starting with '/'.
[[nodiscard]] Result<CgroupEntry> parse_cgroup_line(std::string_view line);

// Every line of a /proc/<pid>/cgroup file (empty lines are skipped);
// EINVAL at the first malformed line.
[[nodiscard]] Result<std::vector<CgroupEntry>> parse_proc_cgroup(std::string_view text);

} // namespace netns::test
