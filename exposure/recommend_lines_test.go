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

// TestClassSharedFigures: the indexes a class works out once are those of
// each of its lines' own candidates and shares.
func TestClassSharedFigures(t *testing.T) {
	for _, shared := range []bool{false, true} {
		r, err := Compute(benchPlanInput(300, shared))
		if err != nil {
			t.Fatal(err)
		}
		plan, err := Recommend(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Lines) == 0 {
			t.Fatal("no line plans")
		}
		for _, lp := range plan.Lines {
			cur, rec := make([]decimal.Decimal, len(lp.Candidates)), make([]decimal.Decimal, len(lp.Candidates))
			for j, cd := range lp.Candidates {
				cur[j], rec[j] = cd.CurrentShare, cd.Share
			}
			before, after := stageHHI(lp.Candidates, cur, lp.Heavy), stageHHI(lp.Candidates, rec, lp.Heavy)
			for g := range before {
				if !sameDecimal(before[g].Value, lp.HHIBefore[g].Value) || before[g].Known != lp.HHIBefore[g].Known ||
					!sameDecimal(after[g].Value, lp.HHIAfter[g].Value) || after[g].Known != lp.HHIAfter[g].Known {
					t.Fatalf("line %d stage %d: HHI %v → %v, want %v → %v", lp.Index, g, lp.HHIBefore[g], lp.HHIAfter[g], before[g], after[g])
				}
			}
		}
	}
}
