// SPDX-License-Identifier: Apache-2.0
// EXPECT(cond) for the fuzz targets: a broken invariant aborts, which
// libFuzzer reports as a crash with the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>

[[noreturn]] inline void fuzz_invariant_broken(const char *file, int line, const char *what)
{
    std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    std::abort();
}

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_invariant_broken(__FILE__, __LINE__, #cond);                                      \
    } while (0)
