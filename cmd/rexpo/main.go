package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// memoryLimit is the soft limit of the Go runtime's memory for the
// commands that make one report (report, demo, validate) unless
// GOMEMLIMIT says otherwise: a BOM of a million lines then stays under
// 1 GiB of resident memory (issue 14). Below it the garbage collector
// runs as GOGC says, so a small BOM takes no more collections than it
// would without it; near it the collector runs more often, which a
// million lines pay for with a few seconds.
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
