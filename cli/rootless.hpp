// SPDX-License-Identifier: Apache-2.0
//
// Rootless mode: an ordinary user's names live in a run directory inside a
// user and a mount namespace of their own, kept alive by one holder
// process per user ("netns-holder"), which each command joins.
#ifndef NETNS_CLI_ROOTLESS_HPP
#define NETNS_CLI_ROOTLESS_HPP

namespace cli::rootless {

// Decides whether this run is rootless (--rootless, or automatically: not
// privileged, no run dir given, user namespaces available) and, when it
// is, joins the holder's namespaces, starting the holder when `create` and
// there is none. Must run while the process has a single thread. Returns
// 0, or an exit code after printing why. With no holder and no `create`,
// nothing is joined: the commands then find no names.
int prepare(bool create);

// After names were deleted: stops the holder when no name is left.
void release_if_empty();

bool active();

// Lets other commands run (exec and monitor, which run long, once joined).
void unlock();

} // namespace cli::rootless

#endif
