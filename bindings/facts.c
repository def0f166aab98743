// SPDX-License-Identifier: Apache-2.0
/*
 * The values the bindings mirror, as the compiler sees them: every constant
 * of <netns/netns.h> and <netns/version.h>, the <spawn.h> flags and the
 * size and alignment of the C library's spawn types. One "NAME VALUE" a
 * line; bindings/check-facts.py compares the Python package and the Rust
 * sources with them (and fails on a header constant missing here).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* POSIX_SPAWN_SETSID */
#endif
#include <netns/netns.h>
#include <signal.h>
#include <spawn.h>
#include <stdalign.h>
#include <stdio.h>

#define FACT(name) printf("%s %lld\n", #name, (long long)(name))
#define TYPE(type)                                                                                 \
    printf("sizeof(%s) %zu\nalignof(%s) %zu\n", #type, sizeof(type), #type, alignof(type))

int main(void)
{
    FACT(NETNS_VERSION_MAJOR);
    FACT(NETNS_VERSION_MINOR);
    FACT(NETNS_VERSION_MICRO);
    printf("NETNS_VERSION_STRING %s\n", NETNS_VERSION_STRING);
    FACT(NETNS_NONE);
    FACT(NETNS_CLONE_NEWUTS);
    FACT(NETNS_CLONE_NEWIPC);
    FACT(NETNS_CLONE_NEWUSER);
    FACT(NETNS_CLONE_NEWPID);
    FACT(NETNS_CLONE_NEWNET);
    FACT(NETNS_CLONE_IO);
    FACT(NETNS_CLONE_NEWTIME);
    FACT(NETNS_CLONE_NEWNS);
    FACT(NETNS_CLONE_NEWCGROUP);
    FACT(NETNS_EVENT_ADD);
    FACT(NETNS_EVENT_DEL);
    FACT(POSIX_SPAWN_RESETIDS);
    FACT(POSIX_SPAWN_SETPGROUP);
    FACT(POSIX_SPAWN_SETSIGDEF);
    FACT(POSIX_SPAWN_SETSIGMASK);
    FACT(POSIX_SPAWN_SETSID);
    TYPE(posix_spawn_file_actions_t);
    TYPE(posix_spawnattr_t);
    TYPE(sigset_t);
    return 0;
}
