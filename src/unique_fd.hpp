// SPDX-License-Identifier: Apache-2.0
// A move-only owner of a file descriptor.
#pragma once

#include <unistd.h>
#include <utility>

namespace netns::core {

// What an empty UniqueFd holds: the C API's NETNS_NONE.
inline constexpr int no_fd = -1;

class UniqueFd {
public:
    UniqueFd() noexcept = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd &&o) noexcept : fd_(o.release()) {}
    UniqueFd &operator=(UniqueFd &&o) noexcept
    {
        if (this != &o)
            reset(o.release());
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }

    [[nodiscard]] int get() const noexcept { return fd_; }
    [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
    explicit operator bool() const noexcept { return valid(); }

    // Gives up ownership; the caller must close the result.
    [[nodiscard]] int release() noexcept { return std::exchange(fd_, no_fd); }

    void reset(int fd = no_fd) noexcept
    {
        // close() releases the descriptor even when it reports EINTR, so
        // the result is deliberately not retried; nor is it a sys:: call,
        // since there is no failure to report from a destructor.
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = no_fd;
};

} // namespace netns::core
