package reports

import (
	"sort"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// countriesSheet writes each stage's countries with their share of the
// rare-earth mass and the stage's HHI, then the same shares pivoted by
// stage and country, the data of the stacked chart beside the table.
func (rep *report) countriesSheet() error {
	w := rep.writer(sheetCountries)
	w.plain(0)
	cols := []col{
		{head: "Stage", kind: kText},
		{head: "Country", kind: kText},
		{head: "Code", kind: kText},
		{head: "Share (%)", kind: kPct},
		{head: "Mass (kg/yr)", kind: kKg},
		{head: "Stage HHI (0 to 10,000)", kind: kInt},
	}
	t := w.table(1, 1, cols)
	w.note(4, 1, "Share of the BOM's annual rare-earth mass whose stage is in this country. Unknown: the input does not say.")
	w.note(6, 1, "Herfindahl–Hirschman index of the stage over the known countries: the sum of squared shares in percent points. 10,000 is a single country; the European Commission treats above 4,000 as concentrated.")
	rows := stageRows(rep.r.Stages)
	for _, s := range rows {
		code := s.Country
		t.add(stageLabel(s.Stage), countryName(code), code, s.Share, s.Kg, cellNum{s.HHI, kInt})
	}
	if len(rows) == 0 {
		w.str(1, 2, "The BOM holds no rare-earth content.", w.b.s.note)
		return w.err
	}
	t.filter()
	// The chart's data: below the table, so that filtering the table
	// leaves it alone, and below the chart too.
	rep.countriesChart(w, max(t.row+3, 2+360/20+3), len(cols)+2, newStagePivot(rows))
	return w.err
}

// stageRows lists the stages' countries that hold mass, by stage, largest
// share first, unknown last.
func stageRows(stages []exposure.StageCountry) []exposure.StageCountry {
	var rows []exposure.StageCountry
	for _, s := range stages {
		if !s.Kg.IsZero() || !s.Share.IsZero() {
			rows = append(rows, s)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Stage != b.Stage {
			return a.Stage < b.Stage
		}
		if (a.Country == "") != (b.Country == "") {
			return b.Country == ""
		}
		return a.Share.GreaterThan(b.Share)
	})
	return rows
}

// stagePivot is the countries' shares laid out for the chart: one row per
// stage, one column per country, largest country first, unknown last.
type stagePivot struct {
	stages    []exposure.Stage
	countries []string
	share     map[[2]string]decimal.Decimal // (stage, country) → share
}

func newStagePivot(rows []exposure.StageCountry) stagePivot {
	p := stagePivot{share: map[[2]string]decimal.Decimal{}}
	kg := map[string]decimal.Decimal{}
	seenStage := map[exposure.Stage]bool{}
	for _, s := range rows {
		if _, ok := kg[s.Country]; !ok {
			p.countries = append(p.countries, s.Country)
		}
		kg[s.Country] = kg[s.Country].Add(s.Kg)
		k := [2]string{s.Stage.String(), s.Country}
		p.share[k] = p.share[k].Add(s.Share)
		if !seenStage[s.Stage] {
			seenStage[s.Stage] = true
			p.stages = append(p.stages, s.Stage)
		}
	}
	sort.SliceStable(p.stages, func(i, j int) bool { return p.stages[i] < p.stages[j] })
	sort.SliceStable(p.countries, func(i, j int) bool {
		ci, cj := p.countries[i], p.countries[j]
		if (ci == "") != (cj == "") {
			return cj == ""
		}
		return kg[ci].GreaterThan(kg[cj])
	})
	return p
}

// countriesChart writes the pivot from row top and the stacked chart of
// it at column chartCol of row 2, each country in its workbook colour.
func (rep *report) countriesChart(w *sheetWriter, top, chartCol int, p stagePivot) {
	sheet := w.sheet
	w.str(1, top, "Share of each stage by country, % (the chart's data)", w.b.s.section)
	// The headers name the countries alone: they are the chart's legend.
	pc := []col{{head: "Stage", kind: kText}}
	for _, c := range p.countries {
		pc = append(pc, col{head: countryName(c), kind: kPct})
	}
	t := w.table(1, top+1, pc)
	for _, g := range p.stages {
		vals := []any{stageLabel(g)}
		for _, c := range p.countries {
			vals = append(vals, p.share[[2]string{g.String(), c}])
		}
		t.add(vals...)
	}
	var series []excelize.ChartSeries
	for i, c := range p.countries {
		series = append(series, excelize.ChartSeries{
			Name:       absCell(sheet, 2+i, t.top),
			Categories: absRange(sheet, 1, t.top+1, 1, t.row),
			Values:     absRange(sheet, 2+i, t.top+1, 2+i, t.row),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{rep.countryColour(c)}},
		})
	}
	w.chart(chartCol, 2, &excelize.Chart{
		Type:      excelize.BarPercentStacked,
		Series:    series,
		Title:     chartTitle("Where the rare-earth content comes from, by stage"),
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 9, Color: colAxis}},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Size: 10, Color: colAxis}},
		YAxis:     excelize.ChartAxis{Title: axisTitle("Share of annual rare-earth mass (%)"), MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Font: excelize.Font{Size: 9, Color: colAxis}},
		Format:    excelize.GraphicOptions{AltText: "Stacked bar chart of country shares per supply-chain stage"},
	})
}
