// SPDX-License-Identifier: Apache-2.0
// Fuzzes the name rules and the run-dir paths (src/names.hpp) against a
// model of their documented contract:
//  - check_name(): EINVAL unless one path component of 1..NAME_MAX bytes,
//    not "." or "..", without '/' or NUL;
//  - join_path(): dir + "/" + name (NUL-terminated in a PATH_MAX buffer),
//    ENAMETOOLONG when that does not fit;
//  - run_dirs(): $NETNS_RUN_DIR verbatim (up to its NUL) when set and not
//    empty, else a default that does not depend on the value.
#include "names.hpp"
#include "fuzz-check.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

using netns::core::check_name;
using netns::core::join_path;
using netns::core::run_dirs;

namespace {

bool model_valid_name(std::string_view n)
{
    return !n.empty() && n.size() <= NAME_MAX && n != "." && n != ".." &&
           n.find('/') == std::string_view::npos && n.find('\0') == std::string_view::npos;
}

void check_name_contract(std::string_view name)
{
    auto st = check_name(name);
    EXPECT(st.ok() == model_valid_name(name));
    EXPECT(st.ok() || st.error() == EINVAL);
}

void check_join_contract(std::string_view dir, std::string_view name)
{
    netns::core::PathBuf path;
    auto st = join_path(dir, name, path);
    const bool fits = dir.size() + 1 + name.size() < PATH_MAX;
    EXPECT(st.ok() == fits);
    if (!st) {
        EXPECT(st.error() == ENAMETOOLONG);
        return;
    }
    const std::string_view p = path.view();
    EXPECT(p.size() == dir.size() + 1 + name.size());
    EXPECT(p.substr(0, dir.size()) == dir);
    EXPECT(p[dir.size()] == '/');
    EXPECT(p.substr(dir.size() + 1) == name);
    // The C string is the same bytes, NUL-terminated.
    EXPECT(std::memcmp(path.c_str(), p.data(), p.size()) == 0);
    EXPECT(path.c_str()[p.size()] == '\0');
    // A valid name is exactly the last component of the joined path.
    if (model_valid_name(name))
        EXPECT(p.substr(p.rfind('/') + 1) == name);
}

void check_run_dirs_contract(const std::string &env)
{
    const char *value = env.c_str(); // as getenv() would give it: up to the NUL
    for (bool run_exists : {false, true}) {
        auto dirs = run_dirs(value, run_exists);
        auto unset = run_dirs(nullptr, run_exists);
        EXPECT(!unset.primary.empty());
        EXPECT(unset.primary[0] == '/');
        if (*value != '\0') {
            EXPECT(dirs.primary == value);
            EXPECT(dirs.fallback.empty());
        } else {
            // "" means unset.
            EXPECT(dirs.primary == unset.primary);
            EXPECT(dirs.fallback == unset.fallback);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view whole(reinterpret_cast<const char *>(data), size);

    // The whole input as a name, and as $NETNS_RUN_DIR.
    check_name_contract(whole);
    check_run_dirs_contract(std::string(whole));

    // A directory and a name. The first byte pads the directory, so that
    // short inputs still reach the PATH_MAX boundary.
    FuzzedDataProvider in(data, size);
    const size_t pad = static_cast<size_t>(in.ConsumeIntegral<uint8_t>()) * 17;
    std::string dir(pad, 'd');
    dir += in.ConsumeRandomLengthString(PATH_MAX);
    const std::string name = in.ConsumeRemainingBytesAsString();
    check_name_contract(name);
    check_join_contract(dir, name);
    check_join_contract(name, dir);
    auto dirs = run_dirs(dir.c_str(), true);
    check_join_contract(dirs.primary, name);
    return 0;
}
