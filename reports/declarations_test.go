package reports

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestPartsMarkDeclaredContent: a line whose rare-earth content came from
// a supplier's declaration is marked on Parts, in a column after the
// element grams, and counted on Summary.
func TestPartsMarkDeclaredContent(t *testing.T) {
	fx := newFixture()
	fx.r.Input.BOM.Lines[1].ContentSource = "decl/ningbo-magnet.xml"
	f, _ := writeFixture(t, fx)
	rows, err := f.GetRows(sheetParts)
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	col := -1
	for i, h := range head {
		if h == "Rare-earth content from" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no content-source column in %q", head)
	}
	if !strings.HasSuffix(head[col-1], "(g/unit)") || head[col+1] != "Direct (%)" {
		t.Errorf("the column sits between %q and %q, want after the element grams", head[col-1], head[col+1])
	}
	cell := func(r int) string {
		if col < len(rows[r]) {
			return rows[r][col]
		}
		return ""
	}
	// Rows: the declared magnet set, screws without content, the spare set
	// with content from the BOM.
	for r, want := range map[int]string{1: "declaration decl/ningbo-magnet.xml", 2: "", 3: "BOM"} {
		if got := cell(r); got != want {
			t.Errorf("Parts row %d (%s): %q, want %q", r+1, rows[r][1], got, want)
		}
	}
	// The class columns moved with it: the declared line is 100% direct.
	if v, _ := f.GetCellValue(sheetParts, cellName(col+2, 2), excelize.Options{RawCellValue: true}); v != "1" {
		t.Errorf("Direct (%%) of the declared line = %q, want 1", v)
	}
	summary := strings.Join(sheetTexts(t, f, sheetSummary), "\n")
	if !strings.Contains(summary, "Rare-earth content declared by suppliers for 1 of 2 exposed lines") {
		t.Errorf("Summary does not count the declared lines:\n%s", summary)
	}
}

func TestPartsWithoutDeclarations(t *testing.T) {
	f, _ := writeFixture(t, newFixture())
	rows, err := f.GetRows(sheetParts)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range rows[0] {
		if h == "Rare-earth content from" {
			t.Error("a content-source column without declarations")
		}
	}
	if s := strings.Join(sheetTexts(t, f, sheetSummary), "\n"); strings.Contains(s, "declared by suppliers") {
		t.Error("Summary mentions declarations without any")
	}
}

// sheetTexts returns every non-empty cell of a sheet.
func sheetTexts(t *testing.T, f *excelize.File, sheet string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		for _, c := range r {
			if c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}
