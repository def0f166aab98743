// SPDX-License-Identifier: Apache-2.0
#include "fault_sweep.hpp"
#include "catch.hpp"

#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <vector>

namespace netns::test {

namespace {

// What must not change across a failed call.
struct Snapshot {
    std::string ns;
    int fds;
    std::vector<std::string> mounts;  // under the scratch dir
    std::vector<std::string> entries; // of the run dir
};

Snapshot snapshot(const Sweep &s)
{
    return Snapshot{thread_ns_id(), fd_count(), mounts_under(s.scratch),
                    s.run_dir.empty() ? std::vector<std::string>{} : list_dir(s.run_dir)};
}

} // namespace

Swept sweep(const Sweep &s, int err)
{
    Disarm disarm;
    Swept out;
    for (unsigned n = 1;; ++n) {
        INFO(s.what << ": failing wrapped call #" << n << " with " << std::strerror(err));
        REQUIRE(n < 500); // a runaway loop would be a bug of its own
        s.prepare();
        const Snapshot before = snapshot(s);
        core::fault::arm(n, err);
        const int rc = s.call();
        const bool fired = core::fault::fired();
        const unsigned calls = core::fault::calls();
        core::fault::disarm();
        if (!fired) {
            INFO("no fault fired after " << calls << " wrapped calls");
            CHECK(rc == 0);
            s.on_success();
            out.sites = n - 1;
            return out;
        }
        const Snapshot after = snapshot(s);
        if (rc == 0 && s.may_absorb)
            ++out.absorbed;
        else
            CHECK((rc == err || (s.may_report_as != 0 && rc == s.may_report_as)));
        CHECK(after.ns == before.ns);
        CHECK(after.fds == before.fds);
        INFO("mounts before: " << join_words(before.mounts)
                               << "; after: " << join_words(after.mounts));
        auto others = [&](const std::vector<std::string> &v) {
            std::vector<std::string> kept;
            for (const auto &m : v)
                if (m != s.run_dir && m != s.may_unmount)
                    kept.push_back(m);
            return kept;
        };
        CHECK(others(after.mounts) == others(before.mounts));
        if (!s.run_dir.empty()) {
            auto tags = mount_tags_at(s.run_dir);
            INFO("run dir mounts' tags: " << join_words(tags));
            CHECK(tags.size() <= 1);
            if (!tags.empty()) // a half-done self-bind, not shared, is a leak
                CHECK(tags[0].find("shared:") != std::string::npos);
            INFO("run dir before: " << join_words(before.entries)
                                    << "; after: " << join_words(after.entries));
            CHECK(after.entries == before.entries);
        }
        s.on_failure();
    }
}

WayBack::WayBack() : fd_(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC))
{
    REQUIRE(fd_ >= 0);
}

WayBack::~WayBack()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void WayBack::after(int err, const std::string &there)
{
    if (err != ENOTRECOVERABLE)
        return;
    ++unrecoverable;
    if (there.empty())
        CHECK(thread_ns_id() != home);
    else
        CHECK(thread_ns_id() == there);
    REQUIRE(::setns(fd_, CLONE_NEWNET) == 0);
}

Swept WayBack::sweep(Sweep s, int err, const std::string &there)
{
    unrecoverable = 0;
    s.call = [this, call = std::move(s.call), &there] {
        int e = call();
        after(e, there);
        return e;
    };
    s.may_report_as = ENOTRECOVERABLE;
    Swept swept = netns::test::sweep(s, err);
    CHECK(unrecoverable == 1);
    CHECK(thread_ns_id() == home);
    return swept;
}

} // namespace netns::test
