// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the parser of the kernel's answers to RTM_GETNSID and
// RTM_NEWNSID (src/nsid.hpp), and of a datagram of an RTM_GETNSID dump,
// fed any bytes as one netlink datagram.
#include "fuzz-check.hpp"
#include "nsid.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <linux/netlink.h>
#include <memory>
#include <vector>

using namespace netns::core;

namespace {

bool plausible(int err) { return err > 0 && err <= 4095; }

void check(const uint8_t *buf, size_t size, uint32_t seq, uint32_t portid)
{
    auto reply = parse_nsid_reply(buf, size, seq, portid);
    auto ack = parse_nsid_ack(buf, size, seq, portid);
    if (reply)
        EXPECT(reply.value() >= 0);
    else
        EXPECT(plausible(reply.error()));
    EXPECT(ack.ok() || plausible(ack.error()));
    // An answer is no ack, and an ack no answer.
    if (reply)
        EXPECT(ack.error() == EPROTO);
    if (ack)
        EXPECT(reply.error() == EPROTO);
    // A dump's datagram: ids are never negative, and an ack is none.
    std::vector<int> ids;
    auto dump = parse_nsid_dump(buf, size, seq, portid, ids);
    if (dump) {
        for (int id : ids)
            EXPECT(id >= 0);
        EXPECT(!ack);
    } else {
        EXPECT(plausible(dump.error()));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The parser wants malloc-aligned memory (as the socket's buffer is);
    // new[] of exactly size bytes keeps a read past the end visible to ASan.
    std::unique_ptr<uint8_t[]> buf(new uint8_t[size == 0 ? 1 : size]);
    if (size != 0)
        std::memcpy(buf.get(), data, size);

    // As addressed to whatever the first header says (so that the parser
    // gets past the seq/portid check), to any port, and to someone else.
    uint32_t seq = 1, portid = 1234;
    if (size >= sizeof(nlmsghdr)) {
        nlmsghdr h;
        std::memcpy(&h, data, sizeof h);
        seq = h.nlmsg_seq;
        portid = h.nlmsg_pid;
    }
    check(buf.get(), size, seq, portid);
    check(buf.get(), size, seq, 0);
    check(buf.get(), size, seq + 1, portid);
    return 0;
}
