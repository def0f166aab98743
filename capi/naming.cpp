// SPDX-License-Identifier: Apache-2.0
// The C facade, "Creating, naming and deleting".
#include "facade.hpp"

#include "names.hpp"
#include "persist.hpp"
#include "thread_ns.hpp"

#include <cstdio>

using namespace netns::core;
using namespace netns::capi;

NETNS_EXPORT int netns_create(const char *name)
{
    if (name == nullptr)
        return to_c(create());
    return guarded([&] { return to_c(create_named(system_run_dirs(), name)); });
}

NETNS_EXPORT int netns_create_at(const char *path)
{
    if (path == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(create_at(path)); });
}

NETNS_EXPORT int netns_delete_named(const char *name)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(delete_named(system_run_dirs(), name)); });
}

NETNS_EXPORT int netns_delete_at(const char *path)
{
    if (path == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(delete_at(path)); });
}

NETNS_EXPORT int netns_attach(const char *name, pid_t pid)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(attach(system_run_dirs(), name, pid)); });
}

NETNS_EXPORT int netns_attach_fd(const char *name, int ns)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(attach_fd(system_run_dirs(), name, ns)); });
}

NETNS_EXPORT int netns_check_name(const char *name)
{
    if (name == nullptr)
        return -EINVAL;
    return to_c(check_name(name));
}

NETNS_EXPORT int netns_run_dir(char *buf, size_t size)
{
    if (buf == nullptr && size != 0)
        return -EINVAL;
    return guarded(
        [&] { return std::snprintf(buf, size, "%s", system_run_dirs().primary.c_str()); });
}
