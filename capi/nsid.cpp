// SPDX-License-Identifier: Apache-2.0
// The C facade, "Namespace ids".
#include "facade.hpp"

#include "nsid.hpp"

#include <type_traits>

using namespace netns::core;
using namespace netns::capi;

static_assert(std::is_same_v<netns_id_cb, IdCb>);

NETNS_EXPORT int netns_get_id(int ns)
{
    return guarded([&] { return to_c(get_id(ns)); });
}

NETNS_EXPORT int netns_set_id(int ns, int id)
{
    return guarded([&] { return to_c(set_id(ns, id)); });
}

NETNS_EXPORT int netns_get_id_in(int ns, int target)
{
    return guarded([&] { return to_c(get_id_in(ns, target)); });
}

NETNS_EXPORT int netns_list_id(netns_id_cb cb, void *arg)
{
    if (cb == nullptr)
        return -EINVAL;
    return guarded([&] { return to_c(list_id(cb, arg)); });
}
