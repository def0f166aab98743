use std::io;

fn main() -> io::Result<()> {
    println!("libnetns {}", netns::version());
    let here = netns::get()?;
    println!("this thread is in {}", here.unique_id());

    // Create a persistent namespace, like `ip netns add demo`. new_named()
    // also moves the calling thread, so do it in a thread of its own.
    std::thread::spawn(|| netns::new_named("demo").map(drop))
        .join()
        .expect("thread panicked")?;

    let result = (|| {
        let demo = netns::get_from_name("demo")?;
        {
            let _guard = netns::SetGuard::new(&demo)?; // this thread only
            assert_eq!(netns::get()?, demo);
            println!("inside {}", demo.unique_id());
        } // the guard moves the thread back
        assert_eq!(netns::get()?, here);
        Ok(())
    })();
    netns::delete_named("demo")?;
    result
}
