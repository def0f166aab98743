// SPDX-License-Identifier: Apache-2.0
// Fault injection into the core, for the core's own tests (it drives the
// hook in sys.hpp, which libnetns.so does not export). A sweep makes the
// n-th wrapped system call of one entry point fail, for n = 1, 2, ... until
// the call gets through without reaching the fault, and after every
// injected failure checks what a failed call must leave as it was.
#pragma once

#include "helpers.hpp"
#include "sys.hpp"

#include <cerrno>
#include <functional>
#include <string>
#include <utility>

namespace netns::test {

// The errnos injected at every call site. The core handles none of them
// specially (it does ENOENT, EINVAL, EEXIST, EINTR, EBUSY, ENOTTY).
inline constexpr int fault_errnos[] = {EIO, ENOMEM, EMFILE};

// Disarms the hook when a test leaves early.
struct Disarm {
    Disarm() = default;
    ~Disarm() { core::fault::disarm(); }
    Disarm(const Disarm &) = delete;
    Disarm &operator=(const Disarm &) = delete;
};

// A scratch directory whose mounts are all taken down on destruction (then
// TempDir removes the files), so a failing test leaves nothing behind.
class Scratch {
public:
    Scratch() = default;
    ~Scratch() { unmount_under(tmp_.path()); }
    Scratch(const Scratch &) = delete;
    Scratch &operator=(const Scratch &) = delete;
    const std::string &path() const { return tmp_.path(); }
    std::string operator/(const std::string &name) const { return tmp_ / name; }

private:
    TempDir tmp_;
};

// One entry point to sweep. After each injected failure the call must have
// reported the injected errno and left the thread's namespace, the fd
// count, the mounts under `scratch` and the entries of `run_dir` as they
// were; the run dir's own self-bind may stay (as after `ip netns add`), but
// only once and shared.
struct Sweep {
    const char *what = "";
    std::string scratch = {};
    std::string run_dir = {}; // none when empty
    // A mount point that a failed call may already have taken down.
    std::string may_unmount = {};
    std::function<void()> prepare = [] {};    // before every attempt
    std::function<int()> call = {};           // one call: 0 or its errno
    std::function<void()> on_success = [] {}; // check and undo the call that got through
    std::function<void()> on_failure = [] {}; // after the checks of a failed call
    // A failing step the call may legitimately get past, and succeed.
    bool may_absorb = false;
    // Another code the injected failure may be reported as (0: none), e.g.
    // EPROTO for any failure of a daemon exchange that is not a documented
    // code of its own.
    int may_report_as = 0;
};

struct Swept {
    unsigned sites = 0;    // call sites reached
    unsigned absorbed = 0; // injected failures the call got past
};

Swept sweep(const Sweep &s, int err);

// A sweep's call that keeps what a call that got through made (an fd, a
// pid) in `made`, for on_success, and returns the call's errno.
template <typename T, typename Call> std::function<int()> keeping(T &made, Call call)
{
    return [&made, call] {
        auto r = call();
        if (r)
            made = std::move(r).value();
        return r.error();
    };
}

// The way back of an entry point that moves the calling thread and must
// bring it home: a failure there is ENOTRECOVERABLE by contract, with the
// thread left where it went. after() counts such a failure, checks where
// the thread was left and puts it back home by hand, so that the sweep
// checks the rest. Made once per test, before the sweeps: it holds the
// home namespace open (and checks it opened).
class WayBack {
public:
    WayBack();
    ~WayBack();
    WayBack(const WayBack &) = delete;
    WayBack &operator=(const WayBack &) = delete;

    // After a call that failed with err (0: it did not): on ENOTRECOVERABLE,
    // the thread must be in `there` (a thread_ns_id(); empty: anywhere but
    // home) and is moved home.
    void after(int err, const std::string &there = {});

    // Sweeps an entry point that goes into `there` and back (s.call returns
    // its errno; after() follows each call, and ENOTRECOVERABLE is a way
    // the failure may be reported): the way back must fail exactly once,
    // and the thread end home.
    Swept sweep(Sweep s, int err, const std::string &there);

    const std::string home = thread_ns_id(); // where the test started
    unsigned unrecoverable = 0;              // ENOTRECOVERABLE failures seen
    int fd() const { return fd_; }           // home, open

private:
    int fd_ = -1;
};

} // namespace netns::test
