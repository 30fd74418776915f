package reference

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func elemTable(t testing.TB) *elementTable {
	t.Helper()
	tab, err := loadedElements()
	if err != nil {
		t.Fatalf("load embedded elements: %v", err)
	}
	return tab
}

func TestElementLookup(t *testing.T) {
	elemTable(t)
	tests := []struct{ name, text, want string }{
		{"symbol", "Nd", "Nd"},
		{"symbol lower case", "nd", "Nd"},
		{"symbol upper case", "ND", "Nd"},
		{"one-letter symbol", "y", "Y"},
		{"cobalt not CO", "CO", "Co"},
		{"name", "neodymium", "Nd"},
		{"name capitalised", "Dysprosium", "Dy"},
		{"name upper case", "TERBIUM", "Tb"},
		{"padded", "  Pr ", "Pr"},
		{"Aluminum", "Aluminum", "Al"},
		{"Aluminium", "Aluminium", "Al"},
		{"Cesium", "Cesium", "Cs"},
		{"Caesium", "Caesium", "Cs"},
		{"Sulfur", "Sulfur", "S"},
		{"Sulphur", "sulphur", "S"},
		{"Wolfram", "Wolfram", "W"},
		{"tin is a name", "Tin", "Sn"},
		{"In is indium", "In", "In"},
		{"gallium", "gallium", "Ga"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LookupElement(tc.text)
			if err != nil || got != tc.want {
				t.Fatalf("LookupElement(%q) = %q, %v; want %q", tc.text, got, err, tc.want)
			}
		})
	}
}

func TestElementLookupErrors(t *testing.T) {
	elemTable(t)
	tests := []struct{ name, text, want string }{
		{"typo", "Neodymum", `unknown element "Neodymum" (did you mean Neodymium (Nd)?)`},
		{"typo two", "Dysprosim", `(did you mean Dysprosium (Dy)?)`},
		{"not a symbol", "Xx", `unknown element "Xx"`},
		{"material, not element", "NdFeB magnet", `unknown element "NdFeB magnet"`},
		{"empty", "", `unknown element: the cell is empty`},
		{"excel error", "#REF!", `(the cell holds a formula error)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LookupElement(tc.text)
			if !errors.Is(err, ErrUnknownElement) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LookupElement(%q) = %q, %v; want error containing %q", tc.text, got, err, tc.want)
			}
		})
	}
}

func TestElementRareEarths(t *testing.T) {
	tab := elemTable(t)
	// IsRareEarth is the table's flag, for a symbol in any case.
	IsRareEarth := func(s string) bool { e := tab.bySymbol[tab.symbol(s)]; return e != nil && e.rare }
	want := []string{"Sc", "Y", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"}
	if !slices.Equal(tab.rare, want) {
		t.Fatalf("elements.csv lists %v, want %v", tab.rare, want)
	}
	for _, sym := range want {
		if !IsRareEarth(sym) {
			t.Errorf("IsRareEarth(%s) = false", sym)
		}
		if cas := CASNumber(sym); !validCAS(cas) {
			t.Errorf("CASNumber(%s) = %q, not a valid CAS number", sym, cas)
		}
	}
	tests := []struct {
		name, symbol string
		rare         bool
		cas, elName  string
	}{
		{"neodymium", "Nd", true, "7440-00-8", "Neodymium"},
		{"lower case", "dy", true, "7429-91-6", "Dysprosium"},
		{"scandium", "Sc", true, "7440-20-2", "Scandium"},
		{"cobalt is not", "Co", false, "", "Cobalt"},
		{"gallium is not", "Ga", false, "", "Gallium"},
		{"thorium is not", "Th", false, "", "Thorium"},
		{"unknown symbol", "Xx", false, "", ""},
		{"name is not a symbol", "neodymium", false, "", ""},
		{"empty", "", false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsRareEarth(tc.symbol); got != tc.rare {
				t.Errorf("IsRareEarth(%q) = %v, want %v", tc.symbol, got, tc.rare)
			}
			if got := CASNumber(tc.symbol); got != tc.cas {
				t.Errorf("CASNumber(%q) = %q, want %q", tc.symbol, got, tc.cas)
			}
			if got := ElementName(tc.symbol); got != tc.elName {
				t.Errorf("ElementName(%q) = %q, want %q", tc.symbol, got, tc.elName)
			}
		})
	}
}

// validCAS checks a CAS number's check digit: the digits before it,
// read from the right and weighted 1, 2, 3, ..., sum to it modulo 10.
func validCAS(cas string) bool {
	if !isCAS(cas) {
		return false
	}
	digits := strings.ReplaceAll(cas[:len(cas)-2], "-", "")
	sum := 0
	for i := 0; i < len(digits); i++ {
		sum += int(digits[len(digits)-1-i]-'0') * (i + 1)
	}
	return sum%10 == int(cas[len(cas)-1]-'0')
}

// The embedded tables: all 118 elements, every name and symbol leading
// back to its element.
func TestElementData(t *testing.T) {
	tab := elemTable(t)
	if n := len(tab.bySymbol); n != 118 {
		t.Errorf("%d elements, want 118", n)
	}
	for sym, e := range tab.bySymbol {
		for _, text := range []string{sym, strings.ToUpper(sym), strings.ToLower(sym), e.name, strings.ToUpper(e.name)} {
			if got, err := tab.lookup(text); err != nil || got != sym {
				t.Errorf("lookup(%q) = %q, %v; want %s", text, got, err, sym)
			}
		}
		if ElementName(sym) != e.name {
			t.Errorf("ElementName(%s) = %q, want %q", sym, ElementName(sym), e.name)
		}
	}
	if !validCAS("7440-00-8") || validCAS("7440-00-9") {
		t.Error("validCAS is wrong on neodymium's CAS number")
	}
}

func TestElementLoadErrors(t *testing.T) {
	const periodic = "atomic_number,symbol,name\n21,Sc,Scandium\n60,Nd,Neodymium\n27,Co,Cobalt\n"
	const rare = "symbol,name,cas,atomic_number\nSc,Scandium,7440-20-2,21\nNd,Neodymium,7440-00-8,60\n"
	tests := []struct {
		name, periodic, rare, want string
	}{
		{"good", periodic, rare, ""},
		{"bad atomic number", "atomic_number,symbol,name\nx,Sc,Scandium\n", rare, `atomic_number "x"`},
		{"duplicate atomic number", "atomic_number,symbol,name\n21,Sc,Scandium\n21,Nd,Neodymium\n", rare, "atomic number 21 appears twice"},
		{"bad symbol", "atomic_number,symbol,name\n21,SC,Scandium\n", rare, `symbol "SC"`},
		{"duplicate symbol", "atomic_number,symbol,name\n21,Sc,Scandium\n22,Sc,Scandium\n", rare, "symbol Sc appears twice"},
		{"no name", "atomic_number,symbol,name\n21,Sc,\n", rare, "no name for Sc"},
		{"rare earth not in table", periodic, rare + "Dy,Dysprosium,7429-91-6,66\n", `symbol "Dy" is not in`},
		{"wrong atomic number", periodic, "symbol,name,cas,atomic_number\nNd,Neodymium,7440-00-8,61\n", `atomic number "61" of Nd`},
		{"bad CAS", periodic, "symbol,name,cas,atomic_number\nNd,Neodymium,7440008,60\n", `CAS number "7440008"`},
		{"rare earth twice", periodic, rare + "Nd,Neodymium,7440-00-8,60\n", "Nd appears twice"},
		{"missing rare earths file", periodic, "", "reference data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"data/periodic.csv": {Data: []byte(tc.periodic)}}
			if tc.rare != "" {
				fsys["data/elements.csv"] = &fstest.MapFile{Data: []byte(tc.rare)}
			}
			tab, err := loadElements(fsys)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got, err := tab.lookup("nd"); err != nil || got != "Nd" {
					t.Errorf("lookup(nd) = %q, %v", got, err)
				}
				if !slices.Equal(tab.rare, []string{"Sc", "Nd"}) {
					t.Errorf("rare earths %v, want [Sc Nd]", tab.rare)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("loadElements error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
