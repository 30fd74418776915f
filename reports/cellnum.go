package reports

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// The Parts sheet converts some thirty decimals a row to cell numbers.
// decimal's Round allocates a new big.Int each time; these give the same
// results from the decimal's int64 coefficient when it has one, and fall
// back to decimal otherwise. Tests compare them with the decimal forms.

// pow10Int[k] is 10^k.
var pow10Int = [19]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// pow10Word[k] is 10^k, up to the largest a 64-bit word holds.
var pow10Word = [20]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// pow10Float[k] is 10^k, exactly.
var pow10Float = [23]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// roundedCoef returns the coefficient c of d×10^shift rounded to p places
// (half away from zero, as decimal's Round), so that the rounded value is
// c×10^-p; ok is false when d's coefficient or c does not fit an int64.
func roundedCoef(d decimal.Decimal, shift, p int32) (c int64, ok bool) {
	if d.NumDigits() > 18 {
		return roundedBigCoef(d, shift, p)
	}
	v, e := d.CoefficientInt64(), d.Exponent()+shift
	if e >= -p { // exact: scale up
		return scaleUp(v, e+p)
	}
	// Keep one place more than p, truncating, then round on it.
	var q int64
	if k := -p - e - 1; k <= 18 {
		q = v / pow10Int[k]
	}
	if q < 0 {
		q -= 5
	} else {
		q += 5
	}
	return q / 10, true
}

// scaleUp returns v×10^k (k ≥ 0) when it fits an int64.
func scaleUp(v int64, k int32) (int64, bool) {
	if k > 18 {
		return 0, v == 0
	}
	m := pow10Int[k]
	if v > math.MaxInt64/m || v < -math.MaxInt64/m {
		return 0, false
	}
	return v * m, true
}

// roundedBigCoef is roundedCoef for a coefficient longer than an int64
// holds, as the exposure figures' often are (20 to 45 digits): it
// divides a copy of the coefficient's words by a power of ten in place,
// a word at a time, where decimal's Round makes a new big.Int and divides
// by a big one.
func roundedBigCoef(d decimal.Decimal, shift, p int32) (int64, bool) {
	return roundedOwnedCoef(d.Coefficient(), d.Exponent()+shift, p)
}

// roundedOwnedCoef is roundedCoef for coef×10^e, overwriting coef.
func roundedOwnedCoef(coef *big.Int, e, p int32) (int64, bool) {
	if e >= -p {
		if coef.IsInt64() {
			return scaleUp(coef.Int64(), e+p)
		}
		return 0, false // scaled up, it is longer still
	}
	neg := coef.Sign() < 0
	words := coef.Bits()
	for k := -p - e - 1; k > 0 && len(words) > 0; { // truncate to p+1 places
		step := min(k, maxWordPow10)
		words = divWords(words, uint(pow10Word[step]))
		k -= step
	}
	var q int64
	switch {
	case len(words) > 1 || len(words) == 1 && uint64(words[0]) > math.MaxInt64-5:
		return 0, false
	case len(words) == 1:
		q = int64(words[0])
	}
	if neg {
		q = -q
	}
	if q < 0 {
		q -= 5
	} else {
		q += 5
	}
	return q / 10, true
}

// maxWordPow10 is the largest power of ten a big.Word holds.
const maxWordPow10 = 9 + 10*(bits.UintSize/64)

// divWords divides the magnitude words (least significant first) by
// div in place, truncating, and returns them without leading zeros.
func divWords(words []big.Word, div uint) []big.Word {
	var rem uint
	for i := len(words) - 1; i >= 0; i-- {
		var q uint
		q, rem = bits.Div(rem, uint(words[i]), div)
		words[i] = big.Word(q)
	}
	for len(words) > 0 && words[len(words)-1] == 0 {
		words = words[:len(words)-1]
	}
	return words
}

// coefFloat is c×10^-p as decimal's Float64 gives it (correctly rounded:
// both operands are exact, so is the division's rounding); ok is false
// outside the range where that holds.
func coefFloat(c int64, p int32) (float64, bool) {
	if c < -1<<53 || c > 1<<53 || p < 0 || p > 22 {
		return 0, false
	}
	return float64(c) / pow10Float[p], true
}

// cellNumber is number(d, k): d rounded for a cell of kind k, as a float.
func cellNumber(d decimal.Decimal, k kind) float64 {
	return scaledNumber(d, 0, k)
}

// scaledNumber is number(d×10^shift, k).
func scaledNumber(d decimal.Decimal, shift int32, k kind) float64 {
	p := places(k)
	if c, ok := roundedCoef(d, shift, p); ok {
		if f, ok := coefFloat(c, p); ok {
			return f
		}
	}
	if shift != 0 {
		d = d.Shift(shift)
	}
	return number(d, k)
}

// wholeQty reports whether a quantity shows as a whole number:
// d.Round(6).IsInteger().
func wholeQty(d decimal.Decimal) bool {
	if c, ok := roundedCoef(d, 0, 6); ok {
		return c%pow10Int[6] == 0
	}
	return d.Round(6).IsInteger()
}

// quickStyleFor is styles.styleFor for a value that is not bold.
func (s *styles) quickStyleFor(k kind, d decimal.Decimal) int {
	if k == kQty && !wholeQty(d) {
		return s.qtyFrac
	}
	return s.byKind[k]
}

// quickUnitPlaces is unitPlaces(d).
func quickUnitPlaces(d decimal.Decimal) int32 {
	top := places(kUnitMoney)
	c, ok := roundedCoef(d, 0, top)
	if !ok {
		return unitPlaces(d)
	}
	for p := int32(2); p < top; p++ {
		if c%pow10Int[top-p] == 0 {
			return p
		}
	}
	return top
}

// quickTextWidth is textWidth(s), without splitting s when it is one
// line.
func quickTextWidth(s string) int {
	if strings.IndexByte(s, '\n') < 0 {
		return utf8.RuneCountInString(s)
	}
	return textWidth(s)
}

// exactFloat is d.InexactFloat64(). For a coefficient longer than an
// int64, decimal reduces a big fraction to lowest terms first; parsing
// the decimal's digits gives the same nearest float64 (both round
// correctly) in a fraction of the time.
func exactFloat(d decimal.Decimal, scratch *[]byte) float64 {
	if d.NumDigits() <= 18 {
		return d.InexactFloat64()
	}
	b := d.Coefficient().Append((*scratch)[:0], 10)
	b = append(b, 'e')
	b = strconv.AppendInt(b, int64(d.Exponent()), 10)
	*scratch = b
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return d.InexactFloat64() // out of range: decimal says what it gives
	}
	return f
}

// expectedSum adds up a row's deltas weighted by the scenarios'
// probabilities, exactly, as expectedOf does, but in big.Ints it keeps:
// decimal's Mul and Add make some fifty allocations a row, 600 MB over a
// million rows for the collector to sweep.
type expectedSum struct {
	probs      []big.Int // each scenario's probability is probs[s]×10^probExp[s]
	probExp    []int32
	acc, term  big.Int
	small      big.Int
	exp        int32 // acc is the sum ×10^-exp
	started    bool
	pow10Cache []*big.Int
}

func newExpectedSum(r *exposure.Result) *expectedSum {
	e := &expectedSum{probs: make([]big.Int, len(r.Scenarios)), probExp: make([]int32, len(r.Scenarios))}
	for i, s := range r.Scenarios {
		e.probs[i].Set(s.Probability.Coefficient())
		e.probExp[i] = s.Probability.Exponent()
	}
	return e
}

func (e *expectedSum) reset() { e.started = false }

// int64Coef returns d's coefficient, which fits an int64, in a big.Int
// of e's, valid until the next call.
func (e *expectedSum) int64Coef(d decimal.Decimal) *big.Int {
	return e.small.SetInt64(d.CoefficientInt64())
}

// add adds coef×10^x (a delta) weighted by scenario s's probability.
func (e *expectedSum) add(s int, coef *big.Int, x int32) {
	if s >= len(e.probs) {
		return // expectedOf weighs only the scenarios' deltas
	}
	x += e.probExp[s]
	e.term.Mul(coef, &e.probs[s])
	switch {
	case !e.started:
		e.acc.Set(&e.term)
		e.exp, e.started = x, true
		return
	case x < e.exp:
		e.acc.Mul(&e.acc, e.pow10(e.exp-x))
		e.exp = x
	case x > e.exp:
		e.term.Mul(&e.term, e.pow10(x-e.exp))
	}
	e.acc.Add(&e.acc, &e.term)
}

// value is the sum.
func (e *expectedSum) value() decimal.Decimal {
	if !e.started {
		return decimal.Decimal{}
	}
	return decimal.NewFromBigInt(&e.acc, e.exp) // a copy
}

// pow10 is 10^k as a big.Int, kept.
func (e *expectedSum) pow10(k int32) *big.Int {
	for int(k) >= len(e.pow10Cache) {
		n := len(e.pow10Cache)
		e.pow10Cache = append(e.pow10Cache, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
	}
	return e.pow10Cache[k]
}

// quickBoldStyleFor is styles.styleFor, deciding whether a quantity is
// whole without rounding a decimal.
func (s *styles) quickBoldStyleFor(k kind, d decimal.Decimal, bold bool) int {
	if k == kQty && !wholeQty(d) {
		return s.qtyFrac
	}
	if bold {
		return s.boldKind[k]
	}
	return s.byKind[k]
}

// quickShownWidth is shownWidth(d, k), from d's coefficient rounded in an
// int64 where it fits: shownWidth rounds and prints decimals, some eight
// allocations a number cell.
func quickShownWidth(d decimal.Decimal, k kind) int {
	var dec int32
	switch k {
	case kMoney:
		dec = 2
	case kUnitMoney:
		dec = 4
	case kKg:
		dec = 3
	case kPct:
		return pctShownWidth(d)
	case kQty:
		if !wholeQty(d) {
			dec = 6
		}
	case kDec:
		dec = 1
		c, ok := roundedCoef(d, 0, 4)
		if !ok {
			return shownWidth(d, k)
		}
		if c%1000 != 0 {
			dec = 4
		}
	}
	c, ok := roundedCoef(d, 0, dec)
	if !ok || c == math.MinInt64 {
		return shownWidth(d, k)
	}
	whole := digits(absInt(c) / pow10Int[dec])
	n := whole + (whole-1)/3
	if dec > 0 {
		n += 1 + int(dec)
	}
	if d.Sign() < 0 {
		n += 2
	}
	return n
}

// pctShownWidth is shownWidth(d, kPct): the length of d×100 printed with
// one place, plus one.
func pctShownWidth(d decimal.Decimal) int {
	c, ok := roundedCoef(d, 2, 1)
	if !ok || c == math.MinInt64 {
		return shownWidth(d, kPct)
	}
	n := max(digits(absInt(c)), 2) + 1 // "0.5": a leading zero, the point
	if c < 0 {
		n++
	}
	return n + 1
}

func absInt(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

// digits is how many decimal digits v ≥ 0 has ("0" has one).
func digits(v int64) int {
	n := 1
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

// roundedGreater is a.Round(p).GreaterThan(b.Round(p)), comparing int64
// coefficients where both fit.
func roundedGreater(a, b decimal.Decimal, p int32) bool {
	ca, oka := roundedCoef(a, 0, p)
	cb, okb := roundedCoef(b, 0, p)
	if oka && okb {
		return ca > cb
	}
	return a.Round(p).GreaterThan(b.Round(p))
}
