// SPDX-License-Identifier: Apache-2.0
// The monitor descriptors: a registry from the epoll descriptor handed out
// to its state, and the delivery of the queue that monitor_watch.cpp fills.
#include "monitor.hpp"
#include "monitor_watch.hpp"
#include "sys.hpp"

#include <memory>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unordered_map>
#include <utility>

namespace netns::core {

namespace {

std::mutex registry_mu;
std::unordered_map<int, std::shared_ptr<Monitor>> &registry()
{
    static auto *r = new std::unordered_map<int, std::shared_ptr<Monitor>>;
    return *r;
}

// Drops fd's entry when it is still m's.
void forget(int fd, const std::shared_ptr<Monitor> &m)
{
    std::lock_guard lock(registry_mu);
    auto &r = registry();
    if (auto it = r.find(fd); it != r.end() && it->second == m)
        r.erase(it);
}

// The registered monitor behind fd, checked to be still the epoll instance
// it was made with: the user may have closed it with close(2) and the
// number been reused. EPOLL_CTL_MOD of our inotify descriptor succeeds
// only on the epoll instance holding it. Raw calls: an injected failure
// would make a live monitor look stale.
Result<std::shared_ptr<Monitor>> lookup(int fd) noexcept
{
    if (fd < 0)
        return Error{EBADF};
    std::shared_ptr<Monitor> m;
    {
        std::lock_guard lock(registry_mu);
        auto &r = registry();
        if (auto it = r.find(fd); it != r.end())
            m = it->second;
    }
    if (m) {
        std::lock_guard lock(m->mu);
        struct epoll_event ev = {};
        ev.events = EPOLLIN;
        if (!m->closed && ::epoll_ctl(fd, EPOLL_CTL_MOD, m->inotify.get(), &ev) == 0)
            return m;
    }
    if (m) { // stale: forget it
        forget(fd, m);
        std::lock_guard lock(m->mu);
        m->shut();
    }
    return Error{::fcntl(fd, F_GETFD) < 0 ? EBADF : EINVAL};
}

} // namespace

Result<UniqueFd> monitor_open(const std::string &run_dir, const char *proc)
{
    auto m = std::make_shared<Monitor>();
    m->run_dir = run_dir;

    std::string self = std::string(proc) + "/thread-self/";
    struct stat st;
    if (sys::stat((self + "ns/net").c_str(), &st) != 0)
        return last_error();
    m->nsfs_dev = st.st_dev;

    UniqueFd ep(sys::epoll_create1(0));
    if (!ep)
        return last_error();
    // Meaningless for epoll (reads never block), but the contract says so.
    if (sys::fcntl(ep.get(), F_SETFL, O_NONBLOCK) != 0)
        return last_error();
    m->epfd = ep.get();
    m->inotify = UniqueFd(sys::inotify_init1(IN_NONBLOCK));
    if (!m->inotify)
        return last_error();
    const std::string mountinfo = self + "mountinfo";
    m->mounts_poll = UniqueFd(sys::open(mountinfo.c_str(), O_RDONLY));
    if (!m->mounts_poll)
        return last_error();
    m->mounts_gen = UniqueFd(sys::open(mountinfo.c_str(), O_RDONLY));
    if (!m->mounts_gen)
        return last_error();

    struct epoll_event ev = {};
    ev.events = EPOLLIN;
    if (sys::epoll_ctl(ep.get(), EPOLL_CTL_ADD, m->inotify.get(), &ev) != 0)
        return last_error();
    // Only EPOLLPRI: proc says EPOLLIN on it all the time.
    ev.events = EPOLLPRI;
    if (sys::epoll_ctl(ep.get(), EPOLL_CTL_ADD, m->mounts_poll.get(), &ev) != 0)
        return last_error();

    // The names there now are known, not reported; events queued for them
    // meanwhile are ignored as duplicates.
    if (auto s = resync(*m, true); !s)
        return s.failure();

    std::lock_guard lock(registry_mu);
    auto &r = registry();
    // A monitor still registered under this number was closed with
    // close(2): the kernel would not hand the number out otherwise.
    if (auto it = r.find(ep.get()); it != r.end()) {
        auto stale = it->second;
        r.erase(it);
        std::lock_guard slock(stale->mu);
        stale->shut();
    }
    r.emplace(ep.get(), std::move(m));
    return ep;
}

Result<int> monitor_read(int fd, EventCb cb, void *arg)
{
    if (cb == nullptr)
        return Error{EINVAL};
    auto found = lookup(fd);
    if (!found)
        return found.failure();
    Monitor &m = *found.value();
    {
        std::lock_guard lock(m.mu);
        if (m.closed)
            return Error{EBADF};
        if (auto st = refresh(m); !st)
            return st.failure();
    }
    // Delivered one at a time without the lock, so that cb may call the
    // monitor functions, this one included.
    int count = 0;
    for (;;) {
        std::pair<int, std::string> ev;
        {
            std::lock_guard lock(m.mu);
            if (m.queue.empty())
                break;
            ev = std::move(m.queue.front());
            m.queue.pop_front();
        }
        if (int rc = cb(ev.first, ev.second.c_str(), arg); rc != 0)
            return rc;
        ++count;
    }
    return count;
}

Status monitor_close(int fd) noexcept
{
    auto found = lookup(fd);
    if (!found)
        return found.failure();
    auto &m = found.value();
    {
        // Once only, when two threads close it at the same time: the
        // number may be someone else's already.
        std::lock_guard lock(m->mu);
        if (m->closed)
            return Error{EBADF};
        m->shut();
        ::close(fd);
    }
    forget(fd, m);
    return {};
}

std::size_t monitor_count() noexcept
{
    std::lock_guard lock(registry_mu);
    return registry().size();
}

Status monitor_force_resync(int fd)
{
    auto found = lookup(fd);
    if (!found)
        return found.failure();
    std::lock_guard lock(found.value()->mu);
    found.value()->dirty = true;
    return {};
}

} // namespace netns::core
