package reports

import (
	"slices"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// The Recommendations sheet's chart: where the planned parts come from at
// each stage, today and under the plan, as shares of their annual spend.

// spendKey is one bar segment's spend: a stage, today or planned, a country.
type spendKey struct {
	stage   exposure.Stage
	planned bool
	country string
}

// planSpend is the planned parts' spend by stage and country, today and
// planned, with the countries grouped into the chart's series: the eight
// largest by name, the others as "Other", Unknown last.
type planSpend struct {
	spend       map[spendKey]decimal.Decimal
	countries   []string          // largest total spend first, unknown last
	heads       []string          // the series, in order
	group       map[string]string // country → its series
	headCountry map[string]string // series → a country, for its colour
}

// namedCountries is how many countries the chart names; the rest are
// "Other".
const namedCountries = 8

// newPlanSpend weighs each country by the parts' annual spend today, so
// that only the shares move, over every planned part (not only those
// listed).
func newPlanSpend(p *exposure.Plan) planSpend {
	ps := planSpend{spend: map[spendKey]decimal.Decimal{}, group: map[string]string{}, headCountry: map[string]string{}}
	total := map[string]decimal.Decimal{}
	for _, sp := range p.Spend {
		cc := sp.Country
		if sp.Today.Sign() > 0 {
			ps.spend[spendKey{sp.Stage, false, cc}] = ps.spend[spendKey{sp.Stage, false, cc}].Add(sp.Today)
			total[cc] = total[cc].Add(sp.Today)
		}
		if sp.Planned.Sign() > 0 {
			ps.spend[spendKey{sp.Stage, true, cc}] = ps.spend[spendKey{sp.Stage, true, cc}].Add(sp.Planned)
			total[cc] = total[cc].Add(sp.Planned)
		}
	}
	for c := range total {
		ps.countries = append(ps.countries, c)
	}
	sort.Slice(ps.countries, func(i, j int) bool {
		a, b := ps.countries[i], ps.countries[j]
		if (a == "") != (b == "") {
			return b == ""
		}
		if !total[a].Equal(total[b]) {
			return total[a].GreaterThan(total[b])
		}
		return a < b
	})
	for i, c := range ps.countries {
		h := countryName(c)
		if c != "" && i >= namedCountries {
			h = "Other"
		}
		ps.group[c] = h
		if !slices.Contains(ps.heads, h) {
			ps.heads = append(ps.heads, h)
			ps.headCountry[h] = c
		}
	}
	// Keep Unknown last.
	sort.SliceStable(ps.heads, func(i, j int) bool { return ps.heads[j] == "Unknown" && ps.heads[i] != "Unknown" })
	return ps
}

// shares is one bar: each series' share of the stage's spend, today or
// planned; nil cells when the stage has no spend.
func (ps planSpend) shares(g exposure.Stage, planned bool) []any {
	sum := decimal.Zero
	by := map[string]decimal.Decimal{}
	for _, c := range ps.countries {
		v := ps.spend[spendKey{g, planned, c}]
		by[ps.group[c]] = by[ps.group[c]].Add(v)
		sum = sum.Add(v)
	}
	var vals []any
	for _, h := range ps.heads {
		if sum.IsZero() {
			vals = append(vals, nil)
			continue
		}
		vals = append(vals, by[h].DivRound(sum, 6))
	}
	return vals
}

// planChart writes the chart's data, the planned parts' annual spend by
// country at each stage, today and planned, and the chart at chartRow, in
// the workbook's country colours.
func (rep *report) planChart(w *sheetWriter, row *int, chartRow int) {
	p := rep.r.Plan
	if len(p.Lines) == 0 {
		return
	}
	ps := newPlanSpend(p)
	w.str(rc(1), *row, "Where the planned parts come from, share of their annual spend today (the chart's data)", w.b.s.section)
	cols := []col{{head: "Stage", kind: kWrap, width: recWProduct}}
	for _, h := range ps.heads {
		cols = append(cols, col{head: h, kind: kPct})
	}
	t := w.table(rc(1), *row+1, cols)
	for g := exposure.StageMine; g < exposure.NumStages; g++ {
		for _, planned := range []bool{false, true} {
			when := " today"
			if planned {
				when = " planned"
			}
			t.add(append([]any{stageLabel(g) + when}, ps.shares(g, planned)...)...)
		}
	}
	*row = t.row + 2
	sheet := w.sheet
	var series []excelize.ChartSeries
	for i, h := range ps.heads {
		color := rep.countryColour(ps.headCountry[h])
		if h == "Other" {
			color = colOther
		}
		series = append(series, excelize.ChartSeries{
			Name:       absCell(sheet, rc(2+i), t.top),
			Categories: absRange(sheet, rc(1), t.top+1, rc(1), t.row),
			Values:     absRange(sheet, rc(2+i), t.top+1, rc(2+i), t.row),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
		})
	}
	w.chart(rc(1), chartRow, &excelize.Chart{
		Type:      excelize.BarPercentStacked,
		Series:    series,
		Title:     chartTitle("Planned parts by country and stage: today and under the plan (share of annual spend)"),
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 9, Color: colAxis}},
		Dimension: excelize.ChartDimension{Width: 900, Height: planChartHeight},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Size: 9, Color: colAxis}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Font: excelize.Font{Size: 9, Color: colAxis}},
		Format:    excelize.GraphicOptions{AltText: "Stacked bar chart of the planned parts' country shares per stage, today and under the plan"},
	})
}
