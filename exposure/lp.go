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
// that draw on shared capacities. For class l with candidates j and each
// cap row r (a capped country at one or more stages, with the candidates
// located there):
//
//	Σ_j x_lj = 1, x ≥ 0
//	Σ_{j in r} x_lj − e_lr ≤ cap                  the cap, given way by e_lr ≥ 0
//	e_lr ≤ max(0, today_lr − cap)                 no regression: never above today's share
//	Σ_{(l,j) using resource r} k_lj x_lj ≤ K_r    every capacity (k: units or kg per x)
//
// Phase 1 minimises Σ_l q_l Σ_r n_r e_lr (n_r: the stages the row stands
// for), so the cap gives way only at the stages and countries that cannot
// meet it; E_l is class l's Σ_r n_r e_lr there. Phase 2 keeps
// Σ_r n_r e_lr ≤ E_l (within 1e-9) and minimises the objective: expected
// Σ_l Σ_j x_lj q_l (c_j + Σ_s w_s a_js), or worst Σ_l q_l z_l with
// z_l ≥ Σ_j x_lj (c_j + a_js) for every scenario s (an epigraph variable).
//
// gonum's Simplex takes a program in standard form (A x = b, x ≥ 0) and,
// optionally, a feasible starting basis. Phase 1 starts from today's mix,
// feasible by construction (no regression allows it, and today's sources
// have no capacity limit), and phase 2 from phase 1's optimum; so gonum's
// own search for a first basis, its slowest and least robust step, runs
// only as a fallback.

// capStages are the stages the cap applies to: the four of a source and
// the heavy rare earths' separation (StageHRESeparation), for lines that
// hold heavy rare earths.
const capStages = NumStages + 1

// lpClass is one class of a program: per unit of its annual quantity.
type lpClass struct {
	q         float64             // annual quantity (summed over the class's lines)
	cost      []float64           // per candidate: unit cost c_j
	delta     [][]float64         // per candidate and scenario: a_js, the annual delta per unit of q
	countries [][capStages]string // per candidate: its capped countries by stage ("" when not capped or unknown)
	today     []float64           // per candidate: today's share (0 for an alternative)
	res       []int               // per candidate: index of its capacity in lpProblem.caps, -1 for none
	resCoef   []float64           // per candidate: capacity used per unit of q x (1 for units, kg of material)
	current   []bool              // per candidate: one of today's sources (preferred on ties)
}

// lpProblem is one program: classes sharing capacities.
type lpProblem struct {
	classes []*lpClass
	caps    []float64 // capacity a year per resource (units or kg)
	capf    float64   // country cap as a fraction; ≥ 1 means none
	worst   bool      // objective: worst case instead of expected
	w       []float64 // scenario probabilities
}

// capRow is one country-cap row of a class: the candidates located in one
// capped country at one or more stages (rows with the same members are
// merged), with today's share there and the excess the row may take.
type capRow struct {
	members []int
	places  []stageCountry
	today   float64 // today's share of the members
	allow   float64 // max(0, today − cap): no regression
}

type stageCountry struct {
	stage   Stage
	country string
}

// lpResult is a program's answer per class.
type lpResult struct {
	x      [][]float64 // shares per class and candidate
	excess [][]float64 // per class and cap row: e_lr, what the row may exceed the cap by
	total  []float64   // per class: E_l, Σ_r n_r e_lr after phase 1
	capMet []bool      // per class: the cap could be met (E_l = 0)
	rows   [][]capRow  // per class: its cap rows
	err    error       // the optimiser failed; x falls back to today's mix
}

// errLP marks a program the optimiser could not finish.
var errLP = errors.New("the optimiser did not converge")

// excessTol is how far phase 2 may let the total excess exceed phase 1's
// minimum: float noise only.
const excessTol = 1e-9

// capRows lists class c's cap rows: for every stage and capped country the
// candidates located there, merging rows with the same members.
func capRows(c *lpClass, capf float64) []capRow {
	if capf >= 1 {
		return nil
	}
	var rows []capRow
	for g := Stage(0); g < capStages; g++ {
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
				today := 0.0
				for _, j := range members {
					today += c.today[j]
				}
				rows = append(rows, capRow{members: members, places: []stageCountry{{g, country}}, today: today, allow: math.Max(today-capf, 0)})
			}
		}
	}
	return rows
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
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
	sumRow  []int
	capRow  [][]int // row of each cap row
	capSl   [][]int // slack column of each cap row
	e       [][]int // column of e_lr, -1 when the row may not exceed the cap
	eSl     [][]int // slack of e_lr ≤ allow_lr, -1 when a share of 1 implies it
	resRow  []int   // row of each capacity, -1 when it cannot bind
	resSl   []int
	totSl   []int // phase 2: slack of Σ n_r e_lr ≤ E_l, -1 without excess columns
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
	ly := &layout{x: make([][]int, L), sumRow: make([]int, L), capRow: make([][]int, L), capSl: make([][]int, L),
		e: make([][]int, L), eSl: make([][]int, L)}
	for l, c := range p.classes {
		ly.sumRow[l] = s.row(1)
		ly.x[l] = make([]int, len(c.cost))
		for j := range c.cost {
			ly.x[l][j] = s.col(0, false, entry{ly.sumRow[l], 1})
		}
		for _, r := range rows[l] {
			ri := s.row(p.capf)
			for _, j := range r.members {
				s.add(ly.x[l][j], ri, 1)
			}
			ly.capRow[l] = append(ly.capRow[l], ri)
			ly.capSl[l] = append(ly.capSl[l], s.col(0, true, entry{ri, 1}))
			e, eSl := -1, -1
			if r.allow > 1e-12 {
				e = s.col(0, false, entry{ri, -1})
				// e ≤ allow, unless a share of at most 1 implies it
				// (today's share was 1: the row may keep all of it).
				if r.allow < 1-p.capf-1e-12 {
					ub := s.row(r.allow)
					s.add(e, ub, 1)
					eSl = s.col(0, true, entry{ub, 1})
				}
			}
			ly.e[l] = append(ly.e[l], e)
			ly.eSl[l] = append(ly.eSl[l], eSl)
		}
	}
	// Capacities: Σ k x / K_r ≤ 1, left out where the users' needs
	// together fit.
	demand := make([]float64, len(p.caps))
	for _, c := range p.classes {
		for j, r := range c.res {
			if r >= 0 {
				demand[r] += c.q * c.resCoef[j]
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
				s.add(ly.x[l][j], ly.resRow[r], c.q*c.resCoef[j]/k)
			}
		}
	}
	return s, ly
}

// warmStart is what one program hands to the next of the same shape
// (same candidates' countries, today's shares, capacities per unit and
// cap): phase 1's answer, which depends on nothing else, and phase 2's
// last optimal basis, usually optimal or nearly so for the next objective
// too.
type warmStart struct {
	phase1 bool
	x1     []float64
	basis1 []int
	total  []float64
	capMet []bool
	basis2 []int
}

// todayPoint is today's mix as a point of the program: feasible by
// construction, the start of phase 1 and the fallback of last resort.
func (p *lpProblem) todayPoint(s *sf, ly *layout, rows [][]capRow) []float64 {
	x := make([]float64, len(s.cols))
	for l, c := range p.classes {
		for j := range c.cost {
			x[ly.x[l][j]] = c.today[j]
		}
		for i, r := range rows[l] {
			e := 0.0
			if ly.e[l][i] >= 0 {
				e = r.allow
				x[ly.e[l][i]] = e
				if ly.eSl[l][i] >= 0 {
					x[ly.eSl[l][i]] = 0
				}
			}
			x[ly.capSl[l][i]] = math.Max(p.capf+e-r.today, 0)
		}
	}
	for _, sl := range ly.resSl {
		if sl >= 0 {
			x[sl] = 1 // today's sources have no capacity limit
		}
	}
	return x
}

// solve runs both phases. It never fails: when the optimiser does, the
// result falls back to today's mix and says so in err. warm may be nil.
func (p *lpProblem) solve(warm *warmStart) lpResult {
	L := len(p.classes)
	res := lpResult{x: make([][]float64, L), excess: make([][]float64, L), total: make([]float64, L), capMet: make([]bool, L), rows: make([][]capRow, L)}
	for l, c := range p.classes {
		res.rows[l] = capRows(c, p.capf)
		res.capMet[l] = true
	}
	s, ly := p.build(res.rows)
	today := p.todayPoint(s, ly, res.rows)
	fallback := func(err error) lpResult {
		for l, c := range p.classes {
			res.x[l] = append([]float64(nil), c.today...)
			res.excess[l] = make([]float64, len(res.rows[l]))
			for i, r := range res.rows[l] {
				res.excess[l][i] = r.allow
			}
		}
		res.err = err
		return res
	}
	hasExcess := false
	for l := range p.classes {
		for _, e := range ly.e[l] {
			hasExcess = hasExcess || e >= 0
		}
	}
	x1, basis1 := today, []int(nil)
	switch {
	case hasExcess && warm != nil && warm.phase1:
		x1, basis1 = warm.x1, warm.basis1
		copy(res.total, warm.total)
		copy(res.capMet, warm.capMet)
	case hasExcess:
		c := make([]float64, len(s.c))
		total := 0.0
		for _, cl := range p.classes {
			total += cl.q
		}
		for l, cl := range p.classes {
			for i, e := range ly.e[l] {
				if e >= 0 {
					c[e] = cl.q / total * float64(len(res.rows[l][i].places))
				}
			}
		}
		x, err := simplex(c, s, completeBasis(s, today))
		if err != nil {
			for l := range p.classes {
				res.capMet[l] = false
			}
			return fallback(err)
		}
		x1 = x
		for l := range p.classes {
			for i, e := range ly.e[l] {
				if e >= 0 {
					res.total[l] += float64(len(res.rows[l][i].places)) * math.Max(x[e], 0)
				}
			}
			res.capMet[l] = res.total[l] <= excessTol
		}
		basis1 = completeBasis(s, x1)
		if warm != nil {
			*warm = warmStart{phase1: true, x1: x1, basis1: basis1, total: append([]float64(nil), res.total...),
				capMet: append([]bool(nil), res.capMet...)}
		}
	}
	// Phase 2: keep each class's total excess, add the objective.
	ly.totSl = make([]int, L)
	for l := range p.classes {
		ly.totSl[l] = -1
		r := -1
		for i, e := range ly.e[l] {
			if e < 0 {
				continue
			}
			if r < 0 {
				r = s.row(res.total[l] + excessTol)
			}
			s.add(e, r, float64(len(res.rows[l][i].places)))
		}
		if r >= 0 {
			ly.totSl[l] = s.col(0, true, entry{r, 1})
		}
	}
	p.objective(s, ly)
	x0, start := p.phase2Start(s, ly, x1, basis1, res.rows, res.total)
	var last []int
	if warm != nil {
		last = warm.basis2
	}
	x, err := simplex(s.c, s, last, start)
	if err != nil && feasible(s, x0) == nil {
		// Phase 1's answer meets every constraint of phase 2 but is
		// not optimised: better than nothing.
		x = x0
	}
	if x == nil {
		return fallback(err)
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
		res.excess[l] = make([]float64, len(res.rows[l]))
		for i, e := range ly.e[l] {
			if e >= 0 {
				res.excess[l][i] = math.Max(x[e], 0)
			}
		}
	}
	return res
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

// phase2Start starts phase 2 where phase 1 ended (or, without excess
// columns, from today's mix): the values of every variable, and a basis
// of phase 1's basis plus the new rows' slacks and, for worst, z_l with
// every scenario row's slack but the largest one's. The basis is nil when
// phase 1's could not be rebuilt.
func (p *lpProblem) phase2Start(s *sf, ly *layout, x1 []float64, basis1 []int, rows [][]capRow, total []float64) ([]float64, []int) {
	x := make([]float64, len(s.c))
	copy(x, x1)
	var added []int // the new rows' basic columns
	for l := range p.classes {
		if ly.totSl[l] >= 0 {
			used := 0.0
			for i, e := range ly.e[l] {
				if e >= 0 {
					used += float64(len(rows[l][i].places)) * x[e]
				}
			}
			x[ly.totSl[l]] = math.Max(total[l]+excessTol-used, 0)
			added = append(added, ly.totSl[l])
		}
		if ly.z[l] < 0 {
			continue
		}
		added = append(added, ly.z[l])
		zr := make([]float64, len(ly.zRows[l]))
		best := 0
		for si := range ly.zRows[l] {
			for j := range p.classes[l].cost {
				zr[si] += x[ly.x[l][j]] * (p.classes[l].cost[j] + p.classes[l].delta[j][si] - ly.zOffset[l]) / ly.zScale[l]
			}
			if zr[si] > zr[best] {
				best = si
			}
		}
		x[ly.z[l]] = zr[best]
		for si, sl := range ly.zSl[l] {
			x[sl] = zr[best] - zr[si]
			if si != best {
				added = append(added, sl)
			}
		}
	}
	var basis []int
	if basis1 != nil {
		basis = append(append(basis, basis1...), added...)
	} else {
		basis = completeBasis(s, x) // today's mix: phase 1 did not run
	}
	if len(basis) != s.m || hasDuplicate(basis) {
		basis = nil
	}
	return x, basis
}

func hasDuplicate(v []int) bool {
	seen := make(map[int]bool, len(v))
	for _, x := range v {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
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
