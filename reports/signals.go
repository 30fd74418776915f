package reports

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// sheetSignals is the sheet of SPEC section 6, written only when the input
// gives signals.
const sheetSignals = "Signals"

// signalWidths are the Signals sheet's fixed column widths: its blocks
// stack with different columns, as on the Assumptions sheet.
var signalWidths = []float64{34, 30, 24, 13, 13, 17, 36, 80}

// signalAbout describes the signals the embedded rules read, for the
// history charts: what the reading measures and in which unit.
var signalAbout = map[string][2]string{
	"soybeanimportsusmt":  {"China's purchases of US soybeans", "Mt a month"},
	"magnetexportst":      {"China's magnet exports (HS 8505.11, customs)", "tonnes a month"},
	"mofcomtone":          {"MOFCOM wording on rare-earth exports (relax, neutral, tighten)", ""},
	"usexemption":         {"US exemption windows: extended or a ban postponed (yes), lapsed (no)", ""},
	"mofcomsuspension":    {"MOFCOM suspends or postpones export controls", ""},
	"licencedelayreports": {"Reports of licence files returned or held to the 45-working-day limit", "reports in the month"},
	"usnewtariffthreat":   {"A new US tariff threat or export-control rule aimed at China", ""},
	"us232tariff":         {"A Section 232 tariff on critical minerals and derivatives proclaimed", ""},
	"cliffnov2026":        {"10 November 2026 passed without renewal of the suspensions", ""},
}

// signalsSheet shows how the signals moved the scenario probabilities:
// prior and posterior, every rule with whether it fired, on which reading
// and against which earlier reading (or which history it lacks), each
// signal's history as a small chart, and the readings given with their
// sources. It is labelled a heuristic throughout.
func (rep *report) signalsSheet() error {
	sr := rep.r.Signals
	if sr == nil {
		return nil
	}
	w := rep.writer(sheetSignals)
	w.pageSetup(0)
	w.panes(1, 0)
	for i, width := range signalWidths {
		w.b.fix(w.sheet, i+1, width)
	}
	w.str(1, 1, "Signals: how public readings of the negotiation moved the scenario probabilities (a transparent heuristic)", w.b.s.title)
	intro := "A transparent heuristic, not a forecast. Each rule multiplies the prior of the scenarios of its stance by a likelihood ratio " +
		"(how much more often such a reading came before that stance than before the others, judged from the 2025 record) when the newest " +
		"reading of its signal meets its condition; the products are then scaled to add up to 100%. Monthly numbers are read against their own " +
		"history: yoy compares the newest month with the same month a year earlier (so a seasonal low is no signal), avg3 takes the mean of the " +
		"newest three months; a rule whose history is missing does not fire. " +
		fmt.Sprintf("A signal whose newest reading is over %d days before the as-of date moves nothing. Rules used: %s.", exposure.StaleAfterDays, sr.RuleSet)
	w.str(1, 2, intro, w.b.s.note)
	w.merge(1, 2, len(signalWidths), 2)
	w.height(2, 62)
	row := 4
	rep.probabilitiesBlock(w, &row)
	rep.rulesBlock(w, &row)
	if len(sr.Unruled) > 0 {
		w.str(1, row-2, "No rule names "+strings.Join(sr.Unruled, ", ")+": these signals moved nothing.", w.b.s.note)
		row++
	}
	// Each signal's history, a table and a small chart beside it.
	rep.signalHistories(w, &row)
	rep.signalReadings(w, row)
	return w.err
}

// probabilitiesBlock lists each scenario's prior and posterior, with the
// rules that moved it.
func (rep *report) probabilitiesBlock(w *sheetWriter, row *int) {
	sr := rep.r.Signals
	names := map[string]string{}
	for _, s := range rep.r.Scenarios {
		names[s.Scenario.ID] = scenarioName(s.Scenario)
	}
	applied := map[string][]string{}
	for _, ro := range sr.Rules {
		for _, id := range ro.Scenarios {
			applied[id] = append(applied[id], fmt.Sprintf("%s (×%s)", ruleName(ro.Rule), ro.Rule.LR))
		}
	}
	var probs [][]any
	for _, wt := range sr.Weights {
		rules := strings.Join(applied[wt.ID], "\n")
		if rules == "" {
			rules = "none"
		}
		probs = append(probs, []any{names[wt.ID], rules, wt.Stance.String(), wt.Prior, cellNum{wt.Factor, kDec}, wt.Posterior,
			cellNum{wt.Posterior.Sub(wt.Prior).Mul(hundred).Round(1), kDec}})
	}
	w.block(row, "Probabilities before and after the signals", "",
		[]col{{head: "Scenario", kind: kWrap, width: signalWidths[0]}, {head: "Rules applied", kind: kWrap, width: signalWidths[1]},
			{head: "Stance", kind: kText}, {head: "Prior (%)", kind: kPct}, {head: "Likelihood ratios multiplied (×)", kind: kDec},
			{head: "After signals (%)", kind: kPct}, {head: "Change (points)", kind: kDec}},
		probs, "Probabilities")
}

// rulesBlock lists every rule: fired or not, on which reading, against
// which, those that fired first.
func (rep *report) rulesBlock(w *sheetWriter, row *int) {
	sr, asOf := rep.r.Signals, rep.r.Settings.AsOf
	var rules [][]any
	fired := 0
	for _, ro := range sr.Rules {
		if ro.Matched {
			fired++
		}
		evidence := ro.Evidence()
		if ro.Stale && ro.Value != nil {
			evidence += fmt.Sprintf("\nThe newest reading is %s before the as-of date (over %d days): it moves no probability.",
				daysText(ro.Value.Date, asOf), exposure.StaleAfterDays)
		}
		why := ro.Rule.Rationale
		if ro.Rule.Source != "" {
			why += "\nSources: " + ro.Rule.Source
		}
		rules = append(rules, []any{ruleName(ro.Rule), ro.Rule.Signal, ro.Rule.Condition() + "\n" + ro.Rule.Meaning(), ro.Rule.Stance.String(),
			cellNum{ro.Rule.LR, kDec}, ruleResult(ro), evidence, why})
	}
	note := fmt.Sprintf("%d of %d rules fired; those first. A ratio above 1 raises the probability of the scenarios of the rule's stance, below 1 lowers it. "+
		"Each threshold is explained in the last column.", fired, len(sr.Rules))
	if len(sr.Latest) > 0 && len(sr.Stale) == len(sr.Latest) {
		note = fmt.Sprintf("No signal has a reading from the %d days before the as-of date, so none moves anything and the priors stand: add current readings. ", exposure.StaleAfterDays) + note
	}
	w.block(row, "Rules: which fired, on which reading, against which earlier reading", note,
		[]col{{head: "Rule", kind: kWrap, width: signalWidths[0]}, {head: "Signal", kind: kWrap, width: signalWidths[1]},
			{head: "Condition", kind: kWrap, width: signalWidths[2]}, {head: "Stance", kind: kText}, {head: "Likelihood ratio", kind: kDec},
			{head: "Result", kind: kWrap, width: signalWidths[5]}, {head: "Reading, and what it was compared with", kind: kWrap, width: signalWidths[6]},
			{head: "Threshold, rationale and sources", kind: kWrap, width: signalWidths[7]}},
		rules, "Rules")
}

// ruleResult says in a few words what became of a rule.
func ruleResult(ro exposure.RuleOutcome) string {
	switch {
	case ro.Matched && len(ro.Scenarios) == 0:
		return "fired, but no scenario has this stance"
	case ro.Matched:
		return fmt.Sprintf("fired: %s ×%s", strings.Join(ro.Scenarios, ", "), ro.Rule.LR)
	case ro.Value == nil:
		return "no reading"
	case ro.Stale && ro.Met:
		return "stale: would have fired, moves nothing"
	case ro.Stale:
		return "stale: not met, moves nothing"
	case ro.Lacks() != "":
		return "does not fire: history missing"
	}
	return "not met"
}

// daysText is the age of d at asOf in days: "114 days".
func daysText(d, asOf time.Time) string {
	if asOf.IsZero() {
		return "long"
	}
	n := int(asOf.Sub(d).Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// historyRow is one row of a signal's history table.
type historyRow struct {
	label string
	s     *exposure.Signal // nil: no reading this month
	level decimal.Decimal  // word readings: +1 easing, 0, -1 tightening
}

// signalHistories writes, signal by signal, the readings the rules read
// and a small line chart of them. Numbers get one row a calendar month
// from the first reading to the newest (the latest reading of a month; a
// month without one is left blank and shows as a gap), with the
// percentage of the same month a year earlier and the three-month mean
// the yoy and avg3 rules test. Words get one row a reading, placed on a
// scale from the stances of the rules that test them.
func (rep *report) signalHistories(w *sheetWriter, row *int) {
	r := rep.r
	if r.Input == nil || len(r.Input.Signals) == 0 {
		return
	}
	// The history starts a page, and a signal's table and chart are kept
	// on one page: a page holds about historyPageRows rows at the width
	// the sheet prints.
	w.pageBreak(*row)
	pageTop := *row
	w.str(1, *row, "History of each signal", w.b.s.section)
	*row++
	w.str(1, *row, "The readings the rules read, oldest first; for monthly numbers one row a month (the latest reading of the month), "+
		"with the figures the yoy and avg3 conditions test. A blank month has no reading.", w.b.s.subtitle)
	*row += 2
	bySignal := map[string][]exposure.Signal{}
	var order []string
	for _, s := range r.Input.Signals {
		k := exposure.SignalKey(s.Name)
		if _, ok := bySignal[k]; !ok {
			order = append(order, k)
		}
		bySignal[k] = append(bySignal[k], s)
	}
	stale := map[string]bool{}
	for _, n := range r.Signals.Stale {
		stale[exposure.SignalKey(n)] = true
	}
	for _, k := range order {
		if *row+historyRows(bySignal[k]) > pageTop+historyPageRows {
			w.pageBreak(*row)
			pageTop = *row
		}
		rep.signalHistory(w, row, k, bySignal[k], stale[k])
	}
	w.pageBreak(*row)
}

// historyPageRows is about how many rows of a history block a printed
// page holds.
const historyPageRows = 60

// historyRows is about how many rows the history block of readings takes:
// a title, a header, a row a month (numbers) or a reading (words), and
// room for the chart.
func historyRows(readings []exposure.Signal) int {
	n := len(readings)
	numeric := true
	lo, hi := readings[0].Date, readings[0].Date
	for _, s := range readings {
		numeric = numeric && s.IsNum
		if s.Date.Before(lo) {
			lo = s.Date
		}
		if s.Date.After(hi) {
			hi = s.Date
		}
	}
	if numeric {
		n = (hi.Year()-lo.Year())*12 + int(hi.Month()-lo.Month()) + 1
	}
	return 2 + max(n+2, chartHeight/17+2)
}

// chartHeight is the height of a history chart in pixels.
const chartHeight = 220

// signalHistory writes one signal's readings from *row, titled with its
// newest reading, as a table with a small chart beside it, and moves *row
// below both.
func (rep *report) signalHistory(w *sheetWriter, row *int, key string, readings []exposure.Signal, stale bool) {
	sort.SliceStable(readings, func(i, j int) bool { return readings[i].Date.Before(readings[j].Date) })
	newest := readings[len(readings)-1]
	about, unit := newest.Name, ""
	if a, ok := signalAbout[key]; ok {
		about, unit = newest.Name+": "+a[0], a[1]
	}
	title := fmt.Sprintf("%s. Newest %s: %s", about, newest.Date.Format("2006-01-02"), newest.Value)
	if unit != "" {
		title += " " + unit
	}
	if stale {
		title += fmt.Sprintf(" (%s before the as-of date: stale, moves nothing)", daysText(newest.Date, rep.r.Settings.AsOf))
	}
	w.str(1, *row, title, w.b.s.bold)
	*row++
	top := *row
	t, numeric, n := rep.historyTable(w, top, key, readings, unit)
	rep.historyChart(w, t, newest.Name, unit, numeric, n)
	// Leave room for the chart below a short table (rows are about 17
	// pixels in LibreOffice, 20 in Excel).
	*row = max(t.row+2, top+chartHeight/17+2)
}

// historyTable writes a signal's readings at row top: numbers one row a
// month with the yoy and avg3 figures, words one row a reading on the
// scale of the rules' stances. It returns the table, whether the readings
// are numbers and how many rows it holds.
func (rep *report) historyTable(w *sheetWriter, top int, key string, readings []exposure.Signal, unit string) (*sheetTable, bool, int) {
	numeric, whole := true, true
	for _, s := range readings {
		numeric = numeric && s.IsNum
		whole = whole && s.Number.IsInteger()
	}
	// Whole numbers (tonnes) show with thousands separators.
	numKind := kDec
	if whole {
		numKind = kQty
	}
	var rows []historyRow
	var cols []col
	if numeric {
		rows = monthRows(readings)
		head := "Reading"
		if unit != "" {
			head += " (" + unit + ")"
		}
		cols = []col{{head: "Month", kind: kText}, {head: head, kind: kDec}, {head: "% of the same month a year earlier", kind: kDec},
			{head: "Mean of 3 months", kind: kDec}}
	} else {
		rows = wordRows(readings, rep.r.Signals.Rules, key)
		cols = []col{{head: "Date", kind: kText}, {head: "Reading", kind: kText}, {head: "Scale (+1 easing, 0 neutral, -1 tightening)", kind: kDec}}
	}
	t := w.table(1, top, cols)
	for i, h := range rows {
		vals := []any{h.label}
		switch {
		case numeric && h.s == nil:
			vals = append(vals, nil, nil, nil)
		case numeric:
			vals = append(vals, cellNum{h.s.Number, numKind}, pctOf(rows, i), mean3(rows, i, numKind))
		default:
			vals = append(vals, h.s.Value, cellNum{h.level, kDec})
		}
		t.add(vals...)
	}
	return t, numeric, len(rows)
}

// historyChart draws the history table t beside it: numbers as a line,
// words as bars up (easing) or down (tightening) from 0.
func (rep *report) historyChart(w *sheetWriter, t *sheetTable, name, unit string, numeric bool, rows int) {
	sheet := w.sheet
	first, last := t.top+1, t.row
	valCol := 2
	if !numeric {
		valCol = 3
	}
	series := excelize.ChartSeries{
		Name:       absCell(sheet, valCol, t.top),
		Categories: absRange(sheet, 1, first, 1, last),
		Values:     absRange(sheet, valCol, first, valCol, last),
		Line:       excelize.LineOptions{Width: 2},
		Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"4472C4"}},
		Marker:     excelize.ChartMarker{Symbol: "circle", Size: 5},
	}
	yAxis := excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0.##"}, Font: excelize.Font{Size: 8, Color: colAxis}}
	if unit != "" {
		yAxis.Title = axisTitle(unit)
	}
	chartType := excelize.Line
	if !numeric {
		// Words plot as bars, one a reading, on an axis labelled in words.
		chartType = excelize.Col
		series.Line, series.Marker = excelize.LineOptions{}, excelize.ChartMarker{}
		yAxis.NumFmt = excelize.ChartNumFmt{CustomNumFmt: `[>0]"easing";[<0]"tightening";"neutral"`}
		yAxis.MajorUnit = 1
		yAxis.Minimum, yAxis.Maximum = ptr(-1.0), ptr(1.0)
	}
	skip := 1
	if rows > 12 {
		skip = (rows + 11) / 12
	}
	w.chart(len(t.cols)+2, t.top, &excelize.Chart{
		Type:      chartType,
		Series:    []excelize.ChartSeries{series},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: name, Font: &excelize.Font{Bold: true, Size: 10, Color: colTitle}}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 560, Height: chartHeight},
		XAxis: excelize.ChartAxis{TickLabelSkip: skip, TickLabelPosition: excelize.ChartTickLabelLow, Font: excelize.Font{Size: 8, Color: colAxis},
			Alignment: excelize.Alignment{TextRotation: -45}},
		YAxis:  yAxis,
		Format: excelize.GraphicOptions{AltText: "Line chart of the readings of " + name},
	})
}

// monthRows lays numeric readings out one row a calendar month from the
// first to the newest, the latest reading of each month.
func monthRows(readings []exposure.Signal) []historyRow {
	idx := func(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }
	byMonth := map[int]exposure.Signal{}
	for _, s := range readings { // oldest first: a later reading replaces
		byMonth[idx(s.Date)] = s
	}
	lo, hi := idx(readings[0].Date), idx(readings[len(readings)-1].Date)
	var out []historyRow
	for m := lo; m <= hi; m++ {
		h := historyRow{label: time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")}
		if s, ok := byMonth[m]; ok {
			h.s = &s
		}
		out = append(out, h)
	}
	return out
}

// pctOf is row i's reading as a percentage of the reading 12 rows (a
// year) earlier, or nil when either is missing or the earlier is 0.
func pctOf(rows []historyRow, i int) any {
	if i < 12 || rows[i].s == nil || rows[i-12].s == nil || rows[i-12].s.Number.Sign() == 0 {
		return nil
	}
	return cellNum{rows[i].s.Number.Mul(hundred).DivRound(rows[i-12].s.Number, 4).Round(1), kDec}
}

// mean3 is the mean of rows i-2..i, or nil when one is missing; in whole
// units for a series of whole numbers (k = kQty).
func mean3(rows []historyRow, i int, k kind) any {
	if i < 2 {
		return nil
	}
	var sum decimal.Decimal
	for _, h := range rows[i-2 : i+1] {
		if h.s == nil {
			return nil
		}
		sum = sum.Add(h.s.Number)
	}
	places := int32(2)
	if k == kQty {
		places = 0
	}
	return cellNum{sum.DivRound(decimal.NewFromInt(3), 4).Round(places), k}
}

// wordRows lists word readings one a row, each placed at +1 when a rule
// of easing stance tests for it, -1 for tightening or escalation, and 0
// otherwise (status-quo, or no rule).
func wordRows(readings []exposure.Signal, rules []exposure.RuleOutcome, key string) []historyRow {
	var out []historyRow
	for i := range readings {
		s := readings[i]
		level := decimal.Zero
		for _, ro := range rules {
			if exposure.SignalKey(ro.Rule.Signal) != key || ro.Rule.Op != exposure.OpEQ || ro.Rule.IsNum || !ro.Rule.Matches(s) {
				continue
			}
			switch ro.Rule.Stance {
			case exposure.StanceEasing:
				level = decimal.NewFromInt(1)
			case exposure.StanceTightening, exposure.StanceEscalation:
				level = decimal.NewFromInt(-1)
			}
		}
		out = append(out, historyRow{label: s.Date.Format("2006-01-02"), s: &s, level: level})
	}
	return out
}

// signalReadings lists every reading given, newest first within each
// signal, with its source spanning the columns to the right.
func (rep *report) signalReadings(w *sheetWriter, row int) {
	r := rep.r
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
	w.str(1, row, "All readings given, with their sources", w.b.s.section)
	row++
	last := len(signalWidths)
	for i, h := range []string{"Signal", "Date", "Value", "Source"} {
		w.str(1+i, row, h, w.b.s.headerLeft)
	}
	w.merge(4, row, last, row)
	var srcWidth float64
	for _, width := range signalWidths[3:] {
		srcWidth += width
	}
	for _, s := range all {
		row++
		for i, v := range []string{s.Name, s.Date.Format("2006-01-02"), s.Value} {
			w.str(1+i, row, v, w.b.s.text)
		}
		w.str(4, row, s.Source, w.b.s.wrap)
		w.merge(4, row, last, row)
		if n := textLines(s.Source, srcWidth); n > 1 {
			w.height(row, float64(n)*15+2)
		}
		w.b.extend(w.sheet, last, row)
	}
}

// ruleName is the rule's id, or its signal and condition.
func ruleName(r exposure.SignalRule) string {
	if r.ID != "" {
		return r.ID
	}
	return r.Signal + " " + r.Condition()
}
