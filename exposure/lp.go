package exposure

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
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
	caps    []float64  // capacity a year per resource (units or kg)
	capf    float64    // country cap as a fraction; ≥ 1 means none
	worst   bool       // objective: worst case instead of expected
	w       []float64  // scenario probabilities
	sc      *lpScratch // the solving goroutine's buffers, nil for new ones
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
	sc    *lpScratch
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
	// A column takes a copy of es (which then stays on the caller's
	// stack), in the array a scratch's earlier program left at its place.
	if j := len(s.cols); j < cap(s.cols) {
		s.cols = s.cols[:j+1]
		s.cols[j] = append(s.cols[j][:0], es...)
	} else {
		s.cols = append(s.cols, append(make([]entry, 0, len(es)+1), es...))
	}
	s.c = append(s.c, cost)
	s.slack = append(s.slack, slack)
	return len(s.cols) - 1
}

func (s *sf) add(col, row int, v float64) {
	s.cols[col] = append(s.cols[col], entry{row, v})
}

func (s *sf) dense() *mat.Dense {
	a := s.sc.denseOf(s.m, len(s.cols))
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
	s := p.sc.newSF()
	L := len(p.classes)
	ly := p.sc.newLayout(L)
	for l, c := range p.classes {
		ly.sumRow[l] = s.row(1)
		ly.x[l] = zeroedInts(ly.x[l], len(c.cost))
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
	ly.resRow, ly.resSl = zeroedInts(ly.resRow, len(p.caps)), zeroedInts(ly.resSl, len(p.caps))
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
