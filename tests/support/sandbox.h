/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The privileged-test sandbox. Every test that creates, enters or deletes
 * namespaces runs inside it:
 *  - as root: a private mount namespace (real root, real namespaces);
 *  - as an ordinary user: a fresh user + mount + network namespace in which
 *    the user is root, so the same tests run rootless. (The tests' starting
 *    network namespace must belong to that user namespace, or a thread
 *    that left it could not come back.)
 * In both cases /run is a private tmpfs, so the default run directory
 * (/run/netns) is private too, and TMPDIR is set to /run/tmp: nothing a
 * test does, even one that crashes, is left on the host; the mounts and
 * files die with the namespace.
 */
#ifndef NETNS_TESTS_SANDBOX_H
#define NETNS_TESTS_SANDBOX_H

#ifdef __cplusplus
extern "C" {
#endif

/* Enters the sandbox. Must be called while the process is single-threaded.
 * Returns 0, or 77 after printing why the sandbox is impossible here (no
 * user namespaces for an ordinary user), or 1 after printing an error. */
int netns_test_enter_sandbox(void);

#ifdef __cplusplus
}
#endif

#endif
