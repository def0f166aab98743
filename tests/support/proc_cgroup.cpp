// SPDX-License-Identifier: Apache-2.0
#include "proc_cgroup.hpp"
#include "text.hpp"

namespace netns::test {

using core::Error;
using core::text::next_line;
using core::text::to_number;

Result<CgroupEntry> parse_cgroup_line(std::string_view line)
{
    std::size_t c1 = line.find(':');
    if (c1 == std::string_view::npos)
        return Error{EINVAL};
    std::size_t c2 = line.find(':', c1 + 1);
    if (c2 == std::string_view::npos)
        return Error{EINVAL};

    CgroupEntry entry;
    if (!to_number(line.substr(0, c1), entry.hierarchy))
        return Error{EINVAL};
    std::string_view list = line.substr(c1 + 1, c2 - c1 - 1);
    while (!list.empty()) {
        std::size_t comma = list.find(',');
        std::string_view name = list.substr(0, comma);
        if (name.empty())
            return Error{EINVAL};
        entry.controllers.emplace_back(name);
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
        if (list.empty())
            return Error{EINVAL}; // trailing comma
    }
    if ((entry.hierarchy == 0) != entry.controllers.empty())
        return Error{EINVAL};
    std::string_view path = line.substr(c2 + 1);
    if (path.empty() || path.front() != '/' || path.find('\0') != std::string_view::npos)
        return Error{EINVAL};
    entry.path = std::string(path);
    return entry;
}

Result<std::vector<CgroupEntry>> parse_proc_cgroup(std::string_view text)
{
    std::vector<CgroupEntry> entries;
    for (std::string_view line; next_line(text, line);) {
        if (line.empty())
            continue;
        auto entry = parse_cgroup_line(line);
        if (!entry)
            return Error{entry.error()};
        entries.push_back(std::move(entry).value());
    }
    return entries;
}

} // namespace netns::test
