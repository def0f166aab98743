// SPDX-License-Identifier: Apache-2.0
// Scope guards of the C API tests: a handle closed and a name deleted at
// scope exit, also when a test fails.
#pragma once

#include <netns/netns.h>

#include <string>

namespace netns::test {

// Closes a handle at scope exit.
struct Handle {
    int fd = NETNS_NONE;
    explicit Handle(int h) : fd(h) {}
    ~Handle()
    {
        if (fd >= 0)
            (void)netns_close(&fd);
    }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
};

// Deletes a name (in whatever run dir is current) at scope exit.
struct NameGuard {
    std::string name;
    ~NameGuard() { (void)netns_delete_named(name.c_str()); }
};

} // namespace netns::test
