package reports

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// kind says how a column's values are rounded, formatted and measured.
type kind int

const (
	kText       kind = iota // text on one line
	kWrap                   // long text, wrapped in a wide column
	kMoney                  // money, 2 places, negatives in brackets
	kUnitMoney              // money per unit of a part, 4 places (2 always shown)
	kKg                     // mass, 6 places stored, 3 shown
	kPct                    // fraction 0..1, 4 places stored, shown as 0.0%
	kInt                    // whole number with thousands separators
	kQty                    // quantity: whole, or up to 6 places
	kDec                    // plain decimal number, up to 4 places shown
	kSpill                  // long text in a block's last column: spills over the empty cells to its right
	kMoneyWhole             // money, 2 places stored, shown in whole units, negatives in brackets
	numKinds
)

// Number formats. Money keeps the currency code out of the cell (it is in
// the header) so that a buyer's SUM and pivot tables work.
const (
	fmtMoney      = `#,##0.00;(#,##0.00)`
	fmtMoneyWhole = `#,##0;(#,##0)`
	fmtUnitMoney  = `#,##0.00##;(#,##0.00##)`
	fmtKg         = `#,##0.000;(#,##0.000)`
	fmtPct        = `0.0%`
	fmtInt        = `#,##0`
	fmtQtyFrac    = `#,##0.000###`
	fmtDec        = `General`
)

// Colours, shared by header fills and charts.
const (
	colHeaderFill = "DCE6F1"
	colHeaderLine = "7F9DB9"
	colTitle      = "1F3864"
	colGrey       = "595959"
	colGreen      = "63BE7B"
	colWhite      = "FFFFFF"
	colYellow     = "FFEB84"
	colRed        = "F8696B"
)

// styles holds the style ids of one workbook.
type styles struct {
	title, subtitle, section, note, header, headerLeft, headerLeftIndent int
	text, wrap, boldWrap, bold, boldLeft, label, center                  int
	byKind                                                               [numKinds]int
	boldKind                                                             [numKinds]int
	qtyFrac                                                              int
	indent                                                               [maxIndent + 1]int // part numbers indented by BOM level

	// unitFixed[p][bold] shows money per unit with exactly p places (2..4),
	// the places a column's values need: 54.4970 beside 117.5875, not 54.497.
	unitFixed [5][2]int
}

const maxIndent = 8

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	num := func(code string, bold bool) *excelize.Style {
		c := code
		st := &excelize.Style{CustomNumFmt: &c, Alignment: &excelize.Alignment{Vertical: "top"}}
		if bold {
			st.Font = &excelize.Font{Bold: true}
		}
		return st
	}
	top := &excelize.Alignment{Vertical: "top"}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: colTitle}})
	s.subtitle = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: colGrey}})
	s.section = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: colTitle}})
	s.note = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: colGrey}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	hdr := func(h string) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colHeaderFill}},
			Border:    []excelize.Border{{Type: "bottom", Color: colHeaderLine, Style: 1}},
			Alignment: &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: true},
		}
	}
	s.header = mk(hdr("center"))
	s.headerLeft = mk(hdr("left"))
	s.headerLeftIndent = mk(func() *excelize.Style { h := hdr("left"); h.Alignment.Indent = 1; return h }())
	// Text cells keep a small indent so that text after a right-aligned
	// number does not run into it.
	s.text = mk(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", Indent: 1}})
	s.wrap = mk(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left", WrapText: true, Vertical: "top", Indent: 1}})
	s.bold = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top})
	s.boldWrap = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "left", WrapText: true, Vertical: "top", Indent: 1}})
	s.boldLeft = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}})
	s.label = mk(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", Indent: 1}})
	codes := [numKinds]string{kMoney: fmtMoney, kMoneyWhole: fmtMoneyWhole, kUnitMoney: fmtUnitMoney, kKg: fmtKg, kPct: fmtPct, kInt: fmtInt, kQty: fmtInt, kDec: fmtDec}
	for k, code := range codes {
		switch kind(k) {
		case kText:
			s.byKind[k], s.boldKind[k] = s.text, s.bold
		case kWrap:
			s.byKind[k], s.boldKind[k] = s.wrap, s.bold
		case kSpill:
			s.byKind[k], s.boldKind[k] = s.text, s.bold
		default:
			s.byKind[k] = mk(num(code, false))
			s.boldKind[k] = mk(num(code, true))
		}
	}
	s.qtyFrac = mk(num(fmtQtyFrac, false))
	for p := 2; p <= 4; p++ {
		z := "0." + strings.Repeat("0", p)
		code := "#,##" + z + ";(#,##" + z + ")"
		s.unitFixed[p][0], s.unitFixed[p][1] = mk(num(code, false)), mk(num(code, true))
	}
	for i := range s.indent {
		s.indent[i] = mk(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", Indent: i + 1}})
	}
	s.center = mk(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}})
	return s, err
}

// places is how many decimal places a kind keeps in a numeric cell.
func places(k kind) int32 {
	switch k {
	case kMoney, kMoneyWhole:
		return 2
	case kDec:
		return 4
	case kUnitMoney, kPct:
		return 4
	case kInt:
		return 0
	}
	return 6
}

// unitPlaces is how many places money per unit needs to show d as it is
// kept (places(kUnitMoney)): 2 to 4.
func unitPlaces(d decimal.Decimal) int32 {
	d = d.Round(places(kUnitMoney))
	for p := int32(2); p < places(kUnitMoney); p++ {
		if d.Equal(d.Round(p)) {
			return p
		}
	}
	return places(kUnitMoney)
}

// number rounds d for a cell of kind k and converts it at the cell boundary.
func number(d decimal.Decimal, k kind) float64 {
	return d.Round(places(k)).InexactFloat64()
}

// shownWidth estimates how many characters a number takes when displayed
// with kind k's format, so that columns are wide enough never to show ####.
func shownWidth(d decimal.Decimal, k kind) int {
	var dec int32
	switch k {
	case kMoney:
		dec = 2
	case kUnitMoney:
		dec = 4
	case kKg:
		dec = 3
	case kPct:
		return len(d.Mul(decimal.NewFromInt(100)).StringFixed(1)) + 1
	case kQty:
		dec = 0
		if !d.Round(6).IsInteger() {
			dec = 6
		}
	case kDec:
		dec = 1
		if f := d.Abs().Round(4); !f.Round(1).Equal(f) {
			dec = 4
		}
	}
	a := d.Abs().Round(dec)
	whole := a.Truncate(0).String()
	n := len(whole) + (len(whole)-1)/3
	if dec > 0 {
		n += 1 + int(dec)
	}
	if d.Sign() < 0 {
		n += 2
	}
	return n
}

// colWidth turns a count of characters into a column width: capitals and
// punctuation are wider than the digit '0' that Excel's width unit counts,
// and fonts differ between Excel and LibreOffice.
func colWidth(chars int) float64 { return float64(chars)*1.1 + 2 }

// textWidth is the display width of s in characters, on its longest line.
func textWidth(s string) int {
	w := 0
	for _, line := range strings.Split(s, "\n") {
		if n := utf8.RuneCountInString(line); n > w {
			w = n
		}
	}
	return w
}

// maxCellChars is what one cell holds, counted in UTF-16 units as Excel does.
const maxCellChars = excelize.TotalCellChars

// cut shortens s to what a cell holds, ending it with "…", and reports
// whether it did. It cuts between characters as a reader sees them: never
// inside a UTF-16 surrogate pair (which would leave "😀�"), nor between a
// letter and its accents, an emoji and its modifier or joined emoji, or
// the two halves of a flag.
func cut(s string) (string, bool) {
	if len(s) <= maxCellChars { // bytes ≥ UTF-16 units
		return s, false
	}
	rs := []rune(s)
	units, k := 0, 0
	for ; k < len(rs); k++ {
		n := utf16.RuneLen(rs[k])
		if n < 0 {
			n = 1 // an invalid rune is written as U+FFFD, one unit
		}
		if units+n > maxCellChars-1 { // room for "…"
			break
		}
		units += n
	}
	if k == len(rs) {
		return s, false
	}
	for k > 0 && (extendsPrevious(rs[k]) || rs[k-1] == zeroWidthJoiner || oddRegionalIndicators(rs[:k]) && isRegionalIndicator(rs[k])) {
		k--
	}
	return string(rs[:k]) + "…", true
}

const zeroWidthJoiner = '\u200D'

// extendsPrevious reports whether r belongs to the character before it:
// a combining mark, a joiner, a variation selector, an emoji skin-tone
// modifier or a tag.
func extendsPrevious(r rune) bool {
	switch {
	case r == zeroWidthJoiner, r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF,
		r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// oddRegionalIndicators reports whether rs ends in an odd run of regional
// indicators: the last is the first half of a flag.
func oddRegionalIndicators(rs []rune) bool {
	n := 0
	for i := len(rs) - 1; i >= 0 && isRegionalIndicator(rs[i]); i-- {
		n++
	}
	return n%2 == 1
}

// colName returns the letters of 1-based column c.
func colName(c int) string {
	s, _ := excelize.ColumnNumberToName(c)
	return s
}

// cellName returns the A1 name of column c, row r (both 1-based).
func cellName(c, r int) string {
	s, _ := excelize.CoordinatesToCellName(c, r)
	return s
}

// absRange returns 'Sheet'!$A$1:$B$2 for use in charts and defined names.
func absRange(sheet string, c1, r1, c2, r2 int) string {
	return fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(sheet), colName(c1), r1, colName(c2), r2)
}

// absCell returns 'Sheet'!$A$1.
func absCell(sheet string, c, r int) string {
	return fmt.Sprintf("%s!$%s$%d", quoteSheet(sheet), colName(c), r)
}

func quoteSheet(sheet string) string {
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
}

// headerLines estimates how many lines a wrapped bold header of width w
// takes.
func headerLines(s string, w float64) int { return wrapLines(s, int(math.Max((w-2)/1.1, 4))) }

// textLines estimates how many lines wrapped body text of width w takes:
// most letters are narrower than the digit the width unit counts.
func textLines(s string, w float64) int { return wrapLines(s, int(math.Max(w*1.1-1, 4))) }

// wrapLines counts the lines of s wrapped at avail characters, by words.
func wrapLines(s string, avail int) int {
	lines, cur := 1, 0
	for word := range strings.FieldsSeq(s) {
		n := utf8.RuneCountInString(word)
		switch {
		case cur == 0:
			cur = n
		case cur+1+n <= avail:
			cur += 1 + n
		default:
			lines++
			cur = n
		}
		for cur > avail {
			lines++
			cur -= avail
		}
	}
	return lines
}

// longestWord is the width a wrapped header needs at least.
func longestWord(s string) int {
	w := 0
	for word := range strings.FieldsSeq(s) {
		if n := utf8.RuneCountInString(word); n > w {
			w = n
		}
	}
	return w
}

func ptr[T any](v T) *T { return &v }

// flatAxis keeps a chart's value axis readable when no value it shows
// reaches 1 (a report where nothing changes): Excel and LibreOffice then
// scale it 0 to 1 in steps of 0.5, which a whole-number format labels
// "0, 1, 1". It fixes the axis at -1 to 1 in steps of 1 instead.
func flatAxis(a *excelize.ChartAxis, values []decimal.Decimal) {
	one := decimal.NewFromInt(1)
	for _, v := range values {
		if v.Abs().GreaterThanOrEqual(one) {
			return
		}
	}
	a.Minimum, a.Maximum, a.MajorUnit = ptr(-1.0), ptr(1.0), 1
}
