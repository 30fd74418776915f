// Package gopanic carries a panic from a goroutine to the goroutine that
// waits for it. A panic left in a goroutine of its own ends the program;
// raised again in the waiting goroutine, the command or request that
// started the work recovers it, and with the place it first happened a
// bug report still names the right line.
package gopanic

import (
	"fmt"
	"runtime"
	"strings"
)

// Panic is a recovered panic's value and where it happened.
type Panic struct {
	Value any
	Place string // the panicking function, file and line
}

// String gives the value, as fmt would print a panic's.
func (p *Panic) String() string { return fmt.Sprint(p.Value) }

// Capture turns the value recover returned into a *Panic, naming the
// first frame of the panicking goroutine outside the runtime. It must be
// called directly by the deferred function that recovered. A value that
// is already a *Panic (raised again from a deeper goroutine) keeps its
// place.
func Capture(v any) *Panic {
	if p, ok := v.(*Panic); ok {
		return p
	}
	return &Panic{Value: v, Place: Place(4)}
}

// Place names the first frame outside the runtime, skipping skip frames
// (runtime.Callers counts itself as 0).
func Place(skip int) string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(skip, pcs)])
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
