// SPDX-License-Identifier: Apache-2.0
#include "cgroup.hpp"
#include "sys.hpp"
#include "text.hpp"
#include "unique_fd.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <dirent.h>
#include <fnmatch.h>
#include <utility>

namespace netns::core {

namespace {

using text::is_id_char;
using text::next_line;
using text::to_number;

// ---- the search --------------------------------------------------------

// One step of a layout: a literal directory name, a glob (fnmatch(3)), or
// the container's own directory "<head><id>*<tail>".
struct Step {
    enum Kind { literal, glob, container } kind;
    const char *text; // literal name, glob pattern, or head
    const char *tail = "";
};

constexpr Step lit(const char *s) { return {Step::literal, s}; }
constexpr Step glob(const char *s) { return {Step::glob, s}; }
constexpr Step ctr(const char *head = "", const char *tail = "")
{
    return {Step::container, head, tail};
}

struct Layout {
    std::vector<Step> steps;
};

// Where container runtimes put a container's cgroup, relative to a
// hierarchy (cgroupfs and systemd cgroup drivers).
const std::vector<Layout> &layouts()
{
    static const std::vector<Layout> all = {
        // Docker, cgroupfs driver and systemd driver.
        {{lit("docker"), ctr()}},
        {{lit("system.slice"), ctr("docker-", ".scope")}},
        // nerdctl (containerd), both drivers.
        {{lit("nerdctl"), ctr()}},
        {{lit("system.slice"), ctr("nerdctl-", ".scope")}},
        // Kubernetes, cgroupfs driver: kubepods/pod<uid>/<id> (Guaranteed)
        // and kubepods/{besteffort,burstable}/pod<uid>/<id>.
        {{lit("kubepods"), glob("pod*"), ctr()}},
        {{lit("kubepods"), glob("*"), glob("pod*"), ctr()}},
        // Kubernetes, systemd driver, with docker, containerd or CRI-O.
        {{lit("kubepods.slice"), glob("kubepods-pod*.slice"), ctr("docker-", ".scope")}},
        {{lit("kubepods.slice"), glob("kubepods-pod*.slice"), ctr("cri-containerd-", ".scope")}},
        {{lit("kubepods.slice"), glob("kubepods-pod*.slice"), ctr("crio-", ".scope")}},
        {{lit("kubepods.slice"), glob("kubepods-*.slice"), glob("kubepods-*-pod*.slice"),
          ctr("docker-", ".scope")}},
        {{lit("kubepods.slice"), glob("kubepods-*.slice"), glob("kubepods-*-pod*.slice"),
          ctr("cri-containerd-", ".scope")}},
        {{lit("kubepods.slice"), glob("kubepods-*.slice"), glob("kubepods-*-pod*.slice"),
          ctr("crio-", ".scope")}},
    };
    return all;
}

// The hierarchies searched under the cgroup root: the root itself (v2, or
// a single v1 hierarchy mounted there) and the usual v1 mount points.
constexpr const char *hierarchies[] = {
    "",    "unified", "systemd", "memory", "pids",  "cpu,cpuacct",
    "cpu", "cpuacct", "devices", "cpuset", "blkio", "freezer",
};

// Errors that mean "not here" while walking a tree.
bool absent(int err) noexcept
{
    return err == ENOENT || err == ENOTDIR || err == EACCES || err == EPERM || err == ELOOP ||
           err == ENAMETOOLONG;
}

class Dir {
public:
    explicit Dir(DIR *d) noexcept : d_(d) {}
    Dir(Dir &&o) noexcept : d_(std::exchange(o.d_, nullptr)) {}
    Dir(const Dir &) = delete;
    Dir &operator=(const Dir &) = delete;
    ~Dir()
    {
        if (d_)
            ::closedir(d_);
    }
    DIR *get() const noexcept { return d_; }

private:
    DIR *d_;
};

// Opens a directory for listing; the fd goes through the sys wrapper.
Result<Dir> open_dir(const std::string &path)
{
    UniqueFd fd(sys::open(path.c_str(), O_RDONLY | O_DIRECTORY));
    if (!fd)
        return last_error();
    DIR *d = ::fdopendir(fd.get());
    if (d == nullptr)
        return last_error();
    (void)fd.release();
    return Dir(d);
}

// The names of the subdirectories of path (entries of unknown type too).
Result<std::vector<std::string>> subdirs(const std::string &path)
{
    auto dir = open_dir(path);
    if (!dir)
        return dir.failure();
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent *e = ::readdir(dir->get())) {
        std::string_view name = e->d_name;
        if (name == "." || name == "..")
            continue;
        if (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN)
            names.emplace_back(name);
    }
    if (errno != 0)
        return last_error();
    std::sort(names.begin(), names.end());
    return names;
}

struct Candidate {
    std::string id;
    std::string dir;
};

Status walk(const std::string &dir, const std::vector<Step> &steps, std::size_t i,
            std::string_view id_prefix, std::vector<Candidate> &out)
{
    if (i >= steps.size())
        return {};
    const Step &step = steps[i];
    if (step.kind == Step::literal) {
        // The only step that is not the last one; no listing needed.
        return walk(dir + "/" + step.text, steps, i + 1, id_prefix, out);
    }
    auto names = subdirs(dir);
    if (!names)
        return absent(names.error()) ? Status{} : Status{names.failure()};
    for (const auto &name : names.value()) {
        if (step.kind == Step::glob) {
            if (::fnmatch(step.text, name.c_str(), FNM_PERIOD) == 0 && i + 1 < steps.size())
                if (auto st = walk(dir + "/" + name, steps, i + 1, id_prefix, out); !st)
                    return st;
        } else if (auto id = match_container_name(name, step.text, id_prefix, step.tail)) {
            out.push_back({std::string(*id), dir + "/" + name});
        }
    }
    return {};
}

// Reads at most `cap` bytes of a file; ENOENT etc. as open(2).
Result<std::string> read_small_file(const std::string &path, std::size_t cap)
{
    UniqueFd fd(sys::open(path.c_str(), O_RDONLY));
    if (!fd)
        return last_error();
    std::string text;
    char buf[4096];
    while (text.size() < cap) {
        ssize_t n = sys::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return last_error();
        }
        if (n == 0)
            return text;
        text.append(buf, static_cast<std::size_t>(n));
    }
    // Cut: keep whole lines only.
    std::size_t nl = text.rfind('\n');
    text.resize(nl == std::string::npos ? 0 : nl + 1);
    return text;
}

// The first pid of a cgroup: cgroup.procs (tasks on old v1 kernels), then
// its child cgroups (a v2 container running systemd keeps none at its top).
Result<pid_t> pid_in(const std::string &dir, int depth)
{
    for (const char *file : {"/cgroup.procs", "/tasks"}) {
        auto text = read_small_file(dir + file, 1u << 20);
        if (!text) {
            if (text.error() == ENOENT)
                continue;
            return text.failure();
        }
        auto pid = first_cgroup_pid(text.value());
        if (pid || pid.error() != ESRCH)
            return pid;
        break;
    }
    if (depth > 0) {
        auto names = subdirs(dir);
        if (!names)
            return absent(names.error()) ? Error{ESRCH} : names.failure();
        for (const auto &name : names.value()) {
            auto pid = pid_in(dir + "/" + name, depth - 1);
            if (pid || pid.error() != ESRCH)
                return pid;
        }
    }
    return Error{ESRCH};
}

} // namespace

// ---- pure parsers --------------------------------------------------------

Result<pid_t> first_cgroup_pid(std::string_view text)
{
    for (std::string_view line; next_line(text, line);) {
        if (line.empty())
            continue;
        pid_t pid = 0;
        if (!to_number(line, pid) || pid < 0)
            return Error{EPROTO};
        // 0 stands for a process outside the reader's pid namespace.
        if (pid > 0)
            return pid;
    }
    return Error{ESRCH};
}

std::optional<std::string_view> match_container_name(std::string_view name, std::string_view head,
                                                     std::string_view id_prefix,
                                                     std::string_view tail) noexcept
{
    if (name.size() < head.size() + tail.size() || name.substr(0, head.size()) != head ||
        name.substr(name.size() - tail.size()) != tail)
        return std::nullopt;
    std::string_view id = name.substr(head.size(), name.size() - head.size() - tail.size());
    if (id.empty() || id == "." || id == ".." || id.substr(0, id_prefix.size()) != id_prefix)
        return std::nullopt;
    if (!std::all_of(id.begin(), id.end(), is_id_char))
        return std::nullopt;
    return id;
}

// ---- the search ----------------------------------------------------------

Result<ContainerCgroup> find_container_cgroup(const std::string &root, std::string_view id_prefix)
{
    if (id_prefix.empty())
        return Error{EINVAL};
    std::vector<Candidate> found;
    for (const char *h : hierarchies) {
        std::string base = *h ? root + "/" + h : root;
        for (const auto &layout : layouts())
            if (auto st = walk(base, layout.steps, 0, id_prefix, found); !st)
                return st.failure();
    }

    // An exact id wins over the longer ids it is a prefix of.
    if (std::any_of(found.begin(), found.end(),
                    [&](const Candidate &c) { return c.id == id_prefix; }))
        std::erase_if(found, [&](const Candidate &c) { return c.id != id_prefix; });
    if (found.empty())
        return Error{ENOENT};
    for (const auto &c : found)
        if (c.id != found.front().id)
            return Error{ENOTUNIQ};

    // The same container appears once per hierarchy; any of them will do.
    // A cgroup that vanished meanwhile (ENOENT) is a container stopping.
    int err = ESRCH;
    for (const auto &c : found) {
        auto pid = pid_in(c.dir, 4);
        if (pid)
            return ContainerCgroup{c.id, c.dir, pid.value()};
        if (pid.error() != ENOENT && pid.error() != ESRCH && err == ESRCH)
            err = pid.error();
    }
    return Error{err};
}

} // namespace netns::core
