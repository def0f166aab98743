// SPDX-License-Identifier: Apache-2.0
// Fuzzes parse_fdinfo_pid() (src/pidfd.hpp), which reads the pid out of a
// pidfd's /proc fdinfo text when the kernel has no namespace ioctl, against
// a model of its contract: the first line that starts with "Pid:" decides;
// blanks, then an optional '-', then 1 to 10 digits to the end of the line,
// a value from -1 to INT_MAX; anything else is EINVAL.
#include "pidfd.hpp"
#include "fuzz-check.hpp"

#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using netns::core::parse_fdinfo_pid;

namespace {

// The model: the same rule, written plainly with std::string.
bool model(const std::string &text, long long &out)
{
    size_t at = 0;
    while (text.compare(at, 4, "Pid:") != 0) {
        at = text.find('\n', at);
        if (at == std::string::npos)
            return false;
        ++at;
    }
    std::string v = text.substr(at + 4);
    v = v.substr(0, v.find('\n'));
    v.erase(0, v.find_first_not_of(" \t") == std::string::npos ? v.size()
                                                               : v.find_first_not_of(" \t"));
    bool neg = !v.empty() && v[0] == '-';
    if (neg)
        v.erase(0, 1);
    if (v.empty() || v.size() > 10 || v.find_first_not_of("0123456789") != std::string::npos)
        return false;
    out = std::stoll(v) * (neg ? -1 : 1);
    return out >= -1 && out <= INT_MAX;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    auto got = parse_fdinfo_pid(text);
    long long want = 0;
    if (model(text, want)) {
        EXPECT(got.ok());
        EXPECT(got.ok() && got.value() == want);
    } else {
        EXPECT(!got.ok() && got.error() == EINVAL);
    }
    return 0;
}
