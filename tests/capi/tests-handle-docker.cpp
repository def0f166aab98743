// SPDX-License-Identifier: Apache-2.0
// Handles and lookups through the C API (netns.h's first group):
// netns_get_from_docker(), with DOCKER_HOST pointing at a fake daemon. A
// program of its own: it needs no privilege (the unit suite).
#include "catch.hpp"
#include "helpers.hpp"
#include "fake_docker.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <unistd.h>

using netns::test::FakeDaemon;
using netns::test::FakeReply;
using netns::test::http_chunked_reply;
using netns::test::http_reply;
using netns::test::inspect_json;
using netns::test::is_list_request;
using netns::test::list_json;
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
            CHECK(daemon.requests().at(0).rfind("GET /containers/4f66ad9a0b2e/json HTTP/1.1\r\n",
                                                0) == 0);
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
        // The daemon answers the inspect with `reply` and the container
        // list (the ambiguity check) with `list`.
        struct Case {
            const char *name;
            std::string reply;
            int expect;
            std::string list = http_reply(200, "OK", "[]");
        };
        const std::string cut = "HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n{\"State\":{\"Pi";
        const std::string two = http_reply(200, "OK", list_json({"4f66ad9a0b2e", "4f0000000000"}));
        const Case cases[] = {
            {"not found", http_reply(404, "Not Found", R"({"message":"No such container: 4f"})"),
             -ENOENT},
            {"ambiguous",
             http_reply(400, "Bad Request",
                        R"({"message":"Multiple IDs found with provided prefix: 4f"})"),
             -ENOTUNIQ, two},
            {"ambiguous, worded differently",
             http_reply(400, "Bad Request", R"({"message":"prefix 4f is not unique"})"), -ENOTUNIQ,
             two},
            {"ambiguous, old daemon (500)", http_reply(500, "Server Error", "Multiple IDs found\n"),
             -ENOTUNIQ, two},
            {"a 400 that is not about the prefix",
             http_reply(400, "Bad Request", R"({"message":"Multiple IDs found"})"), -EINVAL,
             http_reply(200, "OK", list_json({"4f66ad9a0b2e"}))},
            {"a 500", http_reply(500, "Internal Server Error", R"({"message":"boom"})"), -EPROTO},
            {"a 503, and the list fails too", http_reply(503, "Unavailable", ""), -EPROTO,
             http_reply(503, "Unavailable", "")},
            {"stopped", http_reply(200, "OK", inspect_json(0, false)), -ESRCH},
            {"garbage", "this is not HTTP\r\n\r\n", -EPROTO},
            {"bad JSON", http_reply(200, "OK", R"({"State":{"Pid":"x"}})"), -EPROTO},
            {"closes before answering", "", -EPROTO},
            {"closes mid-body", cut, -EPROTO},
        };
        for (const auto &c : cases) {
            INFO(c.name);
            FakeDaemon daemon(sock, [&c](const std::string &req) {
                return FakeReply{is_list_request(req) ? c.list : c.reply};
            });
            CHECK(netns_get_from_docker("4f") == c.expect);
        }
    }
    SECTION("the daemon resets the connection: EPROTO, not EPIPE or ECONNRESET")
    {
        // The request is left unread, so closing resets the connection.
        const FakeReply resets[] = {
            {"", 0, false, true},
            {"HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n{\"State\":{\"Pi", 0, false, true},
        };
        for (const auto &reply : resets) {
            FakeDaemon daemon(sock, {reply});
            CHECK(netns_get_from_docker("4f") == -EPROTO);
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
