package exposure

import (
	"testing"
	"time"
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
	return SignalRule{Signal: signal, Op: op, Operand: x, Number: dec(x), IsNum: true, Stance: stance, LR: dec(lr)}
}

func wordRule(signal, op, x, stance, lr string) SignalRule {
	return SignalRule{Signal: signal, Op: op, Operand: x, Stance: stance, LR: dec(lr)}
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
