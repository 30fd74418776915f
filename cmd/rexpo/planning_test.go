package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rexpo/exposure"
)

// TestReportPlanFailsWhileWriting: with the plan computed beside the
// writing, a plan that fails still ends the report with the plan's error,
// exit status and words, and leaves no workbook or JSON behind.
func TestReportPlanFailsWhileWriting(t *testing.T) {
	defer func(f func(*exposure.Result) (*exposure.Plan, error)) { recommend = f }(recommend)
	recommend = func(*exposure.Result) (*exposure.Plan, error) { return nil, errors.New("the optimiser broke") }
	dir := smallBOM(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	js := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code := run(t, "report", dir, "-o", out, "--json", js)
	if code == 0 || !strings.Contains(stderr, "bom: recommendations: the optimiser broke") {
		t.Fatalf("exit %d, stderr %q: want the plan's error", code, stderr)
	}
	for _, p := range []string{out, js} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written though the plan failed", p)
		}
	}
}

// TestReportPlanPanicsWhileWriting: a panic in the plan's goroutine is
// raised again in the command's, where it is recovered as any other (left
// in its own goroutine it would end the program), and the report names
// where it happened, not where it was raised again.
func TestReportPlanPanicsWhileWriting(t *testing.T) {
	defer func(f func(*exposure.Result) (*exposure.Plan, error)) { recommend = f }(recommend)
	recommend = planThatPanics
	dir := smallBOM(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	_, stderr, code := runCtx(t, context.Background(), newApp(), "report", dir, "-o", out)
	if code != 3 || !strings.Contains(stderr, "internal error: plan exploded") || !strings.Contains(stderr, "planThatPanics") {
		t.Errorf("exit %d, stderr %q: want the plan's panic, named at planThatPanics", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written though the plan panicked", out)
	}
}

func planThatPanics(*exposure.Result) (*exposure.Plan, error) { panic("plan exploded") }

// TestValidateWaitsForPlan: validate still reports the plan's failure.
func TestValidateWaitsForPlan(t *testing.T) {
	defer func(f func(*exposure.Result) (*exposure.Plan, error)) { recommend = f }(recommend)
	recommend = func(*exposure.Result) (*exposure.Plan, error) { return nil, errors.New("the optimiser broke") }
	_, stderr, code := run(t, "validate", smallBOM(t))
	if code == 0 || !strings.Contains(stderr, "recommendations: the optimiser broke") {
		t.Fatalf("exit %d, stderr %q: want the plan's error", code, stderr)
	}
}
