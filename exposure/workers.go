package exposure

import (
	"runtime"
	"sync"
	"sync/atomic"

	"rexpo/internal/gopanic"
)

// eachOnCPUs calls fn(i) for i in 0..n-1 on up to GOMAXPROCS goroutines,
// one i at a time: for a few large independent pieces of work (the
// scenarios' results and draws, the profiles' factors, runs of lines).
// fn must write only what belongs to its i. A panic in fn is raised again
// in the caller's goroutine as a *gopanic.Panic that names where it
// happened, where a command or a request recovers it (one in a goroutine
// of its own would end the program).
func eachOnCPUs(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					failed.CompareAndSwap(nil, gopanic.Capture(p))
					next.Store(int64(n)) // the others stop at their next piece
				}
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	if p := failed.Load(); p != nil {
		panic(p)
	}
}
