/* SPDX-License-Identifier: Apache-2.0 */
/* Built by CMake against the installed libnetns (find_package(netns)).
 * Prints the run-time version; fails when it is not the headers'. */
#include <netns/netns.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    char id[64];
    int ns;

    printf("libnetns %s (headers %s)\n", netns_version(), NETNS_VERSION_STRING);
    if (strcmp(netns_version(), NETNS_VERSION_STRING) != 0)
        return 1;
    ns = netns_get();
    if (ns < 0) {
        fprintf(stderr, "netns_get: %s\n", strerror(-ns));
        return 1;
    }
    if (netns_unique_id(ns, id, sizeof id) < 0 || netns_close(&ns) != 0)
        return 1;
    printf("C: this thread is in %s\n", id);
    return 0;
}
