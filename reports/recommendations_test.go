package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
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
	hhiKeys := sortedKeys("mine", "separation", "hre_separation", "metal", "component")
	for _, r := range recs {
		rec := r.(map[string]any)
		if got, want := keysOf(rec), sortedKeys("product", "part_number", "current", "recommended", "premium", "expected_saving",
			"worst_saving", "horizon_saving", "payback_month", "qualification_month", "required_by_cap", "hhi_before", "hhi_after"); got != want {
			t.Errorf("recommendation fields %s, want %s", got, want)
		}
		for _, field := range []string{"current", "recommended"} {
			sum := decimal.Zero
			for _, s := range rec[field].([]any) {
				sh := s.(map[string]any)
				want := sortedKeys("supplier", "country", "origin", "share")
				if _, ok := sh["material_supplier"]; ok {
					want = sortedKeys("supplier", "country", "origin", "share", "material_supplier")
				}
				if got := keysOf(sh); got != want {
					t.Errorf("%s fields %s, want %s", field, got, want)
				}
				sum = sum.Add(d(sh["share"].(string)))
			}
			if !sum.Equal(d("1")) {
				t.Errorf("%s %s shares add up to %s", rec["part_number"], field, sum)
			}
		}
		for _, f := range []string{"premium", "expected_saving", "worst_saving", "horizon_saving"} {
			if _, err := decimal.NewFromString(rec[f].(string)); err != nil {
				t.Errorf("%s = %v: not a decimal string", f, rec[f])
			}
		}
		if q, ok := rec["qualification_month"].(float64); !ok || q < 1 {
			t.Errorf("qualification_month = %v, want a month ≥ 1", rec["qualification_month"])
		}
		if pm := rec["payback_month"]; pm != nil {
			if _, ok := pm.(float64); !ok {
				t.Errorf("payback_month = %v, want a month or null", pm)
			}
		}
		if _, ok := rec["required_by_cap"].(bool); !ok {
			t.Errorf("required_by_cap = %v, want a boolean", rec["required_by_cap"])
		}
		for _, f := range []string{"hhi_before", "hhi_after"} {
			if got := keysOf(rec[f].(map[string]any)); got != hhiKeys {
				t.Errorf("%s fields %s, want %s", f, got, hhiKeys)
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
	for _, want := range []string{"Today's mix", "Recommended mix", "Premium a year if nothing happens (USD)", "Expected saving a year (USD)",
		"Worst-case saving a year (USD)", "Horizon saving, after qualifying (USD)", "In effect from", "Paid back by", "Required by the cap: its cost a year (USD)",
		"Candidate sources", "Concentration by stage", "Heavy-RE separation today", "EDU-ROT-110", "(indicative)", "Default centres offered", "The plan in figures"} {
		if !strings.Contains(text, want) {
			t.Errorf("Recommendations sheet lacks %q", want)
		}
	}
	// The plan table's header is the frozen row, under the autofilter.
	if got := rows[planHeaderRow-1][0]; got != "Product" {
		t.Errorf("A%d = %q, want the plan table's header", planHeaderRow, got)
	}
	if p, _ := f.GetPanes(sheetRecommendations); !p.Freeze || p.YSplit != planHeaderRow {
		t.Errorf("panes %+v, want rows 1 to %d frozen", p, planHeaderRow)
	}
	x := sheetXML(t, zipFiles(t, buf.Bytes()), sheetRecommendations)
	if !regexp.MustCompile(`<autoFilter ref="\$?A\$?4:\$?M\$?\d+"`).MatchString(x) {
		t.Errorf("no autofilter on the plan table (A4:M…)")
	}
	// Money and shares are numbers: the first line's premium, savings
	// and months.
	for c := 6; c <= 9; c++ {
		cell := cellName(c, planHeaderRow+1)
		if typ, _ := f.GetCellType(sheetRecommendations, cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("%s is text, want a number", cell)
		}
		if got := numFmtOf(t, f, sheetRecommendations, cell); got != fmtMoneyWhole {
			t.Errorf("%s number format %q, want %q", cell, got, fmtMoneyWhole)
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

// The plan table prints on its own pages, landscape, fitted to the
// page width at 60% or more: its columns fit a landscape Letter page at
// the recorded scale; the rest of the sheet is a second print range.
func TestRecommendationsPrintScale(t *testing.T) {
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
	pl, err := f.GetPageLayout(sheetRecommendations)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("orientation %v, want landscape", pl.Orientation)
	}
	if pl.AdjustTo == nil || *pl.AdjustTo < minPlanScale {
		t.Fatalf("print scale %v, want at least %d%%", pl.AdjustTo, minPlanScale)
	}
	scale := float64(*pl.AdjustTo) / 100
	px := 0.0
	for c := 1; c <= planNotesCol; c++ {
		w, err := f.GetColWidth(sheetRecommendations, colName(c))
		if err != nil {
			t.Fatal(err)
		}
		px += columnPixels(w)
	}
	if px*scale > 10*96 {
		t.Errorf("the plan table is %.0f pixels wide: at %d%% it does not fit a landscape Letter page (960 pixels)", px, *pl.AdjustTo)
	}
	var area, titles string
	for _, dn := range f.GetDefinedName() {
		if dn.Scope != sheetRecommendations {
			continue
		}
		switch dn.Name {
		case "_xlnm.Print_Area":
			area = dn.RefersTo
		case "_xlnm.Print_Titles":
			titles = dn.RefersTo
		}
	}
	if ranges := strings.Split(area, ","); len(ranges) != 2 || !strings.Contains(ranges[0], "$A$1:$M$") || !strings.Contains(ranges[1], "$O$") {
		t.Errorf("print area %q, want the plan table (A1:M…) and the rest (from O) as two ranges", area)
	}
	if !strings.Contains(titles, "$1:$4") {
		t.Errorf("print titles %q, want rows 1 to 4 (the title and the plan's header) on every page", titles)
	}
}

// mlPlan is a hand-made plan of one Chinese-assembled motor whose magnet
// material the plan has made in Estonia for 35% of it, inside today's
// two sources (Ningbo 60%, Wuxi 40%): a material-level candidate.
func mlPlan() (*exposure.Result, *exposure.LinePlan) {
	fx := newFixture()
	r := fx.r
	line := &exposure.Line{Product: "EDU-150", PartNumber: "MOT-1", Description: "Pump motor", Material: "NDFEB_N42"}
	r.Input.Materials = map[string]exposure.Material{"NDFEB_N42": {Code: "NDFEB_N42", Family: "ndfeb"}}
	hhi := func(v string) exposure.HHI { return exposure.HHI{Value: d(v), Known: true} }
	lp := exposure.LinePlan{
		Line: line, AnnualQty: d("1000"), Changed: true, Heavy: true,
		Candidates: []exposure.Candidate{
			{Supplier: "Ningbo Magnet Co.", Countries: [4]string{"CN", "CN", "CN", "CN"}, HRESeparation: "CN", Origin: "CN", Current: true, CurrentShare: d("0.6"), Share: d("0.39")},
			{Supplier: "Wuxi Motor Co.", Countries: [4]string{"CN", "CN", "CN", "CN"}, HRESeparation: "CN", Origin: "CN", Current: true, CurrentShare: d("0.4"), Share: d("0.26")},
			{Supplier: "Neo Narva", Countries: [4]string{"", "EE", "EE", "EE"}, HRESeparation: "CN", MaterialLevel: true, Share: d("0.35"),
				Parts: []exposure.CandidatePart{{Supplier: "Ningbo Magnet Co.", Origin: "CN", Share: d("0.6")}, {Supplier: "Wuxi Motor Co.", Origin: "CN", Share: d("0.4")}}},
		},
		Premium: d("700"), ExpectedSaving: d("-250"), WorstSaving: d("1200"), HorizonSaving: d("-300"),
		QualificationMonth: 13, PaybackMonth: 0, RequiredByCap: true,
		CapBreaks: []exposure.CapBreak{{Stage: exposure.StageHRESeparation, Country: "CN", Share: d("1"), Why: "no candidate outside it at this stage"}},
	}
	lp.HHIBefore = [5]exposure.HHI{hhi("10000"), hhi("10000"), hhi("10000"), hhi("10000"), hhi("10000")}
	// By stage index: mine, separation, metal, component, then heavy-RE separation.
	lp.HHIAfter = [5]exposure.HHI{hhi("10000"), hhi("5450"), hhi("5450"), hhi("10000"), hhi("5450")}
	r.Plan = &exposure.Plan{
		Objective: "expected", CountryCap: d("65"), CapCountries: []string{"CN"}, StartMonth: "2026-01",
		Lines: []exposure.LinePlan{lp}, Planned: 1, Changed: 1, Exposed: 2, CapNotMet: 1,
		Premium: d("700"), ExpectedSaving: d("-250"), WorstSaving: d("1200"), HorizonSaving: d("-300"),
		RequiredByCap: 1, CostOfCap: d("250"), Current: []decimal.Decimal{d("0"), d("0")}, Recommended: []decimal.Decimal{d("0"), d("0")},
	}
	return r, &r.Plan.Lines[0]
}

// A material-level candidate reads "Supplier (origin) … with magnet
// material from Centre (country)", and appears in the JSON once per source
// it keeps at the candidate's share times the source's, naming the
// centre as material_supplier.
func TestMaterialLevelWordsAndJSON(t *testing.T) {
	r, lp := mlPlan()
	rep := newReport(r, Meta{})
	got := rep.mixWords(lp, false)
	want := "Ningbo Magnet Co. (CN) 39%; Ningbo Magnet Co. (CN) 21% and Wuxi Motor Co. (CN) 14%, with magnet material from Neo Narva (EE); Wuxi Motor Co. (CN) 26%"
	if got != want {
		t.Errorf("recommended mix\n got %q\nwant %q", got, want)
	}
	lp.Candidates[2].Parts = lp.Candidates[2].Parts[:1]
	lp.Candidates[2].Parts[0].Share = d("1")
	if got := rep.mixWords(lp, false); !strings.Contains(got, "Ningbo Magnet Co. (CN) with magnet material from Neo Narva (EE) 35%") {
		t.Errorf("one source kept: %q", got)
	}

	r, lp = mlPlan()
	recs := jsonRecommendations(r.Plan)
	type entry struct{ supplier, country, origin, share, material string }
	var rec []entry
	for _, e := range recs[0].Recommended {
		rec = append(rec, entry{e.Supplier, e.Country, e.Origin, e.Share, e.MaterialSupplier})
	}
	wantRec := []entry{
		{"Ningbo Magnet Co.", "CN", "CN", "0.39", ""},
		{"Wuxi Motor Co.", "CN", "CN", "0.26", ""},
		{"Ningbo Magnet Co.", "EE", "CN", "0.21", "Neo Narva"},
		{"Wuxi Motor Co.", "EE", "CN", "0.14", "Neo Narva"},
	}
	if fmt.Sprint(rec) != fmt.Sprint(wantRec) {
		t.Errorf("recommended entries\n got %v\nwant %v", rec, wantRec)
	}
	// payback_month null, said so on the sheet.
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(recs[0]); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"payback_month":null`, `"qualification_month":13`, `"required_by_cap":true`, `"material_supplier":"Neo Narva"`,
		`"hhi_after":{"mine":"10000","separation":"5450","hre_separation":"5450","metal":"5450","component":"10000"}`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON %s\nlacks %s", buf.String(), want)
		}
	}
	if got := paybackText(r.Plan, lp); got != "not within the horizon" {
		t.Errorf("payback %q, want not within the horizon", got)
	}
	if got := planMonth(r.Plan, lp.QualificationMonth); got != "2027-01" {
		t.Errorf("qualification month 13 from 2026-01 = %q, want 2027-01", got)
	}
	// The JSON's warning names the stage left above the cap, at the
	// line's row of the plan table.
	ws := planWarnings(r.Plan)
	if len(ws) != 1 || ws[0].Sheet != sheetRecommendations || ws[0].Cell != "M5" ||
		!strings.Contains(ws[0].Message, "heavy-rare-earth separation: China 100% (no candidate outside it at this stage)") {
		t.Errorf("warnings %+v", ws)
	}
}

// With a negative expected saving the paragraph says what the cap costs
// and never prints a negative saving.
func TestPlanParagraphNegativeSaving(t *testing.T) {
	r, _ := mlPlan()
	got := newReport(r, Meta{}).planParagraph()
	for _, want := range []string{
		"The cap costs USD 250 a year in expectation: 1 part is required by it",
		"costs USD 250 more a year in expectation",
		"costs USD 700 a year more if nothing happens",
		"1 part(s) stay above the cap at some stage, mostly at heavy-rare-earth separation",
		"Over the horizon (2026-01 to 2026-12), counting each part's savings from the month its new sources deliver, the plan costs USD 300",
		"0 of the 1 changed parts pay back within it",
		"Once the new sources deliver (2027-01)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("paragraph\n%s\nlacks %q", got, want)
		}
	}
	for _, bad := range []string{"saves USD -", "USD -", "no capped country (China) holds more than"} {
		if strings.Contains(got, bad) {
			t.Errorf("paragraph says %q:\n%s", bad, got)
		}
	}
	// Within the cap everywhere, the paragraph may say so.
	r.Plan.CapNotMet = 0
	r.Plan.Lines[0].CapBreaks = nil
	if got := newReport(r, Meta{}).planParagraph(); !strings.Contains(got, "Afterwards no capped country (China) holds more than 65% of a planned part at any stage.") {
		t.Errorf("paragraph within the cap:\n%s", got)
	}
}

// A stage whose HHI rises is named, on the plan table and in the
// concentration table, and the plan is not said to cut concentration.
func TestHHIRiseNamed(t *testing.T) {
	r, lp := mlPlan()
	// Today CN 60% (Ningbo) and EE 40% (Neo Narva) at the component
	// stage (the HHI figures below are the test's own); the plan's
	// CN 65% (39 + 26) and EE 35% give 65² + 35² = 5,450, a rise because
	// Estonia's share falls from 40% to 35%.
	lp.Candidates[1].CurrentShare = d("0")
	lp.Candidates[2].CurrentShare = d("0.4")
	lp.HHIBefore[exposure.StageComponent] = exposure.HHI{Value: d("4450"), Known: true}
	lp.HHIAfter[exposure.StageComponent] = exposure.HHI{Value: d("5450"), Known: true}
	rep := newReport(r, Meta{})
	notes := rep.lineNotes(lp)
	if want := "HHI rises at component: less from Estonia (component 40% → 35%), the cheapest mix in expectation that the cap allows."; !strings.Contains(notes, want) {
		t.Errorf("notes %q do not name the component stage's rise and why: want %q", notes, want)
	}
	if got := hhiText(lp, true); got != "HHI rises at component (4,450 → 5,450); falls at separation (10,000 → 5,450), heavy-rare-earth separation (10,000 → 5,450) and metal (10,000 → 5,450)" {
		t.Errorf("hhiText %q", got)
	}
	pl := PlanLines(r)
	if len(pl) != 1 || pl[0].HHIRises != "component" {
		t.Errorf("PlanLines %+v, want the component stage's rise", pl)
	}
	// And a capped country's share that rises is said too: Wuxi is
	// Japanese here, and the plan moves share to Ningbo.
	lp.Candidates[1].Countries, lp.Candidates[1].HRESeparation = [4]string{"JP", "JP", "JP", "JP"}, "JP"
	lp.Candidates[0].Share = d("0.7")
	lp.Candidates[2].Share = d("0.04")
	if got := rep.lineNotes(lp); !strings.Contains(got, "China's share rises at") {
		t.Errorf("notes %q do not say China's share rises", got)
	}
	// A stage unknown today that a new source places in China is said
	// as such, not as a rise.
	r, lp = mlPlan()
	lp.Candidates[0].Countries[exposure.StageSeparation], lp.Candidates[1].Countries[exposure.StageSeparation] = "", ""
	lp.Candidates[2].Countries[exposure.StageSeparation] = "CN"
	got := newReport(r, Meta{}).lineNotes(lp)
	if !strings.Contains(got, "China holds 35% of separation, where today's countries are unknown.") || strings.Contains(got, "rises at separation") {
		t.Errorf("notes %q", got)
	}
}

// Every chart by country draws each country in one colour, China red.
func TestCountryColoursShared(t *testing.T) {
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
	serRE := regexp.MustCompile(`(?s)<ser>(.*?)</ser>`)
	ser := regexp.MustCompile(`(?s)<tx><strRef><f>([^<]+)</f>.*?<spPr><a:solidFill><a:srgbClr val="([0-9A-Fa-f]{6})"`)
	colour := map[string]string{} // country → colour
	charts := 0
	for name, data := range zipFiles(t, buf.Bytes()) {
		if !strings.HasPrefix(name, "xl/charts/chart") {
			continue
		}
		x := string(data)
		if !strings.Contains(x, "Countries") && !strings.Contains(x, sheetRecommendations) {
			continue
		}
		byCountry := false
		for _, sm := range serRE.FindAllStringSubmatch(x, -1) {
			m := ser.FindStringSubmatch(sm[1])
			if m == nil {
				continue
			}
			ref := strings.ReplaceAll(html.UnescapeString(m[1]), "$", "")
			sheet, cell, _ := strings.Cut(ref, "!")
			sheet = strings.Trim(sheet, "'")
			if sheet != sheetCountries && sheet != sheetRecommendations {
				continue
			}
			name, err := f.GetCellValue(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			byCountry = true
			if c, ok := colour[name]; ok && !strings.EqualFold(c, m[2]) {
				t.Errorf("%s is %s in one chart and %s in another", name, c, m[2])
			}
			colour[name] = m[2]
		}
		if byCountry {
			charts++
		}
	}
	if charts < 2 {
		t.Fatalf("%d charts by country, want Countries and Recommendations", charts)
	}
	if !strings.EqualFold(colour["China"], colChina) {
		t.Errorf("China is %q, want red %s", colour["China"], colChina)
	}
	seen := map[string]string{}
	for name, c := range colour {
		if other, ok := seen[strings.ToUpper(c)]; ok && name != "Other" && other != "Other" {
			t.Errorf("%s and %s share the colour %s", name, other, c)
		}
		seen[strings.ToUpper(c)] = name
	}
}

// TestWithinCapSaysUnknownStages: a changed line with no stage above the
// cap but no country known at mine and metal says the cap holds only
// where a country is known, and names those stages (issue 12: "say
// unknown", not "within the cap").
func TestWithinCapSaysUnknownStages(t *testing.T) {
	lp := &exposure.LinePlan{Changed: true}
	lp.HHIAfter[exposure.StageSeparation] = exposure.HHI{Known: true}
	lp.HHIAfter[exposure.StageComponent] = exposure.HHI{Known: true}
	got := unknownStagesText(lp)
	if !strings.Contains(got, "unknown at") || !strings.Contains(got, capStageShort(exposure.StageMine)) || !strings.Contains(got, capStageShort(exposure.StageMetal)) {
		t.Errorf("unknownStagesText = %q, want mine and metal named as unknown", got)
	}
	lp.HHIAfter[exposure.StageMine] = exposure.HHI{Known: true}
	lp.HHIAfter[exposure.StageMetal] = exposure.HHI{Known: true}
	if got := unknownStagesText(lp); got != "" {
		t.Errorf("every stage known: unknownStagesText = %q, want empty", got)
	}
}
