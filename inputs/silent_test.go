package inputs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/schema"
)

// withoutFigures drops the warnings on the figures (silent.go), for tests
// about something else whose small inputs draw them.
func withoutFigures(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !p.Figures || p.Error {
			out = append(out, p)
		}
	}
	return out
}

// readCSV reads a lone BOM CSV file as `rexpo validate bom.csv` does.
func readCSV(t *testing.T, text string, opts Options) *Loaded {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bom.csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := readPath(t, path, opts)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return l
}

// wantFigures checks that the problem at sheet!cell is a warning on the
// figures that mentions words.
func wantFigures(t *testing.T, ps []Problem, sheet, cell string, words ...string) {
	t.Helper()
	for _, p := range ps {
		if p.Sheet != sheet || p.Cell != cell || p.Error || !strings.Contains(p.Message, words[0]) {
			continue
		}
		for _, w := range words[1:] {
			if !strings.Contains(p.Message, w) {
				t.Errorf("%s: %q does not mention %q", p.Place(), p.Message, w)
			}
		}
		if !p.Figures {
			t.Errorf("%s: %q is not marked as a warning on the figures", p.Place(), p.Message)
		}
		return
	}
	t.Errorf("no warning at %s!%s saying %q; problems:\n%s", sheet, cell, words[0], listProblems(ps))
}

// noProblemWith checks that no problem mentions text.
func noProblemWith(t *testing.T, ps []Problem, text string) {
	t.Helper()
	for _, p := range ps {
		if strings.Contains(p.Message, text) {
			t.Errorf("unexpected problem %s", p)
		}
	}
}

// TestUnknownColumnsNamed: a BOM whose rare-earth columns are headed in
// the user's words was read as a BOM of zeros without a word. Each such
// column is now named at its header cell with the nearest known header
// and --map, and the lack of content is said.
func TestUnknownColumnsNamed(t *testing.T) {
	l := readCSV(t, "part_number,qty,cost,RE material,Magnet mass (kg),Crcy,Supplier Country\n"+
		"MOT-1,1,120,NDFEB_N42,0.8,EUR,China\n"+
		"ROT-2,2,40,NDFEB_N42,0.2,EUR,Japan\n", Options{})
	for _, c := range []struct{ cell, header, near string }{
		{"D1", "RE material", "nearest known header is material"},
		{"E1", "Magnet mass (kg)", "nearest known header is re_mass_kg"},
		{"F1", "Crcy", "nearest known header is currency"},
		{"G1", "Supplier Country", "nearest known header is origin_country"},
	} {
		wantFigures(t, l.Problems, "BOM", c.cell, `column "`+c.header+`" is not recognised`, c.near, "--map", c.header)
	}
	wantFigures(t, l.Problems, "BOM", "", "no BOM line carries rare-earth content", "zero for want of content", `"RE material"`)
	wantFigures(t, l.Problems, "BOM", "", "no BOM line names a stage or origin country")
	for _, c := range []string{"A1", "B1", "C1"} {
		if p, ok := findProblem(l.Problems, "BOM", c, false); ok && strings.Contains(p.Message, "not recognised") {
			t.Errorf("known column warned: %s", p)
		}
	}
}

// TestKnownColumnsNotWarned: names, aliases, ERP headers, element columns
// in every spelling and --map entries draw no warning.
func TestKnownColumnsNotWarned(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"Product", "Component number", "Object description", "Explosion level", "Comp. Qty (CUn)", "Unit price", "Currency",
				"Vendor", "Material", "RE mass (kg)", "Nd", "Dy_g", "Tb (%)", "Pr wt%", "Neodymium", "Magnet country", "HS code", "Their mine"},
			{"P1", "A", "Motor", "1", 1, 100, "USD", "ACME", "NDFEB_N42", 0.5, "", "", "", "", "", "CN", "8501.53", "CN"},
		},
	}, Options{Mapping: map[string]string{"mine_country": "Their mine"}})
	noProblemWith(t, l.Problems, "not recognised")
}

// TestNearestHeaders: the suggestion for headers in other words.
func TestNearestHeaders(t *testing.T) {
	bom, _ := schema.LayoutOf("BOM")
	cands := headerCandidates(bom, map[string]int{})
	for _, c := range []struct{ header, want string }{
		{"RE material", "material"},
		{"Magnet mass (kg)", "re_mass_kg"},
		{"Magnet weight (g)", "re_mass_g"},
		{"Crcy", "currency"},
		{"Supplier Country", "origin_country"},
		{"Magnet ctry", "component_country"},
		{"Qty per assy", "qty_per"},
		{"Unit cost (EUR)", "unit_cost"},
		{"Prt No", "part_number"},
		{"Descriptoin", "description"},
		{"Notes", ""},
		{"Plant", ""},
	} {
		near := nearestHeaders(c.header, cands)
		got := ""
		if len(near) > 0 {
			got = near[0].column
		}
		if got != c.want {
			t.Errorf("nearest header of %q = %q, want %q", c.header, got, c.want)
		}
	}
}

// TestNoCountriesNotWarnedWithOne: one known country anywhere is enough.
func TestNoCountriesNotWarnedWithOne(t *testing.T) {
	l := readCSV(t, "part_number,qty,unit_cost,currency,component_country,hs_code\nA,1,10,USD,,8501\nB,1,10,USD,JP,8501\n", Options{})
	noProblemWith(t, l.Problems, "stage or origin country")
}

// TestHSCodesMissing: a BOM without HS codes under a scenario whose
// Tariffs row selects by hs_prefix: the lines are counted and the row named.
func TestHSCodesMissing(t *testing.T) {
	sheets := map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "parent", "qty_per", "unit_cost", "currency", "component_country", "hs_code"},
			{"P1", "MOT", "", 1, 100, "USD", "CN", ""},
			{"P1", "MAG", "MOT", 2, 20, "USD", "CN", ""},
			{"P1", "SCR", "MOT", 4, 1, "USD", "CN", "7318"},
			{"P1", "WIRE", "MOT", 1, 5, "USD", "CN", ""},
		},
		"Scenarios": {{"scenario", "probability"}, {"tariff", 1}},
		"Tariffs": {
			{"scenario", "import_country", "origin_country", "hs_prefix", "tariff_pct"},
			{"tariff", "US", "CN", "", 10},
			{"tariff", "US", "CN", "8505.11", 25},
		},
	}
	l := mustRead(t, sheets, Options{})
	// Cost-bearing lines are the leaves MAG, SCR and WIRE; MAG and WIRE lack codes.
	wantFigures(t, l.Problems, "BOM", "H1", "2 of 3 cost-bearing lines have no hs_code", "BOM!3, BOM!5", "Tariffs!3 (tariff, 8505.11)")
	noProblemWith(t, l.Problems, "Tariffs!2")

	// Without hs_prefix rows, no warning.
	sheets["Tariffs"] = sheets["Tariffs"][:2]
	noProblemWith(t, mustRead(t, sheets, Options{}).Problems, "hs_code")
}

// TestHSCodesControls: a Controls row with an hs_prefix cannot reach
// lines with content but no HS code; lines without content do not count.
func TestHSCodesControls(t *testing.T) {
	nd := []exposure.ElementMass{{Element: "Nd", Kg: decimal.RequireFromString("0.1")}}
	r := &reader{scenarioSrc: "built-in library", settings: exposure.Settings{ImportCountry: "US"}}
	r.bom.Lines = []exposure.Line{
		{PartNumber: "MAG", Parent: -1, Content: nd, Row: 2},
		{PartNumber: "MOT", Parent: -1, Content: nd, HSCode: "8501.10", Row: 3},
		{PartNumber: "SCR", Parent: -1, Row: 4},
	}
	r.scenarios = []exposure.Scenario{{ID: "licences", Controls: []exposure.Control{
		{HSPrefix: "8505.11", Ref: "controls!4"}, {HSPrefix: "8501", Ref: "controls!5"}, {Ref: "controls!6"},
	}}}
	r.warnHSCodes()
	ps := r.ps.finish()
	wantFigures(t, ps, "BOM", "", "1 of 2 lines with rare-earth content have no hs_code (BOM!2)", "2 Controls row(s) with hs_prefix 8501 or 8505.11 (scenarios licences)")
}

// TestCurrencyAssumed: unit costs without a currency column are taken
// to be in the report currency; said when nobody named it, and always when
// a cell names another currency.
func TestCurrencyAssumed(t *testing.T) {
	const bom = "part_number,qty,unit_cost,component_country\nA,1,12.50,CN\n"
	l := readCSV(t, bom, Options{})
	wantFigures(t, l.Problems, "BOM", "C1", "no currency column", "taken to be in USD", "--currency")

	l = readCSV(t, bom, Options{Settings: map[string]string{"currency": "USD"}})
	noProblemWith(t, l.Problems, "currency column")

	l = readCSV(t, "part_number,qty,unit_cost,component_country\nA,1,$12.50,CN\nB,1,€12.50,CN\nC,1,12.50 EUR,CN\n", Options{Settings: map[string]string{"currency": "USD"}})
	wantFigures(t, l.Problems, "BOM", "C3", "2 unit_cost cell(s) name a currency other than the report's USD", `"€12.50"`, "read as USD")

	l = readCSV(t, "part_number,qty,unit_cost,currency,component_country\nA,1,$12.50,USD,CN\n", Options{})
	noProblemWith(t, l.Problems, "currency column")
}

// TestExampleRowsSkipped: rows marked by the template are skipped with a
// warning naming them; when the scenario sheets hold nothing else the
// built-in library runs.
func TestExampleRowsSkipped(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": {{"product", "annual_volume", schema.ExampleColumn}, {"EDU-150", 120000, schema.ExampleMark}, {"P1", 10, ""}},
		"BOM": {
			{"product", "part_number", "parent", "qty_per", "unit_cost", "currency", "component_country", schema.ExampleColumn},
			{"EDU-150", "EDU-MOT-100", "", 1, 420, "USD", "CN", schema.ExampleMark},
			{"P1", "A", "", 1, 10, "USD", "CN", ""},
		},
		"Scenarios": {{"scenario", "probability", schema.ExampleColumn}, {"my-shock", 0.2, schema.ExampleMark}},
		"Controls":  {{"scenario", "elements", "price_uplift_pct", schema.ExampleColumn}, {"my-shock", "HRE7", 200, schema.ExampleMark}},
		"Settings":  {{"key", "value", "Example"}, {"horizon", 60, "example"}},
	}, Options{})
	wantProblem(t, l.Problems, "Products", "2", false, "example row of the template", `"EDU-150"`, "C2")
	wantProblem(t, l.Problems, "BOM", "2", false, "example row of the template", `"EDU-MOT-100"`)
	wantProblem(t, l.Problems, "Scenarios", "2", false, "example row", `"my-shock"`)
	wantProblem(t, l.Problems, "Controls", "2", false, "example row")
	wantProblem(t, l.Problems, "Settings", "2", false, "example row")
	wantProblem(t, l.Problems, "Scenarios", "", false, "built-in scenario library runs")
	if len(l.Input.BOM.Products) != 1 || len(l.Input.BOM.Lines) != 1 {
		t.Errorf("%d products, %d lines; want the user's 1 and 1", len(l.Input.BOM.Products), len(l.Input.BOM.Lines))
	}
	if !strings.HasPrefix(l.ScenarioSource, "built-in") || len(l.Input.Scenarios) < 6 {
		t.Errorf("scenarios from %q (%d), want the built-in library", l.ScenarioSource, len(l.Input.Scenarios))
	}
	if l.Input.Settings.Horizon != 24 {
		t.Errorf("horizon %d: the example setting was applied", l.Input.Settings.Horizon)
	}
	noProblemWith(t, l.Problems, "not recognised") // the marker column is known

	// A scenario of the user's beside the example: the sheet is the user's.
	l = mustRead(t, map[string][][]any{
		"Products":  oneProduct(),
		"BOM":       simpleBOM(),
		"Scenarios": {{"scenario", "probability", schema.ExampleColumn}, {"my-shock", 0.2, schema.ExampleMark}, {"mine", 1, ""}},
	}, Options{})
	if len(l.Input.Scenarios) != 1 || l.Input.Scenarios[0].ID != "mine" {
		t.Errorf("scenarios %+v, want the user's one", l.Input.Scenarios)
	}
}

// TestDataAge: the library's check date, the prices the BOM uses and the
// signals' newest readings against --as-of.
func TestDataAge(t *testing.T) {
	asOf := time.Date(2026, time.December, 6, 10, 0, 0, 0, time.UTC)
	sheets := map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "unit_cost", "currency", "material", "re_mass_kg", "component_country", "hs_code"},
			{"P1", "MAG", 1, 20, "USD", "NDFEB_N42", 0.5, "CN", "8505.11"},
		},
		"Signals": {
			{"date", "signal", "value"},
			{"2025-12-31", "soybean_imports_us_mt", 2.4},
			{"2026-11-20", "mofcom_tone", "relax"},
		},
	}
	l := mustRead(t, sheets, Options{Now: asOf})
	wantFigures(t, l.Problems, "", "", "the scenario library was last checked 2026-01-29, 311 days before this report")
	found := false
	for _, p := range l.Problems {
		if strings.HasPrefix(p.Message, "element prices more than 90 days old") {
			found = true
			for _, w := range []string{"Nd, Pr as of 2025-12-31 (340 days before this report)", "Dy as of 2026-01-29 (311 days)"} {
				if !strings.Contains(p.Message, w) {
					t.Errorf("%q does not say %q", p.Message, w)
				}
			}
			if strings.Contains(p.Message, "Sc ") || !p.Figures {
				t.Errorf("%q names an element the BOM lacks, or is not on the figures", p.Message)
			}
		}
	}
	if !found {
		t.Errorf("no warning on the prices' age:\n%s", listProblems(l.Problems))
	}
	wantFigures(t, l.Problems, "Signals", "C2", "signal soybean_imports_us_mt: its newest reading is dated 2025-12-31, 340 days before this report", "moves no probability")
	noProblemWith(t, l.Problems, "signal mofcom_tone")

	// Checked 90 days before: not stale.
	l = mustRead(t, sheets, Options{Now: time.Date(2026, time.April, 29, 0, 0, 0, 0, time.UTC)})
	noProblemWith(t, l.Problems, "last checked")
}

// TestDecidedOn: a scenario decided before --as-of has a known outcome.
func TestDecidedOn(t *testing.T) {
	r := &reader{scenarioSrc: "built-in library"}
	r.scenarios = []exposure.Scenario{
		{ID: "suspension-lapses", Name: "The suspension lapses", DecidedOn: "2026-11-10", Prior: decimal.RequireFromString("0.25")},
		{ID: "later", DecidedOn: "2027-01-01", Prior: decimal.RequireFromString("0.75")},
		{ID: "never"},
	}
	r.warnDecided(day(time.Date(2026, time.December, 6, 0, 0, 0, 0, time.UTC)))
	ps := r.ps.finish()
	if len(ps) != 1 {
		t.Fatalf("%d problems, want 1:\n%s", len(ps), listProblems(ps))
	}
	for _, w := range []string{"scenario suspension-lapses", "decided on 2026-11-10, 26 days before this report", "outcome is now known", "probability belongs at 1", "or 0", "Scenarios sheet", "25% prior"} {
		if !strings.Contains(ps[0].Message, w) {
			t.Errorf("%q does not say %q", ps[0].Message, w)
		}
	}
	if !ps[0].Figures {
		t.Error("decided_on warning is not on the figures")
	}
	// On the day itself the outcome is not yet past.
	r = &reader{scenarios: r.scenarios[:1]}
	r.warnDecided(day(time.Date(2026, time.November, 10, 12, 0, 0, 0, time.UTC)))
	if ps := r.ps.finish(); len(ps) != 0 {
		t.Errorf("warned on the day of the decision:\n%s", listProblems(ps))
	}
}

// TestFiguresOutrankWarnings: a full list of ordinary warnings makes room
// for a warning on the figures.
func TestFiguresOutrankWarnings(t *testing.T) {
	var ps problems
	for range MaxProblems + 10 {
		ps.warnf("BOM", "A1", "ordinary")
	}
	ps.figuref("BOM", "", "on the figures")
	list := ps.finish()
	if len(list) != MaxProblems+1 || list[MaxProblems-1].Message != "on the figures" {
		t.Errorf("the warning on the figures was dropped: %d problems, last listed %q", len(list), list[MaxProblems-1].Message)
	}
}

func TestParseDay(t *testing.T) {
	for text, want := range map[string]string{
		"2026-01-29": "2026-01-29", "2026-01": "2026-01-01", "29 Jan 2026": "2026-01-29", "46051": "2026-01-29",
		"2026-01-29T10:00:00Z": "2026-01-29",
	} {
		d, ok := parseDay(text)
		if !ok || d.Format("2006-01-02") != want {
			t.Errorf("parseDay(%q) = %v, %v; want %s", text, d, ok, want)
		}
	}
	if _, ok := parseDay("soon"); ok {
		t.Error("parseDay(soon) ok")
	}
}

// TestDecidedOnRead: decided_on read from a Scenarios sheet, and a
// Controls row by hs_prefix that lines without codes cannot meet.
func TestDecidedOnRead(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "unit_cost", "currency", "material", "re_mass_kg", "component_country"},
			{"P1", "MAG", 1, 20, "USD", "NDFEB_N42", 0.5, "CN"},
		},
		"Scenarios": {{"scenario", "name", "probability", "decided_on", "checked"}, {"lapse", "Suspension lapses", 0.4, "2026-11-10", "2026-11-20"}, {"holds", "", 0.6, "", "2026-11-20"}},
		"Controls":  {{"scenario", "elements", "hs_prefix", "price_uplift_pct"}, {"lapse", "HRE7", "8505.11", 100}},
	}, Options{Now: time.Date(2026, time.December, 6, 9, 0, 0, 0, time.UTC)})
	wantFigures(t, l.Problems, "Scenarios", "", "scenario lapse (\"Suspension lapses\") was decided on 2026-11-10, 26 days before this report: its outcome is now known, so its probability belongs at 1 (it happened; then set the scenarios that assume otherwise to 0) or 0 (it did not) on the Scenarios sheet, not at the 40% prior it is weighed with")
	wantFigures(t, l.Problems, "BOM", "", "1 of 1 lines with rare-earth content have no hs_code (BOM!2)", "Controls rows Controls!2 (lapse, 850511)")

	// Two outcomes of the same decision are named together, once.
	l = mustRead(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "unit_cost", "currency", "material", "re_mass_kg", "component_country", "hs_code"},
			{"P1", "MAG", 1, 20, "USD", "NDFEB_N42", 0.5, "CN", "8505.11"},
		},
		"Scenarios": {{"scenario", "name", "probability", "decided_on", "checked"},
			{"lapse", "Suspension lapses", 0.4, "2026-11-10", "2026-11-20"}, {"renewed", "Suspension renewed", 0.6, "2026-11-10", "2026-11-20"}},
	}, Options{Now: time.Date(2026, time.December, 6, 9, 0, 0, 0, time.UTC)})
	wantFigures(t, l.Problems, "Scenarios", "", `scenarios lapse ("Suspension lapses") and renewed ("Suspension renewed") are outcomes of one decision, settled on 2026-11-10, 26 days before this report (priors 40%, 60%): give the one that happened probability 1 and the others 0`)
	n := 0
	for _, p := range l.Problems {
		if strings.Contains(p.Message, "2026-11-10") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d warnings name the decision of 2026-11-10, want 1", n)
	}
}

// TestPastTariffsAndUnknownOrigin: a Tariffs row dated before the
// projection starts is named (it would count a duty already in the unit
// cost twice); rows from the start or relative to it are not. A
// cost-bearing line with neither origin nor component country is named.
func TestPastTariffsAndUnknownOrigin(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "unit_cost", "currency", "material", "re_mass_kg", "component_country", "hs_code"},
			{"P1", "MAG", 1, 20, "USD", "NDFEB_N42", 0.5, "CN", "8505.11"},
			{"P1", "BOLT", 1, 1, "USD", "", "", "", "7318.15"},
		},
		"Scenarios": {{"scenario", "probability"}, {"s232", 0.5}, {"later", 0.5}},
		"Tariffs": {{"scenario", "import_country", "origin_country", "hs_prefix", "tariff_pct", "from_month"},
			{"s232", "US", "CN", "8505", 25, "2026-07"},
			{"later", "US", "CN", "8505", 25, "2026-12"},
			{"later", "US", "CN", "7318", 10, 1}},
	}, Options{Now: time.Date(2026, time.December, 6, 9, 0, 0, 0, time.UTC)})
	wantFigures(t, l.Problems, "Scenarios", "", "scenario s232: 1 Tariffs row(s) (Tariffs!2) took effect from 2026-07, before the projection starts (2026-12)")
	wantFigures(t, l.Problems, "BOM", "", "1 cost-bearing line(s) (BOM!3) name neither an origin nor a component country")
	for _, p := range l.Problems {
		if strings.Contains(p.Message, "scenario later:") {
			t.Errorf("rows from the projection's start are named: %s", p.Message)
		}
	}
}
