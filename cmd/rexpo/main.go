package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// memoryLimit is the soft limit of the Go heap unless GOMEMLIMIT says
// otherwise: a BOM of a million lines stays well under 2 GiB, at the cost
// of more frequent garbage collection near the limit.
const memoryLimit = 1536 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
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
