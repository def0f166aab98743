// SPDX-License-Identifier: Apache-2.0
// Finding a container's network namespace: the Docker Engine API first,
// the cgroup trees when no daemon answers.
#pragma once

#include "http.hpp"
#include "result.hpp"
#include "unique_fd.hpp"

#include <cstddef>
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
    int timeout_ms = 5000;            // per daemon exchange (connect to EOF)
};

// The real system's sources; docker_host is $DOCKER_HOST (may be null).
// "unix://<path>" names the only socket to try; anything else (tcp://,
// ssh://, empty) is ignored and /run/docker.sock, /var/run/docker.sock are
// tried. The cgroup root is /sys/fs/cgroup, the proc root /proc.
[[nodiscard]] DockerSources system_docker_sources(const char *docker_host);

// EINVAL unless id is 1..128 characters of [0-9A-Za-z_.-]; "." and ".."
// are EINVAL too (they would walk paths, in the API URL and in cgroupfs).
[[nodiscard]] Status check_container_id(std::string_view id) noexcept;

// The container's init pid. EINVAL, ENOENT, ENOTUNIQ, ESRCH, EPROTO,
// ETIMEDOUT, EACCES, EIO, EMFILE, ENFILE, ENOMEM as documented for
// netns_get_from_docker(). The sockets are tried in order; the first one a
// daemon accepts on decides (see ask_daemon()). When none does (see
// no_daemon_at()), the cgroup trees are searched; if they have no such
// container and a socket refused us (EACCES, EPERM), the result is EACCES.
[[nodiscard]] Result<pid_t> container_pid(std::string_view id, const DockerSources &src);

// A handle to the container's network namespace (<proc_root>/<pid>/ns/net).
// A container whose process is gone meanwhile is ESRCH.
[[nodiscard]] Result<UniqueFd> get_from_docker(std::string_view id, const DockerSources &src);

// ---- the pieces, exposed for tests and fuzzers ----

// What GET /containers/<id>/json says about the container.
struct ContainerState {
    pid_t pid = 0;
    bool running = false;
};

// Pure: State.Pid and State.Running from an inspect reply body. EPROTO when
// the body is not JSON, or State.Pid is missing, not an integer, negative
// or too large, or State.Running is not a boolean. A missing State.Running
// means "running when the pid is not 0".
[[nodiscard]] Result<ContainerState> parse_container_json(std::string_view body);

// Pure: the pid from a whole inspect response, by its status alone. 200
// with a running container: its pid; stopped (Pid 0 or Running false):
// ESRCH; 404: ENOENT; 400: EINVAL; 401, 403: EACCES; anything else, 5xx
// included: EPROTO. (Whether a 400 or 5xx means an ambiguous prefix is
// asked separately: see ask_daemon().)
[[nodiscard]] Result<pid_t> pid_from_inspect(const http::Response &resp);

// Whether an inspect status may stand for an ambiguous prefix: Docker
// answers 400 (500 before 17.06) and says so only in its message.
[[nodiscard]] bool may_be_ambiguous(int status) noexcept;

// Pure: how many containers of a container list response (GET
// /containers/json) have an id that starts with prefix. EPROTO unless the
// status is 200 and the body a JSON array of objects, each with a string
// "Id".
[[nodiscard]] Result<std::size_t> count_id_prefix(const http::Response &resp,
                                                  std::string_view prefix);

// The requests sent to the daemon: inspect the container, and list every
// container (running or not) whose id the daemon matches against id. (The
// daemon's id filter is a regular expression search, so the list may hold
// more than the prefix matches; count_id_prefix() counts those.)
[[nodiscard]] std::string inspect_request(std::string_view id);
[[nodiscard]] std::string list_request(std::string_view id);

// Connects to the unix socket at path, within timeout_ms. ETIMEDOUT when
// the daemon's backlog stays full.
[[nodiscard]] Result<UniqueFd> connect_unix(const std::string &path, int timeout_ms);

// Whether a connect_unix() error means that no daemon listens there
// (ENOENT, ECONNREFUSED, EACCES, EPERM, ENOTDIR, ELOOP, ENAMETOOLONG,
// EPROTOTYPE, ENOTSOCK), so that the next source should be tried.
[[nodiscard]] bool no_daemon_at(int err) noexcept;

// The documented errno for a failed exchange with a daemon: ETIMEDOUT,
// EMFILE, ENFILE and ENOMEM stay; ENOBUFS is ENOMEM; anything else (the
// daemon closed or reset the connection: EPIPE, ECONNRESET; any other
// error of a send or receive) is EPROTO.
[[nodiscard]] int exchange_error(int err) noexcept;

// Sends request on a connected socket and reads the whole response (until
// its framing ends or the daemon closes), within timeout_ms. A response
// cut short, garbled, or not HTTP is EPROTO; failures as exchange_error().
[[nodiscard]] Result<http::Response> exchange(int fd, std::string_view request, int timeout_ms);

// The whole conversation with the daemon that accepted fd on socket: the
// inspect request; when its status may_be_ambiguous(), a second connection
// for the container list, and ENOTUNIQ when more than one id has the
// prefix (otherwise the inspect status's own meaning). Each exchange has
// its own timeout_ms.
[[nodiscard]] Result<pid_t> ask_daemon(int fd, const std::string &socket, std::string_view id,
                                       int timeout_ms);

} // namespace netns::core
