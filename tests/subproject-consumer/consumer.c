/* SPDX-License-Identifier: Apache-2.0 */
/* Uses libnetns built as a Meson subproject. Needs no privilege. */
#include <netns/netns.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    char desc[64];
    int ns;
    int rc;

    char expected[32];

    snprintf(expected, sizeof expected, "%d.%d.%d", NETNS_VERSION_MAJOR, NETNS_VERSION_MINOR,
             NETNS_VERSION_MICRO);
    printf("libnetns %s\n", netns_version());
    if (strcmp(netns_version(), expected) != 0) {
        fprintf(stderr, "netns_version() is %s, the header says %s\n", netns_version(), expected);
        return 1;
    }
    ns = netns_get();
    if (ns < 0) {
        fprintf(stderr, "netns_get failed: %s\n", strerror(-ns));
        return 1;
    }
    rc = netns_string(ns, desc, sizeof desc);
    if (rc < 0 || !netns_is_open(ns)) {
        fprintf(stderr, "netns_string failed\n");
        return 1;
    }
    printf("current namespace: %s\n", desc);
    if (netns_close(&ns) != 0 || ns != NETNS_NONE) {
        fprintf(stderr, "netns_close failed\n");
        return 1;
    }
    return 0;
}
