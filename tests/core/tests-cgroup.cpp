// SPDX-License-Identifier: Apache-2.0
// cgroup parsers (pure) and the container search in fake cgroup trees.
#include "catch.hpp"
#include "helpers.hpp"
#include "fake_docker.hpp"

#include "container/cgroup.hpp"
#include "proc_cgroup.hpp"
#include "text.hpp"

#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace netns::core;
using netns::test::make_cgroup;
using netns::test::parse_cgroup_line;
using netns::test::parse_proc_cgroup;
using netns::test::TempDir;

namespace {

const std::string id_a = "4f66ad9a0b2e4f3a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b";
const std::string id_b = "4f66ffff0b2e4f3a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b";
const std::string id_c = "9c0ffee00b2e4f3a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b";

std::string pid_line(pid_t pid) { return std::to_string(pid) + "\n"; }

} // namespace

TEST_CASE("parse_cgroup_line", "[cgroup]")
{
    SECTION("v1 and v2 lines")
    {
        auto v2 = parse_cgroup_line("0::/system.slice/docker-" + id_a + ".scope");
        REQUIRE(v2.ok());
        CHECK(v2->hierarchy == 0);
        CHECK(v2->controllers.empty());
        CHECK(v2->path == "/system.slice/docker-" + id_a + ".scope");

        auto v1 = parse_cgroup_line("4:cpu,cpuacct:/docker/" + id_a);
        REQUIRE(v1.ok());
        CHECK(v1->hierarchy == 4);
        CHECK(v1->controllers == std::vector<std::string>{"cpu", "cpuacct"});
        CHECK(v1->path == "/docker/" + id_a);

        auto named = parse_cgroup_line("1:name=systemd:/");
        REQUIRE(named.ok());
        CHECK(named->controllers == std::vector<std::string>{"name=systemd"});
        CHECK(named->path == "/");
    }
    SECTION("the path is the rest of the line, colons included")
    {
        auto e = parse_cgroup_line("0::/a:b:c");
        REQUIRE(e.ok());
        CHECK(e->path == "/a:b:c");
    }
    SECTION("malformed lines are EINVAL")
    {
        for (const char *bad :
             {"", "0", "0:", "0::", "x::/", "-1::/", "+1:cpu:/", "0:cpu:/", "3::/", "3:cpu,:/",
              "3:,cpu:/", "3:cpu,,mem:/", "0::relative", "99999999999999999999:cpu:/", " 0::/"})
            CHECK(parse_cgroup_line(bad).error() == EINVAL);
    }
}

TEST_CASE("parse_proc_cgroup", "[cgroup]")
{
    SECTION("a whole v1 file")
    {
        auto all = parse_proc_cgroup("12:pids:/docker/" + id_a + "\n4:memory:/docker/" + id_a +
                                     "\n1:name=systemd:/docker/" + id_a + "\n0::/\n");
        REQUIRE(all.ok());
        REQUIRE(all->size() == 4);
        CHECK(all.value()[0].controllers == std::vector<std::string>{"pids"});
        CHECK(all.value()[3].hierarchy == 0);
    }
    SECTION("the file of this process parses")
    {
        auto self = parse_proc_cgroup(netns::test::read_file("/proc/self/cgroup"));
        REQUIRE(self.ok());
        CHECK_FALSE(self->empty());
    }
    SECTION("a bad line fails the whole file; empty text is no entries")
    {
        CHECK(parse_proc_cgroup("0::/\nbad\n").error() == EINVAL);
        CHECK(parse_proc_cgroup("").value().empty());
    }
}

TEST_CASE("first_cgroup_pid", "[cgroup]")
{
    CHECK(first_cgroup_pid("42\n43\n").value() == 42);
    CHECK(first_cgroup_pid("\n7").value() == 7);
    CHECK(first_cgroup_pid("0\n0\n9\n").value() == 9); // 0: outside our pid namespace
    CHECK(first_cgroup_pid("").error() == ESRCH);
    CHECK(first_cgroup_pid("0\n").error() == ESRCH);
    for (const char *bad : {"x\n", "-1\n", "+1\n", "1 \n", "99999999999\n"})
        CHECK(first_cgroup_pid(bad).error() == EPROTO);
}

TEST_CASE("match_container_name", "[cgroup]")
{
    CHECK(match_container_name("docker-" + id_a + ".scope", "docker-", "4f66", ".scope") == id_a);
    CHECK(match_container_name(id_a, "", "4f66ad", "") == id_a);
    CHECK(match_container_name(id_a, "", id_a, "") == id_a);
    CHECK_FALSE(match_container_name(id_a, "", "4f67", ""));
    CHECK_FALSE(
        match_container_name("docker-" + id_a + ".scope", "cri-containerd-", "4f", ".scope"));
    CHECK_FALSE(match_container_name("docker-" + id_a, "docker-", "4f", ".scope"));
    CHECK_FALSE(match_container_name("docker-.scope", "docker-", "", ".scope"));
    CHECK_FALSE(match_container_name("docker-a b.scope", "docker-", "a", ".scope"));
    CHECK_FALSE(match_container_name("..", "", ".", ""));
}

TEST_CASE("find_container_cgroup searches v1 and v2 layouts", "[cgroup]")
{
    TempDir tmp;
    const std::string root = tmp.path();
    const pid_t self = ::getpid();
    int fds = netns::test::fd_count();

    struct Layout {
        const char *name;
        std::string rel;
        const char *file;
    };
    const std::string pod = "pod0b3e2c1a-7f4d-4b8e-9a6c-123456789abc";
    const std::string spod = "pod0b3e2c1a_7f4d_4b8e_9a6c_123456789abc";
    const Layout layouts[] = {
        {"v2 docker cgroupfs", "docker/" + id_a, "cgroup.procs"},
        {"v2 docker systemd", "system.slice/docker-" + id_a + ".scope", "cgroup.procs"},
        {"v1 memory docker", "memory/docker/" + id_a, "tasks"},
        {"v1 cpu,cpuacct systemd", "cpu,cpuacct/system.slice/docker-" + id_a + ".scope",
         "cgroup.procs"},
        {"v1 pids kubepods besteffort", "pids/kubepods/besteffort/" + pod + "/" + id_a,
         "cgroup.procs"},
        {"v1 devices kubepods guaranteed", "devices/kubepods/" + pod + "/" + id_a, "cgroup.procs"},
        {"v1 systemd kubepods", "systemd/kubepods/burstable/" + pod + "/" + id_a, "tasks"},
        {"v2 kubepods slice docker",
         "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-" + spod + ".slice/docker-" +
             id_a + ".scope",
         "cgroup.procs"},
        {"v2 kubepods slice containerd",
         "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-" + spod +
             ".slice/cri-containerd-" + id_a + ".scope",
         "cgroup.procs"},
        {"v2 kubepods guaranteed crio",
         "kubepods.slice/kubepods-" + spod + ".slice/crio-" + id_a + ".scope", "cgroup.procs"},
        {"v2 nerdctl", "nerdctl/" + id_a, "cgroup.procs"},
        {"v2 nerdctl systemd", "system.slice/nerdctl-" + id_a + ".scope", "cgroup.procs"},
    };
    for (const auto &l : layouts) {
        SECTION(l.name)
        {
            make_cgroup(root, l.rel, pid_line(self), l.file);
            // A decoy elsewhere that must not match.
            make_cgroup(root, "system.slice/docker-" + id_c + ".scope", pid_line(1));
            for (const std::string &prefix : {id_a.substr(0, 1), id_a.substr(0, 12), id_a}) {
                INFO("prefix " << prefix);
                auto found = find_container_cgroup(root, prefix);
                REQUIRE(found.ok());
                CHECK(found->id == id_a);
                CHECK(found->pid == self);
                CHECK(found->dir == root + "/" + l.rel);
            }
            CHECK(find_container_cgroup(root, "4f67").error() == ENOENT);
            CHECK(find_container_cgroup(root, id_c.substr(0, 6)).value().pid == 1);
        }
    }
    CHECK(netns::test::fd_count() == fds);
}

TEST_CASE("find_container_cgroup outcomes", "[cgroup]")
{
    TempDir tmp;
    const std::string root = tmp.path();
    const pid_t self = ::getpid();
    int fds = netns::test::fd_count();

    SECTION("the same container in several v1 hierarchies is one match")
    {
        for (const char *h : {"memory", "pids", "cpu,cpuacct", "devices", "systemd"})
            make_cgroup(root, std::string(h) + "/docker/" + id_a, pid_line(self));
        CHECK(find_container_cgroup(root, "4f66a").value().pid == self);
    }
    SECTION("an ambiguous prefix is ENOTUNIQ")
    {
        make_cgroup(root, "system.slice/docker-" + id_a + ".scope", pid_line(self));
        make_cgroup(root, "memory/docker/" + id_b, pid_line(self));
        CHECK(find_container_cgroup(root, "4f66").error() == ENOTUNIQ);
        CHECK(find_container_cgroup(root, "4f66a").value().id == id_a);
        CHECK(find_container_cgroup(root, "4f66f").value().id == id_b);
    }
    SECTION("two runtimes' containers with one prefix are ambiguous too")
    {
        make_cgroup(root, "nerdctl/" + id_a, pid_line(self));
        make_cgroup(root, "docker/" + id_b, pid_line(self));
        CHECK(find_container_cgroup(root, "4f").error() == ENOTUNIQ);
    }
    SECTION("an exact id wins over longer ids it prefixes")
    {
        make_cgroup(root, "docker/abc", pid_line(self));
        make_cgroup(root, "docker/abcdef", pid_line(1));
        CHECK(find_container_cgroup(root, "abc").value().pid == self);
        CHECK(find_container_cgroup(root, "abcd").value().pid == 1);
        CHECK(find_container_cgroup(root, "ab").error() == ENOTUNIQ);
    }
    SECTION("no match is ENOENT")
    {
        make_cgroup(root, "docker/" + id_a, pid_line(self));
        make_cgroup(root, "user.slice/docker-" + id_c + ".scope", pid_line(self)); // not a layout
        make_cgroup(root, "system.slice/" + id_c, pid_line(self)); // no docker- head
        CHECK(find_container_cgroup(root, "9c0ffee").error() == ENOENT);
        CHECK(find_container_cgroup(root + "/missing", "4f").error() == ENOENT);
        CHECK(find_container_cgroup(root, "").error() == EINVAL);
    }
    SECTION("a plain file named like a container is no match")
    {
        make_cgroup(root, "docker", pid_line(self));
        std::string file = root + "/docker/" + id_a;
        REQUIRE(::close(::open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) == 0);
        CHECK(find_container_cgroup(root, "4f").error() == ENOENT);
    }
    SECTION("a container cgroup without processes is ESRCH")
    {
        make_cgroup(root, "docker/" + id_a, std::string());
        make_cgroup(root, "memory/docker/" + id_a, std::string("0\n"), "tasks");
        CHECK(find_container_cgroup(root, "4f").error() == ESRCH);
        make_cgroup(root, "pids/docker/" + id_a); // neither file
        CHECK(find_container_cgroup(root, "4f").error() == ESRCH);
    }
    SECTION("processes in a child cgroup only (v2 no-internal-process rule)")
    {
        make_cgroup(root, "system.slice/docker-" + id_a + ".scope", std::string());
        make_cgroup(root, "system.slice/docker-" + id_a + ".scope/init.scope", std::string());
        make_cgroup(root, "system.slice/docker-" + id_a + ".scope/system.slice/sshd.service",
                    pid_line(self));
        CHECK(find_container_cgroup(root, "4f").value().pid == self);
    }
    SECTION("an empty hierarchy is skipped for one that has the pid")
    {
        make_cgroup(root, "docker/" + id_a, std::string()); // v2 root: empty
        make_cgroup(root, "pids/docker/" + id_a, pid_line(self));
        CHECK(find_container_cgroup(root, "4f").value().pid == self);
    }
    SECTION("a malformed cgroup.procs is EPROTO")
    {
        make_cgroup(root, "docker/" + id_a, std::string("garbage\n"));
        CHECK(find_container_cgroup(root, "4f").error() == EPROTO);
    }
    CHECK(netns::test::fd_count() == fds);
}

TEST_CASE("the shared text helpers", "[cgroup][text]")
{
    SECTION("next_line splits lines and says whether the last one ended")
    {
        std::string_view text = "a\n\nb\r\nc";
        std::string_view line;
        bool ended = false;
        std::vector<std::pair<std::string, bool>> got;
        while (text::next_line(text, line, &ended))
            got.emplace_back(std::string(line), ended);
        CHECK(got == std::vector<std::pair<std::string, bool>>{
                         {"a", true}, {"", true}, {"b\r", true}, {"c", false}});
        std::string_view one = "x\n";
        CHECK(text::next_line(one, line));
        CHECK(line == "x");
        CHECK_FALSE(text::next_line(one, line));
    }
    SECTION("is_id_char: [0-9A-Za-z_.-]")
    {
        for (char c : std::string("09AZaz_.-"))
            CHECK(text::is_id_char(c));
        for (char c : std::string("/ :\t\n%?\0", 9))
            CHECK_FALSE(text::is_id_char(c));
        CHECK_FALSE(text::is_id_char(static_cast<char>(0xc3)));
    }
}
