package inputs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/workbook"
)

// Tests of the Scenarios, Controls and Tariffs sheets (SPEC section 4) and
// of the built-in library.

// withScenarios is a minimal input with the given scenario sheets.
func withScenarios(extra map[string][][]any) map[string][][]any {
	s := map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM()}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

func scenarioByID(t *testing.T, scs []exposure.Scenario, id string) exposure.Scenario {
	t.Helper()
	for _, sc := range scs {
		if sc.ID == id {
			return sc
		}
	}
	t.Fatalf("no scenario %q", id)
	return exposure.Scenario{}
}

func sumPriors(scs []exposure.Scenario) decimal.Decimal {
	sum := decimal.Zero
	for _, sc := range scs {
		sum = sum.Add(sc.Prior)
	}
	return sum
}

func wantSumOne(t *testing.T, scs []exposure.Scenario) {
	t.Helper()
	if d := sumPriors(scs).Sub(decimal.NewFromInt(1)).Abs(); d.GreaterThan(decimal.RequireFromString("1e-15")) {
		t.Errorf("priors add up to %s, want 1", sumPriors(scs))
	}
}

func TestScenariosReplaceLibrary(t *testing.T) {
	l := mustRead(t, withScenarios(map[string][][]any{
		"Scenarios": {
			{"scenario", "name", "stance", "probability", "country", "spot_premium_pct", "description", "source"},
			{"a", "Shock A", "Tightening", 0.5, nil, 200, "what A assumes", "MOFCOM No. 18"},
			{"b", nil, "Status Quo", nil, "USA", "50 (30..80)", nil, nil},
			{"c", "C", "easing", nil, "cn", nil, nil, nil},
		},
	}), Options{})
	if len(l.Input.Scenarios) != 3 {
		t.Fatalf("%d scenarios, want the input's 3", len(l.Input.Scenarios))
	}
	if !strings.Contains(l.ScenarioSource, "input.xlsx") {
		t.Errorf("scenario source %q does not name the input", l.ScenarioSource)
	}
	a, b, c := l.Input.Scenarios[0], l.Input.Scenarios[1], l.Input.Scenarios[2]
	if a.ID != "a" || a.Name != "Shock A" || a.Stance != "tightening" || a.Country != "CN" || a.Source != "MOFCOM No. 18" || a.Description != "what A assumes" {
		t.Errorf("a = %+v", a)
	}
	if b.Name != "b" || b.Stance != "status-quo" || b.Country != "US" {
		t.Errorf("b: name %q (want the id), stance %q, country %q", b.Name, b.Stance, b.Country)
	}
	if c.Stance != "easing" || c.Country != "CN" {
		t.Errorf("c: stance %q country %q", c.Stance, c.Country)
	}
	// 0.5 given; b and c blank share the other 0.5: 0.25 each.
	wantDec(t, "a prior", a.Prior, "0.5")
	wantDec(t, "b prior", b.Prior, "0.25")
	wantDec(t, "c prior", c.Prior, "0.25")
	if a.PriorBlank || !b.PriorBlank {
		t.Errorf("PriorBlank a %v b %v", a.PriorBlank, b.PriorBlank)
	}
	wantSumOne(t, l.Input.Scenarios)
	// Spot premium: a plain 200, and b's range in the cell.
	if a.SpotPremium.Ranged || !a.SpotPremium.Value.Equal(decimal.NewFromInt(200)) {
		t.Errorf("a spot premium %+v", a.SpotPremium)
	}
	wantParam(t, "b spot premium", b.SpotPremium, "50", "30", "80")
	if !c.SpotPremium.Value.IsZero() {
		t.Errorf("c spot premium %+v, want 0", c.SpotPremium)
	}
	if len(a.Controls) != 0 || len(a.Tariffs) != 0 {
		t.Errorf("a has controls or tariffs without Controls/Tariffs sheets")
	}
}

func wantParam(t *testing.T, what string, p exposure.Param, value, low, high string) {
	t.Helper()
	wantDec(t, what+" value", p.Value, value)
	wantDec(t, what+" low", p.Low, low)
	wantDec(t, what+" high", p.High, high)
	if ranged := value != low || value != high; p.Ranged != ranged {
		t.Errorf("%s ranged = %v, want %v", what, p.Ranged, ranged)
	}
}

func TestScenarioProbabilities(t *testing.T) {
	t.Run("formats", func(t *testing.T) {
		// 0.2 as text "20%", 0.3 as a cell shown 30%, the blank gets the
		// 0.5 left.
		l := mustRead(t, withScenarios(map[string][][]any{
			"Scenarios": {{"scenario", "Probability (%)"}, {"a", "20%"}, {"b", pctCell(0.3)}, {"c", nil}},
		}), Options{})
		wantDec(t, "a", scenarioByID(t, l.Input.Scenarios, "a").Prior, "0.2")
		wantDec(t, "b", scenarioByID(t, l.Input.Scenarios, "b").Prior, "0.3")
		wantDec(t, "c", scenarioByID(t, l.Input.Scenarios, "c").Prior, "0.5")
	})
	t.Run("over 1", func(t *testing.T) {
		// 0.8 + 0.6 = 1.4: scaled to 0.8/1.4 = 4/7 and 0.6/1.4 = 3/7, the
		// blank gets 0, with a warning.
		l := mustRead(t, withScenarios(map[string][][]any{
			"Scenarios": {{"scenario", "probability"}, {"a", 0.8}, {"b", 0.6}, {"c", nil}},
		}), Options{})
		scs := l.Input.Scenarios
		tol := decimal.RequireFromString("1e-15")
		for id, want := range map[string]decimal.Decimal{
			"a": decimal.NewFromInt(4).DivRound(decimal.NewFromInt(7), 20),
			"b": decimal.NewFromInt(3).DivRound(decimal.NewFromInt(7), 20),
			"c": decimal.Zero,
		} {
			if got := scenarioByID(t, scs, id).Prior; got.Sub(want).Abs().GreaterThan(tol) {
				t.Errorf("%s prior %s, want %s", id, got, want)
			}
		}
		wantSumOne(t, scs)
		warned := false
		for _, p := range l.Problems {
			if !p.Error && p.Sheet == "Scenarios" && strings.Contains(p.Message, "1.4") {
				warned = true
			}
		}
		if !warned {
			t.Errorf("no warning about priors adding up to 1.4:\n%s", listProblems(l.Problems))
		}
	})
	t.Run("bad", func(t *testing.T) {
		// A number above 1 is an error, not a guess at a percentage.
		ie := mustFail(t, withScenarios(map[string][][]any{
			"Scenarios": {{"scenario", "probability"}, {"a", 25}, {"b", "-0.1"}, {"c", "1,5"}},
		}), Options{})
		wantProblem(t, ie.Problems, "Scenarios", "B2", true)
		wantProblem(t, ie.Problems, "Scenarios", "B3", true)
		wantProblem(t, ie.Problems, "Scenarios", "B4", true, "1,5")
	})
}

func TestScenarioSheetErrors(t *testing.T) {
	ie := mustFail(t, withScenarios(map[string][][]any{
		"Scenarios": {
			{"scenario", "stance", "country", "spot_premium_pct"},
			{"a", "panic", nil, nil},       // B2
			{"a", nil, nil, nil},           // A3: duplicate id
			{nil, "easing", nil, nil},      // A4: empty id
			{"d", nil, "Atlantis", nil},    // C5
			{"e", nil, nil, "-10"},         // D6: negative premium
			{"f", nil, nil, "50 (60..80)"}, // D7: value outside its range
		},
	}), Options{})
	for _, cell := range []string{"B2", "A3", "A4", "C5", "D6", "D7"} {
		wantProblem(t, ie.Problems, "Scenarios", cell, true)
	}
}

func TestControls(t *testing.T) {
	l := mustRead(t, withScenarios(map[string][][]any{
		"Scenarios": {{"scenario", "probability"}, {"a", 0.6}, {"b", 0.4}},
		"Controls": {
			{"scenario", "elements", "class", "price_uplift_pct", "price_uplift_low", "price_uplift_high",
				"availability_pct", "delay_days", "delay_low", "delay_high", "from_month", "to_month"},
			// Row 2: a range in the cell, a month window of projection
			// months 1..2.
			{"a", "HRE7", "direct", "200 (100..330)", nil, nil, "25", "63", nil, nil, 1, 2},
			// Row 3: the range in _low/_high columns, availability as a
			// cell shown 50%, calendar months as text and as a date cell.
			{"a", "HRE12", "Upstream", 30, 20, 60, pctCell(0.5), "30 (10..45)", nil, nil, "2026-11", dateCell("2027-04-10")},
			// Row 4: every priced element, any class; empty fields mean
			// uplift 0, availability 100, delay 0; an open window.
			{"b", "*", "*", nil, nil, nil, nil, nil, nil, nil, nil, nil},
			// Row 5: names and symbols; an empty class is *; delay range
			// in columns; a negative uplift (easing).
			{"b", "Dysprosium, tb,Nd", nil, "-20", nil, nil, "100%", 10, 5, 20, nil, "Nov 2027"},
		},
	}), Options{})
	a := scenarioByID(t, l.Input.Scenarios, "a")
	b := scenarioByID(t, l.Input.Scenarios, "b")
	if len(a.Controls) != 2 || len(b.Controls) != 2 {
		t.Fatalf("controls: a %d, b %d; want 2 and 2", len(a.Controls), len(b.Controls))
	}

	c := a.Controls[0]
	if len(c.Elements) != 7 || c.AllElements || c.Class != exposure.ClassDirect || c.Ref != "Controls!2" {
		t.Errorf("row 2: elements %v all %v class %v ref %q", c.Elements, c.AllElements, c.Class, c.Ref)
	}
	wantElems(t, "HRE7", c.Elements, "Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y")
	wantParam(t, "row 2 uplift", c.Uplift, "200", "100", "330")
	wantParam(t, "row 2 availability", c.Availability, "25", "25", "25")
	wantParam(t, "row 2 delay", c.Delay, "63", "63", "63")
	if c.From != (exposure.Month{Relative: 1}) || c.To != (exposure.Month{Relative: 2}) {
		t.Errorf("row 2 window %+v..%+v, want months 1..2", c.From, c.To)
	}

	c = a.Controls[1]
	wantElems(t, "HRE12", c.Elements, "Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y", "Ho", "Er", "Tm", "Eu", "Yb")
	if c.Class != exposure.ClassUpstream {
		t.Errorf("row 3 class %v", c.Class)
	}
	wantParam(t, "row 3 uplift", c.Uplift, "30", "20", "60")
	wantParam(t, "row 3 availability", c.Availability, "50", "50", "50")
	wantParam(t, "row 3 delay", c.Delay, "30", "10", "45")
	if c.From != (exposure.Month{Year: 2026, Month: time.November}) || c.To != (exposure.Month{Year: 2027, Month: time.April}) {
		t.Errorf("row 3 window %+v..%+v, want 2026-11..2027-04", c.From, c.To)
	}

	c = b.Controls[0]
	if !c.AllElements || len(c.Elements) != 0 || c.Class != exposure.AnyClass {
		t.Errorf("row 4: all %v elements %v class %v", c.AllElements, c.Elements, c.Class)
	}
	wantParam(t, "row 4 uplift", c.Uplift, "0", "0", "0")
	wantParam(t, "row 4 availability", c.Availability, "100", "100", "100")
	wantParam(t, "row 4 delay", c.Delay, "0", "0", "0")
	if !c.From.IsZero() || !c.To.IsZero() {
		t.Errorf("row 4 window %+v..%+v, want open", c.From, c.To)
	}

	c = b.Controls[1]
	wantElems(t, "names", c.Elements, "Dy", "Tb", "Nd")
	if c.Class != exposure.AnyClass {
		t.Errorf("row 5 class %v, want * (empty)", c.Class)
	}
	wantParam(t, "row 5 uplift", c.Uplift, "-20", "-20", "-20")
	wantParam(t, "row 5 availability", c.Availability, "100", "100", "100")
	wantParam(t, "row 5 delay", c.Delay, "10", "5", "20")
	if c.To != (exposure.Month{Year: 2027, Month: time.November}) {
		t.Errorf("row 5 to %+v", c.To)
	}
}

func wantElems(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s elements %v, want %v", what, got, want)
	}
}

func TestControlsErrors(t *testing.T) {
	ie := mustFail(t, withScenarios(map[string][][]any{
		"Scenarios": {{"scenario"}, {"a"}},
		"Controls": {
			{"scenario", "elements", "class", "price_uplift_pct", "availability_pct", "delay_days", "from_month", "to_month"},
			{"zz", "Dy", "direct", 10, nil, nil, nil, nil},            // A2: unknown scenario
			{"a", "Unobtainium", "direct", 10, nil, nil, nil, nil},    // B3: unknown element
			{"a", "Dy", "sideways", 10, nil, nil, nil, nil},           // C4: unknown class
			{"a", "Dy", "direct", "-150", nil, nil, nil, nil},         // D5: below -100
			{"a", "Dy", "direct", 10, 120, nil, nil, nil},             // E6: above 100
			{"a", "Dy", "direct", 10, nil, "-5", nil, nil},            // F7: negative delay
			{"a", "Dy", "direct", 10, nil, nil, "2027-05", "2027-01"}, // H8: to before from
			{"a", "Dy", "direct", "30 (40..60)", nil, nil, nil, nil},  // D9: value outside range
			{"a", "*, Dy", "direct", 10, nil, nil, nil, nil},          // B10: * and a list
			{"a", nil, "direct", 10, nil, nil, nil, nil},              // B11: empty
			{"a", "Dy", "direct", 10, "5%%", nil, "month 3", nil},     // E12 and G12
		},
	}), Options{})
	for _, cell := range []string{"A2", "B3", "C4", "D5", "E6", "F7", "H8", "D9", "B10", "B11", "E12", "G12"} {
		wantProblem(t, ie.Problems, "Controls", cell, true)
	}
	wantProblem(t, ie.Problems, "Controls", "A2", true, "zz")
	wantProblem(t, ie.Problems, "Controls", "B3", true, "Unobtainium")
}

func TestControlsNeedScenarios(t *testing.T) {
	for _, sheet := range []string{"Controls", "Tariffs"} {
		t.Run(sheet, func(t *testing.T) {
			rows := map[string][][]any{
				"Controls": {{"scenario", "elements", "price_uplift_pct"}, {"cn-status-quo-2026", "Dy", 10}},
				"Tariffs":  {{"scenario", "import_country", "tariff_pct"}, {"cn-status-quo-2026", "US", 10}},
			}
			ie := mustFail(t, withScenarios(map[string][][]any{sheet: rows[sheet]}), Options{})
			wantProblem(t, ie.Problems, sheet, "", true, "Scenarios")
		})
	}
}

func TestTariffs(t *testing.T) {
	l := mustRead(t, withScenarios(map[string][][]any{
		"Scenarios": {{"scenario", "probability"}, {"a", 1}},
		"Tariffs": {
			{"scenario", "import_country", "origin_country", "material", "hs_prefix", "tariff_pct", "tariff_low", "tariff_high", "from_month", "to_month"},
			{"a", "USA", "China", nil, "8505.11", "25 (10..45)", nil, nil, "2026-01", nil},
			{"a", "US", "*", "ndfeb_n42", nil, 10, 5, 20, 1, 12},
			{"a", "Germany", nil, nil, "2846", pctCell(0.05), nil, nil, nil, nil},
		},
	}), Options{})
	tr := scenarioByID(t, l.Input.Scenarios, "a").Tariffs
	if len(tr) != 3 {
		t.Fatalf("%d tariffs, want 3", len(tr))
	}
	if tr[0].ImportCountry != "US" || tr[0].Origin != "CN" || tr[0].HSPrefix != "8505.11" || tr[0].Material != "" || tr[0].Ref != "Tariffs!2" {
		t.Errorf("row 2 %+v", tr[0])
	}
	wantParam(t, "row 2 tariff", tr[0].Pct, "25", "10", "45")
	if tr[0].From != (exposure.Month{Year: 2026, Month: time.January}) || !tr[0].To.IsZero() {
		t.Errorf("row 2 window %+v..%+v", tr[0].From, tr[0].To)
	}
	if tr[1].Origin != "*" || tr[1].Material != "NDFEB_N42" {
		t.Errorf("row 3 origin %q material %q", tr[1].Origin, tr[1].Material)
	}
	wantParam(t, "row 3 tariff", tr[1].Pct, "10", "5", "20")
	// An empty origin is every origin; a cell shown 5% is 5.
	if tr[2].ImportCountry != "DE" || tr[2].Origin != "*" {
		t.Errorf("row 4 import %q origin %q", tr[2].ImportCountry, tr[2].Origin)
	}
	wantParam(t, "row 4 tariff", tr[2].Pct, "5", "5", "5")

	ie := mustFail(t, withScenarios(map[string][][]any{
		"Scenarios": {{"scenario"}, {"a"}},
		"Tariffs": {
			{"scenario", "import_country", "origin_country", "material", "hs_prefix", "tariff_pct"},
			{"b", "US", "CN", nil, nil, 10},           // A2
			{"a", "Atlantis", "CN", nil, nil, 10},     // B3
			{"a", "US", "Chna", nil, nil, 10},         // C4
			{"a", "US", "CN", "UNOBTAINIUM", nil, 10}, // D5
			{"a", "US", "CN", nil, "85O5", 10},        // E6
			{"a", "US", "CN", nil, nil, nil},          // F7: empty tariff
			{"a", nil, "CN", nil, nil, 10},            // B8: empty import country
		},
	}), Options{})
	for _, cell := range []string{"A2", "B3", "C4", "D5", "E6", "F7", "B8"} {
		wantProblem(t, ie.Problems, "Tariffs", cell, true)
	}
}

func TestScenariosOnly(t *testing.T) {
	sheets := withScenarios(map[string][][]any{
		"Scenarios": {{"scenario", "probability"}, {"a", 0.5}, {"b", 0.3}, {"c", 0.2}},
	})
	l := mustRead(t, sheets, Options{Only: []string{"c", "a"}})
	var ids []string
	for _, sc := range l.Input.Scenarios {
		ids = append(ids, sc.ID)
	}
	if strings.Join(ids, ",") != "a,c" {
		t.Errorf("scenarios %v, want a, c (library order)", ids)
	}
	// 0.5 + 0.2 = 0.7 is scaled to 1: 5/7 and 2/7.
	wantSumOne(t, l.Input.Scenarios)

	// The Settings sheet's only key works as the flag.
	sheets["Settings"] = [][]any{{"key", "value"}, {"only", "b"}}
	l = mustRead(t, sheets, Options{})
	if len(l.Input.Scenarios) != 1 || l.Input.Scenarios[0].ID != "b" {
		t.Errorf("Settings only=b: %d scenarios", len(l.Input.Scenarios))
	}
	delete(sheets, "Settings")

	ie := mustFail(t, sheets, Options{Only: []string{"a", "nope"}})
	wantProblem(t, ie.Problems, "", "--only", true, "nope")

	// --only against the built-in library.
	l = mustRead(t, withScenarios(nil), Options{Only: []string{"cn-status-quo-2026"}})
	if len(l.Input.Scenarios) != 1 {
		t.Errorf("%d scenarios", len(l.Input.Scenarios))
	}
	wantDec(t, "prior", l.Input.Scenarios[0].Prior, "1")
}

func TestScenariosFlagBook(t *testing.T) {
	lib := mustWorkbook(t, map[string][][]any{
		"Scenarios": {{"scenario", "probability"}, {"x", 0.7}, {"y", 0.3}},
		"Controls":  {{"scenario", "elements", "class", "price_uplift_pct"}, {"x", "Nd,Pr", "direct", 40}},
	})
	sb, err := OpenPath(context.Background(), lib, workbook.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	// The --scenarios book wins over the input's own Scenarios sheet.
	l := mustRead(t, withScenarios(map[string][][]any{
		"Scenarios": {{"scenario"}, {"mine"}},
	}), Options{Scenarios: sb})
	if len(l.Input.Scenarios) != 2 || l.Input.Scenarios[0].ID != "x" || l.ScenarioSource != lib {
		t.Fatalf("scenarios %+v from %q", l.Input.Scenarios, l.ScenarioSource)
	}
	if c := l.Input.Scenarios[0].Controls; len(c) != 1 || c[0].Ref != "Controls!2" {
		t.Errorf("x controls %+v", c)
	}

	scs, src, err := ReadLibrary(sb)
	if err != nil || len(scs) != 2 || src != lib {
		t.Errorf("ReadLibrary(book) = %d scenarios from %q, %v", len(scs), src, err)
	}

	// A --scenarios book without a Scenarios sheet.
	nb, err := OpenPath(context.Background(), mustWorkbook(t, map[string][][]any{"Controls": {{"scenario", "elements"}}}), workbook.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer nb.Close()
	ie := wantInputError(t, mustWorkbook(t, withScenarios(nil)), Options{Scenarios: nb})
	found := false
	for _, p := range ie.Problems {
		if p.Error && strings.Contains(p.Message, "Scenarios") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error about the missing Scenarios sheet:\n%s", listProblems(ie.Problems))
	}
}

func TestLibrary(t *testing.T) {
	scs, src, err := ReadLibrary(nil)
	if err != nil {
		t.Fatalf("ReadLibrary(nil): %v", err)
	}
	if !strings.Contains(src, "built-in") {
		t.Errorf("source %q", src)
	}
	if n := len(scs); n < 6 || n > 8 {
		t.Errorf("%d scenarios, want 6 to 8", n)
	}
	wantSumOne(t, scs)
	seen := map[string]bool{}
	stances := map[string]bool{}
	for _, sc := range scs {
		if seen[sc.ID] {
			t.Errorf("scenario %q twice", sc.ID)
		}
		seen[sc.ID] = true
		stances[sc.Stance.String()] = true
		if sc.Source == "" || sc.Name == "" || sc.Description == "" {
			t.Errorf("%s: source %q name %q description %q", sc.ID, sc.Source, sc.Name, sc.Description)
		}
		if sc.Checked == "" {
			t.Errorf("%s: no date checked", sc.ID)
		}
		if sc.Prior.Sign() <= 0 || sc.Country != "CN" {
			t.Errorf("%s: prior %s country %q", sc.ID, sc.Prior, sc.Country)
		}
		if len(sc.Controls)+len(sc.Tariffs) == 0 {
			t.Errorf("%s: no controls and no tariffs", sc.ID)
		}
	}
	for _, st := range []string{"easing", "status-quo", "tightening", "escalation"} {
		if !stances[st] {
			t.Errorf("no %s scenario in the library", st)
		}
	}
	// Read with no scenario sheets uses the same library.
	l := mustRead(t, withScenarios(nil), Options{})
	if len(l.Input.Scenarios) != len(scs) {
		t.Errorf("Read gives %d library scenarios, ReadLibrary %d", len(l.Input.Scenarios), len(scs))
	}
}

func TestControlsHSPrefix(t *testing.T) {
	cases := []struct {
		name string
		cell any
		want string // digits only, as HS codes are compared
	}{
		{"dotted", "8505.11", "850511"},
		{"number cell", 2846, "2846"},
		{"spaces and dots", " 2805.30 ", "280530"},
		{"empty covers every line", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := mustRead(t, withScenarios(map[string][][]any{
				"Scenarios": {{"scenario", "probability"}, {"a", 1}},
				"Controls":  {{"scenario", "elements", "class", "hs_prefix", "price_uplift_pct"}, {"a", "Dy", "direct", tc.cell, 10}},
			}), Options{})
			c := scenarioByID(t, l.Input.Scenarios, "a").Controls
			if len(c) != 1 || c[0].HSPrefix != tc.want {
				t.Errorf("controls %+v, want one with HS prefix %q", c, tc.want)
			}
		})
	}
	// Anything but digits and dots is an error at the cell, D2 and D3.
	ie := mustFail(t, withScenarios(map[string][][]any{
		"Scenarios": {{"scenario", "probability"}, {"a", 1}},
		"Controls": {
			{"scenario", "elements", "class", "hs_prefix", "price_uplift_pct"},
			{"a", "Dy", "direct", "8505.1x", 10},
			{"a", "Tb", "direct", "..", 10},
		},
	}), Options{})
	wantProblem(t, ie.Problems, "Controls", "D2", true, "8505.1x")
	wantProblem(t, ie.Problems, "Controls", "D3", true, "digits")
}

func TestScenariosDecidedOn(t *testing.T) {
	l := mustRead(t, withScenarios(map[string][][]any{
		"Scenarios": {
			{"scenario", "probability", "decided_on"},
			{"text", 0.25, "2026-11-10"},
			{"date-cell", 0.25, dateCell("2026-11-10")},
			{"timestamp", 0.25, "2026-11-10T00:00:00"},
			{"open", 0.25, nil},
		},
	}), Options{})
	for id, want := range map[string]string{"text": "2026-11-10", "date-cell": "2026-11-10", "timestamp": "2026-11-10", "open": ""} {
		if got := scenarioByID(t, l.Input.Scenarios, id).DecidedOn; got != want {
			t.Errorf("%s decided on %q, want %q", id, got, want)
		}
	}
	// A month or a word is no date: an error naming the cell, C2 and C3.
	ie := mustFail(t, withScenarios(map[string][][]any{
		"Scenarios": {
			{"scenario", "probability", "decided_on"},
			{"month", 0.5, "2026-11"},
			{"word", 0.5, "after the summit"},
		},
	}), Options{})
	wantProblem(t, ie.Problems, "Scenarios", "C2", true, "decided_on", "2026-11")
	wantProblem(t, ie.Problems, "Scenarios", "C3", true, "after the summit")
}
