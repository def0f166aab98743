// SPDX-License-Identifier: Apache-2.0
// A pure parser of /proc/<pid>/mountinfo (proc(5)), for the tests: the
// library never parses the mount table (it unmounts until EINVAL instead).
#pragma once

#include "result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace netns::test {

using core::Result;

struct MountEntry {
    int id = 0;
    int parent = 0;
    unsigned major = 0;
    unsigned minor = 0;
    std::string root;        // unescaped
    std::string mount_point; // unescaped
    std::string options;
    std::vector<std::string> optional; // "shared:N", "master:N", ...
    std::string fstype;
    std::string source; // unescaped
    std::string super_options;

    // The peer group from "shared:N", or 0 when the mount is not shared.
    [[nodiscard]] int shared_group() const noexcept;
};

// One line, without its newline. EINVAL when malformed.
[[nodiscard]] Result<MountEntry> parse_mountinfo_line(std::string_view line);

// Every line of a mountinfo file; EINVAL at the first malformed line.
[[nodiscard]] Result<std::vector<MountEntry>> parse_mountinfo(std::string_view text);

// Undoes the kernel's octal escapes (\040 for space, \011, \012, \134).
[[nodiscard]] std::string unescape_mount_field(std::string_view field);

} // namespace netns::test
