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
	byKey := make(map[string]int, len(rc.figs))
	// The classes are at most the classified lines: made from one block,
	// and listed in a slice, of that size.
	slab := make([]recClass, 0, len(rc.figs))
	rc.classes = make([]*recClass, 0, len(rc.figs))
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
		slab = append(slab, recClass{lines: []int{k}, q: q})
		rc.classes = append(rc.classes, &slab[len(slab)-1])
	}
	rc.monthNames()
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
	n := len(l.Sources) + int(w.nAlts)
	c.cands, c.res, c.resCoef, c.capped = make([]classCand, 0, n), make([]int, n), make([]decimal.Decimal, 0, n), make([][capStages]string, 0, n)
	for j := range c.res {
		c.res[j] = -1
	}
	for j, src := range l.Sources {
		c.cands = append(c.cands, classCand{alt: -1, src: int32(j), unitCost: src.UnitCost, currentShare: src.Share, current: true})
		c.resCoef = append(c.resCoef, one)
		c.capped = append(c.capped, rc.cappedCountries(CountryCodes(src.Countries), src.hreSeparation(), c.heavy, importer))
	}
	costs := rc.altCosts(w)
	for k, a := range rc.altsOf(w) {
		alt := &m.in.Alternatives[a]
		c.cands = append(c.cands, classCand{alt: a, unitCost: costs[k]})
		coef := one
		if alt.PartNumber == "" {
			coef = l.MaterialKg // capacity in kg of material
		}
		c.resCoef = append(c.resCoef, coef)
		c.capped = append(c.capped, rc.cappedCountries(alt.Countries, altHRESeparation(alt), c.heavy, importer))
	}
}

// classCand is a class's candidate as the plan works with it: today's
// source src of the class's first line (alt -1), or alternative alt, at
// its unit cost. The Candidate a listed plan shows is made from it
// (candidate): a class holds tens of thousands of them, and a Candidate
// is over 300 bytes.
type classCand struct {
	alt, src     int32
	unitCost     decimal.Decimal
	currentShare decimal.Decimal // zero for an alternative
	current      bool            // one of today's sources
}

// candidate is the Candidate a plan of class c lists as its j-th, shares
// unset: as the class's first line has it.
func (rc *recContext) candidate(c *recClass, j int) Candidate {
	cc := &c.cands[j]
	l := &rc.m.in.BOM.Lines[rc.work[c.lines[0]].line]
	if cc.alt >= 0 {
		return rc.altCandidate(l, int(cc.alt), cc.unitCost)
	}
	src := &l.Sources[cc.src]
	return Candidate{Supplier: src.Supplier, Countries: CountryCodes(src.Countries), HRESeparation: src.hreSeparation(), Origin: src.origin(),
		UnitCost: src.UnitCost, Current: true, Ref: "current", CurrentShare: src.Share, EarliestMonth: rc.months[0]}
}

// stageCountry is class c's j-th candidate's country at a cap stage, as
// the Candidate it lists would give it.
func (rc *recContext) stageCountry(c *recClass, j int, g Stage) string {
	cc := &c.cands[j]
	if cc.alt >= 0 {
		alt := &rc.m.in.Alternatives[cc.alt]
		if g == StageHRESeparation {
			return altHRESeparation(alt)
		}
		return alt.Countries[g]
	}
	src := &rc.m.in.BOM.Lines[rc.work[c.lines[0]].line].Sources[cc.src]
	if g == StageHRESeparation {
		return src.hreSeparation()
	}
	return src.Countries[g].String()
}

// altHRESeparation is where an alternative separates heavy rare earths:
// its separation country unless it says.
func altHRESeparation(alt *Alternative) string {
	if alt.HRESeparation == "" {
		return alt.Countries[StageSeparation]
	}
	return alt.HRESeparation
}

// altCosts is the unit cost of each of w's alternatives, as candidates
// gives it: from the figures in dec128 when they fit (one decimal each),
// else from the decimals.
func (rc *recContext) altCosts(w *lineWork) []decimal.Decimal {
	out := make([]decimal.Decimal, w.nAlts)
	n := len(rc.m.in.BOM.Lines[w.line].Sources)
	ls := lineScratchPool.Get().(*lineScratch)
	defer lineScratchPool.Put(ls)
	if c128, ok := rc.candidates128Of(w, ls); ok {
		for k := range out {
			out[k] = ls.dc.Decimal(c128[n+k].cost)
		}
		return out
	}
	for k, cd := range rc.exactCandidates(w)[n:] {
		out[k] = cd.cost
	}
	return out
}

// monthNames sets rc.months: the projection's first month, then each
// alternative's earliest (its qualification months later), which every
// class's candidates name.
func (rc *recContext) monthNames() {
	rc.months = make([]string, 1+len(rc.m.in.Alternatives))
	rc.months[0] = rc.m.monthName(1)
	for a := range rc.m.in.Alternatives {
		rc.months[1+a] = rc.m.monthName(rc.m.in.Alternatives[a].QualificationMonths + 1)
	}
}

// altCandidate is the Candidate an Alternatives row offers line l at the
// unit cost cost (a material row keeps today's sources as the parts it
// remakes).
func (rc *recContext) altCandidate(l *Line, a int, cost decimal.Decimal) Candidate {
	alt := &rc.m.in.Alternatives[a]
	hre := altHRESeparation(alt)
	cd := Candidate{Supplier: alt.Supplier, Countries: alt.Countries, HRESeparation: hre, UnitCost: cost,
		Capacity: alt.Capacity, HasCapacity: alt.HasCapacity, QualificationMonths: alt.QualificationMonths, QualificationCost: alt.QualificationCost,
		EarliestMonth: rc.months[1+a], Indicative: alt.Indicative, Ref: alt.Ref, Source: alt.Source,
		Note: alt.Note, ByPremium: alt.ByPremium, PremiumPct: alt.PremiumPct}
	if alt.PartNumber == "" {
		cd.MaterialLevel = true
		cd.Parts = make([]CandidatePart, len(l.Sources))
		for j, src := range l.Sources {
			cd.Parts[j] = CandidatePart{Supplier: src.Supplier, Origin: src.origin(), Share: src.Share}
		}
	} else {
		cd.Origin = alt.Origin
		if cd.Origin == "" {
			cd.Origin = alt.Countries[StageComponent]
		}
	}
	return cd
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
