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
	planned := rc.workWhere(func(w *lineWork) bool { return w.cls >= 0 })
	plan.Planned = len(planned)
	plan.Current = make([]decimal.Decimal, rc.S)
	plan.Recommended = make([]decimal.Decimal, rc.S)
	totals := newPlanTotals(rc.S)
	totals.rc = rc
	// Line plans are made a chunk at a time: the totals take every line,
	// but only the maxLinePlans largest expected savings are kept, so that
	// a BOM of a million lines does not hold a plan for each. A chunk's
	// plans are added to the totals, in order, while the next chunk's are
	// computed.
	// Each line's exact figures per scenario are runs of a slab that goes
	// with its buffer. (A chunk of 1024 lines keeps both workers busy;
	// the buffers are a few MB.)
	const chunk = 1024
	// Whether a line's plan is listed depends on its class alone (its
	// shares, note and cap breaks): counted first, the list is made at
	// its size, or at most what collect keeps between its trims.
	parallel(len(rc.classes), func(ci int) {
		c := rc.classes[ci]
		c.maxShare, c.capBreaks = rc.capBreaks(c)
	})
	listed := 0
	for _, k := range planned {
		if rc.classes[rc.work[k].cls].listed() {
			listed++
		}
	}
	if listed > 0 { // none: Lines stays nil
		plan.Lines = make([]LinePlan, 0, min(listed, 2*maxLinePlans+chunk))
	}
	n0 := min(chunk, len(planned))
	bufs := [2][]lineOut{make([]lineOut, 0, n0), make([]lineOut, 0, n0)}
	slabs := [2][]dec128.Decimal{make([]dec128.Decimal, 2*rc.S*n0), make([]dec128.Decimal, 2*rc.S*n0)}
	var adding sync.WaitGroup
	for n, start := 0, 0; start < len(planned); n, start = n+1, start+chunk {
		part := planned[start:min(start+chunk, len(planned))]
		buf, slab := bufs[n%2][:len(part)], slabs[n%2]
		parallel(len(part), func(i int) { rc.linePlan(part[i], &buf[i], slab[2*rc.S*i:2*rc.S*(i+1)]) })
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
func (rc *recContext) collect(buf []lineOut, totals *planTotals) {
	plan := rc.plan
	for i := range buf {
		totals.add(&buf[i])
		if buf[i].listed {
			plan.Lines = append(plan.Lines, buf[i].lp)
		}
		buf[i] = lineOut{} // the buffer is the next chunk but one's: keep nothing alive
	}
	if len(plan.Lines) > 2*maxLinePlans {
		plan.Lines = largestSavings(plan.Lines) // on its array, which finish sized
	}
}

// unplanned lists the exposed lines without alternatives: the largest by
// expected change, and the total of them all.
func (rc *recContext) unplanned() {
	m := rc.m
	in := m.in
	plan := rc.plan
	un := rc.workWhere(func(w *lineWork) bool { return w.exposed && w.cls < 0 && !w.skipped })
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
	var total partSum
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
// to them, one at a time in BOM order: exact sums (partSum, the
// same coefficient and exponent as decimal's Add after Add), so that tens
// of thousands of lines do not allocate a decimal per figure.
type planTotals struct {
	rc                                 *recContext
	dc                                 dec128.Converter
	base, premium, expected, costOfCap partSum
	horizon, qualification             partSum
	current, recommended               []partSum
	spend                              map[stageCountry]*spendSums
	capNotMet, requiredByCap, changed  int
	indicative                         bool
	order                              []stageCountry // spend's keys in the order first met
}

// spendSums is one stage and country's StageSpend being summed.
type spendSums struct{ today, planned partSum }

func newPlanTotals(scenarios int) *planTotals {
	return &planTotals{current: make([]partSum, scenarios), recommended: make([]partSum, scenarios), spend: map[stageCountry]*spendSums{}}
}

// add adds one line's plan to the totals: its exact figures when it has
// them (its decimals of them may be unset), else its decimals.
func (t *planTotals) add(o *lineOut) {
	dc, lp, x := &t.dc, &o.lp, &o.x
	if x.ok {
		t.base.add(x.curBase, dc)
		t.premium.add(x.premium, dc)
		t.expected.add(x.expected, dc)
		for s := range t.current {
			t.current[s].add(x.cur[s], dc)
			t.recommended[s].add(x.rec[s], dc)
		}
	} else {
		t.base.addDecimal(lp.CurrentBaseline, dc)
		t.premium.addDecimal(lp.Premium, dc)
		t.expected.addDecimal(lp.ExpectedSaving, dc)
		for s := range t.current {
			t.current[s].addDecimal(lp.Current[s], dc)
			t.recommended[s].addDecimal(lp.Recommended[s], dc)
		}
	}
	if !lp.CapMet {
		t.capNotMet++
	}
	if lp.RequiredByCap {
		t.requiredByCap++
		if x.ok {
			t.costOfCap.add(x.expected.Neg(), dc)
		} else {
			t.costOfCap.addDecimal(lp.ExpectedSaving.Neg(), dc) // decimal's Sub is Add of the negation
		}
	}
	t.horizon.addDecimal(lp.HorizonSaving, dc)
	t.qualification.addDecimal(lp.QualificationCost, dc)
	if lp.Changed {
		t.changed++
	}
	t.addSpend(o)
}

// addSpend adds a line's baseline, split by today's shares and the
// recommended ones, to the stages' and countries' spend.
func (t *planTotals) addSpend(o *lineOut) {
	b := lineBaseline{b: o.lp.CurrentBaseline, b128: dec128.Of(o.lp.CurrentBaseline)}
	if o.x.ok {
		b = lineBaseline{b128: o.x.curBase, exact: true}
	}
	c := o.c
	for j := range c.cands {
		cd := &c.cands[j]
		t.indicative = t.indicative || cd.alt >= 0 && t.rc.m.in.Alternatives[cd.alt].Indicative
		today, planned := t.product(&b, cd.currentShare), t.product(&b, c.y[j])
		for g := StageMine; g < NumStages; g++ {
			k := stageCountry{g, t.rc.stageCountry(c, j, g)}
			sp := t.spend[k]
			if sp == nil {
				sp = &spendSums{}
				t.spend[k] = sp
				t.order = append(t.order, k)
			}
			t.addProduct(&sp.today, today, &b, cd.currentShare)
			t.addProduct(&sp.planned, planned, &b, c.y[j])
		}
	}
}

// lineBaseline is a line's CurrentBaseline as the spend takes it: in dec128
// (b128), and as a decimal (b), made from b128 when first needed if exact.
type lineBaseline struct {
	b     decimal.Decimal
	b128  dec128.Decimal
	exact bool // b is not made yet
}

// decimal returns the baseline as a decimal.
func (b *lineBaseline) decimal(dc *dec128.Converter) decimal.Decimal {
	if b.exact {
		b.b, b.exact = dc.Decimal(b.b128), false
	}
	return b.b
}

// isZero reports whether the baseline is zero.
func (b *lineBaseline) isZero() bool {
	if b.exact {
		return b.b128.IsZero()
	}
	return b.b.IsZero()
}

// product is mulNonZero(b, share) in dec128; Over when it does not fit
// (addProduct then takes the decimals).
func (t *planTotals) product(b *lineBaseline, share decimal.Decimal) dec128.Decimal {
	if b.isZero() || share.IsZero() || noDec128 {
		return dec128.Decimal{} // mulNonZero's zero, at exponent 0
	}
	if b.b128.Over() {
		return b.b128
	}
	return b.b128.Mul(dec128.Of(share))
}

// addProduct adds p = mulNonZero(b, share) to sum, from the decimals when
// p did not fit.
func (t *planTotals) addProduct(sum *partSum, p dec128.Decimal, b *lineBaseline, share decimal.Decimal) {
	if p.Over() || noDec128 {
		sum.addDecimal(mulNonZero(b.decimal(&t.dc), share), &t.dc)
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
// expected saving, ties in BOM order, in a slice of their number.
func keepLargestSavings(lines *[]LinePlan) {
	*lines = append((*lines)[:0:0], largestSavings(*lines)...)
}

// largestSavings is keepLargestSavings in place: the first maxLinePlans
// of lines sorted by it (the plan keeps adding to them).
func largestSavings(l []LinePlan) []LinePlan {
	sort.Slice(l, func(i, j int) bool {
		if c := l[i].ExpectedSaving.Cmp(l[j].ExpectedSaving); c != 0 {
			return c > 0
		}
		return l[i].Index < l[j].Index
	})
	return l[:min(len(l), maxLinePlans)]
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

// lineOut is one line's plan as finish makes it: the LinePlan, and its
// money figures in dec128 when they fit (x.ok). Unless the plan is
// listed, its decimals of those figures and its Candidates are left
// unset: the totals take x, and the class's candidates and shares.
type lineOut struct {
	lp     LinePlan
	x      lineExact
	listed bool
	c      *recClass // its class: the candidates and their shares (c.y)
}

// linePlan computes one line's figures from its class's rounded shares
// into o; slab (2·rc.S) holds its exact figures per scenario.
func (rc *recContext) linePlan(k int, o *lineOut, slab []dec128.Decimal) {
	m := rc.m
	w := &rc.work[k]
	c := rc.classes[w.cls]
	l := &m.in.BOM.Lines[w.line]
	pi := m.prodIdx[l.Product]
	*o = lineOut{lp: LinePlan{Index: int(w.line), Line: l, Group: c.group, Note: c.note, Heavy: c.heavy}, c: c}
	lp := &o.lp
	cur := make([]decimal.Decimal, len(c.cands))
	for j := range c.cands {
		cur[j] = c.cands[j].currentShare
		lp.Changed = lp.Changed || !cur[j].Equal(c.y[j])
	}
	mc := c.first
	if mc == nil || c.lines[0] != k {
		mc = rc.mixCosts(w, cur, c.y, slab[:rc.S:rc.S], slab[rc.S:])
	}
	ls := lineScratchPool.Get().(*lineScratch)
	defer lineScratchPool.Put(ls)
	var expSign int
	if rc.exactFigures(mc, &o.x, lp) {
		expSign = o.x.expected.Sign()
	} else {
		mc.decimals(&ls.dc)
		rc.decimalFigures(mc, lp)
		expSign = lp.ExpectedSaving.Sign()
	}
	lp.Kept = !lp.Changed && c.note == ""
	lp.RequiredByCap = lp.Changed && expSign < 0
	// The indexes and cap breaks are the class's: its lines have the
	// same candidates and shares. They are worked out once, by the first
	// of its lines to get here, and shared (CapBreaks is only read). The
	// indexes only for a listed plan (whether it is depends on the class
	// alone): the others' are not shown.
	c.shareOnce.Do(func() {
		if c.listed() {
			country := func(j int, g Stage) string { return rc.stageCountry(c, j, g) }
			c.hhi = &[2][capStages]HHI{stageHHIOf(len(c.cands), country, cur, c.heavy), stageHHIOf(len(c.cands), country, c.y, c.heavy)}
		}
	})
	if c.hhi != nil {
		lp.HHIBefore, lp.HHIAfter = c.hhi[0], c.hhi[1]
	}
	lp.MaxShare, lp.CapBreaks = c.maxShare, c.capBreaks
	lp.CapMet = len(lp.CapBreaks) == 0
	// SPEC section 8: a line whose plan is today's mix is not listed,
	// unless there is something to say about it: a note, or a stage left
	// above the cap, which must be named.
	if o.listed = lp.Changed || lp.Note != "" || !lp.CapMet; o.listed {
		lp.AnnualQty = m.qty[w.line].Mul(m.in.BOM.Products[pi].AnnualVolume)
		rc.listedCandidates(lp, c)
		if o.x.ok {
			o.x.setDecimals(lp, &ls.dc)
		}
	}
	rc.timing(lp, w, c, cur)
}

// decimalFigures sets lp's money figures from mc's decimals.
func (rc *recContext) decimalFigures(mc *mix, lp *LinePlan) {
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
}

// listedCandidates gives a listed line plan its candidates with the
// class's shares.
func (rc *recContext) listedCandidates(lp *LinePlan, c *recClass) {
	lp.Candidates = make([]Candidate, len(c.cands))
	for j := range lp.Candidates {
		lp.Candidates[j] = rc.candidate(c, j)
		lp.Candidates[j].Share = c.y[j]
		if ri := c.res[j]; ri >= 0 {
			lp.Candidates[j].Shared = rc.res[ri].lines > 1
		}
	}
}

// workWhere lists the work items (indexes in rc.work) that keep says to,
// in order, in a slice of their number: the lists of a million-line BOM
// are not grown by appending.
func (rc *recContext) workWhere(keep func(w *lineWork) bool) []int {
	n := 0
	for k := range rc.work {
		if keep(&rc.work[k]) {
			n++
		}
	}
	out := make([]int, 0, n)
	for k := range rc.work {
		if keep(&rc.work[k]) {
			out = append(out, k)
		}
	}
	return out
}

// listed reports whether the plans of the class's lines are listed (see
// collect): its rounded shares differ from today's, it has a note, or it
// leaves a stage above the cap. Its cap breaks must be set.
func (c *recClass) listed() bool {
	for j := range c.cands {
		if !c.cands[j].currentShare.Equal(c.y[j]) {
			return true
		}
	}
	return c.note != "" || len(c.capBreaks) > 0
}
