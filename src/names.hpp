// SPDX-License-Identifier: Apache-2.0
// Names of persistent namespaces, and where they live (the run directory).
#pragma once

#include "result.hpp"

#include <climits>
#include <string>
#include <string_view>

namespace netns::core {

// EINVAL unless name is a single path component: not empty, not "." or
// "..", no '/', no NUL, at most NAME_MAX bytes.
[[nodiscard]] Status check_name(std::string_view name) noexcept;

// The run directories, in lookup order. `primary` is where names are made;
// `fallback`, when not empty, is also searched by lookups.
struct RunDirs {
    std::string primary;
    std::string fallback;
};

// env_value is $NETNS_RUN_DIR (nullptr or "" when unset); run_exists says
// whether /run exists. Pure: the caller reads the system.
[[nodiscard]] RunDirs run_dirs(const char *env_value, bool run_exists);

// The run directories of this process, from the environment.
[[nodiscard]] RunDirs system_run_dirs();

// A path joined into a fixed PATH_MAX buffer: joining never allocates, and a
// path that does not fit is ENAMETOOLONG, never a truncated path.
class PathBuf {
public:
    [[nodiscard]] const char *c_str() const noexcept { return buf_; }
    [[nodiscard]] std::string_view view() const noexcept { return {buf_, len_}; }

private:
    friend Status join_path(std::string_view, std::string_view, PathBuf &) noexcept;
    char buf_[PATH_MAX] = {};
    size_t len_ = 0;
};

// out = dir + "/" + name; ENAMETOOLONG past PATH_MAX.
[[nodiscard]] Status join_path(std::string_view dir, std::string_view name, PathBuf &out) noexcept;

// Splits a path to an entry into its directory and its last component, for
// the *_at functions: "a/b/c" gives "a/b" and "c", "c" gives "." and "c",
// "/c" gives "/" and "c". EINVAL when path is empty or contains a NUL, or
// the last component is empty (a trailing '/'), "." or "..";
// ENAMETOOLONG when path is PATH_MAX bytes or more, or the last component
// is longer than NAME_MAX. Pure.
[[nodiscard]] Status split_path(std::string_view path, std::string &dir, std::string &base);

} // namespace netns::core
