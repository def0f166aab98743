// SPDX-License-Identifier: Apache-2.0
// Fault injection into the core (issue 4 §3). For each entry point the C
// facade uses, the n-th system call the core makes is made to fail, for
// n = 1, 2, ... until the call gets through without reaching the fault.
// After every injected failure: the call reported the injected errno, the
// thread is in the namespace it started in, no descriptor leaked, and the
// run directory holds no entry and no mount it did not hold before.
//
// Real faults follow: descriptors exhausted (RLIMIT_NOFILE), a read-only
// run directory, a run directory that cannot be created, and names taken
// by things libnetns did not make.
#include "catch.hpp"
#include "helpers.hpp"

#include "container/docker.hpp"
#include "names.hpp"
#include "nsfd.hpp"
#include "persist.hpp"
#include "run_dir.hpp"
#include "sys.hpp"
#include "thread_ns.hpp"

#include <cstdlib>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <poll.h>
#include <sched.h>
#include <sstream>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace netns::core;
using namespace netns::test;

namespace {

// The errnos injected into every call site. None of them is one the core
// handles specially (ENOENT, EINVAL, EEXIST, EINTR, EBUSY, ENOTTY are).
const int kErrnos[] = {EIO, ENOMEM, EMFILE};

// Disarms the fault hook when a test leaves early.
struct Disarm {
    ~Disarm() { fault::disarm(); }
};

std::string join(const std::vector<std::string> &v)
{
    std::string s;
    for (const auto &x : v)
        s += (s.empty() ? "" : " ") + x;
    return s.empty() ? "(none)" : s;
}

bool exists(const std::string &path)
{
    struct stat st;
    return lstat(path.c_str(), &st) == 0;
}

// The optional fields ("shared:N", "master:N", ...) of each mount at
// exactly mount_point, one string per mount.
std::vector<std::string> mount_tags_at(const std::string &mount_point)
{
    std::istringstream in(read_file("/proc/self/mountinfo"));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string f, point, tags;
        for (int i = 0; i < 6 && fields >> f; ++i)
            if (i == 4)
                point = f;
        if (point != mount_point)
            continue;
        while (fields >> f && f != "-")
            tags += (tags.empty() ? "" : " ") + f;
        out.push_back(tags);
    }
    return out;
}

bool is_shared(const std::string &tags) { return tags.find("shared:") != std::string::npos; }

// Takes down every mount at or under dir, deepest first.
void unmount_all(const std::string &dir)
{
    for (int round = 0; round < 16; ++round) {
        auto mounts = mounts_under(dir);
        if (mounts.empty())
            return;
        for (auto it = mounts.rbegin(); it != mounts.rend(); ++it)
            (void)umount2(it->c_str(), MNT_DETACH);
    }
}

// A scratch directory whose mounts are all taken down on destruction (then
// TempDir removes the files), so a failing test leaves nothing behind.
class Scratch {
public:
    Scratch() = default;
    ~Scratch() { unmount_all(tmp_.path()); }
    Scratch(const Scratch &) = delete;
    Scratch &operator=(const Scratch &) = delete;
    const std::string &path() const { return tmp_.path(); }
    std::string operator/(const std::string &name) const { return tmp_ / name; }

private:
    TempDir tmp_;
};

// What must not change across a failed call.
struct Snapshot {
    std::string ns;
    int fds;
    std::vector<std::string> mounts; // under the scratch dir
    std::vector<std::string> entries; // of the run dir
};

Snapshot snapshot(const std::string &scratch, const std::string &run_dir)
{
    return Snapshot{thread_ns_id(), fd_count(), mounts_under(scratch), list_dir(run_dir)};
}

// The sweep: attempt(n, err) arms the hook, makes one call and reports the
// call's errno (0 on success); afterwards sweep checks the invariants. It
// stops at the first n whose fault did not fire. Returns how many call
// sites were reached.
template <typename Prepare, typename Call, typename Undo>
unsigned sweep(const char *what, int err, const std::string &scratch, const std::string &run_dir,
               Prepare prepare, Call call, Undo undo_success)
{
    Disarm disarm;
    for (unsigned n = 1;; ++n) {
        INFO(what << ": failing wrapped call #" << n << " with " << std::strerror(err));
        REQUIRE(n < 200); // a runaway loop would be a bug of its own
        prepare();
        Snapshot before = snapshot(scratch, run_dir);
        fault::arm(n, err);
        int rc = call();
        const bool fired = fault::fired();
        const unsigned calls = fault::calls();
        fault::disarm();
        if (!fired) {
            INFO("no fault fired after " << calls << " wrapped calls");
            CHECK(rc == 0);
            undo_success();
            return n - 1;
        }
        Snapshot after = snapshot(scratch, run_dir);
        CHECK(rc == err);
        CHECK(after.ns == before.ns);
        CHECK(after.fds == before.fds);
        // The run dir's own self-bind, made by prepare_run_dir, may stay
        // (as with `ip netns add`): it is what the next create needs. It
        // must never be stacked, and nothing else may be mounted.
        INFO("mounts before: " << join(before.mounts) << "; after: " << join(after.mounts));
        auto not_run_dir = [&](const std::vector<std::string> &v) {
            std::vector<std::string> out;
            for (const auto &m : v)
                if (m != run_dir)
                    out.push_back(m);
            return out;
        };
        CHECK(not_run_dir(after.mounts) == not_run_dir(before.mounts));
        auto tags = mount_tags_at(run_dir);
        INFO("run dir mounts' tags: " << join(tags));
        CHECK(tags.size() <= 1);
        if (!tags.empty()) // a half-done self-bind, not shared, is a leak
            CHECK(is_shared(tags[0]));
        INFO("run dir before: " << join(before.entries) << "; after: " << join(after.entries));
        CHECK(after.entries == before.entries);
    }
}

int err_of(const Status &s) { return s ? 0 : s.error(); }
template <typename T> int err_of(const Result<T> &r) { return r ? 0 : r.error(); }

} // namespace

// ---------------------------------------------------------------------
// Injected faults, one entry point at a time.

TEST_CASE("fault: the hook counts and fires once", "[fault]")
{
    Disarm disarm;
    fault::arm(1, EIO);
    auto fd = get();
    CHECK(fault::fired());
    CHECK(fault::calls() == 1);
    CHECK(err_of(fd) == EIO);
    fault::disarm();
    auto again = get();
    CHECK(again.ok());
}

TEST_CASE("fault: get, get_from_pid, get_from_path", "[fault]")
{
    Scratch scratch;
    const std::string none = scratch / "run";
    for (int err : kErrnos) {
        unsigned sites = sweep(
            "get", err, scratch.path(), none, [] {},
            [] { return err_of(get()); }, [] {});
        CHECK(sites >= 1);
        sites = sweep(
            "get_from_pid", err, scratch.path(), none, [] {},
            [] { return err_of(get_from_pid("/proc", getpid())); }, [] {});
        CHECK(sites >= 1);
        sites = sweep(
            "get_from_pid(tid)", err, scratch.path(), none, [] {},
            [] { return err_of(get_from_thread("/proc", getpid(), gettid())); }, [] {});
        CHECK(sites >= 1);
        sites = sweep(
            "get_from_path", err, scratch.path(), none, [] {},
            [] { return err_of(get_from_path("/proc/self/ns/net", CLONE_NEWNET)); }, [] {});
        CHECK(sites >= 2); // open, ioctl(NS_GET_NSTYPE)
        auto fd = get();
        REQUIRE(fd.ok());
        sites = sweep(
            "ns_type", err, scratch.path(), none, [] {},
            [&] { return err_of(ns_type(fd->get())); }, [] {});
        CHECK(sites >= 1);
    }
}

TEST_CASE("fault: setns", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    auto home = get();
    REQUIRE(home.ok());
    auto other = new_(); // moves this thread: go back
    REQUIRE(other.ok());
    REQUIRE(set(home->get()).ok());
    for (int err : kErrnos) {
        unsigned sites = sweep(
            "setns", err, scratch.path(), scratch / "run", [] {},
            [&] { return err_of(set(other->get())); },
            [&] {
                CHECK(thread_ns_id() == fd_ns_id(other->get()));
                REQUIRE(set(home->get()).ok());
            });
        CHECK(sites >= 1);
    }
}

TEST_CASE("fault: ns_id, equal, describe", "[fault]")
{
    Disarm disarm;
    auto fd = get();
    REQUIRE(fd.ok());
    const int fds = fd_count();
    for (int err : kErrnos) {
        fault::arm(1, err);
        auto id = ns_id(fd->get());
        CHECK(fault::fired());
        CHECK(err_of(id) == err);

        for (unsigned n = 1; n <= 2; ++n) {
            fault::arm(n, err);
            CHECK_FALSE(equal(fd->get(), fd->get()));
            CHECK(fault::fired());
        }
        fault::arm(3, err);
        CHECK(equal(fd->get(), fd->get()));
        CHECK_FALSE(fault::fired());

        char buf[64];
        fault::arm(1, err);
        int n = string(fd->get(), buf, sizeof buf);
        CHECK(fault::fired());
        CHECK(std::string(buf) == "NS(" + std::to_string(fd->get()) + ": unknown)");
        CHECK(n == static_cast<int>(std::strlen(buf)));
        fault::arm(1, err);
        n = unique_id(fd->get(), buf, sizeof buf);
        CHECK(fault::fired());
        CHECK(std::string(buf) == "NS(unknown)");
        CHECK(n == static_cast<int>(std::strlen(buf)));
        fault::disarm();
    }
    CHECK(fd_count() == fds);
}

TEST_CASE("fault: new_", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    auto home_fd = get();
    REQUIRE(home_fd.ok());
    for (int err : kErrnos) {
        UniqueFd made;
        unsigned sites = sweep(
            "new_", err, scratch.path(), scratch / "run", [] {},
            [&] {
                auto r = new_();
                if (r)
                    made = std::move(r).value();
                return err_of(r);
            },
            [&] {
                // The success: the thread moved into the new namespace.
                CHECK(thread_ns_id() == fd_ns_id(made.get()));
                CHECK(thread_ns_id() != home);
                REQUIRE(set(home_fd->get()).ok());
                made.reset();
            });
        CHECK(sites >= 3); // open (save), unshare, open (the handle)
        CHECK(thread_ns_id() == home);
    }
}

TEST_CASE("fault: mkdir_p, make_shared_mount, prepare_run_dir", "[fault]")
{
    Scratch scratch;
    const std::string run = scratch / "a/b/netns";
    auto fresh = [&] {
        unmount_all(scratch.path());
        std::error_code ec;
        std::filesystem::remove_all(scratch / "a", ec);
    };
    for (int err : kErrnos) {
        // From nothing: mkdir each component, open, flock, mount(MS_SHARED)
        // (EINVAL: not a mount point), bind, mount(MS_SHARED).
        unsigned sites = sweep(
            "prepare_run_dir (fresh)", err, scratch.path(), run, fresh,
            [&] {
                auto lock = prepare_run_dir(run);
                return err_of(lock);
            },
            [&] { CHECK(mounts_under(scratch.path()) == std::vector<std::string>{run}); });
        CHECK(sites >= 6);
        // Already prepared: only the MS_SHARED remount is left to do.
        sites = sweep(
            "prepare_run_dir (prepared)", err, scratch.path(), run, [] {},
            [&] { return err_of(prepare_run_dir(run)); },
            [&] { CHECK(mounts_under(scratch.path()) == std::vector<std::string>{run}); });
        CHECK(sites >= 3);
        // make_shared_mount alone, on a directory that is not a mount point.
        sites = sweep(
            "make_shared_mount", err, scratch.path(), run,
            [&] {
                fresh();
                REQUIRE(mkdir_p(run, 0755).ok());
            },
            [&] { return err_of(make_shared_mount(run.c_str())); },
            [&] { CHECK(mounts_under(scratch.path()) == std::vector<std::string>{run}); });
        CHECK(sites >= 3); // mount(MS_SHARED) -> EINVAL, bind, mount(MS_SHARED)
    }
    fresh();
}

namespace {

// Runs the new_named sweep with the run dir either missing or prepared
// before each attempt.
void sweep_create_named(bool fresh_run_dir)
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home_id = thread_ns_id();
    const RunDirs dirs{scratch / "netns", ""};
    auto home = get();
    REQUIRE(home.ok());

    auto reset = [&] {
        unmount_all(scratch.path());
        std::error_code ec;
        std::filesystem::remove_all(dirs.primary, ec);
        if (!fresh_run_dir)
            REQUIRE(prepare_run_dir(dirs.primary).ok());
    };
    for (int err : kErrnos) {
        UniqueFd made;
        unsigned sites = sweep(
            fresh_run_dir ? "new_named (fresh run dir)" : "new_named (prepared run dir)", err,
            scratch.path(), dirs.primary, reset,
            [&] {
                auto r = new_named(dirs, "n0");
                if (r)
                    made = std::move(r).value();
                return err_of(r);
            },
            [&] {
                CHECK(thread_ns_id() == fd_ns_id(made.get()));
                CHECK(thread_ns_id() != home_id);
                CHECK(list_dir(dirs.primary) == std::vector<std::string>{"n0"});
                CHECK(mounts_at(dirs.primary + "/n0") == 1);
                auto opened = get_from_name(dirs, "n0");
                CHECK(opened.ok());
                if (opened)
                    CHECK(fd_ns_id(opened->get()) == fd_ns_id(made.get()));
                // Home, and the name removed.
                REQUIRE(set(home->get()).ok());
                made.reset();
                CHECK(delete_named(dirs, "n0").ok());
                CHECK(list_dir(dirs.primary).empty());
                CHECK(mounts_at(dirs.primary + "/n0") == 0);
            });
        // At least: mkdir, open, flock, mount(MS_SHARED), open(O_EXCL),
        // open (save), unshare, mount(bind), open (the handle); a missing
        // run dir adds mkdirs and the self-bind.
        CHECK(sites >= (fresh_run_dir ? 11u : 9u));
        CHECK(thread_ns_id() == home_id);
    }
    unmount_all(scratch.path());
}

} // namespace

TEST_CASE("fault: new_named, run dir already prepared", "[fault]")
{
    sweep_create_named(false);
}

TEST_CASE("fault: new_named, run dir missing", "[fault]")
{
    sweep_create_named(true);
}

TEST_CASE("fault: get_from_name", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const RunDirs dirs{scratch / "netns", ""};
    auto home = get();
    REQUIRE(home.ok());
    {
        auto made = new_named(dirs, "n0");
        REQUIRE(made.ok());
        REQUIRE(set(home->get()).ok());
    }
    for (int err : kErrnos) {
        unsigned sites = sweep(
            "get_from_name", err, scratch.path(), dirs.primary, [] {},
            [&] { return err_of(get_from_name(dirs, "n0")); }, [] {});
        CHECK(sites >= 2); // open, ioctl
    }
    // With a fallback directory: the primary's ENOENT sends the lookup on.
    const RunDirs two{scratch / "nowhere", dirs.primary};
    for (int err : kErrnos) {
        unsigned sites = sweep(
            "get_from_name (fallback)", err, scratch.path(), dirs.primary, [] {},
            [&] { return err_of(get_from_name(two, "n0")); }, [] {});
        CHECK(sites >= 3); // open (ENOENT), open, ioctl
    }
    CHECK(delete_named(dirs, "n0").ok());
}

TEST_CASE("fault: delete_named", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const RunDirs dirs{scratch / "netns", ""};
    const std::string entry = dirs.primary + "/n0";
    auto home = get();
    REQUIRE(home.ok());
    const std::string home_id = thread_ns_id();

    auto make = [&] {
        if (exists(entry))
            return;
        auto made = new_named(dirs, "n0");
        REQUIRE(made.ok());
        REQUIRE(set(home->get()).ok());
    };
    for (int err : kErrnos) {
        Disarm disarm;
        unsigned n = 1;
        for (;; ++n) {
            INFO("delete_named: failing wrapped call #" << n << " with " << std::strerror(err));
            REQUIRE(n < 50);
            make();
            const int fds = fd_count();
            fault::arm(n, err);
            auto st = delete_named(dirs, "n0");
            const bool fired = fault::fired();
            fault::disarm();
            CHECK(thread_ns_id() == home_id);
            CHECK(fd_count() == fds);
            if (!fired) {
                CHECK(st.ok());
                break;
            }
            CHECK(err_of(st) == err);
            // A failed delete may have got as far as unmounting: the entry
            // is then still there, as a plain file. Either way it is still
            // there, no mount is stacked twice, and a retry finishes.
            CHECK(exists(entry));
            CHECK(mounts_at(entry) <= 1);
            CHECK(delete_named(dirs, "n0").ok());
            CHECK_FALSE(exists(entry));
            CHECK(mounts_at(entry) == 0);
        }
        // At least umount2 (the mount), umount2 (EINVAL: no more), unlink.
        CHECK(n - 1 >= 3);
        CHECK(list_dir(dirs.primary).empty());
        CHECK(mounts_under(dirs.primary) == std::vector<std::string>{dirs.primary});
    }
}

// ---------------------------------------------------------------------
// Real faults.

namespace {

// Lowers RLIMIT_NOFILE for a scope.
class ScopedNofile {
public:
    explicit ScopedNofile(rlim_t soft)
    {
        REQUIRE(getrlimit(RLIMIT_NOFILE, &old_) == 0);
        struct rlimit lim = old_;
        lim.rlim_cur = soft;
        REQUIRE(setrlimit(RLIMIT_NOFILE, &lim) == 0);
    }
    ~ScopedNofile() { (void)setrlimit(RLIMIT_NOFILE, &old_); }
    ScopedNofile(const ScopedNofile &) = delete;
    ScopedNofile &operator=(const ScopedNofile &) = delete;

private:
    struct rlimit old_;
};

// The lowest free descriptor number.
int lowest_free_fd()
{
    int fd = ::dup(0);
    if (fd < 0)
        fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    ::close(fd);
    return fd;
}

} // namespace

TEST_CASE("real fault: descriptors exhausted (RLIMIT_NOFILE)", "[fault]")
{
    // Valgrind emulates the fd limit after the kernel has done the open (an
    // O_CREAT file then exists although "EMFILE" came back), so this test
    // cannot mean anything under it.
    if (std::getenv("NETNS_TEST_UNDER_VALGRIND") != nullptr) {
        WARN("skipped under valgrind: it emulates RLIMIT_NOFILE after the real open");
        return;
    }
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home_id = thread_ns_id();
    const RunDirs dirs{scratch / "netns", ""};
    auto home = get();
    REQUIRE(home.ok());
    {
        auto made = new_named(dirs, "there");
        REQUIRE(made.ok());
        REQUIRE(set(home->get()).ok());
    }
    const int fds = fd_count();
    const int free_fd = lowest_free_fd();

    SECTION("no descriptor free")
    {
        std::vector<int> errs;
        {
            ScopedNofile limit(static_cast<rlim_t>(free_fd));
            errs.push_back(err_of(get()));
            errs.push_back(err_of(get_from_pid("/proc", getpid())));
            errs.push_back(err_of(get_from_path("/proc/self/ns/net", CLONE_NEWNET)));
            errs.push_back(err_of(get_from_name(dirs, "there")));
            errs.push_back(err_of(new_()));
            errs.push_back(err_of(new_named(dirs, "new")));
            errs.push_back(err_of(prepare_run_dir(dirs.primary)));
        }
        for (int e : errs)
            CHECK(e == EMFILE);
        CHECK(thread_ns_id() == home_id);
        CHECK(fd_count() == fds);
        CHECK(list_dir(dirs.primary) == std::vector<std::string>{"there"});
        CHECK(mounts_at(dirs.primary + "/new") == 0);
        // Deleting succeeds, or fails with EMFILE (when it locks the run
        // dir) before touching the entry.
        int del = 0;
        {
            ScopedNofile limit(static_cast<rlim_t>(free_fd));
            del = err_of(delete_named(dirs, "there"));
        }
        CHECK((del == 0 || del == EMFILE));
        if (del == EMFILE) {
            CHECK(get_from_name(dirs, "there").ok());
            CHECK(delete_named(dirs, "there").ok());
        }
        CHECK(fd_count() == fds);
        CHECK(list_dir(dirs.primary).empty());
        CHECK(mounts_at(dirs.primary + "/there") == 0);
    }

    SECTION("one, two, three ... descriptors free")
    {
        // Each extra descriptor lets new_named get one step further
        // before it fails: every such failure must unwind completely.
        bool succeeded = false;
        for (int spare = 0; spare <= 8 && !succeeded; ++spare) {
            INFO(spare << " descriptor(s) free");
            int err = 0;
            UniqueFd made;
            {
                ScopedNofile limit(static_cast<rlim_t>(free_fd + spare));
                auto r = new_named(dirs, "new");
                if (r)
                    made = std::move(r).value();
                err = err_of(r);
            }
            if (err == 0) {
                succeeded = true;
                CHECK(thread_ns_id() == fd_ns_id(made.get()));
                REQUIRE(set(home->get()).ok());
                made.reset();
                CHECK(delete_named(dirs, "new").ok());
            } else {
                CHECK(err == EMFILE);
            }
            CHECK(thread_ns_id() == home_id);
            CHECK(fd_count() == fds);
            CHECK(list_dir(dirs.primary) == std::vector<std::string>{"there"});
            CHECK(mounts_at(dirs.primary + "/new") == 0);

            // The same for new_.
            {
                ScopedNofile limit(static_cast<rlim_t>(free_fd + spare));
                auto r = new_();
                if (r)
                    made = std::move(r).value();
                err = err_of(r);
            }
            if (err == 0) {
                REQUIRE(set(home->get()).ok());
                made.reset();
            } else {
                CHECK(err == EMFILE);
            }
            CHECK(thread_ns_id() == home_id);
            CHECK(fd_count() == fds);
        }
        CHECK(succeeded);
        CHECK(delete_named(dirs, "there").ok());
    }
}

TEST_CASE("real fault: read-only run directory", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home_id = thread_ns_id();
    const int fds = fd_count();

    SECTION("a read-only tmpfs as the run dir")
    {
        const std::string ro = scratch / "ro";
        REQUIRE(::mkdir(ro.c_str(), 0755) == 0);
        REQUIRE(::mount("netns-test-ro", ro.c_str(), "tmpfs", MS_RDONLY, "mode=0755") == 0);
        const auto mounts0 = mounts_under(scratch.path());

        auto r = new_named(RunDirs{ro, ""}, "n0");
        CHECK(err_of(r) == EROFS);
        CHECK(list_dir(ro).empty());
        CHECK(mounts_under(scratch.path()) == mounts0);

        // A run dir to be made inside the read-only fs.
        auto r2 = new_named(RunDirs{ro + "/netns", ""}, "n0");
        CHECK(err_of(r2) == EROFS);
        CHECK_FALSE(exists(ro + "/netns"));
        CHECK(mounts_under(scratch.path()) == mounts0);
    }

    SECTION("the run dir bound read-only after names were made")
    {
        const RunDirs dirs{scratch / "netns", ""};
        auto home = get();
        REQUIRE(home.ok());
        {
            auto made = new_named(dirs, "kept");
            REQUIRE(made.ok());
            REQUIRE(set(home->get()).ok());
        }
        // The run dir is a mount point now (its self-bind): make it
        // read-only.
        REQUIRE(::mount(nullptr, dirs.primary.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY,
                        nullptr) == 0);
        const auto mounts0 = mounts_under(scratch.path());

        auto r = new_named(dirs, "n1");
        CHECK(err_of(r) == EROFS);
        CHECK(thread_ns_id() == home_id);
        CHECK(list_dir(dirs.primary) == std::vector<std::string>{"kept"});
        CHECK(mounts_under(scratch.path()) == mounts0);

        // The existing name still opens.
        CHECK(get_from_name(dirs, "kept").ok());

        // Deleting cannot unlink: EROFS. The entry is still there (maybe
        // unmounted); once writable again, a retry removes it.
        auto st = delete_named(dirs, "kept");
        CHECK(err_of(st) == EROFS);
        CHECK(exists(dirs.primary + "/kept"));
        if (!get_from_name(dirs, "kept").ok())
            WARN("a delete that failed with EROFS left \"kept\" unmounted (a plain file)");
        REQUIRE(::mount(nullptr, dirs.primary.c_str(), nullptr, MS_REMOUNT | MS_BIND, nullptr) == 0);
        CHECK(delete_named(dirs, "kept").ok());
        CHECK(list_dir(dirs.primary).empty());
        CHECK(mounts_at(dirs.primary + "/kept") == 0);
    }
    CHECK(thread_ns_id() == home_id);
    CHECK(fd_count() == fds);
}

TEST_CASE("real fault: the run directory cannot be created", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home_id = thread_ns_id();
    const std::string file = scratch / "file";
    {
        int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        ::close(fd);
    }
    const int fds = fd_count();
    const auto mounts0 = mounts_under(scratch.path());

    SECTION("its parent is a regular file")
    {
        const RunDirs dirs{file + "/netns", ""};
        CHECK(err_of(new_named(dirs, "n0")) == ENOTDIR);
        CHECK(err_of(get_from_name(dirs, "n0")) == ENOTDIR);
        CHECK(err_of(delete_named(dirs, "n0")) == ENOTDIR);
        CHECK(err_of(prepare_run_dir(dirs.primary)) == ENOTDIR);
    }
    SECTION("it is a regular file")
    {
        const RunDirs dirs{file, ""};
        CHECK(err_of(new_named(dirs, "n0")) == ENOTDIR);
        CHECK(err_of(get_from_name(dirs, "n0")) == ENOTDIR);
        CHECK(err_of(delete_named(dirs, "n0")) == ENOTDIR);
    }
    SECTION("through the C facade's environment: $NETNS_RUN_DIR under a file")
    {
        ScopedEnv env("NETNS_RUN_DIR", (file + "/netns").c_str());
        CHECK(err_of(new_named(system_run_dirs(), "n0")) == ENOTDIR);
    }
    CHECK(thread_ns_id() == home_id);
    CHECK(fd_count() == fds);
    CHECK(mounts_under(scratch.path()) == mounts0);
    struct stat st;
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK(st.st_size == 0);
}

TEST_CASE("real fault: names taken by things libnetns did not make", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string home_id = thread_ns_id();
    const RunDirs dirs{scratch / "netns", ""};
    REQUIRE(mkdir_p(dirs.primary, 0755).ok());
    const std::string dir = dirs.primary + "/adir";
    const std::string plain = dirs.primary + "/afile";
    REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
    REQUIRE(::mkdir((dir + "/inside").c_str(), 0755) == 0);
    {
        int fd = ::open(plain.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, "x", 1) == 1);
        ::close(fd);
    }
    const int fds = fd_count();

    SECTION("a directory")
    {
        // A mount on something inside it must survive too. (Prepare the
        // run dir first: its recursive self-bind would copy the mount.)
        REQUIRE(prepare_run_dir(dirs.primary).ok());
        REQUIRE(::mount("netns-test-inner", (dir + "/inside").c_str(), "tmpfs", 0, nullptr) == 0);
        REQUIRE(mounts_at(dir + "/inside") == 1);
        CHECK(err_of(new_named(dirs, "adir")) == EEXIST);
        CHECK(err_of(delete_named(dirs, "adir")) == EISDIR);
        CHECK(err_of(get_from_name(dirs, "adir")) == EINVAL);
        struct stat st;
        REQUIRE(::stat(dir.c_str(), &st) == 0);
        CHECK(S_ISDIR(st.st_mode));
        CHECK(exists(dir + "/inside"));
        CHECK(mounts_at(dir + "/inside") == 1);
        CHECK(mounts_at(dir) == 0);
    }
    SECTION("a plain file")
    {
        CHECK(err_of(new_named(dirs, "afile")) == EEXIST);
        CHECK(err_of(get_from_name(dirs, "afile")) == EINVAL);
        struct stat st;
        REQUIRE(::stat(plain.c_str(), &st) == 0);
        CHECK(st.st_size == 1); // untouched by the failed create
        // A plain file is what a half-finished create leaves; delete
        // removes it.
        CHECK(delete_named(dirs, "afile").ok());
        CHECK_FALSE(exists(plain));
    }
    SECTION("a FIFO: lookups do not block")
    {
        const std::string fifo = dirs.primary + "/afifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
        CHECK(err_of(get_from_name(dirs, "afifo")) == EINVAL);
        CHECK(err_of(new_named(dirs, "afifo")) == EEXIST);
        CHECK(delete_named(dirs, "afifo").ok());
    }
    SECTION("a symlink to a mount point: delete removes the link only")
    {
        const std::string target = scratch / "target";
        REQUIRE(::mkdir(target.c_str(), 0755) == 0);
        REQUIRE(::mount("netns-test-target", target.c_str(), "tmpfs", 0, nullptr) == 0);
        const std::string link = dirs.primary + "/alink";
        REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
        CHECK(err_of(new_named(dirs, "alink")) == EEXIST);
        CHECK(err_of(get_from_name(dirs, "alink")) == EINVAL);
        CHECK(delete_named(dirs, "alink").ok());
        CHECK_FALSE(exists(link));
        CHECK(mounts_at(target) == 1);
    }
    CHECK(thread_ns_id() == home_id);
    CHECK(fd_count() == fds);
    CHECK(mounts_at(dirs.primary + "/adir") == 0);
}

// ---------------------------------------------------------------------
// The docker lookup: through a fake daemon, and through a fake cgroup tree.

namespace {

// A daemon on a unix socket that answers every request with one canned
// inspect reply. It runs in a child process, so that its descriptors never
// show in this process's fd count.
class FakeDaemon {
public:
    FakeDaemon(const std::string &path, std::string reply) : path_(path)
    {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd >= 0);
        struct sockaddr_un addr {};
        addr.sun_family = AF_UNIX;
        REQUIRE(path.size() < sizeof addr.sun_path);
        std::memcpy(addr.sun_path, path.data(), path.size());
        REQUIRE(::bind(fd, reinterpret_cast<struct sockaddr *>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(fd, 16) == 0);
        pid_ = ::fork();
        if (pid_ == 0) {
            serve(fd, reply);
            ::_exit(0);
        }
        ::close(fd);
        REQUIRE(pid_ > 0);
    }
    ~FakeDaemon()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            int status;
            (void)::waitpid(pid_, &status, 0);
        }
        ::unlink(path_.c_str());
    }
    FakeDaemon(const FakeDaemon &) = delete;
    FakeDaemon &operator=(const FakeDaemon &) = delete;

private:
    static void serve(int fd, const std::string &reply)
    {
        for (;;) {
            int c = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) {
                if (errno != EINTR && errno != ECONNABORTED)
                    return;
                continue;
            }
            // Read the request head (the client may give up half-way).
            std::string req;
            char buf[4096];
            struct pollfd p = {c, POLLIN, 0};
            while (req.find("\r\n\r\n") == std::string::npos && ::poll(&p, 1, 2000) > 0) {
                ssize_t n = ::read(c, buf, sizeof buf);
                if (n <= 0)
                    break;
                req.append(buf, static_cast<size_t>(n));
            }
            if (req.find("\r\n\r\n") != std::string::npos)
                (void)::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
            ::close(c);
        }
    }

    std::string path_;
    pid_t pid_ = -1;
};

std::string inspect_reply(pid_t pid)
{
    std::string body = "{\"Id\":\"0123456789abcdef\",\"State\":{\"Running\":true,\"Pid\":" +
                       std::to_string(pid) + "}}";
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void write_text(const std::string &path, const std::string &text)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    ::close(fd);
}

// Sweeps get_from_docker: after an injected failure the call failed
// with the injected errno (or, where the lookup legitimately goes on past a
// failing step, succeeded with the right namespace), nothing leaked and
// the thread did not move.
void sweep_docker(const char *what, const DockerSources &src, const std::string &scratch)
{
    const std::string want = thread_ns_id(); // the container "is" this process
    for (int err : kErrnos) {
        Disarm disarm;
        unsigned n = 1, absorbed = 0;
        for (;; ++n) {
            INFO(what << ": failing wrapped call #" << n << " with " << std::strerror(err));
            REQUIRE(n < 500);
            const int fds = fd_count();
            fault::arm(n, err);
            auto r = get_from_docker("0123456789ab", src);
            const bool fired = fault::fired();
            fault::disarm();
            CHECK(thread_ns_id() == want);
            if (r) {
                CHECK(fd_ns_id(r->get()) == want);
                r->reset();
            }
            CHECK(fd_count() == fds);
            CHECK(mounts_under(scratch).empty());
            if (!fired) {
                CHECK(r.ok());
                break;
            }
            if (!r)
                CHECK(r.error() == err);
            else
                ++absorbed;
        }
        std::printf("%s, %s: %u call sites, %u failures absorbed\n", what, std::strerror(err), n - 1,
                    absorbed);
        CHECK(n > 1);
    }
}

} // namespace

TEST_CASE("fault: docker lookup through a daemon", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string sock = scratch / "docker.sock";
    FakeDaemon daemon(sock, inspect_reply(getpid()));
    DockerSources src;
    src.sockets = {scratch / "absent.sock", sock};
    src.cgroup_root = "";
    src.proc_root = "/proc";
    src.timeout_ms = 5000;
    auto ok = get_from_docker("0123456789ab", src);
    REQUIRE(ok.ok());
    ok->reset();
    sweep_docker("docker (daemon)", src, scratch.path());
}

TEST_CASE("fault: docker lookup through the cgroup tree", "[fault]")
{
    Scratch scratch;
    netns::test::SetGuard keep;
    const std::string root = scratch / "cgroup";
    const std::string id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    REQUIRE(mkdir_p(root + "/system.slice/docker-" + id + ".scope", 0755).ok());
    write_text(root + "/system.slice/docker-" + id + ".scope/cgroup.procs",
               std::to_string(getpid()) + "\n");
    DockerSources src;
    src.sockets = {scratch / "absent.sock"}; // no daemon: the cgroup search
    src.cgroup_root = root;
    src.proc_root = "/proc";
    src.timeout_ms = 1000;
    auto ok = get_from_docker("0123456789ab", src);
    REQUIRE(ok.ok());
    ok->reset();
    sweep_docker("docker (cgroup)", src, scratch.path());
}
