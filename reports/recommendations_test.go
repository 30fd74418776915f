package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// plannedResult is the fixture's input computed for real, with an
// alternative by part number (with a capacity) for the rotor magnet set,
// and an indicative default by material that only the spare set (given a
// part number of its own) draws on, and its plan.
func plannedResult(t *testing.T) *exposure.Result {
	t.Helper()
	in := computeInput()
	in.BOM.Lines = append([]exposure.Line(nil), in.BOM.Lines...)
	in.BOM.Lines[3].PartNumber = "EDU-ROT-110-SP"
	in.Alternatives = []exposure.Alternative{
		{PartNumber: "EDU-ROT-110", Supplier: "Kanto Magnetics KK", Countries: [4]string{"", "CN", "JP", "JP"}, UnitCost: d("230"),
			Capacity: d("400"), HasCapacity: true, QualificationMonths: 12, Ref: "Alternatives!2"},
		{Material: "NDFEB_38UH_BULK", Supplier: "MP Materials (indicative)", Countries: [4]string{"US", "US", "US", "US"}, PremiumPct: d("-10"),
			ByPremium: true, QualificationMonths: 18, Indicative: true, Source: "reference section 6.1 (checked 2026-01-29)", Ref: "embedded default"},
	}
	res, err := exposure.Compute(in)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	if res.Plan, err = exposure.Recommend(res); err != nil {
		t.Fatalf("Recommend: %v", err)
	}
	if len(res.Plan.Lines) == 0 {
		t.Fatalf("no planned line")
	}
	return res
}

func TestRecommendationsJSON(t *testing.T) {
	res := plannedResult(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, res, newFixture().m); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	recs := doc["recommendations"].([]any)
	if len(recs) != len(res.Plan.Lines) {
		t.Fatalf("%d recommendations, want %d", len(recs), len(res.Plan.Lines))
	}
	for _, r := range recs {
		rec := r.(map[string]any)
		if got, want := keysOf(rec), sortedKeys("product", "part_number", "current", "recommended", "premium", "expected_saving",
			"worst_saving", "hhi_before", "hhi_after"); got != want {
			t.Errorf("recommendation fields %s, want %s", got, want)
		}
		for _, field := range []string{"current", "recommended"} {
			sum := decimal.Zero
			for _, s := range rec[field].([]any) {
				sh := s.(map[string]any)
				if got, want := keysOf(sh), sortedKeys("supplier", "country", "share"); got != want {
					t.Errorf("%s fields %s, want %s", field, got, want)
				}
				sum = sum.Add(d(sh["share"].(string)))
			}
			if !sum.Equal(d("1")) {
				t.Errorf("%s %s shares add up to %s", rec["part_number"], field, sum)
			}
		}
		for _, f := range []string{"premium", "expected_saving", "worst_saving"} {
			if _, err := decimal.NewFromString(rec[f].(string)); err != nil {
				t.Errorf("%s = %v: not a decimal string", f, rec[f])
			}
		}
	}
	if !strings.Contains(buf.String(), "(indicative)") {
		t.Errorf("the indicative default is not marked in the JSON")
	}
}

func TestRecommendationsSheet(t *testing.T) {
	res := plannedResult(t)
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, res, newFixture().m); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := strings.Join(f.GetSheetList(), ",")
	if !strings.Contains(sheets, "Countries,Recommendations,Assumptions") {
		t.Errorf("sheets %s: Recommendations must follow Countries", sheets)
	}
	rows, err := f.GetRows(sheetRecommendations)
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, r := range rows {
		text += strings.Join(r, "|") + "\n"
	}
	for _, want := range []string{"Plan by part", "Shares by source", "Concentration by stage", "Premium a year if nothing happens (USD)",
		"EDU-ROT-110", "(indicative)", "Default centres offered", "Payback"} {
		if !strings.Contains(text, want) {
			t.Errorf("Recommendations sheet lacks %q", want)
		}
	}
	// Money is numeric: find the plan's first row and read its premium.
	for r, row := range rows {
		if len(row) > 4 && row[1] == "EDU-ROT-110" && r > 0 && strings.HasPrefix(rows[r-1][0], "Product") {
			cell := cellName(5, r+1)
			if typ, _ := f.GetCellType(sheetRecommendations, cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s (premium) is text, want a number", cell)
			}
		}
	}
	summary, _ := f.GetRows(sheetSummary)
	found := false
	for _, r := range summary {
		for _, c := range r {
			if strings.HasPrefix(c, "Change the sourcing mix of") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("Summary has no recommendation paragraph")
	}
}
