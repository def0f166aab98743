// SPDX-License-Identifier: Apache-2.0
//
// libnetns for C++: RAII handles over the C ABI of libnetns.so.0.
//
// Header-only, C++17 or later. It uses nothing but <netns/netns.h>, so it
// binds to the stable C ABI and to no C++ ABI of the library.
//
// Conventions:
//  - Every failure of the C API (a negative errno) is thrown as
//    std::system_error(errno, std::system_category(), "<C function name>"),
//    e.g. code() == std::errc::no_such_file_or_directory and
//    what() starting with "netns_get_from_name".
//  - Handle owns one file descriptor and closes it when destroyed. It is
//    move-only; a moved-from or default-constructed Handle is empty (holds
//    NETNS_NONE).
//  - Every name is the C function's without `netns_`: netns::get() is
//    netns_get, netns::new_named() netns_new_named; `new` being a keyword,
//    netns_new is netns::new_(). The scope guard is netns::SetGuard.
//  - Namespace switches (set(), setns(), new_(), new_named(), SetGuard)
//    act on the CALLING THREAD only, as setns(2) and unshare(2) do. Other
//    threads of the process stay where they are. A failed call never moves
//    the thread.
#ifndef NETNS_NETNS_HPP
#define NETNS_NETNS_HPP

#include <netns/netns.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include <sys/types.h>

namespace netns {

namespace detail {

[[noreturn]] inline void throw_errno(int rc, const char *function)
{
    throw std::system_error(-rc, std::system_category(), function);
}

// Returns rc when it is a success (>= 0); throws when it is -errno.
inline int check(int rc, const char *function)
{
    if (rc < 0)
        throw_errno(rc, function);
    return rc;
}

// A std::string is passed to the C API as a C string: an embedded NUL would
// silently cut it short, so such a string is rejected as the C API rejects
// invalid names and paths.
inline const char *c_str(const std::string &s, const char *function)
{
    if (s.find('\0') != std::string::npos)
        throw_errno(-EINVAL, function);
    return s.c_str();
}

// Calls a netns_string()-style function and returns the whole text.
template <typename Describe>
std::string describe(int fd, Describe fn, const char *function)
{
    // Most descriptions fit the first buffer; a longer one (a high fd
    // number, a large device number) takes a second call with the exact
    // size. The loop only guards against a description that grows between
    // the two calls, which one descriptor's cannot.
    std::string out(24, '\0');
    for (;;) {
        auto n = static_cast<std::string::size_type>(check(fn(fd, &out[0], out.size()), function));
        if (n < out.size()) {
            out.resize(n);
            return out;
        }
        out.assign(n + 1, '\0');
    }
}

} // namespace detail

// A handle to a network namespace: an owned file descriptor. The free
// functions below (get(), get_from_name(), new_()...) make them.
class Handle {
public:
    // An empty handle (NETNS_NONE).
    Handle() noexcept = default;

    // Takes ownership of fd (a namespace descriptor from elsewhere, or
    // NETNS_NONE). It is not checked; set() reports a bad one.
    explicit Handle(int fd) noexcept : fd_(fd) {}

    ~Handle() { reset(); }

    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;

    Handle(Handle &&other) noexcept : fd_(other.release()) {}
    Handle &operator=(Handle &&other) noexcept
    {
        Handle(std::move(other)).swap(*this);
        return *this;
    }

    // --- Deprecated: one-line forwards to the free functions below, kept
    // so that code written against 0.1.0 still compiles.

    [[deprecated("use netns::get()")]] [[nodiscard]] static Handle current();
    [[deprecated("use netns::get_from_path()")]] [[nodiscard]] static Handle
    from_path(const char *path);
    [[deprecated("use netns::get_from_path()")]] [[nodiscard]] static Handle
    from_path(const std::string &path);
    [[deprecated("use netns::get_from_name()")]] [[nodiscard]] static Handle
    from_name(const char *name);
    [[deprecated("use netns::get_from_name()")]] [[nodiscard]] static Handle
    from_name(const std::string &name);
    [[deprecated("use netns::get_from_pid()")]] [[nodiscard]] static Handle from_pid(pid_t pid);
    [[deprecated("use netns::get_from_thread()")]] [[nodiscard]] static Handle
    from_thread(pid_t pid, pid_t tid);
    [[deprecated("use netns::get_from_docker()")]] [[nodiscard]] static Handle
    from_docker(const char *id);
    [[deprecated("use netns::get_from_docker()")]] [[nodiscard]] static Handle
    from_docker(const std::string &id);
    [[deprecated("use netns::new_()")]] [[nodiscard]] static Handle create();
    [[deprecated("use netns::new_named()")]] [[nodiscard]] static Handle
    create_named(const char *name);
    [[deprecated("use netns::new_named()")]] [[nodiscard]] static Handle
    create_named(const std::string &name);

    // --- Ownership ---------------------------------------------------------

    // The descriptor, still owned by the handle; NETNS_NONE when empty.
    [[nodiscard]] int fd() const noexcept { return fd_; }

    // Gives the descriptor up: the caller must close it. The handle is
    // left empty.
    [[nodiscard]] int release() noexcept { return std::exchange(fd_, NETNS_NONE); }

    // Whether the handle holds a descriptor (netns_is_open; the descriptor
    // itself is not checked).
    [[nodiscard]] bool is_open() const noexcept { return netns_is_open(fd_) != 0; }
    explicit operator bool() const noexcept { return is_open(); }

    // Closes the descriptor and leaves the handle empty; does nothing on an
    // empty handle. Throws (netns_close) when close(2) reports an error,
    // e.g. EBADF for a descriptor that was not open; the handle is empty
    // then too.
    void close()
    {
        if (!is_open())
            return;
        detail::check(netns_close(&fd_), "netns_close");
    }

    // Closes the current descriptor (errors ignored) and takes fd.
    void reset(int fd = NETNS_NONE) noexcept
    {
        if (is_open())
            (void)netns_close(&fd_);
        fd_ = fd;
    }

    void swap(Handle &other) noexcept { std::swap(fd_, other.fd_); }
    friend void swap(Handle &a, Handle &b) noexcept { a.swap(b); }

    // --- Describing ----------------------------------------------------------

    // "NS(<fd>: <dev>, <ino>)", "NS(none)" or "NS(<fd>: unknown)"
    // (netns_string).
    [[nodiscard]] std::string to_string() const
    {
        return detail::describe(fd_, netns_string, "netns_string");
    }

    // "NS(<dev>:<ino>)": the same for every handle to one namespace
    // (netns_unique_id); "NS(none)" for an empty handle.
    [[nodiscard]] std::string unique_id() const
    {
        return detail::describe(fd_, netns_unique_id, "netns_unique_id");
    }

    // Whether both handles name the same namespace, or both are empty
    // (netns_equal). A handle whose descriptor cannot be examined equals
    // nothing, not even itself.
    friend bool operator==(const Handle &a, const Handle &b) noexcept
    {
        return netns_equal(a.fd_, b.fd_) != 0;
    }
    friend bool operator!=(const Handle &a, const Handle &b) noexcept { return !(a == b); }

private:
    int fd_ = NETNS_NONE;
};

static_assert(std::is_nothrow_default_constructible_v<Handle>);
static_assert(std::is_nothrow_move_constructible_v<Handle>);
static_assert(std::is_nothrow_move_assignable_v<Handle>);
static_assert(std::is_nothrow_destructible_v<Handle>);
static_assert(std::is_nothrow_swappable_v<Handle>);
static_assert(!std::is_copy_constructible_v<Handle>);
static_assert(!std::is_copy_assignable_v<Handle>);
static_assert(!std::is_convertible_v<int, Handle>, "adopting an fd must be explicit");

// --- Opening ------------------------------------------------------------
// None of these moves the calling thread.

// The calling thread's network namespace (netns_get).
[[nodiscard]] inline Handle get() { return Handle(detail::check(netns_get(), "netns_get")); }

// The namespace at an nsfs path: /proc/<pid>/ns/net, an `ip netns add`
// bind mount... (netns_get_from_path). EINVAL when it is not a network
// namespace.
[[nodiscard]] inline Handle get_from_path(const char *path)
{
    return Handle(detail::check(netns_get_from_path(path), "netns_get_from_path"));
}
[[nodiscard]] inline Handle get_from_path(const std::string &path)
{
    return get_from_path(detail::c_str(path, "netns_get_from_path"));
}

// The named namespace <run dir>/name (netns_get_from_name). ENOENT when
// there is none, EINVAL for an invalid name.
[[nodiscard]] inline Handle get_from_name(const char *name)
{
    return Handle(detail::check(netns_get_from_name(name), "netns_get_from_name"));
}
[[nodiscard]] inline Handle get_from_name(const std::string &name)
{
    return get_from_name(detail::c_str(name, "netns_get_from_name"));
}

// The namespace of process pid (netns_get_from_pid).
[[nodiscard]] inline Handle get_from_pid(pid_t pid)
{
    return Handle(detail::check(netns_get_from_pid(pid), "netns_get_from_pid"));
}

// The namespace of thread tid of process pid (netns_get_from_thread).
[[nodiscard]] inline Handle get_from_thread(pid_t pid, pid_t tid)
{
    return Handle(detail::check(netns_get_from_thread(pid, tid), "netns_get_from_thread"));
}

// The namespace of a Docker container, by id, id prefix or name
// (netns_get_from_docker).
[[nodiscard]] inline Handle get_from_docker(const char *id)
{
    return Handle(detail::check(netns_get_from_docker(id), "netns_get_from_docker"));
}
[[nodiscard]] inline Handle get_from_docker(const std::string &id)
{
    return get_from_docker(detail::c_str(id, "netns_get_from_docker"));
}

// --- Creating -------------------------------------------------------------
// `new` is a keyword, hence new_(). Not `create`: that name is kept for
// creating a namespace WITHOUT moving the thread (a planned netns_create).

// Creates a new network namespace and MOVES THE CALLING THREAD into it
// (netns_new, unshare(CLONE_NEWNET)); returns a handle to it. Use set()
// with a saved handle to go back. On failure the thread stays.
[[nodiscard]] inline Handle new_() { return Handle(detail::check(netns_new(), "netns_new")); }

// Creates a new network namespace persisted as <run dir>/name (like
// `ip netns add`) and MOVES THE CALLING THREAD into it (netns_new_named).
// EEXIST when the name is taken. Remove it with delete_named(). On failure
// the thread stays and nothing is left.
[[nodiscard]] inline Handle new_named(const char *name)
{
    return Handle(detail::check(netns_new_named(name), "netns_new_named"));
}
[[nodiscard]] inline Handle new_named(const std::string &name)
{
    return new_named(detail::c_str(name, "netns_new_named"));
}

// --- Switching and deleting -------------------------------------------------

// Moves the CALLING THREAD into the network namespace ns (netns_set).
// EBADF for an empty handle, EINVAL when ns is not a network namespace.
inline void set(const Handle &ns) { detail::check(netns_set(ns.fd()), "netns_set"); }

// Moves the CALLING THREAD into the namespace ns of type nstype (a
// NETNS_CLONE_NEW* value, or 0 for any type), as setns(2) (netns_setns).
inline void setns(const Handle &ns, int nstype)
{
    detail::check(netns_setns(ns.fd(), nstype), "netns_setns");
}

// Removes the named namespace <run dir>/name (netns_delete_named). The
// namespace lives on while a process or an open Handle still uses it.
// Does not move the calling thread.
inline void delete_named(const char *name)
{
    detail::check(netns_delete_named(name), "netns_delete_named");
}
inline void delete_named(const std::string &name)
{
    delete_named(detail::c_str(name, "netns_delete_named"));
}

// The library's version, "MAJOR.MINOR.MICRO" (netns_version): the version
// of the libnetns.so actually loaded, which may be newer than this header's
// NETNS_VERSION_* macros.
[[nodiscard]] inline const char *version() noexcept { return netns_version(); }

// Switches the CALLING THREAD into a namespace for the length of a scope:
// the constructor saves the thread's current network namespace and enters
// target; the destructor moves the thread back. Other threads are not
// affected, and the object must be destroyed on the thread that made it
// (which a scope guarantees). Not copyable, not movable.
//
//     {
//         netns::SetGuard in(netns::get_from_name("blue"));
//         // this thread is in "blue" here, even if code below throws
//     }
//     // and back here
//
// The constructor throws (netns_get or netns_set) and leaves the thread
// where it was when it cannot switch. The destructor cannot throw: if the
// switch back fails - setns(2) into the namespace the thread just left can
// only fail for lack of kernel memory - the thread stays where it is. Call
// restore() first to get that error as an exception instead.
class SetGuard {
public:
    explicit SetGuard(const Handle &target) : saved_(get()) { set(target); }

    SetGuard(const SetGuard &) = delete;
    SetGuard &operator=(const SetGuard &) = delete;
    SetGuard(SetGuard &&) = delete;
    SetGuard &operator=(SetGuard &&) = delete;

    ~SetGuard()
    {
        if (saved_)
            (void)netns_set(saved_.fd());
    }

    // Moves the thread back now (netns_set); the destructor then does
    // nothing. Throws, and keeps the saved handle so that the destructor
    // tries again, when the switch back fails.
    void restore()
    {
        if (!saved_)
            return;
        set(saved_);
        saved_.close();
    }

    // The namespace the thread goes back to; empty after restore().
    [[nodiscard]] const Handle &saved() const noexcept { return saved_; }

private:
    Handle saved_;
};

static_assert(std::is_nothrow_destructible_v<SetGuard>);
static_assert(!std::is_copy_constructible_v<SetGuard>);
static_assert(!std::is_move_constructible_v<SetGuard>);
static_assert(!std::is_copy_assignable_v<SetGuard>);
static_assert(!std::is_move_assignable_v<SetGuard>);

// --- Deprecated names -----------------------------------------------------

using ScopedSwitch [[deprecated("use netns::SetGuard")]] = SetGuard;

inline Handle Handle::current() { return get(); }
inline Handle Handle::from_path(const char *path) { return get_from_path(path); }
inline Handle Handle::from_path(const std::string &path) { return get_from_path(path); }
inline Handle Handle::from_name(const char *name) { return get_from_name(name); }
inline Handle Handle::from_name(const std::string &name) { return get_from_name(name); }
inline Handle Handle::from_pid(pid_t pid) { return get_from_pid(pid); }
inline Handle Handle::from_thread(pid_t pid, pid_t tid) { return get_from_thread(pid, tid); }
inline Handle Handle::from_docker(const char *id) { return get_from_docker(id); }
inline Handle Handle::from_docker(const std::string &id) { return get_from_docker(id); }
inline Handle Handle::create() { return new_(); }
inline Handle Handle::create_named(const char *name) { return new_named(name); }
inline Handle Handle::create_named(const std::string &name) { return new_named(name); }

} // namespace netns

#endif // NETNS_NETNS_HPP
