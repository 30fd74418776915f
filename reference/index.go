package reference

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// nameIndex finds reference entries (countries, elements) by code or name.
// Codes (alpha-2 and alpha-3 codes, element symbols) match only text that
// is exactly the code's letters, in any case, so that "n/a" or "#N/A" is
// never Namibia. Names and variants match after fold.
type nameIndex struct {
	codes map[string]string    // upper-case code → id
	keys  map[string]indexKey  // folded name → id
	ties  map[string]*indexTie // folded name shared by several ids
	sug   []suggestKey         // every code and name, sorted, for suggestions

	mu    sync.Mutex
	cache map[string][]string // folded text → suggested ids
}

// The kinds of name an id is found by. When two ids share a folded name,
// a name beats a variant; the same name kind for two ids is a tie, and
// the text is ambiguous.
const (
	kindName = iota
	kindVariant
)

type indexKey struct {
	id   string
	kind int
}

type indexTie struct {
	kind int
	ids  []string
}

type suggestKey struct{ key, id string }

func newNameIndex() *nameIndex {
	return &nameIndex{
		codes: make(map[string]string),
		keys:  make(map[string]indexKey),
		ties:  make(map[string]*indexTie),
		cache: make(map[string][]string),
	}
}

// addCode records a code; it reports false when the code is taken.
func (x *nameIndex) addCode(code, id string) bool {
	c := strings.ToUpper(code)
	if _, taken := x.codes[c]; taken {
		return false
	}
	x.codes[c] = id
	x.sug = append(x.sug, suggestKey{strings.ToLower(c), id})
	return true
}

// addName records that text (a name or variant) stands for id.
func (x *nameIndex) addName(text, id string, kind int) {
	k := fold(text)
	if k == "" {
		return
	}
	x.sug = append(x.sug, suggestKey{k, id})
	if tie, ok := x.ties[k]; ok {
		switch {
		case kind < tie.kind:
			delete(x.ties, k)
			x.keys[k] = indexKey{id, kind}
		case kind == tie.kind:
			tie.ids = appendOnce(tie.ids, id)
		}
		return
	}
	old, ok := x.keys[k]
	switch {
	case !ok || kind < old.kind && old.id != id:
		x.keys[k] = indexKey{id, kind}
	case old.id == id:
		x.keys[k] = indexKey{id, min(kind, old.kind)}
	case kind == old.kind:
		delete(x.keys, k)
		x.ties[k] = &indexTie{kind: kind, ids: []string{old.id, id}}
	}
}

// done sorts the suggestion keys once all entries are in.
func (x *nameIndex) done() {
	sort.Slice(x.sug, func(i, j int) bool {
		if x.sug[i].key != x.sug[j].key {
			return x.sug[i].key < x.sug[j].key
		}
		return x.sug[i].id < x.sug[j].id
	})
}

// find returns the id text stands for, or the ids it could stand for when
// ambiguous, or neither.
func (x *nameIndex) find(s string) (id string, ties []string) {
	if len(s) <= 3 && isLetters(s) {
		if id, ok := x.codes[strings.ToUpper(s)]; ok {
			return id, nil
		}
	}
	k := fold(s)
	if e, ok := x.keys[k]; ok {
		return e.id, nil
	}
	if tie, ok := x.ties[k]; ok {
		return "", tie.ids
	}
	return "", nil
}

// maxSuggest is the longest folded text worth an edit-distance search.
const maxSuggest = 64

// suggest returns the ids whose codes or names are nearest to s by edit
// distance (optimal string alignment, so a swap of two letters counts
// once), at most three, or none when the nearest is too far to be a typo
// (more than a third of the letters, at least one) or when text of up to
// three letters is equally near several entries. Answers are cached, so
// a column full of the same unknown word costs one search.
func (x *nameIndex) suggest(s string) []string {
	k := fold(s)
	n := utf8.RuneCountInString(k)
	if n == 0 || n > maxSuggest {
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
		d := distance(k, e.key, best)
		switch {
		case d < best:
			best, ids = d, []string{e.id}
		case d == best:
			ids = appendOnce(ids, e.id)
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

func appendOnce(ids []string, id string) []string {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}

// isLetters reports whether s is non-empty ASCII letters only.
func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// foldRunes maps accented Latin letters to plain ones, so that names
// match whether or not the accents were typed.
var foldRunes = func() map[rune]string {
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

// fold folds a country or element name, code or variant for matching:
// lower case without accents, every character that is not a letter or
// digit removed and the words joined. In text of several words, "&" reads
// as "and", "St" as "Saint", and the word "the" is dropped ("The Gambia",
// "Gambia, The"); a single word is kept as it is, so the code "ST" stays
// São Tomé.
func fold(s string) string {
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
		case foldRunes[r] != "":
			w.WriteString(foldRunes[r])
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

// distance is the optimal-string-alignment distance between a and b,
// or a value above bound when it is certainly above bound.
func distance(a, b string, bound int) int {
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
