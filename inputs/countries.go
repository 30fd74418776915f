package inputs

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"rexpo/schema"
)

// The embedded country table, data/countries.csv: one row per ISO 3166-1
// country with columns alpha2, alpha3, name (English) and variants (other
// names people write, separated by ';').
const refCountriesFile = "data/countries.csv"

// refIndex finds reference entries (countries, elements) by code or name.
// Codes (alpha-2 and alpha-3 codes, element symbols) match only text that
// is exactly the code's letters, in any case, so that "n/a" or "#N/A" is
// never Namibia. Names and variants match after refFold.
type refIndex struct {
	codes map[string]string  // upper-case code → id
	keys  map[string]refKey  // folded name → id
	ties  map[string]*refTie // folded name shared by several ids
	sug   []refSugKey        // every code and name, sorted, for suggestions

	mu    sync.Mutex
	cache map[string][]string // folded text → suggested ids
}

// The kinds of name an id is found by. When two ids share a folded name,
// a name beats a variant; the same name kind for two ids is a tie, and
// the text is ambiguous.
const (
	refKindName = iota
	refKindVariant
)

type refKey struct {
	id   string
	kind int
}

type refTie struct {
	kind int
	ids  []string
}

type refSugKey struct{ key, id string }

func newRefIndex() *refIndex {
	return &refIndex{
		codes: make(map[string]string),
		keys:  make(map[string]refKey),
		ties:  make(map[string]*refTie),
		cache: make(map[string][]string),
	}
}

// addCode records a code; it reports false when the code is taken.
func (x *refIndex) addCode(code, id string) bool {
	c := strings.ToUpper(code)
	if _, taken := x.codes[c]; taken {
		return false
	}
	x.codes[c] = id
	x.sug = append(x.sug, refSugKey{strings.ToLower(c), id})
	return true
}

// addName records that text (a name or variant) stands for id.
func (x *refIndex) addName(text, id string, kind int) {
	k := refFold(text)
	if k == "" {
		return
	}
	x.sug = append(x.sug, refSugKey{k, id})
	if tie, ok := x.ties[k]; ok {
		switch {
		case kind < tie.kind:
			delete(x.ties, k)
			x.keys[k] = refKey{id, kind}
		case kind == tie.kind:
			tie.ids = refAppendOnce(tie.ids, id)
		}
		return
	}
	old, ok := x.keys[k]
	switch {
	case !ok || kind < old.kind && old.id != id:
		x.keys[k] = refKey{id, kind}
	case old.id == id:
		x.keys[k] = refKey{id, min(kind, old.kind)}
	case kind == old.kind:
		delete(x.keys, k)
		x.ties[k] = &refTie{kind: kind, ids: []string{old.id, id}}
	}
}

// done sorts the suggestion keys once all entries are in.
func (x *refIndex) done() {
	sort.Slice(x.sug, func(i, j int) bool {
		if x.sug[i].key != x.sug[j].key {
			return x.sug[i].key < x.sug[j].key
		}
		return x.sug[i].id < x.sug[j].id
	})
}

// find returns the id text stands for, or the ids it could stand for when
// ambiguous, or neither.
func (x *refIndex) find(s string) (id string, ties []string) {
	if len(s) <= 3 && refLetters(s) {
		if id, ok := x.codes[strings.ToUpper(s)]; ok {
			return id, nil
		}
	}
	k := refFold(s)
	if e, ok := x.keys[k]; ok {
		return e.id, nil
	}
	if tie, ok := x.ties[k]; ok {
		return "", tie.ids
	}
	return "", nil
}

// refMaxSuggest is the longest folded text worth an edit-distance search.
const refMaxSuggest = 64

// suggest returns the ids whose codes or names are nearest to s by edit
// distance (optimal string alignment, so a swap of two letters counts
// once), at most three, or none when the nearest is too far to be a typo
// (more than a third of the letters, at least one) or when text of up to
// three letters is equally near several entries. Answers are cached, so
// a column full of the same unknown word costs one search.
func (x *refIndex) suggest(s string) []string {
	k := refFold(s)
	n := utf8.RuneCountInString(k)
	if n == 0 || n > refMaxSuggest {
		return nil
	}
	x.mu.Lock()
	ids, ok := x.cache[k]
	x.mu.Unlock()
	if ok {
		return ids
	}
	limit := max(1, n/3)
	best := limit + 1
	for _, e := range x.sug {
		d := refDistance(k, e.key, best)
		switch {
		case d < best:
			best, ids = d, []string{e.id}
		case d == best:
			ids = refAppendOnce(ids, e.id)
		}
	}
	if best > limit || n <= 3 && len(ids) > 1 {
		// A code-sized typo near several codes ("EU") is anyone's guess.
		ids = nil
	}
	if len(ids) > 3 {
		ids = ids[:3]
	}
	x.mu.Lock()
	if len(x.cache) >= 1000 {
		clear(x.cache)
	}
	x.cache[k] = ids
	x.mu.Unlock()
	return ids
}

func refAppendOnce(ids []string, id string) []string {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}

// refLetters reports whether s is non-empty ASCII letters only.
func refLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !valIsLetter(s[i]) {
			return false
		}
	}
	return s != ""
}

// refCountry is one row of the country table.
type refCountry struct {
	alpha2, alpha3, name string
}

// countryTable finds countries by code, name or variant.
type countryTable struct {
	byAlpha2 map[string]refCountry
	index    *refIndex
	names    []string // English names, sorted for drop-downs
}

var (
	refCountriesOnce sync.Once
	refCountriesTab  *countryTable
	refCountriesErr  error
)

// refCountries returns the embedded country table, loaded on first use.
func refCountries() (*countryTable, error) {
	refCountriesOnce.Do(func() {
		refCountriesTab, refCountriesErr = loadCountries(dataFS)
	})
	return refCountriesTab, refCountriesErr
}

// loadCountries reads data/countries.csv from fsys.
func loadCountries(fsys fs.FS) (*countryTable, error) {
	rows, err := refReadCSV(fsys, refCountriesFile, "alpha2", "alpha3", "name", "variants")
	if err != nil {
		return nil, err
	}
	t := &countryTable{byAlpha2: make(map[string]refCountry, len(rows)), index: newRefIndex()}
	for _, r := range rows {
		c := refCountry{alpha2: strings.ToUpper(r.get("alpha2")), alpha3: strings.ToUpper(r.get("alpha3")), name: r.get("name")}
		switch {
		case len(c.alpha2) != 2 || !refLetters(c.alpha2):
			return nil, r.errorf("alpha2 %q is not a two-letter code", c.alpha2)
		case len(c.alpha3) != 3 || !refLetters(c.alpha3):
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
		t.index.addName(c.name, c.alpha2, refKindName)
		for _, v := range strings.Split(r.get("variants"), ";") {
			if v = strings.TrimSpace(v); v != "" {
				t.index.addName(v, c.alpha2, refKindVariant)
			}
		}
	}
	t.index.done()
	sort.Slice(t.names, func(i, j int) bool {
		a, b := refFold(t.names[i]), refFold(t.names[j])
		if a != b {
			return a < b
		}
		return t.names[i] < t.names[j]
	})
	return t, nil
}

// refUnknownWords are what people write in a country cell when they do
// not know the country; they mean the same as an empty cell.
var refUnknownWords = map[string]bool{"unknown": true, "n/a": true, "tbd": true, "?": true, "-": true, "–": true, "—": true}

// lookup returns the alpha-2 code for text; see LookupCountry.
func (t *countryTable) lookup(text string) (string, error) {
	s := valTrim(text)
	if s == "" || refUnknownWords[strings.ToLower(s)] {
		return "", nil
	}
	id, ties := t.index.find(s)
	if id != "" {
		return id, nil
	}
	if len(ties) > 0 {
		return "", fmt.Errorf("%w %s (it could be %s; write the ISO code)", ErrUnknownCountry, valQuote(text), t.describe(ties))
	}
	// "China (CN)", as the suggestions below write it.
	if i := strings.LastIndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		code := strings.TrimSpace(s[i+1 : len(s)-1])
		byCode, _ := t.index.find(code)
		byName, _ := t.index.find(strings.TrimSpace(s[:i]))
		if byCode != "" && byCode == byName && refLetters(code) {
			return byCode, nil
		}
	}
	if strings.HasPrefix(s, "#") {
		return "", fmt.Errorf("%w %s (the cell holds a formula error)", ErrUnknownCountry, valQuote(text))
	}
	if ids := t.index.suggest(s); len(ids) > 0 {
		return "", fmt.Errorf("%w %s (did you mean %s?)", ErrUnknownCountry, valQuote(text), t.describe(ids))
	}
	return "", fmt.Errorf("%w %s (write an ISO 3166 code such as CN or CHN, or an English name such as China)", ErrUnknownCountry, valQuote(text))
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
	if valTrim(text) == "" {
		return "", nil
	}
	t, err := refCountries()
	if err != nil {
		return "", fmt.Errorf("look up country: %w", err)
	}
	return t.lookup(text)
}

// CountryName returns the English name for an alpha-2 code (in any case),
// or "" for an unknown code.
func CountryName(alpha2 string) string {
	t, err := refCountries()
	if err != nil {
		return ""
	}
	return t.byAlpha2[strings.ToUpper(strings.TrimSpace(alpha2))].name
}

// CountryNames returns the English names of all countries, sorted
// alphabetically ignoring case and accents, for template drop-downs. The
// slice is the caller's.
func CountryNames() []string {
	t, err := refCountries()
	if err != nil {
		return nil
	}
	return append([]string(nil), t.names...)
}

// refFoldRunes maps accented Latin letters to plain ones, so that names
// match whether or not the accents were typed.
var refFoldRunes = func() map[rune]string {
	m := make(map[rune]string)
	for _, p := range [][2]string{
		{"ÀÁÂÃÄÅàáâãäåĀāĂăĄą", "a"}, {"ÇçĆćĈĉĊċČč", "c"}, {"ĎďĐđÐð", "d"},
		{"ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "e"}, {"ĜĝĞğĠġĢģ", "g"}, {"ĤĥĦħ", "h"},
		{"ÌÍÎÏìíîïĨĩĪīĬĭĮįİı", "i"}, {"Ĵĵ", "j"}, {"Ķķ", "k"}, {"ĹĺĻļĽľĿŀŁł", "l"},
		{"ÑñŃńŅņŇň", "n"}, {"ÒÓÔÕÖØòóôõöøŌōŎŏŐő", "o"}, {"ŔŕŖŗŘř", "r"},
		{"ŚśŜŝŞşŠšȘș", "s"}, {"ŢţŤťȚț", "t"}, {"ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "u"},
		{"Ŵŵ", "w"}, {"ÝýÿŶŷŸ", "y"}, {"ŹźŻżŽž", "z"},
		{"ß", "ss"}, {"Ææ", "ae"}, {"Œœ", "oe"}, {"Þþ", "th"},
	} {
		for _, r := range p[0] {
			m[r] = p[1]
		}
	}
	return m
}()

// refFold folds a country or element name, code or variant for matching:
// lower case without accents, every character that is not a letter or
// digit removed and the words joined. In text of several words, "&" reads
// as "and", "St" as "Saint", and the word "the" is dropped ("The Gambia",
// "Gambia, The"); a single word is kept as it is, so the code "ST" stays
// São Tomé.
func refFold(s string) string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '&':
			flush()
			words = append(words, "and")
		case refFoldRunes[r] != "":
			w.WriteString(refFoldRunes[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	if len(words) > 1 {
		kept := words[:0]
		for _, word := range words {
			switch word {
			case "the":
			case "st":
				kept = append(kept, "saint")
			default:
				kept = append(kept, word)
			}
		}
		words = kept
	}
	return strings.Join(words, "")
}

// refDistance is the optimal-string-alignment distance between a and b,
// or a value above bound when it is certainly above bound.
func refDistance(a, b string, bound int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > bound || -d > bound {
		return bound + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > bound {
			return bound + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// refRow is one record of a reference CSV file, by column name.
type refRow struct {
	file   string
	line   int
	fields map[string]string
}

func (r refRow) get(col string) string { return strings.TrimSpace(r.fields[col]) }

func (r refRow) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

// refReadCSV reads an embedded reference CSV file whose header names at
// least the given columns (other columns are ignored; '#' starts a comment
// line; blank lines are skipped).
func refReadCSV(fsys fs.FS, name string, cols ...string) ([]refRow, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reference data: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("reference data %s: empty file", name)
		}
		return nil, fmt.Errorf("reference data %s: %w", name, err)
	}
	idx := make(map[string]int, len(header))
	for i, h := range header {
		idx[schema.NormalizeKey(h)] = i
	}
	for _, c := range cols {
		if _, ok := idx[schema.NormalizeKey(c)]; !ok {
			return nil, fmt.Errorf("reference data %s: no column %q in header %q", name, c, header)
		}
	}
	var rows []refRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reference data %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		r := refRow{file: name, line: line, fields: make(map[string]string, len(cols))}
		for _, c := range cols {
			r.fields[c] = rec[idx[schema.NormalizeKey(c)]]
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("reference data %s: no rows", name)
	}
	return rows, nil
}
