// SPDX-License-Identifier: Apache-2.0
#include "helpers.hpp"
#include "mountinfo.hpp"

#include <linux/capability.h>
#include <sys/syscall.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sched.h>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace netns::test {

int fd_count()
{
    DIR *d = opendir("/proc/self/fd");
    if (d == nullptr)
        throw std::runtime_error("opendir /proc/self/fd");
    int n = 0;
    while (struct dirent *e = readdir(d)) {
        if (e->d_name[0] != '.')
            ++n;
    }
    closedir(d);
    return n - 1;
}

static std::string id_of(const struct stat &st)
{
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

std::string thread_ns_id()
{
    struct stat st;
    if (stat("/proc/thread-self/ns/net", &st) < 0)
        throw std::runtime_error("stat /proc/thread-self/ns/net");
    return id_of(st);
}

std::string fd_ns_id(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return "bad fd";
    return id_of(st);
}

std::string pid_ns_id(pid_t pid)
{
    struct stat st;
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    if (stat(path.c_str(), &st) < 0)
        return "gone";
    return id_of(st);
}

bool wait_in_ns(pid_t pid, int ns)
{
    const std::string want = fd_ns_id(ns);
    for (int i = 0; i < 1000; ++i) {
        if (pid_ns_id(pid) == want)
            return true;
        usleep(1000);
    }
    return false;
}

std::string read_file(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

namespace {

std::vector<MountEntry> parse_table(std::string_view mountinfo)
{
    auto all = parse_mountinfo(mountinfo);
    if (!all)
        throw std::runtime_error("malformed mountinfo");
    return std::move(all).value();
}

std::string normal_path(const std::string &path)
{
    if (path.empty() || path[0] != '/')
        throw std::invalid_argument("not an absolute path: " + path);
    std::string p = std::filesystem::path(path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

std::string parent_of(const std::string &path)
{
    size_t slash = path.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// Path lookup over a mount table: which of the listed mounts a path reaches.
class Reachable {
public:
    explicit Reachable(const std::vector<MountEntry> &all) : all_(all) {}

    // The mounts stacked at mount point path that lookup goes through,
    // lowest first.
    const std::vector<const MountEntry *> &stack(const std::string &path)
    {
        if (auto it = memo_.find(path); it != memo_.end())
            return it->second;
        std::vector<const MountEntry *> s;
        const MountEntry *m;
        if (path == "/") {
            // The root's parent is not listed (or is the root itself).
            m = find(path, [&](const MountEntry &e) {
                return e.parent == e.id ||
                       find(path, [&](const MountEntry &p) { return p.id == e.parent; }) == nullptr;
            });
        } else {
            const MountEntry *under = top_containing(parent_of(path));
            m = under == nullptr
                    ? nullptr
                    : find(path, [&](const MountEntry &e) { return e.parent == under->id; });
        }
        // Bounded: a table with a cycle must not hang the test.
        while (m != nullptr && s.size() < all_.size()) {
            s.push_back(m);
            m = find(path, [&](const MountEntry &e) {
                return e.parent == s.back()->id && e.id != e.parent;
            });
        }
        return memo_.emplace(path, std::move(s)).first->second;
    }

    bool reachable(const MountEntry &m)
    {
        const auto &s = stack(m.mount_point);
        return std::find(s.begin(), s.end(), &m) != s.end();
    }

private:
    // The topmost mount that lookup of dir ends in; nullptr when none is.
    const MountEntry *top_containing(std::string dir)
    {
        for (;; dir = parent_of(dir)) {
            const auto &s = stack(dir);
            if (!s.empty())
                return s.back();
            if (dir == "/")
                return nullptr;
        }
    }

    template <typename Pred> const MountEntry *find(const std::string &path, Pred pred) const
    {
        for (const auto &e : all_)
            if (e.mount_point == path && pred(e))
                return &e;
        return nullptr;
    }

    const std::vector<MountEntry> &all_;
    std::map<std::string, std::vector<const MountEntry *>> memo_;
};

} // namespace

int mounts_at(std::string_view mountinfo, const std::string &mount_point)
{
    auto all = parse_table(mountinfo);
    return static_cast<int>(Reachable(all).stack(normal_path(mount_point)).size());
}

int mounts_at(const std::string &mount_point)
{
    return mounts_at(read_file("/proc/self/mountinfo"), mount_point);
}

std::vector<std::string> mounts_under(std::string_view mountinfo, const std::string &dir)
{
    const std::string top = normal_path(dir);
    const std::string prefix = top == "/" ? top : top + "/";
    auto all = parse_table(mountinfo);
    Reachable lookup(all);
    std::vector<std::string> out;
    for (const auto &m : all)
        if ((m.mount_point == top || m.mount_point.rfind(prefix, 0) == 0) && lookup.reachable(m))
            out.push_back(m.mount_point);
    return out;
}

std::vector<std::string> mounts_under(const std::string &dir)
{
    return mounts_under(read_file("/proc/self/mountinfo"), dir);
}

std::vector<std::string> mount_tags_at(const std::string &mount_point)
{
    auto all = parse_table(read_file("/proc/self/mountinfo"));
    Reachable lookup(all);
    std::vector<std::string> out;
    for (const MountEntry *m : lookup.stack(normal_path(mount_point))) {
        std::string tags;
        for (const auto &t : m->optional)
            tags += (tags.empty() ? "" : " ") + t;
        out.push_back(tags);
    }
    return out;
}

void unmount_under(const std::string &dir)
{
    // A lazy unmount takes down one mount of a stack: go round again.
    for (int round = 0; round < 64; ++round) {
        auto mounts = mounts_under(dir);
        if (mounts.empty())
            return;
        for (auto it = mounts.rbegin(); it != mounts.rend(); ++it)
            (void)umount2(it->c_str(), MNT_DETACH);
    }
}

int mount_count()
{
    return static_cast<int>(parse_table(read_file("/proc/self/mountinfo")).size());
}

std::string join_words(const std::vector<std::string> &words)
{
    std::string s;
    for (const auto &w : words)
        s += (s.empty() ? "" : " ") + w;
    return s.empty() ? "(none)" : s;
}

bool exists(const std::string &path)
{
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_dir(const std::string &dir)
{
    std::vector<std::string> out;
    DIR *d = opendir(dir.c_str());
    if (d == nullptr)
        return out;
    while (struct dirent *e = readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            out.emplace_back(e->d_name);
    }
    closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

int thread_count()
{
    static const bool warmed = [] {
        pid_t tid = 0;
        std::thread([&tid] { tid = gettid(); }).join();
        // A joined thread can stay listed for a moment; it must not be counted.
        for (int i = 0; i < 1000 && exists("/proc/self/task/" + std::to_string(tid)); ++i)
            usleep(5000);
        return true;
    }();
    (void)warmed;
    return static_cast<int>(list_dir("/proc/self/task").size());
}

bool threads_settle_to(int n)
{
    for (int i = 0; i < 1000; ++i) {
        if (thread_count() == n)
            return true;
        usleep(5000);
    }
    return thread_count() == n;
}

bool have_pidfd_open()
{
    int fd = static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0u));
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

pid_t dead_pid()
{
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    if (child < 0 || waitpid(child, nullptr, 0) != child)
        throw std::runtime_error("fork/waitpid");
    return child;
}

bool have_program(const char *name)
{
    return run_command(std::string("command -v ") + name + " >/dev/null 2>&1") == 0;
}

int run_command(const std::string &cmd)
{
    int rc = std::system(cmd.c_str());
    if (rc == -1 || !WIFEXITED(rc))
        return -1;
    return WEXITSTATUS(rc);
}

TempDir::TempDir()
{
    const char *base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/netns-test-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr)
        throw std::runtime_error("mkdtemp");
    path_ = tmpl;
}

KilledAtExit::~KilledAtExit()
{
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

ScopedEnv::ScopedEnv(const char *name, const char *value) : name_(name)
{
    const char *old = std::getenv(name);
    had_ = old != nullptr;
    if (had_)
        old_ = old;
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

ScopedEnv::~ScopedEnv()
{
    if (had_)
        setenv(name_.c_str(), old_.c_str(), 1);
    else
        unsetenv(name_.c_str());
}

SetGuard::SetGuard() : fd_(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC))
{
    if (fd_ < 0)
        throw std::runtime_error("open /proc/thread-self/ns/net");
}

SetGuard::~SetGuard()
{
    // A thread stranded in the wrong namespace would make every later test
    // meaningless: stop loudly instead.
    if (setns(fd_, CLONE_NEWNET) < 0) {
        std::fprintf(stderr, "SetGuard: cannot return to the saved namespace: %s\n",
                     std::strerror(errno));
        std::abort();
    }
    close(fd_);
}

std::string unique_name(const std::string &tag)
{
    static std::atomic<unsigned> counter{0};
    return "t-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" + tag;
}

void drop_dac_override()
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &hdr, data) == 0) {
        data[CAP_TO_INDEX(CAP_DAC_OVERRIDE)].effective &= ~CAP_TO_MASK(CAP_DAC_OVERRIDE);
        data[CAP_TO_INDEX(CAP_DAC_READ_SEARCH)].effective &= ~CAP_TO_MASK(CAP_DAC_READ_SEARCH);
        (void)syscall(SYS_capset, &hdr, data);
    }
}

} // namespace netns::test
