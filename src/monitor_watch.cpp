// SPDX-License-Identifier: Apache-2.0
//
// How a monitor works. The descriptor handed out is an epoll instance
// holding an inotify descriptor and <proc>/thread-self/mountinfo. inotify
// reports entries created and removed in the run directory, but a mount
// makes no inotify event, and `ip netns add` (like this library) creates
// the empty file first and mounts the namespace on it afterwards. So
// mountinfo is in the set too: proc signals EPOLLPRI on it whenever the
// mount table changed, which wakes the poller, and the read then looks at
// the entries it knows to be unmounted ("pending") again.
//
// A second, private mountinfo descriptor (never polled by the user, so its
// state is ours) tells a read whether any mount happened since an earlier
// moment: every poll of it that shows EPOLLPRI bumps a generation counter.
// A pending entry remembers the generation of a poll made before it was
// created (or listed by a resync). Seeing it unmounted later does not
// settle anything: it may not be mounted yet, or be mounted and unmounted
// already (a delete unmounts, then unlinks). So when it is removed and the
// generation has not moved, it was never mounted and is not reported;
// otherwise an add and a delete are reported, since nobody can tell any
// more. The same counter spares the stats of pending entries when nothing
// was mounted.
//
// When the inotify queue overflows, the run directory is removed, replaced
// or another directory is mounted on it, the state is rebuilt: watches set
// again, queued events thrown away, the directory listed and compared with
// the names reported so far. Events queued between the drain and the
// listing are seen twice; the rules below ignore a create of a known name
// and a delete of an unknown one, so that costs nothing.
#include "monitor_watch.hpp"
#include "monitor.hpp"
#include "names.hpp"
#include "sys.hpp"

#include <algorithm>
#include <dirent.h>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace netns::core {

namespace {

constexpr uint32_t run_dir_mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                  IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
// While the run directory is missing: its nearest existing parent, for the
// next component of the path to appear (or the parent to go).
constexpr uint32_t parent_mask =
    IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
constexpr uint32_t gone_mask = IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT;

enum class Kind { absent, stale, mounted, dir };

// What <run dir>/name is now: a mounted namespace (its st_dev is nsfs's),
// a file that is not (yet), a directory (never a name), or nothing.
Result<Kind> classify(const Monitor &m, std::string_view name)
{
    PathBuf path;
    if (auto st = join_path(m.run_dir, name, path); !st)
        return st.failure();
    struct stat st;
    if (sys::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return Kind::absent;
        return last_error();
    }
    if (st.st_dev == m.nsfs_dev)
        return Kind::mounted;
    return S_ISDIR(st.st_mode) ? Kind::dir : Kind::stale;
}

// Polls the private mountinfo: bumps the generation when the mount table
// changed since the last poll.
Status bump_gen(Monitor &m)
{
    struct pollfd p = {m.mounts_gen.get(), POLLPRI, 0};
    int n = sys::poll(&p, 1, 0);
    if (n < 0)
        return last_error();
    if (n > 0 && (p.revents & (POLLPRI | POLLERR)) != 0)
        ++m.gen;
    return {};
}

void emit_add(Monitor &m, const std::string &name)
{
    auto [it, fresh] = m.live.insert(name);
    if (!fresh)
        return;
    try {
        m.queue.emplace_back(event_add, name);
    } catch (...) {
        m.live.erase(it);
        throw;
    }
}

void emit_del(Monitor &m, const std::string &name)
{
    auto it = m.live.find(name);
    if (it == m.live.end())
        return;
    m.queue.emplace_back(event_del, name);
    m.live.erase(it);
}

std::string parent_of(const std::string &path, std::string &child)
{
    std::string p = path;
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    auto slash = p.rfind('/');
    if (slash == std::string::npos) {
        child = p;
        return ".";
    }
    child = p.substr(slash + 1);
    p.resize(slash == 0 ? 1 : slash);
    return p;
}

// Watches the run dir, or its nearest existing ancestor. At open, a path
// component that is not a directory is an error (ENOTDIR); later it counts
// as missing. Watches made on the way and the previous one are removed.
Status establish(Monitor &m, bool at_open)
{
    std::vector<int> made;
    auto drop_others = [&](int keep) {
        for (int wd : made)
            if (wd != keep)
                (void)::inotify_rm_watch(m.inotify.get(), wd);
    };
    if (m.wd >= 0)
        made.push_back(m.wd);
    for (int attempt = 0;; ++attempt) {
        std::string path = m.run_dir.empty() ? std::string(".") : m.run_dir;
        std::string child;
        int wd;
        for (;;) {
            bool is_run_dir = child.empty();
            wd = sys::inotify_add_watch(m.inotify.get(), path.c_str(),
                                        is_run_dir ? run_dir_mask : parent_mask);
            if (wd >= 0)
                break;
            int err = errno;
            if (is_run_dir && (err == ENOENT || err == ENOTDIR))
                m.run_dir_missing = true;
            if ((err != ENOENT && !(err == ENOTDIR && !at_open)) || path == "/" || path == ".") {
                drop_others(m.wd);
                return Error{err};
            }
            path = parent_of(path, child);
        }
        made.push_back(wd);
        // Its identity, and, when it is an ancestor, whether the next
        // component appeared before the watch was set (its creation was
        // missed then): go down again.
        const bool retry = attempt < 64;
        struct stat st;
        if (sys::stat(path.c_str(), &st) != 0) {
            int err = errno;
            if ((err != ENOENT && err != ENOTDIR) || !retry) {
                drop_others(m.wd);
                return Error{err};
            }
            continue; // gone again: start over
        }
        if (!child.empty() && retry) {
            std::string below = path == "/" ? "/" + child : path + "/" + child;
            struct stat cst;
            if (sys::stat(below.c_str(), &cst) == 0) {
                if (S_ISDIR(cst.st_mode))
                    continue;
            } else if (errno != ENOENT && errno != ENOTDIR) {
                int err = errno;
                drop_others(m.wd);
                return Error{err};
            }
        }
        drop_others(wd);
        m.wd = wd;
        m.watched = path;
        m.child = child;
        m.at_run_dir = child.empty();
        m.wdev = st.st_dev;
        m.wino = st.st_ino;
        return {};
    }
}

// Reads and throws away everything queued.
Status discard(Monitor &m)
{
    for (;;) {
        ssize_t n = sys::read(m.inotify.get(), m.buf, sizeof m.buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                m.drained_gen = m.gen;
                return {};
            }
            return last_error();
        }
    }
}

// The entries of the run dir: mounted names and unmounted ones.
Status scan(Monitor &m, std::unordered_set<std::string> &mounted,
            std::unordered_map<std::string, Pending> &unmounted)
{
    if (!m.at_run_dir)
        return {};
    UniqueFd fd(sys::open(m.run_dir.c_str(), O_RDONLY | O_DIRECTORY));
    if (!fd) {
        if (errno == ENOENT || errno == ENOTDIR)
            return {}; // gone meanwhile: the next read's check sees it
        return last_error();
    }
    DIR *d = ::fdopendir(fd.get());
    if (d == nullptr)
        return last_error();
    (void)fd.release();
    std::unique_ptr<DIR, int (*)(DIR *)> dir(d, ::closedir);
    std::vector<std::string> names;
    while (struct dirent *e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (n == "." || n == ".." || e->d_type == DT_DIR)
            continue;
        names.emplace_back(n);
    }
    std::sort(names.begin(), names.end());
    for (auto &n : names) {
        auto kind = classify(m, n);
        if (!kind)
            return kind.failure();
        if (*kind == Kind::mounted)
            mounted.insert(n);
        else if (*kind == Kind::stale)
            unmounted.emplace(n, Pending{m.gen, m.seq++});
    }
    return {};
}

} // namespace

// Rebuilds the state (see the top of the file) and queues the difference
// between the names reported and the names there now.
Status resync(Monitor &m, bool at_open)
{
    m.dirty = true;
    for (int attempt = 0;; ++attempt) {
        if (auto st = establish(m, at_open); !st)
            return st;
        if (auto st = discard(m); !st)
            return st;
        // Watching an ancestor: the next component may have appeared
        // between the watch and the discard, its event thrown away. Go
        // down again then (bounded: a directory made and removed forever).
        if (m.at_run_dir || attempt >= 64)
            break;
        std::string below = m.watched == "/" ? "/" + m.child : m.watched + "/" + m.child;
        struct stat cst;
        if (sys::stat(below.c_str(), &cst) != 0) {
            if (errno != ENOENT && errno != ENOTDIR)
                return last_error();
            break;
        }
        if (!S_ISDIR(cst.st_mode))
            break;
    }
    if (auto st = bump_gen(m); !st)
        return st;
    std::unordered_set<std::string> mounted;
    std::unordered_map<std::string, Pending> unmounted;
    if (auto st = scan(m, mounted, unmounted); !st)
        return st;
    if (at_open && m.run_dir_missing) {
        // The run dir was missing when the monitor began and the watch
        // went down onto it: its names were made since, and had no event
        // of their own. Each is pending with a base no generation has, so
        // the first read reports it (a mount since the open wakes the
        // user); one that is deleted before is reported added and deleted.
        for (const auto &n : mounted)
            unmounted.emplace(n, Pending{UINT64_MAX, m.seq++});
        mounted.clear();
    }
    if (!at_open) {
        std::vector<std::pair<int, std::string>> diff;
        std::vector<std::string> gone, come;
        for (const auto &n : m.live)
            if (!mounted.count(n))
                gone.push_back(n);
        for (const auto &n : mounted)
            if (!m.live.count(n))
                come.push_back(n);
        std::sort(gone.begin(), gone.end());
        std::sort(come.begin(), come.end());
        for (auto &n : gone)
            diff.emplace_back(event_del, std::move(n));
        for (auto &n : come)
            diff.emplace_back(event_add, std::move(n));
        // At the end of a deque: all or nothing.
        m.queue.insert(m.queue.end(), std::make_move_iterator(diff.begin()),
                       std::make_move_iterator(diff.end()));
    }
    m.live = std::move(mounted);
    m.pending = std::move(unmounted);
    m.dirty = false;
    return {};
}

namespace {

Status on_create(Monitor &m, const std::string &name)
{
    if (m.live.count(name) || m.pending.count(name))
        return {}; // seen by a resync's listing already
    auto kind = classify(m, name);
    if (!kind)
        return kind.failure();
    // Created after the queue was last found empty, so after the poll
    // that set drained_gen.
    const uint64_t base = m.drained_gen;
    switch (*kind) {
    case Kind::mounted: emit_add(m, name); break;
    case Kind::absent:
        // Removed already (its removal is queued): if anything was mounted
        // meanwhile, report the add now, in the order of the creations.
        if (m.gen == base)
            if (auto st = bump_gen(m); !st)
                return st;
        if (m.gen != base)
            emit_add(m, name);
        else
            m.pending.emplace(name, Pending{base, m.seq++});
        break;
    case Kind::stale: m.pending.emplace(name, Pending{base, m.seq++}); break;
    case Kind::dir: break;
    }
    return {};
}

Status on_delete(Monitor &m, const std::string &name)
{
    if (m.live.count(name)) {
        emit_del(m, name);
        return {};
    }
    auto it = m.pending.find(name);
    if (it == m.pending.end())
        return {};
    if (m.gen == it->second.base) // a poll now covers the time up to the removal
        if (auto st = bump_gen(m); !st)
            return st;
    if (m.gen != it->second.base) {
        // Something was mounted meanwhile: maybe this, which nobody can
        // tell now that it is gone.
        m.queue.emplace_back(event_add, name);
        m.queue.emplace_back(event_del, name);
    }
    m.pending.erase(it);
    return {};
}

// Whether the watched directory is no longer the one the path leads to.
Result<bool> moved(Monitor &m)
{
    struct stat st;
    if (sys::stat(m.run_dir.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return !(m.at_run_dir && st.st_dev == m.wdev && st.st_ino == m.wino);
    } else if (errno != ENOENT && errno != ENOTDIR) {
        return last_error();
    }
    if (m.at_run_dir)
        return true;
    if (sys::stat(m.watched.c_str(), &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return last_error();
        return true;
    }
    return !(st.st_dev == m.wdev && st.st_ino == m.wino);
}

// Looks at the pending entries again, in creation order.
Status check_pending(Monitor &m)
{
    if (m.pending.empty())
        return {};
    if (auto st = bump_gen(m); !st)
        return st;
    std::vector<std::pair<uint64_t, std::string>> due;
    for (const auto &[name, p] : m.pending)
        if (p.base != m.gen)
            due.emplace_back(p.seq, name);
    std::sort(due.begin(), due.end());
    for (const auto &[seq, name] : due) {
        auto kind = classify(m, name);
        if (!kind)
            return kind.failure();
        auto it = m.pending.find(name);
        switch (*kind) {
        case Kind::mounted:
            emit_add(m, name);
            m.pending.erase(it);
            break;
        case Kind::stale:
            // Not yet mounted, or mounted and unmounted already (a delete
            // unmounts, then unlinks): which, nobody can tell, so its base
            // stays; its removal will be reported as an add and a delete.
            break;
        case Kind::dir: m.pending.erase(it); break;
        case Kind::absent: // its removal is queued: on_delete decides
            break;
        }
    }
    return {};
}

} // namespace

// Brings the queue up to date.
Status refresh(Monitor &m)
{
    // Takes the readiness down (proc's mountinfo resets its EPOLLPRI when
    // polled), so that a mount after the checks below wakes the user
    // again. Raw: its result does not matter.
    struct epoll_event evs[4];
    (void)::epoll_wait(m.epfd, evs, 4, 0);

    if (m.dirty)
        if (auto st = resync(m); !st)
            return st;
    for (;;) {
        ssize_t n = sys::read(m.inotify.get(), m.buf, sizeof m.buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                break;
            return last_error();
        }
        m.dirty = true;
        bool rebuilt = false;
        for (ssize_t off = 0; off < n && !rebuilt;) {
            const auto *ev = reinterpret_cast<const struct inotify_event *>(m.buf + off);
            off += static_cast<ssize_t>(sizeof *ev + ev->len);
            const std::string name = ev->len ? std::string(ev->name) : std::string();
            bool redo = false;
            if ((ev->mask & IN_Q_OVERFLOW) != 0)
                redo = true;
            else if (ev->wd != m.wd)
                continue; // a watch already given up
            else if ((ev->mask & gone_mask) != 0)
                redo = true;
            else if (!m.at_run_dir)
                redo = name == m.child;
            if (redo) {
                if (auto st = resync(m); !st)
                    return st;
                rebuilt = true; // the rest of the buffer is stale
                break;
            }
            if ((ev->mask & IN_ISDIR) != 0 || name.empty())
                continue;
            Status st;
            if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) != 0)
                st = on_create(m, name);
            else if ((ev->mask & (IN_DELETE | IN_MOVED_FROM)) != 0)
                st = on_delete(m, name);
            if (!st)
                return st;
        }
        m.dirty = false;
    }
    m.drained_gen = m.gen;
    // A directory mounted on the run dir (or on an ancestor being
    // watched) makes no inotify event; one stat per read finds it.
    auto changed = moved(m);
    if (!changed)
        return changed.failure();
    if (*changed)
        if (auto st = resync(m); !st)
            return st;
    return check_pending(m);
}

} // namespace netns::core
