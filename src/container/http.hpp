// SPDX-License-Identifier: Apache-2.0
// A pure parser of HTTP/1.1 responses (RFC 9112): status line, header
// fields, and a body framed by Content-Length, by chunked transfer coding, or
// by the end of the connection. No I/O: the caller feeds what it has read.
#pragma once

#include "result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netns::core::http {

// A response is never allowed to grow past this (the body and the head
// together); a longer one is EPROTO.
inline constexpr std::size_t max_response_size = 16u << 20;

struct Head {
    int status = 0;                                          // 100..999
    std::string reason;                                      // may be empty
    std::vector<std::pair<std::string, std::string>> fields; // names as sent
    std::size_t size = 0; // bytes of the head, including the empty line

    // The value of the first field named `name` (case-insensitive).
    [[nodiscard]] std::optional<std::string_view> field(std::string_view name) const noexcept;
};

struct Response {
    Head head;
    std::string body; // de-chunked
};

// The head at the start of `text` (status line and fields up to the empty
// line). EAGAIN when the empty line has not arrived yet; EPROTO when
// malformed. Lines may end in CRLF or a bare LF.
[[nodiscard]] Result<Head> parse_head(std::string_view text);

// Decodes a chunked body at the start of `text` (chunk sizes in hex, chunk
// extensions and trailer fields ignored). EAGAIN when incomplete, EPROTO
// when malformed.
[[nodiscard]] Result<std::string> decode_chunked(std::string_view text);

// A whole response to a GET. `at_eof` says the peer has closed the
// connection, so a body framed by the connection's end is complete and any
// other incomplete response is EPROTO. Without at_eof, EAGAIN means "read
// more". Interim 1xx responses are skipped.
[[nodiscard]] Result<Response> parse_response(std::string_view text, bool at_eof);

// Case-insensitive ASCII comparison (of field names).
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

} // namespace netns::core::http
