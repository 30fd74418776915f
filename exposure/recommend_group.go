package exposure

import "github.com/shopspring/decimal"

// group merges lines into classes, finds the capacities that can bind and
// joins the classes that share one into program groups.
func (rc *recContext) group() {
	rc.buildClasses()
	rc.addDemand()
	rc.unite()
	rc.numberGroups()
}

// buildClasses merges the exposed lines that have a class key into
// classes: lines with the same key are the same per unit of annual
// quantity, so one program serves them all and its size is their summed
// quantity. The classes' candidates are made in parallel, then given
// their capacities in class order.
func (rc *recContext) buildClasses() {
	m := rc.m
	in := m.in
	byKey := map[string]int{}
	for k := range rc.work {
		w := &rc.work[k]
		if !w.exposed {
			continue
		}
		rc.plan.Exposed++
		if w.fig < 0 || rc.figs[w.fig].key == "" {
			continue
		}
		fig := &rc.figs[w.fig]
		l := &in.BOM.Lines[w.line]
		q := m.qty[w.line].Mul(in.BOM.Products[m.prodIdx[l.Product]].AnnualVolume)
		if ci, ok := byKey[fig.key]; ok {
			c := rc.classes[ci]
			c.lines = append(c.lines, k)
			c.q = c.q.Add(q)
			w.cls = int32(ci)
			fig.unit = nil
			continue
		}
		ci := len(rc.classes)
		byKey[fig.key] = ci
		w.cls = int32(ci)
		rc.classes = append(rc.classes, &recClass{lines: []int{k}, q: q})
	}
	parallel(len(rc.classes), func(ci int) { rc.fillClass(rc.classes[ci]) })
	resOf := map[int]int{} // alternative → resource
	for _, c := range rc.classes {
		w := &rc.work[c.lines[0]]
		n := len(in.BOM.Lines[w.line].Sources)
		for k, a32 := range rc.altsOf(w) {
			a := int(a32)
			if !in.Alternatives[a].HasCapacity {
				continue
			}
			ri, ok := resOf[a]
			if !ok {
				ri = len(rc.res)
				resOf[a] = ri
				rc.res = append(rc.res, recResource{alt: a, cap: in.Alternatives[a].Capacity})
			}
			c.res[n+k] = ri
		}
	}
}

// fillClass gives class c, as its first line has them, today's sources
// then its alternatives, each with the capacity it uses per unit and the
// countries the cap counts; the capacities drawn on are left to
// buildClasses (c.res -1), which gives an alternative with a capacity one
// resource whichever classes draw on it, so that they share it.
func (rc *recContext) fillClass(c *recClass) {
	m := rc.m
	w := &rc.work[c.lines[0]]
	l := &m.in.BOM.Lines[w.line]
	importer := m.importOf[m.prodIdx[l.Product]]
	c.heavy = rc.holdsHeavy(l)
	cands := rc.exactCandidates(w)
	for _, src := range l.Sources {
		hre, origin := src.hreSeparation(), src.origin()
		c.cands = append(c.cands, Candidate{Supplier: src.Supplier, Countries: CountryCodes(src.Countries), HRESeparation: hre, Origin: origin,
			UnitCost: src.UnitCost, Current: true, Ref: "current", CurrentShare: src.Share, EarliestMonth: m.monthName(1)})
		c.res = append(c.res, -1)
		c.resCoef = append(c.resCoef, one)
		c.capped = append(c.capped, rc.cappedCountries(CountryCodes(src.Countries), hre, c.heavy, importer))
	}
	for k, a := range rc.altsOf(w) {
		alt := &m.in.Alternatives[a]
		cd, coef := rc.altCandidate(l, alt, cands[len(l.Sources)+k].cost)
		c.cands = append(c.cands, cd)
		c.res = append(c.res, -1)
		c.resCoef = append(c.resCoef, coef)
		c.capped = append(c.capped, rc.cappedCountries(alt.Countries, cd.HRESeparation, c.heavy, importer))
	}
}

// altCandidate is the Candidate an Alternatives row offers line l at the
// unit cost cost, and the capacity it uses per unit of annual quantity:
// one unit for a part-number row, the line's kg of material for a
// material row (whose capacity is in kg, and which keeps today's sources
// as the parts it remakes).
func (rc *recContext) altCandidate(l *Line, alt *Alternative, cost decimal.Decimal) (Candidate, decimal.Decimal) {
	m := rc.m
	hre := alt.HRESeparation
	if hre == "" {
		hre = alt.Countries[StageSeparation]
	}
	cd := Candidate{Supplier: alt.Supplier, Countries: alt.Countries, HRESeparation: hre, UnitCost: cost,
		Capacity: alt.Capacity, HasCapacity: alt.HasCapacity, QualificationMonths: alt.QualificationMonths, QualificationCost: alt.QualificationCost,
		EarliestMonth: m.monthName(alt.QualificationMonths + 1), Indicative: alt.Indicative, Ref: alt.Ref, Source: alt.Source,
		Note: alt.Note, ByPremium: alt.ByPremium, PremiumPct: alt.PremiumPct}
	coef := one
	if alt.PartNumber == "" {
		cd.MaterialLevel = true
		for _, src := range l.Sources {
			cd.Parts = append(cd.Parts, CandidatePart{Supplier: src.Supplier, Origin: src.origin(), Share: src.Share})
		}
		coef = l.MaterialKg // capacity in kg of material
	} else {
		cd.Origin = alt.Origin
		if cd.Origin == "" {
			cd.Origin = alt.Countries[StageComponent]
		}
	}
	return cd, coef
}

// addDemand sums the demand on each capacity at today's quantities; a
// capacity that all its users' quantities fit in cannot bind and links
// nothing.
func (rc *recContext) addDemand() {
	for ci, c := range rc.classes {
		for j, ri := range c.res {
			if ri >= 0 {
				rc.res[ri].demand = rc.res[ri].demand.Add(c.q.Mul(c.resCoef[j]))
				rc.res[ri].classes = append(rc.res[ri].classes, ci)
				rc.res[ri].lines += len(c.lines)
			}
		}
	}
}

// unite joins the classes that share a binding capacity (union-find) into
// the units solved as one program, in the order of their first class.
func (rc *recContext) unite() {
	parent := make([]int, len(rc.classes))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for ri := range rc.res {
		r := &rc.res[ri]
		r.binding = r.demand.GreaterThan(r.cap)
		if !r.binding {
			continue
		}
		for _, ci := range r.classes[1:] {
			a, b := find(ci), find(r.classes[0])
			if a != b {
				parent[a] = b
			}
		}
	}
	byRoot := map[int]int{}
	for ci := range rc.classes {
		root := find(ci)
		u, ok := byRoot[root]
		if !ok {
			u = len(rc.units)
			byRoot[root] = u
			rc.units = append(rc.units, nil)
		}
		rc.units[u] = append(rc.units[u], ci)
	}
}

// numberGroups numbers the units of more than one line (the plan shows
// which lines were planned together) and notes the units too large for
// one program.
func (rc *recContext) numberGroups() {
	group := 0
	for _, u := range rc.units {
		if len(u) > 1 || len(rc.classes[u[0]].lines) > 1 {
			group++
			for _, ci := range u {
				rc.classes[ci].group = group
			}
		}
	}
	for _, u := range rc.units {
		if len(u) > maxClasses {
			rc.note("%d lines share the capacity of the same alternatives, too many for one program: they are solved in groups of %d, largest annual quantity first, each group getting the capacity the earlier ones left", len(u), maxClasses)
		}
	}
}
