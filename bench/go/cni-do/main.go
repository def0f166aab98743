// SPDX-License-Identifier: Apache-2.0

// cni-do: the Go peer of netns-bench's run_isolated row. It times CNI's
// ns.Do (github.com/containernetworking/plugins/pkg/ns, as Debian ships it)
// with an empty callback into the namespace at -path, the Go way of running
// code in a namespace without leaving the caller's thread there.
//
// Built offline in GOPATH mode (GOPATH=/usr/share/gocode, GO111MODULE=off)
// by bench/meson.build when go and the package are installed; netns-bench
// starts it inside its sandbox. See doc/bench.md.
//
// Usage:
//
//	cni-do -path P [-clock cpu|wall] -n N   time N calls, print ns per call
//	cni-do -path P [-clock cpu|wall] -serve for each line "N" read from
//	                                        stdin, time N calls and print
//	                                        ns per call (netns-bench's way,
//	                                        so rounds interleave with its
//	                                        own)
//
// -clock cpu (the default) is this process's CPU time, all its threads
// (CLOCK_PROCESS_CPUTIME_ID), the same measure netns-bench uses for the C
// side; wall is CLOCK_MONOTONIC.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/containernetworking/plugins/pkg/ns"
	"golang.org/x/sys/unix"
)

var clock int32 = unix.CLOCK_PROCESS_CPUTIME_ID

func now() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		fail("clock_gettime: %v", err)
	}
	return ts.Nano()
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "cni-do: "+format+"\n", args...)
	os.Exit(1)
}

// The callback: nothing, like the C side's.
func empty(ns.NetNS) error { return nil }

// nsPerCall times n calls of ns.Do.
func nsPerCall(target ns.NetNS, n int) float64 {
	t0 := now()
	for i := 0; i < n; i++ {
		if err := target.Do(empty); err != nil {
			fail("ns.Do: %v", err)
		}
	}
	return float64(now()-t0) / float64(n)
}

func main() {
	path := flag.String("path", "", "network namespace file (e.g. <run dir>/<name>)")
	n := flag.Int("n", 1000, "calls to time")
	serve := flag.Bool("serve", false, "answer requests \"N\" on stdin, one per line")
	clockName := flag.String("clock", "cpu", "cpu (process CPU time) or wall")
	flag.Parse()
	switch *clockName {
	case "cpu":
		clock = unix.CLOCK_PROCESS_CPUTIME_ID
	case "wall":
		clock = unix.CLOCK_MONOTONIC
	default:
		fail("-clock cpu|wall")
	}
	if *path == "" {
		fail("-path is required")
	}
	// Opened once, as a caller that runs code in a namespace repeatedly
	// would, and as netns-bench holds its descriptor.
	target, err := ns.GetNS(*path)
	if err != nil {
		fail("ns.GetNS(%q): %v", *path, err)
	}
	defer target.Close()

	if !*serve {
		fmt.Printf("%.1f\n", nsPerCall(target, *n))
		return
	}
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		count, err := strconv.Atoi(strings.TrimSpace(in.Text()))
		if err != nil || count < 1 {
			fail("bad request %q", in.Text())
		}
		fmt.Fprintf(out, "%.1f\n", nsPerCall(target, count))
		if err := out.Flush(); err != nil {
			fail("write: %v", err)
		}
	}
}
