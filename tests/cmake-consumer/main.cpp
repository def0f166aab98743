// SPDX-License-Identifier: Apache-2.0
// The C++ side of the CMake consumer: netns.hpp through netns::netns.
#include <netns/netns.hpp>

#include <iostream>

int main()
{
    netns::Handle ns = netns::get();
    std::cout << "C++: this thread is in " << ns.unique_id() << '\n';
    return ns ? 0 : 1;
}
