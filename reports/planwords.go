package reports

import (
	"fmt"
	"math/big"
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

// countryShare is one country's share of a cap stage.
type countryShare struct {
	country string
	share   decimal.Decimal
}

// stageMix is a mix's shares by cap stage (indexed by exposure.Stage, the
// heavy-rare-earth separation last) and country, each stage's countries
// in the order its candidates first name them. A line has a handful of
// candidates: short lists scanned beat the maps of maps this once was,
// made twice for every plan line by each sheet and sentence that asks.
type stageMix [exposure.StageHRESeparation + 1][]countryShare

// of is country c's share of stage g (zero when it has none).
func (m *stageMix) of(g exposure.Stage, c string) decimal.Decimal {
	for _, cs := range m[g] {
		if cs.country == c {
			return cs.share
		}
	}
	return decimal.Decimal{}
}

// sortedCountries is stage g's countries in alphabetical order.
func (m *stageMix) sortedCountries(g exposure.Stage) []string {
	cs := make([]string, len(m[g]))
	for i, x := range m[g] {
		cs[i] = x.country
	}
	sort.Strings(cs)
	return cs
}

// stageShares sums a mix's shares by cap stage and country.
func stageShares(lp *exposure.LinePlan, current bool) *stageMix {
	out := new(stageMix)
	for _, g := range capStageOrder {
		if g == exposure.StageHRESeparation && !lp.Heavy {
			continue
		}
		by := out[g]
	candidates:
		for _, c := range lp.Candidates {
			sh := c.Share
			if current {
				sh = c.CurrentShare
			}
			cc := stageCountry(c, g)
			if cc == "" || sh.Sign() <= 0 {
				continue
			}
			for i := range by {
				if by[i].country == cc {
					by[i].share = by[i].share.Add(sh)
					continue candidates
				}
			}
			by = append(by, countryShare{cc, decimal.Decimal{}.Add(sh)})
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
		for _, c := range after.sortedCountries(g) {
			a, b := after.of(g, c), before.of(g, c)
			if rep.capped(p, lp.Line, c) && roundedGreater(a, b, 4) {
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
//
// The savings are compared as coefficients scaled once to their smallest
// exponent: decimal's comparisons rescale a pair each time their
// exponents differ, a new big.Int per comparison of the sort.
func planOrder(p *exposure.Plan) []*exposure.LinePlan {
	type keyed struct {
		lp  *exposure.LinePlan
		key *big.Int
	}
	ks := make([]keyed, len(p.Lines))
	var low int32
	for i := range p.Lines {
		if e := p.Lines[i].ExpectedSaving.Exponent(); i == 0 || e < low {
			low = e
		}
	}
	ten := big.NewInt(10)
	for i := range p.Lines {
		d := p.Lines[i].ExpectedSaving
		k := d.Coefficient()
		if e := d.Exponent(); e > low {
			k.Mul(k, new(big.Int).Exp(ten, big.NewInt(int64(e-low)), nil))
		}
		ks[i] = keyed{&p.Lines[i], k}
	}
	sort.SliceStable(ks, func(i, j int) bool {
		if c := ks[i].key.Cmp(ks[j].key); c != 0 {
			return c > 0
		}
		return ks[i].lp.Index < ks[j].lp.Index
	})
	out := make([]*exposure.LinePlan, min(len(ks), maxPlanRows))
	for i := range out {
		out[i] = ks[i].lp
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
