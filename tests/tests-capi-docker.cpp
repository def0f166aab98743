// SPDX-License-Identifier: Apache-2.0
// netns_get_from_docker() through the exported C API, with DOCKER_HOST
// pointing at a fake daemon.
#include "catch.hpp"
#include "helpers.hpp"
#include "fake_docker.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <unistd.h>

using netns::test::FakeDaemon;
using netns::test::http_chunked_reply;
using netns::test::http_reply;
using netns::test::inspect_json;
using netns::test::ScopedEnv;
using netns::test::TempDir;

TEST_CASE("netns_get_from_docker rejects bad ids", "[capi][docker]")
{
    int fds = netns::test::fd_count();
    CHECK(netns_get_from_docker(nullptr) == -EINVAL);
    const std::string long_id(129, 'a');
    for (const char *bad : {"", "a/b", "../x", "a b", long_id.c_str(), "..", "a\tb", "a:b"})
        CHECK(netns_get_from_docker(bad) == -EINVAL);
    CHECK(netns::test::fd_count() == fds);
}

TEST_CASE("netns_get_from_docker asks $DOCKER_HOST", "[capi][docker]")
{
    TempDir tmp;
    const std::string sock = tmp / "docker.sock";
    ScopedEnv host("DOCKER_HOST", ("unix://" + sock).c_str());
    const pid_t self = ::getpid();
    int fds = netns::test::fd_count();

    SECTION("a running container: this process's namespace")
    {
        int ns = NETNS_NONE;
        {
            FakeDaemon daemon(sock, {{http_reply(200, "OK", inspect_json(self, true))}});
            ns = netns_get_from_docker("4f66ad9a0b2e");
            CHECK(daemon.requests().at(0).rfind("GET /containers/4f66ad9a0b2e/json HTTP/1.1\r\n", 0) == 0);
        }
        REQUIRE(ns >= 0);
        int cur = netns_get();
        REQUIRE(cur >= 0);
        CHECK(netns_equal(ns, cur) == 1);
        CHECK(netns::test::fd_ns_id(ns) == netns::test::thread_ns_id());
        CHECK(fcntl(ns, F_GETFD) == FD_CLOEXEC);
        CHECK(netns_close(&ns) == 0);
        CHECK(netns_close(&cur) == 0);
    }
    SECTION("chunked, by name")
    {
        int ns = NETNS_NONE;
        {
            FakeDaemon daemon(sock, {{http_chunked_reply(200, "OK", inspect_json(self, true), 9)}});
            ns = netns_get_from_docker("web_1");
        }
        REQUIRE(ns >= 0);
        CHECK(netns_close(&ns) == 0);
    }
    SECTION("errors")
    {
        struct Case {
            const char *name;
            std::string reply;
            int expect;
        };
        const Case cases[] = {
            {"not found", http_reply(404, "Not Found", R"({"message":"No such container: 4f"})"), -ENOENT},
            {"ambiguous",
             http_reply(400, "Bad Request", R"({"message":"Multiple IDs found with provided prefix: 4f"})"),
             -ENOTUNIQ},
            {"stopped", http_reply(200, "OK", inspect_json(0, false)), -ESRCH},
            {"garbage", "this is not HTTP\r\n\r\n", -EPROTO},
            {"bad JSON", http_reply(200, "OK", R"({"State":{"Pid":"x"}})"), -EPROTO},
        };
        for (const auto &c : cases) {
            INFO(c.name);
            FakeDaemon daemon(sock, {{c.reply}});
            CHECK(netns_get_from_docker("4f") == c.expect);
        }
    }
    SECTION("no daemon: the real cgroup tree has no such container")
    {
        // DOCKER_HOST names a missing socket: the cgroups under
        // /sys/fs/cgroup are searched; no container id has these letters.
        CHECK(netns_get_from_docker("zz-libnetns-no-such-container") == -ENOENT);
    }
    CHECK(netns::test::fd_count() == fds);
}
