package inputs

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestRepeatedAmounts: amounts read once and shared keep their cell's
// own meaning: the same text is another cost in another currency, a
// quantity, a text number, and a bad cell is an error each time.
func TestRepeatedAmounts(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(),
		"FX":       {{"currency", "rate"}, {"EUR", 1.08}},
		"BOM": {
			{"product", "part_number", "qty_per", "unit_cost", "currency"},
			{"P1", "A", 100, 100, "USD"},
			{"P1", "B", 100, 100, "EUR"}, // 100 EUR = 108 USD
			{"P1", "C", numText("100"), 100, ""},
			{"P1", "D", 2, numText("100"), "eur"},
			{}, // row 6 is blank, skipped: E is on row 7
			{"P1", "E", 2, 100, "USD"},
			{"P1", "F", 2, 100, "EUR"},
		},
	}, Options{})
	for part, want := range map[string][2]string{"A": {"100", "100"}, "B": {"100", "108"}, "C": {"100", "100"}, "D": {"2", "108"}, "E": {"2", "100"}, "F": {"2", "108"}} {
		ln := lineOf(t, l, "P1", part)
		wantDec(t, part+" qty_per", ln.QtyPer, want[0])
		wantDec(t, part+" unit cost", ln.Sources[0].UnitCost, want[1])
	}
	if a, e := lineOf(t, l, "P1", "A").Ref, lineOf(t, l, "P1", "E").Ref; a != "BOM!2" || e != "BOM!7" {
		t.Errorf("refs %s and %s, want BOM!2 and BOM!7", a, e)
	}

	// A rate that is missing is one error however often its cost repeats,
	// and a bad cost is an error at each cell.
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "unit_cost", "currency"},
			{"P1", "A", 1, 100, "GBP"},
			{"P1", "B", 1, 100, "GBP"},
			{"P1", "C", 1, "-5", "USD"},
			{"P1", "D", 1, "-5", "USD"},
		},
	}, Options{})
	wantProblem(t, ie.Problems, "BOM", "E2", true, "no FX rate for GBP")
	wantProblem(t, ie.Problems, "BOM", "D4", true, "-5")
	wantProblem(t, ie.Problems, "BOM", "D5", true, "-5")
}

// TestCSVLinesKeepNotTheFile: the lines read from a CSV file hold their
// texts, not the blocks of the file they were cut from: a file of long
// notes, which no line keeps, leaves little in memory once read.
func TestCSVLinesKeepNotTheFile(t *testing.T) {
	dir := t.TempDir()
	const lines = 5000
	var b strings.Builder
	b.WriteString("product,part_number,description,qty_per,unit_cost,notes\n")
	for i := range lines {
		fmt.Fprintf(&b, "P1,PART-%d,Bearing,1,2.5,%s\n", i, strings.Repeat("n", 4000)) // 20 MB of notes
	}
	if err := os.WriteFile(filepath.Join(dir, "bom.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "products.csv"), []byte("product,annual_volume\nP1,10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l, err := readPath(t, dir, Options{Now: readNow})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	// 5,000 lines of a few hundred bytes each: far less than the file.
	if held := int64(after.HeapAlloc) - int64(before.HeapAlloc); held > 8<<20 {
		t.Errorf("the lines hold %d MB after reading a 20 MB file", held>>20)
	}
	first, last := l.Input.BOM.Lines[0], l.Input.BOM.Lines[lines-1]
	if first.PartNumber != "PART-0" || last.PartNumber != fmt.Sprint("PART-", lines-1) || last.Ref != fmt.Sprint("bom!", lines+1) {
		t.Errorf("lines %q %q, last at %s", first.PartNumber, last.PartNumber, last.Ref)
	}
	if unsafe.StringData(first.Description) != unsafe.StringData(last.Description) {
		t.Error("a description that repeats is kept more than once")
	}
	runtime.KeepAlive(l)
}
