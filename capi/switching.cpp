// SPDX-License-Identifier: Apache-2.0
// The C facade, "Switching the calling thread".
#include "facade.hpp"

#include "names.hpp"
#include "persist.hpp"
#include "thread_ns.hpp"

using namespace netns::core;
using namespace netns::capi;

NETNS_EXPORT int netns_set(int ns) { return to_c(set(ns)); }

NETNS_EXPORT int netns_setns(int ns, int nstype) { return to_c(netns::core::setns(ns, nstype)); }

NETNS_EXPORT int netns_new(void) { return to_c(new_()); }

NETNS_EXPORT int netns_new_named(const char *name)
{
    if (name == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(new_named(system_run_dirs(), name)); });
}
