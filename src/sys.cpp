// SPDX-License-Identifier: Apache-2.0
#include "sys.hpp"

#include <cerrno>

namespace netns::core::fault {

namespace {

struct State {
    unsigned countdown = 0; // 0: disarmed; else the call that fails
    int err = 0;            // the errno to inject
    unsigned seen = 0;      // wrapped calls since arm()
    bool fired = false;     // whether the armed failure happened
};

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
