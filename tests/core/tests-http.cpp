// SPDX-License-Identifier: Apache-2.0
// The HTTP/1.1 response parser (pure functions).
#include "catch.hpp"
#include "helpers.hpp"

#include "container/http.hpp"

#include <string>

using namespace netns::core;
using namespace netns::core::http;

TEST_CASE("parse_head reads the status line and the fields", "[http]")
{
    SECTION("CRLF lines")
    {
        auto h = parse_head("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            "Api-Version:1.43\r\nX-Empty:\r\n\r\nbody");
        REQUIRE(h.ok());
        CHECK(h->status == 200);
        CHECK(h->reason == "OK");
        REQUIRE(h->fields.size() == 3);
        CHECK(h->field("content-type") == "application/json");
        CHECK(h->field("API-VERSION") == "1.43");
        CHECK(h->field("x-empty") == "");
        CHECK_FALSE(h->field("Content-Length").has_value());
        CHECK(h->size == std::string_view("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                          "Api-Version:1.43\r\nX-Empty:\r\n\r\n")
                             .size());
    }
    SECTION("bare LF lines, HTTP/1.0, no reason, reason with spaces")
    {
        auto h = parse_head("HTTP/1.0 404\nA:  b  \n\n");
        REQUIRE(h.ok());
        CHECK(h->status == 404);
        CHECK(h->reason.empty());
        CHECK(h->field("a") == "b");
        auto h2 = parse_head("HTTP/1.1 500 Internal Server Error\r\n\r\n");
        REQUIRE(h2.ok());
        CHECK(h2->reason == "Internal Server Error");
    }
    SECTION("incomplete heads ask for more")
    {
        for (const char *part : {"", "HTTP/1.1 2", "HTTP/1.1 200 OK\r\n",
                                 "HTTP/1.1 200 OK\r\nA: b\r\n", "HTTP/1.1 200 OK\r\nA: b\r\n\r"})
            CHECK(parse_head(part).error() == EAGAIN);
    }
    SECTION("malformed heads are EPROTO")
    {
        for (const char *bad : {
                 "HTTP/2 200 OK\r\n\r\n",    // not 1.x
                 "HTTP/1.1 20 OK\r\n\r\n",   // two digits
                 "HTTP/1.1 2000 OK\r\n\r\n", // four digits
                 "HTTP/1.1 099 Low\r\n\r\n", // below 100
                 "HTTP/1.1 abc OK\r\n\r\n",  // not a number
                 "ICY 200 OK\r\n\r\n",       // not HTTP
                 "http/1.1 200 OK\r\n\r\n",  // the version is case-sensitive
                 "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
                 "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
                 "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
                 "HTTP/1.1 200 OK\r\nName : x\r\n\r\n",
                 "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n",
                 "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n",
             })
            CHECK(parse_head(bad).error() == EPROTO);
    }
    SECTION("a head that never ends is EPROTO past 64 KiB")
    {
        std::string big = "HTTP/1.1 200 OK\r\n";
        while (big.size() < (65u << 10))
            big += "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
        CHECK(parse_head(big).error() == EPROTO);
    }
}

TEST_CASE("decode_chunked", "[http]")
{
    SECTION("chunks, extensions and trailers")
    {
        CHECK(decode_chunked("0\r\n\r\n").value().empty());
        CHECK(decode_chunked("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").value() == "hello world");
        CHECK(decode_chunked("A\r\n0123456789\r\n0\r\n\r\n").value() == "0123456789");
        CHECK(decode_chunked("a;name=value\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n").value() ==
              "0123456789");
        CHECK(decode_chunked("3\nabc\n0\n\n").value() == "abc");
        CHECK(decode_chunked("03 \r\nabc\r\n000\r\n\r\ntrailing garbage").value() == "abc");
    }
    SECTION("every strict prefix of a chunked body is incomplete")
    {
        std::string full = "5\r\nhello\r\n1;x\r\n!\r\n0\r\nT: 1\r\n\r\n";
        for (std::size_t n = 0; n < full.size(); ++n) {
            INFO("prefix length " << n);
            CHECK(decode_chunked(std::string_view(full).substr(0, n)).error() == EAGAIN);
        }
        CHECK(decode_chunked(full).value() == "hello!");
    }
    SECTION("malformed chunks are EPROTO")
    {
        for (const char *bad : {
                 "\r\n",                              // no size
                 "x\r\n",                             // not hex
                 "-1\r\n",                            // sign
                 "5 x\r\nhello\r\n0\r\n\r\n",         // junk after the size
                 "5\r\nhelloXX0\r\n\r\n",             // no CRLF after data
                 "3\r\nabc\r\n0\r\nno colon\r\n\r\n", // bad trailer
                 "ffffffffffffffffffff\r\n",          // overflow
                 "1000001\r\n",                       // over the 16 MiB limit
             })
            CHECK(decode_chunked(bad).error() == EPROTO);
    }
}

TEST_CASE("parse_response frames the body", "[http]")
{
    SECTION("Content-Length")
    {
        std::string raw = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        auto r = parse_response(raw, false);
        REQUIRE(r.ok());
        CHECK(r->head.status == 200);
        CHECK(r->body == "hello");
        // Anything after the body is not part of it.
        CHECK(parse_response(raw + "extra", true).value().body == "hello");
        for (std::size_t n = 0; n < raw.size(); ++n) {
            INFO("prefix length " << n);
            CHECK(parse_response(std::string_view(raw).substr(0, n), false).error() == EAGAIN);
            CHECK(parse_response(std::string_view(raw).substr(0, n), true).error() == EPROTO);
        }
    }
    SECTION("a list of equal Content-Length values, and repeated equal fields")
    {
        CHECK(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab", false)
                  .value()
                  .body == "ab");
        CHECK(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nab",
                             false)
                  .value()
                  .body == "ab");
    }
    SECTION("bad Content-Length values are EPROTO")
    {
        for (const char *cl :
             {"", "x", "-1", "+1", "1 2", "2, 3", "99999999999999999999999", "16777217"})
            CHECK(parse_response(
                      std::string("HTTP/1.1 200 OK\r\nContent-Length: ") + cl + "\r\n\r\nab", true)
                      .error() == EPROTO);
        CHECK(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                             true)
                  .error() == EPROTO);
    }
    SECTION("chunked, and chunked wins over Content-Length")
    {
        auto r = parse_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "2\r\n{}\r\n0\r\n\r\n",
                                false);
        REQUIRE(r.ok());
        CHECK(r->body == "{}");
        auto r2 = parse_response(
            "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: Chunked\r\n\r\n"
            "2\r\n{}\r\n0\r\n\r\n",
            false);
        CHECK(r2.value().body == "{}");
        CHECK(
            parse_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", true)
                .error() == EPROTO);
        CHECK(parse_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n",
                             false)
                  .error() == EAGAIN);
    }
    SECTION("codings other than chunked are EPROTO")
    {
        for (const char *te : {"gzip", "gzip, chunked", "chunked, gzip", "identity"})
            CHECK(parse_response(std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: ") + te +
                                     "\r\n\r\n0\r\n\r\n",
                                 true)
                      .error() == EPROTO);
    }
    SECTION("a body framed by the end of the connection")
    {
        std::string raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil EOF";
        CHECK(parse_response(raw, false).error() == EAGAIN);
        CHECK(parse_response(raw, true).value().body == "until EOF");
    }
    SECTION("204 and 304 have no body")
    {
        CHECK(parse_response("HTTP/1.1 204 No Content\r\n\r\n", false).value().body.empty());
        CHECK(parse_response("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", false)
                  .value()
                  .head.status == 304);
    }
    SECTION("interim responses are skipped; 101 is EPROTO")
    {
        auto r = parse_response(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
            "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}",
            false);
        REQUIRE(r.ok());
        CHECK(r->head.status == 404);
        CHECK(r->body == "{}");
        CHECK(parse_response("HTTP/1.1 100 Continue\r\n\r\n", false).error() == EAGAIN);
        CHECK(parse_response("HTTP/1.1 100 Continue\r\n\r\n", true).error() == EPROTO);
        CHECK(parse_response("HTTP/1.1 101 Switching Protocols\r\n\r\n", true).error() == EPROTO);
    }
    SECTION("garbage")
    {
        for (const char *bad :
             {"", "garbage", "\r\n\r\n", "{\"State\":{\"Pid\":1}}", "HTTP/1.1\r\n\r\n"})
            CHECK(parse_response(bad, true).error() == EPROTO);
    }
}

TEST_CASE("case-insensitive comparison", "[http]")
{
    CHECK(iequals("Content-Length", "content-LENGTH"));
    CHECK_FALSE(iequals("Content-Length", "Content-Lengt"));
    CHECK(iequals("", ""));
}
