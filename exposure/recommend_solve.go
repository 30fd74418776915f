package exposure

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

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
	// One task a grab: the tasks are few and unequal (a group's programs
	// are larger than a run's), and a grab of 64 left one worker idle.
	parallelBatch(len(tasks), 1, func(k int) {
		if rc.m.stopped() {
			return // Recommend returns the context's error
		}
		t := tasks[k]
		sc := rc.takeScratch()
		defer rc.giveScratch(sc)
		if t.shaped {
			warm := &warmStart{}
			for _, ci := range t.classes {
				rc.solveChunk(sc, []int{ci}, map[int]decimal.Decimal{}, warm)
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
					rc.solveChunk(sc, []int{ci}, left, warm[key])
				}
				return
			}
			rc.solveChunk(sc, classes[start:min(start+maxClasses, len(classes))], left, nil)
		}
	})
	rc.scratch = nil // every program is solved
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
		b.WriteString(cd.currentShare.String())
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

// takeScratch returns a solver's buffers for one task: a free one, or new.
func (rc *recContext) takeScratch() *lpScratch {
	rc.scratchMu.Lock()
	defer rc.scratchMu.Unlock()
	if n := len(rc.scratch); n > 0 {
		sc := rc.scratch[n-1]
		rc.scratch = rc.scratch[:n-1]
		return sc
	}
	return &lpScratch{}
}

// giveScratch hands a task's buffers to the tasks that follow.
func (rc *recContext) giveScratch(sc *lpScratch) {
	rc.scratchMu.Lock()
	defer rc.scratchMu.Unlock()
	rc.scratch = append(rc.scratch, sc)
}

// solveChunk solves one program, on the buffers sc, and rounds its
// shares; left holds the capacity earlier chunks of the group left, and
// is updated.
func (rc *recContext) solveChunk(sc *lpScratch, chunk []int, left map[int]decimal.Decimal, warm *warmStart) {
	capLeft := func(ri int) decimal.Decimal {
		if v, ok := left[ri]; ok {
			return v
		}
		return rc.res[ri].cap
	}
	p, active := rc.program(sc, chunk, capLeft)
	p.sc = sc
	sol := p.solve(warm)
	rc.widen(chunk, &sol, active)
	limits := rc.capLimits(chunk, sol)
	// Round the shares onto the grid, keeping caps and capacities; finer
	// grids when the 4-decimal one has no room; today's mix at worst.
	var ys [][]decimal.Decimal
	for places := int32(sharePlaces); places <= 8 && ys == nil; places += 2 {
		ys = rc.roundChunk(chunk, sol, limits, places, capLeft)
	}
	rc.setShares(chunk, sol, ys)
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

// program is the linear program of the chunk's classes, in floats. A
// candidate whose capacity earlier chunks used up (capLeft at most 0)
// stays out of the program (its share is 0); active maps each class's
// program candidates back to its candidates. Its classes and their
// slices are sc's (see lpScratch.classesFor), good until sc's next
// program.
func (rc *recContext) program(sc *lpScratch, chunk []int, capLeft func(int) decimal.Decimal) (*lpProblem, [][]int) {
	p := &lpProblem{capf: rc.capf.InexactFloat64(), worst: rc.plan.Objective == "worst", w: rc.wf}
	resIdx := map[int]int{} // rc.res index → p.caps index
	var resList []int
	active := make([][]int, len(chunk))
	p.classes = sc.classesFor(len(chunk))
	for k, ci := range chunk {
		c := rc.classes[ci]
		w := &rc.work[c.lines[0]]
		n := len(c.cands)
		lc := p.classes[k]
		*lc = lpClass{q: c.q.InexactFloat64(), cost: sc.floats(n), delta: make([][]float64, 0, n), today: sc.floats(n),
			current: make([]bool, 0, n), resCoef: sc.floats(n), res: sc.ints(n)}
		active[k] = sc.ints(n)
		for j, cd := range c.cands {
			ri := c.res[j]
			binds := ri >= 0 && rc.res[ri].binding
			if binds && capLeft(ri).Sign() <= 0 {
				continue
			}
			active[k] = append(active[k], j)
			lc.cost = append(lc.cost, cd.unitCost.InexactFloat64())
			lc.delta = append(lc.delta, rc.figs[w.fig].unit[j*rc.S:(j+1)*rc.S])
			lc.today = append(lc.today, cd.currentShare.InexactFloat64())
			lc.current = append(lc.current, cd.current)
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
		// The class's capped countries, shared when every candidate takes
		// part (the program only reads them).
		lc.countries = c.capped
		if len(active[k]) < n {
			lc.countries = make([][capStages]string, len(active[k]))
			for i, j := range active[k] {
				lc.countries[i] = c.capped[j]
			}
		}
	}
	return p, active
}

// widen maps the solution's shares and cap-row members from the program's
// candidates (active) back to all the class's candidates, those left out
// getting share 0, so that rounding and the plan index candidates alike.
func (rc *recContext) widen(chunk []int, sol *lpResult, active [][]int) {
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
}

// capLimits is each cap row's limit: the cap plus the excess the program
// gave it, up to the grid, never above today's share where that was
// higher.
func (rc *recContext) capLimits(chunk []int, sol lpResult) [][]decimal.Decimal {
	limits := make([][]decimal.Decimal, len(chunk))
	for k, ci := range chunk {
		c := rc.classes[ci]
		for r, row := range sol.rows[k] {
			var today decimal.Decimal
			for _, j := range row.members {
				today = today.Add(c.cands[j].currentShare)
			}
			lim := rc.capf
			if e := sol.excess[k][r]; e > 1e-12 {
				lim = decimal.Min(decimal.NewFromFloat(math.Ceil((rc.capf.InexactFloat64()+e)*1e4-1e-6)/1e4), decimal.Max(rc.capf, today))
			}
			limits[k] = append(limits[k], lim)
		}
	}
	return limits
}

// setShares gives each class of the chunk its cap rows, least excess and
// rounded shares ys, or today's mix with a note when no grid had room
// (ys nil); an optimiser that did not finish is noted too.
func (rc *recContext) setShares(chunk []int, sol lpResult, ys [][]decimal.Decimal) {
	for k, ci := range chunk {
		c := rc.classes[ci]
		c.rows, c.total = sol.rows[k], sol.total[k]
		if sol.err != nil {
			c.note = "the optimiser did not finish (" + sol.err.Error() + "); the shares meet the constraints but may not be the cheapest"
		}
		if ys == nil {
			c.y = make([]decimal.Decimal, len(c.cands))
			for j, cd := range c.cands {
				c.y[j] = cd.currentShare
			}
			c.note = "the shares could not be rounded within the constraints; today's mix is kept"
			continue
		}
		c.y = ys[k]
	}
}

// keepIfBetter puts today's mix back when it gives way to the cap no
// more than the program had to (its total excess is the least) and the
// rounded recommendation is no cheaper by the objective. Today's sources
// have no capacity limit, so this only frees capacity.
func (rc *recContext) keepIfBetter(c *recClass) {
	cur := make([]decimal.Decimal, len(c.cands))
	same := true
	for j, cd := range c.cands {
		cur[j] = cd.currentShare
		same = same && cur[j].Equal(c.y[j])
	}
	if same || c.todayExcess() > c.total+1e-7 {
		return
	}
	// The class's lines are the same per unit, so its first line decides.
	mc := rc.mixCosts(&rc.work[c.lines[0]], cur, c.y, nil, nil)
	var dc dec128.Converter
	mc.decimals(&dc)
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
		mc.rec128, mc.recBase128 = mc.cur128, mc.curBase128
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
	// exact: the same figures in dec128 (mixCosts128), the decimals
	// above made only when asked (decimals; then hasDecimals).
	exact, hasDecimals     bool
	cur128, rec128         []dec128.Decimal
	curBase128, recBase128 dec128.Decimal
}

// mixCosts computes a line's annual costs: C_j = q c_j, A_js = Q_p · X_js
// (Result.Parts' figure with x_j = 1), and a mix's annual cost in
// scenario s is Σ_j x_j (C_j + A_js). In dec128 when the figures fit,
// into curS and recS (len rc.S, or nil for new ones), else in decimals.
func (rc *recContext) mixCosts(w *lineWork, cur, rec []decimal.Decimal, curS, recS []dec128.Decimal) *mix {
	ls := lineScratchPool.Get().(*lineScratch)
	defer lineScratchPool.Put(ls)
	if c128, ok := rc.candidates128Of(w, ls); ok {
		if mass, ok := rc.m.mass128Into(&rc.m.in.BOM.Lines[w.line], ls); ok {
			if mc, ok := rc.mixCosts128(w, c128, mass, cur, rec, curS, recS); ok {
				return mc
			}
		}
	}
	return rc.mixCostsDecimal(w, rc.exactCandidates(w), cur, rec)
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
