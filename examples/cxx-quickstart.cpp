// SPDX-License-Identifier: Apache-2.0
// libnetns from C++: make a named network namespace (like `ip netns add`),
// look inside it from one scope, and remove it again.
//
//     c++ -std=c++17 cxx-quickstart.cpp $(pkg-config --cflags --libs netns)
//     sudo ./a.out [name]
#include <netns/netns.hpp>

#include <cerrno>
#include <iostream>
#include <net/if.h>
#include <system_error>

// The network interfaces the calling thread sees.
static void list_interfaces()
{
    struct if_nameindex *ifs = if_nameindex();
    if (ifs == nullptr)
        throw std::system_error(errno, std::system_category(), "if_nameindex");
    for (struct if_nameindex *i = ifs; i->if_index != 0; ++i)
        std::cout << "  " << i->if_index << ": " << i->if_name << '\n';
    if_freenameindex(ifs);
}

int main(int argc, char *argv[])
{
    const char *name = argc > 1 ? argv[1] : "cxx-quickstart";
    try {
        netns::Handle home = netns::get();
        std::cout << "libnetns " << netns::version() << ", here: " << home.to_string() << '\n';

        // new_named() moves the calling thread into the new namespace; go
        // home at once and enter it only where needed.
        netns::Handle blue = netns::new_named(name);
        netns::set(home);

        try {
            netns::SetGuard in(blue); // this thread only, until '}'
            std::cout << name << " " << blue.unique_id() << " has:\n";
            list_interfaces(); // only "lo"
        } catch (...) {
            netns::delete_named(name);
            throw;
        }
        // Back home, even if the block above had thrown.
        std::cout << "back in " << netns::get().unique_id() << '\n';

        netns::delete_named(name); // like `ip netns delete`
        std::cout << "deleted " << name << '\n';
    } catch (const std::system_error &e) {
        // e.code() is the errno; e.what() names the C function that failed.
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
