// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the /proc/<pid>/cgroup parser, the cgroup.procs reader
// and the container-directory name matcher.
#include "container/cgroup.hpp"
#include "proc_cgroup.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace netns::core;
using netns::test::parse_cgroup_line;
using netns::test::parse_proc_cgroup;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view text(reinterpret_cast<const char *>(data), size);

    auto all = parse_proc_cgroup(text);
    if (all) {
        for (const auto &e : all.value()) {
            if (e.path.empty() || e.path.front() != '/')
                std::abort();
            if ((e.hierarchy == 0) != e.controllers.empty())
                std::abort();
            for (const auto &c : e.controllers)
                if (c.empty() || c.find(',') != std::string::npos)
                    std::abort();
        }
    } else if (all.error() != EINVAL) {
        std::abort();
    }

    std::string_view first_line = text.substr(0, text.find('\n'));
    auto line = parse_cgroup_line(first_line);
    if (!line && line.error() != EINVAL)
        std::abort();

    auto pid = first_cgroup_pid(text);
    if (pid ? pid.value() <= 0 : (pid.error() != ESRCH && pid.error() != EPROTO))
        std::abort();

    // Name matching: split the input as name / prefix at the first NUL.
    std::string_view name = text.substr(0, text.find('\0'));
    std::string_view prefix = name.size() < text.size() ? text.substr(name.size() + 1) : "";
    for (auto [head, tail] : {std::pair<std::string_view, std::string_view>{"", ""},
                              {"docker-", ".scope"},
                              {"cri-containerd-", ".scope"}}) {
        if (auto id = match_container_name(name, head, prefix, tail)) {
            if (id->empty() || id->substr(0, prefix.size()) != prefix ||
                id->size() + head.size() + tail.size() != name.size())
                std::abort();
        }
    }
    return 0;
}
