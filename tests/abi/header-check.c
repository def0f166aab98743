/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public header as a C consumer sees it: built as C99 and as C11 with
 * -pedantic -Werror -Wall -Wextra and without _GNU_SOURCE. Every function
 * is assigned to a pointer of the documented type, so a changed prototype
 * fails to compile; the program then checks the few things it can check
 * without privileges.
 */
#include <netns/netns.h>
#include <netns/netns.h>   /* the include guard works */
#include <netns/version.h> /* generated, installed beside netns.h */

#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static const char *(*const p_version)(void) = netns_version;
static int (*const p_none)(void) = netns_none;
static int (*const p_get)(void) = netns_get;
static int (*const p_get_from_path)(const char *) = netns_get_from_path;
static int (*const p_get_from_name)(const char *) = netns_get_from_name;
static int (*const p_get_from_pid)(pid_t) = netns_get_from_pid;
static int (*const p_get_from_thread)(pid_t, pid_t) = netns_get_from_thread;
static int (*const p_get_from_docker)(const char *) = netns_get_from_docker;
static int (*const p_new)(void) = netns_new;
static int (*const p_new_named)(const char *) = netns_new_named;
static int (*const p_delete_named)(const char *) = netns_delete_named;
static int (*const p_set)(int) = netns_set;
static int (*const p_setns)(int, int) = netns_setns;
static int (*const p_close)(int *) = netns_close;
static int (*const p_is_open)(int) = netns_is_open;
static int (*const p_equal)(int, int) = netns_equal;
static int (*const p_string)(int, char *, size_t) = netns_string;
static int (*const p_unique_id)(int, char *, size_t) = netns_unique_id;
/* LIBNETNS_0.2 */
static int (*const p_create)(const char *) = netns_create;
static int (*const p_create_at)(const char *) = netns_create_at;
static int (*const p_delete_at)(const char *) = netns_delete_at;
static int (*const p_run)(int, netns_fn, void *, int *) = netns_run;
static int (*const p_run_isolated)(int, int (*)(void *), void *, int *) = netns_run_isolated;
static int (*const p_socket)(int, int, int, int) = netns_socket;
static int (*const p_spawn)(pid_t *, int, const char *, const posix_spawn_file_actions_t *,
                            const posix_spawnattr_t *, char *const[], char *const[]) = netns_spawn;
static int (*const p_spawnp)(pid_t *, int, const char *, const posix_spawn_file_actions_t *,
                             const posix_spawnattr_t *, char *const[],
                             char *const[]) = netns_spawnp;
static int (*const p_spawn_named)(pid_t *, const char *, const char *,
                                  const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
                                  char *const[], char *const[]) = netns_spawn_named;
static int (*const p_type)(int) = netns_type;
static int (*const p_is_netns)(int) = netns_is_netns;
/* 0.5 */
static int (*const p_check_name)(const char *) = netns_check_name;
static int (*const p_run_dir)(char *, size_t) = netns_run_dir;
static int (*const p_enter_named)(const char *) = netns_enter_named;
static int (*const p_exec_named)(const char *, const char *, char *const[],
                                 char *const[]) = netns_exec_named;

int main(void)
{
    const void *all[] = {
        (const void *)&p_version,
        (const void *)&p_none,
        (const void *)&p_get,
        (const void *)&p_get_from_path,
        (const void *)&p_get_from_name,
        (const void *)&p_get_from_pid,
        (const void *)&p_get_from_thread,
        (const void *)&p_get_from_docker,
        (const void *)&p_new,
        (const void *)&p_new_named,
        (const void *)&p_delete_named,
        (const void *)&p_set,
        (const void *)&p_setns,
        (const void *)&p_close,
        (const void *)&p_is_open,
        (const void *)&p_equal,
        (const void *)&p_string,
        (const void *)&p_unique_id,
        (const void *)&p_create,
        (const void *)&p_create_at,
        (const void *)&p_delete_at,
        (const void *)&p_run,
        (const void *)&p_run_isolated,
        (const void *)&p_socket,
        (const void *)&p_spawn,
        (const void *)&p_spawnp,
        (const void *)&p_spawn_named,
        (const void *)&p_type,
        (const void *)&p_is_netns,
        (const void *)&p_check_name,
        (const void *)&p_run_dir,
        (const void *)&p_enter_named,
        (const void *)&p_exec_named,
    };
    const char *expected =
        STR(NETNS_VERSION_MAJOR) "." STR(NETNS_VERSION_MINOR) "." STR(NETNS_VERSION_MICRO);
    char buf[64];
    int ns = NETNS_NONE;
    int failures = 0;

    (void)all;
    if (strcmp(NETNS_VERSION_STRING, expected) != 0) {
        fprintf(stderr, "NETNS_VERSION_STRING is %s, the macros say %s\n", NETNS_VERSION_STRING,
                expected);
        failures++;
    }
    if (strcmp(p_version(), expected) != 0) {
        fprintf(stderr, "netns_version() is %s, the header says %s\n", p_version(), expected);
        failures++;
    }
    if (p_none() != NETNS_NONE || p_is_open(ns) != 0 || !p_equal(ns, NETNS_NONE)) {
        fprintf(stderr, "NETNS_NONE handling is wrong\n");
        failures++;
    }
    if (p_string(ns, buf, sizeof buf) < 0 || strcmp(buf, "NS(none)") != 0) {
        fprintf(stderr, "netns_string(NETNS_NONE) gave \"%s\"\n", buf);
        failures++;
    }
    if (p_type(-1) != -9 /* EBADF */ || p_is_netns(-1) != -9) {
        fprintf(stderr, "netns_type/netns_is_netns(-1) do not say -EBADF\n");
        failures++;
    }
    if (NETNS_CLONE_NEWNET != 0x40000000 || NETNS_CLONE_IO != 0x80000000u ||
        NETNS_CLONE_NEWNS != 0x00020000 || NETNS_CLONE_NEWCGROUP != 0x02000000 ||
        NETNS_CLONE_NEWTIME != 0x00000080) {
        fprintf(stderr, "NETNS_CLONE_* values are wrong\n");
        failures++;
    }
    printf("header check (C, __STDC_VERSION__ %ld): %s\n", (long)__STDC_VERSION__,
           failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
