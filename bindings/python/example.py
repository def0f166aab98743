import threading

import netns

print("libnetns", netns.version())

with netns.get() as here:
    print("this thread is in", here.unique_id())

    # Create a persistent namespace, like `ip netns add demo`. new_named()
    # also moves the calling thread, so do it in a thread of its own.
    def create():
        netns.new_named("demo").close()

    worker = threading.Thread(target=create)
    worker.start()
    worker.join()

    try:
        with netns.get_from_name("demo") as demo:
            with netns.SetGuard(demo):
                assert netns.get() == demo
                print("inside", demo.unique_id())
            assert netns.get() == here  # back where we started
    finally:
        netns.delete_named("demo")
