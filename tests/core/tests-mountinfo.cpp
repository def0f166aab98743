// SPDX-License-Identifier: Apache-2.0
// The /proc/<pid>/mountinfo parser, and which of the listed mounts a path
// reaches.
#include "catch.hpp"
#include "helpers.hpp"

#include "mountinfo.hpp"

#include <algorithm>
#include <string>
#include <vector>

using namespace netns::test;

TEST_CASE("parse_mountinfo_line reads every field", "[mountinfo]")
{
    auto e = parse_mountinfo_line(
        "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue");
    REQUIRE(e.ok());
    CHECK(e->id == 36);
    CHECK(e->parent == 35);
    CHECK(e->major == 98);
    CHECK(e->minor == 0);
    CHECK(e->root == "/mnt1");
    CHECK(e->mount_point == "/mnt2");
    CHECK(e->options == "rw,noatime");
    REQUIRE(e->optional.size() == 2);
    CHECK(e->optional[0] == "master:1");
    CHECK(e->shared_group() == 7);
    CHECK(e->fstype == "ext3");
    CHECK(e->source == "/dev/root");
    CHECK(e->super_options == "rw,errors=continue");
}

TEST_CASE("parse_mountinfo_line handles no optional fields and escapes", "[mountinfo]")
{
    auto e = parse_mountinfo_line("1 0 0:5 / /run/a\\040b rw - tmpfs none\\011x rw");
    REQUIRE(e.ok());
    CHECK(e->optional.empty());
    CHECK(e->shared_group() == 0);
    CHECK(e->mount_point == "/run/a b");
    CHECK(e->source == "none\tx");
}

TEST_CASE("unescape_mount_field", "[mountinfo]")
{
    CHECK(unescape_mount_field("a\\040b\\134c") == "a b\\c");
    CHECK(unescape_mount_field("trailing\\04") == "trailing\\04");
    CHECK(unescape_mount_field("\\999") == "\\999");
    CHECK(unescape_mount_field("") == "");
}

TEST_CASE("parse_mountinfo_line rejects malformed lines", "[mountinfo]")
{
    for (const char *bad : {
             "",
             "x 0 0:5 / / rw - tmpfs none rw",
             "1 0 05 / / rw - tmpfs none rw",
             "1 0 0:5 / / rw tmpfs none rw",
             "1 0 0:5 / / rw -",
             "1 0 0:5 / / rw - tmpfs",
             "1 0 0:5 / / rw - tmpfs none",
             "1 0 0:5 / / rw - tmpfs none rw extra",
             "1 0 0:x / / rw - tmpfs none rw",
         }) {
        INFO(bad);
        CHECK(parse_mountinfo_line(bad).error() == EINVAL);
    }
}

TEST_CASE("parse_mountinfo reads this process's mount table", "[mountinfo]")
{
    std::string text = netns::test::read_file("/proc/self/mountinfo");
    auto all = parse_mountinfo(text);
    REQUIRE(all.ok());
    CHECK(static_cast<int>(all->size()) == netns::test::mount_count());
    bool root_found = false;
    for (const auto &m : all.value())
        root_found |= m.mount_point == "/";
    CHECK(root_found);
    CHECK(parse_mountinfo("1 0 0:5 / / rw - tmpfs none rw\ngarbage\n").error() == EINVAL);
    CHECK(parse_mountinfo("").value().empty());
}

// The reachable-mount helpers (helpers.hpp) on made-up mount tables.
namespace {

// A host whose /run/netns is a self-bind holding a live namespace, seen from
// a sandbox that put its own tmpfs over /run and made its own /run/netns.
const char *const covered_host =
    "20 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
    "21 20 0:20 / /run rw,nosuid shared:2 - tmpfs tmpfs rw\n"
    "22 21 0:20 /netns /run/netns rw shared:3 - tmpfs tmpfs rw\n"
    "23 22 0:4 net:[4026532300] /run/netns/used rw shared:3 - nsfs nsfs rw\n"
    "30 21 0:40 / /run rw,nosuid - tmpfs netns-test-run rw\n"
    "31 30 0:40 /netns /run/netns rw shared:5 - tmpfs netns-test-run rw\n"
    "32 31 0:4 net:[4026532400] /run/netns/mine rw shared:5 - nsfs nsfs rw\n";

using Paths = std::vector<std::string>;

} // namespace

TEST_CASE("mounts_at counts only the mounts lookup reaches", "[mountinfo]")
{
    SECTION("a mount hidden under a covering tmpfs")
    {
        CHECK(mounts_at(covered_host, "/run/netns") == 1);
        CHECK(mounts_at(covered_host, "/run/netns/mine") == 1);
        CHECK(mounts_at(covered_host, "/run/netns/used") == 0);
        CHECK(mounts_at(covered_host, "/run") == 2); // the sandbox's tmpfs on the host's
        CHECK(mounts_at(covered_host, "/") == 1);
        CHECK(mounts_at(covered_host, "/run/netns/") == 1);
        CHECK(mounts_at(covered_host, "/run//netns/mine/../mine") == 1);
        CHECK(mounts_at(covered_host, "/elsewhere") == 0);
        CHECK(mounts_under(covered_host, "/run/netns") == Paths{"/run/netns", "/run/netns/mine"});
        CHECK(mounts_under(covered_host, "/run") ==
              Paths{"/run", "/run", "/run/netns", "/run/netns/mine"});
        CHECK(mounts_under(covered_host, "/run/netns/used").empty());
        CHECK(mounts_under(covered_host, "/").size() == 5);
    }
    SECTION("a three-deep stack, listed out of order; children of covered layers are hidden")
    {
        const char *table = "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                            "42 41 0:42 / /a rw - tmpfs top rw\n"
                            "43 41 0:41 / /a/under-top rw - tmpfs hidden rw\n"
                            "40 20 0:40 / /a rw - tmpfs bottom rw\n"
                            "44 42 0:44 / /a/b/c rw - tmpfs deep rw\n"
                            "41 40 0:41 / /a rw - tmpfs middle rw\n";
        CHECK(mounts_at(table, "/a") == 3);
        CHECK(mounts_at(table, "/a/under-top") == 0);
        // No mount on /a/b: /a/b/c sits on the top of /a's stack.
        CHECK(mounts_at(table, "/a/b/c") == 1);
        CHECK(mounts_at(table, "/a/b") == 0);
        CHECK(mounts_under(table, "/a") == Paths{"/a", "/a", "/a/b/c", "/a"});
    }
    SECTION("a mount covered by a later mount on an ancestor directory")
    {
        const char *table = "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                            "50 20 0:50 / /x/y rw - tmpfs first rw\n"
                            "51 20 0:51 / /x rw - tmpfs cover rw\n";
        CHECK(mounts_at(table, "/x/y") == 0);
        CHECK(mounts_at(table, "/x") == 1);
        CHECK(mounts_under(table, "/x") == Paths{"/x"});
    }
    SECTION("mounts stacked on the root, and a root that is its own parent")
    {
        const char *table = "1 1 0:1 / / rw - rootfs rootfs rw\n"
                            "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                            "60 20 0:60 / /tmp rw - tmpfs tmpfs rw\n"
                            "61 1 0:61 / /tmp rw - tmpfs under-root-stack rw\n";
        CHECK(mounts_at(table, "/") == 2);
        CHECK(mounts_at(table, "/tmp") == 1);
    }
    SECTION("escaped mount points")
    {
        const char *table = "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                            "70 20 0:70 / /with\\040space rw - tmpfs tmpfs rw\n";
        CHECK(mounts_at(table, "/with space") == 1);
        CHECK(mounts_under(table, "/with space") == Paths{"/with space"});
    }
    SECTION("an empty table, a malformed one, a relative path")
    {
        CHECK(mounts_at("", "/") == 0);
        CHECK(mounts_under("", "/").empty());
        CHECK_THROWS(mounts_at("20 1 8:1 / /\n", "/"));
        CHECK_THROWS(mounts_at(covered_host, "run/netns"));
    }
}

TEST_CASE("mounts_at on this process's mount table", "[mountinfo]")
{
    CHECK(mounts_at("/") >= 1);
    CHECK(mounts_at("/proc") >= 1);
    auto proc = mounts_under("/proc");
    CHECK(std::count(proc.begin(), proc.end(), "/proc") == mounts_at("/proc"));
    CHECK(mount_count() >= static_cast<int>(mounts_under("/").size()));
}
