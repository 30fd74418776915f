package reports

import (
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/internal/dec128"
)

// exactDeltas writes a Parts row's annual deltas from the dec128 figures
// the row was computed in (exposure.PartDelta.Exact): it sums the
// expected delta, rounds each cell and finds the expected delta's float
// without a decimal.Decimal. On a million-line BOM the decimals cost
// sixteen conversions a row, each a big.Int for the collector, and their
// rounding and sums as many more.
type exactDeltas struct {
	probs []dec128.Decimal // each scenario's probability
	coefs []int64          // the row's cells in cents: each scenario's, then the expected
	text  []byte           // the expected delta as digits, for its float
}

// newExactDeltas returns nil when a probability does not fit dec128: the
// rows then go through decimals.
func newExactDeltas(r *exposure.Result) *exactDeltas {
	ex := &exactDeltas{}
	for _, s := range r.Scenarios {
		p := dec128.Of(s.Probability)
		if p.Over() {
			return nil
		}
		ex.probs = append(ex.probs, p)
	}
	return ex
}

// write writes pr's deltas as partWriter.deltasDecimal would, notes them
// in heat and returns the float nearest to the expected delta; false,
// with nothing written, when some figure was not computed in dec128 or
// does not fit its sums or an int64 of cents.
func (ex *exactDeltas) write(pw *partWriter, pr *exposure.PartRow, heat *heatRange) (float64, bool) {
	sc := pw.sc
	ok := true
	ex.coefs = ex.coefs[:0]
	var exp dec128.Decimal
	nonZero := false
	annual := pr.ExactAnnual()
	for i := 0; i < sc.nScen && i < deltaCount(pr); i++ {
		var a dec128.Decimal
		if annual != nil {
			a = annual[i]
		} else if _, a, ok = pr.Deltas[i].Exact(); !ok {
			return 0, false
		}
		c, ok := moneyCents(a)
		if !ok {
			return 0, false
		}
		ex.coefs = append(ex.coefs, c)
		nonZero = nonZero || !a.IsZero()
		if i < len(ex.probs) { // expectedSum weighs only the scenarios' deltas
			exp = exp.Add(a.Mul(ex.probs[i]))
		}
	}
	c, ok := moneyCents(exp)
	if !ok {
		return 0, false
	}
	ex.text = exp.AppendText(ex.text[:0])
	f, err := strconv.ParseFloat(string(ex.text), 64)
	if err != nil {
		return 0, false
	}
	ex.coefs = append(ex.coefs, c)
	nonZero = nonZero || !exp.IsZero()
	style := pw.rep.b.s.byKind[kMoney] // quickStyleFor's for money
	for i, c := range ex.coefs {
		col := sc.expCol()
		if i < len(ex.coefs)-1 {
			col = sc.scenCol(i)
		}
		if c >= -maxDecimalCoef && c <= maxDecimalCoef {
			pw.rows.decimal(col, style, c, places(kMoney))
		} else {
			f, _ := coefFloat(c, places(kMoney)) // moneyCents checked it is exact
			pw.rows.float(col, style, f)
		}
		heat.noteCents(c, false)
	}
	heat.nonZero = heat.nonZero || nonZero
	return f, true
}

// deltaCount is how many scenarios' deltas a row has.
func deltaCount(pr *exposure.PartRow) int {
	if a := pr.ExactAnnual(); a != nil {
		return len(a)
	}
	return len(pr.Deltas)
}

// annualAt is a row's annual delta under scenario s as a decimal.
func annualAt(pr *exposure.PartRow, s int, dc *dec128.Converter) decimal.Decimal {
	if a := pr.ExactAnnual(); a != nil {
		return dc.Decimal(a[s])
	}
	if _, a, ok := pr.Deltas[s].Exact(); ok { // the decimal may be left zero: see exposure.PartOptions.ExactOnly
		return dc.Decimal(a)
	}
	return pr.Deltas[s].AnnualDelta
}

// moneyCents is x rounded to a money cell's places as partWriter.num
// writes it: as a decimal of up to 15 digits, else as an exact float;
// false for other values (and Over ones).
func moneyCents(x dec128.Decimal) (int64, bool) {
	c, ok := x.RoundCoef64(places(kMoney))
	if !ok || c == math.MinInt64 {
		return 0, false
	}
	if c >= -maxDecimalCoef && c <= maxDecimalCoef {
		return c, true
	}
	_, exact := coefFloat(c, places(kMoney))
	return c, exact
}

// heatRange is what a Parts sheet's heat map needs of the deltas on it:
// the largest magnitude, rounded to cents as the map's limits show it.
// Rounding keeps order, so the largest rounded magnitude is the largest
// magnitude rounded; one whose cents overflow an int64 is kept as a
// decimal.
type heatRange struct {
	cents   int64           // the largest rounded |delta|, in cents
	big     decimal.Decimal // the largest rounded |delta| past an int64 of cents
	nonZero bool            // a delta is not 0 (though it may round to 0)
}

// noteCents notes a delta rounded to c cents (c > MinInt64).
func (h *heatRange) noteCents(c int64, nonZero bool) {
	h.cents = max(h.cents, c, -c)
	h.nonZero = h.nonZero || nonZero
}

// note notes a delta.
func (h *heatRange) note(d decimal.Decimal) {
	if c, ok := roundedCoef(d, 0, places(kMoney)); ok && c != math.MinInt64 {
		h.noteCents(c, !d.IsZero())
		return
	}
	h.nonZero = true
	if a := d.Abs().Round(places(kMoney)); a.GreaterThan(h.big) {
		h.big = a
	}
}

// limit returns the heat map's limit, the largest magnitude rounded to
// cents in decimal's notation; false when every delta is 0.
func (h *heatRange) limit() (string, bool) {
	if !h.nonZero {
		return "", false
	}
	m := decimal.New(h.cents, -places(kMoney))
	if h.big.GreaterThan(m) {
		m = h.big
	}
	return m.String(), true
}
