package dec128

import (
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// randDecimal draws a decimal whose significant digits need 0 to 130 bits
// (so that some overflow 128), often followed by up to 40 zeros (as
// decimal's products of divided factors are), either sign, and an
// exponent from −45 to 3.
func randDecimal(rng *rand.Rand) decimal.Decimal {
	n := rng.IntN(131)
	c := new(big.Int)
	for i := 0; i < n; i++ {
		c.Lsh(c, 1)
		if i == 0 || rng.IntN(2) == 1 {
			c.SetBit(c, 0, 1)
		}
	}
	if rng.IntN(3) == 0 { // small, common coefficients
		c.SetInt64(int64(rng.IntN(2000)))
	}
	if rng.IntN(2) == 0 {
		c.Mul(c, pow10Big(int64(rng.IntN(81)))) // up to 80 zeros: past 256 bits
	}
	if rng.IntN(2) == 0 {
		c.Neg(c)
	}
	return decimal.NewFromBigInt(c, int32(rng.IntN(49)-45))
}

func pow10Big(k int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil) }

// sameDecimal reports whether a and b have the same coefficient and
// exponent, not only the same value.
func sameDecimal(a, b decimal.Decimal) bool {
	return a.Exponent() == b.Exponent() && a.Coefficient().Cmp(b.Coefficient()) == 0
}

// significant returns |d| as m·10^scale with m free of trailing zeros
// (0 for a zero).
func significant(d decimal.Decimal) (*big.Int, int64) {
	m := new(big.Int).Abs(d.Coefficient())
	scale := int64(d.Exponent())
	var q, r big.Int
	for m.Sign() != 0 {
		q.QuoRem(m, big.NewInt(10), &r)
		if r.Sign() != 0 {
			break
		}
		m.Set(&q)
		scale++
	}
	return m, scale
}

// sigBits is how many bits d's significant digits need.
func sigBits(d decimal.Decimal) int { m, _ := significant(d); return m.BitLen() }

// TestDec128MatchesDecimal checks every dec128 operation against
// decimal's on random operands: the same coefficient and exponent when
// it does not overflow, and overflow only when 128 bits cannot hold the
// significant digits of an operand, of the result, of the product of the
// operands' significant digits (Mul) or of an operand brought to the
// other's scale (Add, DivRound).
func TestDec128MatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var dc Converter
	checked := 0
	check := func(op string, a, b, want decimal.Decimal, got Decimal, mayOver bool) {
		t.Helper()
		if got.Over() {
			if !mayOver {
				t.Fatalf("%s(%s, %s) overflowed, want %s", op, a, b, want)
			}
			return
		}
		checked++
		if g := dc.Decimal(got); !sameDecimal(g, want) {
			t.Fatalf("%s(%s, %s) = %s·10^%d, want %s·10^%d", op, a, b, g.Coefficient(), g.Exponent(), want.Coefficient(), want.Exponent())
		}
	}
	overs := 0
	for i := 0; i < 200000; i++ {
		a, b := randDecimal(rng), randDecimal(rng)
		x, y := Of(a), Of(b)
		// Of gives up on significant digits past 128 bits, whatever their zeros.
		if x.Over() != (sigBits(a) > 128) || y.Over() != (sigBits(b) > 128) {
			t.Fatalf("Of(%s) over = %v, significant digits %d bits", a, x.Over(), sigBits(a))
		}
		if x.Over() || y.Over() {
			overs++
			if !x.Mul(y).Over() || !x.Add(y).Over() || !x.DivRound(y, 2).Over() {
				t.Fatalf("an operation on an overflowed operand did not overflow")
			}
			continue
		}
		if got := dc.Decimal(x); !sameDecimal(got, a) {
			t.Fatalf("Of(%s) round trip = %s·10^%d", a, got.Coefficient(), got.Exponent())
		}
		ma, sa := significant(a)
		mb, sb := significant(b)
		want := a.Mul(b)
		check("Mul", a, b, want, x.Mul(y), new(big.Int).Mul(ma, mb).BitLen() > 128)
		// Add and Sub bring the operand of the larger scale down to the
		// other's (a zero is never brought).
		aligned := func(m *big.Int, s, to int64) bool {
			return m.Sign() == 0 || s <= to || new(big.Int).Mul(m, pow10Big(s-to)).BitLen() <= 128
		}
		to := min(sa, sb)
		if ma.Sign() == 0 {
			to = sb
		} else if mb.Sign() == 0 {
			to = sa
		}
		addOver := !aligned(ma, sa, to) || !aligned(mb, sb, to)
		check("Add", a, b, a.Add(b), x.Add(y), addOver || sigBits(a.Add(b)) > 128)
		check("Sub", a, b, a.Sub(b), x.Sub(y), addOver || sigBits(a.Sub(b)) > 128)
		if !b.IsZero() {
			places := int32(rng.IntN(21))
			want := a.DivRound(b, places)
			e := sa - sb + int64(places)
			num, den := new(big.Int).Set(ma), new(big.Int).Set(mb)
			if e >= 0 {
				num.Mul(num, pow10Big(e))
			} else {
				den.Mul(den, pow10Big(-e))
			}
			mayOver := num.BitLen() > 128 || den.BitLen() > 64 || want.Coefficient().BitLen() > 128
			check("DivRound", a, b, want, x.DivRound(y, places), mayOver)
		}
		{
			places := int32(rng.IntN(21))
			want := a.Round(places)
			e := sa + int64(places)
			mayOver := e < -19 || (e >= 0 && new(big.Int).Mul(ma, pow10Big(e)).BitLen() > 128) || want.Coefficient().BitLen() > 128
			check("Round", a, b, want, x.Round(places), mayOver)
		}
		if c, ok := x.Coefficient64(); ok != a.Coefficient().IsInt64() || (ok && c != a.CoefficientInt64()) {
			t.Fatalf("Coefficient64(%s) = %d, %v", a, c, ok)
		}
		if x.IsOne() != a.Equal(decimal.NewFromInt(1)) {
			t.Fatalf("isOne(%s) = %v", a, x.IsOne())
		}
	}
	if overs == 0 || checked < 200000 {
		t.Fatalf("%d operands overflowed, %d results checked: the draw misses a case", overs, checked)
	}
	// Ones at several exponents, and values that are not one.
	for _, s := range []string{"1", "1.0", "1.000000000000000000", "10e-1", "0.1", "-1", "11e-1", "100000000000000000000000e-23"} {
		d := decimal.RequireFromString(s)
		if got := Of(d).IsOne(); got != d.Equal(decimal.NewFromInt(1)) {
			t.Errorf("isOne(%s) = %v", s, got)
		}
	}
}

// TestDec128Rounding works DivRound's halves by hand: 5/2 = 2.5 → 3,
// −5/2 → −3, 1/3 → 0.33, 2/3 → 0.67, −1/200 at 2 places → −0.01.
func TestDec128Rounding(t *testing.T) {
	var dc Converter
	for _, c := range []struct {
		a, b   string
		places int32
		want   string
	}{{"5", "2", 0, "3"}, {"-5", "2", 0, "-3"}, {"1", "3", 2, "0.33"}, {"2", "3", 2, "0.67"}, {"-1", "200", 2, "-0.01"}, {"0.001", "7", 2, "0"}} {
		got := Of(decimal.RequireFromString(c.a)).DivRound(Of(decimal.RequireFromString(c.b)), c.places)
		if s := dc.Decimal(got).String(); s != c.want || dc.Decimal(got).Exponent() != -c.places {
			t.Errorf("%s / %s at %d places = %s (exponent %d), want %s", c.a, c.b, c.places, s, got.exp, c.want)
		}
	}
}

// BenchmarkSumOfProducts is the per-line figures' typical work: a sum of
// products of masses (few digits) and factors (long fractions).
func BenchmarkSumOfProducts(b *testing.B) {
	kg := []Decimal{Of(decimal.RequireFromString("0.0123")), Of(decimal.RequireFromString("0.00375")), Of(decimal.RequireFromString("0.0005"))}
	g := []Decimal{Of(decimal.RequireFromString("2250.0753300000000000000000000")), Of(decimal.RequireFromString("30.001004400000000000")), Of(decimal.RequireFromString("22.2602739726027395"))}
	qty := Of(decimal.RequireFromString("8"))
	var sink Decimal
	for b.Loop() {
		var s Decimal
		for i := range kg {
			s = s.Add(kg[i].Mul(g[i]))
		}
		sink = s.Mul(qty)
	}
	if sink.Over() {
		b.Fatal("overflow")
	}
}

// BenchmarkSumOfProductsDecimal is BenchmarkSumOfProducts in decimal, for
// comparison.
func BenchmarkSumOfProductsDecimal(b *testing.B) {
	kg := []decimal.Decimal{decimal.RequireFromString("0.0123"), decimal.RequireFromString("0.00375"), decimal.RequireFromString("0.0005")}
	g := []decimal.Decimal{decimal.RequireFromString("2250.0753300000000000000000000"), decimal.RequireFromString("30.001004400000000000"), decimal.RequireFromString("22.2602739726027395")}
	qty := decimal.RequireFromString("8")
	var sink decimal.Decimal
	for b.Loop() {
		var s decimal.Decimal
		for i := range kg {
			s = s.Add(kg[i].Mul(g[i]))
		}
		sink = s.Mul(qty)
	}
	if sink.IsZero() {
		b.Fatal("zero")
	}
}

// RoundCoef64 gives decimal's Round coefficient where that fits an int64,
// and AppendText reads back as the decimal's nearest float64.
func TestRoundCoef64AndAppendText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 14))
	for i := 0; i < 200000; i++ {
		d := randDecimal(rng)
		if rng.IntN(4) == 0 { // values near a rounding tie
			d = decimal.New(int64(rng.IntN(2000000)-1000000)*5, int32(-rng.IntN(6)-1))
		}
		x := Of(d)
		if x.Over() {
			continue
		}
		places := int32(rng.IntN(8))
		r := d.Round(places)
		want, wantOK := r.Coefficient(), true
		if r.Exponent() != -places || !want.IsInt64() {
			wantOK = false
		}
		got, ok := x.RoundCoef64(places)
		if ok != wantOK || ok && got != want.Int64() {
			t.Fatalf("RoundCoef64(%s, %d) = %d, %v; want %s, %v", d, places, got, ok, want, wantOK)
		}
		f, err := strconv.ParseFloat(string(x.AppendText(nil)), 64)
		if err != nil {
			continue // beyond float64's range
		}
		if wantF := d.InexactFloat64(); f != wantF {
			t.Fatalf("AppendText(%s) = %s reads as %v, want %v", d, x.AppendText(nil), f, wantF)
		}
	}
}
