package exposure

import (
	"sort"

	"github.com/shopspring/decimal"
)

// result turns the per-profile aggregates into the Result: per scenario,
// product, month and element, without touching the lines again.
func (m *model) result() *Result {
	in := m.in
	H := m.horizon
	r := &Result{Settings: in.Settings, Input: in, model: m}
	for t := 1; t <= H; t++ {
		r.Months = append(r.Months, m.monthName(t))
	}
	for i, p := range m.profiles {
		if i%4096 == 0 && m.stopped() {
			return r // Compute returns the context's error
		}
		p.ctrlProb = m.classProbabilities(p.countries, p.hreSep, p.family, in.Settings.ControllingCountry)
	}
	for pi, prod := range in.BOM.Products {
		if m.stopped() {
			return r // Compute returns the context's error
		}
		var base decimal.Decimal
		for _, p := range m.profiles {
			if p.agg != nil {
				base = base.Add(p.agg[pi].cost)
			}
		}
		r.Products = append(r.Products, ProductResult{ID: prod.ID, Name: prod.Name, AnnualVolume: prod.AnnualVolume, BaselineUnitCost: base})
	}
	// The scenarios are independent: side by side on the CPUs.
	r.Scenarios = make([]ScenarioResult, len(m.scen))
	eachOnCPUs(len(m.scen), func(s int) {
		if !m.stopped() {
			r.Scenarios[s] = m.scenarioResult(s, r.Months)
		}
	})
	if m.stopped() {
		return r // Compute returns the context's error
	}
	m.applySignals(r)
	for _, sr := range r.Scenarios {
		r.ExpectedAnnualDelta = r.ExpectedAnnualDelta.Add(sr.Probability.Mul(sr.AnnualDelta))
	}
	r.Elements = m.elementExposure()
	r.Stages = m.stageShares()
	m.uncertainty(r)
	return r
}

// addProduct returns sum + a·b, skipping the work when a or b is zero.
func addProduct(sum, a, b decimal.Decimal) decimal.Decimal {
	if a.IsZero() || b.IsZero() {
		return sum
	}
	return sum.Add(a.Mul(b))
}

// perMonth converts a per-product-unit monthly figure into the month's
// change for the product's whole volume: V/12 · x.
func perMonth(x, volume decimal.Decimal) decimal.Decimal {
	return x.Mul(volume).DivRound(twelve, divPlaces)
}

func (s Split) perMonth(volume decimal.Decimal) Split {
	return Split{perMonth(s.Price, volume), perMonth(s.Shortage, volume), perMonth(s.Carrying, volume), perMonth(s.Tariff, volume)}
}

func (m *model) scenarioResult(s int, months []string) ScenarioResult {
	if sr, ok := m.scenarioResult128(s, months); ok {
		return sr
	}
	in := m.in
	sc := in.Scenarios[s]
	sr := ScenarioResult{Scenario: sc, Probability: sc.Prior, Months: make([]MonthDelta, m.horizon)}
	for t := range sr.Months {
		sr.Months[t].Month = months[t]
	}
	elemAnnual := make([]decimal.Decimal, len(m.elements))
	elemProduct := make([]decimal.Decimal, len(m.elements))
	for pi, prod := range in.BOM.Products {
		pd := ProductDelta{Product: prod.ID}
		for t := 1; t <= m.horizon; t++ {
			var x Split // per unit of product
			for _, p := range m.byProduct[pi] {
				a := &p.agg[pi]
				ps := &p.perScen[s]
				if a.mass != nil {
					for _, e := range p.elems {
						x.Price = addProduct(x.Price, a.mass[e], ps.g[t][e])
					}
				}
				f := &ps.f[t]
				x.Shortage = addProduct(x.Shortage, a.value, f.Shortage)
				x.Carrying = addProduct(x.Carrying, a.value, f.Carrying)
				x.Tariff = addProduct(x.Tariff, a.cost, f.Tariff)
			}
			if t == 1 {
				pd.UnitDelta = x.Total()
			}
			month := x.perMonth(prod.AnnualVolume)
			sr.Months[t-1].Split = sr.Months[t-1].Split.Add(month)
			if t <= 12 {
				pd.Split = pd.Split.Add(month)
			}
		}
		pd.AnnualDelta = pd.Split.Total()
		pd.UnitsAtRisk = m.risk[pi].unitsAtRisk(s, prod.AnnualVolume)
		sr.UnitsAtRisk = sr.UnitsAtRisk.Add(pd.UnitsAtRisk)
		sr.Products = append(sr.Products, pd)
		sr.Split = sr.Split.Add(pd.Split)
		clear(elemProduct)
		for _, p := range m.byProduct[pi] {
			if p.agg[pi].mass == nil {
				continue
			}
			for _, e := range p.elems {
				elemProduct[e] = addProduct(elemProduct[e], p.agg[pi].mass[e], p.perScen[s].gAnnual[e])
			}
		}
		for e := range elemProduct {
			if !elemProduct[e].IsZero() {
				elemAnnual[e] = elemAnnual[e].Add(perMonth(elemProduct[e], prod.AnnualVolume))
			}
		}
	}
	for t := range sr.Months {
		sr.Months[t].Delta = sr.Months[t].Split.Total()
		sr.HorizonDelta = sr.HorizonDelta.Add(sr.Months[t].Delta)
	}
	sr.AnnualDelta = sr.Split.Total()
	for e, sym := range m.elements {
		sr.Elements = append(sr.Elements, ElementDelta{Element: sym, AnnualDelta: elemAnnual[e]})
	}
	return sr
}

// elementExposure sums each element's annual mass, split by class under
// the settings' controlling country.
func (m *model) elementExposure() []ElementExposure {
	out := make([]ElementExposure, len(m.elements))
	for e, sym := range m.elements {
		out[e].Element = sym
		if p, ok := m.in.Prices[sym]; ok {
			out[e].ChinaPrice = p.China
		}
	}
	for pi, prod := range m.in.BOM.Products {
		if m.stopped() {
			return out // Compute returns the context's error
		}
		for _, p := range m.profiles {
			if p.agg == nil || p.agg[pi].mass == nil {
				continue
			}
			for _, e := range p.elems {
				kg := p.agg[pi].mass[e].Mul(prod.AnnualVolume)
				out[e].AnnualKg = out[e].AnnualKg.Add(kg)
				for k := range out[e].ByClass {
					out[e].ByClass[k] = out[e].ByClass[k].Add(kg.Mul(p.ctrlProb[m.elemKind[e]][k]))
				}
			}
		}
	}
	return out
}

// stageShares splits the BOM's annual rare-earth mass by stage and
// country. The HHI of a stage is taken over the mass whose country is
// known, in percent points.
func (m *model) stageShares() []StageCountry {
	var out []StageCountry
	for g := StageMine; g < NumStages; g++ {
		kg := m.stageKg[g]
		var total, known decimal.Decimal
		for c, v := range kg {
			total = total.Add(v)
			if c != "" {
				known = known.Add(v)
			}
		}
		if total.IsZero() {
			continue
		}
		var hhi decimal.Decimal
		if known.Sign() > 0 {
			for c, v := range kg {
				if c != "" {
					sh := v.Mul(hundred).DivRound(known, divPlaces)
					hhi = hhi.Add(sh.Mul(sh))
				}
			}
		}
		countries := make([]string, 0, len(kg))
		for c := range kg {
			countries = append(countries, c)
		}
		sort.Slice(countries, func(i, j int) bool {
			a, b := kg[countries[i]], kg[countries[j]]
			if !a.Equal(b) {
				return a.GreaterThan(b)
			}
			return countries[i] < countries[j]
		})
		for _, c := range countries {
			out = append(out, StageCountry{Stage: g, Country: c, Kg: kg[c], Share: kg[c].DivRound(total, divPlaces), HHI: hhi.Round(2)})
		}
	}
	return out
}

// partFactors are a profile's factors for one scenario and product,
// ready for per-line use: annual sums already scaled by the product's
// V/12, so a line needs no division.
type partFactors struct {
	gAnnual []decimal.Decimal // per element: Σ_{t≤12} g · V/12
	fAnnual Split             // Σ_{t≤12} f · V/12
	g1      []decimal.Decimal // month 1, per unit
	v1      decimal.Decimal   // month 1, per unit of B: shortage + carrying
	c1      decimal.Decimal   // month 1, per unit of cost: tariff
	fixed   *part128          // the same in dec128, for the part rows
}

// factorsFor returns (and caches) the profile's partFactors for scenario
// s and the product's annual volume. It may be called from several
// goroutines at once: two that compute the same factors compute the same
// figures, and the first to store them wins.
func (m *model) factorsFor(p *profile, s, product int) *partFactors {
	slot := &p.parts[s*len(m.in.BOM.Products)+product]
	volume := m.in.BOM.Products[product].AnnualVolume
	if f := slot.Load(); f != nil {
		return f
	}
	ps := &p.perScen[s]
	f := &partFactors{gAnnual: make([]decimal.Decimal, len(m.elements)), g1: ps.g[1], fAnnual: ps.fAnnual.perMonth(volume),
		v1: ps.f[1].Shortage.Add(ps.f[1].Carrying), c1: ps.f[1].Tariff}
	for _, e := range p.elems {
		f.gAnnual[e] = perMonth(ps.gAnnual[e], volume)
	}
	f.fixed = newPart128(f)
	slot.CompareAndSwap(nil, f)
	return slot.Load()
}

// contentClasses splits line i's rare-earth content by class under the
// settings' controlling country: Σ_j x_j Σ_e m_e P_e,j(k) / Σ_e m_e over
// its rare earths, so a Japanese magnet of Malaysian NdPr and Chinese Dy
// shows mostly free, partly upstream, as the Elements sheet counts it.
// elems holds the element index of each content entry (-1: no mass).
func (m *model) contentClasses(i int, elems []int) [NumClasses]decimal.Decimal {
	if !m.sameClasses(i) {
		return m.weighedClasses(i, elems)
	}
	if !hasRareEarth(&m.in.BOM.Lines[i]) {
		return [NumClasses]decimal.Decimal{}
	}
	return m.sourceClasses(i)
}

// sameClasses reports whether line i's sources give heavy and light rare
// earths the same classes. Most separate both in one place: then every
// element has the same classes, and the split needs no weighing by mass
// (nor its division) (sourceClasses).
func (m *model) sameClasses(i int) bool {
	l := &m.in.BOM.Lines[i]
	same := true
	for j := range l.Sources {
		p := &m.sourceProfiles(i)[j].ctrlProb
		for k := range p[light] {
			same = same && p[light][k].Equal(p[heavy][k])
		}
	}
	return same
}

// sourceClasses is contentClasses of line i when sameClasses, but for a
// line without rare-earth content (zero): Σ_j x_j P_j(k), which depends
// on the sources' profiles and shares alone (see partCalc.classes).
func (m *model) sourceClasses(i int) [NumClasses]decimal.Decimal {
	l := &m.in.BOM.Lines[i]
	var out [NumClasses]decimal.Decimal
	for j := range l.Sources {
		p := &m.sourceProfiles(i)[j].ctrlProb[light]
		for k := range out {
			out[k] = addProduct(out[k], l.Sources[j].Share, p[k])
		}
	}
	return out
}

// weighedClasses is contentClasses of line i when not sameClasses: its
// rare earths' classes weighed by their masses.
func (m *model) weighedClasses(i int, elems []int) [NumClasses]decimal.Decimal {
	l := &m.in.BOM.Lines[i]
	var out [NumClasses]decimal.Decimal
	var total decimal.Decimal
	for ci, c := range l.Content {
		e := elems[ci]
		if e < 0 || !rareEarths[c.Element] {
			continue
		}
		total = total.Add(c.Kg)
		for j := range l.Sources {
			p := &m.sourceProfiles(i)[j].ctrlProb[m.elemKind[e]]
			w := l.Sources[j].Share.Mul(c.Kg)
			for k := range out {
				out[k] = addProduct(out[k], w, p[k])
			}
		}
	}
	if total.IsZero() {
		return out
	}
	for k := range out {
		out[k] = out[k].DivRound(total, divPlaces)
	}
	return out
}

// mulNonZero multiplies, skipping the work when either side is zero.
func mulNonZero(a, b decimal.Decimal) decimal.Decimal {
	if a.IsZero() || b.IsZero() {
		return decimal.Decimal{}
	}
	return a.Mul(b)
}
