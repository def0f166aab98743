/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A program built against the installed libnetns-dev with
 *   cc consumer.c $(pkg-config --cflags --libs netns)
 * It makes only unprivileged calls, plus netns_new() and netns_create(),
 * which are skipped when the caller may not create namespaces.
 */
#include <netns/netns.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what, int rc)
{
    fprintf(stderr, "FAIL: %s: %s\n", what, strerror(-rc));
    return 1;
}

int main(void)
{
    char desc[64], id_a[64], id_b[64];
    int here, again, fresh, rc;

    printf("libnetns %s\n", netns_version());

    here = netns_get();
    if (here < 0)
        return fail("netns_get", here);
    again = netns_get();
    if (again < 0)
        return fail("netns_get", again);
    if (!netns_equal(here, again) || here == again) {
        fprintf(stderr, "FAIL: two handles to one namespace differ\n");
        return 1;
    }
    rc = netns_string(here, desc, sizeof desc);
    if (rc < 0)
        return fail("netns_string", rc);
    if (netns_unique_id(here, id_a, sizeof id_a) < 0 ||
        netns_unique_id(again, id_b, sizeof id_b) < 0 || strcmp(id_a, id_b) != 0) {
        fprintf(stderr, "FAIL: netns_unique_id differs: %s %s\n", id_a, id_b);
        return 1;
    }
    printf("current namespace: %s, id %s\n", desc, id_a);

    fresh = netns_new();
    if (fresh == -EPERM) {
        printf("netns_new: not permitted here, skipped\n");
    } else if (fresh < 0) {
        return fail("netns_new", fresh);
    } else {
        if (netns_equal(fresh, here)) {
            fprintf(stderr, "FAIL: the new namespace is the old one\n");
            return 1;
        }
        rc = netns_set(here);
        if (rc < 0)
            return fail("netns_set", rc);
        printf("netns_new: created and left a namespace\n");
        netns_close(&fresh);
    }

    /* 0.2: a check of any fd, and a namespace made without moving. */
    if (netns_is_netns(here) != 1 || netns_type(here) != NETNS_CLONE_NEWNET) {
        fprintf(stderr, "FAIL: netns_is_netns/netns_type of a network namespace\n");
        return 1;
    }
    fresh = netns_create(NULL);
    if (fresh == -EPERM) {
        printf("netns_create: not permitted here, skipped\n");
    } else if (fresh < 0) {
        return fail("netns_create", fresh);
    } else {
        rc = netns_get();
        if (rc < 0)
            return fail("netns_get", rc);
        if (!netns_equal(rc, here) || netns_equal(fresh, here)) {
            fprintf(stderr, "FAIL: netns_create moved the thread\n");
            return 1;
        }
        netns_close(&rc);
        netns_close(&fresh);
        printf("netns_create: created a namespace, thread unmoved\n");
    }

    netns_close(&again);
    netns_close(&here);
    if (here != NETNS_NONE)
        return 1;
    printf("ok\n");
    return 0;
}
