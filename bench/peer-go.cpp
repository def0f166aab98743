// SPDX-License-Identifier: Apache-2.0
// netns-bench, the Go peer of netns_run_isolated: bench/go/cni-do in its -serve mode. It is asked for one
// round at a time ("N\n" on its stdin) and answers with ns per call of
// CNI's ns.Do into the probe namespace, timed with the same clock.
#include "harness.hpp"

#include "ops.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

bool GoPeer::start()
{
    if (pid > 0)
        return true;
    if (path.empty()) {
        if (reason.empty()) // (--go-peer none says so itself)
            reason = "not built (needs go and golang-github-containernetworking-plugins-dev "
                     "when meson configures)";
        return false;
    }
    if (::access(path.c_str(), X_OK) < 0) {
        reason = path + ": " + std::strerror(errno);
        return false;
    }
    int in[2], out[2];
    sys_ok(::pipe2(in, O_CLOEXEC), "pipe2");
    sys_ok(::pipe2(out, O_CLOEXEC), "pipe2");
    posix_spawn_file_actions_t fa;
    ::posix_spawn_file_actions_init(&fa);
    ::posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    ::posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    std::string ns_path = env.run_dir + "/" + env.probe_name;
    std::vector<std::string> args = {
        path, "-path", ns_path, "-clock", wall_clock ? "wall" : "cpu", "-serve"};
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = ::posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        pid = -1;
        reason = std::string("posix_spawn ") + path + ": " + std::strerror(rc);
        return false;
    }
    to = ::fdopen(in[1], "w");
    from = ::fdopen(out[0], "r");
    return true;
}

// ns per call of n ns.Do calls, or NaN (and reason) if the peer failed.
double GoPeer::round(long n)
{
    char line[64];
    if (std::fprintf(to, "%ld\n", n) < 0 || std::fflush(to) != 0 ||
        std::fgets(line, sizeof line, from) == nullptr) {
        reason = "the Go peer failed (its stderr above)";
        return NAN;
    }
    return std::atof(line);
}

void GoPeer::stop()
{
    if (pid <= 0)
        return;
    std::fclose(to); // EOF on its stdin: it exits
    std::fclose(from);
    int status;
    ::waitpid(pid, &status, 0);
    pid = -1;
}

GoPeer go_peer;

} // namespace bench
