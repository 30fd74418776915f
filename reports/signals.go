package reports

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// sheetSignals is the sheet of SPEC section 6, written only when the input
// gives signals.
const sheetSignals = "Signals"

// signalWidths are the Signals sheet's fixed column widths: its blocks
// stack with different columns, as on the Assumptions sheet.
var signalWidths = []float64{34, 26, 12, 13, 13, 13, 9, 80}

// signalsSheet shows how the newest readings of the signals moved the
// scenario probabilities: prior and posterior, the newest reading of each
// signal, every rule with whether it matched and whom it moved, and the
// readings given. It is labelled a heuristic throughout.
func (rep *report) signalsSheet() error {
	b, sheet, r := rep.b, sheetSignals, rep.r
	sr := r.Signals
	if sr == nil {
		return nil
	}
	if err := b.pageSetup(sheet, 0); err != nil {
		return err
	}
	if err := b.f.SetPanes(sheet, freezePanes(1, 0)); err != nil {
		return err
	}
	for i, w := range signalWidths {
		b.fix(sheet, i+1, w)
	}
	if err := b.str(sheet, 1, 1, "Signals: how the newest readings moved the scenario probabilities", b.s.title); err != nil {
		return err
	}
	intro := "A transparent heuristic, not a forecast. Each rule multiplies the prior of the scenarios of its stance by a likelihood ratio " +
		"(how much more often the reading came before that stance than before the others, judged from the 2025 record) when the newest " +
		"reading of its signal meets its condition; the products are then scaled to add up to 100%. Rules used: " + sr.RuleSet + "."
	if err := b.str(sheet, 1, 2, intro, b.s.note); err != nil {
		return err
	}
	if err := b.f.MergeCell(sheet, cellName(1, 2), cellName(len(signalWidths), 2)); err != nil {
		return err
	}
	if err := b.f.SetRowHeight(sheet, 2, 48); err != nil {
		return err
	}
	row := 4
	block := func(title, note string, cols []col, rows [][]any, name string) error {
		return b.block(sheet, &row, title, note, cols, rows, name)
	}

	// Prior and posterior, with the rules that moved each scenario.
	names := map[string]string{}
	for _, s := range r.Scenarios {
		names[s.Scenario.ID] = scenarioName(s.Scenario)
	}
	applied := map[string][]string{}
	for _, ro := range sr.Rules {
		for _, id := range ro.Scenarios {
			applied[id] = append(applied[id], fmt.Sprintf("%s (×%s)", ruleName(ro.Rule), ro.Rule.LR))
		}
	}
	var probs [][]any
	for _, w := range sr.Weights {
		rules := strings.Join(applied[w.ID], ", ")
		if rules == "" {
			rules = "none"
		}
		probs = append(probs, []any{names[w.ID], rules, w.Stance, w.Prior, cellNum{w.Factor, kDec}, w.Posterior,
			cellNum{w.Posterior.Sub(w.Prior).Mul(hundred).Round(1), kDec}})
	}
	if err := block("Probabilities before and after the signals", "",
		[]col{{head: "Scenario", kind: kWrap, width: signalWidths[0]}, {head: "Rules applied", kind: kWrap, width: signalWidths[1]},
			{head: "Stance", kind: kText}, {head: "Prior (%)", kind: kPct}, {head: "Likelihood ratios multiplied (×)", kind: kDec},
			{head: "After signals (%)", kind: kPct}, {head: "Change (points)", kind: kDec}},
		probs, "Probabilities"); err != nil {
		return err
	}

	// The newest reading of each signal.
	met := map[string][]string{}
	for _, ro := range sr.Rules {
		if ro.Matched {
			k := exposure.SignalKey(ro.Rule.Signal)
			met[k] = append(met[k], ruleName(ro.Rule))
		}
	}
	asOfT := r.Settings.AsOf
	var latest [][]any
	stale := map[string]bool{}
	for _, n := range sr.Stale {
		stale[exposure.SignalKey(n)] = true
	}
	for _, s := range sr.Latest {
		rules := strings.Join(met[exposure.SignalKey(s.Name)], ", ")
		switch {
		case stale[exposure.SignalKey(s.Name)]:
			rules = fmt.Sprintf("none: the reading is over %d days old, so it moves no probability", exposure.StaleAfterDays)
		case rules == "":
			rules = "none"
		}
		latest = append(latest, []any{s.Name, rules, s.Date.Format("2006-01-02"), s.Value, ageMonths(s.Date, asOfT)})
	}
	note := "Only the newest reading counts; every reading, with its source, is listed at the foot of the sheet."
	if len(sr.Stale) > 0 {
		note += fmt.Sprintf(" A signal whose newest reading is over %d days before the as-of date moves nothing: add newer readings to the Signals sheet.", exposure.StaleAfterDays)
	}
	if err := block("Newest reading of each signal", note,
		[]col{{head: "Signal", kind: kText}, {head: "Rules met", kind: kWrap, width: signalWidths[1]}, {head: "Date", kind: kText},
			{head: "Value", kind: kText}, {head: "Months before as-of", kind: kInt}},
		latest, "Readings"); err != nil {
		return err
	}

	// Every rule.
	var rules [][]any
	for _, ro := range sr.Rules {
		val, matched := "no reading", "no"
		if ro.Value != nil {
			val = ro.Value.Value
		}
		if ro.Matched {
			matched = "yes"
			if len(ro.Scenarios) == 0 {
				matched = "yes, no scenario of this stance"
			}
		}
		why := ro.Rule.Rationale
		if ro.Rule.Source != "" {
			why += "\nSources: " + ro.Rule.Source
		}
		rules = append(rules, []any{ruleName(ro.Rule), ro.Rule.Signal, ro.Rule.Condition(), ro.Rule.Stance,
			cellNum{ro.Rule.LR, kDec}, val, matched, why})
	}
	if err := block("Rules", "Rules met first. A ratio above 1 raises the probability of the scenarios of the rule's stance, below 1 lowers it.",
		[]col{{head: "Rule", kind: kWrap, width: signalWidths[0]}, {head: "Signal", kind: kText}, {head: "Condition", kind: kText},
			{head: "Stance", kind: kText}, {head: "Likelihood ratio", kind: kDec}, {head: "Newest value", kind: kText},
			{head: "Met", kind: kWrap, width: signalWidths[6]}, {head: "Rationale and sources", kind: kWrap, width: signalWidths[7]}},
		rules, "Rules"); err != nil {
		return err
	}
	if len(sr.Unruled) > 0 {
		msg := "No rule names " + strings.Join(sr.Unruled, ", ") + ": these signals moved nothing."
		if err := b.str(sheet, 1, row-2, msg, b.s.note); err != nil {
			return err
		}
		row++
	}

	// Every reading, newest first within each signal; the source spans
	// the columns to the right.
	var all []exposure.Signal
	if r.Input != nil {
		all = append(all, r.Input.Signals...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := exposure.SignalKey(all[i].Name), exposure.SignalKey(all[j].Name)
		if a != b {
			return a < b
		}
		return all[i].Date.After(all[j].Date)
	})
	if err := b.str(sheet, 1, row, "All readings given", b.s.section); err != nil {
		return err
	}
	row++
	last := len(signalWidths)
	for i, h := range []string{"Signal", "Date", "Value", "Source"} {
		if err := b.str(sheet, 1+i, row, h, b.s.headerLeft); err != nil {
			return err
		}
	}
	if err := b.f.MergeCell(sheet, cellName(4, row), cellName(last, row)); err != nil {
		return err
	}
	var srcWidth float64
	for _, w := range signalWidths[3:] {
		srcWidth += w
	}
	for _, s := range all {
		row++
		for i, v := range []string{s.Name, s.Date.Format("2006-01-02"), s.Value} {
			if err := b.str(sheet, 1+i, row, v, b.s.text); err != nil {
				return err
			}
		}
		if err := b.str(sheet, 4, row, s.Source, b.s.wrap); err != nil {
			return err
		}
		if err := b.f.MergeCell(sheet, cellName(4, row), cellName(last, row)); err != nil {
			return err
		}
		if n := textLines(s.Source, srcWidth); n > 1 {
			if err := b.f.SetRowHeight(sheet, row, float64(n)*15+2); err != nil {
				return err
			}
		}
		b.extend(sheet, last, row)
	}
	return nil
}

// ruleName is the rule's id, or its signal and condition.
func ruleName(r exposure.SignalRule) string {
	if r.ID != "" {
		return r.ID
	}
	return r.Signal + " " + r.Condition()
}

// ageMonths is the whole number of months from d to the as-of time.
func ageMonths(d, asOf time.Time) any {
	if asOf.IsZero() || d.After(asOf) {
		return nil
	}
	m := (asOf.Year()-d.Year())*12 + int(asOf.Month()-d.Month())
	if asOf.Day() < d.Day() {
		m--
	}
	return decimal.NewFromInt(int64(max(m, 0)))
}
