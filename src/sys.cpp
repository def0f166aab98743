// SPDX-License-Identifier: Apache-2.0
#include "sys.hpp"

#include <cerrno>

namespace netns::core::fault {

namespace {

thread_local State tls_state;

} // namespace

std::atomic<bool> ever_armed{false};

void arm(unsigned n, int err) noexcept
{
    ever_armed.store(true, std::memory_order_relaxed);
    tls_state = State{n, err, 0, false};
}
void disarm() noexcept { tls_state.countdown = 0; }
unsigned calls() noexcept { return tls_state.seen; }
bool fired() noexcept { return tls_state.fired; }

State hand_over() noexcept { return tls_state; }
void take_over(const State &s) noexcept { tls_state = s; }

bool inject() noexcept
{
    State &s = tls_state;
    if (s.countdown == 0)
        return false;
    ++s.seen;
    if (--s.countdown != 0)
        return false;
    s.fired = true;
    errno = s.err;
    return true;
}

} // namespace netns::core::fault
