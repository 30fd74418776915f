package exposure

import (
	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// The plan's money figures per line (mixCosts, monthlySaving) computed in
// dec128, the same decimals to the exponent; each falls back to its
// decimal.Decimal definition when a figure needs more than 128 bits. The
// plan computes them for tens of thousands of lines, over every scenario
// or month.

// noDec128, set by tests, makes every figure computed in dec128 take its
// decimal definition instead, so that the two can be compared.
var noDec128 bool

// candidate128 is a candidate's figures in dec128.
type candidate128 struct {
	parts       []candPart128
	cost, value dec128.Decimal
}

type candPart128 struct {
	prof         *profile
	cost, weight dec128.Decimal
}

// unitDelta128 is unitDelta in dec128, for a line whose positive masses
// are mass.
func (rc *recContext) unitDelta128(mass []massIdx, pi int, c *candidate128, s int) dec128.Decimal {
	var x dec128.Decimal
	for _, pt := range c.parts {
		y := partDelta128(rc.factors[pt.prof].dec[s*len(rc.m.in.BOM.Products)+pi].fixed, mass, c.value, pt.cost)
		if y.Over() {
			return y
		}
		if !pt.weight.IsOne() {
			y = y.Mul(pt.weight)
		}
		x = x.Add(y)
	}
	return x
}

// mixCosts128 is mixCostsDecimal in dec128, on the line's candidates and
// masses in dec128, into curS and recS (len rc.S, nil for new ones): an
// exact mix, whose decimals are made when asked (mix.decimals); false
// when a figure does not fit.
func (rc *recContext) mixCosts128(w *lineWork, c128 []candidate128, mass []massIdx, cur, rec []decimal.Decimal, curS, recS []dec128.Decimal) (*mix, bool) {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	pi := m.prodIdx[l.Product]
	qty := dec128.Of(m.qty[w.line])
	q := qty.Mul(dec128.Of(m.in.BOM.Products[pi].AnnualVolume))
	if q.Over() {
		return nil, false
	}
	if curS == nil {
		curS, recS = make([]dec128.Decimal, rc.S), make([]dec128.Decimal, rc.S)
	} else {
		clear(curS)
		clear(recS)
	}
	var curBase, recBase dec128.Decimal
	for j := range c128 {
		cd := &c128[j]
		xc, xr := dec128.Of(cur[j]), dec128.Of(rec[j])
		if xc.IsZero() && xr.IsZero() {
			continue
		}
		C := q.Mul(cd.cost)
		curBase = curBase.Add(xc.Mul(C))
		recBase = recBase.Add(xr.Mul(C))
		for s := 0; s < rc.S; s++ {
			v := C.Add(qty.Mul(rc.unitDelta128(mass, pi, cd, s)))
			if !xc.IsZero() {
				curS[s] = curS[s].Add(xc.Mul(v))
			}
			if !xr.IsZero() {
				recS[s] = recS[s].Add(xr.Mul(v))
			}
		}
	}
	if curBase.Over() || recBase.Over() {
		return nil, false
	}
	for s := range curS {
		if curS[s].Over() || recS[s].Over() {
			return nil, false
		}
	}
	return &mix{exact: true, cur128: curS, rec128: recS, curBase128: curBase, recBase128: recBase}, true
}

// expectedMonthly128 fills f's probability-weighted monthly factors in
// dec128 from the decimals expectedMonthly made.
func (f *recFactors) expectedMonthly128() {
	f.ok128 = true
	f.eg128 = make([][]dec128.Decimal, len(f.eg))
	f.ev128, f.ec128 = make([]dec128.Decimal, len(f.ev)), make([]dec128.Decimal, len(f.ec))
	for t := range f.eg {
		f.eg128[t] = make([]dec128.Decimal, len(f.eg[t]))
		for e, v := range f.eg[t] {
			f.eg128[t][e] = dec128.Of(v)
			f.ok128 = f.ok128 && !f.eg128[t][e].Over()
		}
		f.ev128[t], f.ec128[t] = dec128.Of(f.ev[t]), dec128.Of(f.ec[t])
		f.ok128 = f.ok128 && !f.ev128[t].Over() && !f.ec128[t].Over()
	}
}

// addProduct128 is addProduct in dec128: sum + a·b, or sum when a or b is
// zero.
func addProduct128(sum, a, b dec128.Decimal) dec128.Decimal {
	if a.IsZero() || b.IsZero() {
		return sum
	}
	return sum.Add(a.Mul(b))
}

// monthlySaving128 is monthlySavingDecimal in dec128, returning dec128
// values too (timing sums them); false when a figure does not fit.
func (rc *recContext) monthlySaving128(w *lineWork, cur, rec []decimal.Decimal) ([]dec128.Decimal, bool) {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	H := m.horizon
	ls := lineScratchPool.Get().(*lineScratch)
	defer lineScratchPool.Put(ls)
	c128, ok := rc.candidates128Of(w, ls)
	mass, ok2 := m.mass128Into(l, ls)
	if !ok || !ok2 {
		return nil, false
	}
	out := make([]dec128.Decimal, H+1) // Σ_j d_j (c_j + X_jt), divided by 12 at the end
	for j := range c128 {
		cd := &c128[j]
		d := dec128.Of(cur[j]).Sub(dec128.Of(rec[j]))
		if d.IsZero() {
			continue
		}
		for _, pt := range cd.parts {
			if !rc.factors[pt.prof].ok128 {
				return nil, false
			}
		}
		for t := 1; t <= H; t++ {
			x := cd.cost
			for _, pt := range cd.parts {
				f := rc.factors[pt.prof]
				var y dec128.Decimal
				for _, x := range mass {
					y = addProduct128(y, x.kg, f.eg128[t][x.e])
				}
				y = addProduct128(y, cd.value, f.ev128[t])
				y = addProduct128(y, pt.cost, f.ec128[t])
				x = addProduct128(x, pt.weight, y)
			}
			out[t] = out[t].Add(d.Mul(x))
		}
	}
	twelve128 := dec128.Of(twelve)
	for t := 1; t <= H; t++ {
		if !out[t].IsZero() {
			out[t] = out[t].DivRound(twelve128, divPlaces)
		}
		if out[t].Over() {
			return nil, false
		}
	}
	return out, true
}

// horizonSaving128 is timing's sum in dec128: the payback month and the
// saving over months from..H; false when a figure does not fit.
func horizonSaving128(annualQty, qualCost decimal.Decimal, monthly []dec128.Decimal, from, H int) (payback int, saving decimal.Decimal, ok bool) {
	q, qc := dec128.Of(annualQty), dec128.Of(qualCost)
	var sum dec128.Decimal
	for t := from; t <= H; t++ {
		sum = sum.Add(q.Mul(monthly[t]))
		if payback == 0 && sum.Sign() > 0 {
			d := sum.Sub(qc)
			if d.Over() {
				return 0, decimal.Decimal{}, false
			}
			if d.Sign() >= 0 {
				payback = t
			}
		}
	}
	h := sum.Sub(qc)
	if h.Over() {
		return 0, decimal.Decimal{}, false
	}
	var dc dec128.Converter
	return payback, dc.Decimal(h), true
}

// unplannedFigures are an unplanned line's expected annual delta, in
// dec128 when exact, else in decimals. A million-line BOM has nearly as
// many: the largest delta of the few listed is worked out after.
type unplannedFigures struct {
	exp    decimal.Decimal
	exp128 dec128.Decimal
	exact  bool
}

// massIdx is a line's positive mass of one element in dec128 and the
// element's index, looked up once per line rather than per scenario and
// source.
type massIdx struct {
	kg dec128.Decimal
	e  int
}

// unplannedDeltas128 computes an unplanned line's annual delta in each
// scenario (lineDelta), in dec128, into out (len rc.S); false, with out
// meaningless, when a figure does not fit.
func (rc *recContext) unplannedDeltas128(w *lineWork, pi int, out []dec128.Decimal) bool {
	if noDec128 {
		return false
	}
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	value, ok := m.materialValue128(l)
	qty := dec128.Of(m.qty[w.line])
	if !ok || qty.Over() {
		return false
	}
	var buf [8]massIdx
	mass := buf[:0]
	for _, cm := range l.Content {
		if cm.Kg.Sign() > 0 {
			x := massIdx{kg: dec128.Of(cm.Kg), e: m.elemIdx[cm.Element]}
			if x.kg.Over() {
				return false
			}
			mass = append(mass, x)
		}
	}
	for s := range out {
		out[s] = dec128.Decimal{}
	}
	P := len(m.in.BOM.Products)
	for j := range l.Sources {
		src := &l.Sources[j]
		f, cost, share := rc.factors[m.sourceProfiles(int(w.line))[j]], dec128.Of(src.UnitCost), dec128.Of(src.Share)
		for s := range out {
			// unitDelta128 of the source's single part, weight one.
			var x dec128.Decimal
			x = x.Add(partDelta128(f.dec[s*P+pi].fixed, mass, value, cost))
			out[s] = out[s].Add(share.Mul(x))
		}
	}
	for s := range out {
		if out[s] = out[s].Mul(qty); out[s].Over() {
			return false
		}
	}
	return true
}

// partDelta128 is a part's annual delta per unit before its weight, as
// unitDelta128 sums it: the masses' element factors, shortage and
// carrying on the material value, tariff on the cost.
func partDelta128(f *part128, mass []massIdx, value, cost dec128.Decimal) dec128.Decimal {
	if !f.ok {
		return dec128.Overflowed()
	}
	var y dec128.Decimal
	for _, x := range mass {
		if g := f.gAnnual[x.e]; !g.IsZero() {
			y = y.Add(x.kg.Mul(g))
		}
	}
	y = y.Add(value.MulNonZero(f.fAnnual[spShortage])).Add(value.MulNonZero(f.fAnnual[spCarrying]))
	return y.Add(cost.MulNonZero(f.fAnnual[spTariff]))
}

// unplanned128 sets an unplanned line's expected annual delta in dec128:
// lineDelta per scenario, weighted by the probabilities (w128, rc.w in
// dec128), using deltas (len rc.S) for the scenarios' figures. False,
// with nothing set, when a figure does not fit.
func (rc *recContext) unplanned128(w *lineWork, pi int, w128, deltas []dec128.Decimal, u *unplannedFigures) bool {
	if !rc.unplannedDeltas128(w, pi, deltas) {
		return false
	}
	var exp dec128.Decimal
	for s, a := range deltas {
		exp = exp.Add(w128[s].Mul(a))
	}
	if exp.Over() {
		return false
	}
	u.exp128, u.exact = exp, true
	return true
}

// unplannedWorst is an unplanned line's largest annual delta over the
// scenarios (the first of equal ones), as lineDelta gives them.
func (rc *recContext) unplannedWorst(w *lineWork, pi int, dc *dec128.Converter) decimal.Decimal {
	deltas := make([]dec128.Decimal, rc.S)
	if rc.unplannedDeltas128(w, pi, deltas) {
		worst, ok := dec128.Decimal{}, true
		for s, a := range deltas {
			if s == 0 {
				worst = a
			} else if d := a.Sub(worst); d.Over() {
				ok = false
				break
			} else if d.Sign() > 0 {
				worst = a
			}
		}
		if ok {
			return dc.Decimal(worst)
		}
	}
	var worst decimal.Decimal
	for s := 0; s < rc.S; s++ {
		if a := rc.lineDelta(w, pi, s); s == 0 || a.GreaterThan(worst) {
			worst = a
		}
	}
	return worst
}

// cmp compares two unplanned lines' expected annual deltas.
func (u *unplannedFigures) cmp(v *unplannedFigures, dc *dec128.Converter) int {
	if u.exact && v.exact {
		if d := u.exp128.Sub(v.exp128); !d.Over() {
			return d.Sign()
		}
	}
	x, y := u.exp, v.exp
	if u.exact {
		x = dc.Decimal(u.exp128)
	}
	if v.exact {
		y = dc.Decimal(v.exp128)
	}
	return x.Cmp(y)
}
