// SPDX-License-Identifier: Apache-2.0
// Fuzzes split_path() (src/names.hpp), the path rule of netns_create_at()
// and netns_delete_at(), against a model of its documented contract:
//  - EINVAL when the path is empty or contains a NUL, or its last
//    component is empty (a trailing '/'), "." or "..";
//  - ENAMETOOLONG when the path is PATH_MAX bytes or more, or its last
//    component is longer than NAME_MAX (when an EINVAL rule applies too,
//    either error is right);
//  - otherwise base is the last component and dir the part before it,
//    without the one '/' that separates them: "." when there is no '/',
//    "/" when the separator is the path's first character.
#include "names.hpp"
#include "fuzz-check.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using netns::core::split_path;

namespace {

void check_split_contract(std::string_view path)
{
    std::string dir = "unchanged", base = "unchanged";
    auto st = split_path(path, dir, base);

    const size_t slash = path.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const bool invalid = path.empty() || path.find('\0') != std::string_view::npos ||
                         last.empty() || last == "." || last == "..";
    const bool too_long = path.size() >= PATH_MAX || last.size() > NAME_MAX;

    if (invalid || too_long) {
        EXPECT(!st.ok());
        EXPECT((invalid && st.error() == EINVAL) || (too_long && st.error() == ENAMETOOLONG));
        return;
    }
    EXPECT(st.ok());
    EXPECT(base == last);
    EXPECT(base.find('/') == std::string::npos);
    if (slash == std::string_view::npos) {
        EXPECT(dir == ".");
    } else {
        const std::string_view before = path.substr(0, slash); // without the separator
        EXPECT(dir == (before.empty() ? std::string_view("/") : before));
        // dir + "/" + base names the same entry (one '/' more or less).
        EXPECT(dir.size() < PATH_MAX);
    }
    // Pure: the same answer twice.
    std::string dir2, base2;
    auto again = split_path(path, dir2, base2);
    EXPECT(again.ok() && dir2 == dir && base2 == base);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view whole(reinterpret_cast<const char *>(data), size);
    check_split_contract(whole);

    // Padded, so that short inputs reach the PATH_MAX and NAME_MAX
    // boundaries: the first byte lengthens the directory, the second the
    // last component.
    FuzzedDataProvider in(data, size);
    const size_t dir_pad = static_cast<size_t>(in.ConsumeIntegral<uint8_t>()) * 17;
    const size_t name_pad = in.ConsumeIntegral<uint8_t>();
    const std::string rest = in.ConsumeRemainingBytesAsString();
    check_split_contract(std::string(dir_pad, 'd') + "/" + rest);
    check_split_contract(rest + std::string(name_pad, 'n'));
    check_split_contract(std::string(dir_pad, 'd') + "/" + rest + std::string(name_pad, 'n'));
    return 0;
}
