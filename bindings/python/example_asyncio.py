import asyncio

import libnetns


def devices() -> list[str]:
    """The network devices of the calling thread's namespace."""
    with open("/proc/net/dev") as f:
        return [line.split(":")[0].strip() for line in f.readlines()[2:]]


async def main() -> None:
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[tuple[libnetns.Event, str]] = asyncio.Queue()
    with libnetns.Monitor() as monitor:
        def readable() -> None:
            for event in monitor.read():
                events.put_nowait(event)

        # The monitor's descriptor is readable when names come and go.
        loop.add_reader(monitor, readable)
        try:
            # A blocking call inside a namespace, off the event loop.
            with libnetns.create("aio-demo") as ns:
                inside = await asyncio.to_thread(lambda: libnetns.run_isolated(ns, devices))
                print("devices inside:", " ".join(inside))
            libnetns.delete_named("aio-demo")
            for _ in range(2):
                event, name = await asyncio.wait_for(events.get(), 5)
                print(event.name, name)
        finally:
            loop.remove_reader(monitor)


asyncio.run(main())
