package reports

import (
	"encoding/xml"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// sheetRows formats worksheet rows exactly as excelize's StreamWriter.SetRow
// writes them, byte for byte, for the cells the Parts sheet holds: inline
// strings, whole numbers and floats, each with a style, and an optional
// row height. It appends to one buffer and allocates nothing per row:
// writing a million rows through SetRow boxed every cell in an interface
// and built its reference and value as new strings. Tests compare its
// output with SetRow's.
type sheetRows struct {
	buf    []byte
	cells  []string // `<c r="` and the column's letters, by column (1-based)
	ref    []byte   // the current row's number
	styles []string // `" s="7"` by style, made as styles come
}

// newSheetRows returns a writer for rows of up to last columns.
func newSheetRows(last int) *sheetRows {
	w := &sheetRows{cells: make([]string, last+1)}
	for c := 1; c <= last; c++ {
		w.cells[c] = `<c r="` + colName(c)
	}
	return w
}

// styleAttr is what follows a cell's reference for style: its closing
// quote and, unless the style is 0, ` s="7"`.
func (w *sheetRows) styleAttr(style int) string {
	if style < 0 || style > 1<<16 {
		return `" s="` + strconv.Itoa(style) + `"`
	}
	if style >= len(w.styles) {
		w.styles = append(w.styles, make([]string, style+1-len(w.styles))...)
	}
	if w.styles[style] == "" {
		w.styles[style] = `"`
		if style != 0 {
			w.styles[style] = `" s="` + strconv.Itoa(style) + `"`
		}
	}
	return w.styles[style]
}

// startRow opens row r; a height > 0 is the row's custom height in points.
func (w *sheetRows) startRow(r int, height float64) {
	w.ref = strconv.AppendInt(w.ref[:0], int64(r), 10)
	w.buf = append(w.buf, `<row r="`...)
	w.buf = append(w.buf, w.ref...)
	w.buf = append(w.buf, '"')
	if height > 0 {
		w.buf = append(w.buf, ` ht="`...)
		w.buf = strconv.AppendFloat(w.buf, height, 'f', -1, 64)
		w.buf = append(w.buf, `" customHeight="1"`...)
	}
	w.buf = append(w.buf, '>')
}

func (w *sheetRows) endRow() { w.buf = append(w.buf, `</row>`...) }

// cellStart writes `<c r="B7" s="3"` and the type attribute t, if any. A
// style of 0 is left out, as the stream writer does for a sheet without
// column or row styles (the Parts sheet has none).
func (w *sheetRows) cellStart(c, style int, t string) {
	w.buf = append(w.buf, w.cells[c]...)
	w.buf = append(w.buf, w.ref...)
	w.buf = append(w.buf, w.styleAttr(style)...)
	if t != "" {
		w.buf = append(w.buf, ` t="`...)
		w.buf = append(w.buf, t...)
		w.buf = append(w.buf, '"')
	}
	w.buf = append(w.buf, '>')
}

// int writes a whole number, as SetRow writes an int.
func (w *sheetRows) int(c, style int, v int64) {
	w.cellStart(c, style, "")
	w.buf = append(w.buf, `<v>`...)
	w.buf = strconv.AppendInt(w.buf, v, 10)
	w.buf = append(w.buf, `</v></c>`...)
}

// float writes a number, as SetRow writes a float64: at most 15
// significant digits, and NaN or an infinity as text.
func (w *sheetRows) float(c, style int, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.str(c, style, strconv.FormatFloat(v, 'g', -1, 64)) // what fmt.Sprint prints
		return
	}
	w.cellStart(c, style, "")
	w.buf = append(w.buf, `<v>`...)
	w.buf = appendCellFloat(w.buf, v)
	w.buf = append(w.buf, `</v></c>`...)
}

// decimal writes the number c×10^-p for |c| < 10^15, exactly as float
// writes the float64 nearest to it, without making the float: a decimal
// of at most 15 significant digits is the shortest that reads back as
// its nearest float64 (float64 holds 15 digits whole, and any shorter or
// other decimal lies further away than half the gap between floats),
// and 15 digits are not cut.
func (w *sheetRows) decimal(c, style int, coef int64, p int32) {
	w.cellStart(c, style, "")
	w.buf = append(w.buf, `<v>`...)
	w.buf = appendDecimal(w.buf, coef, p)
	w.buf = append(w.buf, `</v></c>`...)
}

// maxDecimalCoef bounds the coefficients decimal takes: 15 digits.
const maxDecimalCoef = 1e15 - 1

// appendDecimal appends c×10^-p (p ≥ 0) in plain notation without
// trailing zeros: 1.5, 0.0025, -120. The digits are made from the last
// one back in a buffer on the stack, the point among them, and appended
// once: the Parts sheet writes some ten such numbers a row.
func appendDecimal(buf []byte, c int64, p int32) []byte {
	if p < 0 || p > 40 {
		return appendDecimalSlow(buf, c, p)
	}
	u := uint64(c)
	if c < 0 {
		u = -u
	}
	for p > 0 && u%10 == 0 {
		u /= 10
		p--
	}
	var tmp [64]byte
	i := len(tmp)
	for k := int32(0); k < p; k++ {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
	}
	if p > 0 {
		i--
		tmp[i] = '.'
	}
	for {
		i--
		tmp[i] = byte('0' + u%10)
		if u /= 10; u == 0 {
			break
		}
	}
	if c < 0 {
		i--
		tmp[i] = '-'
	}
	return append(buf, tmp[i:]...)
}

// appendDecimalSlow is appendDecimal by way of strconv, for any p ≥ 0.
func appendDecimalSlow(buf []byte, c int64, p int32) []byte {
	u := uint64(c)
	if c < 0 {
		buf = append(buf, '-')
		u = uint64(-c)
	}
	for p > 0 && u%10 == 0 {
		u /= 10
		p--
	}
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], u, 10)
	n := int(p)
	switch {
	case n == 0:
		return append(buf, d...)
	case len(d) > n:
		buf = append(buf, d[:len(d)-n]...)
		buf = append(buf, '.')
		return append(buf, d[len(d)-n:]...)
	}
	buf = append(buf, "0."...)
	for i := len(d); i < n; i++ {
		buf = append(buf, '0')
	}
	return append(buf, d...)
}

// str writes an inline string cell; "" too (callers leave empty cells
// out, as the Parts sheet does).
func (w *sheetRows) str(c, style int, s string) {
	w.cellStart(c, style, "inlineStr")
	if plainText(s) {
		w.buf = append(w.buf, `<is><t>`...)
		w.buf = append(w.buf, s...)
	} else {
		val, preserve := inlineText(s)
		w.buf = append(w.buf, `<is><t`...)
		if preserve {
			w.buf = append(w.buf, ` xml:space="preserve"`...)
		}
		w.buf = append(w.buf, '>')
		w.buf = append(w.buf, val...)
	}
	w.buf = append(w.buf, `</t></is></c>`...)
}

// plainText reports whether s goes into a cell as it is: valid UTF-8 of
// characters XML allows, nothing to escape, no space at either end to
// preserve, nothing that reads as an escaped character (_x0041_), and
// short enough for a cell. Almost every BOM text is.
func plainText(s string) bool {
	if len(s) == 0 || len(s) > excelize.TotalCellChars {
		return len(s) == 0
	}
	if isSpaceByte(s[0]) || isSpaceByte(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= utf8.RuneSelf:
			return plainRunes(s[i:])
		case b < 0x20, b == '<', b == '>', b == '&', b == '"', b == '\'':
			return false
		case b == '_' && i+1 < len(s) && s[i+1] == 'x':
			return false
		}
	}
	return true
}

// plainRunes is plainText's check past the first non-ASCII byte.
func plainRunes(s string) bool {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b < 0x20, b == '<', b == '>', b == '&', b == '"', b == '\'':
				return false
			case b == '_' && i+1 < len(s) && s[i+1] == 'x':
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !(r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
		i += n
	}
	return true
}

func isSpaceByte(b byte) bool { return b == '\t' || b == '\n' || b == '\r' || b == ' ' }

// inlineText is what the stream writer puts between <t> and </t> for s,
// and whether it marks the text xml:space="preserve" (excelize's
// trimCellValue with escaping, then bstrMarshal): cut to what a cell
// holds, XML-escaped with line feeds kept, and "_x0041_"-like runs
// escaped so that they are not read as escaped characters.
func inlineText(s string) (string, bool) {
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > excelize.TotalCellChars {
			s = s[:i]
			break
		}
	}
	preserve := false
	if s != "" {
		preserve = isSpaceByte(s[0]) || isSpaceByte(s[len(s)-1])
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		s = strings.ReplaceAll(b.String(), "&#xA;", "\n")
	}
	return bstrMarshal(s), preserve
}

var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrMarshal escapes the runs of s that a reader would take for an
// escaped character, as excelize's function of that name does (the same
// steps, so that the text comes out the same).
func bstrMarshal(s string) (result string) {
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result += s[cursor:match[0]]
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			if match[1]+6 <= l && bstrEscapeExp.MatchString(s[match[1]:match[1]+6]) {
				_, err := strconv.Unquote(`"\u` + s[match[1]+1:match[1]+5] + `"`)
				if err == nil {
					result += subStr + "x005F" + subStr
					continue
				}
			}
			result += subStr + "x005F_"
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			if _, err := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`); err == nil {
				result += "_x005F" + subStr
				continue
			}
		}
	}
	if cursor < l {
		result += s[cursor:]
	}
	return result
}

// appendCellFloat appends v as excelize writes a float cell: the shortest
// decimal that reads back as v, cut (not rounded) to Excel's 15
// significant digits.
func appendCellFloat(buf []byte, v float64) []byte {
	start := len(buf)
	buf = strconv.AppendFloat(buf, v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
		return buf
	}
	const maxPrec = 15
	str := buf[start:]
	point := -1
	for i, b := range str {
		if b == '.' {
			point = i
			break
		}
	}
	significant := 0
	for idx, b := range str {
		if b < '0' || b > '9' || significant == 0 && b == '0' {
			continue
		}
		significant++
		if significant <= maxPrec {
			continue
		}
		if point >= 0 && idx > point {
			if idx == point+1 {
				idx-- // no digit left after the point: drop it
			}
			return buf[:start+idx]
		}
		if point < 0 {
			point = len(str)
		}
		for i := idx; i < point; i++ {
			str[i] = '0'
		}
		return buf[:start+point]
	}
	return buf
}
