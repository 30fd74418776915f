package schema

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuote is how many characters of a cell's text an error message repeats.
const MaxQuote = 60

// Quote quotes text for an error message, cut to MaxQuote runes so
// a 32,767-character cell does not flood the problem list.
func Quote(text string) string {
	if utf8.RuneCountInString(text) <= MaxQuote {
		return strconv.Quote(text)
	}
	r := []rune(text)
	return strconv.Quote(string(r[:MaxQuote])) + "…"
}

// Trim removes surrounding white space, including the no-break spaces
// that formatted numbers carry, byte order marks and zero-width spaces.
func Trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
	})
}
