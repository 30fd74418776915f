package exposure

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"rexpo/internal/gopanic"
)

// eachOnCPUs calls fn(i) for i in 0..n-1 on up to GOMAXPROCS goroutines,
// one i at a time: for a few large independent pieces of work (the
// scenarios' results and draws, the profiles' factors, runs of lines).
// fn must write only what belongs to its i.
func eachOnCPUs(n int, fn func(i int)) { onCPUs(n, 1, "", fn) }

// onCPUs calls fn(i) for i in 0..n-1 on up to GOMAXPROCS goroutines, each
// taking batch items at a time. With one worker fn runs in the caller's
// goroutine. A panic in a worker is raised again in the caller's
// goroutine as a *gopanic.Panic that names where it happened, its value
// prefixed with "label: " when label is set, where a command or a request
// recovers it (one in a goroutine of its own would end the program).
func onCPUs(n, batch int, label string, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+batch-1)/batch)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value // the first worker's panic, raised again below
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					failed.CompareAndSwap(nil, gopanic.Capture(p))
					next.Store(int64(n)) // the others stop at their next batch
				}
			}()
			for {
				lo := int(next.Add(int64(batch))) - batch
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+batch, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
	if r := failed.Load(); r != nil {
		p := r.(*gopanic.Panic)
		if label != "" {
			p = &gopanic.Panic{Value: fmt.Sprintf("%s: %v", label, p.Value), Place: p.Place}
		}
		panic(p)
	}
}
