package inputs

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
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
	if a, e := lineOf(t, l, "P1", "A").Row, lineOf(t, l, "P1", "E").Row; a != 2 || e != 7 || l.Input.BOM.Ref(0) != "BOM!2" {
		t.Errorf("rows %d and %d (%s), want 2 and 7 (BOM!2)", a, e, l.Input.BOM.Ref(0))
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
	if first.PartNumber != "PART-0" || last.PartNumber != fmt.Sprint("PART-", lines-1) || l.Input.BOM.Ref(lines-1) != fmt.Sprint("bom!", lines+1) {
		t.Errorf("lines %q %q, last at %s", first.PartNumber, last.PartNumber, l.Input.BOM.Ref(lines-1))
	}
	if unsafe.StringData(first.Description) != unsafe.StringData(last.Description) {
		t.Error("a description that repeats is kept more than once")
	}
	runtime.KeepAlive(l)
}

// TestCostCacheSameAsParsing reads many costs that repeat, in several
// currencies and spellings (trailing zeros, more than 16 bytes, text
// cells), and compares each line's unit cost, coefficient and exponent,
// with the cell parsed and converted on its own; and countries repeated
// row after row, good and bad, with their codes and errors read alone.
func TestCostCacheSameAsParsing(t *testing.T) {
	texts := []string{"1.5", "1.50", "1.500", "15", "0.06", "0.060", "000.06", "12345678901234.5", "12345678901234.56", "1.2345678901234567", "0", "0.00", "7E-3"}
	curs := []string{"USD", "EUR", "", "CNY", "eur", "USD"}
	countries := []string{"DE", "DE", "Germany", "CN", "CN", "China", "JP"}
	bom := [][]any{{"product", "part_number", "qty_per", "unit_cost", "currency", "mine_country", "component_country"}}
	type want struct{ text, cur, country, other string }
	var wants []want
	for i := range 600 {
		text, cur := texts[(i*7/3)%len(texts)], curs[(i/4)%len(curs)]
		var cell any = text
		if i%5 != 0 {
			cell = numText(text)
		}
		country := countries[(i/3)%len(countries)]
		other := countries[(i/3+2)%len(countries)]
		bom = append(bom, []any{"P1", fmt.Sprint("A", i), 1, cell, cur, country, other})
		wants = append(wants, want{text, cur, country, other})
	}
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(),
		"FX":       {{"currency", "rate"}, {"EUR", 1.08}, {"CNY", "0.1400"}},
		"BOM":      bom,
	}, Options{})
	rates := map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.08"), "CNY": decimal.RequireFromString("0.1400")}
	for i, w := range wants {
		ln := l.Input.BOM.Lines[i]
		d, err := ParseAmount(w.text)
		if err != nil {
			t.Fatal(err)
		}
		if rate, ok := rates[strings.ToUpper(w.cur)]; ok && !d.IsZero() {
			d = d.Mul(rate)
		}
		got := ln.Sources[0].UnitCost
		if got.String() != d.String() || got.Exponent() != d.Exponent() || got.Coefficient().Cmp(d.Coefficient()) != 0 {
			t.Errorf("line %d: %q %s: unit cost %s (exponent %d), want %s (exponent %d)", i, w.text, w.cur, got, got.Exponent(), d, d.Exponent())
		}
		code, err := reference.LookupCountry(w.country)
		if err != nil {
			t.Fatal(err)
		}
		other, err := reference.LookupCountry(w.other)
		if err != nil {
			t.Fatal(err)
		}
		if c := exposure.CountryCodes(ln.Sources[0].Countries); c[exposure.StageMine] != code || c[exposure.StageComponent] != other {
			t.Errorf("line %d: countries %v, want %s and %s", i, c, code, other)
		}
	}

	// A bad country is an error at each cell, repeated or not.
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "mine_country"},
			{"P1", "A", 1, "DE"},
			{"P1", "B", 1, "Atlantis"},
			{"P1", "C", 1, "Atlantis"},
			{"P1", "D", 1, "DE"},
		},
	}, Options{})
	wantProblem(t, ie.Problems, "BOM", "D3", true, "Atlantis")
	wantProblem(t, ie.Problems, "BOM", "D4", true, "Atlantis")
	if _, ok := findProblem(ie.Problems, "BOM", "D5", true); ok {
		t.Error("DE after a bad country is an error")
	}
}

// TestRepeatedMaterialsAndHSCodes: a material or HS code repeated from
// the row above reads as it does alone, and an unknown material is an
// error at each of its cells, repeated or not.
func TestRepeatedMaterialsAndHSCodes(t *testing.T) {
	bom := [][]any{
		{"product", "part_number", "qty_per", "material", "re_mass_kg", "hs_code"},
		{"P1", "A", 1, "SMCO5", 0.001, 8505.11},
		{"P1", "B", 1, "SMCO5", 0.002, 8505.11},
		{"P1", "C", 1, "smco5", 0.002, "8505.11"},
		{"P1", "D", 1, "NDFEB_N42", 0.002, 8505.19},
		{"P1", "E", 1, "SMCO5", 0.002, 8505.11},
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	for part, want := range map[string][2]string{"A": {"SMCO5", "8505.11"}, "B": {"SMCO5", "8505.11"}, "C": {"SMCO5", "8505.11"}, "D": {"NDFEB_N42", "8505.19"}, "E": {"SMCO5", "8505.11"}} {
		if ln := lineOf(t, l, "P1", part); ln.Material != want[0] || ln.HSCode != want[1] || len(ln.Content) == 0 {
			t.Errorf("%s: material %q, HS code %q, %d elements; want %s, %s and content", part, ln.Material, ln.HSCode, len(ln.Content), want[0], want[1])
		}
	}
	bom[2][3], bom[3][3] = "SMC05", "SMC05"
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "BOM", "D3", true, "SMC05")
	wantProblem(t, ie.Problems, "BOM", "D4", true, "SMC05")
}
