// SPDX-License-Identifier: Apache-2.0
// netns-bench, creating, naming and deleting: netns_create, anonymous and
// named, against the in-place sequence and a helper thread.
#include "harness.hpp"

#include "ops.hpp"

#include <cerrno>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

namespace bench {

// Since 0.2: netns_create leaves the calling thread where it was.

// 8. create (anonymous) + close

void lib_create()
{
    int fd = lib_ok(netns_create(nullptr), "netns_create");
    lib_ok(netns_close(&fd), "netns_close");
}

// The in-place sequence by hand (issue 16's floor): open the thread's
// namespace, unshare, open the new one, setns back; no check of the way
// back, no signal mask.
void raw_create() { raw_new(); }

// The same on a thread of its own: a thread that unshares and opens its
// new namespace, joined; the caller never moves (what netns_create did
// before 0.5, and still does where the way back is refused).
namespace {

void *raw_create_thread(void *out)
{
    int *fd = static_cast<int *>(out);
    if (::unshare(CLONE_NEWNET) < 0)
        *fd = -errno;
    else if ((*fd = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
        *fd = -errno;
    return nullptr;
}

} // namespace

void raw_create_on_thread()
{
    int fd = -1;
    pthread_t t;
    int rc = ::pthread_create(&t, nullptr, raw_create_thread, &fd);
    if (rc != 0)
        die("pthread_create", rc);
    ::pthread_join(t, nullptr);
    if (fd < 0)
        die("unshare + open", -fd);
    ::close(fd);
}

// 8b. create (named) + close + delete

void lib_create_named()
{
    int fd = lib_ok(netns_create(env.churn_name.c_str()), "netns_create");
    lib_ok(netns_close(&fd), "netns_close");
    lib_ok(netns_delete_named(env.churn_name.c_str()), "netns_delete_named");
}

} // namespace bench
