// SPDX-License-Identifier: Apache-2.0
#include "thread_ns.hpp"
#include "helper_thread.hpp"
#include "nsfd.hpp"
#include "sys.hpp"

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

namespace netns::core {

namespace {

// Formats a /proc path into buf; ENAMETOOLONG when it does not fit.
template <typename... Args>
Status proc_path(char (&buf)[PATH_MAX], const char *fmt, Args... args) noexcept
{
    int n = std::snprintf(buf, sizeof buf, fmt, args...);
    if (n < 0 || static_cast<size_t>(n) >= sizeof buf)
        return Error{ENAMETOOLONG};
    return {};
}

Result<UniqueFd> open_proc_ns(const char *path) noexcept
{
    // Entries under /proc/<pid>/ns are namespaces by construction: no type
    // check needed, one syscall.
    UniqueFd fd(sys::open(path, O_RDONLY));
    if (!fd)
        return last_error();
    return fd;
}

} // namespace

Result<const char *> thread_netns_path(const char *proc, char (&buf)[PATH_MAX]) noexcept
{
    // The hot path: with the real /proc, no formatting at all (formatting
    // was most of get()'s own cost, next to one open()).
    if (std::strcmp(proc, default_proc_root) == 0)
        return "/proc/thread-self/ns/net";
    if (auto st = proc_path(buf, "%s/thread-self/ns/net", proc); !st)
        return st.failure();
    return static_cast<const char *>(buf);
}

Result<UniqueFd> get(const char *proc) noexcept
{
    char path[PATH_MAX];
    auto self = thread_netns_path(proc, path);
    if (!self)
        return self.failure();
    return open_proc_ns(self.value());
}

Result<UniqueFd> get_from_pid(const char *proc, pid_t pid) noexcept
{
    if (pid <= 0)
        return Error{EINVAL};
    char path[PATH_MAX];
    if (auto st = proc_path(path, "%s/%d/ns/net", proc, static_cast<int>(pid)); !st)
        return st.failure();
    return open_proc_ns(path);
}

Result<UniqueFd> get_from_thread(const char *proc, pid_t pid, pid_t tid) noexcept
{
    if (pid <= 0 || tid <= 0)
        return Error{EINVAL};
    char path[PATH_MAX];
    if (auto st = proc_path(path, "%s/%d/task/%d/ns/net", proc, static_cast<int>(pid),
                            static_cast<int>(tid));
        !st)
        return st.failure();
    return open_proc_ns(path);
}

Status setns(int fd, int type) noexcept
{
    if (fd < 0)
        return Error{EBADF};
    if (sys::setns(fd, type) < 0)
        return last_error();
    return {};
}

Status set(int fd) noexcept { return setns(fd, CLONE_NEWNET); }

Result<Visit> Visit::save(const char *proc) noexcept
{
    auto home = get(proc);
    if (!home)
        return home.failure();
    return Visit(std::move(home).value());
}

Result<Visit> Visit::enter(int ns, bool check_return, const char *proc) noexcept
{
    if (ns < 0)
        return Error{EBADF};
    auto home = get(proc);
    if (!home)
        return home.failure();
    // A closed ns whose number was the lowest free one is now the number
    // of home: setns would "enter" the thread's own namespace.
    if (home->get() == ns)
        return Error{EBADF};
    if (check_return && sys::setns(home->get(), CLONE_NEWNET) < 0)
        return last_error();
    if (sys::setns(ns, CLONE_NEWNET) < 0)
        return last_error();
    return Visit(std::move(home).value());
}

Visit::~Visit()
{
    // Not a wrapped call: this way back must not be fault-injected. setns
    // into a namespace this thread was just in can only fail for lack of
    // memory, and there is nothing better to do then.
    if (home_) {
        int saved_errno = errno;
        (void)::setns(home_.get(), CLONE_NEWNET);
        errno = saved_errno;
    }
}

Status Visit::leave() noexcept
{
    UniqueFd home = std::move(home_);
    // Wrapped, unlike the destructor's: tests force this failure to see
    // ENOTRECOVERABLE reported.
    if (sys::setns(home.get(), CLONE_NEWNET) < 0)
        return Error{ENOTRECOVERABLE};
    return {};
}

namespace {

// A window in which the calling thread is out of its namespace: every
// signal is blocked and cancellation is off, so that no signal handler and
// no cancellation cleanup runs there. (glibc keeps its own two internal
// signals deliverable; they do not run the caller's code.)
class QuietWindow {
public:
    QuietWindow() noexcept
    {
        sigset_t all;
        sigfillset(&all);
        (void)::pthread_sigmask(SIG_SETMASK, &all, &mask_);
        (void)::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_);
    }
    QuietWindow(const QuietWindow &) = delete;
    QuietWindow &operator=(const QuietWindow &) = delete;
    ~QuietWindow()
    {
        int saved_errno = errno;
        (void)::pthread_setcancelstate(cancel_, nullptr);
        (void)::pthread_sigmask(SIG_SETMASK, &mask_, nullptr);
        errno = saved_errno;
    }

private:
    sigset_t mask_;
    int cancel_ = PTHREAD_CANCEL_ENABLE;
};

// The way back of create_in_place. setns checks CAP_SYS_ADMIN over the
// owner of home and over the caller's user namespace: the check before the
// move passed exactly that, and unshare(CLONE_NEWNET) changes neither the
// credentials nor the user namespace. What is left is setns's allocation
// (a struct nsproxy), which fails only under memory pressure: retried for
// up to a second (a task the OOM killer picks dies on its way out of the
// system call, before it could see itself moved). Anything else means that
// something took the way back away meanwhile (another thread closed this
// descriptor or dropped the caller's privileges): ENOTRECOVERABLE, with the
// thread in the new namespace, as Visit::leave.
Status go_back(int home) noexcept
{
    const struct timespec pause = {0, 1000 * 1000};
    for (int tries = 0;; ++tries) {
        if (sys::setns(home, CLONE_NEWNET) == 0)
            return {};
        if (errno != ENOMEM || tries == 1000)
            return Error{ENOTRECOVERABLE};
        nanosleep(&pause, nullptr);
    }
}

} // namespace

Result<UniqueFd> create_in_place(const char *proc) noexcept
{
    auto home = get(proc);
    if (!home)
        return home.failure();
    // The check of the way back (as Visit::enter's): EPERM here, with
    // nothing moved, for a caller privileged only in a child user
    // namespace.
    if (sys::setns(home->get(), CLONE_NEWNET) < 0)
        return last_error();
    QuietWindow quiet;
    if (sys::unshare(CLONE_NEWNET) < 0)
        return last_error(); // nothing moved
    auto made = get(proc);
    if (auto back = go_back(home->get()); !back)
        return back.failure(); // the handle, if any, is closed
    return made;
}

Result<UniqueFd> create_on_helper(const char *proc) noexcept
{
    UniqueFd made;
    auto work = [&]() -> Status {
        if (sys::unshare(CLONE_NEWNET) < 0)
            return last_error();
        auto fd = get(proc);
        if (!fd)
            return fd.failure();
        made = std::move(fd).value();
        return {};
    };
    if (auto st = on_helper_thread(work); !st)
        return st.failure();
    return made;
}

Result<UniqueFd> create(const char *proc, CreateOn on) noexcept
{
    if (on == CreateOn::helper)
        return create_on_helper(proc);
    auto made = create_in_place(proc);
    if (made || made.error() != EPERM)
        return made;
    // The way back is refused (or unshare is: then the helper thread's
    // unshare says EPERM in turn).
    return create_on_helper(proc);
}

Result<UniqueFd> new_(const char *proc) noexcept
{
    auto restore = Visit::save(proc);
    if (!restore)
        return restore.failure();
    if (sys::unshare(CLONE_NEWNET) < 0) {
        restore->dismiss(); // nothing moved
        return last_error();
    }
    auto fd = get(proc);
    if (!fd)
        return fd; // the guard moves the thread back
    restore->dismiss();
    return fd;
}

} // namespace netns::core
