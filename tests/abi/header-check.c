/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public header as a C consumer sees it: built as C99 and as C11 with
 * -pedantic -Werror -Wall -Wextra and without _GNU_SOURCE. Every function
 * is assigned to a pointer of the documented type, so a changed prototype
 * fails to compile; the program then checks the few things it can check
 * without privileges.
 */
#include <netns/netns.h>
#include <netns/netns.h> /* the include guard works */
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

int main(void)
{
    const void *all[] = {
        (const void *)&p_version, (const void *)&p_none, (const void *)&p_get,
        (const void *)&p_get_from_path, (const void *)&p_get_from_name,
        (const void *)&p_get_from_pid, (const void *)&p_get_from_thread,
        (const void *)&p_get_from_docker, (const void *)&p_new,
        (const void *)&p_new_named, (const void *)&p_delete_named,
        (const void *)&p_set, (const void *)&p_setns, (const void *)&p_close,
        (const void *)&p_is_open, (const void *)&p_equal,
        (const void *)&p_string, (const void *)&p_unique_id,
    };
    const char *expected = STR(NETNS_VERSION_MAJOR) "." STR(
        NETNS_VERSION_MINOR) "." STR(NETNS_VERSION_MICRO);
    char buf[64];
    int ns = NETNS_NONE;
    int failures = 0;

    (void)all;
    if (strcmp(NETNS_VERSION_STRING, expected) != 0) {
        fprintf(stderr, "NETNS_VERSION_STRING is %s, the macros say %s\n",
                NETNS_VERSION_STRING, expected);
        failures++;
    }
    if (strcmp(p_version(), expected) != 0) {
        fprintf(stderr, "netns_version() is %s, the header says %s\n",
                p_version(), expected);
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
    if (NETNS_CLONE_NEWNET != 0x40000000 || NETNS_CLONE_IO != 0x80000000u) {
        fprintf(stderr, "NETNS_CLONE_* values are wrong\n");
        failures++;
    }
    printf("header check (C, __STDC_VERSION__ %ld): %s\n",
           (long)__STDC_VERSION__, failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
