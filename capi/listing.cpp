// SPDX-License-Identifier: Apache-2.0
// The C facade, "Listing, identifying and watching".
#include "facade.hpp"

#include "monitor.hpp"
#include "names.hpp"
#include "walk.hpp"

#include <type_traits>

using namespace netns::core;
using namespace netns::capi;

static_assert(std::is_same_v<netns_name_cb, NameCb>);
static_assert(std::is_same_v<netns_pid_cb, PidCb>);
static_assert(std::is_same_v<netns_event_cb, EventCb>);
static_assert(NETNS_EVENT_ADD == event_add);
static_assert(NETNS_EVENT_DEL == event_del);

NETNS_EXPORT int netns_list(netns_name_cb cb, void *arg)
{
    if (cb == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(list(system_run_dirs(), cb, arg)); });
}

NETNS_EXPORT int netns_identify(pid_t pid, netns_name_cb cb, void *arg)
{
    if (cb == nullptr || pid <= 0)
        return -EINVAL;
    return guarded(
        [&] { return to_c(identify(system_run_dirs(), default_proc_root, pid, cb, arg)); });
}

NETNS_EXPORT int netns_pids(int ns, netns_pid_cb cb, void *arg)
{
    if (cb == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(pids(default_proc_root, ns, cb, arg)); });
}

NETNS_EXPORT int netns_monitor_open(void)
{
    return guarded([&] { return to_c(monitor_open(system_run_dirs().primary)); });
}

NETNS_EXPORT int netns_monitor_read(int fd, netns_event_cb cb, void *arg)
{
    if (cb == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(monitor_read(fd, cb, arg)); });
}

NETNS_EXPORT int netns_monitor_close(int *fd)
{
    if (fd == nullptr)
        return -EINVAL;
    if (*fd < 0) {
        *fd = NETNS_NONE;
        return -EBADF;
    }
    auto st = monitor_close(*fd);
    if (st || st.error() != EINVAL)
        *fd = NETNS_NONE;
    return to_c(st);
}
