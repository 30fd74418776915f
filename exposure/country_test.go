package exposure

import (
	"sort"
	"testing"
	"unsafe"
)

// TestCountryRoundTrip: every pair of capitals is a Country whose String
// gives it back, in alphabetical order, without allocating; "" is
// NoCountry.
func TestCountryRoundTrip(t *testing.T) {
	var codes []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			codes = append(codes, string([]rune{a, b}))
		}
	}
	prev := NoCountry
	for _, code := range codes {
		c := CountryOf(code)
		if c <= prev {
			t.Fatalf("%s = %d, not after %d: countries do not sort as their codes", code, c, prev)
		}
		if got := c.String(); got != code {
			t.Fatalf("CountryOf(%q).String() = %q", code, got)
		}
		prev = c
	}
	if CountryOf("") != NoCountry || NoCountry.String() != "" || Country(26*26+1).String() != "" {
		t.Error("unknown country is not NoCountry / \"\"")
	}
	if !sort.StringsAreSorted(codes) {
		t.Fatal("test codes not sorted")
	}
	if n := testing.AllocsPerRun(100, func() { _ = CountryOf("CN").String() }); n != 0 {
		t.Errorf("String allocates %v times", n)
	}
	want := [NumStages]string{"AU", "", "JP", "CN"}
	if got := CountryCodes(CountriesOf(want)); got != want {
		t.Errorf("CountryCodes(CountriesOf(%q)) = %q", want, got)
	}
}

// TestCountryOfRejects: text that is not two capitals is a bug of the
// caller, said at once.
func TestCountryOfRejects(t *testing.T) {
	for _, bad := range []string{"cn", "CHN", "C", "C1", "Ä", "*", " CN"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("CountryOf(%q) did not panic", bad)
				}
			}()
			CountryOf(bad)
		}()
	}
}

// TestResidentSizes: a million-line BOM holds a Line and a Source per
// line for the whole run, which every garbage collection scans. On 64-bit
// platforms a Source was 144 bytes with 9 pointer words while its
// countries were strings; it is 64 with 3 (Supplier, Share, UnitCost).
// A Line was 216 bytes with 12 pointer words while it held its Ref as a
// string and its Parent as an int; it is 200 with 11.
func TestResidentSizes(t *testing.T) {
	if s := unsafe.Sizeof(Country(0)); s != 2 {
		t.Errorf("Country is %d bytes, want 2", s)
	}
	if s := unsafe.Sizeof(Source{}); s > 64 {
		t.Errorf("Source is %d bytes, want at most 64", s)
	}
	if s := unsafe.Sizeof(Line{}); s > 200 {
		t.Errorf("Line is %d bytes, want at most 200", s)
	}
	t.Logf("Line %d bytes, Source %d, ElementMass %d", unsafe.Sizeof(Line{}), unsafe.Sizeof(Source{}), unsafe.Sizeof(ElementMass{}))
}
