// SPDX-License-Identifier: Apache-2.0
#include "run.hpp"
#include "helper_thread.hpp"
#include "sys.hpp"

#include <sched.h>

namespace netns::core {

Status run(int ns, Fn fn, void *arg, int *result, const char *proc) noexcept
{
    if (fn == nullptr)
        return Error{EINVAL};
    auto visit = Visit::enter(ns, false, proc);
    if (!visit)
        return visit.failure();
    int value = fn(arg);
    if (result != nullptr)
        *result = value;
    return visit->leave();
}

Status run_isolated(int ns, Fn fn, void *arg, int *result) noexcept
{
    if (fn == nullptr)
        return Error{EINVAL};
    if (ns < 0)
        return Error{EBADF};
    auto work = [&]() -> Status {
        // The thread ends right after: there is no way back to take.
        if (sys::setns(ns, CLONE_NEWNET) < 0)
            return last_error();
        int value = fn(arg);
        if (result != nullptr)
            *result = value;
        return {};
    };
    return on_helper_thread(work);
}

Result<UniqueFd> socket(int ns, int domain, int type, int protocol, const char *proc) noexcept
{
    // The way back is checked first (one setns more): a socket is often
    // wanted from a namespace the caller may enter but not leave (a
    // rootless tool in its user namespace, still in the host's network
    // namespace), and then EPERM with nothing moved beats a stranded
    // thread.
    auto visit = Visit::enter(ns, true, proc);
    if (!visit)
        return visit.failure();
    UniqueFd sock(sys::socket(domain, type, protocol));
    int err = sock ? 0 : errno;
    if (auto st = visit->leave(); !st)
        return st.failure(); // the socket is closed
    if (!sock)
        return Error{err};
    return sock;
}

} // namespace netns::core
