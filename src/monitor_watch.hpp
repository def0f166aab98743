// SPDX-License-Identifier: Apache-2.0
// A monitor's state and the watch that fills its queue: inotify on the run
// directory (or its nearest existing ancestor) and the mount table's
// generation (monitor_watch.cpp says how). monitor.cpp owns the
// descriptors handed out and delivers the queue.
#pragma once

#include "result.hpp"
#include "unique_fd.hpp"

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <sys/inotify.h>
#include <sys/types.h>
#include <unordered_map>
#include <unordered_set>

namespace netns::core {

struct Pending {
    uint64_t base; // generation of a poll made before it was created
    uint64_t seq;  // creation order, for the order of the adds
};

struct Monitor {
    std::mutex mu;
    bool closed = false;
    int epfd = -1; // not owned: the user's descriptor
    std::string run_dir;
    dev_t nsfs_dev = 0;
    UniqueFd inotify;
    UniqueFd mounts_poll; // in the epoll set (EPOLLPRI)
    UniqueFd mounts_gen;  // private: the generation counter
    // What is watched: the run dir or, while it is missing, an ancestor.
    int wd = -1;
    std::string watched;
    std::string child; // the component below `watched` towards the run dir
    bool at_run_dir = false;
    // Set when a watch on the run dir itself failed because it was missing:
    // at open, what the run dir holds once it is watched came after the
    // monitor began (see resync()).
    bool run_dir_missing = false;
    dev_t wdev = 0;
    ino_t wino = 0;
    // Set while inotify events have been consumed but not yet accounted
    // for: a failure then makes the next read rebuild the state.
    bool dirty = false;
    uint64_t gen = 0;
    uint64_t drained_gen = 0; // gen when the queue was last found empty
    uint64_t seq = 0;
    std::unordered_set<std::string> live; // reported (or present at open)
    std::unordered_map<std::string, Pending> pending;
    std::deque<std::pair<int, std::string>> queue; // not yet delivered
    alignas(struct inotify_event) char buf[16384];

    // Marks it closed and releases what it holds; the epoll descriptor is
    // the user's (monitor_close closes it, close(2) may have already).
    void shut() noexcept
    {
        closed = true;
        inotify.reset();
        mounts_poll.reset();
        mounts_gen.reset();
    }
};

// Rebuilds the state: watches set again, queued inotify events thrown away,
// the run dir listed and, unless at_open, the difference from the names
// reported so far queued.
[[nodiscard]] Status resync(Monitor &m, bool at_open = false);

// Brings the queue up to date (a read of the monitor).
[[nodiscard]] Status refresh(Monitor &m);

} // namespace netns::core
