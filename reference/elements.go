package reference

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"rexpo/schema"
)

// The embedded element tables: data/periodic.csv lists every chemical
// element (atomic_number, symbol, name); data/elements.csv lists the 17
// rare earths with their CAS registry numbers (symbol, name, cas,
// atomic_number).
const (
	periodicFile   = "data/periodic.csv"
	rareEarthsFile = "data/elements.csv"
)

// spellings are other English spellings of element names (American,
// British, old), accepted beside the name in the periodic table.
var spellings = map[string][]string{
	"Al": {"Aluminum", "Aluminium"},
	"Cs": {"Cesium", "Caesium"},
	"S":  {"Sulfur", "Sulphur"},
	"W":  {"Tungsten", "Wolfram"},
}

// element is one chemical element.
type element struct {
	symbol, name string
	number       int
	cas          string // rare earths only
	rare         bool
}

// elementTable finds elements by symbol or name.
type elementTable struct {
	bySymbol map[string]*element // canonical symbol ("Nd")
	index    *nameIndex
	rare     []string // rare-earth symbols in atomic-number order
}

// loadedElements returns the embedded element table (Load).
func loadedElements() (*elementTable, error) {
	d, err := Load()
	if err != nil {
		return nil, err
	}
	return d.elements, nil
}

// loadElements reads data/periodic.csv and data/elements.csv from fsys.
func loadElements(fsys fs.FS) (*elementTable, error) {
	rows, err := readCSV(fsys, periodicFile, "atomic_number", "symbol", "name")
	if err != nil {
		return nil, err
	}
	t := &elementTable{bySymbol: make(map[string]*element, len(rows)), index: newNameIndex()}
	numbers := make(map[int]bool, len(rows))
	for _, r := range rows {
		e := &element{symbol: r.get("symbol"), name: r.get("name")}
		e.number, err = strconv.Atoi(r.get("atomic_number"))
		switch {
		case err != nil || e.number < 1:
			return nil, r.errorf("atomic_number %q is not a number from 1", r.get("atomic_number"))
		case numbers[e.number]:
			return nil, r.errorf("atomic number %d appears twice", e.number)
		case !isSymbol(e.symbol):
			return nil, r.errorf("symbol %q is not a chemical symbol such as Nd", e.symbol)
		case e.name == "":
			return nil, r.errorf("no name for %s", e.symbol)
		case !t.index.addCode(e.symbol, e.symbol):
			return nil, r.errorf("symbol %s appears twice", e.symbol)
		}
		numbers[e.number] = true
		t.bySymbol[e.symbol] = e
		t.index.addName(e.name, e.symbol, kindName)
		for _, v := range spellings[e.symbol] {
			t.index.addName(v, e.symbol, kindVariant)
		}
	}

	rows, err = readCSV(fsys, rareEarthsFile, "symbol", "name", "cas", "atomic_number")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		sym := r.get("symbol")
		e := t.bySymbol[sym]
		switch {
		case e == nil:
			return nil, r.errorf("symbol %q is not in %s", sym, periodicFile)
		case e.rare:
			return nil, r.errorf("%s appears twice", sym)
		case r.get("atomic_number") != strconv.Itoa(e.number):
			return nil, r.errorf("atomic number %q of %s, want %d as in %s", r.get("atomic_number"), sym, e.number, periodicFile)
		case !isCAS(r.get("cas")):
			return nil, r.errorf("CAS number %q of %s is not of the form 7440-00-8", r.get("cas"), sym)
		}
		e.rare, e.cas = true, r.get("cas")
		if name := r.get("name"); name != "" {
			t.index.addName(name, sym, kindVariant)
		}
		t.rare = append(t.rare, sym)
	}
	sort.Slice(t.rare, func(i, j int) bool { return t.bySymbol[t.rare[i]].number < t.bySymbol[t.rare[j]].number })
	t.index.done()
	return t, nil
}

// isSymbol reports whether s looks like a chemical symbol: an upper-case
// letter and up to two lower-case ones.
func isSymbol(s string) bool {
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

// isCAS reports whether s has the form of a CAS registry number:
// 2–7 digits, 2 digits and a check digit, joined by hyphens.
func isCAS(s string) bool {
	parts := strings.Split(s, "-")
	return len(parts) == 3 && len(parts[0]) >= 2 && len(parts[0]) <= 7 && allDigits(parts[0]) &&
		len(parts[1]) == 2 && allDigits(parts[1]) && len(parts[2]) == 1 && allDigits(parts[2])
}

// allDigits reports whether s is non-empty ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// symbol returns the canonical symbol for a symbol in any case, or "".
func (t *elementTable) symbol(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 3 || !isLetters(s) {
		return ""
	}
	return t.index.codes[strings.ToUpper(s)]
}

// lookup returns the symbol for text; see LookupElement.
func (t *elementTable) lookup(text string) (string, error) {
	s := schema.Trim(text)
	if s == "" {
		return "", fmt.Errorf("%w: the cell is empty", ErrUnknownElement)
	}
	id, ties := t.index.find(s)
	if id != "" {
		return id, nil
	}
	if len(ties) > 0 {
		return "", fmt.Errorf("%w %s (it could be %s; write the symbol)", ErrUnknownElement, schema.Quote(text), t.describe(ties))
	}
	if strings.HasPrefix(s, "#") {
		return "", fmt.Errorf("%w %s (the cell holds a formula error)", ErrUnknownElement, schema.Quote(text))
	}
	if ids := t.index.suggest(s); len(ids) > 0 {
		return "", fmt.Errorf("%w %s (did you mean %s?)", ErrUnknownElement, schema.Quote(text), t.describe(ids))
	}
	return "", fmt.Errorf("%w %s (write a chemical symbol such as Nd or an English name such as neodymium)", ErrUnknownElement, schema.Quote(text))
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
	t, err := loadedElements()
	if err != nil {
		return "", fmt.Errorf("look up element: %w", err)
	}
	return t.lookup(text)
}

// ElementName returns the English name of a symbol (in any case), or ""
// for an unknown symbol.
func ElementName(symbol string) string {
	t, err := loadedElements()
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
	t, err := loadedElements()
	if err != nil {
		return ""
	}
	if e := t.bySymbol[t.symbol(symbol)]; e != nil {
		return e.cas
	}
	return ""
}
