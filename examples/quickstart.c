/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Go package's README example, in C, without moving the thread: create
 * a network namespace, list its interfaces from inside it, and check that
 * this thread never left its own. (Go's example saves the namespace,
 * switches into a new one and back; netns_create() and netns_run() do the
 * same work and cannot leave the thread behind.)
 *
 * Creating a namespace needs CAP_SYS_ADMIN. Run it as root, or rootless in
 * a user namespace of your own:  unshare --user --map-root-user --net ./quickstart
 * Run as an ordinary user without that, it says so and does it for you.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* unshare(), gettid() */
#endif
#include <netns/netns.h>

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Runs inside the new namespace (netns_run's fn): prints what it sees. */
static int list_interfaces(void *arg)
{
    struct if_nameindex *ifs = if_nameindex();
    struct if_nameindex *i;
    (void)arg;
    if (ifs == NULL)
        return -errno;
    printf("Interfaces:");
    for (i = ifs; i->if_index != 0; i++)
        printf(" %u:%s", i->if_index, i->if_name);
    printf("\n");
    if_freenameindex(ifs);
    return 0;
}

/* Not part of the example: become root of a new user namespace (with a
 * network namespace it owns), so that an ordinary user can run this. */
static int enter_user_namespace(void)
{
    char map[64];
    unsigned uid = (unsigned)geteuid(), gid = (unsigned)getegid();
    int fd;
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
        return -errno;
    fd = open("/proc/self/setgroups", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)!write(fd, "deny", 4);
        close(fd);
    }
    snprintf(map, sizeof map, "0 %u 1", uid);
    fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, map, strlen(map)) < 0)
        return -errno;
    close(fd);
    snprintf(map, sizeof map, "0 %u 1", gid);
    fd = open("/proc/self/gid_map", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, map, strlen(map)) < 0)
        return -errno;
    close(fd);
    return 0;
}

int main(void)
{
    char desc[64];
    int origns, newns, now, rc, result, back;

    printf("libnetns %s\n", netns_version());

    /* The current network namespace, to compare with at the end. */
    origns = netns_get();
    if (origns < 0) {
        fprintf(stderr, "netns_get: %s\n", strerror(-origns));
        return 1;
    }

    /* Create a new network namespace; this thread stays where it is. */
    newns = netns_create(NULL);
    if (newns == -EPERM && geteuid() != 0) {
        fprintf(stderr, "netns_create needs CAP_SYS_ADMIN; not root, so continuing in a new "
                        "user namespace (rootless)\n");
        netns_close(&origns);
        rc = enter_user_namespace();
        if (rc < 0) {
            fprintf(stderr, "cannot create a user namespace (%s): run as root\n", strerror(-rc));
            return 77;
        }
        origns = netns_get();
        newns = netns_create(NULL);
    }
    if (newns < 0) {
        fprintf(stderr, "netns_create: %s (creating a namespace needs CAP_SYS_ADMIN)\n",
                strerror(-newns));
        netns_close(&origns);
        return 1;
    }

    netns_string(origns, desc, sizeof desc);
    printf("original: %s\n", desc);
    netns_string(newns, desc, sizeof desc);
    printf("new:      %s\n", desc);

    /* Do something inside the new namespace: netns_run switches this thread
     * in, calls the function and switches back before it returns. */
    rc = netns_run(newns, list_interfaces, NULL, &result);
    if (rc < 0 || result < 0) {
        fprintf(stderr, "netns_run: %s\n", strerror(rc < 0 ? -rc : -result));
        netns_close(&newns);
        netns_close(&origns);
        return 1;
    }

    now = netns_get();
    back = netns_equal(now, origns);
    printf("still in the original namespace: %s\n", back ? "yes" : "no");

    netns_close(&now);
    netns_close(&newns);
    netns_close(&origns);
    return back ? 0 : 1;
}
