import socket
import subprocess

import netns

with netns.get() as here, netns.create() as ns:  # create() does not move us
    # A function inside ns; its return value (or exception) comes back.
    inside = netns.run_isolated(ns, lambda: netns.get().unique_id())
    print("a function ran in", inside)

    # A socket that belongs to ns, usable from any thread.
    with netns.socket(ns, socket.AF_INET, socket.SOCK_DGRAM) as s:
        print("a socket in", ns.unique_id(), "fd", s.fileno())

    # A process inside ns, with everything subprocess.Popen offers.
    with netns.Popen(ns, ["cat", "/proc/net/dev"], stdout=subprocess.PIPE,
                     text=True) as p:
        print(p.communicate()[0], end="")

    assert netns.get() == here  # this thread never moved
