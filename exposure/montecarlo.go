package exposure

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Mix is the probability-weighted mixture of the scenarios' Monte Carlo
// draws (SPEC section 7): each draw first picks a scenario by its
// probability, then that scenario's uncertain parameters.
type Mix struct {
	Mean, P50, P90, P95 decimal.Decimal
	Draws               int // draws per scenario; 0 when the Monte Carlo did not run
}

// Band is the mixture's spread in one month of the projection.
type Band struct {
	Month         string
	P10, P50, P90 decimal.Decimal
}

// Phase is a run of projection months in which the same Controls and
// Tariffs rows of a scenario are in force for the BOM.
type Phase struct {
	From, To           int    // 1-based projection months, inclusive
	FromMonth, ToMonth string // the same as calendar months, YYYY-MM
	Controls           []int  // indexes into Scenario.Controls
	Tariffs            []int  // indexes into Scenario.Tariffs
}

// bandDraws caps the draws per scenario kept month by month for the
// Projection band: a chart needs no more, and time and memory stay small.
const bandDraws = 2000

// sampler evaluates one scenario's monthly cost change for any values of
// its parameters without touching lines or profiles: the BOM is reduced
// first to coefficients per Controls and Tariffs row and to a few
// availability/delay terms (SPEC section 7: the cost of a draw must not
// grow with the BOM). Figures are float64: a draw is a statistical
// estimate whose sampling error dwarfs float rounding; the exact decimal
// figures come from Compute.
type sampler struct {
	sc   *Scenario
	H    int
	rate float64 // carrying rate, percent a year
	// stopped reports that the computation's context is done (nil: never).
	stopped func() bool

	// upCoef[r][t-1] is the change in month t per percentage point of
	// Controls row r's uplift: Σ over groups and elements of
	// M_e · P(k) · price_e,k / 100 where row r applies to (e, k, t).
	upCoef [][]float64
	// tarCoef[i][t-1] is the change per percentage point of Tariffs row i.
	tarCoef [][]float64
	// shortConst[t-1] is Σ C·(1 − a) and carryConst[t-1] Σ C·d over the
	// terms whose availability (delay) has no range: multiplied by the
	// spot premium and the carrying rate in each draw.
	shortConst, carryConst []float64
	terms                  []term
	drawn                  []int  // the terms whose availability or delay has a range
	upUsed, tarUsed        []bool // the row moves some month's figure
	avUsed, dlUsed         []bool

	uncertain bool // some parameter the BOM feels has a range
}

// term is one availability/delay structure: for each element of a group
// of profiles, the class probabilities and the Controls row per class, in
// the months where that assignment holds, with the group's material value
// per month (Σ V/12 · Q · x · B), on which shortage and carrying fall.
type term struct {
	elems        [][]classRow
	months       []int32 // 0-based
	weight       float64 // material value per month, the same in each listed month
	short, carry bool    // this term's availability (delay) is drawn
}

type classRow struct {
	row int32 // Controls row, -1 for none (availability 100%, no delay)
	p   float64
}

// params are values for every parameter of a scenario.
type params struct {
	up, av, dl []float64 // per Controls row: uplift %, availability %, delay days
	tar        []float64 // per Tariffs row, percent
	spot       float64   // percent
	rate       float64   // carrying rate, percent a year
}

// sgroup gathers profiles with the same class probabilities, Controls
// table and elements.
type sgroup struct {
	p     [2][NumClasses]float64 // light, heavy
	ct    *controlTable
	elems []int
	mass  []float64 // Σ V/12 · Q · x · m_e, by element index
	value float64   // Σ V/12 · Q · x · B
}

// tgroup gathers profiles that meet the same Tariffs rows.
type tgroup struct {
	rep  *profile
	cost float64
}

// profileTotals returns each profile's annual cost (b·c), material value
// (B) and element masses per month, summed over products with their
// volume: V/12 · Σ Q·x·(b·c, B, m_e).
func (m *model) profileTotals() (cost, value []float64, mass [][]float64) {
	vol := make([]float64, len(m.in.BOM.Products))
	for i, p := range m.in.BOM.Products {
		vol[i] = p.AnnualVolume.InexactFloat64() / 12
	}
	cost = make([]float64, len(m.profiles))
	value = make([]float64, len(m.profiles))
	mass = make([][]float64, len(m.profiles))
	for i, p := range m.profiles {
		mass[i] = make([]float64, len(m.elements))
		for pi := range p.agg {
			a := &p.agg[pi]
			if !a.cost.IsZero() {
				cost[i] += a.cost.InexactFloat64() * vol[pi]
			}
			if !a.value.IsZero() {
				value[i] += a.value.InexactFloat64() * vol[pi]
			}
			if a.mass == nil {
				continue
			}
			for _, e := range p.elems {
				if !a.mass[e].IsZero() {
					mass[i][e] += a.mass[e].InexactFloat64() * vol[pi]
				}
			}
		}
	}
	return cost, value, mass
}

// samplers builds one sampler per scenario and the scenarios' phases.
func (m *model) samplers() ([]*sampler, [][]Phase) {
	cost, value, mass := m.profileTotals()
	elemKeys := make([]string, len(m.profiles))
	for i, p := range m.profiles {
		var b strings.Builder
		for _, e := range p.elems {
			b.WriteString(strconv.Itoa(e))
			b.WriteByte(',')
		}
		elemKeys[i] = b.String()
	}
	prices := make([][NumClasses]float64, len(m.elements))
	for e, sym := range m.elements {
		for k := Class(0); k < NumClasses; k++ {
			prices[e][k] = m.priceOf(sym, k).InexactFloat64()
		}
	}
	out := make([]*sampler, len(m.scen))
	phases := make([][]Phase, len(m.scen))
	for s, st := range m.scen {
		out[s], phases[s] = m.buildSampler(s, st, cost, value, mass, elemKeys, prices)
	}
	return out, phases
}

func (m *model) buildSampler(s int, st *scenarioTables, cost, value []float64, mass [][]float64, elemKeys []string, prices [][NumClasses]float64) (*sampler, []Phase) {
	sc := st.sc
	H := m.horizon
	sp := &sampler{sc: sc, H: H, rate: m.in.Settings.CarryingRate.InexactFloat64(), stopped: m.stopped,
		shortConst: make([]float64, H), carryConst: make([]float64, H),
		upUsed: make([]bool, len(sc.Controls)), avUsed: make([]bool, len(sc.Controls)), dlUsed: make([]bool, len(sc.Controls)),
		tarUsed: make([]bool, len(sc.Tariffs))}
	sp.upCoef = make([][]float64, len(sc.Controls))
	for r := range sp.upCoef {
		sp.upCoef[r] = make([]float64, H)
	}
	sp.tarCoef = make([][]float64, len(sc.Tariffs))
	for i := range sp.tarCoef {
		sp.tarCoef[i] = make([]float64, H)
	}
	tarIdx := make(map[*Tariff]int, len(sc.Tariffs))
	for i := range sc.Tariffs {
		tarIdx[&sc.Tariffs[i]] = i
	}
	ctrlAt := make([]map[int]bool, H) // rows in force per month, for phases
	tarAt := make([]map[int]bool, H)
	for t := range ctrlAt {
		ctrlAt[t], tarAt[t] = map[int]bool{}, map[int]bool{}
	}

	// Group the profiles.
	type skey struct {
		p     [2][NumClasses]uint64
		ct    *controlTable
		elems string
	}
	type tkey struct {
		origin, importer, hs, material string
		family                         string
	}
	sgIdx := map[skey]int{}
	tgIdx := map[tkey]int{}
	var sgs []sgroup
	var tgs []tgroup
	for i, p := range m.profiles {
		if p.agg == nil {
			continue
		}
		ps := &p.perScen[s]
		var pf [2][NumClasses]float64
		key := skey{ct: st.byHS[p.hs]} // fillProfile made it
		for kind := range pf {
			for k := range pf[kind] {
				pf[kind][k] = ps.prob[kind][k].InexactFloat64()
				key.p[kind][k] = math.Float64bits(pf[kind][k])
			}
		}
		if len(p.elems) > 0 {
			key.elems = elemKeys[i]
			g, ok := sgIdx[key]
			if !ok {
				g = len(sgs)
				sgIdx[key] = g
				sgs = append(sgs, sgroup{p: pf, ct: key.ct, elems: p.elems, mass: make([]float64, len(m.elements))})
			}
			for _, e := range p.elems {
				sgs[g].mass[e] += mass[i][e]
			}
			sgs[g].value += value[i]
		}
		if cost[i] != 0 {
			tk := tkey{origin: p.origin, importer: p.importer, hs: p.hs, material: p.material, family: p.family}
			g, ok := tgIdx[tk]
			if !ok {
				g = len(tgs)
				tgIdx[tk] = g
				tgs = append(tgs, tgroup{rep: p})
			}
			tgs[g].cost += cost[i]
		}
	}

	// Price coefficients and availability/delay terms.
	termIdx := map[string]int{}
	var sig strings.Builder
	for g := range sgs {
		grp := &sgs[g]
		for t := 1; t <= H; t++ {
			sig.Reset()
			sig.WriteString(strconv.Itoa(g))
			for _, e := range grp.elems {
				pk := &grp.p[m.elemKind[e]]
				for k := Class(0); k < NumClasses; k++ {
					if pk[k] == 0 {
						continue
					}
					r := grp.ct.rowOf[t][e][k]
					sig.WriteByte('|')
					sig.WriteString(strconv.Itoa(int(r)))
					if r < 0 {
						continue
					}
					ctrlAt[t-1][int(r)] = true
					if c := grp.mass[e] * pk[k] * prices[e][k] / 100; c != 0 {
						sp.upCoef[r][t-1] += c
						sp.upUsed[r] = true
					}
				}
			}
			if grp.value == 0 {
				continue
			}
			key := sig.String()
			ti, ok := termIdx[key]
			if !ok {
				ti = len(sp.terms)
				termIdx[key] = ti
				tm := term{weight: grp.value, elems: make([][]classRow, len(grp.elems))}
				for j, e := range grp.elems {
					pk := &grp.p[m.elemKind[e]]
					for k := Class(0); k < NumClasses; k++ {
						if pk[k] != 0 {
							tm.elems[j] = append(tm.elems[j], classRow{row: grp.ct.rowOf[t][e][k], p: pk[k]})
						}
					}
				}
				sp.terms = append(sp.terms, tm)
			}
			sp.terms[ti].months = append(sp.terms[ti].months, int32(t-1))
		}
	}
	// Terms whose availability or delay has no range become constants
	// for the draws; the sensitivity analysis still moves them all.
	base := sp.params(func(p Param) float64 { return p.Value.InexactFloat64() })
	for i := range sp.terms {
		tm := &sp.terms[i]
		for _, cls := range tm.elems {
			for _, cr := range cls {
				if cr.row < 0 {
					continue
				}
				c := &sc.Controls[cr.row]
				sp.avUsed[cr.row], sp.dlUsed[cr.row] = true, true
				tm.short = tm.short || c.Availability.Ranged
				tm.carry = tm.carry || c.Delay.Ranged
			}
		}
		a, d := tm.eval(&base)
		for _, t := range tm.months {
			if !tm.short {
				sp.shortConst[t] += tm.weight * (1 - a)
			}
			if !tm.carry {
				sp.carryConst[t] += tm.weight * d
			}
		}
		if tm.short || tm.carry {
			sp.drawn = append(sp.drawn, i)
		}
	}

	// Tariff coefficients, as tariffFraction weighs them.
	for _, g := range tgs {
		p := g.rep
		if p.origin == p.importer {
			continue
		}
		add := func(origin string, w float64, t int) {
			rt, err := m.tariffRow(st, p, origin, t)
			if err != nil || rt == nil || w == 0 {
				return // Compute has already met the same rows without error
			}
			i := tarIdx[rt.t]
			sp.tarCoef[i][t-1] += g.cost * w / 100
			sp.tarUsed[i] = true
			tarAt[t-1][i] = true
		}
		w := m.unknownIn(StageComponent, p.family, sc.Country)
		wf := w.InexactFloat64()
		for t := 1; t <= H; t++ {
			switch {
			case p.origin != "":
				add(p.origin, 1, t)
			default:
				if w.Sign() > 0 && sc.Country != p.importer {
					add(sc.Country, wf, t)
				}
				if w.LessThan(one) {
					add("", 1-wf, t)
				}
			}
		}
	}

	for r, c := range sc.Controls {
		if (sp.upUsed[r] && c.Uplift.Ranged) || (sp.avUsed[r] && c.Availability.Ranged) || (sp.dlUsed[r] && c.Delay.Ranged) {
			sp.uncertain = true
		}
	}
	for i, tr := range sc.Tariffs {
		if sp.tarUsed[i] && tr.Pct.Ranged {
			sp.uncertain = true
		}
	}
	if sc.SpotPremium.Ranged && sp.feelsShortage() {
		sp.uncertain = true
	}
	return sp, m.phases(ctrlAt, tarAt)
}

// feelsShortage reports whether some month has a shortfall for the spot
// premium to act on.
func (sp *sampler) feelsShortage() bool {
	for _, v := range sp.shortConst {
		if v != 0 {
			return true
		}
	}
	for _, i := range sp.drawn {
		if sp.terms[i].short {
			return true
		}
	}
	return false
}

// phases turns the rows in force month by month into runs of months.
func (m *model) phases(ctrlAt, tarAt []map[int]bool) []Phase {
	var out []Phase
	keys := func(set map[int]bool) []int {
		ks := make([]int, 0, len(set))
		for k := range set {
			ks = append(ks, k)
		}
		sort.Ints(ks)
		return ks
	}
	for t := range ctrlAt {
		c, tr := keys(ctrlAt[t]), keys(tarAt[t])
		if n := len(out); n > 0 && slices.Equal(out[n-1].Controls, c) && slices.Equal(out[n-1].Tariffs, tr) {
			out[n-1].To = t + 1
			out[n-1].ToMonth = m.monthName(t + 1)
			continue
		}
		out = append(out, Phase{From: t + 1, To: t + 1, FromMonth: m.monthName(t + 1), ToMonth: m.monthName(t + 1), Controls: c, Tariffs: tr})
	}
	return out
}

// params returns every parameter of the scenario set by at.
func (sp *sampler) params(at func(Param) float64) params {
	sc := sp.sc
	p := params{up: make([]float64, len(sc.Controls)), av: make([]float64, len(sc.Controls)), dl: make([]float64, len(sc.Controls)),
		tar: make([]float64, len(sc.Tariffs)), spot: at(sc.SpotPremium), rate: sp.rate}
	for r := range sc.Controls {
		c := &sc.Controls[r]
		p.up[r], p.av[r], p.dl[r] = at(c.Uplift), at(c.Availability), at(c.Delay)
	}
	for i := range sc.Tariffs {
		p.tar[i] = at(sc.Tariffs[i].Pct)
	}
	return p
}

// eval returns the term's availability (fraction, min over elements) and
// delay (days, max over elements) for the parameters p.
func (tm *term) eval(p *params) (avail, delay float64) {
	avail = 1
	for _, cls := range tm.elems {
		var a, d float64
		for _, cr := range cls {
			if cr.row < 0 {
				a += cr.p
				continue
			}
			a += cr.p * p.av[cr.row] / 100
			d += cr.p * p.dl[cr.row]
		}
		avail = min(avail, a)
		delay = max(delay, d)
	}
	return avail, delay
}

// eval writes the monthly change of cost for the parameters p into
// months (length H) and returns the annual change (months 1..12). The
// availability and delay of terms without a range are taken at their
// values, as the draws need.
func (sp *sampler) eval(p *params, months []float64) float64 {
	return sp.evalTerms(p, months, false)
}

// evalAll is eval with every availability and delay taken from p, as the
// sensitivity analysis needs.
func (sp *sampler) evalAll(p *params, months []float64) float64 {
	return sp.evalTerms(p, months, true)
}

func (sp *sampler) evalTerms(p *params, months []float64, all bool) float64 {
	spot, carry := p.spot/100, p.rate/36500
	for t := range months {
		months[t] = 0
		if !all {
			months[t] = spot*sp.shortConst[t] + carry*sp.carryConst[t]
		}
	}
	for r, coef := range sp.upCoef {
		if !sp.upUsed[r] || p.up[r] == 0 {
			continue
		}
		u := p.up[r]
		for t, c := range coef {
			months[t] += c * u
		}
	}
	for i, coef := range sp.tarCoef {
		if !sp.tarUsed[i] || p.tar[i] == 0 {
			continue
		}
		v := p.tar[i]
		for t, c := range coef {
			months[t] += c * v
		}
	}
	addTerm := func(tm *term, short, delay bool) {
		a, d := tm.eval(p)
		var add float64
		if short {
			add += spot * tm.weight * (1 - a)
		}
		if delay {
			add += carry * tm.weight * d
		}
		for _, t := range tm.months {
			months[t] += add
		}
	}
	if all {
		for j := range sp.terms {
			addTerm(&sp.terms[j], true, true)
		}
	} else {
		for _, j := range sp.drawn {
			tm := &sp.terms[j]
			addTerm(tm, tm.short, tm.carry)
		}
	}
	var annual float64
	for t := 0; t < 12 && t < len(months); t++ {
		annual += months[t]
	}
	return annual
}

// triangular draws from the triangular distribution with minimum a, mode
// c and maximum b by inverting its distribution function at u in [0, 1).
func triangular(a, c, b, u float64) float64 {
	if b <= a {
		return c
	}
	f := (c - a) / (b - a)
	if u < f {
		return a + math.Sqrt(u*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-u)*(b-a)*(b-c))
}

// draw sets the ranged parameters the BOM feels to a triangular draw,
// in a fixed order so that a seed gives the same numbers.
func (pr *paramRanges) draw(rng *rand.Rand) {
	for _, x := range pr.list {
		*x.dst = triangular(x.lo, x.mode, x.hi, rng.Float64())
	}
}

// paramRanges lists the ranged parameters of a params value.
type paramRanges struct {
	list []rangedParam
}

type rangedParam struct {
	dst          *float64
	lo, mode, hi float64
}

func (sp *sampler) ranges(p *params) *paramRanges {
	sc := sp.sc
	pr := &paramRanges{}
	add := func(dst *float64, q Param) {
		if q.Ranged {
			pr.list = append(pr.list, rangedParam{dst, q.Low.InexactFloat64(), q.Value.InexactFloat64(), q.High.InexactFloat64()})
		}
	}
	for r := range sc.Controls {
		c := &sc.Controls[r]
		if sp.upUsed[r] {
			add(&p.up[r], c.Uplift)
		}
		if sp.avUsed[r] {
			add(&p.av[r], c.Availability)
		}
		if sp.dlUsed[r] {
			add(&p.dl[r], c.Delay)
		}
	}
	for i := range sc.Tariffs {
		if sp.tarUsed[i] {
			add(&p.tar[i], sc.Tariffs[i].Pct)
		}
	}
	if sp.feelsShortage() {
		add(&p.spot, sc.SpotPremium)
	}
	return pr
}

// drawBatch is how many draws run between checks of the context.
const drawBatch = 1024

// simulation holds one scenario's draws.
type simulation struct {
	annual []float64   // per draw
	months [][]float64 // per kept draw (at most bandDraws), per month
	mean   float64
}

// simulate draws the scenario n times from a stream seeded by the seed
// and the scenario's id, so that a scenario's numbers do not depend on
// which other scenarios run.
func (sp *sampler) simulate(n int, seed int64) simulation {
	h := fnv.New64a()
	h.Write([]byte(sp.sc.ID))
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	p := sp.params(func(q Param) float64 { return q.Value.InexactFloat64() })
	ranges := sp.ranges(&p)
	sim := simulation{annual: make([]float64, n)}
	keep := min(n, bandDraws)
	buf := make([]float64, keep*sp.H)
	months := make([]float64, sp.H)
	var sum float64
	for d := 0; d < n; d++ {
		if d%drawBatch == 0 && sp.stopped != nil && sp.stopped() {
			break // the caller drops the result
		}
		ranges.draw(rng)
		out := months
		if d < keep {
			out = buf[d*sp.H : (d+1)*sp.H]
			sim.months = append(sim.months, out)
		}
		sim.annual[d] = sp.eval(&p, out)
		sum += sim.annual[d]
	}
	sim.mean = sum / float64(n)
	return sim
}

// stratum is one scenario's draws, sorted, each carrying the same share
// of the scenario's probability.
type stratum struct {
	xs []float64 // sorted
	w  float64   // weight of each value
}

// mixQuantiles returns, for each q of qs (ascending), the smallest value
// whose cumulative weight over the strata reaches q of the total: the
// mixture's quantile by the nearest-rank rule. Merging the sorted strata
// gives the same answer as drawing the scenario first, without the noise
// of that extra draw.
func mixQuantiles(ss []stratum, qs ...float64) []float64 {
	var total float64
	for _, s := range ss {
		total += s.w * float64(len(s.xs))
	}
	out := make([]float64, len(qs))
	idx := make([]int, len(ss))
	var cum, last float64
	qi := 0
	for qi < len(qs) {
		best := -1
		for i, s := range ss {
			if idx[i] < len(s.xs) && (best < 0 || s.xs[idx[i]] < ss[best].xs[idx[best]]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		last = ss[best].xs[idx[best]]
		idx[best]++
		cum += ss[best].w
		for qi < len(qs) && cum >= qs[qi]*total*(1-1e-12) {
			out[qi] = last
			qi++
		}
	}
	for ; qi < len(qs); qi++ {
		out[qi] = last
	}
	return out
}

// money turns a float figure into a decimal rounded to cents.
func money(x float64) decimal.Decimal { return decimal.NewFromFloat(x).Round(2) }

// uncertainty runs the Monte Carlo and the sensitivity analysis and
// records each scenario's phases.
func (m *model) uncertainty(r *Result) {
	if m.in.Progress != nil {
		m.in.Progress(PhaseMonteCarlo)
	}
	sps, phases := m.samplers()
	for s := range r.Scenarios {
		r.Scenarios[s].Phases = phases[s]
		r.Scenarios[s].Uncertain = sps[s].uncertain
	}
	r.Sensitivity = m.sensitivity(r, sps)
	n := r.Settings.Draws
	if n <= 0 || len(r.Scenarios) == 0 {
		for s := range r.Scenarios {
			sr := &r.Scenarios[s]
			sr.P10, sr.P50, sr.P90, sr.Mean = sr.AnnualDelta, sr.AnnualDelta, sr.AnnualDelta, sr.AnnualDelta
		}
		return
	}
	H := m.horizon
	var mix []stratum
	bands := make([][]stratum, H)
	var mean decimal.Decimal
	for s, sp := range sps {
		if m.stopped() {
			return // Compute returns the context's error
		}
		sr := &r.Scenarios[s]
		w := sr.Probability.InexactFloat64()
		if !sp.uncertain {
			// Every draw is the point figure: use the exact one.
			sr.P10, sr.P50, sr.P90, sr.Mean = sr.AnnualDelta, sr.AnnualDelta, sr.AnnualDelta, sr.AnnualDelta
			mix = append(mix, stratum{[]float64{sr.AnnualDelta.InexactFloat64()}, w})
			for t := range bands {
				bands[t] = append(bands[t], stratum{[]float64{sr.Months[t].Delta.InexactFloat64()}, w})
			}
		} else {
			sim := sp.simulate(n, r.Settings.Seed)
			slices.Sort(sim.annual)
			rank := func(q float64) decimal.Decimal { // nearest rank: the ⌈q·n⌉-th smallest
				return money(sim.annual[max(0, int(math.Ceil(q*float64(n)-1e-9))-1)])
			}
			sr.P10, sr.P50, sr.P90, sr.Mean = rank(0.10), rank(0.50), rank(0.90), money(sim.mean)
			mix = append(mix, stratum{sim.annual, w / float64(n)})
			k := len(sim.months)
			for t := range bands {
				xs := make([]float64, k)
				for d, ms := range sim.months {
					xs[d] = ms[t]
				}
				slices.Sort(xs)
				bands[t] = append(bands[t], stratum{xs, w / float64(k)})
			}
		}
		mean = mean.Add(sr.Probability.Mul(sr.Mean))
	}
	q := mixQuantiles(mix, 0.50, 0.90, 0.95)
	r.Mix = Mix{Mean: mean.Round(2), P50: money(q[0]), P90: money(q[1]), P95: money(q[2]), Draws: n}
	for t := range bands {
		bq := mixQuantiles(bands[t], 0.10, 0.50, 0.90)
		r.MixMonths = append(r.MixMonths, Band{Month: r.Months[t], P10: money(bq[0]), P50: money(bq[1]), P90: money(bq[2])})
	}
}
