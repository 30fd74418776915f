package inputs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// Tests of input problems a new user meets (issue 12, "Input reading"):
// each says what is wrong once, where it is, and what to write instead.

// TestERPHeaderAliases reads headers SAP and other ERPs write: the
// quantity in the base unit, the base unit, the product's name.
func TestERPHeaderAliases(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": {{"Product", "Product name", "Annual volume"}, {"P1", "Drive unit", 1000}},
		"BOM": {
			{"Component number", "Object description", "Comp. Qty (BUn)", "Base Unit"},
			{"MOT", "Traction motor", 2, "PC"},
		},
	}, Options{})
	mot := lineOf(t, l, "P1", "MOT")
	wantDec(t, "MOT qty", mot.QtyPer, "2")
	if mot.UOM != "PC" {
		t.Errorf("uom %q, want PC from Base Unit", mot.UOM)
	}
	if name := l.Input.BOM.Products[0].Name; name != "Drive unit" {
		t.Errorf("product name %q, want Drive unit from Product name", name)
	}
}

// TestMissingColumnNamesNearestHeader: a required column the reader does
// not find is an error naming the header found nearest to it and the
// --map line that would read it.
func TestMissingColumnNamesNearestHeader(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM":      {{"Component number", "Quantity per", "Base Unit"}, {"MOT", 2, "PC"}},
	}, Options{})
	wantProblem(t, ie.Problems, "BOM", "1", true, "missing required column qty_per",
		`the nearest header found is "Quantity per"`, "--map FILE", "`qty_per: Quantity per`", "headers found in row 1")

	ie = mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM":      {{"Component number", "Menge"}, {"MOT", 2}},
	}, Options{})
	wantProblem(t, ie.Problems, "BOM", "1", true, "missing required column qty_per: no header found is near it", "--map FILE")
}

// TestMissingProductsSheetOnce: without a Products sheet, the BOM's lines
// are not each an error: one error names the sheet and the products.
func TestMissingProductsSheetOnce(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"BOM": {
			{"product", "part_number", "qty_per"},
			{"P1", "A", 1}, {"P1", "B", 1}, {"P2", "C", 1}, {"P2", "D", 1},
		},
		"FX": {{"currency", "rate"}, {"EUR", 1.08}},
	}, Options{})
	if n := countErrors(ie.Problems); n != 1 {
		t.Errorf("%d errors, want 1:\n%s", n, listProblems(ie.Problems))
	}
	wantProblem(t, ie.Problems, "", "", true, "no Products sheet", "product and annual_volume", `"P1", "P2"`)

	// A Products sheet whose header cannot be read: its error alone.
	ie = mustFail(t, map[string][][]any{
		"Products": {{"product", "units"}, {"P1", 10}},
		"BOM":      {{"product", "part_number", "qty_per"}, {"P1", "A", 1}, {"P1", "B", 1}},
	}, Options{})
	if n := countErrors(ie.Problems); n != 1 {
		t.Errorf("bad Products header: %d errors, want 1:\n%s", n, listProblems(ie.Problems))
	}
	wantProblem(t, ie.Problems, "Products", "1", true, "annual_volume")
}

// TestMassWithUnitOneMessage: "25g" in re_mass_kg is one error saying what
// to write, not an error and then a warning that the mass is missing.
func TestMassWithUnitOneMessage(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "material", "re_mass_kg", "re_mass_g"},
			{"P1", "MAG", 1, "NDFEB_38UH_BULK", "25g", nil},
			{"P1", "MAG2", 1, "NDFEB_38UH_BULK", nil, "0.5 kg"},
			{"P1", "MAG3", 1, "NDFEB_38UH_BULK", "lots", nil},
		},
	}, Options{})
	wantProblem(t, ie.Problems, "BOM", "E2", true, "25g", "in kg", "0.025", "re_mass_g", "25")
	wantProblem(t, ie.Problems, "BOM", "F3", true, "0.5 kg", "in grams", "500", "re_mass_kg", "0.5")
	wantProblem(t, ie.Problems, "BOM", "E4", true, "lots")
	for _, p := range ie.Problems {
		if strings.Contains(p.Message, "no re_mass_kg") {
			t.Errorf("a second message for a bad mass: %s", p)
		}
	}
}

// TestLongTextCutWithWarning: any text the report shows, not only a
// description, is cut to what a cell holds with a warning naming the
// input cell, without splitting a character. A CSV field may be longer
// than a workbook cell.
func TestLongTextCutWithWarning(t *testing.T) {
	long := strings.Repeat("x", 32765) + "😀" + strings.Repeat("y", 100)
	dir := t.TempDir()
	for name, body := range map[string]string{
		"products.csv": "product,name,annual_volume\nP1," + long + ",10\n",
		"bom.csv": "product,part_number,description,qty_per,supplier\n" +
			"P1,A," + long + ",1," + long + "\n" +
			"P1,B,short,1," + strings.Repeat("z", 32767) + "\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := readPath(t, dir, Options{Now: readNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range []struct{ sheet, cell string }{{"products", "B2"}, {"bom", "C2"}, {"bom", "E2"}} {
		wantProblem(t, l.Problems, cell.sheet, cell.cell, false, "32,767 a cell holds", "cut")
	}
	if p, ok := findProblem(l.Problems, "bom", "E3", false); ok {
		t.Errorf("a warning for text that fits: %s", p)
	}
	a := lineOf(t, l, "P1", "A")
	for what, s := range map[string]string{"description": a.Description, "supplier": a.Sources[0].Supplier, "product name": l.Input.BOM.Products[0].Name} {
		if n := len(utf16.Encode([]rune(s))); n != 32766 || !strings.HasSuffix(s, strings.Repeat("x", 10)+"…") {
			t.Errorf("%s cut to %d UTF-16 units ending %q, want 32,766 (the emoji, two units, not split) ending in x…", what, n, s[len(s)-12:])
		}
	}
}

// TestFXSetting: the Settings key fx gives rates without an FX sheet, and
// wins over an FX sheet's row, saying so.
func TestFXSetting(t *testing.T) {
	bom := [][]any{{"product", "part_number", "qty_per", "unit_cost", "currency"}, {"P1", "A", 1, 100, "EUR"}}
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(), "BOM": bom,
		"Settings": {{"key", "value"}, {"fx", "EUR=1.08, GBP=1.27"}},
	}, Options{})
	wantDec(t, "unit cost", lineOf(t, l, "P1", "A").Sources[0].UnitCost, "108")

	l = mustRead(t, map[string][][]any{
		"Products": oneProduct(), "BOM": bom,
		"FX":       {{"currency", "rate"}, {"EUR", 1.05}},
		"Settings": {{"key", "value"}, {"fx", "EUR=1.1"}},
	}, Options{})
	wantDec(t, "unit cost", lineOf(t, l, "P1", "A").Sources[0].UnitCost, "110")
	wantProblem(t, l.Problems, "Settings", "B2", false, "EUR rate 1.1", "replaces 1.05 from FX!B2")

	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "BOM", "E2", true, "no FX rate for EUR", "--fx EUR=RATE", "Settings row fx", "FX sheet")

	ie = mustFail(t, map[string][][]any{
		"Products": oneProduct(), "BOM": bom,
		"Settings": {{"key", "value"}, {"fx", "EUR 1.08"}},
	}, Options{})
	wantProblem(t, ie.Problems, "Settings", "B2", true, "CUR=RATE")
}

// TestCompositionErrorsNameCells: a composition over 100 is an error at a
// wt% cell of the row, never at the row alone, with or without a material.
func TestCompositionErrorsNameCells(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "material", "re_mass_kg", "Nd", "Dy", "Fe"},
			{"P1", "A", 1, nil, 1, 80, 30, nil},
			{"P1", "B", 1, "NDFEB_38UH_BULK", 1, nil, nil, 90},
			{"P1", "C", 1, "NDFEB_38UH_BULK", 1, 70, 40, nil},
		},
	}, Options{})
	wantProblem(t, ie.Problems, "BOM", "F2", true, "110")
	wantProblem(t, ie.Problems, "BOM", "H3", true, "Fe")
	wantProblem(t, ie.Problems, "BOM", "F4", true, "rare earths alone")
	for _, p := range ie.Problems {
		if p.Error && p.Sheet == "BOM" && strings.Trim(p.Cell, "0123456789") == "" {
			t.Errorf("a composition error names a row, not a cell: %s", p)
		}
	}
}
