// SPDX-License-Identifier: Apache-2.0
#include "helpers.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sched.h>
#include <sstream>
#include <stdexcept>
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

std::string read_file(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Mount points in mountinfo escape spaces etc.; test paths have none.
static std::string mount_point_of(const std::string &line)
{
    std::istringstream ss(line);
    std::string f;
    for (int i = 0; i < 5 && ss >> f; ++i) {
    }
    return f;
}

int mounts_at(const std::string &mount_point)
{
    std::istringstream in(read_file("/proc/self/mountinfo"));
    int n = 0;
    for (std::string line; std::getline(in, line);)
        n += mount_point_of(line) == mount_point;
    return n;
}

int mount_count()
{
    std::istringstream in(read_file("/proc/self/mountinfo"));
    int n = 0;
    for (std::string line; std::getline(in, line);)
        ++n;
    return n;
}

std::vector<std::string> mounts_under(const std::string &dir)
{
    std::istringstream in(read_file("/proc/self/mountinfo"));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        std::string f = mount_point_of(line);
        if (f == dir || f.rfind(dir + "/", 0) == 0)
            out.push_back(f);
    }
    return out;
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

} // namespace netns::test
