// SPDX-License-Identifier: Apache-2.0
#include "pidfd.hpp"
#include "nsfd.hpp"
#include "sys.hpp"
#include "thread_ns.hpp"

#include <climits>
#include <cstdio>
#include <cstring>

namespace netns::core {

namespace {

// Not in Debian 12's kernel headers (pidfs came with Linux 6.9, the
// namespace ioctls with 6.11).
constexpr long pidfs_magic = 0x50494446;
constexpr unsigned long pidfd_get_net_namespace = _IO(0xFF, 4);

// Whether fd is a pidfd: on pidfs (6.9+) by its file system, before that
// by the anonymous inode's name. Checked before any ioctl, so that no
// pidfs request number ever reaches another driver.
Result<bool> is_pidfd(int fd, const char *proc)
{
    struct statfs sfs;
    if (sys::fstatfs(fd, &sfs) < 0)
        return last_error();
    if (sfs.f_type == pidfs_magic)
        return true;
    char link[PATH_MAX], target[64];
    int n = std::snprintf(link, sizeof link, "%s/thread-self/fd/%d", proc, fd);
    if (n < 0 || static_cast<size_t>(n) >= sizeof link)
        return Error{ENAMETOOLONG};
    ssize_t len = sys::readlink(link, target, sizeof target - 1);
    if (len < 0)
        return last_error();
    target[len] = '\0';
    return std::strcmp(target, "anon_inode:[pidfd]") == 0;
}

// The "Pid:" line of the pidfd's fdinfo: the pid in our pid namespace, -1
// once the process has exited, 0 when it is outside our pid namespace.
Result<pid_t> pidfd_pid(int fd, const char *proc)
{
    char path[PATH_MAX];
    int n = std::snprintf(path, sizeof path, "%s/thread-self/fdinfo/%d", proc, fd);
    if (n < 0 || static_cast<size_t>(n) >= sizeof path)
        return Error{ENAMETOOLONG};
    UniqueFd info(sys::open(path, O_RDONLY));
    if (!info)
        return last_error();
    char buf[1024];
    ssize_t len = sys::read(info.get(), buf, sizeof buf);
    if (len < 0)
        return last_error();
    return parse_fdinfo_pid({buf, static_cast<size_t>(len)});
}

// Whether the process behind pidfd is still alive: a pidfd polls readable
// once its process has exited.
Result<bool> alive(int pidfd)
{
    struct pollfd p = {pidfd, POLLIN, 0};
    int n = sys::poll(&p, 1, 0);
    if (n < 0)
        return last_error();
    return n == 0;
}

} // namespace

Result<pid_t> parse_fdinfo_pid(std::string_view text) noexcept
{
    constexpr std::string_view key = "Pid:";
    size_t at = 0;
    for (;;) {
        if (text.substr(at, key.size()) == key)
            break;
        at = text.find('\n', at);
        if (at == std::string_view::npos)
            return Error{EINVAL};
        ++at;
    }
    std::string_view v = text.substr(at + key.size());
    v = v.substr(0, v.find('\n'));
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    bool negative = !v.empty() && v.front() == '-';
    if (negative)
        v.remove_prefix(1);
    if (v.empty() || v.size() > 10)
        return Error{EINVAL};
    long long n = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return Error{EINVAL};
        n = n * 10 + (c - '0');
    }
    if (negative)
        n = -n;
    if (n < -1 || n > INT_MAX)
        return Error{EINVAL};
    return static_cast<pid_t>(n);
}

Result<UniqueFd> open_pidfd(pid_t pid) noexcept
{
    if (pid <= 0)
        return Error{EINVAL};
    UniqueFd fd(sys::pidfd_open(pid));
    if (!fd)
        return last_error();
    return fd;
}

Result<UniqueFd> get_from_pidfd(int pidfd, const char *proc, bool use_ioctl)
{
    if (pidfd < 0)
        return Error{EBADF};
    auto is = is_pidfd(pidfd, proc);
    if (!is)
        return is.failure();
    if (!is.value())
        return Error{EINVAL};

    if (use_ioctl) {
        int ns = sys::ioctl(pidfd, pidfd_get_net_namespace);
        if (ns >= 0)
            return UniqueFd(ns);
        // ENOTTY: a kernel before 6.11 (or an anonymous-inode pidfd).
        if (errno != ENOTTY && errno != EINVAL)
            return last_error();
    }

    auto pid = pidfd_pid(pidfd, proc);
    if (!pid)
        return pid.failure();
    if (pid.value() <= 0)
        return Error{ESRCH};
    char path[PATH_MAX];
    int n = std::snprintf(path, sizeof path, "%s/%d/ns/net", proc, static_cast<int>(pid.value()));
    if (n < 0 || static_cast<size_t>(n) >= sizeof path)
        return Error{ENAMETOOLONG};
    auto ns = get_from_path(path, CLONE_NEWNET);
    if (!ns)
        return Error{ns.error() == ENOENT ? ESRCH : ns.error()};
    // Opened first, checked second: if the process is still alive now, the
    // pid was still its own when the file was opened.
    auto live = alive(pidfd);
    if (!live)
        return live.failure();
    if (!live.value())
        return Error{ESRCH};
    return ns;
}

Result<UniqueFd> get_from_pid_pinned(pid_t pid, const char *proc)
{
    auto pidfd = open_pidfd(pid);
    if (pidfd)
        return get_from_pidfd(pidfd->get(), proc);
    if (pidfd.error() != ENOSYS)
        return pidfd.failure();
    auto ns = get_from_pid(proc, pid);
    if (!ns && ns.error() == ENOENT) // no such process: as pidfd_open says it
        return Error{ESRCH};
    return ns;
}

} // namespace netns::core
