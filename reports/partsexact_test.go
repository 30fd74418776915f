package reports

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"rexpo/exposure"
	"rexpo/inputs"
	"rexpo/internal/genbom"
	"rexpo/workbook"
)

// genResult computes a generated BOM of n lines, as rexpo report would.
func genResult(t *testing.T, n int) *exposure.Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bom.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := genbom.WriteXLSX(f, n, 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	book, err := inputs.OpenPath(context.Background(), path, workbook.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	ld, err := inputs.Read(book, inputs.Options{Settings: map[string]string{"draws": "20"}, Now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := exposure.Compute(ld.Input)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestPartsExactSameAsDecimal: the Parts rows written from the rows'
// dec128 figures (exactDeltas, and the annual quantity with ExactQty) are
// the rows written through decimals, byte for byte, with the same floats for ranking and the same heat map.
func TestPartsExactSameAsDecimal(t *testing.T) {
	r := genResult(t, 3000)
	rep := newReport(r, Meta{})
	sc, err := scanParts(rep, r.PartsWith)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBook(rep.cur, "footer")
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	rep.b = b
	sc.descWidth = sc.columnWidth(pcDesc)
	write := func(o exposure.PartOptions, exact bool) (*partWriter, []float64, string) {
		pw := newPartWriter(rep, sc, newSheetRows(sc.lastCol()))
		if !exact {
			pw.ex = nil
		}
		var heat heatRange
		var exps []float64
		row := 1
		err := r.PartsWith(o, func(pr exposure.PartRow) error {
			row++
			exps = append(exps, pw.row(&pr, sheetParts, row, &heat))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		lim, _ := heat.limit()
		return pw, exps, lim
	}
	fast, fastExp, fastLim := write(exposure.PartOptions{AnnualOnly: true, ExactQty: true}, true)
	slow, slowExp, slowLim := write(exposure.PartOptions{NoSplit: true}, false)
	if fast.exactRows < len(fastExp)*9/10 || slow.exactRows != 0 {
		t.Fatalf("%d and %d of %d rows written from dec128, want most and none", fast.exactRows, slow.exactRows, len(fastExp))
	}
	if string(fast.rows.buf) != string(slow.rows.buf) {
		i := 0
		for i < len(fast.rows.buf) && i < len(slow.rows.buf) && fast.rows.buf[i] == slow.rows.buf[i] {
			i++
		}
		t.Fatalf("rows differ at byte %d: %q, want %q", i, fast.rows.buf[i:min(i+80, len(fast.rows.buf))], slow.rows.buf[i:min(i+80, len(slow.rows.buf))])
	}
	for i := range slowExp {
		if math.Float64bits(fastExp[i]) != math.Float64bits(slowExp[i]) {
			t.Fatalf("row %d: expected delta %v, want %v", i, fastExp[i], slowExp[i])
		}
	}
	if fastLim != slowLim || slowLim == "" {
		t.Errorf("heat map limit %q, want %q", fastLim, slowLim)
	}
}

// TestScanExactSameAsDecimal: the scan measures the rows' dec128 figures
// (ExactQty) as it measures their decimals: the same largest magnitudes,
// coefficient and exponent, the same places, fractions and signs.
func TestScanExactSameAsDecimal(t *testing.T) {
	r := genResult(t, 3000)
	rep := newReport(r, Meta{})
	scan := func(exact bool) string {
		parts := func(o exposure.PartOptions, fn func(exposure.PartRow) error) error {
			if !exact && o.ExactQty {
				o.ExactQty = false
			}
			return r.PartsWith(o, fn)
		}
		sc, err := scanParts(rep, parts)
		if err != nil {
			t.Fatal(err)
		}
		out := fmt.Sprint(sc.rows, sc.unitP, sc.frac, sc.neg, sc.textW)
		for _, d := range sc.maxAbs {
			out += fmt.Sprintf(" %s·10^%d", d.Coefficient(), d.Exponent())
		}
		return out
	}
	fast, slow := scan(true), scan(false)
	if fast != slow {
		t.Errorf("the scan of dec128 figures measured\n%s\nwant\n%s", fast, slow)
	}
}
