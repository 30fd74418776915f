package inputs

// Texts longer than a cell holds (SPEC section 2): cut, ending in "…",
// with a warning, so the report, the JSON and every message carry the
// same text.

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// MaxCellChars is what one workbook cell holds, counted in UTF-16 units
// as Excel counts them.
const MaxCellChars = 32767

// cutLongTexts cuts a text cell of the current row that is longer than a
// report cell holds, ending it in "…", with a warning naming the cell
// (SPEC section 2): the report, the JSON and every message then carry the
// same text.
func (t *table) cutLongTexts() {
	for _, i := range t.textCols {
		if i >= len(t.row.Cells) || len(t.row.Cells[i].Text) <= MaxCellChars { // bytes ≥ UTF-16 units
			continue
		}
		c := &t.row.Cells[i]
		cut, n, was := cutText(c.Text)
		if !was {
			continue
		}
		c.Text = cut
		t.ps.warnf(t.sheet, t.ref(i), "%s: text of %s characters is longer than the %s a cell holds: the report shows it cut, ending in \"…\"",
			strings.TrimSpace(t.headers[i]), thousandsInt(n), thousandsInt(MaxCellChars))
	}
}

// cutText cuts s to MaxCellChars UTF-16 units, the last one "…", never
// within a character. It returns the text, its length in UTF-16 units
// and whether it cut.
func cutText(s string) (string, int, bool) {
	units, end := 0, -1
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1 // an invalid rune is written as U+FFFD
		}
		if end < 0 && units+w > MaxCellChars-1 {
			end = i
		}
		units += w
	}
	if units <= MaxCellChars {
		return s, units, false
	}
	return s[:end] + "…", units, true
}

// thousandsInt writes n with thousands separators: 32,767.
func thousandsInt(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
