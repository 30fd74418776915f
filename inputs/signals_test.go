package inputs

import (
	"errors"
	"strings"
	"testing"
	"time"

	"rexpo/exposure"
)

func TestParseCondition(t *testing.T) {
	cases := []struct {
		in, measure, op, operand string
		num                      bool
		bad                      bool
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
		{in: "yoy < 60", measure: exposure.MeasureYoY, op: exposure.OpLT, operand: "60", num: true},
		{in: "YoY<60%", measure: exposure.MeasureYoY, op: exposure.OpLT, operand: "60", num: true},
		{in: "yoy >= 100", measure: exposure.MeasureYoY, op: exposure.OpGE, operand: "100", num: true},
		{in: "avg3 >= 2", measure: exposure.MeasureAvg3, op: exposure.OpGE, operand: "2", num: true},
		{in: "AVG3 = 0", measure: exposure.MeasureAvg3, op: exposure.OpEQ, operand: "0", num: true},
		{in: "avg3 0", measure: exposure.MeasureAvg3, op: exposure.OpEQ, operand: "0", num: true},
		{in: "", bad: true},
		{in: ">=", bad: true},
		{in: "> relax", bad: true},
		{in: "#NAME?", bad: true},
		{in: "yoy", bad: true},
		{in: "yoy = relax", bad: true},
		{in: "avg3 any", bad: true},
	}
	for _, tc := range cases {
		c, err := ParseCondition(tc.in)
		if tc.bad {
			if !errors.Is(err, ErrInvalidCondition) {
				t.Errorf("ParseCondition(%q) error = %v, want ErrInvalidCondition", tc.in, err)
			}
			continue
		}
		if err != nil || c.Measure != tc.measure || c.Op != tc.op || c.Operand != tc.operand || c.IsNum != tc.num {
			t.Errorf("ParseCondition(%q) = %+v err=%v, want %q %q %q num=%v", tc.in, c, err, tc.measure, tc.op, tc.operand, tc.num)
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
	if len(in.SignalRules) != 15 {
		t.Errorf("%d embedded rules, want the 15 of reference section 8.4", len(in.SignalRules))
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

// TestReadSampleSignals: the demo's signals read on 2026-02-01, when the
// newest readings are a few weeks old. MOFCOM's December wording (relax),
// the No. 70 suspension, the January Section 232 postponement and the
// December magnet exports (5,952 t, 105% of December 2024) favour easing;
// the US threats of September and October 2025 are over 92 days old and
// move nothing; the soybean three-month mean (0.95 Mt) meets no rule and
// the soybean year-on-year rule lacks December 2024.
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
	if len(l.Input.Signals) < 35 {
		t.Fatalf("sample has %d signals", len(l.Input.Signals))
	}
	asOf := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	w, rep := exposure.Posterior(l.Input.Scenarios, l.Input.Signals, l.Input.SignalRules, l.Input.SignalRuleSet, asOf)
	var matched []string
	byID := map[string]exposure.RuleOutcome{}
	for _, ro := range rep.Rules {
		byID[ro.Rule.ID] = ro
		if ro.Matched {
			matched = append(matched, ro.Rule.ID)
		}
	}
	if got := strings.Join(matched, " "); got != "MOFCOM_APPROVED MOFCOM_SUSPEND MAG_EXPORTS_RECOVER US_EXT_WINDOW" {
		t.Errorf("matched rules %s, want MOFCOM_APPROVED MOFCOM_SUSPEND MAG_EXPORTS_RECOVER US_EXT_WINDOW", got)
	}
	if ro := byID["MAG_EXPORTS_RECOVER"]; ro.Measured.Round(1).String() != "105.2" || ro.Against[0].Date.Format("2006-01") != "2024-12" {
		t.Errorf("magnet recovery: %s%% against %v, want 105.2%% against December 2024", ro.Measured.Round(1), ro.Against)
	}
	if ro := byID["US_NEW_TARIFF_THREAT"]; !ro.Stale || !ro.Met || ro.Matched {
		t.Errorf("tariff threat: stale %v met %v matched %v, want a stale reading that would have met", ro.Stale, ro.Met, ro.Matched)
	}
	if ro := byID["SOY_STALL"]; !strings.Contains(ro.Lacks(), "2024-12") {
		t.Errorf("soybean stall lacks %q, want 2024-12", ro.Lacks())
	}
	if ro := byID["SOY_ON_TRACK"]; ro.Met || ro.Measured.Round(2).String() != "0.95" {
		t.Errorf("soybean on track: met %v, mean %s; want unmet at 0.95", ro.Met, ro.Measured.Round(2))
	}
	for i, sc := range l.Input.Scenarios {
		if sc.Stance == "easing" && !w[i].GreaterThan(sc.Prior) {
			t.Errorf("%s: posterior %s not above prior %s", sc.ID, w[i], sc.Prior)
		}
	}
	if ps := withoutFigures(l.Problems); len(ps) != 0 {
		for _, p := range ps {
			if p.Sheet == "Signals" || p.Sheet == "signals" {
				t.Errorf("sample signal problem: %s", p)
			}
		}
	}
}

// TestEmbeddedRulesCiteSources: every embedded rule is one of reference
// section 8.4, has an id, explains its threshold and why, and cites at
// least one source with its address; the soybean rules read the season
// (year on year or on three-month means), never a fixed monthly level.
func TestEmbeddedRulesCiteSources(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(), "BOM": simpleBOM(),
		"Signals": signalsSheet([]any{"2025-12-18", "mofcom_tone", "relax"}),
	}, Options{})
	want := []string{"SOY_ON_TRACK", "SOY_STALL", "SOY_ZERO", "MOFCOM_APPROVED", "MOFCOM_NOT_TARGETED", "MOFCOM_NEW_ANNOUNCEMENT",
		"MOFCOM_SUSPEND", "LICENCE_DELAY", "MAG_EXPORTS_DROP", "MAG_EXPORTS_RECOVER", "US_EXT_WINDOW", "US_WINDOW_LAPSE",
		"US_NEW_TARIFF_THREAT", "US_232_TARIFF", "CLIFF_NOV2026"}
	got := map[string]exposure.SignalRule{}
	for _, r := range l.Input.SignalRules {
		got[r.ID] = r
		if !strings.Contains(r.Rationale, "Threshold:") || !strings.Contains(r.Rationale, "Why") {
			t.Errorf("rule %s (%s): the rationale does not explain its threshold and why: %q", r.ID, r.Ref, r.Rationale)
		}
		if !strings.Contains(r.Source, "https://") && !strings.Contains(r.Source, "http://") {
			t.Errorf("rule %s (%s) cites no source with an address: %q", r.ID, r.Ref, r.Source)
		}
		if exposure.SignalKey(r.Signal) == "soybeanimportsusmt" && r.Measure == exposure.MeasureValue {
			t.Errorf("rule %s reads soybean purchases against a fixed monthly level (%s); seasonal series are read yoy or avg3", r.ID, r.Condition())
		}
	}
	for _, id := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("reference rule %s is not embedded", id)
		}
	}
	for id, cond := range map[string]string{"MAG_EXPORTS_DROP": "yoy < 60", "MAG_EXPORTS_RECOVER": "yoy >= 100", "SOY_ON_TRACK": "avg3 >= 2"} {
		if c := got[id].Condition(); c != cond {
			t.Errorf("rule %s condition %q, want %q", id, c, cond)
		}
	}
}
