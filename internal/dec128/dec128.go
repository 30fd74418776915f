// Package dec128 computes with decimal.Decimal values without
// allocating: exact 128-bit decimals that give the very coefficient and
// exponent decimal's operations would, and say when they cannot.
package dec128

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// Decimal is a decimal.Decimal held without allocating: its value as a
// magnitude of up to 128 bits (hi, lo) times 10^scale, a sign, and the
// exponent decimal would give it (exp). Its operations give the very
// value and exponent decimal's would (Mul adds exponents, Add takes the
// smaller one, DivRound rounds half away from zero at the given places),
// so a figure computed here and turned back into a decimal.Decimal is the
// same decimal, coefficient and exponent.
//
// The magnitude is kept apart from the exponent because decimal's
// exponents run far below the digits that matter: a factor divided at 16
// or 18 places and multiplied by fractions has an exponent near −40 and a
// coefficient of 10^41 whose last 30 digits are zeros. Held as its
// significant digits it fits in 128 bits; the zeros are added back only
// when the figure becomes a decimal.Decimal again.
//
// An operation whose magnitude would not fit in 128 bits makes an Over
// result, which every later operation keeps: the caller then computes
// the figure again with decimal.Decimal. The per-line figures of a
// million-line BOM are hundreds of millions of operations, and decimal's
// allocate. The zero Decimal is 0 at exponent 0, as decimal's.
type Decimal struct {
	hi, lo uint64 // the magnitude: the value is ±(hi·2^64 + lo)·10^scale
	scale  int32
	exp    int32 // decimal's exponent, never above scale
	neg    bool  // never set on a zero
	over   bool  // some operation leading here overflowed: the value is meaningless
}

// pow10u64 holds 10^0 … 10^19, the powers of ten that fit in a uint64.
var pow10u64 = func() [20]uint64 {
	var p [20]uint64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// Of returns d as a Decimal, Over when d's significant digits need more
// than 128 bits. Coefficients of up to 18 digits, the common case, cost
// no allocation; longer ones a copy of the coefficient.
func Of(d decimal.Decimal) Decimal {
	if d.NumDigits() <= 18 {
		c := d.CoefficientInt64()
		x := Decimal{exp: d.Exponent(), scale: d.Exponent()}
		if c < 0 {
			x.neg, c = true, -c
		}
		for c != 0 && c%10 == 0 && x.scale < math.MaxInt32 {
			c /= 10
			x.scale++
		}
		x.lo = uint64(c)
		return x
	}
	c := d.Coefficient()
	scale := int64(d.Exponent())
	if c.BitLen() > 256 {
		// Decimal's divisions and their products leave coefficients of
		// 80 digits with few significant ones: drop the zeros first.
		if c, scale = dropZerosBig(c, scale); c.BitLen() > 256 {
			return Decimal{over: true} // even without its zeros, past any figure computed here
		}
	}
	neg := c.Sign() < 0
	var buf [32]byte
	c.Abs(c).FillBytes(buf[:])
	var w [4]uint64 // most significant first
	for i := range w {
		w[i] = binary.BigEndian.Uint64(buf[8*i:])
	}
	// Drop the trailing zeros: 19 at a time, then one at a time.
	for _, k := range []int{19, 1} {
		for w != [4]uint64{} && scale+int64(k) <= math.MaxInt32 {
			q, r := div256(w, pow10u64[k])
			if r != 0 {
				break
			}
			w, scale = q, scale+int64(k)
		}
	}
	if w[0] != 0 || w[1] != 0 {
		return Decimal{over: true}
	}
	return Decimal{hi: w[2], lo: w[3], scale: int32(scale), exp: d.Exponent(), neg: neg}
}

// bigTen19 is 10^19, and bigTen 10.
var bigTen19, bigTen = new(big.Int).SetUint64(pow10u64[19]), big.NewInt(10)

// dropZerosBig returns c (which it may change) without its trailing
// zeros, and scale raised by their count.
func dropZerosBig(c *big.Int, scale int64) (*big.Int, int64) {
	var q, r big.Int
	for _, p := range []struct {
		k int64
		d *big.Int
	}{{19, bigTen19}, {1, bigTen}} {
		for c.Sign() != 0 && scale+p.k <= math.MaxInt32 {
			if q.QuoRem(c, p.d, &r); r.Sign() != 0 {
				break
			}
			c.Set(&q)
			scale += p.k
		}
	}
	return c, scale
}

// div256 divides the 256-bit w (most significant word first) by m.
func div256(w [4]uint64, m uint64) ([4]uint64, uint64) {
	var q [4]uint64
	var r uint64
	for i := range w {
		q[i], r = bits.Div64(r, w[i], m)
	}
	return q, r
}

// Overflowed returns an Over Decimal: a figure that is not to be computed
// in 128 bits.
func Overflowed() Decimal { return Decimal{over: true} }

// Over reports whether an operation leading to x overflowed 128 bits:
// then x means nothing and the figure is to be computed with decimals.
func (x Decimal) Over() bool { return x.over }

// Sign returns −1, 0 or 1 as x is negative, zero or positive; 0 when x
// is Over.
func (x Decimal) Sign() int {
	switch {
	case x.over || x.IsZero():
		return 0
	case x.neg:
		return -1
	}
	return 1
}

// IsZero reports whether x is 0 (never when x is Over: what cannot be
// computed is not known to be zero).
func (x Decimal) IsZero() bool { return x.hi == 0 && x.lo == 0 && !x.over }

// IsOne reports whether x's value is 1, as decimal's Equal(1) does at
// any exponent.
func (x Decimal) IsOne() bool {
	if x.over || x.neg || x.hi != 0 || x.scale > 0 || x.scale < -19 {
		return false
	}
	return x.lo == pow10u64[-x.scale]
}

// mul128 returns (hi, lo)·m and whether it overflowed 128 bits.
func mul128(hi, lo, m uint64) (uint64, uint64, bool) {
	h1, l1 := bits.Mul64(lo, m)
	h2, l2 := bits.Mul64(hi, m)
	sum, carry := bits.Add64(h1, l2, 0)
	return sum, l1, h2 != 0 || carry != 0
}

// exponentSum returns a + b, and false when decimal would panic on it.
func exponentSum(a, b int32) (int32, bool) {
	e := int64(a) + int64(b)
	return int32(e), e <= math.MaxInt32 && e >= math.MinInt32
}

// Mul returns x·y at decimal's exponent, x.exp + y.exp.
func (x Decimal) Mul(y Decimal) Decimal {
	// The common case first: two magnitudes of 64 bits, whose product
	// always fits.
	if x.hi|y.hi == 0 && !x.over && !y.over {
		hi, lo := bits.Mul64(x.lo, y.lo)
		exp, scale := int64(x.exp)+int64(y.exp), int64(x.scale)+int64(y.scale)
		if hi|lo != 0 && exp == int64(int32(exp)) && scale == int64(int32(scale)) {
			return Decimal{hi: hi, lo: lo, scale: int32(scale), exp: int32(exp), neg: x.neg != y.neg}
		}
	}
	return x.mul(y)
}

// mul is Mul's general case.
func (x Decimal) mul(y Decimal) Decimal {
	exp, ok1 := exponentSum(x.exp, y.exp)
	scale, ok2 := exponentSum(x.scale, y.scale)
	if x.over || y.over || !ok1 || !ok2 || (x.hi != 0 && y.hi != 0) {
		return Decimal{over: true}
	}
	if x.hi != 0 {
		x, y = y, x
	}
	hi, lo, over := mul128(y.hi, y.lo, x.lo)
	if over {
		return Decimal{over: true}
	}
	z := Decimal{hi: hi, lo: lo, scale: scale, exp: exp, neg: x.neg != y.neg}
	if z.IsZero() {
		z.neg, z.scale = false, exp
	}
	return z
}

// MulNonZero returns the zero Decimal (exponent 0) when either side is
// zero, else x·y: what the callers' "skip a product with a zero" gives.
func (x Decimal) MulNonZero(y Decimal) Decimal {
	if x.over || y.over {
		return Decimal{over: true}
	}
	if x.IsZero() || y.IsZero() {
		return Decimal{}
	}
	return x.Mul(y)
}

// scaleDown returns x with its magnitude times 10^k and its scale k lower.
func (x Decimal) scaleDown(k int64) Decimal {
	for k > 0 {
		step := min(k, 19)
		var over bool
		if x.hi, x.lo, over = mul128(x.hi, x.lo, pow10u64[step]); over {
			return Decimal{over: true}
		}
		x.scale -= int32(step)
		k -= step
	}
	return x
}

// Add returns x + y at decimal's exponent, the smaller of the two.
func (x Decimal) Add(y Decimal) Decimal {
	if x.over || y.over {
		return Decimal{over: true}
	}
	exp := min(x.exp, y.exp)
	switch {
	case y.IsZero():
		x.exp = exp
		return x
	case x.IsZero():
		y.exp = exp
		return y
	}
	// Bring the larger scale down to the smaller: at most 19 digits on a
	// 64-bit magnitude in one multiplication.
	if x.scale < y.scale {
		x, y = y, x
	}
	if d := int64(x.scale) - int64(y.scale); d > 0 {
		if x.hi == 0 && d <= 19 {
			x.hi, x.lo = bits.Mul64(x.lo, pow10u64[d])
			x.scale = y.scale
		} else if x = x.scaleDown(d); x.over {
			return Decimal{over: true}
		}
	}
	z := Decimal{scale: x.scale, exp: exp}
	if x.neg == y.neg {
		var c uint64
		z.lo, c = bits.Add64(x.lo, y.lo, 0)
		z.hi, c = bits.Add64(x.hi, y.hi, c)
		if c != 0 {
			return Decimal{over: true}
		}
		z.neg = x.neg
		return z
	}
	// Opposite signs: the larger magnitude less the smaller, with its sign.
	if x.hi < y.hi || (x.hi == y.hi && x.lo < y.lo) {
		x, y = y, x
	}
	var b uint64
	z.lo, b = bits.Sub64(x.lo, y.lo, 0)
	z.hi, _ = bits.Sub64(x.hi, y.hi, b)
	z.neg = x.neg && !z.IsZero()
	return z
}

// Neg returns −x.
func (x Decimal) Neg() Decimal {
	if !x.IsZero() {
		x.neg = !x.neg
	}
	return x
}

// Sub returns x − y, as decimal's Sub.
func (x Decimal) Sub(y Decimal) Decimal { return x.Add(y.Neg()) }

// DivRound returns x / y rounded half away from zero to places decimal
// places, at exponent −places, as decimal's DivRound (whose result
// depends on the values alone). Divisors whose magnitude, scaled, needs
// more than 64 bits give Over. y must not be zero.
func (x Decimal) DivRound(y Decimal, places int32) Decimal {
	if x.over || y.over || y.hi != 0 || y.IsZero() {
		return Decimal{over: true}
	}
	// |x|/|y|·10^places = a·10^e / b, e = xs − ys + places.
	e := int64(x.scale) - int64(y.scale) + int64(places)
	a := Decimal{hi: x.hi, lo: x.lo}
	b := Decimal{lo: y.lo}
	if e >= 0 {
		a = a.scaleDown(e)
	} else {
		b = b.scaleDown(-e)
	}
	if a.over || b.over || b.hi != 0 {
		return Decimal{over: true}
	}
	// 128-bit by 64-bit long division: the quotient's high word, then its
	// low word, each a bits.Div64 whose high part is below the divisor.
	qhi, r := bits.Div64(0, a.hi, b.lo)
	qlo, r := bits.Div64(r, a.lo, b.lo)
	// Round half away from zero: up when 2r ≥ b (r < b, so 2r fits in 65 bits).
	if r>>63 != 0 || r<<1 >= b.lo {
		var c uint64
		if qlo, c = bits.Add64(qlo, 1, 0); c != 0 {
			if qhi++; qhi == 0 {
				return Decimal{over: true}
			}
		}
	}
	z := Decimal{hi: qhi, lo: qlo, scale: -places, exp: -places, neg: x.neg != y.neg}
	if z.IsZero() {
		z.neg = false
	}
	return z
}

// Round returns x rounded half away from zero to places decimal places,
// at exponent −places, as decimal's Round.
func (x Decimal) Round(places int32) Decimal {
	return x.DivRound(Decimal{lo: 1}, places)
}

// Coefficient64 returns decimal's coefficient of x (its value is the
// coefficient times 10^exponent) and true when it fits in an int64.
func (x Decimal) Coefficient64() (int64, bool) {
	k := int64(x.scale) - int64(x.exp)
	switch {
	case x.over || x.hi != 0:
		return 0, false
	case x.lo == 0:
		return 0, true
	case k > 18:
		return 0, false
	}
	hi, lo := bits.Mul64(x.lo, pow10u64[k])
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if x.neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

// Converter turns Decimals back into decimal.Decimal. It keeps a
// scratch big.Int and the zeros it has made, so that a zero costs nothing
// and any other value one decimal (two allocations). Not safe for
// concurrent use.
type Converter struct {
	scratch big.Int
	zeros   map[int32]decimal.Decimal
	pow10   []*big.Int // 10^k, made as needed
}

// Decimal returns x as a decimal.Decimal with decimal's coefficient and
// exponent; x must not be Over.
func (dc *Converter) Decimal(x Decimal) decimal.Decimal {
	if x.over {
		panic("dec128: an overflowed Decimal turned into a decimal.Decimal")
	}
	if x.IsZero() {
		return dc.zero(x.exp)
	}
	k := int64(x.scale) - int64(x.exp) // trailing zeros of decimal's coefficient
	if x.hi == 0 && k <= 18 {
		if hi, lo := bits.Mul64(x.lo, pow10u64[k]); hi == 0 && lo <= math.MaxInt64 {
			v := int64(lo)
			if x.neg {
				v = -v
			}
			return decimal.New(v, x.exp)
		}
	}
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], x.hi)
	binary.BigEndian.PutUint64(buf[8:], x.lo)
	dc.scratch.SetBytes(buf[:])
	if k > 0 {
		dc.scratch.Mul(&dc.scratch, dc.pow(k))
	}
	if x.neg {
		dc.scratch.Neg(&dc.scratch)
	}
	return decimal.NewFromBigInt(&dc.scratch, x.exp) // copies
}

// pow returns 10^k.
func (dc *Converter) pow(k int64) *big.Int {
	if k >= int64(len(dc.pow10)) {
		if k > 1000 { // far beyond any figure here: not worth keeping
			return new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil)
		}
		dc.pow10 = append(dc.pow10, make([]*big.Int, int(k)+1-len(dc.pow10))...)
	}
	if dc.pow10[k] == nil {
		dc.pow10[k] = new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil)
	}
	return dc.pow10[k]
}

// zero returns a zero decimal of exponent exp, made once.
func (dc *Converter) zero(exp int32) decimal.Decimal {
	if exp == 0 {
		return decimal.Decimal{}
	}
	z, ok := dc.zeros[exp]
	if !ok {
		if dc.zeros == nil {
			dc.zeros = map[int32]decimal.Decimal{}
		}
		z = decimal.New(0, exp)
		dc.zeros[exp] = z
	}
	return z
}

// RoundCoef64 returns x rounded half away from zero to places decimal
// places as the coefficient c of c·10^-places, as decimal's Round gives
// it, and false when x is Over or c does not fit in an int64. Unlike
// Round, it takes figures of any scale: the Parts sheet rounds each
// line's deltas, whose scales run to −40, for its cells.
func (x Decimal) RoundCoef64(places int32) (int64, bool) {
	if x.over {
		return 0, false
	}
	hi, lo := x.hi, x.lo
	if k := int64(x.scale) + int64(places); k >= 0 { // exact: scale up
		if k > 19 {
			return 0, hi|lo == 0
		}
		y := Decimal{hi: hi, lo: lo}.scaleDown(k)
		if y.over {
			return 0, false
		}
		hi, lo = y.hi, y.lo
	} else {
		// Truncate to places+1 digits, then round on the last one.
		for k = -k - 1; k > 0 && hi|lo != 0; {
			step := min(k, 19)
			var r uint64
			hi, r = bits.Div64(0, hi, pow10u64[step])
			lo, _ = bits.Div64(r, lo, pow10u64[step])
			k -= step
		}
		var c, r uint64
		if lo, c = bits.Add64(lo, 5, 0); c != 0 && hi == math.MaxUint64 {
			return 0, false // far past an int64
		}
		hi, r = bits.Div64(0, hi+c, 10)
		lo, _ = bits.Div64(r, lo, 10)
	}
	switch {
	case hi != 0 || lo > 1<<63 || lo == 1<<63 && !x.neg:
		return 0, false
	case x.neg:
		return -int64(lo), true // −2^63 too
	}
	return int64(lo), true
}

// AppendText appends x as its significant digits and a power of ten,
// "-1234e-30", which strconv.ParseFloat reads as the float64 nearest to
// x: the Parts sheet ranks the parts by such floats. x must not be Over.
func (x Decimal) AppendText(buf []byte) []byte {
	if x.neg {
		buf = append(buf, '-')
	}
	var digits [40]byte
	i := len(digits)
	hi, lo := x.hi, x.lo
	for hi != 0 { // 19 digits at a time while the magnitude needs two words
		var r uint64
		hi, r = bits.Div64(0, hi, pow10u64[19])
		lo, r = bits.Div64(r, lo, pow10u64[19])
		for k := 0; k < 19; k++ {
			i--
			digits[i] = byte('0' + r%10)
			r /= 10
		}
	}
	for {
		i--
		digits[i] = byte('0' + lo%10)
		if lo /= 10; lo == 0 {
			break
		}
	}
	buf = append(buf, digits[i:]...)
	buf = append(buf, 'e')
	return strconv.AppendInt(buf, int64(x.scale), 10)
}
