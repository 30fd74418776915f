package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Tests of the workbook as a buyer prints it (SPEC section 9): nothing
// runs off the page or is clipped, no header heads another block's
// columns, numbers in a column show the same places, and charts of a
// report where nothing changes have a sensible axis.

// printArea returns the last column of the sheet's print area, 0 when it
// has none.
func printArea(t *testing.T, f *excelize.File, sheet string) int {
	t.Helper()
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Area" && dn.Scope == sheet {
			i := strings.LastIndex(dn.RefersTo, ":$")
			col := strings.SplitN(dn.RefersTo[i+2:], "$", 2)[0]
			n, err := excelize.ColumnNameToNumber(col)
			if err != nil {
				t.Fatalf("print area %q: %v", dn.RefersTo, err)
			}
			return n
		}
	}
	return 0
}

// textLayoutProblems lists the text cells of sheet that a printed page
// does not show whole: text on one line wider than its cell (or merged
// range) that runs past the print area's last column, or into a filled
// cell beside it (clipped there). Titles and headers are included; wrapped
// cells are not, their rows growing to show them.
func textLayoutProblems(t *testing.T, f *excelize.File, sheet string) []string {
	t.Helper()
	last := printArea(t, f, sheet)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	merged := map[string]int{} // top-left cell → last column of its range
	mcs, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mcs {
		c2, _, err := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err != nil {
			t.Fatal(err)
		}
		merged[m.GetStartAxis()] = c2
	}
	width := func(c int) float64 {
		w, err := f.GetColWidth(sheet, colName(c))
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	var out []string
	for r, row := range rows {
		for c, v := range row {
			if strings.TrimSpace(v) == "" {
				continue
			}
			cell := cellName(c+1, r+1)
			id, err := f.GetCellStyle(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Alignment != nil && st.Alignment.WrapText {
				continue
			}
			if st.Alignment != nil && st.Alignment.Horizontal == "right" || isNumber(v) {
				continue // numbers are sized to fit (no ####)
			}
			end := c + 1
			if e, ok := merged[cell]; ok {
				end = e
			}
			room := 0.0
			for i := c + 1; i <= end; i++ {
				room += width(i)
			}
			need := colWidth(textWidth(v)) - 2
			if st.Font != nil && (st.Font.Bold || st.Font.Size > 11) {
				need *= 1.15
			}
			for need > room {
				end++
				if last > 0 && end > last {
					out = append(out, fmt.Sprintf("%s!%s runs off the page (print area ends at %s): %.60q", sheet, cell, colName(last), v))
					break
				}
				if end-1 < len(row) && strings.TrimSpace(row[end-1]) != "" {
					out = append(out, fmt.Sprintf("%s!%s is clipped by %s: %.60q", sheet, cell, cellName(end, r+1), v))
					break
				}
				room += width(end)
			}
		}
	}
	return out
}

var numberText = regexp.MustCompile(`^-?[0-9][0-9.E+-]*$`)

func isNumber(s string) bool { return numberText.MatchString(s) }

// longText is a sentence of n words, long enough to wrap.
func longText(n int) string {
	return strings.TrimSpace(strings.Repeat("sintered magnet grade ", n))
}

// TestScenariosPrintsOnePageWide: the Scenarios sheet prints one page
// wide, with no header row or key columns repeated over the blocks below
// the scenario table (whose headers would then head columns of money),
// and no text runs off the page.
func TestScenariosPrintsOnePageWide(t *testing.T) {
	fx := newFixture()
	fx.r.Scenarios[0].Scenario.Description = longText(60)
	f, _ := writeFixture(t, fx)
	if got := printTitles(f, sheetScenarios); got != "" {
		t.Errorf("Scenarios repeats %s on every printed page, above the blocks below its table", got)
	}
	pl, err := f.GetPageLayout(sheetScenarios)
	if err != nil {
		t.Fatal(err)
	}
	if pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("Scenarios prints %s pages wide, %s; want 1, landscape", show(pl.FitToWidth), show(pl.Orientation))
	}
	if last := printArea(t, f, sheetScenarios); last != scenariosLastCol {
		t.Errorf("Scenarios print area ends at column %s, want %s: the blocks keep to the first table's width", colName(last), colName(scenariosLastCol))
	}
	for _, p := range textLayoutProblems(t, f, sheetScenarios) {
		t.Error(p)
	}
	// The figures are all there: the split and the description.
	findCell(t, f, sheetScenarios, "Price part (USD)")
	findCell(t, f, sheetScenarios, fx.r.Scenarios[0].Scenario.Description)
}

// TestDroppedPrintTitlesStayDropped: a sheet whose table fits a page
// keeps its header off the chart's page: the titles dropped while writing
// are not set again when the sheet is finished.
func TestDroppedPrintTitlesStayDropped(t *testing.T) {
	f, _ := writeFixture(t, newFixture()) // 12 months: the Projection table fits a page
	if got := printTitles(f, sheetProjection); got != "" {
		t.Errorf("Projection repeats %s on every printed page, above its chart", got)
	}
}

// TestPartsPrintsWhole: long descriptions wrap instead of being clipped by
// the next column, and each money-per-unit column shows one number of
// places (54.4970 beside 117.5875, not 54.497).
func TestPartsPrintsWhole(t *testing.T) {
	fx := newFixture()
	fx.r.Input.BOM.Lines[1].Description = longText(8)
	fx.rows[0].UnitCost = d("54.497")
	fx.rows[2].UnitCost = d("117.5875")
	f, _ := writeFixture(t, fx)
	for _, p := range textLayoutProblems(t, f, sheetParts) {
		t.Error(p)
	}
	if h, err := f.GetRowHeight(sheetParts, 2); err != nil || h < 28 {
		t.Errorf("Parts row 2 is %v high (%v), want at least two lines for its wrapped description", h, err)
	}
	want := "#,##0.0000;(#,##0.0000)"
	for r := 2; r <= 4; r++ {
		if got := numFmtOf(t, f, sheetParts, cellName(pcUnitCost, r)); got != want {
			t.Errorf("Parts!%s number format %q, want %q like the rest of the column", cellName(pcUnitCost, r), got, want)
		}
	}
	// A column whose values need 2 places shows 2.
	fx = newFixture()
	fx.rows[1].UnitCost = d("0.5")
	f, _ = writeFixture(t, fx)
	if got := numFmtOf(t, f, sheetParts, cellName(pcUnitCost, 3)); got != "#,##0.00;(#,##0.00)" {
		t.Errorf("unit cost of 2 places at most: format %q", got)
	}
}

// TestAssumptionsWithinPage: sources and notes wrap within the printed
// page instead of running off it.
func TestAssumptionsWithinPage(t *testing.T) {
	fx := newFixture()
	p := fx.r.Input.Prices["Nd"]
	p.Source = longText(30)
	fx.r.Input.Prices["Nd"] = p
	fx.r.Scenarios[1].Scenario.Source = longText(40)
	f, _ := writeFixture(t, fx)
	for _, p := range textLayoutProblems(t, f, sheetAssumptions) {
		t.Error(p)
	}
	findCell(t, f, sheetAssumptions, longText(30))
}

// TestTemplateReadMe: the template's Read me prints landscape, one page
// wide, its sentences wrapped on the page, and lists the material codes
// with what each is.
func TestTemplateReadMe(t *testing.T) {
	var buf bytes.Buffer
	lists := TemplateLists{Countries: []string{"China"}, Elements: []string{"Nd"}, Materials: []string{"NDFEB_38UH_BULK", "MYSTERY"}}
	lists.MaterialInfo = newFixture().r.Input.Materials
	if err := WriteTemplate(&buf, lists); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pl, err := f.GetPageLayout(sheetReadMe)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("Read me prints %s, %s pages wide; want landscape, 1", show(pl.Orientation), show(pl.FitToWidth))
	}
	for _, p := range textLayoutProblems(t, f, sheetReadMe) {
		t.Error(p)
	}
	cell := findCell(t, f, sheetReadMe, "NDFEB_38UH_BULK")
	c, r, _ := excelize.CellNameToCoordinates(cell)
	if got := cellValue(t, f, sheetReadMe, cellName(c+1, r)); !strings.Contains(got, "Sintered NdFeB 38UH") || !strings.Contains(got, "Nd 23.5") {
		t.Errorf("material NDFEB_38UH_BULK is explained as %q, want its description and composition", got)
	}
	comments, err := f.GetComments("BOM")
	if err != nil {
		t.Fatal(err)
	}
	for _, cm := range comments {
		if cm.Cell == "K1" && !strings.Contains(cm.Text, "Read me") {
			t.Errorf("the BOM material header's note does not point to the codes on the Read me sheet: %q", cm.Text)
		}
	}
}

// TestFlatChartAxis: when no scenario changes the cost, the charts' value
// axes run -1 to 1 in steps of 1, not 0 to 1 in steps of 0.5 that a
// whole-number format labels "0, 1, 1"; with figures they scale freely.
func TestFlatChartAxis(t *testing.T) {
	axes := func(fx *fixture) map[string]string {
		_, data := writeFixture(t, fx)
		out := map[string]string{}
		for name, body := range zipFiles(t, data) {
			if !strings.HasPrefix(name, "xl/charts/chart") {
				continue
			}
			s := string(body)
			for _, title := range []string{"Annual cost change by scenario", "Monthly cost change by scenario", "What moves the expected annual change"} {
				if strings.Contains(s, title) {
					out[title] = s
				}
			}
		}
		return out
	}
	flat := regexp.MustCompile(`<max val="1"></max><min val="-1"></min>`)
	fx := newFixture()
	for i := range fx.r.Scenarios {
		sr := &fx.r.Scenarios[i]
		sr.AnnualDelta, sr.HorizonDelta = decimal.Zero, decimal.Zero
		for m := range sr.Months {
			sr.Months[m].Delta = decimal.Zero
		}
	}
	fx.r.MixMonths = nil
	fx.r.Weigh()
	for i := range fx.r.Sensitivity {
		fx.r.Sensitivity[i].Low, fx.r.Sensitivity[i].High = fx.r.ExpectedAnnualDelta, fx.r.ExpectedAnnualDelta
	}
	got := axes(fx)
	if len(got) != 3 {
		t.Fatalf("found %d charts of changes, want 3", len(got))
	}
	for title, xml := range got {
		if !flat.MatchString(xml) || !strings.Contains(xml, `<majorUnit val="1"></majorUnit>`) {
			t.Errorf("chart %q of a report without change: value axis not fixed at -1..1 by 1", title)
		}
	}
	for title, xml := range axes(newFixture()) {
		if flat.MatchString(xml) {
			t.Errorf("chart %q with figures: value axis fixed at -1..1", title)
		}
	}
}

// show prints what a page layout field points to, "unset" for nil.
func show[T any](p *T) string {
	if p == nil {
		return "unset"
	}
	return fmt.Sprint(*p)
}
