package exposure

import (
	"math/rand/v2"
	"reflect"
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

// TestClassDeltasExponents: lines of one class (the key compares figures
// by value) whose masses or costs differ in their exponents only (0.02
// and 0.0200 kg) each get the figures of their own decimals, as the
// decimal path (noDec128) computes them line by line: a cache of a
// class's unit figures taken by all its lines fails it.
func TestClassDeltasExponents(t *testing.T) {
	defer func() { noDec128 = false }()
	for _, shared := range []bool{false, true} {
		in := benchPlanInput(240, shared)
		for i := range in.BOM.Lines {
			l := &in.BOM.Lines[i]
			l.Content = []ElementMass{{Element: "Nd", Kg: decimal.New(2, -2)}, {Element: "Dy", Kg: decimal.New(2, -3)}}
			if i%5 == 1 {
				l.Content[0].Kg = decimal.New(200, -4)
			}
			if i%7 == 3 {
				l.Sources = append([]Source(nil), l.Sources...)
				l.Sources[0].UnitCost = l.Sources[0].UnitCost.Mul(decimal.New(10, -1))
			}
		}
		run := func(off bool) *Plan {
			noDec128 = off
			defer func() { noDec128 = false }()
			r, err := Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Recommend(r)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		got, want := run(false), run(true)
		if got.Planned == 0 || len(got.Lines) == 0 {
			t.Fatal("nothing planned")
		}
		if err := sameDecimals("plan", reflect.ValueOf(got), reflect.ValueOf(want)); err != nil {
			t.Fatal(err)
		}
	}
}
