package reports

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// TestCutKeepsCharactersWhole: text cut to what a cell holds ends between
// two characters as a reader sees them (issue 12: "😀�").
func TestCutKeepsCharactersWhole(t *testing.T) {
	long := maxCellChars + 10
	for _, tc := range []struct{ name, unit string }{
		{"ascii", "a"},
		{"emoji", "😀"},                // two UTF-16 units
		{"accent", "e\u0301"},         // e + combining acute
		{"skin tone", "👍🏽"},           // emoji + modifier
		{"family", "👩\u200D👩\u200D👧"}, // joined emoji
		{"flag", "🇩🇪"},                // two regional indicators
		{"odd", "x😀"},                 // shifts the cut by one unit
		{"keycap", "1\uFE0F\u20E3"},   // digit, variation selector, keycap
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := strings.Repeat(tc.unit, long/len(utf16.Encode([]rune(tc.unit)))+1)
			got, cutDone := cut(s)
			if !cutDone {
				t.Fatal("not cut")
			}
			if n := len(utf16.Encode([]rune(got))); n > maxCellChars {
				t.Errorf("%d UTF-16 units, more than a cell holds", n)
			}
			if !utf8.ValidString(got) || strings.ContainsRune(got, utf8.RuneError) {
				t.Errorf("cut text holds a broken character: ...%q", got[len(got)-20:])
			}
			kept := strings.TrimSuffix(got, "…")
			if !strings.HasPrefix(s, kept) || len(kept)%len(tc.unit) != 0 && tc.name != "odd" {
				t.Errorf("cut inside a character: ...%q", kept[max(0, len(kept)-20):])
			}
		})
	}
	if s, cutDone := cut("short"); cutDone || s != "short" {
		t.Errorf("cut(short) = %q, %v", s, cutDone)
	}
}
