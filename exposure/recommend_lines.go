package exposure

import (
	"fmt"
	"sort"
	"sync"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

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
	totals := newPlanTotals(rc.S)
	// Line plans are made a chunk at a time: the totals take every line,
	// but only the maxLinePlans largest expected savings are kept, so that
	// a BOM of a million lines does not hold a plan for each. A chunk's
	// plans are added to the totals, in order, while the next chunk's are
	// computed.
	const chunk = 4096
	bufs := [2][]LinePlan{make([]LinePlan, 0, chunk), make([]LinePlan, 0, chunk)}
	var adding sync.WaitGroup
	for n, start := 0, 0; start < len(planned); n, start = n+1, start+chunk {
		part := planned[start:min(start+chunk, len(planned))]
		buf := bufs[n%2][:len(part)]
		parallel(len(part), func(i int) { buf[i] = rc.linePlan(part[i]) })
		adding.Wait() // the chunk before: its buffer is the next one's
		adding.Add(1)
		go func() {
			defer adding.Done()
			rc.collect(buf, totals)
		}()
	}
	adding.Wait()
	if len(plan.Lines) > maxLinePlans {
		keepLargestSavings(&plan.Lines)
		plan.Notes = append(plan.Notes, fmt.Sprintf("%d parts have a plan; the %d with the largest expected saving are listed, the totals cover all of them.", plan.Planned, maxLinePlans))
	}
	sort.Slice(plan.Lines, func(i, j int) bool { return plan.Lines[i].Index < plan.Lines[j].Index })
	totals.into(plan)
	plan.WorstCurrent, plan.WorstRecommended = argMax(plan.Current), argMax(plan.Recommended)
	if rc.S > 0 {
		plan.WorstSaving = plan.Current[plan.WorstCurrent].Sub(plan.Recommended[plan.WorstRecommended])
	}
	rc.unplanned()
}

// collect adds a chunk of line plans to the totals and keeps those to
// list (SPEC section 8: a line whose plan is today's mix is not listed,
// unless there is something to say about it: a note, or a stage left
// above the cap, which must be named).
func (rc *recContext) collect(buf []LinePlan, totals *planTotals) {
	plan := rc.plan
	for i := range buf {
		totals.add(&buf[i])
		if buf[i].Changed || buf[i].Note != "" || !buf[i].CapMet {
			plan.Lines = append(plan.Lines, buf[i])
		}
	}
	if len(plan.Lines) > 2*maxLinePlans {
		keepLargestSavings(&plan.Lines)
	}
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
	w128 := make([]dec128.Decimal, rc.S)
	for s, p := range rc.w {
		w128[s] = dec128.Of(p)
	}
	const batch = 1024 // lines a task, which share a scratch slice
	parallelBatch((len(un)+batch-1)/batch, 1, func(b int) {
		deltas := make([]dec128.Decimal, rc.S)
		for i := b * batch; i < min((b+1)*batch, len(un)); i++ {
			w, u := &rc.work[un[i]], &figs[i]
			pi := m.prodIdx[in.BOM.Lines[w.line].Product]
			if !w128Over(w128) && rc.unplanned128(w, pi, w128, deltas, u) {
				continue
			}
			for s := 0; s < rc.S; s++ {
				u.exp = u.exp.Add(rc.w[s].Mul(rc.lineDelta(w, pi, s)))
			}
		}
	})
	var dc dec128.Converter
	var total sum128
	for i := range figs {
		if u := &figs[i]; u.exact {
			total.add(u.exp128, &dc)
		} else {
			total.addDecimal(u.exp, &dc)
		}
	}
	plan.UnplannedDelta = plan.UnplannedDelta.Add(total.decimal(&dc))
	for _, i := range largestUnplanned(figs, un, &dc) {
		w, u := &rc.work[un[i]], &figs[i]
		l := &in.BOM.Lines[w.line]
		pi := m.prodIdx[l.Product]
		if u.exact {
			u.exp = dc.Decimal(u.exp128)
		}
		plan.Unplanned = append(plan.Unplanned, Unplanned{Index: int(w.line), Line: l, AnnualQty: m.qty[w.line].Mul(in.BOM.Products[pi].AnnualVolume),
			Expected: u.exp, Worst: rc.unplannedWorst(w, pi, &dc)})
	}
}

// w128Over reports whether some probability does not fit in dec128.
func w128Over(w []dec128.Decimal) bool {
	for _, v := range w {
		if v.Over() {
			return true
		}
	}
	return false
}

// largestUnplanned returns the places in un (and figs) of the
// MaxUnplanned largest expected deltas, largest first, ties in BOM order:
// the first MaxUnplanned of a stable sort of them all (cmp is exact, so
// this order is total), kept in a short sorted list instead of sorting
// the hundreds of thousands of a large BOM.
func largestUnplanned(figs []unplannedFigures, un []int, dc *dec128.Converter) []int {
	before := func(i, j int) bool {
		if c := figs[i].cmp(&figs[j], dc); c != 0 {
			return c > 0
		}
		return un[i] < un[j]
	}
	top := make([]int, 0, MaxUnplanned)
	for i := range figs {
		if len(top) == MaxUnplanned && !before(i, top[len(top)-1]) {
			continue
		}
		k := sort.Search(len(top), func(p int) bool { return before(i, top[p]) })
		if len(top) < MaxUnplanned {
			top = append(top, 0)
		}
		copy(top[k+1:], top[k:len(top)-1])
		top[k] = i
	}
	return top
}

// planTotals are the portfolio totals while finish adds the line plans
// to them, one at a time in BOM order: exact dec128 sums (sum128, the
// same coefficient and exponent as decimal's Add after Add), so that tens
// of thousands of lines do not allocate a decimal per figure.
type planTotals struct {
	dc                                 dec128.Converter
	base, premium, expected, costOfCap sum128
	horizon, qualification             sum128
	current, recommended               []sum128
	spend                              map[stageCountry]*spendSums
	capNotMet, requiredByCap, changed  int
	indicative                         bool
	order                              []stageCountry // spend's keys in the order first met
}

// spendSums is one stage and country's StageSpend being summed.
type spendSums struct{ today, planned sum128 }

func newPlanTotals(scenarios int) *planTotals {
	return &planTotals{current: make([]sum128, scenarios), recommended: make([]sum128, scenarios), spend: map[stageCountry]*spendSums{}}
}

// add adds one line's plan to the totals.
func (t *planTotals) add(lp *LinePlan) {
	dc := &t.dc
	t.base.addDecimal(lp.CurrentBaseline, dc)
	t.premium.addDecimal(lp.Premium, dc)
	t.expected.addDecimal(lp.ExpectedSaving, dc)
	for s := range t.current {
		t.current[s].addDecimal(lp.Current[s], dc)
		t.recommended[s].addDecimal(lp.Recommended[s], dc)
	}
	if !lp.CapMet {
		t.capNotMet++
	}
	if lp.RequiredByCap {
		t.requiredByCap++
		t.costOfCap.addDecimal(lp.ExpectedSaving.Neg(), dc) // decimal's Sub is Add of the negation
	}
	t.horizon.addDecimal(lp.HorizonSaving, dc)
	t.qualification.addDecimal(lp.QualificationCost, dc)
	if lp.Changed {
		t.changed++
	}
	base := dec128.Of(lp.CurrentBaseline)
	for _, cd := range lp.Candidates {
		t.indicative = t.indicative || cd.Indicative
		today, planned := t.product(base, lp.CurrentBaseline, cd.CurrentShare), t.product(base, lp.CurrentBaseline, cd.Share)
		for g := StageMine; g < NumStages; g++ {
			k := stageCountry{g, cd.Countries[g]}
			sp := t.spend[k]
			if sp == nil {
				sp = &spendSums{}
				t.spend[k] = sp
				t.order = append(t.order, k)
			}
			t.addProduct(&sp.today, today, lp.CurrentBaseline, cd.CurrentShare)
			t.addProduct(&sp.planned, planned, lp.CurrentBaseline, cd.Share)
		}
	}
}

// product is mulNonZero(b, share) in dec128, with b128 = b; Over when it
// does not fit (addProduct then takes the decimals).
func (t *planTotals) product(b128 dec128.Decimal, b, share decimal.Decimal) dec128.Decimal {
	if b.IsZero() || share.IsZero() || noDec128 {
		return dec128.Decimal{} // mulNonZero's zero, at exponent 0
	}
	if b128.Over() {
		return b128
	}
	return b128.Mul(dec128.Of(share))
}

// addProduct adds p = mulNonZero(b, share) to sum, from the decimals when
// p did not fit.
func (t *planTotals) addProduct(sum *sum128, p dec128.Decimal, b, share decimal.Decimal) {
	if p.Over() || noDec128 {
		sum.addDecimal(mulNonZero(b, share), &t.dc)
		return
	}
	sum.add(p, &t.dc)
}

// into sets the plan's totals and Spend (by stage then country).
func (t *planTotals) into(plan *Plan) {
	dc := &t.dc
	plan.CurrentBaseline = plan.CurrentBaseline.Add(t.base.decimal(dc))
	plan.Premium = plan.Premium.Add(t.premium.decimal(dc))
	plan.ExpectedSaving = plan.ExpectedSaving.Add(t.expected.decimal(dc))
	plan.CostOfCap = plan.CostOfCap.Add(t.costOfCap.decimal(dc))
	plan.HorizonSaving = plan.HorizonSaving.Add(t.horizon.decimal(dc))
	plan.QualificationCost = plan.QualificationCost.Add(t.qualification.decimal(dc))
	for s := range t.current {
		plan.Current[s] = plan.Current[s].Add(t.current[s].decimal(dc))
		plan.Recommended[s] = plan.Recommended[s].Add(t.recommended[s].decimal(dc))
	}
	plan.CapNotMet += t.capNotMet
	plan.RequiredByCap += t.requiredByCap
	plan.Changed += t.changed
	plan.IndicativeCandidate = plan.IndicativeCandidate || t.indicative
	for _, k := range t.order {
		sp := t.spend[k]
		plan.Spend = append(plan.Spend, StageSpend{Stage: k.stage, Country: k.country, Today: sp.today.decimal(dc), Planned: sp.planned.decimal(dc)})
	}
	sort.Slice(plan.Spend, func(i, j int) bool {
		a, b := plan.Spend[i], plan.Spend[j]
		if a.Stage != b.Stage {
			return a.Stage < b.Stage
		}
		return a.Country < b.Country
	})
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
		a = a.Add(src.Share.Mul(rc.unitDelta(l, pi, single(rc.m.sourceProfiles(int(w.line))[j], src.UnitCost, value), s)))
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
	lp := LinePlan{Index: int(w.line), Line: l, AnnualQty: q, Group: c.group, Note: c.note, Heavy: c.heavy}
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
	// The indexes and cap breaks are the class's: its lines have the
	// same candidates and shares. They are worked out once, by the first
	// of its lines to get here, and shared (CapBreaks is only read).
	c.shareOnce.Do(func() {
		c.hhiBefore, c.hhiAfter = stageHHI(lp.Candidates, cur, c.heavy), stageHHI(lp.Candidates, c.y, c.heavy)
		c.maxShare, c.capBreaks = rc.capBreaks(c)
	})
	lp.HHIBefore, lp.HHIAfter = c.hhiBefore, c.hhiAfter
	lp.MaxShare, lp.CapBreaks = c.maxShare, c.capBreaks
	lp.CapMet = len(lp.CapBreaks) == 0
	rc.timing(&lp, w, c, cur)
	return lp
}
