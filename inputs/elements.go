package inputs

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The embedded element tables: data/periodic.csv lists every chemical
// element (atomic_number, symbol, name); data/elements.csv lists the 17
// rare earths with their CAS registry numbers (symbol, name, cas,
// atomic_number).
const (
	refPeriodicFile   = "data/periodic.csv"
	refRareEarthsFile = "data/elements.csv"
)

// refSpellings are other English spellings of element names (American,
// British, old), accepted beside the name in the periodic table.
var refSpellings = map[string][]string{
	"Al": {"Aluminum", "Aluminium"},
	"Cs": {"Cesium", "Caesium"},
	"S":  {"Sulfur", "Sulphur"},
	"W":  {"Tungsten", "Wolfram"},
}

// refElement is one chemical element.
type refElement struct {
	symbol, name string
	number       int
	cas          string // rare earths only
	rare         bool
}

// elementTable finds elements by symbol or name.
type elementTable struct {
	bySymbol map[string]*refElement // canonical symbol ("Nd")
	index    *refIndex
	rare     []string // rare-earth symbols in atomic-number order
}

var (
	refElementsOnce sync.Once
	refElementsTab  *elementTable
	refElementsErr  error
)

// refElements returns the embedded element table, loaded on first use.
func refElements() (*elementTable, error) {
	refElementsOnce.Do(func() {
		refElementsTab, refElementsErr = loadElements(dataFS)
	})
	return refElementsTab, refElementsErr
}

// loadElements reads data/periodic.csv and data/elements.csv from fsys.
func loadElements(fsys fs.FS) (*elementTable, error) {
	rows, err := refReadCSV(fsys, refPeriodicFile, "atomic_number", "symbol", "name")
	if err != nil {
		return nil, err
	}
	t := &elementTable{bySymbol: make(map[string]*refElement, len(rows)), index: newRefIndex()}
	numbers := make(map[int]bool, len(rows))
	for _, r := range rows {
		e := &refElement{symbol: r.get("symbol"), name: r.get("name")}
		e.number, err = strconv.Atoi(r.get("atomic_number"))
		switch {
		case err != nil || e.number < 1:
			return nil, r.errorf("atomic_number %q is not a number from 1", r.get("atomic_number"))
		case numbers[e.number]:
			return nil, r.errorf("atomic number %d appears twice", e.number)
		case !refIsSymbol(e.symbol):
			return nil, r.errorf("symbol %q is not a chemical symbol such as Nd", e.symbol)
		case e.name == "":
			return nil, r.errorf("no name for %s", e.symbol)
		case !t.index.addCode(e.symbol, e.symbol):
			return nil, r.errorf("symbol %s appears twice", e.symbol)
		}
		numbers[e.number] = true
		t.bySymbol[e.symbol] = e
		t.index.addName(e.name, e.symbol, refKindName)
		for _, v := range refSpellings[e.symbol] {
			t.index.addName(v, e.symbol, refKindVariant)
		}
	}

	rows, err = refReadCSV(fsys, refRareEarthsFile, "symbol", "name", "cas", "atomic_number")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		sym := r.get("symbol")
		e := t.bySymbol[sym]
		switch {
		case e == nil:
			return nil, r.errorf("symbol %q is not in %s", sym, refPeriodicFile)
		case e.rare:
			return nil, r.errorf("%s appears twice", sym)
		case r.get("atomic_number") != strconv.Itoa(e.number):
			return nil, r.errorf("atomic number %q of %s, want %d as in %s", r.get("atomic_number"), sym, e.number, refPeriodicFile)
		case !refIsCAS(r.get("cas")):
			return nil, r.errorf("CAS number %q of %s is not of the form 7440-00-8", r.get("cas"), sym)
		}
		e.rare, e.cas = true, r.get("cas")
		if name := r.get("name"); name != "" {
			t.index.addName(name, sym, refKindVariant)
		}
		t.rare = append(t.rare, sym)
	}
	sort.Slice(t.rare, func(i, j int) bool { return t.bySymbol[t.rare[i]].number < t.bySymbol[t.rare[j]].number })
	t.index.done()
	return t, nil
}

// refIsSymbol reports whether s looks like a chemical symbol: an upper-case
// letter and up to two lower-case ones.
func refIsSymbol(s string) bool {
	if len(s) < 1 || len(s) > 3 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// refIsCAS reports whether s has the form of a CAS registry number:
// 2–7 digits, 2 digits and a check digit, joined by hyphens.
func refIsCAS(s string) bool {
	parts := strings.Split(s, "-")
	return len(parts) == 3 && len(parts[0]) >= 2 && len(parts[0]) <= 7 && valAllDigits(parts[0]) &&
		len(parts[1]) == 2 && valAllDigits(parts[1]) && len(parts[2]) == 1 && valAllDigits(parts[2])
}

// symbol returns the canonical symbol for a symbol in any case, or "".
func (t *elementTable) symbol(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 3 || !refLetters(s) {
		return ""
	}
	return t.index.codes[strings.ToUpper(s)]
}

// lookup returns the symbol for text; see LookupElement.
func (t *elementTable) lookup(text string) (string, error) {
	s := valTrim(text)
	if s == "" {
		return "", fmt.Errorf("%w: the cell is empty", ErrUnknownElement)
	}
	id, ties := t.index.find(s)
	if id != "" {
		return id, nil
	}
	if len(ties) > 0 {
		return "", fmt.Errorf("%w %s (it could be %s; write the symbol)", ErrUnknownElement, valQuote(text), t.describe(ties))
	}
	if strings.HasPrefix(s, "#") {
		return "", fmt.Errorf("%w %s (the cell holds a formula error)", ErrUnknownElement, valQuote(text))
	}
	if ids := t.index.suggest(s); len(ids) > 0 {
		return "", fmt.Errorf("%w %s (did you mean %s?)", ErrUnknownElement, valQuote(text), t.describe(ids))
	}
	return "", fmt.Errorf("%w %s (write a chemical symbol such as Nd or an English name such as neodymium)", ErrUnknownElement, valQuote(text))
}

// describe names elements for a message: "Neodymium (Nd)".
func (t *elementTable) describe(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s (%s)", t.bySymbol[id].name, id)
	}
	return strings.Join(parts, " or ")
}

// LookupElement normalises an element cell to its chemical symbol. It
// accepts a symbol in any case ("nd", "ND" → "Nd"; no two symbols differ
// only in case) or the English name in any case, with the American and
// British spellings ("Aluminum"/"Aluminium", "Cesium"/"Caesium",
// "Sulfur"/"Sulphur"). Anything else, empty text included, is an error
// wrapping ErrUnknownElement that suggests the nearest match when one is
// close: `unknown element "Neodymum" (did you mean Neodymium (Nd)?)`.
func LookupElement(text string) (string, error) {
	t, err := refElements()
	if err != nil {
		return "", fmt.Errorf("look up element: %w", err)
	}
	return t.lookup(text)
}

// IsRareEarth reports whether symbol (in any case) is one of the 17 rare
// earths: scandium, yttrium and the fifteen lanthanides.
func IsRareEarth(symbol string) bool {
	t, err := refElements()
	if err != nil {
		return false
	}
	e := t.bySymbol[t.symbol(symbol)]
	return e != nil && e.rare
}

// RareEarths returns the symbols of the 17 rare earths in atomic-number
// order (Sc, Y, La, Ce, …, Lu). The slice is the caller's.
func RareEarths() []string {
	t, err := refElements()
	if err != nil {
		return nil
	}
	return append([]string(nil), t.rare...)
}

// ElementName returns the English name of a symbol (in any case), or ""
// for an unknown symbol.
func ElementName(symbol string) string {
	t, err := refElements()
	if err != nil {
		return ""
	}
	if e := t.bySymbol[t.symbol(symbol)]; e != nil {
		return e.name
	}
	return ""
}

// CASNumber returns the CAS registry number of a rare earth (symbol in any
// case), or "" for any other symbol.
func CASNumber(symbol string) string {
	t, err := refElements()
	if err != nil {
		return ""
	}
	if e := t.bySymbol[t.symbol(symbol)]; e != nil {
		return e.cas
	}
	return ""
}
