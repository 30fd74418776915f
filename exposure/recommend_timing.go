package exposure

import (
	"sort"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// timing sets the line's qualification month and cost, horizon saving and
// payback month (SPEC section 8): the plan takes effect when its last new
// source delivers, month Q+1.
func (rc *recContext) timing(lp *LinePlan, w *lineWork, c *recClass, cur []decimal.Decimal) {
	H := rc.m.horizon
	Q := 0
	for j := range c.cands { // lp.Candidates are unset unless it is listed
		cd := &c.cands[j]
		if cd.current || c.y[j].Sign() <= 0 {
			continue
		}
		alt := &rc.m.in.Alternatives[cd.alt]
		Q = max(Q, alt.QualificationMonths)
		lp.QualificationCost = lp.QualificationCost.Add(alt.QualificationCost)
	}
	lp.QualificationMonth = Q + 1
	if !lp.Changed {
		return
	}
	// Lines of a class are the same per unit of annual quantity.
	c.once.Do(func() {
		var ok bool
		if c.monthly128, ok = rc.monthlySaving128(w, cur, c.y); !ok {
			c.monthly = rc.monthlySavingDecimal(w, cur, c.y)
		}
	})
	monthly := c.monthly
	if c.monthly128 != nil {
		var ok bool
		if lp.PaybackMonth, lp.HorizonSaving, ok = horizonSaving128(lp.AnnualQty, lp.QualificationCost, c.monthly128, Q+1, H); ok {
			return
		}
		lp.PaybackMonth = 0
		var dc dec128.Converter
		monthly = make([]decimal.Decimal, len(c.monthly128))
		for t, v := range c.monthly128 {
			monthly[t] = dc.Decimal(v)
		}
	}
	var sum decimal.Decimal
	for t := Q + 1; t <= H; t++ {
		sum = sum.Add(lp.AnnualQty.Mul(monthly[t]))
		if lp.PaybackMonth == 0 && sum.Sign() > 0 && sum.GreaterThanOrEqual(lp.QualificationCost) {
			lp.PaybackMonth = t
		}
	}
	lp.HorizonSaving = sum.Sub(lp.QualificationCost)
}

// capBreaks lists the stages and capped countries whose recommended share
// stays above the cap, with why, and the largest capped share.
func (rc *recContext) capBreaks(c *recClass) (decimal.Decimal, []CapBreak) {
	var most decimal.Decimal
	var out []CapBreak
	for _, row := range c.rows {
		var share decimal.Decimal
		for _, j := range row.members {
			share = share.Add(c.y[j])
		}
		most = decimal.Max(most, share)
		if !share.GreaterThan(rc.capf) {
			continue
		}
		for _, pl := range row.places {
			why := "no candidate outside it at this stage"
			for j := range c.cands {
				if ctry := rc.stageCountry(c, j, pl.stage); ctry != "" && ctry != pl.country {
					why = "the candidates outside it lack the capacity"
					break
				}
			}
			out = append(out, CapBreak{Stage: pl.stage, Country: pl.country, Share: share, Why: why})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Stage < out[j].Stage })
	return most, out
}

// stageHHIOf is each cap stage's Herfindahl–Hirschman index over the
// known countries of n candidates, whose country at a stage country
// gives: shares renormalised to the known part, in percent points; the
// heavy-separation stage only for a line with heavy rare earths.
func stageHHIOf(n int, country func(j int, g Stage) string, y []decimal.Decimal, heavy bool) [capStages]HHI {
	if out, ok := stageHHI128(n, country, y, heavy); ok {
		return out
	}
	var out [capStages]HHI
	group := make([]int, n)
	var names []string
	for g := Stage(0); g < capStages; g++ {
		if g == StageHRESeparation && !heavy {
			continue
		}
		// Each country's share, as a map would sum them (from the zero
		// decimal), in the order countries first appear.
		sums := make([]decimal.Decimal, countryGroups(n, country, g, y, group, names[:0]))
		var known decimal.Decimal
		for j, k := range group {
			if k >= 0 {
				sums[k] = sums[k].Add(y[j])
				known = known.Add(y[j])
			}
		}
		if known.IsZero() {
			continue
		}
		var h decimal.Decimal
		for _, v := range sums {
			sh := v.Mul(hundred)
			if !known.Equal(one) {
				sh = sh.DivRound(known, divPlaces)
			}
			h = h.Add(sh.Mul(sh))
		}
		out[g] = HHI{Value: h.Round(2), Known: true}
	}
	return out
}

// countryGroups numbers the known countries at stage g of the n
// candidates with a positive share y, in the order they first appear:
// group[j] is candidate j's number, -1 for one without. It returns how
// many countries there are; names is where it keeps them (a line has a
// handful of candidates, so a list is cheaper than a map).
func countryGroups(n int, country func(j int, g Stage) string, g Stage, y []decimal.Decimal, group []int, names []string) int {
	for j := 0; j < n; j++ {
		group[j] = -1
		c := country(j, g)
		if c == "" || y[j].Sign() <= 0 {
			continue
		}
		k := 0
		for k < len(names) && names[k] != c {
			k++
		}
		if k == len(names) {
			names = append(names, c)
		}
		group[j] = k
	}
	return len(names)
}

// stageHHI128 is stageHHIOf in dec128, the same operations in the same
// order (so the same coefficients and exponents); false when a figure
// does not fit. Every planned line works out two sets of indexes.
func stageHHI128(n int, country func(j int, g Stage) string, y []decimal.Decimal, heavy bool) ([capStages]HHI, bool) {
	var out [capStages]HHI
	if noDec128 || n > 16 {
		return out, false
	}
	var ybuf [16]dec128.Decimal
	y128 := ybuf[:n]
	for j := range y128 {
		if y128[j] = dec128.Of(y[j]); y128[j].Over() {
			return out, false
		}
	}
	hundred128 := dec128.Of(hundred)
	var groupBuf [16]int
	var names [16]string
	group := groupBuf[:n]
	var dc dec128.Converter
	for g := Stage(0); g < capStages; g++ {
		if g == StageHRESeparation && !heavy {
			continue
		}
		var sumBuf [16]dec128.Decimal
		sums := sumBuf[:countryGroups(n, country, g, y, group, names[:0])]
		var known dec128.Decimal
		for j, k := range group {
			if k >= 0 {
				sums[k] = sums[k].Add(y128[j])
				known = known.Add(y128[j])
			}
		}
		if known.IsZero() {
			continue
		}
		var h dec128.Decimal
		for _, v := range sums {
			sh := v.Mul(hundred128)
			if !known.IsOne() {
				sh = sh.DivRound(known, divPlaces)
			}
			h = h.Add(sh.Mul(sh))
		}
		if h = h.Round(2); h.Over() {
			return out, false
		}
		out[g] = HHI{Value: dc.Decimal(h), Known: true}
	}
	return out, true
}
