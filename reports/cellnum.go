package reports

import (
	"math"

	"github.com/shopspring/decimal"
)

// The Parts sheet converts some thirty decimals a row to cell numbers.
// decimal's Round allocates a new big.Int each time; these give the same
// results from the decimal's int64 coefficient when it has one, and fall
// back to decimal otherwise. Tests compare them with the decimal forms.

// pow10Int[k] is 10^k.
var pow10Int = [19]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// pow10Float[k] is 10^k, exactly.
var pow10Float = [23]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// roundedCoef returns the coefficient c of d×10^shift rounded to p places
// (half away from zero, as decimal's Round), so that the rounded value is
// c×10^-p; ok is false when d's coefficient or c does not fit an int64.
func roundedCoef(d decimal.Decimal, shift, p int32) (c int64, ok bool) {
	if d.NumDigits() > 18 {
		return 0, false
	}
	v, e := d.CoefficientInt64(), d.Exponent()+shift
	if e >= -p { // exact: scale up
		k := e + p
		if k > 18 {
			return 0, v == 0
		}
		m := pow10Int[k]
		if v > math.MaxInt64/m || v < -math.MaxInt64/m {
			return 0, false
		}
		return v * m, true
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
