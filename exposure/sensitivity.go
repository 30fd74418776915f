package exposure

import (
	"fmt"
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// DefaultSwingPct is how far a parameter without a range moves either way
// in the sensitivity analysis, in percent of its value (for availability,
// of its shortfall 100 − value).
const DefaultSwingPct = 25

// Swing is one bar of the tornado: the expected annual delta with one
// parameter (or one group of them) at its low and at its high end, every
// other parameter at its value.
type Swing struct {
	Label    string // what moves, e.g. "April 2025 replay: price uplifts"
	Scenario string // scenario id; "" when the parameter acts on every scenario
	Kind     string // SwingUplift, SwingAvailability, ...
	Element  string // for SwingPrice, the element
	Range    string // where low and high come from, in words
	Rows     int    // Controls or Tariffs rows moved together (0 for settings and prices)
	Low      decimal.Decimal
	High     decimal.Decimal
	Swing    decimal.Decimal // |High − Low|
}

// The kinds of parameter the tornado moves.
const (
	SwingPrice        = "element price"
	SwingUplift       = "price uplift"
	SwingAvailability = "availability"
	SwingDelay        = "delay"
	SwingSpot         = "spot premium"
	SwingTariff       = "tariff"
	SwingCarrying     = "carrying rate"
)

// swingEnds returns the low and high end of a parameter: its range when
// it has one, else its value ∓ DefaultSwingPct % of its size.
func swingEnds(p Param) (lo, hi float64) {
	v := p.Value.InexactFloat64()
	if p.Ranged {
		return p.Low.InexactFloat64(), p.High.InexactFloat64()
	}
	d := math.Abs(v) * DefaultSwingPct / 100
	return v - d, v + d
}

// availabilityEnds moves an availability without a range by
// DefaultSwingPct % of its shortfall, within 0..100.
func availabilityEnds(p Param) (lo, hi float64) {
	if p.Ranged {
		return p.Low.InexactFloat64(), p.High.InexactFloat64()
	}
	v := p.Value.InexactFloat64()
	d := (100 - v) * DefaultSwingPct / 100
	return max(0, v-d), min(100, v+d)
}

// rangeWords says where a group's ends come from.
func rangeWords(ranged, unranged int) string {
	def := fmt.Sprintf("±%d%% (no range given)", DefaultSwingPct)
	switch {
	case unranged == 0:
		return "the ranges given"
	case ranged == 0:
		return def
	}
	return fmt.Sprintf("the ranges given; %s for %d row(s) without", def, unranged)
}

// sensitivity moves each parameter group from its low to its high end
// and records the expected annual delta at both (SPEC section 9,
// Scenarios sheet). The element prices and the carrying rate act linearly
// and are computed exactly; the scenario parameters through the samplers.
func (m *model) sensitivity(r *Result, sps []*sampler) []Swing {
	t := &tornado{exp: r.ExpectedAnnualDelta}
	t.linear(r, m.elements)
	// Scenario parameters, one group per scenario and kind.
	months := make([]float64, m.horizon)
	for s, sp := range sps {
		if m.stopped() {
			break // Compute returns the context's error
		}
		ss := &scenarioSwings{t: t, sp: sp, w: r.Scenarios[s].Probability.InexactFloat64(), months: months, name: sp.sc.Name}
		if ss.name == "" {
			ss.name = sp.sc.ID
		}
		base := sp.params(paramValue)
		ss.baseAnnual = sp.evalAll(&base, months)
		ss.controls(SwingUplift, sp.upUsed, func(c *Control) Param { return c.Uplift }, swingEnds, func(p *params) []float64 { return p.up })
		ss.controls(SwingAvailability, sp.avUsed, func(c *Control) Param { return c.Availability }, availabilityEnds, func(p *params) []float64 { return p.av })
		ss.controls(SwingDelay, sp.dlUsed, func(c *Control) Param { return c.Delay }, swingEnds, func(p *params) []float64 { return p.dl })
		ss.tariffs()
		if sp.feelsShortage() {
			ss.spot()
		}
	}
	out := t.out
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].Swing.Cmp(out[j].Swing); c != 0 {
			return c > 0
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// tornado gathers the swings around the expected annual delta exp.
type tornado struct {
	exp decimal.Decimal
	out []Swing
}

// add records sw unless it moves nothing. Low and High come unrounded so
// that the swing rounds once.
func (t *tornado) add(sw Swing) {
	sw.Swing = sw.High.Sub(sw.Low).Abs().Round(2)
	sw.Low, sw.High = sw.Low.Round(2), sw.High.Round(2)
	if sw.Swing.IsZero() {
		return
	}
	t.out = append(t.out, sw)
}

// linear adds the swings of the element prices and the carrying rate,
// which act linearly: the price part of each element scales with its
// price, the carrying part with the rate, so each end is exact.
func (t *tornado) linear(r *Result, elements []string) {
	exp := t.exp
	frac := decimal.NewFromInt(DefaultSwingPct).Div(hundred)
	def := fmt.Sprintf("±%d%% (assumed)", DefaultSwingPct)
	for e, sym := range elements {
		var part decimal.Decimal
		for _, sr := range r.Scenarios {
			if e < len(sr.Elements) {
				part = part.Add(sr.Probability.Mul(sr.Elements[e].AnnualDelta))
			}
		}
		d := part.Mul(frac)
		t.add(Swing{Label: sym + " price", Kind: SwingPrice, Element: sym, Range: def,
			Low: exp.Sub(d), High: exp.Add(d)})
	}
	var carry decimal.Decimal
	for _, sr := range r.Scenarios {
		carry = carry.Add(sr.Probability.Mul(sr.Split.Carrying))
	}
	d := carry.Mul(frac)
	t.add(Swing{Label: "Carrying rate (" + r.Settings.CarryingRate.String() + "% a year)", Kind: SwingCarrying, Range: def,
		Low: exp.Sub(d), High: exp.Add(d)})
}

// paramValue is a parameter at its value: every parameter but the moved
// ones stays there.
func paramValue(p Param) float64 { return p.Value.InexactFloat64() }

// scenarioSwings moves one scenario's parameter groups through its
// sampler, weighting the change in its annual delta by its probability w.
type scenarioSwings struct {
	t          *tornado
	sp         *sampler
	w          float64
	months     []float64 // scratch for evalAll
	baseAnnual float64   // the annual delta with every parameter at its value
	name       string
}

// at is the expected annual delta with the parameters set moves at their
// low (end 0) and at their high end (end 1).
func (ss *scenarioSwings) at(set func(p *params, end int)) (decimal.Decimal, decimal.Decimal) {
	var ends [2]decimal.Decimal
	for end := range ends {
		p := ss.sp.params(paramValue)
		set(&p, end)
		ends[end] = ss.t.exp.Add(decimal.NewFromFloat(ss.w * (ss.sp.evalAll(&p, ss.months) - ss.baseAnnual)))
	}
	return ends[0], ends[1]
}

// controls adds the swing of one kind of Controls parameter, every row
// the scenario uses moved together: param reads it from a row, ends gives
// its low and high end, dst is where the sampler's params hold it.
func (ss *scenarioSwings) controls(kind string, used []bool, param func(*Control) Param, ends func(Param) (float64, float64), dst func(*params) []float64) {
	sc := ss.sp.sc
	ranged, unranged := 0, 0
	for i := range sc.Controls {
		if !used[i] {
			continue
		}
		if param(&sc.Controls[i]).Ranged {
			ranged++
		} else {
			unranged++
		}
	}
	if ranged+unranged == 0 {
		return
	}
	lo, hi := ss.at(func(p *params, end int) {
		for i := range sc.Controls {
			if used[i] {
				l, h := ends(param(&sc.Controls[i]))
				dst(p)[i] = [2]float64{l, h}[end]
			}
		}
	})
	ss.t.add(Swing{Label: ss.name + ": " + kind + "s", Scenario: sc.ID, Kind: kind, Range: rangeWords(ranged, unranged),
		Rows: ranged + unranged, Low: lo, High: hi})
}

// tariffs adds the swing of the scenario's Tariffs rows, moved together.
func (ss *scenarioSwings) tariffs() {
	sc, sp := ss.sp.sc, ss.sp
	ranged, unranged := 0, 0
	for i := range sc.Tariffs {
		if !sp.tarUsed[i] {
			continue
		}
		if sc.Tariffs[i].Pct.Ranged {
			ranged++
		} else {
			unranged++
		}
	}
	if ranged+unranged == 0 {
		return
	}
	lo, hi := ss.at(func(p *params, end int) {
		for i := range sc.Tariffs {
			if sp.tarUsed[i] {
				l, h := swingEnds(sc.Tariffs[i].Pct)
				p.tar[i] = [2]float64{l, h}[end]
			}
		}
	})
	ss.t.add(Swing{Label: ss.name + ": tariffs", Scenario: sc.ID, Kind: SwingTariff, Range: rangeWords(ranged, unranged),
		Rows: ranged + unranged, Low: lo, High: hi})
}

// spot adds the swing of the scenario's spot premium (asked only when
// some shortage reaches the lines).
func (ss *scenarioSwings) spot() {
	sc := ss.sp.sc
	sr := 0
	if sc.SpotPremium.Ranged {
		sr = 1
	}
	lo, hi := ss.at(func(p *params, end int) {
		l, h := swingEnds(sc.SpotPremium)
		p.spot = [2]float64{l, h}[end]
	})
	ss.t.add(Swing{Label: ss.name + ": spot premium", Scenario: sc.ID, Kind: SwingSpot, Range: rangeWords(sr, 1-sr), Low: lo, High: hi})
}
