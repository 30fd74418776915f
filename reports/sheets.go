package reports

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
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
	w := rep.writer(sheetScenarios)
	w.plain(2)
	// Blocks of their own headers follow the first table: no header row
	// or key columns repeated on printed pages.
	w.b.printed[w.sheet].titleRows, w.b.printed[w.sheet].titleCols = 0, 0
	w.wrapNotesTo(scenariosLastCol)
	row, ok := rep.scenarioTable(w)
	if !ok {
		return w.err
	}
	rep.splitBlock(w, &row)
	rep.descriptionBlock(w, &row)
	rep.uncertaintyBlocks(w, row)
	return w.err
}

// scenarioTable writes the table of probabilities and annual changes,
// with the expected line below its filter, and returns the row the next
// block starts on; ok is false when there were no scenarios to list.
func (rep *report) scenarioTable(w *sheetWriter) (next int, ok bool) {
	r := rep.r
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
	t := w.table(1, 1, cols)
	w.notes(t.top, map[int]string{
		5:  "What the rare-earth-bearing material (magnet, target, oxide) costs extra, as a percentage of its value, when bought on the spot market because the usual source cannot deliver.",
		6:  "The scenario's weight before any signals are read; the priors add up to 100%.",
		7:  "The weight used for the expected figures: the prior, moved by the signals when signals were given (a transparent heuristic).",
		8:  "Change of the annual cost of all products over the first 12 months of the projection, all units. Positive: costs rise.",
		9:  rep.percentileNote(10),
		10: rep.percentileNote(50),
		11: rep.percentileNote(90),
		12: "The same over the whole projection.",
	})
	for _, s := range r.Scenarios {
		sc := s.Scenario
		t.add(sc.ID, scenarioName(sc), sc.Stance.String(), countryLabel(sc.Country),
			pct(sc.SpotPremium.Value), sc.Prior, s.Probability,
			s.AnnualDelta, s.P10, s.P50, s.P90, s.HorizonDelta)
	}
	if len(r.Scenarios) == 0 {
		w.str(1, 2, "No scenarios were run.", w.b.s.note)
		return 0, false
	}
	t.filter()
	// The probability-weighted line sits below the filtered rows so that
	// sorting and filtering leave it alone.
	t.row++
	e := r.Expected
	t.addBold("", "Expected (probability-weighted)", nil, nil, nil, e.Prior, e.Probability,
		r.ExpectedAnnualDelta, nil, nil, nil, e.Horizon)
	return t.row + 3, true
}

// splitBlock writes, from *row, what each scenario's annual change is made
// of and the output it puts at risk, and moves *row below it.
func (rep *report) splitBlock(w *sheetWriter, row *int) {
	r := rep.r
	w.str(1, *row, "What each annual change is made of, and the output at risk", w.b.s.section)
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
	t := w.table(1, *row, cols)
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
	w.notes(t.top, notes)
	for _, s := range r.Scenarios {
		vals := []any{s.Scenario.ID, scenarioName(s.Scenario), s.Split.Price, s.Split.Shortage, s.Split.Carrying, s.Split.Tariff}
		for i := range riskCols {
			if i < len(s.Products) {
				vals = append(vals, s.Products[i].UnitsAtRisk.Round(0))
			} else {
				vals = append(vals, nil)
			}
		}
		t.add(vals...)
	}
	t.asTable("ScenarioSplit")
	t.row++
	e := r.Expected.Split
	t.addBold("", "Expected (probability-weighted)", e.Price, e.Shortage, e.Carrying, e.Tariff)
	*row = t.row + 3
}

// descriptionBlock writes, from *row, what each scenario assumes, its text
// wrapped across the page, and moves *row below it.
func (rep *report) descriptionBlock(w *sheetWriter, row *int) {
	var rows [][]any
	for _, s := range rep.r.Scenarios {
		rows = append(rows, []any{s.Scenario.ID, scenarioName(s.Scenario), s.Scenario.Description})
	}
	w.block(row, "What each scenario assumes", "Sources: see the Assumptions sheet.",
		[]col{{head: "ID", kind: kText}, {head: "Scenario", kind: kWrap, width: 34},
			{head: "Description", kind: kSpill, span: scenariosLastCol}}, rows, "")
}

// projectionSheet writes each month's change by scenario, the expected
// change and the band over all scenarios, then the chart below.
func (rep *report) projectionSheet() error {
	r := rep.r
	w := rep.writer(sheetProjection)
	w.plain(1)
	cols := []col{{head: "Month", kind: kText}}
	for _, s := range r.Scenarios {
		cols = append(cols, col{head: rep.monthly(scenarioName(s.Scenario)), kind: kMoney, width: moneyWidth})
	}
	cols = append(cols, col{head: rep.monthly("Expected (probability-weighted)"), kind: kMoney, width: moneyWidth})
	band := rep.hasBand()
	if band {
		cols = append(cols, bandCols(rep)...)
	}
	t := w.table(1, 1, cols)
	months := r.Expected.Months
	for i, m := range months {
		vals := []any{m.Month}
		for _, s := range r.Scenarios {
			if i < len(s.Months) {
				vals = append(vals, s.Months[i].Delta)
			} else {
				vals = append(vals, nil)
			}
		}
		vals = append(vals, m.Delta)
		if band {
			vals = append(vals, bandValues(r.MixMonths[i])...)
		}
		t.add(vals...)
	}
	if len(months) == 0 {
		w.str(1, 2, "No months were projected.", w.b.s.note)
		return w.err
	}
	t.filter()
	w.note(1, 1, "Each month's change of cost for all products, all units, against today's costs. Positive: costs rise.")
	if len(r.Scenarios) == 0 {
		return w.err
	}
	// Below the table, so that the printed page stays as wide as the
	// table, and on a page of its own when printed.
	w.pageBreak(t.row + 2)
	rep.projectionChart(w, t)
	return w.err
}

func chartTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Bold: true, Size: 12, Color: colTitle}}}}
}

func axisTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Size: 9, Color: colGrey}}}}
}

// warningsSheet lists every warning and error of the input, and the
// cells whose text was cut.
func (rep *report) warningsSheet() error {
	w := rep.writer(sheetWarnings)
	w.plain(0)
	t := w.table(1, 1, []col{
		{head: "Severity", kind: kText},
		{head: "Sheet", kind: kText},
		{head: "Cell", kind: kText},
		{head: "Message", kind: kWrap, width: 100},
	})
	all := append(append([]Problem(nil), rep.m.Warnings...), w.b.cuts...)
	for _, p := range all {
		sev := "warning"
		if p.Error {
			sev = "error"
		}
		t.add(sev, p.Sheet, p.Cell, p.Message)
	}
	if len(all) == 0 {
		w.str(1, 2, "No warnings.", w.b.s.text)
		t.row = 2
	}
	t.filter()
	return w.err
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
