package gopanic

import (
	"strings"
	"testing"
)

func explode() { panic("boom") }

// TestCaptureNamesThePanickingFunction: the place is where the panic
// happened, not the deferred function or the goroutine's start, and a
// captured panic raised again keeps it.
func TestCaptureNamesThePanickingFunction(t *testing.T) {
	got := make(chan *Panic)
	go func() {
		defer func() { got <- Capture(recover()) }()
		explode()
	}()
	p := <-got
	if p.Value != "boom" || !strings.Contains(p.Place, "gopanic.explode") || !strings.Contains(p.Place, "gopanic_test.go") {
		t.Fatalf("captured %q at %q, want boom at gopanic.explode", p.Value, p.Place)
	}
	again := make(chan *Panic)
	go func() {
		defer func() { again <- Capture(recover()) }()
		panic(p)
	}()
	if q := <-again; q != p {
		t.Errorf("raised again, the panic became %v at %s", q.Value, q.Place)
	}
}
