// SPDX-License-Identifier: Apache-2.0
#include "docker.hpp"
#include "cgroup.hpp"
#include "sys.hpp"
#include "text.hpp"
#include "thread_ns.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <sys/un.h>

namespace netns::core {

namespace {

constexpr const char *default_sockets[] = {"/run/docker.sock", "/var/run/docker.sock"};

std::int64_t now_ms() noexcept
{
    struct timespec ts {};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// A deadline for one exchange with a daemon.
class Deadline {
public:
    explicit Deadline(int timeout_ms) noexcept : end_(now_ms() + std::max(timeout_ms, 1)) {}
    // Milliseconds left, 0 when passed.
    [[nodiscard]] int left() const noexcept
    {
        std::int64_t l = end_ - now_ms();
        return l <= 0 ? 0 : static_cast<int>(std::min<std::int64_t>(l, INT_MAX));
    }

private:
    std::int64_t end_;
};

// Waits until fd is ready for `events`; ETIMEDOUT when the deadline passes.
Status wait_for(int fd, short events, const Deadline &deadline) noexcept
{
    while (true) {
        int left = deadline.left();
        if (left == 0)
            return Error{ETIMEDOUT};
        struct pollfd p = {fd, events, 0};
        int n = sys::poll(&p, 1, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return last_error();
        }
        if (n > 0)
            return {}; // ready, or an error/hangup the next call reports
    }
}

Status send_all(int fd, std::string_view data, const Deadline &deadline) noexcept
{
    while (!data.empty()) {
        if (auto st = wait_for(fd, POLLOUT, deadline); !st)
            return st;
        ssize_t n = sys::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return last_error();
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// Reads the whole response, stopping at its end (or at EOF). Once the head
// is in, a parse attempt costs the head's length, except for a chunked body
// which is decoded whole: that is only tried when a read ends in LF.
Result<http::Response> read_response(int fd, const Deadline &deadline)
{
    std::string buf;
    bool head_done = false;
    bool chunked = false;
    char chunk[16384];
    while (true) {
        if (auto st = wait_for(fd, POLLIN, deadline); !st)
            return st.failure();
        ssize_t n = sys::read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            if (errno == ECONNRESET && !buf.empty())
                return http::parse_response(buf, true);
            return last_error();
        }
        if (n == 0) {
            if (buf.empty())
                return Error{EPROTO}; // the daemon closed without a word
            return http::parse_response(buf, true);
        }
        std::size_t old = buf.size();
        buf.append(chunk, static_cast<std::size_t>(n));
        if (buf.size() > http::max_response_size)
            return Error{EPROTO};

        if (!head_done) {
            // Look for the empty line in the new bytes only.
            std::size_t from = old >= 3 ? old - 3 : 0;
            if (buf.find("\n\n", from) == std::string::npos &&
                buf.find("\n\r\n", from) == std::string::npos) {
                if (buf.size() > (64u << 10))
                    return Error{EPROTO}; // no head is that long
                continue;
            }
            auto head = http::parse_head(buf);
            if (!head)
                return Error{head.error() == EAGAIN ? EPROTO : head.error()};
            head_done = true;
            // Interim (1xx) heads are followed by more heads: probe as chunked.
            chunked = head->status < 200 || head->field("Transfer-Encoding").has_value();
        }
        if (!chunked || buf.back() == '\n') {
            auto r = http::parse_response(buf, false);
            if (r || r.error() != EAGAIN)
                return r;
        }
    }
}

// A GET of target, asking the daemon to close the connection after it.
std::string get_request(const std::string &target)
{
    return "GET " + target +
           " HTTP/1.1\r\n"
           "Host: docker\r\n"
           "User-Agent: libnetns\r\n"
           "Accept: application/json\r\n"
           "Connection: close\r\n"
           "\r\n";
}

} // namespace

DockerSources system_docker_sources(const char *docker_host)
{
    DockerSources src;
    std::string_view host = docker_host ? docker_host : "";
    constexpr std::string_view scheme = "unix://";
    if (host.substr(0, scheme.size()) == scheme && host.size() > scheme.size())
        src.sockets.emplace_back(host.substr(scheme.size()));
    else
        src.sockets.assign(std::begin(default_sockets), std::end(default_sockets));
    src.cgroup_root = "/sys/fs/cgroup";
    src.proc_root = default_proc_root;
    return src;
}

Status check_container_id(std::string_view id) noexcept
{
    if (id.empty() || id.size() > 128 || id == "." || id == "..")
        return Error{EINVAL};
    if (!std::all_of(id.begin(), id.end(), text::is_id_char))
        return Error{EINVAL};
    return {};
}

Result<ContainerState> parse_container_json(std::string_view body)
{
    using json = nlohmann::json;
    // allow_exceptions=false: a syntax error gives a "discarded" value.
    json doc = json::parse(body.data(), body.data() + body.size(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return Error{EPROTO};
    auto state = doc.find("State");
    if (state == doc.end() || !state->is_object())
        return Error{EPROTO};
    auto pid = state->find("Pid");
    if (pid == state->end() || !pid->is_number_integer())
        return Error{EPROTO};

    ContainerState cs;
    if (pid->is_number_unsigned()) {
        auto v = pid->get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(INT_MAX))
            return Error{EPROTO};
        cs.pid = static_cast<pid_t>(v);
    } else {
        auto v = pid->get<std::int64_t>();
        if (v < 0 || v > INT_MAX)
            return Error{EPROTO};
        cs.pid = static_cast<pid_t>(v);
    }
    auto running = state->find("Running");
    if (running == state->end())
        cs.running = cs.pid > 0;
    else if (running->is_boolean())
        cs.running = running->get<bool>();
    else
        return Error{EPROTO};
    return cs;
}

Result<pid_t> pid_from_inspect(const http::Response &resp)
{
    switch (resp.head.status) {
    case 200: {
        auto cs = parse_container_json(resp.body);
        if (!cs)
            return cs.failure();
        if (cs->pid == 0 || !cs->running)
            return Error{ESRCH};
        return cs->pid;
    }
    case 404: return Error{ENOENT};
    case 400: return Error{EINVAL};
    case 401:
    case 403: return Error{EACCES};
    default: return Error{EPROTO};
    }
}

bool may_be_ambiguous(int status) noexcept
{
    return status == 400 || (status >= 500 && status <= 599);
}

Result<std::size_t> count_id_prefix(const http::Response &resp, std::string_view prefix)
{
    using json = nlohmann::json;
    if (resp.head.status != 200)
        return Error{EPROTO};
    json doc = json::parse(resp.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_array())
        return Error{EPROTO};
    std::size_t n = 0;
    for (const auto &c : doc) {
        auto id = c.is_object() ? c.find("Id") : c.end();
        if (id == c.end() || !id->is_string())
            return Error{EPROTO};
        if (id->get_ref<const std::string &>().starts_with(prefix))
            ++n;
    }
    return n;
}

std::string inspect_request(std::string_view id)
{
    std::string req = "/containers/";
    req += id;
    req += "/json";
    return get_request(req);
}

std::string list_request(std::string_view id)
{
    // filters={"id":["<id>"]}; id has no character that needs escaping.
    std::string req = "/containers/json?all=1&filters=%7B%22id%22%3A%5B%22";
    req += id;
    req += "%22%5D%7D";
    return get_request(req);
}

bool no_daemon_at(int err) noexcept
{
    switch (err) {
    case ENOENT:
    case ECONNREFUSED:
    case EACCES:
    case EPERM:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EPROTOTYPE:
    case ENOTSOCK: return true;
    default: return false;
    }
}

Result<UniqueFd> connect_unix(const std::string &path, int timeout_ms)
{
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        return Error{path.empty() ? ENOENT : ENAMETOOLONG};
    std::memcpy(addr.sun_path, path.data(), path.size());

    UniqueFd fd(sys::socket(AF_UNIX, SOCK_STREAM, 0));
    if (!fd)
        return last_error();
    // A unix connect() waits for room in the listener's backlog for at
    // most SO_SNDTIMEO, then fails with EAGAIN.
    int ms = std::max(timeout_ms, 1);
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    if (sys::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0)
        return last_error();
    socklen_t len =
        static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + path.size() + 1);
    while (sys::connect(fd.get(), reinterpret_cast<const struct sockaddr *>(&addr), len) < 0) {
        if (errno == EINTR)
            continue; // a unix connect is restartable
        if (errno == EAGAIN || errno == EINPROGRESS)
            return Error{ETIMEDOUT};
        return last_error();
    }
    return fd;
}

int exchange_error(int err) noexcept
{
    switch (err) {
    case ETIMEDOUT:
    case EMFILE:
    case ENFILE:
    case ENOMEM: return err;
    case ENOBUFS: return ENOMEM;
    default: return EPROTO;
    }
}

Result<http::Response> exchange(int fd, std::string_view request, int timeout_ms)
{
    Deadline deadline(timeout_ms);
    if (auto st = send_all(fd, request, deadline); !st)
        return Error{exchange_error(st.error())};
    auto resp = read_response(fd, deadline);
    if (!resp)
        return Error{exchange_error(resp.error())};
    return resp;
}

Result<pid_t> ask_daemon(int fd, const std::string &socket, std::string_view id, int timeout_ms)
{
    auto resp = exchange(fd, inspect_request(id), timeout_ms);
    if (!resp)
        return resp.failure();
    auto pid = pid_from_inspect(resp.value());
    if (pid || !may_be_ambiguous(resp->head.status))
        return pid;
    // Docker reports an ambiguous prefix only in the words of its message
    // (400, or 500 before 17.06): count the matches in the container list.
    auto again = connect_unix(socket, timeout_ms);
    if (!again)
        return Error{exchange_error(again.error())};
    auto list = exchange(again->get(), list_request(id), timeout_ms);
    if (!list)
        return list.failure();
    auto n = count_id_prefix(list.value(), id);
    if (!n)
        return n.failure();
    return n.value() > 1 ? Error{ENOTUNIQ} : pid.failure();
}

Result<pid_t> container_pid(std::string_view id, const DockerSources &src)
{
    if (auto st = check_container_id(id); !st)
        return st.failure();

    bool refused = false;
    for (const auto &path : src.sockets) {
        auto fd = connect_unix(path, src.timeout_ms);
        if (!fd) {
            if (!no_daemon_at(fd.error()))
                return Error{exchange_error(fd.error())};
            refused = refused || fd.error() == EACCES || fd.error() == EPERM;
            continue;
        }
        // A daemon answers: its word is final.
        return ask_daemon(fd->get(), path, id, src.timeout_ms);
    }

    if (src.cgroup_root.empty())
        return Error{refused ? EACCES : ENOENT};
    auto cg = find_container_cgroup(src.cgroup_root, id);
    if (!cg)
        return Error{cg.error() == ENOENT && refused ? EACCES : cg.error()};
    return cg->pid;
}

Result<UniqueFd> get_from_docker(std::string_view id, const DockerSources &src)
{
    auto pid = container_pid(id, src);
    if (!pid)
        return pid.failure();
    auto fd = get_from_pid(src.proc_root.c_str(), pid.value());
    if (!fd && fd.error() == ENOENT)
        return Error{ESRCH}; // the container stopped meanwhile
    return fd;
}

} // namespace netns::core
