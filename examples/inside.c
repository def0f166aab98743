/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Doing work inside a network namespace without moving the calling thread:
 * create one, run a function there, open a socket there, start a process
 * there. Needs CAP_SYS_ADMIN (the tests run it in their sandbox).
 */
#include <netns/netns.h>

#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs inside the namespace: how many interfaces are there? */
static int count_interfaces(void *arg)
{
    struct if_nameindex *ifs = if_nameindex(), *i;
    int n = 0;
    (void)arg;
    if (ifs == NULL)
        return -1;
    for (i = ifs; i->if_index != 0; i++)
        n++;
    if_freenameindex(ifs);
    return n;
}

int main(void)
{
    char *argv[] = {"ip", "-brief", "link", NULL};
    int ns, sock, count = 0, err, status;
    pid_t pid;

    ns = netns_create(NULL); /* the calling thread does not move */
    if (ns < 0) {
        fprintf(stderr, "netns_create: %s\n", strerror(-ns));
        return 1;
    }

    /* A short call on this thread: in, call, back. */
    err = netns_run(ns, count_interfaces, NULL, &count);
    if (err < 0)
        fprintf(stderr, "netns_run: %s\n", strerror(-err));
    else
        printf("netns_run: %d interface(s) inside\n", count);

    /* Anything that may block, start threads or fail half-way: its own
     * thread, which ends with the call. */
    err = netns_run_isolated(ns, count_interfaces, NULL, &count);
    if (err == 0)
        printf("netns_run_isolated: %d interface(s) inside\n", count);

    /* A socket keeps its namespace, whichever thread uses it later. */
    sock = netns_socket(ns, AF_INET, SOCK_DGRAM, 0);
    if (sock >= 0) {
        printf("netns_socket: fd %d, made inside\n", sock);
        close(sock);
    }

    /* A process started there (posix_spawn rules; the caller reaps it). */
    err = netns_spawnp(&pid, ns, "ip", NULL, NULL, argv, NULL);
    if (err == 0 && waitpid(pid, &status, 0) == pid)
        printf("netns_spawnp: ip exited with %d\n", WEXITSTATUS(status));
    else if (err < 0)
        fprintf(stderr, "netns_spawnp: %s\n", strerror(-err));

    netns_close(&ns); /* the namespace goes away with its last user */
    return err < 0 ? 1 : 0;
}
