// SPDX-License-Identifier: Apache-2.0
// Creating, naming and deleting through the C API (netns.h's third group),
// without moving the caller: netns_create (anonymous and named),
// netns_create_at and netns_delete_at. Every
// call, successful or not, must leave the calling thread where it was and
// leak no descriptor. Runs in the sandbox (sandbox.h): /run is private.
#include "catch.hpp"
#include "capi_guards.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <cstdlib>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <map>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

using netns::test::default_dir;
using netns::test::exists;
using netns::test::fd_count;
using netns::test::fd_ns_id;
using netns::test::Handle;
using netns::test::list_dir;
using netns::test::mounts_at;
using netns::test::NameGuard;
using netns::test::PrivateRunDir;
using netns::test::ScopedEnv;
using netns::test::TempDir;
using netns::test::thread_ns_id;
using netns::test::unique_name;
using netns::test::UnmountAtExit;
using netns::test::without_dac_override;

namespace {

// Removes a path made by netns_create_at at scope exit.
struct AtGuard {
    std::string path;
    ~AtGuard() { (void)netns_delete_at(path.c_str()); }
};

// Leaves exactly `spare` descriptors free: every number below the highest
// open one is filled, and RLIMIT_NOFILE is set just above. Restored (limit
// first, then the fillers closed) at scope exit. Catch2 assertions must
// not run while it is in force.
class SpareFds {
public:
    explicit SpareFds(int spare)
    {
        getrlimit(RLIMIT_NOFILE, &old_);
        int highest = 0;
        for (const auto &e : list_dir("/proc/self/fd"))
            highest = std::max(highest, std::stoi(e));
        for (;;) {
            int f = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (f < 0)
                break;
            if (f > highest) {
                close(f);
                break;
            }
            fillers_.push_back(f);
        }
        struct rlimit low = old_;
        low.rlim_cur = static_cast<rlim_t>(highest + 1 + spare);
        ok_ = setrlimit(RLIMIT_NOFILE, &low) == 0;
    }
    ~SpareFds()
    {
        setrlimit(RLIMIT_NOFILE, &old_);
        for (int f : fillers_)
            close(f);
    }
    bool ok() const { return ok_; }
    SpareFds(const SpareFds &) = delete;
    SpareFds &operator=(const SpareFds &) = delete;

private:
    struct rlimit old_ {};
    std::vector<int> fillers_;
    bool ok_ = false;
};

// A read-only bind mount of dir onto itself; taken down by the caller's
// UnmountAtExit.
bool make_read_only(const std::string &dir)
{
    return mount(dir.c_str(), dir.c_str(), "none", MS_BIND, nullptr) == 0 &&
           mount("none", dir.c_str(), "none", MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) == 0;
}

ino_t inode_of(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

} // namespace

// ---------------------------------------------------------------------
// netns_create(NULL)

TEST_CASE("netns_create(NULL) makes an anonymous namespace without moving the caller", "[create]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    const auto entries = list_dir(default_dir);
    // Once first: a sanitizer may start a thread of its own at the first
    // thread creation, which must not count as one left behind.
    {
        int warm = netns_create(nullptr);
        REQUIRE(warm >= 0);
        netns_close(&warm);
    }
    const int fds = fd_count();
    const int tasks = netns::test::thread_count();

    int h = netns_create(nullptr);
    REQUIRE(h >= 0);
    Handle guard(h);
    CHECK(thread_ns_id() == home);
    CHECK(fd_ns_id(h) != home);
    CHECK(fcntl(h, F_GETFD) == FD_CLOEXEC);
    CHECK(netns_is_netns(h) == 1);
    CHECK(netns_type(h) == NETNS_CLONE_NEWNET);
    CHECK(fd_count() == fds + 1);
    // No entry anywhere, and the helper thread has ended.
    CHECK(list_dir(default_dir) == entries);
    CHECK(netns::test::threads_settle_to(tasks));

    SECTION("each call makes another namespace")
    {
        int h2 = netns_create(nullptr);
        REQUIRE(h2 >= 0);
        CHECK(netns_equal(h, h2) == 0);
        CHECK(fd_ns_id(h2) != home);
        CHECK(netns_close(&h2) == 0);
    }
    SECTION("alive while the handle is open: it can be entered")
    {
        // The creating thread is gone; only the handle holds it.
        const std::string id = fd_ns_id(h);
        REQUIRE(netns_set(h) == 0);
        CHECK(thread_ns_id() == id);
        int now = netns_get();
        CHECK(netns_equal(now, h) == 1);
        netns_close(&now);
    }
    SECTION("a duplicate keeps it alive after the first handle is closed")
    {
        const std::string id = fd_ns_id(h);
        int dup = fcntl(h, F_DUPFD_CLOEXEC, 0);
        REQUIRE(dup >= 0);
        REQUIRE(netns_close(&guard.fd) == 0);
        REQUIRE(netns_set(dup) == 0);
        CHECK(thread_ns_id() == id);
        close(dup);
    }
}

TEST_CASE("netns_create(NULL) leaks nothing over many calls", "[create][leaks]")
{
    const std::string home = thread_ns_id();
    const int fds = fd_count();
    const int tasks = netns::test::thread_count();
    for (int i = 0; i < 50; ++i) {
        int h = netns_create(nullptr);
        REQUIRE(h >= 0);
        REQUIRE(netns_close(&h) == 0);
    }
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
    CHECK(netns::test::threads_settle_to(tasks));
}

// ---------------------------------------------------------------------
// netns_create(name)

TEST_CASE("netns_create(name) persists a name without moving the caller", "[create][named]")
{
    ScopedEnv env("NETNS_RUN_DIR", nullptr);
    const std::string home = thread_ns_id();
    const int fds = fd_count();
    NameGuard g{unique_name("create")};
    const std::string path = default_dir + "/" + g.name;

    int h = netns_create(g.name.c_str());
    REQUIRE(h >= 0);
    Handle guard(h);
    CHECK(thread_ns_id() == home);
    CHECK(fd_ns_id(h) != home);
    CHECK(fcntl(h, F_GETFD) == FD_CLOEXEC);
    CHECK(exists(path));
    CHECK(mounts_at(path) == 1);
    CHECK(fd_count() == fds + 1);

    // netns_get_from_name opens it, also after the handle is gone.
    int found = netns_get_from_name(g.name.c_str());
    REQUIRE(found >= 0);
    CHECK(netns_equal(found, h) == 1);
    CHECK(netns_close(&found) == 0);
    const std::string id = fd_ns_id(h);
    REQUIRE(netns_close(&guard.fd) == 0);
    found = netns_get_from_name(g.name.c_str());
    REQUIRE(found >= 0);
    CHECK(fd_ns_id(found) == id);
    CHECK(netns_close(&found) == 0);

    // A second create of the name fails and changes nothing.
    CHECK(netns_create(g.name.c_str()) == -EEXIST);
    CHECK(thread_ns_id() == home);
    CHECK(mounts_at(path) == 1);
    found = netns_get_from_name(g.name.c_str());
    REQUIRE(found >= 0);
    CHECK(fd_ns_id(found) == id);
    CHECK(netns_close(&found) == 0);

    CHECK(netns_delete_named(g.name.c_str()) == 0);
    CHECK_FALSE(exists(path));
    CHECK(mounts_at(path) == 0);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);
}

TEST_CASE("netns_create(name) is seen by `ip netns`", "[create][named][iproute2]")
{
    if (!netns::test::have_program("ip")) {
        WARN("iproute2 is not installed: skipping the `ip netns` checks");
        return;
    }
    ScopedEnv env("NETNS_RUN_DIR", nullptr);
    NameGuard g{unique_name("ipcreate")};
    int h = netns_create(g.name.c_str());
    REQUIRE(h >= 0);
    Handle guard(h);
    CHECK(netns::test::run_command("ip netns list | grep -qx '" + g.name +
                                   "\\( (id: [0-9]*)\\)\\?'") == 0);
    TempDir tmp;
    const std::string out = tmp / "ino";
    CHECK(netns::test::run_command("ip netns exec " + g.name +
                                   " stat -L -c %i /proc/self/ns/net > " + out) == 0);
    CHECK(netns::test::read_file(out) == std::to_string(inode_of(h)) + "\n");
    // And `ip netns delete` removes it: our handle keeps the namespace.
    CHECK(netns::test::run_command("ip netns delete " + g.name) == 0);
    CHECK(netns_get_from_name(g.name.c_str()) == -ENOENT);
    CHECK(netns_is_netns(h) == 1);
}

TEST_CASE("netns_create(name) failures leave the caller, the run dir and the fds alone",
          "[create][named][errors]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    TempDir tmp;
    const std::string longname(300, 'x');

    SECTION("bad names: EINVAL")
    {
        PrivateRunDir run;
        ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
        const int fds = fd_count();
        for (const char *bad : {"", ".", "..", "a/b", "/abs", "a/", longname.c_str()}) {
            INFO(bad);
            CHECK(netns_create(bad) == -EINVAL);
            CHECK(thread_ns_id() == home);
        }
        CHECK(list_dir(run.dir).empty());
        CHECK(fd_count() == fds);
    }
    SECTION("an existing entry of any kind: EEXIST")
    {
        PrivateRunDir run;
        ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
        REQUIRE(mkdir(run.dir.c_str(), 0755) == 0);
        REQUIRE(mkdir((run.dir + "/adir").c_str(), 0755) == 0);
        close(open((run.dir + "/afile").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
        REQUIRE(symlink((tmp / "nothing").c_str(), (run.dir + "/dangling").c_str()) == 0);
        const int fds = fd_count();
        for (const char *name : {"adir", "afile", "dangling"}) {
            INFO(name);
            CHECK(netns_create(name) == -EEXIST);
            CHECK(thread_ns_id() == home);
        }
        CHECK(list_dir(run.dir) == std::vector<std::string>{"adir", "afile", "dangling"});
        CHECK(mounts_at(run.dir + "/afile") == 0);
        CHECK(fd_count() == fds);
    }
    SECTION("the run dir is a file: ENOTDIR")
    {
        const std::string file = tmp / "file";
        close(open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
        const int fds = fd_count();
        for (const std::string &dir : {file, file + "/netns"}) {
            INFO(dir);
            ScopedEnv env("NETNS_RUN_DIR", dir.c_str());
            CHECK(netns_create("x") == -ENOTDIR);
            CHECK(thread_ns_id() == home);
        }
        CHECK(fd_count() == fds);
    }
    SECTION("a read-only run dir: EROFS")
    {
        // The run dir itself read-only, and a missing run dir in a
        // read-only parent.
        const std::string ro = tmp / "ro";
        REQUIRE(mkdir(ro.c_str(), 0755) == 0);
        REQUIRE(mkdir((ro + "/netns").c_str(), 0755) == 0);
        UnmountAtExit unmount(ro);
        REQUIRE(make_read_only(ro + "/netns"));
        {
            // The run dir's self-bind (shared) is stacked on the read-only
            // mount by the call that fails: take it down too.
            UnmountAtExit unmount_run(ro + "/netns");
            ScopedEnv env("NETNS_RUN_DIR", (ro + "/netns").c_str());
            const int fds = fd_count();
            CHECK(netns_create("x") == -EROFS);
            CHECK(thread_ns_id() == home);
            CHECK(list_dir(ro + "/netns").empty());
            CHECK(fd_count() == fds);
        }
        REQUIRE(make_read_only(ro));
        ScopedEnv env("NETNS_RUN_DIR", (ro + "/missing").c_str());
        const int fds = fd_count();
        CHECK(netns_create("x") == -EROFS);
        CHECK(thread_ns_id() == home);
        CHECK_FALSE(exists(ro + "/missing"));
        CHECK(fd_count() == fds);
    }
    SECTION("a run dir the caller may not write: EACCES")
    {
        PrivateRunDir run;
        ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
        REQUIRE(mkdir(run.dir.c_str(), 0555) == 0);
        const int fds = fd_count();
        int rc = 0;
        std::string where;
        without_dac_override([&] {
            rc = netns_create("x");
            where = thread_ns_id();
        });
        CHECK(rc == -EACCES);
        CHECK(where == home);
        CHECK(list_dir(run.dir).empty());
        CHECK(fd_count() == fds);
    }
}

TEST_CASE("netns_create with no descriptor to spare: EMFILE, nothing moved or left",
          "[create][errors][rlimit]")
{
    if (std::getenv("NETNS_TEST_UNDER_VALGRIND") != nullptr) {
        WARN("skipped under valgrind: it emulates RLIMIT_NOFILE and refuses to lower it here");
        return;
    }
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    PrivateRunDir run;
    ScopedEnv env("NETNS_RUN_DIR", run.dir.c_str());
    // Prepare the run dir so that every call below does the same work.
    {
        int warm = netns_create("warmup");
        REQUIRE(warm >= 0);
        netns_close(&warm);
        REQUIRE(netns_delete_named("warmup") == 0);
    }
    const int fds = fd_count();

    struct Outcome {
        int spare;
        std::string what;
        int rc;
        bool moved;
        std::vector<std::string> entries; // what the run dir holds after
    };
    std::vector<Outcome> outcomes;
    for (int spare = 0; spare <= 4; ++spare) {
        for (const char *what : {"anonymous", "named", "at"}) {
            const std::string name = "lim" + std::to_string(spare);
            int rc;
            bool moved;
            {
                SpareFds limit(spare);
                if (!limit.ok())
                    FAIL("setrlimit failed");
                if (std::strcmp(what, "anonymous") == 0)
                    rc = netns_create(nullptr);
                else if (std::strcmp(what, "named") == 0)
                    rc = netns_create(name.c_str());
                else
                    rc = netns_create_at((run.dir + "/" + name).c_str());
                moved = thread_ns_id() != home; // stat: no descriptor needed
            }
            outcomes.push_back({spare, what, rc, moved, list_dir(run.dir)});
            if (rc >= 0)
                close(rc);
            (void)netns_delete_named(name.c_str());
        }
    }
    bool saw_emfile = false, saw_success = false;
    for (const auto &o : outcomes) {
        INFO(o.what << " with " << o.spare << " spare fds returned " << o.rc);
        CHECK((o.rc >= 0 || o.rc == -EMFILE));
        CHECK_FALSE(o.moved);
        if (o.rc < 0)
            CHECK(o.entries.empty());
        saw_emfile |= o.rc == -EMFILE;
        saw_success |= o.rc >= 0;
        if (o.spare == 0)
            CHECK(o.rc == -EMFILE);
    }
    CHECK(saw_emfile);
    CHECK(saw_success);
    CHECK(list_dir(run.dir).empty());
    CHECK(fd_count() == fds);
}

// ---------------------------------------------------------------------
// netns_create_at / netns_delete_at

TEST_CASE("netns_create_at persists at a path, netns_delete_at removes it", "[create_at]")
{
    const std::string home = thread_ns_id();
    TempDir tmp;
    UnmountAtExit unmount(tmp.path());
    const std::string path = tmp / "ns";
    const int fds = fd_count();

    int h = netns_create_at(path.c_str());
    REQUIRE(h >= 0);
    AtGuard g{path};
    CHECK(thread_ns_id() == home);
    CHECK(fd_ns_id(h) != home);
    CHECK(fcntl(h, F_GETFD) == FD_CLOEXEC);
    CHECK(mounts_at(path) == 1);
    int found = netns_get_from_path(path.c_str());
    REQUIRE(found >= 0);
    CHECK(netns_equal(found, h) == 1);
    netns_close(&found);
    // The mount keeps it alive without the handle.
    const std::string id = fd_ns_id(h);
    REQUIRE(netns_close(&h) == 0);
    found = netns_get_from_path(path.c_str());
    REQUIRE(found >= 0);
    CHECK(fd_ns_id(found) == id);
    netns_close(&found);
    CHECK(fd_count() == fds);

    // A second create at the same path.
    CHECK(netns_create_at(path.c_str()) == -EEXIST);
    CHECK(mounts_at(path) == 1);

    CHECK(netns_delete_at(path.c_str()) == 0);
    CHECK_FALSE(exists(path));
    CHECK(mounts_at(path) == 0);
    CHECK(netns_delete_at(path.c_str()) == -ENOENT);
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);

    SECTION("a relative path")
    {
        struct Cwd {
            int fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
            ~Cwd()
            {
                (void)fchdir(fd);
                close(fd);
            }
        } cwd;
        REQUIRE(chdir(tmp.path().c_str()) == 0);
        int r = netns_create_at("rel");
        REQUIRE(r >= 0);
        CHECK(mounts_at(tmp / "rel") == 1);
        netns_close(&r);
        CHECK(netns_delete_at("rel") == 0);
        CHECK_FALSE(exists(tmp / "rel"));
    }
}

TEST_CASE("netns_delete_at takes down every stacked mount", "[create_at]")
{
    const std::string home = thread_ns_id();
    TempDir tmp;
    UnmountAtExit unmount(tmp.path());
    const std::string path = tmp / "ns";
    int h = netns_create_at(path.c_str());
    REQUIRE(h >= 0);
    AtGuard g{path};
    // Two more mounts on it, as `ip netns attach` or a second bind would.
    int other = netns_create(nullptr);
    REQUIRE(other >= 0);
    const std::string src = "/proc/self/fd/" + std::to_string(other);
    REQUIRE(mount(src.c_str(), path.c_str(), "none", MS_BIND, nullptr) == 0);
    REQUIRE(mount(src.c_str(), path.c_str(), "none", MS_BIND, nullptr) == 0);
    CHECK(mounts_at(path) == 3);
    netns_close(&other);
    netns_close(&h);
    const int fds = fd_count();

    CHECK(netns_delete_at(path.c_str()) == 0);
    CHECK(mounts_at(path) == 0);
    CHECK_FALSE(exists(path));
    CHECK(thread_ns_id() == home);
    CHECK(fd_count() == fds);

    SECTION("a stale entry (a file, nothing mounted) is removed too")
    {
        close(open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0));
        CHECK(netns_delete_at(path.c_str()) == 0);
        CHECK_FALSE(exists(path));
    }
}

TEST_CASE("netns_create_at and netns_delete_at errors", "[create_at][errors]")
{
    netns::test::SetGuard keep;
    const std::string home = thread_ns_id();
    TempDir tmp;
    UnmountAtExit unmount(tmp.path());
    const std::string file = tmp / "file", dir = tmp / "dir", dangling = tmp / "dangling";
    close(open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    REQUIRE(mkdir(dir.c_str(), 0755) == 0);
    REQUIRE(symlink((tmp / "nothing").c_str(), dangling.c_str()) == 0);
    const std::string longname(300, 'x');
    const auto before = list_dir(tmp.path());
    const int fds = fd_count();

    struct Row {
        std::string what;
        const char *path;
        int create_err; // what netns_create_at gives
        int delete_err; // what netns_delete_at gives
    };
    const std::string trailing = dir + "/", dot = dir + "/.", dotdot = dir + "/..",
                      missing_dir = tmp / "missing/ns", under_file = file + "/ns",
                      toolong = tmp / longname, missing = tmp / "missing";
    std::string deep = tmp.path();
    while (deep.size() <= PATH_MAX)
        deep += "/a";
    const std::vector<Row> rows = {
        {"NULL", nullptr, -EINVAL, -EINVAL},
        {"\"\"", "", -EINVAL, -EINVAL},
        {"trailing /", trailing.c_str(), -EINVAL, -EINVAL},
        {"/.", dot.c_str(), -EINVAL, -EINVAL},
        {"/..", dotdot.c_str(), -EINVAL, -EINVAL},
        {".", ".", -EINVAL, -EINVAL},
        {"..", "..", -EINVAL, -EINVAL},
        {"/", "/", -EINVAL, -EINVAL},
        {"regular file", file.c_str(), -EEXIST, 0 /* checked below */},
        {"dangling symlink", dangling.c_str(), -EEXIST, 0},
        {"directory", dir.c_str(), -EEXIST, -EISDIR},
        {"missing directory", missing_dir.c_str(), -ENOENT, -ENOENT},
        {"missing file", missing.c_str(), 0, -ENOENT},
        {"under a file", under_file.c_str(), -ENOTDIR, -ENOTDIR},
        {"300-char component", toolong.c_str(), -ENAMETOOLONG, -ENAMETOOLONG},
        {"past PATH_MAX", deep.c_str(), -ENAMETOOLONG, -ENAMETOOLONG},
        {"/proc/self/ns/net", "/proc/self/ns/net", -EEXIST, -EINVAL},
        {"/proc/thread-self/ns/net", "/proc/thread-self/ns/net", -EEXIST, -EINVAL},
    };
    for (const auto &r : rows) {
        INFO(r.what);
        if (r.create_err != 0) {
            CHECK(netns_create_at(r.path) == r.create_err);
            CHECK(thread_ns_id() == home);
        }
        if (r.delete_err != 0) {
            CHECK(netns_delete_at(r.path) == r.delete_err);
            CHECK(thread_ns_id() == home);
        }
    }
    // Nothing was made, removed or mounted.
    CHECK(list_dir(tmp.path()) == before);
    CHECK(netns::test::mounts_under(tmp.path()).empty());
    CHECK(exists(dir));
    CHECK(fd_count() == fds);

    SECTION("a read-only directory: EROFS")
    {
        REQUIRE(make_read_only(dir));
        CHECK(netns_create_at((dir + "/ns").c_str()) == -EROFS);
        CHECK_FALSE(exists(dir + "/ns"));
        CHECK(thread_ns_id() == home);
        CHECK(fd_count() == fds);
    }
    SECTION("a directory the caller may not write: EACCES")
    {
        REQUIRE(chmod(dir.c_str(), 0555) == 0);
        int rc = 0;
        std::string where;
        without_dac_override([&] {
            rc = netns_create_at((dir + "/ns").c_str());
            where = thread_ns_id();
        });
        CHECK(rc == -EACCES);
        CHECK(where == home);
        CHECK_FALSE(exists(dir + "/ns"));
        CHECK(fd_count() == fds);
    }
}

TEST_CASE("a path made by netns_create_at works with nsenter and ip netns", "[create_at][iproute2]")
{
    TempDir tmp;
    UnmountAtExit unmount(tmp.path());
    const std::string path = tmp / "ns", out = tmp / "ino";
    int h = netns_create_at(path.c_str());
    REQUIRE(h >= 0);
    Handle guard(h);
    AtGuard g{path};
    const std::string ino = std::to_string(inode_of(h)) + "\n";

    if (netns::test::have_program("nsenter")) {
        CHECK(netns::test::run_command("nsenter --net=" + path +
                                       " stat -L -c %i /proc/self/ns/net > " + out) == 0);
        CHECK(netns::test::read_file(out) == ino);
    } else {
        WARN("nsenter is not installed: skipping it");
    }
    if (netns::test::have_program("ip")) {
        // `ip netns exec` takes a name: make the file in the sandbox's
        // default run dir, which iproute2 reads.
        ScopedEnv env("NETNS_RUN_DIR", nullptr);
        (void)mkdir(default_dir.c_str(), 0755);
        const std::string name = unique_name("at");
        const std::string named = default_dir + "/" + name;
        int n = netns_create_at(named.c_str());
        REQUIRE(n >= 0);
        Handle nguard(n);
        AtGuard ng{named};
        CHECK(netns::test::run_command("ip netns exec " + name +
                                       " stat -L -c %i /proc/self/ns/net > " + out) == 0);
        CHECK(netns::test::read_file(out) == std::to_string(inode_of(n)) + "\n");
        CHECK(netns::test::run_command("ip netns list | grep -qx '" + name +
                                       "\\( (id: [0-9]*)\\)\\?'") == 0);
        // And one made by `ip netns add` is removed by netns_delete_at.
        const std::string theirs = unique_name("theirs");
        REQUIRE(netns::test::run_command("ip netns add " + theirs) == 0);
        CHECK(netns_delete_at((default_dir + "/" + theirs).c_str()) == 0);
        CHECK_FALSE(exists(default_dir + "/" + theirs));
    } else {
        WARN("iproute2 is not installed: skipping the `ip netns` checks");
    }
}
