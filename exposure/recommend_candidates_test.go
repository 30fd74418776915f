package exposure

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestLargestFirst: largestFirst orders as the stable sort by |expF| it
// replaced, with ties (equal magnitudes of either sign, zeros) and with a
// NaN.
func TestLargestFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for round := 0; round < 100; round++ {
		n := 1 + rng.IntN(2000)
		rc := &recContext{work: make([]lineWork, n)}
		for k := range rc.work {
			rc.work[k].expF = float64(rng.IntN(50)-25) * 0.5
			if rng.IntN(20) == 0 {
				rc.work[k].expF = math.Copysign(0, -1)
			}
		}
		if round%10 == 0 {
			rc.work[rng.IntN(n)].expF = math.NaN()
		}
		var items []int
		for k := range rc.work {
			if rng.IntN(4) > 0 {
				items = append(items, k)
			}
		}
		want := slices.Clone(items)
		sort.SliceStable(want, func(i, j int) bool {
			return math.Abs(rc.work[want[i]].expF) > math.Abs(rc.work[want[j]].expF)
		})
		rc.largestFirst(items)
		if !slices.Equal(items, want) {
			t.Fatalf("round %d: %v, want %v", round, items, want)
		}
	}
}
