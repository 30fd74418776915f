package exposure

import (
	"reflect"
	"sort"
	"testing"
)

// A plan keeps at most maxLinePlans line plans, those with the largest
// expected saving, in BOM order, while its totals and spend cover every
// planned line: the same as an uncapped plan's.
func TestRecommendKeepsLargestSavings(t *testing.T) {
	in := benchPlanInput(40, false)
	full, _ := plan(t, in)
	if full.Planned != len(full.Lines) || full.Planned < 10 {
		t.Fatalf("uncapped plan: %d planned, %d listed", full.Planned, len(full.Lines))
	}
	defer func(n int) { maxLinePlans = n }(maxLinePlans)
	maxLinePlans = 5
	capped, _ := plan(t, in)
	if capped.Planned != full.Planned || len(capped.Lines) != 5 {
		t.Fatalf("capped plan: %d planned, %d listed; want %d and 5", capped.Planned, len(capped.Lines), full.Planned)
	}
	// The five listed are the uncapped plan's five largest savings.
	var fifth LinePlan
	for i, lp := range capped.Lines {
		if i > 0 && lp.Index <= capped.Lines[i-1].Index {
			t.Errorf("listed plans not in BOM order: %d after %d", lp.Index, capped.Lines[i-1].Index)
		}
		if i == 0 || lp.ExpectedSaving.LessThan(fifth.ExpectedSaving) {
			fifth = lp
		}
	}
	larger := 0
	for _, lp := range full.Lines {
		if lp.ExpectedSaving.GreaterThan(fifth.ExpectedSaving) {
			larger++
		}
	}
	if larger > 4 {
		t.Errorf("%d uncapped lines save more than the smallest listed saving %s", larger, fifth.ExpectedSaving)
	}
	for _, c := range []struct {
		what      string
		got, want string
	}{
		{"premium", capped.Premium.String(), full.Premium.String()},
		{"expected saving", capped.ExpectedSaving.String(), full.ExpectedSaving.String()},
		{"worst saving", capped.WorstSaving.String(), full.WorstSaving.String()},
		{"current baseline", capped.CurrentBaseline.String(), full.CurrentBaseline.String()},
	} {
		if c.got != c.want {
			t.Errorf("capped %s = %s, want %s", c.what, c.got, c.want)
		}
	}
	if len(capped.Spend) != len(full.Spend) || len(full.Spend) == 0 {
		t.Fatalf("spend rows: %d capped, %d uncapped", len(capped.Spend), len(full.Spend))
	}
	for i := range full.Spend {
		if !capped.Spend[i].Today.Equal(full.Spend[i].Today) || !capped.Spend[i].Planned.Equal(full.Spend[i].Planned) {
			t.Errorf("spend %v: capped %+v, uncapped %+v", full.Spend[i].Stage, capped.Spend[i], full.Spend[i])
		}
	}
}

// Beyond maxPlannedLines plannable lines, only those with the largest
// expected annual change are planned; the rest are counted as skipped, not
// listed as lacking alternatives.
func TestRecommendPlansLargestChanges(t *testing.T) {
	in := benchPlanInput(40, false)
	full, _ := plan(t, in)
	defer func(n int) { maxPlannedLines = n }(maxPlannedLines)
	maxPlannedLines = 3
	limited, _ := plan(t, in)
	if limited.Planned != 3 || limited.Skipped != full.Planned-3 {
		t.Fatalf("limited plan: %d planned, %d skipped; want 3 and %d", limited.Planned, limited.Skipped, full.Planned-3)
	}
	if limited.UnplannedCount != full.UnplannedCount || limited.Exposed != full.Exposed {
		t.Errorf("unplanned %d (want %d), exposed %d (want %d)", limited.UnplannedCount, full.UnplannedCount, limited.Exposed, full.Exposed)
	}
	// In benchPlanInput the sources repeat every four lines and Nd grows
	// with the index, so each of lines 0–2 has nine lines of its own
	// source pattern with a larger expected change: none can be planned.
	for _, lp := range limited.Lines {
		if lp.Index < 3 {
			t.Errorf("line %d planned, though 37 lines have a larger expected change", lp.Index)
		}
	}
}

// Over several chunks of line plans, trimmed in place as they come
// (finish sizes the list first), the plans kept are exactly the uncapped
// plan's largest savings, ties in BOM order, listed in BOM order.
func TestRecommendKeepsLargestSavingsAcrossChunks(t *testing.T) {
	in := benchPlanInput(2600, false)
	full, _ := plan(t, in)
	if len(full.Lines) < 2100 {
		t.Fatalf("uncapped plan lists %d lines, want over two chunks", len(full.Lines))
	}
	defer func(n int) { maxLinePlans = n }(maxLinePlans)
	maxLinePlans = 7
	capped, _ := plan(t, in)
	want := append([]LinePlan(nil), full.Lines...)
	want = largestSavings(want)
	sort.Slice(want, func(i, j int) bool { return want[i].Index < want[j].Index })
	if !reflect.DeepEqual(capped.Lines, want) {
		t.Fatalf("capped plan lists %d lines, not the uncapped plan's %d largest savings", len(capped.Lines), maxLinePlans)
	}
}
