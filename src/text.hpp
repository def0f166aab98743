// SPDX-License-Identifier: Apache-2.0
// Small pure helpers shared by the parsers of outside input.
#pragma once

#include <charconv>
#include <string_view>

namespace netns::core::text {

// A whole unsigned decimal number: no sign, no space, nothing after it.
template <typename T> [[nodiscard]] bool to_number(std::string_view s, T &out) noexcept
{
    if (s.empty() || s.front() == '+' || s.front() == '-')
        return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

// Splits the next line (without its '\n') off the front of text; false
// once nothing is left. The last line may lack its '\n': *ended, when
// given, tells whether the line had one.
[[nodiscard]] inline bool next_line(std::string_view &text, std::string_view &line,
                                    bool *ended = nullptr) noexcept
{
    if (text.empty())
        return false;
    size_t nl = text.find('\n');
    line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (ended != nullptr)
        *ended = nl != std::string_view::npos;
    return true;
}

// A character of a container id or name as the lookup accepts them:
// [0-9A-Za-z_.-].
[[nodiscard]] constexpr bool is_id_char(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           c == '.' || c == '-';
}

} // namespace netns::core::text
