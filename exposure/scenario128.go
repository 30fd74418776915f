package exposure

import (
	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// scenario128 is scenarioResult's sums in dec128: a scenario's figures
// are millions of products and sums of the profiles' aggregates and
// factors, each an allocation or two in decimals, and only the few
// totals need to be decimals. Every figure is computed by the same
// operations as scenarioResult's (a product with a zero skipped, sums
// exact), so its coefficient and exponent are decimal's; a figure that
// overflows 128 bits makes the whole scenario be computed in decimals.
type scenario128 struct {
	m   *model
	s   int
	vol dec128.Decimal // the current product's annual volume
	// x holds the current product's change per unit, by month; mass and
	// g a profile's masses and month's g by position in its elements.
	x       []split4
	mass, g []dec128.Decimal
	over    bool
}

// twelve128 is twelve in dec128.
var twelve128 = dec128.Of(twelve)

// scenarioResult128 is scenarioResult computed in dec128; false when some
// figure does not fit (or under noDec128), and nothing is returned.
func (m *model) scenarioResult128(s int, months []string) (ScenarioResult, bool) {
	if noDec128 {
		return ScenarioResult{}, false
	}
	in := m.in
	H := m.horizon
	c := &scenario128{m: m, s: s, x: make([]split4, H+1)}
	monthSplit := make([]split4, H)
	elemAnnual := make([]dec128.Decimal, len(m.elements))
	unit := make([]dec128.Decimal, len(in.BOM.Products))
	prodSplit := make([]split4, len(in.BOM.Products))
	for pi, prod := range in.BOM.Products {
		c.vol = dec128.Of(prod.AnnualVolume)
		unit[pi] = c.product(pi, monthSplit, &prodSplit[pi])
		c.elements(pi, elemAnnual)
	}
	if c.over || anyOver(elemAnnual) || anyOver(unit) || splitsOver(monthSplit) || splitsOver(prodSplit) {
		return ScenarioResult{}, false
	}
	var dc dec128.Converter
	sc := in.Scenarios[s]
	sr := ScenarioResult{Scenario: sc, Probability: sc.Prior, Months: make([]MonthDelta, H)}
	var total split4 // its sums of the products' fitting splits may not fit
	for pi := range prodSplit {
		total.add(&prodSplit[pi])
	}
	var horizon dec128.Decimal
	for t := range monthSplit {
		horizon = horizon.Add(monthSplit[t].total())
	}
	if total.total().Over() || horizon.Over() {
		return ScenarioResult{}, false
	}
	for pi, prod := range in.BOM.Products {
		pd := ProductDelta{Product: prod.ID, UnitDelta: dc.Decimal(unit[pi]), Split: prodSplit[pi].decimals(&dc)}
		pd.AnnualDelta = dc.Decimal(prodSplit[pi].total())
		pd.UnitsAtRisk = m.risk[pi].unitsAtRisk(s, prod.AnnualVolume)
		sr.UnitsAtRisk = sr.UnitsAtRisk.Add(pd.UnitsAtRisk)
		sr.Products = append(sr.Products, pd)
	}
	sr.Split = total.decimals(&dc)
	sr.AnnualDelta = dc.Decimal(total.total())
	for t := range sr.Months {
		d := monthSplit[t].total()
		sr.Months[t] = MonthDelta{Month: months[t], Delta: dc.Decimal(d), Split: monthSplit[t].decimals(&dc)}
	}
	sr.HorizonDelta = dc.Decimal(horizon)
	for e, sym := range m.elements {
		sr.Elements = append(sr.Elements, ElementDelta{Element: sym, AnnualDelta: dc.Decimal(elemAnnual[e])})
	}
	return sr, true
}

// product adds product pi's monthly changes to monthSplit and its
// months 1..12 to split, and returns its month-1 change per unit.
func (c *scenario128) product(pi int, monthSplit []split4, split *split4) dec128.Decimal {
	m := c.m
	clear(c.x)
	for _, p := range m.byProduct[pi] {
		c.profile(p, pi)
	}
	unit := c.x[1].total()
	for t := 1; t <= m.horizon; t++ {
		x := &c.x[t] // per unit of product
		var month split4
		for k := range x {
			month[k] = x[k].Mul(c.vol).DivRound(twelve128, divPlaces)
		}
		c.over = c.over || month.total().Over() || unit.Over()
		monthSplit[t-1].add(&month)
		if t <= 12 {
			split.add(&month)
		}
	}
	return unit
}

// profile adds profile p's part of product pi's change per unit to c.x,
// month by month. Months share their decimals (fillScenario): one made
// into dec128 serves the months after it that hold the same.
func (c *scenario128) profile(p *profile, pi int) {
	a := &p.agg[pi]
	ps := &p.perScen[c.s]
	n := len(p.elems)
	if cap(c.mass) < n {
		c.mass, c.g = make([]dec128.Decimal, n), make([]dec128.Decimal, n)
	}
	c.mass, c.g = c.mass[:n], c.g[:n]
	hasMass := a.mass != nil && n > 0
	if hasMass {
		for i, e := range p.elems {
			c.mass[i] = dec128.Of(a.mass[e])
		}
	}
	value, cost := dec128.Of(a.value), dec128.Of(a.cost)
	var prevRow []decimal.Decimal
	var prev Split
	var f split4
	for t := 1; t <= c.m.horizon; t++ {
		x := &c.x[t]
		if hasMass {
			if row := ps.g[t]; t == 1 || &row[0] != &prevRow[0] { // a row shared with the month before
				for i, e := range p.elems {
					c.g[i] = dec128.Of(row[e])
				}
				prevRow = row
			}
			for i := range p.elems {
				x[spPrice] = addProduct128(x[spPrice], c.mass[i], c.g[i])
			}
		}
		d := &ps.f[t]
		if t == 1 || d.Shortage != prev.Shortage {
			f[spShortage] = dec128.Of(d.Shortage)
		}
		if t == 1 || d.Carrying != prev.Carrying {
			f[spCarrying] = dec128.Of(d.Carrying)
		}
		if t == 1 || d.Tariff != prev.Tariff {
			f[spTariff] = dec128.Of(d.Tariff)
		}
		prev = *d
		x[spShortage] = addProduct128(x[spShortage], value, f[spShortage])
		x[spCarrying] = addProduct128(x[spCarrying], value, f[spCarrying])
		x[spTariff] = addProduct128(x[spTariff], cost, f[spTariff])
	}
}

// elements adds product pi's price part by element to elemAnnual.
func (c *scenario128) elements(pi int, elemAnnual []dec128.Decimal) {
	m := c.m
	for e := range elemAnnual {
		var sum dec128.Decimal
		for _, p := range m.byProduct[pi] {
			if p.agg[pi].mass == nil {
				continue
			}
			for _, pe := range p.elems {
				if pe == e {
					sum = addProduct128(sum, dec128.Of(p.agg[pi].mass[e]), dec128.Of(p.perScen[c.s].gAnnual[e]))
				}
			}
		}
		if !sum.IsZero() {
			elemAnnual[e] = elemAnnual[e].Add(sum.Mul(c.vol).DivRound(twelve128, divPlaces))
			c.over = c.over || elemAnnual[e].Over()
		}
	}
}

// total is Split.Total in dec128.
func (s *split4) total() dec128.Decimal {
	return s[spPrice].Add(s[spShortage]).Add(s[spCarrying]).Add(s[spTariff])
}

// add adds o part by part, as Split.Add.
func (s *split4) add(o *split4) {
	for k := range s {
		s[k] = s[k].Add(o[k])
	}
}

// decimals returns s as a Split; no part may be Over.
func (s *split4) decimals(dc *dec128.Converter) Split {
	return Split{dc.Decimal(s[spPrice]), dc.Decimal(s[spShortage]), dc.Decimal(s[spCarrying]), dc.Decimal(s[spTariff])}
}

// anyOver reports whether some figure of xs is Over.
func anyOver(xs []dec128.Decimal) bool {
	for _, x := range xs {
		if x.Over() {
			return true
		}
	}
	return false
}

// splitsOver reports whether some part or total of ss is Over.
func splitsOver(ss []split4) bool {
	for i := range ss {
		if anyOver(ss[i][:]) || ss[i].total().Over() {
			return true
		}
	}
	return false
}
