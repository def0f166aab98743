// SPDX-License-Identifier: Apache-2.0
#include "names.hpp"

#include <climits>
#include <cstdlib>
#include <sys/stat.h>

namespace netns::core {

Status check_name(std::string_view name) noexcept
{
    if (name.empty() || name.size() > NAME_MAX || name == "." || name == "..")
        return Error{EINVAL};
    if (name.find('/') != std::string_view::npos || name.find('\0') != std::string_view::npos)
        return Error{EINVAL};
    return {};
}

RunDirs run_dirs(const char *env_value, bool run_exists)
{
    if (env_value != nullptr && *env_value != '\0')
        return {env_value, {}};
    if (run_exists)
        return {"/run/netns", "/var/run/netns"};
    return {"/var/run/netns", {}};
}

RunDirs system_run_dirs()
{
    const char *env = ::secure_getenv("NETNS_RUN_DIR");
    if (env != nullptr && *env != '\0')
        return run_dirs(env, true);
    // On most systems /var/run is a link to /run and the fallback finds the
    // same entries; it only matters where the two differ.
    // Whether /run exists does not change while a process runs: ask once.
    // A raw stat, not sys::: a fault injected here would be cached for the
    // rest of the process, and a failure only means "no /run".
    static const bool run_exists = [] {
        struct stat st;
        return ::stat("/run", &st) == 0 && S_ISDIR(st.st_mode);
    }();
    return run_dirs(nullptr, run_exists);
}

Status join_path(std::string_view dir, std::string_view name, PathBuf &out) noexcept
{
    if (dir.size() + 1 + name.size() >= sizeof out.buf_)
        return Error{ENAMETOOLONG};
    dir.copy(out.buf_, dir.size());
    out.buf_[dir.size()] = '/';
    name.copy(out.buf_ + dir.size() + 1, name.size());
    out.len_ = dir.size() + 1 + name.size();
    out.buf_[out.len_] = '\0';
    return {};
}

Status split_path(std::string_view path, std::string &dir, std::string &base)
{
    if (path.empty() || path.find('\0') != std::string_view::npos)
        return Error{EINVAL};
    if (path.size() >= PATH_MAX)
        return Error{ENAMETOOLONG};
    size_t slash = path.rfind('/');
    std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (last.empty() || last == "." || last == "..")
        return Error{EINVAL};
    if (last.size() > NAME_MAX)
        return Error{ENAMETOOLONG};
    if (slash == std::string_view::npos)
        dir = ".";
    else if (slash == 0)
        dir = "/";
    else
        dir = path.substr(0, slash);
    base = last;
    return {};
}

} // namespace netns::core
