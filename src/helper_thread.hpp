// SPDX-License-Identifier: Apache-2.0
// Work done on a short-lived thread of its own, so that what the work does
// to its thread (setns, unshare) can never outlive it or reach the caller.
#pragma once

#include "result.hpp"
#include "sys.hpp"

#include <pthread.h>

namespace netns::core {

// Runs work() on a new thread and waits for it to end. The thread starts
// with the caller's signal mask and in the caller's namespaces. Returns
// work()'s Status, or the error of starting the thread (EAGAIN, ENOMEM).
// work must not throw.
template <typename F> [[nodiscard]] Status on_helper_thread(F &work) noexcept
{
    struct Call {
        F *work;
        Status status;
        bool faults; // whether fault injection is in use: carry its state
        fault::State fault_state;
    } call{&work, {}, fault::ever_armed.load(std::memory_order_relaxed), {}};
    if (call.faults) {
        // Starting the thread counts as one wrapped call of the caller's.
        if (fault::inject())
            return last_error();
        call.fault_state = fault::hand_over();
    }
    auto start = [](void *p) -> void * {
        auto *c = static_cast<Call *>(p);
        if (c->faults)
            fault::take_over(c->fault_state);
        c->status = (*c->work)();
        if (c->faults)
            c->fault_state = fault::hand_over();
        return nullptr;
    };
    pthread_t thread;
    if (int err = ::pthread_create(&thread, nullptr, start, &call); err != 0)
        return Error{err};
    // A joinable thread's join cannot fail here: the handle is ours alone.
    (void)::pthread_join(thread, nullptr);
    if (call.faults)
        fault::take_over(call.fault_state);
    return call.status;
}

} // namespace netns::core
