package reports

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// TestPartRanks: partRanks sums per part what a map keyed by the part
// sums, with each part's first row, when made too small too.
func TestPartRanks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 5, 3000} {
		pr := newPartRanks(size)
		want := map[partKey]partRank{}
		for row := 0; row < 3000; row++ {
			l := &exposure.Line{Product: fmt.Sprint("P", rng.IntN(3)), PartNumber: fmt.Sprint(rng.IntN(900))}
			exp := rng.Float64()
			pr.add(l, exp, row)
			key := partKey{l.Product, l.PartNumber}
			rk, ok := want[key]
			if !ok {
				rk.first = row
			}
			rk.expected += exp
			want[key] = rk
		}
		n := 0
		pr.each(func(k partKey, rk partRank) {
			n++
			if want[k] != rk {
				t.Errorf("size %d: part %v: %+v, want %+v", size, k, rk, want[k])
			}
		})
		if n != len(want) {
			t.Errorf("size %d: %d parts, want %d", size, n, len(want))
		}
	}
}

// TestPartIndex: partIndex numbers parts in first-seen order as a map
// and a list do, across its growth.
func TestPartIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := newPartIndex()
	want := map[partKey]int32{}
	var order []partKey
	for row := 0; row < 20000; row++ {
		l := &exposure.Line{Product: fmt.Sprint("P", rng.IntN(3)), PartNumber: fmt.Sprint(rng.IntN(5000))}
		if row%1000 == 0 {
			l = nil // a row without a line: part partKey{}
		}
		k := lineKey(l)
		p, added := x.of(l)
		w, ok := want[k]
		if !ok {
			w = int32(len(order))
			want[k] = w
			order = append(order, k)
		}
		if p != w || added == ok {
			t.Fatalf("row %d, part %v: %d (added %v), want %d (added %v)", row, k, p, added, w, !ok)
		}
	}
	var keys []partKey
	for p := range x.lines {
		keys = append(keys, x.key(int32(p)))
	}
	if fmt.Sprint(keys) != fmt.Sprint(order) || len(x.slots) < 2*len(order) {
		t.Errorf("%d keys in %d slots, want %d in order", len(keys), len(x.slots), len(order))
	}
}

// TestGrowMax: growMax keeps the largest magnitude as decimal's Abs and
// GreaterThan do, the very decimal.
func TestGrowMax(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var got, want decimal.Decimal
	for i := 0; i < 100000; i++ {
		c := rng.Int64N(2000000) - 1000000
		if rng.IntN(10) == 0 {
			c *= 1e12
		}
		d := decimal.New(c, int32(rng.IntN(30)-20))
		if rng.IntN(50) == 0 {
			d = d.Mul(decimal.New(123456789123456789, -30)) // past an int64
		}
		growMax(&got, d)
		if a := d.Abs(); a.GreaterThan(want) {
			want = a
		}
		if got.String() != want.String() || got.Exponent() != want.Exponent() {
			t.Fatalf("after %s: %s, want %s", d, got, want)
		}
	}
}
