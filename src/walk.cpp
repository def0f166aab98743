// SPDX-License-Identifier: Apache-2.0
#include "walk.hpp"
#include "nsfd.hpp"
#include "pidfd.hpp"
#include "sys.hpp"
#include "unique_fd.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <string>
#include <vector>

namespace netns::core {

namespace {

// A directory stream that owns its descriptor.
class Dir {
public:
    Dir() = default;
    Dir(const Dir &) = delete;
    Dir &operator=(const Dir &) = delete;
    ~Dir()
    {
        if (d_ != nullptr)
            ::closedir(d_);
    }

    // Opens path; a missing directory is no error but an empty walk.
    [[nodiscard]] Status open(const std::string &path, bool missing_ok)
    {
        UniqueFd fd(sys::open(path.c_str(), O_RDONLY | O_DIRECTORY));
        if (!fd)
            return (errno == ENOENT && missing_ok) ? Status{} : Status{last_error()};
        d_ = ::fdopendir(fd.get());
        if (d_ == nullptr)
            return last_error();
        (void)fd.release(); // the stream owns it now
        return {};
    }
    [[nodiscard]] bool is_open() const noexcept { return d_ != nullptr; }
    [[nodiscard]] int fd() const noexcept { return ::dirfd(d_); }
    [[nodiscard]] DIR *get() const noexcept { return d_; }
    void close() noexcept
    {
        if (d_ != nullptr)
            ::closedir(d_);
        d_ = nullptr;
    }
    void rewind() noexcept { ::rewinddir(d_); }

    // The next entry that may be a file (not ".", "..", a directory or a
    // symlink), or nullptr at the end. errno is 0 at a clean end.
    [[nodiscard]] const char *next_file() noexcept
    {
        for (;;) {
            errno = 0;
            struct dirent *e = ::readdir(d_);
            if (e == nullptr)
                return nullptr;
            if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN)
                continue;
            if (e->d_name[0] == '.' &&
                (e->d_name[1] == '\0' || (e->d_name[1] == '.' && e->d_name[2] == '\0')))
                continue;
            return e->d_name;
        }
    }

private:
    DIR *d_ = nullptr;
};

// The device of nsfs, the file system every namespace file lives on.
Result<dev_t> nsfs_dev(const char *proc)
{
    char path[PATH_MAX];
    int n = std::snprintf(path, sizeof path, "%s/thread-self/ns/net", proc);
    if (n < 0 || static_cast<size_t>(n) >= sizeof path)
        return Error{ENAMETOOLONG};
    struct stat st;
    if (sys::fstatat(AT_FDCWD, path, &st, 0) < 0)
        return last_error();
    return st.st_dev;
}

// What entry `name` of dir is: ENOENT when absent; otherwise its stat.
Result<struct stat> entry_stat(const Dir &dir, const char *name)
{
    struct stat st;
    if (sys::fstatat(dir.fd(), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return last_error();
    return st;
}

// The run directories of a walk, opened: the fallback only when it is set
// and exists.
struct OpenDirs {
    Dir primary;
    Dir fallback;
};

Status open_dirs(const RunDirs &dirs, OpenDirs &out)
{
    if (auto st = out.primary.open(dirs.primary, true); !st)
        return st;
    if (dirs.fallback.empty() || dirs.fallback == dirs.primary)
        return {};
    if (auto st = out.fallback.open(dirs.fallback, true); !st)
        return st;
    if (!out.primary.is_open() || !out.fallback.is_open())
        return {};
    // /var/run is usually a symlink to /run: then both are one directory.
    struct stat a, b;
    if (sys::fstat(out.primary.fd(), &a) < 0 || sys::fstat(out.fallback.fd(), &b) < 0)
        return last_error();
    if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        out.fallback.close();
    return {};
}

// How an entry resolves for a lookup by name: the run directory's entry
// when there is one, else the fallback's (as get_from_name searches).
Result<struct stat> resolve(const OpenDirs &dirs, const char *name)
{
    if (dirs.primary.is_open()) {
        auto st = entry_stat(dirs.primary, name);
        if (st || st.error() != ENOENT || !dirs.fallback.is_open())
            return st;
    }
    if (!dirs.fallback.is_open())
        return Error{ENOENT};
    return entry_stat(dirs.fallback, name);
}

// Names held at once by list(): the sort is done in passes of this many,
// so memory stays bounded whatever the number of names (512 short names
// take 16 KiB). Each pass re-reads the directory, which costs far less per
// entry than the one fstatat per name that every listing needs: 2,000
// names take 4 passes (the benchmark's ratio to a bare readdir + fstatat
// walk went from 1.5 with 256 to 1.2 with 1,024).
constexpr size_t list_batch = 512;

} // namespace

Result<int> list(const RunDirs &dirs, NameCb cb, void *arg)
{
    auto nsfs = nsfs_dev("/proc");
    if (!nsfs)
        return nsfs.failure();
    OpenDirs open;
    if (auto st = open_dirs(dirs, open); !st)
        return st.failure();

    std::vector<std::string> batch; // a max-heap of the smallest names > last
    batch.reserve(list_batch + 1);
    std::string last;
    bool have_last = false;
    for (;;) {
        batch.clear();
        bool more = false; // some name > last did not fit in this batch
        for (Dir *d : {&open.primary, &open.fallback}) {
            if (!d->is_open())
                continue;
            d->rewind();
            while (const char *name = d->next_file()) {
                if (have_last && std::strcmp(name, last.c_str()) <= 0)
                    continue;
                if (batch.size() == list_batch) {
                    if (std::strcmp(name, batch.front().c_str()) >= 0) {
                        more = true;
                        continue;
                    }
                    std::pop_heap(batch.begin(), batch.end());
                    batch.pop_back();
                    more = true;
                }
                if (d == &open.fallback &&
                    std::find(batch.begin(), batch.end(), name) != batch.end())
                    continue; // in both directories
                batch.emplace_back(name);
                std::push_heap(batch.begin(), batch.end());
            }
            if (errno != 0)
                return last_error();
        }
        if (batch.empty())
            return 0;
        std::sort_heap(batch.begin(), batch.end());
        for (const auto &name : batch) {
            auto st = resolve(open, name.c_str());
            if (!st) {
                if (st.error() == ENOENT) // removed meanwhile
                    continue;
                return st.failure();
            }
            if (!S_ISREG(st->st_mode) || st->st_dev != nsfs.value())
                continue; // a stale file: no namespace is mounted on it
            if (int r = cb(name.c_str(), arg); r != 0)
                return r;
        }
        if (!more)
            return 0;
        last = batch.back();
        have_last = true;
    }
}

Result<int> identify(const RunDirs &dirs, const char *proc, pid_t pid, NameCb cb, void *arg)
{
    // Pinned first: the namespace taken through the pidfd is that
    // process's, even if the pid number is reused meanwhile.
    auto ns = get_from_pid_pinned(pid, proc);
    if (!ns)
        return ns.failure();
    auto want = ns_id(ns->get());
    if (!want)
        return want.failure();
    ns->reset();

    OpenDirs open;
    if (auto st = open_dirs(dirs, open); !st)
        return st.failure();
    for (Dir *d : {&open.primary, &open.fallback}) {
        if (!d->is_open())
            continue;
        const bool is_fallback = d == &open.fallback;
        while (const char *name = d->next_file()) {
            auto st = entry_stat(*d, name);
            if (!st) {
                if (st.error() == ENOENT) // removed meanwhile
                    continue;
                return st.failure();
            }
            if (NsId{st->st_dev, st->st_ino} != want.value())
                continue;
            // A name the run directory also has resolves there instead.
            if (is_fallback && open.primary.is_open()) {
                auto shadow = entry_stat(open.primary, name);
                if (shadow || shadow.error() != ENOENT)
                    continue;
            }
            if (int r = cb(name, arg); r != 0)
                return r;
        }
        if (errno != 0)
            return last_error();
    }
    return 0;
}

Result<int> pids(const char *proc, int ns, PidCb cb, void *arg)
{
    if (auto st = check_netns(ns); !st)
        return st.failure();
    auto want = ns_id(ns);
    if (!want)
        return want.failure();

    Dir dir;
    if (auto st = dir.open(proc, false); !st)
        return st.failure();
    // procfs lists processes in ascending order; the matches are sorted all
    // the same, so that any tree (a test's) gives the documented order.
    std::vector<pid_t> found;
    for (;;) {
        errno = 0;
        struct dirent *e = ::readdir(dir.get());
        if (e == nullptr)
            break;
        char *end = nullptr;
        long pid = std::strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end != '\0' || pid <= 0 || pid > INT_MAX)
            continue;
        char path[64];
        std::snprintf(path, sizeof path, "%ld/ns/net", pid);
        struct stat st;
        if (sys::fstatat(dir.fd(), path, &st, 0) < 0) {
            // Exited meanwhile (ENOENT, ESRCH), not ours to inspect
            // (EACCES, EPERM) or not a process (ENOTDIR): skipped.
            if (errno == ENOENT || errno == ESRCH || errno == EACCES || errno == EPERM ||
                errno == ENOTDIR)
                continue;
            return last_error();
        }
        if (NsId{st.st_dev, st.st_ino} == want.value())
            found.push_back(static_cast<pid_t>(pid));
    }
    if (errno != 0)
        return last_error();
    std::sort(found.begin(), found.end());
    for (pid_t pid : found)
        if (int r = cb(pid, arg); r != 0)
            return r;
    return 0;
}

} // namespace netns::core
