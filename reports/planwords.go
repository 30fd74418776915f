package reports

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// This file puts the plan of SPEC section 8 into words: the mixes, the
// stages left above the cap, the concentration that rises, the months.
// The Recommendations sheet, the Summary paragraph and the upload page
// (through PlanLines and PlanParagraph) say the same thing.

// capStageOrder lists the stages the cap applies to in the order material
// flows through them, heavy-rare-earth separation after separation.
var capStageOrder = []exposure.Stage{exposure.StageMine, exposure.StageSeparation, exposure.StageHRESeparation, exposure.StageMetal, exposure.StageComponent}

// capStageWord names a cap stage in prose: "heavy-rare-earth separation".
func capStageWord(g exposure.Stage) string {
	if g == exposure.StageHRESeparation {
		return "heavy-rare-earth separation"
	}
	return strings.ToLower(stageLabel(g))
}

// capStageShort names a cap stage in a table's text: "heavy-RE separation".
func capStageShort(g exposure.Stage) string {
	if g == exposure.StageHRESeparation {
		return "heavy-RE separation"
	}
	return strings.ToLower(stageLabel(g))
}

// capStageHead names a cap stage in a header: "Heavy-RE separation".
func capStageHead(g exposure.Stage) string {
	if g == exposure.StageHRESeparation {
		return "Heavy-RE separation"
	}
	return stageLabel(g)
}

// stageCountry is a candidate's country at a cap stage.
func stageCountry(c exposure.Candidate, g exposure.Stage) string {
	if g == exposure.StageHRESeparation {
		return c.HRESeparation
	}
	return c.Countries[g]
}

// planMonth is projection month t (1-based) of the plan as YYYY-MM.
func planMonth(p *exposure.Plan, t int) string {
	y, m, ok := parseYearMonth(p.StartMonth)
	if !ok || t < 1 {
		return ""
	}
	i := y*12 + m - 1 + t - 1
	return fmt.Sprintf("%04d-%02d", i/12, i%12+1)
}

func parseYearMonth(s string) (int, int, bool) {
	ys, ms, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, false
	}
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || m < 1 || m > 12 {
		return 0, 0, false
	}
	return y, m, true
}

// capWho names the countries the cap applies to: "China", "China and
// Russia", or "every country but the import country".
func capWho(p *exposure.Plan) string {
	if p.CapAll {
		return "every country but the import country"
	}
	names := make([]string, len(p.CapCountries))
	for i, c := range p.CapCountries {
		names[i] = countryName(c)
	}
	return joinAnd(names)
}

// joinAnd joins words as "a", "a and b", "a, b and c".
func joinAnd(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// wholeText prints an amount in whole units for prose: "339,711".
func wholeText(d decimal.Decimal) string {
	return strings.TrimSuffix(moneyText(d.Round(0)), ".00")
}

// importerOf is the import country of a line's product.
func (rep *report) importerOf(l *exposure.Line) string {
	for _, p := range rep.r.Input.BOM.Products {
		if p.ID == l.Product && p.ImportCountry != "" {
			return p.ImportCountry
		}
	}
	return rep.r.Settings.ImportCountry
}

// capped reports whether the plan's cap applies to country c on line l.
func (rep *report) capped(p *exposure.Plan, l *exposure.Line, c string) bool {
	if c == "" {
		return false
	}
	if p.CapAll {
		return c != rep.importerOf(l)
	}
	for _, x := range p.CapCountries {
		if x == c {
			return true
		}
	}
	return false
}

// materialWord is what a material-level candidate makes, by the line's
// material: "magnet material", "yttria".
func (rep *report) materialWord(l *exposure.Line) string {
	switch rep.r.Input.Materials[l.Material].Family {
	case "ndfeb", "smco":
		return "magnet material"
	case "yttria":
		return "yttria"
	case "scandium":
		return "scandium material"
	}
	return "rare-earth material"
}

// who is "Supplier (CN)", or "Supplier (EE, indicative)" for a default
// centre, whose name ends in "(indicative)".
func who(supplier, country string) string {
	name, ind := strings.CutSuffix(supplier, " (indicative)")
	var tags []string
	if country != "" {
		tags = append(tags, country)
	}
	if ind {
		tags = append(tags, "indicative")
	}
	if len(tags) == 0 {
		return name
	}
	return name + " (" + strings.Join(tags, ", ") + ")"
}

// mixEntry is one source of a mix in words and its share of the line;
// inline: the name already holds the shares (a material centre serving
// several of today's sources).
type mixEntry struct {
	name   string
	share  decimal.Decimal
	inline bool
}

// mixEntries lists a line's mix, today's or the recommended one, one
// entry per candidate: a part-number source as "Supplier (component
// country)" ("…, shipped from MX" when it ships from elsewhere); a
// material-level candidate as the sources it keeps and its centre:
// "Ningbo Magnet Co. (CN) with magnet material from Neo Narva (EE)", or
// "Wuxi (CN) 21% and Bavaria (DE) 14%, with magnet material from Neo
// Narva (EE)" (the candidate's share times each source's). Largest first.
func (rep *report) mixEntries(lp *exposure.LinePlan, current bool) []mixEntry {
	var out []mixEntry
	idx := map[string]int{}
	add := func(e mixEntry) {
		if i, ok := idx[e.name]; ok && !e.inline {
			out[i].share = out[i].share.Add(e.share)
			return
		}
		idx[e.name] = len(out)
		out = append(out, e)
	}
	mat := rep.materialWord(lp.Line)
	for _, c := range lp.Candidates {
		sh := c.Share
		if current {
			sh = c.CurrentShare
		}
		if sh.Sign() <= 0 {
			continue
		}
		comp := c.Countries[exposure.StageComponent]
		if c.MaterialLevel && len(c.Parts) > 0 {
			centre := " with " + mat + " from " + who(c.Supplier, comp)
			if len(c.Parts) == 1 {
				add(mixEntry{name: who(c.Parts[0].Supplier, c.Parts[0].Origin) + centre, share: sh})
				continue
			}
			parts := make([]string, len(c.Parts))
			for i, pt := range c.Parts {
				parts[i] = who(pt.Supplier, pt.Origin) + " " + sharePct(sh.Mul(pt.Share))
			}
			add(mixEntry{name: joinAnd(parts) + "," + centre, share: sh, inline: true})
			continue
		}
		name := who(c.Supplier, comp)
		if c.Origin != "" && comp != "" && c.Origin != comp {
			name = who(c.Supplier, comp+", shipped from "+c.Origin)
		}
		add(mixEntry{name: name, share: sh})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].share.GreaterThan(out[j].share) })
	return out
}

// mixWords prints a mix: "Ningbo Magnet Co. (CN) 60%; Kanto KK (JP) 40%".
func (rep *report) mixWords(lp *exposure.LinePlan, current bool) string {
	es := rep.mixEntries(lp, current)
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.name
		if !e.inline {
			out[i] += " " + sharePct(e.share)
		}
	}
	return strings.Join(out, "; ")
}

// sharePct prints a share as a percentage with up to two decimals: "83.34%".
func sharePct(f decimal.Decimal) string {
	return f.Mul(hundred).Round(2).String() + "%"
}

// breaksText names the stages and countries left above the cap, with
// their share and why: "separation: China 100% (no candidate outside it
// at this stage)"; word names the stages.
func breaksText(lp *exposure.LinePlan, word func(exposure.Stage) string) string {
	var out []string
	seen := map[string]bool{}
	for _, g := range capStageOrder {
		for _, br := range lp.CapBreaks {
			k := br.Stage.String() + "/" + br.Country
			if br.Stage != g || seen[k] {
				continue
			}
			seen[k] = true
			s := fmt.Sprintf("%s: %s %s", word(g), countryName(br.Country), sharePct(br.Share))
			if br.Why != "" {
				s += " (" + br.Why + ")"
			}
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}

// stageShares sums a mix's shares by cap stage and country.
func stageShares(lp *exposure.LinePlan, current bool) map[exposure.Stage]map[string]decimal.Decimal {
	out := map[exposure.Stage]map[string]decimal.Decimal{}
	for _, g := range capStageOrder {
		if g == exposure.StageHRESeparation && !lp.Heavy {
			continue
		}
		by := map[string]decimal.Decimal{}
		for _, c := range lp.Candidates {
			sh := c.Share
			if current {
				sh = c.CurrentShare
			}
			if cc := stageCountry(c, g); cc != "" && sh.Sign() > 0 {
				by[cc] = by[cc].Add(sh)
			}
		}
		out[g] = by
	}
	return out
}

// shareRise is a capped country whose share of a stage the plan raises;
// unknown: none of the stage's countries is known today, so the plan's
// share is new knowledge more than a rise.
type shareRise struct {
	stage         exposure.Stage
	country       string
	before, after decimal.Decimal
	unknown       bool
}

// capRises lists the stages where the plan raises a capped country's
// share: the rules allow it up to the cap (where its sources are cheaper,
// or where every candidate depends on it upstream).
func (rep *report) capRises(p *exposure.Plan, lp *exposure.LinePlan) []shareRise {
	if !lp.Changed {
		return nil
	}
	before, after := stageShares(lp, true), stageShares(lp, false)
	var out []shareRise
	for _, g := range capStageOrder {
		var cs []string
		for c := range after[g] {
			cs = append(cs, c)
		}
		sort.Strings(cs)
		for _, c := range cs {
			a, b := after[g][c], before[g][c]
			if rep.capped(p, lp.Line, c) && a.Round(4).GreaterThan(b.Round(4)) {
				out = append(out, shareRise{g, c, b, a, len(before[g]) == 0})
			}
		}
	}
	return out
}

// realRises keeps the rises over a share known today.
func realRises(rs []shareRise) []shareRise {
	var out []shareRise
	for _, r := range rs {
		if !r.unknown {
			out = append(out, r)
		}
	}
	return out
}

// risesText says where a capped country's share rises: "China's share
// rises at component (60% → 65%)", and where the plan gives it a share of
// a stage whose countries are unknown today: "China holds 35% of
// separation, whose countries are unknown today"; word names the stages.
func risesText(rs []shareRise, word func(exposure.Stage) string) string {
	type group struct{ rise, known []string }
	by := map[string]*group{}
	var order []string
	for _, r := range rs {
		g := by[r.country]
		if g == nil {
			g = &group{}
			by[r.country] = g
			order = append(order, r.country)
		}
		if r.unknown {
			g.known = append(g.known, fmt.Sprintf("%s of %s", sharePct(r.after), word(r.stage)))
		} else {
			g.rise = append(g.rise, fmt.Sprintf("%s (%s → %s)", word(r.stage), sharePct(r.before), sharePct(r.after)))
		}
	}
	var out []string
	for _, c := range order {
		g := by[c]
		if len(g.rise) > 0 {
			out = append(out, fmt.Sprintf("%s's share rises at %s, within the cap", countryName(c), joinAnd(g.rise)))
		}
		if len(g.known) > 0 {
			out = append(out, fmt.Sprintf("%s holds %s, where today's countries are unknown", countryName(c), joinAnd(g.known)))
		}
	}
	return strings.Join(out, "; ")
}

// hhiMove is how the plan moves one stage's HHI.
type hhiMove int

const (
	hhiSame    hhiMove = iota
	hhiRises           // known before and after, higher after
	hhiFalls           // known before and after, lower after
	hhiKnown           // unknown today, known under the plan (a new source names the country)
	hhiUnknown         // known today, unknown under the plan
)

// hhiMoves compares each cap stage's HHI before and after, in whole
// points.
func hhiMoves(lp *exposure.LinePlan) map[exposure.Stage]hhiMove {
	out := map[exposure.Stage]hhiMove{}
	for _, g := range capStageOrder {
		if int(g) >= len(lp.HHIBefore) {
			continue
		}
		b, a := lp.HHIBefore[g], lp.HHIAfter[g]
		switch {
		case b.Known && a.Known:
			switch a.Value.Round(0).Cmp(b.Value.Round(0)) {
			case 1:
				out[g] = hhiRises
			case -1:
				out[g] = hhiFalls
			}
		case !b.Known && a.Known:
			out[g] = hhiKnown
		case b.Known && !a.Known:
			out[g] = hhiUnknown
		}
	}
	return out
}

// stagesWith lists, in flow order, the stages a move applies to.
func stagesWith(m map[exposure.Stage]hhiMove, want hhiMove) []exposure.Stage {
	var out []exposure.Stage
	for _, g := range capStageOrder {
		if mv, ok := m[g]; ok && mv == want {
			out = append(out, g)
		}
	}
	return out
}

func stageWords(gs []exposure.Stage) string {
	w := make([]string, len(gs))
	for i, g := range gs {
		w[i] = capStageWord(g)
	}
	return joinAnd(w)
}

// hhiText says how the plan moves the concentration: which stages' HHI
// rise (always named: a plan is never said to cut concentration when
// one rises), which fall, which become known.
func hhiText(lp *exposure.LinePlan, withFigures bool) string {
	if !lp.Changed {
		return ""
	}
	m := hhiMoves(lp)
	fig := func(gs []exposure.Stage) string {
		if !withFigures {
			return stageWords(gs)
		}
		w := make([]string, len(gs))
		for i, g := range gs {
			w[i] = fmt.Sprintf("%s (%s → %s)", capStageWord(g), wholeText(lp.HHIBefore[g].Value), wholeText(lp.HHIAfter[g].Value))
		}
		return joinAnd(w)
	}
	var s []string
	if up := stagesWith(m, hhiRises); len(up) > 0 {
		s = append(s, "HHI rises at "+fig(up))
	}
	if down := stagesWith(m, hhiFalls); len(down) > 0 {
		s = append(s, "falls at "+fig(down))
	}
	if k := stagesWith(m, hhiKnown); len(k) > 0 {
		s = append(s, "is known only under the plan at "+stageWords(k)+" (today's countries there are unknown)")
	}
	if len(s) == 0 {
		return "HHI unchanged at every stage"
	}
	if !strings.HasPrefix(s[0], "HHI") {
		s[0] = "HHI " + s[0]
	}
	return strings.Join(s, "; ")
}

// paybackText is a line's payback month in words: the calendar month, or
// "not within the horizon".
func paybackText(p *exposure.Plan, lp *exposure.LinePlan) string {
	switch {
	case !lp.Changed:
		return ""
	case lp.PaybackMonth <= 0:
		return "not within the horizon"
	case lp.HorizonSaving.Sign() <= 0:
		return planMonth(p, lp.PaybackMonth) + ", lost again by the horizon's end"
	}
	return planMonth(p, lp.PaybackMonth)
}

// lineNotes is the plan table's last column: the cost of the cap, the
// stages left above it, a capped country's share that rises, the stages
// whose concentration rises, shared capacities and the engine's note.
func (rep *report) lineNotes(lp *exposure.LinePlan) string {
	p := rep.r.Plan
	var s []string
	if lp.Note != "" {
		s = append(s, sentence(lp.Note))
	}
	if lp.RequiredByCap {
		s = append(s, fmt.Sprintf("Required by the cap: costs %s %s a year.", rep.cur, wholeText(lp.ExpectedSaving.Neg())))
	}
	if br := breaksText(lp, capStageShort); br != "" {
		s = append(s, "Above the cap: "+br+".")
	} else if lp.Changed {
		s = append(s, "Within the cap"+unknownStagesText(lp)+".")
	}
	if rs := rep.capRises(p, lp); len(rs) > 0 {
		s = append(s, sentence(risesText(rs, capStageShort)))
	}
	if lp.Changed {
		m := hhiMoves(lp)
		if up := stagesWith(m, hhiRises); len(up) > 0 {
			s = append(s, "HHI rises at "+shortWords(up)+": "+hhiRiseWhy(lp, up, p.Objective)+".")
		}
	}
	for _, c := range lp.Candidates {
		if c.Shared && c.Share.Sign() > 0 {
			s = append(s, "Shares a capacity with other parts.")
			break
		}
	}
	return strings.Join(s, " ")
}

// hhiRiseWhy says why a stage's concentration rises: the countries the
// plan buys less from at those stages, and that the mix is the cheapest
// the cap and the no-regression rule allow under the objective (the
// program's only reason to move share). A buyer reading "HHI rises"
// under a diversification plan needs both.
func hhiRiseWhy(lp *exposure.LinePlan, up []exposure.Stage, objective exposure.Objective) string {
	before, after := stageShares(lp, true), stageShares(lp, false)
	type fall struct{ stages []string }
	falls := map[string]*fall{}
	var order []string
	for _, g := range up {
		var cs []string
		for c := range before[g] {
			cs = append(cs, c)
		}
		sort.Strings(cs)
		for _, c := range cs {
			b, a := before[g][c], after[g][c]
			if !b.Round(4).GreaterThan(a.Round(4)) {
				continue
			}
			f := falls[c]
			if f == nil {
				f = &fall{}
				falls[c] = f
				order = append(order, c)
			}
			f.stages = append(f.stages, fmt.Sprintf("%s %s → %s", capStageShort(g), sharePct(b), sharePct(a)))
		}
	}
	cheapest := "the cheapest mix in expectation that the cap allows"
	if objective == exposure.ObjectiveWorst {
		cheapest = "the mix with the smallest worst case that the cap allows"
	}
	if len(order) == 0 {
		return cheapest
	}
	w := make([]string, len(order))
	for i, c := range order {
		w[i] = fmt.Sprintf("%s (%s)", countryName(c), strings.Join(falls[c].stages, ", "))
	}
	return "less from " + joinAnd(w) + ", " + cheapest
}

// shortWords lists stages as a table's text names them.
func shortWords(gs []exposure.Stage) string {
	w := make([]string, len(gs))
	for i, g := range gs {
		w[i] = capStageShort(g)
	}
	return joinAnd(w)
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

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

// describe is "EDU-MAG-111 (Rotor magnet segments…)".
func describe(l *exposure.Line) string {
	what := l.PartNumber
	if d := strings.TrimSpace(l.Description); d != "" {
		if r := []rune(d); len(r) > 50 {
			d = string(r[:49]) + "…"
		}
		what += " (" + d + ")"
	}
	return what
}

// planParagraph is the recommendation in one paragraph, for the Summary.
// It claims only what holds: the cap is said to be met only when every
// planned part meets it, a saving is never printed negative, and a plan
// that raises a capped country's share says so.
func (rep *report) planParagraph() string {
	p := rep.r.Plan
	if p == nil {
		return ""
	}
	cur := rep.cur
	capped := capWho(p)
	if len(p.Lines) == 0 {
		switch {
		case p.Exposed == 0:
			return "No part's cost moves in these scenarios, so there is nothing to diversify."
		case p.Planned == 0:
			return fmt.Sprintf("None of the %d exposed parts has a second candidate source, so no plan could be made: add Alternatives rows (by part number or material) to the input.", p.Exposed)
		}
		s := fmt.Sprintf("For the %d exposed parts with a second candidate source, today's mix is already the best the candidates allow under the %s%% cap on %s.", p.Planned, p.CountryCap, capped)
		if p.CapNotMet > 0 {
			s += fmt.Sprintf(" %d of them stay above the cap at some stage: ask for sources outside it.", p.CapNotMet)
		}
		return s
	}
	var s []string
	s = append(s, fmt.Sprintf("Change the sourcing mix of %d of the %d exposed parts (see Recommendations).", p.Changed, p.Exposed))

	// The cap, claiming only what is true.
	if p.CapNotMet == 0 {
		s = append(s, fmt.Sprintf("Afterwards no capped country (%s) holds more than %s%% of a planned part at any stage.", capped, p.CountryCap))
	} else {
		s = append(s, fmt.Sprintf("The plan keeps each capped country (%s) to %s%% of a part at every stage where the candidates allow it; %d part(s) stay above the cap at some stage%s.",
			capped, p.CountryCap, p.CapNotMet, rep.mostlyWhere(p)))
	}
	rises := 0
	for i := range p.Lines {
		if len(realRises(rep.capRises(p, &p.Lines[i]))) > 0 {
			rises++
		}
	}
	if rises > 0 {
		whose := "a capped country's share"
		if !p.CapAll && len(p.CapCountries) == 1 {
			whose = countryName(p.CapCountries[0]) + "'s share"
		}
		s = append(s, fmt.Sprintf("On %d part(s) the plan raises %s at some stage, to at most %s%%, where that is cheaper or every candidate depends on it: the Recommendations sheet names the stage.", rises, whose, p.CountryCap))
	}

	// Steady state, once the new sources deliver.
	first, last := 0, 0
	for i := range p.Lines {
		if lp := &p.Lines[i]; lp.Changed {
			if first == 0 || lp.QualificationMonth < first {
				first = lp.QualificationMonth
			}
			last = max(last, lp.QualificationMonth)
		}
	}
	when := "Once the new sources deliver"
	switch {
	case first == 0:
	case first == last && first == 1:
		when = fmt.Sprintf("From the start (%s)", planMonth(p, 1))
	case first == last:
		when = fmt.Sprintf("Once the new sources deliver (%s)", planMonth(p, first))
	default:
		when = fmt.Sprintf("Once the new sources deliver (from %s to %s, part by part)", planMonth(p, first), planMonth(p, last))
	}
	money := when + ", the plan " + premiumWords(cur, p.Premium) + ", and " + savingWords(cur, p.ExpectedSaving, "a year in expectation")
	if len(rep.r.Scenarios) > 0 && p.WorstCurrent < len(rep.r.Scenarios) {
		money += fmt.Sprintf(" and %s (“%s” for today's mix)", savingWords(cur, p.WorstSaving, "in the worst case"), scenarioName(rep.r.Scenarios[p.WorstCurrent].Scenario))
	}
	s = append(s, money+".")
	if p.RequiredByCap > 0 {
		c := fmt.Sprintf("The cap costs %s %s a year in expectation: %d part(s) are required by it (their plans cost more than they avoid)", cur, wholeText(p.CostOfCap), p.RequiredByCap)
		if p.RequiredByCap == 1 {
			c = fmt.Sprintf("The cap costs %s %s a year in expectation: 1 part is required by it (its plan costs more than it avoids)", cur, wholeText(p.CostOfCap))
		}
		if p.ExpectedSaving.Sign() > 0 {
			c += ", paid for by the other parts' savings"
		}
		s = append(s, c+".")
	}

	// Over the horizon, from each part's qualification month.
	horizon := "Over the horizon"
	if n := len(rep.r.Months); n > 0 {
		horizon = fmt.Sprintf("Over the horizon (%s to %s)", rep.r.Months[0], rep.r.Months[n-1])
	}
	h := horizon + ", counting each part's savings from the month its new sources deliver, the plan "
	switch p.HorizonSaving.Round(0).Sign() {
	case 1:
		h += fmt.Sprintf("saves %s %s", cur, wholeText(p.HorizonSaving))
		if p.QualificationCost.Sign() > 0 {
			h += fmt.Sprintf(" net of %s %s of one-off qualification costs", cur, wholeText(p.QualificationCost))
		}
	case -1:
		h += fmt.Sprintf("costs %s %s", cur, wholeText(p.HorizonSaving.Neg()))
		if p.QualificationCost.Sign() > 0 {
			h += fmt.Sprintf(", %s %s of one-off qualification costs included", cur, wholeText(p.QualificationCost))
		}
	default:
		h += "breaks even"
	}
	if p.QualificationCost.Sign() == 0 {
		h += " (no qualification costs were given)"
	}
	paid := 0
	for i := range p.Lines {
		if lp := &p.Lines[i]; lp.Changed && lp.PaybackMonth > 0 && lp.HorizonSaving.Sign() > 0 {
			paid++
		}
	}
	h += fmt.Sprintf("; %d of the %d changed parts pay back within it.", paid, p.Changed)
	s = append(s, h)

	// The largest saving.
	for _, lp := range planOrder(p) {
		if lp.Changed && lp.ExpectedSaving.Sign() > 0 {
			t := fmt.Sprintf("The largest saving is on %s in %s: from %s to %s, saving %s %s a year from %s",
				describe(lp.Line), lp.Line.Product, rep.mixWords(lp, true), rep.mixWords(lp, false), cur, wholeText(lp.ExpectedSaving), planMonth(p, lp.QualificationMonth))
			if pb := paybackText(p, lp); pb != "" && lp.PaybackMonth > 0 {
				t += " (paid back " + pb + ")"
			}
			s = append(s, t+".")
			break
		}
	}
	if p.UnplannedCount > 0 {
		s = append(s, fmt.Sprintf("%d exposed part(s) have no alternative at all.", p.UnplannedCount))
	}
	if p.IndicativeCandidate {
		s = append(s, "Sources marked (indicative) are reference defaults, not quotes.")
	}
	return strings.Join(s, " ")
}

// premiumWords: "costs USD 1,200 a year more if nothing happens".
func premiumWords(cur string, prem decimal.Decimal) string {
	switch prem.Round(0).Sign() {
	case 1:
		return fmt.Sprintf("costs %s %s a year more if nothing happens", cur, wholeText(prem))
	case -1:
		return fmt.Sprintf("costs %s %s a year less even if nothing happens", cur, wholeText(prem.Neg()))
	}
	return "costs the same as today's mix if nothing happens"
}

// savingWords: "saves USD 5 a year in expectation", or "costs USD 5 a
// year more in expectation": never a negative saving.
func savingWords(cur string, d decimal.Decimal, what string) string {
	switch d.Round(0).Sign() {
	case 1:
		return fmt.Sprintf("saves %s %s %s", cur, wholeText(d), what)
	case -1:
		return fmt.Sprintf("costs %s %s more %s", cur, wholeText(d.Neg()), what)
	}
	return "saves nothing " + what
}

// mostlyWhere says where the listed parts stay above the cap, most often:
// ", mostly at heavy-rare-earth separation, where no candidate is outside
// China".
func (rep *report) mostlyWhere(p *exposure.Plan) string {
	type key struct {
		stage   exposure.Stage
		country string
		why     string
	}
	n := map[key]int{}
	var keys []key
	for i := range p.Lines {
		seen := map[key]bool{}
		for _, br := range p.Lines[i].CapBreaks {
			k := key{br.Stage, br.Country, br.Why}
			if seen[k] {
				continue
			}
			seen[k] = true
			if n[k] == 0 {
				keys = append(keys, k)
			}
			n[k]++
		}
	}
	if len(keys) == 0 {
		return ""
	}
	sort.SliceStable(keys, func(i, j int) bool { return n[keys[i]] > n[keys[j]] })
	k := keys[0]
	where := fmt.Sprintf(", mostly at %s (%d part(s))", capStageWord(k.stage), n[k])
	if strings.HasPrefix(k.why, "no candidate") {
		return where + fmt.Sprintf(", where every candidate depends on %s: ask for sources outside it", countryName(k.country))
	}
	if k.why != "" {
		return where + ", where " + k.why
	}
	return where
}

// PlanLine is one listed line of the plan as the Recommendations sheet
// says it, for the upload page.
type PlanLine struct {
	Product, PartNumber, Description string
	Today, Recommended               string          // the mixes in words
	ExpectedSaving                   decimal.Decimal // a year in steady state; negative when the cap requires the plan
	Delivers                         string          // YYYY-MM: the month the plan takes effect
	Payback                          string          // YYYY-MM, or "not within the horizon"
	RequiredByCap                    bool
	AboveCap                         string // the stages left above the cap, in words; "" when none
	HHIRises                         string // the stages whose concentration rises, in words; "" when none
}

// PlanLines lists the plan's lines largest expected saving first, as the
// Recommendations sheet does.
func PlanLines(r *exposure.Result) []PlanLine {
	if r.Plan == nil {
		return nil
	}
	rep := newReport(r, Meta{})
	var out []PlanLine
	for _, lp := range planOrder(r.Plan) {
		pl := PlanLine{
			Product: lp.Line.Product, PartNumber: lp.Line.PartNumber, Description: lp.Line.Description,
			Today: rep.mixWords(lp, true), Recommended: rep.mixWords(lp, false), ExpectedSaving: lp.ExpectedSaving,
			Delivers: planMonth(r.Plan, lp.QualificationMonth), Payback: paybackText(r.Plan, lp),
			RequiredByCap: lp.RequiredByCap, AboveCap: breaksText(lp, capStageWord),
		}
		if !lp.Changed {
			pl.Recommended = "today's mix, kept"
		}
		if up := stagesWith(hhiMoves(lp), hhiRises); lp.Changed && len(up) > 0 {
			pl.HHIRises = stageWords(up)
		}
		out = append(out, pl)
	}
	return out
}

// PlanParagraph is the Summary's recommendation paragraph.
func PlanParagraph(r *exposure.Result) string {
	return newReport(r, Meta{}).planParagraph()
}

// unknownStagesText names the stages where no country is known under the
// plan: the cap cannot be judged there, so "within the cap" says so.
func unknownStagesText(lp *exposure.LinePlan) string {
	var unknown []string
	for _, g := range capStageOrder {
		if g == exposure.StageHRESeparation && !lp.Heavy {
			continue
		}
		if !lp.HHIAfter[g].Known {
			unknown = append(unknown, capStageShort(g))
		}
	}
	if len(unknown) == 0 {
		return ""
	}
	return " where a country is known; unknown at " + joinAnd(unknown)
}
