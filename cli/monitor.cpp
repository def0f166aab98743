// SPDX-License-Identifier: Apache-2.0
//
// netns monitor: a line per name added or removed, until SIGINT or SIGTERM
// (the tool then dies of the signal, as ip does).
#include "cli.hpp"
#include "rootless.hpp"

#include <netns/netns.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cli {

namespace {

int print_event(int event, const char *name, void *)
{
    const char *what = event == NETNS_EVENT_ADD ? "add" : "delete";
    if (options().json)
        std::fputs(json_line({{"event", what}, {"name", name}}).c_str(), stdout);
    else
        std::printf("%s %s\n", what, name);
    return std::ferror(stdout) ? 1 : 0;
}

} // namespace

int cmd_monitor(Line &line)
{
    if (!line.operands.empty())
        return error("extra arguments specified");
    if (int rc = prepare(false); rc != 0)
        return rc;
    rootless::unlock();

    // SIGINT and SIGTERM end the watch, read as events of their own: the
    // output flushed, the tool then dies of the signal as ip does (a
    // batch with it: ip's batch runs in the same process).
    sigset_t stop, was;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, &was);
    int sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &was, nullptr);
        return error("Cannot watch for signals: %s", why(e));
    }
    // As ip: the run dir is made first (one level, mode 0755), so that the
    // watch is on it from the start; a name made and removed at once
    // right after the run dir appears is then seen too. Where that fails
    // (no right to), the library watches from the nearest parent.
    if (!rootless::active())
        (void)mkdir(run_dir().c_str(), 0755);
    int mon = netns_monitor_open();
    if (mon < 0) {
        close(sfd);
        sigprocmask(SIG_SETMASK, &was, nullptr);
        return error("Cannot watch \"%s\": %s", run_dir().c_str(), why(mon));
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);

    int status = exit_ok;
    int signo = 0;
    for (;;) {
        struct pollfd fds[2] = {{mon, POLLIN, 0}, {sfd, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            status = error("Cannot wait for events: %s", why(errno));
            break;
        }
        if (fds[1].revents != 0) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == sizeof si)
                if (signo == 0)
                    signo = static_cast<int>(si.ssi_signo);
            break;
        }
        int rc = netns_monitor_read(mon, print_event, nullptr);
        if (rc < 0 && rc != -EAGAIN) {
            status = error("Cannot read events: %s", why(rc));
            break;
        }
        if (std::ferror(stdout)) {
            status = exit_failure;
            break;
        }
    }
    netns_monitor_close(&mon);
    close(sfd);
    if (signo != 0) {
        std::fflush(stdout);
        std::signal(signo, SIG_DFL);
        sigset_t just;
        sigemptyset(&just);
        sigaddset(&just, signo);
        raise(signo); // pending while blocked; unblocking delivers it
        sigprocmask(SIG_UNBLOCK, &just, nullptr);
    }
    sigprocmask(SIG_SETMASK, &was, nullptr);
    return status;
}

} // namespace cli
