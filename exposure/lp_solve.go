package exposure

import "math"

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
		x, err := p.phase1(s, ly, &res, today)
		if err != nil {
			return p.todaysMix(&res, err)
		}
		x1 = x
		basis1 = completeBasis(s, x1)
		if warm != nil {
			*warm = warmStart{phase1: true, x1: x1, basis1: basis1, total: append([]float64(nil), res.total...),
				capMet: append([]bool(nil), res.capMet...)}
		}
	}
	p.keepExcess(s, ly, &res)
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
		return p.todaysMix(&res, err)
	}
	res.err = err
	if warm != nil && err == nil {
		warm.basis2 = completeBasis(s, x)
	}
	p.read(x, ly, &res)
	return res
}

// todaysMix is the answer when the optimiser fails: today's shares, each
// cap row allowed what today's mix exceeds it by, and the error, so that
// the plan keeps today's mix and says why.
func (p *lpProblem) todaysMix(res *lpResult, err error) lpResult {
	for l, c := range p.classes {
		res.x[l] = append([]float64(nil), c.today...)
		res.excess[l] = make([]float64, len(res.rows[l]))
		for i, r := range res.rows[l] {
			res.excess[l][i] = r.allow
		}
	}
	res.err = err
	return *res
}

// phase1 finds, from today's mix, the least excess over the cap: each
// class's excess weighted by its share of the annual quantity and by the
// places a row counts. It records each class's least total excess and
// whether the cap can be met; when the optimiser fails, no class meets it.
func (p *lpProblem) phase1(s *sf, ly *layout, res *lpResult, today []float64) ([]float64, error) {
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
		return nil, err
	}
	for l := range p.classes {
		for i, e := range ly.e[l] {
			if e >= 0 {
				res.total[l] += float64(len(res.rows[l][i].places)) * math.Max(x[e], 0)
			}
		}
		res.capMet[l] = res.total[l] <= excessTol
	}
	return x, nil
}

// keepExcess adds phase 2's rows that hold each class's total excess at
// the least phase 1 found (within excessTol), so that the objective is
// optimised among the mixes that give way to the cap no more than needed.
func (p *lpProblem) keepExcess(s *sf, ly *layout, res *lpResult) {
	ly.totSl = zeroedInts(ly.totSl, len(p.classes))
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
}

// read takes the shares and each cap row's excess out of the solution x,
// negatives of rounding noise made 0.
func (p *lpProblem) read(x []float64, ly *layout, res *lpResult) {
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
}

// objective adds phase 2's objective (and, for worst, its epigraph rows).
// Costs are scaled so that the largest is about 1; a current source gets a
// tie-break of 1e-9 so that equal costs keep today's sources.
func (p *lpProblem) objective(s *sf, ly *layout) {
	L := len(p.classes)
	ly.z = zeroedInts(ly.z, L)
	ly.zRows, ly.zSl = emptied(ly.zRows, L), emptied(ly.zSl, L)
	ly.zScale, ly.zOffset = zeroed(ly.zScale, L), zeroed(ly.zOffset, L)
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
