package exposure

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Errors Compute returns. They name rows by their Ref but no cells: only
// the inputs package knows about cells.
var (
	// ErrAmbiguousRule: two Controls or Tariffs rows are equally specific
	// for the same element (or part), class and month.
	ErrAmbiguousRule = errors.New("two rows are equally specific")
	// ErrNotTree: a line is its own ancestor or names a parent out of range.
	ErrNotTree = errors.New("the BOM is not a tree")
	// ErrHorizon: the horizon is shorter than a year.
	ErrHorizon = errors.New("the horizon must be at least 12 months")
)

var (
	zero    = decimal.Zero
	one     = decimal.NewFromInt(1)
	hundred = decimal.NewFromInt(100)
	twelve  = decimal.NewFromInt(12)
	// carryDivisor turns rate (percent a year) × delay (days) into a
	// fraction of unit cost: 100 · 365.
	carryDivisor = decimal.NewFromInt(36500)
)

// divPlaces is where the few unavoidable divisions (by 12 months and by
// 365 days) are rounded: far below any displayed cent.
const divPlaces = 18

// rareEarths are the 17 elements the exposure figures count.
var rareEarths = map[string]bool{
	"Sc": true, "Y": true, "La": true, "Ce": true, "Pr": true, "Nd": true, "Pm": true, "Sm": true, "Eu": true,
	"Gd": true, "Tb": true, "Dy": true, "Ho": true, "Er": true, "Tm": true, "Yb": true, "Lu": true,
}

// allElementsCount is how many elements `*` counts as when rows are ranked
// by specificity.
const allElementsCount = 17

// model holds what Compute derived from the input, so that Parts can
// produce per-line figures on demand.
type model struct {
	in       *Input
	horizon  int
	elements []string       // elements present in the BOM, in first-seen order
	elemIdx  map[string]int // symbol → index in elements
	prodIdx  map[string]int

	qty         []decimal.Decimal // exploded quantity per unit of product
	level       []int
	costBearing []bool
	srcProfile  [][]*profile // per line, per source

	scen     []*scenarioTables
	profiles []*profile
	// byProduct lists, per product, the profiles that hold any of its lines.
	byProduct [][]*profile
	// stageKg is the annual rare-earth kg by stage and (real) country.
	stageKg [NumStages]map[string]decimal.Decimal
	// controllers are the controlling countries of the settings and the
	// scenarios; classKeys memoises classKey.
	controllers []string
	classKeys   map[string]string
}

// scenarioTables are one scenario's Controls resolved per element, class
// and month.
type scenarioTables struct {
	sc       *Scenario
	spot     decimal.Decimal // spot premium as a fraction
	tariffs  []resolvedTariff
	priceMul [][][NumClasses]decimal.Decimal // [t][e][k] price_ek · uplift/100
	avail    [][][NumClasses]decimal.Decimal // [t][e][k] fraction available
	delay    [][][NumClasses]decimal.Decimal // [t][e][k] days
	rowOf    [][][NumClasses]int32           // [t][e][k] index of the Controls row that applies, -1 for none
}

type resolvedTariff struct {
	t        *Tariff
	from, to int
	hsDigits string
}

// profile is what every source with the same countries, material family,
// element set, HS code and material shares: its per-scenario monthly
// factors. BOMs have few distinct profiles, so lines are aggregated by
// them.
type profile struct {
	key       string
	countries [NumStages]string
	family    string
	material  string
	hs        string
	elems     []int // element indexes with m_e > 0

	perScen  []profileScenario
	ctrlProb [NumClasses]decimal.Decimal // class probabilities under the settings' controlling country
	// agg holds, per product, Σ Q·x·m_e by element and Σ Q·x·b·c over the
	// sources with this profile.
	agg []aggregate
	// parts caches per-line factors by scenario and product (see factorsFor).
	parts [][]*partFactors
}

type aggregate struct {
	mass []decimal.Decimal // per element index
	cost decimal.Decimal
	used bool // some line of the product has this profile
}

// profileScenario holds one scenario's factors for one profile.
type profileScenario struct {
	prob [NumClasses]decimal.Decimal
	// g[t][e]: Σ_k P(k)·price_ek·uplift/100, per kg of element e.
	g [][]decimal.Decimal
	// f[t]: shortage, carrying and tariff as fractions of unit cost.
	f []Split
	// Sums over months 1..12 and 1..H, and month 1.
	gAnnual []decimal.Decimal
	fAnnual Split
}

// Compute applies every scenario of in to its BOM (SPEC sections 3 and 5).
func Compute(in Input) (*Result, error) {
	if in.Settings.Horizon < 12 {
		return nil, fmt.Errorf("%w (got %d)", ErrHorizon, in.Settings.Horizon)
	}
	m := &model{in: &in, horizon: in.Settings.Horizon, elemIdx: map[string]int{}, prodIdx: map[string]int{}}
	for i, p := range in.BOM.Products {
		m.prodIdx[p.ID] = i
	}
	m.byProduct = make([][]*profile, len(in.BOM.Products))
	for i := range in.BOM.Lines {
		if _, ok := m.prodIdx[in.BOM.Lines[i].Product]; !ok {
			return nil, fmt.Errorf("%w: %s belongs to product %q, which is not among the products", ErrNotTree, in.BOM.Lines[i].Ref, in.BOM.Lines[i].Product)
		}
	}
	in.Scenarios = append([]Scenario(nil), in.Scenarios...) // the defaults below stay ours
	for i := range in.Scenarios {
		if in.Scenarios[i].Country == "" {
			in.Scenarios[i].Country = in.Settings.ControllingCountry
		}
	}
	if err := m.explode(); err != nil {
		return nil, err
	}
	m.collectElements()
	for i := range in.Scenarios {
		st, err := m.resolveControls(&in.Scenarios[i])
		if err != nil {
			return nil, err
		}
		m.scen = append(m.scen, st)
	}
	if err := m.buildProfiles(); err != nil {
		return nil, err
	}
	return m.result(), nil
}

// explode computes each line's exploded quantity, level and whether it
// bears cost, walking up parents with memoisation.
func (m *model) explode() error {
	lines := m.in.BOM.Lines
	n := len(lines)
	m.qty = make([]decimal.Decimal, n)
	m.level = make([]int, n)
	m.costBearing = make([]bool, n)
	hasChild := make([]bool, n)
	for _, l := range lines {
		if l.Parent >= n || l.Parent < -1 {
			return fmt.Errorf("%w: %s names a parent out of range", ErrNotTree, l.Ref)
		}
		if l.Parent >= 0 {
			hasChild[l.Parent] = true
		}
	}
	const (
		unseen = 0
		onPath = 1
		done   = 2
	)
	state := make([]uint8, n)
	var path []int
	for i := range lines {
		path = path[:0]
		j := i
		for j >= 0 && state[j] != done {
			if state[j] == onPath {
				return fmt.Errorf("%w: %s is its own ancestor", ErrNotTree, lines[j].Ref)
			}
			state[j] = onPath
			path = append(path, j)
			j = lines[j].Parent
		}
		for k := len(path) - 1; k >= 0; k-- {
			l := path[k]
			p := lines[l].Parent
			if p < 0 {
				m.qty[l] = lines[l].QtyPer
				m.level[l] = 1
			} else {
				m.qty[l] = lines[l].QtyPer.Mul(m.qty[p])
				m.level[l] = m.level[p] + 1
			}
			state[l] = done
		}
	}
	for i := range lines {
		m.costBearing[i] = m.in.Settings.Rollup == RollupAll || !hasChild[i]
	}
	return nil
}

func (m *model) collectElements() {
	for _, l := range m.in.BOM.Lines {
		for _, c := range l.Content {
			if _, ok := m.elemIdx[c.Element]; !ok && c.Kg.Sign() > 0 {
				m.elemIdx[c.Element] = len(m.elements)
				m.elements = append(m.elements, c.Element)
			}
		}
	}
}

// monthIndex resolves a Month of a rule to a projection month; open ends
// become 1 and the horizon.
func (m *model) window(from, to Month) (int, int) {
	lo, hi := 1, m.horizon
	if !from.IsZero() {
		lo = from.Index(m.in.Settings.Start)
	}
	if !to.IsZero() {
		hi = to.Index(m.in.Settings.Start)
	}
	return lo, hi
}

// controlMatches reports whether row c covers element e.
func (m *model) controlCovers(c *Control, e string) bool {
	if c.AllElements {
		_, priced := m.in.Prices[e]
		return priced
	}
	for _, x := range c.Elements {
		if x == e {
			return true
		}
	}
	return false
}

// controlRank orders rows by specificity: fewer elements first, then a
// named class. Lower is more specific.
func controlRank(c *Control) (int, int) {
	n := len(c.Elements)
	if c.AllElements {
		n = allElementsCount
	}
	cls := 0
	if c.Class == AnyClass {
		cls = 1
	}
	return n, cls
}

// priceOf returns the reference price of e for class k: China-origin for
// direct and upstream, ex-China (falling back to China) for free.
func (m *model) priceOf(e string, k Class) decimal.Decimal {
	p, ok := m.in.Prices[e]
	if !ok {
		return zero
	}
	if k == ClassFree && p.ExChina.Sign() > 0 {
		return p.ExChina
	}
	return p.China
}

// resolveControls finds, for every BOM element, class and month of the
// horizon, the one Controls row of sc that applies.
func (m *model) resolveControls(sc *Scenario) (*scenarioTables, error) {
	H, E := m.horizon, len(m.elements)
	st := &scenarioTables{sc: sc, spot: sc.SpotPremium.Value.Div(hundred)}
	type win struct{ lo, hi int }
	wins := make([]win, len(sc.Controls))
	for i := range sc.Controls {
		lo, hi := m.window(sc.Controls[i].From, sc.Controls[i].To)
		wins[i] = win{lo, hi}
	}
	alloc := func() [][][NumClasses]decimal.Decimal {
		out := make([][][NumClasses]decimal.Decimal, H+1)
		for t := range out {
			out[t] = make([][NumClasses]decimal.Decimal, E)
		}
		return out
	}
	st.priceMul, st.avail, st.delay = alloc(), alloc(), alloc()
	st.rowOf = make([][][NumClasses]int32, H+1)
	for t := 1; t <= H; t++ {
		st.rowOf[t] = make([][NumClasses]int32, E)
		for e, sym := range m.elements {
			for k := Class(0); k < NumClasses; k++ {
				best, tie := -1, -1
				for i := range sc.Controls {
					c := &sc.Controls[i]
					if t < wins[i].lo || t > wins[i].hi || (c.Class != AnyClass && c.Class != k) || !m.controlCovers(c, sym) {
						continue
					}
					if best < 0 {
						best = i
						continue
					}
					n1, c1 := controlRank(c)
					n0, c0 := controlRank(&sc.Controls[best])
					switch {
					case n1 < n0 || (n1 == n0 && c1 < c0):
						best, tie = i, -1
					case n1 == n0 && c1 == c0 && tie < 0:
						tie = i
					}
				}
				if tie >= 0 {
					return nil, fmt.Errorf("%w: scenario %s: %s and %s both apply to %s, class %s, month %s",
						ErrAmbiguousRule, sc.ID, sc.Controls[best].Ref, sc.Controls[tie].Ref, sym, k, m.monthName(t))
				}
				st.rowOf[t][e][k] = int32(best)
				if best < 0 {
					st.avail[t][e][k] = one
					continue
				}
				c := &sc.Controls[best]
				st.priceMul[t][e][k] = m.priceOf(sym, k).Mul(c.Uplift.Value).Div(hundred)
				st.avail[t][e][k] = c.Availability.Value.Div(hundred)
				st.delay[t][e][k] = c.Delay.Value
			}
		}
	}
	for i := range sc.Tariffs {
		tr := &sc.Tariffs[i]
		if tr.ImportCountry != m.in.Settings.ImportCountry {
			continue
		}
		lo, hi := m.window(tr.From, tr.To)
		st.tariffs = append(st.tariffs, resolvedTariff{t: tr, from: lo, to: hi, hsDigits: digitsOnly(tr.HSPrefix)})
	}
	return st, nil
}

// monthName returns projection month t as YYYY-MM.
func (m *model) monthName(t int) string {
	s := m.in.Settings.Start
	idx := s.Year*12 + int(s.Month) - 1 + t - 1
	return fmt.Sprintf("%04d-%02d", idx/12, idx%12+1)
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// classProbabilities returns P(direct), P(upstream), P(free) of a source
// with the given stage countries for controlling country c (SPEC section 3).
func (m *model) classProbabilities(countries [NumStages]string, family, c string) [NumClasses]decimal.Decimal {
	policy := m.in.Settings.UnknownOrigin
	unknownIs := func(g Stage) decimal.Decimal {
		switch policy {
		case UnknownControlling:
			return one
		case UnknownFree:
			return zero
		}
		return m.worldShare(g, family, c)
	}
	var pd decimal.Decimal
	switch comp := countries[StageComponent]; {
	case comp == c:
		pd = one
	case comp != "":
		pd = zero
	default:
		pd = unknownIs(StageComponent)
	}
	// P(any upstream stage in C): 1 when a known one is, else one minus
	// the chance that no unknown one is.
	notAny := one
	for g := StageMine; g < StageComponent; g++ {
		switch countries[g] {
		case c:
			notAny = zero
		case "":
			notAny = notAny.Mul(one.Sub(unknownIs(g)))
		}
	}
	pu := one.Sub(pd).Mul(one.Sub(notAny))
	return [NumClasses]decimal.Decimal{pd, pu, one.Sub(pd).Sub(pu)}
}

// worldShare returns country c's share of world output at stage g, from
// the family's rows when there are any, else from the general rows.
func (m *model) worldShare(g Stage, family, c string) decimal.Decimal {
	found := false
	share := zero
	for _, s := range m.in.StageShares {
		if s.Stage == g && s.Family == family && family != "" {
			found = true
			if s.Country == c {
				share = s.Share
			}
		}
	}
	if found {
		return share
	}
	for _, s := range m.in.StageShares {
		if s.Stage == g && s.Family == "" && s.Country == c {
			return s.Share
		}
	}
	return zero
}

func (m *model) familyOf(material string) string {
	if mat, ok := m.in.Materials[material]; ok {
		return mat.Family
	}
	return ""
}

// buildProfiles gives every source its profile and adds the line to the
// profile's per-product aggregate.
func (m *model) buildProfiles() error {
	byKey := map[string]*profile{}
	lines := m.in.BOM.Lines
	m.srcProfile = make([][]*profile, len(lines))
	cn := m.canonicaliser()
	for g := range m.stageKg {
		m.stageKg[g] = map[string]decimal.Decimal{}
	}
	var kb strings.Builder
	elems := make([]int, 0, 8)
	for i := range lines {
		l := &lines[i]
		elems = elems[:0]
		var reKg decimal.Decimal // rare-earth kg per unit of the part
		for _, c := range l.Content {
			if c.Kg.Sign() > 0 {
				elems = append(elems, m.elemIdx[c.Element])
				if rareEarths[c.Element] {
					reKg = reKg.Add(c.Kg)
				}
			}
		}
		sort.Ints(elems)
		family := m.familyOf(l.Material)
		hs, material := cn.hs(digitsOnly(l.HSCode)), cn.material(l.Material)
		m.srcProfile[i] = make([]*profile, len(l.Sources))
		pi := m.prodIdx[l.Product]
		annualRE := reKg.Mul(m.qty[i]).Mul(m.in.BOM.Products[pi].AnnualVolume)
		for j := range l.Sources {
			src := &l.Sources[j]
			if !annualRE.IsZero() {
				kg := annualRE.Mul(src.Share)
				for g, c := range src.Countries {
					m.stageKg[g][c] = m.stageKg[g][c].Add(kg)
				}
			}
			var countries [NumStages]string
			for g, c := range src.Countries {
				countries[g] = cn.country(c)
			}
			kb.Reset()
			kb.WriteString(m.classKey(countries, family))
			kb.WriteByte('|')
			kb.WriteString(countries[StageComponent])
			kb.WriteByte('|')
			kb.WriteString(material)
			kb.WriteByte('|')
			kb.WriteString(hs)
			for _, e := range elems {
				kb.WriteByte('|')
				kb.WriteString(strconv.Itoa(e))
			}
			key := kb.String()
			p := byKey[key]
			if p == nil {
				p = &profile{key: key, countries: countries, family: family, material: material, hs: hs,
					elems: append([]int(nil), elems...)}
				if err := m.fillProfile(p); err != nil {
					return err
				}
				byKey[key] = p
				m.profiles = append(m.profiles, p)
			}
			m.srcProfile[i][j] = p
			m.aggregate(p, pi, i, src)
		}
	}
	return nil
}

// classKey returns a key for the class probabilities of a source under
// every controlling country the model uses: sources whose stage countries
// differ but whose probabilities agree (CN/CN/JP/JP and CN/JP/CN/JP are
// both upstream) share a profile.
func (m *model) classKey(countries [NumStages]string, family string) string {
	memo := strings.Join(countries[:], "|") + "|" + family
	if k, ok := m.classKeys[memo]; ok {
		return k
	}
	var b strings.Builder
	for _, c := range m.controllers {
		for _, p := range m.classProbabilities(countries, family, c) {
			b.WriteString(p.String())
			b.WriteByte(',')
		}
	}
	if m.classKeys == nil {
		m.classKeys = map[string]string{}
	}
	m.classKeys[memo] = b.String()
	return b.String()
}

// canonicaliser maps a source's attributes to what the scenarios can tell
// apart, so that sources the cost model treats alike share one profile: a
// country no scenario, tariff or setting names becomes "*" (elsewhere), an
// HS code its longest prefix named by a tariff row, a material "" unless a
// tariff row names it. A BOM of a million lines then has hundreds of
// profiles, not hundreds of thousands.
type canonicaliser struct {
	countries map[string]bool
	prefixes  []string
	materials map[string]bool
}

func (m *model) canonicaliser() *canonicaliser {
	cn := &canonicaliser{countries: map[string]bool{"": true, m.in.Settings.ControllingCountry: true, m.in.Settings.ImportCountry: true}, materials: map[string]bool{}}
	m.controllers = []string{m.in.Settings.ControllingCountry}
	for _, st := range m.scen {
		if !slices.Contains(m.controllers, st.sc.Country) {
			m.controllers = append(m.controllers, st.sc.Country)
		}
		cn.countries[st.sc.Country] = true
		for _, rt := range st.tariffs {
			cn.countries[rt.t.Origin] = true
			cn.prefixes = append(cn.prefixes, rt.hsDigits)
			if rt.t.Material != "" {
				cn.materials[strings.ToUpper(rt.t.Material)] = true
			}
		}
	}
	return cn
}

func (cn *canonicaliser) country(c string) string {
	if cn.countries[c] {
		return c
	}
	return "*"
}

func (cn *canonicaliser) hs(digits string) string {
	best := ""
	for _, p := range cn.prefixes {
		if len(p) > len(best) && strings.HasPrefix(digits, p) {
			best = p
		}
	}
	if best == "" && digits != "" {
		return "0" // some code, matched by no prefix: only rows without one apply
	}
	return best
}

func (cn *canonicaliser) material(code string) string {
	if cn.materials[strings.ToUpper(code)] {
		return code
	}
	return ""
}

func (m *model) aggregate(p *profile, product, line int, src *Source) {
	if p.agg == nil {
		p.agg = make([]aggregate, len(m.in.BOM.Products))
	}
	a := &p.agg[product]
	if !a.used {
		a.used = true
		m.byProduct[product] = append(m.byProduct[product], p)
	}
	if a.mass == nil {
		a.mass = make([]decimal.Decimal, len(m.elements))
	}
	l := &m.in.BOM.Lines[line]
	qx := m.qty[line].Mul(src.Share)
	for _, c := range l.Content {
		if c.Kg.Sign() > 0 {
			e := m.elemIdx[c.Element]
			a.mass[e] = a.mass[e].Add(qx.Mul(c.Kg))
		}
	}
	if m.costBearing[line] {
		a.cost = a.cost.Add(qx.Mul(src.UnitCost))
	}
}

// fillProfile computes the profile's factors for every scenario and month.
func (m *model) fillProfile(p *profile) error {
	H, E := m.horizon, len(m.elements)
	p.perScen = make([]profileScenario, len(m.scen))
	rate := m.in.Settings.CarryingRate
	for s, st := range m.scen {
		ps := &p.perScen[s]
		ps.prob = m.classProbabilities(p.countries, p.family, st.sc.Country)
		ps.g = make([][]decimal.Decimal, H+1)
		ps.f = make([]Split, H+1)
		ps.gAnnual = make([]decimal.Decimal, E)
		for t := 1; t <= H; t++ {
			ps.g[t] = make([]decimal.Decimal, E)
			minAvail, maxDelay := one, zero
			for _, e := range p.elems {
				var g, a, d decimal.Decimal
				for k := Class(0); k < NumClasses; k++ {
					pk := ps.prob[k]
					if pk.IsZero() {
						continue
					}
					g = g.Add(pk.Mul(st.priceMul[t][e][k]))
					a = a.Add(pk.Mul(st.avail[t][e][k]))
					d = d.Add(pk.Mul(st.delay[t][e][k]))
				}
				ps.g[t][e] = g
				if a.LessThan(minAvail) {
					minAvail = a
				}
				if d.GreaterThan(maxDelay) {
					maxDelay = d
				}
			}
			tariff, err := m.tariffFraction(st, p, ps.prob[ClassDirect], t)
			if err != nil {
				return err
			}
			ps.f[t] = Split{
				Shortage: one.Sub(minAvail).Mul(st.spot),
				Carrying: rate.Mul(maxDelay).DivRound(carryDivisor, divPlaces),
				Tariff:   tariff,
			}
			if t <= 12 {
				for _, e := range p.elems {
					ps.gAnnual[e] = ps.gAnnual[e].Add(ps.g[t][e])
				}
				ps.fAnnual = ps.fAnnual.Add(ps.f[t])
			}
		}
	}
	return nil
}

// tariffFraction returns the added tariff of projection month t as a
// fraction of unit cost. A source whose component country is unknown is
// costed as made in the controlling country with weight P(direct) and as
// made elsewhere (only `*` origin rows) with the rest.
func (m *model) tariffFraction(st *scenarioTables, p *profile, pDirect decimal.Decimal, t int) (decimal.Decimal, error) {
	origin := p.countries[StageComponent]
	if origin != "" {
		pct, err := m.tariffPct(st, p, origin, t)
		return pct.Div(hundred), err
	}
	// A weight of 0 leaves its rows out, so that they cannot tie.
	var asC, elsewhere decimal.Decimal
	var err error
	if pDirect.Sign() > 0 {
		if asC, err = m.tariffPct(st, p, st.sc.Country, t); err != nil {
			return zero, err
		}
	}
	if pDirect.LessThan(one) {
		if elsewhere, err = m.tariffPct(st, p, "", t); err != nil {
			return zero, err
		}
	}
	return pDirect.Mul(asC).Add(one.Sub(pDirect).Mul(elsewhere)).Div(hundred), nil
}

// tariffPct returns the added tariff, percent, of the most specific
// Tariffs row for a part of profile p made in origin in month t.
func (m *model) tariffPct(st *scenarioTables, p *profile, origin string, t int) (decimal.Decimal, error) {
	rt, err := m.tariffRow(st, p, origin, t)
	if rt == nil || err != nil {
		return zero, err
	}
	return rt.t.Pct.Value, nil
}

// tariffRow finds the most specific Tariffs row for a part of profile p
// made in origin ("" = somewhere other than any named origin) in month t;
// nil when none applies.
func (m *model) tariffRow(st *scenarioTables, p *profile, origin string, t int) (*resolvedTariff, error) {
	var best, tie *resolvedTariff
	var bestRank [3]int
	for i := range st.tariffs {
		rt := &st.tariffs[i]
		tr := rt.t
		if t < rt.from || t > rt.to {
			continue
		}
		if tr.Origin != "*" && (origin == "" || tr.Origin != origin) {
			continue
		}
		if !strings.HasPrefix(p.hs, rt.hsDigits) || (rt.hsDigits != "" && p.hs == "") {
			continue
		}
		if tr.Material != "" && !strings.EqualFold(tr.Material, p.material) {
			continue
		}
		rank := [3]int{0, len(rt.hsDigits), 0}
		if tr.Origin != "*" {
			rank[0] = 1
		}
		if tr.Material != "" {
			rank[2] = 1
		}
		if best == nil || rankAbove(rank, bestRank) {
			best, bestRank, tie = rt, rank, nil
			continue
		}
		if rank == bestRank && tie == nil {
			tie = rt
		}
	}
	if tie != nil {
		return nil, fmt.Errorf("%w: scenario %s: %s and %s both apply to HS %q material %q origin %s, month %s",
			ErrAmbiguousRule, st.sc.ID, best.t.Ref, tie.t.Ref, p.hs, p.material, originName(origin), m.monthName(t))
	}
	return best, nil
}

// rankAbove compares tariff specificity: a named origin, then more HS
// digits, then a named material.
func rankAbove(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

func originName(o string) string {
	if o == "" {
		return "unknown (not the controlling country)"
	}
	return o
}
