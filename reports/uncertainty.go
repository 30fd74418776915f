package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
	"rexpo/reference"
)

// This file writes what SPEC sections 6 and 7 add to the Scenarios and
// Projection sheets: the percentiles, the range over all scenarios, the
// tornado of the expected annual change, the monthly P10–P90 band and
// each scenario's phases.

// tornadoBars is how many assumptions the tornado chart shows.
const tornadoBars = 12

// probabilityHead names the probability column: after signals when they
// moved it.
func (rep *report) probabilityHead() string {
	if rep.r.Signals != nil {
		return "Probability after signals (%)"
	}
	return "Probability (%)"
}

// drawsText says how the Monte Carlo ran: "10,000 draws per scenario, seed 1".
func (rep *report) drawsText() string {
	n := strings.TrimSuffix(moneyText(decimal.NewFromInt(int64(rep.r.Mix.Draws))), ".00")
	return fmt.Sprintf("%s draws per scenario, seed %d", n, rep.r.Settings.Seed)
}

// percentileNote explains a percentile column.
func (rep *report) percentileNote(q int) string {
	what := map[int]string{
		10: "1 draw in 10 gives a smaller annual change than this",
		50: "half the draws give a smaller annual change, half a larger one",
		90: "1 draw in 10 gives a larger annual change than this",
	}[q]
	return fmt.Sprintf("P%d of the annual change: %s. Each draw takes every parameter that has a range (Controls, Tariffs, spot premium) from a triangular distribution over low, value and high (%s). Without ranges it equals the annual change.",
		q, what, rep.drawsText())
}

// uncertaintyBlocks writes, below the Scenarios table from row top, the
// range over all scenarios and the tornado of the expected annual change.
func (rep *report) uncertaintyBlocks(w *sheetWriter, top int) {
	r := rep.r
	row := top
	if r.Mix.Draws > 0 {
		w.str(1, row, "Range of the annual change over all scenarios (Monte Carlo)", w.b.s.section)
		row++
		w.subtitle(row, "Each draw first picks a scenario by its probability, then draws the scenario's ranged parameters; "+rep.drawsText()+".")
		row++
		t := w.table(1, row, []col{
			{head: "Measure", kind: kText},
			{head: "What it means", kind: kWrap},
			{head: rep.money("Annual change"), kind: kMoney},
		})
		t.add("Mean of the draws", "The average simulated year: Σ probability × each scenario's mean draw. It exceeds the expected annual change above when the ranges reach further up than down (a triangular range's mean is (low + value + high) / 3).", r.Mix.Mean)
		t.add("P50", "Half the simulated years cost more than this, half less.", r.Mix.P50)
		t.add("P90", "1 simulated year in 10 costs more than this.", r.Mix.P90)
		t.add("P95", "1 simulated year in 20 costs more than this.", r.Mix.P95)
		t.asTable("Mix")
		row = t.row + 3
	}
	rep.tornado(w, row)
}

// swingLabel names a tornado bar as a buyer reads it.
func (rep *report) swingLabel(sw exposure.Swing) string {
	switch sw.Kind {
	case exposure.SwingPrice:
		return elementLabel(sw.Element) + " price, all scenarios"
	case exposure.SwingCarrying:
		return "Carrying rate (" + rep.r.Settings.CarryingRate.String() + "% a year), all scenarios"
	}
	name := sw.Scenario
	for _, s := range rep.r.Scenarios {
		if s.Scenario.ID == sw.Scenario {
			name = scenarioName(s.Scenario)
		}
	}
	what := map[string]string{
		exposure.SwingUplift: "price uplifts", exposure.SwingAvailability: "availability", exposure.SwingDelay: "delivery delays",
		exposure.SwingTariff: "tariffs", exposure.SwingSpot: "spot premium",
	}[sw.Kind]
	if sw.Rows > 1 {
		what += fmt.Sprintf(" (%d rows)", sw.Rows)
	}
	return name + ": " + what
}

// rangeCode shortens a Swing's range for its column.
func rangeCode(sw exposure.Swing) string {
	def := fmt.Sprintf("±%d%%", exposure.DefaultSwingPct)
	switch {
	case strings.HasPrefix(sw.Range, "the ranges given;"):
		return "ranges, else " + def
	case strings.HasPrefix(sw.Range, "the ranges given"):
		return "ranges given"
	}
	return def
}

// tornado writes the sensitivity table and its chart from row top.
func (rep *report) tornado(w *sheetWriter, top int) {
	r := rep.r
	if len(r.Sensitivity) == 0 {
		return
	}
	row := top
	w.str(1, row, "What moves the expected annual change most (sensitivity)", w.b.s.section)
	row++
	w.subtitle(row, fmt.Sprintf("Each line moves one group of assumptions from its low to its high end, everything else at its value, and shows the expected (probability-weighted) annual change at both ends, largest swing first. At the values it is %s %s.",
		rep.cur, moneyText(r.ExpectedAnnualDelta)))
	row++
	t := w.table(1, row, []col{
		{head: "Rank", kind: kInt},
		{head: "Assumption", kind: kWrap},
		{head: "Low and high", kind: kText},
		{head: rep.money("Expected annual change, low end"), kind: kMoney, width: moneyWidth},
		{head: rep.money("Expected annual change, high end"), kind: kMoney, width: moneyWidth},
		{head: rep.money("Swing"), kind: kMoney, width: moneyWidth},
		{head: rep.money("Low end vs expected"), kind: kMoney, width: moneyWidth},
		{head: rep.money("High end vs expected"), kind: kMoney, width: moneyWidth},
	})
	w.note(3, t.top, fmt.Sprintf("Where the low and high ends come from. ranges given: the ranges in the Controls, Tariffs or Scenarios rows. ±%d%%: no range was given, so the value ±%d%% (availability: its shortfall, 100%% minus the value, ±%d%%; element prices and the carrying rate always). ranges, else ±%d%%: both, row by row.",
		exposure.DefaultSwingPct, exposure.DefaultSwingPct, exposure.DefaultSwingPct, exposure.DefaultSwingPct))
	exp := r.ExpectedAnnualDelta
	for i, sw := range r.Sensitivity {
		t.add(i+1, rep.swingLabel(sw), rangeCode(sw), sw.Low, sw.High, sw.Swing, sw.Low.Sub(exp), sw.High.Sub(exp))
	}
	t.asTable("Sensitivity")
	rep.tornadoChart(w, t)
}

// tornadoChart draws the tornado's largest swings as bars from the
// expected annual change, below the table t.
func (rep *report) tornadoChart(w *sheetWriter, t *sheetTable) {
	r, sheet := rep.r, w.sheet
	exp := r.ExpectedAnnualDelta
	n := min(len(r.Sensitivity), tornadoBars)
	first, last := t.top+1, t.top+n
	series := []excelize.ChartSeries{
		{Name: absCell(sheet, 7, t.top), Categories: absRange(sheet, 2, first, 2, last), Values: absRange(sheet, 7, first, 7, last),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"4472C4"}}},
		{Name: absCell(sheet, 8, t.top), Categories: absRange(sheet, 2, first, 2, last), Values: absRange(sheet, 8, first, 8, last),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C0504D"}}},
	}
	height := 120 + 30*n
	var vals []decimal.Decimal
	for _, sw := range r.Sensitivity[:n] {
		vals = append(vals, sw.Low.Sub(exp), sw.High.Sub(exp))
	}
	bars := &excelize.Chart{
		Type:      excelize.Bar,
		Series:    series,
		Title:     chartTitle(fmt.Sprintf("What moves the expected annual change (%s): top %d", rep.cur, n)),
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 9, Color: colAxis}},
		Dimension: excelize.ChartDimension{Width: 1100, Height: uint(height)},
		GapWidth:  ptr(uint(40)),
		Overlap:   ptr(100),
		XAxis:     excelize.ChartAxis{ReverseOrder: true, TickLabelPosition: excelize.ChartTickLabelLow, Font: excelize.Font{Size: 8, Color: colAxis}},
		YAxis: excelize.ChartAxis{Title: axisTitle(rep.cur + " a year, change from the expected annual change"), MajorGridLines: true,
			NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0;(#,##0)"}, Font: excelize.Font{Size: 8, Color: colAxis}},
		Format: excelize.GraphicOptions{AltText: "Tornado chart: the expected annual change with each assumption at its low and its high end"},
	}
	flatAxis(&bars.YAxis, vals)
	w.chart(1, t.row+3, bars)
}

// hasBand reports whether the Monte Carlo gave a band for every month.
func (rep *report) hasBand() bool {
	r := rep.r
	return r.Mix.Draws > 0 && len(r.MixMonths) == len(r.Months) && len(r.MixMonths) > 0
}

// bandCols are the Projection columns of the band over all scenarios.
func bandCols(rep *report) []col {
	return []col{
		{head: rep.money("All scenarios, P10"), kind: kMoney, width: moneyWidth},
		{head: rep.money("All scenarios, P90"), kind: kMoney, width: moneyWidth},
		{head: rep.money("Width of the P10 to P90 range"), kind: kMoney, width: moneyWidth},
	}
}

func bandValues(b exposure.Band) []any {
	return []any{b.P10, b.P90, b.P90.Sub(b.P10)}
}

// projectionChart draws the monthly lines of the scenarios and of the
// expected change over the shaded P10–P90 band of all scenarios, below
// the Projection table t, then lists each scenario's phases below the
// chart.
func (rep *report) projectionChart(w *sheetWriter, t *sheetTable) {
	r, sheet := rep.r, w.sheet
	first, last := t.top+1, t.row
	if last-first < 36 { // the table fits a page: keep its header off the chart's page
		w.do(func() error { return w.b.dropPrintTitles(sheet) })
	}
	var series []excelize.ChartSeries
	for i := range r.Scenarios {
		series = append(series, excelize.ChartSeries{
			Name:       absCell(sheet, 2+i, t.top),
			Categories: absRange(sheet, 1, first, 1, last),
			Values:     absRange(sheet, 2+i, first, 2+i, last),
			Line:       excelize.LineOptions{Width: 2},
			Marker:     excelize.ChartMarker{Symbol: "none"},
		})
	}
	expCol := 2 + len(r.Scenarios)
	series = append(series, excelize.ChartSeries{
		Name:       absCell(sheet, expCol, t.top),
		Categories: absRange(sheet, 1, first, 1, last),
		Values:     absRange(sheet, expCol, first, expCol, last),
		Line:       excelize.LineOptions{Width: 3, Dash: excelize.LineDashDash},
		Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"000000"}},
		Marker:     excelize.ChartMarker{Symbol: "none"},
	})
	height := 380 + 14*len(series)
	lines := rep.monthlyLines(series, height)
	if rep.hasBand() {
		band := rep.bandChart(sheet, t, lines)
		lines.Title, lines.Format = excelize.ChartTitle{}, excelize.GraphicOptions{}
		w.chart(1, t.row+3, band, lines)
	} else {
		w.chart(1, t.row+3, lines)
	}
	rep.phasesBlock(w, t.row+3+height/15+2)
}

// monthlyChartTitle is the Projection chart's title.
func (rep *report) monthlyChartTitle() string {
	return "Monthly cost change by scenario (" + rep.cur + ")"
}

// monthlyLines is the line chart of the monthly changes, its value axis
// spanning the scenarios' months and the band.
func (rep *report) monthlyLines(series []excelize.ChartSeries, height int) *excelize.Chart {
	r := rep.r
	lines := &excelize.Chart{
		Type:      excelize.Line,
		Series:    series,
		Title:     chartTitle(rep.monthlyChartTitle()),
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 8, Color: colAxis}},
		Dimension: excelize.ChartDimension{Width: 860, Height: uint(height)},
		XAxis: excelize.ChartAxis{Title: axisTitle("Month"), TickLabelSkip: 3, Font: excelize.Font{Size: 8, Color: colAxis},
			Alignment: excelize.Alignment{TextRotation: -45}},
		YAxis:  excelize.ChartAxis{Title: axisTitle(rep.cur + " a month"), MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}, Font: excelize.Font{Size: 8, Color: colAxis}},
		Format: excelize.GraphicOptions{AltText: "Line chart of the monthly cost change per scenario"},
	}
	var vals []decimal.Decimal
	for _, s := range r.Scenarios {
		for _, m := range s.Months {
			vals = append(vals, m.Delta)
		}
	}
	if rep.hasBand() {
		for _, m := range r.MixMonths {
			vals = append(vals, m.P10, m.P90)
		}
	}
	flatAxis(&lines.YAxis, vals)
	return lines
}

// bandChart is the shaded P10–P90 band of all scenarios, drawn under the
// lines on the same axes: a stacked area of an invisible P10 and the
// band's width.
func (rep *report) bandChart(sheet string, t *sheetTable, lines *excelize.Chart) *excelize.Chart {
	first, last := t.top+1, t.row
	p10 := 2 + len(rep.r.Scenarios) + 1
	spread := p10 + 2
	return &excelize.Chart{
		Type: excelize.AreaStacked,
		Series: []excelize.ChartSeries{
			{Name: absCell(sheet, p10, t.top), Categories: absRange(sheet, 1, first, 1, last), Values: absRange(sheet, p10, first, p10, last),
				Fill: excelize.Fill{Type: "pattern", Pattern: 0}},
			{Name: absCell(sheet, spread, t.top), Categories: absRange(sheet, 1, first, 1, last), Values: absRange(sheet, spread, first, spread, last),
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}},
		},
		Title:     chartTitle(rep.monthlyChartTitle() + ", shaded: P10 to P90 over all scenarios"),
		Legend:    lines.Legend,
		Dimension: lines.Dimension,
		XAxis:     lines.XAxis,
		YAxis:     lines.YAxis,
		Format:    excelize.GraphicOptions{AltText: "Monthly cost change per scenario over the shaded P10 to P90 range of all scenarios"},
	}
}

// phasesBlock lists, scenario by scenario, the runs of months in which
// the same Controls and Tariffs rows are in force for this BOM.
func (rep *report) phasesBlock(w *sheetWriter, top int) {
	r := rep.r
	any := false
	for _, s := range r.Scenarios {
		any = any || len(s.Phases) > 0
	}
	if !any {
		return
	}
	lastCol := max(len(r.Scenarios)+2, 6)
	if rep.hasBand() {
		lastCol += 3
	}
	row := top
	w.str(1, row, "Phases: which Controls and Tariffs rows are in force, month by month", w.b.s.section)
	row++
	w.str(1, row, "Runs of months in which the same rows apply to this BOM. Percentages and days as in the Assumptions sheet, ranges in brackets.", w.b.s.subtitle)
	row += 2
	width := 0.0
	for c := 4; c <= lastCol; c++ {
		width += moneyWidth
	}
	for _, s := range r.Scenarios {
		if len(s.Phases) == 0 {
			continue
		}
		w.str(1, row, scenarioName(s.Scenario)+" ("+s.Scenario.ID+")", w.b.s.boldLeft)
		row++
		for c, h := range []string{"From", "To", "Months", "In force"} {
			w.str(c+1, row, h, w.b.s.headerLeft)
		}
		row++
		for _, ph := range s.Phases {
			rep.phaseRow(w, row, lastCol, width, s.Scenario, ph)
			row++
		}
		row++
	}
}

// phaseRow writes one phase on row, its rows in force merged across to
// lastCol (width characters wide) and the row as high as they need.
func (rep *report) phaseRow(w *sheetWriter, row, lastCol int, width float64, sc exposure.Scenario, ph exposure.Phase) {
	text := phaseText(sc, ph)
	w.str(1, row, ph.FromMonth, w.b.s.text)
	w.str(2, row, ph.ToMonth, w.b.s.text)
	w.put(3, row, ph.To-ph.From+1, kInt, false)
	w.str(4, row, text, w.b.s.wrap)
	w.merge(4, row, lastCol, row)
	n := 0
	for _, para := range strings.Split(text, "\n") {
		n += textLines(para, width)
	}
	if n > 1 {
		w.height(row, math.Min(float64(n)*15+2, 409))
	}
	w.b.extend(w.sheet, lastCol, row)
}

// phaseText says what a phase's rows do, one row a line: "HRE7, direct
// sources of HS 850511: price +200% (100..330), 25% available, +63 days"
// and "Tariff on HS 8505.11 from China: +45%".
func phaseText(sc exposure.Scenario, ph exposure.Phase) string {
	var parts []string
	for _, i := range ph.Controls {
		c := sc.Controls[i]
		var what []string
		if !c.Uplift.Value.IsZero() || c.Uplift.Ranged {
			what = append(what, "price "+signed(c.Uplift.Value)+"%"+bracket(c.Uplift))
		}
		if !c.Availability.Value.Equal(hundred) || c.Availability.Ranged {
			what = append(what, c.Availability.Value.String()+"% available"+bracket(c.Availability))
		}
		if !c.Delay.Value.IsZero() || c.Delay.Ranged {
			what = append(what, "+"+c.Delay.Value.String()+" days"+bracket(c.Delay))
		}
		if len(what) == 0 {
			what = append(what, "no change")
		}
		elems := "every element"
		if !c.AllElements {
			elems = reference.ElementsText(c.Elements)
		}
		cls := classText(c.Class) + " sources"
		if c.Class == exposure.AnyClass {
			cls = "all sources"
		}
		if c.HSPrefix != "" {
			cls += " of HS " + c.HSPrefix
		}
		parts = append(parts, elems+", "+cls+": "+strings.Join(what, ", "))
	}
	for _, i := range ph.Tariffs {
		tr := sc.Tariffs[i]
		scope := "every part"
		switch {
		case tr.HSPrefix != "" && tr.Material != "":
			scope = "HS " + tr.HSPrefix + ", " + tr.Material
		case tr.HSPrefix != "":
			scope = "HS " + tr.HSPrefix
		case tr.Material != "":
			scope = tr.Material
		}
		origin := "from " + countryName(tr.Origin)
		if tr.Origin == "*" {
			origin = "from any origin"
		}
		parts = append(parts, "Tariff on "+scope+" "+origin+": "+signed(tr.Pct.Value)+"%"+bracket(tr.Pct))
	}
	if len(parts) == 0 {
		return "No Controls or Tariffs row applies: no change from today."
	}
	return strings.Join(parts, "\n")
}

func signed(d decimal.Decimal) string {
	if d.Sign() > 0 {
		return "+" + d.String()
	}
	return d.String()
}

func bracket(p exposure.Param) string {
	if t := rangeText(p); t != "" {
		return " (" + t + ")"
	}
	return ""
}

// subtitle writes a block's note at the start of row: wrapped within the
// page on a sheet that says how wide its page is (noteSpan), else on one
// line.
func (b *book) subtitle(sheet string, row int, text string) error {
	last := b.noteSpan[sheet]
	if last <= 1 {
		return b.str(sheet, 1, row, text, b.s.subtitle)
	}
	if err := b.spanText(sheet, 1, last, row, text, false); err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, cellName(1, row), cellName(1, row), b.s.note)
}

// dropPrintTitles stops the sheet's header row from repeating on every
// printed page.
func (b *book) dropPrintTitles(sheet string) error {
	if p := b.printed[sheet]; p != nil {
		p.titleRows = 0 // printAcross, at the sheet's end, would set it again
	}
	err := b.f.DeleteDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet})
	if err != nil && !strings.Contains(err.Error(), "no defined name") {
		return err
	}
	return nil
}
