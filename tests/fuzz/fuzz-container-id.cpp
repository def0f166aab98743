// SPDX-License-Identifier: Apache-2.0
// Fuzzes core::check_container_id (src/container/docker.hpp) against its documented
// contract: EINVAL unless 1..128 characters of [0-9A-Za-z_.-], and EINVAL
// for "." and ".." (they would walk paths). The id goes
// into the path of an HTTP request to the Docker daemon, so a wrong "yes"
// here is a request-injection bug (a '/', '?', '%', space or CR/LF would
// reach the request line).
#include "container/docker.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void broken(const char *what, std::string_view id, int line)
{
    std::fprintf(stderr, "fuzz-container-id.cpp:%d: invariant broken: %s (id of %zu bytes)\n", line,
                 what, id.size());
    std::abort();
}

#define EXPECT(cond, id)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            broken(#cond, id, __LINE__);                                                           \
    } while (0)

// Not isalnum(): that one depends on the locale.
bool id_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '.' || c == '-';
}

bool model_valid_id(std::string_view id)
{
    if (id.empty() || id.size() > 128 || id == "." || id == "..")
        return false;
    for (char c : id)
        if (!id_char(c))
            return false;
    return true;
}

void check(std::string_view id)
{
    auto st = netns::core::check_container_id(id);
    EXPECT(st.ok() == model_valid_id(id), id);
    EXPECT(st.ok() || st.error() == EINVAL, id);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view in(reinterpret_cast<const char *>(data), size);
    check(in);
    // Near the length limit: the input repeated out to 127..130 bytes.
    if (!in.empty() && in.size() < 128) {
        std::string longer;
        while (longer.size() < 127)
            longer.append(in);
        for (size_t n = 127; n <= 130; ++n) {
            std::string s = longer;
            while (s.size() < n)
                s.append(in);
            s.resize(n);
            check(s);
        }
    }
    return 0;
}
