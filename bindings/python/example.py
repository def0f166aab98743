import libnetns

print("libnetns", libnetns.version())

with libnetns.get() as here:
    print("this thread is in", here.unique_id())

    # A persistent namespace, like `ip netns add demo`; create() does not
    # move the calling thread.
    libnetns.create("demo").close()
    try:
        with libnetns.get_from_name("demo") as demo:
            # run() calls a function on this thread inside demo, and
            # switches back before it returns.
            inside = libnetns.run(demo, libnetns.get)
            with inside:
                assert inside == demo
                print("inside", inside.unique_id())
            assert libnetns.get() == here  # this thread never stayed away
    finally:
        libnetns.delete_named("demo")
