// SPDX-License-Identifier: Apache-2.0
#include "http.hpp"
#include "text.hpp"

namespace netns::core::http {

namespace {

constexpr std::size_t max_head_size = 64u << 10;

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// RFC 9110 tchar: the characters of a field name.
bool is_tchar(char c) noexcept
{
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

std::string_view trim_ows(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// The line starting at text[pos], without its CRLF or LF. Returns false when
// no line end has arrived yet; pos then is unchanged.
bool whole_line(std::string_view text, std::size_t &pos, std::string_view &line) noexcept
{
    std::string_view rest = text.substr(pos);
    bool ended = false;
    if (!text::next_line(rest, line, &ended) || !ended)
        return false;
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    pos = text.size() - rest.size();
    return true;
}

// A bare CR inside a line is not allowed (request smuggling vector).
bool has_cr(std::string_view s) noexcept { return s.find('\r') != std::string_view::npos; }

Result<int> parse_status_line(std::string_view line)
{
    // HTTP-version SP status-code [SP reason-phrase]
    if (line.size() < 12 || line.substr(0, 5) != "HTTP/" || line[5] != '1' || line[6] != '.' ||
        !is_digit(line[7]) || line[8] != ' ')
        return Error{EPROTO};
    std::string_view code = line.substr(9, 3);
    for (char c : code)
        if (!is_digit(c))
            return Error{EPROTO};
    if (line.size() > 12 && line[12] != ' ')
        return Error{EPROTO};
    int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    if (status < 100)
        return Error{EPROTO};
    return status;
}

// A decimal Content-Length; a list of equal values ("5, 5") is accepted.
Result<std::size_t> parse_content_length(std::string_view value)
{
    std::optional<std::size_t> result;
    while (true) {
        std::size_t comma = value.find(',');
        std::string_view item = trim_ows(value.substr(0, comma));
        if (item.empty())
            return Error{EPROTO};
        std::size_t n = 0;
        if (!text::to_number(item, n))
            return Error{EPROTO};
        if (result && *result != n)
            return Error{EPROTO};
        result = n;
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    return *result;
}

int hex_value(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

} // namespace

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

std::optional<std::string_view> Head::field(std::string_view name) const noexcept
{
    for (const auto &[n, v] : fields)
        if (iequals(n, name))
            return std::string_view(v);
    return std::nullopt;
}

Result<Head> parse_head(std::string_view text)
{
    Head head;
    std::size_t pos = 0;
    std::string_view line;
    auto incomplete = [&]() -> Error {
        return Error{text.size() > max_head_size ? EPROTO : EAGAIN};
    };

    if (!whole_line(text, pos, line))
        return incomplete();
    if (has_cr(line))
        return Error{EPROTO};
    auto status = parse_status_line(line);
    if (!status)
        return status.failure();
    head.status = status.value();
    if (line.size() > 13)
        head.reason = std::string(line.substr(13));

    while (true) {
        if (pos > max_head_size)
            return Error{EPROTO};
        if (!whole_line(text, pos, line))
            return incomplete();
        if (line.empty())
            break;
        if (has_cr(line))
            return Error{EPROTO};
        // Obsolete line folding and whitespace before the colon are errors.
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return Error{EPROTO};
        std::string_view name = line.substr(0, colon);
        for (char c : name)
            if (!is_tchar(c))
                return Error{EPROTO};
        std::string_view value = trim_ows(line.substr(colon + 1));
        for (char c : value)
            if (c == '\0')
                return Error{EPROTO};
        head.fields.emplace_back(std::string(name), std::string(value));
    }
    if (pos > max_head_size)
        return Error{EPROTO};
    head.size = pos;
    return head;
}

Result<std::string> decode_chunked(std::string_view text)
{
    std::string body;
    std::size_t pos = 0;
    std::string_view line;
    auto incomplete = [&]() -> Error {
        return Error{text.size() > max_response_size ? EPROTO : EAGAIN};
    };

    while (true) {
        // chunk-size [ chunk-ext ] CRLF
        if (!whole_line(text, pos, line))
            return incomplete();
        std::size_t size = 0, i = 0;
        for (; i < line.size(); ++i) {
            int v = hex_value(line[i]);
            if (v < 0)
                break;
            size = size * 16 + static_cast<std::size_t>(v);
            if (size > max_response_size)
                return Error{EPROTO};
        }
        if (i == 0)
            return Error{EPROTO};
        std::string_view ext = trim_ows(line.substr(i));
        if (!ext.empty() && ext.front() != ';')
            return Error{EPROTO};
        if (has_cr(ext))
            return Error{EPROTO};

        if (size == 0) {
            // trailer-section CRLF: fields up to an empty line, ignored.
            while (true) {
                if (!whole_line(text, pos, line))
                    return incomplete();
                if (line.empty())
                    return body;
                if (line.find(':') == std::string_view::npos || has_cr(line))
                    return Error{EPROTO};
            }
        }

        if (text.size() - pos < size)
            return incomplete();
        if (body.size() + size > max_response_size)
            return Error{EPROTO};
        body.append(text.substr(pos, size));
        pos += size;
        // chunk-data CRLF
        std::string_view rest = text.substr(pos);
        if (rest.substr(0, 2) == "\r\n")
            pos += 2;
        else if (rest.substr(0, 1) == "\n")
            pos += 1;
        else if (rest.empty() || rest == "\r")
            return incomplete();
        else
            return Error{EPROTO};
    }
}

Result<Response> parse_response(std::string_view text, bool at_eof)
{
    if (text.size() > max_response_size)
        return Error{EPROTO};
    auto need_more = [at_eof]() -> Error { return Error{at_eof ? EPROTO : EAGAIN}; };

    while (true) {
        auto head = parse_head(text);
        if (!head)
            return head.error() == EAGAIN ? need_more() : head.failure();
        std::string_view rest = text.substr(head->size);
        int status = head->status;
        if (status == 101)
            return Error{EPROTO}; // we never ask for an upgrade
        if (status < 200) {
            text = rest; // an interim response: the final one follows
            continue;
        }

        Response resp;
        if (status == 204 || status == 304) {
            resp.head = std::move(head).value();
            return resp;
        }

        // Transfer-Encoding wins over Content-Length (RFC 9112 6.3). The
        // only coding we can undo is chunked, and we asked for no other.
        std::string coding;
        bool has_te = false, has_cl = false;
        std::size_t length = 0;
        for (const auto &[name, value] : head->fields) {
            if (iequals(name, "Transfer-Encoding")) {
                if (has_te)
                    coding += ',';
                coding += value;
                has_te = true;
            } else if (iequals(name, "Content-Length")) {
                auto n = parse_content_length(value);
                if (!n || (has_cl && n.value() != length))
                    return Error{EPROTO};
                length = n.value();
                has_cl = true;
            }
        }

        if (has_te) {
            if (!iequals(trim_ows(coding), "chunked"))
                return Error{EPROTO};
            auto body = decode_chunked(rest);
            if (!body)
                return body.error() == EAGAIN ? need_more() : body.failure();
            resp.body = std::move(body).value();
        } else if (has_cl) {
            if (length > max_response_size)
                return Error{EPROTO};
            if (rest.size() < length)
                return need_more();
            resp.body = std::string(rest.substr(0, length));
        } else {
            // Framed by the end of the connection.
            if (!at_eof)
                return Error{EAGAIN};
            resp.body = std::string(rest);
        }
        resp.head = std::move(head).value();
        return resp;
    }
}

} // namespace netns::core::http
