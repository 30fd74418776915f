package reports

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// sheetRecommendations is the plan of SPEC section 8; it follows Countries.
const sheetRecommendations = "Recommendations"

// planChartHeight is the height of the sheet's chart in pixels.
const planChartHeight = 380

// maxPlanRows is how many planned lines the sheet lists (largest expected
// saving first); the JSON has them all.
const maxPlanRows = 2000

// Column widths of the sheet's wrapped text columns, shared by its blocks.
const (
	recWDesc = 24
	recWMix  = 30
	recWLong = 38
)

// planOrder returns the plan's lines largest expected saving first (then
// in BOM order), at most maxPlanRows of them.
func planOrder(p *exposure.Plan) []*exposure.LinePlan {
	out := make([]*exposure.LinePlan, len(p.Lines))
	for i := range p.Lines {
		out[i] = &p.Lines[i]
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].ExpectedSaving, out[j].ExpectedSaving
		if !a.Equal(b) {
			return a.GreaterThan(b)
		}
		return out[i].Index < out[j].Index
	})
	if len(out) > maxPlanRows {
		out = out[:maxPlanRows]
	}
	return out
}

// recommendationsSheet writes the plan: the portfolio's figures, a chart
// of where the planned parts come from today and under the plan, one row
// per part, its shares by source, its concentration per stage, and the
// exposed parts that have no alternative.
func (rep *report) recommendationsSheet() error {
	b, sheet, r := rep.b, sheetRecommendations, rep.r
	if err := b.pageSetup(sheet, 0); err != nil {
		return err
	}
	if err := b.f.SetPanes(sheet, freezePanes(2, 0)); err != nil {
		return err
	}
	if err := b.str(sheet, 1, 1, "Recommendations: spread each exposed part over more production centres", b.s.title); err != nil {
		return err
	}
	p := r.Plan
	if p == nil {
		if err := b.str(sheet, 1, 2, "No plan was computed for this report.", b.s.subtitle); err != nil {
			return err
		}
		row := 4
		return rep.planTable(&row, nil)
	}
	objective := "the expected annual cost (scenarios weighed by probability)"
	if p.Objective == "worst" {
		objective = "the annual cost in the worst scenario"
	}
	sub := fmt.Sprintf("Each part's mix minimises %s · at most %s%% from one country at any stage · amounts in %s a year", objective, p.CountryCap.String(), rep.cur)
	if err := b.str(sheet, 1, 2, sub, b.s.subtitle); err != nil {
		return err
	}
	row := 4
	if err := b.str(sheet, 1, row, "Portfolio", b.s.section); err != nil {
		return err
	}
	figure := func(label string, v any, k kind, bold bool) error {
		row++
		return b.figure(sheet, row, label, v, k, bold)
	}
	figures := []struct {
		label string
		v     any
		k     kind
		bold  bool
	}{
		{"Exposed parts (cost-bearing lines whose cost moves in some scenario)", p.Exposed, kInt, false},
		{"Parts with a plan (two or more candidate sources)", p.Planned, kInt, false},
		{"Parts whose mix changes", p.Changed, kInt, false},
		{rep.money("Premium a year if nothing happens"), p.Premium, kMoney, true},
		{rep.money("Expected saving a year, net of the premium"), p.ExpectedSaving, kMoney, true},
	}
	if len(r.Scenarios) > 0 && p.WorstCurrent < len(r.Scenarios) {
		figures = append(figures, struct {
			label string
			v     any
			k     kind
			bold  bool
		}{rep.money("Saving in the worst case, net of the premium"), p.WorstSaving, kMoney, true})
	}
	figures = append(figures, struct {
		label string
		v     any
		k     kind
		bold  bool
	}{fmt.Sprintf("Parts where the %s%% country cap cannot be met", p.CountryCap), p.CapNotMet, kInt, false})
	for _, f := range figures {
		if err := figure(f.label, f.v, f.k, f.bold); err != nil {
			return err
		}
	}
	row += 2
	if err := b.str(sheet, 1, row, "How to read it", b.s.section); err != nil {
		return err
	}
	row++
	if err := rep.paragraphAt(sheet, row, 13, rep.howToRead()); err != nil {
		return err
	}
	row += 2
	if len(p.Notes) > 0 {
		if err := rep.paragraphAt(sheet, row, 13, "Notes: "+strings.Join(p.Notes, "; ")+"."); err != nil {
			return err
		}
		row += 2
	}

	chartRow := row
	order := planOrder(p)
	if len(p.Lines) > 0 {
		row += planChartHeight/16 + 3 // the chart sits here; LibreOffice's rows are lower than Excel's
	}
	if err := rep.planTable(&row, order); err != nil {
		return err
	}
	if err := rep.sharesTable(&row, order); err != nil {
		return err
	}
	if err := rep.hhiTable(&row, order); err != nil {
		return err
	}
	if err := rep.unplannedTable(&row); err != nil {
		return err
	}
	if err := rep.planChart(&row, chartRow); err != nil {
		return err
	}
	return rep.defaultsTable(&row, order)
}

// paragraphAt writes text merged across columns 1..width of row, wrapped,
// with the row sized for it (merged cells do not grow with their text).
func (rep *report) paragraphAt(sheet string, row, width int, text string) error {
	b := rep.b
	if err := b.str(sheet, 1, row, text, b.s.wrap); err != nil {
		return err
	}
	if err := b.f.MergeCell(sheet, cellName(1, row), cellName(width, row)); err != nil {
		return err
	}
	perLine := 120.0 * float64(width) / summaryWidth
	if width == summaryWidth {
		perLine = 120
	}
	lines := int(math.Ceil(float64(utf8.RuneCountInString(text))/perLine)) + 1
	return b.f.SetRowHeight(sheet, row, math.Min(float64(lines)*15, 409))
}

// howToRead explains the sheet in a few sentences.
func (rep *report) howToRead() string {
	p := rep.r.Plan
	s := []string{
		"For each exposed part with two or more candidate sources (today's, plus the Alternatives rows for its part number, else for its material, else the default centres for its material), a linear program chooses the share of its annual volume to buy from each.",
		fmt.Sprintf("No country may hold more than %s%% of a part at any stage (mine, separation, metal, component) — every country, not only China — and no source more than its capacity a year (a capacity given by material is shared by all parts of that material).", p.CountryCap),
		"Premium: what the recommended mix costs more a year if no scenario happens. Savings (expected, worst case) are net of the premium, so they can be negative where meeting the cap costs more than it avoids.",
		"Payback: months of a scenario's avoided costs that repay one year's premium.",
	}
	if p.IndicativeCandidate {
		s = append(s, "Sources marked (indicative) are reference-data defaults: premiums and qualification times are published estimates, not quotes.")
	}
	return strings.Join(s, " ")
}

// mixText prints shares as "Ningbo Magnet Co. (CN) 60%; Kanto KK (JP) 25%",
// largest first, by supplier and component country.
func mixText(cands []exposure.Candidate, current bool) string {
	type part struct {
		name  string
		share decimal.Decimal
	}
	var parts []part
	idx := map[string]int{}
	for _, c := range cands {
		sh := c.Share
		if current {
			sh = c.CurrentShare
		}
		if sh.Sign() <= 0 {
			continue
		}
		name := c.Supplier
		if cc := c.Countries[exposure.StageComponent]; cc != "" {
			name += " (" + cc + ")"
		}
		if i, ok := idx[name]; ok {
			parts[i].share = parts[i].share.Add(sh)
			continue
		}
		idx[name] = len(parts)
		parts = append(parts, part{name, sh})
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].share.GreaterThan(parts[j].share) })
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.name + " " + sharePct(p.share)
	}
	return strings.Join(out, "; ")
}

// sharePct prints a share as a percentage with up to two decimals: "83.34%".
func sharePct(f decimal.Decimal) string {
	return f.Mul(hundred).Round(2).String() + "%"
}

// planTable writes one row per planned part.
func (rep *report) planTable(row *int, order []*exposure.LinePlan) error {
	b, sheet, p := rep.b, sheetRecommendations, rep.r.Plan
	title := "Plan by part, largest expected saving first"
	if p != nil && p.Planned > len(order) {
		title += fmt.Sprintf(" (the first %d of %d; the JSON has %d)", len(order), p.Planned, len(p.Lines))
	}
	if err := b.str(sheet, 1, *row, title, b.s.section); err != nil {
		return err
	}
	t, err := b.newTable(sheet, 1, *row+1, []col{
		{head: "Product", kind: kText},
		{head: "Part number", kind: kText},
		{head: "Description", kind: kWrap, width: recWDesc},
		{head: "Annual qty", kind: kQty},
		{head: rep.money("Premium a year if nothing happens"), kind: kMoney, width: 15},
		{head: rep.money("Expected saving a year"), kind: kMoney, width: 15},
		{head: rep.money("Worst-case saving a year"), kind: kMoney, width: 15},
		{head: "Component HHI today", kind: kInt, width: 11},
		{head: "Component HHI planned", kind: kInt, width: 11},
		{head: "New sources can deliver from", kind: kText, width: 13},
		{head: "Today's mix (supplier, component country, share)", kind: kWrap, width: recWMix},
		{head: "Recommended mix", kind: kWrap, width: recWMix},
		{head: "Payback", kind: kWrap, width: recWLong},
		{head: "Country cap and notes", kind: kWrap, width: recWLong},
	})
	if err != nil {
		return err
	}
	notes := map[int]string{
		5:  "Annual cost of the recommended mix minus today's, when no scenario happens (baseline unit costs only).",
		6:  "Probability-weighted annual cost (baseline plus scenario change) of today's mix minus the recommended one's. Net of the premium.",
		7:  "Today's mix in its worst scenario minus the recommended mix in its worst scenario, net of the premium.",
		8:  "Herfindahl–Hirschman index of the component stage over the known countries: the sum of squared shares in percent points. 10,000 is a single country; the European Commission treats above 4,000 as concentrated. Other stages: see the concentration table below.",
		10: "The earliest month all the sources the plan adds can deliver: the projection's first month plus each one's qualification time.",
	}
	for _, c := range slices.Sorted(maps.Keys(notes)) { // in column order: the file is the same from run to run
		n := notes[c]
		if err := b.note(sheet, c, t.top, n); err != nil {
			return err
		}
	}
	for _, lp := range order {
		var hb, ha any
		if h := lp.HHIBefore[exposure.StageComponent]; h.Known {
			hb = cellNum{h.Value, kInt}
		}
		if h := lp.HHIAfter[exposure.StageComponent]; h.Known {
			ha = cellNum{h.Value, kInt}
		}
		if err := t.add(lp.Line.Product, lp.Line.PartNumber, lp.Line.Description, lp.AnnualQty, lp.Premium, lp.ExpectedSaving, lp.WorstSaving,
			hb, ha, rep.earliest(lp), mixText(lp.Candidates, true), mixText(lp.Candidates, false), rep.payback(lp), rep.capText(lp)); err != nil {
			return err
		}
	}
	if len(order) == 0 {
		msg := "No plan was computed."
		switch {
		case p == nil:
		case p.Exposed == 0:
			msg = "No part's cost changes in these scenarios: nothing to plan."
		default:
			msg = "No exposed part has a second candidate source: add Alternatives rows to get a plan."
		}
		if err := b.str(sheet, 1, t.row+1, msg, b.s.note); err != nil {
			return err
		}
		t.row++
		*row = t.row + 2
		return t.filter()
	}
	if err := t.asTable("Plan"); err != nil {
		return err
	}
	t.row++
	if err := t.addBold("All planned parts", nil, nil, nil, p.Premium, p.ExpectedSaving, p.WorstSaving, nil, nil, nil, nil, nil,
		rep.portfolioPayback(), ""); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
}

// earliest is the month every source the plan adds can deliver from, ""
// when it adds none.
func (rep *report) earliest(lp *exposure.LinePlan) any {
	last := ""
	for _, c := range lp.Candidates {
		if c.CurrentShare.Sign() == 0 && c.Share.Sign() > 0 && c.EarliestMonth > last {
			last = c.EarliestMonth
		}
	}
	if last == "" {
		return nil
	}
	return last
}

// statusQuo is the scenario a buyer calls "nothing changes": the first with
// stance status-quo, else the most probable.
func (rep *report) statusQuo() int {
	best := -1
	for i, s := range rep.r.Scenarios {
		if strings.EqualFold(s.Scenario.Stance, "status-quo") {
			return i
		}
		if best < 0 || s.Probability.GreaterThan(rep.r.Scenarios[best].Probability) {
			best = i
		}
	}
	return best
}

// payback says in words whether and how fast the premium is repaid: by
// the expected scenario mix, and how many months of the status-quo
// scenario (and of today's worst) repay a year's premium.
func (rep *report) payback(lp *exposure.LinePlan) string {
	if !lp.Changed {
		return "Keep today's mix: no other mix does better within the constraints."
	}
	cur := rep.cur
	prem := lp.Premium
	if prem.Sign() <= 0 {
		return fmt.Sprintf("No premium: the recommended mix costs %s %s a year less even if nothing happens.", cur, moneyText(prem.Neg()))
	}
	expAvoided := lp.ExpectedSaving.Add(prem)
	var s []string
	if expAvoided.GreaterThanOrEqual(prem) {
		s = append(s, fmt.Sprintf("The premium of %s %s a year is repaid if the expected scenario mix happens (%s %s a year avoided).", cur, moneyText(prem), cur, moneyText(expAvoided)))
	} else {
		s = append(s, fmt.Sprintf("The premium of %s %s a year is not repaid by the expected scenario mix (%s %s a year avoided): it buys insurance and a lower concentration.", cur, moneyText(prem), cur, moneyText(expAvoided)))
	}
	sq, wc := rep.statusQuo(), lp.WorstCurrent
	which := []int{sq}
	if wc != sq {
		which = append(which, wc)
	}
	var parts []string
	for _, i := range which {
		if i < 0 || i >= len(rep.r.Scenarios) {
			continue
		}
		name := "“" + scenarioName(rep.r.Scenarios[i].Scenario) + "”"
		if i == sq {
			name += " alone"
		}
		a := lp.Current[i].Sub(lp.CurrentBaseline).Sub(lp.Recommended[i].Sub(lp.RecommendedBaseline)) // the change avoided a year
		months := decimal.Zero
		if a.Sign() > 0 {
			months = prem.Mul(twelve).Div(a)
		}
		switch {
		case a.Sign() <= 0 || months.GreaterThan(decimal.NewFromInt(120)):
			parts = append(parts, "in "+name+" it is not repaid")
		case months.LessThanOrEqual(decimal.NewFromInt(1)):
			parts = append(parts, "in "+name+" it pays back within a month")
		default:
			parts = append(parts, fmt.Sprintf("in %s it pays back in %s months", name, months.Ceil().String()))
		}
	}
	if len(parts) > 0 {
		p := strings.Join(parts, "; ")
		s = append(s, strings.ToUpper(p[:1])+p[1:]+".")
	}
	return strings.Join(s, " ")
}

var twelve = decimal.NewFromInt(12)

// portfolioPayback says the portfolio's premium against its savings.
func (rep *report) portfolioPayback() string {
	p := rep.r.Plan
	if p.Premium.Sign() <= 0 {
		return fmt.Sprintf("The plan costs %s %s a year less even if nothing happens.", rep.cur, moneyText(p.Premium.Neg()))
	}
	exp := p.ExpectedSaving.Add(p.Premium)
	verb := "is repaid"
	if exp.LessThan(p.Premium) {
		verb = "is not repaid"
	}
	return fmt.Sprintf("The premium of %s %s a year %s by the expected scenario mix (%s %s avoided a year).", rep.cur, moneyText(p.Premium), verb, rep.cur, moneyText(exp))
}

// capText says whether the cap holds and, where it cannot, at which
// stage and country and why, plus any note.
func (rep *report) capText(lp *exposure.LinePlan) string {
	p := rep.r.Plan
	var s []string
	if !lp.CapMet && len(lp.CapBreaks) > 0 {
		// Name the break no mix can avoid (no candidate elsewhere at that
		// stage) first, then the largest.
		outside := func(br exposure.CapBreak) bool {
			for _, c := range lp.Candidates {
				if cc := c.Countries[br.Stage]; cc != "" && cc != br.Country {
					return true
				}
			}
			return false
		}
		// every: all candidates are located there at that stage.
		every := func(br exposure.CapBreak) bool {
			for _, c := range lp.Candidates {
				if c.Countries[br.Stage] != br.Country {
					return false
				}
			}
			return true
		}
		rank := func(br exposure.CapBreak) int {
			switch {
			case every(br):
				return 0
			case !outside(br):
				return 1
			}
			return 2
		}
		br := lp.CapBreaks[0]
		for _, x := range lp.CapBreaks[1:] {
			if rank(x) < rank(br) || (rank(x) == rank(br) && x.Share.GreaterThan(br.Share)) {
				br = x
			}
		}
		why := fmt.Sprintf("no candidate's %s stage is outside %s", br.Stage, countryName(br.Country))
		if outside(br) {
			why = fmt.Sprintf("the candidates outside %s at that stage lack the capacity", countryName(br.Country))
		}
		s = append(s, fmt.Sprintf("%s%% cap not met: %s keeps %s of the %s stage, as %s. No mix does better; this is the cheapest of those that do as well.",
			p.CountryCap, countryLabel(br.Country), sharePct(br.Share), br.Stage, why))
	} else {
		s = append(s, "Within the cap.")
		if g, c, sh := largestShare(lp.Candidates, true); sh.GreaterThan(p.CountryCap.Div(hundred)) {
			s[len(s)-1] = fmt.Sprintf("Within the cap; today %s holds %s of the %s stage.", countryLabel(c), sharePct(sh), g)
		}
	}
	for _, c := range lp.Candidates {
		if c.Shared && c.Share.Sign() > 0 {
			s = append(s, "Shares a source's capacity with other parts: solved together with them.")
			break
		}
	}
	if lp.Note != "" {
		s = append(s, strings.ToUpper(lp.Note[:1])+lp.Note[1:]+".")
	}
	return strings.Join(s, " ")
}

// largestShare is the stage and known country with the largest share of
// a mix, today's or the recommended one.
func largestShare(cands []exposure.Candidate, current bool) (exposure.Stage, string, decimal.Decimal) {
	var bg exposure.Stage
	var bc string
	var best decimal.Decimal
	for g := exposure.StageMine; g < exposure.NumStages; g++ {
		by := map[string]decimal.Decimal{}
		for _, c := range cands {
			sh := c.Share
			if current {
				sh = c.CurrentShare
			}
			if cc := c.Countries[g]; cc != "" && sh.Sign() > 0 {
				by[cc] = by[cc].Add(sh)
			}
		}
		for _, cc := range sortedCountries(by) {
			if by[cc].GreaterThan(best) {
				bg, bc, best = g, cc, by[cc]
			}
		}
	}
	return bg, bc, best
}

func sortedCountries(m map[string]decimal.Decimal) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sharesTable writes every candidate of every listed part.
func (rep *report) sharesTable(row *int, order []*exposure.LinePlan) error {
	b, sheet := rep.b, sheetRecommendations
	if len(order) == 0 {
		return nil
	}
	if err := b.str(sheet, 1, *row, "Shares by source", b.s.section); err != nil {
		return err
	}
	t, err := b.newTable(sheet, 1, *row+1, []col{
		{head: "Product", kind: kText},
		{head: "Part number", kind: kText},
		{head: "Supplier", kind: kWrap, width: recWDesc},
		{head: rep.money("Unit cost"), kind: kUnitMoney},
		{head: "Today (%)", kind: kPct},
		{head: "Recommended (%)", kind: kPct},
		{head: "Change (% points)", kind: kPct},
		{head: "Capacity (units a year)", kind: kQty},
		{head: "Qualification (months)", kind: kInt},
		{head: "Can deliver from", kind: kText},
		{head: "Countries: mine · separation · metal · component", kind: kWrap, width: recWMix},
		{head: "Where the source comes from", kind: kWrap, width: recWMix},
		{head: "Basis of the figures", kind: kWrap, width: recWLong},
	})
	if err != nil {
		return err
	}
	if err := b.note(sheet, 8, t.top, "Units of the part a year the source can supply; empty: no limit. A shared capacity is offered once to all the parts of its material."); err != nil {
		return err
	}
	for _, lp := range order {
		for _, c := range lp.Candidates {
			var capacity, qual, from any
			if c.HasCapacity {
				capacity = c.Capacity
			}
			where, basis := "Today's source", "Today's unit cost."
			if !c.Current {
				qual, from = c.QualificationMonths, c.EarliestMonth
				where = "Input row " + c.Ref
				basis = "Unit cost from the input."
				if c.ByPremium {
					basis = fmt.Sprintf("Today's average unit cost plus %s%%.", c.PremiumPct)
				}
				if c.Indicative {
					where = "Default centre (indicative)"
					basis = fmt.Sprintf("Today's average unit cost plus %s%% (a published estimate, not a quote).", c.PremiumPct)
					if c.Note != "" {
						basis += " " + c.Note + "."
					}
				}
			}
			if c.Shared {
				where += "; capacity shared with other parts"
			}
			if err := t.add(lp.Line.Product, lp.Line.PartNumber, c.Supplier, c.UnitCost, c.CurrentShare, c.Share, c.Share.Sub(c.CurrentShare),
				capacity, qual, from, stagesText(c.Countries), where, basis); err != nil {
				return err
			}
		}
	}
	if err := t.asTable("PlanShares"); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
}

// stagesText prints stage countries as "– · CN · JP · JP" (– unknown).
func stagesText(cs [exposure.NumStages]string) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c
		if c == "" {
			out[i] = "–"
		}
	}
	return strings.Join(out, " · ")
}

// hhiTable writes each listed part's concentration per stage, today and
// planned.
func (rep *report) hhiTable(row *int, order []*exposure.LinePlan) error {
	b, sheet := rep.b, sheetRecommendations
	if len(order) == 0 {
		return nil
	}
	if err := b.str(sheet, 1, *row, "Concentration by stage (HHI over the known countries, 0 to 10,000)", b.s.section); err != nil {
		return err
	}
	cols := []col{{head: "Product", kind: kText}, {head: "Part number", kind: kText}, {head: "Description", kind: kWrap, width: recWDesc}}
	for g := exposure.StageMine; g < exposure.NumStages; g++ {
		cols = append(cols, col{head: stageLabel(g) + " today", kind: kInt}, col{head: stageLabel(g) + " planned", kind: kInt})
	}
	t, err := b.newTable(sheet, 1, *row+1, cols)
	if err != nil {
		return err
	}
	for _, lp := range order {
		vals := []any{lp.Line.Product, lp.Line.PartNumber, lp.Line.Description}
		for g := exposure.StageMine; g < exposure.NumStages; g++ {
			for _, h := range []exposure.HHI{lp.HHIBefore[g], lp.HHIAfter[g]} {
				if h.Known {
					vals = append(vals, cellNum{h.Value, kInt})
				} else {
					vals = append(vals, nil)
				}
			}
		}
		if err := t.add(vals...); err != nil {
			return err
		}
	}
	if err := t.asTable("PlanHHI"); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
}

// unplannedTable lists the exposed parts that have no alternative.
func (rep *report) unplannedTable(row *int) error {
	b, sheet, p := rep.b, sheetRecommendations, rep.r.Plan
	if p.UnplannedCount == 0 {
		return nil
	}
	title := fmt.Sprintf("Exposed parts with no alternative source (%d; expected change %s %s a year): add Alternatives rows for them", p.UnplannedCount, rep.cur, moneyText(p.UnplannedDelta))
	if p.UnplannedCount > len(p.Unplanned) {
		title += fmt.Sprintf("; the %d largest", len(p.Unplanned))
	}
	if err := b.str(sheet, 1, *row, title, b.s.section); err != nil {
		return err
	}
	t, err := b.newTable(sheet, 1, *row+1, []col{
		{head: "Product", kind: kText},
		{head: "Part number", kind: kText},
		{head: "Description", kind: kWrap, width: recWDesc},
		{head: "Annual qty", kind: kQty},
		{head: rep.money("Expected annual change"), kind: kMoney},
		{head: rep.money("Largest annual change"), kind: kMoney},
	})
	if err != nil {
		return err
	}
	for _, u := range p.Unplanned {
		if err := t.add(u.Line.Product, u.Line.PartNumber, u.Line.Description, u.AnnualQty, u.Expected, u.Worst); err != nil {
			return err
		}
	}
	if err := t.asTable("Unplanned"); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
}

// planChart writes the chart's data, the planned parts' annual spend by
// country at each stage, today and planned, and the chart at chartRow.
func (rep *report) planChart(row *int, chartRow int) error {
	b, sheet, p := rep.b, sheetRecommendations, rep.r.Plan
	if len(p.Lines) == 0 {
		return nil
	}
	// Weight: each part's annual spend today, so that only the shares move.
	type key struct {
		stage   exposure.Stage
		planned bool
		country string
	}
	w := map[key]decimal.Decimal{}
	total := map[string]decimal.Decimal{}
	for _, sp := range p.Spend { // every planned part, not only those listed
		cc := sp.Country
		if sp.Today.Sign() > 0 {
			w[key{sp.Stage, false, cc}] = w[key{sp.Stage, false, cc}].Add(sp.Today)
			total[cc] = total[cc].Add(sp.Today)
		}
		if sp.Planned.Sign() > 0 {
			w[key{sp.Stage, true, cc}] = w[key{sp.Stage, true, cc}].Add(sp.Planned)
			total[cc] = total[cc].Add(sp.Planned)
		}
	}
	var countries []string
	for c := range total {
		countries = append(countries, c)
	}
	sort.Slice(countries, func(i, j int) bool {
		a, b := countries[i], countries[j]
		if (a == "") != (b == "") {
			return b == ""
		}
		if !total[a].Equal(total[b]) {
			return total[a].GreaterThan(total[b])
		}
		return a < b
	})
	// At most eight named countries; the rest are "Other".
	const named = 8
	label := func(c string) string {
		if c == "" {
			return "Unknown"
		}
		return countryName(c)
	}
	var heads []string
	group := map[string]string{}
	for i, c := range countries {
		h := label(c)
		if c != "" && i >= named {
			h = "Other"
		}
		group[c] = h
		if !slices.Contains(heads, h) {
			heads = append(heads, h)
		}
	}
	// Keep Unknown last.
	sort.SliceStable(heads, func(i, j int) bool { return heads[j] == "Unknown" && heads[i] != "Unknown" })
	if err := b.str(sheet, 1, *row, "Where the planned parts come from, share of their annual spend today (the chart's data)", b.s.section); err != nil {
		return err
	}
	cols := []col{{head: "Stage", kind: kText}}
	for _, h := range heads {
		cols = append(cols, col{head: h, kind: kPct})
	}
	t, err := b.newTable(sheet, 1, *row+1, cols)
	if err != nil {
		return err
	}
	for g := exposure.StageMine; g < exposure.NumStages; g++ {
		for _, planned := range []bool{false, true} {
			sum := decimal.Zero
			by := map[string]decimal.Decimal{}
			for _, c := range countries {
				v := w[key{g, planned, c}]
				by[group[c]] = by[group[c]].Add(v)
				sum = sum.Add(v)
			}
			when := " today"
			if planned {
				when = " planned"
			}
			vals := []any{stageLabel(g) + when}
			for _, h := range heads {
				if sum.IsZero() {
					vals = append(vals, nil)
					continue
				}
				vals = append(vals, by[h].DivRound(sum, 6))
			}
			if err := t.add(vals...); err != nil {
				return err
			}
		}
	}
	*row = t.row + 2
	var series []excelize.ChartSeries
	palette := []string{"C00000", "4472C4", "70AD47", "FFC000", "7030A0", "ED7D31", "5B9BD5", "264478", "9E480E"}
	for i, h := range heads {
		color := palette[i%len(palette)]
		switch h {
		case "Unknown":
			color = "BFBFBF"
		case "Other":
			color = "7F7F7F"
		}
		series = append(series, excelize.ChartSeries{
			Name:       absCell(sheet, 2+i, t.top),
			Categories: absRange(sheet, 1, t.top+1, 1, t.row),
			Values:     absRange(sheet, 2+i, t.top+1, 2+i, t.row),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
		})
	}
	b.chart(sheet, cellName(1, chartRow), &excelize.Chart{
		Type:      excelize.BarPercentStacked,
		Series:    series,
		Title:     chartTitle("Planned parts by country and stage: today and under the plan (share of annual spend)"),
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 9, Color: colAxis}},
		Dimension: excelize.ChartDimension{Width: 900, Height: planChartHeight},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Size: 9, Color: colAxis}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Font: excelize.Font{Size: 9, Color: colAxis}},
		Format:    excelize.GraphicOptions{AltText: "Stacked bar chart of the planned parts' country shares per stage, today and under the plan"},
	})
	return nil
}

// defaultsTable lists the indicative default centres the listed parts
// were offered, with the source and date of their figures.
func (rep *report) defaultsTable(row *int, order []*exposure.LinePlan) error {
	b, sheet := rep.b, sheetRecommendations
	type centre struct{ supplier, premium string }
	seen := map[centre]bool{}
	var rows [][]any
	for _, lp := range order {
		for _, c := range lp.Candidates {
			k := centre{c.Supplier, c.PremiumPct.String()}
			if !c.Indicative || seen[k] {
				continue
			}
			seen[k] = true
			rows = append(rows, []any{pct(c.PremiumPct), c.QualificationMonths, c.Supplier, stagesText(c.Countries), c.Source})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return b.block(sheet, row, "Default centres offered (indicative: reference estimates, not quotes)", "", []col{
		{head: "Premium over today's unit cost (%)", kind: kPct},
		{head: "Qualification (months)", kind: kInt},
		{head: "Centre", kind: kWrap, width: recWDesc},
		{head: "Countries: mine · sep. · metal · comp.", kind: kText},
		{head: "Source and date", kind: kSpill},
	}, rows, "PlanDefaults")
}

// planParagraph is the recommendation in one paragraph, for the Summary.
func (rep *report) planParagraph() string {
	p := rep.r.Plan
	if p == nil {
		return ""
	}
	cur := rep.cur
	if len(p.Lines) == 0 {
		if p.Exposed == 0 {
			return "No part's cost moves in these scenarios, so there is nothing to diversify."
		}
		return fmt.Sprintf("None of the %d exposed parts has a second candidate source, so no plan could be made: add Alternatives rows (by part number or material) to the input.", p.Exposed)
	}
	var s []string
	s = append(s, fmt.Sprintf("Change the sourcing mix of %d of the %d exposed parts so that no country holds more than %s%% at any stage where the candidates allow it (see Recommendations).",
		p.Changed, p.Exposed, p.CountryCap))
	switch {
	case p.Premium.Sign() > 0:
		s = append(s, fmt.Sprintf("The plan costs %s %s a year more if nothing happens, and saves %s %s a year in expectation after that premium",
			cur, moneyText(p.Premium), cur, moneyText(p.ExpectedSaving)))
	default:
		s = append(s, fmt.Sprintf("The plan costs %s %s a year less even if nothing happens, and saves %s %s a year in expectation",
			cur, moneyText(p.Premium.Neg()), cur, moneyText(p.ExpectedSaving)))
	}
	if len(rep.r.Scenarios) > 0 {
		s[len(s)-1] += fmt.Sprintf(" and %s %s in the worst case (“%s” for today's mix).", cur, moneyText(p.WorstSaving), scenarioName(rep.r.Scenarios[p.WorstCurrent].Scenario))
	} else {
		s[len(s)-1] += "."
	}
	if s[len(s)-1][0] == 'T' && p.ExpectedSaving.Sign() < 0 {
		s = append(s, "In expectation it costs more than it avoids: it is insurance against the worse scenarios and a lower concentration.")
	}
	// The largest move.
	order := planOrder(p)
	for _, lp := range order {
		if lp.Changed {
			what := lp.Line.PartNumber
			if d := strings.TrimSpace(lp.Line.Description); d != "" {
				if r := []rune(d); len(r) > 50 {
					d = string(r[:49]) + "…"
				}
				what += " (" + d + ")"
			}
			s = append(s, fmt.Sprintf("The largest saving is on %s in %s: from %s to %s, saving %s %s a year.",
				what, lp.Line.Product, mixText(lp.Candidates, true), mixText(lp.Candidates, false), cur, moneyText(lp.ExpectedSaving)))
			break
		}
	}
	if p.CapNotMet > 0 {
		s = append(s, fmt.Sprintf("For %d part(s) the cap cannot be met, mostly because every candidate depends on one country at an upstream stage: ask for sources outside it.", p.CapNotMet))
	}
	if p.UnplannedCount > 0 {
		s = append(s, fmt.Sprintf("%d exposed part(s) have no alternative at all.", p.UnplannedCount))
	}
	if p.IndicativeCandidate {
		s = append(s, "Sources marked (indicative) are reference defaults, not quotes.")
	}
	return strings.Join(s, " ")
}

// jsonRec is one entry of the JSON's recommendations (SPEC section 10):
// shares by supplier and component-stage country, the premium and savings
// a year, and the component stage's HHI (null when no component country
// is known). Indicative sources carry "(indicative)" in their name.
type jsonRec struct {
	Product        string      `json:"product"`
	PartNumber     string      `json:"part_number"`
	Current        []jsonShare `json:"current"`
	Recommended    []jsonShare `json:"recommended"`
	Premium        string      `json:"premium"`
	ExpectedSaving string      `json:"expected_saving"`
	WorstSaving    string      `json:"worst_saving"`
	HHIBefore      *string     `json:"hhi_before"`
	HHIAfter       *string     `json:"hhi_after"`
}

type jsonShare struct {
	Supplier string `json:"supplier"`
	Country  string `json:"country"`
	Share    string `json:"share"`
}

// jsonRecommendations lists every planned line in BOM order.
func jsonRecommendations(p *exposure.Plan) []jsonRec {
	out := []jsonRec{}
	if p == nil {
		return out
	}
	hhi := func(h exposure.HHI) *string {
		if !h.Known {
			return nil
		}
		s := dec(h.Value)
		return &s
	}
	for i := range p.Lines {
		lp := &p.Lines[i]
		out = append(out, jsonRec{
			Product: lp.Line.Product, PartNumber: lp.Line.PartNumber,
			Current: jsonShares(lp.Candidates, true), Recommended: jsonShares(lp.Candidates, false),
			Premium: dec(lp.Premium), ExpectedSaving: dec(lp.ExpectedSaving), WorstSaving: dec(lp.WorstSaving),
			HHIBefore: hhi(lp.HHIBefore[exposure.StageComponent]), HHIAfter: hhi(lp.HHIAfter[exposure.StageComponent]),
		})
	}
	return out
}

// jsonShares sums the non-zero shares by supplier and component country,
// in the candidates' order.
func jsonShares(cands []exposure.Candidate, current bool) []jsonShare {
	out := []jsonShare{}
	sum := map[[2]string]decimal.Decimal{}
	var order [][2]string
	for _, c := range cands {
		sh := c.Share
		if current {
			sh = c.CurrentShare
		}
		if sh.Sign() <= 0 {
			continue
		}
		k := [2]string{c.Supplier, c.Countries[exposure.StageComponent]}
		if _, ok := sum[k]; !ok {
			order = append(order, k)
		}
		sum[k] = sum[k].Add(sh)
	}
	for _, k := range order {
		out = append(out, jsonShare{Supplier: k[0], Country: k[1], Share: dec(sum[k])})
	}
	return out
}
