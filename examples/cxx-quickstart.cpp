// SPDX-License-Identifier: Apache-2.0
// libnetns from C++: make a named network namespace (like `ip netns add`),
// do work inside it without ever moving this thread, and remove it again.
//
//     c++ -std=c++17 cxx-quickstart.cpp $(pkg-config --cflags --libs netns)
//     sudo ./a.out [name]
#include <netns/netns.hpp>

#include <cerrno>
#include <iostream>
#include <net/if.h>
#include <sys/wait.h>
#include <system_error>

// The number of network interfaces the calling thread sees.
static int count_interfaces()
{
    struct if_nameindex *ifs = if_nameindex();
    if (ifs == nullptr)
        throw std::system_error(errno, std::system_category(), "if_nameindex");
    int n = 0;
    while (ifs[n].if_index != 0)
        ++n;
    if_freenameindex(ifs);
    return n;
}

int main(int argc, char *argv[])
{
    const char *name = argc > 1 ? argv[1] : "cxx-quickstart";
    try {
        netns::Handle home = netns::get();
        std::cout << "libnetns " << netns::version() << ", here: " << home.to_string() << '\n';

        // create() makes the namespace without moving this thread.
        netns::Handle blue = netns::create(name);
        try {
            // A function on this thread inside blue, switched back before
            // run() returns (an exception comes back the same way).
            int n = netns::run(blue, count_interfaces);
            std::cout << name << " " << blue.unique_id() << " has " << n << " interface(s)\n";

            // The same on a thread of its own, which then ends.
            std::string inside = netns::run_isolated(blue, [] { return netns::get().unique_id(); });
            std::cout << "a new thread saw " << inside << std::endl; // before the child writes

            // A process in blue, as `ip netns exec NAME ip link` starts it.
            pid_t pid = netns::spawnp(blue, "ip", {"ip", "-brief", "link"});
            int status = 0;
            if (waitpid(pid, &status, 0) < 0)
                throw std::system_error(errno, std::system_category(), "waitpid");
        } catch (...) {
            netns::delete_named(name);
            throw;
        }
        // This thread never left.
        std::cout << "still in " << netns::get().unique_id() << '\n';

        netns::delete_named(name); // like `ip netns delete`
        std::cout << "deleted " << name << '\n';
    } catch (const std::system_error &e) {
        // e.code() is the errno; e.what() names the C function that failed.
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
