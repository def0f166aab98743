// SPDX-License-Identifier: Apache-2.0
// Files of every kind that is not a network namespace, for the tests that
// check that each one is refused.
#pragma once

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace netns::test {

// A unix socket bound at path (the socket is closed; the file stays).
inline bool bind_socket(const std::string &path)
{
    int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return false;
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    bool ok = path.size() < sizeof addr.sun_path;
    if (ok) {
        std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
        ok = ::bind(s, reinterpret_cast<struct sockaddr *>(&addr), sizeof addr) == 0;
    }
    ::close(s);
    return ok;
}

// A block device: made with mknod in dir, or (where mknod is refused, as in
// a user namespace) any one under /dev. Empty, with why, when there is none.
inline std::string block_device(const std::string &dir, std::string &why)
{
    std::string made = dir + "/blk";
    if (::mknod(made.c_str(), S_IFBLK | 0600, makedev(7, 0)) == 0)
        return made;
    const std::string refused = std::string("mknod: ") + std::strerror(errno);
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const auto &e :
         fs::directory_iterator("/dev", fs::directory_options::skip_permission_denied, ec)) {
        struct stat st;
        if (::lstat(e.path().c_str(), &st) == 0 && S_ISBLK(st.st_mode))
            return e.path();
    }
    why = refused + "; no block device under /dev";
    return {};
}

struct FileKind {
    std::string label;
    std::string path;
    bool is_namespace; // of another type
};

// One file of every kind that is not a network namespace: made in dir (a
// regular file, a directory, a FIFO with no writer, a unix socket), or found
// on the system (/dev/null, a block device, the /proc/self/ns directory and
// every namespace file in it but net). A kind that cannot be had (a block
// device, in a user namespace on a machine without any) is left out and
// said in skipped. Throws when dir cannot be filled.
inline std::vector<FileKind> not_network_namespaces(const std::string &dir, std::string &skipped)
{
    const std::string file = dir + "/file", sub = dir + "/dir", fifo = dir + "/fifo",
                      sock = dir + "/socket";
    int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0 || ::close(fd) < 0 || ::mkdir(sub.c_str(), 0700) < 0 ||
        ::mkfifo(fifo.c_str(), 0600) < 0 || !bind_socket(sock))
        throw std::runtime_error("cannot make the files in " + dir);
    std::vector<FileKind> kinds = {
        {"regular file", file, false},
        {"directory", sub, false},
        {"FIFO", fifo, false},
        {"socket", sock, false},
        {"char device", "/dev/null", false},
        {"namespace directory", "/proc/self/ns", false},
    };
    std::string blk = block_device(dir, skipped);
    if (!blk.empty())
        kinds.push_back({"block device", blk, false});
    for (const auto &e : std::filesystem::directory_iterator("/proc/self/ns"))
        if (e.path().filename() != "net")
            kinds.push_back({e.path().filename().string() + " namespace", e.path(), true});
    return kinds;
}

} // namespace netns::test
