package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/urfave/cli/v2"
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
			err = &stopError{msg: fmt.Sprintf("internal error: %v (at %s); this is a bug: please report it, with the input if you can", p, panicPlace()),
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
// of the panicking goroutine outside the runtime.
func panicPlace() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			file := f.File
			if i := strings.LastIndex(file, "/rexpo/"); i >= 0 {
				file = file[i+len("/rexpo/"):]
			}
			return fmt.Sprintf("%s, %s:%d", f.Function, file, f.Line)
		}
		if !more {
			return "unknown place"
		}
	}
}

// isStopped reports whether err is an interruption or a crash.
func isStopped(err error) bool {
	var se *stopError
	return errors.As(err, &se)
}
