package exposure_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"rexpo/exposure"
	"rexpo/inputs"
	"rexpo/internal/benchenv"
	"rexpo/internal/genbom"
	"rexpo/workbook"
)

var (
	genMu     sync.Mutex
	genInputs = map[int]exposure.Input{}
)

// genInput reads (once per process and size) the BOM internal/genbom
// writes for n lines, seed 1, as `rexpo report` reads it with the
// built-in scenarios and the as-of date of the README's baselines.
func genInput(b *testing.B, n int) exposure.Input {
	genMu.Lock()
	defer genMu.Unlock()
	if in, ok := genInputs[n]; ok {
		return in
	}
	var buf bytes.Buffer
	if err := genbom.WriteXLSX(&buf, n, 1); err != nil {
		b.Fatal(err)
	}
	book, err := inputs.Open("bom.xlsx", bytes.NewReader(buf.Bytes()), int64(buf.Len()), workbook.DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	defer book.Close()
	ld, err := inputs.Read(book, inputs.Options{Now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	genInputs[n] = ld.Input
	return ld.Input
}

// BenchmarkGenCompute is Compute alone on a generated BOM.
func BenchmarkGenCompute(b *testing.B) {
	for _, n := range benchenv.Lines(b, "100000") {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			in := genInput(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := exposure.Compute(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGenParts is one pass over the part rows with every scenario's
// figures; with NoSplit; and with NoDeltas. "sheet", "json" and "scan"
// are the passes of the Parts sheet, the JSON's sums and the sheet's
// scan, with the options they pass.
func BenchmarkGenParts(b *testing.B) {
	for _, n := range benchenv.Lines(b, "100000") {
		for _, o := range []struct {
			name string
			opts exposure.PartOptions
		}{{"all", exposure.PartOptions{}}, {"nosplit", exposure.PartOptions{NoSplit: true}}, {"nodeltas", exposure.PartOptions{NoDeltas: true}},
			{"sheet", exposure.PartOptions{AnnualOnly: true, ExactQty: true, Transient: true}},
			{"json", exposure.PartOptions{NoSplit: true, ExactOnly: true, NoClasses: true, NoUnitCost: true, ExactQty: true, Transient: true}},
			{"scan", exposure.PartOptions{NoDeltas: true, NoClasses: true, ExactQty: true}}} {
			b.Run(fmt.Sprintf("lines=%d/%s", n, o.name), func(b *testing.B) {
				r, err := exposure.Compute(genInput(b, n))
				if err != nil {
					b.Fatal(err)
				}
				want := len(r.Scenarios)
				if o.opts.NoDeltas {
					want = 0
				}
				b.ReportAllocs()
				for b.Loop() {
					rows := 0
					err := r.PartsWith(o.opts, func(p exposure.PartRow) error {
						rows++
						if got := max(len(p.Deltas), len(p.ExactAnnual())); got != want {
							return fmt.Errorf("row %d: %d deltas, want %d", p.Index, got, want)
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
					if rows == 0 {
						b.Fatal("no part rows")
					}
				}
			})
		}
	}
}

// BenchmarkGenRecommend is the plan alone, on a result computed once.
func BenchmarkGenRecommend(b *testing.B) {
	for _, n := range benchenv.Lines(b, "100000") {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			in := genInput(b, n)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				r, err := exposure.Compute(in) // Recommend fills caches of the result
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				p, err := exposure.Recommend(r)
				if err != nil {
					b.Fatal(err)
				}
				if p.Exposed == 0 {
					b.Fatal("nothing exposed")
				}
			}
		})
	}
}
