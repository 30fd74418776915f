package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles writes a CPU profile when REXPO_CPUPROFILE names a file: a
// developer's tool for the speed work that README.md describes. It
// returns the function that finishes it.
func startProfiles() func() {
	if path := os.Getenv("REXPO_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			return func() { pprof.StopCPUProfile(); f.Close() }
		}
	}
	return func() {}
}

// heapProfile writes a heap profile when REXPO_MEMPROFILE names a file.
// runReport calls it as the writing begins, when the input, the result
// and the plan are all live: the heap's high-water mark, where a profile
// taken at exit would show almost nothing.
func heapProfile() {
	path := os.Getenv("REXPO_MEMPROFILE")
	if path == "" {
		return
	}
	if f, err := os.Create(path); err == nil {
		runtime.GC()
		pprof.WriteHeapProfile(f)
		f.Close()
	}
}
