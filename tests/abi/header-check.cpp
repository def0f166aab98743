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
[[maybe_unused]] constexpr const char *(*p_version)() = &netns_version;
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
// LIBNETNS_0.2
[[maybe_unused]] constexpr int (*p_create)(const char *) = &netns_create;
[[maybe_unused]] constexpr int (*p_create_at)(const char *) = &netns_create_at;
[[maybe_unused]] constexpr int (*p_delete_at)(const char *) = &netns_delete_at;
[[maybe_unused]] constexpr int (*p_run)(int, netns_fn, void *, int *) = &netns_run;
[[maybe_unused]] constexpr int (*p_run_isolated)(int, int (*)(void *), void *,
                                                 int *) = &netns_run_isolated;
[[maybe_unused]] constexpr int (*p_socket)(int, int, int, int) = &netns_socket;
[[maybe_unused]] constexpr int (*p_spawn)(pid_t *, int, const char *,
                                          const posix_spawn_file_actions_t *,
                                          const posix_spawnattr_t *, char *const[],
                                          char *const[]) = &netns_spawn;
[[maybe_unused]] constexpr int (*p_spawnp)(pid_t *, int, const char *,
                                           const posix_spawn_file_actions_t *,
                                           const posix_spawnattr_t *, char *const[],
                                           char *const[]) = &netns_spawnp;
[[maybe_unused]] constexpr int (*p_spawn_named)(pid_t *, const char *, const char *,
                                                const posix_spawn_file_actions_t *,
                                                const posix_spawnattr_t *, char *const[],
                                                char *const[]) = &netns_spawn_named;
[[maybe_unused]] constexpr int (*p_type)(int) = &netns_type;
[[maybe_unused]] constexpr int (*p_is_netns)(int) = &netns_is_netns;
// 0.5
[[maybe_unused]] constexpr int (*p_check_name)(const char *) = &netns_check_name;
[[maybe_unused]] constexpr int (*p_run_dir)(char *, std::size_t) = &netns_run_dir;
[[maybe_unused]] constexpr int (*p_enter_named)(const char *) = &netns_enter_named;
[[maybe_unused]] constexpr int (*p_exec_named)(const char *, const char *, char *const[],
                                               char *const[]) = &netns_exec_named;
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
                ", with netns.hpp", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
