package exposure

import (
	"runtime"
	"strings"
	"testing"

	"rexpo/internal/gopanic"
)

func pieceThatPanics(i int) {
	if i == 3 {
		panic("piece 3 broke")
	}
}

// TestEachOnCPUsPanicKeepsItsPlace: a panic in a piece reaches the caller
// as a *gopanic.Panic naming the function that panicked.
func TestEachOnCPUsPanicKeepsItsPlace(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	defer func() {
		p, ok := recover().(*gopanic.Panic)
		if !ok || p.Value != "piece 3 broke" || !strings.Contains(p.Place, "pieceThatPanics") {
			t.Fatalf("recovered %#v, want piece 3's panic at pieceThatPanics", p)
		}
	}()
	eachOnCPUs(8, pieceThatPanics)
	t.Fatal("eachOnCPUs returned, want the piece's panic")
}

// panicValue is a recovered panic's value, unwrapped when a goroutine
// carried it (gopanic.Panic).
func panicValue(v any) any {
	if p, ok := v.(*gopanic.Panic); ok {
		return p.Value
	}
	return v
}
