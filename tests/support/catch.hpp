// SPDX-License-Identifier: Apache-2.0
// Catch2 v3 when installed, else v2 (Debian 12's catch2/catch.hpp).
#pragma once
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
