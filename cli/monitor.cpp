// SPDX-License-Identifier: Apache-2.0
//
// netns monitor: a line per name added or removed, until SIGINT or SIGTERM
// (the tool then dies of the signal, as ip does).
#include "cli.hpp"
#include "rootless.hpp"

#include <netns/netns.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cli {

namespace {

// Prints one event; true (stop) once stdout fails.
bool print_event(netns::Event event, const std::string &name)
{
    const char *what = event == netns::Event::add ? "add" : "delete";
    if (options().json)
        std::fputs(json_line({{"event", what}, {"name", name}}).c_str(), stdout);
    else
        std::printf("%s %s\n", what, name.c_str());
    return std::ferror(stdout) != 0;
}

// SIGINT and SIGTERM blocked and read from a signalfd while the watch
// runs; the mask goes back when it ends.
class Signals {
public:
    Signals()
    {
        sigemptyset(&stop_);
        sigaddset(&stop_, SIGINT);
        sigaddset(&stop_, SIGTERM);
        sigprocmask(SIG_BLOCK, &stop_, &was_);
        fd_.reset(signalfd(-1, &stop_, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!fd_) {
            int e = errno;
            sigprocmask(SIG_SETMASK, &was_, nullptr);
            fail("Cannot watch for signals: %s", why(e));
        }
    }
    ~Signals() { sigprocmask(SIG_SETMASK, &was_, nullptr); }
    Signals(const Signals &) = delete;
    Signals &operator=(const Signals &) = delete;

    int fd() const { return fd_.fd(); }
    void close() { fd_.reset(); }

    // The first signal read (0: none).
    int read_first()
    {
        int signo = 0;
        struct signalfd_siginfo si;
        while (read(fd_.fd(), &si, sizeof si) == sizeof si)
            if (signo == 0)
                signo = static_cast<int>(si.ssi_signo);
        return signo;
    }

private:
    sigset_t stop_, was_;
    netns::Fd fd_;
};

// Dies of `signo` as ip does: pending while blocked, delivered once the
// mask lets it through.
void die_of(int signo)
{
    std::fflush(stdout);
    std::signal(signo, SIG_DFL);
    sigset_t just;
    sigemptyset(&just);
    sigaddset(&just, signo);
    raise(signo);
    sigprocmask(SIG_UNBLOCK, &just, nullptr);
}

} // namespace

int cmd_monitor(Line &line)
{
    if (!line.operands.empty())
        fail("extra arguments specified");
    prepare(false);
    rootless::unlock();

    // SIGINT and SIGTERM end the watch, read as events of their own: the
    // output flushed, the tool then dies of the signal as ip does (a
    // batch with it: ip's batch runs in the same process).
    Signals signals;
    // As ip: the run dir is made first (one level, mode 0755), so that the
    // watch is on it from the start; a name made and removed at once
    // right after the run dir appears is then seen too. Where that fails
    // (no right to), the library watches from the nearest parent.
    if (!rootless::active())
        (void)mkdir(run_dir().c_str(), 0755);
    netns::Monitor mon;
    try {
        mon = netns::monitor_open();
    } catch (const std::system_error &e) {
        fail("Cannot watch \"%s\": %s", run_dir().c_str(), why(rc_of(e)));
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);

    int status = exit_ok;
    int signo = 0;
    for (;;) {
        struct pollfd fds[2] = {{mon.fd(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            say("Cannot wait for events: %s", why(errno));
            status = exit_failure;
            break;
        }
        if (fds[1].revents != 0) {
            signo = signals.read_first();
            break;
        }
        try {
            mon.read(print_event);
        } catch (const std::system_error &e) {
            if (e.code().value() != EAGAIN) {
                say("Cannot read events: %s", why(rc_of(e)));
                status = exit_failure;
                break;
            }
        }
        if (std::ferror(stdout)) {
            status = exit_failure;
            break;
        }
    }
    mon = netns::Monitor();
    signals.close();
    if (signo != 0)
        die_of(signo);
    return status;
}

} // namespace cli
