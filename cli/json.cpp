// SPDX-License-Identifier: Apache-2.0
//
// The tool's JSON: written by hand (a few shapes, no start-up cost, no
// exception on odd bytes). A name is bytes; JSON is Unicode: valid UTF-8
// passes as it is, and each byte that is not part of valid UTF-8 becomes
// "\udcXX" (a lone low surrogate U+DC80..U+DCFF, XX the byte), which no
// valid UTF-8 produces: Python's json.loads() then
// .encode('utf-8', 'surrogateescape') gives the name's bytes back.
#include "cli.hpp"

#include <cstdio>
#include <string>

namespace cli {

namespace {

// The length of the valid UTF-8 sequence at s[0..n), or 0 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
size_t utf8_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; ++i)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

void append_value(std::string &out, const JsonField &f)
{
    if (f.number)
        out += std::to_string(f.value);
    else
        json_string(out, f.text);
}

void append_object(std::string &out, const JsonObject &object, bool pretty, const char *indent,
                   const char *close_indent)
{
    out += '{';
    bool first = true;
    for (const JsonField &f : object) {
        if (!first)
            out += ',';
        first = false;
        if (pretty) {
            out += '\n';
            out += indent;
        }
        json_string(out, f.key);
        out += pretty ? ": " : ":";
        append_value(out, f);
    }
    if (pretty) {
        out += '\n';
        out += close_indent;
    }
    out += '}';
}

void put(const std::string &out) { std::fwrite(out.data(), 1, out.size(), stdout); }

} // namespace

void json_string(std::string &out, std::string_view text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    size_t n = text.size();
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
            }
            ++i;
            continue;
        }
        size_t len = utf8_length(s + i, n - i);
        if (len != 0) {
            out.append(reinterpret_cast<const char *>(s + i), len);
            i += len;
        } else {
            out += "\\udc";
            out += hex[c >> 4];
            out += hex[c & 15];
            ++i;
        }
    }
    out += '"';
}

// ip's layouts (iproute2's json_writer): compact `[{"k":v},{"k":v}]`;
// with -p `[ {\n        "k": v\n    },{\n ... \n    } ]`, and `[ ]` empty.
void print_json_objects(const std::vector<JsonObject> &objects, bool pretty)
{
    std::string out;
    out.reserve(objects.size() * 32 + 8);
    out += '[';
    bool first = true;
    for (const JsonObject &o : objects) {
        if (pretty)
            out += first ? " " : ",";
        else if (!first)
            out += ',';
        first = false;
        append_object(out, o, pretty, "        ", "    ");
    }
    out += pretty ? " ]\n" : "]\n";
    put(out);
}

void print_json_numbers(const std::vector<long long> &numbers, bool pretty)
{
    std::string out = "[";
    bool first = true;
    for (long long v : numbers) {
        if (pretty)
            out += first ? " " : ",";
        else if (!first)
            out += ',';
        first = false;
        out += std::to_string(v);
    }
    out += pretty ? " ]\n" : "]\n";
    put(out);
}

void print_json_object(const JsonObject &object, bool pretty)
{
    std::string out;
    append_object(out, object, pretty, "    ", "");
    out += '\n';
    put(out);
}

std::string json_line(const JsonObject &object)
{
    std::string out;
    append_object(out, object, false, "", "");
    out += '\n';
    return out;
}

} // namespace cli
