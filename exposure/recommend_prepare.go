package exposure

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// prepare picks every cost-bearing line's alternatives and makes sure
// every profile they need has its factors.
func (rc *recContext) prepare() error {
	m := rc.m
	in := m.in
	byPart, byMat, defMat := map[string][]int{}, map[string][]int{}, map[string][]int{}
	for i, a := range in.Alternatives {
		switch {
		case a.Indicative:
			defMat[a.Material] = append(defMat[a.Material], i)
		case a.PartNumber != "":
			byPart[a.PartNumber] = append(byPart[a.PartNumber], i)
		case a.Material != "":
			byMat[a.Material] = append(byMat[a.Material], i)
		}
	}
	// A work list of a million lines, and its alternatives, are not grown
	// by appending.
	nWork, nAlts, nProfs := rc.workCapacity(func(l *Line) []int { return lineAlts(l, byPart, byMat, defMat) })
	rc.work = make([]lineWork, 0, nWork)
	rc.alts, rc.altProfs = make([]int32, 0, nAlts), make([]*profile, 0, nProfs)
	var profBuf []*profile
	for i := range in.BOM.Lines {
		if i%4096 == 0 && m.stopped() { // ComputeContext's context is done
			return m.ctxErr()
		}
		l := &in.BOM.Lines[i]
		if !m.costBearing[i] || len(l.Sources) == 0 {
			continue
		}
		pi := m.prodIdx[l.Product]
		// A line bought less than a billionth of a unit a year has nothing
		// to plan, and such magnitudes stall the float simplex.
		if belowPlannedQty(m.qty[i], in.BOM.Products[pi].AnnualVolume) {
			continue
		}
		w := lineWork{line: int32(i), cls: -1, fig: -1, alt0: int32(len(rc.alts)), prof0: int32(len(rc.altProfs))}
		alts := lineAlts(l, byPart, byMat, defMat)
		for j := range l.Sources {
			rc.ensureFactors(m.sourceProfiles(i)[j], pi)
		}
		for _, a := range alts {
			profBuf = rc.addAlternative(&w, l, pi, a, profBuf)
		}
		rc.work = append(rc.work, w)
	}
	rc.computeFactors()
	return nil
}

// addAlternative adds alternative a to line l's candidates (work item w,
// product pi) unless it is one of today's sources or cannot serve the
// line (noted); buf is a buffer for its profiles, returned for reuse.
func (rc *recContext) addAlternative(w *lineWork, l *Line, pi, a int, buf []*profile) []*profile {
	m := rc.m
	i := w.line
	alt := &m.in.Alternatives[a]
	if isCurrent(l, alt) {
		return buf
	}
	if alt.PartNumber == "" && (!alt.ByPremium || alt.HasCapacity) && l.MaterialKg.Sign() <= 0 {
		what := "quotes a price per kg of material"
		if alt.ByPremium {
			what = "offers a capacity in kg of material"
		}
		rc.note("%s (%s) %s, but some lines of %s give no re_mass_kg: it is left out of their candidates", alt.Supplier, alt.Ref, what, l.Material)
		return buf
	}
	// A part-number row replaces the whole part; a material row keeps
	// each of today's sources and remakes its material.
	bases := m.sourceProfiles(int(i))[:1]
	if alt.PartNumber == "" {
		bases = m.sourceProfiles(int(i))
	}
	profs := buf[:0]
	for _, base := range bases {
		p, err := rc.altProfile(base, a)
		if err != nil {
			rc.note("%s (%s) is left out of the candidates of some lines: %v", alt.Supplier, alt.Ref, err)
			return profs
		}
		rc.ensureFactors(p, pi)
		profs = append(profs, p)
	}
	rc.alts = append(rc.alts, int32(a))
	rc.altProfs = append(rc.altProfs, profs...)
	w.nAlts++
	return profs
}

// lineAlts is the Alternatives rows offered to line l: by its part
// number, else by its material, else the default centres for its
// material.
func lineAlts(l *Line, byPart, byMat, defMat map[string][]int) []int {
	alts := byPart[l.PartNumber]
	if len(alts) == 0 && l.Material != "" {
		alts = byMat[l.Material]
		if len(alts) == 0 {
			alts = defMat[l.Material]
		}
	}
	return alts
}

// workCapacity is how many lines prepare may plan at most, the
// cost-bearing lines with sources, and how many alternatives and
// alternatives' profiles they may have at most (alts gives a line's).
func (rc *recContext) workCapacity(alts func(l *Line) []int) (lines, nAlts, nProfs int) {
	for i := range rc.m.in.BOM.Lines {
		l := &rc.m.in.BOM.Lines[i]
		if !rc.m.costBearing[i] || len(l.Sources) == 0 {
			continue
		}
		lines++
		for _, a := range alts(l) {
			nAlts++
			if rc.m.in.Alternatives[a].PartNumber == "" {
				nProfs += len(l.Sources) // a material row remakes each source
			} else {
				nProfs++
			}
		}
	}
	return lines, nAlts, nProfs
}

// belowPlannedQty reports whether qty·volume < minPlannedQty, in dec128
// when it can.
func belowPlannedQty(qty, volume decimal.Decimal) bool {
	if d := dec128.Of(qty).Mul(dec128.Of(volume)).Sub(dec128.Of(minPlannedQty)); !d.Over() && !noDec128 {
		return d.Sign() < 0
	}
	return qty.Mul(volume).LessThan(minPlannedQty)
}

// isCurrent reports whether an alternative is one of the line's sources
// already: same supplier and stage countries.
func isCurrent(l *Line, a *Alternative) bool {
	for _, s := range l.Sources {
		if strings.EqualFold(strings.TrimSpace(s.Supplier), strings.TrimSpace(a.Supplier)) && CountryCodes(s.Countries) == a.Countries {
			return true
		}
	}
	return false
}

// altProfile returns the profile of the line's material, HS code and
// elements (those of base) made in the alternative's countries, built and
// filled as Compute builds the current sources' profiles. A material row
// keeps base's origin (the part is still bought where it was).
func (rc *recContext) altProfile(base *profile, a int) (*profile, error) {
	k := altKey{base, a}
	if p, ok := rc.altProf[k]; ok {
		return p, nil
	}
	alt := &rc.m.in.Alternatives[a]
	hreSep, origin := alt.HRESeparation, alt.Origin
	if hreSep == "" {
		hreSep = alt.Countries[StageSeparation]
	}
	if origin == "" {
		origin = alt.Countries[StageComponent]
	}
	if alt.PartNumber == "" {
		// A material row remakes the material inside today's part: the
		// part still ships from where it did, and pays its tariffs.
		origin = base.origin
	}
	var kb strings.Builder
	for _, c := range alt.Countries {
		kb.WriteString(c)
		kb.WriteByte('|')
	}
	for _, part := range []string{hreSep, origin, base.importer, base.family, base.material, base.hs} {
		kb.WriteString(part)
		kb.WriteByte('|')
	}
	for _, e := range base.elems {
		kb.WriteString(strconv.Itoa(e))
		kb.WriteByte(',')
	}
	key := kb.String()
	p := rc.byKey[key]
	if p == nil {
		p = &profile{key: key, countries: alt.Countries, hreSep: hreSep, origin: origin, importer: base.importer,
			family: base.family, material: base.material, hs: base.hs, elems: base.elems}
		if err := rc.m.fillProfile(p); err != nil {
			return nil, err
		}
		rc.byKey[key] = p
	}
	rc.altProf[k] = p
	return p, nil
}

// factorTask is a profile's factors to compute: its expected monthly
// ones (pi < 0), or its annual ones for product pi.
type factorTask struct {
	p  *profile
	f  *recFactors
	pi int
}

// ensureFactors makes sure a profile's annual factors for every scenario
// for one product will be computed (by computeFactors, at the end of
// prepare), so that the parallel steps only read them.
func (rc *recContext) ensureFactors(p *profile, pi int) {
	m := rc.m
	P := len(m.in.BOM.Products)
	f := rc.factors[p]
	if f == nil {
		f = &recFactors{id: len(rc.factors), done: make([]bool, P), dec: make([]*partFactors, rc.S*P), g: make([][]float64, rc.S*P),
			fv: make([]float64, rc.S*P), fc: make([]float64, rc.S*P), nz: make([]bool, rc.S*P)}
		rc.factors[p] = f
		rc.pending = append(rc.pending, factorTask{p: p, f: f, pi: -1})
	}
	if !f.done[pi] {
		f.done[pi] = true
		rc.pending = append(rc.pending, factorTask{p: p, f: f, pi: pi})
	}
}

// computeFactors computes the factors ensureFactors asked for, in
// parallel: each task writes its own profile's fields or product's
// entries (the profiles and products are many on a large BOM, ~0.3 s
// serial on 100,000 lines).
func (rc *recContext) computeFactors() {
	parallelBatch(len(rc.pending), 4, func(k int) {
		if t := rc.pending[k]; t.pi < 0 {
			rc.expectedMonthly(t.p, t.f)
		} else {
			rc.productFactors(t.p, t.f, t.pi)
		}
	})
	rc.pending = nil
}

// productFactors computes p's annual factors for every scenario for
// product pi, as decimals and as floats.
func (rc *recContext) productFactors(p *profile, f *recFactors, pi int) {
	m := rc.m
	P := len(m.in.BOM.Products)
	for s := 0; s < rc.S; s++ {
		d := m.factorsFor(p, s, pi)
		i := s*P + pi
		f.dec[i] = d
		f.g[i] = make([]float64, len(d.gAnnual))
		x := d.fixed // the same factors in dec128
		for e, v := range d.gAnnual {
			if !v.IsZero() {
				f.g[i][e] = inexactFloat(v, x.gAnnual[e])
				f.nz[i] = true
			}
		}
		fv128 := x.fAnnual[spShortage].Add(x.fAnnual[spCarrying])
		if fvF, ok := float64Of(fv128); ok && !noDec128 {
			f.fv[i] = fvF
			f.nz[i] = f.nz[i] || !fv128.IsZero()
		} else {
			fv := d.fAnnual.Shortage.Add(d.fAnnual.Carrying)
			f.fv[i] = fv.InexactFloat64()
			f.nz[i] = f.nz[i] || !fv.IsZero()
		}
		f.fc[i] = inexactFloat(d.fAnnual.Tariff, x.fAnnual[spTariff])
		f.nz[i] = f.nz[i] || !d.fAnnual.Tariff.IsZero()
	}
}

// inexactFloat is v.InexactFloat64(), taken from x (v in dec128) when x
// fits: a decimal of many digits makes big.Rat's to convert.
func inexactFloat(v decimal.Decimal, x dec128.Decimal) float64 {
	if !noDec128 {
		if f, ok := float64Of(x); ok {
			return f
		}
	}
	return v.InexactFloat64()
}

// expectedMonthly fills f's probability-weighted monthly factors: in
// dec128 when they fit, their decimals then made only if a line's
// figures need them (decimalMonthly); else in decimals, and in dec128
// from those.
func (rc *recContext) expectedMonthly(p *profile, f *recFactors) {
	if rc.expectedMonthlyIn128(p, f) {
		return
	}
	rc.expectedMonthlyDecimal(p, f)
	f.expectedMonthly128()
}

// decimalMonthly makes sure f (p's) has its expected monthly factors in
// decimals: monthlySavingDecimal takes them.
func (rc *recContext) decimalMonthly(p *profile, f *recFactors) {
	f.decOnce.Do(func() {
		if f.eg == nil {
			rc.expectedMonthlyDecimal(p, f)
		}
	})
}

// expectedMonthlyIn128 is expectedMonthlyDecimal in dec128, the same
// operations in the same order, into f's dec128 factors (then ok128);
// false, with them unset, when a figure does not fit or with noDec128.
func (rc *recContext) expectedMonthlyIn128(p *profile, f *recFactors) bool {
	if noDec128 || rc.w128 == nil {
		return false
	}
	H, E := rc.m.horizon, len(rc.m.elements)
	eg := make([][]dec128.Decimal, H+1)
	ev, ec := make([]dec128.Decimal, H+1), make([]dec128.Decimal, H+1)
	block := make([]dec128.Decimal, H*E) // eg[1..H], E each
	for t := 1; t <= H; t++ {
		eg[t] = block[(t-1)*E : t*E : t*E]
		for s := 0; s < rc.S; s++ {
			if rc.w[s].IsZero() {
				continue
			}
			w, ps := rc.w128[s], &p.perScen[s]
			for _, e := range p.elems {
				eg[t][e] = addProduct128(eg[t][e], w, dec128.Of(ps.g[t][e]))
			}
			ev[t] = addProduct128(ev[t], w, dec128.Of(ps.f[t].Shortage).Add(dec128.Of(ps.f[t].Carrying)))
			ec[t] = addProduct128(ec[t], w, dec128.Of(ps.f[t].Tariff))
		}
		for _, x := range eg[t] {
			if x.Over() {
				return false
			}
		}
		if ev[t].Over() || ec[t].Over() {
			return false
		}
	}
	f.eg128, f.ev128, f.ec128, f.ok128 = eg, ev, ec, true
	return true
}

// expectedMonthlyDecimal fills f's probability-weighted monthly factors
// in decimals.
func (rc *recContext) expectedMonthlyDecimal(p *profile, f *recFactors) {
	H, E := rc.m.horizon, len(rc.m.elements)
	f.eg = make([][]decimal.Decimal, H+1)
	f.ev, f.ec = make([]decimal.Decimal, H+1), make([]decimal.Decimal, H+1)
	for t := 1; t <= H; t++ {
		f.eg[t] = make([]decimal.Decimal, E)
		for s := 0; s < rc.S; s++ {
			w := rc.w[s]
			if w.IsZero() {
				continue
			}
			ps := &p.perScen[s]
			for _, e := range p.elems {
				f.eg[t][e] = addProduct(f.eg[t][e], w, ps.g[t][e])
			}
			f.ev[t] = addProduct(f.ev[t], w, ps.f[t].Shortage.Add(ps.f[t].Carrying))
			f.ec[t] = addProduct(f.ec[t], w, ps.f[t].Tariff)
		}
	}
}

// monthlySaving returns, per unit of the line's annual quantity, the
// expected saving of the recommended mix over today's in each month
// t = 1..H: Σ_j (x_j today − x_j recommended) · (c_j + X_jt) / 12, X_jt
// being candidate j's probability-weighted change of unit cost in month t.
// This is its definition in decimals; monthlySaving128 gives the same.
func (rc *recContext) monthlySavingDecimal(w *lineWork, cur, rec []decimal.Decimal) []decimal.Decimal {
	m := rc.m
	l := &m.in.BOM.Lines[w.line]
	H := m.horizon
	out := make([]decimal.Decimal, H+1) // Σ_j d_j (c_j + X_jt), divided by 12 at the end
	for j, cd := range rc.exactCandidates(w) {
		d := cur[j].Sub(rec[j])
		if d.IsZero() {
			continue
		}
		for t := 1; t <= H; t++ {
			x := cd.cost
			for _, pt := range cd.parts {
				f := rc.factors[pt.prof]
				rc.decimalMonthly(pt.prof, f)
				var y decimal.Decimal
				for _, cm := range l.Content {
					if cm.Kg.Sign() > 0 {
						y = addProduct(y, cm.Kg, f.eg[t][m.elemIdx[cm.Element]])
					}
				}
				y = addProduct(y, cd.value, f.ev[t])
				y = addProduct(y, pt.cost, f.ec[t])
				x = addProduct(x, pt.weight, y)
			}
			out[t] = out[t].Add(d.Mul(x))
		}
	}
	for t := 1; t <= H; t++ {
		if !out[t].IsZero() {
			out[t] = out[t].DivRound(twelve, divPlaces)
		}
	}
	return out
}

// halted reports whether Recommend's context is done, asking it at every
// 64th item and remembering the answer: a loop over a million lines then
// skips its remaining items within a few microseconds of a cancel, without
// asking the context (which may take a lock) once per line.
func (rc *recContext) halted(k int) bool {
	if rc.halt.Load() {
		return true
	}
	if k%64 == 0 && rc.m.stopped() {
		rc.halt.Store(true)
		return true
	}
	return false
}

// parallel runs fn(i) for i in [0, n) on every processor, 64 items a
// grab: for many small items (lines).
func parallel(n int, fn func(i int)) { parallelBatch(n, 64, fn) }

// parallelBatch runs fn(i) for i in [0, n) on every processor, each
// worker taking batch items at a time: batch 1 for a few hundred items of
// very unequal cost (the solve's tasks), so that one worker does not end
// with a large share of the work while the other waits.
func parallelBatch(n, batch int, fn func(i int)) { onCPUs(n, batch, "recommendations", fn) }
