// SPDX-License-Identifier: Apache-2.0
// PLACEHOLDER: being replaced by the docker/cgroup implementation.
#include "docker.hpp"

namespace netns::core {

DockerSources system_docker_sources(const char *) { return {}; }
Status check_container_id(std::string_view id) noexcept
{
    if (id.empty() || id.size() > 128)
        return Error{EINVAL};
    return {};
}
Result<pid_t> container_pid(std::string_view, const DockerSources &) { return Error{ENOSYS}; }
Result<UniqueFd> open_container_netns(std::string_view, const DockerSources &) { return Error{ENOSYS}; }

} // namespace netns::core
