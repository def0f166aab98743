// SPDX-License-Identifier: Apache-2.0
// cgroups: a pure parser of cgroup.procs, and the
// search of a cgroup tree for a container's cgroup (the fallback of
// netns_get_from_docker() when no daemon answers), given the tree's root.
#pragma once

#include "result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace netns::core {

// The first pid listed in a cgroup.procs or tasks file (one decimal pid per
// line). ESRCH when the file lists none; EPROTO when it is malformed.
[[nodiscard]] Result<pid_t> first_cgroup_pid(std::string_view text);

// Matches a directory name against a container pattern "<head>{id}*<tail>"
// (e.g. head "docker-", tail ".scope"): the container id part of `name`
// when it starts with `id_prefix` and consists of [0-9A-Za-z_.-].
[[nodiscard]] std::optional<std::string_view> match_container_name(std::string_view name,
                                                                   std::string_view head,
                                                                   std::string_view id_prefix,
                                                                   std::string_view tail) noexcept;

// A container cgroup found by find_container_cgroup().
struct ContainerCgroup {
    std::string id;  // the full container id
    std::string dir; // its cgroup directory
    pid_t pid = 0;   // the first process in it (or in a child cgroup)
};

// Searches the cgroup tree under `root` for the container whose id starts
// with `id_prefix`: in `root` itself (v2, or v1 named like "root/memory")
// and in the v1 hierarchies root/{memory,cpu,cpuacct,cpu,cpuacct,pids,
// systemd,devices,...}, with the layouts docker/<id>, system.slice/
// docker-<id>.scope, kubepods (cgroupfs and systemd drivers; docker,
// cri-containerd and crio scopes) and nerdctl (nerdctl/<id>, system.slice/
// nerdctl-<id>.scope). An id equal to `id_prefix` wins over longer ones.
// ENOENT when nothing matches, ENOTUNIQ when several containers do, ESRCH
// when the container's cgroups hold no process; EMFILE, ENFILE, ENOMEM as
// open(2).
[[nodiscard]] Result<ContainerCgroup> find_container_cgroup(const std::string &root,
                                                            std::string_view id_prefix);

} // namespace netns::core
