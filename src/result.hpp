// SPDX-License-Identifier: Apache-2.0
// Result<T>: a value or a positive errno. The core never throws to report a
// system error; only std::bad_alloc can escape, and the C facade maps it.
#pragma once

#include <cerrno>
#include <utility>
#include <variant>

namespace netns::core {

// A positive errno value, tagged so it cannot be mistaken for a value. It
// is never 0: the C facade negates it, and 0 would read as success. A code
// that is not positive (errno left unset, a stray -errno) becomes EIO.
class Error {
public:
    constexpr explicit Error(int code) noexcept : code_(code > 0 ? code : EIO) {}
    [[nodiscard]] constexpr int code() const noexcept { return code_; }

private:
    int code_;
};

[[nodiscard]] inline Error last_error() noexcept { return Error{errno}; }

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error e) : v_(e) {}

    [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    [[nodiscard]] int error() const noexcept { return ok() ? 0 : std::get<1>(v_).code(); }
    // The error, to hand on as it is: `return r.failure();`.
    [[nodiscard]] Error failure() const noexcept { return Error{error()}; }

    T &value() & { return std::get<0>(v_); }
    const T &value() const & { return std::get<0>(v_); }
    T &&value() && { return std::get<0>(std::move(v_)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }

private:
    std::variant<T, Error> v_;
};

// Result<void>: success or an errno.
template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error e) : err_(e.code()) {}

    [[nodiscard]] bool ok() const noexcept { return err_ == 0; }
    explicit operator bool() const noexcept { return ok(); }
    [[nodiscard]] int error() const noexcept { return err_; }
    [[nodiscard]] Error failure() const noexcept { return Error{err_}; }

private:
    int err_ = 0;
};

using Status = Result<void>;

} // namespace netns::core
