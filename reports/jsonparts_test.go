package reports

import (
	"testing"

	"rexpo/exposure"
	"rexpo/internal/dec128"
)

// TestJSONSetExactSameAsDecimal: a figure kept from dec128 (setExact) is
// the figure kept from its decimal (set), for the rows' annual and unit
// deltas and their running sums, whose scales run far below the JSON's
// places; and setExact takes them all (it once gave up on such scales,
// sending a part in ten through decimals).
func TestJSONSetExactSameAsDecimal(t *testing.T) {
	r := genResult(t, 3000)
	ps := &jsonParts{n: 1, fig: make([]int64, 2), large: map[int]string{}}
	var dc dec128.Converter
	var sum dec128.Decimal
	checked, refused := 0, 0
	check := func(x dec128.Decimal) {
		checked++
		ok := ps.setExact(0, x)
		clear(ps.large)
		ps.set(1, dc.Decimal(x))
		_, large := ps.large[1]
		switch {
		case !ok:
			refused++
		case large || ps.fig[0] != ps.fig[1]:
			t.Fatalf("%s: setExact keeps %d, set %d (large %v)", dc.Decimal(x), ps.fig[0], ps.fig[1], large)
		}
	}
	err := r.PartsWith(exposure.PartOptions{NoSplit: true, ExactOnly: true, NoClasses: true}, func(pr exposure.PartRow) error {
		for s := range pr.Deltas {
			if u, a, ok := pr.Deltas[s].Exact(); ok {
				check(u)
				check(a)
				if sum = sum.Add(a); sum.Over() {
					sum = a // start again: a sum past 128 bits goes through decimals
				}
				check(sum)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 1000 || refused > 0 {
		t.Errorf("%d figures checked, %d refused by setExact", checked, refused)
	}
}
