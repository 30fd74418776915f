package exposure

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func numSignal(date, name, v string) Signal {
	return Signal{Date: day(date), Name: name, Value: v, Number: dec(v), IsNum: true}
}

func wordSignal(date, name, v string) Signal {
	return Signal{Date: day(date), Name: name, Value: v}
}

func numRule(signal, op, x, stance, lr string) SignalRule {
	return SignalRule{Signal: signal, Op: op, Operand: x, Number: dec(x), IsNum: true, Stance: Stance(stance), LR: dec(lr)}
}

func wordRule(signal, op, x, stance, lr string) SignalRule {
	return SignalRule{Signal: signal, Op: op, Operand: x, Stance: Stance(stance), LR: dec(lr)}
}

func TestRuleMatches(t *testing.T) {
	cases := []struct {
		name string
		rule SignalRule
		v    Signal
		want bool
	}{
		{"ge equal", numRule("soy", OpGE, "2", "easing", "2"), numSignal("2026-01-01", "soy", "2"), true},
		{"ge below", numRule("soy", OpGE, "2", "easing", "2"), numSignal("2026-01-01", "soy", "1.99"), false},
		{"lt", numRule("soy", OpLT, "0.67", "tightening", "2.5"), numSignal("2026-01-01", "soy", "0.5"), true},
		{"lt equal", numRule("soy", OpLT, "0.67", "tightening", "2.5"), numSignal("2026-01-01", "soy", "0.67"), false},
		{"gt", numRule("soy", OpGT, "1", "easing", "2"), numSignal("2026-01-01", "soy", "1.5"), true},
		{"le", numRule("soy", OpLE, "0", "escalation", "3"), numSignal("2026-01-01", "soy", "0"), true},
		{"eq number", numRule("soy", OpEQ, "0", "escalation", "3"), numSignal("2026-01-01", "soy", "0.00"), true},
		{"ne number", numRule("soy", OpNE, "0", "escalation", "3"), numSignal("2026-01-01", "soy", "0"), false},
		{"number rule, word value", numRule("soy", OpGE, "2", "easing", "2"), wordSignal("2026-01-01", "soy", "lots"), false},
		{"word", wordRule("tone", OpEQ, "relax", "easing", "1.8"), wordSignal("2026-01-01", "tone", "Relax"), true},
		{"word other", wordRule("tone", OpEQ, "relax", "easing", "1.8"), wordSignal("2026-01-01", "tone", "tighten"), false},
		{"word ne", wordRule("tone", OpNE, "relax", "easing", "1.8"), wordSignal("2026-01-01", "tone", "tighten"), true},
		{"yes as TRUE", wordRule("ex", OpEQ, "yes", "easing", "1.5"), wordSignal("2026-01-01", "ex", "TRUE"), true},
		{"no as n", wordRule("ex", OpEQ, "no", "escalation", "3"), wordSignal("2026-01-01", "ex", "n"), true},
		{"yes vs no", wordRule("ex", OpEQ, "yes", "easing", "1.5"), wordSignal("2026-01-01", "ex", "no"), false},
		{"any", SignalRule{Signal: "ann", Op: OpAny, Stance: "escalation", LR: dec("4")}, wordSignal("2026-01-01", "ann", "No. 99"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.Matches(tc.v); got != tc.want {
				t.Errorf("rule %q %s matches %q = %v, want %v", tc.rule.Signal, tc.rule.Condition(), tc.v.Value, got, tc.want)
			}
		})
	}
}

// TestPosteriorByHand works SPEC section 6 through by hand.
//
// Priors: sq 0.5 (status-quo), tight 0.3 (tightening), ease 0.2 (easing).
// Newest values: soybean 2.4 (the 0 of October is older), tone relax,
// exemption no. Matching rules: soybean ≥ 2 → easing × 2; relax → easing
// × 1.8; exemption = no → escalation × 3 (no escalation scenario: moves
// nothing). soybean < 0.67 → tightening does not match the newest value.
//
//	raw:  sq 0.5, tight 0.3, ease 0.2 × 3.6 = 0.72; total 1.52
//	w:    sq 0.5/1.52 = 0.328947…, tight 0.3/1.52 = 0.197368…, ease 0.72/1.52 = 0.473684…
func TestPosteriorByHand(t *testing.T) {
	scens := []Scenario{
		{ID: "sq", Stance: "status-quo", Prior: dec("0.5")},
		{ID: "tight", Stance: "tightening", Prior: dec("0.3")},
		{ID: "ease", Stance: "easing", Prior: dec("0.2")},
	}
	signals := []Signal{
		numSignal("2025-10-31", "soybean_imports_us_mt", "0"),
		numSignal("2026-01-05", "Soybean imports US (Mt)", "2.4"),
		wordSignal("2025-12-18", "mofcom_tone", "relax"),
		wordSignal("2025-11-10", "us_exemption", "no"),
		wordSignal("2025-11-10", "weather", "fine"),
	}
	rules := []SignalRule{
		numRule("soybean_imports_us_mt", OpGE, "2", "easing", "2"),
		numRule("soybean_imports_us_mt", OpLT, "0.67", "tightening", "2.5"),
		wordRule("mofcom_tone", OpEQ, "relax", "easing", "1.8"),
		wordRule("us_exemption", OpEQ, "no", "escalation", "3"),
		wordRule("cliff", OpEQ, "reached", "escalation", "2"),
	}
	w, rep := Posterior(scens, signals, rules, "test rules", time.Time{})
	want := []string{"0.328947", "0.197368", "0.473684"}
	for i := range want {
		if got := w[i].Round(6).String(); got != want[i] {
			t.Errorf("Posterior(%s) = %s, want %s", scens[i].ID, got, want[i])
		}
	}
	if got := rep.Weights[2].Factor.String(); got != "3.6" {
		t.Errorf("factor of ease = %s, want 3.6", got)
	}
	matched := 0
	for _, ro := range rep.Rules {
		if ro.Matched {
			matched++
		}
	}
	if matched != 3 {
		t.Errorf("%d rules matched, want 3 (soybean ≥ 2, relax, exemption no)", matched)
	}
	if !rep.Rules[0].Matched || rep.Rules[len(rep.Rules)-1].Matched {
		t.Errorf("rules are not listed matched first")
	}
	for _, ro := range rep.Rules {
		if ro.Rule.Signal == "cliff" && ro.Value != nil {
			t.Errorf("rule on signal cliff has value %v, want none", ro.Value)
		}
		if ro.Rule.Signal == "us_exemption" && len(ro.Scenarios) != 0 {
			t.Errorf("exemption rule moved %v, want no scenario", ro.Scenarios)
		}
	}
	if len(rep.Latest) != 4 || rep.Latest[0].Value != "2.4" {
		t.Errorf("latest = %v, want 4 signals, soybean 2.4", rep.Latest)
	}
	if len(rep.Unruled) != 1 || rep.Unruled[0] != "weather" {
		t.Errorf("unruled = %v, want [weather]", rep.Unruled)
	}
}

// TestComputeUsesPosterior checks that Compute weighs the expected delta
// by the posterior. Two scenarios, priors 0.5 each; the easing one has
// annual delta 0 and the other 12,000 (Nd 1 kg × 100 × 10% = 10 a unit,
// × 100 units a month × 12). A relax signal (LR 3 for easing) gives
// w = 0.75 / 0.25: expected 3,000.
func TestComputeUsesPosterior(t *testing.T) {
	a := scen("tight", "0", []Control{uplift("Nd", AnyClass, "10")}, nil)
	a.Prior = dec("0.5")
	b := scen("ease", "0", nil, nil)
	b.Prior, b.Stance = dec("0.5"), "easing"
	in := oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "10")}, a, b)
	in.Signals = []Signal{wordSignal("2026-01-01", "mofcom_tone", "relax")}
	in.SignalRules = []SignalRule{wordRule("mofcom_tone", OpEQ, "relax", "easing", "3")}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Scenarios[0].Probability.String(); got != "0.25" {
		t.Errorf("probability(tight) = %s, want 0.25", got)
	}
	if got := r.ExpectedAnnualDelta.String(); got != "3000" {
		t.Errorf("expected_annual_delta = %s, want 3000", got)
	}
	if r.Signals == nil || len(r.Signals.Weights) != 2 {
		t.Fatalf("Signals report missing")
	}
	in.Signals = nil
	r, err = Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.ExpectedAnnualDelta.String(); got != "6000" || r.Signals != nil {
		t.Errorf("without signals expected_annual_delta = %s (report %v), want 6000 and no report", got, r.Signals)
	}
}

// TestPosteriorStaleSignal: the signals of TestPosteriorByHand read on
// 2026-04-05. Soybeans (newest 2026-01-05, 90 days old) still move the
// weights; the MOFCOM tone (2025-12-18, 108 days) and the exemption
// (2025-11-10, 146 days) are older than 92 days and move nothing:
//
//	raw: sq 0.5, tight 0.3, ease 0.2 × 2 = 0.4; total 1.2
//	w:   sq 0.416667, tight 0.25, ease 0.333333
func TestPosteriorStaleSignal(t *testing.T) {
	scens := []Scenario{
		{ID: "sq", Stance: "status-quo", Prior: dec("0.5")},
		{ID: "tight", Stance: "tightening", Prior: dec("0.3")},
		{ID: "ease", Stance: "easing", Prior: dec("0.2")},
	}
	signals := []Signal{
		numSignal("2026-01-05", "soybean_imports_us_mt", "2.4"),
		wordSignal("2025-12-18", "mofcom_tone", "relax"),
	}
	rules := []SignalRule{
		numRule("soybean_imports_us_mt", OpGE, "2", "easing", "2"),
		wordRule("mofcom_tone", OpEQ, "relax", "easing", "1.8"),
	}
	asOf := time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC)
	w, rep := Posterior(scens, signals, rules, "test rules", asOf)
	for i, want := range []string{"0.416667", "0.25", "0.333333"} {
		if got := w[i].Round(6).String(); got != want {
			t.Errorf("Posterior(%s) = %s, want %s", scens[i].ID, got, want)
		}
	}
	if len(rep.Stale) != 1 || rep.Stale[0] != "mofcom_tone" {
		t.Errorf("stale = %v, want [mofcom_tone]", rep.Stale)
	}
	for _, ro := range rep.Rules {
		if ro.Rule.Signal == "mofcom_tone" && (ro.Matched || !ro.Stale) {
			t.Errorf("tone rule matched=%v stale=%v, want stale and not matched", ro.Matched, ro.Stale)
		}
	}
	// A week later the soybeans are 97 days old too: the priors stand.
	w, _ = Posterior(scens, signals, rules, "test rules", asOf.AddDate(0, 0, 7))
	for i, want := range []string{"0.5", "0.3", "0.2"} {
		if got := w[i].Round(6).String(); got != want {
			t.Errorf("a week later, Posterior(%s) = %s, want %s", scens[i].ID, got, want)
		}
	}
}

func yoyRule(signal, op, x, stance, lr string) SignalRule {
	r := numRule(signal, op, x, stance, lr)
	r.Measure = MeasureYoY
	return r
}

func avg3Rule(signal, op, x, stance, lr string) SignalRule {
	r := numRule(signal, op, x, stance, lr)
	r.Measure = MeasureAvg3
	return r
}

// threeStances are the scenarios of the hand-worked cases below:
// priors sq 0.5 (status-quo), tight 0.3 (tightening), ease 0.2 (easing),
// war 0 (escalation, so an escalation rule shows in Scenarios but
// cannot move a zero prior).
func threeStances() []Scenario {
	return []Scenario{
		{ID: "sq", Stance: "status-quo", Prior: dec("0.5")},
		{ID: "tight", Stance: "tightening", Prior: dec("0.3")},
		{ID: "ease", Stance: "easing", Prior: dec("0.2")},
	}
}

// soyRules are the seasonal soybean rules of the embedded defaults.
func soyRules() []SignalRule {
	return []SignalRule{
		avg3Rule("soy", OpGE, "2", "easing", "2"),
		yoyRule("soy", OpLT, "33", "tightening", "2.5"),
		avg3Rule("soy", OpEQ, "0", "escalation", "3"),
	}
}

func wantWeights(t *testing.T, what string, w []decimal.Decimal, want ...string) {
	t.Helper()
	for i := range want {
		if got := w[i].Round(6).String(); got != want[i] {
			t.Errorf("%s: weight %d = %s, want %s", what, i, got, want[i])
		}
	}
}

func outcome(t *testing.T, rep *SignalReport, measure, op string) RuleOutcome {
	t.Helper()
	for _, ro := range rep.Rules {
		if ro.Rule.Measure == measure && ro.Rule.Op == op {
			return ro
		}
	}
	t.Fatalf("no outcome of a %q %s rule", measure, op)
	return RuleOutcome{}
}

// TestSeasonalLowMovesNothing: soybean purchases are low every summer.
// July 2026 reads 0.3 Mt, as July 2025 did; May and June 2026 read 0.2
// and 0.25. By hand:
//
//	yoy  = 0.3 / 0.3 = 100%: not under 33 → the stall rule does not fire
//	avg3 = (0.2 + 0.25 + 0.3) / 3 = 0.25: not ≥ 2 (on track), not 0 (zero)
//
// so the priors stand, where a fixed monthly threshold (< 0.67 Mt) would
// have raised the tightening scenario from 0.3 to 0.517241.
func TestSeasonalLowMovesNothing(t *testing.T) {
	signals := []Signal{
		numSignal("2025-07-31", "soy", "0.3"),
		numSignal("2026-05-31", "soy", "0.2"),
		numSignal("2026-06-30", "soy", "0.25"),
		numSignal("2026-07-31", "soy", "0.3"),
	}
	asOf := day("2026-08-20")
	w, rep := Posterior(threeStances(), signals, soyRules(), "test", asOf)
	wantWeights(t, "seasonal low", w, "0.5", "0.3", "0.2")
	for _, ro := range rep.Rules {
		if ro.Matched || ro.Lacks() != "" {
			t.Errorf("rule %s: matched %v, lacks %q; want unmet with its history", ro.Rule.Condition(), ro.Matched, ro.Lacks())
		}
	}
	if ro := outcome(t, rep, MeasureYoY, OpLT); ro.Measured.String() != "100" || len(ro.Against) != 1 || ro.Against[0].Date != day("2025-07-31") {
		t.Errorf("yoy = %s against %v, want 100 against 2025-07-31", ro.Measured, ro.Against)
	}
	if ro := outcome(t, rep, MeasureAvg3, OpGE); ro.Measured.String() != "0.25" || len(ro.Against) != 2 {
		t.Errorf("avg3 = %s against %v, want 0.25 against May and June", ro.Measured, ro.Against)
	}
	// The fixed threshold the embedded rules no longer use:
	// tight 0.3 × 2.5 = 0.75; total 1.45; 0.75/1.45 = 0.517241.
	w, _ = Posterior(threeStances(), signals, []SignalRule{numRule("soy", OpLT, "0.67", "tightening", "2.5")}, "test", asOf)
	wantWeights(t, "fixed threshold", w, "0.344828", "0.517241", "0.137931")
}

// TestYearOnYearDropFires: May 2025 magnet exports, 1,238 t, against
// 4,762 t in May 2024: 1238 × 100 / 4762 = 25.9975% < 60, so the drop
// rule fires (tightening × 3) and the recovery rule (≥ 100) does not:
//
//	raw: sq 0.5, tight 0.3 × 3 = 0.9, ease 0.2; total 1.6
//	w:   0.3125, 0.5625, 0.125
func TestYearOnYearDropFires(t *testing.T) {
	signals := []Signal{
		numSignal("2024-05-31", "magnet_exports_t", "4762"),
		numSignal("2025-04-30", "magnet_exports_t", "2630"),
		numSignal("2025-05-31", "magnet_exports_t", "1238"),
	}
	rules := []SignalRule{
		yoyRule("magnet_exports_t", OpLT, "60", "tightening", "3"),
		yoyRule("magnet_exports_t", OpGE, "100", "easing", "1.8"),
	}
	w, rep := Posterior(threeStances(), signals, rules, "test", day("2025-06-20"))
	wantWeights(t, "magnet drop", w, "0.3125", "0.5625", "0.125")
	ro := outcome(t, rep, MeasureYoY, OpLT)
	if !ro.Matched || ro.Measured.Round(4).String() != "25.9975" || ro.Value.Number.String() != "1238" || ro.Against[0].Number.String() != "4762" {
		t.Errorf("drop rule: matched %v, yoy %s, newest %v against %v; want fired, 25.9975%%, 1238 against 4762", ro.Matched, ro.Measured.Round(4), ro.Value, ro.Against)
	}
	if len(ro.Scenarios) != 1 || ro.Scenarios[0] != "tight" {
		t.Errorf("drop rule moved %v, want [tight]", ro.Scenarios)
	}
	if ro := outcome(t, rep, MeasureYoY, OpGE); ro.Matched || ro.Met {
		t.Errorf("recovery rule fired on a 26%% month")
	}
}

// TestMissingYearAgoDoesNotFire: December 2025 magnet exports (5,952 t)
// with readings for November 2024 and 2025 but none for December 2024:
// the rule cannot take a percentage, does not fire, and names the month.
// A year-earlier reading of 0 has no percentage either.
func TestMissingYearAgoDoesNotFire(t *testing.T) {
	signals := []Signal{
		numSignal("2024-11-30", "magnet_exports_t", "4794"),
		numSignal("2025-11-30", "magnet_exports_t", "6150"),
		numSignal("2025-12-31", "magnet_exports_t", "5952"),
	}
	rules := []SignalRule{yoyRule("magnet_exports_t", OpGE, "100", "easing", "1.8")}
	w, rep := Posterior(threeStances(), signals, rules, "test", day("2026-02-01"))
	wantWeights(t, "missing year-ago", w, "0.5", "0.3", "0.2")
	ro := rep.Rules[0]
	if ro.Matched || ro.Met || ro.HasMeasure || len(ro.Missing) != 1 || ro.Missing[0] != day("2024-12-01") {
		t.Errorf("matched %v, measured %v, missing %v; want unmet, lacking 2024-12", ro.Matched, ro.HasMeasure, ro.Missing)
	}
	if got := ro.Lacks(); !strings.Contains(got, "2024-12") || !strings.Contains(got, "a year before the newest (2025-12)") {
		t.Errorf("Lacks() = %q, want it to name 2024-12", got)
	}

	// July 2026 0.3 Mt against a July 2025 of 0: no percentage.
	soy := []Signal{numSignal("2025-07-31", "soy", "0"), numSignal("2026-07-31", "soy", "0.3")}
	_, rep = Posterior(threeStances(), soy, []SignalRule{yoyRule("soy", OpLT, "33", "tightening", "2.5")}, "test", day("2026-08-20"))
	if ro := rep.Rules[0]; ro.Matched || !ro.ZeroBase || !strings.Contains(ro.Lacks(), "2025-07 reads 0") {
		t.Errorf("zero base: matched %v, zero %v, lacks %q", ro.Matched, ro.ZeroBase, ro.Lacks())
	}
}

// TestThreeMonthMean: the mean of October, November and December 2025
// purchases, 0.1, 2.0 and 5.9 Mt, is 8 / 3 = 2.666667 ≥ 2: the on-track
// rule fires (easing × 2: raw 0.5, 0.3, 0.4; total 1.2). Only the
// latest November reading counts (0.5 on the 15th, 2.0 on the 30th).
// Without a November reading the mean is not taken.
func TestThreeMonthMean(t *testing.T) {
	signals := []Signal{
		numSignal("2025-10-31", "soy", "0.1"),
		numSignal("2025-11-15", "soy", "0.5"),
		numSignal("2025-11-30", "soy", "2.0"),
		numSignal("2025-12-31", "soy", "5.9"),
	}
	w, rep := Posterior(threeStances(), signals, soyRules(), "test", day("2026-02-01"))
	wantWeights(t, "three-month mean", w, "0.416667", "0.25", "0.333333")
	ro := outcome(t, rep, MeasureAvg3, OpGE)
	if !ro.Matched || ro.Measured.Round(6).String() != "2.666667" || len(ro.Against) != 2 || ro.Against[1].Value != "2.0" {
		t.Errorf("avg3: matched %v, mean %s, against %v; want fired, 2.666667, Oct and the 30 Nov reading", ro.Matched, ro.Measured.Round(6), ro.Against)
	}
	// The stall rule lacks December 2024.
	if ro := outcome(t, rep, MeasureYoY, OpLT); ro.Matched || !strings.Contains(ro.Lacks(), "2024-12") {
		t.Errorf("stall rule: matched %v, lacks %q; want it to lack 2024-12", ro.Matched, ro.Lacks())
	}

	_, rep = Posterior(threeStances(), []Signal{signals[0], signals[3]}, soyRules(), "test", day("2026-02-01"))
	ro = outcome(t, rep, MeasureAvg3, OpGE)
	if ro.Matched || len(ro.Missing) != 1 || ro.Missing[0] != day("2025-11-01") || !strings.Contains(ro.Lacks(), "a reading for 2025-11") {
		t.Errorf("avg3 without November: matched %v, missing %v, lacks %q", ro.Matched, ro.Missing, ro.Lacks())
	}
}

// TestStaleNewestReading: the May 2025 drop of TestYearOnYearDropFires
// read on 2025-10-01, 123 days later. The condition is still worked out
// from the older readings (25.9975%, met), but the reading is stale, so
// the rule moves nothing and the priors stand.
func TestStaleNewestReading(t *testing.T) {
	signals := []Signal{
		numSignal("2024-05-31", "magnet_exports_t", "4762"),
		numSignal("2025-05-31", "magnet_exports_t", "1238"),
	}
	rules := []SignalRule{yoyRule("magnet_exports_t", OpLT, "60", "tightening", "3")}
	w, rep := Posterior(threeStances(), signals, rules, "test", day("2025-10-01"))
	wantWeights(t, "stale", w, "0.5", "0.3", "0.2")
	ro := rep.Rules[0]
	if !ro.Stale || !ro.Met || ro.Matched || len(ro.Scenarios) != 0 || ro.Measured.Round(4).String() != "25.9975" {
		t.Errorf("stale %v, met %v, matched %v, moved %v, yoy %s; want stale, met, not matched, none moved, 25.9975",
			ro.Stale, ro.Met, ro.Matched, ro.Scenarios, ro.Measured.Round(4))
	}
	if len(rep.Stale) != 1 || rep.Stale[0] != "magnet_exports_t" {
		t.Errorf("stale signals %v, want [magnet_exports_t]", rep.Stale)
	}
}

func TestRuleMeaning(t *testing.T) {
	for _, tc := range []struct {
		rule       SignalRule
		cond, want string
	}{
		{yoyRule("m", OpLT, "60", "tightening", "3"), "yoy < 60", "the newest month is under 60% of the same month a year earlier"},
		{avg3Rule("s", OpGE, "2", "easing", "2"), "avg3 >= 2", "the mean of the newest month and the two months before it is at least 2"},
		{numRule("s", OpLT, "0.67", "tightening", "2"), "< 0.67", "the newest reading is under 0.67"},
		{wordRule("t", OpEQ, "relax", "easing", "2"), "= relax", "the newest reading is relax"},
	} {
		if got := tc.rule.Condition(); got != tc.cond {
			t.Errorf("Condition() = %q, want %q", got, tc.cond)
		}
		if got := tc.rule.Meaning(); got != tc.want {
			t.Errorf("Meaning(%s) = %q, want %q", tc.cond, got, tc.want)
		}
	}
}

func TestEvidence(t *testing.T) {
	signals := []Signal{
		numSignal("2024-12-31", "mag", "5660"),
		numSignal("2025-10-31", "soy", "0.1"),
		numSignal("2025-11-30", "soy", "1.2"),
		numSignal("2025-12-31", "soy", "1.55"),
		numSignal("2025-12-31", "mag", "5952"),
	}
	rules := []SignalRule{
		yoyRule("mag", OpGE, "100", "easing", "1.8"),
		avg3Rule("soy", OpGE, "2", "easing", "2"),
		yoyRule("soy", OpLT, "33", "tightening", "2.5"),
		wordRule("tone", OpEQ, "relax", "easing", "1.8"),
	}
	_, rep := Posterior(threeStances(), signals, rules, "test", day("2026-02-01"))
	want := map[string]string{
		"mag yoy >= 100": "2025-12-31: 5952 is 105.2% of 2024-12-31: 5660, a year earlier",
		"soy avg3 >= 2":  "mean of 2025-10: 0.1, 2025-11: 1.2 and 2025-12: 1.55 = 0.95",
		"soy yoy < 33":   "2025-12-31: 1.55; lacks a reading for 2024-12, the same month a year before the newest (2025-12)",
		"tone = relax":   "no reading of tone given",
	}
	for _, ro := range rep.Rules {
		k := ro.Rule.Signal + " " + ro.Rule.Condition()
		if got := ro.Evidence(); got != want[k] {
			t.Errorf("%s: Evidence() = %q, want %q", k, got, want[k])
		}
	}
}
