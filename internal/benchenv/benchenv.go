// Package benchenv holds what rexpo's benchmarks in several packages
// share: the BOM sizes they run on and a sampler of the heap's peak.
// Benchmarks live in _test files, which other packages cannot import, so
// the shared pieces live here.
package benchenv

import (
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Lines are the generated BOM sizes a benchmark runs on:
// REXPO_BENCH_LINES, a comma-separated list, else def (same form).
func Lines(tb testing.TB, def string) []int {
	spec := os.Getenv("REXPO_BENCH_LINES")
	if spec == "" {
		spec = def
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			tb.Fatalf("REXPO_BENCH_LINES: bad size %q", f)
		}
		out = append(out, n)
	}
	return out
}

// SampleHeap records in *peak the most heap in use (objects and
// fragmentation) until the function it returns is called.
func SampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64()+s[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
