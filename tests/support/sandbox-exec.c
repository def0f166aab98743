/* SPDX-License-Identifier: Apache-2.0 */
/* sandbox-exec PROGRAM [ARGS...]: runs PROGRAM inside the test sandbox
 * (see sandbox.h); used for tests that are not Catch2 programs. */
#include "sandbox.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sandbox-exec PROGRAM [ARGS...]\n");
        return 2;
    }
    int rc = netns_test_enter_sandbox();
    if (rc != 0)
        return rc;
    execvp(argv[1], argv + 1);
    fprintf(stderr, "sandbox-exec: %s: %s\n", argv[1], strerror(errno));
    return 127;
}
