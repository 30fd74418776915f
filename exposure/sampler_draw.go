package exposure

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
)

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
