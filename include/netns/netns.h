/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libnetns: handles to Linux network namespaces.
 *
 * This header (with netns/version.h, which it includes) is the whole public
 * contract of libnetns.so.0. It is valid C99 and C++.
 *
 * Requires Linux 4.11 or later (the NS_GET_NSTYPE ioctl, used to check that
 * a file is a network namespace) with /proc mounted.
 *
 * Conventions shared by every function:
 *  - A handle is a plain file descriptor (int); NETNS_NONE (-1) means "no
 *    namespace". A handle can be passed to any system call that takes an fd.
 *  - A function returns >= 0 on success or a negative errno value on failure.
 *    Nothing prints, exits, aborts or throws.
 *  - Every descriptor the library opens is opened O_CLOEXEC.
 *  - Every function is thread-safe. Namespace switches act on the calling
 *    thread only (setns(2) and unshare(2) semantics); the current namespace
 *    is the calling thread's, read from /proc/thread-self/ns/net.
 *  - "Moves the calling thread" says whether a successful call leaves the
 *    calling thread in a different network namespace. A failing call never
 *    does: the thread is where it was before the call.
 *
 * The run directory for named namespaces is $NETNS_RUN_DIR when that
 * variable is set (read with secure_getenv(3), so it is ignored in setuid
 * programs); otherwise /run/netns, and /var/run/netns when /run does not
 * exist. Lookups by name also try /var/run/netns when /run/netns has no such
 * entry and NETNS_RUN_DIR is unset.
 *
 * A name is valid when it is not NULL, not empty, not "." or "..", contains
 * no '/' and is at most NAME_MAX (255) bytes long.
 */
#ifndef NETNS_NETNS_H
#define NETNS_NETNS_H

#include <stddef.h>
#include <sys/types.h>

#include <netns/version.h> /* NETNS_VERSION_MAJOR/MINOR/MICRO/STRING */

#ifdef __cplusplus
extern "C" {
#endif

/** The handle value that names no namespace. */
#define NETNS_NONE (-1)

/* Namespace types, as the kernel's CLONE_* values (for netns_setns()). */
#define NETNS_CLONE_NEWUTS  0x04000000
#define NETNS_CLONE_NEWIPC  0x08000000
#define NETNS_CLONE_NEWUSER 0x10000000
#define NETNS_CLONE_NEWPID  0x20000000
#define NETNS_CLONE_NEWNET  0x40000000
#define NETNS_CLONE_IO      0x80000000u

#if defined(__GNUC__) && !defined(NETNS_NO_ATTRIBUTES)
#define NETNS_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define NETNS_WARN_UNUSED
#endif

/**
 * netns_version - the library's version string, "MAJOR.MINOR.MICRO": the
 * NETNS_VERSION_STRING of the headers it was built with.
 *
 * Returns a static string, never NULL. Does not move the calling thread.
 */
const char *netns_version(void);

/**
 * netns_none - the empty handle.
 *
 * Returns NETNS_NONE (-1). Does not move the calling thread.
 */
int netns_none(void);

/**
 * netns_get - open a handle to the calling thread's network namespace.
 *
 * Reads /proc/thread-self/ns/net. Does not move the calling thread.
 *
 * Returns a new handle (>= 0), or:
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  -ENOENT           /proc is not mounted;
 *  -ENOMEM           out of memory.
 */
int netns_get(void) NETNS_WARN_UNUSED;

/**
 * netns_get_from_path - open a handle to the network namespace at @path.
 *
 * @path may be any nsfs file: /proc/<pid>/ns/net, a bind mount made by
 * `ip netns add`, etc. Symbolic links are followed. The file is checked to
 * be a network namespace before it is opened for reading, so a path to
 * anything else has no side effect: a FIFO does not block, a device is not
 * opened, a terminal is not taken. Reads /proc/thread-self/fd. Does not
 * move the calling thread.
 *
 * Returns a new handle (>= 0), or:
 *  -EINVAL   @path is NULL or empty, or the file is not a network
 *            namespace: a regular file, a directory, a FIFO, a socket, a
 *            character or block device, or a namespace of another type;
 *  -ENOENT   there is no such file (or /proc is not mounted);
 *  -EACCES   a directory of @path cannot be searched, or (for
 *            /proc/<pid>/ns/net) the process may not be inspected;
 *  -ENOTDIR  a component of @path is not a directory;
 *  -ELOOP    too many symbolic links;
 *  -ENAMETOOLONG  @path or a component of it is too long;
 *  -EMFILE, -ENFILE  no descriptor is free.
 */
int netns_get_from_path(const char *path) NETNS_WARN_UNUSED;

/**
 * netns_get_from_name - open a handle to the named namespace @name.
 *
 * Opens <run dir>/@name, as made by netns_new_named() or `ip netns add`.
 * Does not move the calling thread.
 *
 * Like netns_get_from_path(), the entry is checked before it is opened for
 * reading: an entry that is not a network namespace has no side effect.
 *
 * Returns a new handle (>= 0), or:
 *  -EINVAL   @name is not a valid name (see the top of this file), or the
 *            entry exists but is not a mounted network namespace (any
 *            other kind of file, or a namespace of another type);
 *  -ENOENT   there is no namespace of that name (or /proc is not mounted);
 *  -EACCES   the run directory cannot be searched;
 *  -ENOTDIR  the run directory is not a directory;
 *  -ELOOP    the entry is a loop of symbolic links;
 *  -ENAMETOOLONG  the run directory's path and @name are too long together;
 *  -ENOMEM   out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free.
 */
int netns_get_from_name(const char *name) NETNS_WARN_UNUSED;

/**
 * netns_get_from_pid - open a handle to the network namespace of process
 * @pid (of its main thread). Does not move the calling thread.
 *
 * Returns a new handle (>= 0), or:
 *  -EINVAL   @pid <= 0;
 *  -ENOENT   there is no such process (a dead pid);
 *  -ESRCH    the process is exiting;
 *  -EACCES   not allowed to inspect the process (ptrace access mode);
 *  -EMFILE, -ENFILE  no descriptor is free.
 */
int netns_get_from_pid(pid_t pid) NETNS_WARN_UNUSED;

/**
 * netns_get_from_thread - open a handle to the network namespace of thread
 * @tid of process @pid. Does not move the calling thread.
 *
 * Returns a new handle (>= 0), or:
 *  -EINVAL   @pid <= 0 or @tid <= 0;
 *  -ENOENT   there is no such thread in that process;
 *  -ESRCH    the thread is exiting;
 *  -EACCES   not allowed to inspect the thread;
 *  -EMFILE, -ENFILE  no descriptor is free.
 */
int netns_get_from_thread(pid_t pid, pid_t tid) NETNS_WARN_UNUSED;

/**
 * netns_get_from_docker - open a handle to the network namespace of a
 * Docker container. Does not move the calling thread.
 *
 * @id is a container id or an unambiguous prefix of one (a name also works
 * when the daemon answers). The container's init pid is found:
 *  1. through the Docker Engine API, GET /containers/<id>/json, on the unix
 *     socket named by DOCKER_HOST=unix://<path> when set, else
 *     /run/docker.sock, else /var/run/docker.sock;
 *  2. when no daemon answers on the socket, by searching the cgroup trees
 *     under /sys/fs/cgroup (v1 and v2; docker/<id>, system.slice/
 *     docker-<id>.scope, kubepods and nerdctl layouts).
 *
 * Once a daemon accepts the connection its answer is final (a 404 does not
 * fall back to the cgroup search). Whether a prefix is ambiguous is decided
 * from the daemon's container list (GET /containers/json, filtered by id),
 * not from the wording of its error message.
 *
 * Returns a new handle (>= 0), or:
 *  -EINVAL     @id is NULL, empty, "." or "..", longer than 128 bytes, or
 *              has characters outside [0-9A-Za-z_.-]; or the daemon
 *              rejected the request (HTTP 400) for another reason than an
 *              ambiguous prefix;
 *  -ENOENT     no container matches;
 *  -ENOTUNIQ   the prefix matches more than one container;
 *  -ESRCH      the container is not running, or its process has exited;
 *  -EPROTO     the exchange with the daemon failed: it closed or reset the
 *              connection before a whole response, answered something that
 *              is not HTTP or not the JSON expected, or failed (HTTP 5xx,
 *              or any status not listed here);
 *  -ETIMEDOUT  the daemon did not answer in time (5 s per exchange);
 *  -EACCES     not allowed to talk to the daemon (HTTP 401/403, or a socket
 *              refused us and the cgroup search found nothing), or to
 *              inspect the process;
 *  -EIO        reading the cgroup tree or /proc failed;
 *  -ENOMEM     out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free.
 */
int netns_get_from_docker(const char *id) NETNS_WARN_UNUSED;

/**
 * netns_new - create a new network namespace and move the calling thread
 * into it (unshare(CLONE_NEWNET)), as the Go package's New() does.
 *
 * MOVES THE CALLING THREAD on success. On failure the thread stays where it
 * was and no descriptor is leaked. The namespace lives as long as a thread
 * is in it or a handle to it is open.
 *
 * Returns a handle to the new namespace (>= 0), or:
 *  -EPERM    the caller lacks CAP_SYS_ADMIN in its user namespace;
 *  -ENOSPC   the limit on network namespaces is reached;
 *  -ENOMEM   out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free.
 */
int netns_new(void) NETNS_WARN_UNUSED;

/**
 * netns_new_named - create a new network namespace, make it persistent as
 * <run dir>/@name (visible to `ip netns list`, usable by `ip netns exec`),
 * and move the calling thread into it.
 *
 * Like `ip netns add`: the run directory is created (mode 0755) when
 * missing, locked with flock(2), made a shared mount point, then the entry is
 * created with O_EXCL and the namespace bind-mounted onto it.
 *
 * MOVES THE CALLING THREAD on success. On failure the thread stays where it
 * was, and no entry, mount or descriptor is left behind: a half-made entry
 * is removed as netns_delete_named() removes one, busy retries included.
 * (The run directory itself, once made a shared mount point, stays one, as
 * with iproute2.)
 *
 * Returns a handle to the new namespace (>= 0), or:
 *  -EINVAL   @name is not a valid name;
 *  -EEXIST   an entry of that name already exists;
 *  -EPERM    the caller lacks CAP_SYS_ADMIN;
 *  -EACCES, -EROFS, -ENOENT, -ENOTDIR
 *            the run directory cannot be created or written;
 *  -ENOSPC   the limit on network namespaces is reached;
 *  -EMFILE, -ENFILE  no descriptor is free.
 */
int netns_new_named(const char *name) NETNS_WARN_UNUSED;

/**
 * netns_delete_named - remove the named namespace @name: unmount every mount
 * stacked on <run dir>/@name, then unlink it (retrying EBUSY for up to one
 * second). The namespace itself lives on while a process or a handle still
 * uses it. Does not move the calling thread.
 *
 * It holds the run directory's lock, as netns_new_named() does, so it never
 * removes a name that is being created. It checks that the entry can be
 * unlinked before unmounting anything, so a read-only run directory fails
 * with the name intact.
 *
 * Returns 0, or:
 *  -EINVAL   @name is not a valid name;
 *  -ENOENT   there is no entry of that name;
 *  -EPERM    the caller lacks CAP_SYS_ADMIN;
 *  -EISDIR   the entry is a directory (not made by libnetns; left alone);
 *  -EBUSY    the entry stayed busy;
 *  -EACCES, -EROFS  the run directory cannot be written;
 *  -EMFILE, -ENFILE  no descriptor is free (for the lock).
 */
int netns_delete_named(const char *name);

/**
 * netns_set - move the calling thread into the network namespace @ns
 * (setns(@ns, CLONE_NEWNET)).
 *
 * MOVES THE CALLING THREAD on success.
 *
 * Returns 0, or:
 *  -EBADF    @ns is NETNS_NONE, negative or not an open descriptor;
 *  -EINVAL   @ns is open but is not a network namespace;
 *  -EPERM    the caller lacks CAP_SYS_ADMIN over the target namespace.
 */
int netns_set(int ns);

/**
 * netns_setns - move the calling thread into the namespace @ns of type
 * @nstype (one NETNS_CLONE_NEW* value, or 0 for "any type"), as setns(2).
 *
 * MOVES THE CALLING THREAD into that namespace on success.
 *
 * Returns 0, or:
 *  -EBADF    @ns is not an open descriptor;
 *  -EINVAL   @ns is not a namespace of type @nstype, or the kernel refuses
 *            the switch for this caller (e.g. a user or mount namespace in a
 *            multi-threaded process);
 *  -EPERM    the caller lacks the needed capability.
 */
int netns_setns(int ns, int nstype);

/**
 * netns_close - close the handle *@ns and set *@ns to NETNS_NONE.
 * Does not move the calling thread.
 *
 * Returns 0, or:
 *  -EINVAL   @ns is NULL;
 *  -EBADF    *@ns is negative (already closed) or not an open descriptor;
 *            *@ns is set to NETNS_NONE in this case too.
 */
int netns_close(int *ns);

/**
 * netns_is_open - whether @ns is a handle value (>= 0) rather than
 * NETNS_NONE. It does not check the descriptor. Does not move the thread.
 *
 * Returns 1 or 0. It cannot fail.
 */
int netns_is_open(int ns);

/**
 * netns_equal - whether @a and @b name the same namespace: same st_dev and
 * st_ino, or both NETNS_NONE. Does not move the calling thread.
 *
 * Returns 1 or 0; 0 also when a handle cannot be examined (closed fd).
 * It cannot fail.
 */
int netns_equal(int a, int b);

/**
 * netns_string - describe @ns as "NS(<fd>: <dev>, <ino>)", "NS(none)" for
 * NETNS_NONE, or "NS(<fd>: unknown)" when fstat(2) fails. The Go package's
 * format. Does not move the calling thread.
 *
 * snprintf(3) rules: writes at most @size bytes including the NUL; @buf may
 * be NULL when @size is 0.
 *
 * Returns the full length of the description (without the NUL), or:
 *  -EINVAL   @buf is NULL and @size is not 0.
 */
int netns_string(int ns, char *buf, size_t size);

/**
 * netns_unique_id - a string that identifies the namespace itself, the same
 * for every handle to it: "NS(<dev>:<ino>)", "NS(none)" for NETNS_NONE, or
 * "NS(unknown)" when fstat(2) fails. Does not move the calling thread.
 *
 * Same buffer rules and return values as netns_string().
 */
int netns_unique_id(int ns, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* NETNS_NETNS_H */
