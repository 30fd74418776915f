package exposure

import (
	"fmt"
	"slices"
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
	if err := m.ctxErr(); err != nil { // evaluate or classify may have left lines undone
		return nil, err
	}
	rc.group()
	rc.solve()
	if err := m.ctxErr(); err != nil { // ComputeContext's context is done
		return nil, err
	}
	rc.figs = nil // the programs are solved: their figures are garbage
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
	w128   []dec128.Decimal  // the same in dec128, nil when one does not fit
	wf     []float64
	capf   decimal.Decimal // country cap as a fraction
	capAll bool            // the cap applies to every country but the import country
	capSet map[string]bool // else to these

	byKey   map[string]*profile
	altProf map[altKey]*profile // (base profile, alternative) → profile
	factors map[*profile]*recFactors
	pending []factorTask // the factors prepare asked for, computed at its end
	noted   map[string]bool

	work     []lineWork
	alts     []int32    // the lines' alternatives, indexes in Input.Alternatives
	altProfs []*profile // their profiles
	figs     []lineFigs // by lineWork.fig
	classes  []*recClass
	months   []string // the projection's first month, then each alternative's earliest (monthNames)
	units    [][]int  // classes of each program group
	res      []recResource

	halt atomic.Bool // the context was found done: see halted

	scratchMu sync.Mutex
	scratch   []*lpScratch // the solver's buffers the solve's tasks left (see takeScratch)
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
	decOnce      sync.Once // eg, ev and ec are made (see decimalMonthly)
}

// lineWork is one cost-bearing line being planned. A BOM of a million
// lines has as many, so it is kept small (40 bytes): its alternatives
// and their profiles are runs of rc.alts and rc.altProfs (see altsOf and
// profsOf), and the figures only the planned lines have are in rc.figs.
type lineWork struct {
	expF  float64 // today's expected annual delta, in floats: for ranking only
	line  int32
	cls   int32 // its class, -1 when unplanned
	alt0  int32 // its alternatives are rc.alts[alt0 : alt0+nAlts]
	nAlts int32
	prof0 int32 // their profiles start at rc.altProfs[prof0]: one per alternative, or for a material row one per current source
	fig   int32 // its unit figures and class key in rc.figs, -1 none
	// plannable: exposed with two candidates or more; classify gives it
	// its unit figures and class key unless limit skips it.
	exposed, plannable bool
	skipped            bool // exposed and plannable, but beyond maxPlannedLines
}

// lineFigs are a classified line's figures: per candidate and scenario,
// for the class (first line of a class only, nil for the others), and its
// class key.
type lineFigs struct {
	unit []float64
	key  string
}

// recClass is a set of lines that are the same per unit of annual
// quantity: same product, content, candidates, costs and today's shares.
type recClass struct {
	lines   []int // indexes in work
	q       decimal.Decimal
	cands   []classCand       // its candidates as the plan works with them (candidate makes the Candidate a plan lists)
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
	// The shares' figures, the same for every line of the class: set
	// once by linePlan.
	hhi       *[2][capStages]HHI // before and after, for a class whose plans are listed
	maxShare  decimal.Decimal
	capBreaks []CapBreak
	shareOnce sync.Once
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
		rc.w128 = append(rc.w128, dec128.Of(p))
	}
	if w128Over(rc.w128) {
		rc.w128 = nil
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
