package exposure

import (
	"slices"
	"testing"
)

// TestRareEarthsAgree checks the ordered list and the set the computation
// builds from it: the same 17 symbols, each once, the heavy ones among
// them.
func TestRareEarthsAgree(t *testing.T) {
	list := RareEarths()
	if len(list) != 17 || len(rareEarths) != 17 {
		t.Fatalf("%d rare earths listed, %d in the set, want 17 each", len(list), len(rareEarths))
	}
	for _, s := range list {
		if !IsRareEarth(s) {
			t.Errorf("%s listed but not in the set", s)
		}
	}
	sorted := slices.Clone(list)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != 17 {
		t.Errorf("a symbol is listed twice: %v", list)
	}
	// Atomic-number order: scandium (21) and yttrium (39) come before the
	// lanthanides, lanthanum (57) first and lutetium (71) last.
	if list[0] != "Sc" || list[1] != "Y" || list[2] != "La" || list[16] != "Lu" {
		t.Errorf("order %v, want Sc, Y, La, ..., Lu", list)
	}
	list[0] = "Xx"
	if RareEarths()[0] != "Sc" {
		t.Error("RareEarths returned the package's own slice")
	}
	for _, s := range []string{"Fe", "nd", "ND", ""} {
		if IsRareEarth(s) {
			t.Errorf("IsRareEarth(%q) = true, want false", s)
		}
	}
	for s := range heavyRareEarths {
		if !IsRareEarth(s) {
			t.Errorf("heavy rare earth %s is not a rare earth", s)
		}
	}
	if !IsHeavyRareEarth("Dy") || IsHeavyRareEarth("Nd") {
		t.Error("IsHeavyRareEarth: Dy heavy and Nd light expected")
	}
}
