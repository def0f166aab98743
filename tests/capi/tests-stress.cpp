// SPDX-License-Identifier: Apache-2.0
// Stress tests of the C API: many threads switching network
// namespaces at random, and named namespaces created and deleted under
// contention. Every run prints its seed; NETNS_STRESS_SEED=<n> replays a
// thread's sequence of operations (the interleaving of threads is up to the
// scheduler). Iteration counts are fixed; nothing here is timed.
#include "catch.hpp"
#include "helpers.hpp"

#include <netns/netns.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace netns::test;

namespace {

uint64_t stress_seed()
{
    static const uint64_t seed = [] {
        const char *env = std::getenv("NETNS_STRESS_SEED");
        if (env != nullptr && *env != '\0')
            return static_cast<uint64_t>(std::strtoull(env, nullptr, 0));
        return static_cast<uint64_t>(std::random_device{}()) << 32 ^
               static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    }();
    return seed;
}

// Failures found by worker threads. Catch2's assertions are not
// thread-safe, so threads record here and the main thread reports.
class Failures {
public:
    void add(const std::string &what)
    {
        std::lock_guard<std::mutex> lock(mu_);
        ++count_;
        if (first_.size() < 20)
            first_.push_back(what);
    }
    int count() const
    {
        std::lock_guard<std::mutex> lock(mu_);
        return count_;
    }
    // Starts n threads running f(i); what one throws is a failure of
    // "<who> <i>".
    template <typename F> std::vector<std::thread> start(int n, const std::string &who, F f)
    {
        std::vector<std::thread> threads;
        for (int i = 0; i < n; ++i)
            threads.emplace_back([this, who, f, i] {
                try {
                    f(i);
                } catch (const std::exception &e) {
                    add(who + " " + std::to_string(i) + ": exception " + e.what());
                }
            });
        return threads;
    }
    std::string summary() const
    {
        std::lock_guard<std::mutex> lock(mu_);
        std::string s;
        for (const auto &f : first_)
            s += f + "\n";
        return s;
    }

private:
    mutable std::mutex mu_;
    int count_ = 0;
    std::vector<std::string> first_;
};

// The shared private run directory with $NETNS_RUN_DIR pointing at it. On
// destruction (also when a test fails) the names made in it are deleted and
// every mount at or under it is taken down, so nothing outlives the test.
class EnvRunDir : public PrivateRunDir {
public:
    EnvRunDir() : env_("NETNS_RUN_DIR", dir.c_str()) {}
    ~EnvRunDir()
    {
        // Before the base takes the mounts down: delete what was made.
        for (const auto &name : list_dir(dir))
            (void)netns_delete_named(name.c_str());
    }
    EnvRunDir(const EnvRunDir &) = delete;
    EnvRunDir &operator=(const EnvRunDir &) = delete;
    const std::string &path() const { return dir; }
    // Takes down the directory's own self-bind mount(s).
    void unmount_self()
    {
        while (umount2(dir.c_str(), MNT_DETACH) == 0) {
        }
    }

private:
    ScopedEnv env_;
};

// What every stress run starts and ends with: the main thread kept in its
// namespace, the run dir (set before any thread starts), the fd and mount
// counts and the seed, printed. end() checks that only the run dir's own
// self-bind mount is left under it, once, takes it down, checks the fd
// and mount counts and prints the run's time.
struct StressRun {
    const char *name;
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    SetGuard keep_main;
    EnvRunDir run;
    const int fds0 = fd_count();
    const int mounts0 = mount_count();
    const std::string mountinfo0 = read_file("/proc/self/mountinfo");
    const uint64_t seed = stress_seed();

    explicit StressRun(const char *what) : name(what)
    {
        std::printf("stress seed: %" PRIu64 " (set NETNS_STRESS_SEED to replay)\n", seed);
        std::fflush(stdout);
    }
    StressRun(const StressRun &) = delete;
    StressRun &operator=(const StressRun &) = delete;
    void end()
    {
        auto left = mounts_under(run.path());
        INFO("mounts under the run dir: " << join_words(left));
        CHECK(left == std::vector<std::string>{run.path()});
        run.unmount_self();
        CHECK(fd_count() == fds0);
        const int mounts1 = mount_count();
        INFO("mountinfo before:\n"
             << mountinfo0 << "after:\n"
             << read_file("/proc/self/mountinfo"));
        CHECK(mounts1 == mounts0);
        std::printf("%s test: %.1f s\n", name,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
};

std::string errstr(int rc)
{
    return std::to_string(rc) + (rc < 0 ? std::string(" (") + std::strerror(-rc) + ")" : "");
}

// ---------------------------------------------------------------------
// Threads switching namespaces.

constexpr int kThreads = 8;
constexpr int kOpsPerThread = 5000;
constexpr int kNamed = 4;
constexpr size_t kMaxOwned = 12; // handles a worker keeps open at once

// The 0.2 operations (create, run, run_isolated, socket) never move the
// thread: after each one the thread must still be where the library last
// put it.
enum Op {
    op_get,
    op_set,
    op_new,
    op_equal,
    op_from_name,
    op_from_pid,
    op_close,
    op_create,
    op_run,
    op_run_isolated,
    op_socket,
    op_count
};
const char *const op_names[op_count] = {"get",           "set",          "new",   "equal",
                                        "get_from_name", "get_from_pid", "close", "create",
                                        "run",           "run_isolated", "socket"};
// Relative weights. "new" and "create" are rare: each one costs an
// unshare(CLONE_NEWNET) (milliseconds) plus an asynchronous teardown in the
// kernel; "run_isolated" starts a thread.
constexpr std::array<int, op_count> op_weights = {16, 26, 8, 16, 14, 10, 17, 4, 12, 6, 8};

// What fn sees inside netns_run/netns_run_isolated.
struct Inside {
    std::string want; // the namespace's dev:ino
    bool ok = false;
};

int check_inside(void *arg)
{
    auto *in = static_cast<Inside *>(arg);
    in->ok = thread_ns_id() == in->want;
    return 17;
}

struct Shared {
    std::array<std::string, kNamed> names;
    std::array<int, kNamed> handles{};   // opened by the main thread
    std::array<std::string, kNamed> ids; // their dev:ino
    std::string main_id;                 // the main thread's namespace
    uint64_t seed = 0;
    Failures failures;
    std::array<std::array<int, op_count>, kThreads> op_counts{};
};

class Worker {
public:
    Worker(Shared &sh, int index)
        : sh_(sh), index_(index), rng_(sh.seed + 0x9e3779b97f4a7c15ull * (index + 1))
    {
    }
    ~Worker()
    {
        // Whatever happened, leave the thread where it started and close
        // every handle.
        if (orig_ >= 0)
            (void)netns_set(orig_);
        for (int &h : owned_)
            (void)netns_close(&h);
        if (orig_ >= 0)
            (void)netns_close(&orig_);
    }

    void run()
    {
        orig_ = netns_get();
        if (orig_ < 0)
            return fail("netns_get at start: " + errstr(orig_));
        expected_ = thread_ns_id();
        orig_id_ = expected_;
        if (fd_ns_id(orig_) != expected_)
            return fail("start handle is not the thread's namespace");

        std::discrete_distribution<int> pick_op(op_weights.begin(), op_weights.end());
        for (step_ = 0; step_ < kOpsPerThread && sh_.failures.count() == 0; ++step_) {
            Op op = static_cast<Op>(pick_op(rng_));
            ++sh_.op_counts[index_][op];
            if (!do_op(op))
                return;
            std::string where = thread_ns_id();
            if (where != expected_)
                return fail(std::string("after ") + op_names[op] + " the thread is in " + where +
                            ", the library says " + expected_);
        }
        // Back home, everything closed.
        if (int rc = netns_set(orig_); rc != 0)
            return fail("netns_set(orig) at the end: " + errstr(rc));
        for (int &h : owned_) {
            if (int rc = netns_close(&h); rc != 0)
                return fail("netns_close at the end: " + errstr(rc));
        }
        owned_.clear();
        if (thread_ns_id() != orig_id_)
            fail("the thread did not get back to its namespace");
    }

private:
    void fail(const std::string &what)
    {
        sh_.failures.add("thread " + std::to_string(index_) + " step " + std::to_string(step_) +
                         ": " + what);
    }

    size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

    // Any handle this thread may use: its own, the named ones, its start.
    int any_handle()
    {
        size_t n = owned_.size() + kNamed + 1;
        size_t i = below(n);
        if (i < owned_.size())
            return owned_[i];
        i -= owned_.size();
        if (i < kNamed)
            return sh_.handles[i];
        return orig_;
    }

    void keep(int h)
    {
        if (owned_.size() >= kMaxOwned) {
            size_t i = below(owned_.size());
            (void)netns_close(&owned_[i]);
            owned_.erase(owned_.begin() + static_cast<long>(i));
        }
        owned_.push_back(h);
    }

    bool do_op(Op op)
    {
        switch (op) {
        case op_get: {
            int h = netns_get();
            if (h < 0)
                return fail("netns_get: " + errstr(h)), false;
            keep(h);
            if (fd_ns_id(h) != expected_)
                return fail("netns_get gave " + fd_ns_id(h) + ", expected " + expected_), false;
            int t = netns_get_from_thread(getpid(), gettid());
            if (t < 0)
                return fail("netns_get_from_thread(self): " + errstr(t)), false;
            bool same = fd_ns_id(t) == expected_;
            (void)netns_close(&t);
            if (!same)
                return fail("netns_get_from_thread(self) is not the thread's namespace"), false;
            return true;
        }
        case op_set: {
            int h = any_handle();
            std::string id = fd_ns_id(h);
            if (int rc = netns_set(h); rc != 0)
                return fail("netns_set(" + id + "): " + errstr(rc)), false;
            expected_ = id;
            return true;
        }
        case op_new: {
            std::string before = expected_;
            int h = netns_new();
            if (h < 0)
                return fail("netns_new: " + errstr(h)), false;
            keep(h);
            expected_ = fd_ns_id(h);
            if (expected_ == before || expected_ == orig_id_ || expected_ == sh_.main_id ||
                std::find(sh_.ids.begin(), sh_.ids.end(), expected_) != sh_.ids.end())
                return fail("netns_new gave a namespace that already existed: " + expected_), false;
            return true;
        }
        case op_equal: {
            int a = below(8) == 0 ? NETNS_NONE : any_handle();
            int b = below(8) == 0 ? NETNS_NONE : any_handle();
            bool want = (a == NETNS_NONE && b == NETNS_NONE) ||
                        (a != NETNS_NONE && b != NETNS_NONE && fd_ns_id(a) == fd_ns_id(b));
            if (netns_equal(a, b) != (want ? 1 : 0))
                return fail("netns_equal(" + std::to_string(a) + ", " + std::to_string(b) +
                            ") != " + std::to_string(want)),
                       false;
            if (a != NETNS_NONE) {
                char buf[64];
                int n = netns_unique_id(a, buf, sizeof buf);
                if (n <= 0 || static_cast<size_t>(n) >= sizeof buf ||
                    std::string(buf) != "NS(" + fd_ns_id(a) + ")")
                    return fail(std::string("netns_unique_id gave ") + buf), false;
            }
            return true;
        }
        case op_from_name: {
            size_t i = below(kNamed);
            int h = netns_get_from_name(sh_.names[i].c_str());
            if (h < 0)
                return fail("netns_get_from_name(" + sh_.names[i] + "): " + errstr(h)), false;
            keep(h);
            if (fd_ns_id(h) != sh_.ids[i])
                return fail("netns_get_from_name(" + sh_.names[i] + ") is another namespace"),
                       false;
            return true;
        }
        case op_from_pid: {
            int h = netns_get_from_pid(getpid());
            if (h < 0)
                return fail("netns_get_from_pid(self): " + errstr(h)), false;
            keep(h);
            if (fd_ns_id(h) != sh_.main_id)
                return fail("netns_get_from_pid(self) is not the main thread's namespace"), false;
            return true;
        }
        case op_close: {
            if (owned_.empty()) {
                int none = NETNS_NONE;
                if (int rc = netns_close(&none); rc != -EBADF || none != NETNS_NONE)
                    return fail("netns_close(NONE): " + errstr(rc)), false;
                return true;
            }
            size_t i = below(owned_.size());
            int h = owned_[i];
            owned_.erase(owned_.begin() + static_cast<long>(i));
            if (int rc = netns_close(&h); rc != 0 || h != NETNS_NONE)
                return fail("netns_close: " + errstr(rc)), false;
            return true;
        }
        case op_create: {
            int h = netns_create(nullptr);
            if (h < 0)
                return fail("netns_create(NULL): " + errstr(h)), false;
            keep(h);
            std::string id = fd_ns_id(h);
            if (id == expected_ || id == orig_id_ || id == sh_.main_id ||
                std::find(sh_.ids.begin(), sh_.ids.end(), id) != sh_.ids.end())
                return fail("netns_create gave a namespace that already existed: " + id), false;
            return true;
        }
        case op_run:
        case op_run_isolated: {
            int h = any_handle();
            Inside in{fd_ns_id(h)};
            int result = 0;
            int rc = op == op_run ? netns_run(h, check_inside, &in, &result)
                                  : netns_run_isolated(h, check_inside, &in, &result);
            if (rc != 0 || result != 17)
                return fail(std::string(op_names[op]) + "(" + in.want + "): " + errstr(rc)), false;
            if (!in.ok)
                return fail(std::string(op_names[op]) + ": fn ran outside " + in.want), false;
            return true;
        }
        case op_socket: {
            int h = any_handle();
            int s = netns_socket(h, AF_INET, below(2) ? SOCK_DGRAM : SOCK_STREAM, 0);
            if (s < 0)
                return fail("netns_socket: " + errstr(s)), false;
            (void)close(s);
            return true;
        }
        case op_count: break;
        }
        return false;
    }

    Shared &sh_;
    int index_;
    std::mt19937_64 rng_;
    int step_ = 0;
    int orig_ = NETNS_NONE;
    std::string orig_id_;
    std::string expected_;
    std::vector<int> owned_;
};

} // namespace

TEST_CASE("stress: threads switch namespaces at random", "[stress]")
{
    StressRun frame("threads");
    EnvRunDir &run = frame.run;
    REQUIRE(mounts_under(run.path()).empty());

    Shared sh;
    sh.seed = frame.seed;
    INFO("seed " << sh.seed);
    sh.main_id = thread_ns_id();

    // Four named namespaces. netns_new_named moves this thread: move back.
    struct Handles {
        std::array<int, kNamed> *h;
        ~Handles()
        {
            for (int &x : *h)
                if (x >= 0)
                    (void)netns_close(&x);
        }
    } close_named{&sh.handles};
    sh.handles.fill(NETNS_NONE);
    int home = netns_get();
    REQUIRE(home >= 0);
    for (int i = 0; i < kNamed; ++i) {
        sh.names[i] = "stress" + std::to_string(i);
        int h = netns_new_named(sh.names[i].c_str());
        int back = netns_set(home);
        REQUIRE(h >= 0);
        REQUIRE(back == 0);
        sh.handles[i] = h;
        sh.ids[i] = fd_ns_id(h);
        REQUIRE(sh.ids[i] != sh.main_id);
    }
    REQUIRE(netns_close(&home) == 0);
    REQUIRE(thread_ns_id() == sh.main_id);

    {
        std::vector<std::thread> threads;
        std::vector<std::unique_ptr<Worker>> workers;
        for (int i = 0; i < kThreads; ++i)
            workers.push_back(std::make_unique<Worker>(sh, i));
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&, i] {
                try {
                    workers[i]->run();
                } catch (const std::exception &e) {
                    sh.failures.add("thread " + std::to_string(i) + ": exception " + e.what());
                }
                workers[i].reset(); // on this thread: it switches back and closes
            });
        for (auto &t : threads)
            t.join();
    }
    INFO(sh.failures.summary());
    CHECK(sh.failures.count() == 0);
    CHECK(thread_ns_id() == sh.main_id);

    std::array<int, op_count> totals{};
    for (const auto &per : sh.op_counts)
        for (int op = 0; op < op_count; ++op)
            totals[op] += per[op];
    std::printf("operations:");
    for (int op = 0; op < op_count; ++op)
        std::printf(" %s=%d", op_names[op], totals[op]);
    std::printf("\n");

    // Each named namespace is still there and the same.
    for (int i = 0; i < kNamed; ++i) {
        int h = netns_get_from_name(sh.names[i].c_str());
        CHECK(h >= 0);
        if (h >= 0) {
            CHECK(fd_ns_id(h) == sh.ids[i]);
            (void)netns_close(&h);
        }
        REQUIRE(netns_close(&sh.handles[i]) == 0);
        CHECK(netns_delete_named(sh.names[i].c_str()) == 0);
    }
    CHECK(list_dir(run.path()).empty());
    frame.end();
}

// ---------------------------------------------------------------------
// Named namespaces under contention.

TEST_CASE("stress: named create/delete under contention", "[stress]")
{
    constexpr int kWorkers = 4;
    constexpr int kCycles = 2000; // in all
    constexpr int kPool = 6;      // names; small, so that threads collide

    StressRun frame("contention");
    EnvRunDir &run = frame.run;
    const uint64_t seed = frame.seed;
    INFO("seed " << seed);

    std::array<std::string, kPool> pool;
    for (int i = 0; i < kPool; ++i)
        pool[i] = "pool" + std::to_string(i);

    Failures failures;
    std::mutex stats_mu;
    std::map<std::string, int> stats;
    auto count = [&](const std::string &what) {
        std::lock_guard<std::mutex> lock(stats_mu);
        ++stats[what];
    };

    auto work = [&](int index) {
        std::mt19937_64 rng(seed ^ (0xa24baed4963ee407ull * (index + 1)));
        auto pick = [&] { return pool[std::uniform_int_distribution<int>(0, kPool - 1)(rng)]; };
        SetGuard keep; // even on an exception, the thread goes home
        int orig = netns_get();
        if (orig < 0)
            return failures.add("netns_get: " + errstr(orig));
        struct Closer {
            int &fd;
            ~Closer() { (void)netns_close(&fd); }
        } close_orig{orig};
        const std::string orig_id = thread_ns_id();

        for (int c = index; c < kCycles && failures.count() == 0; c += kWorkers) {
            const std::string at =
                "thread " + std::to_string(index) + " cycle " + std::to_string(c) + ": ";
            // Create.
            // Half of them through netns_create, which must not move the
            // thread, against the same names.
            std::string name = pick();
            const bool moves = std::uniform_int_distribution<int>(0, 1)(rng) == 0;
            const char *fn = moves ? "netns_new_named" : "netns_create";
            int h = moves ? netns_new_named(name.c_str()) : netns_create(name.c_str());
            if (h >= 0) {
                count(moves ? "create ok" : "create (no move) ok");
                std::string id = fd_ns_id(h);
                std::string where = thread_ns_id();
                int back = netns_set(orig);
                (void)netns_close(&h);
                if (id == orig_id || where != (moves ? id : orig_id))
                    failures.add(at + fn + "(" + name + ") left the thread in the wrong namespace");
                if (back != 0)
                    failures.add(at + "netns_set(orig): " + errstr(back));
            } else if (h == -EEXIST) {
                count("create EEXIST");
            } else {
                failures.add(at + fn + "(" + name + "): " + errstr(h));
            }
            if (thread_ns_id() != orig_id)
                failures.add(at + "the thread is not back in its namespace after create");

            // Look up. An entry being created is briefly a plain file
            // (EINVAL), as with `ip netns add`.
            name = pick();
            int l = netns_get_from_name(name.c_str());
            if (l >= 0) {
                count("lookup ok");
                (void)netns_close(&l);
            } else if (l == -ENOENT || l == -EINVAL) {
                count(std::string("lookup ") + (l == -ENOENT ? "ENOENT" : "EINVAL"));
            } else {
                failures.add(at + "netns_get_from_name(" + name + "): " + errstr(l));
            }

            // 0.3: name the thread's own namespace (attach_fd), then list
            // and identify while the others create and delete: every name
            // reported is a pool name, the list strictly sorted.
            name = pick();
            int a = netns_attach_fd(name.c_str(), orig);
            if (a == 0)
                count("attach ok");
            else if (a == -EEXIST)
                count("attach EEXIST");
            else
                failures.add(at + "netns_attach_fd(" + name + "): " + errstr(a));
            std::vector<std::string> seen;
            auto collect = [](const char *n, void *arg) {
                static_cast<std::vector<std::string> *>(arg)->emplace_back(n);
                return 0;
            };
            int lr = netns_list(collect, &seen);
            if (lr != 0)
                failures.add(at + "netns_list: " + errstr(lr));
            for (size_t k = 0; k < seen.size(); ++k)
                if (std::find(pool.begin(), pool.end(), seen[k]) == pool.end() ||
                    (k > 0 && !(seen[k - 1] < seen[k])))
                    failures.add(at + "netns_list reported " + join_words(seen));
            count("list ok");
            seen.clear();
            int ir = netns_identify(getpid(), collect, &seen);
            if (ir != 0)
                failures.add(at + "netns_identify: " + errstr(ir));
            for (const auto &n : seen)
                if (std::find(pool.begin(), pool.end(), n) == pool.end())
                    failures.add(at + "netns_identify reported " + n);
            if (thread_ns_id() != orig_id)
                failures.add(at + "attach, list or identify moved the thread");

            // Delete.
            name = pick();
            int d = netns_delete_named(name.c_str());
            if (d == 0)
                count("delete ok");
            else if (d == -ENOENT)
                count("delete ENOENT");
            else
                failures.add(at + "netns_delete_named(" + name + "): " + errstr(d));
            if (thread_ns_id() != orig_id)
                failures.add(at + "netns_delete_named moved the thread");
        }
    };

    {
        std::vector<std::thread> threads = failures.start(kWorkers, "thread", work);
        for (auto &t : threads)
            t.join();
    }
    std::printf("outcomes:");
    for (const auto &[what, n] : stats)
        std::printf(" [%s]=%d", what.c_str(), n);
    std::printf("\n");
    INFO(failures.summary());
    CHECK(failures.count() == 0);
    CHECK(stats["create ok"] > 0);
    CHECK(stats["create (no move) ok"] > 0);
    CHECK(stats["attach ok"] > 0);

    // The leftovers: each pool name is either a working namespace or absent.
    for (const auto &name : pool) {
        int h = netns_get_from_name(name.c_str());
        INFO("name " << name << ": lookup " << errstr(h));
        CHECK((h >= 0 || h == -ENOENT));
        const bool found = h >= 0;
        if (found)
            (void)netns_close(&h);
        int d = netns_delete_named(name.c_str());
        CHECK((d == 0 || d == -ENOENT));
        CHECK((d == 0) == found);
    }
    auto entries = list_dir(run.path());
    INFO("left in the run dir: " << join_words(entries));
    CHECK(entries.empty());
    frame.end();
}

// ---------------------------------------------------------------------
// ---- spawn: netns_spawn, netns_spawnp, netns_spawn_named (htspawn) ----
// Threads spawning children into random namespaces (and failing to, on
// purpose) while other threads switch namespaces at random: every child
// starts where it was asked to, no spawning thread moves, and in the end
// no fd, mount or child is left.

#include "spawn_util.hpp"

#include <sys/wait.h>

TEST_CASE("stress: spawns while threads switch namespaces", "[stress][spawn]")
{
    constexpr int kSpawners = 4;
    constexpr int kSwitchers = 4;
    constexpr int kSpawnsPerThread = 150;
    constexpr int kSwitchesPerThread = 3000;
    constexpr int kSpaces = 3; // named namespaces: spawn targets and switch targets

    StressRun frame("spawn");
    EnvRunDir &run = frame.run;
    ScopedEnv path("PATH", "/usr/bin:/bin");
    const uint64_t seed = frame.seed;
    INFO("seed " << seed);

    std::array<std::string, kSpaces> names;
    std::array<int, kSpaces> handles;
    handles.fill(NETNS_NONE);
    struct CloseAll {
        std::array<int, kSpaces> &h;
        ~CloseAll()
        {
            for (int &x : h)
                (void)netns_close(&x);
        }
    } close_all{handles};
    std::array<std::string, kSpaces> links; // "net:[ino]"
    for (int i = 0; i < kSpaces; ++i) {
        names[i] = "spawn" + std::to_string(i);
        handles[i] = netns_create(names[i].c_str());
        REQUIRE(handles[i] >= 0);
        struct stat st;
        REQUIRE(fstat(handles[i], &st) == 0);
        links[i] = "net:[" + std::to_string(st.st_ino) + "]";
    }

    Failures failures;
    std::atomic<int> spawned{0}, failed_on_purpose{0}, switched{0};
    std::atomic<bool> stop{false};

    auto spawner = [&](int index) {
        std::mt19937_64 rng(seed ^ (0x5851f42d4c957f2dull * (index + 1)));
        auto below = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
        const std::string mine = thread_ns_id();
        char arg0[] = "true";
        char *const argv_true[] = {arg0, nullptr};
        for (int i = 0; i < kSpawnsPerThread && failures.count() == 0; ++i) {
            const std::string at =
                "spawner " + std::to_string(index) + " spawn " + std::to_string(i) + ": ";
            const int which = below(kSpaces);
            const int how = below(3); // spawn, spawnp, spawn_named
            auto call = [&](pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                            char *const argv[]) {
                switch (how) {
                case 0: return netns_spawn(pid, handles[which], file, fa, nullptr, argv, nullptr);
                case 1: return netns_spawnp(pid, handles[which], file, fa, nullptr, argv, nullptr);
                default:
                    return netns_spawn_named(pid, names[which].c_str(), file, fa, nullptr, argv,
                                             nullptr);
                }
            };
            const int kind = below(10);
            if (kind < 2) {
                // Where the child runs, as it sees it.
                auto r = run_capture([&](pid_t *pid, const posix_spawn_file_actions_t *fa) {
                    Argv argv{"readlink", "/proc/self/ns/net"};
                    return call(pid, "/usr/bin/readlink", fa, argv.get());
                });
                if (r.rc != 0 || !exited_0(r.status))
                    failures.add(at + "readlink: " + errstr(r.rc));
                else if (r.out != links[which] + "\n")
                    failures.add(at + "the child is in " + r.out + ", not " + links[which]);
                ++spawned;
            } else if (kind < 4 && exec_errors_reported()) {
                pid_t pid = -1;
                int rc = call(&pid, "/nonexistent/netns-x", nullptr, argv_true);
                if (rc != -ENOENT)
                    failures.add(at + "a missing binary gave " + errstr(rc));
                ++failed_on_purpose;
            } else {
                pid_t pid = -1;
                int rc = call(&pid, "/bin/true", nullptr, argv_true);
                if (rc != 0)
                    failures.add(at + "spawn of true: " + errstr(rc));
                else if (!exited_0(reap(pid)))
                    failures.add(at + "true did not exit 0");
                ++spawned;
            }
            if (thread_ns_id() != mine)
                failures.add(at + "the spawning thread moved");
        }
    };
    auto switcher = [&](int index) {
        std::mt19937_64 rng(seed ^ (0x14057b7ef767814full * (index + 1)));
        SetGuard back;
        for (int i = 0; i < kSwitchesPerThread && !stop && failures.count() == 0; ++i) {
            const int which = std::uniform_int_distribution<int>(0, kSpaces - 1)(rng);
            if (int rc = netns_set(handles[which]); rc != 0)
                return failures.add("switcher " + std::to_string(index) +
                                    ": netns_set: " + errstr(rc));
            if (thread_ns_id() != fd_ns_id(handles[which]))
                return failures.add("switcher " + std::to_string(index) +
                                    ": not where netns_set put it");
            ++switched;
        }
    };

    {
        std::vector<std::thread> threads = failures.start(kSwitchers, "switcher", switcher);
        std::vector<std::thread> spawners = failures.start(kSpawners, "spawner", spawner);
        for (auto &t : spawners)
            t.join();
        stop = true;
        for (auto &t : threads)
            t.join();
    }
    std::printf("spawned=%d failed-on-purpose=%d switches=%d\n", spawned.load(),
                failed_on_purpose.load(), switched.load());
    INFO(failures.summary());
    CHECK(failures.count() == 0);
    CHECK(no_children());

    for (int i = 0; i < kSpaces; ++i) {
        REQUIRE(netns_close(&handles[i]) == 0);
        CHECK(netns_delete_named(names[i].c_str()) == 0);
    }
    CHECK(list_dir(run.path()).empty());
    frame.end();
}
// ---- end of spawn (htspawn) ----
