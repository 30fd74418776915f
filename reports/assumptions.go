package reports

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
)

// The Assumptions sheet stacks blocks with different columns, so its
// columns have fixed widths: identifiers in A, names and descriptions in
// B (wrapped), short values in C onwards. A block that ends in long text
// (sources, compositions) merges its last cell of each row across to
// column assumptionLastCol and wraps it there, so that the text stays on
// the printed page rather than widening a column every block shares.
var assumptionWidths = []float64{30, 32, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17}

// assumptionLastCol is the last column of the widest block (Controls), the
// right edge of the printed page.
const assumptionLastCol = 13

// assumptionsSheet prints everything the figures rest on, block under
// block: the run and its settings, the element prices, the compositions of
// the materials used, every scenario with its Controls and Tariffs rows,
// and the world stage shares used for stages of unknown origin.
func (rep *report) assumptionsSheet() error {
	w := rep.writer(sheetAssumptions)
	w.pageSetup(0)
	w.panes(1, 0)
	for i, width := range assumptionWidths {
		w.b.fix(w.sheet, i+1, width)
	}
	w.wrapNotesTo(assumptionLastCol)
	w.str(1, 1, "Assumptions behind every figure of this report", w.b.s.title)
	row := 3
	rep.runBlock(w, &row)
	rep.pricesBlock(w, &row)
	if rep.r.Input != nil {
		rep.materialsBlock(w, &row)
	}
	scens := rep.assumedScenarios()
	rep.scenarioBlocks(w, &row, scens)
	rep.stageSharesBlock(w, &row, scens)
	return w.err
}

// runBlock lists the run and its settings.
func (rep *report) runBlock(w *sheetWriter, row *int) {
	s := rep.r.Settings
	run := [][]any{
		{"Input file", rep.m.InputName},
		{"Input SHA-256", rep.m.InputSHA256},
		{"Tool version", "rexpo " + rep.m.Version},
		{"As of", asOfRFC(s.AsOf)},
		{"Scenario source", rep.m.ScenarioSource},
		{"Report currency", rep.cur},
		{"Import country (tariffs)", countryLabel(s.ImportCountry)},
		{"Controlling country (exposure figures)", countryLabel(s.ControllingCountry)},
		{"Projection start", startText(s.Start)},
		{"Horizon (months)", strconv.Itoa(s.Horizon)},
		{"Carrying rate (% a year)", s.CarryingRate.String()},
		{"Unknown origin", s.UnknownOrigin.String() + unknownHelp(s.UnknownOrigin)},
		{"Country cap (%)", s.CountryCap.String()},
		{"Objective", s.Objective.String()},
		{"Cost roll-up", s.Rollup.String() + rollupHelp(s.Rollup)},
		{"Monte Carlo draws", strconv.Itoa(s.Draws)},
		{"Seed", strconv.FormatInt(s.Seed, 10)},
	}
	w.block(row, "Run and settings", "", []col{{head: "Setting", kind: kWrap, width: assumptionWidths[0]}, {head: "Value", kind: kSpill, span: assumptionLastCol}}, run, "")
}

// pricesBlock lists the prices of the elements in the BOM, in USD and,
// for another report currency, in that currency too.
func (rep *report) pricesBlock(w *sheetWriter, row *int) {
	in := rep.r.Input
	usd := rep.cur == "USD"
	pc := []col{{head: "Element", kind: kText},
		{head: "China-origin price (USD/kg)", kind: kUnitMoney}, {head: "Ex-China price, 2025 stress (USD/kg)", kind: kUnitMoney}}
	if !usd {
		pc = append(pc, col{head: "China-origin price (" + rep.cur + "/kg)", kind: kUnitMoney}, col{head: "Ex-China price, 2025 stress (" + rep.cur + "/kg)", kind: kUnitMoney})
	}
	pc = append(pc, col{head: "As of", kind: kText}, col{head: "Source", kind: kSpill, span: assumptionLastCol})
	var prices [][]any
	for _, e := range rep.r.Elements {
		var p exposure.Price
		ok := false
		if in != nil {
			p, ok = in.Prices[e.Element]
		}
		label := elementLabel(e.Element)
		if !ok {
			v := []any{label, nil, nil}
			if !usd {
				v = append(v, e.ChinaPrice, nil)
			}
			prices = append(prices, append(v, nil, "no reference price: the element's price part is zero"))
			continue
		}
		v := []any{label, p.USDChina, exChinaOrNil(p.USDExChina)}
		if !usd {
			v = append(v, p.China, exChinaOrNil(p.ExChina))
		}
		prices = append(prices, append(v, p.AsOf, p.Source))
	}
	w.block(row, "Element prices",
		"Per kg of metal. Uplifts of direct and upstream sources apply to the China-origin price, of free sources to the ex-China price (the China-origin price when there is none). "+
			"The ex-China column holds the 2025 stress quotes (European spot at the height of the licensing shock, reference section 2.4), not today's ex-China price: free sources' uplifts are measured from it.",
		pc, prices, "Prices")
}

// assumedScenarios are the scenarios of the result, else the input's.
func (rep *report) assumedScenarios() []exposure.Scenario {
	var scens []exposure.Scenario
	for _, sr := range rep.r.Scenarios {
		scens = append(scens, sr.Scenario)
	}
	if len(scens) == 0 && rep.r.Input != nil {
		scens = rep.r.Input.Scenarios
	}
	return scens
}

// scenarioBlocks lists the scenarios, then their Controls rows and their
// Tariffs rows.
func (rep *report) scenarioBlocks(w *sheetWriter, row *int, scens []exposure.Scenario) {
	start := rep.r.Settings.Start
	month := func(m exposure.Month, open string) string { return monthShort(m, start, open) }
	var scen, ctl, tar [][]any
	for _, sc := range scens {
		scen = append(scen, []any{sc.ID, scenarioName(sc), sc.Stance.String(), sc.Prior, countryName(sc.Country),
			pct(sc.SpotPremium.Value), rangeText(sc.SpotPremium), sc.Checked, sc.DecidedOn, sc.Source})
		for _, c := range sc.Controls {
			ctl = append(ctl, []any{sc.ID, joinElements(c), classText(c.Class), c.HSPrefix,
				pct(c.Uplift.Value), rangeText(c.Uplift), pct(c.Availability.Value), rangeText(c.Availability),
				cellNum{c.Delay.Value, kDec}, rangeText(c.Delay),
				month(c.From, "start"), month(c.To, "open-ended"), c.Ref})
		}
		for _, t := range sc.Tariffs {
			tar = append(tar, []any{sc.ID, countryName(t.ImportCountry), countryName(t.Origin), t.Material, t.HSPrefix,
				pct(t.Pct.Value), rangeText(t.Pct), month(t.From, "start"), month(t.To, "open-ended"), t.Ref})
		}
	}
	w.block(row, "Scenarios", "", []col{
		{head: "ID", kind: kText}, {head: "Name", kind: kWrap, width: assumptionWidths[1]}, {head: "Stance", kind: kText},
		{head: "Prior probability (%)", kind: kPct}, {head: "Controlling country", kind: kText},
		{head: "Spot premium (%)", kind: kPct}, {head: "Spot premium range (%)", kind: kText},
		{head: "Checked", kind: kText}, {head: "Decided on", kind: kText}, {head: "Source", kind: kSpill, span: assumptionLastCol},
	}, scen, "Scenarios")
	w.block(row, "Export controls (Controls rows)",
		"For an element, exposure class, line and month the most specific row applies as a whole: the row whose HS prefix matches more digits of the line's HS code (a row with a prefix reaches only lines whose code starts with it), then the row with fewer elements, then a named class. Months: calendar, or (mN) the Nth month of the projection.",
		[]col{
			{head: "Scenario", kind: kText}, {head: "Elements", kind: kWrap, width: assumptionWidths[1]}, {head: "Class", kind: kText},
			{head: "HS prefix", kind: kText},
			{head: "Price uplift (%)", kind: kPct}, {head: "Uplift range (%)", kind: kText},
			{head: "Availability (%)", kind: kPct}, {head: "Availability range (%)", kind: kText},
			{head: "Delay (days)", kind: kDec}, {head: "Delay range (days)", kind: kText},
			{head: "From", kind: kText}, {head: "To", kind: kText}, {head: "Input row", kind: kText},
		}, ctl, "Controls")
	w.block(row, "Tariffs (Tariffs rows)",
		"Changes against the duties a part pays today (already in its unit cost), as a percentage of unit cost. A row applies to the products built in its import country; a part made in that country pays none; the most specific matching row applies.",
		[]col{
			{head: "Scenario", kind: kText}, {head: "Import country", kind: kText}, {head: "Origin", kind: kText},
			{head: "Material", kind: kText}, {head: "HS prefix", kind: kText},
			{head: "Tariff (%)", kind: kPct}, {head: "Tariff range (%)", kind: kText},
			{head: "From", kind: kText}, {head: "To", kind: kText}, {head: "Input row", kind: kText},
		}, tar, "Tariffs")
}

// stageSharesBlock lists the world stage shares of the controlling
// countries, which split stages of unknown origin (unknown origin: world).
func (rep *report) stageSharesBlock(w *sheetWriter, row *int, scens []exposure.Scenario) {
	in, s := rep.r.Input, rep.r.Settings
	if in == nil || len(in.StageShares) == 0 || s.UnknownOrigin != exposure.UnknownWorld {
		return
	}
	control := map[string]bool{s.ControllingCountry: true}
	for _, sc := range scens {
		control[sc.Country] = true
	}
	var shares []exposure.StageShare
	for _, x := range in.StageShares {
		if control[x.Country] {
			shares = append(shares, x)
		}
	}
	sort.SliceStable(shares, func(i, j int) bool {
		if shares[i].Family != shares[j].Family {
			return shares[i].Family < shares[j].Family
		}
		return shares[i].Stage < shares[j].Stage
	})
	var ss [][]any
	for _, x := range shares {
		fam := x.Family
		if fam == "" {
			fam = "all materials"
		}
		ss = append(ss, []any{stageLabel(x.Stage), fam, countryName(x.Country), x.Share, x.AsOf, x.Source})
	}
	w.block(row, "World output by stage",
		"A stage whose country is unknown counts as in the controlling country with that country's share of world output (unknown origin: world).",
		[]col{{head: "Stage", kind: kText}, {head: "Material family", kind: kText}, {head: "Country", kind: kText},
			{head: "Share of world output (%)", kind: kPct}, {head: "As of", kind: kText}, {head: "Source", kind: kSpill, span: assumptionLastCol}},
		ss, "StageShares")
}

// materialsBlock lists the compositions of the materials the BOM uses.
func (rep *report) materialsBlock(w *sheetWriter, row *int) {
	in := rep.r.Input
	var used []string
	seen := map[string]bool{}
	for _, l := range in.BOM.Lines {
		if l.Material != "" && !seen[l.Material] {
			seen[l.Material] = true
			used = append(used, l.Material)
		}
	}
	var rows [][]any
	for _, code := range used {
		m, ok := in.Materials[code]
		if !ok {
			rows = append(rows, []any{code, nil, nil, nil, nil, nil, "not in the materials table: element content from the BOM row"})
			continue
		}
		rows = append(rows, materialRow(code, m))
	}
	w.block(row, "Materials: compositions and prices",
		"Default element content of the materials the BOM uses, in wt%; a BOM row's own element columns override them element by element. "+
			"The price is what one kg of the material itself costs, China-made: with the part's re_mass_kg it gives the material's value B, the base of shortage and carrying.",
		[]col{{head: "Material", kind: kText}, {head: "Description", kind: kWrap, width: assumptionWidths[1]}, {head: "Family", kind: kText},
			{head: "Rare earths (wt%)", kind: kDec}, {head: "Price (USD/kg)", kind: kUnitMoney}, {head: "Price as of", kind: kText},
			{head: "Composition (wt%) and sources", kind: kSpill, span: assumptionLastCol}},
		rows, "Materials")
}

// materialRow is a material's row: its rare-earth content, price and
// composition with their sources.
func materialRow(code string, m exposure.Material) []any {
	var re decimal.Decimal
	for e, w := range m.WtPct {
		if exposure.IsRareEarth(e) {
			re = re.Add(w)
		}
	}
	comp := composition(m.WtPct)
	if m.Source != "" {
		comp += " (source: " + m.Source + ")"
	}
	var price, asOf any
	if m.USDPerKg.Sign() > 0 {
		price, asOf = cellNum{m.USDPerKg, kUnitMoney}, m.PriceAsOf
		if m.PriceSource != "" {
			comp += "; price: " + m.PriceSource
		}
	}
	return []any{code, m.Description, m.Family, cellNum{re, kDec}, price, asOf, comp}
}

// composition prints wt% by element, rare earths first, largest first:
// "Nd 23.5 · Pr 6.5 · Dy 2.5 · Fe 66.5 · B 1".
func composition(wt map[string]decimal.Decimal) string {
	type ew struct {
		e  string
		w  decimal.Decimal
		re bool
	}
	var list []ew
	for e, w := range wt {
		if !w.IsZero() {
			list = append(list, ew{e, w, exposure.IsRareEarth(e)})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.re != b.re {
			return a.re
		}
		if !a.w.Equal(b.w) {
			return a.w.GreaterThan(b.w)
		}
		return a.e < b.e
	})
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = x.e + " " + x.w.String()
	}
	return strings.Join(parts, " · ")
}

// elementLabel is "Nd (neodymium)" where the name is known.
func elementLabel(sym string) string {
	if n := reference.ElementName(sym); n != "" {
		return sym + " (" + strings.ToLower(n) + ")"
	}
	return sym
}

// monthShort prints a rule's month: calendar months as written, relative
// ones with their calendar month in this projection: "2026-03 (m3)".
func monthShort(m, start exposure.Month, open string) string {
	switch {
	case m.IsZero():
		return open
	case m.Relative > 0 && start.Year != 0:
		idx := start.Year*12 + int(start.Month) - 1 + m.Relative - 1
		return fmt.Sprintf("%04d-%02d (m%d)", idx/12, idx%12+1, m.Relative)
	}
	return monthText(m)
}

func exChinaOrNil(d decimal.Decimal) any {
	if d.Sign() > 0 {
		return d
	}
	return nil
}

func asOfRFC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func unknownHelp(p exposure.UnknownPolicy) string {
	switch p {
	case exposure.UnknownControlling:
		return " (an unknown stage counts as in the controlling country)"
	case exposure.UnknownFree:
		return " (an unknown stage counts as outside the controlling country)"
	}
	return " (an unknown stage is split by the controlling country's share of world output)"
}

func rollupHelp(r exposure.Rollup) string {
	if r == exposure.RollupAll {
		return " (every BOM line's unit cost counts)"
	}
	return " (unit costs of lines without children count)"
}
