package reference

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"rexpo/schema"
)

// The embedded country table, data/countries.csv: one row per ISO 3166-1
// country with columns alpha2, alpha3, name (English) and variants (other
// names people write, separated by ';').
const countriesFile = "data/countries.csv"

// country is one row of the country table.
type country struct {
	alpha2, alpha3, name string
}

// countryTable finds countries by code, name or variant.
type countryTable struct {
	byAlpha2 map[string]country
	index    *nameIndex
	names    []string // English names, sorted for drop-downs
}

// loadedCountries returns the embedded country table (Load).
func loadedCountries() (*countryTable, error) {
	d, err := Load()
	if err != nil {
		return nil, err
	}
	return d.countries, nil
}

// loadCountries reads data/countries.csv from fsys.
func loadCountries(fsys fs.FS) (*countryTable, error) {
	rows, err := readCSV(fsys, countriesFile, "alpha2", "alpha3", "name", "variants")
	if err != nil {
		return nil, err
	}
	t := &countryTable{byAlpha2: make(map[string]country, len(rows)), index: newNameIndex()}
	for _, r := range rows {
		c := country{alpha2: strings.ToUpper(r.get("alpha2")), alpha3: strings.ToUpper(r.get("alpha3")), name: r.get("name")}
		switch {
		case len(c.alpha2) != 2 || !isLetters(c.alpha2):
			return nil, r.errorf("alpha2 %q is not a two-letter code", c.alpha2)
		case len(c.alpha3) != 3 || !isLetters(c.alpha3):
			return nil, r.errorf("alpha3 %q is not a three-letter code", c.alpha3)
		case c.name == "":
			return nil, r.errorf("no name for %s", c.alpha2)
		case !t.index.addCode(c.alpha2, c.alpha2):
			return nil, r.errorf("alpha2 %s appears twice", c.alpha2)
		case !t.index.addCode(c.alpha3, c.alpha2):
			return nil, r.errorf("alpha3 %s appears twice", c.alpha3)
		}
		t.byAlpha2[c.alpha2] = c
		t.names = append(t.names, c.name)
		t.index.addName(c.name, c.alpha2, kindName)
		for _, v := range strings.Split(r.get("variants"), ";") {
			if v = strings.TrimSpace(v); v != "" {
				t.index.addName(v, c.alpha2, kindVariant)
			}
		}
	}
	t.index.done()
	sort.Slice(t.names, func(i, j int) bool {
		a, b := fold(t.names[i]), fold(t.names[j])
		if a != b {
			return a < b
		}
		return t.names[i] < t.names[j]
	})
	return t, nil
}

// unknownWords are what people write in a country cell when they do
// not know the country; they mean the same as an empty cell.
var unknownWords = map[string]bool{"unknown": true, "n/a": true, "tbd": true, "?": true, "-": true, "–": true, "—": true}

// lookup returns the alpha-2 code for text; see LookupCountry.
func (t *countryTable) lookup(text string) (string, error) {
	s := schema.Trim(text)
	if s == "" || unknownWords[strings.ToLower(s)] {
		return "", nil
	}
	id, ties := t.index.find(s)
	if id != "" {
		return id, nil
	}
	if len(ties) > 0 {
		return "", fmt.Errorf("%w %s (it could be %s; write the ISO code)", ErrUnknownCountry, schema.Quote(text), t.describe(ties))
	}
	// "China (CN)", as the suggestions below write it.
	if i := strings.LastIndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		code := strings.TrimSpace(s[i+1 : len(s)-1])
		byCode, _ := t.index.find(code)
		byName, _ := t.index.find(strings.TrimSpace(s[:i]))
		if byCode != "" && byCode == byName && isLetters(code) {
			return byCode, nil
		}
	}
	if strings.HasPrefix(s, "#") {
		return "", fmt.Errorf("%w %s (the cell holds a formula error)", ErrUnknownCountry, schema.Quote(text))
	}
	if ids := t.index.suggest(s); len(ids) > 0 {
		return "", fmt.Errorf("%w %s (did you mean %s?)", ErrUnknownCountry, schema.Quote(text), t.describe(ids))
	}
	return "", fmt.Errorf("%w %s (write an ISO 3166 code such as CN or CHN, or an English name such as China)", ErrUnknownCountry, schema.Quote(text))
}

// describe names countries for a message: "China (CN)", "Niger (NE) or
// Nigeria (NG)".
func (t *countryTable) describe(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s (%s)", t.byAlpha2[id].name, id)
	}
	return strings.Join(parts, " or ")
}

// LookupCountry normalises a country cell to its ISO 3166 alpha-2 code. It
// accepts an alpha-2 or alpha-3 code in any case, the English name, or a
// variant listed in the country table ("PRC", "Mainland China", "USA",
// "South Korea", "Korea, Republic of", "Viet Nam", "UK", ...), and "China
// (CN)" as error messages write it. Codes match only as bare letters, so
// "n/a" is not Namibia. Names match ignoring case, spaces, punctuation,
// diacritics ("Türkiye" is "Turkiye") and a word "the", reading "&" as
// "and" and "St." as "Saint". Empty text, and the words "unknown", "n/a",
// "tbd", "?" and a dash, are "" and no error: the country is unknown.
// Anything else is an error wrapping
// ErrUnknownCountry that suggests the nearest match by edit distance when
// one is close: `unknown country "Chna" (did you mean China (CN)?)`.
func LookupCountry(text string) (string, error) {
	if schema.Trim(text) == "" {
		return "", nil
	}
	t, err := loadedCountries()
	if err != nil {
		return "", fmt.Errorf("look up country: %w", err)
	}
	return t.lookup(text)
}

// CountryName returns the English name for an alpha-2 code (in any case),
// or "" for an unknown code.
func CountryName(alpha2 string) string {
	t, err := loadedCountries()
	if err != nil {
		return ""
	}
	return t.byAlpha2[strings.ToUpper(strings.TrimSpace(alpha2))].name
}

// CountryNames returns the English names of all countries, sorted
// alphabetically ignoring case and accents, for template drop-downs. The
// slice is the caller's.
func CountryNames() []string {
	t, err := loadedCountries()
	if err != nil {
		return nil
	}
	return append([]string(nil), t.names...)
}
