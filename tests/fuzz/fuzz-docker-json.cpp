// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: reading State.Pid and State.Running from the Engine
// API's inspect JSON, mapping a whole response to a pid or an errno, and
// counting the ids of a container list.
#include "container/docker.hpp"
#include "container/http.hpp"

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace netns::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view body(reinterpret_cast<const char *>(data), size);

    auto st = parse_container_json(body);
    if (st) {
        if (st->pid < 0)
            std::abort();
    } else if (st.error() != EPROTO) {
        std::abort();
    }

    // The first byte picks a status among those a daemon sends.
    static const int statuses[] = {200, 400, 401, 403, 404, 409, 500, 503};
    http::Response resp;
    resp.head.status = size ? statuses[data[0] % 8] : 200;
    resp.body = std::string(size ? body.substr(1) : body);
    auto pid = pid_from_inspect(resp);
    if (pid) {
        if (resp.head.status != 200 || pid.value() <= 0)
            std::abort();
    } else {
        switch (pid.error()) {
        case ENOENT:
        case ESRCH:
        case EPROTO:
        case EINVAL:
        case EACCES: break;
        default: std::abort();
        }
    }

    // The same bytes as a container list, counted against a short prefix.
    resp.head.status = 200;
    resp.body = std::string(body);
    auto n = count_id_prefix(resp, "4f");
    if (!n && n.error() != EPROTO)
        std::abort();
    return 0;
}
