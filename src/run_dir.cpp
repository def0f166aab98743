// SPDX-License-Identifier: Apache-2.0
#include "run_dir.hpp"
#include "sys.hpp"

#include <sys/stat.h>

namespace netns::core {

Status mkdir_p(const std::string &path, mode_t mode) noexcept
{
    if (path.empty())
        return Error{ENOENT};
    // Usually the directory or its parent exists: one call. An existing
    // non-directory is reported as ENOTDIR by whoever opens it next.
    if (sys::mkdir(path.c_str(), mode) == 0 || errno == EEXIST)
        return {};
    if (errno != ENOENT)
        return last_error();
    // A parent is missing: walk down the components.
    for (size_t pos = path.find('/', 1);; pos = path.find('/', pos + 1)) {
        std::string_view prefix(path.data(), pos == std::string::npos ? path.size() : pos);
        if (!prefix.empty() && prefix.back() != '/') {
            char buf[4096];
            if (prefix.size() >= sizeof buf)
                return Error{ENAMETOOLONG};
            prefix.copy(buf, prefix.size());
            buf[prefix.size()] = '\0';
            if (sys::mkdir(buf, mode) < 0 && errno != EEXIST)
                return last_error();
        }
        if (pos == std::string::npos)
            break;
    }
    return {};
}

Status make_shared_mount(const char *dir) noexcept
{
    bool bound = false;
    while (sys::mount("", dir, "none", MS_SHARED | MS_REC) < 0) {
        // EINVAL: dir is not a mount point. Make it one, once, and retry.
        if (errno != EINVAL || bound) {
            Error err = last_error();
            if (bound) // leave no half-done self-bind behind
                (void)::umount2(dir, MNT_DETACH);
            return err;
        }
        if (sys::mount(dir, dir, "none", MS_BIND | MS_REC) < 0)
            return last_error();
        bound = true;
    }
    return {};
}

Result<UniqueFd> lock_dir(const char *dir) noexcept
{
    UniqueFd lock(sys::open(dir, O_RDONLY | O_DIRECTORY));
    if (!lock)
        return last_error();
    while (sys::flock(lock.get(), LOCK_EX) < 0) {
        if (errno != EINTR)
            return last_error();
    }
    return lock;
}

Result<UniqueFd> prepare_run_dir(const std::string &dir) noexcept
{
    if (auto st = mkdir_p(dir, 0755); !st)
        return st.failure();
    auto lock = lock_dir(dir.c_str());
    if (!lock)
        return lock;
    if (auto st = make_shared_mount(dir.c_str()); !st)
        return st.failure();
    return lock;
}

} // namespace netns::core
