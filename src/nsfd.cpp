// SPDX-License-Identifier: Apache-2.0
#include "nsfd.hpp"
#include "sys.hpp"

#include <cinttypes>
#include <cstdio>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace netns::core {

namespace {

// fd, when t (the type of its namespace) is type, or type is 0 (any):
// EINVAL when it is another type.
Result<UniqueFd> of_type(UniqueFd fd, const Result<int> &t, int type) noexcept
{
    if (!t)
        return t.failure();
    if (type != 0 && t.value() != type)
        return Error{EINVAL};
    return fd;
}

} // namespace

Result<int> ns_type(int fd) noexcept
{
    if (fd < 0)
        return Error{EBADF};
    int type = sys::ioctl(fd, NS_GET_NSTYPE);
    if (type >= 0)
        return type;
    if (errno == EBADF && ::fcntl(fd, F_GETFD) >= 0) {
        // Open, but O_PATH: the kernel refuses ioctls on it. Ask a real
        // open of the very inode, through the descriptor, once it is known
        // to be on nsfs (a FIFO or a device must never be opened for real).
        struct statfs fs;
        if (sys::fstatfs(fd, &fs) < 0)
            return last_error();
        if (fs.f_type != static_cast<decltype(fs.f_type)>(NSFS_MAGIC))
            return Error{EINVAL};
        char path[64];
        std::snprintf(path, sizeof path, "/proc/thread-self/fd/%d", fd);
        UniqueFd real(sys::open(path, O_RDONLY));
        if (!real)
            return last_error();
        type = sys::ioctl(real.get(), NS_GET_NSTYPE);
        if (type >= 0)
            return type;
    }
    // ENOTTY: not an nsfs file (or a kernel older than 4.11, which we do
    // not support). Either way it is not a namespace we can use.
    if (errno == ENOTTY)
        return Error{EINVAL};
    return last_error();
}

Result<UniqueFd> get_from_path(const char *path, int type) noexcept
{
    // O_PATH resolves the path without opening the file for real: no FIFO
    // blocks, no device driver runs, no socket answers ENXIO.
    UniqueFd where(sys::open(path, O_PATH));
    if (!where)
        return last_error();
    struct statfs fs;
    if (sys::fstatfs(where.get(), &fs) < 0)
        return last_error();
    if (fs.f_type != static_cast<decltype(fs.f_type)>(NSFS_MAGIC))
        return Error{EINVAL};
    // Reopening through the descriptor opens the inode just checked, even
    // if path has been replaced meanwhile.
    char again[40];
    std::snprintf(again, sizeof again, "/proc/thread-self/fd/%d", where.get());
    UniqueFd fd(sys::open(again, O_RDONLY));
    if (!fd)
        return last_error();
    auto t = ns_type(fd.get());
    return of_type(std::move(fd), t, type);
}

namespace {

// The type of the namespace behind fd, an open (not O_PATH) descriptor.
// When NS_GET_NSTYPE fails, the file system says why: EINVAL for a file
// that is not on nsfs (ENOTTY, or whatever a driver's ioctl said), the
// ioctl's own error otherwise.
Result<int> opened_type(int fd) noexcept
{
    int type = sys::ioctl(fd, NS_GET_NSTYPE);
    if (type >= 0)
        return type;
    const int err = errno;
    struct statfs fs;
    if (sys::fstatfs(fd, &fs) < 0)
        return last_error();
    if (fs.f_type != static_cast<decltype(fs.f_type)>(NSFS_MAGIC) || err == ENOTTY)
        return Error{EINVAL};
    return Error{err};
}

// Why get_from_entry's open failed (errno): a path that does not lead
// anywhere as open says, else what the entry is, looked at without opening
// it: a symlink is followed the careful way (get_from_path); anything but
// a namespace (a socket: ENXIO; a stale entry of mode 0 for a caller who
// may not read it, a device on a nodev mount: EACCES; whatever a device
// said) is EINVAL; a namespace keeps the open's error.
Result<UniqueFd> entry_error(const char *path, int type) noexcept
{
    const int err = errno;
    switch (err) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
    case EMFILE:
    case ENFILE:
    case ENOMEM: return Error{err};
    default: break;
    }
    UniqueFd where(sys::open(path, O_PATH | O_NOFOLLOW));
    if (!where)
        return last_error();
    struct stat st;
    if (sys::fstat(where.get(), &st) < 0)
        return last_error();
    if (S_ISLNK(st.st_mode))
        return get_from_path(path, type);
    struct statfs fs;
    if (sys::fstatfs(where.get(), &fs) < 0)
        return last_error();
    if (fs.f_type != static_cast<decltype(fs.f_type)>(NSFS_MAGIC))
        return Error{EINVAL};
    return Error{err};
}

} // namespace

Result<UniqueFd> get_from_entry(const char *path, int type) noexcept
{
    // The floor, one open and one ioctl, for an entry of a run directory:
    // only its owner (root; a user for a rootless run dir) puts files
    // there, and what it holds is a mounted namespace or a stale file (an
    // empty regular file, mode 0, where an add was killed). So the entry
    // is opened for real at once, and the type checked on what was opened:
    //  - O_NONBLOCK: a FIFO does not block (a writer blocked in its own
    //    open of that FIFO would be let through: a FIFO there is root's
    //    doing too);
    //  - O_NOCTTY: a terminal is never taken as controlling terminal;
    //  - O_NOFOLLOW: a symlink goes the careful way (get_from_path), so
    //    no link can lead this open to /dev or anywhere else.
    // What is left is a device node in the run dir itself, opened for real
    // (its driver's open runs): only a process with CAP_MKNOD in the
    // initial user namespace can make one, or with CAP_SYS_ADMIN bind one
    // onto an entry (devices on a file system mounted in a user namespace
    // never open), i.e. root put it there, in a directory that is root's
    // to fill; on a nodev mount (systemd mounts /run nodev, and ip's
    // self-bind of the run dir keeps it) the open fails before the driver
    // and entry_error says EINVAL without opening it. netns_get_from_path
    // takes any caller's path and keeps the careful lookup. The handle
    // keeps O_NONBLOCK in its file status flags: nothing reads from a
    // namespace.
    UniqueFd fd(sys::open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW));
    if (!fd)
        return entry_error(path, type);
    auto t = opened_type(fd.get());
    return of_type(std::move(fd), t, type);
}

Status check_netns(int fd) noexcept
{
    auto type = ns_type(fd);
    if (!type)
        return type.failure();
    if (type.value() != CLONE_NEWNET)
        return Error{EINVAL};
    return {};
}

Result<NsId> ns_id(int fd) noexcept
{
    struct stat st;
    if (sys::fstat(fd, &st) < 0)
        return last_error();
    return NsId{st.st_dev, st.st_ino};
}

bool equal(int a, int b) noexcept
{
    if (a == -1 && b == -1)
        return true;
    if (a < 0 || b < 0)
        return false;
    auto ia = ns_id(a);
    auto ib = ns_id(b);
    return ia && ib && ia.value() == ib.value();
}

int string(int fd, char *buf, size_t size) noexcept
{
    if (fd == -1)
        return std::snprintf(buf, size, "NS(none)");
    auto id = ns_id(fd);
    if (!id)
        return std::snprintf(buf, size, "NS(%d: unknown)", fd);
    return std::snprintf(buf, size, "NS(%d: %" PRIu64 ", %" PRIu64 ")", fd,
                         static_cast<uint64_t>(id->dev), static_cast<uint64_t>(id->ino));
}

int unique_id(int fd, char *buf, size_t size) noexcept
{
    if (fd == -1)
        return std::snprintf(buf, size, "NS(none)");
    auto id = ns_id(fd);
    if (!id)
        return std::snprintf(buf, size, "NS(unknown)");
    return std::snprintf(buf, size, "NS(%" PRIu64 ":%" PRIu64 ")", static_cast<uint64_t>(id->dev),
                         static_cast<uint64_t>(id->ino));
}

} // namespace netns::core
