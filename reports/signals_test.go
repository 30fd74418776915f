package reports

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

func reading(date, name, value, source string) exposure.Signal {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		panic(err)
	}
	s := exposure.Signal{Date: t, Name: name, Value: value, Source: source}
	if n, err := decimal.NewFromString(value); err == nil {
		s.Number, s.IsNum = n, true
	}
	return s
}

// computedSignals gives the fixture (as of 2026-01-29) signals weighed by
// exposure.Posterior: December 2025 magnet exports at 105.2% of December
// 2024 fire a status-quo rule; the soybean year-on-year rule lacks
// December 2024; a US tariff threat of October 2025 is stale.
func computedSignals() *fixture {
	fx := newFixture()
	r := fx.r
	r.Input.Signals = []exposure.Signal{
		reading("2024-12-31", "magnet_exports_t", "5660", "Adamas, derived"),
		reading("2025-11-30", "magnet_exports_t", "6150", "Reuters"),
		reading("2025-12-31", "magnet_exports_t", "5952", "Reuters, 19 Jan 2026"),
		reading("2025-10-31", "soybean_imports_us_mt", "0.1", "USDA"),
		reading("2025-11-30", "soybean_imports_us_mt", "1.2", "USDA"),
		reading("2025-12-31", "soybean_imports_us_mt", "1.55", "USDA"),
		reading("2025-10-10", "us_new_tariff_threat", "yes", "100% threat"),
		reading("2025-12-18", "mofcom_tone", "relax", "MOFCOM"),
		reading("2025-10-09", "mofcom_tone", "tighten", "MOFCOM No. 61"),
	}
	rule := func(id, signal, measure, op, x, stance, lr string) exposure.SignalRule {
		ru := exposure.SignalRule{ID: id, Signal: signal, Measure: measure, Op: op, Operand: x, Stance: exposure.Stance(stance), LR: d(lr),
			Rationale: "Threshold: " + x + ". Why: 2025.", Source: "a source, https://example.org/" + strings.ToLower(id)}
		if n, err := decimal.NewFromString(x); err == nil {
			ru.Number, ru.IsNum = n, true
		}
		return ru
	}
	rules := []exposure.SignalRule{
		rule("MAG_EXPORTS_RECOVER", "magnet_exports_t", exposure.MeasureYoY, exposure.OpGE, "100", "status-quo", "1.8"),
		rule("SOY_STALL", "soybean_imports_us_mt", exposure.MeasureYoY, exposure.OpLT, "33", "escalation", "2.5"),
		rule("SOY_ON_TRACK", "soybean_imports_us_mt", exposure.MeasureAvg3, exposure.OpGE, "2", "easing", "2"),
		rule("US_NEW_TARIFF_THREAT", "us_new_tariff_threat", exposure.MeasureValue, exposure.OpEQ, "yes", "escalation", "2.5"),
		rule("MOFCOM_APPROVED", "mofcom_tone", exposure.MeasureValue, exposure.OpEQ, "relax", "status-quo", "1.5"),
		rule("MOFCOM_NEW_ANNOUNCEMENT", "mofcom_tone", exposure.MeasureValue, exposure.OpEQ, "tighten", "escalation", "4"),
	}
	var scens []exposure.Scenario
	for _, s := range r.Scenarios {
		scens = append(scens, s.Scenario)
	}
	w, rep := exposure.Posterior(scens, r.Input.Signals, rules, "embedded defaults (test)", r.Settings.AsOf)
	for i := range r.Scenarios {
		r.Scenarios[i].Probability = w[i]
	}
	r.Signals = rep
	r.Weigh() // the new probabilities weigh the expected figures
	return fx
}

func TestSignalsSheetRules(t *testing.T) {
	f, data := writeFixture(t, computedSignals())
	if got := cellValue(t, f, "Signals", "A1"); !strings.Contains(got, "transparent heuristic") {
		t.Errorf("Signals!A1 = %q, want it labelled a transparent heuristic", got)
	}
	// Each rule's row: what became of it, on which reading, against which.
	for id, want := range map[string][2]string{
		"MAG_EXPORTS_RECOVER":  {"fired: sq-nov25 ×1.8", "2025-12-31: 5952 is 105.2% of 2024-12-31: 5660, a year earlier"},
		"SOY_STALL":            {"does not fire: history missing", "2025-12-31: 1.55; lacks a reading for 2024-12, the same month a year before the newest (2025-12)"},
		"SOY_ON_TRACK":         {"not met", "mean of 2025-10: 0.1, 2025-11: 1.2 and 2025-12: 1.55 = 0.95"},
		"US_NEW_TARIFF_THREAT": {"stale: would have fired, moves nothing", "2025-10-10: yes\nThe newest reading is 111 days before the as-of date (over 92 days): it moves no probability."},
	} {
		cell := findCell(t, f, "Signals", id)
		row := strings.TrimLeft(cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		if got := cellValue(t, f, "Signals", "F"+row); got != want[0] {
			t.Errorf("%s result (F%s) = %q, want %q", id, row, got, want[0])
		}
		if got := cellValue(t, f, "Signals", "G"+row); got != want[1] {
			t.Errorf("%s reading (G%s) = %q, want %q", id, row, got, want[1])
		}
		if got := cellValue(t, f, "Signals", "H"+row); !strings.Contains(got, "Threshold:") || !strings.Contains(got, "https://example.org/") {
			t.Errorf("%s threshold and sources (H%s) = %q", id, row, got)
		}
	}
	cell := findCell(t, f, "Signals", "SOY_ON_TRACK")
	row := strings.TrimLeft(cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	if got := cellValue(t, f, "Signals", "C"+row); got != "avg3 >= 2\nthe mean of the newest month and the two months before it is at least 2" {
		t.Errorf("SOY_ON_TRACK condition = %q", got)
	}

	// The history: one row a month for numbers, with the yoy and avg3
	// figures, and one chart a signal.
	cell = findCell(t, f, "Signals", "2024-12")
	row = strings.TrimLeft(cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	wantNumber(t, f, "Signals", "B"+row, 5660)
	cell = findCell(t, f, "Signals", "2025-12")
	row = strings.TrimLeft(cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	wantNumber(t, f, "Signals", "B"+row, 5952)
	wantNumber(t, f, "Signals", "C"+row, 105.2)
	findCell(t, f, "Signals", "us_new_tariff_threat: A new US tariff threat or export-control rule aimed at China. Newest 2025-10-10: yes (111 days before the as-of date: stale, moves nothing)")
	_, plain := writeFixture(t, newFixture())
	if n := countCharts(t, data, "xl/charts/chart") - countCharts(t, plain, "xl/charts/chart"); n != 4 {
		t.Errorf("the signals add %d charts, want one for each of the 4 signals", n)
	}
}

// countCharts counts the zip entries whose names start with prefix.
func countCharts(t *testing.T, data []byte, prefix string) int {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, prefix) {
			n++
		}
	}
	return n
}
