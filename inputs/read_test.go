package inputs

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
	"rexpo/workbook"
)

// Tests of Read: the input workbook of SPEC section 2 and the bad input of
// section 11. Workbooks are built in each test by mustWorkbook, so that a
// test shows its input next to what it expects; cells that need a number
// format are written with the wrapper types below.

// pctCell is a number cell formatted as a percentage: pctCell(0.6) is
// stored 0.6 and shown 60%.
type pctCell float64

// dateCell is a date cell: dateCell("2026-11-10") is stored as its Excel
// serial number and formatted as a date.
type dateCell string

// numText is a number cell written exactly as given ("0.6", "1E-3").
type numText string

// readNow is the as-of time of every test read, so that results do not
// depend on the clock.
var readNow = time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC)

// mustWorkbook writes sheets into an .xlsx file in t.TempDir() and
// returns its path. Rows are written from row 1; a nil cell is left
// empty. Sheets are written in name order.
func mustWorkbook(t *testing.T, sheets map[string][][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		t.Fatal(err)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yyyy
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(sheets))
	for name := range sheets {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				if err != nil {
					t.Fatal(err)
				}
				switch v := v.(type) {
				case pctCell:
					err = f.SetCellFloat(name, cell, float64(v), -1, 64)
					if err == nil {
						err = f.SetCellStyle(name, cell, cell, pct)
					}
				case dateCell:
					d, perr := time.Parse("2006-01-02", string(v))
					if perr != nil {
						t.Fatal(perr)
					}
					serial := d.Sub(time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
					err = f.SetCellInt(name, cell, int64(serial))
					if err == nil {
						err = f.SetCellStyle(name, cell, cell, date)
					}
				case numText:
					err = f.SetCellDefault(name, cell, string(v))
				case string:
					err = f.SetCellStr(name, cell, v)
				default:
					err = f.SetCellValue(name, cell, v)
				}
				if err != nil {
					t.Fatalf("%s!%s: %v", name, cell, err)
				}
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("mustWorkbook: no sheets")
	}
	path := filepath.Join(t.TempDir(), "input.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// readPath opens path and reads it.
func readPath(t *testing.T, path string, opts Options) (*Loaded, error) {
	t.Helper()
	b, err := OpenPath(context.Background(), path, workbook.Limits{})
	if err != nil {
		t.Fatalf("OpenPath(%s): %v", path, err)
	}
	defer b.Close()
	if opts.Now.IsZero() {
		opts.Now = readNow
	}
	return Read(b, opts)
}

// mustRead builds a workbook, reads it and fails on any error.
func mustRead(t *testing.T, sheets map[string][][]any, opts Options) *Loaded {
	t.Helper()
	l, err := readPath(t, mustWorkbook(t, sheets), opts)
	if err != nil {
		t.Fatalf("Read: unexpected error: %v", err)
	}
	return l
}

// mustFail builds a workbook, reads it and returns its *InputError.
func mustFail(t *testing.T, sheets map[string][][]any, opts Options) *InputError {
	t.Helper()
	return wantInputError(t, mustWorkbook(t, sheets), opts)
}

func wantInputError(t *testing.T, path string, opts Options) *InputError {
	t.Helper()
	_, err := readPath(t, path, opts)
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("Read: got %v, want an *InputError", err)
	}
	if !errors.Is(err, ErrInput) {
		t.Errorf("errors.Is(err, ErrInput) = false")
	}
	return ie
}

// findProblem returns the first problem at sheet and cell of the given
// kind.
func findProblem(ps []Problem, sheet, cell string, isErr bool) (Problem, bool) {
	for _, p := range ps {
		if p.Sheet == sheet && p.Cell == cell && p.Error == isErr {
			return p, true
		}
	}
	return Problem{}, false
}

// wantProblem checks that ps holds an error (or warning) at sheet!cell
// whose message holds each of words (case-insensitive).
func wantProblem(t *testing.T, ps []Problem, sheet, cell string, isErr bool, words ...string) Problem {
	t.Helper()
	p, ok := findProblem(ps, sheet, cell, isErr)
	if !ok {
		kind := "warning"
		if isErr {
			kind = "error"
		}
		t.Errorf("no %s at %s!%s; problems:\n%s", kind, sheet, cell, listProblems(ps))
		return p
	}
	for _, w := range words {
		if !strings.Contains(strings.ToLower(p.Message), strings.ToLower(w)) {
			t.Errorf("problem at %s: %q does not mention %q", p.Place(), p.Message, w)
		}
	}
	return p
}

// countErrors counts the errors in ps.
func countErrors(ps []Problem) int {
	n := 0
	for _, p := range ps {
		if p.Error {
			n++
		}
	}
	return n
}

func listProblems(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  sheet=%q cell=%q %s\n", p.Sheet, p.Cell, p)
	}
	if len(ps) == 0 {
		b.WriteString("  (none)\n")
	}
	return b.String()
}

// wantDec compares a decimal with its expected value written as a string.
func wantDec(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	w := decimal.RequireFromString(want)
	if !got.Equal(w) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

// lineOf returns the line of product and part number.
func lineOf(t *testing.T, l *Loaded, product, part string) exposure.Line {
	t.Helper()
	for _, ln := range l.Input.BOM.Lines {
		if ln.Product == product && ln.PartNumber == part {
			return ln
		}
	}
	t.Fatalf("no line %s/%s among %d lines", product, part, len(l.Input.BOM.Lines))
	return exposure.Line{}
}

// indexOf returns the index of the line of product and part number.
func indexOf(t *testing.T, l *Loaded, product, part string) int {
	t.Helper()
	for i, ln := range l.Input.BOM.Lines {
		if ln.Product == product && ln.PartNumber == part {
			return i
		}
	}
	t.Fatalf("no line %s/%s", product, part)
	return -1
}

// massOf returns the kg of element e in a line's content, and whether it
// is there.
func massOf(ln exposure.Line, e string) (decimal.Decimal, bool) {
	for _, m := range ln.Content {
		if m.Element == e {
			return m.Kg, true
		}
	}
	return decimal.Zero, false
}

// oneProduct is a Products sheet with product P1 made 1,000 times a year.
func oneProduct() [][]any {
	return [][]any{{"product", "name", "annual_volume"}, {"P1", "Product one", 1000}}
}

// simpleBOM is a two-line BOM of P1: assembly A with part B below it.
func simpleBOM() [][]any {
	return [][]any{
		{"product", "part_number", "parent", "qty_per", "unit_cost"},
		{"P1", "A", "", 1, 10},
		{"P1", "B", "A", 2, 3},
	}
}

func TestReadMinimal(t *testing.T) {
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM()}, Options{})
	if n := countErrors(l.Problems); n != 0 {
		t.Fatalf("errors in a good input:\n%s", listProblems(l.Problems))
	}
	bom := l.Input.BOM
	if len(bom.Products) != 1 || bom.Products[0].ID != "P1" || bom.Products[0].Name != "Product one" {
		t.Fatalf("products = %+v", bom.Products)
	}
	wantDec(t, "annual volume", bom.Products[0].AnnualVolume, "1000")
	if len(bom.Lines) != 2 {
		t.Fatalf("%d lines, want 2", len(bom.Lines))
	}
	a, b := bom.Lines[0], bom.Lines[1]
	if a.Parent != -1 || b.Parent != 0 {
		t.Errorf("parents = %d, %d; want -1, 0", a.Parent, b.Parent)
	}
	if bom.Ref(0) != "BOM!2" || bom.Ref(1) != "BOM!3" {
		t.Errorf("refs = %q, %q; want BOM!2, BOM!3", bom.Ref(0), bom.Ref(1))
	}
	wantDec(t, "B qty_per", b.QtyPer, "2")
	if len(b.Sources) != 1 {
		t.Fatalf("B sources = %+v", b.Sources)
	}
	wantDec(t, "B unit cost", b.Sources[0].UnitCost, "3")
	wantDec(t, "B share", b.Sources[0].Share, "1")
	if b.Sources[0].Countries != [exposure.NumStages]exposure.Country{} {
		t.Errorf("B countries = %v, want all unknown", b.Sources[0].Countries)
	}
	if len(b.Content) != 0 {
		t.Errorf("B content = %+v, want none", b.Content)
	}
	// Defaults of section 1.
	s := l.Input.Settings
	if s.Currency != "USD" || s.ImportCountry != "US" || s.ControllingCountry != "CN" || s.Horizon != 24 {
		t.Errorf("settings = %+v", s)
	}
	if !s.AsOf.Equal(readNow) || s.Start != (exposure.Month{Year: 2026, Month: time.November}) {
		t.Errorf("as of %v, start %+v; want %v and 2026-11", s.AsOf, s.Start, readNow)
	}
	if len(l.Input.Scenarios) == 0 || !strings.Contains(l.ScenarioSource, "built-in") {
		t.Errorf("scenarios from %q: %d", l.ScenarioSource, len(l.Input.Scenarios))
	}
	if len(l.Input.Prices) == 0 || len(l.Input.Materials) == 0 || len(l.Input.StageShares) == 0 {
		t.Errorf("reference data missing: %d prices, %d materials, %d stage shares",
			len(l.Input.Prices), len(l.Input.Materials), len(l.Input.StageShares))
	}
}

// bomAliasBase is a BOM whose headers the alias test replaces one at a
// time. Line A (row 2) is top level, B (row 3) is below A.
var bomAliasBase = []string{"product", "part_number", "parent", "qty_per", "unit_cost", "supplier",
	"mine_country", "refine_country", "metal_country", "component_country"}

func TestReadColumnAliases(t *testing.T) {
	rows := func(headers []string) [][]any {
		h := make([]any, len(headers))
		for i, s := range headers {
			h[i] = s
		}
		return [][]any{
			h,
			{"P1", "A", "", 1, 10, "Acme", "AU", "MY", "JP", "KR"},
			{"P1", "B", "A", 4, "2.5", "Bolt Co", "", "", "", "VN"},
		}
	}
	check := func(t *testing.T, l *Loaded) {
		t.Helper()
		ls := l.Input.BOM.Lines
		if len(ls) != 2 {
			t.Fatalf("%d lines, want 2", len(ls))
		}
		if ls[0].PartNumber != "A" || ls[1].PartNumber != "B" {
			t.Errorf("part numbers %q, %q", ls[0].PartNumber, ls[1].PartNumber)
		}
		if ls[1].Parent != 0 {
			t.Errorf("B parent = %d, want 0", ls[1].Parent)
		}
		wantDec(t, "B qty", ls[1].QtyPer, "4")
		wantDec(t, "B cost", ls[1].Sources[0].UnitCost, "2.5")
		if ls[0].Sources[0].Supplier != "Acme" {
			t.Errorf("A supplier = %q", ls[0].Sources[0].Supplier)
		}
		if got := exposure.CountryCodes(ls[0].Sources[0].Countries); got != [exposure.NumStages]string{"AU", "MY", "JP", "KR"} {
			t.Errorf("A countries = %v, want [AU MY JP KR]", got)
		}
		if got := exposure.CountryCodes(ls[1].Sources[0].Countries); got != [exposure.NumStages]string{"", "", "", "VN"} {
			t.Errorf("B countries = %v, want [   VN]", got)
		}
	}
	aliases := map[string][]string{
		"part_number":    {"part", "pn", "component", "item", "material_number"},
		"parent":         {"parent_part"},
		"qty_per":        {"quantity", "qty"},
		"unit_cost":      {"unit_price", "price", "cost"},
		"supplier":       {"vendor"},
		"refine_country": {"separation_country"},
		"metal_country":  {"alloy_country"},
		// country_of_origin and coo mean origin_country (TestBOMOriginDefaults).
		"component_country": {"magnet_country"},
		// Spelling: case, spaces, '_', '-', '%' and '()' are ignored.
		"product": {"PRODUCT", " Product "},
	}
	spellings := map[string][]string{
		"part_number":       {"Part Number", "PART-NUMBER", "part number (%)"},
		"qty_per":           {"Qty (per)", "QTY_PER", "Qty-Per"},
		"unit_cost":         {"Unit Cost", "unit-cost", "(Unit) Cost"},
		"component_country": {"Magnet-Country"},
		"refine_country":    {"Separation Country"},
	}
	for col, as := range spellings {
		aliases[col] = append(aliases[col], as...)
	}
	for col, as := range aliases {
		idx := -1
		for i, h := range bomAliasBase {
			if h == col {
				idx = i
			}
		}
		for _, a := range as {
			t.Run(col+"="+a, func(t *testing.T) {
				h := append([]string(nil), bomAliasBase...)
				h[idx] = a
				check(t, mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": rows(h)}, Options{}))
			})
		}
	}
	for _, a := range []string{"level", "bom_level", "BOM Level"} {
		t.Run("parent→"+a, func(t *testing.T) {
			h := append([]string(nil), bomAliasBase...)
			h[2] = a
			r := rows(h)
			r[1][2], r[2][2] = 1, 2
			check(t, mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": r}, Options{}))
		})
	}
	for _, a := range []string{"annual_volume", "volume", "units_per_year", "Units per Year", "Annual Volume"} {
		t.Run("products "+a, func(t *testing.T) {
			l := mustRead(t, map[string][][]any{
				"Products": {{"Product", a}, {"P1", "1,200"}},
				"BOM":      rows(bomAliasBase),
			}, Options{})
			wantDec(t, "annual volume", l.Input.BOM.Products[0].AnnualVolume, "1200")
		})
	}
}

// TestReadUnknownColumnsIgnored: unknown columns are kept and ignored,
// never silently: each gets a warning at its header cell (silent.go).
func TestReadUnknownColumnsIgnored(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": {{"product", "annual_volume", "Owner"}, {"P1", 10, "Jane"}},
		"BOM": {
			{"Notes", "product", "part_number", "parent", "Weight (kg)", "qty_per", "Remarks", "Drawing"},
			{"first", "P1", "A", "", "12,5", 1, "see spec", "DWG-1"},
		},
	}, Options{})
	wantProblem(t, l.Problems, "Products", "C1", false, `"Owner" is not recognised`)
	for _, cell := range []string{"A1", "G1", "H1"} {
		wantProblem(t, l.Problems, "BOM", cell, false, "is not recognised", "--map")
	}
	wantProblem(t, l.Problems, "BOM", "E1", false, `"Weight (kg)" is not recognised`, "re_mass_kg", "--map")
	if ln := lineOf(t, l, "P1", "A"); len(ln.Content) != 0 {
		t.Errorf("content from unknown columns: %+v", ln.Content)
	}
}

func TestReadSheetNamesIgnoreCase(t *testing.T) {
	l := mustRead(t, map[string][][]any{"PRODUCTS": oneProduct(), "bom": simpleBOM()}, Options{})
	if len(l.Input.BOM.Lines) != 2 {
		t.Errorf("%d lines, want 2", len(l.Input.BOM.Lines))
	}
}

func TestReadHeaderBelowTitle(t *testing.T) {
	// Rows 1-3: a title block as exported reports have; the header is
	// on row 5 (row 4 blank), so the first line is BOM!6.
	bom := [][]any{
		{"Bill of materials, product P1"},
		{"Exported", "2026-11-20"},
		{"Plant", "Greenville", "Rev", "C"},
		nil,
		{"product", "part_number", "parent", "qty_per", "unit_cost"},
		{"P1", "A", "", 1, 10},
		{"P1", "B", "A", "x", 3},
	}
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	// The bad quantity is in row 7, column D: row numbers count the
	// title block.
	wantProblem(t, ie.Problems, "BOM", "D7", true)
	if n := countErrors(ie.Problems); n != 1 {
		t.Errorf("%d errors, want 1:\n%s", n, listProblems(ie.Problems))
	}

	bom[6][3] = 2
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	if got := lineOf(t, l, "P1", "B"); got.Row != 7 || got.Parent != 0 {
		t.Errorf("B row %d parent %d, want 7, 0", got.Row, got.Parent)
	}

	// 25 filled title rows push the header out of the first 20 rows: a
	// missing-column error on the sheet, not a guess.
	var far [][]any
	for i := 0; i < 25; i++ {
		far = append(far, []any{fmt.Sprintf("note %d", i+1)})
	}
	far = append(far, simpleBOM()...)
	ie = mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": far}, Options{})
	found := false
	for _, p := range ie.Problems {
		if p.Sheet == "BOM" && p.Error && strings.Contains(p.Message, "part_number") {
			found = true
		}
	}
	if !found {
		t.Errorf("no missing-column error for a header below row 20:\n%s", listProblems(ie.Problems))
	}
}

func TestReadMissingColumn(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "Menge", "unit_cost"},
			{"P1", "A", 1, 10},
		},
	}, Options{})
	// The error is on the header row and lists what it found.
	p := wantProblem(t, ie.Problems, "BOM", "1", true, "qty_per", `"Menge"`, `"part_number"`, `"unit_cost"`)
	_ = p

	ie = mustFail(t, map[string][][]any{
		"Products": {{"product", "name"}, {"P1", "x"}},
		"BOM":      simpleBOM(),
	}, Options{})
	wantProblem(t, ie.Problems, "Products", "1", true, "annual_volume", `"name"`)

	// A header row of one huge cell and 39 others: the message quotes the
	// first 60 characters of each of the first 30, and counts the rest.
	hdr := []any{strings.Repeat("x", 100000)}
	for i := range 39 {
		hdr = append(hdr, fmt.Sprintf("col%d", i))
	}
	ie = mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": {hdr}}, Options{})
	p = wantProblem(t, ie.Problems, "BOM", "1", true, `"`+strings.Repeat("x", 60)+`"…`, "and 10 more")
	if len(p.Message) > 1000 {
		t.Errorf("message of %d bytes, want a short one", len(p.Message))
	}
}

func TestReadMapping(t *testing.T) {
	bom := [][]any{
		{"Produkt", "Teil-Nr.", "Übergeordnet", "Menge", "Preis (EUR)", "Lieferant"},
		{"P1", "A", "", 1, 10, "Acme"},
		{"P1", "B", "A", 2, 3, "Bolt"},
	}
	opts := Options{Mapping: map[string]string{
		"product": "Produkt", "part_number": "Teil-Nr.", "parent": "Übergeordnet",
		"qty_per": "Menge", "unit_cost": "Preis (EUR)", "supplier": "Lieferant",
	}}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, opts)
	b := lineOf(t, l, "P1", "B")
	if b.Parent != 0 || b.Sources[0].Supplier != "Bolt" {
		t.Errorf("B = %+v", b)
	}
	wantDec(t, "B qty", b.QtyPer, "2")
	wantDec(t, "B cost", b.Sources[0].UnitCost, "3")

	// A mapping from a column we do not have is an error of the flag.
	opts.Mapping["part_no"] = "Teil-Nr."
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, opts)
	wantProblem(t, ie.Problems, "", "--map", true, "part_no")
}

func TestReadSAPExport(t *testing.T) {
	// A CS11 multi-level explosion as exported to Excel: a title block,
	// dotted levels, SAP's own headers. Tree:
	//   .1 MOT          (line 0, top)
	//   ..2 ROT         (line 1, parent MOT)
	//   ...3 MAG        (line 2, parent ROT)
	//   ..2 STA         (line 3, parent MOT)
	//   .1 INV          (line 4, top)
	//   ..2 CAP         (line 5, parent INV)
	bom := [][]any{
		{"Display Material BOM Level by Level"},
		{"Material", "EDU-150", "Plant", "1000", "Usage", "1"},
		nil,
		{"Explosion level", "Component number", "Object description", "Comp. Qty (CUn)", "Component unit"},
		{".1", "MOT", "Traction motor", 1, "PC"},
		{"..2", "ROT", "Rotor", 1, "PC"},
		{"...3", "MAG", "Magnet set", "2", "ST"},
		{"..2", "STA", "Stator", 1, "PC"},
		{".1", "INV", "Inverter", 1, "PC"},
		{"..2", "CAP", "DC-link capacitor", "3", "PC"},
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantParents := map[string]int32{"MOT": -1, "ROT": 0, "MAG": 1, "STA": 0, "INV": -1, "CAP": 4}
	for i, ln := range l.Input.BOM.Lines {
		if ln.Product != "P1" {
			t.Errorf("line %d product %q, want P1 (the only product)", i, ln.Product)
		}
		if want, ok := wantParents[ln.PartNumber]; !ok || ln.Parent != want {
			t.Errorf("%s parent = %d, want %d", ln.PartNumber, ln.Parent, want)
		}
	}
	mag := lineOf(t, l, "P1", "MAG")
	wantDec(t, "MAG qty", mag.QtyPer, "2")
	if mag.Description != "Magnet set" || mag.UOM != "ST" {
		t.Errorf("MAG description %q uom %q", mag.Description, mag.UOM)
	}

	// A level that skips one (1 then 3) has no parent: an error at its
	// level cell.
	bom[6][0] = "....4"
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "BOM", "A7", true, "level")
}

func TestReadSAPExportWithItemColumn(t *testing.T) {
	// CS11 lists the BOM item number (0010, 0020, ...) in a column called
	// "Item" before "Component number". `item` is one of our aliases of
	// part_number, but here the part number is the component number.
	bom := [][]any{
		{"Explosion level", "Item", "Component number", "Object description", "Comp. Qty (CUn)", "Component unit"},
		{".1", "0010", "MOT", "Traction motor", 1, "PC"},
		{"..2", "0010", "ROT", "Rotor", 1, "PC"},
		{"..2", "0020", "STA", "Stator", 1, "PC"},
	}
	l, err := readPath(t, mustWorkbook(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}), Options{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	var got []string
	for _, ln := range l.Input.BOM.Lines {
		got = append(got, ln.PartNumber)
	}
	if strings.Join(got, ",") != "MOT,ROT,STA" {
		t.Errorf("with SAP's Item column before Component number, part numbers are %v (the item numbers), want MOT, ROT, STA", got)
	}
}

func TestReadAgileExport(t *testing.T) {
	// Agile: Level 0 is the top item here; Find Num is ignored.
	bom := [][]any{
		{"Level", "Item Number", "Item Description", "Qty", "Find Num", "Rev"},
		{0, "100-001", "Drive unit", 1, nil, "B"},
		{1, "200-010", "Motor", 1, 10, "A"},
		{2, "300-100", "Magnet", 8, 10, "C"},
		{1, "200-020", "Inverter", 1, 20, "A"},
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	want := map[string]int32{"100-001": -1, "200-010": 0, "300-100": 1, "200-020": 0}
	if len(l.Input.BOM.Lines) != 4 {
		t.Fatalf("%d lines, want 4", len(l.Input.BOM.Lines))
	}
	for _, ln := range l.Input.BOM.Lines {
		if ln.Parent != want[ln.PartNumber] {
			t.Errorf("%s parent %d, want %d", ln.PartNumber, ln.Parent, want[ln.PartNumber])
		}
	}
	mag := lineOf(t, l, "P1", "300-100")
	wantDec(t, "magnet qty", mag.QtyPer, "8")
	if mag.Description != "Magnet" {
		t.Errorf("description %q", mag.Description)
	}
}

func TestReadValuesInCells(t *testing.T) {
	bom := [][]any{
		{"product", "part_number", "parent", "qty_per", "unit_cost", "currency"},
		{"P1", "A", "", "1,500", "1,234.50", nil},
		{"P1", "B", "A", "2", "$12.50", ""},
		{"P1", "C", "A", numText("0.25"), numText("1E-1"), "usd"},
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantDec(t, "A qty 1,500", lineOf(t, l, "P1", "A").QtyPer, "1500")
	wantDec(t, "A cost 1,234.50", lineOf(t, l, "P1", "A").Sources[0].UnitCost, "1234.50")
	wantDec(t, "B cost $12.50", lineOf(t, l, "P1", "B").Sources[0].UnitCost, "12.50")
	wantDec(t, "C qty 0.25", lineOf(t, l, "P1", "C").QtyPer, "0.25")
	wantDec(t, "C cost 1E-1", lineOf(t, l, "P1", "C").Sources[0].UnitCost, "0.1")
}

func TestReadBadValues(t *testing.T) {
	// Columns: A product, B part_number, C parent, D qty_per, E unit_cost.
	cases := []struct {
		name       string
		qty, cost  any
		cell       string
		words      []string
		wantErrors int
	}{
		{"ambiguous comma", "1,5", 10, "D3", []string{"1,5"}, 1},
		{"ambiguous european", 1, "1.234,5", "E3", []string{"1.234,5"}, 1},
		{"comma group of four", 1, "1234,567", "E3", nil, 1},
		{"percent in qty", "5%", 10, "D3", []string{"%"}, 1},
		{"percent in cost", 1, "12%", "E3", []string{"%"}, 1},
		{"percent-formatted cost", 1, pctCell(0.12), "E3", []string{"percent"}, 1},
		{"negative qty", -2, 10, "D3", nil, 1},
		{"negative cost", 1, "-3", "E3", nil, 1},
		{"words in qty", "two", 10, "D3", []string{"two"}, 1},
		{"empty qty", nil, 10, "D3", nil, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bom := simpleBOM()
			bom[2][3], bom[2][4] = tc.qty, tc.cost
			ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
			wantProblem(t, ie.Problems, "BOM", tc.cell, true, tc.words...)
			if n := countErrors(ie.Problems); n != tc.wantErrors {
				t.Errorf("%d errors, want %d:\n%s", n, tc.wantErrors, listProblems(ie.Problems))
			}
		})
	}
}

func TestReadCountries(t *testing.T) {
	names := []struct{ text, want string }{
		{"China", "CN"}, {"PRC", "CN"}, {"Mainland China", "CN"}, {"chn", "CN"}, {"cn", "CN"},
		{"USA", "US"}, {"United States", "US"}, {"South Korea", "KR"}, {"Korea, Republic of", "KR"},
		{"Viet Nam", "VN"}, {"Germany", "DE"}, {"DEU", "DE"}, {"Japan", "JP"}, {"", ""}, {"unknown", ""},
	}
	bom := [][]any{{"product", "part_number", "qty_per", "component_country"}}
	for i, n := range names {
		bom = append(bom, []any{"P1", fmt.Sprintf("X%02d", i), 1, n.text})
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	for i, n := range names {
		ln := lineOf(t, l, "P1", fmt.Sprintf("X%02d", i))
		if got := ln.Sources[0].Countries[exposure.StageComponent].String(); got != n.want {
			t.Errorf("%q → %q, want %q", n.text, got, n.want)
		}
	}

	// An unknown name is an error at its cell that suggests the nearest.
	bom = [][]any{
		{"product", "part_number", "qty_per", "mine_country", "component_country"},
		{"P1", "A", 1, "Chinaa", "Narnia"},
	}
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "BOM", "D2", true, "Chinaa", "did you mean", "CN")
	wantProblem(t, ie.Problems, "BOM", "E2", true, "Narnia")
}

func TestReadFX(t *testing.T) {
	bom := [][]any{
		{"product", "part_number", "parent", "qty_per", "unit_cost", "currency"},
		{"P1", "A", "", 1, 100, "EUR"},   // 100 × 1.08 = 108
		{"P1", "B", "A", 1, 950, "JPY"},  // 950 × 0.0067 = 6.365
		{"P1", "C", "A", 1, 12.5, "USD"}, // the report currency: 12.5
		{"P1", "D", "A", 1, 7, nil},      // empty: the report currency
	}
	fx := [][]any{{"currency", "rate"}, {"EUR", 1.08}, {"jpy", "0.0067"}}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "FX": fx}, Options{})
	for part, want := range map[string]string{"A": "108", "B": "6.365", "C": "12.5", "D": "7"} {
		wantDec(t, part+" cost", lineOf(t, l, "P1", part).Sources[0].UnitCost, want)
	}

	// A currency without a rate is an error at its currency cell.
	bom[3][5] = "GBP"
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "FX": fx}, Options{})
	wantProblem(t, ie.Problems, "BOM", "F4", true, "GBP")
	if n := countErrors(ie.Problems); n != 1 {
		t.Errorf("%d errors, want 1:\n%s", n, listProblems(ie.Problems))
	}

	// Several cells in the same unknown currency: one error, at the
	// first, since one FX row mends them all.
	bom[2][5], bom[4][5] = "GBP", "GBP"
	ie = mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "FX": fx}, Options{})
	wantProblem(t, ie.Problems, "BOM", "F3", true, "GBP")
	if _, ok := findProblem(ie.Problems, "BOM", "F5", true); ok {
		t.Errorf("the second GBP cell is listed too:\n%s", listProblems(ie.Problems))
	}

	// Bad rates.
	ie = mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM(),
		"FX": {{"currency", "rate"}, {"EUR", 0}, {"GBP", "1,5"}, {"USD", 2}}}, Options{})
	wantProblem(t, ie.Problems, "FX", "B2", true)
	wantProblem(t, ie.Problems, "FX", "B3", true, "1,5")
	wantProblem(t, ie.Problems, "FX", "B4", true, "USD")
}

func TestReadReportCurrencyEUR(t *testing.T) {
	// Report in EUR: USD costs and the USD element prices need a USD rate.
	bom := [][]any{
		{"product", "part_number", "qty_per", "unit_cost", "currency"},
		{"P1", "A", 1, 100, "USD"}, // 100 × 0.9 = 90 EUR
		{"P1", "B", 1, 40, ""},     // already EUR
	}
	settings := [][]any{{"key", "value"}, {"currency", "EUR"}}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "Settings": settings,
		"FX": {{"currency", "rate"}, {"USD", "0.9"}}}, Options{})
	if l.Input.Settings.Currency != "EUR" {
		t.Fatalf("currency %q", l.Input.Settings.Currency)
	}
	wantDec(t, "A cost", lineOf(t, l, "P1", "A").Sources[0].UnitCost, "90")
	wantDec(t, "B cost", lineOf(t, l, "P1", "B").Sources[0].UnitCost, "40")
	nd := l.Input.Prices["Nd"]
	if nd.USDChina.IsZero() {
		t.Fatal("no Nd price")
	}
	// The report-currency price is the USD one × 0.9; the USD one stays.
	wantDec(t, "Nd China EUR", nd.China, nd.USDChina.Mul(decimal.RequireFromString("0.9")).String())
	wantDec(t, "Nd ex-China EUR", nd.ExChina, nd.USDExChina.Mul(decimal.RequireFromString("0.9")).String())

	// Without a USD rate the prices cannot be converted.
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM(), "Settings": settings}, Options{})
	found := false
	for _, p := range ie.Problems {
		if p.Error && strings.Contains(p.Message, "USD") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error about the missing USD rate:\n%s", listProblems(ie.Problems))
	}
}

func TestReadEveryProblemListed(t *testing.T) {
	bom := [][]any{
		{"product", "part_number", "parent", "qty_per", "unit_cost", "component_country"},
		{"P1", "A", "", "1,5", 10, "CN"},  // D2
		{"P1", "B", "A", 1, "abc", "CN"},  // E3
		{"P1", "C", "A", -1, 10, "Chna"},  // D4 and F4
		{"P9", "D", "", 1, 10, "CN"},      // A5: no such product
		{"P1", "", "A", 1, 10, "CN"},      // B6: empty part number
		{"P1", "E", "ZZ", 1, 10, "Japan"}, // C7: no such parent
	}
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	for _, cell := range []string{"D2", "E3", "D4", "F4", "A5", "B6", "C7"} {
		wantProblem(t, ie.Problems, "BOM", cell, true)
	}
	if n := countErrors(ie.Problems); n != 7 {
		t.Errorf("%d errors, want 7:\n%s", n, listProblems(ie.Problems))
	}
	// The error message lists them all.
	msg := ie.Error()
	for _, place := range []string{"BOM!D2", "BOM!E3", "BOM!F4", "BOM!C7"} {
		if !strings.Contains(msg, place) {
			t.Errorf("Error() does not name %s:\n%s", place, msg)
		}
	}
}

func TestReadProblemsCapped(t *testing.T) {
	// 250 lines with a bad quantity each: 200 problems are listed, then
	// one line says that more were left out.
	bom := [][]any{{"product", "part_number", "qty_per", "parent"}}
	for i := 0; i < 250; i++ {
		bom = append(bom, []any{"P1", fmt.Sprintf("X%03d", i), "1,5", ""})
	}
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	if len(ie.Problems) != MaxProblems+1 {
		t.Fatalf("%d problems listed, want %d + 1 summary line", len(ie.Problems), MaxProblems)
	}
	for i, p := range ie.Problems[:MaxProblems] {
		if want := fmt.Sprintf("C%d", i+2); p.Sheet != "BOM" || p.Cell != want {
			t.Fatalf("problem %d at %s, want BOM!%s", i, p.Place(), want)
		}
	}
	last := ie.Problems[MaxProblems]
	if !strings.Contains(last.Message, "more") {
		t.Errorf("last line %q does not say more problems were left out", last.Message)
	}
}

// TestReadWarningsNeverStopTheRead reads a BOM whose 250 lines each get
// a warning (a material but no mass) and whose last line has an error:
// every line is read, the error is listed although the warnings filled
// the list first, and one line counts the problems left out.
func TestReadWarningsNeverStopTheRead(t *testing.T) {
	bom := [][]any{{"product", "part_number", "qty_per", "material"}}
	for i := 0; i < 250; i++ {
		bom = append(bom, []any{"P1", fmt.Sprintf("M%03d", i), 1, "NDFEB_N42"})
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	if n := len(l.Input.BOM.Lines); n != 250 {
		t.Fatalf("%d lines read, want all 250", n)
	}
	// 250 warnings + the one about no parent column: 51 left out, and one
	// more for each warning on the figures, which outrank them.
	more := fmt.Sprintf("%d more", 51+len(l.Problems)-1-len(withoutFigures(l.Problems[:len(l.Problems)-1])))
	if last := l.Problems[len(l.Problems)-1]; len(l.Problems) != MaxProblems+1 || !strings.Contains(last.Message, more) {
		t.Errorf("%d problems, last %q; want %d and %q", len(l.Problems), last.Message, MaxProblems+1, more)
	}

	bom = append(bom, []any{"P1", "BAD", "1,5", ""}) // row 252: an ambiguous quantity
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "BOM", "C252", true, "1,5")
	if len(ie.Problems) != MaxProblems+1 {
		t.Errorf("%d problems listed, want %d + 1 summary line", len(ie.Problems), MaxProblems)
	}
}

func TestReadMissingSheets(t *testing.T) {
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "Parts": simpleBOM()}, Options{})
	found := false
	for _, p := range ie.Problems {
		if p.Error && strings.Contains(p.Message, "BOM") && strings.Contains(p.Message, "Parts") {
			found = true // names the missing sheet and the sheets found
		}
	}
	if !found {
		t.Errorf("no error naming the missing BOM sheet and the sheets found:\n%s", listProblems(ie.Problems))
	}

	ie = mustFail(t, map[string][][]any{"BOM": simpleBOM(), "Notes": {{"x"}}}, Options{})
	found = false
	for _, p := range ie.Problems {
		if p.Error && strings.Contains(p.Message, "Products") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error naming the missing Products sheet:\n%s", listProblems(ie.Problems))
	}

	// An empty BOM sheet.
	ie = mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": {{nil}}}, Options{})
	if countErrors(ie.Problems) == 0 {
		t.Error("no error for an empty BOM sheet")
	}
	// A BOM with a header and no lines.
	ie = mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM()[:1]}, Options{})
	wantProblem(t, ie.Problems, "BOM", "", true, "no lines")
}

func TestReadBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := os.ReadFile(mustWorkbook(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM()}))
	if err != nil {
		t.Fatal(err)
	}
	zipNoWorkbook := func() []byte {
		var b strings.Builder
		zw := zip.NewWriter(&b)
		w, _ := zw.Create("hello.txt")
		w.Write([]byte("hello"))
		zw.Close()
		return []byte(b.String())
	}()
	cases := []struct {
		name string
		path string
		want error
	}{
		{"text named xlsx", write("text.xlsx", []byte("product,part_number\nP1,A\n")), workbook.ErrNotWorkbook},
		{"empty xlsx", write("empty.xlsx", nil), workbook.ErrNotWorkbook},
		{"text with unknown extension", write("bom.txt", []byte("hello")), workbook.ErrNotWorkbook},
		{"zip without a workbook", write("other.xlsx", zipNoWorkbook), workbook.ErrNotWorkbook},
		{"xls or encrypted", write("old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)), workbook.ErrEncrypted},
		{"truncated workbook", write("cut.xlsx", good[:len(good)/2]), workbook.ErrDamaged},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := OpenPath(context.Background(), tc.path, workbook.Limits{})
			if err == nil {
				_, err = Read(b, Options{Now: readNow})
				b.Close()
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), filepath.Base(tc.path)) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	if _, err := OpenPath(context.Background(), filepath.Join(dir, "missing.xlsx"), workbook.Limits{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadDamagedNeverPanics(t *testing.T) {
	// Every cut of a good workbook ends in an error (or, if the cut
	// happens to leave a readable file, a result): never a panic.
	good, err := os.ReadFile(mustWorkbook(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM(),
		"Sourcing": {{"part_number", "share_pct"}, {"B", 100}}}))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for n := 0; n < len(good); n += max(1, len(good)/97) {
		data := append([]byte(nil), good...)
		data = data[:n]
		p := filepath.Join(dir, fmt.Sprintf("cut%d.xlsx", n))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("cut at %d bytes: panic %v", n, r)
				}
			}()
			b, err := OpenPath(context.Background(), p, workbook.Limits{})
			if err != nil {
				return
			}
			defer b.Close()
			Read(b, Options{Now: readNow})
		}()
	}
	// Flipped bytes in the middle of the file.
	for i := 100; i < len(good); i += max(1, len(good)/53) {
		data := append([]byte(nil), good...)
		data[i] ^= 0x5A
		p := filepath.Join(dir, fmt.Sprintf("flip%d.xlsx", i))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("byte %d flipped: panic %v", i, r)
				}
			}()
			b, err := OpenPath(context.Background(), p, workbook.Limits{})
			if err != nil {
				return
			}
			defer b.Close()
			Read(b, Options{Now: readNow})
		}()
	}
}

func TestReadCSVFolder(t *testing.T) {
	// testdata/read/csv-folder: products.csv, bom.csv (parents in any
	// order, one EUR cost), fx.csv, sourcing.csv.
	l, err := readPath(t, filepath.Join("testdata", "read", "csv-folder"), Options{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(l.Input.BOM.Products) != 2 {
		t.Fatalf("products %+v", l.Input.BOM.Products)
	}
	// bom.csv lists children before their parents: MAG (row 2) is below
	// ROT (row 3), which is below MOT (row 5), whose parent is the
	// product id, i.e. top level.
	mot, rot := indexOf(t, l, "EDU", "MOT"), indexOf(t, l, "EDU", "ROT")
	if got := int(lineOf(t, l, "EDU", "MAG").Parent); got != rot {
		t.Errorf("MAG parent %d, want %d (ROT)", got, rot)
	}
	if got := int(lineOf(t, l, "EDU", "ROT").Parent); got != mot {
		t.Errorf("ROT parent %d, want %d (MOT)", got, mot)
	}
	if got := lineOf(t, l, "EDU", "MOT").Parent; got != -1 {
		t.Errorf("MOT parent %d, want -1", got)
	}
	if got := int(lineOf(t, l, "WTG", "MAG").Parent); got != indexOf(t, l, "WTG", "GEN") {
		t.Errorf("WTG MAG parent %d, want WTG GEN", got)
	}
	// LAM: 35 EUR × 1.08 = 37.80 USD.
	wantDec(t, "LAM cost", lineOf(t, l, "EDU", "LAM").Sources[0].UnitCost, "37.80")
	// MAG: sourcing 60/40; the second source costs 20500 JPY × 0.0067 = 137.35.
	mag := lineOf(t, l, "EDU", "MAG")
	if len(mag.Sources) != 2 {
		t.Fatalf("MAG sources %+v", mag.Sources)
	}
	wantDec(t, "MAG share 1", mag.Sources[0].Share, "0.6")
	wantDec(t, "MAG cost 1 (the BOM's)", mag.Sources[0].UnitCost, "105")
	wantDec(t, "MAG cost 2", mag.Sources[1].UnitCost, "137.35")
	// MAG: 1 kg of NDFEB_N42 → Nd 23.5% = 0.235 kg.
	if kg, ok := massOf(mag, "Nd"); !ok || !kg.Equal(decimal.RequireFromString("0.235")) {
		t.Errorf("MAG Nd = %s, want 0.235", kg)
	}
}

func TestReadLoneCSV(t *testing.T) {
	// A .csv file is the BOM alone: products come from its product column,
	// each with volume 1 (and a warning) unless --volume says otherwise.
	p := filepath.Join(t.TempDir(), "bom.csv")
	csv := "product,part_number,parent,qty_per,unit_cost\nP1,A,,1,10\nP1,B,A,2,3\nP2,C,,1,5\n"
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := readPath(t, p, Options{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	ps := l.Input.BOM.Products
	if len(ps) != 2 || ps[0].ID != "P1" || ps[1].ID != "P2" {
		t.Fatalf("products %+v", ps)
	}
	wantDec(t, "P1 volume", ps[0].AnnualVolume, "1")
	warned := false
	for _, pr := range l.Problems {
		if !pr.Error && strings.Contains(pr.Message, "volume") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning about the assumed volume:\n%s", listProblems(l.Problems))
	}
	if got := lineOf(t, l, "P1", "B").Parent; got != 0 {
		t.Errorf("B parent %d", got)
	}

	l, err = readPath(t, p, Options{Settings: map[string]string{"volume": "5,000"}})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	wantDec(t, "P2 volume", l.Input.BOM.Products[1].AnnualVolume, "5000")
	for _, pr := range l.Problems {
		if strings.Contains(pr.Message, "volume") {
			t.Errorf("warning despite --volume: %s", pr)
		}
	}

	// A lone CSV without a product column is one product.
	csv = "Level,Item Number,Qty\n1,MOT,1\n2,ROT,1\n"
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err = readPath(t, p, Options{Settings: map[string]string{"volume": "10"}})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(l.Input.BOM.Products) != 1 || len(l.Input.BOM.Lines) != 2 || l.Input.BOM.Lines[1].Parent != 0 {
		t.Errorf("products %+v lines %+v", l.Input.BOM.Products, l.Input.BOM.Lines)
	}
}

func TestReadSample(t *testing.T) {
	b, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	l, err := Read(b, Options{Now: readNow})
	if err != nil {
		t.Fatalf("the embedded sample has errors: %v", err)
	}
	if len(l.Input.BOM.Products) < 2 || len(l.Input.BOM.Lines) < 20 {
		t.Errorf("%d products, %d lines", len(l.Input.BOM.Products), len(l.Input.BOM.Lines))
	}
	for _, p := range l.Input.BOM.Products {
		if p.AnnualVolume.Sign() <= 0 {
			t.Errorf("product %s volume %s", p.ID, p.AnnualVolume)
		}
	}
	withContent := 0
	for _, ln := range l.Input.BOM.Lines {
		if len(ln.Content) > 0 {
			withContent++
		}
		total := decimal.Zero
		for _, s := range ln.Sources {
			total = total.Add(s.Share)
		}
		if !total.Equal(decimal.NewFromInt(1)) {
			t.Errorf("row %d %s: shares add up to %s", ln.Row, ln.PartNumber, total)
		}
	}
	if withContent == 0 {
		t.Error("no line of the sample carries rare earths")
	}
	for _, p := range l.Problems {
		t.Logf("sample: %s", p)
	}
}

// TestReadSemicolonCSV checks the numbers of a CSV separated by ';', as
// Excel writes it where ',' marks decimals: "0.5" is read, but a comma in
// a number is refused with the reason, since "1,500" there is as likely
// 1.5 as 1500. The same text in a comma-separated file is 1500.
func TestReadSemicolonCSV(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "in")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("products.csv", "product;annual_volume\nP1;1000\n")
	write("bom.csv", "product;part_number;parent;qty_per;unit_cost;material;re_mass_kg;Dy\n"+
		"P1;MOT;;1;50;;;\n"+
		"P1;MAG;MOT;2;1,500;NDFEB_N42;0.5;\n"+ // row 3: E3 refused
		"P1;SEG;MOT;0.5;12.5;NDFEB_N42;0.25;1,5\n") // row 4: qty 0.5 read; H4 refused
	write("settings.csv", "key;value\nvolume;2,000\n")
	b, err := OpenPath(context.Background(), dir, workbook.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = Read(b, Options{})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("Read: %v, want the refused commas listed", err)
	}
	wantProblem(t, ie.Problems, "bom", "E3", true, "1,500", "';'")
	wantProblem(t, ie.Problems, "bom", "H4", true, "1,5", "';'")
	wantProblem(t, ie.Problems, "settings", "B2", true, "2,000", "';'")
	if ps := withoutFigures(ie.Problems); len(ps) != 3 {
		t.Errorf("%d problems, want 3:\n%s", len(ps), listProblems(ps))
	}

	// The same BOM separated by commas: "1,500" is fifteen hundred.
	write("bom.csv", "product,part_number,parent,qty_per,unit_cost\nP1,MOT,,1,50\nP1,MAG,MOT,2,\"1,500\"\n")
	write("settings.csv", "key,value\nvolume,\"2,000\"\n")
	l, err := readPath(t, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantDec(t, "MAG unit cost", lineOf(t, l, "P1", "MAG").Sources[0].UnitCost, "1500")
}

// TestReadDecimalComma reads a ';'-separated CSV folder written with
// decimal commas, as German Excel saves one, with Options.DecimalComma.
func TestReadDecimalComma(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "in")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("products.csv", "product;annual_volume\nP1;1.500\n") // fifteen hundred
	write("bom.csv", "product;part_number;parent;qty_per;unit_cost;material;re_mass_kg;Dy\n"+
		"P1;MOT;;1;1.234,50;;;\n"+
		"P1;MAG;MOT;0,5;85,40;NDFEB_N42;0,125;0,25\n")
	write("scenarios.csv", "scenario;name;stance;probability;spot_premium_pct\nS;Shock;tightening;0,25;30,5 (20..60)\nT;Calm;status-quo;0,75;0\n")
	l, err := readPath(t, dir, Options{DecimalComma: true})
	if err != nil {
		t.Fatal(err)
	}
	wantDec(t, "P1 volume", l.Input.BOM.Products[0].AnnualVolume, "1500")
	wantDec(t, "MOT unit cost", lineOf(t, l, "P1", "MOT").Sources[0].UnitCost, "1234.5")
	mag := lineOf(t, l, "P1", "MAG")
	wantDec(t, "MAG qty", mag.QtyPer, "0.5")
	wantDec(t, "MAG unit cost", mag.Sources[0].UnitCost, "85.4")
	// Dy: 0.125 kg × 0.25 wt% (in place of N42's 0.5) = 0.0003125 kg.
	dy := decimal.Zero
	for _, c := range mag.Content {
		if c.Element == "Dy" {
			dy = c.Kg
		}
	}
	wantDec(t, "MAG Dy kg", dy, "0.0003125")
	s := l.Input.Scenarios[0]
	wantDec(t, "S prior", s.Prior, "0.25")
	wantParam(t, "S spot premium", s.SpotPremium, "30.5", "20", "60")

	// Numeric cells of a workbook are numbers: the option leaves them be,
	// and reads a text cell "2,5" as 2.5.
	wb := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": {
		{"product", "part_number", "qty_per", "unit_cost"},
		{"P1", "A", 1.5, "2,5"},
	}}, Options{DecimalComma: true})
	a := lineOf(t, wb, "P1", "A")
	wantDec(t, "A qty (a number cell)", a.QtyPer, "1.5")
	wantDec(t, "A unit cost (a text cell)", a.Sources[0].UnitCost, "2.5")
}

func TestSwapDecimalMarks(t *testing.T) {
	for in, want := range map[string]string{
		"1.234,5":        "1,234.5",
		"0,125":          "0.125",
		"1.500":          "1,500",
		"30,5 (20..60)":  "30.5 (20..60)",
		"5 (1,5...9,5)":  "5 (1.5...9.5)",
		"€ 1.234.567,89": "€ 1,234,567.89",
	} {
		if got := swapDecimalMarks(in); got != want {
			t.Errorf("swapDecimalMarks(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReadLongCellInMessage checks that a message quoting a huge cell
// stays short: a product id of 30,000 characters that Products lacks.
func TestReadLongCellInMessage(t *testing.T) {
	long := strings.Repeat("é", 30000)
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": {
		{"product", "part_number", "qty_per"},
		{long, "A", 1},
	}}, Options{})
	p := wantProblem(t, ie.Problems, "BOM", "A2", true, "is not on the Products sheet", `"`+strings.Repeat("é", 60)+`"…`)
	if len(p.Message) > maxMessage {
		t.Errorf("message of %d bytes, want at most %d", len(p.Message), maxMessage)
	}
}

func TestCutMessage(t *testing.T) {
	short := `part "A" is fine`
	if got := cutMessage(short); got != short {
		t.Errorf("a short message changed: %q", got)
	}
	// No quotes to shorten: cut at a character boundary, marked.
	got := cutMessage(strings.Repeat("ü", 800))
	if !utf8.ValidString(got) || !strings.HasSuffix(got, "…") || len(got) > maxMessage+len("…") {
		t.Errorf("cut message of %d bytes, valid %v: %q…", len(got), utf8.ValidString(got), got[:20])
	}
}
