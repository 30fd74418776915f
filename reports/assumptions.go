package reports

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// assumptionsSheet prints everything the figures rest on, block under
// block: the run and its settings, the element prices, the compositions of
// the materials used, every scenario with its Controls and Tariffs rows,
// and the world stage shares used for unknown origins.
func (rep *report) assumptionsSheet() error {
	b, sheet, r := rep.b, sheetAssumptions, rep.r
	if err := b.pageSetup(sheet, 0); err != nil {
		return err
	}
	if err := b.f.SetPanes(sheet, freezePanes(1, 0)); err != nil {
		return err
	}
	if err := b.str(sheet, 1, 1, "Assumptions behind every figure of this report", b.s.title); err != nil {
		return err
	}
	row := 3
	block := func(title, note string, cols []col, rows [][]any, name string) error {
		if err := b.str(sheet, 1, row, title, b.s.section); err != nil {
			return err
		}
		row++
		if note != "" {
			if err := b.str(sheet, 1, row, note, b.s.subtitle); err != nil {
				return err
			}
			row++
		}
		t, err := b.newTable(sheet, 1, row, cols)
		if err != nil {
			return err
		}
		for _, v := range rows {
			if err := t.add(v...); err != nil {
				return err
			}
		}
		if len(rows) == 0 {
			if err := b.str(sheet, 1, t.row+1, "None.", b.s.note); err != nil {
				return err
			}
			t.row++
		} else if err := t.asTable(name); err != nil {
			return err
		}
		row = t.row + 3
		return nil
	}

	// The run.
	s := r.Settings
	run := [][]any{
		{"Input file", rep.m.InputName},
		{"Input SHA-256", rep.m.InputSHA256},
		{"Tool version", "rexpo " + rep.m.Version},
		{"As of", asOfRFC(s.AsOf)},
		{"Scenario source", rep.m.ScenarioSource},
		{"Report currency", rep.cur},
		{"Import country", countryLabel(s.ImportCountry)},
		{"Controlling country (exposure figures)", countryLabel(s.ControllingCountry)},
		{"Projection start", startText(s.Start)},
		{"Horizon (months)", cellNum{decimal.NewFromInt(int64(s.Horizon)), kInt}},
		{"Carrying rate (% a year)", cellNum{s.CarryingRate, kDec}},
		{"Unknown origin", unknownText(s.UnknownOrigin) + unknownHelp(s.UnknownOrigin)},
		{"Country cap (%)", cellNum{s.CountryCap, kDec}},
		{"Objective", s.Objective},
		{"Cost roll-up", rollupText(s.Rollup) + rollupHelp(s.Rollup)},
		{"Monte Carlo draws", cellNum{decimal.NewFromInt(int64(s.Draws)), kInt}},
		{"Seed", cellNum{decimal.NewFromInt(s.Seed), kInt}},
	}
	if err := block("Run and settings", "", []col{{head: "Setting", kind: kText}, {head: "Value", kind: kText}}, run, "Settings"); err != nil {
		return err
	}

	// Element prices of the elements in the BOM.
	in := r.Input
	usd := rep.cur == "USD"
	pc := []col{{head: "Element", kind: kText},
		{head: "China-origin (USD/kg)", kind: kUnitMoney}, {head: "Ex-China (USD/kg)", kind: kUnitMoney}}
	if !usd {
		pc = append(pc, col{head: "China-origin (" + rep.cur + "/kg)", kind: kUnitMoney}, col{head: "Ex-China (" + rep.cur + "/kg)", kind: kUnitMoney})
	}
	pc = append(pc, col{head: "As of", kind: kText}, col{head: "Source", kind: kWrap, width: 60})
	var prices [][]any
	for _, e := range r.Elements {
		var p exposure.Price
		ok := false
		if in != nil {
			p, ok = in.Prices[e.Element]
		}
		if !ok {
			prices = append(prices, []any{e.Element, nil, nil})
			continue
		}
		v := []any{e.Element, p.USDChina, exChinaOrNil(p.USDExChina)}
		if !usd {
			v = append(v, p.China, exChinaOrNil(p.ExChina))
		}
		prices = append(prices, append(v, p.AsOf, p.Source))
	}
	if err := block("Element prices", "Per kg of metal. The ex-China price applies to free sources; empty: the China-origin price.", pc, prices, "Prices"); err != nil {
		return err
	}

	// Compositions of the materials used.
	if in != nil {
		if err := rep.materialsBlock(block); err != nil {
			return err
		}
	}

	// Scenarios and their rows.
	var scen, ctl, tar [][]any
	var scens []exposure.Scenario
	for _, sr := range r.Scenarios {
		scens = append(scens, sr.Scenario)
	}
	if len(scens) == 0 && in != nil {
		scens = in.Scenarios
	}
	for _, sc := range scens {
		scen = append(scen, []any{sc.ID, scenarioName(sc), sc.Stance, sc.Prior, countryLabel(sc.Country),
			pct(sc.SpotPremium.Value), rangeText(sc.SpotPremium), sc.Description, sc.Source})
		for _, c := range sc.Controls {
			ctl = append(ctl, []any{sc.ID, c.Ref, joinElements(c), classText(c.Class),
				pct(c.Uplift.Value), rangeText(c.Uplift), pct(c.Availability.Value), rangeText(c.Availability),
				cellNum{c.Delay.Value, kDec}, rangeText(c.Delay),
				monthLong(c.From, s.Start, "start"), monthLong(c.To, s.Start, "open-ended")})
		}
		for _, t := range sc.Tariffs {
			tar = append(tar, []any{sc.ID, t.Ref, countryLabel(t.ImportCountry), countryLabel(t.Origin), t.Material, t.HSPrefix,
				pct(t.Pct.Value), rangeText(t.Pct),
				monthLong(t.From, s.Start, "start"), monthLong(t.To, s.Start, "open-ended")})
		}
	}
	if err := block("Scenarios", "", []col{
		{head: "ID", kind: kText}, {head: "Name", kind: kText}, {head: "Stance", kind: kText},
		{head: "Prior probability (%)", kind: kPct}, {head: "Controlling country", kind: kText},
		{head: "Spot premium (%)", kind: kPct}, {head: "Spot premium range (%)", kind: kText},
		{head: "Description", kind: kWrap, width: 50}, {head: "Source", kind: kWrap, width: 60},
	}, scen, "Scenarios"); err != nil {
		return err
	}
	if err := block("Export controls (Controls rows)",
		"For each element, exposure class and month the most specific row applies as a whole: fewer elements first, then a named class.",
		[]col{
			{head: "Scenario", kind: kText}, {head: "Row", kind: kText}, {head: "Elements", kind: kText}, {head: "Class", kind: kText},
			{head: "Price uplift (%)", kind: kPct}, {head: "Uplift range (%)", kind: kText},
			{head: "Availability (%)", kind: kPct}, {head: "Availability range (%)", kind: kText},
			{head: "Delay (days)", kind: kDec}, {head: "Delay range (days)", kind: kText},
			{head: "From", kind: kText}, {head: "To", kind: kText},
		}, ctl, "Controls"); err != nil {
		return err
	}
	if err := block("Tariffs (Tariffs rows)",
		"Added on top of today's duties. Rows apply only for the report's import country; the most specific matching row applies.",
		[]col{
			{head: "Scenario", kind: kText}, {head: "Row", kind: kText}, {head: "Import country", kind: kText}, {head: "Origin", kind: kText},
			{head: "Material", kind: kText}, {head: "HS prefix", kind: kText},
			{head: "Tariff (%)", kind: kPct}, {head: "Tariff range (%)", kind: kText},
			{head: "From", kind: kText}, {head: "To", kind: kText},
		}, tar, "Tariffs"); err != nil {
		return err
	}

	// World stage shares, which split stages of unknown origin.
	if in != nil && len(in.StageShares) > 0 {
		var ss [][]any
		shares := append([]exposure.StageShare(nil), in.StageShares...)
		sort.SliceStable(shares, func(i, j int) bool {
			if shares[i].Family != shares[j].Family {
				return shares[i].Family < shares[j].Family
			}
			return shares[i].Stage < shares[j].Stage
		})
		for _, x := range shares {
			fam := x.Family
			if fam == "" {
				fam = "all materials"
			}
			ss = append(ss, []any{stageLabel(x.Stage), fam, countryLabel(x.Country), x.Share, x.AsOf, x.Source})
		}
		if err := block("World output by stage",
			"Used when a stage's country is unknown and unknown origin is \"world\": the controlling country's share of world output.",
			[]col{{head: "Stage", kind: kText}, {head: "Material family", kind: kText}, {head: "Country", kind: kText},
				{head: "Share of world output (%)", kind: kPct}, {head: "As of", kind: kText}, {head: "Source", kind: kWrap, width: 60}},
			ss, "StageShares"); err != nil {
			return err
		}
	}
	return nil
}

// materialsBlock lists the compositions of the materials the BOM uses.
func (rep *report) materialsBlock(block func(string, string, []col, [][]any, string) error) error {
	in := rep.r.Input
	var used []string
	seen := map[string]bool{}
	for _, l := range in.BOM.Lines {
		if l.Material != "" && !seen[l.Material] {
			seen[l.Material] = true
			used = append(used, l.Material)
		}
	}
	var elems []string
	seenE := map[string]bool{}
	for _, code := range used {
		m, ok := in.Materials[code]
		if !ok {
			continue
		}
		var es []string
		for e := range m.WtPct {
			if !seenE[e] {
				es = append(es, e)
			}
		}
		sort.Strings(es)
		for _, e := range es {
			seenE[e] = true
			elems = append(elems, e)
		}
	}
	cols := []col{{head: "Material", kind: kText}, {head: "Description", kind: kText}, {head: "Family", kind: kText}}
	for _, e := range elems {
		cols = append(cols, col{head: e + " (wt%)", kind: kDec})
	}
	cols = append(cols, col{head: "Source", kind: kWrap, width: 60})
	var rows [][]any
	for _, code := range used {
		m, ok := in.Materials[code]
		if !ok {
			rows = append(rows, []any{code, "not in the materials table: element content from the BOM row"})
			continue
		}
		v := []any{code, m.Description, m.Family}
		for _, e := range elems {
			if w, ok := m.WtPct[e]; ok {
				v = append(v, w)
			} else {
				v = append(v, nil)
			}
		}
		rows = append(rows, append(v, m.Source))
	}
	return block("Material compositions", "Default element content of the materials the BOM uses, wt%. A BOM row's own element columns override them.", cols, rows, "Materials")
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
