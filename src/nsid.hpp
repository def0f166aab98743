// SPDX-License-Identifier: Apache-2.0
// Namespace ids (nsid) over rtnetlink, RTM_GETNSID / RTM_NEWNSID, framed
// with libmnl.
#pragma once

#include "result.hpp"
#include "thread_ns.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace netns::core {

// The id the caller's network namespace has for ns; ENOENT when none.
[[nodiscard]] Result<int> get_id(int ns);

// Assigns id (< 0: the kernel picks) to ns; returns the id assigned.
[[nodiscard]] Result<int> set_id(int ns, int id);

// The id target has for ns, without moving the calling thread.
[[nodiscard]] Result<int> get_id_in(int ns, int target, const char *proc = default_proc_root);

// Every id the calling thread's network namespace has assigned, ascending:
// one RTM_GETNSID dump. cb runs for each once the netlink socket is closed
// (so it may call anything); returns 0, or cb's non-zero value when it
// stopped the walk.
using IdCb = int (*)(int id, void *arg);
[[nodiscard]] Result<int> list_id(IdCb cb, void *arg);

// The pure part: what one datagram the kernel sent back says. buf holds
// len bytes (aligned like malloc's memory); only messages carrying seq and
// portid count (portid 0: any), any other is EPROTO. Both never read
// outside buf, whatever it holds.
//
// The answer to RTM_GETNSID: the RTM_NEWNSID message's NETNSA_NSID (>= 0);
// ENOENT when it is NETNSA_NSID_NOT_ASSIGNED; the errno of an NLMSG_ERROR;
// EBADMSG when a message is truncated or malformed (no NETNSA_NSID, an
// attribute of the wrong size); EPROTO when no message answers the
// request (wrong seq or portid, an unexpected type, a bare ack, an error
// code that is no errno).
[[nodiscard]] Result<int> parse_nsid_reply(const void *buf, size_t len, uint32_t seq,
                                           uint32_t portid) noexcept;
// The answer to a request sent with NLM_F_ACK: success for an ack, the
// errno of an NLMSG_ERROR; EBADMSG and EPROTO as above.
[[nodiscard]] Status parse_nsid_ack(const void *buf, size_t len, uint32_t seq,
                                    uint32_t portid) noexcept;
// One datagram of the answer to an RTM_GETNSID dump (NLM_F_DUMP): the
// NETNSA_NSID of each RTM_NEWNSID message is appended to ids (in the order
// sent). Returns true when an NLMSG_DONE ended the dump (whatever follows
// it is not looked at), false when more datagrams are due. The errno of an
// NLMSG_ERROR or of an NLMSG_DONE carrying one; EBADMSG as above (also for
// an id that is negative, "not assigned" included); EPROTO for an empty
// datagram and as above (a bare ack, a positive NLMSG_DONE code included).
// Only std::bad_alloc (from ids) can be thrown.
[[nodiscard]] Result<bool> parse_nsid_dump(const void *buf, size_t len, uint32_t seq,
                                           uint32_t portid, std::vector<int> &ids);

} // namespace netns::core
