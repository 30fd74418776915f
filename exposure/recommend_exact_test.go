package exposure

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// TestCandidates128Of: the candidates computed in dec128 from the line's
// decimals are those the decimals' candidates convert to, coefficient
// and exponent, for part-number and material alternatives, by price and
// by premium; and a line whose figures do not fit says so rather than
// giving others.
func TestCandidates128Of(t *testing.T) {
	ins := []Input{benchPlanInput(60, false), benchPlanInput(60, true)}
	rng := rand.New(rand.NewPCG(9, 2))
	for n := 0; n < 150; n++ {
		ins = append(ins, randomCase(rng))
	}
	wide := benchPlanInput(20, false)
	for i := range wide.BOM.Lines {
		if i%3 == 0 {
			l := &wide.BOM.Lines[i]
			l.Sources = append([]Source(nil), l.Sources...)
			l.Sources[0].UnitCost = dec("1.234567890123456789012345678901234567891")
		}
	}
	byPrice := benchPlanInput(60, false) // material rows quoting a price per kg
	byPrice.Alternatives = append([]Alternative(nil), byPrice.Alternatives...)
	for a := range byPrice.Alternatives {
		byPrice.Alternatives[a].ByPremium, byPrice.Alternatives[a].UnitCost = false, dec("85.25")
	}
	for i := range byPrice.BOM.Lines {
		byPrice.BOM.Lines[i].MaterialKg = dec("0.031")
	}
	ins = append(ins, wide, byPrice)
	kinds := map[string]int{}
	var dc dec128.Converter
	same := func(a, b dec128.Decimal) bool {
		x, y := dc.Decimal(a), dc.Decimal(b)
		return x.Exponent() == y.Exponent() && x.Coefficient().Cmp(y.Coefficient()) == 0
	}
	for i, in := range ins {
		rc := preparedContext(t, in)
		ls := &lineScratch{}
		for k := range rc.work {
			w := &rc.work[k]
			want, okWant := candidates128(rc.exactCandidates(w))
			got, ok := rc.candidates128Of(w, ls)
			if !ok {
				kinds["over"]++
				continue
			}
			if !okWant || len(got) != len(want) {
				t.Fatalf("input %d line %d: %d candidates (%v), want %d (%v)", i, w.line, len(got), ok, len(want), okWant)
			}
			for j := range got {
				g, x := &got[j], &want[j]
				if !same(g.cost, x.cost) || !same(g.value, x.value) || len(g.parts) != len(x.parts) {
					t.Fatalf("input %d line %d candidate %d: cost %v value %v, want %v %v", i, w.line, j, dc.Decimal(g.cost), dc.Decimal(g.value), dc.Decimal(x.cost), dc.Decimal(x.value))
				}
				for p := range g.parts {
					if g.parts[p].prof != x.parts[p].prof || !same(g.parts[p].cost, x.parts[p].cost) || !same(g.parts[p].weight, x.parts[p].weight) {
						t.Fatalf("input %d line %d candidate %d part %d differs", i, w.line, j, p)
					}
				}
			}
			// The floats and class key made from them are candidates'.
			l := &rc.m.in.BOM.Lines[w.line]
			pi := rc.m.prodIdx[l.Product]
			fc, key, ok := rc.floatCandidates(w, l, pi, ls)
			wantF := rc.candidates(w)
			if !ok || key != rc.classKey(w, l, pi, wantF) || len(fc) != len(wantF) {
				t.Fatalf("input %d line %d: float candidates (%v) or key %q differ", i, w.line, ok, key)
			}
			for j := range fc {
				if math.Float64bits(fc[j].valueF) != math.Float64bits(wantF[j].valueF) || len(fc[j].parts) != len(wantF[j].parts) {
					t.Fatalf("input %d line %d candidate %d: float value or parts differ", i, w.line, j)
				}
				for p, pt := range fc[j].parts {
					if x := wantF[j].parts[p]; pt.prof != x.prof || math.Float64bits(pt.costF) != math.Float64bits(x.costF) || math.Float64bits(pt.weightF) != math.Float64bits(x.weightF) {
						t.Fatalf("input %d line %d candidate %d part %d: floats differ", i, w.line, j, p)
					}
				}
			}
			for _, a := range rc.altsOf(w) {
				alt := &rc.m.in.Alternatives[a]
				kinds[fmt.Sprintf("part=%v premium=%v", alt.PartNumber != "", alt.ByPremium)]++
			}
		}
	}
	for _, k := range []string{"part=true premium=false", "part=true premium=true", "part=false premium=true", "part=false premium=false", "over"} {
		if kinds[k] == 0 {
			t.Errorf("no %q case: %v", k, kinds)
		}
	}
}

// TestFloat64Of: float64Of gives decimal's InexactFloat64, bit for bit,
// of random decimals of up to 38 digits at exponents from −60 to 30, of
// halfway and near-halfway values, and of every line's material value.
func TestFloat64Of(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 5))
	var ds []decimal.Decimal
	for n := 0; n < 20000; n++ {
		digits := 1 + rng.IntN(38)
		b := make([]byte, digits)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		c, _ := new(big.Int).SetString(string(b), 10)
		if rng.IntN(2) == 0 {
			c.Neg(c)
		}
		ds = append(ds, decimal.NewFromBigInt(c, int32(rng.IntN(91)-60)))
	}
	// 2^53+1 and its neighbours: halfway between two floats.
	for _, s := range []string{"9007199254740993", "9007199254740995", "9007199254740993000", "0.9007199254740993", "123456789012345678901234567890.5", "0.1", "0", "-0.000"} {
		ds = append(ds, dec(s))
	}
	for _, d := range ds {
		x := dec128.Of(d)
		if x.Over() {
			continue
		}
		f, ok := float64Of(x)
		if !ok {
			t.Fatalf("%s: no float", d)
		}
		if want := d.InexactFloat64(); math.Float64bits(f) != math.Float64bits(want) {
			t.Fatalf("%s: %v, want %v", d, f, want)
		}
		var b strings.Builder
		if writeDecimal(&b, x); b.String() != d.String() {
			t.Fatalf("%s·10^%d written %q, want %q", d.Coefficient(), d.Exponent(), b.String(), d.String())
		}
	}
	for _, in := range []Input{benchPlanInput(60, false), benchInput(400)} {
		r, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		rc := newRecContext(r.model, r, &Plan{})
		for i := range in.BOM.Lines {
			l := &rc.m.in.BOM.Lines[i]
			if got, want := rc.materialValueF(l), r.model.materialValue(l).InexactFloat64(); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("line %d: material value %v, want %v", i, got, want)
			}
		}
	}
}

// TestFactorsFrom128: a profile's float factors taken from dec128, and
// its expected monthly factors computed in dec128, are those made from
// the decimals (noDec128), bit for bit, coefficient and exponent.
func TestFactorsFrom128(t *testing.T) {
	defer func() { noDec128 = false }()
	rng := rand.New(rand.NewPCG(21, 4))
	ins := []Input{benchPlanInput(60, false), benchPlanInput(60, true)}
	for n := 0; n < 30; n++ {
		ins = append(ins, randomCase(rng))
	}
	exact := 0
	for i, in := range ins {
		prep := func(off bool) *recContext {
			noDec128 = off
			defer func() { noDec128 = false }()
			return preparedContext(t, in)
		}
		got, want := prep(false), prep(true)
		byKey := map[string]*recFactors{}
		for p, f := range want.factors {
			byKey[p.key] = f
		}
		var dc dec128.Converter
		for p, f := range got.factors {
			w := byKey[p.key]
			for k := range f.fv {
				if math.Float64bits(f.fv[k]) != math.Float64bits(w.fv[k]) || math.Float64bits(f.fc[k]) != math.Float64bits(w.fc[k]) || f.nz[k] != w.nz[k] {
					t.Fatalf("input %d profile %s: factors %d differ", i, p.key, k)
				}
				for e := range f.g[k] {
					if math.Float64bits(f.g[k][e]) != math.Float64bits(w.g[k][e]) {
						t.Fatalf("input %d profile %s: g[%d][%d] differs", i, p.key, k, e)
					}
				}
			}
			if !f.ok128 {
				continue
			}
			exact++
			for tt := 1; tt < len(w.eg); tt++ {
				for e := range w.eg[tt] {
					if !sameDecimal(dc.Decimal(f.eg128[tt][e]), w.eg[tt][e]) {
						t.Fatalf("input %d profile %s: eg[%d][%d] differs", i, p.key, tt, e)
					}
				}
				if !sameDecimal(dc.Decimal(f.ev128[tt]), w.ev[tt]) || !sameDecimal(dc.Decimal(f.ec128[tt]), w.ec[tt]) {
					t.Fatalf("input %d profile %s: ev or ec[%d] differs", i, p.key, tt)
				}
			}
			got.decimalMonthly(p, f) // the decimals made later are the same too
			for tt := 1; tt < len(w.eg); tt++ {
				if !sameDecimal(f.ev[tt], w.ev[tt]) || !sameDecimal(f.ec[tt], w.ec[tt]) {
					t.Fatalf("input %d profile %s: decimal ev or ec[%d] differs", i, p.key, tt)
				}
			}
		}
	}
	if exact == 0 {
		t.Fatal("no profile's monthly factors in dec128")
	}
}

// TestPartSum: a partSum is decimal's Add after Add from zero, coefficient
// and exponent, whether its terms fit in 128 bits or not, as dec128 or as
// decimals.
func TestPartSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 7))
	var dc dec128.Converter
	for round := 0; round < 300; round++ {
		var s partSum
		var want decimal.Decimal
		for n := rng.IntN(60); n > 0; n-- {
			digits := 1 + rng.IntN(36)
			b := make([]byte, digits)
			for i := range b {
				b[i] = byte('0' + rng.IntN(10))
			}
			c, _ := new(big.Int).SetString(string(b), 10)
			if rng.IntN(3) == 0 {
				c.Neg(c)
			}
			d := decimal.NewFromBigInt(c, int32(rng.IntN(50)-45))
			want = want.Add(d)
			if x := dec128.Of(d); !x.Over() && rng.IntN(2) == 0 {
				s.add(x, &dc)
			} else {
				s.addDecimal(d, &dc)
			}
		}
		if got := s.decimal(&dc); !sameDecimal(got, want) {
			t.Fatalf("round %d: %s·10^%d, want %s·10^%d", round, got.Coefficient(), got.Exponent(), want.Coefficient(), want.Exponent())
		}
	}
}

// preparedContext computes in and prepares a plan of it, as Recommend
// does before it evaluates the lines.
func preparedContext(t *testing.T, in Input) *recContext {
	t.Helper()
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	rc := newRecContext(r.model, r, &Plan{})
	rc.initCap()
	if err := rc.prepare(); err != nil {
		t.Fatal(err)
	}
	return rc
}
