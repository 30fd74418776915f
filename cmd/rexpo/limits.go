package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"rexpo/internal/gopanic"
)

// stopError is a run that ended neither done nor refused: interrupted
// (SIGINT, SIGTERM) or crashed (a panic, which is a bug). Its exit status
// is 3, not the 2 of a Go panic, which would read as bad usage.
type stopError struct {
	msg string
	err error
}

func (e *stopError) Error() string { return e.msg }
func (e *stopError) Unwrap() error { return e.err }

// runApp runs the command line as main does: a panic anywhere in a
// command becomes an error with the panic's place, and a run stopped by
// ctx (Ctrl-C) says so, whatever error the stopped work returned.
// Deferred clean-ups (temporary files, half-written outputs) have run
// when it returns.
func runApp(ctx context.Context, app *cli.App, args []string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			place := panicPlace()
			if gp, ok := p.(*gopanic.Panic); ok { // from a goroutine: where it first happened
				p, place = gp.Value, gp.Place
			}
			err = &stopError{msg: fmt.Sprintf("internal error: %v (at %s); this is a bug: please report it, with the input if you can", p, place),
				err: fmt.Errorf("panic: %v", p)}
		}
	}()
	err = app.RunContext(ctx, args)
	if err != nil && ctx.Err() != nil {
		err = &stopError{msg: "stopped: interrupted; no output was written", err: ctx.Err()}
	}
	return err
}

// panicPlace names the function and line that panicked: the first frame
// of the panicking goroutine outside the runtime. It must be called by
// the deferred function that recovered.
func panicPlace() string { return gopanic.Place(4) }

// isStopped reports whether err is an interruption or a crash.
func isStopped(err error) bool {
	var se *stopError
	return errors.As(err, &se)
}
