package reports

import (
	"fmt"
	"strings"

	"rexpo/exposure"
)

// This file says how a plan moves the concentration of a part's supply,
// stage by stage: the Herfindahl–Hirschman index before and after, the
// stages where it rises and why.

// hhiMove is how the plan moves one stage's HHI.
type hhiMove int

const (
	hhiSame    hhiMove = iota
	hhiRises           // known before and after, higher after
	hhiFalls           // known before and after, lower after
	hhiKnown           // unknown today, known under the plan (a new source names the country)
	hhiUnknown         // known today, unknown under the plan
)

// hhiMoves compares each cap stage's HHI before and after, in whole
// points.
func hhiMoves(lp *exposure.LinePlan) map[exposure.Stage]hhiMove {
	out := map[exposure.Stage]hhiMove{}
	for _, g := range capStageOrder {
		if int(g) >= len(lp.HHIBefore) {
			continue
		}
		b, a := lp.HHIBefore[g], lp.HHIAfter[g]
		switch {
		case b.Known && a.Known:
			switch a.Value.Round(0).Cmp(b.Value.Round(0)) {
			case 1:
				out[g] = hhiRises
			case -1:
				out[g] = hhiFalls
			}
		case !b.Known && a.Known:
			out[g] = hhiKnown
		case b.Known && !a.Known:
			out[g] = hhiUnknown
		}
	}
	return out
}

// stagesWith lists, in flow order, the stages a move applies to.
func stagesWith(m map[exposure.Stage]hhiMove, want hhiMove) []exposure.Stage {
	var out []exposure.Stage
	for _, g := range capStageOrder {
		if mv, ok := m[g]; ok && mv == want {
			out = append(out, g)
		}
	}
	return out
}

func stageWords(gs []exposure.Stage) string {
	w := make([]string, len(gs))
	for i, g := range gs {
		w[i] = capStageWord(g)
	}
	return joinAnd(w)
}

// hhiText says how the plan moves the concentration: which stages' HHI
// rise (always named: a plan is never said to cut concentration when
// one rises), which fall, which become known.
func hhiText(lp *exposure.LinePlan, withFigures bool) string {
	if !lp.Changed {
		return ""
	}
	m := hhiMoves(lp)
	fig := func(gs []exposure.Stage) string {
		if !withFigures {
			return stageWords(gs)
		}
		w := make([]string, len(gs))
		for i, g := range gs {
			w[i] = fmt.Sprintf("%s (%s → %s)", capStageWord(g), wholeText(lp.HHIBefore[g].Value), wholeText(lp.HHIAfter[g].Value))
		}
		return joinAnd(w)
	}
	var s []string
	if up := stagesWith(m, hhiRises); len(up) > 0 {
		s = append(s, "HHI rises at "+fig(up))
	}
	if down := stagesWith(m, hhiFalls); len(down) > 0 {
		s = append(s, "falls at "+fig(down))
	}
	if k := stagesWith(m, hhiKnown); len(k) > 0 {
		s = append(s, "is known only under the plan at "+stageWords(k)+" (today's countries there are unknown)")
	}
	if len(s) == 0 {
		return "HHI unchanged at every stage"
	}
	if !strings.HasPrefix(s[0], "HHI") {
		s[0] = "HHI " + s[0]
	}
	return strings.Join(s, "; ")
}

// hhiRiseWhy says why a stage's concentration rises: the countries the
// plan buys less from at those stages, and that the mix is the cheapest
// the cap and the no-regression rule allow under the objective (the
// program's only reason to move share). A buyer reading "HHI rises"
// under a diversification plan needs both.
func hhiRiseWhy(lp *exposure.LinePlan, up []exposure.Stage, objective exposure.Objective) string {
	before, after := stageShares(lp, true), stageShares(lp, false)
	type fall struct{ stages []string }
	falls := map[string]*fall{}
	var order []string
	for _, g := range up {
		for _, c := range before.sortedCountries(g) {
			b, a := before.of(g, c), after.of(g, c)
			if !roundedGreater(b, a, 4) {
				continue
			}
			f := falls[c]
			if f == nil {
				f = &fall{}
				falls[c] = f
				order = append(order, c)
			}
			f.stages = append(f.stages, fmt.Sprintf("%s %s → %s", capStageShort(g), sharePct(b), sharePct(a)))
		}
	}
	cheapest := "the cheapest mix in expectation that the cap allows"
	if objective == exposure.ObjectiveWorst {
		cheapest = "the mix with the smallest worst case that the cap allows"
	}
	if len(order) == 0 {
		return cheapest
	}
	w := make([]string, len(order))
	for i, c := range order {
		w[i] = fmt.Sprintf("%s (%s)", countryName(c), strings.Join(falls[c].stages, ", "))
	}
	return "less from " + joinAnd(w) + ", " + cheapest
}

// shortWords lists stages as a table's text names them.
func shortWords(gs []exposure.Stage) string {
	w := make([]string, len(gs))
	for i, g := range gs {
		w[i] = capStageShort(g)
	}
	return joinAnd(w)
}
