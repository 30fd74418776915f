package exposure

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// profileTotals returns each profile's annual cost (b·c), material value
// (B) and element masses per month, summed over products with their
// volume: V/12 · Σ Q·x·(b·c, B, m_e).
func (m *model) profileTotals() (cost, value []float64, mass [][]float64) {
	vol := make([]float64, len(m.in.BOM.Products))
	for i, p := range m.in.BOM.Products {
		vol[i] = p.AnnualVolume.InexactFloat64() / 12
	}
	cost = make([]float64, len(m.profiles))
	value = make([]float64, len(m.profiles))
	mass = make([][]float64, len(m.profiles))
	for i, p := range m.profiles {
		mass[i] = make([]float64, len(m.elements))
		for pi := range p.agg {
			a := &p.agg[pi]
			if !a.cost.IsZero() {
				cost[i] += a.cost.InexactFloat64() * vol[pi]
			}
			if !a.value.IsZero() {
				value[i] += a.value.InexactFloat64() * vol[pi]
			}
			if a.mass == nil {
				continue
			}
			for _, e := range p.elems {
				if !a.mass[e].IsZero() {
					mass[i][e] += a.mass[e].InexactFloat64() * vol[pi]
				}
			}
		}
	}
	return cost, value, mass
}

// samplers builds one sampler per scenario and the scenarios' phases.
func (m *model) samplers() ([]*sampler, [][]Phase) {
	cost, value, mass := m.profileTotals()
	elemKeys := make([]string, len(m.profiles))
	for i, p := range m.profiles {
		var b strings.Builder
		for _, e := range p.elems {
			b.WriteString(strconv.Itoa(e))
			b.WriteByte(',')
		}
		elemKeys[i] = b.String()
	}
	prices := make([][NumClasses]float64, len(m.elements))
	for e, sym := range m.elements {
		for k := Class(0); k < NumClasses; k++ {
			prices[e][k] = m.priceOf(sym, k).InexactFloat64()
		}
	}
	out := make([]*sampler, len(m.scen))
	phases := make([][]Phase, len(m.scen))
	for s, st := range m.scen {
		if m.stopped() {
			break // uncertainty drops the samplers; Compute returns the context's error
		}
		out[s], phases[s] = m.buildSampler(s, st, cost, value, mass, elemKeys, prices)
	}
	return out, phases
}

// buildSampler folds scenario s's figures over the profiles into the
// sampler's coefficients and terms, so that a draw costs the same however
// large the BOM, and returns the scenario's phases (the rows in force
// month by month).
func (m *model) buildSampler(s int, st *scenarioTables, cost, value []float64, mass [][]float64, elemKeys []string, prices [][NumClasses]float64) (*sampler, []Phase) {
	sp := m.newSampler(st.sc)
	ctrlAt := make([]map[int]bool, m.horizon) // rows in force per month, for phases
	tarAt := make([]map[int]bool, m.horizon)
	for t := range ctrlAt {
		ctrlAt[t], tarAt[t] = map[int]bool{}, map[int]bool{}
	}
	sgs, tgs := m.groupProfiles(s, st, cost, value, mass, elemKeys)
	m.priceTerms(sp, sgs, prices, ctrlAt)
	sp.constTerms()
	m.tariffCoefs(sp, st, tgs, tarAt)
	sp.markUncertain()
	return sp, m.phases(ctrlAt, tarAt)
}

// newSampler is scenario sc's sampler with its tables sized and zero.
func (m *model) newSampler(sc *Scenario) *sampler {
	H := m.horizon
	sp := &sampler{sc: sc, H: H, rate: m.in.Settings.CarryingRate.InexactFloat64(), stopped: m.stopped,
		shortConst: make([]float64, H), carryConst: make([]float64, H),
		upUsed: make([]bool, len(sc.Controls)), avUsed: make([]bool, len(sc.Controls)), dlUsed: make([]bool, len(sc.Controls)),
		tarUsed: make([]bool, len(sc.Tariffs))}
	sp.upCoef = make([][]float64, len(sc.Controls))
	for r := range sp.upCoef {
		sp.upCoef[r] = make([]float64, H)
	}
	sp.tarCoef = make([][]float64, len(sc.Tariffs))
	for i := range sp.tarCoef {
		sp.tarCoef[i] = make([]float64, H)
	}
	return sp
}

// groupProfiles gathers the profiles of scenario s: into sgroups by class
// probabilities, Controls table and elements (they meet the same Controls
// rows), and into tgroups by what the Tariffs rows match, so that the
// sampler's work grows with the groups, not the profiles.
func (m *model) groupProfiles(s int, st *scenarioTables, cost, value []float64, mass [][]float64, elemKeys []string) ([]sgroup, []tgroup) {
	type skey struct {
		p     [2][NumClasses]uint64
		ct    *controlTable
		elems string
	}
	type tkey struct {
		origin, importer, hs, material string
		family                         string
	}
	sgIdx := map[skey]int{}
	tgIdx := map[tkey]int{}
	var sgs []sgroup
	var tgs []tgroup
	for i, p := range m.profiles {
		if p.agg == nil {
			continue
		}
		ps := &p.perScen[s]
		var pf [2][NumClasses]float64
		key := skey{ct: st.byHS[p.hs]} // fillProfile made it
		for kind := range pf {
			for k := range pf[kind] {
				pf[kind][k] = ps.prob[kind][k].InexactFloat64()
				key.p[kind][k] = math.Float64bits(pf[kind][k])
			}
		}
		if len(p.elems) > 0 {
			key.elems = elemKeys[i]
			g, ok := sgIdx[key]
			if !ok {
				g = len(sgs)
				sgIdx[key] = g
				sgs = append(sgs, sgroup{p: pf, ct: key.ct, elems: p.elems, mass: make([]float64, len(m.elements))})
			}
			for _, e := range p.elems {
				sgs[g].mass[e] += mass[i][e]
			}
			sgs[g].value += value[i]
		}
		if cost[i] != 0 {
			tk := tkey{origin: p.origin, importer: p.importer, hs: p.hs, material: p.material, family: p.family}
			g, ok := tgIdx[tk]
			if !ok {
				g = len(tgs)
				tgIdx[tk] = g
				tgs = append(tgs, tgroup{rep: p})
			}
			tgs[g].cost += cost[i]
		}
	}
	return sgs, tgs
}

// priceTerms adds the groups' price coefficients (per point of each
// Controls row's uplift) and their availability/delay terms, one per
// distinct assignment of rows to elements and classes, listing the months
// it holds in; ctrlAt hears which rows are in force each month.
func (m *model) priceTerms(sp *sampler, sgs []sgroup, prices [][NumClasses]float64, ctrlAt []map[int]bool) {
	termIdx := map[string]int{}
	var sig strings.Builder
	for g := range sgs {
		grp := &sgs[g]
		for t := 1; t <= sp.H; t++ {
			sig.Reset()
			sig.WriteString(strconv.Itoa(g))
			for _, e := range grp.elems {
				pk := &grp.p[m.elemKind[e]]
				for k := Class(0); k < NumClasses; k++ {
					if pk[k] == 0 {
						continue
					}
					r := grp.ct.rowOf[t][e][k]
					sig.WriteByte('|')
					sig.WriteString(strconv.Itoa(int(r)))
					if r < 0 {
						continue
					}
					ctrlAt[t-1][int(r)] = true
					if c := grp.mass[e] * pk[k] * prices[e][k] / 100; c != 0 {
						sp.upCoef[r][t-1] += c
						sp.upUsed[r] = true
					}
				}
			}
			if grp.value == 0 {
				continue
			}
			key := sig.String()
			ti, ok := termIdx[key]
			if !ok {
				ti = len(sp.terms)
				termIdx[key] = ti
				sp.terms = append(sp.terms, m.newTerm(grp, t))
			}
			sp.terms[ti].months = append(sp.terms[ti].months, int32(t-1))
		}
	}
}

// newTerm is group grp's availability/delay term in month t: per element,
// each class it may fall in with the Controls row that applies.
func (m *model) newTerm(grp *sgroup, t int) term {
	tm := term{weight: grp.value, elems: make([][]classRow, len(grp.elems))}
	for j, e := range grp.elems {
		pk := &grp.p[m.elemKind[e]]
		for k := Class(0); k < NumClasses; k++ {
			if pk[k] != 0 {
				tm.elems[j] = append(tm.elems[j], classRow{row: grp.ct.rowOf[t][e][k], p: pk[k]})
			}
		}
	}
	return tm
}

// constTerms turns the terms whose availability or delay has no range
// into constants for the draws (the sensitivity analysis still moves them
// all) and lists the others as drawn.
func (sp *sampler) constTerms() {
	sc := sp.sc
	base := sp.params(paramValue)
	for i := range sp.terms {
		tm := &sp.terms[i]
		for _, cls := range tm.elems {
			for _, cr := range cls {
				if cr.row < 0 {
					continue
				}
				c := &sc.Controls[cr.row]
				sp.avUsed[cr.row], sp.dlUsed[cr.row] = true, true
				tm.short = tm.short || c.Availability.Ranged
				tm.carry = tm.carry || c.Delay.Ranged
			}
		}
		a, d := tm.eval(&base)
		for _, t := range tm.months {
			if !tm.short {
				sp.shortConst[t] += tm.weight * (1 - a)
			}
			if !tm.carry {
				sp.carryConst[t] += tm.weight * d
			}
		}
		if tm.short || tm.carry {
			sp.drawn = append(sp.drawn, i)
		}
	}
}

// tariffCoefs adds the tariff coefficients (per point of each Tariffs
// row), as tariffFraction weighs them; tarAt hears which rows are in
// force each month.
func (m *model) tariffCoefs(sp *sampler, st *scenarioTables, tgs []tgroup, tarAt []map[int]bool) {
	sc := sp.sc
	tarIdx := make(map[*Tariff]int, len(sc.Tariffs))
	for i := range sc.Tariffs {
		tarIdx[&sc.Tariffs[i]] = i
	}
	for _, g := range tgs {
		p := g.rep
		if p.origin == p.importer {
			continue
		}
		add := func(origin string, w float64, t int) {
			rt, err := m.tariffRow(st, p, origin, t)
			if err != nil || rt == nil || w == 0 {
				return // Compute has already met the same rows without error
			}
			i := tarIdx[rt.t]
			sp.tarCoef[i][t-1] += g.cost * w / 100
			sp.tarUsed[i] = true
			tarAt[t-1][i] = true
		}
		w := m.unknownIn(StageComponent, p.family, sc.Country)
		wf := w.InexactFloat64()
		for t := 1; t <= sp.H; t++ {
			switch {
			case p.origin != "":
				add(p.origin, 1, t)
			default:
				if w.Sign() > 0 && sc.Country != p.importer {
					add(sc.Country, wf, t)
				}
				if w.LessThan(one) {
					add("", 1-wf, t)
				}
			}
		}
	}
}

// markUncertain says whether some parameter the BOM feels has a range:
// a scenario without one is its point figure in every draw.
func (sp *sampler) markUncertain() {
	sc := sp.sc
	for r, c := range sc.Controls {
		if (sp.upUsed[r] && c.Uplift.Ranged) || (sp.avUsed[r] && c.Availability.Ranged) || (sp.dlUsed[r] && c.Delay.Ranged) {
			sp.uncertain = true
		}
	}
	for i, tr := range sc.Tariffs {
		if sp.tarUsed[i] && tr.Pct.Ranged {
			sp.uncertain = true
		}
	}
	if sc.SpotPremium.Ranged && sp.feelsShortage() {
		sp.uncertain = true
	}
}

// feelsShortage reports whether some month has a shortfall for the spot
// premium to act on.
func (sp *sampler) feelsShortage() bool {
	for _, v := range sp.shortConst {
		if v != 0 {
			return true
		}
	}
	for _, i := range sp.drawn {
		if sp.terms[i].short {
			return true
		}
	}
	return false
}

// phases turns the rows in force month by month into runs of months.
func (m *model) phases(ctrlAt, tarAt []map[int]bool) []Phase {
	var out []Phase
	keys := func(set map[int]bool) []int {
		ks := make([]int, 0, len(set))
		for k := range set {
			ks = append(ks, k)
		}
		sort.Ints(ks)
		return ks
	}
	for t := range ctrlAt {
		c, tr := keys(ctrlAt[t]), keys(tarAt[t])
		if n := len(out); n > 0 && slices.Equal(out[n-1].Controls, c) && slices.Equal(out[n-1].Tariffs, tr) {
			out[n-1].To = t + 1
			out[n-1].ToMonth = m.monthName(t + 1)
			continue
		}
		out = append(out, Phase{From: t + 1, To: t + 1, FromMonth: m.monthName(t + 1), ToMonth: m.monthName(t + 1), Controls: c, Tariffs: tr})
	}
	return out
}
