// SPDX-License-Identifier: Apache-2.0
//
// Rootless mode. An unprivileged process cannot mount in the host's mount
// namespace, so a user's names live in a mount namespace of their own:
// the holder process (one per user and runtime directory, like a rootless
// container engine's pause process) owns a user namespace mapping the user
// to root and a mount namespace with a private tmpfs on <runtime dir>/netns.
// Each command joins both before acting; `del` stops the holder when no
// name is left, and the names' mounts go with its mount namespace.
//
// The runtime directory is $XDG_RUNTIME_DIR, else /run/user/UID when it is
// the user's (mode 0700), else ${TMPDIR:-/tmp}/netns-UID, made by us (as
// tmux makes /tmp/tmux-UID). In it, netns.lock serialises the commands that
// start, use or stop the holder and netns.holder names the holder: "PID
// STARTTIME", the start time (field 22 of /proc/PID/stat) telling the
// holder from a later process that got its pid.
//
// The holder publishes itself: it writes netns.holder while the command
// that started it still holds the lock (the holder shares that lock's open
// file), with PR_SET_PDEATHSIG armed until then. A command killed before
// that takes its unpublished holder with it; one killed after leaves a
// holder that netns.holder names. Either way the next command finds at
// most one holder, the one the pid file names.
#include "rootless.hpp"
#include "cli.hpp"
#include "holder.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cli::rootless {

namespace {

struct State {
    bool decided = false; // whether this process is rootless
    bool active = false;  // it is
    bool joined = false;  // it is in the holder's namespaces
    bool release_pending = false;
    Holder holder;  // and its runtime directory
    netns::Fd lock; // netns.lock, held
};

State state;

// Effective CAP_SYS_ADMIN (bit 21 of CapEff).
bool privileged()
{
    if (geteuid() == 0)
        return true;
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("CapEff:", 0) == 0) {
            unsigned long long caps = std::strtoull(line.c_str() + 7, nullptr, 16);
            return (caps >> 21) & 1;
        }
    }
    return false;
}

// Why this user cannot make user namespaces, or "" when it can.
std::string userns_unavailable()
{
    std::string max = read_first_line("/proc/sys/user/max_user_namespaces");
    if (!max.empty() && std::atol(max.c_str()) <= 0)
        return "user.max_user_namespaces is " + max;
    // Debian's switch, where the kernel has it.
    std::string clone = read_first_line("/proc/sys/kernel/unprivileged_userns_clone");
    if (!clone.empty() && clone != "1")
        return "kernel.unprivileged_userns_clone is " + clone;
    return "";
}

// Why `dir` cannot be a runtime directory, or "" when it can: a directory
// (not a symbolic link when `nofollow`) of ours that nobody else may write
// to (nor read, when `private_only`).
std::string unfit(const std::string &dir, bool nofollow, bool private_only)
{
    struct stat st;
    if ((nofollow ? lstat(dir.c_str(), &st) : stat(dir.c_str(), &st)) < 0)
        return std::strerror(errno);
    if (S_ISLNK(st.st_mode))
        return "a symbolic link";
    if (!S_ISDIR(st.st_mode))
        return std::strerror(ENOTDIR);
    if (st.st_uid != getuid())
        return "owned by uid " + std::to_string(st.st_uid);
    if ((st.st_mode & (private_only ? 077 : 022)) != 0) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
        return std::string("writable by group or others (mode ") + mode + ")";
    }
    return "";
}

// The runtime directory (see the top of this file), or Failure after one
// line saying why there is none and what to set.
std::string find_runtime_dir()
{
    std::string fix =
        "set XDG_RUNTIME_DIR to a directory of uid " + std::to_string(getuid()) + " with mode 0700";
    const char *xdg = std::getenv("XDG_RUNTIME_DIR");
    if (xdg != nullptr && *xdg != '\0') {
        std::string why = xdg[0] != '/' ? "not an absolute path" : unfit(xdg, false, false);
        if (!why.empty())
            fail("Rootless mode cannot use \"%s\" ($XDG_RUNTIME_DIR): %s; %s, or unset it", xdg,
                 why.c_str(), fix.c_str());
        return xdg;
    }
    // What pam_systemd would have set: the user's session (su, sudo -u,
    // setpriv) then shares its names with the user's login.
    std::string login = "/run/user/" + std::to_string(getuid());
    if (unfit(login, true, true).empty())
        return login;
    // A runtime directory of our own where every user has one: tmpfs on
    // many systems, never a network file system, nothing left after a
    // reboot. Others may write to /tmp, but its sticky bit keeps them from
    // replacing a directory of ours (checked below).
    const char *tmp = std::getenv("TMPDIR");
    std::string base = tmp != nullptr && tmp[0] == '/' ? tmp : "/tmp";
    std::string dir = base + "/netns-" + std::to_string(getuid());
    std::string why;
    struct stat parent;
    if (stat(base.c_str(), &parent) < 0)
        why = std::strerror(errno);
    else if ((parent.st_mode & 022) != 0 && (parent.st_mode & S_ISVTX) == 0 &&
             parent.st_uid != getuid())
        why = "in a directory that others may write to, without the sticky bit";
    else if (mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST)
        why = std::strerror(errno);
    if (why.empty())
        why = unfit(dir, true, false);
    if (!why.empty())
        fail("Rootless mode cannot use \"%s\" ($XDG_RUNTIME_DIR is unset): %s; %s", dir.c_str(),
             why.c_str(), fix.c_str());
    return dir;
}

// The umask for the length of a scope.
class Umask {
public:
    explicit Umask(mode_t mask) : was_(umask(mask)) {}
    ~Umask() { umask(was_); }
    Umask(const Umask &) = delete;
    Umask &operator=(const Umask &) = delete;

private:
    mode_t was_;
};

// Takes netns.lock (once: it stays held until unlock() or exit).
void take_lock()
{
    if (state.lock)
        return;
    std::string lock = state.holder.dir + "/netns.lock";
    int e;
    {
        Umask mask(077);
        state.lock.reset(open(lock.c_str(), O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
        e = errno;
    }
    if (!state.lock)
        fail("Cannot lock \"%s\": %s", lock.c_str(), std::strerror(e));
    if (flock(state.lock.fd(), LOCK_EX) < 0) {
        e = errno;
        unlock();
        fail("Cannot lock \"%s\": %s", lock.c_str(), std::strerror(e));
    }
}

void release_now();

} // namespace

bool active() { return state.active; }

// Decides once per process (a batch runs many commands, and after joining
// the holder the process is privileged in its user namespace, so a second
// decision would differ); a command that found no holder may still start
// one for a later command.
void prepare(bool create)
{
    Options &o = options();
    if (!state.decided) {
        if (o.rootless) {
            if (o.run_dir_flag)
                usage_fail("Options \"--rootless\" and \"--run-dir\" exclude each other.");
            if (std::string why = userns_unavailable(); !why.empty() && !privileged())
                fail("Rootless mode needs user namespaces: %s", why.c_str());
        } else if (o.run_dir_given || privileged() || !userns_unavailable().empty()) {
            state.decided = true;
            return;
        }
        // What we make here is the user's alone, whatever the umask (which
        // stays the caller's for the names). A failure is said again by
        // the next command: never a fallback.
        {
            Umask mask(077);
            state.holder.dir = find_runtime_dir();
        }
        state.decided = true;
        state.active = true;
    }
    if (!state.active)
        return;
    // Every time: a batch gives each line the options it had before the
    // batch (the run dir not yet decided), unless the line has --run-dir.
    if (!o.run_dir_flag) {
        o.run_dir = state.holder.run_dir();
        setenv("NETNS_RUN_DIR", o.run_dir.c_str(), 1);
    }
    if (state.joined)
        return;

    take_lock();
    // Twice at most: a holder found alive may die before it is joined.
    for (int attempt = 0;; ++attempt) {
        if (!state.holder.find()) {
            // Stale (we hold the lock: no holder is being published).
            unlink(state.holder.pid_file().c_str());
            if (!create)
                return;
            state.holder.start();
        }
        if (state.holder.join()) {
            state.joined = true;
            return;
        }
        pid_t pid = state.holder.pid();
        state.holder.forget();
        if (attempt > 0)
            fail("Cannot join the rootless holder (pid %d): %s", pid, std::strerror(ESRCH));
    }
}

void unlock() { state.lock.reset(); }

// At exit, not at once: this process stays in the holder's namespaces,
// where a later command of the same batch may make a name again.
void release_if_empty()
{
    if (!state.joined || state.release_pending)
        return;
    state.release_pending = true;
    std::atexit(release_now);
}

namespace {

void release_now()
{
    if (!state.joined || state.holder.pid() < 0)
        return;
    // Under the lock (a batch's exec or monitor line gave it up): no other
    // command is joining the holder to add a name while we look. Nothing
    // is thrown out of here, at exit.
    try {
        // The holder's run dir, whatever the last command line left in the
        // environment (a batch puts back the one it started with).
        take_lock();
        setenv("NETNS_RUN_DIR", state.holder.run_dir().c_str(), 1);
        // Stops at the first name: one is enough to keep the holder.
        if (netns::list([](const std::string &) { return true; }))
            return;
    } catch (const Failure &) {
        return;
    } catch (const std::system_error &) {
        return;
    }
    unlink(state.holder.pid_file().c_str());
    state.holder.stop();
}

} // namespace

} // namespace cli::rootless
