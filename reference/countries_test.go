package reference

import (
	"errors"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// ctryFakeFS is a small country table for loader tests that must not
// depend on the embedded data.
func ctryFakeFS(csv string) fs.FS {
	return fstest.MapFS{"data/countries.csv": {Data: []byte(csv)}}
}

const ctryFakeCSV = `alpha2,alpha3,name,variants
# a comment line
CN,CHN,China,"People's Republic of China;PRC;Mainland China"
TW,TWN,Taiwan,Republic of China
US,USA,United States,United States of America;USA;U.S.
TR,TUR,Turkey,Türkiye
CD,COD,Democratic Republic of the Congo,Congo
CG,COG,Republic of the Congo,Congo
KN,KNA,Saint Kitts and Nevis,
ST,STP,Sao Tome and Principe,São Tomé and Príncipe
NA,NAM,Namibia,
GM,GMB,Gambia,
`

// ctryTable returns the embedded country table, failing the test if it
// does not load.
func ctryTable(t testing.TB) *countryTable {
	t.Helper()
	tab, err := loadedCountries()
	if err != nil {
		t.Fatalf("load embedded countries: %v", err)
	}
	return tab
}

func TestCountryLookup(t *testing.T) {
	ctryTable(t)
	tests := []struct {
		name, text, want string
	}{
		{"alpha-2", "CN", "CN"},
		{"alpha-2 lower case", "cn", "CN"},
		{"alpha-3", "CHN", "CN"},
		{"alpha-3 mixed case", "Chn", "CN"},
		{"name", "China", "CN"},
		{"name upper case", "CHINA", "CN"},
		{"PRC", "PRC", "CN"},
		{"P.R.C.", "P.R.C.", "CN"},
		{"Mainland China", "Mainland China", "CN"},
		{"People's Republic", "People's Republic of China", "CN"},
		{"Taiwan is not China", "Republic of China", "TW"},
		{"USA", "USA", "US"},
		{"United States", "United States", "US"},
		{"U.S.", "U.S.", "US"},
		{"United States of America", "united states of america", "US"},
		{"South Korea", "South Korea", "KR"},
		{"Korea, Republic of", "Korea, Republic of", "KR"},
		{"North Korea", "Korea, Democratic People's Republic of", "KP"},
		{"Viet Nam", "Viet Nam", "VN"},
		{"Vietnam", "Vietnam", "VN"},
		{"UK", "UK", "GB"},
		{"Great Britain", "Great Britain", "GB"},
		{"Türkiye", "Türkiye", "TR"},
		{"Turkiye without accent", "Turkiye", "TR"},
		{"Cote d'Ivoire without accents", "cote d'ivoire", "CI"},
		{"Côte d’Ivoire curly apostrophe", "Côte d’Ivoire", "CI"},
		{"Curaçao", "CURAÇAO", "CW"},
		{"Åland", "Aland Islands", "AX"},
		{"padded", "  Germany  ", "DE"},
		{"the prefix", "The Netherlands", "NL"},
		{"the suffix", "Gambia, The", "GM"},
		{"ampersand", "Bosnia & Herzegovina", "BA"},
		{"St. abbreviation", "St. Lucia", "LC"},
		{"code ST is Sao Tome", "ST", "ST"},
		{"code NA is Namibia", "NA", "NA"},
		{"suggestion form", "China (CN)", "CN"},
		{"suggestion form alpha-3", "Japan (JPN)", "JP"},
		{"empty is unknown", "", ""},
		{"blank is unknown", "   ", ""},
		{"unknown word", "Unknown", ""},
		{"n/a is unknown, not Namibia", "n/a", ""},
		{"TBD", "TBD", ""},
		{"dash", "-", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LookupCountry(tc.text)
			if err != nil || got != tc.want {
				t.Fatalf("LookupCountry(%q) = %q, %v; want %q", tc.text, got, err, tc.want)
			}
		})
	}
}

func TestCountryLookupErrors(t *testing.T) {
	ctryTable(t)
	tests := []struct {
		name, text, want string
	}{
		{"typo suggests", "Chna", `unknown country "Chna" (did you mean China (CN)?)`},
		{"missing letter", "Germny", `(did you mean Germany (DE)?)`},
		{"swapped letters", "Untied States", `(did you mean United States (US)?)`},
		{"code typo near two codes", "CNH", `unknown country "CNH" (write an ISO 3166 code`},
		{"alpha-3 typo", "DEUU", `(did you mean Germany (DE)?)`},
		{"short text near several codes", "EU", `unknown country "EU" (write an ISO 3166 code`},
		{"nothing close", "Atlantis", `unknown country "Atlantis" (write an ISO 3166 code`},
		{"excel error", "#N/A", `unknown country "#N/A" (the cell holds a formula error)`},
		{"punctuated code is no code", "N.A.", `unknown country "N.A."`},
		{"conflicting suggestion form", "China (JP)", `unknown country "China (JP)"`},
		{"four letters", "CHNA", `did you mean China (CN)?`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LookupCountry(tc.text)
			if !errors.Is(err, ErrUnknownCountry) {
				t.Fatalf("LookupCountry(%q) = %q, %v; want ErrUnknownCountry", tc.text, got, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LookupCountry(%q) error %q, want it to contain %q", tc.text, err, tc.want)
			}
		})
	}
}

// The loader and matcher on a small table, independent of the data file.
func TestCountryFakeTable(t *testing.T) {
	tab, err := loadCountries(ctryFakeFS(ctryFakeCSV))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, want, err string
	}{
		{"code", "us", "US", ""},
		{"variant", "mainland china", "CN", ""},
		{"accented variant", "Sao Tome & Principe", "ST", ""},
		{"saint abbreviation", "St Kitts & Nevis", "KN", ""},
		{"ambiguous variant", "Congo", "", `unknown country "Congo" (it could be Democratic Republic of the Congo (CD) or Republic of the Congo (CG); write the ISO code)`},
		{"names beat variants", "Republic of the Congo", "CG", ""},
		{"suggestion", "Tukey", "", `(did you mean Turkey (TR)?)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tab.lookup(tc.text)
			if tc.err != "" {
				if !errors.Is(err, ErrUnknownCountry) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("lookup(%q) = %q, %v; want error containing %q", tc.text, got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("lookup(%q) = %q, %v; want %q", tc.text, got, err, tc.want)
			}
		})
	}
}

func TestCountryLoadErrors(t *testing.T) {
	tests := []struct {
		name, csv, want string
	}{
		{"no file", "", "reference data"},
		{"missing column", "alpha2,alpha3,name\nCN,CHN,China\n", `no column "variants"`},
		{"bad alpha-2", "alpha2,alpha3,name,variants\nC1,CHN,China,\n", `alpha2 "C1"`},
		{"bad alpha-3", "alpha2,alpha3,name,variants\nCN,CH,China,\n", `alpha3 "CH"`},
		{"no name", "alpha2,alpha3,name,variants\nCN,CHN,,\n", "no name for CN"},
		{"duplicate alpha-2", "alpha2,alpha3,name,variants\nCN,CHN,China,\nCN,CHA,Chin,\n", "alpha2 CN appears twice"},
		{"duplicate alpha-3", "alpha2,alpha3,name,variants\nCN,CHN,China,\nCH,CHN,Chin,\n", "alpha3 CHN appears twice"},
		{"ragged row", "alpha2,alpha3,name,variants\nCN,CHN\n", "wrong number of fields"},
		{"no rows", "alpha2,alpha3,name,variants\n", "no rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tc.csv != "" {
				fsys = ctryFakeFS(tc.csv).(fstest.MapFS)
			}
			_, err := loadCountries(fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("loadCountries error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// The embedded table: every ISO country, and every name and variant
// leading back to its own country.
func TestCountryData(t *testing.T) {
	tab := ctryTable(t)
	if n := len(tab.byAlpha2); n != 249 {
		t.Errorf("%d countries, want the 249 of ISO 3166-1", n)
	}
	rows, err := readCSV(files, countriesFile, "alpha2", "alpha3", "name", "variants")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		a2 := r.get("alpha2")
		texts := append([]string{a2, r.get("alpha3"), r.get("name")}, strings.Split(r.get("variants"), ";")...)
		for _, text := range texts {
			if strings.TrimSpace(text) == "" {
				continue
			}
			got, err := tab.lookup(text)
			if err != nil || got != a2 {
				t.Errorf("countries.csv line %d: %q finds %q, %v; want %s", r.line, text, got, err, a2)
			}
		}
		if CountryName(a2) != r.get("name") || CountryName(strings.ToLower(a2)) != r.get("name") {
			t.Errorf("CountryName(%s) = %q, want %q", a2, CountryName(a2), r.get("name"))
		}
	}
	if CountryName("XX") != "" {
		t.Errorf("CountryName(XX) = %q, want empty", CountryName("XX"))
	}
}

func TestCountryNames(t *testing.T) {
	ctryTable(t)
	names := CountryNames()
	if len(names) != 249 {
		t.Errorf("CountryNames() has %d names, want 249", len(names))
	}
	if !sort.SliceIsSorted(names, func(i, j int) bool { return fold(names[i]) < fold(names[j]) }) {
		t.Errorf("CountryNames() not sorted: %q", names)
	}
	// Åland sorts with A, not after Z.
	if last := names[len(names)-1]; last != "Zimbabwe" {
		t.Errorf("last name = %q, want Zimbabwe", last)
	}
	names[0] = "changed"
	if CountryNames()[0] == "changed" {
		t.Error("CountryNames returns the table's own slice")
	}
	for _, n := range names[1:] {
		if code, err := LookupCountry(n); err != nil || CountryName(code) != n {
			t.Errorf("LookupCountry(%q) = %q, %v; CountryName of that is %q", n, code, err, CountryName(code))
		}
	}
}

func TestCountryFold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"accents", "Türkiye", "turkiye"},
		{"punctuation", "Korea, Republic of", "korearepublicof"},
		{"the dropped", "The Bahamas", "bahamas"},
		{"single the kept", "The", "the"},
		{"saint", "St. Lucia", "saintlucia"},
		{"single st kept", "ST", "st"},
		{"ampersand", "Trinidad & Tobago", "trinidadandtobago"},
		{"sharp s", "Straße", "strasse"},
		{"other script kept", "中国", "中国"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fold(tc.in); got != tc.want {
				t.Errorf("fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCountryDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"china", "china", 0},
		{"chna", "china", 1},
		{"untied", "united", 1}, // a swap counts once
		{"kitten", "sitting", 3},
		{"", "abc", 3},
	}
	for _, tc := range tests {
		t.Run(tc.a+"/"+tc.b, func(t *testing.T) {
			if got := distance(tc.a, tc.b, 10); got != tc.want {
				t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
			if got := distance(tc.a, tc.b, tc.want-1); tc.want > 0 && got < tc.want {
				t.Errorf("distance(%q, %q, bound %d) = %d, want above the bound", tc.a, tc.b, tc.want-1, got)
			}
		})
	}
}

func FuzzLookupCountry(f *testing.F) {
	for _, s := range []string{"CN", "chn", "China", "PRC", "Korea, Republic of", "Türkiye", "Chna", "", "n/a",
		"#N/A", "China (CN)", "St. Lucia", "x(CN)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		code, err := LookupCountry(text)
		if err != nil {
			if !errors.Is(err, ErrUnknownCountry) {
				t.Fatalf("LookupCountry(%q) error %v does not wrap ErrUnknownCountry", text, err)
			}
			return
		}
		if code == "" {
			return
		}
		name := CountryName(code)
		if name == "" {
			t.Fatalf("LookupCountry(%q) = %q, which has no name", text, code)
		}
		for _, s := range []string{code, name} {
			if again, err := LookupCountry(s); err != nil || again != code {
				t.Fatalf("LookupCountry(%q) = %q, but LookupCountry(%q) = %q, %v", text, code, s, again, err)
			}
		}
	})
}
