package exposure

import (
	"strconv"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// The line plans' money figures stay in dec128 from the candidates to
// the totals: a decimal.Decimal is made only for a figure a listed line
// plan shows. Most planned lines keep today's mix and only add to the
// totals, and each figure made as a decimal and read back was several
// allocations of tens of thousands of lines' figures.

// lineScratch is one worker's buffers for a line's exact figures, from
// lineScratchPool.
type lineScratch struct {
	dc     dec128.Converter
	cands  []candidate128
	parts  []candPart128
	mass   []massIdx
	fcands []candidate // floatCandidates'
	fparts []candPart
}

var lineScratchPool = sync.Pool{New: func() any { return new(lineScratch) }}

// candidates128Of is candidates128(rc.exactCandidates(w)) computed in
// dec128 from the line's decimals, the same operations in the same order
// (so the same coefficients and exponents), without making a decimal;
// its slices are ls's, good until ls's next use. False when a figure does
// not fit, and with noDec128.
func (rc *recContext) candidates128Of(w *lineWork, ls *lineScratch) ([]candidate128, bool) {
	if noDec128 {
		return nil, false
	}
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	value, ok := m.materialValue128(l)
	if !ok {
		return nil, false
	}
	// Every candidate's parts are runs of one slice, sized first so that
	// appending does not move the runs already handed out.
	nParts := len(l.Sources)
	for _, a := range rc.altsOf(w) {
		if m.in.Alternatives[a].PartNumber != "" {
			nParts++
		} else {
			nParts += len(l.Sources)
		}
	}
	if cap(ls.parts) < nParts {
		ls.parts = make([]candPart128, 0, nParts)
	}
	parts, out := ls.parts[:0], ls.cands[:0]
	one128, hundred128 := dec128.Of(one), dec128.Of(hundred)
	single := func(p *profile, cost dec128.Decimal) candidate128 {
		parts = append(parts, candPart128{prof: p, cost: cost, weight: one128})
		return candidate128{parts: parts[len(parts)-1:], cost: cost, value: value}
	}
	var avg dec128.Decimal
	for j := range l.Sources {
		s := &l.Sources[j]
		out = append(out, single(m.sourceProfiles(int(w.line))[j], dec128.Of(s.UnitCost)))
		avg = avg.Add(dec128.Of(s.Share).Mul(dec128.Of(s.UnitCost)))
	}
	profs := rc.altProfs[w.prof0:]
	for _, a := range rc.altsOf(w) {
		alt := &m.in.Alternatives[a]
		if alt.PartNumber != "" {
			c := dec128.Of(alt.UnitCost)
			if alt.ByPremium {
				c = avg.Mul(one128.Add(dec128.Of(alt.PremiumPct).DivRound(hundred128, int32(decimal.DivisionPrecision))))
			}
			out = append(out, single(profs[0], c))
			profs = profs[1:]
			continue
		}
		cd := candidate128{value: value}
		first := len(parts)
		for j := range l.Sources {
			s := &l.Sources[j]
			var c dec128.Decimal
			if alt.ByPremium {
				c = dec128.Of(s.UnitCost).Add(value.Mul(dec128.Of(alt.PremiumPct)).DivRound(hundred128, int32(decimal.DivisionPrecision)))
			} else {
				c = dec128.Of(s.UnitCost).Sub(value).Add(dec128.Of(l.MaterialKg).Mul(dec128.Of(alt.UnitCost)))
			}
			share := dec128.Of(s.Share)
			parts = append(parts, candPart128{prof: profs[j], cost: c, weight: share})
			cd.cost = cd.cost.Add(share.Mul(c))
		}
		cd.parts = parts[first:]
		profs = profs[len(l.Sources):]
		out = append(out, cd)
	}
	ls.parts, ls.cands = parts, out
	for _, cd := range out {
		if cd.cost.Over() || cd.value.Over() {
			return nil, false
		}
		for _, pt := range cd.parts {
			if pt.cost.Over() || pt.weight.Over() {
				return nil, false
			}
		}
	}
	return out, true
}

// mass128Into lists the line's positive masses in dec128 with their
// elements' indexes, in content order, in ls's buffer; false when one
// does not fit.
func (m *model) mass128Into(l *Line, ls *lineScratch) ([]massIdx, bool) {
	out := ls.mass[:0]
	for _, cm := range l.Content {
		if cm.Kg.Sign() > 0 {
			x := massIdx{kg: dec128.Of(cm.Kg), e: m.elemIdx[cm.Element]}
			if x.kg.Over() {
				return nil, false
			}
			out = append(out, x)
		}
	}
	ls.mass = out
	return out, true
}

// decimals makes the decimals of an exact mix (mixCosts128's), once.
func (mc *mix) decimals(dc *dec128.Converter) {
	if !mc.exact || mc.hasDecimals {
		return
	}
	mc.hasDecimals = true
	mc.curBase, mc.recBase = dc.Decimal(mc.curBase128), dc.Decimal(mc.recBase128)
	mc.cur, mc.rec = make([]decimal.Decimal, len(mc.cur128)), make([]decimal.Decimal, len(mc.rec128))
	for s := range mc.cur128 {
		mc.cur[s], mc.rec[s] = dc.Decimal(mc.cur128[s]), dc.Decimal(mc.rec128[s])
	}
}

// lineExact is a line plan's money figures in dec128, when ok: the
// LinePlan's decimals of them are then made only when it is listed.
type lineExact struct {
	ok                         bool
	cur, rec                   []dec128.Decimal // Current, Recommended
	curBase, recBase           dec128.Decimal   // CurrentBaseline, RecommendedBaseline
	premium, expected, worstSv dec128.Decimal   // Premium, ExpectedSaving, WorstSaving
}

// exactFigures sets x from an exact mix as linePlan's decimals would be
// (Premium, ExpectedSaving, the worst scenarios and WorstSaving), and
// lp's worst scenarios; false, with x not ok, when a figure does not fit.
func (rc *recContext) exactFigures(mc *mix, x *lineExact, lp *LinePlan) bool {
	if !mc.exact || rc.w128 == nil {
		return false
	}
	*x = lineExact{cur: mc.cur128, rec: mc.rec128, curBase: mc.curBase128, recBase: mc.recBase128}
	x.premium = mc.recBase128.Sub(mc.curBase128)
	for s := 0; s < rc.S; s++ {
		x.expected = x.expected.Add(rc.w128[s].Mul(mc.cur128[s].Sub(mc.rec128[s])))
	}
	wc, ok1 := argMax128(mc.cur128)
	wr, ok2 := argMax128(mc.rec128)
	if !ok1 || !ok2 || x.premium.Over() || x.expected.Over() {
		return false
	}
	if rc.S > 0 {
		if x.worstSv = mc.cur128[wc].Sub(mc.rec128[wr]); x.worstSv.Over() {
			return false
		}
	}
	lp.WorstCurrent, lp.WorstRecommended = wc, wr
	x.ok = true
	return true
}

// argMax128 is argMax in dec128; false when a comparison does not fit.
func argMax128(v []dec128.Decimal) (int, bool) {
	best := 0
	for i := range v {
		d := v[i].Sub(v[best])
		if d.Over() {
			return 0, false
		}
		if d.Sign() > 0 {
			best = i
		}
	}
	return best, true
}

// setDecimals makes lp's decimals of the exact figures x.
func (x *lineExact) setDecimals(lp *LinePlan, dc *dec128.Converter) {
	lp.Current, lp.Recommended = make([]decimal.Decimal, len(x.cur)), make([]decimal.Decimal, len(x.rec))
	for s := range x.cur {
		lp.Current[s], lp.Recommended[s] = dc.Decimal(x.cur[s]), dc.Decimal(x.rec[s])
	}
	lp.CurrentBaseline, lp.RecommendedBaseline = dc.Decimal(x.curBase), dc.Decimal(x.recBase)
	lp.Premium, lp.ExpectedSaving = dc.Decimal(x.premium), dc.Decimal(x.expected)
	if len(x.cur) > 0 {
		lp.WorstSaving = dc.Decimal(x.worstSv)
	}
}

// float64Of returns the float64 nearest to x, as decimal's InexactFloat64
// gives it of the same value: strconv.ParseFloat reads x's text (its
// digits and power of ten) rounding to the nearest, ties to even, as
// decimal's conversion (big.Rat's) does. False when x is Over or out of
// float64's range.
func float64Of(x dec128.Decimal) (float64, bool) {
	if x.Over() {
		return 0, false
	}
	var buf [64]byte
	f, err := strconv.ParseFloat(string(x.AppendText(buf[:0])), 64)
	return f, err == nil
}

// materialValueF is materialValue(l).InexactFloat64(), from dec128 when
// the value fits (evaluate takes it for every cost-bearing line, and a
// decimal product allocates).
func (rc *recContext) materialValueF(l *Line) float64 {
	if v, ok := rc.m.materialValue128(l); ok && !noDec128 {
		if f, ok := float64Of(v); ok {
			return f
		}
	}
	return rc.m.materialValue(l).InexactFloat64()
}

// floatCandidates are candidates(w) with only their floats set (what the
// program's figures take), made from candidates128Of, and the line's
// class key as classKey makes it: no decimal is made. Its slices are
// ls's. False, with nothing else, when a figure does not fit.
func (rc *recContext) floatCandidates(w *lineWork, l *Line, pi int, ls *lineScratch) ([]candidate, string, bool) {
	c128, ok := rc.candidates128Of(w, ls)
	if !ok {
		return nil, "", false
	}
	if cap(ls.fparts) < len(ls.parts) {
		ls.fparts = make([]candPart, 0, len(ls.parts))
	}
	parts, out := ls.fparts[:0], ls.fcands[:0]
	for j := range c128 {
		cd := &c128[j]
		valueF, ok := float64Of(cd.value)
		if !ok {
			return nil, "", false
		}
		first := len(parts)
		for _, pt := range cd.parts {
			costF, ok1 := float64Of(pt.cost)
			weightF, ok2 := float64Of(pt.weight)
			if !ok1 || !ok2 {
				return nil, "", false
			}
			parts = append(parts, candPart{prof: pt.prof, costF: costF, weightF: weightF})
		}
		out = append(out, candidate{parts: parts[first:len(parts):len(parts)], valueF: valueF})
	}
	ls.fparts, ls.fcands = parts, out
	return out, rc.classKey128(w, l, pi, c128), true
}

// classKey128 is classKey of the candidates c128, their figures written
// as decimal's String writes them.
func (rc *recContext) classKey128(w *lineWork, l *Line, pi int, c128 []candidate128) string {
	var b strings.Builder
	writeClassKeyHead(&b, l, pi)
	writeDecimal(&b, c128[0].value)
	for j, c := range c128 {
		for _, pt := range c.parts {
			b.WriteByte('|')
			b.WriteString(strconv.Itoa(rc.factors[pt.prof].id))
			b.WriteByte(':')
			writeDecimal(&b, pt.cost)
			b.WriteByte(':')
			writeDecimal(&b, pt.weight)
		}
		rc.writeClassKeyWho(&b, w, l, j)
	}
	return b.String()
}

// writeDecimal writes x (not Over) as decimal's String writes its value:
// the digits with a point, no trailing zeros after it, no exponent.
func writeDecimal(b *strings.Builder, x dec128.Decimal) {
	var buf [64]byte
	text := x.AppendText(buf[:0]) // [-]digits e scale
	e := strings.LastIndexByte(string(text), 'e')
	scale, _ := strconv.Atoi(string(text[e+1:]))
	digits := text[:e]
	neg := digits[0] == '-'
	if neg {
		digits = digits[1:]
	}
	for scale < 0 && len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits, scale = digits[:len(digits)-1], scale+1
	}
	if len(digits) == 1 && digits[0] == '0' {
		b.WriteByte('0')
		return
	}
	if neg {
		b.WriteByte('-')
	}
	if scale >= 0 {
		b.Write(digits)
		for ; scale > 0; scale-- {
			b.WriteByte('0')
		}
		return
	}
	n := -scale
	if len(digits) > n {
		b.Write(digits[:len(digits)-n])
		b.WriteByte('.')
		b.Write(digits[len(digits)-n:])
		return
	}
	b.WriteString("0.")
	for k := len(digits); k < n; k++ {
		b.WriteByte('0')
	}
	b.Write(digits)
}

// partSum is a running sum of decimals, exactly decimal's (zero at
// exponent 0, then Add after Add: the exact value at the least exponent),
// kept in dec128 while it fits, as sum128 is. Past 128 bits sum128 adds
// every later term as a decimal (allocating); a partSum folds the dec128
// sum so far into a decimal and starts another from the term that did
// not fit: one decimal addition per run of terms. The plan's totals add
// tens of thousands of lines' figures of 30 and more digits.
type partSum struct {
	part  dec128.Decimal  // the terms since the last fold
	total decimal.Decimal // the folded runs, from zero at exponent 0
	big   bool            // total holds some
}

// add adds v, which must not be Over.
func (s *partSum) add(v dec128.Decimal, dc *dec128.Converter) {
	if y := s.part.Add(v); !y.Over() {
		s.part = y
		return
	}
	s.total, s.big = s.total.Add(dc.Decimal(s.part)), true
	s.part = v
}

// addDecimal adds v.
func (s *partSum) addDecimal(v decimal.Decimal, dc *dec128.Converter) {
	if x := dec128.Of(v); !x.Over() && !noDec128 {
		s.add(x, dc)
		return
	}
	s.total, s.big = s.total.Add(v), true
}

// decimal returns the sum.
func (s *partSum) decimal(dc *dec128.Converter) decimal.Decimal {
	if !s.big {
		return dc.Decimal(s.part)
	}
	return s.total.Add(dc.Decimal(s.part))
}
