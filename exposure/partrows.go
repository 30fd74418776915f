package exposure

import (
	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// parts yields one PartRow per line that bears cost or holds rare-earth
// content, computing its figures from the profiles' factors.
func (m *model) parts(r *Result, o PartOptions, fn func(PartRow) error) error {
	return m.partRange(r, o, newPartCalc(m, o), 0, len(m.in.BOM.Lines), fn)
}

// partRange is parts over lines lo to hi-1, with pc's scratch.
func (m *model) partRange(r *Result, o PartOptions, pc *partCalc, lo, hi int, fn func(PartRow) error) error {
	lines := m.in.BOM.Lines
	elems := pc.elems[:0] // element index per content entry, -1 when no mass
	defer func() { pc.elems = elems }()
	for i := lo; i < hi; i++ {
		if i%4096 == 0 && m.stopped() { // ComputeContext's context is done
			return m.ctxErr()
		}
		l := &lines[i]
		if o.Keep != nil && !o.Keep(l) {
			continue
		}
		hasContent := false
		elems = elems[:0]
		for _, c := range l.Content {
			if c.Kg.Sign() > 0 {
				hasContent = true
				elems = append(elems, m.elemIdx[c.Element])
			} else {
				elems = append(elems, -1)
			}
		}
		if !m.costBearing[i] && !hasContent {
			continue
		}
		row := PartRow{Index: i, Line: l, Level: int(m.level[i]), CostBearing: m.costBearing[i]}
		if o.NoFigures {
			if err := fn(row); err != nil {
				return err
			}
			continue
		}
		pi := m.prodIdx[l.Product]
		vol := r.Products[pi].AnnualVolume
		row.Qty = m.qty[i]
		val := pc.materialValue(&row, l, o)
		pc.quantities(&row, i, vol, o)
		if !o.NoClasses {
			row.ClassProb = pc.classes(i, elems)
		}
		if !o.NoDeltas {
			pc.rowDeltas(&row, pi, elems, val, vol, o)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// materialValue sets row's material value B and returns it in dec128
// (Over when it does not fit, and when o.NoDeltas, which needs it not).
// With o.ExactQty it is computed in dec128 alone where it fits
// (PartRow.ExactMaterialValue), without decimal's allocations.
func (pc *partCalc) materialValue(row *PartRow, l *Line, o PartOptions) dec128.Decimal {
	if o.ExactQty && !noDec128 {
		if v, ok := pc.m.materialValue128(l); ok {
			row.value128, row.valueExact = v, true
			return v
		}
	}
	row.MaterialValue = pc.m.materialValue(l)
	if o.NoDeltas {
		return dec128.Overflowed()
	}
	return dec128.Of(row.MaterialValue)
}

// rowDeltas sets row's deltas, in dec128 where they fit, else through
// deltasDecimal; val is the line's material value in dec128.
func (pc *partCalc) rowDeltas(row *PartRow, pi int, elems []int, val dec128.Decimal, vol decimal.Decimal, o PartOptions) {
	m, i := pc.m, row.Index
	if o.AnnualOnly {
		row.annual = pc.newAnnual() // the caller may keep the row, unless o.Transient
		if !pc.deltas(nil, row.annual, i, pi, elems, val, o) {
			row.annual = nil
			row.Deltas = pc.newDeltas()
			m.deltasDecimal(row.Deltas, i, pi, elems, row.MaterialValueDecimal(&pc.dc), vol)
		}
		return
	}
	row.Deltas = pc.newDeltas() // the caller may keep the row, unless o.Transient
	if !pc.deltas(row.Deltas, nil, i, pi, elems, val, o) {
		m.deltasDecimal(row.Deltas, i, pi, elems, row.MaterialValueDecimal(&pc.dc), vol)
		if o.NoSplit {
			for s := range row.Deltas {
				row.Deltas[s].Split = Split{}
			}
		}
	}
}

// partCalc computes the part rows of one Result.PartsWith in exact
// 128-bit decimals (package dec128), row after row: it holds the scratch
// of one row and the decimals it hands out.
type partCalc struct {
	m  *model
	S  int
	dc dec128.Converter
	// slab is where the next rows' Deltas are cut from: one allocation
	// for many rows.
	slab []PartDelta
	// annualSlab is slab for PartOptions.AnnualOnly: a row's annual
	// deltas alone, in memory the collector need not scan.
	annualSlab []dec128.Decimal
	// transient is PartOptions.Transient: newDeltas and newAnnual hand
	// out the one row's oneDeltas and oneAnnual again and again, since
	// no row's outlive the next.
	transient bool
	oneDeltas []PartDelta
	oneAnnual []dec128.Decimal
	// classCache holds the classes of lines of one source by its
	// profile and share (see classes).
	classCache map[classKey]sourceClassesOf
	// elems is partRange's, kept for the next range.
	elems []int
	// One row's inputs in dec128.
	kg          []dec128.Decimal // per content entry
	share, cost []dec128.Decimal // per source, of line srcLine (see sources)
	srcLine     int
	srcSet      bool // share and cost are srcLine's
	srcOK       bool // and they fit
}

// part128 is partFactors in dec128; ok is false when some factor does
// not fit, and the lines of the profile are computed with decimals.
type part128 struct {
	gAnnual, g1 []dec128.Decimal // per element index
	fAnnual     split4
	v1, c1      dec128.Decimal
	ok          bool
}

// split4 is a Split in dec128: price, shortage, carrying, tariff.
type split4 [4]dec128.Decimal

const (
	spPrice = iota
	spShortage
	spCarrying
	spTariff
)

// slabRows is how many rows' Deltas one allocation holds.
const slabRows = 64

func newPartCalc(m *model, o PartOptions) *partCalc {
	return &partCalc{m: m, S: len(m.scen), transient: o.Transient}
}

// newDeltas returns a fresh slice of S deltas, zero.
func (pc *partCalc) newDeltas() []PartDelta {
	if pc.transient {
		if pc.oneDeltas == nil {
			pc.oneDeltas = make([]PartDelta, pc.S)
		}
		clear(pc.oneDeltas)
		return pc.oneDeltas
	}
	if len(pc.slab) < pc.S {
		pc.slab = make([]PartDelta, pc.S*slabRows)
	}
	d := pc.slab[:pc.S:pc.S]
	pc.slab = pc.slab[pc.S:]
	return d
}

// newAnnual returns a fresh slice of S annual deltas, each to be set.
func (pc *partCalc) newAnnual() []dec128.Decimal {
	if pc.transient {
		if pc.oneAnnual == nil {
			pc.oneAnnual = make([]dec128.Decimal, pc.S)
		}
		return pc.oneAnnual
	}
	if len(pc.annualSlab) < pc.S {
		pc.annualSlab = make([]dec128.Decimal, pc.S*slabRows)
	}
	d := pc.annualSlab[:pc.S:pc.S]
	pc.annualSlab = pc.annualSlab[pc.S:]
	return d
}

// factors returns profile p's factors for scenario s and product pi in
// dec128.
func (pc *partCalc) factors(p *profile, s, pi int) *part128 {
	return pc.m.factorsFor(p, s, pi).fixed
}

// newPart128 converts f to dec128.
func newPart128(d *partFactors) *part128 {
	f := &part128{gAnnual: make([]dec128.Decimal, len(d.gAnnual)), g1: make([]dec128.Decimal, len(d.g1)), ok: true}
	for e := range d.gAnnual {
		f.gAnnual[e] = dec128.Of(d.gAnnual[e])
		f.ok = f.ok && !f.gAnnual[e].Over()
	}
	for e := range d.g1 {
		f.g1[e] = dec128.Of(d.g1[e])
		f.ok = f.ok && !f.g1[e].Over()
	}
	f.fAnnual = split4{dec128.Of(d.fAnnual.Price), dec128.Of(d.fAnnual.Shortage), dec128.Of(d.fAnnual.Carrying), dec128.Of(d.fAnnual.Tariff)}
	f.v1, f.c1 = dec128.Of(d.v1), dec128.Of(d.c1)
	for _, x := range append(f.fAnnual[:], f.v1, f.c1) {
		f.ok = f.ok && !x.Over()
	}
	return f
}

// quantities sets row's annual quantity (Q·V) and, unless o.NoUnitCost,
// its unit cost Σ_j x_j c_j, as the decimals decimal's Mul and Add would
// give, with their dec128 forms (and without the decimals, with
// o.ExactQty, where those are set).
func (pc *partCalc) quantities(row *PartRow, i int, vol decimal.Decimal, o PartOptions) {
	m := pc.m
	l := &m.in.BOM.Lines[i]
	if q := dec128.Of(m.qty[i]).Mul(dec128.Of(vol)); !q.Over() && !noDec128 {
		row.annualQty, row.qtyExact = q, true
		if !o.ExactQty {
			row.AnnualQty = pc.dc.Decimal(q)
		}
	} else {
		row.AnnualQty = m.qty[i].Mul(vol)
	}
	if o.NoUnitCost {
		return
	}
	var c dec128.Decimal
	if pc.sources(i) {
		for j := range pc.share {
			c = c.Add(pc.share[j].Mul(pc.cost[j]))
		}
	} else {
		c = dec128.Overflowed()
	}
	if !c.Over() && !noDec128 {
		row.unitCost, row.costExact = c, true
		if !o.ExactQty {
			row.UnitCost = pc.dc.Decimal(c)
		}
		return
	}
	for j := range l.Sources {
		src := &l.Sources[j]
		row.UnitCost = row.UnitCost.Add(src.Share.Mul(src.UnitCost))
	}
}

// sources sets pc.share and pc.cost to line i's sources' shares and unit
// costs in dec128, once a line: quantities and deltas both read them, and
// converting a decimal is mostly a first read of its memory. False when
// one does not fit.
func (pc *partCalc) sources(i int) bool {
	if pc.srcSet && pc.srcLine == i {
		return pc.srcOK
	}
	l := &pc.m.in.BOM.Lines[i]
	pc.share, pc.cost = pc.share[:0], pc.cost[:0]
	pc.srcLine, pc.srcSet, pc.srcOK = i, true, true
	for j := range l.Sources {
		src := &l.Sources[j]
		sh, c := dec128.Of(src.Share), dec128.Of(src.UnitCost)
		if sh.Over() || c.Over() {
			pc.srcOK = false
			return false
		}
		pc.share, pc.cost = append(pc.share, sh), append(pc.cost, c)
	}
	return true
}

// deltas fills out, one PartDelta per scenario and zero as newDeltas
// gives it, with line i's figures in dec128.Decimal, exactly as
// deltasDecimal computes them; false when something did not fit in
// dec128.Decimal (out is then to be filled by deltasDecimal). With
// o.AnnualOnly, it fills annual, one annual delta per scenario, instead.
func (pc *partCalc) deltas(out []PartDelta, annual []dec128.Decimal, i, pi int, elems []int, val dec128.Decimal, o PartOptions) bool {
	if noDec128 {
		return false
	}
	m := pc.m
	l := &m.in.BOM.Lines[i]
	pc.kg = pc.kg[:0]
	for ci, c := range l.Content {
		x := dec128.Decimal{}
		if elems[ci] >= 0 {
			if x = dec128.Of(c.Kg); x.Over() {
				return false
			}
		}
		pc.kg = append(pc.kg, x)
	}
	if !pc.sources(i) {
		return false
	}
	qty := dec128.Of(m.qty[i])
	if val.Over() || qty.Over() {
		return false
	}
	if o.AnnualOnly {
		o.NoSplit, o.NoUnit = true, true
		for s := range annual {
			_, total, ok := pc.scenario(i, s, pi, elems, val, qty, o, nil)
			if !ok {
				return false
			}
			annual[s] = total
		}
		return true
	}
	for s := range out {
		var split split4 // the line's annual figures, unless o.NoSplit
		unit, total, ok := pc.scenario(i, s, pi, elems, val, qty, o, &split)
		if !ok {
			return false
		}
		d := &out[s] // zero, as newDeltas gives it: only what is computed is set
		d.unit, d.annual, d.exact = unit, total, true
		if !o.NoSplit || !o.ExactOnly {
			d.AnnualDelta = pc.dc.Decimal(total)
			if !o.NoUnit {
				d.UnitDelta = pc.dc.Decimal(unit)
			}
		}
		if !o.NoSplit {
			d.Split = Split{Price: pc.dc.Decimal(split[spPrice]), Shortage: pc.dc.Decimal(split[spShortage]),
				Carrying: pc.dc.Decimal(split[spCarrying]), Tariff: pc.dc.Decimal(split[spTariff])}
		}
	}
	return true
}

// scenario returns line i's unit and annual delta under scenario s, and
// its annual split in *split unless o.NoSplit; false when a figure does
// not fit dec128. Without the split, each source's four parts are summed
// before its share and the line's quantity multiply them: one product
// where there were four, and the same decimal (the same value, and the
// same exponent, the least of the terms' plus the factors').
func (pc *partCalc) scenario(i, s, pi int, elems []int, val, qty dec128.Decimal, o PartOptions, split *split4) (unit, total dec128.Decimal, ok bool) {
	m := pc.m
	l := &m.in.BOM.Lines[i]
	for j := range l.Sources {
		f := pc.factors(m.sourceProfiles(i)[j], s, pi)
		if !f.ok {
			return unit, total, false
		}
		u, a := pc.source(f, l, elems, val, j, m.costBearing[i], !o.NoUnit)
		sh := pc.share[j]
		if !sh.IsOne() && !o.NoUnit {
			u = sh.Mul(u)
		}
		unit = unit.Add(u)
		if o.NoSplit {
			t := a[spPrice].Add(a[spShortage]).Add(a[spCarrying]).Add(a[spTariff])
			if !sh.IsOne() {
				t = t.Mul(sh)
			}
			total = total.Add(t)
			continue
		}
		for k := range a {
			if !sh.IsOne() {
				a[k] = a[k].Mul(sh)
			}
			split[k] = split[k].Add(a[k])
		}
	}
	switch {
	case o.NoSplit && !qty.IsOne():
		total = total.Mul(qty)
	case !o.NoSplit:
		for k := range split {
			if !qty.IsOne() {
				split[k] = split[k].Mul(qty)
			}
		}
		total = split[spPrice].Add(split[spShortage]).Add(split[spCarrying]).Add(split[spTariff])
	}
	return unit, total, !total.Over() && !unit.Over()
}

// source returns one source's month-1 unit delta (zero unless unit) and
// annual split per unit of the line, before its share: deltasDecimal's
// inner step.
func (pc *partCalc) source(f *part128, l *Line, elems []int, val dec128.Decimal, j int, costBearing, unit bool) (dec128.Decimal, split4) {
	var u dec128.Decimal
	var a split4
	for ci := range l.Content {
		e := elems[ci]
		if e < 0 {
			continue
		}
		if g := f.g1[e]; unit && !g.IsZero() {
			u = u.Add(pc.kg[ci].Mul(g))
		}
		if g := f.gAnnual[e]; !g.IsZero() {
			a[spPrice] = a[spPrice].Add(pc.kg[ci].Mul(g))
		}
	}
	if !val.IsZero() {
		if unit {
			u = u.Add(val.MulNonZero(f.v1))
		}
		a[spShortage] = val.MulNonZero(f.fAnnual[spShortage])
		a[spCarrying] = val.MulNonZero(f.fAnnual[spCarrying])
	}
	if c := pc.cost[j]; costBearing && !c.IsZero() {
		if unit {
			u = u.Add(c.MulNonZero(f.c1))
		}
		a[spTariff] = c.MulNonZero(f.fAnnual[spTariff])
	}
	return u, a
}

// deltasDecimal fills out with line i's figures, one PartDelta per
// scenario, in decimal.Decimal: the definition partCalc.deltas follows,
// and what a line whose figures overflow dec128.Decimal gets.
func (m *model) deltasDecimal(out []PartDelta, i, pi int, elems []int, value, vol decimal.Decimal) {
	l := &m.in.BOM.Lines[i]
	for s := range out {
		var unit decimal.Decimal
		var annual Split // the line's annual figures per unit of exploded quantity
		for j := range l.Sources {
			src := &l.Sources[j]
			f := m.factorsFor(m.sourceProfiles(i)[j], s, pi)
			var u decimal.Decimal
			var a Split
			for ci, c := range l.Content {
				e := elems[ci]
				if e < 0 {
					continue
				}
				if !f.g1[e].IsZero() {
					u = u.Add(c.Kg.Mul(f.g1[e]))
				}
				if !f.gAnnual[e].IsZero() {
					a.Price = a.Price.Add(c.Kg.Mul(f.gAnnual[e]))
				}
			}
			if !value.IsZero() {
				u = u.Add(mulNonZero(value, f.v1))
				a.Shortage = mulNonZero(value, f.fAnnual.Shortage)
				a.Carrying = mulNonZero(value, f.fAnnual.Carrying)
			}
			if m.costBearing[i] && !src.UnitCost.IsZero() {
				u = u.Add(mulNonZero(src.UnitCost, f.c1))
				a.Tariff = mulNonZero(src.UnitCost, f.fAnnual.Tariff)
			}
			if !src.Share.Equal(one) {
				u, a = src.Share.Mul(u), a.Mul(src.Share)
			}
			unit = unit.Add(u)
			annual = annual.Add(a)
		}
		if !m.qty[i].Equal(one) {
			annual = annual.Mul(m.qty[i])
		}
		out[s] = PartDelta{UnitDelta: unit, AnnualDelta: annual.Total(), Split: annual}
	}
}

// classKey names what the classes of a line of one source depend on when
// its profile gives heavy and light rare earths the same classes: the
// profile and the share (its decimal's coefficient and exponent).
type classKey struct {
	p    *profile
	coef int64
	exp  int32
}

// sourceClassesOf is what classes keeps per classKey.
type sourceClassesOf struct {
	same bool                        // sameClasses
	out  [NumClasses]decimal.Decimal // sourceClasses, when same
}

// maxClassCache bounds classCache: a BOM of ever new shares gains nothing
// from it.
const maxClassCache = 4096

// classes is contentClasses, the same decimals: a line of one source,
// as most are, takes them from classCache, where its profile and share
// have been before: computed, they are a product and a sum of decimals
// per class, each a new big.Int for the collector.
func (pc *partCalc) classes(i int, elems []int) [NumClasses]decimal.Decimal {
	m := pc.m
	l := &m.in.BOM.Lines[i]
	if len(l.Sources) != 1 || l.Sources[0].Share.NumDigits() > 18 {
		if !m.sameClasses(i) {
			return pc.weighedClasses(i, elems)
		}
		return m.contentClasses(i, elems)
	}
	share := &l.Sources[0].Share
	key := classKey{m.sourceProfiles(i)[0], share.CoefficientInt64(), share.Exponent()}
	c, ok := pc.classCache[key]
	if !ok {
		if c.same = m.sameClasses(i); c.same {
			c.out = m.sourceClasses(i)
		}
		if pc.classCache == nil {
			pc.classCache = map[classKey]sourceClassesOf{}
		}
		if len(pc.classCache) < maxClassCache {
			pc.classCache[key] = c
		}
	}
	switch {
	case !c.same:
		return pc.weighedClasses(i, elems)
	case !hasRareEarth(l):
		return [NumClasses]decimal.Decimal{}
	}
	return c.out
}

// weighedClasses is model.weighedClasses, the same decimals, summed in
// dec128 (whose sums and products keep decimal's exponents) and turned
// into decimals at the end: a decimal's product and sum each make a
// big.Int, some dozens a line of several elements or sources. Where a
// figure does not fit dec128, the decimals decide.
func (pc *partCalc) weighedClasses(i int, elems []int) [NumClasses]decimal.Decimal {
	m := pc.m
	l := &m.in.BOM.Lines[i]
	var sum [NumClasses]dec128.Decimal
	var total dec128.Decimal
	for ci, c := range l.Content {
		e := elems[ci]
		if e < 0 || !rareEarths[c.Element] {
			continue
		}
		kg := dec128.Of(c.Kg)
		total = total.Add(kg)
		for j := range l.Sources {
			p := &m.sourceProfiles(i)[j].ctrlProb[m.elemKind[e]]
			w := dec128.Of(l.Sources[j].Share).Mul(kg)
			for k := range sum {
				sum[k] = addProduct128(sum[k], w, dec128.Of(p[k]))
			}
		}
	}
	if !total.IsZero() {
		for k := range sum {
			sum[k] = sum[k].DivRound(total, divPlaces)
		}
	}
	var out [NumClasses]decimal.Decimal
	for k := range sum {
		if total.Over() || sum[k].Over() || noDec128 {
			return m.weighedClasses(i, elems)
		}
		out[k] = pc.dc.Decimal(sum[k])
	}
	return out
}
