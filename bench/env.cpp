// SPDX-License-Identifier: Apache-2.0
// netns-bench's environment: the run directory and the namespaces the
// operations use (setup, cleanup), iproute2's ip, and how every child is
// started and reaped.
#include "harness.hpp"

#include "ops.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

Env env;

std::string status_text(int status)
{
    if (WIFEXITED(status))
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return std::string("killed by signal ") + ::strsignal(WTERMSIG(status));
    return "ended with status " + std::to_string(status);
}

int wait_status(pid_t pid)
{
    int status;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            die("waitpid", errno);
    }
    return status;
}

// Reaps pid; it must have exited 0 (/bin/true, ip, a memory measure).
void reap(pid_t pid, const char *what)
{
    int status = wait_status(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "netns-bench: %s: child ended with status 0x%x\n", what, status);
        std::exit(1);
    }
}

// Starts PATH ARGV with ENVP, its stdout to /dev/null (or to out_fd when
// >= 0), its stderr to err_fd when >= 0 (else ours): how every external
// command is run, ip and the netns tool alike. Returns the pid, or
// -errno of posix_spawn.
pid_t start_cmd(const char *path, char *const argv[], char *const envp[], int out_fd, int err_fd)
{
    posix_spawn_file_actions_t fa;
    ::posix_spawn_file_actions_init(&fa);
    if (out_fd >= 0)
        ::posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    else
        ::posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (err_fd >= 0)
        ::posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    pid_t pid;
    int rc = ::posix_spawn(&pid, path, &fa, nullptr, argv, envp);
    ::posix_spawn_file_actions_destroy(&fa);
    return rc != 0 ? -rc : pid;
}

// `ip ARGS...` with its output to /dev/null; it must exit 0.
void run_ip(char *const argv[], const char *what)
{
    pid_t pid = start_cmd(env.ip.c_str(), argv, environ);
    if (pid < 0)
        die("posix_spawn ip", -pid);
    reap(pid, what);
}

bool ip_ready(std::string &why)
{
    if (env.ip.empty()) {
        why = "iproute2's ip not found";
        return false;
    }
    if (!env.ip_dir) {
        why = "/run/netns could not be made our run dir (ip netns reads no NETNS_RUN_DIR)";
        return false;
    }
    return true;
}

bool ip_sees(const std::string &name)
{
    struct stat ours, theirs;
    std::string ip_entry = "/run/netns/" + name;
    std::string our_entry = env.run_dir + "/" + name;
    return ::stat(ip_entry.c_str(), &theirs) == 0 && ::stat(our_entry.c_str(), &ours) == 0 &&
           ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino;
}

namespace {

// iproute2's ip: in PATH, or where Debian puts it (PATH of an ordinary
// user often lacks the sbin directories).
std::string find_ip()
{
    std::string dirs = ::getenv("PATH") ? ::getenv("PATH") : "";
    dirs += ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (size_t p = 0; p <= dirs.size();) {
        size_t c = dirs.find(':', p);
        if (c == std::string::npos)
            c = dirs.size();
        std::string candidate = dirs.substr(p, c - p) + "/ip";
        if (c > p && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        p = c + 1;
    }
    return "";
}

} // namespace

void setup()
{
    char tmpl[] = "/run/netns-bench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr)
        die("mkdtemp /run/netns-bench-XXXXXX", errno);
    env.run_dir = tmpl;
    ::setenv("NETNS_RUN_DIR", env.run_dir.c_str(), 1);
    env.pid = ::getpid();
    env.home = lib_ok(netns_get(), "netns_get");
    env.home2 = lib_ok(netns_get(), "netns_get");
    env.other = lib_ok(netns_new(), "netns_new");
    lib_ok(netns_set(env.home), "netns_set");
    int probe = lib_ok(netns_new_named(env.probe_name.c_str()), "netns_new_named");
    lib_ok(netns_set(env.home), "netns_set");
    env.probe = probe;
    env.probe_path = env.run_dir + "/" + env.probe_name;

    // `ip netns` knows no NETNS_RUN_DIR (iproute2 builds /run/netns in), so
    // our run dir is bind-mounted (with the probe's mount) onto /run/netns,
    // which lies on the sandbox's private /run: both sides then name the
    // very same entry, and nothing reaches the host.
    env.ip = find_ip();
    if (::mkdir("/run/netns", 0755) == 0 &&
        ::mount(env.run_dir.c_str(), "/run/netns", nullptr, MS_BIND | MS_REC, nullptr) == 0 &&
        ip_sees(env.probe_name))
        env.ip_dir = true;

    setup_tool();
}

void cleanup()
{
    go_peer.stop();
    scale_teardown(); // (after a failure; normally done and timed before)
    while (::umount2("/run/netns", MNT_DETACH) == 0) {
    }
    (void)::rmdir("/run/netns");
    (void)netns_set(env.home);
    (void)netns_close(&env.probe);
    (void)netns_delete_named(env.probe_name.c_str());
    (void)netns_delete_named(env.churn_name.c_str()); // only after a failure
    (void)netns_delete_named(tool.churn.c_str());     // likewise
    // The run directory became a (shared) mount point of itself.
    while (::umount2(env.run_dir.c_str(), MNT_DETACH) == 0) {
    }
    if (::rmdir(env.run_dir.c_str()) < 0)
        std::fprintf(stderr, "netns-bench: rmdir %s: %s\n", env.run_dir.c_str(),
                     std::strerror(errno));
    (void)netns_close(&env.other);
    (void)netns_close(&env.home2);
    (void)netns_close(&env.home);
}

} // namespace bench
