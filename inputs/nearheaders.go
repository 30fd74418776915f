package inputs

// How like one of ours a header is: the similarity of header words
// (abbreviations, typos, related words) behind the suggestions for an
// unknown column and a missing required one.

import (
	"strings"
	"unicode"

	"rexpo/reference"
	"rexpo/schema"
)

// headerCandidate is one header a sheet's layout accepts.
type headerCandidate struct {
	text   string // as the layout spells it: the column's name or an alias
	column string // the canonical column
	key    string // NormalizeKey(text)
	words  headerPhrase
}

// headerCandidates lists the names and aliases of the layout's columns
// (and the ERP headers of the BOM sheet) that the sheet does not have yet.
func headerCandidates(l *schema.SheetLayout, have map[string]int) []headerCandidate {
	var out []headerCandidate
	add := func(text, column string) {
		if _, ok := have[column]; !ok {
			out = append(out, headerCandidate{text: text, column: column, key: schema.NormalizeKey(text), words: phraseOf(text)})
		}
	}
	for _, c := range l.Columns {
		add(c.Name, c.Name)
		for _, a := range c.Aliases {
			add(a, c.Name)
		}
	}
	if l.Name == "BOM" {
		for _, name := range sortedKeys(erpAliases) {
			for _, a := range erpAliases[name] {
				add(a, name)
			}
		}
	}
	return out
}

// minHeaderScore is the similarity below which no header is suggested.
const minHeaderScore = 0.55

// nearestHeaders returns the candidates most like header h, at most three
// and one per column, or none when nothing is near. Similarity compares
// words (a header's last word, its head, counts double: "Supplier Country"
// is a country), where a word matches another exactly, as an abbreviation
// ("Crcy", "Qty"), with one typo, or as a related word (a supplier's
// country is the origin); or, for a typo in a header of one word, the
// whole normalised header.
func nearestHeaders(h string, cands []headerCandidate) []headerCandidate {
	hw, hk := phraseOf(h), schema.NormalizeKey(h)
	best := 0.0
	var out []headerCandidate
	seen := map[string]bool{}
	for _, c := range cands {
		s := headerScoreOf(hw, hk, c)
		switch {
		case s < minHeaderScore || s < best-1e-9:
		case s > best+1e-9:
			best, out, seen = s, []headerCandidate{c}, map[string]bool{c.column: true}
		case !seen[c.column] && len(out) < 3:
			seen[c.column] = true
			out = append(out, c)
		}
	}
	return out
}

// headerScore is how like candidate c header h is, 0..1; below
// minHeaderScore it is not near.
func headerScore(h string, c headerCandidate) float64 {
	s := headerScoreOf(phraseOf(h), schema.NormalizeKey(h), c)
	if s < minHeaderScore {
		return 0
	}
	return s
}

func headerScoreOf(hw headerPhrase, hk string, c headerCandidate) float64 {
	s := hw.similarity(c.words)
	if len(c.key) >= 4 {
		if d := editDistance(hk, c.key); d <= max(1, len(c.key)/5) {
			s = max(s, 0.9-0.1*float64(d))
		}
	}
	return s
}

// headerPhrase is a header split into lower-case words, with the index
// of its head word.
type headerPhrase struct {
	words []string
	head  int
}

// headerUnits are words that qualify a header rather than name it: a
// header's head is its last word that is not one of them.
var headerUnits = map[string]bool{"kg": true, "g": true, "pct": true, "per": true, "usd": true, "cun": true, "days": true, "months": true, "t": true, "mt": true}

// headerSynonyms spell out abbreviations and other words for ours, in
// headers of several words ("No" alone is a row number).
var headerSynonyms = map[string]string{
	"no": "number", "nr": "number", "num": "number", "nbr": "number", "weight": "mass", "wt": "mass",
	"kgs": "kg", "gram": "g", "grams": "g", "percent": "pct",
}

// relatedWords pairs words that are not each other's spelling but point
// to the same column: a supplier's country is where the part comes from.
var relatedWords = map[string]string{"supplier": "origin", "vendor": "origin", "source": "origin"}

// phraseOf splits a header into words: at spaces, punctuation, '_' and
// a change from lower to upper case (PartNumber); "%" reads as pct, "#"
// as number; "of" marks its head before it (country_of_origin).
func phraseOf(s string) headerPhrase {
	var words []string
	var cur []rune
	prevLower := false
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			cur = append(cur, unicode.ToLower(r))
			prevLower = unicode.IsLower(r)
		case r == '%':
			flush()
			words = append(words, "pct")
			prevLower = false
		case r == '#':
			flush()
			words = append(words, "number")
			prevLower = false
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	p := headerPhrase{head: -1}
	for _, w := range words {
		if len(words) > 1 {
			if s, ok := headerSynonyms[w]; ok {
				w = s
			}
		}
		switch w {
		case "of":
			if p.head < 0 {
				p.head = len(p.words) - 1
			}
			continue
		case "the", "in":
			continue
		}
		p.words = append(p.words, w)
	}
	if p.head < 0 {
		for i := len(p.words) - 1; i >= 0; i-- {
			if !headerUnits[p.words[i]] {
				p.head = i
				break
			}
		}
	}
	return p
}

func (p headerPhrase) weight(i int) float64 {
	if i == p.head {
		return 2
	}
	return 1
}

// similarity is 0..1: the weighted share of each phrase's words that the
// other matches (a Dice coefficient over words).
func (p headerPhrase) similarity(q headerPhrase) float64 {
	num, den := 0.0, 0.0
	side := func(a, b headerPhrase) {
		for i, w := range a.words {
			best := 0.0
			for _, v := range b.words {
				best = max(best, wordMatch(w, v))
			}
			num += a.weight(i) * best
			den += a.weight(i)
		}
	}
	side(p, q)
	side(q, p)
	if den == 0 {
		return 0
	}
	return num / den
}

// wordMatch is 1 for the same word, 0.8 for an abbreviation (the shorter
// word's letters in order in the longer, from its first letter; three
// letters at least) or a typo (one edit in words of four letters or
// more), 0.5 for related words, else 0.
func wordMatch(a, b string) float64 {
	switch {
	case a == b:
		return 1
	case relatedWords[a] == b || relatedWords[b] == a:
		return 0.5
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) >= 3 && short[0] == long[0] && subsequence(short, long) {
		return 0.8
	}
	if len(short) >= 4 && editDistance(a, b) <= 1 {
		return 0.8
	}
	return 0
}

// subsequence reports whether the bytes of a appear in b in order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

// isElementColumn reports whether findElementColumns reads header h as an
// element's wt% or grams.
func isElementColumn(h string) bool {
	if m := gramsHeader.FindStringSubmatch(h); m != nil {
		if _, err := reference.LookupElement(m[1]); err == nil {
			return true
		}
	}
	m := pctHeader.FindStringSubmatch(h)
	if m == nil || m[0] == m[1] && bareHeaderWords[strings.ToLower(h)] {
		return false
	}
	_, err := reference.LookupElement(m[1])
	return err == nil
}

// elementHeader returns the element a header starts with ("Nd content",
// "Dysprosium grams"), for a word of two letters or more that is not a
// common header word ("No", "In").
func elementHeader(h string) (string, bool) {
	fields := strings.FieldsFunc(h, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(fields) == 0 || len(fields[0]) < 2 || bareHeaderWords[strings.ToLower(fields[0])] {
		return "", false
	}
	sym, err := reference.LookupElement(fields[0])
	return sym, err == nil
}

// headerCurrency returns the ISO currency code a header names ("Unit cost
// (EUR)"), or "".
func headerCurrency(h string) string {
	for _, w := range phraseOf(h).words {
		if u := strings.ToUpper(w); len(w) == 3 && currencyCodes[u] {
			return u
		}
	}
	return ""
}
