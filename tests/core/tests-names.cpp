// SPDX-License-Identifier: Apache-2.0
// Name validation and run-directory resolution (pure functions).
#include "catch.hpp"
#include "helpers.hpp"

#include "names.hpp"

#include <climits>
#include <string>
#include <vector>

using namespace netns::core;

TEST_CASE("check_name accepts single path components", "[names]")
{
    for (const char *ok : {"a", "ns1", "...", ".a", "a.", "with space", "ünïcode", "-dash", "a\\b"})
        CHECK(check_name(ok).ok());
    CHECK(check_name(std::string(NAME_MAX, 'x')).ok());
}

TEST_CASE("check_name rejects what is not a single component", "[names]")
{
    SECTION("empty, dot and dot-dot")
    {
        for (const char *bad : {"", ".", ".."})
            CHECK(check_name(bad).error() == EINVAL);
    }
    SECTION("slashes")
    {
        for (const char *bad : {"/", "a/b", "/a", "a/", "../x", "./x"})
            CHECK(check_name(bad).error() == EINVAL);
    }
    SECTION("too long")
    {
        CHECK(check_name(std::string(NAME_MAX + 1, 'x')).error() == EINVAL);
        CHECK(check_name(std::string(300, 'x')).error() == EINVAL);
    }
    SECTION("embedded NUL") { CHECK(check_name(std::string_view("a\0b", 3)).error() == EINVAL); }
}

TEST_CASE("run_dirs picks the run directory", "[names]")
{
    SECTION("NETNS_RUN_DIR replaces both defaults")
    {
        auto d = run_dirs("/tmp/x", true);
        CHECK(d.primary == "/tmp/x");
        CHECK(d.fallback.empty());
    }
    SECTION("an empty NETNS_RUN_DIR counts as unset")
    {
        auto d = run_dirs("", true);
        CHECK(d.primary == "/run/netns");
        CHECK(d.fallback == "/var/run/netns");
    }
    SECTION("/run/netns first, /var/run/netns as fallback")
    {
        auto d = run_dirs(nullptr, true);
        CHECK(d.primary == "/run/netns");
        CHECK(d.fallback == "/var/run/netns");
    }
    SECTION("/var/run/netns when /run is missing")
    {
        auto d = run_dirs(nullptr, false);
        CHECK(d.primary == "/var/run/netns");
        CHECK(d.fallback.empty());
    }
}

TEST_CASE("system_run_dirs reads NETNS_RUN_DIR", "[names]")
{
    {
        netns::test::ScopedEnv env("NETNS_RUN_DIR", "/somewhere/else");
        CHECK(system_run_dirs().primary == "/somewhere/else");
    }
    netns::test::ScopedEnv env("NETNS_RUN_DIR", nullptr);
    CHECK(system_run_dirs().primary == "/run/netns");
}

TEST_CASE("join_path", "[names]")
{
    PathBuf p;
    REQUIRE(join_path("/run/netns", "a", p).ok());
    CHECK(p.view() == "/run/netns/a");
    CHECK(std::string(p.c_str()) == "/run/netns/a");
    CHECK(join_path(std::string(PATH_MAX - 4, 'd'), "ab", p).ok());
    CHECK(p.view().size() == PATH_MAX - 1);
    CHECK(join_path(std::string(PATH_MAX - 3, 'd'), "ab", p).error() == ENAMETOOLONG);
}

TEST_CASE("split_path splits a path into directory and entry", "[names]")
{
    struct Row {
        std::string path, dir, base;
    };
    const std::string name_max(NAME_MAX, 'n');
    const std::vector<Row> ok = {
        {"a/b/c", "a/b", "c"},
        {"c", ".", "c"},
        {"/c", "/", "c"},
        {"//c", "/", "c"},
        {"a//c", "a/", "c"},
        {"/run/netns/x", "/run/netns", "x"},
        {"./x", ".", "x"},
        {"../x", "..", "x"},
        {"a/./x", "a/.", "x"},
        {"...", ".", "..."},
        {"/.a", "/", ".a"},
        {"a/b.", "a", "b."},
        {"with space/x y", "with space", "x y"},
        {"/d/" + name_max, "/d", name_max},
        {name_max, ".", name_max},
    };
    for (const auto &r : ok) {
        INFO(r.path);
        std::string dir = "old", base = "old";
        REQUIRE(split_path(r.path, dir, base).ok());
        CHECK(dir == r.dir);
        CHECK(base == r.base);
    }
    // The longest path accepted: PATH_MAX - 1 bytes.
    std::string longest = "/" + std::string(PATH_MAX - 1 - 1 - 1 - NAME_MAX, 'd') + "/" + name_max;
    REQUIRE(longest.size() == PATH_MAX - 1);
    std::string dir, base;
    CHECK(split_path(longest, dir, base).ok());
    CHECK(base == name_max);
}

TEST_CASE("split_path errors", "[names]")
{
    struct Row {
        std::string path;
        int err;
    };
    const std::vector<Row> bad = {
        {"", EINVAL},
        {"/", EINVAL},
        {"//", EINVAL},
        {"a/", EINVAL},
        {"/a/", EINVAL},
        {".", EINVAL},
        {"..", EINVAL},
        {"a/.", EINVAL},
        {"a/..", EINVAL},
        {"/..", EINVAL},
        {std::string("a\0b", 3), EINVAL},
        {std::string("a/b\0", 4), EINVAL},
        {std::string("\0", 1), EINVAL},
        {"/d/" + std::string(NAME_MAX + 1, 'n'), ENAMETOOLONG},
        {std::string(NAME_MAX + 1, 'n'), ENAMETOOLONG},
        {"/" + std::string(PATH_MAX - 1, 'd'), ENAMETOOLONG},  // PATH_MAX bytes
        {std::string(PATH_MAX - 2, 'd') + "/x", ENAMETOOLONG}, // PATH_MAX bytes
        {std::string(PATH_MAX + 100, 'd') + "/x", ENAMETOOLONG},
    };
    for (const auto &r : bad) {
        INFO("path of " << r.path.size() << " bytes: " << r.path.substr(0, 40));
        std::string dir = "old", base = "old";
        auto st = split_path(r.path, dir, base);
        REQUIRE_FALSE(st.ok());
        CHECK(st.error() == r.err);
        // Nothing is stored on failure.
        CHECK(dir == "old");
        CHECK(base == "old");
    }
}
