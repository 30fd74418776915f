package exposure

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// TestLargestUnplanned: the short list is the first MaxUnplanned of the
// stable sort it replaced, on random deltas with many ties, some exact
// (dec128) and some not, and on fewer lines than MaxUnplanned.
func TestLargestUnplanned(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 9))
	for round := 0; round < 200; round++ {
		n := rng.IntN(3 * MaxUnplanned)
		if round%10 == 0 {
			n = 5000
		}
		figs := make([]unplannedFigures, n)
		un := make([]int, n)
		line := 0
		for i := range figs {
			line += 1 + rng.IntN(3)
			un[i] = line
			d := decimal.New(int64(rng.IntN(40)-20), -int32(rng.IntN(3)))
			if rng.IntN(2) == 0 {
				figs[i] = unplannedFigures{exp128: dec128.Of(d), exact: true}
			} else {
				figs[i] = unplannedFigures{exp: d}
			}
		}
		var dc dec128.Converter
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool {
			if c := figs[order[i]].cmp(&figs[order[j]], &dc); c != 0 {
				return c > 0
			}
			return un[order[i]] < un[order[j]]
		})
		want := order[:min(n, MaxUnplanned)]
		if got := largestUnplanned(figs, un, &dc); !slices.Equal(got, want) {
			t.Fatalf("round %d (%d lines): %v, want %v", round, n, got, want)
		}
	}
}
