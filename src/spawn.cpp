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
#include <sys/statvfs.h>
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
    if (int err = sys::spawn(&pid, args.file, args.actions, args.attr, args.argv, envp,
                             args.search);
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

// The mount work of spawn_named, on the helper thread after it has its own
// mount namespace and is inside the network namespace.
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

} // namespace

Result<pid_t> spawn(int ns, const SpawnArgs &args, const char *proc) noexcept
{
    if (auto st = check(args); !st)
        return Error{st.error()};
    // Checking the way back first makes the one failure an ordinary caller
    // can meet (a namespace it may enter but not leave) an EPERM with
    // nothing started, not a stranded thread.
    auto visit = Visit::enter(ns, true, proc);
    if (!visit)
        return Error{visit.error()};
    auto pid = spawn_here(args);
    if (auto st = visit->leave(); !st) {
        if (pid) {
            ::kill(pid.value(), SIGKILL);
            while (::waitpid(pid.value(), nullptr, 0) < 0 && errno == EINTR) {
            }
        }
        return Error{st.error()};
    }
    return pid;
}

Result<pid_t> spawn_named(const RunDirs &dirs, std::string_view name, const SpawnArgs &args,
                          const SpawnRoots &roots)
{
    if (auto st = check(args); !st)
        return Error{st.error()};
    auto ns = get_from_name(dirs, name); // checks the name too
    if (!ns)
        return Error{ns.error()};
    const std::string name_str(name);
    auto etc_names = etc_entries(roots.etc + "/netns/" + name_str);
    if (!etc_names)
        return Error{etc_names.error()};

    pid_t pid = -1;
    auto enter_and_spawn = [&]() -> Status {
        // unshare(CLONE_NEWNS) also unshares this thread's filesystem
        // information (root, cwd, umask) from the other threads: allowed on
        // one thread of many, and undone when the thread ends.
        if (sys::unshare(CLONE_NEWNS) < 0)
            return last_error();
        if (sys::mount("none", "/", "none", MS_SLAVE | MS_REC) < 0)
            return last_error();
        if (sys::setns(ns->get(), CLONE_NEWNET) < 0)
            return last_error();
        if (auto st = remount(name_str, roots, etc_names.value()); !st)
            return st;
        auto child = spawn_here(args);
        if (!child)
            return Error{child.error()};
        pid = child.value();
        return {};
    };
    auto work = [&]() noexcept -> Status {
        try {
            return enter_and_spawn();
        } catch (const std::bad_alloc &) {
            return Error{ENOMEM};
        }
    };
    if (auto st = on_helper_thread(work); !st)
        return Error{st.error()};
    return pid;
}

} // namespace netns::core
