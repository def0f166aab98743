// SPDX-License-Identifier: Apache-2.0
#include "mountinfo.hpp"
#include "text.hpp"

namespace netns::test {

namespace {

// Splits off the next space-separated field; false when none is left.
bool next_field(std::string_view &rest, std::string_view &field)
{
    size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos)
        return false;
    rest.remove_prefix(start);
    size_t end = rest.find(' ');
    field = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    return true;
}

using core::Error;
using core::text::next_line;
using core::text::to_number;

bool is_octal(char c) { return c >= '0' && c <= '7'; }

} // namespace

int MountEntry::shared_group() const noexcept
{
    for (const auto &tag : optional) {
        int group = 0;
        if (tag.rfind("shared:", 0) == 0 && to_number(std::string_view(tag).substr(7), group))
            return group;
    }
    return 0;
}

std::string unescape_mount_field(std::string_view field)
{
    std::string out;
    out.reserve(field.size());
    for (size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) &&
            is_octal(field[i + 2]) && is_octal(field[i + 3])) {
            int v = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
            if (v <= 0xff) {
                out.push_back(static_cast<char>(v));
                i += 3;
                continue;
            }
        }
        out.push_back(field[i]);
    }
    return out;
}

Result<MountEntry> parse_mountinfo_line(std::string_view line)
{
    MountEntry e;
    std::string_view rest = line, f;
    if (!next_field(rest, f) || !to_number(f, e.id))
        return Error{EINVAL};
    if (!next_field(rest, f) || !to_number(f, e.parent))
        return Error{EINVAL};
    if (!next_field(rest, f))
        return Error{EINVAL};
    size_t colon = f.find(':');
    if (colon == std::string_view::npos || !to_number(f.substr(0, colon), e.major) ||
        !to_number(f.substr(colon + 1), e.minor))
        return Error{EINVAL};
    if (!next_field(rest, f))
        return Error{EINVAL};
    e.root = unescape_mount_field(f);
    if (!next_field(rest, f))
        return Error{EINVAL};
    e.mount_point = unescape_mount_field(f);
    if (!next_field(rest, f))
        return Error{EINVAL};
    e.options = f;
    // Zero or more optional fields, ended by a lone "-".
    for (;;) {
        if (!next_field(rest, f))
            return Error{EINVAL};
        if (f == "-")
            break;
        e.optional.emplace_back(f);
    }
    if (!next_field(rest, f))
        return Error{EINVAL};
    e.fstype = f;
    if (!next_field(rest, f))
        return Error{EINVAL};
    e.source = unescape_mount_field(f);
    if (!next_field(rest, f))
        return Error{EINVAL};
    e.super_options = f;
    if (next_field(rest, f))
        return Error{EINVAL};
    return e;
}

Result<std::vector<MountEntry>> parse_mountinfo(std::string_view text)
{
    std::vector<MountEntry> out;
    for (std::string_view line; next_line(text, line);) {
        if (line.empty())
            continue;
        auto e = parse_mountinfo_line(line);
        if (!e)
            return Error{e.error()};
        out.push_back(std::move(e).value());
    }
    return out;
}

} // namespace netns::test
