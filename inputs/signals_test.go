package inputs

import (
	"errors"
	"testing"
	"time"

	"rexpo/exposure"
)

func TestParseCondition(t *testing.T) {
	cases := []struct {
		in, op, operand string
		num             bool
		bad             bool
	}{
		{in: ">= 2", op: exposure.OpGE, operand: "2", num: true},
		{in: ">=2", op: exposure.OpGE, operand: "2", num: true},
		{in: "≥ 2", op: exposure.OpGE, operand: "2", num: true},
		{in: "< 0.5", op: exposure.OpLT, operand: "0.5", num: true},
		{in: "<= -40", op: exposure.OpLE, operand: "-40", num: true},
		{in: "> 1,500", op: exposure.OpGT, operand: "1,500", num: true},
		{in: "= relax", op: exposure.OpEQ, operand: "relax"},
		{in: "== yes", op: exposure.OpEQ, operand: "yes"},
		{in: "!= no", op: exposure.OpNE, operand: "no"},
		{in: "<> no", op: exposure.OpNE, operand: "no"},
		{in: "relax", op: exposure.OpEQ, operand: "relax"},
		{in: "0", op: exposure.OpEQ, operand: "0", num: true},
		{in: "ANY", op: exposure.OpAny},
		{in: "", bad: true},
		{in: ">=", bad: true},
		{in: "> relax", bad: true},
		{in: "#NAME?", bad: true},
	}
	for _, tc := range cases {
		op, operand, _, num, err := ParseCondition(tc.in)
		if tc.bad {
			if !errors.Is(err, ErrInvalidCondition) {
				t.Errorf("ParseCondition(%q) error = %v, want ErrInvalidCondition", tc.in, err)
			}
			continue
		}
		if err != nil || op != tc.op || operand != tc.operand || num != tc.num {
			t.Errorf("ParseCondition(%q) = %q %q num=%v err=%v, want %q %q num=%v", tc.in, op, operand, num, err, tc.op, tc.operand, tc.num)
		}
	}
}

func signalsSheet(rows ...[]any) [][]any {
	return append([][]any{{"date", "signal", "value", "source"}}, rows...)
}

// TestReadSignalsDefaultRules: signals without a SignalRules sheet use
// the embedded rules, every one of which parses.
func TestReadSignalsDefaultRules(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(), "BOM": simpleBOM(),
		"Signals": signalsSheet(
			[]any{"2025-10-31", "soybean_imports_us_mt", 0.1},
			[]any{dateCell("2025-12-31"), "Soybean imports US (Mt)", "2.4"},
			[]any{"Dec 2025", "mofcom_tone", "relax"},
			[]any{"2026-01-14", "us_exemption", "yes"},
		),
	}, Options{})
	in := l.Input
	if len(in.Signals) != 4 || in.SignalRuleSet != DefaultSignalRules || l.SignalsNote != DefaultSignalRules {
		t.Fatalf("%d signals, rule set %q, want 4 and the embedded defaults", len(in.Signals), in.SignalRuleSet)
	}
	if len(in.SignalRules) != 8 {
		t.Errorf("%d embedded rules, want 8 (3 soybean, 3 MOFCOM, 2 exemption)", len(in.SignalRules))
	}
	for _, r := range in.SignalRules {
		if r.Rationale == "" || r.Source == "" || r.ID == "" {
			t.Errorf("embedded rule %s (%s) lacks an id, rationale or source", r.ID, r.Ref)
		}
	}
	s := in.Signals[1]
	if !s.IsNum || s.Number.String() != "2.4" || s.Date.Format("2006-01-02") != "2025-12-31" {
		t.Errorf("signal 2 = %+v, want 2.4 dated 2025-12-31", s)
	}
	if got := in.Signals[2].Date.Format("2006-01-02"); got != "2025-12-01" {
		t.Errorf("\"Dec 2025\" read as %s, want 2025-12-01", got)
	}
	if ps := withoutFigures(l.Problems); len(ps) != 0 {
		t.Errorf("problems:\n%s", listProblems(ps))
	}
}

// TestReadSignalRulesSheet: the input's SignalRules replace the defaults.
func TestReadSignalRulesSheet(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(), "BOM": simpleBOM(),
		"Signals": signalsSheet([]any{"2026-01-05", "magnet_exports_yoy_pct", -45}),
		"SignalRules": {
			{"rule", "signal", "condition", "stance", "likelihood_ratio", "rationale"},
			{"MAG_DROP", "magnet_exports_yoy_pct", "< -40", "tightening", 3, "April-May 2025"},
			{"MAG_UP", "magnet_exports_yoy_pct", ">= 0", "Easing", "1.8", "July 2025"},
		},
	}, Options{})
	in := l.Input
	if len(in.SignalRules) != 2 || in.SignalRuleSet == DefaultSignalRules {
		t.Fatalf("%d rules from %q, want the sheet's 2", len(in.SignalRules), in.SignalRuleSet)
	}
	if r := in.SignalRules[1]; r.Stance != "easing" || r.Op != exposure.OpGE || r.LR.String() != "1.8" {
		t.Errorf("rule 2 = %+v", r)
	}
	if !in.SignalRules[0].Matches(in.Signals[0]) {
		t.Errorf("-45 does not match < -40")
	}
}

func TestReadSignalProblems(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(), "BOM": simpleBOM(),
		"Signals": signalsSheet(
			[]any{"someday", "mofcom_tone", "relax"},             // A2: bad date
			[]any{"2025-12-01", "soybean_imports_us_mt", "lots"}, // C3: rules compare numbers
			[]any{"2025-12-01", "mofcom_tone", "tightening"},     // C4: no rule expects it
			[]any{"2025-12-01", "weather", "fine"},               // C5: no rule
			[]any{"2027-01-01", "us_exemption", "no"},            // A6: after the as-of date
			[]any{"2025-12-01", "", "x"},                         // B7: no signal
		),
		"SignalRules": {
			{"signal", "condition", "stance", "likelihood_ratio"},
			{"soybean_imports_us_mt", ">= 2", "easing", 2},
			{"soybean_imports_us_mt", "> lots", "easing", 2}, // B3
			{"mofcom_tone", "= relax", "easing", 0},          // D4
			{"mofcom_tone", "= tighten", "hawkish", 2},       // C5
			{"us_exemption", "= no", "escalation", 3},
			{"mofcom_tone", "neutral", "status quo", 1.2},
		},
	}, Options{})
	ps := ie.Problems
	wantProblem(t, ps, "Signals", "A2", true, "date")
	wantProblem(t, ps, "Signals", "C3", true, "number")
	wantProblem(t, ps, "Signals", "C4", false, "matches no rule")
	wantProblem(t, ps, "Signals", "C5", false, "no SignalRules row")
	wantProblem(t, ps, "Signals", "A6", false, "after the as-of date")
	wantProblem(t, ps, "Signals", "B7", true, "signal is empty")
	wantProblem(t, ps, "SignalRules", "B3", true, "not a number")
	wantProblem(t, ps, "SignalRules", "D4", true, "above 0")
	wantProblem(t, ps, "SignalRules", "C5", true, "stance")
}

// TestReadSampleSignals: the demo's signals move the priors: the newest
// MOFCOM wording (relax) and US exemption (yes) favour easing; the newest
// soybean figure (1.55 Mt) meets no rule.
func TestReadSampleSignals(t *testing.T) {
	b, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	l, err := Read(b, Options{Now: readNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Input.Signals) < 15 {
		t.Fatalf("sample has %d signals", len(l.Input.Signals))
	}
	w, rep := exposure.Posterior(l.Input.Scenarios, l.Input.Signals, l.Input.SignalRules, l.Input.SignalRuleSet, time.Time{})
	var matched []string
	for _, ro := range rep.Rules {
		if ro.Matched {
			matched = append(matched, ro.Rule.ID)
		}
	}
	if len(matched) != 2 || matched[0] != "MOFCOM_APPROVED" || matched[1] != "US_EXT_WINDOW" {
		t.Errorf("matched rules %v, want MOFCOM_APPROVED and US_EXT_WINDOW", matched)
	}
	for i, sc := range l.Input.Scenarios {
		if sc.Stance == "easing" && !w[i].GreaterThan(sc.Prior) {
			t.Errorf("%s: posterior %s not above prior %s", sc.ID, w[i], sc.Prior)
		}
	}
}
