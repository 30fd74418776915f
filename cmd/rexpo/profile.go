package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles writes CPU and heap profiles when REXPO_CPUPROFILE or
// REXPO_MEMPROFILE name files: a developer's tool for the speed work that
// README.md describes. It returns the function that finishes them.
func startProfiles() func() {
	var stops []func()
	if path := os.Getenv("REXPO_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if path := os.Getenv("REXPO_MEMPROFILE"); path != "" {
		stops = append(stops, func() {
			if f, err := os.Create(path); err == nil {
				runtime.GC()
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		})
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}
