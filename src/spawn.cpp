// SPDX-License-Identifier: Apache-2.0
#include "spawn.hpp"
#include "helper_thread.hpp"
#include "persist.hpp"
#include "sys.hpp"

#include <cerrno>
#include <csignal>
#include <dirent.h>
#include <new>
#include <sched.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <tuple>
#include <sys/wait.h>
#include <vector>

extern char **environ;

namespace netns::core {

namespace {

Status check(const SpawnArgs &args) noexcept
{
    if (args.file == nullptr || args.argv == nullptr)
        return Error{EINVAL};
    return {};
}

// posix_spawn(3) on the calling thread, in whatever namespaces it is in.
Result<pid_t> spawn_here(const SpawnArgs &args) noexcept
{
    pid_t pid = -1;
    char *const *envp = args.envp != nullptr ? args.envp : environ;
    // glibc reports a failed exec as posix_spawn's error (its child shares
    // memory with us until the exec), with the child already reaped.
    if (int err =
            sys::spawn(&pid, args.file, args.actions, args.attr, args.argv, envp, args.search);
        err != 0)
        return Error{err};
    return pid;
}

// The names in /etc/netns/<name>, read before any mount is made.
Result<std::vector<std::string>> etc_entries(const std::string &dir)
{
    std::vector<std::string> names;
    UniqueFd fd(sys::open(dir.c_str(), O_RDONLY | O_DIRECTORY));
    if (!fd) {
        if (errno == ENOENT)
            return names; // nothing to bind: the usual case
        return last_error();
    }
    DIR *d = ::fdopendir(fd.get());
    if (d == nullptr)
        return last_error();
    (void)fd.release(); // closedir closes it
    errno = 0;
    while (struct dirent *e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (n != "." && n != "..")
            names.emplace_back(n);
    }
    int err = errno;
    ::closedir(d);
    if (err != 0)
        return Error{err};
    return names;
}

// The mount work of `ip netns exec`, once the thread has its own mount
// namespace and is inside the network namespace.
Status remount(const std::string &name, const SpawnRoots &roots,
               const std::vector<std::string> &etc_names)
{
    // A fresh sysfs shows the network namespace of the mounting thread;
    // keep /sys read-only when it was.
    struct statvfs sv;
    unsigned long flags = 0;
    if (::statvfs(roots.sys.c_str(), &sv) == 0 && (sv.f_flag & ST_RDONLY) != 0)
        flags |= MS_RDONLY;
    if (sys::umount2(roots.sys.c_str(), MNT_DETACH) < 0 && errno != EINVAL)
        return last_error(); // EINVAL: nothing mounted there
    if (sys::mount(name.c_str(), roots.sys.c_str(), "sysfs", flags) < 0)
        return last_error();
    const std::string from = roots.etc + "/netns/" + name + "/";
    for (const auto &entry : etc_names) {
        std::string src = from + entry;
        std::string dst = roots.etc + "/" + entry;
        if (sys::mount(src.c_str(), dst.c_str(), "none", MS_BIND) < 0)
            return last_error();
    }
    return {};
}

// What a named switch needs, all looked up before anything moves.
struct Named {
    UniqueFd ns;
    std::string name;
    std::vector<std::string> etc_names;
};

Result<Named> look_up(const RunDirs &dirs, std::string_view name, const SpawnRoots &roots)
{
    auto ns = get_from_name(dirs, name); // checks the name too
    if (!ns)
        return ns.failure();
    std::string name_str(name);
    auto etc_names = etc_entries(roots.etc + "/netns/" + name_str);
    if (!etc_names)
        return etc_names.failure();
    return Named{std::move(ns).value(), std::move(name_str), std::move(etc_names).value()};
}

// How far switch_named got: what the way back has to undo.
enum class Moved { nothing, net, net_and_mnt };

// The switch itself, in ip's order, on the calling thread: shared by
// spawn_named (on a helper thread that ends after) and enter_named (which
// keeps the way back).
Status switch_named(const Named &n, const SpawnRoots &roots, Moved &moved)
{
    moved = Moved::nothing;
    if (sys::setns(n.ns.get(), CLONE_NEWNET) < 0)
        return last_error();
    moved = Moved::net;
    // unshare(CLONE_NEWNS) also unshares this thread's filesystem
    // information (root, cwd, umask) from the other threads: allowed on
    // one thread of many, and what makes the setns back possible there.
    if (sys::unshare(CLONE_NEWNS) < 0)
        return last_error();
    moved = Moved::net_and_mnt;
    // From here on nothing mounted reaches the namespace left behind.
    if (sys::mount("none", "/", "none", MS_SLAVE | MS_REC) < 0)
        return last_error();
    return remount(n.name, roots, n.etc_names);
}

Result<UniqueFd> open_proc(const char *proc, const char *rest, int flags)
{
    std::string path = std::string(proc) + rest;
    UniqueFd fd(sys::open(path.c_str(), flags));
    if (!fd)
        return last_error();
    return fd;
}

bool same_dir(int a, int b) noexcept
{
    struct stat sa, sb;
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

// Where the calling thread was before enter_named: its network and mount
// namespaces, root and working directory (setns into a mount namespace
// resets both to that namespace's root).
class WayBack {
public:
    static Result<WayBack> save(const char *proc)
    {
        WayBack w;
        auto net = get(proc);
        if (!net)
            return net.failure();
        w.net_ = std::move(net).value();
        // Through /proc: no search permission on them is needed.
        for (auto [rest, fd, flags] : {std::tuple{"/thread-self/ns/mnt", &w.mnt_, O_RDONLY},
                                       std::tuple{"/thread-self/root", &w.root_, O_PATH},
                                       std::tuple{"/thread-self/cwd", &w.cwd_, O_PATH}}) {
            auto opened = open_proc(proc, rest, flags);
            if (!opened)
                return opened.failure();
            *fd = std::move(opened).value();
        }
        return w;
    }

    // Undoes what switch_named did; ENOTRECOVERABLE when any step fails
    // (the others are still tried). The setns calls are wrapped, so tests
    // can force that failure.
    Status go(Moved moved) noexcept
    {
        bool ok = true;
        if (moved == Moved::net_and_mnt) {
            // The mount namespace made here has no other user: it goes away
            // with everything mounted in it.
            if (sys::setns(mnt_.get(), CLONE_NEWNS) < 0) {
                ok = false;
            } else {
                // Raw calls: an injected fault here would only mask the
                // one under test.
                UniqueFd now(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
                const bool chrooted = !now || !same_dir(now.get(), root_.get());
                if (chrooted && (::fchdir(root_.get()) < 0 || ::chroot(".") < 0))
                    ok = false;
                if (::fchdir(cwd_.get()) < 0)
                    ok = false;
            }
        }
        if (moved != Moved::nothing && sys::setns(net_.get(), CLONE_NEWNET) < 0)
            ok = false;
        if (!ok)
            return Error{ENOTRECOVERABLE};
        return {};
    }

private:
    WayBack() = default;
    UniqueFd net_, mnt_, root_, cwd_;
};

// enter_named's work; on success the way back stays available (exec_named
// takes it when the exec fails).
Result<WayBack> enter_keeping_way_back(const RunDirs &dirs, std::string_view name,
                                       const SpawnRoots &roots, const char *proc)
{
    auto n = look_up(dirs, name, roots);
    if (!n)
        return n.failure();
    auto back = WayBack::save(proc);
    if (!back)
        return back.failure();
    Moved moved = Moved::nothing;
    Status st;
    try {
        st = switch_named(n.value(), roots, moved);
    } catch (const std::bad_alloc &) {
        st = Error{ENOMEM};
    }
    if (!st) {
        if (auto undone = back->go(moved); !undone)
            return undone.failure();
        return st.failure();
    }
    return back;
}

} // namespace

Result<pid_t> spawn(int ns, const SpawnArgs &args, const char *proc) noexcept
{
    if (auto st = check(args); !st)
        return st.failure();
    // Checking the way back first makes the one failure an ordinary caller
    // can meet (a namespace it may enter but not leave) an EPERM with
    // nothing started, not a stranded thread.
    auto visit = Visit::enter(ns, true, proc);
    if (!visit)
        return visit.failure();
    auto pid = spawn_here(args);
    if (auto st = visit->leave(); !st) {
        if (pid) {
            ::kill(pid.value(), SIGKILL);
            while (::waitpid(pid.value(), nullptr, 0) < 0 && errno == EINTR) {
            }
        }
        return st.failure();
    }
    return pid;
}

Result<pid_t> spawn_named(const RunDirs &dirs, std::string_view name, const SpawnArgs &args,
                          const SpawnRoots &roots)
{
    if (auto st = check(args); !st)
        return st.failure();
    auto n = look_up(dirs, name, roots);
    if (!n)
        return n.failure();

    pid_t pid = -1;
    auto work = [&]() noexcept -> Status {
        try {
            // The thread ends right after: nothing to undo.
            Moved moved = Moved::nothing;
            if (auto st = switch_named(n.value(), roots, moved); !st)
                return st;
            auto child = spawn_here(args);
            if (!child)
                return child.failure();
            pid = child.value();
            return {};
        } catch (const std::bad_alloc &) {
            return Error{ENOMEM};
        }
    };
    if (auto st = on_helper_thread(work); !st)
        return st.failure();
    return pid;
}

Status enter_named(const RunDirs &dirs, std::string_view name, const SpawnRoots &roots,
                   const char *proc)
{
    auto back = enter_keeping_way_back(dirs, name, roots, proc);
    if (!back)
        return back.failure();
    return {}; // the way back is closed: the thread stays
}

Status exec_named(const RunDirs &dirs, std::string_view name, const char *file, char *const argv[],
                  char *const envp[], const SpawnRoots &roots, const char *proc)
{
    if (file == nullptr || argv == nullptr)
        return Error{EINVAL};
    auto back = enter_keeping_way_back(dirs, name, roots, proc);
    if (!back)
        return back.failure();
    // The way back's descriptors are close-on-exec.
    (void)sys::execvpe(file, argv, envp != nullptr ? envp : environ);
    Error failed = last_error();
    if (auto st = back->go(Moved::net_and_mnt); !st)
        return st.failure();
    return failed;
}

} // namespace netns::core
