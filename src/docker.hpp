// SPDX-License-Identifier: Apache-2.0
// Finding a container's network namespace: the Docker Engine API first,
// the cgroup trees when no daemon answers.
#pragma once

#include "result.hpp"
#include "unique_fd.hpp"

#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace netns::core {

// Where to look. The C facade passes the real system; tests pass fakes.
struct DockerSources {
    std::vector<std::string> sockets; // unix socket paths, tried in order
    std::string cgroup_root;          // e.g. "/sys/fs/cgroup"
    std::string proc_root;            // e.g. "/proc"
    int timeout_ms = 5000;            // per daemon exchange
};

// The real system's sources; docker_host is $DOCKER_HOST (may be null).
[[nodiscard]] DockerSources system_docker_sources(const char *docker_host);

// EINVAL unless id is 1..128 characters of [0-9A-Za-z_.-].
[[nodiscard]] Status check_container_id(std::string_view id) noexcept;

// The container's init pid. ENOENT, ENOTUNIQ, ESRCH, EPROTO, ETIMEDOUT as
// documented for netns_get_from_docker().
[[nodiscard]] Result<pid_t> container_pid(std::string_view id, const DockerSources &src);

// A handle to the container's network namespace.
[[nodiscard]] Result<UniqueFd> open_container_netns(std::string_view id, const DockerSources &src);

} // namespace netns::core
