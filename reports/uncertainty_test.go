package reports

import (
	"strings"
	"testing"
	"time"

	"rexpo/exposure"
)

// addUncertainty gives the fixture the figures of SPEC section 7:
// percentiles, the mixture (mean 0.6 × 1,260 + 0.4 × 13,000 = 5,956), a
// monthly band, a tornado and phases.
func addUncertainty(r *exposure.Result) {
	sq, emb := &r.Scenarios[0], &r.Scenarios[1]
	sq.P10, sq.P50, sq.P90, sq.Mean, sq.Uncertain = d("1100"), d("1200"), d("1500"), d("1260"), true
	emb.P10, emb.P50, emb.P90, emb.Mean, emb.Uncertain = d("9000"), d("12000.5"), d("18000"), d("13000"), true
	r.Mix = exposure.Mix{Mean: d("5956"), P50: d("1200"), P90: d("15000"), P95: d("18000"), Draws: 10000}
	for _, m := range r.Months {
		r.MixMonths = append(r.MixMonths, exposure.Band{Month: m, P10: d("100"), P50: d("100"), P90: d("1000.04")})
	}
	r.Sensitivity = []exposure.Swing{
		{Kind: exposure.SwingSpot, Scenario: "embargo", Range: "the ranges given", Low: d("5000"), High: d("6500"), Swing: d("1500")},
		{Kind: exposure.SwingPrice, Element: "Nd", Range: "±25% (no range given)", Low: d("5160.2"), High: d("5880.2"), Swing: d("720")},
		{Kind: exposure.SwingUplift, Scenario: "sq-nov25", Rows: 2, Range: "±25% (no range given)", Low: d("5400.2"), High: d("5640.2"), Swing: d("240")},
	}
	sq.Phases = []exposure.Phase{
		{From: 1, To: 11, FromMonth: "2026-01", ToMonth: "2026-11", Controls: []int{0, 1}},
		{From: 12, To: 12, FromMonth: "2026-12", ToMonth: "2026-12", Controls: []int{1}},
	}
	emb.Phases = []exposure.Phase{
		{From: 1, To: 2, FromMonth: "2026-01", ToMonth: "2026-02"},
		{From: 3, To: 12, FromMonth: "2026-03", ToMonth: "2026-12", Tariffs: []int{0}},
	}
}

// addSignals gives the fixture signals that moved the priors.
func addSignals(r *exposure.Result) {
	relax := exposure.Signal{Date: time.Date(2025, 12, 18, 0, 0, 0, 0, time.UTC), Name: "mofcom_tone", Value: "relax", Source: "MOFCOM, 18 Dec 2025"}
	older := exposure.Signal{Date: time.Date(2025, 10, 9, 0, 0, 0, 0, time.UTC), Name: "mofcom_tone", Value: "tighten", Source: "MOFCOM No. 61"}
	rule := exposure.SignalRule{ID: "MOFCOM_APPROVED", Signal: "mofcom_tone", Op: exposure.OpEQ, Operand: "relax", Stance: "status-quo",
		LR: d("1.5"), Rationale: "Approval wording preceded export rebounds.", Source: "MOFCOM briefings"}
	r.Input.Signals = []exposure.Signal{older, relax}
	r.Signals = &exposure.SignalReport{
		RuleSet: "embedded defaults (test)",
		Latest:  []exposure.Signal{relax},
		Rules:   []exposure.RuleOutcome{{Rule: rule, Value: &relax, Matched: true, Scenarios: []string{"sq-nov25"}}},
		Weights: []exposure.ScenarioWeight{
			{ID: "sq-nov25", Stance: "status-quo", Prior: d("0.5"), Factor: d("1.5"), Posterior: d("0.6")},
			{ID: "embargo", Stance: "escalation", Prior: d("0.5"), Factor: d("1"), Posterior: d("0.4")},
		},
	}
}

func withSignals() *fixture {
	fx := newFixture()
	addSignals(fx.r)
	return fx
}

func TestScenariosUncertainty(t *testing.T) {
	f, _ := writeFixture(t, withSignals())
	wantNumber(t, f, "Scenarios", "I2", 1100)
	wantNumber(t, f, "Scenarios", "J3", 12000.5)
	wantNumber(t, f, "Scenarios", "K3", 18000)
	if got := cellValue(t, f, "Scenarios", "G1"); got != "Probability after signals (%)" {
		t.Errorf("Scenarios!G1 = %q, want the probability after signals", got)
	}
	// The mixture block and the tornado below the table.
	cell := findCell(t, f, "Scenarios", "P95")
	row := strings.TrimLeft(cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	wantNumber(t, f, "Scenarios", "C"+row, 18000)
	cell = findCell(t, f, "Scenarios", "Full embargo: spot premium")
	row = strings.TrimLeft(cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	wantNumber(t, f, "Scenarios", "A"+row, 1)
	wantNumber(t, f, "Scenarios", "F"+row, 1500)
	wantNumber(t, f, "Scenarios", "G"+row, 5000-5520.2)
	findCell(t, f, "Scenarios", "Nd (neodymium) price, all scenarios")
	findCell(t, f, "Scenarios", "Status quo after the November 2025 suspension: price uplifts (2 rows)")
}

func TestProjectionBandAndPhases(t *testing.T) {
	f, _ := writeFixture(t, newFixture())
	if got := cellValue(t, f, "Projection", "E1"); got != "All scenarios, P10 (USD)" {
		t.Errorf("Projection!E1 = %q", got)
	}
	wantNumber(t, f, "Projection", "F2", 1000.04)
	wantNumber(t, f, "Projection", "G2", 900.04)
	findCell(t, f, "Projection", "Dy, Tb, direct sources: price +20%, 90% available, +30 days\nevery element, all sources: price +5%")
	findCell(t, f, "Projection", "Tariff on HS 850511 from China: +25% (10..45)")
	findCell(t, f, "Projection", "No Controls or Tariffs row applies: no change from today.")
}

func TestSignalsSheet(t *testing.T) {
	f, _ := writeFixture(t, withSignals())
	order := strings.Join(f.GetSheetList(), ",")
	if !strings.Contains(order, "Recommendations,Signals,Assumptions") {
		t.Errorf("sheet order %s, want Signals between Recommendations and Assumptions (SPEC section 9)", order)
	}
	if got := cellValue(t, f, "Signals", "A2"); !strings.Contains(got, "heuristic") || !strings.Contains(got, "embedded defaults (test)") {
		t.Errorf("Signals!A2 = %q, want the heuristic label and the rule set", got)
	}
	findCell(t, f, "Signals", "MOFCOM_APPROVED (×1.5)")
	findCell(t, f, "Signals", "MOFCOM No. 61")
	// Without signals there is no Signals sheet.
	f, _ = writeFixture(t, newFixture())
	if strings.Contains(strings.Join(f.GetSheetList(), ","), "Signals") {
		t.Errorf("a report without signals has a Signals sheet")
	}
	if got := cellValue(t, f, "Scenarios", "G1"); got != "Probability (%)" {
		t.Errorf("Scenarios!G1 = %q without signals", got)
	}
}

func TestJSONUncertainty(t *testing.T) {
	doc, _ := writeFixtureJSON(t, newFixture())
	s := doc["scenarios"].([]any)[1].(map[string]any)
	mix := doc["mix"].(map[string]any)
	for _, tc := range []struct{ name, got, want string }{
		{"scenarios[1].p10", s["p10"].(string), "9000"},
		{"scenarios[1].p50", s["p50"].(string), "12000.5"},
		{"scenarios[1].p90", s["p90"].(string), "18000"},
		{"mix.mean", mix["mean"].(string), "5956"},
		{"mix.p50", mix["p50"].(string), "1200"},
		{"mix.p90", mix["p90"].(string), "15000"},
		{"mix.p95", mix["p95"].(string), "18000"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
