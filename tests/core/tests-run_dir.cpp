// SPDX-License-Identifier: Apache-2.0
// Preparing the run directory: mkdir -p, the flock, the shared mount point.
#include "catch.hpp"
#include "helpers.hpp"

#include "run_dir.hpp"

#include <atomic>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace netns::core;
using netns::test::exists;
using netns::test::fd_count;
using netns::test::mounts_at;
using netns::test::PrivateRunDir;
using netns::test::TempDir;

TEST_CASE("mkdir_p", "[run_dir]")
{
    TempDir tmp;
    CHECK(mkdir_p(tmp / "a/b/c", 0755).ok());
    CHECK(exists(tmp / "a/b/c"));
    CHECK(mkdir_p(tmp / "a/b/c", 0755).ok()); // again: fine
    CHECK(mkdir_p(tmp / "a//b/", 0755).ok());
    close(open((tmp / "file").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    CHECK(mkdir_p(tmp / "file", 0755).ok()); // exists; opening it will tell
    CHECK(prepare_run_dir(tmp / "file").error() == ENOTDIR);
    CHECK(mkdir_p(tmp / "file/sub", 0755).error() == ENOTDIR);
    CHECK(mkdir_p(tmp / "file/sub/deeper", 0755).error() == ENOTDIR);
    CHECK(mkdir_p("", 0755).error() == ENOENT);
}

TEST_CASE("prepare_run_dir makes a shared mount point once", "[run_dir]")
{
    PrivateRunDir run;
    int fds = fd_count();
    {
        auto lock = prepare_run_dir(run.dir);
        REQUIRE(lock.ok());
        CHECK(mounts_at(run.dir) == 1);
    }
    {
        auto again = prepare_run_dir(run.dir);
        REQUIRE(again.ok());
    }
    CHECK(mounts_at(run.dir) == 1);
    CHECK(fd_count() == fds);

    for (const auto &tags : netns::test::mount_tags_at(run.dir))
        CHECK(tags.find("shared:") != std::string::npos);

    SECTION("in parallel, still one mount")
    {
        PrivateRunDir fresh;
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (int i = 0; i < 16; ++i)
            threads.emplace_back([&] {
                if (!prepare_run_dir(fresh.dir).ok())
                    ++failures;
            });
        for (auto &t : threads)
            t.join();
        CHECK(failures == 0);
        CHECK(mounts_at(fresh.dir) == 1);
    }
}

// ---- fault injection ----
// The n-th system call fails (support/fault_sweep.hpp).

#include "fault_sweep.hpp"

using netns::test::fault_errnos;
using netns::test::mounts_under;
using netns::test::Scratch;
using netns::test::sweep;
using netns::test::unmount_under;

TEST_CASE("fault: mkdir_p, make_shared_mount, prepare_run_dir", "[run_dir][fault]")
{
    Scratch scratch;
    const std::string run = scratch / "a/b/netns";
    auto fresh = [&] {
        unmount_under(scratch.path());
        std::error_code ec;
        std::filesystem::remove_all(scratch / "a", ec);
    };
    auto only_run_mounted = [&] {
        CHECK(mounts_under(scratch.path()) == std::vector<std::string>{run});
    };
    for (int err : fault_errnos) {
        // From nothing: mkdir each component, open, flock, mount(MS_SHARED)
        // (EINVAL: not a mount point), bind, mount(MS_SHARED).
        auto swept = sweep({.what = "prepare_run_dir (fresh)",
                            .scratch = scratch.path(),
                            .run_dir = run,
                            .prepare = fresh,
                            .call = [&] { return prepare_run_dir(run).error(); },
                            .on_success = only_run_mounted},
                           err);
        CHECK(swept.sites >= 6);
        // Already prepared: only the MS_SHARED remount is left to do.
        swept = sweep({.what = "prepare_run_dir (prepared)",
                       .scratch = scratch.path(),
                       .run_dir = run,
                       .call = [&] { return prepare_run_dir(run).error(); },
                       .on_success = only_run_mounted},
                      err);
        CHECK(swept.sites >= 3);
        // make_shared_mount alone, on a directory that is not a mount point.
        swept = sweep({.what = "make_shared_mount",
                       .scratch = scratch.path(),
                       .run_dir = run,
                       .prepare =
                           [&] {
                               fresh();
                               REQUIRE(mkdir_p(run, 0755).ok());
                           },
                       .call = [&] { return make_shared_mount(run.c_str()).error(); },
                       .on_success = only_run_mounted},
                      err);
        CHECK(swept.sites >= 3); // mount(MS_SHARED) -> EINVAL, bind, mount(MS_SHARED)
    }
    fresh();
}
