/* SPDX-License-Identifier: Apache-2.0 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = write(fd, text, strlen(text));
    int err = n < 0 ? -errno : 0;
    close(fd);
    return err;
}

static int map_root(uid_t uid, gid_t gid)
{
    char line[64];
    int err = write_file("/proc/self/setgroups", "deny");
    if (err < 0 && err != -ENOENT)
        return err;
    snprintf(line, sizeof line, "0 %u 1", (unsigned)uid);
    if ((err = write_file("/proc/self/uid_map", line)) < 0)
        return err;
    snprintf(line, sizeof line, "0 %u 1", (unsigned)gid);
    return write_file("/proc/self/gid_map", line);
}

int netns_test_enter_sandbox(void)
{
    const char *done = getenv("NETNS_TEST_IN_SANDBOX");
    if (done != NULL && strcmp(done, "1") == 0)
        return 0; /* a parent already set it up (e.g. sandbox-exec) */

    if (geteuid() != 0) {
        uid_t uid = geteuid();
        gid_t gid = getegid();
        /* The network namespace too: the host's belongs to the initial user
         * namespace, so a thread that left it could never setns() back. */
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) < 0) {
            fprintf(stderr,
                    "SKIP: not root, and cannot create a user namespace (%s); "
                    "check kernel.unprivileged_userns_clone and user.max_user_namespaces\n",
                    strerror(errno));
            return 77;
        }
        int err = map_root(uid, gid);
        if (err < 0) {
            fprintf(stderr, "SKIP: cannot map root in the user namespace (%s)\n", strerror(-err));
            return 77;
        }
    } else if (unshare(CLONE_NEWNS) < 0) {
        fprintf(stderr, "sandbox: unshare(CLONE_NEWNS): %s\n", strerror(errno));
        return 1;
    }
    /* Our mounts must not propagate back to the host. */
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
        fprintf(stderr, "sandbox: making / a slave: %s\n", strerror(errno));
        return 1;
    }
    if (mount("netns-test-run", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
        fprintf(stderr, "sandbox: tmpfs on /run: %s\n", strerror(errno));
        return 1;
    }
    /* Temporary files go to the private /run as well: whatever a test
     * leaves, even when it crashes, dies with the sandbox. */
    if ((mkdir("/run/tmp", 0700) < 0 && errno != EEXIST) || chmod("/run/tmp", 01777) < 0) {
        fprintf(stderr, "sandbox: making /run/tmp: %s\n", strerror(errno));
        return 1;
    }
    setenv("TMPDIR", "/run/tmp", 1);
    setenv("NETNS_TEST_IN_SANDBOX", "1", 1);
    return 0;
}
