package main

import (
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"sync"
	"time"
)

// progressLine shows on a terminal what a long run is doing, one phase
// after another (read, compute, Monte Carlo, plan, write), on one line
// rewritten in place and cleared at the end (SPEC section 1). A nil
// *progressLine shows nothing: stderr is a pipe or a file.
type progressLine struct {
	mu sync.Mutex
	w  io.Writer
	// start is set in log mode (REXPO_PHASES): each phase is then printed
	// on a line of its own with the seconds since start, a developer's
	// tool for the speed work README.md describes.
	start time.Time
}

// stderrIsTerminal reports whether stderr is a terminal; tests replace it.
var stderrIsTerminal = func() bool { return isTerminal(os.Stderr) }

// newProgressLine returns a progress line on w when stderr is a terminal,
// else nil.
func newProgressLine(w io.Writer) *progressLine {
	if os.Getenv("REXPO_PHASES") != "" {
		return &progressLine{w: w, start: time.Now()}
	}
	if !stderrIsTerminal() {
		return nil
	}
	return &progressLine{w: w}
}

// show replaces the line with a phase's words.
func (p *progressLine) show(format string, args ...any) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.start.IsZero() {
		allocated, cycles := heapSoFar()
		fmt.Fprintf(p.w, "%7.2fs %6d MB %3d GC  "+format+"\n", append([]any{time.Since(p.start).Seconds(), allocated >> 20, cycles}, args...)...)
		return
	}
	fmt.Fprintf(p.w, "\r\033[K"+format, args...)
}

// heapSoFar returns the bytes the heap has allocated and the GC cycles
// finished since the process started: where garbage comes from, in log
// mode, without stopping the world as runtime.ReadMemStats does.
func heapSoFar() (allocated, cycles uint64) {
	samples := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(samples)
	return samples[0].Value.Uint64(), samples[1].Value.Uint64()
}

// log prints what happened in log mode (REXPO_PHASES) alone: news from
// a goroutine beside the current phase, which the terminal's one line
// would show in place of that phase.
func (p *progressLine) log(format string, args ...any) {
	if p != nil && !p.start.IsZero() {
		p.show(format, args...)
	}
}

// rows shows how many BOM rows are read so far.
func (p *progressLine) rows(n int) {
	if p != nil && !p.start.IsZero() {
		return // log mode prints phases, not counts
	}
	p.show("reading the BOM: %s rows", thousands(n))
}

// done clears the line, so that what follows starts on a clean one.
func (p *progressLine) done() {
	if p == nil || !p.start.IsZero() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}
