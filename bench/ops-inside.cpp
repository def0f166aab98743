// SPDX-License-Identifier: Apache-2.0
// netns-bench, running inside a namespace: netns_run, netns_run_isolated,
// netns_socket and the spawns against the calls they stand for, and
// netns_spawn_named against `ip netns exec`.
#include "harness.hpp"

#include "ops.hpp"

#include <cerrno>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bench {

// Since 0.2: every operation here leaves the calling thread where it was.

namespace {

// The function run in a namespace: nothing, called through a pointer the
// compiler cannot see through, on both sides.
int empty_fn(void *) { return 7; }
netns_fn volatile fn_ptr = empty_fn;

} // namespace

// 9. run

void lib_run()
{
    int result = 0;
    lib_ok(netns_run(env.probe, fn_ptr, nullptr, &result), "netns_run");
    sink = result;
}

void raw_run()
{
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::setns(env.probe, CLONE_NEWNET), "setns");
    int result = fn_ptr(nullptr);
    sys_ok(::setns(saved, CLONE_NEWNET), "setns back");
    ::close(saved);
    sink = result;
}

// 10. run_isolated

void lib_run_isolated()
{
    int result = 0;
    lib_ok(netns_run_isolated(env.probe, fn_ptr, nullptr, &result), "netns_run_isolated");
    sink = result;
}

namespace {

struct IsolatedCall {
    int ns;
    int result;
    int err;
};

void *raw_isolated_thread(void *p)
{
    auto *call = static_cast<IsolatedCall *>(p);
    if (::setns(call->ns, CLONE_NEWNET) < 0)
        call->err = errno;
    else
        call->result = fn_ptr(nullptr);
    return nullptr; // the thread, and its namespace, end here
}

} // namespace

void raw_run_isolated()
{
    IsolatedCall call{env.probe, 0, 0};
    pthread_t t;
    int rc = ::pthread_create(&t, nullptr, raw_isolated_thread, &call);
    if (rc != 0)
        die("pthread_create", rc);
    ::pthread_join(t, nullptr);
    if (call.err != 0)
        die("setns", call.err);
    sink = call.result;
}

// 11. socket + close

void lib_socket()
{
    int s = lib_ok(netns_socket(env.probe, AF_INET, SOCK_DGRAM, 0), "netns_socket");
    ::close(s);
}

void raw_socket()
{
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::setns(env.probe, CLONE_NEWNET), "setns");
    int s = sys_ok(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket");
    sys_ok(::setns(saved, CLONE_NEWNET), "setns back");
    ::close(saved);
    ::close(s);
}

// The same calls as netns_socket makes: it first checks that the thread
// may come back (a setns into its own namespace), so that a caller that may
// enter but not leave gets EPERM instead of a stranded thread.
void raw_socket_checked()
{
    int saved = sys_ok(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open self");
    sys_ok(::setns(saved, CLONE_NEWNET), "setns (check)");
    sys_ok(::setns(env.probe, CLONE_NEWNET), "setns");
    int s = sys_ok(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket");
    sys_ok(::setns(saved, CLONE_NEWNET), "setns back");
    ::close(saved);
    ::close(s);
}

// 12. spawn /bin/true + waitpid

namespace {
char true_arg0[] = "true";
} // namespace
char true_path[] = "/bin/true";
char *const true_argv[] = {true_arg0, nullptr};

void lib_spawn()
{
    pid_t pid;
    lib_ok(netns_spawn(&pid, env.probe, true_path, nullptr, nullptr, true_argv, environ),
           "netns_spawn");
    reap(pid, "netns_spawn /bin/true");
}

void raw_spawn()
{
    pid_t pid = sys_ok(::fork(), "fork");
    if (pid == 0) {
        if (::setns(env.probe, CLONE_NEWNET) < 0)
            ::_exit(126);
        ::execve(true_path, true_argv, environ);
        ::_exit(127);
    }
    reap(pid, "fork + setns + execve /bin/true");
}

// 13. spawn_named /bin/true + waitpid, against `ip netns exec NAME /bin/true`

void lib_spawn_named()
{
    pid_t pid;
    lib_ok(netns_spawn_named(&pid, env.probe_name.c_str(), true_path, nullptr, nullptr, true_argv,
                             environ),
           "netns_spawn_named");
    reap(pid, "netns_spawn_named /bin/true");
}

void raw_spawn_named()
{
    char arg0[] = "ip", arg1[] = "netns", arg2[] = "exec";
    char *const argv[] = {arg0,      arg1,   arg2, const_cast<char *>(env.probe_name.c_str()),
                          true_path, nullptr};
    pid_t pid;
    int rc = ::posix_spawn(&pid, env.ip.c_str(), nullptr, nullptr, argv, environ);
    if (rc != 0)
        die("posix_spawn ip", rc);
    reap(pid, "ip netns exec NAME /bin/true");
}

} // namespace bench
