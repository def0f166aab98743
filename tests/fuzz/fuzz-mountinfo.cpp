// SPDX-License-Identifier: Apache-2.0
// Fuzzes the mountinfo parser (tests/support/mountinfo.hpp). Three properties:
//  1. unescape_mount_field() inverts the kernel's escaping, never grows its
//     input, and leaves a field without '\' alone;
//  2. parse_mountinfo() on arbitrary text agrees with parse_mountinfo_line()
//     on each line, and what it accepts is well formed;
//  3. a line built the way the kernel prints it (proc(5)) from fuzzed fields
//     parses back to exactly those fields.
#include "mountinfo.hpp"
#include "fuzz-check.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using netns::test::MountEntry;
using netns::test::parse_mountinfo;
using netns::test::parse_mountinfo_line;
using netns::test::unescape_mount_field;

namespace {

bool has(std::string_view s, char c) { return s.find(c) != std::string_view::npos; }

// The kernel's mangling (fs/proc_namespace.c: " \t\n\\" as \ooo). With
// `all`, every byte is written as \ooo, which the parser must accept too.
std::string escape(std::string_view raw, bool all)
{
    static const char digits[] = "01234567";
    std::string out;
    for (char ch : raw) {
        auto c = static_cast<unsigned char>(ch);
        if (all || c == ' ' || c == '\t' || c == '\n' || c == '\\') {
            out.push_back('\\');
            out.push_back(digits[(c >> 6) & 7]);
            out.push_back(digits[(c >> 3) & 7]);
            out.push_back(digits[c & 7]);
        } else {
            out.push_back(ch);
        }
    }
    return out;
}

bool same(const MountEntry &a, const MountEntry &b)
{
    return a.id == b.id && a.parent == b.parent && a.major == b.major && a.minor == b.minor &&
           a.root == b.root && a.mount_point == b.mount_point && a.options == b.options &&
           a.optional == b.optional && a.fstype == b.fstype && a.source == b.source &&
           a.super_options == b.super_options;
}

// A field printed verbatim: one token, no separator in it.
bool plain_token(std::string_view s) { return !s.empty() && !has(s, ' ') && !has(s, '\n'); }

void check_entry(const MountEntry &e, bool text_has_backslash)
{
    EXPECT(plain_token(e.options));
    EXPECT(plain_token(e.fstype));
    EXPECT(plain_token(e.super_options));
    for (const auto &tag : e.optional) {
        EXPECT(plain_token(tag));
        EXPECT(tag != "-"); // the separator is never an optional field
    }
    // An escape turns four bytes into one; nothing turns into nothing.
    EXPECT(!e.root.empty());
    EXPECT(!e.mount_point.empty());
    EXPECT(!e.source.empty());
    if (!text_has_backslash) {
        // Without escapes a space or newline can only come from the text,
        // where it separates fields or lines.
        EXPECT(plain_token(e.root));
        EXPECT(plain_token(e.mount_point));
        EXPECT(plain_token(e.source));
    }
    const int group = e.shared_group();
    if (group != 0) {
        bool tagged = false;
        for (const auto &tag : e.optional)
            tagged = tagged || std::string_view(tag).substr(0, 7) == "shared:";
        EXPECT(tagged);
    }
}

void check_unescape(std::string_view field)
{
    const std::string out = unescape_mount_field(field);
    EXPECT(out.size() <= field.size());
    if (!has(field, '\\'))
        EXPECT(out == field);
    EXPECT(unescape_mount_field(escape(field, false)) == field);
    EXPECT(unescape_mount_field(escape(field, true)) == field);
}

void check_text(std::string_view text)
{
    const bool backslash = has(text, '\\');
    auto all = parse_mountinfo(text);
    std::vector<MountEntry> lines;
    int first_error = 0;
    std::string_view rest = text;
    while (!rest.empty()) {
        size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        if (line.empty())
            continue;
        auto e = parse_mountinfo_line(line);
        if (!e) {
            EXPECT(e.error() == EINVAL);
            first_error = e.error();
            break;
        }
        check_entry(e.value(), backslash);
        lines.push_back(std::move(e).value());
    }
    EXPECT(all.ok() == (first_error == 0));
    if (!all) {
        EXPECT(all.error() == first_error);
        return;
    }
    EXPECT(all->size() == lines.size());
    for (size_t i = 0; i < lines.size(); ++i)
        EXPECT(same((*all)[i], lines[i]));
}

// A token as the kernel prints options and fs types: no space, no newline,
// not empty.
std::string token(FuzzedDataProvider &in, const char *fallback)
{
    std::string s = in.ConsumeRandomLengthString(40);
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n')
            out.push_back(c);
    return out.empty() ? fallback : out;
}

void check_round_trip(FuzzedDataProvider &in)
{
    MountEntry want;
    want.id = in.ConsumeIntegralInRange<int>(0, INT32_MAX);
    want.parent = in.ConsumeIntegralInRange<int>(0, INT32_MAX);
    want.major = in.ConsumeIntegral<unsigned>();
    want.minor = in.ConsumeIntegral<unsigned>();
    const bool escape_all = in.ConsumeBool();
    want.root = in.ConsumeRandomLengthString(80);
    want.mount_point = in.ConsumeRandomLengthString(80);
    want.source = in.ConsumeRandomLengthString(80);
    if (want.root.empty())
        want.root = "/";
    if (want.mount_point.empty())
        want.mount_point = "/";
    if (want.source.empty())
        want.source = "none";
    want.options = token(in, "rw");
    const int n_optional = in.ConsumeIntegralInRange<int>(0, 4);
    for (int i = 0; i < n_optional; ++i) {
        std::string tag = token(in, "shared:1");
        if (tag == "-")
            tag = "master:1";
        want.optional.push_back(tag);
    }
    want.fstype = token(in, "ext4");
    want.super_options = token(in, "rw");

    std::string line = std::to_string(want.id) + ' ' + std::to_string(want.parent) + ' ' +
                       std::to_string(want.major) + ':' + std::to_string(want.minor) + ' ' +
                       escape(want.root, escape_all) + ' ' + escape(want.mount_point, escape_all) +
                       ' ' + want.options;
    for (const auto &tag : want.optional)
        line += ' ' + tag;
    line += " - " + want.fstype + ' ' + escape(want.source, escape_all) + ' ' + want.super_options;

    auto got = parse_mountinfo_line(line);
    EXPECT(got.ok());
    EXPECT(same(got.value(), want));

    // The same line inside a file, between two others.
    auto file = parse_mountinfo("1 0 0:1 / / rw - rootfs rootfs rw\n" + line +
                                "\n\n2 1 0:2 / /proc rw shared:5 - proc proc rw\n");
    EXPECT(file.ok());
    EXPECT(file->size() == 3);
    EXPECT(same((*file)[1], want));
    EXPECT((*file)[2].shared_group() == 5);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    check_unescape(text);
    check_text(text);
    FuzzedDataProvider in(data, size);
    check_round_trip(in);
    return 0;
}
