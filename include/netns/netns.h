/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libnetns: handles to Linux network namespaces.
 *
 * This header (with netns/version.h, which it includes) is the whole public
 * contract of libnetns.so.0. It is valid C99 and C++.
 *
 * Requires Linux 4.11 or later (the NS_GET_NSTYPE ioctl, used to check that
 * a file is a network namespace) with /proc mounted. netns_identify() and
 * netns_attach() pin the process with a pidfd (Linux 5.3); on older
 * kernels they look it up by number in /proc instead, without that
 * guarantee against pid reuse.
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
 *    does: the thread is where it was before the call. The one exception
 *    is -ENOTRECOVERABLE (netns_run(), netns_socket(), netns_spawn*(),
 *    netns_get_id_in(), netns_create(), netns_create_at(),
 *    netns_enter_named(), netns_exec_named()), which says exactly that the
 *    thread could not be brought back.
 *
 * The run directory for named namespaces is $NETNS_RUN_DIR when that
 * variable is set (read with secure_getenv(3), so it is ignored in setuid
 * programs); otherwise /run/netns, and /var/run/netns when /run does not
 * exist. Lookups by name also try /var/run/netns when /run/netns has no such
 * entry and NETNS_RUN_DIR is unset.
 *
 * A name is valid when it is not NULL, not empty, not "." or "..", contains
 * no '/' and is at most NAME_MAX (255) bytes long.
 *
 * The declarations are grouped by what they do, in six sections (Doxygen
 * groups): handles and lookups; switching the calling thread; creating,
 * naming and deleting; running inside a namespace; listing, identifying and
 * watching; namespace ids. Each says since which release it exists
 * ("Since 0.3.": in libnetns.so.0 since 0.3.0, under the version node
 * LIBNETNS_0.3 of capi/libnetns.map, which stays ordered by release).
 */
#ifndef NETNS_NETNS_H
#define NETNS_NETNS_H

#include <spawn.h>
#include <stddef.h>
#include <sys/types.h>

#include <netns/version.h> /* NETNS_VERSION_MAJOR/MINOR/MICRO/STRING */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(NETNS_NO_ATTRIBUTES)
#define NETNS_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define NETNS_WARN_UNUSED
#endif

/**
 * @defgroup handle Handles and lookups
 * A handle is an open descriptor of a network namespace: what opens one,
 * closes it, compares and describes it, and what tells a namespace
 * descriptor from another. None of these moves the calling thread.
 * @{
 */

/**
 * The handle value that names no namespace.
 *
 * Since 0.1.
 */
#define NETNS_NONE (-1)

/**
 * netns_none - the empty handle.
 *
 * Returns NETNS_NONE (-1). Does not move the calling thread.
 *
 * Since 0.1.
 */
int netns_none(void);

/**
 * netns_close - close the handle *@ns and set *@ns to NETNS_NONE.
 * Does not move the calling thread.
 *
 * Returns 0, or:
 *  -EINVAL   @ns is NULL;
 *  -EBADF    *@ns is negative (already closed) or not an open descriptor;
 *            *@ns is set to NETNS_NONE in this case too.
 *
 * Since 0.1.
 */
int netns_close(int *ns);

/**
 * netns_is_open - whether @ns is a handle value (>= 0) rather than
 * NETNS_NONE. It does not check the descriptor. Does not move the thread.
 *
 * Returns 1 or 0. It cannot fail.
 *
 * Since 0.1.
 */
int netns_is_open(int ns);

/**
 * netns_equal - whether @a and @b name the same namespace: same st_dev and
 * st_ino, or both NETNS_NONE. Does not move the calling thread.
 *
 * Returns 1 or 0; 0 also when a handle cannot be examined (closed fd).
 * It cannot fail.
 *
 * Since 0.1.
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
 *
 * Since 0.1.
 */
int netns_string(int ns, char *buf, size_t size);

/**
 * netns_unique_id - a string that identifies the namespace itself, the same
 * for every handle to it: "NS(<dev>:<ino>)", "NS(none)" for NETNS_NONE, or
 * "NS(unknown)" when fstat(2) fails. Does not move the calling thread.
 *
 * Same buffer rules and return values as netns_string().
 *
 * Since 0.1.
 */
int netns_unique_id(int ns, char *buf, size_t size);

/**
 * netns_version - the library's version string, "MAJOR.MINOR.MICRO": the
 * NETNS_VERSION_STRING of the headers it was built with.
 *
 * Returns a static string, never NULL. Does not move the calling thread.
 *
 * Since 0.1.
 */
const char *netns_version(void);

/**
 * netns_get - open a handle to the calling thread's network namespace.
 *
 * Reads /proc/thread-self/ns/net. Does not move the calling thread.
 *
 * Returns a new handle (>= 0), or:
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  -ENOENT           /proc is not mounted;
 *  -ENOMEM           out of memory.
 *
 * Since 0.1.
 */
int netns_get(void) NETNS_WARN_UNUSED;

/**
 * netns_get_from_path - open a handle to the network namespace at @path.
 *
 * @path may be any nsfs file: /proc/<pid>/ns/net, a bind mount made by
 * `ip netns add`, etc. Symbolic links are followed. The file is checked to
 * be a network namespace before it is opened for reading, so a path to
 * anything else has no side effect: a FIFO does not block, a device is not
 * opened, a terminal is not taken. Reads /proc/thread-self/fd. That check
 * (an O_PATH open, fstatfs(2), a reopen through /proc/thread-self/fd, then
 * the type) costs about 3 times a plain open(2) + ioctl(NS_GET_NSTYPE) +
 * close(2) (doc/bench.md); netns_get_from_name() costs about what those
 * calls do. Does not move the calling thread.
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
 *
 * Since 0.1.
 */
int netns_get_from_path(const char *path) NETNS_WARN_UNUSED;

/**
 * netns_get_from_name - open a handle to the named namespace @name.
 *
 * Opens <run dir>/@name, as made by netns_new_named() or `ip netns add`.
 * Does not move the calling thread.
 *
 * One open(2) (O_RDONLY|O_NONBLOCK|O_NOCTTY|O_NOFOLLOW) and one
 * ioctl(NS_GET_NSTYPE) on what it opened: about what those calls cost by
 * hand. The run directory is filled by its owner only, so the entry is
 * opened at once: a FIFO does not block, a terminal is not taken, and a
 * symbolic link, a socket, or an entry the caller may not open is looked
 * up as netns_get_from_path() does (checked before it is opened). A device
 * node that root made or mounted in the run directory itself is opened
 * (unless the directory is on a nodev mount, as /run usually is); anywhere
 * else, use netns_get_from_path(). The handle has O_NONBLOCK among its
 * file status flags (nothing reads from a namespace).
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
 *
 * Since 0.1.
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
 *
 * Since 0.1.
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
 *
 * Since 0.1.
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
 *
 * Since 0.1.
 */
int netns_get_from_docker(const char *id) NETNS_WARN_UNUSED;

/**
 * netns_get_from_pidfd - open a handle to the network namespace of the
 * process behind @pidfd (from pidfd_open(2) or clone3's CLONE_PIDFD).
 * Uses the PIDFD_GET_NET_NAMESPACE ioctl (Linux 6.11 and later); on older
 * kernels it opens /proc/<pid>/ns/net and then checks through @pidfd that
 * the process is still alive, so a recycled pid never yields another
 * process's namespace. Does not move the calling thread.
 *
 * Returns a new handle (>= 0), or:
 *  -EBADF    @pidfd is not an open descriptor;
 *  -EINVAL   @pidfd is open but is not a pidfd;
 *  -ESRCH    the process has exited;
 *  -EACCES, -EPERM  not allowed to inspect the process;
 *  -EMFILE, -ENFILE  no descriptor is free.
 *
 * Since 0.3.
 */
int netns_get_from_pidfd(int pidfd) NETNS_WARN_UNUSED;

/*
 * Namespace types, as the kernel's CLONE_* values: what netns_type() returns
 * (for namespaces of every kind) and what netns_setns() takes.
 */
/** A UTS namespace (CLONE_NEWUTS). Since 0.1. */
#define NETNS_CLONE_NEWUTS 0x04000000
/** An IPC namespace (CLONE_NEWIPC). Since 0.1. */
#define NETNS_CLONE_NEWIPC 0x08000000
/** A user namespace (CLONE_NEWUSER). Since 0.1. */
#define NETNS_CLONE_NEWUSER 0x10000000
/** A PID namespace (CLONE_NEWPID). Since 0.1. */
#define NETNS_CLONE_NEWPID 0x20000000
/** A network namespace (CLONE_NEWNET). Since 0.1. */
#define NETNS_CLONE_NEWNET 0x40000000
/** CLONE_IO, as in Go's package: a clone(2) flag, not a namespace type. Since 0.1. */
#define NETNS_CLONE_IO 0x80000000u
/** A time namespace (CLONE_NEWTIME). Since 0.2. */
#define NETNS_CLONE_NEWTIME 0x00000080
/** A mount namespace (CLONE_NEWNS). Since 0.2. */
#define NETNS_CLONE_NEWNS 0x00020000
/** A cgroup namespace (CLONE_NEWCGROUP). Since 0.2. */
#define NETNS_CLONE_NEWCGROUP 0x02000000

/**
 * netns_type - the namespace type of @fd (NS_GET_NSTYPE): one of the
 * NETNS_CLONE_NEW* values, for a namespace of any kind (not only network
 * namespaces). @fd may be an O_PATH descriptor (it is then reopened
 * through /proc/thread-self/fd). Does not move the calling thread.
 *
 * Returns the type (> 0), or:
 *  -EINVAL   @fd is open but is not a namespace;
 *  -EBADF    @fd is not an open descriptor.
 *
 * Since 0.2.
 */
int netns_type(int fd);

/**
 * netns_is_netns - whether @fd (any descriptor, O_PATH too) is a network
 * namespace. Does not move the calling thread.
 *
 * Returns 1 when it is, 0 when it is open but something else (a file, a
 * socket, a namespace of another type), or:
 *  -EBADF    @fd is not an open descriptor.
 *
 * Since 0.2.
 */
int netns_is_netns(int fd);

/** @} */

/**
 * @defgroup switching Switching the calling thread
 * What MOVES THE CALLING THREAD into another namespace and leaves it there:
 * setns(2) and unshare(2) done for it. To work inside a namespace without
 * staying there, see "Running inside a namespace"; to make one without
 * moving, netns_create().
 * @{
 */

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
 *
 * Since 0.1.
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
 *
 * Since 0.1.
 */
int netns_setns(int ns, int nstype);

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
 *
 * Since 0.1.
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
 *
 * Since 0.1.
 */
int netns_new_named(const char *name) NETNS_WARN_UNUSED;

/** @} */

/**
 * @defgroup naming Creating, naming and deleting
 * Namespaces made without moving the calling thread, names given to them
 * (<run dir>/NAME, as `ip netns add` and `ip netns attach` make them) and
 * taken away, and the library's own rules for names and the run directory.
 * netns_new_named() (which moves the thread) is under "Switching the
 * calling thread".
 * @{
 */

/**
 * netns_create - create a new network namespace WITHOUT moving the calling
 * thread.
 *
 * An in-place visit, as in netns_socket(): the calling thread checks that
 * it may come back (one setns(2) into its own namespace), then, with every
 * signal blocked and cancellation disabled so that no handler runs
 * meanwhile, unshare(2)s CLONE_NEWNET, opens the new namespace and
 * setns(2)s back: about what those calls cost by hand (doc/bench.md).
 * Where the way back is refused (a caller privileged only in a child user
 * namespace), a short-lived helper thread makes the namespace instead,
 * which costs a thread start more.
 *
 * @name NULL: the namespace is anonymous; it lives as long as the returned
 * handle, or anything inside it (a process, a socket, a mount), does.
 * Otherwise it is also made persistent as <run dir>/@name exactly as
 * netns_new_named() does (same run-directory preparation and lock, O_EXCL
 * entry, bind mount; on failure no entry, mount or descriptor is left).
 *
 * Does not move the calling thread, unless it returns -ENOTRECOVERABLE.
 *
 * Returns a handle to the new namespace (>= 0), or:
 *  -EINVAL   @name is not NULL and not a valid name;
 *  -EEXIST   an entry of that name already exists;
 *  -EPERM    the caller lacks CAP_SYS_ADMIN (in its user namespace);
 *  -EACCES, -EROFS, -ENOENT, -ENOTDIR
 *            the run directory cannot be created or written;
 *  -ENOSPC   the limit on network namespaces is reached;
 *  -EAGAIN   no thread could be started (RLIMIT_NPROC, thread limits);
 *  -ENOMEM   out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  -ENOTRECOVERABLE  the way back, allowed by the check, still failed:
 *            the kernel had no memory for it for a second (retried
 *            meanwhile), or another thread closed this call's descriptor
 *            or dropped the caller's privileges. The thread is left in the
 *            new namespace, which has no handle and no entry; see
 *            netns_run().
 *
 * Since 0.2.
 */
int netns_create(const char *name) NETNS_WARN_UNUSED;

/**
 * netns_create_at - like netns_create(), but persisted at @path, any path
 * (as `unshare --net=FILE` does): the file is created with O_EXCL (mode
 * 0), its directory must already exist, and the new namespace is
 * bind-mounted onto it. The directory is locked with flock(2) meanwhile,
 * the lock netns_new_named() and `ip netns` take on a run directory. No
 * shared-mount preparation is done: the mount is visible in the caller's
 * mount namespace and wherever that directory propagates. On failure no
 * file, mount or descriptor is left.
 *
 * Does not move the calling thread, unless it returns -ENOTRECOVERABLE.
 *
 * Returns a handle to the new namespace (>= 0), or:
 *  -EINVAL   @path is NULL or empty, or its last component is empty, "."
 *            or ".." (a path ending in '/');
 *  -EEXIST   @path already exists (as anything, a dangling symlink too);
 *  -ENOENT   the directory of @path does not exist;
 *  -ENOTDIR  a component of the directory is not a directory;
 *  -EACCES, -EROFS  the directory cannot be written;
 *  -ENAMETOOLONG  @path is too long;
 *  -EPERM, -ENOSPC, -EAGAIN, -ENOMEM, -EMFILE, -ENFILE, -ENOTRECOVERABLE
 *            as netns_create() (which it is, in place or on a helper thread).
 *
 * Since 0.2.
 */
int netns_create_at(const char *path) NETNS_WARN_UNUSED;

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
 *
 * Since 0.1.
 */
int netns_delete_named(const char *name);

/**
 * netns_delete_at - remove a persisted namespace at @path, the counterpart
 * of netns_create_at() as netns_delete_named() is of netns_new_named():
 * under the flock(2) of its directory, unmount every mount stacked on
 * @path (never following a symlink), then unlink it, retrying EBUSY for up
 * to one second. It checks that the entry can be unlinked before
 * unmounting anything. Does not move the calling thread.
 *
 * Returns 0, or:
 *  -EINVAL   @path is NULL or empty, ends in '/', "." or "..", or lies on
 *            procfs (a /proc/<pid>/ns/net file is not an entry);
 *  -ENOENT   there is no such file;
 *  -EISDIR   @path is a directory (left alone);
 *  -ENOTDIR  a component of the directory is not a directory;
 *  -EPERM    the caller lacks CAP_SYS_ADMIN to unmount it;
 *  -EBUSY    the entry stayed busy;
 *  -EACCES, -EROFS  the directory cannot be written;
 *  -ENAMETOOLONG  @path is too long;
 *  -EMFILE, -ENFILE  no descriptor is free (for the lock).
 *
 * Since 0.2.
 */
int netns_delete_at(const char *path);

/**
 * netns_attach - give the network namespace of process @pid the name
 * @name, as `ip netns attach NAME PID` does: <run dir>/@name becomes a
 * bind mount of it, with netns_new_named()'s run-directory preparation,
 * lock and O_EXCL entry. The process is pinned with a pidfd first and its
 * namespace is taken through that pidfd (netns_get_from_pidfd()), so a pid
 * reused meanwhile is never attached. On failure no entry, mount or
 * descriptor is left. Does not move the calling thread.
 *
 * Returns 0, or:
 *  -EINVAL   @name is not a valid name, or @pid <= 0;
 *  -ESRCH    there is no such process, or it exited;
 *  -EEXIST   an entry of that name already exists;
 *  -EPERM    the caller lacks CAP_SYS_ADMIN (for the mount), or may not
 *            inspect the process;
 *  -EACCES, -EROFS, -ENOENT, -ENOTDIR
 *            the run directory cannot be created or written (or, -EACCES,
 *            the process may not be inspected);
 *  -ENOMEM   out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free.
 *
 * Since 0.3.
 */
int netns_attach(const char *name, pid_t pid);

/**
 * netns_attach_fd - give the network namespace @ns the name @name:
 * netns_attach() for a handle. @ns stays open and owned by the caller.
 * Does not move the calling thread.
 *
 * Returns 0, or:
 *  -EBADF    @ns is not an open descriptor;
 *  -EINVAL   @name is not a valid name, or @ns is not a network namespace;
 *  -EEXIST, -EPERM, -EACCES, -EROFS, -ENOENT, -ENOTDIR, -ENOMEM, -EMFILE,
 *  -ENFILE   as netns_attach().
 *
 * Since 0.3.
 */
int netns_attach_fd(const char *name, int ns);

/**
 * netns_check_name - whether @name is a valid name for <run dir>/@name:
 * one path component, that is not empty, not "." or "..", without '/', at
 * most NAME_MAX (255) bytes. The rule every function taking a name applies.
 * Pure: reads nothing, thread-safe, does not move the calling thread.
 *
 * Returns 0 when @name is valid, or:
 *  -EINVAL   @name is NULL or not a valid name.
 *
 * Since 0.5.
 */
int netns_check_name(const char *name);

/**
 * netns_run_dir - the run directory where names are made (see the top of
 * this file): $NETNS_RUN_DIR when set and not empty (read with
 * secure_getenv(3)), else /run/netns, else /var/run/netns when /run does
 * not exist. Lookups by name also search /var/run/netns after /run/netns;
 * this returns only the first. Written into @buf as snprintf(3) does: at
 * most @size bytes including the terminating NUL, which is always written
 * when @size > 0. Thread-safe (as getenv(3) is: not while another thread
 * changes the environment). Does not move the calling thread.
 *
 * Returns the length of the whole path, not counting the NUL (a value >=
 * @size means @buf holds a truncated copy; @buf NULL with @size 0 asks for
 * the length), or:
 *  -EINVAL   @buf is NULL and @size > 0.
 *
 * Since 0.5.
 */
int netns_run_dir(char *buf, size_t size);

/** @} */

/**
 * @defgroup inside Running inside a namespace
 * Run code, open sockets and start processes in a namespace without
 * leaving the calling thread behind; and `ip netns exec` done in place
 * (netns_enter_named(), netns_exec_named()), for a caller that execs the
 * command itself (so the command keeps the caller's pid).
 * @{
 */

/**
 * A function run inside a namespace by netns_run()/netns_run_isolated().
 *
 * Since 0.2.
 */
typedef int (*netns_fn)(void *arg);

/**
 * netns_run - run @fn(@arg) on the calling thread inside @ns: switch the
 * thread into @ns, call @fn, switch it back to where it was, and store
 * @fn's return value in *@result (@result may be NULL).
 *
 * The thread is inside @ns only while @fn runs; a signal handler that runs
 * on this thread meanwhile runs there too. Calls nest (@fn may call
 * netns_run() or netns_run_isolated() again) and any number of threads may
 * call it at once. If @fn moves the thread itself (netns_set()), the
 * switch back still returns it to where it was before netns_run().
 *
 * Does not move the calling thread, unless it returns -ENOTRECOVERABLE.
 *
 * Returns 0 when @fn ran (whatever it returned), or:
 *  -EINVAL   @fn is NULL, or @ns is not a network namespace (@fn did not
 *            run);
 *  -EBADF    @ns is not an open descriptor (@fn did not run);
 *  -EPERM    the caller may not enter @ns (@fn did not run);
 *  -EMFILE, -ENFILE, -ENOMEM  the current namespace could not be saved
 *            (@fn did not run);
 *  -ENOTRECOVERABLE  @fn ran (*@result is set) but the thread could not be
 *            switched back: it is left in whatever namespace @fn returned
 *            in (normally @ns). Do not use this thread for namespace-
 *            sensitive work again; a later netns_set() may or may not
 *            bring it back. It happens when the caller may enter @ns but
 *            not its own namespace, e.g. a process with CAP_SYS_ADMIN only
 *            in a child user namespace that still lives in its parent's
 *            network namespace. netns_run_isolated() cannot end this way;
 *            netns_socket() and netns_spawn() check the way back first and
 *            say -EPERM instead.
 *
 * Since 0.2.
 */
int netns_run(int ns, netns_fn fn, void *arg, int *result);

/**
 * netns_run_isolated - run @fn(@arg) inside @ns on a thread of its own:
 * a new thread is started (with the caller's signal mask), enters @ns,
 * runs @fn, and ends; netns_run_isolated() waits for it and stores @fn's
 * return value in *@result (@result may be NULL).
 *
 * The calling thread never changes namespace, and nothing @fn does to its
 * thread (netns_set(), unshare(2)) outlives the call. @fn sees its own
 * thread: its own errno, thread-local storage and gettid(). Calls nest and
 * any number of threads may call it at once.
 *
 * Does not move the calling thread.
 *
 * Returns 0 when @fn ran (whatever it returned), or:
 *  -EINVAL   @fn is NULL, or @ns is not a network namespace;
 *  -EBADF    @ns is not an open descriptor;
 *  -EPERM    the caller may not enter @ns;
 *  -EAGAIN   no thread could be started (RLIMIT_NPROC, thread limits);
 *  -ENOMEM   out of memory.
 * In every error case @fn did not run.
 *
 * Since 0.2.
 */
int netns_run_isolated(int ns, netns_fn fn, void *arg, int *result);

/**
 * netns_socket - create a socket inside @ns, as socket(2) with @domain,
 * @type and @protocol; SOCK_CLOEXEC is always added. A socket belongs to
 * the namespace it was made in for its whole life, whichever thread uses
 * it later.
 *
 * The calling thread is switched into @ns for the socket(2) call and back,
 * after checking that it will be allowed back (so a caller that may enter
 * @ns but not return gets -EPERM, not a stranded thread; see netns_run()).
 * Does not move the calling thread, unless it returns -ENOTRECOVERABLE
 * (which then only a failure to allocate memory on the way back can cause).
 *
 * Returns the socket (>= 0), or:
 *  -EBADF    @ns is not an open descriptor;
 *  -EINVAL   @ns is not a network namespace, or socket(2) rejects @type;
 *  -EPERM    the caller may not enter @ns, or may not come back from it;
 *  -EAFNOSUPPORT, -EPROTONOSUPPORT, -EACCES, -ENOBUFS  as socket(2);
 *  -EMFILE, -ENFILE, -ENOMEM  no descriptor or memory;
 *  -ENOTRECOVERABLE  as netns_run(); no socket is left open.
 *
 * Since 0.2.
 */
int netns_socket(int ns, int domain, int type, int protocol) NETNS_WARN_UNUSED;

/**
 * netns_spawn - posix_spawn(3) with one more argument: the child's network
 * namespace is @ns. @pid, @path, @actions, @attr, @argv and @envp mean what
 * they mean to posix_spawn(3), which does the work: file actions and
 * attributes apply exactly as there. @envp NULL means the caller's
 * environ.
 *
 * The calling thread is switched into @ns around the posix_spawn(3) call,
 * after checking that it will be allowed back, so the child starts in @ns
 * and the caller's thread ends where it started. A failed exec is reported
 * here as its errno (e.g. -ENOENT), with no child left. The caller reaps
 * the child (waitpid(2)). Safe in a multi-threaded caller: no fork, no
 * descriptor leaks into other threads' children.
 *
 * Does not move the calling thread.
 *
 * Returns 0 and stores the child's pid in *@pid (when @pid is not NULL),
 * or:
 *  -EINVAL   @path or @argv is NULL, @ns is not a network namespace, or
 *            posix_spawn(3) rejects @attr;
 *  -EBADF    @ns is not an open descriptor, or a file action names a bad
 *            descriptor;
 *  -EPERM    the caller may not enter @ns, or may not come back from it;
 *  -ENOENT, -EACCES, -ENOEXEC, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -E2BIG,
 *  -ETXTBSY  exec failed, as execve(2) (no child is left);
 *  -EAGAIN, -ENOMEM  no process could be made;
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  -ENOTRECOVERABLE  the thread could not be switched back (see
 *            netns_run()); the child was killed and reaped.
 *
 * Since 0.2.
 */
int netns_spawn(pid_t *pid, int ns, const char *path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);

/**
 * netns_spawnp - netns_spawn() with posix_spawnp(3)'s search: @file is
 * looked up in PATH (of the caller's environment) when it has no '/'.
 * Same arguments, behaviour and errors as netns_spawn() (its -EINVAL for a
 * NULL @path is one for a NULL @file here).
 *
 * Since 0.2.
 */
int netns_spawnp(pid_t *pid, int ns, const char *file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);

/**
 * netns_spawn_named - what `ip netns exec NAME` does, as a library call:
 * start @file (searched in PATH when it has no '/') with @argv and @envp
 * (NULL: the caller's environ) in a child whose
 *  - network namespace is <run dir>/@name (looked up as
 *    netns_get_from_name() does);
 *  - mount namespace is a private copy of the caller's, with "/" made a
 *    recursive slave (nothing the child mounts reaches the caller);
 *  - /sys is a fresh sysfs of that network namespace (read-only when /sys
 *    was read-only), so /sys/class/net lists its own interfaces;
 *  - /etc/<entry> is bind-mounted from /etc/netns/@name/<entry> for every
 *    entry of that directory, when it exists (as iproute2 does).
 * @actions and @attr apply exactly as in posix_spawn(3).
 *
 * The mount work is done by a short-lived helper thread that gets a mount
 * namespace of its own (unshare(CLONE_NEWNS)), so the caller's mount
 * namespace, threads and working directory are never changed. The child's
 * parent is the calling process (the caller reaps it), but its parent
 * thread is that helper thread, which has ended when this call returns: a
 * child that sets PR_SET_PDEATHSIG gets the signal then.
 *
 * Does not move the calling thread.
 *
 * Returns 0 and stores the child's pid in *@pid (when not NULL), or:
 *  -EINVAL   @name is not a valid name, @file or @argv is NULL, or the
 *            entry is not a network namespace;
 *  -ENOENT   there is no namespace of that name, or @file was not found;
 *  -EPERM    the caller lacks CAP_SYS_ADMIN for the namespaces and mounts;
 *  errors of the /sys and /etc mounts (the child is not started then):
 *            an entry of /etc/netns/@name with no /etc/<entry> to cover
 *            fails the call with -ENOENT (`ip netns exec` warns and starts
 *            the command anyway; a library cannot warn, and a child with
 *            half its configuration is worse than no child);
 *  the exec and resource errors of netns_spawn().
 *
 * Since 0.2.
 */
int netns_spawn_named(pid_t *pid, const char *name, const char *file,
                      const posix_spawn_file_actions_t *actions, const posix_spawnattr_t *attr,
                      char *const argv[], char *const envp[]);

/**
 * netns_enter_named - prepare the CALLING THREAD as `ip netns exec NAME`
 * prepares its process, for a caller that execs a command next (see
 * netns_exec_named()), in ip's order:
 *  - enter the network namespace <run dir>/@name (looked up as
 *    netns_get_from_name() does);
 *  - unshare(CLONE_NEWNS): a mount namespace of its own, with "/" made a
 *    recursive slave, so nothing mounted from here on reaches the caller's;
 *  - a fresh sysfs of that network namespace on /sys (read-only when /sys
 *    was read-only), so /sys/class/net lists its own interfaces;
 *  - /etc/<entry> bind-mounted from /etc/netns/@name/<entry> for every
 *    entry of that directory, when it exists.
 * The working directory stays the same path (in the new mount namespace).
 *
 * MOVES the calling thread on success: its network namespace and its
 * mount namespace. Other threads stay where they are. Meant for a
 * single-threaded caller that execs next; in a process with several
 * threads, the calling thread also stops sharing its root, working
 * directory and umask with the others (unshare(2) of CLONE_NEWNS does
 * that, also when this call then fails). Thread-safe otherwise. Use
 * netns_spawn_named() to start a child without moving anything.
 *
 * On failure the thread is back in both of its namespaces, with its root
 * and working directory, every descriptor this call opened is closed and
 * nothing is left mounted where the caller can see it (the mounts made
 * went away with the mount namespace they were made in); the one
 * exception is -ENOTRECOVERABLE.
 *
 * Unlike `ip netns exec`, which only warns when an /etc bind fails and runs
 * the command anyway, a failed bind is an error here (its errno, e.g.
 * -ENOENT for an /etc/netns/@name/<entry> with no /etc/<entry> to cover),
 * and the thread is taken back: a library cannot warn, and a command with
 * half its configuration is worse than none.
 *
 * Returns 0, or:
 *  -EINVAL   @name is NULL or not a valid name, or the entry is not a
 *            network namespace (e.g. the empty file a killed
 *            `ip netns add` leaves: a stale entry);
 *  -ENOENT   there is no namespace of that name (or /proc is not mounted),
 *            an entry of /etc/netns/@name has no /etc/<entry>, or there is
 *            no /sys;
 *  -EPERM    not allowed: entering the namespace, unsharing the mount
 *            namespace and mounting need CAP_SYS_ADMIN (over the
 *            namespace, and in the caller's user namespace);
 *  -EACCES   the run directory or /etc/netns/@name cannot be read;
 *  -ENOTDIR, -ELOOP, -ENAMETOOLONG  as netns_get_from_name();
 *  -ENOMEM   out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  other errors of mount(2) and umount2(2) for /sys and the /etc binds;
 *  -ENOTRECOVERABLE  the failure above could not be undone: the thread
 *            may still be in the namespace and in its new mount
 *            namespace (not seen in practice; a caller that may enter the
 *            namespace but not come back, e.g. one privileged only in a
 *            child user namespace, can meet it).
 *
 * Since 0.5.
 */
int netns_enter_named(const char *name);

/**
 * netns_exec_named - netns_enter_named(@name), then execvpe(3) of @file with
 * @argv and @envp (NULL: the caller's environ): PATH (of the caller's
 * environment) is searched when @file has no '/', and a file that the
 * kernel cannot execute (no "#!", ENOEXEC) is run by /bin/sh. The command
 * replaces the calling process, which keeps its pid; descriptors without
 * FD_CLOEXEC pass to it.
 *
 * Returns only on failure (a successful call does not return). The calling
 * thread is then back where it was, as after a failed
 * netns_enter_named(): nothing has moved, the one exception being
 * -ENOTRECOVERABLE. Thread-safety and what moves in a process with
 * several threads: as netns_enter_named() (execve(2) ends the other
 * threads when it succeeds).
 *
 * Returns:
 *  -EINVAL   @name, @file or @argv is NULL (nothing is done), and every
 *            error of netns_enter_named() (then nothing was executed);
 *  -ENOENT, -EACCES, -ENOEXEC, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -E2BIG,
 *  -ETXTBSY, -ENOMEM  execvpe(3) failed (e.g. -ENOENT: no such command on
 *            PATH; -EACCES: found but not executable), with the thread
 *            taken back first;
 *  -ENOTRECOVERABLE  as netns_enter_named(), also after a failed exec.
 * An -ENOENT may come from either step; a caller that must tell a failure
 * to enter from one to execute calls netns_enter_named() and then execvp(3)
 * itself.
 *
 * Since 0.5.
 */
int netns_exec_named(const char *name, const char *file, char *const argv[], char *const envp[]);

/** @} */

/**
 * @defgroup listing Listing, identifying and watching
 * Everything `ip netns` knows about names: which named namespaces exist,
 * which names a process's namespace has, which processes live in a
 * namespace, and a monitor of names coming and going.
 *
 * The walks (netns_list(), netns_identify(), netns_pids()) report through a
 * callback, one item at a time. A callback that returns non-zero stops the
 * walk at once, and the walk returns that value; so a callback should
 * return a positive value to stop, keeping negative values for errors of
 * its own. Entries added or removed while a walk runs may or may not be
 * reported. None of them moves the calling thread.
 * @{
 */

/**
 * Called with each name; a non-zero return stops the walk.
 *
 * The name passed to the callback is valid only until the callback
 * returns (the library reuses or frees it then): a caller that keeps it
 * (a binding into another language) copies it. It is never NULL.
 *
 * Since 0.3.
 */
typedef int (*netns_name_cb)(const char *name, void *arg);

/**
 * Called with each pid; a non-zero return stops the walk.
 *
 * Since 0.3.
 */
typedef int (*netns_pid_cb)(pid_t pid, void *arg);

/**
 * netns_list - report every named namespace: each entry of the run
 * directory (and of /var/run/netns, when lookups search it too; see the
 * top of this header) that is a mounted namespace file, sorted by name
 * (strcmp order), each name once. Entries that are not (stale files left
 * by a crash or a failed delete, directories, symlinks) are skipped. The
 * check is one fstatat(2) per entry, which cannot tell a network namespace
 * from a namespace of another kind bind-mounted there (no tool makes
 * those); netns_get_from_name() checks the type when it opens one. A name
 * found in both directories is reported once, for the run directory.
 *
 * Memory does not grow with the number of names: the sort is done in
 * passes over the directory, a bounded batch of names at a time.
 * Does not move the calling thread.
 *
 * Returns 0 when every name was reported (also when the run directory does
 * not exist), @cb's non-zero return value when it stopped the walk, or:
 *  -EINVAL   @cb is NULL;
 *  -ENOTDIR  the run directory is not a directory;
 *  -EACCES   the run directory cannot be read;
 *  -ENOMEM   out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free.
 *
 * Since 0.3.
 */
int netns_list(netns_name_cb cb, void *arg);

/**
 * netns_identify - report every name whose namespace is the network
 * namespace of process @pid: all its aliases, where `ip netns identify`
 * prints one. Names are reported in directory order, each once (a name in
 * both run directories counts for the run directory only). No name at all
 * is not an error. The process is pinned with a pidfd while it is looked
 * at, so a pid reused meanwhile gives -ESRCH, never another process's names.
 * Does not move the calling thread.
 *
 * Returns 0, @cb's non-zero return value when it stopped the walk, or:
 *  -EINVAL   @cb is NULL, or @pid <= 0;
 *  -ESRCH    there is no such process, or it exited during the call;
 *  -EACCES, -EPERM  not allowed to inspect the process (ptrace access mode);
 *  -ENOTDIR, -EACCES  a run directory is not a readable directory;
 *  -ENOMEM   out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free.
 *
 * Since 0.3.
 */
int netns_identify(pid_t pid, netns_name_cb cb, void *arg);

/**
 * netns_pids - report every process (thread-group leader) whose network
 * namespace is @ns, in ascending pid order, as `ip netns pids` does, by
 * reading /proc/<pid>/ns/net of each process. Processes that exit during
 * the scan are skipped, and so are those the caller may not inspect (other
 * users' processes, for an unprivileged caller). Does not move the calling
 * thread.
 *
 * Returns 0, @cb's non-zero return value when it stopped the walk, or:
 *  -EINVAL   @cb is NULL, or @ns is not a network namespace;
 *  -EBADF    @ns is not an open descriptor;
 *  -ENOENT   /proc is not mounted;
 *  -ENOMEM   out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free.
 *
 * Since 0.3.
 */
int netns_pids(int ns, netns_pid_cb cb, void *arg);

/* Events of netns_monitor_read(). */
/** A name was added (its entry is a mounted namespace). Since 0.3. */
#define NETNS_EVENT_ADD 1
/** A reported name was removed. Since 0.3. */
#define NETNS_EVENT_DEL 2

/**
 * Called with each event; a non-zero return stops the delivery.
 *
 * The name passed to the callback is valid only until the callback
 * returns (the library reuses or frees it then): a caller that keeps it
 * (a binding into another language) copies it. It is never NULL.
 *
 * Since 0.3.
 */
typedef int (*netns_event_cb)(int event, const char *name, void *arg);

/**
 * netns_monitor_open - start watching the run directory (the one names are
 * made in; see the top of this header) for names added and removed by
 * anyone: this library, `ip netns`, a plain `mount --bind`. The directory
 * need not exist yet: it is watched from its nearest existing parent until
 * it appears, and again if it is removed or another directory is mounted
 * over it. Mounts are seen in the calling thread's mount namespace.
 *
 * Returns a descriptor (O_CLOEXEC, O_NONBLOCK) to hand to poll(2),
 * select(2) or epoll(7): it becomes readable when something may have
 * changed; then call netns_monitor_read(). Close it with
 * netns_monitor_close(). Names that exist when it is opened are not
 * reported (their removal is). Does not move the calling thread.
 *
 * Returns the descriptor (>= 0), or:
 *  -ENOTDIR  a component of the run directory's path is not a directory;
 *  -EACCES   the run directory (or, while it is missing, its nearest
 *            existing parent) cannot be read, so cannot be watched;
 *  -ENOSPC   the inotify watch limit is reached;
 *  -EMFILE, -ENFILE, -ENOMEM  no descriptor or memory (-EMFILE also
 *            when the inotify instance limit is reached).
 *
 * Since 0.3.
 */
int netns_monitor_open(void) NETNS_WARN_UNUSED;

/**
 * netns_monitor_read - deliver, in order, a NETNS_EVENT_ADD or
 * NETNS_EVENT_DEL for every name added or removed since the last read (or
 * since netns_monitor_open()), calling @cb(event, name, @arg) for each.
 * A name's events alternate (a name present at open starts with its
 * delete). Never blocks.
 *
 * An add is reported when the name becomes usable (its entry is a mounted
 * namespace), not when its empty file appears. A delete is reported when a
 * reported name's entry is removed (not when it is only unmounted). An
 * entry that was not a mounted namespace when last looked at and is then
 * removed is reported as an add followed by a delete if anything was
 * mounted or unmounted (in that mount namespace) meanwhile, since it can no
 * longer be told whether it was mounted in between, and not at all
 * otherwise. When the kernel's event queue overflowed (or the run
 * directory was replaced or mounted over), the names are compared with the
 * last known ones, and the difference is reported. Names made and removed
 * again while the run directory itself is still missing, before the read
 * that finds it, cannot be seen.
 *
 * When @cb returns non-zero, the delivery stops: the event it was given
 * counts as taken, and the events after it are kept for the next call.
 * @cb may call the monitor functions, on this descriptor too. Does not
 * move the calling thread.
 *
 * Returns the number of events delivered (0 when there was none), or @cb's
 * non-zero return value when it stopped the delivery (a caller that needs
 * the count then counts in @cb; a negative stop value is best kept apart
 * from the errors below), or:
 *  -EINVAL   @cb is NULL, or @fd is not a descriptor from
 *            netns_monitor_open() (a monitor closed with close(2) is not
 *            one any more);
 *  -EBADF    @fd is not an open descriptor;
 *  -ENOMEM   out of memory;
 *  -EACCES, -ENOSPC, -EMFILE, -ENFILE  the run directory had to be watched
 *            and listed anew (it appeared, was replaced, or the event queue
 *            overflowed) and that failed. Nothing is lost: the next call
 *            tries again.
 *
 * Since 0.3.
 */
int netns_monitor_read(int fd, netns_event_cb cb, void *arg);

/**
 * netns_monitor_close - close a monitor descriptor and free what it holds;
 * *@fd is set to NETNS_NONE, also when it was not open.
 *
 * Returns 0, or:
 *  -EINVAL   @fd is NULL, or *@fd is not a monitor descriptor (it is left
 *            open then, and *@fd unchanged);
 *  -EBADF    *@fd is not an open descriptor.
 *
 * Since 0.3.
 */
int netns_monitor_close(int *fd);

/** @} */

/**
 * @defgroup nsid Namespace ids
 * The kernel's namespace ids (nsid): the numbers netlink messages use for
 * other namespaces, as `ip netns list-id` and `ip netns set` show and set
 * them, and the whole table of them.
 * @{
 */

/**
 * Called with each id; a non-zero return stops the walk.
 *
 * Since 0.4.
 */
typedef int (*netns_id_cb)(int id, void *arg);

/**
 * netns_get_id - the namespace id (nsid) that the caller's network
 * namespace has assigned to @ns, as `ip netns list-id` shows them: the
 * number netlink messages use for it (IFLA_LINK_NETNSID and the like). Asks
 * the kernel over rtnetlink (RTM_GETNSID). Does not move the calling thread.
 *
 * Returns the id (>= 0), or:
 *  -ENOENT   no id is assigned to @ns (in the caller's namespace);
 *  -EBADF    @ns is not an open descriptor;
 *  -EINVAL   @ns is not a network namespace;
 *  -ENOMEM, -ENOBUFS  out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  -EPROTO, -EBADMSG  the kernel's answer could not be read (not seen in
 *            practice).
 *
 * Since 0.3.
 */
int netns_get_id(int ns);

/**
 * netns_set_id - assign the id @id to @ns in the caller's network
 * namespace, as `ip netns set NAME ID` does (RTM_NEWNSID); @id < 0 asks
 * the kernel to pick a free one. Every id from 0 to INT_MAX can be set.
 * An id, once set, stays until the namespace is gone; @ns may be the
 * caller's own namespace. Does not move the calling thread.
 *
 * Returns the id assigned (>= 0), or:
 *  -EEXIST   @ns already has an id (even the same one), or @id is taken by
 *            another namespace (one closed a moment ago may still hold it:
 *            the kernel frees ids when it has torn the namespace down);
 *  -EBADF    @ns is not an open descriptor;
 *  -EINVAL   @ns is not a network namespace;
 *  -EPERM    the caller lacks CAP_NET_ADMIN in its network namespace's
 *            user namespace;
 *  -ENOMEM, -ENOBUFS  out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  -EPROTO, -EBADMSG  as netns_get_id(); the id may then be set.
 *
 * Since 0.3.
 */
int netns_set_id(int ns, int id);

/**
 * netns_get_id_in - the id that network namespace @target has assigned to
 * @ns: what netns_get_id(@ns) would return when called inside @target.
 * When @target has an id in the caller's namespace, the question is asked
 * with RTM_GETNSID's NETNSA_TARGET_NSID from the caller's namespace;
 * otherwise over a netlink socket made inside @target (as netns_socket()
 * makes it, so this form needs the right to enter @target). Nothing is
 * assigned on the way. Does not move the calling thread (except for
 * -ENOTRECOVERABLE, as netns_socket()).
 *
 * Returns the id (>= 0), or:
 *  -ENOENT   @target has no id for @ns;
 *  -EBADF    @ns or @target is not an open descriptor;
 *  -EINVAL   @ns or @target is not a network namespace;
 *  -EPERM    the caller may not enter @target, when that is needed: when
 *            @target has no id in the caller's namespace, or the caller
 *            lacks CAP_NET_ADMIN over @target (the kernel's condition for
 *            NETNSA_TARGET_NSID); never when @target is the caller's own
 *            namespace;
 *  -ENOMEM, -ENOBUFS  out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  -EPROTO, -EBADMSG  as netns_get_id();
 *  -ENOTRECOVERABLE  as netns_socket() (the socket-inside-@target way only).
 *
 * Since 0.3.
 */
int netns_get_id_in(int ns, int target);

/**
 * netns_list_id - report every namespace id (nsid) that the calling
 * thread's network namespace has assigned (see netns_get_id()), in
 * ascending order, each once, as `ip netns list-id` shows them: one
 * RTM_GETNSID dump over rtnetlink. The ids are collected first, and @cb
 * runs only after the netlink socket is closed, so it may call any
 * function of this library. Ids assigned or freed while the dump runs may
 * or may not be reported. Needs no privilege. Does not move the calling
 * thread.
 *
 * Kernel caveat: some kernels (seen on 6.18) end the dump after its first
 * datagram. The library asks for a large first datagram, so the table is
 * whole up to about 1,100 ids there; beyond that such a kernel cuts it
 * short without an error (`ip netns list-id` shows the same cut).
 *
 * Returns 0 when every id was reported (also when there is none), @cb's
 * non-zero return value when it stopped the walk (as the walks of "Listing,
 * identifying and watching" do), or:
 *  -EINVAL   @cb is NULL;
 *  -ENOMEM, -ENOBUFS  out of memory;
 *  -EMFILE, -ENFILE  no descriptor is free;
 *  -EPROTO, -EBADMSG  the kernel's answer could not be read (not seen in
 *            practice).
 *
 * Since 0.4.
 */
int netns_list_id(netns_id_cb cb, void *arg);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* NETNS_NETNS_H */
