// SPDX-License-Identifier: Apache-2.0
// What the files of the C facade share: the turn of a core result into
// >= 0 or -errno, and the one guard that keeps exceptions inside. Each
// file holds one group of netns.h, in the header's order, and ties there
// the values of that group that cross the ABI to the core's
// (static_assert).
#pragma once

#include "export.hpp"

#include <netns/netns.h>

#include "result.hpp"
#include "unique_fd.hpp"

#include <cerrno>
#include <new>

namespace netns::capi {

using core::Result;
using core::Status;
using core::UniqueFd;

inline int to_c(const Status &s) noexcept { return s ? 0 : -s.error(); }
inline int to_c(Result<UniqueFd> &&r) noexcept { return r ? r.value().release() : -r.error(); }
inline int to_c(Result<int> &&r) noexcept { return r ? r.value() : -r.error(); }

// Runs body, mapping the only exception the core can raise.
template <typename F> int guarded(F &&body) noexcept
{
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return -ENOMEM;
    } catch (...) {
        return -EIO;
    }
}

} // namespace netns::capi
