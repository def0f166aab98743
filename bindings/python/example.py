import libnetns

print("libnetns", libnetns.version())

with libnetns.get() as here:
    print("this thread is in", here.unique_id())

    # A persistent namespace, like `ip netns add demo`; create() does not
    # move the calling thread.
    libnetns.create("demo").close()
    try:
        with libnetns.get_from_name("demo") as demo:
            # SetGuard moves this thread in for the block, and back.
            with libnetns.SetGuard(demo):
                assert libnetns.get() == demo
                print("inside", demo.unique_id())
            assert libnetns.get() == here  # back where we started
    finally:
        libnetns.delete_named("demo")
