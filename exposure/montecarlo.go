package exposure

import (
	"math"
	"slices"

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

// simulateAll runs the draws of every uncertain sampler, the scenarios
// side by side on the CPUs: each draws from a generator of its own,
// seeded from the seed and the scenario's ID, so the draws do not depend
// on the order the scenarios run in. A certain scenario gets no
// simulation.
func simulateAll(sps []*sampler, n int, seed int64) []simulation {
	sims := make([]simulation, len(sps))
	var uncertain []int
	for s, sp := range sps {
		if sp.uncertain {
			uncertain = append(uncertain, s)
		}
	}
	eachOnCPUs(len(uncertain), func(k int) {
		s := uncertain[k]
		sims[s] = sps[s].simulate(n, seed)
	})
	return sims
}

// uncertainty runs the Monte Carlo and the sensitivity analysis and
// records each scenario's phases.
func (m *model) uncertainty(r *Result) {
	if m.in.Progress != nil {
		m.in.Progress(PhaseMonteCarlo)
	}
	sps, phases := m.samplers()
	if m.stopped() {
		return // some samplers may be missing; Compute returns the context's error
	}
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
	sims := simulateAll(sps, n, r.Settings.Seed)
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
			sim := sims[s]
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
