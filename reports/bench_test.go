package reports

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"rexpo/exposure"
)

// bigParts returns a partsFunc yielding n rows built from the fixture's
// rows, with part numbers made unique.
func bigParts(fx *fixture, n int) partsFunc {
	lines := make([]exposure.Line, len(fx.rows))
	return func(o exposure.PartOptions, fn func(exposure.PartRow) error) error {
		for i := 0; i < n; i++ {
			k := i % len(fx.rows)
			pr := fx.rows[k]
			lines[k] = *pr.Line
			lines[k].PartNumber = "P-" + strconv.Itoa(i)
			pr.Line = &lines[k]
			pr.Index = i
			if o.Keep != nil && !o.Keep(pr.Line) {
				continue
			}
			if err := fn(pr); err != nil {
				return err
			}
		}
		return nil
	}
}

// countingWriter counts bytes and throws them away.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func BenchmarkWorkbookParts(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			fx := newFixture()
			parts := bigParts(fx, n)
			b.ReportAllocs()
			for b.Loop() {
				var w countingWriter
				if err := writeWorkbook(&w, fx.r, fx.m, parts); err != nil {
					b.Fatal(err)
				}
				if w.n == 0 {
					b.Fatal("nothing written")
				}
			}
		})
	}
}

// TestWorkbookFullSheet writes a BOM larger than one sheet holds. It takes
// a minute, so it runs only with REXPO_BIG=1.
func TestWorkbookFullSheet(t *testing.T) {
	if os.Getenv("REXPO_BIG") == "" {
		t.Skip("set REXPO_BIG=1 to write 1,100,000 part rows")
	}
	fx := newFixture()
	n := 1_100_000
	var w countingWriter
	if err := writeWorkbook(&w, fx.r, fx.m, bigParts(fx, n)); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows: %d bytes", n, w.n)
	if out := os.Getenv("REXPO_BIG_OUT"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := writeWorkbook(f, fx.r, fx.m, bigParts(fx, n)); err != nil {
			t.Fatal(err)
		}
	}
}
