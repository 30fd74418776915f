package exposure

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// fillProfile computes the profile's factors for every scenario and month.
func (m *model) fillProfile(p *profile) error {
	m.newProfileFactors(p)
	for s := range m.scen {
		if err := m.fillScenario(p, s); err != nil {
			return err
		}
	}
	return nil
}

// newProfileFactors makes room for the profile's factors, per scenario
// (fillScenario) and per scenario and product (factorsFor).
func (m *model) newProfileFactors(p *profile) {
	p.perScen = make([]profileScenario, len(m.scen))
	p.parts = make([]atomic.Pointer[partFactors], len(m.scen)*len(m.in.BOM.Products))
}

// fillScenario computes the profile's factors for scenario s in every
// month. It writes only p.perScen[s] and scenario s's own tables, so
// different scenarios may be filled at once. The factors are computed in
// dec128 where they fit (monthFiller.month128), and a month's decimal,
// or row of g, equal to the month before's is shared rather than made
// again: the rows are read, never written, once filled.
func (m *model) fillScenario(p *profile, s int) error {
	H, E := m.horizon, len(m.elements)
	st := m.scen[s]
	ct, err := m.controlTable(st, p.hs)
	if err != nil {
		return err
	}
	ps := &p.perScen[s]
	ps.prob = m.classProbabilities(p.countries, p.hreSep, p.family, st.sc.Country)
	ps.g = make([][]decimal.Decimal, H+1)
	ps.f = make([]Split, H+1)
	ps.avail = make([]decimal.Decimal, H+1)
	ps.gAnnual = make([]decimal.Decimal, E)
	fm := monthFiller{m: m, p: p, ps: ps, ct: ct, spot: dec128.Of(st.spot), g: make([]dec128.Decimal, E), prevG: make([]dec128.Decimal, E),
		gAnnual: make([]sum128, E)}
	for t := 1; t <= H; t++ {
		tariff, err := m.tariffFraction(st, p, t)
		if err != nil {
			return err
		}
		if !fm.month128(t, tariff) {
			fm.monthDecimal(t, st.spot, tariff)
		}
	}
	for _, e := range p.elems {
		ps.gAnnual[e] = fm.gAnnual[e].decimal(&fm.dc)
	}
	ps.fAnnual = Split{fm.fAnnual[spPrice].decimal(&fm.dc), fm.fAnnual[spShortage].decimal(&fm.dc),
		fm.fAnnual[spCarrying].decimal(&fm.dc), fm.fAnnual[spTariff].decimal(&fm.dc)}
	return nil
}

// monthFiller fills one profile's factors for one scenario, month after
// month (fillScenario).
type monthFiller struct {
	m    *model
	p    *profile
	ps   *profileScenario
	ct   *controlTable
	spot dec128.Decimal
	dc   dec128.Converter
	// The month's g per element in dec128, and the month before's
	// (prevOK: computed so), whose decimals are shared when equal.
	g, prevG []dec128.Decimal
	prevF    split4
	prevA    dec128.Decimal
	prevOK   bool
	// The sums over months 1..12.
	gAnnual []sum128
	fAnnual [4]sum128
}

var (
	one128          = dec128.Of(one)
	carryDivisor128 = dec128.Of(carryDivisor)
)

// month128 fills month t in dec128; false, with nothing of the sums
// changed, when some figure does not fit (or under noDec128).
func (fm *monthFiller) month128(t int, tariff decimal.Decimal) bool {
	if noDec128 {
		return false
	}
	m, ps, ct := fm.m, fm.ps, fm.ct
	minAvail, maxDelay := one128, dec128.Decimal{}
	for _, e := range fm.p.elems {
		var g, a, d dec128.Decimal
		prob := &ps.prob[m.elemKind[e]]
		for k := Class(0); k < NumClasses; k++ {
			pk := prob[k]
			if pk.IsZero() {
				continue
			}
			p := dec128.Of(pk)
			g = g.Add(p.Mul(dec128.Of(ct.priceMul[t][e][k])))
			a = a.Add(p.Mul(dec128.Of(ct.avail[t][e][k])))
			d = d.Add(p.Mul(dec128.Of(ct.delay[t][e][k])))
		}
		lt, gt := a.Sub(minAvail), d.Sub(maxDelay)
		if g.Over() || lt.Over() || gt.Over() {
			return false
		}
		fm.g[e] = g
		if lt.Sign() < 0 {
			minAvail = a
		}
		if gt.Sign() > 0 {
			maxDelay = d
		}
	}
	f := split4{spShortage: one128.Sub(minAvail).Mul(fm.spot),
		spCarrying: dec128.Of(m.in.Settings.CarryingRate).Mul(maxDelay).DivRound(carryDivisor128, divPlaces),
		spTariff:   dec128.Of(tariff)}
	if anyOver(f[:]) {
		return false
	}
	same := fm.prevOK
	for _, e := range fm.p.elems {
		same = same && fm.g[e] == fm.prevG[e]
	}
	if same { // the month before's row, shared: a scenario's controls change in few months
		ps.g[t] = ps.g[t-1]
	} else {
		ps.g[t] = make([]decimal.Decimal, len(m.elements))
		for _, e := range fm.p.elems {
			ps.g[t][e] = fm.share(fm.g[e], fm.prevG[e], ps.g[t-1], e)
			fm.prevG[e] = fm.g[e]
		}
	}
	ps.avail[t] = fm.shareOne(minAvail, fm.prevA, ps.avail[t-1])
	ps.f[t] = Split{Shortage: fm.shareOne(f[spShortage], fm.prevF[spShortage], ps.f[t-1].Shortage),
		Carrying: fm.shareOne(f[spCarrying], fm.prevF[spCarrying], ps.f[t-1].Carrying), Tariff: tariff}
	fm.prevF, fm.prevA, fm.prevOK = f, minAvail, true
	if t <= 12 {
		for _, e := range fm.p.elems {
			fm.gAnnual[e].add(fm.g[e], &fm.dc)
		}
		for k := range f {
			fm.fAnnual[k].add(f[k], &fm.dc)
		}
	}
	return true
}

// share returns x, element e's g, as a decimal: the month before's when
// that was the same dec128 figure.
func (fm *monthFiller) share(x, prev dec128.Decimal, prevRow []decimal.Decimal, e int) decimal.Decimal {
	if fm.prevOK && x == prev {
		return prevRow[e]
	}
	return fm.dc.Decimal(x)
}

// shareOne is share for a single figure.
func (fm *monthFiller) shareOne(x, prev dec128.Decimal, prevDec decimal.Decimal) decimal.Decimal {
	if fm.prevOK && x == prev {
		return prevDec
	}
	return fm.dc.Decimal(x)
}

// monthDecimal is month128 in decimals, for a month whose figures do not
// fit in dec128.
func (fm *monthFiller) monthDecimal(t int, spot, tariff decimal.Decimal) {
	m, ps, ct := fm.m, fm.ps, fm.ct
	minAvail, maxDelay := one, zero
	ps.g[t] = make([]decimal.Decimal, len(m.elements))
	for _, e := range fm.p.elems {
		var g, a, d decimal.Decimal
		prob := &ps.prob[m.elemKind[e]]
		for k := Class(0); k < NumClasses; k++ {
			pk := prob[k]
			if pk.IsZero() {
				continue
			}
			g = g.Add(pk.Mul(ct.priceMul[t][e][k]))
			a = a.Add(pk.Mul(ct.avail[t][e][k]))
			d = d.Add(pk.Mul(ct.delay[t][e][k]))
		}
		ps.g[t][e] = g
		if a.LessThan(minAvail) {
			minAvail = a
		}
		if d.GreaterThan(maxDelay) {
			maxDelay = d
		}
	}
	ps.avail[t] = minAvail
	ps.f[t] = Split{
		Shortage: one.Sub(minAvail).Mul(spot),
		Carrying: m.in.Settings.CarryingRate.Mul(maxDelay).DivRound(carryDivisor, divPlaces),
		Tariff:   tariff,
	}
	fm.prevOK = false
	if t <= 12 {
		for _, e := range fm.p.elems {
			fm.gAnnual[e].addDecimal(ps.g[t][e], &fm.dc)
		}
		f := &ps.f[t]
		for k, v := range []decimal.Decimal{f.Price, f.Shortage, f.Carrying, f.Tariff} {
			fm.fAnnual[k].addDecimal(v, &fm.dc)
		}
	}
}

// tariffFraction returns the added tariff of projection month t as a
// fraction of unit cost (SPEC section 4, Tariffs). Rows apply to the
// product's import country; a part made there pays none. A source whose
// origin is unknown is costed as made in the controlling country, with
// the weight of an unknown component stage being there, and as made
// elsewhere (only `*` origin rows) with the rest.
func (m *model) tariffFraction(st *scenarioTables, p *profile, t int) (decimal.Decimal, error) {
	if p.origin == p.importer {
		return zero, nil
	}
	if p.origin != "" {
		pct, err := m.tariffPct(st, p, p.origin, t)
		return pct.Div(hundred), err
	}
	w := m.unknownIn(StageComponent, p.family, st.sc.Country)
	// A weight of 0 leaves its rows out, so that they cannot tie.
	var asC, elsewhere decimal.Decimal
	var err error
	if w.Sign() > 0 && st.sc.Country != p.importer {
		if asC, err = m.tariffPct(st, p, st.sc.Country, t); err != nil {
			return zero, err
		}
	}
	if w.LessThan(one) {
		if elsewhere, err = m.tariffPct(st, p, "", t); err != nil {
			return zero, err
		}
	}
	return w.Mul(asC).Add(one.Sub(w).Mul(elsewhere)).Div(hundred), nil
}

// tariffPct returns the added tariff, percent, of the most specific
// Tariffs row for a part of profile p made in origin in month t.
func (m *model) tariffPct(st *scenarioTables, p *profile, origin string, t int) (decimal.Decimal, error) {
	rt, err := m.tariffRow(st, p, origin, t)
	if rt == nil || err != nil {
		return zero, err
	}
	return rt.t.Pct.Value, nil
}

// tariffRow finds the most specific Tariffs row for a part of profile p
// made in origin ("" = somewhere other than any named origin) in month t;
// nil when none applies.
func (m *model) tariffRow(st *scenarioTables, p *profile, origin string, t int) (*resolvedTariff, error) {
	var best, tie *resolvedTariff
	var bestRank [3]int
	for i := range st.tariffs {
		rt := &st.tariffs[i]
		tr := rt.t
		if t < rt.from || t > rt.to || tr.ImportCountry != p.importer {
			continue
		}
		if tr.Origin != "*" && (origin == "" || tr.Origin != origin) {
			continue
		}
		if !hsMatches(rt.hsDigits, p.hs) {
			continue
		}
		if tr.Material != "" && !strings.EqualFold(tr.Material, p.material) {
			continue
		}
		rank := [3]int{0, len(rt.hsDigits), 0}
		if tr.Origin != "*" {
			rank[0] = 1
		}
		if tr.Material != "" {
			rank[2] = 1
		}
		if best == nil || rankAbove(rank, bestRank) {
			best, bestRank, tie = rt, rank, nil
			continue
		}
		if rank == bestRank && tie == nil {
			tie = rt
		}
	}
	if tie != nil {
		return nil, fmt.Errorf("%w: scenario %s: %s and %s both apply to HS %q material %q origin %s, month %s",
			ErrAmbiguousRule, st.sc.ID, best.t.Ref, tie.t.Ref, p.hs, p.material, originName(origin), m.monthName(t))
	}
	return best, nil
}

// rankAbove compares tariff specificity: a named origin, then more HS
// digits, then a named material.
func rankAbove(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

func originName(o string) string {
	if o == "" {
		return "unknown (not the controlling country)"
	}
	return o
}
