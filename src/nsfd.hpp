// SPDX-License-Identifier: Apache-2.0
// Namespace file descriptors: open and verify them, identify them, and
// print them in the Go package's formats.
#pragma once

#include "result.hpp"
#include "unique_fd.hpp"

#include <cstddef>
#include <sys/types.h>

namespace netns::core {

// The CLONE_NEW* type of the namespace behind fd (an O_PATH descriptor
// too). EINVAL when fd is open but is not a namespace; EBADF when it is not
// open.
[[nodiscard]] Result<int> ns_type(int fd) noexcept;

// EBADF when fd is not open, EINVAL unless it is a network namespace.
[[nodiscard]] Status check_netns(int fd) noexcept;

// Opens path and checks it is a namespace of `type` (0: any type). EINVAL
// when it is anything else (any other file type, or a namespace of another
// type); ENOENT, EACCES, ENOTDIR, ELOOP, ENAMETOOLONG, EMFILE, ENFILE as
// open(2) (ENOENT also when /proc is not mounted). The type is checked
// before the file is opened for reading, so a FIFO, a device or a socket is
// never really opened; the file opened is the inode that was checked.
[[nodiscard]] Result<UniqueFd> get_from_path(const char *path, int type) noexcept;

// get_from_path's results at the cost of one open and one ioctl, for an
// entry of a run directory (see the .cpp for why that is safe there): the
// entry is opened non-blocking, without following a symlink, and its type
// checked on the descriptor. When that open fails, the entry is looked at
// without opening it (O_PATH): a symlink is followed by get_from_path, a
// socket or any other file that is not a namespace is EINVAL.
[[nodiscard]] Result<UniqueFd> get_from_entry(const char *path, int type) noexcept;

// What makes a namespace itself: the nsfs device and inode.
struct NsId {
    dev_t dev;
    ino_t ino;
    friend bool operator==(const NsId &, const NsId &) = default;
};
[[nodiscard]] Result<NsId> ns_id(int fd) noexcept;

// True when a and b name the same namespace, or both are -1.
[[nodiscard]] bool equal(int a, int b) noexcept;

// The Go package's descriptions, written snprintf-style (they return the
// full length): "NS(<fd>: <dev>, <ino>)" and "NS(<dev>:<ino>)"; "NS(none)"
// for -1.
int string(int fd, char *buf, size_t size) noexcept;
int unique_id(int fd, char *buf, size_t size) noexcept;

} // namespace netns::core
