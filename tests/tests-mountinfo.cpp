// SPDX-License-Identifier: Apache-2.0
// The /proc/<pid>/mountinfo parser.
#include "catch.hpp"
#include "helpers.hpp"

#include "mountinfo.hpp"

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
