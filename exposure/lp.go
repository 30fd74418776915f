package exposure

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// This file holds the linear programs of the plan (SPEC section 8) in
// float64: the only place where the plan leaves decimals. recommend.go
// converts decimals in and rounds the shares that come out.
//
// A program covers one or more classes (lines, or identical lines merged)
// that draw on shared capacities. For class l with candidates j:
//
//	Σ_j x_lj = 1, x ≥ 0
//	Σ_{j in country c at stage g} x_lj ≤ t_l      for every stage and known country
//	Σ_{(l,j) using resource r} q_l x_lj ≤ K_r     for every capacity
//
// Phase 1 minimises Σ_l q_l t_l with t_l ≥ cap: t_l is the cap where the
// cap can be met and otherwise the smallest largest share the capacities
// allow. Phase 2 fixes t_l ≤ T_l (the cap, or the phase-1 value rounded up
// to the 4-decimal grid of the shares) and minimises the objective:
// expected Σ_l Σ_j x_lj q_l (c_j + Σ_s w_s a_js), or worst Σ_l q_l z_l with
// z_l ≥ Σ_j x_lj (c_j + a_js) for every scenario s (an epigraph variable).
//
// gonum's Simplex takes a program in standard form (A x = b, x ≥ 0) and,
// optionally, a feasible starting basis. Phase 1 has an obvious one (all
// of each class from a current source, which has no capacity limit, and
// t_l = 1), and phase 2 starts from phase 1's optimum; so gonum's own
// search for a first basis, its slowest and least robust step, runs only
// as a fallback.

// lpClass is one class of a program: per unit of its annual quantity.
type lpClass struct {
	q         float64             // annual quantity (summed over the class's lines)
	cost      []float64           // per candidate: unit cost c_j
	delta     [][]float64         // per candidate and scenario: a_js, the annual delta per unit of q
	countries [][NumStages]string // per candidate
	res       []int               // per candidate: index of its capacity in lpProblem.caps, -1 for none
	current   []bool              // per candidate: one of today's sources (preferred on ties)
	base      int                 // a current source with no capacity limit: the starting basis
}

// lpProblem is one program: classes sharing capacities.
type lpProblem struct {
	classes []*lpClass
	caps    []float64 // units a year per capacity
	capf    float64   // country cap as a fraction; ≥ 1 means none
	worst   bool      // objective: worst case instead of expected
	w       []float64 // scenario probabilities
}

// capRow is one country-cap row of a class: the candidates located in one
// country at one or more stages (rows with the same members are merged).
type capRow struct {
	members []int
	places  []stageCountry
}

type stageCountry struct {
	stage   Stage
	country string
}

// lpResult is a program's answer per class.
type lpResult struct {
	x      [][]float64 // shares per class and candidate
	bound  []float64   // per class: the largest country share allowed (the cap, or the smallest achievable); NaN without caps
	capMet []bool      // per class: the cap could be met
	rows   [][]capRow  // per class: its cap rows
	err    error       // the optimiser failed; x falls back to a feasible allocation (today's when nothing better)
}

// errLP marks a program the optimiser could not finish.
var errLP = errors.New("the optimiser did not converge")

// capRows lists class c's cap rows: for every stage and known country the
// candidates located there, merging rows with the same members.
func capRows(c *lpClass, capf float64) []capRow {
	if capf >= 1 {
		return nil
	}
	var rows []capRow
	for g := StageMine; g < NumStages; g++ {
		byCountry := map[string][]int{}
		var order []string
		for j, cs := range c.countries {
			if cs[g] == "" {
				continue
			}
			if _, ok := byCountry[cs[g]]; !ok {
				order = append(order, cs[g])
			}
			byCountry[cs[g]] = append(byCountry[cs[g]], j)
		}
		for _, country := range order {
			members := byCountry[country]
			merged := false
			for i := range rows {
				if equalInts(rows[i].members, members) {
					rows[i].places = append(rows[i].places, stageCountry{g, country})
					merged = true
					break
				}
			}
			if !merged {
				rows = append(rows, capRow{members: members, places: []stageCountry{{g, country}}})
			}
		}
	}
	return rows
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sf is a program in standard form being built column by column.
type sf struct {
	m     int
	cols  [][]entry
	c     []float64
	b     []float64
	slack []bool // the column is a slack (a unit column)
}

type entry struct {
	row int
	v   float64
}

func (s *sf) row(b float64) int {
	s.b = append(s.b, b)
	s.m++
	return s.m - 1
}

func (s *sf) col(cost float64, slack bool, es ...entry) int {
	s.cols = append(s.cols, es)
	s.c = append(s.c, cost)
	s.slack = append(s.slack, slack)
	return len(s.cols) - 1
}

func (s *sf) add(col, row int, v float64) {
	s.cols[col] = append(s.cols[col], entry{row, v})
}

func (s *sf) dense() *mat.Dense {
	a := mat.NewDense(s.m, len(s.cols), nil)
	for j, es := range s.cols {
		for _, e := range es {
			a.Set(e.row, j, a.At(e.row, j)+e.v)
		}
	}
	return a
}

// layout remembers where each class's variables and rows are.
type layout struct {
	x       [][]int // column of x_lj
	t       []int   // column of t_l, -1 without cap rows
	sumRow  []int
	capRow  [][]int // row of each cap row
	capSl   [][]int // slack column of each cap row
	lowRow  []int   // row of t_l ≥ cap
	lowSl   []int   // its surplus column
	resRow  []int   // row of each capacity, -1 when it cannot bind
	resSl   []int
	highSl  []int // phase 2: slack of t_l ≤ T_l
	z       []int // phase 2 worst: column of z_l, -1 when none
	zRows   [][]int
	zSl     [][]int
	zScale  []float64 // worst rows are divided by this
	zOffset []float64 // and shifted by this
}

// build writes the constraints common to both phases.
func (p *lpProblem) build(rows [][]capRow) (*sf, *layout) {
	s := &sf{}
	L := len(p.classes)
	ly := &layout{x: make([][]int, L), t: make([]int, L), sumRow: make([]int, L), capRow: make([][]int, L), capSl: make([][]int, L),
		lowRow: make([]int, L), lowSl: make([]int, L)}
	for l, c := range p.classes {
		ly.sumRow[l] = s.row(1)
		ly.x[l] = make([]int, len(c.cost))
		for j := range c.cost {
			ly.x[l][j] = s.col(0, false, entry{ly.sumRow[l], 1})
		}
		ly.t[l], ly.lowRow[l], ly.lowSl[l] = -1, -1, -1
		if len(rows[l]) == 0 {
			continue
		}
		ly.t[l] = s.col(0, false)
		for _, r := range rows[l] {
			ri := s.row(0)
			for _, j := range r.members {
				s.add(ly.x[l][j], ri, 1)
			}
			s.add(ly.t[l], ri, -1)
			ly.capRow[l] = append(ly.capRow[l], ri)
			ly.capSl[l] = append(ly.capSl[l], s.col(0, true, entry{ri, 1}))
		}
		ly.lowRow[l] = s.row(p.capf)
		s.add(ly.t[l], ly.lowRow[l], 1)
		ly.lowSl[l] = s.col(0, true, entry{ly.lowRow[l], -1})
	}
	// Capacities: Σ q_l x_lj / K_r ≤ 1, left out where the users'
	// quantities together fit.
	demand := make([]float64, len(p.caps))
	for _, c := range p.classes {
		for _, r := range c.res {
			if r >= 0 {
				demand[r] += c.q
			}
		}
	}
	ly.resRow, ly.resSl = make([]int, len(p.caps)), make([]int, len(p.caps))
	for r, k := range p.caps {
		ly.resRow[r], ly.resSl[r] = -1, -1
		if demand[r] <= k {
			continue
		}
		ly.resRow[r] = s.row(1)
		ly.resSl[r] = s.col(0, true, entry{ly.resRow[r], 1})
	}
	for l, c := range p.classes {
		for j, r := range c.res {
			if r >= 0 && ly.resRow[r] >= 0 {
				k := math.Max(p.caps[r], 0)
				if k == 0 {
					s.add(ly.x[l][j], ly.resRow[r], 1e6) // no capacity left: x_lj ≤ 1e-6
					continue
				}
				s.add(ly.x[l][j], ly.resRow[r], c.q/k)
			}
		}
	}
	return s, ly
}

// warmStart is what one program hands to the next of the same shape
// (same candidates' countries, capacities per unit and cap): phase 1's
// answer, which depends on nothing else, and phase 2's last optimal
// basis, usually optimal or nearly so for the next objective too.
type warmStart struct {
	phase1 bool
	x1     []float64
	basis1 []int
	bound  []float64
	capMet []bool
	basis2 []int
}

// solve runs both phases. It never fails: when the optimiser does, the
// result falls back to a feasible allocation and says so in err. warm may
// be nil.
func (p *lpProblem) solve(warm *warmStart) lpResult {
	L := len(p.classes)
	res := lpResult{x: make([][]float64, L), bound: make([]float64, L), capMet: make([]bool, L), rows: make([][]capRow, L)}
	for l, c := range p.classes {
		res.rows[l] = capRows(c, p.capf)
		res.bound[l] = math.NaN()
		res.capMet[l] = true
	}
	// Today's allocation moved to the base source: feasible whatever the
	// caps and capacities, the fallback of last resort.
	fallback := func() {
		for l, c := range p.classes {
			res.x[l] = make([]float64, len(c.cost))
			res.x[l][c.base] = 1
		}
	}
	s, ly := p.build(res.rows)
	hasCaps := false
	for l := range p.classes {
		hasCaps = hasCaps || ly.t[l] >= 0
	}
	var x1 []float64 // phase-1 solution
	var basis1 []int
	switch {
	case hasCaps && warm != nil && warm.phase1:
		x1, basis1 = warm.x1, warm.basis1
		copy(res.bound, warm.bound)
		copy(res.capMet, warm.capMet)
	case hasCaps:
		c := make([]float64, len(s.c))
		total := 0.0
		for _, cl := range p.classes {
			total += cl.q
		}
		for l, cl := range p.classes {
			if ly.t[l] >= 0 {
				c[ly.t[l]] = cl.q / total
			}
		}
		x, err := simplex(c, s, p.phase1Basis(ly, res.rows))
		if err != nil {
			fallback()
			res.err = err
			for l := range p.classes {
				res.capMet[l] = false
			}
			return res
		}
		x1 = x
		for l := range p.classes {
			if ly.t[l] < 0 {
				continue
			}
			t := x[ly.t[l]]
			if t <= p.capf+1e-9 {
				res.bound[l] = p.capf
			} else {
				// Up to the 4-decimal grid the shares are rounded to.
				res.bound[l] = math.Min(math.Ceil(t*1e4-1e-6)/1e4, 1)
				res.capMet[l] = false
			}
		}
		basis1 = completeBasis(s, x1)
		if warm != nil {
			*warm = warmStart{phase1: true, x1: x1, basis1: basis1, bound: append([]float64(nil), res.bound...),
				capMet: append([]bool(nil), res.capMet...)}
		}
	}
	// Phase 2: bound t_l, add the objective.
	ly.highSl = make([]int, L)
	for l := range p.classes {
		ly.highSl[l] = -1
		if ly.t[l] < 0 {
			continue
		}
		r := s.row(res.bound[l])
		s.add(ly.t[l], r, 1)
		ly.highSl[l] = s.col(0, true, entry{r, 1})
	}
	p.objective(s, ly)
	x0, start := p.phase2Start(s, ly, x1, basis1, res.bound)
	var last []int
	if warm != nil {
		last = warm.basis2
	}
	x, err := simplex(s.c, s, last, start)
	if err != nil && x1 != nil && feasible(s, x0) == nil {
		// Phase 1's answer meets every constraint of phase 2 but is
		// not optimised: better than nothing.
		x = x0
	}
	if x == nil {
		fallback()
		res.err = err
		return res
	}
	res.err = err
	if warm != nil && err == nil {
		warm.basis2 = completeBasis(s, x)
	}
	for l, cl := range p.classes {
		res.x[l] = make([]float64, len(cl.cost))
		for j := range cl.cost {
			res.x[l][j] = math.Max(x[ly.x[l][j]], 0)
		}
	}
	return res
}

// phase1Basis is all of each class from its base source: t_l = 1 when the
// base source is located in some known country (its first cap row's slack
// leaves the basis), else t_l = cap (the lower bound's surplus leaves).
func (p *lpProblem) phase1Basis(ly *layout, rows [][]capRow) []int {
	var basis []int
	for l, c := range p.classes {
		basis = append(basis, ly.x[l][c.base])
		if ly.t[l] < 0 {
			continue
		}
		basis = append(basis, ly.t[l])
		tight := -1
		for i, r := range rows[l] {
			if tight < 0 && containsInt(r.members, c.base) {
				tight = i
				continue
			}
			basis = append(basis, ly.capSl[l][i])
		}
		if tight >= 0 {
			basis = append(basis, ly.lowSl[l])
		}
	}
	for _, sl := range ly.resSl {
		if sl >= 0 {
			basis = append(basis, sl)
		}
	}
	return basis
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// objective adds phase 2's objective (and, for worst, its epigraph rows).
// Costs are scaled so that the largest is about 1; a current source gets a
// tie-break of 1e-9 so that equal costs keep today's sources.
func (p *lpProblem) objective(s *sf, ly *layout) {
	L := len(p.classes)
	ly.z = make([]int, L)
	ly.zRows, ly.zSl = make([][]int, L), make([][]int, L)
	ly.zScale, ly.zOffset = make([]float64, L), make([]float64, L)
	for i := range s.c {
		s.c[i] = 0
	}
	const tie = 1e-9
	if !p.worst {
		norm := 0.0
		coef := make([][]float64, L)
		for l, c := range p.classes {
			coef[l] = make([]float64, len(c.cost))
			for j := range c.cost {
				v := c.cost[j]
				for si, w := range p.w {
					v += w * c.delta[j][si]
				}
				coef[l][j] = c.q * v
				norm = math.Max(norm, math.Abs(coef[l][j]))
			}
		}
		if norm == 0 {
			norm = 1
		}
		for l, c := range p.classes {
			ly.z[l] = -1
			for j := range c.cost {
				s.c[ly.x[l][j]] = coef[l][j] / norm
				if !c.current[j] {
					s.c[ly.x[l][j]] += tie
				}
			}
		}
		return
	}
	// worst: z_l ≥ Σ_j x_lj (c_j + a_js − off_l) / scale_l for every s,
	// with the offset making every coefficient ≥ 0 (Σ x = 1, so the shift
	// changes nothing) and the scale making the largest 1.
	norm := 0.0
	for l, c := range p.classes {
		lo, hi := math.Inf(1), math.Inf(-1)
		for j := range c.cost {
			for si := range p.w {
				v := c.cost[j] + c.delta[j][si]
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		ly.zOffset[l], ly.zScale[l] = lo, hi-lo
		norm = math.Max(norm, c.q*(hi-lo))
	}
	if norm == 0 {
		norm = 1
	}
	for l, c := range p.classes {
		ly.z[l] = -1
		for j := range c.cost {
			if !c.current[j] {
				s.c[ly.x[l][j]] = tie
			}
		}
		if ly.zScale[l] <= 0 {
			continue // every candidate costs the same in every scenario
		}
		ly.z[l] = s.col(c.q*ly.zScale[l]/norm, false)
		for si := range p.w {
			r := s.row(0)
			for j := range c.cost {
				if v := (c.cost[j] + c.delta[j][si] - ly.zOffset[l]) / ly.zScale[l]; v != 0 {
					s.add(ly.x[l][j], r, v)
				}
			}
			s.add(ly.z[l], r, -1)
			ly.zRows[l] = append(ly.zRows[l], r)
			ly.zSl[l] = append(ly.zSl[l], s.col(0, true, entry{r, 1}))
		}
	}
}

// phase2Start starts phase 2 where phase 1 ended (or, without caps, from
// the base sources): the values of every variable, and a basis of phase
// 1's basis plus the new rows' slacks and, for worst, z_l with every
// scenario row's slack but the largest one's. The basis is nil when phase
// 1's could not be rebuilt.
func (p *lpProblem) phase2Start(s *sf, ly *layout, x1 []float64, basis1 []int, bound []float64) ([]float64, []int) {
	var basis []int
	x := make([]float64, len(s.c))
	if x1 != nil {
		basis = append(basis, basis1...)
		copy(x, x1)
	} else {
		for l, c := range p.classes {
			basis = append(basis, ly.x[l][c.base])
			x[ly.x[l][c.base]] = 1
		}
		for _, sl := range ly.resSl {
			if sl >= 0 {
				basis = append(basis, sl)
			}
		}
	}
	for l := range p.classes {
		if ly.highSl[l] >= 0 {
			basis = append(basis, ly.highSl[l])
			x[ly.highSl[l]] = math.Max(bound[l]-x[ly.t[l]], 0)
		}
		if ly.z[l] < 0 {
			continue
		}
		basis = append(basis, ly.z[l])
		rows := make([]float64, len(ly.zRows[l]))
		best := 0
		for si := range ly.zRows[l] {
			for j := range p.classes[l].cost {
				rows[si] += x[ly.x[l][j]] * (p.classes[l].cost[j] + p.classes[l].delta[j][si] - ly.zOffset[l]) / ly.zScale[l]
			}
			if rows[si] > rows[best] {
				best = si
			}
		}
		x[ly.z[l]] = rows[best]
		for si, sl := range ly.zSl[l] {
			x[sl] = rows[best] - rows[si]
			if si != best {
				basis = append(basis, sl)
			}
		}
	}
	if (x1 != nil && basis1 == nil) || len(basis) != s.m {
		basis = nil
	}
	return x, basis
}

// completeBasis turns phase 1's optimum into a basis: its non-zero
// variables, completed with slacks (then other columns) that keep the set
// linearly independent. nil when that fails.
func completeBasis(s *sf, x []float64) []int {
	var q [][]float64 // orthonormal vectors spanning the chosen columns
	var basis []int
	chosen := make([]bool, len(s.cols))
	try := func(j int) bool {
		v := make([]float64, s.m)
		for _, e := range s.cols[j] {
			v[e.row] += e.v
		}
		n0 := norm2(v)
		if n0 == 0 {
			return false
		}
		for pass := 0; pass < 2; pass++ {
			for _, u := range q {
				d := dot(u, v)
				for i := range v {
					v[i] -= d * u[i]
				}
			}
		}
		n := norm2(v)
		if n <= 1e-9*n0 {
			return false
		}
		for i := range v {
			v[i] /= n
		}
		q = append(q, v)
		basis = append(basis, j)
		chosen[j] = true
		return true
	}
	for j, v := range x {
		if v != 0 && !try(j) {
			return nil
		}
	}
	for pass := 0; pass < 2 && len(basis) < s.m; pass++ {
		for j := range s.cols {
			if len(basis) == s.m {
				break
			}
			if !chosen[j] && s.slack[j] == (pass == 0) {
				try(j)
			}
		}
	}
	if len(basis) != s.m {
		return nil
	}
	return basis
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func norm2(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// simplex solves the standard-form program from the first of the given
// bases gonum accepts (it panics on one that is not feasible; the panic is
// recovered), else from gonum's own first basis. The answer is checked
// against the constraints.
func simplex(c []float64, s *sf, bases ...[]int) ([]float64, error) {
	a := s.dense()
	var tries [][]int
	for _, b := range bases {
		if len(b) == s.m {
			tries = append(tries, b)
		}
	}
	var err error
	for _, basis := range append(tries, nil) {
		var x []float64
		if x, err = runSimplex(c, a, s.b, basis); err != nil {
			continue
		}
		if err = feasible(s, x); err == nil {
			return x, nil
		}
	}
	return nil, fmt.Errorf("%w: %w", errLP, err)
}

func runSimplex(c []float64, a *mat.Dense, b []float64, basis []int) (x []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, fmt.Errorf("gonum simplex: %v", r)
		}
	}()
	_, x, err = lp.Simplex(c, a, b, 1e-10, basis)
	return x, err
}

// feasible checks A x = b and x ≥ 0 within a tolerance.
func feasible(s *sf, x []float64) error {
	if len(x) != len(s.cols) {
		return fmt.Errorf("%w: %d values for %d variables", errLP, len(x), len(s.cols))
	}
	r := make([]float64, s.m)
	for j, es := range s.cols {
		if x[j] < -1e-7 || math.IsNaN(x[j]) {
			return fmt.Errorf("%w: variable %d is %g", errLP, j, x[j])
		}
		for _, e := range es {
			r[e.row] += e.v * x[j]
		}
	}
	for i := range r {
		if math.Abs(r[i]-s.b[i]) > 1e-7*math.Max(1, math.Abs(s.b[i])) {
			return fmt.Errorf("%w: row %d is off by %g", errLP, i, r[i]-s.b[i])
		}
	}
	return nil
}
