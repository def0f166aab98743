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
//  - The declarations follow netns.h's six groups, in its order: handles
//    and lookups; switching the calling thread; creating, naming and
//    deleting; running inside a namespace; listing, identifying and
//    watching; namespace ids. Each group says what moves the thread.
#ifndef NETNS_NETNS_HPP
#define NETNS_NETNS_HPP

#include <netns/netns.h>

#include <cerrno>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

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
template <typename Describe> std::string describe(int fd, Describe fn, const char *function)
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

// What Handle, Fd and Monitor have in common: one owned descriptor, closed
// by Close::close(int) (0 or -errno) when the owner is destroyed, reset,
// or closed; Close::name is the function an error of close() names. Empty
// is NETNS_NONE (-1). Move-only: a moved-from one is empty.
template <typename Close> class OwnedFd {
public:
    OwnedFd() noexcept = default;
    explicit OwnedFd(int fd) noexcept : fd_(fd) {}
    ~OwnedFd() { reset(); }

    OwnedFd(const OwnedFd &) = delete;
    OwnedFd &operator=(const OwnedFd &) = delete;
    OwnedFd(OwnedFd &&other) noexcept : fd_(other.release()) {}
    OwnedFd &operator=(OwnedFd &&other) noexcept
    {
        OwnedFd(std::move(other)).swap(*this);
        return *this;
    }

    [[nodiscard]] int fd() const noexcept { return fd_; }
    [[nodiscard]] int release() noexcept { return std::exchange(fd_, NETNS_NONE); }
    [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
    explicit operator bool() const noexcept { return is_open(); }

    void close()
    {
        if (!is_open())
            return;
        if (int rc = Close::close(release()); rc < 0)
            throw_errno(rc, Close::name);
    }

    void reset(int fd = NETNS_NONE) noexcept
    {
        if (is_open())
            (void)Close::close(fd_);
        fd_ = fd;
    }

    void swap(OwnedFd &other) noexcept { std::swap(fd_, other.fd_); }

private:
    int fd_ = NETNS_NONE;
};

// The closers: netns_close and netns_monitor_close set the fd they are
// given to NETNS_NONE, which is the owner's copy no longer.
struct CloseHandle {
    static constexpr const char *name = "netns_close";
    static int close(int fd) noexcept { return netns_close(&fd); }
};
struct CloseFd {
    static constexpr const char *name = "close";
    static int close(int fd) noexcept { return ::close(fd) == 0 ? 0 : -errno; }
};
struct CloseMonitor {
    static constexpr const char *name = "netns_monitor_close";
    static int close(int fd) noexcept { return netns_monitor_close(&fd); }
};

} // namespace detail

// ==========================================================================
// Handles and lookups
// None of these moves the calling thread.
// ==========================================================================

// A handle to a network namespace: an owned file descriptor. The free
// functions below (get(), get_from_name(), new_()...) make them.
class Handle {
public:
    // An empty handle (NETNS_NONE).
    Handle() noexcept = default;

    // Takes ownership of fd (a namespace descriptor from elsewhere, or
    // NETNS_NONE). It is not checked; set() reports a bad one.
    explicit Handle(int fd) noexcept : owned_(fd) {}

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

    // --- Ownership ---------------------------------------------------------

    // The descriptor, still owned by the handle; NETNS_NONE when empty.
    [[nodiscard]] int fd() const noexcept { return owned_.fd(); }

    // Gives the descriptor up: the caller must close it. The handle is
    // left empty.
    [[nodiscard]] int release() noexcept { return owned_.release(); }

    // Whether the handle holds a descriptor (netns_is_open; the descriptor
    // itself is not checked).
    [[nodiscard]] bool is_open() const noexcept { return owned_.is_open(); }
    explicit operator bool() const noexcept { return is_open(); }

    // Closes the descriptor and leaves the handle empty; does nothing on an
    // empty handle. Throws (netns_close) when close(2) reports an error,
    // e.g. EBADF for a descriptor that was not open; the handle is empty
    // then too.
    void close() { owned_.close(); }

    // Closes the current descriptor (errors ignored) and takes fd.
    void reset(int fd = NETNS_NONE) noexcept { owned_.reset(fd); }

    // Exchanges the descriptors of this one and other.
    void swap(Handle &other) noexcept { owned_.swap(other.owned_); }
    friend void swap(Handle &a, Handle &b) noexcept { a.swap(b); }

    // --- Describing ----------------------------------------------------------

    // "NS(<fd>: <dev>, <ino>)", "NS(none)" or "NS(<fd>: unknown)"
    // (netns_string).
    [[nodiscard]] std::string to_string() const
    {
        return detail::describe(fd(), netns_string, "netns_string");
    }

    // "NS(<dev>:<ino>)": the same for every handle to one namespace
    // (netns_unique_id); "NS(none)" for an empty handle.
    [[nodiscard]] std::string unique_id() const
    {
        return detail::describe(fd(), netns_unique_id, "netns_unique_id");
    }

    // Whether both handles name the same namespace, or both are empty
    // (netns_equal). A handle whose descriptor cannot be examined equals
    // nothing, not even itself.
    friend bool operator==(const Handle &a, const Handle &b) noexcept
    {
        return netns_equal(a.fd(), b.fd()) != 0;
    }
    friend bool operator!=(const Handle &a, const Handle &b) noexcept { return !(a == b); }

private:
    detail::OwnedFd<detail::CloseHandle> owned_;
};

static_assert(std::is_nothrow_default_constructible_v<Handle>);
static_assert(std::is_nothrow_move_constructible_v<Handle>);
static_assert(std::is_nothrow_move_assignable_v<Handle>);
static_assert(std::is_nothrow_destructible_v<Handle>);
static_assert(std::is_nothrow_swappable_v<Handle>);
static_assert(!std::is_copy_constructible_v<Handle>);
static_assert(!std::is_copy_assignable_v<Handle>);
static_assert(!std::is_convertible_v<int, Handle>, "adopting an fd must be explicit");

// The library's version, "MAJOR.MINOR.MICRO" (netns_version): the version
// of the libnetns.so actually loaded, which may be newer than this header's
// NETNS_VERSION_* macros.
[[nodiscard]] inline const char *version() noexcept { return netns_version(); }

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

// The namespace of the process behind a pidfd (pidfd_open(2), clone3's
// CLONE_PIDFD) (netns_get_from_pidfd): never another process's after a
// pid is reused. EINVAL when pidfd is not a pidfd, ESRCH when it exited.
[[nodiscard]] inline Handle get_from_pidfd(int pidfd)
{
    return Handle(detail::check(netns_get_from_pidfd(pidfd), "netns_get_from_pidfd"));
}

// The NETNS_CLONE_NEW* type of any namespace descriptor, not only network
// namespaces (netns_type, NS_GET_NSTYPE). EINVAL when fd is open but not a
// namespace, EBADF when it is not open.
[[nodiscard]] inline int type(int fd) { return detail::check(netns_type(fd), "netns_type"); }
[[nodiscard]] inline int type(const Handle &ns) { return type(ns.fd()); }

// Whether fd is a network namespace (netns_is_netns): false for any other
// open descriptor (a file, a socket, a namespace of another type). EBADF
// when it is not open.
[[nodiscard]] inline bool is_netns(int fd)
{
    return detail::check(netns_is_netns(fd), "netns_is_netns") != 0;
}
[[nodiscard]] inline bool is_netns(const Handle &ns) { return is_netns(ns.fd()); }

// ==========================================================================
// Switching the calling thread
// These MOVE THE CALLING THREAD (only it: other threads stay where they
// are). A failed call never moves it.
// ==========================================================================

// Moves the CALLING THREAD into the network namespace ns (netns_set).
// EBADF for an empty handle, EINVAL when ns is not a network namespace.
inline void set(const Handle &ns) { detail::check(netns_set(ns.fd()), "netns_set"); }

// Moves the CALLING THREAD into the namespace ns of type nstype (a
// NETNS_CLONE_NEW* value, or 0 for any type), as setns(2) (netns_setns).
inline void setns(const Handle &ns, int nstype)
{
    detail::check(netns_setns(ns.fd(), nstype), "netns_setns");
}

// `new` is a keyword, hence new_(), which moves the thread; create() makes
// a namespace WITHOUT moving it.

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

// ==========================================================================
// Creating, naming and deleting
// None of these moves the calling thread. new_named() (which does) is under
// "Switching the calling thread".
// ==========================================================================

// Creates a new, anonymous network namespace WITHOUT moving the calling
// thread (netns_create(NULL): an in-place visit that checks its way back
// first, or a helper thread where that way is refused); it lives as long
// as the returned handle, or anything inside it, does.
[[nodiscard]] inline Handle create()
{
    return Handle(detail::check(netns_create(nullptr), "netns_create"));
}

// Creates a new network namespace persisted as <run dir>/name, exactly as
// new_named() does (EEXIST when taken, nothing left on failure), WITHOUT
// moving the calling thread (netns_create). Remove it with delete_named().
// As in C, a null `name` makes an anonymous namespace.
[[nodiscard]] inline Handle create(const char *name)
{
    return Handle(detail::check(netns_create(name), "netns_create"));
}
[[nodiscard]] inline Handle create(const std::string &name)
{
    return create(detail::c_str(name, "netns_create"));
}

// Creates a new network namespace persisted at any path, like
// `unshare --net=FILE`: the file is made with O_EXCL in a directory that
// must exist, and the namespace bind-mounted onto it (netns_create_at).
// Does not move the calling thread. Remove it with delete_at().
[[nodiscard]] inline Handle create_at(const char *path)
{
    return Handle(detail::check(netns_create_at(path), "netns_create_at"));
}
[[nodiscard]] inline Handle create_at(const std::string &path)
{
    return create_at(detail::c_str(path, "netns_create_at"));
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

// Removes a namespace persisted at path by create_at() (or any nsfs bind
// mount there): unmounts every mount stacked on it, then unlinks it
// (netns_delete_at). EISDIR for a directory, EINVAL under /proc. Does not
// move the calling thread.
inline void delete_at(const char *path) { detail::check(netns_delete_at(path), "netns_delete_at"); }
inline void delete_at(const std::string &path)
{
    delete_at(detail::c_str(path, "netns_delete_at"));
}

// Names the namespace of process pid <run dir>/name, like
// `ip netns attach NAME PID`, through a pidfd (netns_attach). EEXIST when
// the name is taken. Remove it with delete_named().
inline void attach(const char *name, pid_t pid)
{
    detail::check(netns_attach(name, pid), "netns_attach");
}
inline void attach(const std::string &name, pid_t pid)
{
    attach(detail::c_str(name, "netns_attach"), pid);
}

// Names the namespace ns <run dir>/name (netns_attach_fd); ns stays open.
inline void attach_fd(const char *name, const Handle &ns)
{
    detail::check(netns_attach_fd(name, ns.fd()), "netns_attach_fd");
}
inline void attach_fd(const std::string &name, const Handle &ns)
{
    attach_fd(detail::c_str(name, "netns_attach_fd"), ns);
}

// Throws std::system_error(EINVAL, "netns_check_name") unless name is a
// valid name for <run dir>/name: one path component, not empty, not "." or
// "..", no '/' (nor NUL), at most NAME_MAX bytes. Pure; does not move the
// calling thread.
inline void check_name(const std::string &name)
{
    detail::check(netns_check_name(detail::c_str(name, "netns_check_name")), "netns_check_name");
}

// The run directory where names are made (netns_run_dir):
// $NETNS_RUN_DIR, else /run/netns, else /var/run/netns when /run does not
// exist. Does not move the calling thread.
[[nodiscard]] inline std::string run_dir()
{
    std::string out(64, '\0');
    for (;;) {
        auto n = static_cast<std::string::size_type>(
            detail::check(netns_run_dir(&out[0], out.size()), "netns_run_dir"));
        if (n < out.size()) {
            out.resize(n);
            return out;
        }
        out.assign(n + 1, '\0');
    }
}

// ==========================================================================
// Running inside a namespace
// run(), run_isolated(), socket() and spawn*() do work inside a namespace
// WITHOUT leaving the calling thread there (run() and socket() switch it
// only for the length of the call); enter_named() and exec_named() do what
// `ip netns exec` does IN PLACE: they MOVE the calling thread.
// ==========================================================================

namespace detail {

// Where run() and run_isolated() keep what f returned until the C call is
// back: an object in a std::optional (so it needs no default constructor,
// only a move constructor), a reference as a pointer, void as nothing.
template <typename R, typename = void> class Returned {
    static_assert(std::is_move_constructible_v<R>,
                  "netns::run: f must return void, a reference or a movable type");

public:
    template <typename F> void call(F &&f) { value_.emplace(std::invoke(std::forward<F>(f))); }
    R take() { return std::move(*value_); }

private:
    std::optional<R> value_;
};

template <typename R> class Returned<R, std::enable_if_t<std::is_reference_v<R>>> {
public:
    template <typename F> void call(F &&f)
    {
        R r = std::invoke(std::forward<F>(f)); // an lvalue, even for R = T&&
        ptr_ = std::addressof(r);
    }
    R take() { return static_cast<R>(*ptr_); }

private:
    std::remove_reference_t<R> *ptr_ = nullptr;
};

template <typename R> class Returned<R, std::enable_if_t<std::is_void_v<R>>> {
public:
    template <typename F> void call(F &&f) { std::invoke(std::forward<F>(f)); }
    void take() {}
};

// One call of f through the C API: the trampoline is the netns_fn. It is
// noexcept, as nothing may unwind through the C library: whatever f throws
// is caught there and rethrown by finish() on the calling thread, after
// the C call has returned (and switched the thread back).
template <typename F> struct Call {
    using R = std::invoke_result_t<F>;

    F &&f;
    Returned<R> returned{};
    std::exception_ptr error{};

    static int trampoline(void *arg) noexcept
    {
        auto *call = static_cast<Call *>(arg);
        try {
            call->returned.call(std::forward<F>(call->f));
        } catch (...) {
            call->error = std::current_exception();
        }
        return 0;
    }

    R finish()
    {
        if (error)
            std::rethrow_exception(error);
        return returned.take();
    }

    // f ran, but the thread could not be switched back. What f returned is
    // dropped (destroyed as this Call is, while the exception propagates);
    // what f threw is nested in the ENOTRECOVERABLE error.
    [[noreturn]] void unrecoverable(const char *function)
    {
        std::system_error e(ENOTRECOVERABLE, std::system_category(), function);
        if (!error)
            throw e;
        try {
            std::rethrow_exception(error);
        } catch (...) {
            std::throw_with_nested(e);
        }
    }
};

} // namespace detail

// Runs f() on the CALLING THREAD inside ns and returns what f returns
// (netns_run): the thread is switched into ns, f is called, and the thread
// is switched back to where it was, also when f throws. f may be any
// callable taking no arguments: a move-only one, one returning void, a
// reference (returned as that reference) or a move-only type. It is called
// once, as an rvalue when passed as one, and never copied. Calls nest.
//
// Errors:
//  - What f throws reaches the caller unchanged, after the thread is back.
//  - When entering ns fails, std::system_error (EBADF, EINVAL, EPERM...,
//    "netns_run") is thrown and f was not called.
//  - ENOTRECOVERABLE: f ran to its end, but the thread could not be
//    switched back and is left in ns (or wherever f moved it); do not use
//    it for namespace-sensitive work again. It happens when the caller may
//    enter ns but not come back, e.g. with CAP_SYS_ADMIN only in a child
//    user namespace. Then std::system_error(ENOTRECOVERABLE, "netns_run")
//    is thrown, and what f returned is DISCARDED: destroyed before the
//    exception reaches a handler, so that an owning result (an Fd, a
//    unique_ptr) releases what it holds rather than handing it to code that
//    believes the call failed (netns_socket closes its socket in this case
//    too). A caller that needs f's effects anyway has f store them through
//    a captured reference. If f threw, the ENOTRECOVERABLE error is thrown
//    with f's exception nested (std::throw_with_nested: catch
//    std::system_error, then std::rethrow_if_nested).
//    run_isolated() cannot end this way.
//
// f must not end its thread (pthread_exit, cancellation): std::terminate.
template <typename F> std::invoke_result_t<F> run(const Handle &ns, F &&f)
{
    detail::Call<F> call{std::forward<F>(f)};
    int rc = netns_run(ns.fd(), &detail::Call<F>::trampoline, &call, nullptr);
    if (rc == -ENOTRECOVERABLE)
        call.unrecoverable("netns_run");
    detail::check(rc, "netns_run");
    return call.finish();
}

// Runs f() inside ns on a THREAD OF ITS OWN, which enters ns, calls f and
// ends, and returns what f returns (netns_run_isolated). The calling thread
// never changes namespace, and nothing f does to its thread outlives the
// call; f sees that thread's thread_local variables and gettid(). f is as
// for run(), and what f throws reaches the caller unchanged (an exception
// is carried across threads as a std::exception_ptr). Throws
// std::system_error ("netns_run_isolated") when entering ns or starting
// the thread fails; f was not called then.
template <typename F> std::invoke_result_t<F> run_isolated(const Handle &ns, F &&f)
{
    detail::Call<F> call{std::forward<F>(f)};
    detail::check(netns_run_isolated(ns.fd(), &detail::Call<F>::trampoline, &call, nullptr),
                  "netns_run_isolated");
    return call.finish();
}

// An owned file descriptor of any kind, e.g. the socket that socket()
// returns; Handle is the one for namespaces. Move-only, closed by the
// destructor; a default-constructed or moved-from Fd is empty (-1).
class Fd {
public:
    Fd() noexcept = default;

    // Takes ownership of fd (or -1).
    explicit Fd(int fd) noexcept : owned_(fd) {}

    // The descriptor, still owned; -1 when empty.
    [[nodiscard]] int fd() const noexcept { return owned_.fd(); }

    // Gives the descriptor up: the caller must close it. Leaves it empty.
    [[nodiscard]] int release() noexcept { return owned_.release(); }

    // Whether it holds a descriptor (the descriptor itself is not checked).
    [[nodiscard]] bool is_open() const noexcept { return owned_.is_open(); }
    explicit operator bool() const noexcept { return is_open(); }

    // Closes the descriptor and leaves the Fd empty; does nothing when
    // empty. Throws std::system_error(errno, ..., "close") when close(2)
    // reports an error; the descriptor is released (and the Fd empty) then
    // too, as Linux always releases it.
    void close() { owned_.close(); }

    // Closes the current descriptor (errors ignored) and takes fd.
    void reset(int fd = NETNS_NONE) noexcept { owned_.reset(fd); }

    // Exchanges the descriptors of this one and other.
    void swap(Fd &other) noexcept { owned_.swap(other.owned_); }
    friend void swap(Fd &a, Fd &b) noexcept { a.swap(b); }

private:
    detail::OwnedFd<detail::CloseFd> owned_;
};

static_assert(std::is_nothrow_move_constructible_v<Fd>);
static_assert(std::is_nothrow_move_assignable_v<Fd>);
static_assert(std::is_nothrow_destructible_v<Fd>);
static_assert(!std::is_copy_constructible_v<Fd> && !std::is_copy_assignable_v<Fd>);
static_assert(!std::is_convertible_v<int, Fd>, "adopting an fd must be explicit");

// A socket made inside ns, as socket(2) with domain, type and protocol;
// SOCK_CLOEXEC is always added (netns_socket). It belongs to ns for its
// whole life, whichever thread uses it. The calling thread is switched
// into ns for the socket(2) call only and ends where it started, unless
// this throws ENOTRECOVERABLE (see run(); no socket is left open then).
[[nodiscard]] inline Fd socket(const Handle &ns, int domain, int type, int protocol = 0)
{
    return Fd(detail::check(netns_socket(ns.fd(), domain, type, protocol), "netns_socket"));
}

// What spawn(), spawnp() and spawn_named() pass on besides the program and
// its arguments. An aggregate: SpawnOptions{env, &actions, &attr}, or set
// the members (in C++20, {.actions = &actions}).
struct SpawnOptions {
    // The child's environment ("NAME=value" strings); std::nullopt, the
    // default, passes the caller's environ. An empty vector is an empty
    // environment.
    std::optional<std::vector<std::string>> env;
    // posix_spawn(3) file actions and attributes, applied exactly as there;
    // nullptr for none. They are borrowed for the call.
    const posix_spawn_file_actions_t *actions = nullptr;
    const posix_spawnattr_t *attr = nullptr;
};

namespace detail {

// A NULL-terminated array of C strings pointing into `strings` (which must
// outlive it), for argv and envp. The C API takes `char *const[]`, as
// posix_spawn(3) does, and does not write through the pointers.
inline std::vector<char *> c_strings(const std::vector<std::string> &strings, const char *function)
{
    std::vector<char *> out;
    out.reserve(strings.size() + 1);
    for (const auto &s : strings)
        out.push_back(const_cast<char *>(c_str(s, function)));
    out.push_back(nullptr);
    return out;
}

template <typename Spawn, typename Where>
pid_t spawn(Spawn fn, const char *function, Where where, const std::string &file,
            const std::vector<std::string> &argv, const SpawnOptions &options)
{
    std::vector<char *> args = c_strings(argv, function);
    std::vector<char *> env;
    if (options.env)
        env = c_strings(*options.env, function);
    pid_t pid = -1;
    check(fn(&pid, where, c_str(file, function), options.actions, options.attr, args.data(),
             options.env ? env.data() : nullptr),
          function);
    return pid;
}

} // namespace detail

// Starts path with argv (argv[0] included) as a child process whose
// network namespace is ns, and returns its pid (netns_spawn): posix_spawn(3)
// with one more argument. The calling thread does not change. A failed
// exec is thrown here (e.g. ENOENT, "netns_spawn"), with no child left;
// otherwise the caller reaps the child (waitpid(2)). A string with an
// embedded NUL is EINVAL.
//
//     pid_t pid = netns::spawn(ns, "/bin/ip", {"ip", "link"});
//     waitpid(pid, &status, 0);
[[nodiscard]] inline pid_t spawn(const Handle &ns, const std::string &path,
                                 const std::vector<std::string> &argv,
                                 const SpawnOptions &options = {})
{
    return detail::spawn(netns_spawn, "netns_spawn", ns.fd(), path, argv, options);
}

// spawn() with posix_spawnp(3)'s search: file is looked up in the caller's
// PATH when it has no '/' (netns_spawnp).
[[nodiscard]] inline pid_t spawnp(const Handle &ns, const std::string &file,
                                  const std::vector<std::string> &argv,
                                  const SpawnOptions &options = {})
{
    return detail::spawn(netns_spawnp, "netns_spawnp", ns.fd(), file, argv, options);
}

// What `ip netns exec NAME` does (netns_spawn_named): starts file (searched
// in PATH when it has no '/') in the network namespace <run dir>/name, with
// a private mount namespace, /sys mounted afresh for that namespace and
// /etc/netns/<name>/* bind-mounted over /etc. The caller's thread and
// mount namespace do not change; the caller reaps the child.
[[nodiscard]] inline pid_t spawn_named(const std::string &name, const std::string &file,
                                       const std::vector<std::string> &argv,
                                       const SpawnOptions &options = {})
{
    return detail::spawn(netns_spawn_named, "netns_spawn_named",
                         detail::c_str(name, "netns_spawn_named"), file, argv, options);
}

// Prepares the CALLING THREAD as `ip netns exec NAME` prepares its process
// (netns_enter_named): the network namespace <run dir>/name, a mount
// namespace of its own with / a recursive slave, a fresh /sys, the
// /etc/netns/<name> binds. MOVES the calling thread (network and mount
// namespace) on success. On failure it throws std::system_error
// (..., "netns_enter_named") with the thread back in both namespaces; the
// one exception is ENOTRECOVERABLE.
inline void enter_named(const std::string &name)
{
    detail::check(netns_enter_named(detail::c_str(name, "netns_enter_named")), "netns_enter_named");
}

// enter_named(name), then execvpe(3) of file with argv (argv[0] included)
// and env ("NAME=value" strings; std::nullopt: the caller's environ): PATH
// search, /bin/sh for a file without "#!". Replaces the process; returns
// only by throwing std::system_error(..., "netns_exec_named"), with the
// thread back where it was (but for ENOTRECOVERABLE).
[[noreturn]] inline void
exec_named(const std::string &name, const std::string &file, const std::vector<std::string> &argv,
           const std::optional<std::vector<std::string>> &env = std::nullopt)
{
    const char *function = "netns_exec_named";
    std::vector<char *> args = detail::c_strings(argv, function);
    std::vector<char *> envp;
    if (env)
        envp = detail::c_strings(*env, function);
    int rc = netns_exec_named(detail::c_str(name, function), detail::c_str(file, function),
                              args.data(), env ? envp.data() : nullptr);
    detail::throw_errno(rc < 0 ? rc : -EIO, function);
}

// ==========================================================================
// Listing, identifying and watching
// None of these moves the calling thread.
// ==========================================================================

//
// The walks (list(), identify(), pids()) come in two forms: without a
// callable they collect every item into a std::vector and return it (the C
// walk runs to its end first; iterate the vector); with a callable f they
// call f(item) as the C walk reports each one: f returns void (never
// stops) or bool, true stopping the walk at once. That form returns whether
// f stopped it. What f throws stops the walk and reaches the caller once
// the C call has returned (nothing unwinds through the library).

namespace detail {

// One walk (or monitor read) through a C callback: the trampolines are
// noexcept and turn what f throws into a stop plus a rethrow by finish().
template <typename F> struct Walk {
    F &f;
    std::exception_ptr error{};
    int taken = 0; // items given to f (what monitor read counts)

    template <typename... Args> int call(Args &&...args) noexcept
    {
        try {
            ++taken;
            if constexpr (std::is_void_v<std::invoke_result_t<F &, Args...>>) {
                std::invoke(f, std::forward<Args>(args)...);
                return 0;
            } else {
                return static_cast<bool>(std::invoke(f, std::forward<Args>(args)...)) ? 1 : 0;
            }
        } catch (...) {
            error = std::current_exception();
            return 1;
        }
    }

    static int name_cb(const char *name, void *arg) noexcept
    {
        auto *walk = static_cast<Walk *>(arg);
        std::string s;
        try {
            s = name;
        } catch (...) {
            walk->error = std::current_exception();
            return 1;
        }
        return walk->call(s);
    }

    static int pid_cb(pid_t pid, void *arg) noexcept { return static_cast<Walk *>(arg)->call(pid); }

    static int id_cb(int id, void *arg) noexcept { return static_cast<Walk *>(arg)->call(id); }

    // Returns whether f stopped the walk; throws what f threw, or the C
    // call's error.
    bool finish(int rc, const char *function)
    {
        if (error)
            std::rethrow_exception(error);
        check(rc, function);
        return rc > 0;
    }
};

} // namespace detail

// Every named namespace, sorted by name (strcmp order), each once
// (netns_list): the entries of the run directory that are mounted
// namespaces. The run directory not existing is no error (no names).
template <typename F> bool list(F &&f)
{
    detail::Walk<std::remove_reference_t<F>> walk{f};
    int rc = netns_list(&decltype(walk)::name_cb, &walk);
    return walk.finish(rc, "netns_list");
}
[[nodiscard]] inline std::vector<std::string> list()
{
    std::vector<std::string> names;
    list([&](std::string &name) { names.push_back(std::move(name)); });
    return names;
}

// Every name whose namespace is process pid's: all its aliases, in
// directory order (netns_identify). None is no error. ESRCH when there is
// no such process, EINVAL for pid <= 0.
template <typename F> bool identify(pid_t pid, F &&f)
{
    detail::Walk<std::remove_reference_t<F>> walk{f};
    int rc = netns_identify(pid, &decltype(walk)::name_cb, &walk);
    return walk.finish(rc, "netns_identify");
}
[[nodiscard]] inline std::vector<std::string> identify(pid_t pid)
{
    std::vector<std::string> names;
    identify(pid, [&](std::string &name) { names.push_back(std::move(name)); });
    return names;
}

// Every process (thread-group leader) in namespace ns, ascending
// (netns_pids); processes the caller may not inspect are skipped.
template <typename F> bool pids(const Handle &ns, F &&f)
{
    detail::Walk<std::remove_reference_t<F>> walk{f};
    int rc = netns_pids(ns.fd(), &decltype(walk)::pid_cb, &walk);
    return walk.finish(rc, "netns_pids");
}
[[nodiscard]] inline std::vector<pid_t> pids(const Handle &ns)
{
    std::vector<pid_t> out;
    pids(ns, [&](pid_t pid) { out.push_back(pid); });
    return out;
}

// What a Monitor reports.
enum class Event : int { add = NETNS_EVENT_ADD, del = NETNS_EVENT_DEL };

// A watch on the run directory for names added and removed by anyone
// (netns_monitor_open/read/close). Move-only; the destructor closes it.
// Poll fd() (poll(2), epoll, an event loop) for readability, then read():
//
//     netns::Monitor m = netns::monitor_open();
//     pollfd p{m.fd(), POLLIN, 0};
//     while (poll(&p, 1, -1) > 0)
//         for (auto &[event, name] : m.read())
//             std::cout << (event == netns::Event::add ? "+" : "-") << name << "\n";
class Monitor {
public:
    // An empty (closed) monitor; monitor_open() makes an open one.
    Monitor() noexcept = default;
    // Takes ownership of a descriptor from netns_monitor_open().
    explicit Monitor(int fd) noexcept : owned_(fd) {}

    // The descriptor to poll (still owned); NETNS_NONE when closed.
    [[nodiscard]] int fd() const noexcept { return owned_.fd(); }
    // Whether it holds a descriptor (the descriptor itself is not checked).
    [[nodiscard]] bool is_open() const noexcept { return owned_.is_open(); }
    explicit operator bool() const noexcept { return is_open(); }

    // Delivers every event since the last read, in order, as f(Event,
    // std::string name); never blocks. f returns void or bool (true stops:
    // the events not yet delivered are kept for the next read). Returns
    // the number of events given to f. What f throws stops the delivery
    // and is rethrown here (the event it threw on counts as taken).
    template <typename F> int read(F &&f)
    {
        auto deliver = [&f](int event, std::string &name) {
            return std::invoke(f, static_cast<Event>(event), name);
        };
        detail::Walk<decltype(deliver)> walk{deliver};
        int rc = netns_monitor_read(fd(), &event_cb<decltype(walk)>, &walk);
        walk.finish(rc, "netns_monitor_read");
        // rc is f's stop value or the count: count the events ourselves.
        return walk.taken;
    }
    // Every event since the last read, in order (empty when none).
    [[nodiscard]] std::vector<std::pair<Event, std::string>> read()
    {
        std::vector<std::pair<Event, std::string>> out;
        read([&](Event event, std::string &name) { out.emplace_back(event, std::move(name)); });
        return out;
    }

    // Closes it (netns_monitor_close); does nothing when closed. Throws
    // on error; the monitor is empty then too.
    void close() { owned_.close(); }

private:
    detail::OwnedFd<detail::CloseMonitor> owned_;

    template <typename W> static int event_cb(int event, const char *name, void *arg) noexcept
    {
        auto *walk = static_cast<W *>(arg);
        std::string s;
        try {
            s = name;
        } catch (...) {
            walk->error = std::current_exception();
            return 1;
        }
        return walk->call(event, s);
    }
};

static_assert(std::is_nothrow_move_constructible_v<Monitor>);
static_assert(std::is_nothrow_move_assignable_v<Monitor>);
static_assert(!std::is_copy_constructible_v<Monitor> && !std::is_copy_assignable_v<Monitor>);

// Starts watching the run directory (netns_monitor_open); it need not
// exist yet. Names that exist now are not reported.
[[nodiscard]] inline Monitor monitor_open()
{
    return Monitor(detail::check(netns_monitor_open(), "netns_monitor_open"));
}

// ==========================================================================
// Namespace ids
// None of these moves the calling thread.
// ==========================================================================

// The nsid the caller's namespace has for ns (netns_get_id); ENOENT when
// none is assigned.
[[nodiscard]] inline int get_id(const Handle &ns)
{
    return detail::check(netns_get_id(ns.fd()), "netns_get_id");
}

// Assigns the nsid id to ns in the caller's namespace, or one the kernel
// picks when id < 0 (the default), and returns it (netns_set_id). EEXIST
// when ns has one already or id is taken.
inline int set_id(const Handle &ns, int id = -1)
{
    return detail::check(netns_set_id(ns.fd(), id), "netns_set_id");
}

// The nsid that namespace target has for ns (netns_get_id_in); ENOENT
// when none.
[[nodiscard]] inline int get_id_in(const Handle &ns, const Handle &target)
{
    return detail::check(netns_get_id_in(ns.fd(), target.fd()), "netns_get_id_in");
}

// Every nsid the caller's namespace has assigned, ascending, each once
// (netns_list_id, `ip netns list-id`); two forms, as the walks of list().
// f runs once the library holds no socket, and may call anything. Does not
// move the calling thread.
template <typename F> bool list_id(F &&f)
{
    detail::Walk<std::remove_reference_t<F>> walk{f};
    int rc = netns_list_id(&decltype(walk)::id_cb, &walk);
    return walk.finish(rc, "netns_list_id");
}
[[nodiscard]] inline std::vector<int> list_id()
{
    std::vector<int> ids;
    list_id([&](int id) { ids.push_back(id); });
    return ids;
}

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

} // namespace netns

#endif // NETNS_NETNS_HPP
