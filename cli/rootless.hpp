// SPDX-License-Identifier: Apache-2.0
//
// Rootless mode: an ordinary user's names live in a run directory inside a
// user and a mount namespace of their own, kept alive by one holder
// process per user and runtime directory ("netns-holder"), which each
// command joins (holder.hpp). netns(8), ROOTLESS MODE, says where and how.
#ifndef NETNS_CLI_ROOTLESS_HPP
#define NETNS_CLI_ROOTLESS_HPP

namespace cli::rootless {

// Decides whether this run is rootless (--rootless, or automatically: not
// privileged, no run dir given, user namespaces available) and, when it
// is, finds the runtime directory (or prints one line why there is none:
// never a fallback to the host's run dir) and joins the holder's
// namespaces, starting the holder when `create` and there is none (a dead
// or zombie holder is none). Must run while the process has a single
// thread. Throws Failure after printing why it cannot. With no holder
// and no `create`, nothing is joined: the commands then find no names.
// May be called again (a batch): the decision is made once per process,
// a holder once joined stays joined, and a later `create` starts one.
void prepare(bool create);

// After names were deleted: stops the holder when no name is left at the
// process's exit (a later command of the same process may add one).
void release_if_empty();

bool active();

// Lets other commands run (exec and monitor, which run long, once joined).
void unlock();

} // namespace cli::rootless

#endif
