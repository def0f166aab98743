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
    if (!t)
        return Error{t.error()};
    if (type != 0 && t.value() != type)
        return Error{EINVAL};
    return fd;
}

Status check_netns(int fd) noexcept
{
    auto type = ns_type(fd);
    if (!type)
        return Error{type.error()};
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
