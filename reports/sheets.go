package reports

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
	"rexpo/reference"
)

// moneyWidth is the width of money columns whose headers name a scenario:
// wide enough that the header wraps to a few lines, not a tower.
const moneyWidth = 17

// colAxis is the colour of chart axis labels and legends.
const colAxis = "404040"

var hundred = decimal.NewFromInt(100)

// pct turns a percent figure (25 = 25%) into the fraction a 0.0% cell holds.
func pct(d decimal.Decimal) cellNum { return cellNum{d.Div(hundred), kPct} }

// rangeText prints a Param's range, "" when it has none: "20..60".
func rangeText(p exposure.Param) string {
	if !p.Ranged {
		return ""
	}
	return p.Low.String() + ".." + p.High.String()
}

// note attaches an explanation to a header cell.
func (b *book) note(sheet string, c, r int, text string) error {
	return b.f.AddComment(sheet, excelize.Comment{Author: "rexpo", Cell: cellName(c, r), Text: text, Width: 260, Height: 100})
}

// plainSheet sets up a one-table sheet: print layout and frozen header.
func (b *book) plainSheet(sheet string, freezeCols int) error {
	if err := b.pageSetup(sheet, 1); err != nil {
		return err
	}
	b.printed[sheet].titleCols = freezeCols // repeated on every page, should the sheet print across pages
	return b.f.SetPanes(sheet, freezePanes(1, freezeCols))
}

// Columns of the Scenarios sheet that the Summary chart reads.
const (
	scColName   = 2
	scColAnnual = 8
)

// scenariosLastCol is the last column of the Scenarios sheet's first
// table, the width every block below keeps to: the sheet prints one page
// wide, its header row not repeated over the blocks below.
const scenariosLastCol = 12

// scenariosSheet writes the scenarios in three blocks one page wide: the
// probabilities and annual changes (the table the Summary's chart reads),
// what each annual change is made of with the output at risk, and the
// scenarios' descriptions; then the Monte Carlo range and the tornado.
// One table of every column would print two pages wide, its key columns
// repeated beside the blocks below.
func (rep *report) scenariosSheet() error {
	b, sheet, r := rep.b, sheetScenarios, rep.r
	if err := b.plainSheet(sheet, 2); err != nil {
		return err
	}
	// Blocks of their own headers follow the first table: no header row
	// or key columns repeated on printed pages.
	b.printed[sheet].titleRows, b.printed[sheet].titleCols = 0, 0
	if b.noteSpan == nil {
		b.noteSpan = map[string]int{}
	}
	b.noteSpan[sheet] = scenariosLastCol
	h := r.Settings.Horizon
	if h == 0 {
		h = len(r.Months)
	}
	cols := []col{
		{head: "ID", kind: kText},
		{head: "Scenario", kind: kWrap, width: 34},
		{head: "Stance", kind: kText},
		{head: "Controlling country", kind: kText},
		{head: "Spot premium (%)", kind: kPct},
		{head: "Prior probability (%)", kind: kPct},
		{head: rep.probabilityHead(), kind: kPct},
		{head: rep.money("Annual change"), kind: kMoney},
		{head: rep.money("Annual change, P10"), kind: kMoney},
		{head: rep.money("Annual change, P50"), kind: kMoney},
		{head: rep.money("Annual change, P90"), kind: kMoney},
		{head: rep.money(fmt.Sprintf("Change over %d months", h)), kind: kMoney},
	}
	for i := range cols {
		if cols[i].kind == kMoney {
			cols[i].width = moneyWidth
		}
	}
	t, err := b.newTable(sheet, 1, 1, cols)
	if err != nil {
		return err
	}
	notes := map[int]string{
		5:  "What the rare-earth-bearing material (magnet, target, oxide) costs extra, as a percentage of its value, when bought on the spot market because the usual source cannot deliver.",
		6:  "The scenario's weight before any signals are read; the priors add up to 100%.",
		7:  "The weight used for the expected figures: the prior, moved by the signals when signals were given (a transparent heuristic).",
		8:  "Change of the annual cost of all products over the first 12 months of the projection, all units. Positive: costs rise.",
		9:  rep.percentileNote(10),
		10: rep.percentileNote(50),
		11: rep.percentileNote(90),
		12: "The same over the whole projection.",
	}
	if err := rep.notes(t.top, notes); err != nil {
		return err
	}
	var hzExp decimal.Decimal
	for _, s := range r.Scenarios {
		sc := s.Scenario
		hzExp = hzExp.Add(s.HorizonDelta.Mul(s.Probability))
		if err := t.add(sc.ID, scenarioName(sc), sc.Stance.String(), countryLabel(sc.Country),
			pct(sc.SpotPremium.Value), sc.Prior, s.Probability,
			s.AnnualDelta, s.P10, s.P50, s.P90, s.HorizonDelta); err != nil {
			return err
		}
	}
	if len(r.Scenarios) == 0 {
		return b.str(sheet, 1, 2, "No scenarios were run.", b.s.note)
	}
	if err := t.filter(); err != nil {
		return err
	}
	// The probability-weighted line sits below the filtered rows so that
	// sorting and filtering leave it alone.
	t.row++
	var prior, prob decimal.Decimal
	for _, s := range r.Scenarios {
		prior = prior.Add(s.Scenario.Prior)
		prob = prob.Add(s.Probability)
	}
	if err := t.addBold("", "Expected (probability-weighted)", nil, nil, nil, prior, prob,
		r.ExpectedAnnualDelta, nil, nil, nil, hzExp); err != nil {
		return err
	}
	row := t.row + 3
	if err := rep.splitBlock(&row); err != nil {
		return err
	}
	if err := rep.descriptionBlock(&row); err != nil {
		return err
	}
	return rep.uncertaintyBlocks(row)
}

// notes attaches explanations to the header cells of row, in column
// order so that the file is the same from run to run.
func (rep *report) notes(row int, notes map[int]string) error {
	for _, c := range slices.Sorted(maps.Keys(notes)) {
		if err := rep.b.note(sheetScenarios, c, row, notes[c]); err != nil {
			return err
		}
	}
	return nil
}

// splitBlock writes, from *row, what each scenario's annual change is made
// of and the output it puts at risk, and moves *row below it.
func (rep *report) splitBlock(row *int) error {
	b, sheet, r := rep.b, sheetScenarios, rep.r
	if err := b.str(sheet, 1, *row, "What each annual change is made of, and the output at risk", b.s.section); err != nil {
		return err
	}
	*row++
	cols := []col{
		{head: "ID", kind: kText},
		{head: "Scenario", kind: kWrap, width: 34},
		{head: rep.money("Price part"), kind: kMoney, width: moneyWidth},
		{head: rep.money("Shortage part"), kind: kMoney, width: moneyWidth},
		{head: rep.money("Carrying part"), kind: kMoney, width: moneyWidth},
		{head: rep.money("Tariff part"), kind: kMoney, width: moneyWidth},
	}
	riskCols := rep.riskProducts()
	for _, p := range riskCols {
		cols = append(cols, col{head: "Output at risk, " + p + " (units, first year)", kind: kQty, width: 16})
	}
	t, err := b.newTable(sheet, 1, *row, cols)
	if err != nil {
		return err
	}
	notes := map[int]string{
		3: "Higher prices of the rare-earth content.",
		4: "Spot-market premium on the value of the rare-earth-bearing material (the magnet, not the motor) for the share of demand that cannot be had from the usual source.",
		5: "Cost of carrying extra stock for the added delivery delay, at the carrying rate.",
		6: "Added import tariffs.",
	}
	for i := range riskCols {
		notes[7+i] = "Units of this product that could not be built in the first 12 months if the missing rare-earth material could not be bought at any price: the least available of its rare-earth-bearing parts, month by month. " +
			"The shortage part assumes the same shortfall is bought at the spot premium: read the two as alternatives, not a sum."
	}
	if err := rep.notes(t.top, notes); err != nil {
		return err
	}
	for _, s := range r.Scenarios {
		vals := []any{s.Scenario.ID, scenarioName(s.Scenario), s.Split.Price, s.Split.Shortage, s.Split.Carrying, s.Split.Tariff}
		for i := range riskCols {
			if i < len(s.Products) {
				vals = append(vals, s.Products[i].UnitsAtRisk.Round(0))
			} else {
				vals = append(vals, nil)
			}
		}
		if err := t.add(vals...); err != nil {
			return err
		}
	}
	if err := t.asTable("ScenarioSplit"); err != nil {
		return err
	}
	t.row++
	if err := t.addBold("", "Expected (probability-weighted)", rep.expS.Price, rep.expS.Shortage, rep.expS.Carrying, rep.expS.Tariff); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
}

// descriptionBlock writes, from *row, what each scenario assumes, its text
// wrapped across the page, and moves *row below it.
func (rep *report) descriptionBlock(row *int) error {
	b, sheet, r := rep.b, sheetScenarios, rep.r
	var rows [][]any
	for _, s := range r.Scenarios {
		rows = append(rows, []any{s.Scenario.ID, scenarioName(s.Scenario), s.Scenario.Description})
	}
	return b.block(sheet, row, "What each scenario assumes", "Sources: see the Assumptions sheet.",
		[]col{{head: "ID", kind: kText}, {head: "Scenario", kind: kWrap, width: 34},
			{head: "Description", kind: kSpill, span: scenariosLastCol}}, rows, "")
}

func (rep *report) projectionSheet() error {
	b, sheet, r := rep.b, sheetProjection, rep.r
	if err := b.plainSheet(sheet, 1); err != nil {
		return err
	}
	cols := []col{{head: "Month", kind: kText}}
	for _, s := range r.Scenarios {
		cols = append(cols, col{head: rep.monthly(scenarioName(s.Scenario)), kind: kMoney, width: moneyWidth})
	}
	cols = append(cols, col{head: rep.monthly("Expected (probability-weighted)"), kind: kMoney, width: moneyWidth})
	band := rep.hasBand()
	if band {
		cols = append(cols, bandCols(rep)...)
	}
	t, err := b.newTable(sheet, 1, 1, cols)
	if err != nil {
		return err
	}
	months := r.Months
	for _, s := range r.Scenarios {
		if len(s.Months) > len(months) {
			months = make([]string, len(s.Months))
			for i, m := range s.Months {
				months[i] = m.Month
			}
		}
	}
	for i, m := range months {
		vals := []any{m}
		var exp decimal.Decimal
		for _, s := range r.Scenarios {
			if i < len(s.Months) {
				vals = append(vals, s.Months[i].Delta)
				exp = exp.Add(s.Months[i].Delta.Mul(s.Probability))
			} else {
				vals = append(vals, nil)
			}
		}
		vals = append(vals, exp)
		if band {
			vals = append(vals, bandValues(r.MixMonths[i])...)
		}
		if err := t.add(vals...); err != nil {
			return err
		}
	}
	if len(months) == 0 {
		return b.str(sheet, 1, 2, "No months were projected.", b.s.note)
	}
	if err := t.filter(); err != nil {
		return err
	}
	if err := b.note(sheet, 1, 1, "Each month's change of cost for all products, all units, against today's costs. Positive: costs rise."); err != nil {
		return err
	}
	var series []excelize.ChartSeries
	first, last := 2, len(months)+1
	for i := range r.Scenarios {
		series = append(series, excelize.ChartSeries{
			Name:       absCell(sheet, 2+i, 1),
			Categories: absRange(sheet, 1, first, 1, last),
			Values:     absRange(sheet, 2+i, first, 2+i, last),
			Line:       excelize.LineOptions{Width: 2},
			Marker:     excelize.ChartMarker{Symbol: "none"},
		})
	}
	if len(series) == 0 {
		return nil
	}
	// Below the table, so that the printed page stays as wide as the
	// table, and on a page of its own when printed.
	if err := b.f.InsertPageBreak(sheet, cellName(1, t.row+2)); err != nil {
		return err
	}
	return rep.projectionChart(t, series)
}

func chartTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Bold: true, Size: 12, Color: colTitle}}}}
}

func axisTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Size: 9, Color: colGrey}}}}
}

func (rep *report) elementsSheet() error {
	b, sheet, r := rep.b, sheetElements, rep.r
	if err := b.plainSheet(sheet, 1); err != nil {
		return err
	}
	cols := []col{
		{head: "Element", kind: kText},
		{head: "Name", kind: kText},
		{head: "Mass (kg/yr)", kind: kKg},
		{head: "Direct (kg/yr)", kind: kKg},
		{head: "Upstream (kg/yr)", kind: kKg},
		{head: "Free (kg/yr)", kind: kKg},
		{head: rep.money("China-origin price") + "/kg", kind: kUnitMoney},
	}
	var prices map[string]exposure.Price
	if r.Input != nil {
		prices = r.Input.Prices
		cols = append(cols, col{head: rep.money("Ex-China price, 2025 stress") + "/kg", kind: kUnitMoney})
	}
	for _, s := range r.Scenarios {
		cols = append(cols, col{head: rep.money(scenarioName(s.Scenario) + ": annual price change"), kind: kMoney, width: moneyWidth})
	}
	cols[6].head = "China-origin price (" + rep.cur + "/kg)"
	if prices != nil {
		cols[7].head = "Ex-China price, 2025 stress (" + rep.cur + "/kg)"
	}
	t, err := b.newTable(sheet, 1, 1, cols)
	if err != nil {
		return err
	}
	cc := countryName(r.Settings.ControllingCountry)
	notes := map[int]string{
		3: "Annual mass of the element in all products: grams per unit × exploded quantity × annual volume.",
		4: "Mass in parts whose component stage is in " + cc + ".",
		5: "Mass in parts made elsewhere with mining, separation or metal making in " + cc + ".",
		6: "Mass with no stage in " + cc + ". Unknown stages are split by the unknown-origin setting.",
	}
	if len(r.Scenarios) > 0 {
		notes[len(cols)-len(r.Scenarios)+1] = "The price part of the scenario's annual change that comes from this element."
	}
	for _, c := range slices.Sorted(maps.Keys(notes)) { // in column order: the file is the same from run to run
		n := notes[c]
		if err := b.note(sheet, c, 1, n); err != nil {
			return err
		}
	}
	byScen := make([]map[string]decimal.Decimal, len(r.Scenarios))
	for i, s := range r.Scenarios {
		byScen[i] = map[string]decimal.Decimal{}
		for _, e := range s.Elements {
			byScen[i][e.Element] = byScen[i][e.Element].Add(e.AnnualDelta)
		}
	}
	var tot [4]decimal.Decimal
	totScen := make([]decimal.Decimal, len(r.Scenarios))
	for _, e := range r.Elements {
		vals := []any{e.Element, reference.ElementName(e.Element), e.AnnualKg, e.ByClass[exposure.ClassDirect], e.ByClass[exposure.ClassUpstream], e.ByClass[exposure.ClassFree], e.ChinaPrice}
		tot[0] = tot[0].Add(e.AnnualKg)
		for k := 0; k < exposure.NumClasses; k++ {
			tot[k+1] = tot[k+1].Add(e.ByClass[k])
		}
		if prices != nil {
			p, ok := prices[e.Element]
			switch {
			case !ok:
				vals = append(vals, nil)
			case p.ExChina.Sign() > 0:
				vals = append(vals, p.ExChina)
			default:
				vals = append(vals, p.China)
			}
		}
		for i := range r.Scenarios {
			d := byScen[i][e.Element]
			totScen[i] = totScen[i].Add(d)
			vals = append(vals, d)
		}
		if err := t.add(vals...); err != nil {
			return err
		}
	}
	if len(r.Elements) == 0 {
		return b.str(sheet, 1, 2, "The BOM holds no rare-earth content.", b.s.note)
	}
	if err := t.filter(); err != nil {
		return err
	}
	t.row++
	vals := []any{"All elements", nil, tot[0], tot[1], tot[2], tot[3], nil}
	if prices != nil {
		vals = append(vals, nil)
	}
	for _, d := range totScen {
		vals = append(vals, d)
	}
	return t.addBold(vals...)
}

func (rep *report) countriesSheet() error {
	b, sheet, r := rep.b, sheetCountries, rep.r
	if err := b.plainSheet(sheet, 0); err != nil {
		return err
	}
	cols := []col{
		{head: "Stage", kind: kText},
		{head: "Country", kind: kText},
		{head: "Code", kind: kText},
		{head: "Share (%)", kind: kPct},
		{head: "Mass (kg/yr)", kind: kKg},
		{head: "Stage HHI (0 to 10,000)", kind: kInt},
	}
	t, err := b.newTable(sheet, 1, 1, cols)
	if err != nil {
		return err
	}
	if err := b.note(sheet, 4, 1, "Share of the BOM's annual rare-earth mass whose stage is in this country. Unknown: the input does not say."); err != nil {
		return err
	}
	if err := b.note(sheet, 6, 1, "Herfindahl–Hirschman index of the stage over the known countries: the sum of squared shares in percent points. 10,000 is a single country; the European Commission treats above 4,000 as concentrated."); err != nil {
		return err
	}
	// By stage, largest share first, unknown last; countries without any
	// mass are left out.
	var rows []exposure.StageCountry
	for _, s := range r.Stages {
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
	for _, s := range rows {
		code := s.Country
		if err := t.add(stageLabel(s.Stage), countryName(code), code, s.Share, s.Kg, cellNum{s.HHI, kInt}); err != nil {
			return err
		}
	}
	if len(rows) == 0 {
		return b.str(sheet, 1, 2, "The BOM holds no rare-earth content.", b.s.note)
	}
	if err := t.filter(); err != nil {
		return err
	}

	// Chart data: one row per stage, one column per country, below the
	// table so that filtering the table leaves it alone.
	var countries []string
	kg := map[string]decimal.Decimal{}
	share := map[[2]string]decimal.Decimal{}
	var stages []exposure.Stage
	seenStage := map[exposure.Stage]bool{}
	for _, s := range rows {
		if _, ok := kg[s.Country]; !ok {
			countries = append(countries, s.Country)
		}
		kg[s.Country] = kg[s.Country].Add(s.Kg)
		k := [2]string{s.Stage.String(), s.Country}
		share[k] = share[k].Add(s.Share)
		if !seenStage[s.Stage] {
			seenStage[s.Stage] = true
			stages = append(stages, s.Stage)
		}
	}
	sort.SliceStable(stages, func(i, j int) bool { return stages[i] < stages[j] })
	// Largest countries first; unknown last.
	sort.SliceStable(countries, func(i, j int) bool {
		ci, cj := countries[i], countries[j]
		if (ci == "") != (cj == "") {
			return cj == ""
		}
		return kg[ci].GreaterThan(kg[cj])
	})
	top := max(t.row+3, 2+360/20+3) // below the chart too
	if err := b.str(sheet, 1, top, "Share of each stage by country, % (the chart's data)", b.s.section); err != nil {
		return err
	}
	// The headers name the countries alone: they are the chart's legend.
	pc := []col{{head: "Stage", kind: kText}}
	for _, c := range countries {
		pc = append(pc, col{head: countryName(c), kind: kPct})
	}
	pt, err := b.newTable(sheet, 1, top+1, pc)
	if err != nil {
		return err
	}
	for _, g := range stages {
		vals := []any{stageLabel(g)}
		for _, c := range countries {
			vals = append(vals, share[[2]string{g.String(), c}])
		}
		if err := pt.add(vals...); err != nil {
			return err
		}
	}
	var series []excelize.ChartSeries
	for i, c := range countries {
		color := rep.countryColour(c) // the same colour as in every other chart of the workbook
		series = append(series, excelize.ChartSeries{
			Name:       absCell(sheet, 2+i, pt.top),
			Categories: absRange(sheet, 1, pt.top+1, 1, pt.row),
			Values:     absRange(sheet, 2+i, pt.top+1, 2+i, pt.row),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
		})
	}
	b.chart(sheet, cellName(len(cols)+2, 2), &excelize.Chart{
		Type:      excelize.BarPercentStacked,
		Series:    series,
		Title:     chartTitle("Where the rare-earth content comes from, by stage"),
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 9, Color: colAxis}},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Size: 10, Color: colAxis}},
		YAxis:     excelize.ChartAxis{Title: axisTitle("Share of annual rare-earth mass (%)"), MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Font: excelize.Font{Size: 9, Color: colAxis}},
		Format:    excelize.GraphicOptions{AltText: "Stacked bar chart of country shares per supply-chain stage"},
	})
	return nil
}

func (rep *report) warningsSheet() error {
	b, sheet := rep.b, sheetWarnings
	if err := b.plainSheet(sheet, 0); err != nil {
		return err
	}
	t, err := b.newTable(sheet, 1, 1, []col{
		{head: "Severity", kind: kText},
		{head: "Sheet", kind: kText},
		{head: "Cell", kind: kText},
		{head: "Message", kind: kWrap, width: 100},
	})
	if err != nil {
		return err
	}
	all := append(append([]Problem(nil), rep.m.Warnings...), b.cuts...)
	for _, p := range all {
		sev := "warning"
		if p.Error {
			sev = "error"
		}
		if err := t.add(sev, p.Sheet, p.Cell, p.Message); err != nil {
			return err
		}
	}
	if len(all) == 0 {
		if err := b.str(sheet, 1, 2, "No warnings.", b.s.text); err != nil {
			return err
		}
		t.row = 2
	}
	return t.filter()
}

// joinElements prints a Controls row's elements as written: "*" or the
// symbols.
func joinElements(c exposure.Control) string {
	if c.AllElements {
		return "*"
	}
	return strings.Join(c.Elements, ", ")
}

func classText(k exposure.Class) string { return k.String() }

// maxRiskColumns is how many products get an output-at-risk column on the
// Scenarios sheet: units of different products do not add up, so each has
// its own; beyond this many the JSON and the Summary's Products table
// carry them.
const maxRiskColumns = 6

// riskProducts names the products whose output at risk the Scenarios
// sheet shows, in BOM order: all of them when there are few enough.
func (rep *report) riskProducts() []string {
	if len(rep.r.Products) > maxRiskColumns || len(rep.r.Scenarios) == 0 {
		return nil
	}
	var out []string
	for _, p := range rep.r.Products {
		out = append(out, p.ID)
	}
	return out
}
