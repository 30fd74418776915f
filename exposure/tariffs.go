package exposure

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/shopspring/decimal"
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
// different scenarios may be filled at once.
func (m *model) fillScenario(p *profile, s int) error {
	H, E := m.horizon, len(m.elements)
	rate := m.in.Settings.CarryingRate
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
	for t := 1; t <= H; t++ {
		ps.g[t] = make([]decimal.Decimal, E)
		minAvail, maxDelay := one, zero
		for _, e := range p.elems {
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
		tariff, err := m.tariffFraction(st, p, t)
		if err != nil {
			return err
		}
		ps.avail[t] = minAvail
		ps.f[t] = Split{
			Shortage: one.Sub(minAvail).Mul(st.spot),
			Carrying: rate.Mul(maxDelay).DivRound(carryDivisor, divPlaces),
			Tariff:   tariff,
		}
		if t <= 12 {
			for _, e := range p.elems {
				ps.gAnnual[e] = ps.gAnnual[e].Add(ps.g[t][e])
			}
			ps.fAnnual = ps.fAnnual.Add(ps.f[t])
		}
	}
	return nil
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
