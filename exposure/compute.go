package exposure

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// heavyRareEarths are the elements whose separation stage is the source's
// heavy-rare-earth separation country (SPEC section 3).
var heavyRareEarths = map[string]bool{
	"Gd": true, "Tb": true, "Dy": true, "Ho": true, "Er": true, "Tm": true, "Yb": true, "Lu": true, "Y": true,
}

// Element kinds for class probabilities: light elements separate where
// the source's separation country says, heavy ones where its
// heavy-rare-earth separation country says.
const (
	light = 0
	heavy = 1
)

// classProbs are a source's class probabilities for light and for heavy
// elements.
type classProbs [2][NumClasses]decimal.Decimal

// allElementsCount is how many elements `*` counts as when rows are ranked
// by specificity.
const allElementsCount = 17

// model holds what Compute derived from the input, so that Parts can
// produce per-line figures on demand.
type model struct {
	ctx      context.Context // nil: never stopped
	in       *Input
	horizon  int
	elements []string       // elements present in the BOM, in first-seen order
	elemIdx  map[string]int // symbol → index in elements
	elemKind []int          // light or heavy, by element index
	prodIdx  map[string]int
	// importOf is each product's import country: its own, else the
	// settings'.
	importOf []string

	qty         []decimal.Decimal // exploded quantity per unit of product
	level       []int
	costBearing []bool
	srcProfile  [][]*profile // per line, per source
	// risk lists, per product, the availability mixes of its lines with
	// content, for units at risk (see riskSet).
	risk []riskSet

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
	sc      *Scenario
	spot    decimal.Decimal // spot premium as a fraction
	tariffs []resolvedTariff
	wins    []window // per Controls row, its months
	// byHS holds the resolved Controls per canonical HS code (see
	// canonicaliser.hs): a row's hs_prefix decides which lines it reaches.
	byHS map[string]*controlTable
}

type window struct{ lo, hi int }

// controlTable is one scenario's Controls resolved for the lines of one
// canonical HS code, per month, element and class.
type controlTable struct {
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
	id        int // index in model.profiles
	key       string
	countries [NumStages]string
	hreSep    string // heavy-rare-earth separation country
	origin    string // where the part ships from: decides tariffs
	importer  string // the product's import country: whose tariffs apply
	family    string
	material  string
	hs        string
	elems     []int // element indexes with m_e > 0

	perScen  []profileScenario
	ctrlProb classProbs // class probabilities under the settings' controlling country
	// agg holds, per product, Σ Q·x·m_e by element, Σ Q·x·b·c and
	// Σ Q·x·B over the sources with this profile.
	agg []aggregate
	// parts caches per-line factors by scenario and product (see factorsFor).
	parts [][]*partFactors
}

type aggregate struct {
	mass  []decimal.Decimal // per element index
	cost  decimal.Decimal   // Σ Q·x·b·c: what tariffs are charged on
	value decimal.Decimal   // Σ Q·x·B: what shortage and carrying are charged on
	used  bool              // some line of the product has this profile
}

// profileScenario holds one scenario's factors for one profile.
type profileScenario struct {
	prob classProbs
	// g[t][e]: Σ_k P(k)·price_ek·uplift/100, per kg of element e.
	g [][]decimal.Decimal
	// f[t]: shortage and carrying as fractions of the material's value B,
	// tariff as a fraction of unit cost.
	f []Split
	// avail[t]: a_j, the share of the source's demand still to be had.
	avail []decimal.Decimal
	// Sums over months 1..12 and 1..H, and month 1.
	gAnnual []decimal.Decimal
	fAnnual Split
}

// Compute applies every scenario of in to its BOM (SPEC sections 3 and 5).
func Compute(in Input) (*Result, error) {
	return ComputeContext(context.Background(), in)
}

// ComputeContext is Compute stopped early, with ctx's error, once ctx is
// done. The context also stops Recommend on the result.
func ComputeContext(ctx context.Context, in Input) (*Result, error) {
	if err := checkSettings(in.Settings); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := &model{ctx: ctx, in: &in, horizon: in.Settings.Horizon, elemIdx: map[string]int{}, prodIdx: map[string]int{}}
	for i, p := range in.BOM.Products {
		m.prodIdx[p.ID] = i
		imp := p.ImportCountry
		if imp == "" {
			imp = in.Settings.ImportCountry
		}
		m.importOf = append(m.importOf, imp)
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
	r := m.result()
	if err := m.ctxErr(); err != nil {
		return nil, err
	}
	r.Weigh()
	return r, nil
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
			// Below 10^40 by its digits (no allocation), or compared exactly.
			if q := m.qty[l]; q.NumDigits()+int(q.Exponent()) > 40 && q.Abs().GreaterThan(MaxQuantity) {
				return fmt.Errorf("%w: %s: its exploded quantity (the product of qty_per from the product down to it) is beyond 1e40",
					ErrTooLarge, lines[l].Ref)
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
				kind := light
				if heavyRareEarths[c.Element] {
					kind = heavy
				}
				m.elemKind = append(m.elemKind, kind)
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

// controlRank orders rows by specificity: more hs_prefix digits first,
// then fewer elements, then a named class. Lower is more specific.
func controlRank(c *Control) [3]int {
	n := len(c.Elements)
	if c.AllElements {
		n = allElementsCount
	}
	cls := 0
	if c.Class == AnyClass {
		cls = 1
	}
	return [3]int{-len(digitsOnly(c.HSPrefix)), n, cls}
}

// hsMatches reports whether a rule's HS prefix (digits) reaches a line
// whose canonical HS code is hs: a line without a code meets only rules
// without a prefix.
func hsMatches(prefix, hs string) bool {
	return prefix == "" || (hs != "" && strings.HasPrefix(hs, prefix))
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

// resolveControls prepares one scenario: its windows and the Tariffs
// rows; Controls are resolved per HS code on demand (controlTable).
func (m *model) resolveControls(sc *Scenario) (*scenarioTables, error) {
	st := &scenarioTables{sc: sc, spot: sc.SpotPremium.Value.Div(hundred), byHS: map[string]*controlTable{}}
	st.wins = make([]window, len(sc.Controls))
	for i := range sc.Controls {
		lo, hi := m.window(sc.Controls[i].From, sc.Controls[i].To)
		st.wins[i] = window{lo, hi}
	}
	for i := range sc.Tariffs {
		tr := &sc.Tariffs[i]
		lo, hi := m.window(tr.From, tr.To)
		st.tariffs = append(st.tariffs, resolvedTariff{t: tr, from: lo, to: hi, hsDigits: digitsOnly(tr.HSPrefix)})
	}
	return st, nil
}

// controlTable finds, for every BOM element, class and month of the
// horizon, the one Controls row of the scenario that applies to lines of
// canonical HS code hs: the most specific, as a whole (SPEC section 4).
func (m *model) controlTable(st *scenarioTables, hs string) (*controlTable, error) {
	if ct := st.byHS[hs]; ct != nil {
		return ct, nil
	}
	sc := st.sc
	H, E := m.horizon, len(m.elements)
	alloc := func() [][][NumClasses]decimal.Decimal {
		out := make([][][NumClasses]decimal.Decimal, H+1)
		for t := range out {
			out[t] = make([][NumClasses]decimal.Decimal, E)
		}
		return out
	}
	ct := &controlTable{priceMul: alloc(), avail: alloc(), delay: alloc(), rowOf: make([][][NumClasses]int32, H+1)}
	reach := make([]bool, len(sc.Controls))
	for i := range sc.Controls {
		reach[i] = hsMatches(digitsOnly(sc.Controls[i].HSPrefix), hs)
	}
	for t := 1; t <= H; t++ {
		ct.rowOf[t] = make([][NumClasses]int32, E)
		for e, sym := range m.elements {
			for k := Class(0); k < NumClasses; k++ {
				best, tie := -1, -1
				var bestRank [3]int
				for i := range sc.Controls {
					c := &sc.Controls[i]
					if !reach[i] || t < st.wins[i].lo || t > st.wins[i].hi || (c.Class != AnyClass && c.Class != k) || !m.controlCovers(c, sym) {
						continue
					}
					r := controlRank(c)
					switch {
					case best < 0 || rankBelow(r, bestRank):
						best, bestRank, tie = i, r, -1
					case r == bestRank && tie < 0:
						tie = i
					}
				}
				if tie >= 0 {
					return nil, fmt.Errorf("%w: scenario %s: %s and %s both apply to %s, class %s, HS %s, month %s",
						ErrAmbiguousRule, sc.ID, sc.Controls[best].Ref, sc.Controls[tie].Ref, sym, k, hsName(hs), m.monthName(t))
				}
				ct.rowOf[t][e][k] = int32(best)
				if best < 0 {
					ct.avail[t][e][k] = one
					continue
				}
				c := &sc.Controls[best]
				ct.priceMul[t][e][k] = m.priceOf(sym, k).Mul(c.Uplift.Value).Div(hundred)
				ct.avail[t][e][k] = c.Availability.Value.Div(hundred)
				ct.delay[t][e][k] = c.Delay.Value
			}
		}
	}
	st.byHS[hs] = ct
	return ct, nil
}

// rankBelow reports whether rank a is more specific than b (lower sorts first).
func rankBelow(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// hsName describes a canonical HS code in a message.
func hsName(hs string) string {
	switch hs {
	case "":
		return "none"
	case noPrefix:
		return "(matched by no prefix)"
	}
	return hs + "…"
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

// classProbabilities returns P(direct), P(upstream), P(free), for light
// and for heavy elements, of a source with the given stage countries and
// heavy-rare-earth separation country, for controlling country c (SPEC
// section 3). Heavy elements take hreSep, and the world share of heavy
// separation, in place of the separation stage.
func (m *model) classProbabilities(countries [NumStages]string, hreSep, family, c string) classProbs {
	var out classProbs
	out[light] = m.classProbs(countries, StageSeparation, family, c)
	countries[StageSeparation] = hreSep
	out[heavy] = m.classProbs(countries, StageHRESeparation, family, c)
	return out
}

// classProbs is classProbabilities for one kind of element, whose
// separation stage's world shares are those of sepStage.
func (m *model) classProbs(countries [NumStages]string, sepStage Stage, family, c string) [NumClasses]decimal.Decimal {
	var pd decimal.Decimal
	switch comp := countries[StageComponent]; {
	case comp == c:
		pd = one
	case comp != "":
		pd = zero
	default:
		pd = m.unknownIn(StageComponent, family, c)
	}
	// P(any upstream stage in C): 1 when a known one is, else one minus
	// the chance that no unknown one is.
	notAny := one
	for g := StageMine; g < StageComponent; g++ {
		share := g
		if g == StageSeparation {
			share = sepStage
		}
		switch countries[g] {
		case c:
			notAny = zero
		case "":
			notAny = notAny.Mul(one.Sub(m.unknownIn(share, family, c)))
		}
	}
	pu := one.Sub(pd).Mul(one.Sub(notAny))
	return [NumClasses]decimal.Decimal{pd, pu, one.Sub(pd).Sub(pu)}
}

// unknownIn is the chance that a stage g whose country is unknown is in
// c, under the unknown-origin policy.
func (m *model) unknownIn(g Stage, family, c string) decimal.Decimal {
	switch m.in.Settings.UnknownOrigin {
	case UnknownControlling:
		return one
	case UnknownFree:
		return zero
	}
	return m.worldShare(g, family, c)
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
		if s.Stage == g && s.Family == "" {
			found = true
			if s.Country == c {
				return s.Share
			}
		}
	}
	if !found && g == StageHRESeparation {
		return m.worldShare(StageSeparation, family, c) // no heavy-separation rows: as separation
	}
	return zero
}

func (m *model) familyOf(material string) string {
	if mat, ok := m.in.Materials[material]; ok {
		return mat.Family
	}
	return ""
}

// origin returns the source's origin country, defaulted as the reader
// does (SPEC section 2): an empty origin takes the component country.
func (src *Source) origin() string {
	if src.Origin != "" {
		return src.Origin
	}
	return src.Countries[StageComponent]
}

// hreSeparation returns where the source's heavy rare earths are
// separated: an empty heavy-separation country takes the separation one.
func (src *Source) hreSeparation() string {
	if src.HRESeparation != "" {
		return src.HRESeparation
	}
	return src.Countries[StageSeparation]
}

// materialValue returns B of SPEC section 3 for one unit of the line: the
// material's mass times its price per kg where both are known, else the
// content's value at China-origin prices over every priced element (a
// SmCo magnet's cobalt too); 0 without rare-earth content.
func (m *model) materialValue(l *Line) decimal.Decimal {
	if !hasRareEarth(l) {
		return zero
	}
	if l.MaterialKg.Sign() > 0 {
		if mat, ok := m.in.Materials[l.Material]; ok && mat.PricePerKg.Sign() > 0 {
			return l.MaterialKg.Mul(mat.PricePerKg)
		}
	}
	var v decimal.Decimal
	for _, c := range l.Content {
		if p, ok := m.in.Prices[c.Element]; ok && c.Kg.Sign() > 0 {
			v = v.Add(c.Kg.Mul(p.China))
		}
	}
	return v
}

// hasRareEarth reports whether the line holds any of the 17 rare earths.
func hasRareEarth(l *Line) bool {
	for _, c := range l.Content {
		if c.Kg.Sign() > 0 && rareEarths[c.Element] {
			return true
		}
	}
	return false
}

// classKey returns a key for the class probabilities of a source under
// every controlling country the model uses: sources whose stage countries
// differ but whose probabilities agree (CN/CN/JP/JP and CN/JP/CN/JP are
// both upstream) share a profile.
func (m *model) classKey(countries [NumStages]string, hreSep, family string) string {
	memo := strings.Join(countries[:], "|") + "|" + hreSep + "|" + family
	if k, ok := m.classKeys[memo]; ok {
		return k
	}
	var b strings.Builder
	for _, c := range m.controllers {
		for _, kind := range m.classProbabilities(countries, hreSep, family, c) {
			for _, p := range kind {
				b.WriteString(p.String())
				b.WriteByte(',')
			}
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
// country no scenario, tariff, product or setting names becomes "*"
// (elsewhere), an HS code its longest prefix named by a Controls or
// Tariffs row, a material "" unless a tariff row names it. A BOM of a
// million lines then has hundreds of profiles, not hundreds of thousands.
type canonicaliser struct {
	countries map[string]bool
	prefixes  []string
	materials map[string]bool
}

// noPrefix is the canonical HS code of a line whose code no rule's prefix
// matches: only rules without a prefix reach it.
const noPrefix = "-"

func (m *model) canonicaliser() *canonicaliser {
	cn := &canonicaliser{countries: map[string]bool{"": true, m.in.Settings.ControllingCountry: true, m.in.Settings.ImportCountry: true}, materials: map[string]bool{}}
	for _, c := range m.importOf {
		cn.countries[c] = true
	}
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
		for i := range st.sc.Controls {
			if d := digitsOnly(st.sc.Controls[i].HSPrefix); d != "" {
				cn.prefixes = append(cn.prefixes, d)
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
		return noPrefix // some code, matched by no prefix: only rows without one apply
	}
	return best
}

func (cn *canonicaliser) material(code string) string {
	if cn.materials[strings.ToUpper(code)] {
		return code
	}
	return ""
}

// fillProfile computes the profile's factors for every scenario and month.
func (m *model) fillProfile(p *profile) error {
	H, E := m.horizon, len(m.elements)
	p.perScen = make([]profileScenario, len(m.scen))
	rate := m.in.Settings.CarryingRate
	for s, st := range m.scen {
		ct, err := m.controlTable(st, p.hs)
		if err != nil {
			return err
		}
		ps := &p.perScen[s]
		ps.prob = m.classProbabilities(p.countries, p.hreSep, p.family, st.sc.Country)
		ps.g = make([][]decimal.Decimal, H+1)
		ps.f = make([]Split, H+1)
		ps.avail = make([]decimal.Decimal, H+1)
		ps.gAnnual = make([]decimal.Decimal, E)
		for t := 1; t <= H; t++ {
			ps.g[t] = make([]decimal.Decimal, E)
			minAvail, maxDelay := one, zero
			for _, e := range p.elems {
				var g, a, d decimal.Decimal
				prob := &ps.prob[m.elemKind[e]]
				for k := Class(0); k < NumClasses; k++ {
					pk := prob[k]
					if pk.IsZero() {
						continue
					}
					g = g.Add(pk.Mul(ct.priceMul[t][e][k]))
					a = a.Add(pk.Mul(ct.avail[t][e][k]))
					d = d.Add(pk.Mul(ct.delay[t][e][k]))
				}
				ps.g[t][e] = g
				if a.LessThan(minAvail) {
					minAvail = a
				}
				if d.GreaterThan(maxDelay) {
					maxDelay = d
				}
			}
			tariff, err := m.tariffFraction(st, p, t)
			if err != nil {
				return err
			}
			ps.avail[t] = minAvail
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
// fraction of unit cost (SPEC section 4, Tariffs). Rows apply to the
// product's import country; a part made there pays none. A source whose
// origin is unknown is costed as made in the controlling country, with
// the weight of an unknown component stage being there, and as made
// elsewhere (only `*` origin rows) with the rest.
func (m *model) tariffFraction(st *scenarioTables, p *profile, t int) (decimal.Decimal, error) {
	if p.origin == p.importer {
		return zero, nil
	}
	if p.origin != "" {
		pct, err := m.tariffPct(st, p, p.origin, t)
		return pct.Div(hundred), err
	}
	w := m.unknownIn(StageComponent, p.family, st.sc.Country)
	// A weight of 0 leaves its rows out, so that they cannot tie.
	var asC, elsewhere decimal.Decimal
	var err error
	if w.Sign() > 0 && st.sc.Country != p.importer {
		if asC, err = m.tariffPct(st, p, st.sc.Country, t); err != nil {
			return zero, err
		}
	}
	if w.LessThan(one) {
		if elsewhere, err = m.tariffPct(st, p, "", t); err != nil {
			return zero, err
		}
	}
	return w.Mul(asC).Add(one.Sub(w).Mul(elsewhere)).Div(hundred), nil
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
		if t < rt.from || t > rt.to || tr.ImportCountry != p.importer {
			continue
		}
		if tr.Origin != "*" && (origin == "" || tr.Origin != origin) {
			continue
		}
		if !hsMatches(rt.hsDigits, p.hs) {
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
