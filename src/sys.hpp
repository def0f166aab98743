// SPDX-License-Identifier: Apache-2.0
// The system calls whose failure the core reports, each behind a wrapper so
// that tests can make the N-th one fail (fault injection). A wrapper returns
// what the system call returns and sets errno the same way.
//
// Raw on purpose: cleanup after a failure (UniqueFd's close, Visit's
// setns back, the undo of a half-made run-dir self-bind, enter_named's
// return to its root and working directory), where an injected
// fault would mask the one under test and a failure has no better answer
// (a half-made entry is removed through the wrapped delete routine, so that
// tests can make it meet a busy entry); the once-per-process stat of /run (its answer is cached); and the
// cgroup search's directory listing (fdopendir/readdir over a wrapped open);
// the monitor's check that a descriptor is still its epoll instance (an
// injected fault would make a live monitor look stale), its readiness reset
// (epoll_wait, whose result does not matter) and its directory listing.
//
// The hook is a thread-local countdown. In production nothing is armed and
// the cost is one load of a process-wide flag per call: the thread-local
// state (which in a shared library costs a __tls_get_addr call) is only
// looked at once some thread has armed the hook.
#pragma once

#include <atomic>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace netns::core::fault {

// Set for good once any thread arms the hook; keeps the production path to
// one relaxed load.
extern std::atomic<bool> ever_armed;

// Makes the n-th wrapped call (1-based) on this thread fail with err.
void arm(unsigned n, int err) noexcept;
void disarm() noexcept;
// How many wrapped calls this thread made since arm(), and whether the
// injected failure fired.
[[nodiscard]] unsigned calls() noexcept;
[[nodiscard]] bool fired() noexcept;

// A helper thread carries on its caller's countdown (hand_over() in the
// caller, take_over() in the helper, and back when it ends), so that a
// sweep over a call reaches the system calls it makes on helper threads.
struct State {
    unsigned countdown = 0; // 0: disarmed; else the call that fails
    int err = 0;            // the errno to inject
    unsigned seen = 0;      // wrapped calls since arm()
    bool fired = false;     // whether the armed failure happened
};
[[nodiscard]] State hand_over() noexcept;
void take_over(const State &s) noexcept;

// True when this call must fail; errno is then set.
[[nodiscard]] bool inject() noexcept;

} // namespace netns::core::fault

namespace netns::core::sys {

#define NETNS_SYS_WRAP(call)                                                                       \
    do {                                                                                           \
        if (__builtin_expect(fault::ever_armed.load(std::memory_order_relaxed), 0) &&              \
            fault::inject())                                                                       \
            return -1;                                                                             \
        return call;                                                                               \
    } while (0)

inline int open(const char *path, int flags, mode_t mode = 0) noexcept
{
    NETNS_SYS_WRAP(::open(path, flags | O_CLOEXEC, mode));
}
inline int openat(int dir, const char *path, int flags, mode_t mode = 0) noexcept
{
    NETNS_SYS_WRAP(::openat(dir, path, flags | O_CLOEXEC, mode));
}
// The argument is 0 for the requests that take none (valgrind checks it).
inline int ioctl(int fd, unsigned long req) noexcept { NETNS_SYS_WRAP(::ioctl(fd, req, 0)); }
inline int fstat(int fd, struct stat *st) noexcept { NETNS_SYS_WRAP(::fstat(fd, st)); }
inline int lstat(const char *path, struct stat *st) noexcept { NETNS_SYS_WRAP(::lstat(path, st)); }
inline int fstatat(int dir, const char *path, struct stat *st, int flags) noexcept
{
    NETNS_SYS_WRAP(::fstatat(dir, path, st, flags));
}
inline int pidfd_open(pid_t pid) noexcept
{
    // Always close-on-exec: pidfd_open(2) has no flag to ask otherwise.
    NETNS_SYS_WRAP(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0u)));
}
inline ssize_t readlink(const char *path, char *buf, size_t n) noexcept
{
    NETNS_SYS_WRAP(::readlink(path, buf, n));
}
inline int fstatfs(int fd, struct statfs *st) noexcept { NETNS_SYS_WRAP(::fstatfs(fd, st)); }
inline int faccessat(int dir, const char *path, int mode, int flags) noexcept
{
    NETNS_SYS_WRAP(::faccessat(dir, path, mode, flags));
}
inline int setns(int fd, int type) noexcept { NETNS_SYS_WRAP(::setns(fd, type)); }
inline int unshare(int flags) noexcept { NETNS_SYS_WRAP(::unshare(flags)); }
inline int mount(const char *src, const char *dst, const char *type, unsigned long flags,
                 const void *data = nullptr) noexcept
{
    NETNS_SYS_WRAP(::mount(src, dst, type, flags, data));
}
inline int umount2(const char *path, int flags) noexcept { NETNS_SYS_WRAP(::umount2(path, flags)); }
inline int mkdir(const char *path, mode_t mode) noexcept { NETNS_SYS_WRAP(::mkdir(path, mode)); }
inline int flock(int fd, int op) noexcept { NETNS_SYS_WRAP(::flock(fd, op)); }
inline int unlink(const char *path) noexcept { NETNS_SYS_WRAP(::unlink(path)); }
inline int socket(int domain, int type, int proto) noexcept
{
    NETNS_SYS_WRAP(::socket(domain, type | SOCK_CLOEXEC, proto));
}
inline int connect(int fd, const struct sockaddr *addr, socklen_t len) noexcept
{
    NETNS_SYS_WRAP(::connect(fd, addr, len));
}
inline ssize_t read(int fd, void *buf, size_t n) noexcept { NETNS_SYS_WRAP(::read(fd, buf, n)); }
inline ssize_t write(int fd, const void *buf, size_t n) noexcept
{
    NETNS_SYS_WRAP(::write(fd, buf, n));
}
inline ssize_t send(int fd, const void *buf, size_t n, int flags) noexcept
{
    NETNS_SYS_WRAP(::send(fd, buf, n, flags));
}
inline ssize_t recv(int fd, void *buf, size_t n, int flags) noexcept
{
    NETNS_SYS_WRAP(::recv(fd, buf, n, flags));
}
inline int getsockname(int fd, struct sockaddr *addr, socklen_t *len) noexcept
{
    NETNS_SYS_WRAP(::getsockname(fd, addr, len));
}
inline int stat(const char *path, struct stat *st) noexcept { NETNS_SYS_WRAP(::stat(path, st)); }
inline int fcntl(int fd, int cmd, int arg) noexcept { NETNS_SYS_WRAP(::fcntl(fd, cmd, arg)); }
inline int inotify_init1(int flags) noexcept
{
    NETNS_SYS_WRAP(::inotify_init1(flags | IN_CLOEXEC));
}
inline int inotify_add_watch(int fd, const char *path, uint32_t mask) noexcept
{
    NETNS_SYS_WRAP(::inotify_add_watch(fd, path, mask));
}
inline int epoll_create1(int flags) noexcept
{
    NETNS_SYS_WRAP(::epoll_create1(flags | EPOLL_CLOEXEC));
}
inline int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev) noexcept
{
    NETNS_SYS_WRAP(::epoll_ctl(epfd, op, fd, ev));
}
inline int poll(struct pollfd *fds, nfds_t n, int timeout_ms) noexcept
{
    NETNS_SYS_WRAP(::poll(fds, n, timeout_ms));
}
// execvpe(3): PATH search (the caller's PATH), /bin/sh for a file the
// kernel does not recognize (ENOEXEC). Returns only on failure.
inline int execvpe(const char *file, char *const argv[], char *const envp[]) noexcept
{
    NETNS_SYS_WRAP(::execvpe(file, argv, envp));
}
inline int setsockopt(int fd, int level, int name, const void *val, socklen_t len) noexcept
{
    NETNS_SYS_WRAP(::setsockopt(fd, level, name, val, len));
}

// The calls that report an error number instead of -1 and errno.
#define NETNS_SYS_WRAP_ERRNUM(call)                                                                \
    do {                                                                                           \
        if (__builtin_expect(fault::ever_armed.load(std::memory_order_relaxed), 0) &&              \
            fault::inject())                                                                       \
            return errno;                                                                          \
        return call;                                                                               \
    } while (0)

// posix_spawn(3), or posix_spawnp(3) when search is set.
inline int spawn(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[],
                 bool search) noexcept
{
    NETNS_SYS_WRAP_ERRNUM(search ? ::posix_spawnp(pid, file, actions, attr, argv, envp)
                                 : ::posix_spawn(pid, file, actions, attr, argv, envp));
}

#undef NETNS_SYS_WRAP_ERRNUM
#undef NETNS_SYS_WRAP

} // namespace netns::core::sys
