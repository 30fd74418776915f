package exposure

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
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
const allElementsCount = len(rareEarthOrder)

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
	level       []int32           // int32: a million lines' levels, held all the run
	costBearing []bool
	// srcBlock holds the profile of every line's sources, line after
	// line: line i's are srcBlock[srcStart[i]:srcStart[i+1]] (see
	// sourceProfiles). One block and an int32 per line, rather than a
	// slice per line: a million slice headers are 24 MB, and pointers
	// the collector scans all the run.
	srcBlock []*profile
	srcStart []int32
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
	// parts caches per-line factors by scenario and product, at
	// s·products + product (see factorsFor): filled as they are first
	// asked for, by the part rows and the plan, which may run at once.
	parts []atomic.Pointer[partFactors]
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
			return nil, fmt.Errorf("%w: %s belongs to product %q, which is not among the products", ErrNotTree, in.BOM.Ref(i), in.BOM.Lines[i].Product)
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
	m.level = make([]int32, n)
	m.costBearing = make([]bool, n)
	hasChild := make([]bool, n)
	for i, l := range lines {
		if int(l.Parent) >= n || l.Parent < -1 {
			return fmt.Errorf("%w: %s names a parent out of range", ErrNotTree, m.in.BOM.Ref(i))
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
	products := qtyProducts{}
	for i := range lines {
		if i%4096 == 0 && m.stopped() { // ComputeContext's context is done
			return m.ctxErr()
		}
		path = path[:0]
		j := i
		for j >= 0 && state[j] != done {
			if state[j] == onPath {
				return fmt.Errorf("%w: %s is its own ancestor", ErrNotTree, m.in.BOM.Ref(j))
			}
			state[j] = onPath
			path = append(path, j)
			j = int(lines[j].Parent)
		}
		for k := len(path) - 1; k >= 0; k-- {
			l := path[k]
			p := lines[l].Parent
			if p < 0 {
				m.qty[l] = lines[l].QtyPer
				m.level[l] = 1
			} else {
				m.qty[l] = products.mul(lines[l].QtyPer, m.qty[p])
				m.level[l] = m.level[p] + 1
			}
			// Below 10^40 by its digits (no allocation), or compared exactly.
			if q := m.qty[l]; q.NumDigits()+int(q.Exponent()) > 40 && q.Abs().GreaterThan(MaxQuantity) {
				return fmt.Errorf("%w: %s: its exploded quantity (the product of qty_per from the product down to it) is beyond 1e40",
					ErrTooLarge, m.in.BOM.Ref(l))
			}
			state[l] = done
		}
	}
	for i := range lines {
		m.costBearing[i] = m.in.Settings.Rollup == RollupAll || !hasChild[i]
	}
	return nil
}

// sourceProfiles returns the profiles of line i's sources, by source.
// The caller must not change them.
func (m *model) sourceProfiles(i int) []*profile {
	lo, hi := m.srcStart[i], m.srcStart[i+1]
	return m.srcBlock[lo:hi:hi]
}

// mulShared is a.Mul(b), with the same coefficient and exponent, but
// when one factor is exactly 1 (coefficient 1, exponent 0) it returns the
// other rather than a new decimal: most parts are used once per parent or
// sit under a parent used once, and a million lines' quantities would
// otherwise each hold a big.Int of their own. Decimals are never changed
// in place, so sharing one is safe.
func mulShared(a, b decimal.Decimal) decimal.Decimal {
	switch {
	case isExactOne(b):
		return a
	case isExactOne(a):
		return b
	}
	return a.Mul(b)
}

// qtyProducts are the exploded quantities made so far, by coefficient
// and exponent: a BOM's quantities take few distinct values, and a
// million lines' own decimals would each hold a big.Int all the run
// (and be made by decimal's Mul, three allocations).
type qtyProducts map[qtyKey]decimal.Decimal

type qtyKey struct {
	coef int64
	exp  int32
}

// maxQtyProducts bounds qtyProducts: past it, quantities are made as
// mulShared makes them.
const maxQtyProducts = 1 << 16

// mul is mulShared(a, b), the same coefficient and exponent, but a
// product already made is shared rather than made again. Decimals are
// never changed in place, so sharing one is safe.
func (q qtyProducts) mul(a, b decimal.Decimal) decimal.Decimal {
	if isExactOne(a) || isExactOne(b) {
		return mulShared(a, b)
	}
	c, ok := dec128.Of(a).Mul(dec128.Of(b)).Coefficient64()
	exp := int64(a.Exponent()) + int64(b.Exponent())
	if !ok || exp != int64(int32(exp)) {
		return a.Mul(b)
	}
	key := qtyKey{c, int32(exp)}
	if d, ok := q[key]; ok {
		return d
	}
	d := a.Mul(b)
	if len(q) < maxQtyProducts {
		q[key] = d
	}
	return d
}

// isExactOne reports whether d is 1 with exponent 0, the form whose
// product with x has x's coefficient and exponent.
func isExactOne(d decimal.Decimal) bool {
	return d.Exponent() == 0 && d.NumDigits() == 1 && d.Equal(one)
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
