package exposure

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// Plan is the diversification plan of SPEC section 8: for every
// cost-bearing line whose cost changes in some scenario and that has at
// least two candidate sources, the shares a linear program chose.
type Plan struct {
	Objective    Objective       // "expected" or "worst"
	CountryCap   decimal.Decimal // percent
	CapCountries []string        // the countries the cap applies to, when given or taken from the scenarios
	CapAll       bool            // the cap applies to every country but each product's import country
	Lines        []LinePlan      // in BOM order, the lines whose plan changes today's mix (or has a note); at most maxLinePlans, the largest expected savings
	Planned      int             // lines with a plan, all of them (Lines may hold fewer)
	Skipped      int             // exposed lines with alternatives left unplanned beyond maxPlannedLines
	Spend        []StageSpend    // over every planned line, by stage then country
	// Exposed counts the cost-bearing lines whose cost changes in some
	// scenario; those with fewer than two candidates have no plan.
	Exposed        int
	Unplanned      []Unplanned     // the largest of them by expected annual change, at most MaxUnplanned
	UnplannedCount int             // all of them
	UnplannedDelta decimal.Decimal // their expected annual change, summed

	// Portfolio totals over Lines.
	CurrentBaseline     decimal.Decimal   // Σ today's annual cost when nothing happens
	Premium             decimal.Decimal   // Σ premiums
	ExpectedSaving      decimal.Decimal   // Σ expected savings
	Current             []decimal.Decimal // per scenario: Σ annual cost of today's mix
	Recommended         []decimal.Decimal // per scenario: Σ annual cost of the recommended mix
	WorstCurrent        int               // scenario where today's mixes cost most together
	WorstRecommended    int               // scenario where the recommended mixes cost most together
	WorstSaving         decimal.Decimal   // Current[WorstCurrent] − Recommended[WorstRecommended]
	Notes               []string          // what the reader should know: programs split, optimiser failures, dropped candidates
	CapNotMet           int               // lines whose cap could not be met
	Changed             int               // lines whose recommended mix differs from today's
	StartMonth          string            // YYYY-MM, the first month of the projection
	IndicativeCandidate bool              // some line's candidates include an embedded default centre

	// The cost of the cap: the lines whose plan costs more in steady state
	// than today's mix (a negative expected saving) because the cap
	// requires it, and the sum of those costs (positive).
	RequiredByCap int
	CostOfCap     decimal.Decimal
	// Over the horizon, after qualification: Σ of the lines' horizon
	// savings (net of qualification costs) and the qualification costs.
	HorizonSaving     decimal.Decimal
	QualificationCost decimal.Decimal
	// Over the lines whose mix changes, set by Tally: how many pay back
	// within the horizon (LinePlan.PaysBack), and the first and last
	// month (1-based) a plan takes effect, 0 when no line changes.
	PaidBack, FirstEffect, LastEffect int
}

// MaxUnplanned is how many exposed lines without alternatives a Plan lists.
const MaxUnplanned = 50

// maxPlannedLines is how many exposed lines one Plan solves at most: those
// with the largest expected annual change (see recContext.limit).
var maxPlannedLines = 20000

// minPlannedQty is the least annual quantity a line must have to be
// planned.
var minPlannedQty = decimal.New(1, -9)

// maxLinePlans is how many line plans a Plan keeps: those with the largest
// expected saving. Totals and Spend cover every planned line.
var maxLinePlans = 5000

// StageSpend is the planned parts' annual spend today (baseline, nothing
// happening) at one stage and country, split by today's shares (Today)
// and by the recommended ones (Planned).
type StageSpend struct {
	Stage          Stage
	Country        string // "" when unknown
	Today, Planned decimal.Decimal
}

// LinePlan is the plan of one BOM line.
type LinePlan struct {
	Index      int   // in BOM.Lines
	Line       *Line // the line
	AnnualQty  decimal.Decimal
	Candidates []Candidate // today's sources first, then the alternatives

	// Annual cost (baseline plus the scenario's change, months 1..12) per
	// scenario, of today's mix and of the recommended one.
	Current, Recommended []decimal.Decimal
	// Annual cost when nothing happens: Σ_j x_j q c_j.
	CurrentBaseline, RecommendedBaseline decimal.Decimal
	Premium                              decimal.Decimal // RecommendedBaseline − CurrentBaseline
	ExpectedSaving                       decimal.Decimal // Σ_s w_s (Current_s − Recommended_s)
	WorstSaving                          decimal.Decimal // max_s Current_s − max_s Recommended_s
	WorstCurrent, WorstRecommended       int             // the scenarios of those maxima

	HHIBefore, HHIAfter [capStages]HHI  // by stage; index StageHRESeparation for lines with heavy rare earths
	CapMet              bool            // every stage and capped country within the cap
	MaxShare            decimal.Decimal // the largest share of one capped country at any stage, recommended
	CapBreaks           []CapBreak      // where the recommended mix exceeds the cap (when it cannot be met)
	Heavy               bool            // the line holds heavy rare earths: the heavy-separation stage counts

	// Timing (SPEC section 8): the plan takes effect when its last new
	// source delivers, in QualificationMonth (Q + 1, 1-based); the
	// horizon saving is the probability-weighted saving over months Q+1..H
	// less the new sources' one-off QualificationCost; PaybackMonth is the
	// first month (≥ Q+1) by which the saving since Q+1 covers those costs
	// and is positive, 0 when none within the horizon.
	QualificationMonth int
	QualificationCost  decimal.Decimal
	HorizonSaving      decimal.Decimal
	PaybackMonth       int
	// RequiredByCap: the plan's steady-state expected saving is negative;
	// the cap, not the cost, asks for it.
	RequiredByCap bool
	Group         int    // lines solved together because they share a capacity have the same Group > 0
	Kept          bool   // the program found nothing better than today's mix, which is kept
	Changed       bool   // the recommended shares differ from today's
	Note          string // e.g. the optimiser failed and the shares are a fallback
}

// Candidate is one source a line could buy from, with today's and the
// recommended share.
type Candidate struct {
	Supplier          string
	Countries         [NumStages]string
	HRESeparation     string // where its heavy rare earths are separated
	Origin            string // where the part ships from ("" for a material-level candidate: see Parts)
	QualificationCost decimal.Decimal
	// MaterialLevel: the candidate keeps today's sources of the part and
	// has their rare-earth-bearing material made by Supplier (an
	// Alternatives row by material, or a default centre); Parts lists the
	// sources it keeps, each with its share of today's mix.
	MaterialLevel       bool
	Parts               []CandidatePart
	UnitCost            decimal.Decimal // report currency
	Capacity            decimal.Decimal // units a year; see HasCapacity
	HasCapacity         bool
	Shared              bool // the capacity is offered to several lines (a row by material)
	QualificationMonths int
	EarliestMonth       string // YYYY-MM: the projection's first month plus the qualification
	Current             bool   // one of today's sources
	Indicative          bool   // an embedded default centre, not a quote
	Ref                 string // "current", or the Alternatives row ("Alternatives!5")
	Source              string // an indicative centre's source and date
	Note                string // what the reference says about an indicative centre
	ByPremium           bool   // UnitCost is today's average unit cost plus PremiumPct
	PremiumPct          decimal.Decimal
	CurrentShare, Share decimal.Decimal
}

// CandidatePart is one of today's sources a material-level candidate
// keeps: its supplier, origin and share within the candidate.
type CandidatePart struct {
	Supplier string
	Origin   string
	Share    decimal.Decimal
}

// HHI is a Herfindahl–Hirschman index in percent points (0–10,000) over
// the known countries of a stage; Known is false when none is known.
type HHI struct {
	Value decimal.Decimal
	Known bool
}

// CapBreak is a stage and capped country whose share stays above the cap,
// and why.
type CapBreak struct {
	Stage   Stage
	Country string
	Share   decimal.Decimal // fraction 0..1
	Why     string          // "no candidate outside it at this stage" or "the candidates outside it lack the capacity"
}

// Unplanned is an exposed line without alternatives.
type Unplanned struct {
	Index     int
	Line      *Line
	AnnualQty decimal.Decimal
	Expected  decimal.Decimal // Σ_s w_s annual delta
	Worst     decimal.Decimal // the largest annual delta
}

// maxClasses is how many classes one program holds: gonum's simplex is
// dense and refactors its basis every step. Larger groups sharing a
// capacity are solved in chunks, largest annual quantity first, each chunk
// getting what the earlier ones left (the Plan's Notes say so).
const maxClasses = 12

// sharePlaces is the grid of the rounded shares.
const sharePlaces = 4

// Recommend computes the diversification plan of r (SPEC section 8) with
// the scenarios' current probabilities (call it after they are final) and
// the settings' country cap and objective.
func Recommend(r *Result) (*Plan, error) {
	plan := &Plan{Objective: r.Settings.Objective, CountryCap: r.Settings.CountryCap}
	if plan.Objective == "" {
		plan.Objective = "expected"
	}
	m := r.model
	if m == nil {
		return plan, nil
	}
	plan.StartMonth = m.monthName(1)
	rc := newRecContext(m, r, plan)
	rc.initCap()
	if err := rc.prepare(); err != nil {
		return nil, err
	}
	rc.evaluate()
	rc.limit()
	rc.classify()
	rc.group()
	rc.solve()
	if err := m.ctxErr(); err != nil { // ComputeContext's context is done
		return nil, err
	}
	rc.finish()
	plan.Tally()
	return plan, nil
}

// recContext carries one Recommend.
type recContext struct {
	m      *model
	r      *Result
	plan   *Plan
	S      int
	w      []decimal.Decimal // scenario probabilities
	wf     []float64
	capf   decimal.Decimal // country cap as a fraction
	capAll bool            // the cap applies to every country but the import country
	capSet map[string]bool // else to these

	byKey   map[string]*profile
	altProf map[altKey]*profile // (base profile, alternative) → profile
	factors map[*profile]*recFactors
	noted   map[string]bool

	work    []lineWork
	classes []*recClass
	units   [][]int // classes of each program group
	res     []recResource
}

type altKey struct {
	base *profile
	alt  int
}

// recFactors are a profile's annual factors per scenario and product, as
// decimals (for the money) and floats (for the program), computed for the
// products that need them.
type recFactors struct {
	id   int
	done []bool         // per product
	dec  []*partFactors // [s*P + product]
	g    [][]float64
	fv   []float64 // shortage + carrying, per unit of B
	fc   []float64 // tariff, per unit of cost
	nz   []bool    // some factor is not zero
	// Probability-weighted monthly factors, t = 1..H: Σ_s w_s g_s[t][e]
	// per kg of element, Σ_s w_s (shortage + carrying) per unit of B and
	// Σ_s w_s tariff per unit of cost. Per unit of the product in a month,
	// not yet scaled by V/12.
	eg     [][]decimal.Decimal
	ev, ec []decimal.Decimal
	// The same in dec128 (expectedMonthly128), when ok128.
	eg128        [][]dec128.Decimal
	ev128, ec128 []dec128.Decimal
	ok128        bool
}

// lineWork is one cost-bearing line being planned.
type lineWork struct {
	line    int
	alts    []int        // indexes in Input.Alternatives
	profs   [][]*profile // per alternative: its profile, or for a material row one per current source
	exposed bool
	cls     int       // its class, -1 when unplanned
	unit    []float64 // per candidate and scenario, for the class (first line of a class only)
	key     string
	expF    float64 // today's expected annual delta, in floats: for ranking only
	// plannable: exposed with two candidates or more; classify gives it
	// its unit figures and class key unless limit skips it.
	plannable bool
	skipped   bool // exposed and plannable, but beyond maxPlannedLines
}

// recClass is a set of lines that are the same per unit of annual
// quantity: same product, content, candidates, costs and today's shares.
type recClass struct {
	lines   []int // indexes in work
	q       decimal.Decimal
	lp      *lpClass
	cands   []Candidate       // template, shares unset
	res     []int             // per candidate: capacity index in rc.res, -1 none
	resCoef []decimal.Decimal // per candidate: capacity used per unit of annual quantity (1 unit, or re_mass_kg)
	capped  [][capStages]string
	heavy   bool // the lines hold heavy rare earths
	group   int
	y       []decimal.Decimal // the rounded shares
	rows    []capRow          // the program's cap rows
	total   float64           // E: the least total excess over the cap
	note    string
	first   *mix              // the first line's costs, when keepIfBetter computed them
	monthly []decimal.Decimal // per unit of annual quantity, month t (1..H): the expected saving; set by linePlan's first line
	// monthly128 is monthly in dec128, when it fits (then monthly is nil).
	monthly128 []dec128.Decimal
	once       sync.Once
}

// recResource is an Alternatives row with a capacity, as used by the plan.
type recResource struct {
	alt     int
	cap     decimal.Decimal
	demand  decimal.Decimal
	binding bool
	classes []int
	lines   int // BOM lines offered the capacity
}

func newRecContext(m *model, r *Result, plan *Plan) *recContext {
	rc := &recContext{m: m, r: r, plan: plan, S: len(m.scen), byKey: map[string]*profile{}, altProf: map[altKey]*profile{},
		factors: map[*profile]*recFactors{}, noted: map[string]bool{}, capf: r.Settings.CountryCap.Div(hundred)}
	for s := range m.scen {
		p := m.in.Scenarios[s].Prior
		if s < len(r.Scenarios) {
			p = r.Scenarios[s].Probability
		}
		rc.w = append(rc.w, p)
		rc.wf = append(rc.wf, p.InexactFloat64())
	}
	for _, p := range m.profiles {
		rc.byKey[p.key] = p
	}
	return rc
}

// initCap decides which countries the cap applies to (--cap-countries):
// a list, every country but the product's import country, or by default
// the controlling countries of the scenarios computed.
func (rc *recContext) initCap() {
	cs := rc.r.Settings.CapCountries
	rc.capAll = cs.All
	rc.capSet = map[string]bool{}
	list := cs.Countries
	if !cs.All && len(list) == 0 {
		for _, sc := range rc.m.in.Scenarios {
			if !slices.Contains(list, sc.Country) {
				list = append(list, sc.Country)
			}
		}
		if len(list) == 0 {
			list = []string{rc.r.Settings.ControllingCountry}
		}
	}
	for _, c := range list {
		rc.capSet[c] = true
	}
	rc.plan.CapAll = cs.All
	if !cs.All {
		rc.plan.CapCountries = list
	}
}

// capped reports whether the cap applies to country c for a product
// built in importer.
func (rc *recContext) capped(c, importer string) bool {
	if c == "" {
		return false
	}
	if rc.capAll {
		return c != importer
	}
	return rc.capSet[c]
}

// cappedCountries lists a candidate's capped countries by cap stage ("" where
// the cap does not apply): its four stages and, for a line holding heavy
// rare earths, its heavy-rare-earth separation.
func (rc *recContext) cappedCountries(countries [NumStages]string, hre string, heavy bool, importer string) [capStages]string {
	var out [capStages]string
	for g, c := range countries {
		if rc.capped(c, importer) {
			out[g] = c
		}
	}
	if heavy && rc.capped(hre, importer) {
		out[StageHRESeparation] = hre
	}
	return out
}

// holdsHeavy reports whether the line holds heavy rare earths.
func (rc *recContext) holdsHeavy(l *Line) bool {
	for _, c := range l.Content {
		if c.Kg.Sign() > 0 && heavyRareEarths[c.Element] {
			return true
		}
	}
	return false
}

func (rc *recContext) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if !rc.noted[s] {
		rc.noted[s] = true
		rc.plan.Notes = append(rc.plan.Notes, s)
	}
}

// prepare picks every cost-bearing line's alternatives and makes sure
// every profile they need has its factors.
func (rc *recContext) prepare() error {
	m := rc.m
	in := m.in
	byPart, byMat, defMat := map[string][]int{}, map[string][]int{}, map[string][]int{}
	for i, a := range in.Alternatives {
		switch {
		case a.Indicative:
			defMat[a.Material] = append(defMat[a.Material], i)
		case a.PartNumber != "":
			byPart[a.PartNumber] = append(byPart[a.PartNumber], i)
		case a.Material != "":
			byMat[a.Material] = append(byMat[a.Material], i)
		}
	}
	rc.work = make([]lineWork, 0, rc.workCapacity()) // a work list of a million lines is not grown by appending
	for i := range in.BOM.Lines {
		l := &in.BOM.Lines[i]
		if !m.costBearing[i] || len(l.Sources) == 0 {
			continue
		}
		pi := m.prodIdx[l.Product]
		// A line bought less than a billionth of a unit a year has nothing
		// to plan, and such magnitudes stall the float simplex.
		if belowPlannedQty(m.qty[i], in.BOM.Products[pi].AnnualVolume) {
			continue
		}
		w := lineWork{line: i, cls: -1}
		alts := byPart[l.PartNumber]
		if len(alts) == 0 && l.Material != "" {
			alts = byMat[l.Material]
			if len(alts) == 0 {
				alts = defMat[l.Material]
			}
		}
		for j := range l.Sources {
			rc.ensureFactors(m.srcProfile[i][j], pi)
		}
		for _, a := range alts {
			alt := &in.Alternatives[a]
			if isCurrent(l, alt) {
				continue
			}
			if alt.PartNumber == "" && (!alt.ByPremium || alt.HasCapacity) && l.MaterialKg.Sign() <= 0 {
				what := "quotes a price per kg of material"
				if alt.ByPremium {
					what = "offers a capacity in kg of material"
				}
				rc.note("%s (%s) %s, but some lines of %s give no re_mass_kg: it is left out of their candidates", alt.Supplier, alt.Ref, what, l.Material)
				continue
			}
			// A part-number row replaces the whole part; a material row
			// keeps each of today's sources and remakes its material.
			bases := m.srcProfile[i][:1]
			if alt.PartNumber == "" {
				bases = m.srcProfile[i]
			}
			var profs []*profile
			var err error
			for _, base := range bases {
				var p *profile
				if p, err = rc.altProfile(base, a); err != nil {
					break
				}
				rc.ensureFactors(p, pi)
				profs = append(profs, p)
			}
			if err != nil {
				rc.note("%s (%s) is left out of the candidates of some lines: %v", alt.Supplier, alt.Ref, err)
				continue
			}
			w.alts = append(w.alts, a)
			w.profs = append(w.profs, profs)
		}
		rc.work = append(rc.work, w)
	}
	return nil
}

// workCapacity is how many lines prepare may plan at most: the
// cost-bearing lines with sources.
func (rc *recContext) workCapacity() int {
	n := 0
	for i := range rc.m.in.BOM.Lines {
		if rc.m.costBearing[i] && len(rc.m.in.BOM.Lines[i].Sources) > 0 {
			n++
		}
	}
	return n
}

// belowPlannedQty reports whether qty·volume < minPlannedQty, in dec128
// when it can.
func belowPlannedQty(qty, volume decimal.Decimal) bool {
	if d := dec128.Of(qty).Mul(dec128.Of(volume)).Sub(dec128.Of(minPlannedQty)); !d.Over() && !noDec128 {
		return d.Sign() < 0
	}
	return qty.Mul(volume).LessThan(minPlannedQty)
}

// isCurrent reports whether an alternative is one of the line's sources
// already: same supplier and stage countries.
func isCurrent(l *Line, a *Alternative) bool {
	for _, s := range l.Sources {
		if strings.EqualFold(strings.TrimSpace(s.Supplier), strings.TrimSpace(a.Supplier)) && s.Countries == a.Countries {
			return true
		}
	}
	return false
}

// altProfile returns the profile of the line's material, HS code and
// elements (those of base) made in the alternative's countries, built and
// filled as Compute builds the current sources' profiles. A material row
// keeps base's origin (the part is still bought where it was).
func (rc *recContext) altProfile(base *profile, a int) (*profile, error) {
	k := altKey{base, a}
	if p, ok := rc.altProf[k]; ok {
		return p, nil
	}
	alt := &rc.m.in.Alternatives[a]
	hreSep, origin := alt.HRESeparation, alt.Origin
	if hreSep == "" {
		hreSep = alt.Countries[StageSeparation]
	}
	if origin == "" {
		origin = alt.Countries[StageComponent]
	}
	if alt.PartNumber == "" {
		// A material row remakes the material inside today's part: the
		// part still ships from where it did, and pays its tariffs.
		origin = base.origin
	}
	var kb strings.Builder
	for _, c := range alt.Countries {
		kb.WriteString(c)
		kb.WriteByte('|')
	}
	for _, part := range []string{hreSep, origin, base.importer, base.family, base.material, base.hs} {
		kb.WriteString(part)
		kb.WriteByte('|')
	}
	for _, e := range base.elems {
		kb.WriteString(strconv.Itoa(e))
		kb.WriteByte(',')
	}
	key := kb.String()
	p := rc.byKey[key]
	if p == nil {
		p = &profile{key: key, countries: alt.Countries, hreSep: hreSep, origin: origin, importer: base.importer,
			family: base.family, material: base.material, hs: base.hs, elems: base.elems}
		if err := rc.m.fillProfile(p); err != nil {
			return nil, err
		}
		rc.byKey[key] = p
	}
	rc.altProf[k] = p
	return p, nil
}

// ensureFactors computes a profile's annual factors for every scenario
// for one product, so that the parallel steps only read them.
func (rc *recContext) ensureFactors(p *profile, pi int) {
	m := rc.m
	P := len(m.in.BOM.Products)
	f := rc.factors[p]
	if f == nil {
		f = &recFactors{id: len(rc.factors), done: make([]bool, P), dec: make([]*partFactors, rc.S*P), g: make([][]float64, rc.S*P),
			fv: make([]float64, rc.S*P), fc: make([]float64, rc.S*P), nz: make([]bool, rc.S*P)}
		rc.factors[p] = f
		rc.expectedMonthly(p, f)
	}
	if f.done[pi] {
		return
	}
	f.done[pi] = true
	vol := m.in.BOM.Products[pi].AnnualVolume
	for s := 0; s < rc.S; s++ {
		d := m.factorsFor(p, s, pi, vol)
		i := s*P + pi
		f.dec[i] = d
		f.g[i] = make([]float64, len(d.gAnnual))
		for e, v := range d.gAnnual {
			if !v.IsZero() {
				f.g[i][e] = v.InexactFloat64()
				f.nz[i] = true
			}
		}
		fv := d.fAnnual.Shortage.Add(d.fAnnual.Carrying)
		f.fv[i], f.fc[i] = fv.InexactFloat64(), d.fAnnual.Tariff.InexactFloat64()
		f.nz[i] = f.nz[i] || !fv.IsZero() || !d.fAnnual.Tariff.IsZero()
	}
}

// expectedMonthly fills f's probability-weighted monthly factors.
func (rc *recContext) expectedMonthly(p *profile, f *recFactors) {
	H, E := rc.m.horizon, len(rc.m.elements)
	f.eg = make([][]decimal.Decimal, H+1)
	f.ev, f.ec = make([]decimal.Decimal, H+1), make([]decimal.Decimal, H+1)
	for t := 1; t <= H; t++ {
		f.eg[t] = make([]decimal.Decimal, E)
		for s := 0; s < rc.S; s++ {
			w := rc.w[s]
			if w.IsZero() {
				continue
			}
			ps := &p.perScen[s]
			for _, e := range p.elems {
				f.eg[t][e] = addProduct(f.eg[t][e], w, ps.g[t][e])
			}
			f.ev[t] = addProduct(f.ev[t], w, ps.f[t].Shortage.Add(ps.f[t].Carrying))
			f.ec[t] = addProduct(f.ec[t], w, ps.f[t].Tariff)
		}
	}
	f.expectedMonthly128()
}

// monthlySaving returns, per unit of the line's annual quantity, the
// expected saving of the recommended mix over today's in each month
// t = 1..H: Σ_j (x_j today − x_j recommended) · (c_j + X_jt) / 12, X_jt
// being candidate j's probability-weighted change of unit cost in month t.
// This is its definition in decimals; monthlySaving128 gives the same.
func (rc *recContext) monthlySavingDecimal(w *lineWork, cur, rec []decimal.Decimal) []decimal.Decimal {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	H := m.horizon
	out := make([]decimal.Decimal, H+1) // Σ_j d_j (c_j + X_jt), divided by 12 at the end
	for j, cd := range rc.candidates(w) {
		d := cur[j].Sub(rec[j])
		if d.IsZero() {
			continue
		}
		for t := 1; t <= H; t++ {
			x := cd.cost
			for _, pt := range cd.parts {
				f := rc.factors[pt.prof]
				var y decimal.Decimal
				for _, cm := range l.Content {
					if cm.Kg.Sign() > 0 {
						y = addProduct(y, cm.Kg, f.eg[t][m.elemIdx[cm.Element]])
					}
				}
				y = addProduct(y, cd.value, f.ev[t])
				y = addProduct(y, pt.cost, f.ec[t])
				x = addProduct(x, pt.weight, y)
			}
			out[t] = out[t].Add(d.Mul(x))
		}
	}
	for t := 1; t <= H; t++ {
		if !out[t].IsZero() {
			out[t] = out[t].DivRound(twelve, divPlaces)
		}
	}
	return out
}

// parallel runs fn(i) for i in [0, n) on every processor.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+63)/64)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value // the first worker's panic, raised again below
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					failed.CompareAndSwap(nil, fmt.Sprint(r))
					next.Store(int64(n)) // the others stop at their next batch
				}
			}()
			for {
				lo := int(next.Add(64)) - 64
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+64, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
	// A panic in a worker would end the program; raised here it reaches
	// the caller's goroutine, where the command recovers it.
	if r := failed.Load(); r != nil {
		panic(fmt.Sprintf("recommendations: %v", r))
	}
}

// candidate is what the line's figures need of one candidate: its parts
// (one for a source or a part-number alternative; for a material-level
// candidate, each of today's sources with its material remade, weighted
// by today's shares), its average unit cost and the value B of the line's
// material.
type candidate struct {
	parts  []candPart
	cost   decimal.Decimal // Σ weight · part cost
	value  decimal.Decimal
	valueF float64
}

// candPart is one way of buying a share of the line within a candidate.
type candPart struct {
	prof           *profile
	cost           decimal.Decimal // unit cost, on which its tariff falls
	weight         decimal.Decimal
	costF, weightF float64 // the same in floats, for the program
}

// newCandPart returns a candPart with its floats.
func newCandPart(p *profile, cost, weight decimal.Decimal) candPart {
	return candPart{prof: p, cost: cost, weight: weight, costF: cost.InexactFloat64(), weightF: weight.InexactFloat64()}
}

// single is a candidate of one part.
func single(p *profile, cost, value decimal.Decimal) candidate {
	return candidate{parts: []candPart{newCandPart(p, cost, one)}, cost: cost, value: value, valueF: value.InexactFloat64()}
}

// candidates lists today's sources, then the alternatives, with their
// unit costs: a part-number row's premium applies to today's average unit
// cost; a material row's to the value B of the line's material, inside
// each of today's sources (c_j + B · premium), or its price per kg
// replaces the material's (c_j − B + re_mass_kg · price) (SPEC section 8).
func (rc *recContext) candidates(w *lineWork) []candidate {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	out, value := rc.sourceCandidates(w, len(l.Sources)+len(w.alts))
	var avg decimal.Decimal
	for _, s := range l.Sources {
		avg = avg.Add(s.Share.Mul(s.UnitCost))
	}
	for k, a := range w.alts {
		alt := &m.in.Alternatives[a]
		if alt.PartNumber != "" {
			c := alt.UnitCost
			if alt.ByPremium {
				c = avg.Mul(one.Add(alt.PremiumPct.Div(hundred)))
			}
			out = append(out, single(w.profs[k][0], c, value))
			continue
		}
		cd := candidate{value: value, valueF: value.InexactFloat64()}
		for j, s := range l.Sources {
			c := s.UnitCost.Sub(value).Add(l.MaterialKg.Mul(alt.UnitCost))
			if alt.ByPremium {
				c = s.UnitCost.Add(value.Mul(alt.PremiumPct).Div(hundred))
			}
			cd.parts = append(cd.parts, newCandPart(w.profs[k][j], c, s.Share))
			cd.cost = cd.cost.Add(s.Share.Mul(c))
		}
		out = append(out, cd)
	}
	return out
}

// sourceCandidates returns the first candidates of candidates, today's
// sources, in a slice of capacity n, and the value B of the line's
// material.
func (rc *recContext) sourceCandidates(w *lineWork, n int) ([]candidate, decimal.Decimal) {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	out := make([]candidate, 0, n)
	value := m.materialValue(l)
	for j, s := range l.Sources {
		out = append(out, single(m.srcProfile[w.line][j], s.UnitCost, value))
	}
	return out, value
}

// unitDelta returns a candidate's annual delta per unit of the line's
// exploded quantity, X_s in A_js = Q_p · X_s, exactly as Result.Parts
// computes a source's figures (a material-level candidate: its parts
// weighted by today's shares).
func (rc *recContext) unitDelta(l *Line, pi int, c candidate, s int) decimal.Decimal {
	var x decimal.Decimal
	for _, pt := range c.parts {
		f := rc.factors[pt.prof].dec[s*len(rc.m.in.BOM.Products)+pi]
		var y decimal.Decimal
		for _, cm := range l.Content {
			if cm.Kg.Sign() <= 0 {
				continue
			}
			if g := f.gAnnual[rc.m.elemIdx[cm.Element]]; !g.IsZero() {
				y = y.Add(cm.Kg.Mul(g))
			}
		}
		y = y.Add(mulNonZero(c.value, f.fAnnual.Shortage)).Add(mulNonZero(c.value, f.fAnnual.Carrying))
		y = y.Add(mulNonZero(pt.cost, f.fAnnual.Tariff))
		if !pt.weight.Equal(one) {
			y = y.Mul(pt.weight)
		}
		x = x.Add(y)
	}
	return x
}

// unitDeltaFloat is unitDelta in float64, for the program; false when
// every factor is zero.
func (rc *recContext) unitDeltaFloat(l *Line, kg []float64, pi int, c candidate, s int) (float64, bool) {
	i := s*len(rc.m.in.BOM.Products) + pi
	x, any := 0.0, false
	for _, pt := range c.parts {
		f := rc.factors[pt.prof]
		if !f.nz[i] {
			continue
		}
		any = true
		y := 0.0
		for k, cm := range l.Content {
			if kg[k] > 0 {
				y += kg[k] * f.g[i][rc.m.elemIdx[cm.Element]]
			}
		}
		y += c.valueF*f.fv[i] + pt.costF*f.fc[i]
		x += pt.weightF * y
	}
	return x, any
}

// evaluate decides, in parallel, which lines are exposed and which of
// them could be planned, with today's expected annual delta to rank them.
func (rc *recContext) evaluate() {
	m := rc.m
	parallel(len(rc.work), func(k int) {
		w := &rc.work[k]
		l := &m.in.BOM.Lines[w.line]
		pi := m.prodIdx[l.Product]
		cands, _ := rc.sourceCandidates(w, len(l.Sources)) // today's only: the alternatives wait for classify
		kg := make([]float64, len(l.Content))
		for i, c := range l.Content {
			kg[i] = c.Kg.InexactFloat64()
		}
		// Exposed: today's mix changes cost in some scenario. Floats
		// decide unless they come out (near) zero; decimals settle it.
		exposed, unsure := false, false
		qty := m.qty[w.line].InexactFloat64()
		for s := 0; s < rc.S; s++ {
			sum, mag := 0.0, 0.0
			any := false
			for j, src := range l.Sources {
				v, nz := rc.unitDeltaFloat(l, kg, pi, cands[j], s)
				any = any || nz
				x := src.Share.InexactFloat64() * v
				sum += x
				mag += math.Abs(x)
			}
			w.expF += rc.wf[s] * sum * qty
			switch {
			case !any:
			case math.Abs(sum) > 1e-9*mag:
				exposed = true
			default:
				unsure = true
			}
		}
		if !exposed && unsure {
			for s := 0; s < rc.S && !exposed; s++ {
				var sum decimal.Decimal
				for j, src := range l.Sources {
					sum = sum.Add(src.Share.Mul(rc.unitDelta(l, pi, cands[j], s)))
				}
				exposed = !sum.IsZero()
			}
		}
		w.exposed = exposed
		w.plannable = exposed && len(l.Sources)+len(w.alts) >= 2
	})
}

// classify gives every plannable line that limit kept its figures per
// unit of annual quantity and its class key: after limit, so that a BOM
// with hundreds of thousands of plannable lines computes them for the
// maxPlannedLines planned only.
func (rc *recContext) classify() {
	m := rc.m
	var kept []int
	for k := range rc.work {
		if rc.work[k].plannable {
			kept = append(kept, k)
		}
	}
	parallel(len(kept), func(i int) {
		w := &rc.work[kept[i]]
		l := &m.in.BOM.Lines[w.line]
		pi := m.prodIdx[l.Product]
		vol := m.in.BOM.Products[pi].AnnualVolume.InexactFloat64()
		cands := rc.candidates(w)
		kg := make([]float64, len(l.Content))
		for i, c := range l.Content {
			kg[i] = c.Kg.InexactFloat64()
		}
		// Per unit of annual quantity: X_s / V.
		w.unit = make([]float64, len(cands)*rc.S)
		for j, c := range cands {
			for s := 0; s < rc.S; s++ {
				v, _ := rc.unitDeltaFloat(l, kg, pi, c, s)
				w.unit[j*rc.S+s] = v / vol
			}
		}
		w.key = rc.classKey(w, l, pi, cands)
	})
}

// limit keeps the program to the maxPlannedLines plannable lines with the
// largest expected annual change: on a BOM with hundreds of thousands of
// exposed lines the plan would otherwise dominate the report's time and
// memory, for lines whose change is smallest. The Plan's notes say how
// many were left out.
func (rc *recContext) limit() {
	var plannable []int
	for k := range rc.work {
		if rc.work[k].plannable {
			plannable = append(plannable, k)
		}
	}
	if len(plannable) <= maxPlannedLines {
		return
	}
	sort.SliceStable(plannable, func(i, j int) bool {
		return math.Abs(rc.work[plannable[i]].expF) > math.Abs(rc.work[plannable[j]].expF)
	})
	for _, k := range plannable[maxPlannedLines:] {
		w := &rc.work[k]
		w.plannable, w.skipped = false, true
	}
	rc.plan.Skipped = len(plannable) - maxPlannedLines
	rc.plan.Notes = append(rc.plan.Notes, fmt.Sprintf("%d exposed parts with alternatives are not planned: the plan covers the %d with the largest expected annual change", rc.plan.Skipped, maxPlannedLines))
}

// classKey is what makes two lines the same per unit of annual quantity.
func (rc *recContext) classKey(w *lineWork, l *Line, pi int, cands []candidate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|", pi)
	for _, c := range l.Content {
		if c.Kg.Sign() > 0 {
			b.WriteString(c.Element)
			b.WriteByte('=')
			b.WriteString(c.Kg.String())
			b.WriteByte(';')
		}
	}
	fmt.Fprintf(&b, "|B%s", cands[0].value.String())
	for j, c := range cands {
		for _, pt := range c.parts {
			fmt.Fprintf(&b, "|%d:%s:%s", rc.factors[pt.prof].id, pt.cost.String(), pt.weight.String())
		}
		if j < len(l.Sources) {
			fmt.Fprintf(&b, ":%s:%s", l.Sources[j].Share.String(), l.Sources[j].Supplier)
		} else {
			fmt.Fprintf(&b, ":a%d", w.alts[j-len(l.Sources)])
		}
	}
	return b.String()
}

// group merges lines into classes, finds the capacities that can bind and
// joins the classes that share one into program groups.
func (rc *recContext) group() {
	m := rc.m
	in := m.in
	byKey := map[string]int{}
	resOf := map[int]int{} // alternative → resource
	for k := range rc.work {
		w := &rc.work[k]
		if !w.exposed {
			continue
		}
		rc.plan.Exposed++
		if w.key == "" {
			continue
		}
		l := &in.BOM.Lines[w.line]
		q := m.qty[w.line].Mul(in.BOM.Products[m.prodIdx[l.Product]].AnnualVolume)
		if ci, ok := byKey[w.key]; ok {
			c := rc.classes[ci]
			c.lines = append(c.lines, k)
			c.q = c.q.Add(q)
			w.cls = ci
			w.unit = nil
			continue
		}
		ci := len(rc.classes)
		byKey[w.key] = ci
		w.cls = ci
		c := &recClass{lines: []int{k}, q: q, heavy: rc.holdsHeavy(l)}
		cands := rc.candidates(w)
		for _, src := range l.Sources {
			hre, origin := src.hreSeparation(), src.origin()
			c.cands = append(c.cands, Candidate{Supplier: src.Supplier, Countries: src.Countries, HRESeparation: hre, Origin: origin,
				UnitCost: src.UnitCost, Current: true, Ref: "current", CurrentShare: src.Share, EarliestMonth: m.monthName(1)})
			c.res = append(c.res, -1)
			c.resCoef = append(c.resCoef, one)
			c.capped = append(c.capped, rc.cappedCountries(src.Countries, hre, c.heavy, rc.m.importOf[rc.m.prodIdx[l.Product]]))
		}
		for k2, a := range w.alts {
			alt := &in.Alternatives[a]
			hre := alt.HRESeparation
			if hre == "" {
				hre = alt.Countries[StageSeparation]
			}
			cd := Candidate{Supplier: alt.Supplier, Countries: alt.Countries, HRESeparation: hre, UnitCost: cands[len(l.Sources)+k2].cost,
				Capacity: alt.Capacity, HasCapacity: alt.HasCapacity, QualificationMonths: alt.QualificationMonths, QualificationCost: alt.QualificationCost,
				EarliestMonth: m.monthName(alt.QualificationMonths + 1), Indicative: alt.Indicative, Ref: alt.Ref, Source: alt.Source,
				Note: alt.Note, ByPremium: alt.ByPremium, PremiumPct: alt.PremiumPct}
			coef := one
			if alt.PartNumber == "" {
				cd.MaterialLevel = true
				for _, src := range l.Sources {
					cd.Parts = append(cd.Parts, CandidatePart{Supplier: src.Supplier, Origin: src.origin(), Share: src.Share})
				}
				coef = l.MaterialKg // capacity in kg of material
			} else {
				cd.Origin = alt.Origin
				if cd.Origin == "" {
					cd.Origin = alt.Countries[StageComponent]
				}
			}
			ri := -1
			if alt.HasCapacity {
				var ok bool
				if ri, ok = resOf[a]; !ok {
					ri = len(rc.res)
					resOf[a] = ri
					rc.res = append(rc.res, recResource{alt: a, cap: alt.Capacity})
				}
			}
			c.cands = append(c.cands, cd)
			c.res = append(c.res, ri)
			c.resCoef = append(c.resCoef, coef)
			c.capped = append(c.capped, rc.cappedCountries(alt.Countries, hre, c.heavy, rc.m.importOf[rc.m.prodIdx[l.Product]]))
		}
		rc.classes = append(rc.classes, c)
	}
	// Demand on each capacity; a capacity that all its users' quantities
	// fit in cannot bind and links nothing.
	for ci, c := range rc.classes {
		for j, ri := range c.res {
			if ri >= 0 {
				rc.res[ri].demand = rc.res[ri].demand.Add(c.q.Mul(c.resCoef[j]))
				rc.res[ri].classes = append(rc.res[ri].classes, ci)
				rc.res[ri].lines += len(c.lines)
			}
		}
	}
	parent := make([]int, len(rc.classes))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for ri := range rc.res {
		r := &rc.res[ri]
		r.binding = r.demand.GreaterThan(r.cap)
		if !r.binding {
			continue
		}
		for _, ci := range r.classes[1:] {
			a, b := find(ci), find(r.classes[0])
			if a != b {
				parent[a] = b
			}
		}
	}
	byRoot := map[int]int{}
	for ci := range rc.classes {
		root := find(ci)
		u, ok := byRoot[root]
		if !ok {
			u = len(rc.units)
			byRoot[root] = u
			rc.units = append(rc.units, nil)
		}
		rc.units[u] = append(rc.units[u], ci)
	}
	group := 0
	for _, u := range rc.units {
		if len(u) > 1 || len(rc.classes[u[0]].lines) > 1 {
			group++
			for _, ci := range u {
				rc.classes[ci].group = group
			}
		}
	}
	for _, u := range rc.units {
		if len(u) > maxClasses {
			rc.note("%d lines share the capacity of the same alternatives, too many for one program: they are solved in groups of %d, largest annual quantity first, each group getting the capacity the earlier ones left", len(u), maxClasses)
		}
	}
}

// solve runs every program group, in parallel, then rounds its shares.
// Lines alone in their program are sorted by shape (the candidates'
// countries and capacities per unit) and solved in runs of the same
// shape, each program starting from the last one's answer: the runs are
// fixed before any work starts, so the answers do not depend on timing.
func (rc *recContext) solve() {
	type task struct {
		classes []int
		shaped  bool // single-class programs of one shape, warm-started in turn
	}
	var tasks []task
	var single []int
	shape := map[int]string{}
	for _, u := range rc.units {
		if len(u) == 1 {
			single = append(single, u[0])
			shape[u[0]] = rc.shape(u[0], nil)
			continue
		}
		tasks = append(tasks, task{classes: u})
	}
	sort.SliceStable(single, func(i, j int) bool { return shape[single[i]] < shape[single[j]] })
	const run = 64
	for i := 0; i < len(single); {
		j := i + 1
		for j < len(single) && j-i < run && shape[single[j]] == shape[single[i]] {
			j++
		}
		tasks = append(tasks, task{classes: single[i:j], shaped: true})
		i = j
	}
	parallel(len(tasks), func(k int) {
		if rc.m.stopped() {
			return // Recommend returns the context's error
		}
		t := tasks[k]
		if t.shaped {
			warm := &warmStart{}
			for _, ci := range t.classes {
				rc.solveChunk([]int{ci}, map[int]decimal.Decimal{}, warm)
			}
			return
		}
		classes := append([]int(nil), t.classes...)
		sort.SliceStable(classes, func(i, j int) bool { return rc.classes[classes[i]].q.GreaterThan(rc.classes[classes[j]].q) })
		// Capacity left, per resource, for the chunks still to come.
		left := map[int]decimal.Decimal{}
		for start := 0; start < len(classes); start += maxClasses {
			if rest := classes[start:]; !rc.capacityLeft(rest, left) {
				// Used up: the rest no longer share anything.
				warm := map[string]*warmStart{}
				for _, ci := range rest {
					key := rc.shape(ci, left)
					if warm[key] == nil {
						warm[key] = &warmStart{}
					}
					rc.solveChunk([]int{ci}, left, warm[key])
				}
				return
			}
			rc.solveChunk(classes[start:min(start+maxClasses, len(classes))], left, nil)
		}
	})
}

// capacityLeft reports whether a binding capacity that some of the
// classes draw on has units left.
func (rc *recContext) capacityLeft(classes []int, left map[int]decimal.Decimal) bool {
	for _, ci := range classes {
		for _, ri := range rc.classes[ci].res {
			if ri < 0 || !rc.res[ri].binding {
				continue
			}
			if v, ok := left[ri]; !ok || v.Sign() > 0 {
				return true
			}
		}
	}
	return false
}

// shape is what a class's program looks like alone apart from its
// costs: its candidates' capped countries, today's shares and the
// capacities that bind, per unit of its annual quantity ("off" when used
// up).
func (rc *recContext) shape(ci int, left map[int]decimal.Decimal) string {
	c := rc.classes[ci]
	var b strings.Builder
	for j, cd := range c.cands {
		for _, ctry := range c.capped[j] {
			b.WriteString(ctry)
			b.WriteByte(',')
		}
		b.WriteString(cd.CurrentShare.String())
		if ri := c.res[j]; ri >= 0 && rc.res[ri].binding {
			k := rc.res[ri].cap
			if v, ok := left[ri]; ok {
				k = v
			}
			if k.Sign() <= 0 {
				b.WriteString("off")
			} else {
				fmt.Fprintf(&b, "%s/%s", k, c.q.Mul(c.resCoef[j]))
			}
		}
		b.WriteByte(';')
	}
	return b.String()
}

// solveChunk solves one program and rounds its shares; left holds the
// capacity earlier chunks of the group left, and is updated.
func (rc *recContext) solveChunk(chunk []int, left map[int]decimal.Decimal, warm *warmStart) {
	p := &lpProblem{capf: rc.capf.InexactFloat64(), worst: rc.plan.Objective == "worst", w: rc.wf}
	resIdx := map[int]int{} // rc.res index → p.caps index
	var resList []int
	capLeft := func(ri int) decimal.Decimal {
		if v, ok := left[ri]; ok {
			return v
		}
		return rc.res[ri].cap
	}
	// A candidate whose capacity earlier chunks used up stays out of the
	// program (its share is 0); active maps the program's candidates back.
	active := make([][]int, len(chunk))
	for k, ci := range chunk {
		c := rc.classes[ci]
		w := &rc.work[c.lines[0]]
		lc := &lpClass{q: c.q.InexactFloat64()}
		for j, cd := range c.cands {
			ri := c.res[j]
			binds := ri >= 0 && rc.res[ri].binding
			if binds && capLeft(ri).Sign() <= 0 {
				continue
			}
			active[k] = append(active[k], j)
			lc.cost = append(lc.cost, cd.UnitCost.InexactFloat64())
			lc.delta = append(lc.delta, w.unit[j*rc.S:(j+1)*rc.S])
			lc.countries = append(lc.countries, c.capped[j])
			lc.today = append(lc.today, cd.CurrentShare.InexactFloat64())
			lc.current = append(lc.current, cd.Current)
			lc.resCoef = append(lc.resCoef, c.resCoef[j].InexactFloat64())
			if binds {
				pi, ok := resIdx[ri]
				if !ok {
					pi = len(resList)
					resIdx[ri] = pi
					resList = append(resList, ri)
					p.caps = append(p.caps, capLeft(ri).InexactFloat64())
				}
				lc.res = append(lc.res, pi)
			} else {
				lc.res = append(lc.res, -1)
			}
		}
		c.lp = lc
		p.classes = append(p.classes, lc)
	}
	sol := p.solve(warm)
	for k, ci := range chunk {
		n := len(rc.classes[ci].cands)
		if len(active[k]) == n {
			continue
		}
		x := make([]float64, n)
		for i, j := range active[k] {
			x[j] = sol.x[k][i]
		}
		sol.x[k] = x
		for r := range sol.rows[k] {
			members := make([]int, len(sol.rows[k][r].members))
			for i, m := range sol.rows[k][r].members {
				members[i] = active[k][m]
			}
			sol.rows[k][r].members = members
		}
	}
	// Each cap row's limit: the cap plus the excess the program gave it,
	// up to the grid, never above today's share where that was higher.
	limits := make([][]decimal.Decimal, len(chunk))
	for k, ci := range chunk {
		c := rc.classes[ci]
		for r, row := range sol.rows[k] {
			var today decimal.Decimal
			for _, j := range row.members {
				today = today.Add(c.cands[j].CurrentShare)
			}
			lim := rc.capf
			if e := sol.excess[k][r]; e > 1e-12 {
				lim = decimal.Min(decimal.NewFromFloat(math.Ceil((rc.capf.InexactFloat64()+e)*1e4-1e-6)/1e4), decimal.Max(rc.capf, today))
			}
			limits[k] = append(limits[k], lim)
		}
	}
	// Round the shares onto the grid, keeping caps and capacities; finer
	// grids when the 4-decimal one has no room; today's mix at worst.
	var ys [][]decimal.Decimal
	for places := int32(sharePlaces); places <= 8 && ys == nil; places += 2 {
		ys = rc.roundChunk(chunk, sol, limits, places, capLeft)
	}
	for k, ci := range chunk {
		c := rc.classes[ci]
		c.rows, c.total = sol.rows[k], sol.total[k]
		if sol.err != nil {
			c.note = "the optimiser did not finish (" + sol.err.Error() + "); the shares meet the constraints but may not be the cheapest"
		}
		if ys == nil {
			c.y = make([]decimal.Decimal, len(c.cands))
			for j, cd := range c.cands {
				c.y[j] = cd.CurrentShare
			}
			c.note = "the shares could not be rounded within the constraints; today's mix is kept"
			continue
		}
		c.y = ys[k]
	}
	// Keep today's mix where the program did no better, and charge the
	// capacity actually used to the chunks that follow.
	for _, ci := range chunk {
		c := rc.classes[ci]
		rc.keepIfBetter(c)
		for j, ri := range c.res {
			if ri >= 0 && rc.res[ri].binding && c.y[j].Sign() > 0 {
				left[ri] = capLeft(ri).Sub(c.q.Mul(c.resCoef[j]).Mul(c.y[j]))
			}
		}
	}
}

// roundChunk puts a program's shares on a grid of 10^-places: floors (or
// the nearest point when within 1e-6 of it), then the units each class
// still misses to make exactly 1 go to its largest remainders whose caps
// and capacities have room. nil when some class finds no room.
func (rc *recContext) roundChunk(chunk []int, sol lpResult, limits [][]decimal.Decimal, places int32, capLeft func(int) decimal.Decimal) [][]decimal.Decimal {
	scale := math.Pow(10, float64(places))
	gridUnit := decimal.New(1, -places)
	units := make([][]int64, len(chunk))
	rems := make([][]float64, len(chunk))
	used := map[int]decimal.Decimal{} // capacity used, at the grid values so far
	binding := func(c *recClass, j int) int {
		if ri := c.res[j]; ri >= 0 && rc.res[ri].binding {
			return ri
		}
		return -1
	}
	for k, ci := range chunk {
		c := rc.classes[ci]
		units[k] = make([]int64, len(c.cands))
		rems[k] = make([]float64, len(c.cands))
		for j, v := range sol.x[k] {
			s := math.Max(v, 0) * scale
			u := math.Floor(s)
			if r := math.Round(s); math.Abs(s-r) < 1e-6 {
				u = r
			}
			units[k][j] = int64(u)
			rems[k][j] = s - u
			if ri := binding(c, j); ri >= 0 {
				used[ri] = used[ri].Add(c.q.Mul(c.resCoef[j]).Mul(decimal.New(units[k][j], -places)))
			}
		}
	}
	target := int64(scale)
	for k, ci := range chunk {
		c := rc.classes[ci]
		u, rem := units[k], rems[k]
		rows := sol.rows[k]
		limit := make([]decimal.Decimal, len(rows)) // each row's limit in grid units
		for r := range rows {
			limit[r] = limits[k][r].Mul(decimal.New(1, places))
		}
		rowSum := func(r capRow) int64 {
			var s int64
			for _, j := range r.members {
				s += u[j]
			}
			return s
		}
		room := func(j int) bool {
			for r, row := range rows {
				if containsInt(row.members, j) && decimal.NewFromInt(rowSum(row)+1).GreaterThan(limit[r]) {
					return false
				}
			}
			ri := binding(c, j)
			return ri < 0 || used[ri].Add(c.q.Mul(c.resCoef[j]).Mul(gridUnit)).LessThanOrEqual(capLeft(ri))
		}
		var total int64
		for _, v := range u {
			total += v
		}
		for total < target {
			best := -1
			for j := range u {
				if room(j) && (best < 0 || rem[j] > rem[best]) {
					best = j
				}
			}
			if best < 0 {
				return nil
			}
			u[best]++
			rem[best]--
			total++
			if ri := binding(c, best); ri >= 0 {
				used[ri] = used[ri].Add(c.q.Mul(c.resCoef[best]).Mul(gridUnit))
			}
		}
		for total > target {
			best := -1
			for j := range u {
				if u[j] > 0 && (best < 0 || rem[j] < rem[best]) {
					best = j
				}
			}
			u[best]--
			rem[best]++
			total--
			if ri := binding(c, best); ri >= 0 {
				used[ri] = used[ri].Sub(c.q.Mul(c.resCoef[best]).Mul(gridUnit))
			}
		}
		// Rounding to the nearest point may still break a row.
		for r, row := range rows {
			if decimal.NewFromInt(rowSum(row)).GreaterThan(limit[r]) {
				return nil
			}
		}
	}
	for ri, v := range used {
		if v.GreaterThan(capLeft(ri)) {
			return nil
		}
	}
	out := make([][]decimal.Decimal, len(chunk))
	for k := range chunk {
		out[k] = make([]decimal.Decimal, len(units[k]))
		for j, v := range units[k] {
			out[k][j] = decimal.New(v, -places)
		}
	}
	return out
}

// keepIfBetter puts today's mix back when it gives way to the cap no
// more than the program had to (its total excess is the least) and the
// rounded recommendation is no cheaper by the objective. Today's sources
// have no capacity limit, so this only frees capacity.
func (rc *recContext) keepIfBetter(c *recClass) {
	cur := make([]decimal.Decimal, len(c.cands))
	same := true
	for j, cd := range c.cands {
		cur[j] = cd.CurrentShare
		same = same && cur[j].Equal(c.y[j])
	}
	if same || c.todayExcess() > c.total+1e-7 {
		return
	}
	// The class's lines are the same per unit, so its first line decides.
	mc := rc.mixCosts(&rc.work[c.lines[0]], cur, c.y)
	obj := func(v []decimal.Decimal) decimal.Decimal {
		if rc.plan.Objective == "worst" {
			return v[argMax(v)]
		}
		var e decimal.Decimal
		for s := range v {
			e = e.Add(rc.w[s].Mul(v[s]))
		}
		return e
	}
	if rc.S > 0 && obj(mc.rec).GreaterThanOrEqual(obj(mc.cur)) {
		c.y = cur
		c.note = ""
		mc.rec, mc.recBase = mc.cur, mc.curBase
	}
	c.first = mc
}

// todayExcess is today's mix's total excess over the cap, Σ_r n_r
// max(0, today_r − cap), as phase 1 of the program counts it.
func (c *recClass) todayExcess() float64 {
	e := 0.0
	for _, r := range c.rows {
		e += float64(len(r.places)) * r.allow
	}
	return e
}

// mix is a line's annual cost per scenario and when nothing happens,
// under today's shares and the recommended ones.
type mix struct {
	cur, rec         []decimal.Decimal
	curBase, recBase decimal.Decimal
}

// mixCosts computes a line's annual costs: C_j = q c_j, A_js = Q_p · X_js
// (Result.Parts' figure with x_j = 1), and a mix's annual cost in
// scenario s is Σ_j x_j (C_j + A_js).
func (rc *recContext) mixCosts(w *lineWork, cur, rec []decimal.Decimal) *mix {
	cands := rc.candidates(w)
	if mc, ok := rc.mixCosts128(w, cands, cur, rec); ok {
		return mc
	}
	return rc.mixCostsDecimal(w, cands, cur, rec)
}

// mixCostsDecimal is mixCosts in decimals, its definition.
func (rc *recContext) mixCostsDecimal(w *lineWork, cands []candidate, cur, rec []decimal.Decimal) *mix {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	pi := m.prodIdx[l.Product]
	qty := m.qty[w.line]
	q := qty.Mul(m.in.BOM.Products[pi].AnnualVolume)
	mc := &mix{cur: make([]decimal.Decimal, rc.S), rec: make([]decimal.Decimal, rc.S)}
	for j, cd := range cands {
		xc, xr := cur[j], rec[j]
		if xc.IsZero() && xr.IsZero() {
			continue
		}
		C := q.Mul(cd.cost)
		mc.curBase = mc.curBase.Add(xc.Mul(C))
		mc.recBase = mc.recBase.Add(xr.Mul(C))
		for s := 0; s < rc.S; s++ {
			v := C.Add(qty.Mul(rc.unitDelta(l, pi, cd, s)))
			if !xc.IsZero() {
				mc.cur[s] = mc.cur[s].Add(xc.Mul(v))
			}
			if !xr.IsZero() {
				mc.rec[s] = mc.rec[s].Add(xr.Mul(v))
			}
		}
	}
	return mc
}

// finish computes every line's money figures from the rounded shares, in
// decimals, and the portfolio totals.
func (rc *recContext) finish() {
	plan := rc.plan
	var planned []int
	for k := range rc.work {
		if rc.work[k].cls >= 0 {
			planned = append(planned, k)
		}
	}
	plan.Planned = len(planned)
	plan.Current = make([]decimal.Decimal, rc.S)
	plan.Recommended = make([]decimal.Decimal, rc.S)
	spend := map[stageCountry]*StageSpend{}
	// Line plans are made a chunk at a time: the totals take every line,
	// but only the maxLinePlans largest expected savings are kept, so that
	// a BOM of a million lines does not hold a plan for each.
	const chunk = 4096
	buf := make([]LinePlan, 0, chunk)
	for start := 0; start < len(planned); start += chunk {
		part := planned[start:min(start+chunk, len(planned))]
		buf = buf[:len(part)]
		parallel(len(part), func(i int) { buf[i] = rc.linePlan(part[i]) })
		for i := range buf {
			rc.addToTotals(&buf[i], spend)
			// A line whose plan is today's mix is not listed (SPEC
			// section 8), unless there is something to say about it: a
			// note, or a stage left above the cap, which must be named.
			if buf[i].Changed || buf[i].Note != "" || !buf[i].CapMet {
				plan.Lines = append(plan.Lines, buf[i])
			}
		}
		if len(plan.Lines) > 2*maxLinePlans {
			keepLargestSavings(&plan.Lines)
		}
	}
	if len(plan.Lines) > maxLinePlans {
		keepLargestSavings(&plan.Lines)
		plan.Notes = append(plan.Notes, fmt.Sprintf("%d parts have a plan; the %d with the largest expected saving are listed, the totals cover all of them.", plan.Planned, maxLinePlans))
	}
	sort.Slice(plan.Lines, func(i, j int) bool { return plan.Lines[i].Index < plan.Lines[j].Index })
	for _, sp := range spend {
		plan.Spend = append(plan.Spend, *sp)
	}
	sort.Slice(plan.Spend, func(i, j int) bool {
		a, b := plan.Spend[i], plan.Spend[j]
		if a.Stage != b.Stage {
			return a.Stage < b.Stage
		}
		return a.Country < b.Country
	})
	plan.WorstCurrent, plan.WorstRecommended = argMax(plan.Current), argMax(plan.Recommended)
	if rc.S > 0 {
		plan.WorstSaving = plan.Current[plan.WorstCurrent].Sub(plan.Recommended[plan.WorstRecommended])
	}
	rc.unplanned()
}

// unplanned lists the exposed lines without alternatives: the largest by
// expected change, and the total of them all.
func (rc *recContext) unplanned() {
	m := rc.m
	in := m.in
	plan := rc.plan
	var un []int
	for k := range rc.work {
		if w := &rc.work[k]; w.exposed && w.cls < 0 && !w.skipped {
			un = append(un, k)
		}
	}
	plan.UnplannedCount = len(un)
	figs := make([]unplannedFigures, len(un)) // by place in un
	parallel(len(un), func(i int) {
		w, u := &rc.work[un[i]], &figs[i]
		pi := m.prodIdx[in.BOM.Lines[w.line].Product]
		if rc.unplanned128(w, pi, u) {
			return
		}
		for s := 0; s < rc.S; s++ {
			a := rc.lineDelta(w, pi, s)
			u.exp = u.exp.Add(rc.w[s].Mul(a))
			if s == 0 || a.GreaterThan(u.worst) {
				u.worst = a
			}
		}
	})
	var dc dec128.Converter
	var total sum128
	order := make([]int, len(un)) // places in un, largest expected delta first
	for i := range figs {
		if u := &figs[i]; u.exact {
			total.add(u.exp128, &dc)
		} else {
			total.addDecimal(u.exp, &dc)
		}
		order[i] = i
	}
	plan.UnplannedDelta = plan.UnplannedDelta.Add(total.decimal(&dc))
	sort.SliceStable(order, func(i, j int) bool {
		if c := figs[order[i]].cmp(&figs[order[j]], &dc); c != 0 {
			return c > 0
		}
		return un[order[i]] < un[order[j]]
	})
	for _, i := range order[:min(len(order), MaxUnplanned)] {
		w, u := &rc.work[un[i]], &figs[i]
		l := &in.BOM.Lines[w.line]
		pi := m.prodIdx[l.Product]
		if u.exact {
			u.exp, u.worst = dc.Decimal(u.exp128), dc.Decimal(u.worst128)
		}
		plan.Unplanned = append(plan.Unplanned, Unplanned{Index: w.line, Line: l, AnnualQty: m.qty[w.line].Mul(in.BOM.Products[pi].AnnualVolume),
			Expected: u.exp, Worst: u.worst})
	}
}

// addToTotals adds one line's plan to the portfolio totals.
func (rc *recContext) addToTotals(lp *LinePlan, spend map[stageCountry]*StageSpend) {
	plan := rc.plan
	plan.CurrentBaseline = plan.CurrentBaseline.Add(lp.CurrentBaseline)
	plan.Premium = plan.Premium.Add(lp.Premium)
	plan.ExpectedSaving = plan.ExpectedSaving.Add(lp.ExpectedSaving)
	for s := 0; s < rc.S; s++ {
		plan.Current[s] = plan.Current[s].Add(lp.Current[s])
		plan.Recommended[s] = plan.Recommended[s].Add(lp.Recommended[s])
	}
	if !lp.CapMet {
		plan.CapNotMet++
	}
	if lp.RequiredByCap {
		plan.RequiredByCap++
		plan.CostOfCap = plan.CostOfCap.Sub(lp.ExpectedSaving)
	}
	plan.HorizonSaving = plan.HorizonSaving.Add(lp.HorizonSaving)
	plan.QualificationCost = plan.QualificationCost.Add(lp.QualificationCost)
	if lp.Changed {
		plan.Changed++
	}
	for _, cd := range lp.Candidates {
		plan.IndicativeCandidate = plan.IndicativeCandidate || cd.Indicative
		for g := StageMine; g < NumStages; g++ {
			k := stageCountry{g, cd.Countries[g]}
			sp := spend[k]
			if sp == nil {
				sp = &StageSpend{Stage: g, Country: k.country}
				spend[k] = sp
			}
			sp.Today = sp.Today.Add(mulNonZero(lp.CurrentBaseline, cd.CurrentShare))
			sp.Planned = sp.Planned.Add(mulNonZero(lp.CurrentBaseline, cd.Share))
		}
	}
}

// keepLargestSavings keeps the maxLinePlans plans with the largest
// expected saving, ties in BOM order.
func keepLargestSavings(lines *[]LinePlan) {
	l := *lines
	sort.Slice(l, func(i, j int) bool {
		if c := l[i].ExpectedSaving.Cmp(l[j].ExpectedSaving); c != 0 {
			return c > 0
		}
		return l[i].Index < l[j].Index
	})
	*lines = append(l[:0:0], l[:min(len(l), maxLinePlans)]...)
}

// lineDelta is today's annual delta of a line in scenario s, as Parts has it.
func (rc *recContext) lineDelta(w *lineWork, pi, s int) decimal.Decimal {
	l := &rc.m.in.BOM.Lines[w.line]
	var a decimal.Decimal
	value := rc.m.materialValue(l)
	for j, src := range l.Sources {
		a = a.Add(src.Share.Mul(rc.unitDelta(l, pi, single(rc.m.srcProfile[w.line][j], src.UnitCost, value), s)))
	}
	return a.Mul(rc.m.qty[w.line])
}

func argMax(v []decimal.Decimal) int {
	best := 0
	for i := range v {
		if v[i].GreaterThan(v[best]) {
			best = i
		}
	}
	return best
}

// linePlan computes one line's figures from its class's rounded shares.
func (rc *recContext) linePlan(k int) LinePlan {
	m := rc.m
	w := &rc.work[k]
	c := rc.classes[w.cls]
	l := &m.in.BOM.Lines[w.line]
	pi := m.prodIdx[l.Product]
	q := m.qty[w.line].Mul(m.in.BOM.Products[pi].AnnualVolume)
	lp := LinePlan{Index: w.line, Line: l, AnnualQty: q, Group: c.group, Note: c.note, Heavy: c.heavy}
	lp.Candidates = make([]Candidate, len(c.cands))
	copy(lp.Candidates, c.cands)
	cur := make([]decimal.Decimal, len(c.cands))
	for j := range lp.Candidates {
		lp.Candidates[j].Share = c.y[j]
		if ri := c.res[j]; ri >= 0 {
			lp.Candidates[j].Shared = rc.res[ri].lines > 1
		}
		cur[j] = lp.Candidates[j].CurrentShare
		lp.Changed = lp.Changed || !cur[j].Equal(c.y[j])
	}
	mc := c.first
	if mc == nil || c.lines[0] != k {
		mc = rc.mixCosts(w, cur, c.y)
	}
	lp.Current, lp.Recommended = mc.cur, mc.rec
	lp.CurrentBaseline, lp.RecommendedBaseline = mc.curBase, mc.recBase
	lp.Premium = lp.RecommendedBaseline.Sub(lp.CurrentBaseline)
	for s := 0; s < rc.S; s++ {
		lp.ExpectedSaving = lp.ExpectedSaving.Add(rc.w[s].Mul(lp.Current[s].Sub(lp.Recommended[s])))
	}
	lp.WorstCurrent, lp.WorstRecommended = argMax(lp.Current), argMax(lp.Recommended)
	if rc.S > 0 {
		lp.WorstSaving = lp.Current[lp.WorstCurrent].Sub(lp.Recommended[lp.WorstRecommended])
	}
	lp.Kept = !lp.Changed && c.note == ""
	lp.RequiredByCap = lp.Changed && lp.ExpectedSaving.Sign() < 0
	lp.HHIBefore, lp.HHIAfter = stageHHI(lp.Candidates, cur, c.heavy), stageHHI(lp.Candidates, c.y, c.heavy)
	lp.MaxShare, lp.CapBreaks = rc.capBreaks(c)
	lp.CapMet = len(lp.CapBreaks) == 0
	rc.timing(&lp, w, c, cur)
	return lp
}

// timing sets the line's qualification month and cost, horizon saving and
// payback month (SPEC section 8): the plan takes effect when its last new
// source delivers, month Q+1.
func (rc *recContext) timing(lp *LinePlan, w *lineWork, c *recClass, cur []decimal.Decimal) {
	H := rc.m.horizon
	Q := 0
	for _, cd := range lp.Candidates {
		if cd.Current || cd.Share.Sign() <= 0 {
			continue
		}
		Q = max(Q, cd.QualificationMonths)
		lp.QualificationCost = lp.QualificationCost.Add(cd.QualificationCost)
	}
	lp.QualificationMonth = Q + 1
	if !lp.Changed {
		return
	}
	// Lines of a class are the same per unit of annual quantity.
	c.once.Do(func() {
		var ok bool
		if c.monthly128, ok = rc.monthlySaving128(w, cur, c.y); !ok {
			c.monthly = rc.monthlySavingDecimal(w, cur, c.y)
		}
	})
	monthly := c.monthly
	if c.monthly128 != nil {
		var ok bool
		if lp.PaybackMonth, lp.HorizonSaving, ok = horizonSaving128(lp.AnnualQty, lp.QualificationCost, c.monthly128, Q+1, H); ok {
			return
		}
		lp.PaybackMonth = 0
		var dc dec128.Converter
		monthly = make([]decimal.Decimal, len(c.monthly128))
		for t, v := range c.monthly128 {
			monthly[t] = dc.Decimal(v)
		}
	}
	var sum decimal.Decimal
	for t := Q + 1; t <= H; t++ {
		sum = sum.Add(lp.AnnualQty.Mul(monthly[t]))
		if lp.PaybackMonth == 0 && sum.Sign() > 0 && sum.GreaterThanOrEqual(lp.QualificationCost) {
			lp.PaybackMonth = t
		}
	}
	lp.HorizonSaving = sum.Sub(lp.QualificationCost)
}

// capBreaks lists the stages and capped countries whose recommended share
// stays above the cap, with why, and the largest capped share.
func (rc *recContext) capBreaks(c *recClass) (decimal.Decimal, []CapBreak) {
	var most decimal.Decimal
	var out []CapBreak
	for _, row := range c.rows {
		var share decimal.Decimal
		for _, j := range row.members {
			share = share.Add(c.y[j])
		}
		most = decimal.Max(most, share)
		if !share.GreaterThan(rc.capf) {
			continue
		}
		for _, pl := range row.places {
			why := "no candidate outside it at this stage"
			for _, cd := range c.cands {
				if ctry := stageCountryOf(cd, pl.stage); ctry != "" && ctry != pl.country {
					why = "the candidates outside it lack the capacity"
					break
				}
			}
			out = append(out, CapBreak{Stage: pl.stage, Country: pl.country, Share: share, Why: why})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Stage < out[j].Stage })
	return most, out
}

// stageCountryOf is a candidate's country at a cap stage.
func stageCountryOf(cd Candidate, g Stage) string {
	if g == StageHRESeparation {
		return cd.HRESeparation
	}
	return cd.Countries[g]
}

// stageHHI is each stage's Herfindahl–Hirschman index over its known
// countries, shares renormalised to the known part, in percent points;
// the heavy-separation stage only for a line with heavy rare earths.
func stageHHI(cands []Candidate, y []decimal.Decimal, heavy bool) [capStages]HHI {
	var out [capStages]HHI
	for g := Stage(0); g < capStages; g++ {
		if g == StageHRESeparation && !heavy {
			continue
		}
		by := map[string]decimal.Decimal{}
		var known decimal.Decimal
		for j, cd := range cands {
			if c := stageCountryOf(cd, g); c != "" && y[j].Sign() > 0 {
				by[c] = by[c].Add(y[j])
				known = known.Add(y[j])
			}
		}
		if known.IsZero() {
			continue
		}
		var h decimal.Decimal
		for _, v := range by {
			sh := v.Mul(hundred)
			if !known.Equal(one) {
				sh = sh.DivRound(known, divPlaces)
			}
			h = h.Add(sh.Mul(sh))
		}
		out[g] = HHI{Value: h.Round(2), Known: true}
	}
	return out
}
