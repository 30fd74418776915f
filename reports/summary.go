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
	b, sheet, r := rep.b, sheetSummary, rep.r
	if err := b.pageSetup(sheet, 0); err != nil {
		return err
	}
	if err := b.f.SetPanes(sheet, freezePanes(2, 0)); err != nil {
		return err
	}
	if err := b.str(sheet, 1, 1, "Rare-earth export controls: cost exposure", b.s.title); err != nil {
		return err
	}
	sub := []string{}
	if rep.m.InputName != "" {
		sub = append(sub, "Input "+rep.m.InputName)
	}
	sub = append(sub, "as of "+asOf(r.Settings.AsOf), "amounts in "+rep.cur)
	if len(r.Months) > 0 {
		sub = append(sub, fmt.Sprintf("projection %s to %s", r.Months[0], r.Months[len(r.Months)-1]))
	}
	if err := b.str(sheet, 1, 2, strings.Join(sub, " · "), b.s.subtitle); err != nil {
		return err
	}

	// Headline figures: label across A:C, value in D.
	var baseline decimal.Decimal
	for _, p := range r.Products {
		baseline = baseline.Add(p.BaselineUnitCost.Mul(p.AnnualVolume))
	}
	worst, moved := -1, false
	for i, s := range r.Scenarios {
		if worst < 0 || s.AnnualDelta.GreaterThan(r.Scenarios[worst].AnnualDelta) {
			worst = i
		}
		moved = moved || !s.AnnualDelta.IsZero()
	}
	if !moved {
		worst = -1 // no scenario changes the cost: naming one "worst" would mislead
	}
	row, err := rep.noticesBlock(sheet, 4)
	if err != nil {
		return err
	}
	if err := b.str(sheet, 1, row, "Key figures", b.s.section); err != nil {
		return err
	}
	figure := func(label string, v any, k kind, bold bool) error {
		row++
		return b.figure(sheet, row, label, v, k, bold)
	}
	if err := figure(rep.money("Baseline annual cost of all products"), baseline, kMoney, false); err != nil {
		return err
	}
	if err := figure(rep.money("Expected annual cost change, probability-weighted"), r.ExpectedAnnualDelta, kMoney, true); err != nil {
		return err
	}
	if baseline.Sign() > 0 {
		if err := figure("Expected change as a share of the baseline (%)", r.ExpectedAnnualDelta.DivRound(baseline, 6), kPct, false); err != nil {
			return err
		}
	}
	if worst >= 0 {
		ws := r.Scenarios[worst]
		if err := figure("Worst scenario", styledText{s: scenarioName(ws.Scenario), style: b.s.boldLeft}, kText, true); err != nil {
			return err
		}
		if err := figure(rep.money("Worst scenario's annual cost change"), ws.AnnualDelta, kMoney, true); err != nil {
			return err
		}
	}
	if r.Mix.Draws > 0 { // the range over all scenarios, from the Monte Carlo
		if err := figure(rep.money("Annual cost change exceeded in 1 year out of 10 (P90 over all scenarios)"), r.Mix.P90, kMoney, false); err != nil {
			return err
		}
	}
	if err := figure("Scenarios weighed", len(r.Scenarios), kInt, false); err != nil {
		return err
	}
	row++

	// In short.
	row++
	if err := b.str(sheet, 1, row, "In short", b.s.section); err != nil {
		return err
	}
	row++
	para := rep.paragraph(baseline, worst, sc)
	if err := b.str(sheet, 1, row, para, b.s.wrap); err != nil {
		return err
	}
	if err := b.f.MergeCell(sheet, cellName(1, row), cellName(summaryWidth, row)); err != nil {
		return err
	}
	// Merged cells do not grow with their text: size the row by hand, for
	// the ~130 characters a line of A:G holds.
	lines := int(math.Ceil(float64(utf8.RuneCountInString(para))/120)) + 1
	if err := b.f.SetRowHeight(sheet, row, float64(lines)*15); err != nil {
		return err
	}
	row += 2
	if plan := rep.planParagraph(); plan != "" {
		if err := b.str(sheet, 1, row, "Recommendation", b.s.section); err != nil {
			return err
		}
		if err := rep.paragraphAt(sheet, row+1, summaryWidth, plan); err != nil {
			return err
		}
		row += 3
	}

	// The chart of annual change by scenario reads the Scenarios sheet.
	if n := len(r.Scenarios); n > 0 {
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
		b.chart(sheet, cellName(1, row), chart)
		// Rows are 20 pixels high; leave room below the chart whatever
		// the application makes of the anchor.
		row += height/20 + 3
	}

	// The two tables share their columns: identifiers in A, long text in
	// B (names, descriptions), figures in C–F, scenario names in G.
	if err := b.str(sheet, 1, row, "Products", b.s.section); err != nil {
		return err
	}
	row++
	pt, err := b.newTable(sheet, 1, row, []col{
		{head: "Product", kind: kText},
		{head: "Name", kind: kWrap, width: 40},
		{head: "Annual volume (units)", kind: kQty, width: 14},
		{head: rep.money("Baseline unit cost"), kind: kMoney, width: 15},
		{head: rep.money("Expected unit cost change, first month"), kind: kMoney, width: 15},
		{head: rep.money("Expected annual change"), kind: kMoney, width: 15},
		{head: rep.money("Worst-case annual change"), kind: kMoney, width: 15},
		{head: "Worst-case output at risk, first year (units)", kind: kQty, width: 15},
	})
	if err != nil {
		return err
	}
	if err := b.note(sheet, 8, row, "The most units of the product, over the scenarios, that could not be built in the first 12 months if the missing rare-earth material could not be bought at any price: "+
		"the least available of its rare-earth-bearing parts, month by month. The cost figures assume the shortfall is bought at the spot premium: read the two as alternatives, not a sum."); err != nil {
		return err
	}
	for _, p := range r.Products {
		var unit, annual decimal.Decimal
		var worstP, atRisk decimal.Decimal
		first := true
		for _, s := range r.Scenarios {
			for _, pd := range s.Products {
				if pd.Product != p.ID {
					continue
				}
				unit = unit.Add(pd.UnitDelta.Mul(s.Probability))
				annual = annual.Add(pd.AnnualDelta.Mul(s.Probability))
				if first || pd.AnnualDelta.GreaterThan(worstP) {
					worstP, first = pd.AnnualDelta, false
				}
				atRisk = decimal.Max(atRisk, pd.UnitsAtRisk)
			}
		}
		var w, risk any = worstP, atRisk.Round(0)
		if first {
			w, risk = nil, nil
		}
		if err := pt.add(p.ID, p.Name, p.AnnualVolume, p.BaselineUnitCost, unit, annual, w, risk); err != nil {
			return err
		}
	}
	if err := pt.asTable("Products"); err != nil {
		return err
	}
	row = pt.row + 3

	// Most exposed parts.
	if err := b.str(sheet, 1, row, fmt.Sprintf("Most exposed parts (top %d by expected annual change)", topParts), b.s.section); err != nil {
		return err
	}
	row++
	tt, err := b.newTable(sheet, 1, row, []col{
		{head: "Part number", kind: kText},
		{head: "Description", kind: kWrap, width: 40},
		{head: "Product", kind: kText},
		{head: "Annual qty", kind: kQty},
		{head: rep.money("Expected annual change"), kind: kMoney},
		{head: rep.money("Worst-case annual change"), kind: kMoney},
		{head: "Worst scenario", kind: kWrap, width: 34},
	})
	if err != nil {
		return err
	}
	for _, a := range sc.top {
		wi := -1
		for s, d := range a.perScen {
			if wi < 0 || d.GreaterThan(a.perScen[wi]) {
				wi = s
			}
		}
		var wv, wn any
		if wi >= 0 {
			wv, wn = a.perScen[wi], scenarioName(r.Scenarios[wi].Scenario)
		}
		if err := tt.add(a.key.part, a.desc, a.key.product, a.qty, a.expected, wv, wn); err != nil {
			return err
		}
	}
	if len(sc.top) == 0 {
		msg := "No part's cost changes in these scenarios."
		if sc.rows == 0 {
			msg = "No part figures: the BOM has no cost-bearing or rare-earth lines."
		}
		// Across the table's width: column A alone would wrap it out of sight.
		if err := b.spanText(sheet, 1, len(tt.cols), tt.row+1, msg, false); err != nil {
			return err
		}
		return b.f.SetCellStyle(sheet, cellName(1, tt.row+1), cellName(1, tt.row+1), b.s.note)
	}
	return tt.asTable("TopParts")
}

// paragraph says in words what the figures say.
func (rep *report) paragraph(baseline decimal.Decimal, worst int, sc *partsScan) string {
	r := rep.r
	cur := rep.cur
	var p []string
	n := len(r.Scenarios)
	if n == 0 {
		return "No scenarios were run, so no cost change is reported."
	}
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
	if baseline.Sign() > 0 {
		share = fmt.Sprintf(" (%s of the baseline of %s %s)", pctText(exp.Abs().DivRound(baseline, 6)), cur, moneyText(baseline))
	}
	switch exp.Sign() {
	case 1:
		p = append(p, fmt.Sprintf("%sthe annual cost of %s is expected to rise by %s %s%s.", weigh, products, cur, moneyText(exp), share))
	case -1:
		p = append(p, fmt.Sprintf("%sthe annual cost of %s is expected to fall by %s %s%s.", weigh, products, cur, moneyText(exp.Neg()), share))
	default:
		if why := rep.zeroReason(); why != "" {
			p = append(p, fmt.Sprintf("%sthe annual cost of %s shows no change, but that is no finding: %s", weigh, products, why))
			break
		}
		p = append(p, fmt.Sprintf("%sthe annual cost of %s is not expected to change.", weigh, products))
		if worst < 0 && n > 1 {
			p = append(p, "None of the scenarios changes it in the first 12 months.")
		}
	}
	if s := rep.noticeSentence(exp.IsZero()); s != "" {
		p = append(p, s)
	}
	if worst >= 0 && n > 1 {
		ws := r.Scenarios[worst]
		verb := "add"
		amt := ws.AnnualDelta
		if amt.Sign() < 0 {
			verb, amt = "save", amt.Neg()
		}
		p = append(p, fmt.Sprintf("The worst scenario, “%s”, would %s %s %s in the first 12 months.", scenarioName(ws.Scenario), verb, cur, moneyText(amt)))
	}
	// Where the expected change comes from.
	if tot := rep.expS.Total(); tot.Sign() > 0 {
		parts := []struct {
			name string
			v    decimal.Decimal
		}{{"higher prices", rep.expS.Price}, {"spot-market premiums for supply shortfalls", rep.expS.Shortage},
			{"carrying extra stock for delays", rep.expS.Carrying}, {"tariffs", rep.expS.Tariff}}
		big := 0
		for i := range parts {
			if parts[i].v.GreaterThan(parts[big].v) {
				big = i
			}
		}
		if parts[big].v.Sign() > 0 {
			share := parts[big].v.DivRound(tot, 6)
			lead := "Most of the expected change"
			if share.LessThan(decimal.RequireFromString("0.5")) {
				lead = "The largest part of the expected change"
			}
			p = append(p, fmt.Sprintf("%s, %s, comes from %s.", lead, pctText(share), parts[big].name))
		}
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
		p = append(p, fmt.Sprintf("The most exposed part is %s in %s, with an expected change of %s %s a year.", what, a.key.product, cur, moneyText(a.expected)))
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

// priorsOnly reports whether no probability differs from its prior.
func priorsOnly(r *exposure.Result) bool {
	for _, s := range r.Scenarios {
		if !s.Probability.Equal(s.Scenario.Prior) {
			return false
		}
	}
	return true
}
