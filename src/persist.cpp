// SPDX-License-Identifier: Apache-2.0
#include "persist.hpp"
#include "nsfd.hpp"
#include "run_dir.hpp"
#include "sys.hpp"
#include "thread_ns.hpp"

#include <climits>
#include <ctime>
#include <sys/stat.h>

namespace netns::core {

namespace {

// Removes a half-made entry of new_named, mounted or not, unless dismissed:
// the same removal as delete_named's, busy retries included.
class Undo {
public:
    // path must outlive the Undo.
    explicit Undo(const char *path) noexcept : path_(path) {}
    Undo(const Undo &) = delete;
    Undo &operator=(const Undo &) = delete;
    ~Undo()
    {
        if (path_ == nullptr)
            return;
        int saved_errno = errno;
        (void)remove_mounted_file(path_);
        errno = saved_errno;
    }
    void dismiss() noexcept { path_ = nullptr; }

private:
    const char *path_;
};

} // namespace

Result<UniqueFd> new_named(const RunDirs &dirs, std::string_view name, const char *proc)
{
    if (auto st = check_name(name); !st)
        return Error{st.error()};
    PathBuf path;
    if (auto st = join_path(dirs.primary, name, path); !st)
        return Error{st.error()};

    // The lock serializes the shared-mount setup between callers (threads
    // and processes, iproute2 included); O_EXCL settles who owns the name.
    auto lock = prepare_run_dir(dirs.primary);
    if (!lock)
        return Error{lock.error()};

    UniqueFd entry(sys::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL, 0));
    if (!entry)
        return last_error();
    entry.reset();
    Undo remove_entry(path.c_str());

    char buf[PATH_MAX];
    auto self = thread_netns_path(proc, buf);
    if (!self)
        return Error{self.error()};

    auto restore = SetGuard::save(proc);
    if (!restore)
        return Error{restore.error()};
    if (sys::unshare(CLONE_NEWNET) < 0)
        return last_error();
    if (sys::mount(self.value(), path.c_str(), "none", MS_BIND) < 0)
        return last_error();

    auto handle = get(proc);
    if (!handle)
        return handle;

    remove_entry.dismiss();
    restore->dismiss();
    return handle;
}

Result<UniqueFd> get_from_name(const RunDirs &dirs, std::string_view name)
{
    if (auto st = check_name(name); !st)
        return Error{st.error()};
    PathBuf path;
    if (auto st = join_path(dirs.primary, name, path); !st)
        return Error{st.error()};
    auto fd = get_from_path(path.c_str(), CLONE_NEWNET);
    if (fd || fd.error() != ENOENT || dirs.fallback.empty())
        return fd;
    if (auto st = join_path(dirs.fallback, name, path); !st)
        return Error{st.error()};
    return get_from_path(path.c_str(), CLONE_NEWNET);
}

Status remove_mounted_file(const char *path) noexcept
{
    // Several mounts may be stacked on one entry (e.g. `ip netns add` run
    // twice by hand); peel them all. The bound keeps a kernel that keeps
    // answering 0 from looping forever.
    for (int i = 0; i < 1024; ++i) {
        if (sys::umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
            continue;
        if (errno == EINVAL) // no longer a mount point
            break;
        return last_error();
    }
    // A detached mount can keep the entry busy for a moment.
    const struct timespec pause = {0, 10 * 1000 * 1000};
    for (int tries = 0;; ++tries) {
        if (sys::unlink(path) == 0)
            return {};
        if (errno != EBUSY || tries == 100)
            return last_error();
        nanosleep(&pause, nullptr);
    }
}

namespace {

// Removes dir/name under dir's lock; ENOENT when there is no such entry.
Status delete_in(const std::string &dir, std::string_view name)
{
    PathBuf path;
    if (auto st = join_path(dir, name, path); !st)
        return Error{st.error()};
    // Hold the lock new_named holds: an entry being made (created, not
    // yet mounted) must not be unlinked under its creator.
    auto lock = lock_dir(dir.c_str());
    if (!lock)
        return Error{lock.error()};
    struct stat st;
    if (sys::lstat(path.c_str(), &st) < 0)
        return last_error();
    if (S_ISDIR(st.st_mode))
        return Error{EISDIR}; // not ours: never unmount or remove a directory
    // An entry that could be unmounted but not unlinked would be left as a
    // dead name: check that the unlink can happen before unmounting.
    if (sys::faccessat(lock->get(), ".", W_OK, AT_EACCESS) < 0)
        return last_error();
    return remove_mounted_file(path.c_str());
}

} // namespace

Status delete_named(const RunDirs &dirs, std::string_view name)
{
    if (auto st = check_name(name); !st)
        return Error{st.error()};
    Status st = delete_in(dirs.primary, name);
    if (st || st.error() != ENOENT || dirs.fallback.empty())
        return st;
    return delete_in(dirs.fallback, name);
}

} // namespace netns::core
