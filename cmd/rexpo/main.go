package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// memoryLimit is the soft limit of the Go runtime's memory for every
// command but serve, unless GOMEMLIMIT says otherwise. Below it the
// garbage collector runs as GOGC says, so a small BOM takes no more
// collections than it would without it; near it the collector runs more
// often. A million-line report of the generated benchmark BOM peaks at
// about 890 MB resident under it and about 970 MB under the 1.5 GiB this
// was before (README, Speed and size): a margin under 1 GiB (issue 14).
// A BOM whose live data exceed it is not refused: the collector then
// runs back to back, capped by the runtime at about half the CPU, and
// the report takes longer.
const memoryLimit = 960 << 20

// serveMemoryLimit is serve's soft limit: it holds several uploads and
// reports at once (SPEC section 12), so it is allowed more.
const serveMemoryLimit = 1536 << 20

// setMemoryLimit sets the soft memory limit unless GOMEMLIMIT set one.
func setMemoryLimit(limit int64) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}

func main() {
	setMemoryLimit(memoryLimit)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp()
	stopProfiles := startProfiles()
	err := runApp(ctx, app, normalizeArgs(app, os.Args))
	stopProfiles()
	if err != nil {
		fmt.Fprintf(os.Stderr, "rexpo: %v\n", err)
	}
	os.Exit(exitCode(err))
}
