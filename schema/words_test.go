package schema

import (
	"testing"

	"rexpo/exposure"
)

func TestWordsLookup(t *testing.T) {
	// Matching follows SPEC section 2: case, spaces, '_' and '-' do not
	// count, so "Status Quo" is status-quo; an empty class is every class.
	if st, ok := Stances.Lookup("Status Quo"); !ok || st != exposure.StanceStatusQuo {
		t.Errorf(`Stances.Lookup("Status Quo") = %q, %v, want status-quo`, st, ok)
	}
	if _, ok := Stances.Lookup("calm"); ok {
		t.Error(`Stances.Lookup("calm") found a stance`)
	}
	for text, want := range map[string]exposure.Class{"direct": exposure.ClassDirect, "FREE": exposure.ClassFree, "*": exposure.AnyClass, "": exposure.AnyClass} {
		if c, ok := Classes.Lookup(text); !ok || c != want {
			t.Errorf("Classes.Lookup(%q) = %v, %v, want %v", text, c, ok, want)
		}
	}
	if v, ok := YesNo.Lookup("TRUE"); !ok || !v {
		t.Errorf(`YesNo.Lookup("TRUE") = %v, %v, want true`, v, ok)
	}
	if r, ok := Rollups.Lookup("all"); !ok || r != exposure.RollupAll {
		t.Errorf(`Rollups.Lookup("all") = %v, %v, want RollupAll`, r, ok)
	}
}

func TestWordsTexts(t *testing.T) {
	if got, want := Classes.OneOf(), "direct, upstream, free or *"; got != want {
		t.Errorf("Classes.OneOf() = %q, want %q", got, want)
	}
	if got, want := Stances.OneOf(), "easing, status-quo, tightening or escalation"; got != want {
		t.Errorf("Stances.OneOf() = %q, want %q", got, want)
	}
	for l, want := range map[DropDown]string{ListUnknownOrigin: "world controlling free", ListObjective: "expected worst", ListRollup: "leaves all", ListYesNo: "yes no"} {
		got := ""
		for i, w := range l.Words() {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != want {
			t.Errorf("DropDown(%d).Words() = %q, want %q", l, got, want)
		}
	}
	if ListCountries.Words() != nil {
		t.Error("ListCountries.Words() is not nil: countries come from the reference data")
	}
}

func TestNormalizeKey(t *testing.T) {
	for in, want := range map[string]string{"Share (%)": "share", "Status-Quo": "statusquo", "\ufeffpart_number": "partnumber", "Part\u200b Number": "partnumber"} {
		if got := NormalizeKey(in); got != want {
			t.Errorf("NormalizeKey(%q) = %q, want %q", in, got, want)
		}
	}
}
