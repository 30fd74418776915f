package reports

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// summaryWidth is how many columns the Summary's blocks span.
const summaryWidth = 7

// summarySheet writes the first page a buyer reads: headline figures, a
// paragraph, the chart of annual change by scenario, the products and the
// most exposed parts.
func (rep *report) summarySheet(sc *partsScan) error {
	w := rep.writer(sheetSummary)
	rep.summaryTitle(w)
	row := rep.noticesBlock(w, 4)
	row = rep.keyFigures(w, row)
	row = rep.summaryText(w, row+2, sc)
	row = rep.scenarioChart(w, row)
	row = rep.productsTable(w, row)
	rep.topPartsTable(w, row, sc)
	return w.err
}

// summaryTitle writes the title and, under it, the input, the as-of
// date, the currency and the projection's months.
func (rep *report) summaryTitle(w *sheetWriter) {
	r := rep.r
	w.pageSetup(0)
	w.panes(2, 0)
	w.str(1, 1, "Rare-earth export controls: cost exposure", w.b.s.title)
	sub := []string{}
	if rep.m.InputName != "" {
		sub = append(sub, "Input "+rep.m.InputName)
	}
	sub = append(sub, "as of "+asOf(r.Settings.AsOf), "amounts in "+rep.cur)
	if len(r.Months) > 0 {
		sub = append(sub, fmt.Sprintf("projection %s to %s", r.Months[0], r.Months[len(r.Months)-1]))
	}
	w.str(1, 2, strings.Join(sub, " · "), w.b.s.subtitle)
}

// keyFigures writes the headline figures from row, label across A:C and
// value in D, and returns the last row written.
func (rep *report) keyFigures(w *sheetWriter, row int) int {
	r := rep.r
	w.str(1, row, "Key figures", w.b.s.section)
	figure := func(label string, v any, k kind, bold bool) {
		row++
		w.figure(row, label, v, k, bold)
	}
	figure(rep.money("Baseline annual cost of all products"), r.Totals.BaselineAnnual, kMoney, false)
	figure(rep.money("Expected annual cost change, probability-weighted"), r.ExpectedAnnualDelta, kMoney, true)
	if r.Expected.HasShare {
		figure("Expected change as a share of the baseline (%)", r.Expected.Share, kPct, false)
	}
	if r.Totals.Worst >= 0 {
		ws := r.Scenarios[r.Totals.Worst]
		figure("Worst scenario", styledText{s: scenarioName(ws.Scenario), style: w.b.s.boldLeft}, kText, true)
		figure(rep.money("Worst scenario's annual cost change"), ws.AnnualDelta, kMoney, true)
	}
	if r.Mix.Draws > 0 { // the range over all scenarios, from the Monte Carlo
		figure(rep.money("Annual cost change exceeded in 1 year out of 10 (P90 over all scenarios)"), r.Mix.P90, kMoney, false)
	}
	figure("Scenarios weighed", len(r.Scenarios), kInt, false)
	return row
}

// summaryText writes, from row, the paragraph of what the figures say and
// the plan's paragraph, and returns the row the next block starts on.
func (rep *report) summaryText(w *sheetWriter, row int, sc *partsScan) int {
	w.str(1, row, "In short", w.b.s.section)
	row++
	para := rep.paragraph(sc)
	w.str(1, row, para, w.b.s.wrap)
	w.merge(1, row, summaryWidth, row)
	// Merged cells do not grow with their text: size the row by hand, for
	// the ~130 characters a line of A:G holds.
	lines := int(math.Ceil(float64(utf8.RuneCountInString(para))/120)) + 1
	w.height(row, float64(lines)*15)
	row += 2
	if plan := rep.planParagraph(); plan != "" {
		w.str(1, row, "Recommendation", w.b.s.section)
		w.paragraph(1, row+1, summaryWidth, plan, 120)
		row += 3
	}
	return row
}

// scenarioChart puts at row the chart of annual change by scenario, which
// reads the Scenarios sheet, and returns the row below it.
func (rep *report) scenarioChart(w *sheetWriter, row int) int {
	r := rep.r
	n := len(r.Scenarios)
	if n == 0 {
		return row
	}
	height := 340
	if n > 7 {
		height += (n - 7) * 28
	}
	src := sheetScenarios
	var vals []decimal.Decimal
	for _, s := range r.Scenarios {
		vals = append(vals, s.AnnualDelta)
	}
	chart := &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       absCell(src, scColAnnual, 1),
			Categories: absRange(src, scColName, 2, scColName, n+1),
			Values:     absRange(src, scColAnnual, 2, scColAnnual, n+1),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C0504D"}},
		}},
		VaryColors: ptr(false),
		Title:      chartTitle("Annual cost change by scenario (" + rep.cur + ")"),
		Legend:     excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 9, Color: colAxis}},
		Dimension:  excelize.ChartDimension{Width: 940, Height: uint(height)},
		PlotArea:   excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
		XAxis:      excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Size: 9, Color: colAxis}},
		YAxis: excelize.ChartAxis{Title: axisTitle(rep.cur + " a year (first 12 months)"), MajorGridLines: true,
			NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}, Font: excelize.Font{Size: 9, Color: colAxis}},
		Format: excelize.GraphicOptions{AltText: "Bar chart of the annual cost change per scenario"},
	}
	flatAxis(&chart.YAxis, vals)
	w.chart(1, row, chart)
	// Rows are 20 pixels high; leave room below the chart whatever the
	// application makes of the anchor.
	return row + height/20 + 3
}

// productsTable writes the products with their expected and worst-case
// figures from row, and returns the row the next block starts on. It
// shares its columns with the parts table below: identifiers in A, long
// text in B (names, descriptions), figures in C–F, scenario names in G.
func (rep *report) productsTable(w *sheetWriter, row int) int {
	w.str(1, row, "Products", w.b.s.section)
	row++
	t := w.table(1, row, []col{
		{head: "Product", kind: kText},
		{head: "Name", kind: kWrap, width: 40},
		{head: "Annual volume (units)", kind: kQty, width: 14},
		{head: rep.money("Baseline unit cost"), kind: kMoney, width: 15},
		{head: rep.money("Expected unit cost change, first month"), kind: kMoney, width: 15},
		{head: rep.money("Expected annual change"), kind: kMoney, width: 15},
		{head: rep.money("Worst-case annual change"), kind: kMoney, width: 15},
		{head: "Worst-case output at risk, first year (units)", kind: kQty, width: 15},
	})
	w.note(8, row, "The most units of the product, over the scenarios, that could not be built in the first 12 months if the missing rare-earth material could not be bought at any price: "+
		"the least available of its rare-earth-bearing parts, month by month. The cost figures assume the shortfall is bought at the spot premium: read the two as alternatives, not a sum.")
	for _, p := range rep.r.Products {
		o := p.Outlook
		var worst, risk any = o.WorstAnnualDelta, o.UnitsAtRisk.Round(0)
		if o.Scenarios == 0 {
			worst, risk = nil, nil
		}
		t.add(p.ID, p.Name, p.AnnualVolume, p.BaselineUnitCost, o.ExpectedUnitDelta, o.ExpectedAnnualDelta, worst, risk)
	}
	t.asTable("Products")
	return t.row + 3
}

// topPartsTable writes the most exposed parts from row.
func (rep *report) topPartsTable(w *sheetWriter, row int, sc *partsScan) {
	w.str(1, row, fmt.Sprintf("Most exposed parts (top %d by expected annual change)", topParts), w.b.s.section)
	row++
	t := w.table(1, row, []col{
		{head: "Part number", kind: kText},
		{head: "Description", kind: kWrap, width: 40},
		{head: "Product", kind: kText},
		{head: "Annual qty", kind: kQty},
		{head: rep.money("Expected annual change"), kind: kMoney},
		{head: rep.money("Worst-case annual change"), kind: kMoney},
		{head: "Worst scenario", kind: kWrap, width: 34},
	})
	for _, a := range sc.top {
		wi := -1
		for s, d := range a.perScen {
			if wi < 0 || d.GreaterThan(a.perScen[wi]) {
				wi = s
			}
		}
		var wv, wn any
		if wi >= 0 {
			wv, wn = a.perScen[wi], scenarioName(rep.r.Scenarios[wi].Scenario)
		}
		t.add(a.key.part, a.desc, a.key.product, a.qty, a.expected, wv, wn)
	}
	if len(sc.top) > 0 {
		t.asTable("TopParts")
		return
	}
	msg := "No part's cost changes in these scenarios."
	if sc.rows == 0 {
		msg = "No part figures: the BOM has no cost-bearing or rare-earth lines."
	}
	// Across the table's width: column A alone would wrap it out of sight.
	w.spanText(1, len(t.cols), t.row+1, msg, false)
	w.style(1, t.row+1, w.b.s.note)
}

// paragraph says in words what the figures say.
func (rep *report) paragraph(sc *partsScan) string {
	r := rep.r
	if len(r.Scenarios) == 0 {
		return "No scenarios were run, so no cost change is reported."
	}
	p := rep.expectedSentences()
	if s := rep.noticeSentence(r.ExpectedAnnualDelta.IsZero()); s != "" {
		p = append(p, s)
	}
	if ws := r.Totals.Worst; ws >= 0 && len(r.Scenarios) > 1 {
		s := r.Scenarios[ws]
		verb, amt := "add", s.AnnualDelta
		if amt.Sign() < 0 {
			verb, amt = "save", amt.Neg()
		}
		p = append(p, fmt.Sprintf("The worst scenario, “%s”, would %s %s %s in the first 12 months.", scenarioName(s.Scenario), verb, rep.cur, moneyText(amt)))
	}
	if s := rep.splitSentence(); s != "" {
		p = append(p, s)
	}
	if len(sc.top) > 0 {
		a := sc.top[0]
		what := a.key.part
		if d := strings.TrimSpace(a.desc); d != "" {
			if r := []rune(d); len(r) > 60 {
				d = string(r[:59]) + "…"
			}
			what += " (" + d + ")"
		}
		p = append(p, fmt.Sprintf("The most exposed part is %s in %s, with an expected change of %s %s a year.", what, a.key.product, rep.cur, moneyText(a.expected)))
	}
	if s := declaredSentence(r); s != "" {
		p = append(p, s)
	}
	if priorsOnly(r) {
		p = append(p, "The probabilities are the scenarios' priors; see the Scenarios sheet.")
	} else {
		p = append(p, "The probabilities are the priors moved by the signals given (a transparent heuristic); see the Signals sheet.")
	}
	return strings.Join(p, " ")
}

// expectedSentences say how the expected annual change moves the
// products' cost, against the baseline, or why it does not.
func (rep *report) expectedSentences() []string {
	r, cur := rep.r, rep.cur
	n := len(r.Scenarios)
	products := "the products"
	if len(r.Products) == 1 {
		products = "the product"
	} else if len(r.Products) > 1 {
		products = fmt.Sprintf("the %d products", len(r.Products))
	}
	exp := r.ExpectedAnnualDelta
	weigh := fmt.Sprintf("Weighing the %d scenarios by their probabilities, ", n)
	if n == 1 {
		weigh = "Under the one scenario run, "
	}
	var share string
	if r.Expected.HasShare {
		share = fmt.Sprintf(" (%s of the baseline of %s %s)", pctText(r.Expected.Share.Abs()), cur, moneyText(r.Totals.BaselineAnnual))
	}
	switch exp.Sign() {
	case 1:
		return []string{fmt.Sprintf("%sthe annual cost of %s is expected to rise by %s %s%s.", weigh, products, cur, moneyText(exp), share)}
	case -1:
		return []string{fmt.Sprintf("%sthe annual cost of %s is expected to fall by %s %s%s.", weigh, products, cur, moneyText(exp.Neg()), share)}
	}
	if why := rep.zeroReason(); why != "" {
		return []string{fmt.Sprintf("%sthe annual cost of %s shows no change, but that is no finding: %s", weigh, products, why)}
	}
	p := []string{fmt.Sprintf("%sthe annual cost of %s is not expected to change.", weigh, products)}
	if r.Totals.Worst < 0 && n > 1 {
		p = append(p, "None of the scenarios changes it in the first 12 months.")
	}
	return p
}

// splitSentence says which part of the cost model most of the expected
// change comes from, "" when the change is not a rise.
func (rep *report) splitSentence() string {
	e := rep.r.Expected.Split
	tot := e.Total()
	if tot.Sign() <= 0 {
		return ""
	}
	parts := []struct {
		name string
		v    decimal.Decimal
	}{{"higher prices", e.Price}, {"spot-market premiums for supply shortfalls", e.Shortage},
		{"carrying extra stock for delays", e.Carrying}, {"tariffs", e.Tariff}}
	big := 0
	for i := range parts {
		if parts[i].v.GreaterThan(parts[big].v) {
			big = i
		}
	}
	if parts[big].v.Sign() <= 0 {
		return ""
	}
	share := parts[big].v.DivRound(tot, 6)
	lead := "Most of the expected change"
	if share.LessThan(decimal.RequireFromString("0.5")) {
		lead = "The largest part of the expected change"
	}
	return fmt.Sprintf("%s, %s, comes from %s.", lead, pctText(share), parts[big].name)
}

// priorsOnly reports whether no probability differs from its prior.
func priorsOnly(r *exposure.Result) bool {
	for _, s := range r.Scenarios {
		if !s.Probability.Equal(s.Scenario.Prior) {
			return false
		}
	}
	return true
}
