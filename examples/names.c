/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `ip netns` knows, as library calls: watch the run directory (two
 * adds, later two removals), name a namespace twice, list the names, find every name of a process's
 * namespace and the processes inside it, give it an id. Needs
 * CAP_SYS_ADMIN (the tests run it in their sandbox).
 */
#include <netns/netns.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static int print_name(const char *name, void *prefix)
{
    printf("%s%s\n", (const char *)prefix, name);
    return 0;
}

static int print_pid(pid_t pid, void *unused)
{
    (void)unused;
    printf("  pid %d\n", (int)pid);
    return 0;
}

static int print_event(int event, const char *name, void *unused)
{
    (void)unused;
    printf("  %s %s\n", event == NETNS_EVENT_ADD ? "added" : "removed", name);
    return 0;
}

static int fail(const char *what, int err)
{
    fprintf(stderr, "%s: %s\n", what, strerror(-err));
    return 1;
}

/* Prints what the monitor has seen so far (a program would poll(2) it). */
static int drain(int monitor)
{
    struct pollfd pfd;
    int rc = 0;
    pfd.fd = monitor;
    pfd.events = POLLIN;
    printf("events:\n");
    while (poll(&pfd, 1, 0) > 0)
        if ((rc = netns_monitor_read(monitor, print_event, NULL)) <= 0)
            break;
    return rc < 0 ? fail("netns_monitor_read", rc) : 0;
}

int main(void)
{
    char *argv[] = {"sleep", "60", NULL};
    pid_t child;
    int ns, id, rc;
    int monitor = netns_monitor_open();
    if (monitor < 0)
        return fail("netns_monitor_open", monitor);

    /* A new namespace, named "blue", with a second name "azure". */
    ns = netns_create("blue");
    if (ns < 0)
        return fail("netns_create", ns);
    if ((rc = netns_attach_fd("azure", ns)) < 0)
        return fail("netns_attach_fd", rc);
    if (drain(monitor) != 0)
        return 1;

    printf("names:\n");
    if ((rc = netns_list(print_name, "  ")) < 0)
        return fail("netns_list", rc);

    /* A process inside it: which names is it in, who is in there? */
    if ((rc = netns_spawnp(&child, ns, "sleep", NULL, NULL, argv, NULL)) < 0)
        return fail("netns_spawnp", rc);
    printf("names of process %d:\n", (int)child);
    if ((rc = netns_identify(child, print_name, "  ")) < 0)
        return fail("netns_identify", rc);
    printf("processes in blue:\n");
    if ((rc = netns_pids(ns, print_pid, NULL)) < 0)
        return fail("netns_pids", rc);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);

    /* The id this namespace has for it, as netlink messages carry it. */
    if ((id = netns_set_id(ns, -1)) < 0)
        return fail("netns_set_id", id);
    printf("blue has id %d here\n", netns_get_id(ns));

    if ((rc = netns_delete_named("azure")) < 0 || (rc = netns_delete_named("blue")) < 0)
        return fail("netns_delete_named", rc);
    netns_close(&ns);

    if (drain(monitor) != 0)
        return 1;
    netns_monitor_close(&monitor);
    return 0;
}
