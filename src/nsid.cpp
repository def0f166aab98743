// SPDX-License-Identifier: Apache-2.0
#include "nsid.hpp"
#include "nsfd.hpp"
#include "run.hpp"
#include "sys.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <sys/socket.h>

namespace netns::core {

namespace {

// Largest errno the kernel reports (MAX_ERRNO): an NLMSG_ERROR code beyond
// it is no errno.
constexpr int max_errno = 4095;

// The header of the message at p, with left bytes from p on: EBADMSG when
// it is cut short or its length does not fit, EPROTO when it answers
// another request. size_t arithmetic: libmnl's mnl_nlmsg_ok() compares
// (int)nlmsg_len, which lets a length of 2^31 or more through.
Result<const nlmsghdr *> header_at(const char *p, size_t left, uint32_t seq,
                                   uint32_t portid) noexcept
{
    if (left < sizeof(nlmsghdr))
        return Error{EBADMSG};
    const auto *nlh = reinterpret_cast<const nlmsghdr *>(p);
    if (nlh->nlmsg_len < sizeof(nlmsghdr) || nlh->nlmsg_len > left)
        return Error{EBADMSG};
    if (nlh->nlmsg_seq != seq || (portid != 0 && nlh->nlmsg_pid != portid))
        return Error{EPROTO};
    return nlh;
}

// The message in buf that answers (seq, portid), after any NLMSG_NOOP,
// each header checked by header_at().
Result<const nlmsghdr *> answer(const void *buf, size_t len, uint32_t seq, uint32_t portid) noexcept
{
    const auto *p = static_cast<const char *>(buf);
    size_t left = len;
    for (;;) {
        if (left == 0)
            return Error{EPROTO}; // well-formed, but nothing answers
        auto header = header_at(p, left, seq, portid);
        if (!header)
            return header.failure();
        const nlmsghdr *nlh = header.value();
        if (nlh->nlmsg_type != NLMSG_NOOP)
            return nlh;
        size_t step = NLMSG_ALIGN(static_cast<size_t>(nlh->nlmsg_len));
        if (step >= left)
            return Error{EPROTO};
        p += step;
        left -= step;
    }
}

// What an NLMSG_ERROR says: 0 for an ack, else the errno.
Result<int> error_code(const nlmsghdr *nlh) noexcept
{
    if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr)))
        return Error{EBADMSG};
    int code;
    std::memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof code);
    if (code == 0)
        return 0;
    if (code < 0 && code >= -max_errno)
        return -code;
    return Error{EPROTO}; // a positive or out-of-range code is no errno
}

// NETNSA_NSID of an RTM_NEWNSID message.
Result<int> nsid_of(const nlmsghdr *nlh) noexcept
{
    const size_t total = nlh->nlmsg_len; // checked against the buffer
    if (total < NLMSG_LENGTH(sizeof(rtgenmsg)))
        return Error{EBADMSG};
    bool found = false;
    int32_t nsid = 0;
    // The attributes, walked by offset within nlmsg_len (never its aligned
    // size, which can reach past the buffer's end).
    size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(rtgenmsg));
    while (off + sizeof(nlattr) <= total) {
        const auto *attr =
            reinterpret_cast<const nlattr *>(reinterpret_cast<const char *>(nlh) + off);
        if (!mnl_attr_ok(attr, static_cast<int>(total - off)))
            return Error{EBADMSG};
        if (mnl_attr_get_type(attr) == NETNSA_NSID) {
            if (mnl_attr_get_payload_len(attr) != sizeof(int32_t))
                return Error{EBADMSG};
            nsid = static_cast<int32_t>(mnl_attr_get_u32(attr));
            found = true; // the last one counts, as for the kernel's parser
        }
        off += MNL_ALIGN(attr->nla_len);
    }
    if (!found)
        return Error{EBADMSG};
    if (nsid == NETNSA_NSID_NOT_ASSIGNED)
        return Error{ENOENT};
    if (nsid < 0)
        return Error{EBADMSG};
    return static_cast<int>(nsid);
}

// A descriptor the kernel takes for fd: NETNSA_FD and setns() resolve it
// with fdget(), which refuses O_PATH descriptors (EBADF), while ns_type()
// accepts them. Such a one is reopened for real through /proc; fd was
// checked to be a namespace, so nothing else is ever opened.
struct Usable {
    UniqueFd owned; // set when fd had to be reopened
    int fd = -1;
};

Result<Usable> usable(int fd) noexcept
{
    int flags = ::fcntl(fd, F_GETFL); // ns_type() just saw fd open
    if (flags < 0)
        return last_error();
    if ((flags & O_PATH) == 0)
        return Usable{UniqueFd(), fd};
    char path[40];
    std::snprintf(path, sizeof path, "/proc/thread-self/fd/%d", fd);
    UniqueFd real(sys::open(path, O_RDONLY));
    if (!real)
        return last_error();
    int raw = real.get();
    return Usable{std::move(real), raw};
}

Result<UniqueFd> rtnl_socket() noexcept
{
    UniqueFd sock(sys::socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
    if (!sock)
        return last_error();
    return sock;
}

// The opening of every nsid call: ns (and target, when given) checked to
// be network namespaces (EBADF, EINVAL) and made usable for the kernel,
// then a route socket.
struct Opening {
    Usable ns;
    Usable target;
    UniqueFd sock;
};

Result<Opening> open_nsid(int ns, std::optional<int> target = std::nullopt) noexcept
{
    if (auto st = check_netns(ns); !st)
        return st.failure();
    if (target)
        if (auto st = check_netns(*target); !st)
            return st.failure();
    Opening o;
    auto fd = usable(ns);
    if (!fd)
        return fd.failure();
    o.ns = std::move(fd).value();
    if (target) {
        auto where = usable(*target);
        if (!where)
            return where.failure();
        o.target = std::move(where).value();
    }
    auto sock = rtnl_socket();
    if (!sock)
        return sock.failure();
    o.sock = std::move(sock).value();
    return o;
}

// Sequence numbers: any will do on a fresh socket; distinct ones make a
// stray answer to another request show.
std::atomic<uint32_t> next_seq{1};

// Room for any answer: an RTM_NEWNSID is 36 bytes, an NLMSG_ERROR with the
// request quoted under 100.
constexpr size_t reply_room = 1024;

// A request under construction (libmnl framing) and the socket it goes to.
class Request {
public:
    Request(uint16_t type, uint16_t flags) noexcept
    {
        nlh_ = mnl_nlmsg_put_header(buf_);
        nlh_->nlmsg_type = type;
        nlh_->nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | flags);
        nlh_->nlmsg_seq = next_seq.fetch_add(1, std::memory_order_relaxed);
        auto *gen = static_cast<rtgenmsg *>(mnl_nlmsg_put_extra_header(nlh_, sizeof(rtgenmsg)));
        gen->rtgen_family = AF_UNSPEC;
    }
    void put_u32(uint16_t type, uint32_t v) noexcept { mnl_attr_put_u32(nlh_, type, v); }
    void put_s32(uint16_t type, int32_t v) noexcept
    {
        mnl_attr_put_u32(nlh_, type, static_cast<uint32_t>(v));
    }

    // Sends the request on sock and reads the one datagram that answers it
    // into reply; the sequence number and the socket's port id to expect.
    struct Sent {
        size_t len;
        uint32_t seq;
        uint32_t portid;
    };
    Result<Sent> exchange(int sock, void *reply, size_t room) noexcept
    {
        auto sent = send(sock);
        if (!sent)
            return sent;
        // The kernel answers every request (the answer, or an error) before
        // send() returns, so this read does not wait.
        for (;;) {
            ssize_t n = sys::read(sock, reply, room);
            if (n >= 0)
                return Sent{static_cast<size_t>(n), sent->seq, sent->portid};
            if (errno != EINTR)
                return last_error();
        }
    }

    // Sends the request on sock; len is 0.
    Result<Sent> send(int sock) noexcept
    {
        // Unconnected and unbound: send() goes to the kernel (port 0), and
        // the first send binds the socket to a port id.
        for (;;) {
            ssize_t n = sys::send(sock, nlh_, nlh_->nlmsg_len, 0);
            if (n >= 0) {
                if (static_cast<size_t>(n) != nlh_->nlmsg_len)
                    return Error{EIO}; // netlink sends whole datagrams
                break;
            }
            if (errno != EINTR)
                return last_error();
        }
        sockaddr_nl addr{};
        socklen_t alen = sizeof addr;
        // Unwrapped: asked of a socket that has just sent, it cannot fail
        // (the fault sweep has no hook for it).
        if (sys::getsockname(sock, reinterpret_cast<sockaddr *>(&addr), &alen) < 0)
            return last_error();
        return Sent{0, nlh_->nlmsg_seq, addr.nl_pid};
    }

private:
    alignas(nlmsghdr) char buf_[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(rtgenmsg)) +
                                3 * MNL_ATTR_HDRLEN + 3 * MNL_ALIGN(sizeof(uint32_t))] = {};
    nlmsghdr *nlh_;
};

// RTM_GETNSID on sock for the namespace behind fd; with target_nsid >= 0,
// as seen from the namespace that has that id in sock's namespace.
Result<int> ask(int sock, int fd, int target_nsid) noexcept
{
    Request req(RTM_GETNSID, 0);
    req.put_u32(NETNSA_FD, static_cast<uint32_t>(fd));
    if (target_nsid >= 0)
        req.put_s32(NETNSA_TARGET_NSID, target_nsid);
    alignas(nlmsghdr) char reply[reply_room];
    auto sent = req.exchange(sock, reply, sizeof reply);
    if (!sent)
        return sent.failure();
    return parse_nsid_reply(reply, sent->len, sent->seq, sent->portid);
}

// Room for one datagram of a dump. The kernel sizes a dump's datagrams
// after the largest read it has seen on the socket, capped at 32 KiB
// (netlink_recvmsg's max_recvmsg_len), or NLMSG_GOODSIZE (at most 8 KiB)
// before any: 32 KiB always holds one. An RTM_NEWNSID is 28 bytes.
constexpr size_t dump_room = 32768;

} // namespace

Result<bool> parse_nsid_dump(const void *buf, size_t len, uint32_t seq, uint32_t portid,
                             std::vector<int> &ids)
{
    if (len == 0)
        return Error{EPROTO}; // an empty datagram answers nothing
    const auto *p = static_cast<const char *>(buf);
    size_t left = len;
    // Every message, its header checked by header_at().
    while (left > 0) {
        auto header = header_at(p, left, seq, portid);
        if (!header)
            return header.failure();
        const nlmsghdr *nlh = header.value();
        switch (nlh->nlmsg_type) {
        case NLMSG_NOOP: break;
        case RTM_NEWNSID: {
            // NLM_F_DUMP_INTR is not looked at: the nsid dump never sets it
            // (it keeps no generation count), and the ids it reports each
            // existed while it ran.
            auto id = nsid_of(nlh);
            if (!id)
                return Error{id.error() == ENOENT ? EBADMSG : id.error()};
            ids.push_back(id.value());
            break;
        }
        case NLMSG_DONE: {
            // The dump's end, with the dump's error code after the header
            // (0 when it went through); a bare header counts as 0.
            if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
                return true;
            int code;
            std::memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof code);
            if (code == 0)
                return true;
            if (code < 0 && code >= -max_errno)
                return Error{-code};
            return Error{EPROTO};
        }
        case NLMSG_ERROR: {
            auto code = error_code(nlh);
            if (!code)
                return code.failure();
            return Error{code.value() == 0 ? EPROTO : code.value()}; // no ack was asked for
        }
        default: return Error{EPROTO};
        }
        size_t step = NLMSG_ALIGN(static_cast<size_t>(nlh->nlmsg_len));
        if (step >= left)
            break;
        p += step;
        left -= step;
    }
    return false;
}

Result<int> parse_nsid_reply(const void *buf, size_t len, uint32_t seq, uint32_t portid) noexcept
{
    auto nlh = answer(buf, len, seq, portid);
    if (!nlh)
        return nlh.failure();
    switch (nlh.value()->nlmsg_type) {
    case RTM_NEWNSID: return nsid_of(nlh.value());
    case NLMSG_ERROR: {
        auto code = error_code(nlh.value());
        if (!code)
            return code;
        if (code.value() == 0)
            return Error{EPROTO}; // a bare ack where the answer was due
        return Error{code.value()};
    }
    default: return Error{EPROTO};
    }
}

Status parse_nsid_ack(const void *buf, size_t len, uint32_t seq, uint32_t portid) noexcept
{
    auto nlh = answer(buf, len, seq, portid);
    if (!nlh)
        return nlh.failure();
    if (nlh.value()->nlmsg_type != NLMSG_ERROR)
        return Error{EPROTO};
    auto code = error_code(nlh.value());
    if (!code)
        return code.failure();
    if (code.value() != 0)
        return Error{code.value()};
    return {};
}

Result<int> get_id(int ns)
{
    auto o = open_nsid(ns);
    if (!o)
        return o.failure();
    return ask(o->sock.get(), o->ns.fd, -1);
}

Result<int> set_id(int ns, int id)
{
    auto o = open_nsid(ns);
    if (!o)
        return o.failure();
    Request req(RTM_NEWNSID, NLM_F_ACK);
    req.put_u32(NETNSA_FD, static_cast<uint32_t>(o->ns.fd));
    req.put_s32(NETNSA_NSID, id < 0 ? NETNSA_NSID_NOT_ASSIGNED : id);
    alignas(nlmsghdr) char reply[reply_room];
    auto sent = req.exchange(o->sock.get(), reply, sizeof reply);
    if (!sent)
        return sent.failure();
    if (auto st = parse_nsid_ack(reply, sent->len, sent->seq, sent->portid); !st)
        return st.failure();
    if (id >= 0)
        return id;
    // The ack does not say which id the kernel picked; ids never change
    // while the namespace lives, so asking now gives the one just set.
    return ask(o->sock.get(), o->ns.fd, -1);
}

Result<int> list_id(IdCb cb, void *arg)
{
    std::vector<int> ids;
    {
        auto sock = rtnl_socket();
        if (!sock)
            return sock.failure();
        std::unique_ptr<char[]> buf(new char[dump_room]); // new[]: aligned for nlmsghdr
        // Linux 6.18 (rtnl_net_dumpid() returning 0 where it returned
        // skb->len) ends the dump after its first datagram, which holds
        // about 134 ids when sized NLMSG_GOODSIZE. The kernel sizes it
        // after the largest read seen on the socket: one 32 KiB read first
        // (of the ack to an NLMSG_NOOP) makes room for some 1100.
        {
            Request noop(NLMSG_NOOP, NLM_F_ACK);
            auto sent = noop.send(sock->get());
            if (!sent)
                return sent.failure();
            ssize_t n;
            while ((n = sys::recv(sock->get(), buf.get(), dump_room, MSG_TRUNC)) < 0)
                if (errno != EINTR)
                    return last_error();
            if (auto st = parse_nsid_ack(buf.get(), std::min(static_cast<size_t>(n), dump_room),
                                         sent->seq, sent->portid);
                !st)
                return st.failure();
        }
        // What `ip netns list-id` sends: a bare rtgenmsg, no attributes.
        Request req(RTM_GETNSID, NLM_F_DUMP);
        auto sent = req.send(sock->get());
        if (!sent)
            return sent.failure();
        for (;;) {
            // The first datagram is queued before send() returns; each read
            // has the kernel queue the next one, so none waits for long.
            // MSG_TRUNC: the datagram's real length, to see one cut short.
            ssize_t n = sys::recv(sock->get(), buf.get(), dump_room, MSG_TRUNC);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return last_error();
            }
            if (static_cast<size_t>(n) > dump_room)
                return Error{EBADMSG};
            auto done =
                parse_nsid_dump(buf.get(), static_cast<size_t>(n), sent->seq, sent->portid, ids);
            if (!done)
                return done.failure();
            if (done.value())
                break;
        }
    } // the socket is closed before cb runs: cb may call anything
    // The kernel walks its id table in order, but nothing promises it.
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int id : ids)
        if (int stop = cb(id, arg); stop != 0)
            return stop;
    return 0;
}

Result<int> get_id_in(int ns, int target, const char *proc)
{
    auto o = open_nsid(ns, target);
    if (!o)
        return o.failure();
    const int fd = o->ns.fd, where = o->target.fd;
    UniqueFd &here = o->sock;

    // The caller's own namespace: a plain question, and no right to enter
    // it needed. (Should the comparison fail, the ways below still answer
    // right.)
    auto home = get(proc);
    if (!home)
        return home.failure();
    if (equal(home->get(), where))
        return ask(here.get(), fd, -1);
    home.value().reset();

    // target has an id here: ask from here (NETNSA_TARGET_NSID). That
    // needs CAP_NET_ADMIN over target (else EACCES): then, as when target
    // has no id here, ask from a socket made inside target, whose replies
    // are target's view. NETNSA_FD is resolved in the sending thread's
    // descriptor table either way, so fd means the same in both.
    auto tid = ask(here.get(), where, -1);
    if (tid) {
        auto seen = ask(here.get(), fd, tid.value());
        if (seen || seen.error() != EACCES)
            return seen;
    } else if (tid.error() != ENOENT) {
        return tid;
    }
    here.reset();
    auto there = socket(where, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, proc);
    if (!there)
        return there.failure();
    return ask(there->get(), fd, -1);
}

} // namespace netns::core
