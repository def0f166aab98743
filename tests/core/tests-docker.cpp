// SPDX-License-Identifier: Apache-2.0
// The Docker lookup: a fake Engine API daemon on a unix socket, fake cgroup
// trees, and the real /proc (the pid found is this process or a child).
#include "catch.hpp"
#include "helpers.hpp"
#include "fake_docker.hpp"

#include "container/docker.hpp"
#include "sys.hpp"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace netns::core;
using netns::test::FakeDaemon;
using netns::test::FakeReply;
using netns::test::http_chunked_reply;
using netns::test::http_reply;
using netns::test::inspect_json;
using netns::test::is_list_request;
using netns::test::list_json;
using netns::test::make_cgroup;
using netns::test::TempDir;

namespace {

const std::string cid = "4f66ad9a0b2e4f3a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b";

DockerSources sources(const TempDir &tmp, std::vector<std::string> sockets)
{
    DockerSources src;
    src.sockets = std::move(sockets);
    src.cgroup_root = tmp / "cgroup";
    src.proc_root = "/proc";
    src.timeout_ms = 5000;
    return src;
}

// A child process that waits to be killed; killed and reaped on scope exit.
class Child {
public:
    Child()
    {
        pid_ = ::fork();
        if (pid_ < 0)
            throw std::runtime_error("fork");
        if (pid_ == 0) {
            for (;;)
                ::pause();
        }
    }
    ~Child() { stop(); }
    void stop()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
    }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_;
};

} // namespace

TEST_CASE("check_container_id", "[docker]")
{
    for (const std::string &ok :
         {std::string("a"), std::string("4f66ad9a0b2e"), cid, std::string("my_web-1.2"),
          std::string(128, 'x'), std::string("..."), std::string(".a")})
        CHECK(check_container_id(ok).ok());
    for (const std::string &bad :
         {std::string(), std::string("a/b"), std::string("../x"), std::string("a b"),
          std::string(129, 'x'), std::string("."), std::string(".."), std::string("a\nb"),
          std::string("a%2e"), std::string("a?b"), std::string("a\0b", 3), std::string("ü")})
        CHECK(check_container_id(bad).error() == EINVAL);
}

TEST_CASE("system_docker_sources", "[docker]")
{
    const std::vector<std::string> defaults = {"/run/docker.sock", "/var/run/docker.sock"};
    SECTION("defaults")
    {
        for (const char *host : {static_cast<const char *>(nullptr), "", "tcp://127.0.0.1:2375",
                                 "ssh://user@host", "unix://", "npipe:////./pipe/docker_engine"}) {
            auto src = system_docker_sources(host);
            CHECK(src.sockets == defaults);
            CHECK(src.cgroup_root == "/sys/fs/cgroup");
            CHECK(src.proc_root == "/proc");
            CHECK(src.timeout_ms == 5000);
        }
    }
    SECTION("unix:// names the only socket")
    {
        CHECK(system_docker_sources("unix:///home/u/.docker/run/docker.sock").sockets ==
              std::vector<std::string>{"/home/u/.docker/run/docker.sock"});
    }
}

TEST_CASE("inspect_request", "[docker]")
{
    CHECK(inspect_request("abc") == "GET /containers/abc/json HTTP/1.1\r\nHost: docker\r\n"
                                    "User-Agent: libnetns\r\nAccept: application/json\r\n"
                                    "Connection: close\r\n\r\n");
}

TEST_CASE("parse_container_json", "[docker]")
{
    SECTION("running and stopped")
    {
        auto run = parse_container_json(inspect_json(1234, true));
        REQUIRE(run.ok());
        CHECK(run->pid == 1234);
        CHECK(run->running);
        auto stopped = parse_container_json(inspect_json(0, false));
        REQUIRE(stopped.ok());
        CHECK(stopped->pid == 0);
        CHECK_FALSE(stopped->running);
    }
    SECTION("Running missing: running when a pid is set")
    {
        CHECK(parse_container_json(R"({"State":{"Pid":7}})").value().running);
        CHECK_FALSE(parse_container_json(R"({"State":{"Pid":0}})").value().running);
        CHECK(parse_container_json(R"({"State":{"Pid":2147483647}})").value().pid == 2147483647);
    }
    SECTION("malformed is EPROTO")
    {
        for (const char *bad :
             {"", "garbage", "[]", "{}", "null", R"({"State":1})", R"({"State":{}})",
              R"({"State":{"Pid":"12"}})", R"({"State":{"Pid":1.5}})", R"({"State":{"Pid":-1}})",
              R"({"State":{"Pid":2147483648}})", R"({"State":{"Pid":18446744073709551615}})",
              R"({"State":{"Pid":12,"Running":"yes"}})", R"({"State":{"Pid":12})",
              R"({"State":{"Pid":12}} trailing)"})
            CHECK(parse_container_json(bad).error() == EPROTO);
    }
}

TEST_CASE("pid_from_inspect maps statuses", "[docker]")
{
    auto resp = [](int status, std::string body) {
        http::Response r;
        r.head.status = status;
        r.body = std::move(body);
        return r;
    };
    CHECK(pid_from_inspect(resp(200, inspect_json(42, true))).value() == 42);
    CHECK(pid_from_inspect(resp(200, inspect_json(0, false))).error() == ESRCH);
    CHECK(pid_from_inspect(resp(200, R"({"State":{"Pid":42,"Running":false}})")).error() == ESRCH);
    CHECK(pid_from_inspect(resp(200, "not json")).error() == EPROTO);
    CHECK(pid_from_inspect(resp(404, R"({"message":"No such container: x"})")).error() == ENOENT);
    // The words of a message decide nothing: only the status counts.
    CHECK(
        pid_from_inspect(resp(400, R"({"message":"Multiple IDs found with provided prefix: 4f"})"))
            .error() == EINVAL);
    CHECK(pid_from_inspect(resp(500, "multiple IDs found with provided prefix: 4f")).error() ==
          EPROTO);
    CHECK(pid_from_inspect(resp(400, R"({"message":"invalid reference format"})")).error() ==
          EINVAL);
    CHECK(pid_from_inspect(resp(401, "")).error() == EACCES);
    CHECK(pid_from_inspect(resp(403, R"({"message":"authorization denied"})")).error() == EACCES);
    CHECK(pid_from_inspect(resp(500, R"({"message":"boom"})")).error() == EPROTO);
    CHECK(pid_from_inspect(resp(503, "")).error() == EPROTO);
    CHECK(pid_from_inspect(resp(201, inspect_json(42, true))).error() == EPROTO);
    CHECK(pid_from_inspect(resp(302, "")).error() == EPROTO);
}

TEST_CASE("the ambiguity check reads the container list", "[docker]")
{
    CHECK(list_request("4f66") ==
          "GET /containers/json?all=1&filters=%7B%22id%22%3A%5B%224f66%22%5D%7D HTTP/1.1\r\n"
          "Host: docker\r\nUser-Agent: libnetns\r\nAccept: application/json\r\n"
          "Connection: close\r\n\r\n");
    for (int status : {400, 500, 502, 503, 599})
        CHECK(may_be_ambiguous(status));
    for (int status : {200, 204, 301, 401, 403, 404, 409, 499, 600})
        CHECK_FALSE(may_be_ambiguous(status));

    auto resp = [](int status, std::string body) {
        http::Response r;
        r.head.status = status;
        r.body = std::move(body);
        return r;
    };
    std::string other = cid;
    other[4] = 'f';
    CHECK(count_id_prefix(resp(200, "[]"), "4f66").value() == 0);
    CHECK(count_id_prefix(resp(200, list_json({cid})), "4f66").value() == 1);
    CHECK(count_id_prefix(resp(200, list_json({cid, other})), "4f66a").value() == 1);
    CHECK(count_id_prefix(resp(200, list_json({cid, other})), "4f66").value() == 2);
    CHECK(count_id_prefix(resp(200, list_json({cid, other})), cid).value() == 1);
    // The daemon's filter is a regular expression search: an id that holds
    // the prefix elsewhere is listed, and is not counted.
    CHECK(count_id_prefix(resp(200, list_json({"aa" + cid, cid})), "4f66").value() == 1);
    for (const char *bad : {"", "{}", "null", "[1]", R"([{"Names":["/x"]}])", R"([{"Id":7}])", "[",
                            R"([{"Id":"4f66"}] x)"})
        CHECK(count_id_prefix(resp(200, bad), "4f66").error() == EPROTO);
    CHECK(count_id_prefix(resp(403, list_json({cid, other})), "4f6").error() == EPROTO);
    CHECK(count_id_prefix(resp(500, "[]"), "4f6").error() == EPROTO);
}

TEST_CASE("exchange_error keeps only documented codes", "[docker]")
{
    for (int kept : {ETIMEDOUT, EMFILE, ENFILE, ENOMEM})
        CHECK(exchange_error(kept) == kept);
    CHECK(exchange_error(ENOBUFS) == ENOMEM);
    for (int broken : {EPIPE, ECONNRESET, ECONNABORTED, ENOTCONN, EIO, EBADF, EINVAL, 0})
        CHECK(exchange_error(broken) == EPROTO);
}

TEST_CASE("the daemon is asked first", "[docker]")
{
    TempDir tmp;
    const std::string sock = tmp / "docker.sock";
    const pid_t self = ::getpid();
    const std::string my_ns = netns::test::thread_ns_id();
    int fds = netns::test::fd_count();

    // Each section: one reply (and the answer to the ambiguity check, when
    // it must be asked); the expected error, 0 for this process's pid.
    struct Case {
        const char *name;
        FakeReply reply;
        int expect_err;
        std::string list = {};
    };
    std::string other = cid;
    other[4] = 'f';
    const std::string two = http_reply(200, "OK", list_json({cid, other}));
    const std::string one = http_reply(200, "OK", list_json({cid}));
    const std::string running = inspect_json(self, true);
    const std::string cut_body = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"State\":";
    const Case cases[] = {
        {"Content-Length", {http_reply(200, "OK", running)}, 0},
        {"chunked", {http_chunked_reply(200, "OK", running, 7)}, 0},
        {"one big chunk", {http_chunked_reply(200, "OK", running, 100000)}, 0},
        {"dripped byte by byte", {http_chunked_reply(200, "OK", running, 10), 1}, 0},
        {"dripped, Content-Length", {http_reply(200, "OK", running), 3}, 0},
        {"framed by EOF",
         {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + running},
         0},
        {"HTTP/1.0 with a 100 Continue first",
         {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nContent-Length: " +
          std::to_string(running.size()) + "\r\n\r\n" + running},
         0},
        {"404", {http_reply(404, "Not Found", R"({"message":"No such container: 4f66"})")}, ENOENT},
        {"400 ambiguous",
         {http_reply(400, "Bad Request",
                     R"({"message":"Multiple IDs found with provided prefix: 4f"})")},
         ENOTUNIQ,
         two},
        {"400 ambiguous, chunked",
         {http_chunked_reply(400, "Bad Request",
                             R"({"message":"multiple IDs found with provided prefix: 4f"})", 5)},
         ENOTUNIQ,
         two},
        {"400 ambiguous, in other words",
         {http_reply(400, "Bad Request", R"({"message":"Präfix 4f66 passt auf 2 Container"})")},
         ENOTUNIQ,
         two},
        {"500 ambiguous (Docker before 17.06)",
         {http_reply(500, "Internal Server Error",
                     "Multiple IDs found with provided prefix: 4f66\n")},
         ENOTUNIQ,
         two},
        {"400 worded as ambiguous, one match listed",
         {http_reply(400, "Bad Request",
                     R"({"message":"Multiple IDs found with provided prefix: 4f"})")},
         EINVAL,
         one},
        {"400, the list is not JSON",
         {http_reply(400, "Bad Request", R"({"message":"no"})")},
         EPROTO,
         http_reply(200, "OK", "<html>")},
        {"400, the list is refused",
         {http_reply(400, "Bad Request", R"({"message":"no"})")},
         EPROTO,
         http_reply(403, "Forbidden", R"({"message":"authorization denied"})")},
        {"400, the list is cut short", {http_reply(400, "Bad Request", "{}")}, EPROTO, cut_body},
        {"500", {http_reply(500, "Internal Server Error", R"({"message":"boom"})")}, EPROTO, one},
        {"503, nothing listed",
         {http_reply(503, "Service Unavailable", "")},
         EPROTO,
         http_reply(200, "OK", "[]")},
        {"stopped: Pid 0", {http_reply(200, "OK", inspect_json(0, false))}, ESRCH},
        {"stopped: Running false",
         {http_reply(200, "OK",
                     R"({"State":{"Running":false,"Pid":)" + std::to_string(self) + "}}")},
         ESRCH},
        {"garbage", {"SSH-2.0-OpenSSH_9.2\r\n"}, EPROTO},
        {"binary garbage", {std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\r\n\r\n", 12)}, EPROTO},
        {"not JSON", {http_reply(200, "OK", "<html>hello</html>")}, EPROTO},
        {"truncated head", {"HTTP/1.1 200 OK\r\nContent-Le"}, EPROTO},
        {"truncated body", {cut_body}, EPROTO},
        {"truncated chunks",
         {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"Sta"},
         EPROTO},
        {"closes without a word", {""}, EPROTO},
        // The request is left unread: the connection is reset (EPIPE on the
        // send or ECONNRESET on the receive, whichever comes first).
        {"resets before answering", {"", 0, false, true}, EPROTO},
        {"resets mid-body", {cut_body, 0, false, true}, EPROTO},
    };
    for (const auto &c : cases) {
        SECTION(c.name)
        {
            {
                // Two lookups, each one or two connections, in order.
                std::vector<FakeReply> one_lookup = {c.reply};
                if (!c.list.empty())
                    one_lookup.push_back({c.list});
                std::vector<FakeReply> replies = one_lookup;
                replies.insert(replies.end(), one_lookup.begin(), one_lookup.end());
                FakeDaemon daemon(sock, replies);
                auto src = sources(tmp, {sock});
                // The cgroup tree knows another pid: it must not be used.
                make_cgroup(src.cgroup_root, "docker/" + cid, std::string("1\n"));
                auto pid = container_pid("4f66", src);
                auto fd = get_from_docker("4f66", src);
                if (c.expect_err == 0) {
                    CHECK(pid.value() == self);
                    REQUIRE(fd.ok());
                    CHECK(netns::test::fd_ns_id(fd->get()) == my_ns);
                } else {
                    CHECK(pid.error() == c.expect_err);
                    CHECK(fd.error() == c.expect_err);
                }
                if (!c.reply.unread) {
                    auto reqs = daemon.requests();
                    REQUIRE(reqs.size() == replies.size());
                    CHECK(reqs[0] == inspect_request("4f66"));
                    if (!c.list.empty())
                        CHECK(reqs[1] == list_request("4f66"));
                }
            }
            CHECK(netns::test::fd_count() == fds);
        }
    }
}

TEST_CASE("a daemon that does not answer in time is ETIMEDOUT", "[docker]")
{
    TempDir tmp;
    const std::string sock = tmp / "docker.sock";
    int fds = netns::test::fd_count();
    auto src = sources(tmp, {sock});
    src.timeout_ms = 100;
    // Would be found in the cgroups: a daemon that hangs must not fall back.
    make_cgroup(src.cgroup_root, "docker/" + cid, std::to_string(::getpid()) + "\n");

    SECTION("accepts and reads, never writes")
    {
        FakeDaemon daemon(sock, {FakeReply{"", 0, true}});
        CHECK(get_from_docker("4f66", src).error() == ETIMEDOUT);
    }
    SECTION("never accepts")
    {
        FakeDaemon daemon(sock, {}, true);
        CHECK(get_from_docker("4f66", src).error() == ETIMEDOUT);
    }
    SECTION("sends half a response and stalls")
    {
        FakeDaemon daemon(sock,
                          {FakeReply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{", 0, true}});
        CHECK(get_from_docker("4f66", src).error() == ETIMEDOUT);
    }
    SECTION("keeps sending, too slowly: the deadline is for the whole exchange")
    {
        // A header line every 20 ms, for far longer than the 100 ms allowed.
        std::string endless = "HTTP/1.1 200 OK\r\n";
        for (int i = 0; i < 2000; ++i)
            endless += "X-Pad: " + std::to_string(i) + "\r\n";
        FakeDaemon daemon(sock, {FakeReply{endless, 16, true, false, 20}});
        CHECK(get_from_docker("4f66", src).error() == ETIMEDOUT);
    }
    SECTION("answers the inspect, then stalls on the ambiguity check")
    {
        FakeDaemon daemon(sock, {{http_reply(400, "Bad Request", R"({"message":"ambiguous"})")},
                                 FakeReply{"", 0, true}});
        CHECK(get_from_docker("4f66", src).error() == ETIMEDOUT);
    }
    CHECK(netns::test::fd_count() == fds);
}

TEST_CASE("the cgroup trees are searched when no daemon answers", "[docker]")
{
    TempDir tmp;
    const pid_t self = ::getpid();
    const std::string my_ns = netns::test::thread_ns_id();
    int fds = netns::test::fd_count();
    const std::string sock = tmp / "docker.sock";

    SECTION("no socket at all, v2 tree")
    {
        auto src = sources(tmp, {tmp / "missing.sock", tmp / "missing/dir.sock"});
        make_cgroup(src.cgroup_root, "system.slice/docker-" + cid + ".scope",
                    std::to_string(self) + "\n");
        auto fd = get_from_docker("4f66ad", src);
        REQUIRE(fd.ok());
        CHECK(netns::test::fd_ns_id(fd->get()) == my_ns);
        CHECK(get_from_docker(cid, src).ok());
        CHECK(get_from_docker("4f67", src).error() == ENOENT);
    }
    SECTION("no sockets configured, v1 tree")
    {
        auto src = sources(tmp, {});
        make_cgroup(src.cgroup_root, "memory/docker/" + cid, std::to_string(self) + "\n", "tasks");
        make_cgroup(src.cgroup_root, "pids/docker/" + cid, std::to_string(self) + "\n");
        auto fd = get_from_docker("4f", src);
        REQUIRE(fd.ok());
        CHECK(netns::test::fd_ns_id(fd->get()) == my_ns);
    }
    SECTION("a stale socket (nobody listening) and a regular file")
    {
        {
            FakeDaemon gone(sock, {}, true);
        } // unlinked: recreate the file as a dead socket
        int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un addr {};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, sock.c_str(), sock.size() + 1);
        REQUIRE(::bind(s, reinterpret_cast<struct sockaddr *>(&addr), sizeof addr) == 0);
        ::close(s); // bound, never listened: ECONNREFUSED
        const std::string file = tmp / "plain-file";
        REQUIRE(::close(::open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) == 0);
        auto src = sources(tmp, {sock, file});
        make_cgroup(src.cgroup_root, "docker/" + cid, std::to_string(self) + "\n");
        CHECK(container_pid("4f66", src).value() == self);
    }
    SECTION("the first socket is missing, the second answers")
    {
        FakeDaemon daemon(sock, {{http_reply(200, "OK", inspect_json(self, true))}});
        auto src = sources(tmp, {tmp / "missing.sock", sock});
        CHECK(container_pid("web", src).value() == self);
        CHECK(daemon.requests().at(0) == inspect_request("web"));
    }
    SECTION("a daemon's 404 is final: no fallback")
    {
        FakeDaemon daemon(sock,
                          {{http_reply(404, "Not Found", R"({"message":"No such container"})")}});
        auto src = sources(tmp, {sock});
        make_cgroup(src.cgroup_root, "docker/" + cid, std::to_string(self) + "\n");
        CHECK(container_pid("4f66", src).error() == ENOENT);
    }
    SECTION("ambiguous, not found and stopped in the trees")
    {
        auto src = sources(tmp, {tmp / "missing.sock"});
        std::string other = cid;
        other[4] = 'f';
        make_cgroup(src.cgroup_root, "docker/" + cid, std::to_string(self) + "\n");
        make_cgroup(src.cgroup_root, "kubepods/besteffort/pod1234/" + other,
                    std::to_string(self) + "\n");
        make_cgroup(src.cgroup_root, "nerdctl/" + std::string("ab12"), std::string());
        CHECK(get_from_docker("4f66", src).error() == ENOTUNIQ);
        CHECK(get_from_docker("4f66a", src).ok());
        CHECK(get_from_docker("4f66f", src).ok());
        CHECK(get_from_docker("ffff", src).error() == ENOENT);
        CHECK(get_from_docker("ab", src).error() == ESRCH);
    }
    SECTION("the container is a child process; once it dies, ESRCH")
    {
        Child child;
        auto src = sources(tmp, {});
        make_cgroup(src.cgroup_root, "system.slice/docker-" + cid + ".scope",
                    std::to_string(child.pid()) + "\n");
        CHECK(container_pid("4f66", src).value() == child.pid());
        auto fd = get_from_docker("4f66", src);
        REQUIRE(fd.ok());
        CHECK(netns::test::fd_ns_id(fd->get()) == my_ns);
        child.stop();
        CHECK(get_from_docker("4f66", src).error() == ESRCH);
    }
    SECTION("bad ids are EINVAL before any lookup")
    {
        FakeDaemon daemon(sock, {}, true); // would time out if asked
        auto src = sources(tmp, {sock});
        for (const std::string &bad :
             {std::string(), std::string("a/b"), std::string("../x"), std::string("a b"),
              std::string(129, 'a'), std::string("..")}) {
            CHECK(container_pid(bad, src).error() == EINVAL);
            CHECK(get_from_docker(bad, src).error() == EINVAL);
        }
    }
    CHECK(netns::test::fd_count() == fds);
}

// ---- fault injection ----
// The n-th system call of the lookup fails (support/fault_sweep.hpp), once
// through a daemon and once through the cgroup trees. A failure must come
// back as the injected errno, never as a wrong answer such as ENOENT or
// ESRCH; a lookup that gets past a failing step must still find this
// process's namespace.

#include "fault_sweep.hpp"

using netns::test::fault_errnos;
using netns::test::sweep;

namespace {

// One lookup of the container, which "is" this process: 0 or its errno.
int lookup_self(const DockerSources &src, const std::string &want)
{
    auto fd = get_from_docker("4f66", src);
    if (fd)
        CHECK(netns::test::fd_ns_id(fd->get()) == want);
    return fd.error();
}

} // namespace

TEST_CASE("fault: docker lookup through a daemon", "[docker][fault]")
{
    TempDir tmp;
    netns::test::SetGuard keep;
    const std::string sock = tmp / "docker.sock";
    const std::string want = netns::test::thread_ns_id();
    const int fds = netns::test::fd_count();
    // A missing socket first; the cgroup tree knows the container too, so a
    // failure that fell back to it would show as a success.
    auto src = sources(tmp, {tmp / "missing.sock", sock});
    make_cgroup(src.cgroup_root, "docker/" + cid, std::to_string(::getpid()) + "\n");
    const std::string reply = http_chunked_reply(200, "OK", inspect_json(::getpid(), true), 16);
    for (int err : fault_errnos) {
        // Once a daemon accepts, its answer is final: nothing may absorb a
        // failure.
        auto swept = sweep({.what = "docker (daemon)",
                            .scratch = tmp.path(),
                            .call =
                                [&] {
                                    FakeDaemon daemon(sock, {{reply}});
                                    return lookup_self(src, want);
                                },
                            .on_success = [&] { CHECK(netns::test::fd_count() == fds); },
                            // EIO is no documented code of the exchange.
                            .may_report_as = err == EIO ? EPROTO : 0},
                           err);
        // socket, setsockopt, connect for each socket; send, read; the
        // handle: open.
        CHECK(swept.sites >= 10);
    }
    CHECK(netns::test::mounts_under(tmp.path()).empty());
}

TEST_CASE("fault: docker lookup through the cgroup trees", "[docker][fault]")
{
    TempDir tmp;
    netns::test::SetGuard keep;
    const std::string want = netns::test::thread_ns_id();
    const int fds = netns::test::fd_count();
    const std::string self = std::to_string(::getpid()) + "\n";
    auto src = sources(tmp, {tmp / "missing.sock"}); // no daemon: the cgroup search
    // Found first (v2), then with no process (ESRCH), then again (v1).
    make_cgroup(src.cgroup_root, "system.slice/docker-" + cid + ".scope", self);
    make_cgroup(src.cgroup_root, "memory/docker/" + cid, std::string());
    make_cgroup(src.cgroup_root, "pids/docker/" + cid, self);
    for (int err : fault_errnos) {
        auto swept = sweep({.what = "docker (cgroup)",
                            .scratch = tmp.path(),
                            .call = [&] { return lookup_self(src, want); },
                            .on_success = [&] { CHECK(netns::test::fd_count() == fds); },
                            .may_absorb = true,
                            // The absent socket is tried first: EIO there
                            // is no documented code of the exchange.
                            .may_report_as = err == EIO ? EPROTO : 0},
                           err);
        CHECK(swept.sites >= 12); // a listing in each hierarchy at least
        // Reading the first copy's pid failed: the same container in
        // another hierarchy answers instead.
        CHECK(swept.absorbed >= 1);
    }
    CHECK(netns::test::mounts_under(tmp.path()).empty());
}
