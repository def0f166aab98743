// SPDX-License-Identifier: Apache-2.0
//
// The tool's messages: how a failure is said and thrown (Failure, caught
// in main.cpp only), and the messages several commands share, in
// `ip netns`'s words (iproute2 6.1) unless netns(8)'s table of differences
// says otherwise.
#include "cli.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <sys/stat.h>

namespace cli {

namespace {

void vsay(const char *fmt, va_list ap)
{
    if (options().quiet)
        return;
    std::vfprintf(stderr, fmt, ap);
    std::fputc('\n', stderr);
}

} // namespace

void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
}

void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
    throw Failure{exit_failure};
}

void fail_with(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
    throw Failure{status};
}

void usage_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
    throw Failure{exit_usage, true};
}

const char *why(int rc) { return std::strerror(rc < 0 ? -rc : rc); }

const std::string &run_dir()
{
    std::string &dir = options().run_dir;
    if (dir.empty()) {
        try {
            dir = netns::run_dir();
        } catch (const std::system_error &) {
            // none to show
        }
    }
    return dir;
}

std::string entry_path(std::string_view name)
{
    std::string path = run_dir();
    path += '/';
    path += name;
    return path;
}

void invalid_name(const char *name) { usage_fail("Invalid netns name \"%s\"", name); }

// A stale entry (a file that is not a mounted namespace: what a killed
// `add` leaves), said as such, not as a bad name.
void not_a_namespace(const char *name, int status)
{
    fail_with(status,
              "\"%s\" is not a network namespace (a stale entry? \"netns del %s\" removes it)",
              entry_path(name).c_str(), name);
}

void list_failed(int rc)
{
    fail("Cannot list namespaces in \"%s\": %s", run_dir().c_str(), why(rc));
}

void ip_usage()
{
    // ip's usage of `ip netns`, in the tool's name.
    usage_fail("Usage:\tnetns list\n"
               "\tnetns add NAME\n"
               "\tnetns attach NAME PID\n"
               "\tnetns set NAME NETNSID\n"
               "\tnetns [-all] delete [NAME]\n"
               "\tnetns identify [PID]\n"
               "\tnetns pids NAME\n"
               "\tnetns [-all] exec [NAME] cmd ...\n"
               "\tnetns monitor\n"
               "\tnetns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n"
               "NETNSID := auto | POSITIVE-INT");
}

// netns_enter_named()'s failure, in ip's words where ip has them; 255 as
// ip's exec of a namespace it cannot enter.
void enter_failed(const char *name, int rc)
{
    std::string entry = entry_path(name);
    switch (-rc) {
    case ENOENT: {
        struct stat st;
        if (lstat(entry.c_str(), &st) == 0)
            fail_with(exit_usage,
                      "Cannot prepare network namespace \"%s\" (a fresh /sys, the binds of "
                      "/etc/netns/%s): %s",
                      name, name, why(rc));
        fail_with(exit_usage, "Cannot open network namespace \"%s\": %s", name, why(rc));
    }
    case EINVAL: not_a_namespace(name, exit_usage);
    case EPERM:
        fail_with(exit_usage, "setting the network namespace \"%s\" failed: %s", name, why(rc));
    case EACCES:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
        fail_with(exit_usage, "Cannot open network namespace \"%s\": %s", name, why(rc));
    case ENOTRECOVERABLE:
        fail_with(exit_usage, "Cannot return from network namespace \"%s\" after a failure: %s",
                  name, why(rc));
    default: fail_with(exit_usage, "Cannot prepare network namespace \"%s\": %s", name, why(rc));
    }
}

namespace {

// Whether a PATH search for `file` finds anything at all. execvp(3)
// reports EACCES when a PATH directory cannot be searched and nothing is
// found elsewhere; a shell calls that "not found" (127), and so do we.
bool in_path(const char *file)
{
    const char *path = std::getenv("PATH");
    std::string_view rest = path != nullptr ? path : "/bin:/usr/bin";
    for (;;) {
        size_t colon = rest.find(':');
        std::string dir(rest.substr(0, colon));
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + file;
        struct stat st;
        if (stat(candidate.c_str(), &st) == 0)
            return true;
        if (colon == std::string_view::npos)
            return false;
        rest.remove_prefix(colon + 1);
    }
}

} // namespace

// The command could not be executed: a shell's statuses (ip says 1).
void exec_failed(const char *file, int err)
{
    if (err == EACCES && std::strchr(file, '/') == nullptr && !in_path(file))
        err = ENOENT;
    int status = exit_failure;
    switch (err) {
    case ENOENT: status = exit_not_found; break;
    case EACCES:
    case ENOEXEC:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case ETXTBSY:
    case E2BIG:
    case EISDIR: status = exit_not_executable; break;
    default: break;
    }
    fail_with(status, "exec of \"%s\" failed: %s", file, why(err));
}

} // namespace cli
