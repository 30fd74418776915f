package exposure

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// candidate is what the line's figures need of one candidate: its parts
// (one for a source or a part-number alternative; for a material-level
// candidate, each of today's sources with its material remade, weighted
// by today's shares), its average unit cost and the value B of the line's
// material.
type candidate struct {
	parts  []candPart
	cost   decimal.Decimal // Σ weight · part cost
	value  decimal.Decimal
	valueF float64
}

// candPart is one way of buying a share of the line within a candidate.
type candPart struct {
	prof           *profile
	cost           decimal.Decimal // unit cost, on which its tariff falls
	weight         decimal.Decimal
	costF, weightF float64 // the same in floats, for the program
}

// newCandPart returns a candPart, with its floats when asked (only the
// program's figures use them, and a decimal's float is costly).
func newCandPart(p *profile, cost, weight decimal.Decimal, floats bool) candPart {
	cp := candPart{prof: p, cost: cost, weight: weight}
	if floats {
		cp.costF, cp.weightF = cost.InexactFloat64(), weight.InexactFloat64()
	}
	return cp
}

// single is a candidate of one part, with its floats.
func single(p *profile, cost, value decimal.Decimal) candidate {
	return singleOf(p, cost, value, true)
}

// singleOf is a candidate of one part, with its floats when asked.
func singleOf(p *profile, cost, value decimal.Decimal, floats bool) candidate {
	cd := candidate{parts: []candPart{newCandPart(p, cost, one, floats)}, cost: cost, value: value}
	if floats {
		cd.valueF = value.InexactFloat64()
	}
	return cd
}

// candidates lists today's sources, then the alternatives, with their
// unit costs: a part-number row's premium applies to today's average unit
// cost; a material row's to the value B of the line's material, inside
// each of today's sources (c_j + B · premium), or its price per kg
// replaces the material's (c_j − B + re_mass_kg · price) (SPEC section 8).
func (rc *recContext) candidates(w *lineWork) []candidate {
	return rc.candidatesOf(w, true)
}

// exactCandidates is candidates without the floats, for the decimal
// figures.
func (rc *recContext) exactCandidates(w *lineWork) []candidate {
	return rc.candidatesOf(w, false)
}

// candidatesOf is candidates, with the floats when asked.
func (rc *recContext) candidatesOf(w *lineWork, floats bool) []candidate {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	out, value := rc.sourceCandidatesOf(w, len(l.Sources)+int(w.nAlts), floats)
	var avg decimal.Decimal
	for _, s := range l.Sources {
		avg = avg.Add(s.Share.Mul(s.UnitCost))
	}
	profs := rc.altProfs[w.prof0:]
	for _, a := range rc.altsOf(w) {
		alt := &m.in.Alternatives[a]
		if alt.PartNumber != "" {
			c := alt.UnitCost
			if alt.ByPremium {
				c = avg.Mul(one.Add(alt.PremiumPct.Div(hundred)))
			}
			out = append(out, singleOf(profs[0], c, value, floats))
			profs = profs[1:]
			continue
		}
		cd := candidate{value: value}
		if floats {
			cd.valueF = value.InexactFloat64()
		}
		for j, s := range l.Sources {
			c := s.UnitCost.Sub(value).Add(l.MaterialKg.Mul(alt.UnitCost))
			if alt.ByPremium {
				c = s.UnitCost.Add(value.Mul(alt.PremiumPct).Div(hundred))
			}
			cd.parts = append(cd.parts, newCandPart(profs[j], c, s.Share, floats))
			cd.cost = cd.cost.Add(s.Share.Mul(c))
		}
		profs = profs[len(l.Sources):]
		out = append(out, cd)
	}
	return out
}

// sourceCandidates returns the first candidates of candidates, today's
// sources, in a slice of capacity n, and the value B of the line's
// material.
func (rc *recContext) sourceCandidates(w *lineWork, n int) ([]candidate, decimal.Decimal) {
	return rc.sourceCandidatesOf(w, n, true)
}

// sourceCandidatesOf is sourceCandidates, with the floats when asked.
func (rc *recContext) sourceCandidatesOf(w *lineWork, n int, floats bool) ([]candidate, decimal.Decimal) {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	out := make([]candidate, 0, n)
	value := m.materialValue(l)
	for j, s := range l.Sources {
		out = append(out, singleOf(m.sourceProfiles(int(w.line))[j], s.UnitCost, value, floats))
	}
	return out, value
}

// altsOf is w's alternatives, indexes in Input.Alternatives.
func (rc *recContext) altsOf(w *lineWork) []int32 {
	return rc.alts[w.alt0 : w.alt0+w.nAlts]
}

// unitDelta returns a candidate's annual delta per unit of the line's
// exploded quantity, X_s in A_js = Q_p · X_s, exactly as Result.Parts
// computes a source's figures (a material-level candidate: its parts
// weighted by today's shares).
func (rc *recContext) unitDelta(l *Line, pi int, c candidate, s int) decimal.Decimal {
	var x decimal.Decimal
	for _, pt := range c.parts {
		f := rc.factors[pt.prof].dec[s*len(rc.m.in.BOM.Products)+pi]
		var y decimal.Decimal
		for _, cm := range l.Content {
			if cm.Kg.Sign() <= 0 {
				continue
			}
			if g := f.gAnnual[rc.m.elemIdx[cm.Element]]; !g.IsZero() {
				y = y.Add(cm.Kg.Mul(g))
			}
		}
		y = y.Add(mulNonZero(c.value, f.fAnnual.Shortage)).Add(mulNonZero(c.value, f.fAnnual.Carrying))
		y = y.Add(mulNonZero(pt.cost, f.fAnnual.Tariff))
		if !pt.weight.Equal(one) {
			y = y.Mul(pt.weight)
		}
		x = x.Add(y)
	}
	return x
}

// unitDeltaFloat is unitDelta in float64, for the program; false when
// every factor is zero.
func (rc *recContext) unitDeltaFloat(l *Line, kg []float64, pi int, c candidate, s int) (float64, bool) {
	i := s*len(rc.m.in.BOM.Products) + pi
	x, any := 0.0, false
	for _, pt := range c.parts {
		f := rc.factors[pt.prof]
		if !f.nz[i] {
			continue
		}
		any = true
		y := 0.0
		for k, cm := range l.Content {
			if kg[k] > 0 {
				y += kg[k] * f.g[i][rc.m.elemIdx[cm.Element]]
			}
		}
		y += c.valueF*f.fv[i] + pt.costF*f.fc[i]
		x += pt.weightF * y
	}
	return x, any
}

// sourceDeltaFloat is unitDeltaFloat for today's source p (unit cost
// costF, the material's value valueF), a candidate of one part of weight
// 1, with the same operations.
func (rc *recContext) sourceDeltaFloat(l *Line, kg []float64, pi int, p *profile, costF, valueF float64, s int) (float64, bool) {
	i := s*len(rc.m.in.BOM.Products) + pi
	f := rc.factors[p]
	if !f.nz[i] {
		return 0, false
	}
	y := 0.0
	for k, cm := range l.Content {
		if kg[k] > 0 {
			y += kg[k] * f.g[i][rc.m.elemIdx[cm.Element]]
		}
	}
	y += valueF*f.fv[i] + costF*f.fc[i]
	x := 0.0
	x += 1 * y // the part's weight
	return x, true
}

// evaluate decides, in parallel, which lines are exposed and which of
// them could be planned, with today's expected annual delta to rank them.
func (rc *recContext) evaluate() {
	m := rc.m
	parallel(len(rc.work), func(k int) {
		if rc.halted(k) {
			return // Recommend returns the context's error
		}
		w := &rc.work[k]
		l := &m.in.BOM.Lines[w.line]
		pi := m.prodIdx[l.Product]
		// Today's sources as single candidates, in floats, on the stack
		// for most lines: a million lines' candidates were ~200 MB of
		// garbage (their decimals wait for the unsure case below).
		var kgBuf [8]float64
		var srcBuf [4][2]float64 // unit cost, share
		kg, src := kgBuf[:0], srcBuf[:0]
		for _, c := range l.Content {
			kg = append(kg, c.Kg.InexactFloat64())
		}
		for _, s := range l.Sources {
			src = append(src, [2]float64{s.UnitCost.InexactFloat64(), s.Share.InexactFloat64()})
		}
		valueF := rc.materialValueF(l)
		// Exposed: today's mix changes cost in some scenario. Floats
		// decide unless they come out (near) zero; decimals settle it.
		exposed, unsure := false, false
		qty := m.qty[w.line].InexactFloat64()
		for s := 0; s < rc.S; s++ {
			sum, mag := 0.0, 0.0
			any := false
			for j := range l.Sources {
				v, nz := rc.sourceDeltaFloat(l, kg, pi, m.sourceProfiles(int(w.line))[j], src[j][0], valueF, s)
				any = any || nz
				x := src[j][1] * v
				sum += x
				mag += math.Abs(x)
			}
			w.expF += rc.wf[s] * sum * qty
			switch {
			case !any:
			case math.Abs(sum) > 1e-9*mag:
				exposed = true
			default:
				unsure = true
			}
		}
		if !exposed && unsure {
			cands, _ := rc.sourceCandidates(w, len(l.Sources))
			for s := 0; s < rc.S && !exposed; s++ {
				var sum decimal.Decimal
				for j, src := range l.Sources {
					sum = sum.Add(src.Share.Mul(rc.unitDelta(l, pi, cands[j], s)))
				}
				exposed = !sum.IsZero()
			}
		}
		w.exposed = exposed
		w.plannable = exposed && len(l.Sources)+int(w.nAlts) >= 2
	})
}

// classify gives every plannable line that limit kept its figures per
// unit of annual quantity and its class key: after limit, so that a BOM
// with hundreds of thousands of plannable lines computes them for the
// maxPlannedLines planned only.
func (rc *recContext) classify() {
	m := rc.m
	kept := rc.workWhere(func(w *lineWork) bool { return w.plannable })
	rc.figs = make([]lineFigs, len(kept))
	parallel(len(kept), func(i int) {
		if rc.halted(i) {
			return // Recommend returns the context's error
		}
		w := &rc.work[kept[i]]
		l := &m.in.BOM.Lines[w.line]
		pi := m.prodIdx[l.Product]
		vol := m.in.BOM.Products[pi].AnnualVolume.InexactFloat64()
		ls := lineScratchPool.Get().(*lineScratch)
		defer lineScratchPool.Put(ls)
		cands, key, exact := rc.floatCandidates(w, l, pi, ls)
		if !exact {
			cands = rc.candidates(w)
		}
		var kgBuf [8]float64
		kg := kgBuf[:0]
		for _, c := range l.Content {
			kg = append(kg, c.Kg.InexactFloat64())
		}
		// Per unit of annual quantity: X_s / V.
		fig := &rc.figs[i]
		w.fig = int32(i)
		fig.unit = make([]float64, len(cands)*rc.S)
		for j, c := range cands {
			for s := 0; s < rc.S; s++ {
				v, _ := rc.unitDeltaFloat(l, kg, pi, c, s)
				fig.unit[j*rc.S+s] = v / vol
			}
		}
		if fig.key = key; !exact {
			fig.key = rc.classKey(w, l, pi, cands)
		}
	})
}

// limit keeps the program to the maxPlannedLines plannable lines with the
// largest expected annual change: on a BOM with hundreds of thousands of
// exposed lines the plan would otherwise dominate the report's time and
// memory, for lines whose change is smallest. The Plan's notes say how
// many were left out.
func (rc *recContext) limit() {
	plannable := rc.workWhere(func(w *lineWork) bool { return w.plannable })
	if len(plannable) <= maxPlannedLines {
		return
	}
	rc.largestFirst(plannable)
	for _, k := range plannable[maxPlannedLines:] {
		w := &rc.work[k]
		w.plannable, w.skipped = false, true
	}
	rc.plan.Skipped = len(plannable) - maxPlannedLines
	rc.plan.Notes = append(rc.plan.Notes, fmt.Sprintf("%d exposed parts with alternatives are not planned: the plan covers the %d with the largest expected annual change", rc.plan.Skipped, maxPlannedLines))
}

// largestFirst orders work items by |expF|, largest first, ties in
// order: a stable sort, made as a sort of (|expF|, item) pairs, whose
// order is total (several times faster on the hundreds of thousands of a
// large BOM); with a NaN, which orders nothing, the stable sort itself.
func (rc *recContext) largestFirst(items []int) {
	type keyed struct {
		abs  float64
		item int
	}
	ks := make([]keyed, len(items))
	for i, k := range items {
		a := math.Abs(rc.work[k].expF)
		if math.IsNaN(a) {
			sort.SliceStable(items, func(i, j int) bool {
				return math.Abs(rc.work[items[i]].expF) > math.Abs(rc.work[items[j]].expF)
			})
			return
		}
		ks[i] = keyed{a, k}
	}
	slices.SortFunc(ks, func(x, y keyed) int {
		switch {
		case x.abs > y.abs:
			return -1
		case x.abs < y.abs:
			return 1
		}
		return x.item - y.item
	})
	for i := range ks {
		items[i] = ks[i].item
	}
}

// writeClassKeyHead writes what classKey and classKey128 start with:
// the product and the line's positive element masses.
func writeClassKeyHead(b *strings.Builder, l *Line, pi int) {
	b.WriteString(strconv.Itoa(pi))
	b.WriteByte('|')
	for _, c := range l.Content {
		if c.Kg.Sign() > 0 {
			b.WriteString(c.Element)
			b.WriteByte('=')
			b.WriteString(c.Kg.String())
			b.WriteByte(';')
		}
	}
	b.WriteString("|B")
}

// writeClassKeyWho writes who candidate j of line l is, after its
// figures in classKey and classKey128: a source's share and supplier, or
// the alternative's index.
func (rc *recContext) writeClassKeyWho(b *strings.Builder, w *lineWork, l *Line, j int) {
	if j < len(l.Sources) {
		b.WriteByte(':')
		b.WriteString(l.Sources[j].Share.String())
		b.WriteByte(':')
		b.WriteString(l.Sources[j].Supplier)
		return
	}
	b.WriteString(":a")
	b.WriteString(strconv.Itoa(int(rc.alts[int(w.alt0)+j-len(l.Sources)])))
}

// classKey is what makes two lines the same per unit of annual quantity.
func (rc *recContext) classKey(w *lineWork, l *Line, pi int, cands []candidate) string {
	// Appended by hand: fmt's formatting was a quarter of the key's cost.
	var b strings.Builder
	writeClassKeyHead(&b, l, pi)
	b.WriteString(cands[0].value.String())
	for j, c := range cands {
		for _, pt := range c.parts {
			b.WriteByte('|')
			b.WriteString(strconv.Itoa(rc.factors[pt.prof].id))
			b.WriteByte(':')
			b.WriteString(pt.cost.String())
			b.WriteByte(':')
			b.WriteString(pt.weight.String())
		}
		rc.writeClassKeyWho(&b, w, l, j)
	}
	return b.String()
}
