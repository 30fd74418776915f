package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// writeFixture writes the fixture's workbook and reopens it.
func writeFixture(t *testing.T, fx *fixture) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := writeWorkbook(&buf, fx.r, fx.m, fx.parts); err != nil {
		t.Fatalf("writeWorkbook: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

// zipFiles returns the workbook's parts by name.
func zipFiles(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// sheetXML returns the worksheet part of the named sheet, found through
// the workbook and its relationships as a reader would.
func sheetXML(t *testing.T, files map[string][]byte, sheet string) string {
	t.Helper()
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(files["xl/workbook.xml"], &wb); err != nil {
		t.Fatal(err)
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(files["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		t.Fatal(err)
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				p := strings.TrimPrefix(r.Target, "/")
				if !strings.HasPrefix(p, "xl/") {
					p = path.Join("xl", p)
				}
				return string(files[p])
			}
		}
	}
	t.Fatalf("no sheet %q in the workbook", sheet)
	return ""
}

func cellValue(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return v
}

// findCell returns the first cell of sheet whose raw value is v.
func findCell(t *testing.T, f *excelize.File, sheet, v string) string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, x := range row {
			if x == v {
				return cellName(c+1, r+1)
			}
		}
	}
	t.Fatalf("%s: no cell holds %q", sheet, v)
	return ""
}

// wantNumber checks that a cell is numeric and holds want.
func wantNumber(t *testing.T, f *excelize.File, sheet, cell string, want float64) {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: cell type %v, want a number", sheet, cell, typ)
	}
	raw := cellValue(t, f, sheet, cell)
	got, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Errorf("%s!%s = %q, want a number", sheet, cell, raw)
		return
	}
	if got != want {
		t.Errorf("%s!%s = %v, want %v", sheet, cell, got, want)
	}
}

func numFmtOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

func TestWorkbookSheetsInOrder(t *testing.T) {
	f, _ := writeFixture(t, newFixture())
	want := []string{"Summary", "Scenarios", "Projection", "Parts", "Elements", "Countries", "Recommendations", "Assumptions", "Warnings"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets = %v, want %v", got, want)
	}
	if idx := f.GetActiveSheetIndex(); idx != 0 {
		t.Errorf("active sheet %d, want 0 (Summary)", idx)
	}
}

func TestWorkbookHeaders(t *testing.T) {
	f, _ := writeFixture(t, newFixture())
	for _, tc := range []struct{ sheet, cell, want string }{
		{"Scenarios", "A1", "ID"},
		{"Scenarios", "B1", "Scenario"},
		{"Scenarios", "G1", "Probability (%)"},
		{"Scenarios", "H1", "Annual change (USD)"},
		{"Scenarios", "I1", "Annual change, P10 (USD)"},
		{"Scenarios", "K1", "Annual change, P90 (USD)"},
		{"Scenarios", "L1", "Change over 12 months (USD)"},
		{"Projection", "A1", "Month"},
		{"Projection", "B1", "Status quo after the November 2025 suspension (USD a month)"},
		{"Projection", "D1", "Expected (probability-weighted) (USD a month)"},
		{"Parts", "A1", "Product"},
		{"Parts", "I1", "Unit cost (USD)"},
		{"Parts", "J1", "Rare-earth material value (USD per unit of the part)"},
		{"Parts", "L1", "Nd (g/unit)"},
		{"Parts", "M1", "Dy (g/unit)"},
		{"Parts", "N1", "Direct (%)"},
		{"Parts", "Q1", "Status quo after the November 2025 suspension: annual change (USD)"},
		{"Parts", "S1", "Expected annual change (USD)"},
		{"Elements", "C1", "Mass (kg/yr)"},
		{"Countries", "D1", "Share (%)"},
		{"Countries", "E1", "Mass (kg/yr)"},
		{"Warnings", "A1", "Severity"},
	} {
		if got := cellValue(t, f, tc.sheet, tc.cell); got != tc.want {
			t.Errorf("%s!%s = %q, want %q", tc.sheet, tc.cell, got, tc.want)
		}
	}
}

func TestWorkbookFiguresAreNumbers(t *testing.T) {
	f, _ := writeFixture(t, newFixture())
	wantNumber(t, f, "Scenarios", "H2", 1200)
	wantNumber(t, f, "Scenarios", "H3", 12000.5)
	wantNumber(t, f, "Scenarios", "G2", 0.6)
	wantNumber(t, f, "Scenarios", "E2", 0.5) // spot premium 50% as a fraction
	wantNumber(t, f, "Scenarios", "H5", 5520.2)
	wantNumber(t, f, "Projection", "B2", 100)
	wantNumber(t, f, "Projection", "C2", 1000.04) // rounded to cents at the cell
	wantNumber(t, f, "Parts", "I3", 0.0125)       // unit cost keeps 4 places
	wantNumber(t, f, "Parts", "L2", 900)
	wantNumber(t, f, "Parts", "Q2", 1100)
	wantNumber(t, f, "Parts", "S2", 5060) // 0.6·1100 + 0.4·11000
	wantNumber(t, f, "Elements", "C2", 1350)
	wantNumber(t, f, "Countries", "D2", 0.6667)
	// The Summary's expected annual change, hand-computed:
	// 0.6 × 1,200 + 0.4 × 12,000.50 = 5,520.20.
	cell := findCell(t, f, "Summary", "Expected annual cost change, probability-weighted (USD)")
	_, row, _ := excelize.CellNameToCoordinates(cell)
	wantNumber(t, f, "Summary", cellName(4, row), 5520.2)
	base := findCell(t, f, "Summary", "Baseline annual cost of all products (USD)")
	_, row, _ = excelize.CellNameToCoordinates(base)
	wantNumber(t, f, "Summary", cellName(4, row), 270050)
}

func TestWorkbookNumberFormats(t *testing.T) {
	f, _ := writeFixture(t, newFixture())
	for _, tc := range []struct{ sheet, cell, want string }{
		{"Scenarios", "H2", fmtMoney},
		{"Scenarios", "J2", fmtMoney},
		{"Scenarios", "G2", fmtPct},
		{"Projection", "B2", fmtMoney},
		{"Parts", "I2", "#,##0.0000;(#,##0.0000)"}, // I3 holds 0.0125: the column shows 4 places
		{"Parts", "Q2", fmtMoney},
		{"Parts", "N2", fmtPct},
		{"Parts", "L2", fmtKg},
		{"Elements", "C2", fmtKg},
		{"Countries", "D2", fmtPct},
	} {
		if got := numFmtOf(t, f, tc.sheet, tc.cell); got != tc.want {
			t.Errorf("%s!%s number format %q, want %q", tc.sheet, tc.cell, got, tc.want)
		}
	}
}

func TestWorkbookFrozenAndFiltered(t *testing.T) {
	f, data := writeFixture(t, newFixture())
	files := zipFiles(t, data)
	for _, sheet := range f.GetSheetList() {
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit < 1 {
			t.Errorf("%s: panes %+v, want a frozen header", sheet, p)
		}
		x := sheetXML(t, files, sheet)
		if !strings.Contains(x, "<autoFilter") && !strings.Contains(x, "<tablePart") {
			t.Errorf("%s: no autofilter and no table", sheet)
		}
		if m := regexp.MustCompile(`<dimension ref="([^"]+)"`).FindStringSubmatch(x); m == nil || !strings.Contains(m[1], ":") {
			t.Errorf("%s: dimension %v, want the used range", sheet, m)
		}
		if !strings.Contains(x, `orientation="landscape"`) || !regexp.MustCompile(`fitToPage="(1|true)"`).MatchString(x) {
			t.Errorf("%s: page setup is not landscape, fit to page", sheet)
		}
		// Fit to one page width, or, for a wide sheet, to a few with
		// its frozen columns repeated on each (printAcross).
		m := regexp.MustCompile(`fitToWidth="(\d+)"`).FindStringSubmatch(x)
		if m == nil {
			t.Errorf("%s: no fitToWidth", sheet)
		} else if m[1] != "1" && p.XSplit > 0 && !strings.Contains(printTitles(f, sheet), "$A:$") {
			t.Errorf("%s: printed %s pages wide without repeated title columns (%q)", sheet, m[1], printTitles(f, sheet))
		}
	}
	if p, _ := f.GetPanes("Parts"); p.XSplit != 2 {
		t.Errorf("Parts: %d frozen columns, want 2 (product, part number)", p.XSplit)
	}
}

func TestWorkbookCharts(t *testing.T) {
	_, data := writeFixture(t, newFixture())
	files := zipFiles(t, data)
	var charts []string
	for name := range files {
		if strings.HasPrefix(name, "xl/charts/chart") {
			charts = append(charts, name)
		}
	}
	if len(charts) != 4 {
		t.Errorf("%d charts %v, want 4 (Summary, Scenarios, Projection, Countries)", len(charts), charts)
	}
	for _, sheet := range []string{"Summary", "Scenarios", "Projection", "Countries"} {
		if !strings.Contains(sheetXML(t, files, sheet), "<drawing ") {
			t.Errorf("%s: no drawing", sheet)
		}
	}
	// The Summary chart reads the Scenarios sheet.
	all := ""
	for _, c := range charts {
		all += strings.ReplaceAll(string(files[c]), "&#39;", "'")
	}
	if !strings.Contains(all, "'Scenarios'!$H$2:$H$3") {
		t.Errorf("no chart reads 'Scenarios'!$H$2:$H$3")
	}
}

func TestWorkbookTextIsNeverAFormula(t *testing.T) {
	f, data := writeFixture(t, newFixture())
	if got := cellValue(t, f, "Parts", "C3"); got != "=SUM(A1)" {
		t.Errorf("Parts!C3 = %q, want the text =SUM(A1)", got)
	}
	if fm, _ := f.GetCellFormula("Parts", "C3"); fm != "" {
		t.Errorf("Parts!C3 has formula %q", fm)
	}
	if typ, _ := f.GetCellType("Parts", "C3"); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("Parts!C3 type %v, want a string", typ)
	}
	files := zipFiles(t, data)
	for name, b := range files {
		if strings.HasPrefix(name, "xl/worksheets/sheet") && bytes.Contains(b, []byte("<f>")) {
			t.Errorf("%s holds a formula", name)
		}
	}
}

func TestWorkbookStreamedDimension(t *testing.T) {
	_, data := writeFixture(t, newFixture())
	x := sheetXML(t, zipFiles(t, data), "Parts")
	m := regexp.MustCompile(`<dimension ref="([^"]+)"`).FindStringSubmatch(x)
	if m == nil {
		t.Fatalf("Parts has no dimension")
	}
	if m[1] != "A1:S4" {
		t.Errorf("Parts dimension %s, want A1:S4", m[1])
	}
	if !strings.Contains(x, "<conditionalFormatting") || !strings.Contains(x, `type="colorScale"`) {
		t.Errorf("Parts has no colour-scale heat map")
	}
}

func TestWorkbookPartsContinue(t *testing.T) {
	old := partsPerSheet
	partsPerSheet = 2
	defer func() { partsPerSheet = old }()
	f, data := writeFixture(t, newFixture())
	want := "Summary,Scenarios,Projection,Parts,Parts (2),Elements,Countries,Recommendations,Assumptions,Warnings"
	if got := strings.Join(f.GetSheetList(), ","); got != want {
		t.Fatalf("sheets %s, want %s", got, want)
	}
	files := zipFiles(t, data)
	for sheet, ref := range map[string]string{"Parts": "A1:S3", "Parts (2)": "A1:S2"} {
		if !strings.Contains(sheetXML(t, files, sheet), `<dimension ref="`+ref+`"`) {
			t.Errorf("%s: dimension is not %s", sheet, ref)
		}
	}
	if got := cellValue(t, f, "Parts (2)", "A1"); got != "Product" {
		t.Errorf("Parts (2)!A1 = %q, want the header", got)
	}
	if got := cellValue(t, f, "Parts (2)", "C2"); got != "Rotor magnet set 38UH (spare)" {
		t.Errorf("Parts (2)!C2 = %q, want the third row", got)
	}
}

func TestWorkbookCutsLongText(t *testing.T) {
	fx := newFixture()
	fx.r.Input.BOM.Lines[1].Description = strings.Repeat("x", 40000)
	f, _ := writeFixture(t, fx)
	got := cellValue(t, f, "Parts", "C2")
	if n := len([]rune(got)); n != maxCellChars || !strings.HasSuffix(got, "…") {
		t.Errorf("Parts!C2 has %d characters, want %d ending in …", n, maxCellChars)
	}
	rows, _ := f.GetRows("Warnings")
	found := false
	for _, r := range rows {
		if len(r) >= 3 && r[1] == "Parts" && r[2] == "C2" {
			found = true
		}
	}
	if !found {
		t.Errorf("Warnings does not name Parts!C2: %q", rows)
	}
}

func TestWorkbookNoWarnings(t *testing.T) {
	fx := newFixture()
	fx.m.Warnings = nil
	f, _ := writeFixture(t, fx)
	if got := cellValue(t, f, "Warnings", "A2"); got != "No warnings." {
		t.Errorf("Warnings!A2 = %q, want No warnings.", got)
	}
}

func TestWorkbookEmptyResult(t *testing.T) {
	fx := newFixture()
	fx.r.Scenarios, fx.r.Elements, fx.r.Stages, fx.r.Products, fx.rows = nil, nil, nil, nil, nil
	fx.r.ExpectedAnnualDelta = d("0")
	fx.r.Weigh()
	f, _ := writeFixture(t, fx)
	if got := cellValue(t, f, "Parts", "A2"); !strings.Contains(got, "No BOM line") {
		t.Errorf("Parts!A2 = %q, want a note", got)
	}
}

// printTitles returns what a sheet repeats on every printed page.
func printTitles(f *excelize.File, sheet string) string {
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
			return dn.RefersTo
		}
	}
	return ""
}

// TestPrintAcross checks how many pages wide a sheet prints: one while it
// fits pageWidth or has no frozen columns, else enough that each page,
// with the title columns repeated, holds about pageWidth.
func TestPrintAcross(t *testing.T) {
	for _, tc := range []struct {
		name       string
		widths     []float64
		titleCols  int
		wantPages  string
		wantTitles string
	}{
		{"narrow", []float64{30, 40, 50}, 2, "1", "'S'!$1:$1"},
		// Titles 20 + 20; 20 columns of 16 = 320 more: ceil(320 / (250 - 40)) = 2.
		{"wide", append([]float64{20, 20}, slices.Repeat([]float64{16}, 20)...), 2, "2", "'S'!$A:$B,'S'!$1:$1"},
		// Titles 20 + 20; 40 columns of 16 = 640 more: ceil(640 / 210) = 4.
		{"wider", append([]float64{20, 20}, slices.Repeat([]float64{16}, 40)...), 2, "4", "'S'!$A:$B,'S'!$1:$1"},
		// No frozen columns (a sheet of several blocks): one page width.
		{"wide, no title columns", slices.Repeat([]float64{20}, 20), 0, "1", "'S'!$1:$1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := newBook("USD", "footer")
			if err != nil {
				t.Fatal(err)
			}
			defer b.f.Close()
			if _, err := b.f.NewSheet("S"); err != nil {
				t.Fatal(err)
			}
			if err := b.pageSetup("S", 1); err != nil {
				t.Fatal(err)
			}
			b.printed["S"].titleCols = tc.titleCols
			if err := b.printAcross("S", tc.widths); err != nil {
				t.Fatal(err)
			}
			pl, err := b.f.GetPageLayout("S")
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(*pl.FitToWidth); got != tc.wantPages {
				t.Errorf("fit to %s pages wide, want %s", got, tc.wantPages)
			}
			if got := printTitles(b.f, "S"); got != tc.wantTitles {
				t.Errorf("print titles %q, want %q", got, tc.wantTitles)
			}
		})
	}
}

// TestSummaryNothingMoves checks the Summary of a BOM no scenario
// touches: no scenario is named the worst, and the paragraph says none
// changes the cost.
func TestSummaryNothingMoves(t *testing.T) {
	fx := newFixture()
	for i := range fx.r.Scenarios {
		fx.r.Scenarios[i].AnnualDelta = decimal.Zero
	}
	fx.r.ExpectedAnnualDelta = decimal.Zero
	fx.r.Weigh()
	f, _ := writeFixture(t, fx)
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	keyFigure := false // a key figure labelled "Worst scenario" (the tables' columns may say so)
	for _, r := range rows {
		all.WriteString(strings.Join(r, "|") + "\n")
		keyFigure = keyFigure || len(r) > 0 && strings.HasPrefix(r[0], "Worst scenario")
	}
	text := all.String()
	if keyFigure || strings.Contains(text, "The worst scenario") {
		t.Errorf("Summary names a worst scenario although none changes the cost:\n%s", text)
	}
	if !strings.Contains(text, "None of the scenarios changes it") {
		t.Errorf("Summary does not say that no scenario changes the cost:\n%s", text)
	}
}
