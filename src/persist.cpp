// SPDX-License-Identifier: Apache-2.0
#include "persist.hpp"
#include "nsfd.hpp"
#include "pidfd.hpp"
#include "run_dir.hpp"
#include "sys.hpp"
#include "thread_ns.hpp"

#include <climits>
#include <cstdio>
#include <ctime>
#include <linux/magic.h>
#include <optional>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace netns::core {

namespace {

// Removes a half-made entry, mounted or not, unless dismissed:
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
        // A caller that may not unmount here (EPERM: a user namespace
        // that does not own this mount namespace) could not have mounted
        // either: the entry is a plain file, and goes with a plain unlink
        // (which a mount on it would refuse with EBUSY).
        if (!remove_mounted_file(path_))
            (void)::unlink(path_);
        errno = saved_errno;
    }
    void dismiss() noexcept { path_ = nullptr; }

private:
    const char *path_;
};

// The path of entry `name` in dir, once the name is checked: EINVAL for
// a bad name, ENAMETOOLONG when it does not fit.
Status entry_path(std::string_view dir, std::string_view name, PathBuf &out) noexcept
{
    if (auto st = check_name(name); !st)
        return st;
    return join_path(dir, name, out);
}

// The path of entry name in the run dir, and the run dir prepared and
// locked. The lock serializes the shared-mount setup between callers
// (threads and processes, iproute2 included); O_EXCL settles who owns the
// name.
Result<UniqueFd> lock_entry(const RunDirs &dirs, std::string_view name, PathBuf &path)
{
    if (auto st = entry_path(dirs.primary, name, path); !st)
        return st.failure();
    return prepare_run_dir(dirs.primary);
}

// "<proc>/thread-self/fd/<fd>", the link that names the namespace fd: a
// bind needs no thread inside the namespace. thread-self, not self:
// /proc/self is gone when the main thread has exited.
Result<const char *> fd_link(const char *proc, int fd, char (&buf)[PATH_MAX]) noexcept
{
    int n = std::snprintf(buf, sizeof buf, "%s/thread-self/fd/%d", proc, fd);
    if (n < 0 || static_cast<size_t>(n) >= sizeof buf)
        return Error{ENAMETOOLONG};
    return static_cast<const char *>(buf);
}

// Creates the entry path (O_EXCL: the name is settled before anything is
// made for it), then bind-mounts onto it the source that make() returns
// (a Result<const char *>). On failure the entry is removed again. The
// caller holds the directory's lock.
template <typename Make> Status bind_new_entry(const char *path, Make make)
{
    UniqueFd entry(sys::open(path, O_RDONLY | O_CREAT | O_EXCL, 0));
    if (!entry)
        return last_error();
    entry.reset();
    Undo remove_entry(path);
    auto source = make();
    if (!source)
        return source.failure();
    if (sys::mount(source.value(), path, "none", MS_BIND) < 0)
        return last_error();
    remove_entry.dismiss();
    return {};
}

// Creates path and bind-mounts a new namespace, made without moving the
// calling thread, onto it.
Result<UniqueFd> persist_new(const char *path, const char *proc, CreateOn on)
{
    UniqueFd ns;
    char source[PATH_MAX];
    auto bound = bind_new_entry(path, [&]() -> Result<const char *> {
        auto made = create(proc, on);
        if (!made)
            return made.failure();
        ns = std::move(made).value();
        return fd_link(proc, ns.get(), source);
    });
    if (!bound)
        return bound.failure();
    return ns;
}

} // namespace

Result<UniqueFd> new_named(const RunDirs &dirs, std::string_view name, const char *proc)
{
    PathBuf path;
    auto lock = lock_entry(dirs, name, path);
    if (!lock)
        return lock.failure();

    char buf[PATH_MAX];
    std::optional<Visit> restore;
    auto bound = bind_new_entry(path.c_str(), [&]() -> Result<const char *> {
        auto self = thread_netns_path(proc, buf);
        if (!self)
            return self;
        auto saved = Visit::save(proc);
        if (!saved)
            return saved.failure();
        restore.emplace(std::move(saved).value());
        if (sys::unshare(CLONE_NEWNET) < 0)
            return last_error();
        return self;
    });
    if (!bound)
        return bound.failure();

    Undo remove_entry(path.c_str()); // now mounted
    auto handle = get(proc);
    if (!handle)
        return handle;
    remove_entry.dismiss();
    restore->dismiss();
    return handle;
}

Status attach_fd(const RunDirs &dirs, std::string_view name, int ns, const char *proc)
{
    PathBuf path;
    if (auto st = entry_path(dirs.primary, name, path); !st)
        return st;
    if (auto st = check_netns(ns); !st)
        return st;
    auto lock = prepare_run_dir(dirs.primary);
    if (!lock)
        return lock.failure();
    char buf[PATH_MAX];
    auto source = fd_link(proc, ns, buf);
    if (!source)
        return source.failure();
    return bind_new_entry(path.c_str(), [&] { return source; });
}

Status attach(const RunDirs &dirs, std::string_view name, pid_t pid, const char *proc)
{
    if (auto st = check_name(name); !st)
        return st;
    auto ns = get_from_pid_pinned(pid, proc);
    if (!ns)
        return ns.failure();
    return attach_fd(dirs, name, ns->get(), proc);
}

Result<UniqueFd> create_named(const RunDirs &dirs, std::string_view name, const char *proc,
                              CreateOn on)
{
    PathBuf path;
    auto lock = lock_entry(dirs, name, path);
    if (!lock)
        return lock.failure();
    return persist_new(path.c_str(), proc, on);
}

Result<UniqueFd> create_at(std::string_view path, const char *proc, CreateOn on)
{
    std::string dir, base;
    if (auto st = split_path(path, dir, base); !st)
        return st.failure();
    // The lock of `ip netns` and new_named when dir is a run directory;
    // elsewhere it still orders create_at against delete_at.
    auto lock = lock_dir(dir.c_str());
    if (!lock)
        return lock.failure();
    const std::string full(path);
    return persist_new(full.c_str(), proc, on);
}

Result<UniqueFd> get_from_name(const RunDirs &dirs, std::string_view name)
{
    PathBuf path;
    if (auto st = entry_path(dirs.primary, name, path); !st)
        return st.failure();
    auto fd = get_from_entry(path.c_str(), CLONE_NEWNET);
    if (fd || fd.error() != ENOENT || dirs.fallback.empty())
        return fd;
    if (auto st = join_path(dirs.fallback, name, path); !st)
        return st.failure();
    return get_from_entry(path.c_str(), CLONE_NEWNET);
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
        return st.failure();
    // Hold the lock new_named holds: an entry being made (created, not
    // yet mounted) must not be unlinked under its creator.
    auto lock = lock_dir(dir.c_str());
    if (!lock)
        return lock.failure();
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

Status delete_at(std::string_view path)
{
    std::string dir, base;
    if (auto st = split_path(path, dir, base); !st)
        return st.failure();
    // /proc/<pid>/ns/net and friends are namespaces, not entries: never
    // try to unmount or unlink there.
    UniqueFd where(sys::open(dir.c_str(), O_PATH | O_DIRECTORY));
    if (!where)
        return last_error();
    struct statfs fs;
    if (sys::fstatfs(where.get(), &fs) < 0)
        return last_error();
    if (fs.f_type == static_cast<decltype(fs.f_type)>(PROC_SUPER_MAGIC))
        return Error{EINVAL};
    return delete_in(dir, base);
}

Status delete_named(const RunDirs &dirs, std::string_view name)
{
    if (auto st = check_name(name); !st)
        return st.failure();
    Status st = delete_in(dirs.primary, name);
    if (st || st.error() != ENOENT || dirs.fallback.empty())
        return st;
    return delete_in(dirs.fallback, name);
}

} // namespace netns::core
