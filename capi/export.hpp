// SPDX-License-Identifier: Apache-2.0
// Marks the definitions that form the ABI; everything else is hidden by
// gnu_symbol_visibility=hidden and by the version script.
#pragma once
#define NETNS_EXPORT extern "C" __attribute__((visibility("default")))
