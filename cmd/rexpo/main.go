// Command rexpo tells a manufacturer what rare-earth export tightening
// would do to its costs. See README.md for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp()
	err := app.RunContext(ctx, normalizeArgs(app, os.Args))
	if err != nil {
		fmt.Fprintf(os.Stderr, "rexpo: %v\n", err)
	}
	os.Exit(exitCode(err))
}
