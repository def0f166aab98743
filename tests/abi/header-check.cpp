// SPDX-License-Identifier: Apache-2.0
//
// The public headers as a C++ consumer sees them: built as C++17 and as
// C++20 with -pedantic -Werror, netns.hpp included.
#include <netns/netns.h>
#include <netns/netns.h> // the include guard works
#include <netns/netns.hpp>
#include <netns/netns.hpp>

#include <cstdio>
#include <cstring>

// Prototypes as documented: a function pointer initialises only from a
// function of exactly its type, so a changed prototype fails to compile.
[[maybe_unused]] constexpr const char * (*p_version)() = &netns_version;
[[maybe_unused]] constexpr int (*p_none)() = &netns_none;
[[maybe_unused]] constexpr int (*p_get)() = &netns_get;
[[maybe_unused]] constexpr int (*p_get_from_path)(const char *) = &netns_get_from_path;
[[maybe_unused]] constexpr int (*p_get_from_name)(const char *) = &netns_get_from_name;
[[maybe_unused]] constexpr int (*p_get_from_pid)(pid_t) = &netns_get_from_pid;
[[maybe_unused]] constexpr int (*p_get_from_thread)(pid_t, pid_t) = &netns_get_from_thread;
[[maybe_unused]] constexpr int (*p_get_from_docker)(const char *) = &netns_get_from_docker;
[[maybe_unused]] constexpr int (*p_new)() = &netns_new;
[[maybe_unused]] constexpr int (*p_new_named)(const char *) = &netns_new_named;
[[maybe_unused]] constexpr int (*p_delete_named)(const char *) = &netns_delete_named;
[[maybe_unused]] constexpr int (*p_set)(int) = &netns_set;
[[maybe_unused]] constexpr int (*p_setns)(int, int) = &netns_setns;
[[maybe_unused]] constexpr int (*p_close)(int *) = &netns_close;
[[maybe_unused]] constexpr int (*p_is_open)(int) = &netns_is_open;
[[maybe_unused]] constexpr int (*p_equal)(int, int) = &netns_equal;
[[maybe_unused]] constexpr int (*p_string)(int, char *, std::size_t) = &netns_string;
[[maybe_unused]] constexpr int (*p_unique_id)(int, char *, std::size_t) = &netns_unique_id;
static_assert(NETNS_NONE == -1);

int main()
{
    int failures = 0;
    char buf[64];
    if (netns_none() != NETNS_NONE)
        failures++;
    if (netns_string(NETNS_NONE, buf, sizeof buf) < 0 || std::strcmp(buf, "NS(none)") != 0)
        failures++;
    std::printf("header check (C++, __cplusplus %ld%s): %s\n", static_cast<long>(__cplusplus),
                ", with netns.hpp",
                failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
