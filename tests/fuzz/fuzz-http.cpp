// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the HTTP/1.1 response parser (head, chunked decoding,
// body framing).
#include "container/http.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace netns::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view text(reinterpret_cast<const char *>(data), size);

    auto head = http::parse_head(text);
    if (head) {
        if (head->size > text.size() || head->status < 100 || head->status > 999)
            std::abort();
        (void)head->field("Content-Length");
    } else if (head.error() != EAGAIN && head.error() != EPROTO) {
        std::abort();
    }

    auto chunked = http::decode_chunked(text);
    if (chunked && chunked->size() > text.size())
        std::abort(); // de-chunking never adds bytes

    auto open = http::parse_response(text, false);
    auto closed = http::parse_response(text, true);
    if (!closed && closed.error() == EAGAIN)
        std::abort(); // at EOF there is nothing more to wait for
    // A response complete before EOF is the same one at EOF.
    if (open && (!closed || closed->body != open->body || closed->head.status != open->head.status))
        std::abort();
    if (open && open->head.status < 200)
        std::abort(); // interim responses are skipped
    return 0;
}
