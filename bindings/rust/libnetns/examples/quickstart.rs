use std::io;
use std::net::{Ipv4Addr, SocketAddr};

fn main() -> io::Result<()> {
    println!("libnetns {}", libnetns::version());
    let here = libnetns::get()?;
    println!("this thread is in {}", here.unique_id());

    // A persistent namespace, like `ip netns add demo`: made on a helper
    // thread, so this one never moves.
    let demo = libnetns::create(Some("demo"))?;
    let result = (|| {
        // A closure inside it, on this thread, switched back afterwards.
        let inside = libnetns::run(&demo, libnetns::get)??;
        assert_eq!(inside, demo);
        println!("inside {}", inside.unique_id());

        // The same on a thread of its own: this thread does not change.
        let id = libnetns::run_isolated(&demo, || libnetns::get().map(|ns| ns.unique_id()))??;
        assert_eq!(id, demo.unique_id());

        // A process in it, as `ip netns exec demo ip link set lo up` starts it.
        let status = libnetns::spawn(&demo, "ip", ["link", "set", "lo", "up"])?.wait()?;
        assert!(status.success(), "ip: {status}");

        // A socket that belongs to `demo`, whichever thread uses it.
        let udp = libnetns::udp_bind(&demo, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
        println!("udp socket in demo on {}", udp.local_addr()?);

        assert_eq!(libnetns::get()?, here); // never moved
        Ok(())
    })();
    libnetns::delete_named("demo")?;
    result
}
