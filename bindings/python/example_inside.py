import socket
import subprocess

import libnetns

with libnetns.get() as here, libnetns.create() as ns:  # create() does not move us
    # A function inside ns; its return value (or exception) comes back.
    inside = libnetns.run_isolated(ns, lambda: libnetns.get().unique_id())
    print("a function ran in", inside)

    # A socket that belongs to ns, usable from any thread.
    with libnetns.socket(ns, socket.AF_INET, socket.SOCK_DGRAM) as s:
        print("a socket in", ns.unique_id(), "fd", s.fileno())

    # A process inside ns, with everything subprocess.Popen offers.
    with libnetns.Popen(ns, ["cat", "/proc/net/dev"], stdout=subprocess.PIPE,
                        text=True) as p:
        print(p.communicate()[0], end="")

    assert libnetns.get() == here  # this thread never moved
