package workbook

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The shared strings and the number formats of cell styles, read whole
// when a workbook is opened, and the unescaping of their text.

// Shared string limits. A shared string table costs memory before any
// sheet is read, and its <si/> entries compress to almost nothing: 100
// million of them fit in a 731 KB workbook. Every entry a sheet can use is
// referenced by a cell, and a cell that references one takes at least
// minSharedCell bytes of worksheet XML (<c t="s"><v>0</v></c>), whose
// size the zip declares and archive/zip holds it to. So the table may hold
// at most one entry per such cell of the workbook's sheets (counted
// against --max-unzipped, which bounds what can be read of them), plus
// sharedSlack for the unused strings some writers leave, and never more
// than maxSharedStrings: 4 bytes of memory each, 128 MiB at most.
const (
	minSharedCell    = 21
	sharedSlack      = 1 << 16
	maxSharedStrings = 1 << 25
)

// sharedStringsCap is how many shared strings the workbook's sheets can
// use (see minSharedCell).
func (x *xlsxBook) sharedStringsCap(sheets []sheetRef, byID map[string]string) int {
	var total uint64
	seen := map[string]bool{}
	for _, s := range sheets {
		key := partKey(byID[s.rid])
		if f := x.files[key]; f != nil && !seen[key] {
			seen[key] = true
			total += f.UncompressedSize64
		}
	}
	total = min(total, uint64(x.lim.MaxUnzipped))
	return int(min(total/minSharedCell+sharedSlack, maxSharedStrings))
}

// sharedStrings is the shared string table: every string in one text, each
// entry its end offset, so that an entry costs 4 bytes and no allocation
// (an empty one nothing more).
type sharedStrings struct {
	text string
	end  []uint32
}

func (t *sharedStrings) len() int { return len(t.end) }

func (t *sharedStrings) at(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.end[i-1]
	}
	return t.text[start:t.end[i]]
}

// readSharedStrings reads the shared string table: each <si> is its <t>,
// or its rich text runs' <t> concatenated; phonetic runs (<rPh>) are left
// out. A table of more than maxStrings entries is refused as soon as it
// has that many, before more memory is spent on it.
func (x *xlsxBook) readSharedStrings(part string, maxStrings int) (sharedStrings, error) {
	s, err := x.open(part, x.lim.MaxPartBytes)
	if err != nil {
		return sharedStrings{}, err
	}
	defer s.close()
	var (
		text    strings.Builder
		end     []uint32
		buf     []byte
		inSI    bool
		rphAt   int // depth of an open <rPh>, 0 if none
		capture bool
	)
	for {
		if !s.needClose && s.depth() == 1 && len(end) < maxStrings && fastPaths {
			if t, ok := plainSharedString(s.xt); ok {
				if err := addSharedString(&text, &end, t, x.name, part); err != nil {
					return sharedStrings{}, err
				}
				continue
			}
		}
		tok, err := s.token()
		if err == io.EOF {
			// The lines of a BOM keep slices of the text: not the spare
			// capacity of the builder's last growth.
			all := text.String()
			if text.Cap()-text.Len() > text.Len()/8 {
				all = strings.Clone(all)
			}
			return sharedStrings{text: all, end: end}, nil
		}
		if err != nil {
			return sharedStrings{}, err
		}
		switch tok.kind {
		case tokenStart:
			switch tok.name {
			case "sst":
				if v, ok := tok.attr("uniqueCount"); ok && end == nil {
					// A hint only: never trust it beyond what the sheets can use.
					if n, ok := parseUint(v); ok && n > 0 {
						end = make([]uint32, 0, min(n, maxStrings, 1<<20))
					}
				}
			case "si":
				if s.depth() == 2 {
					if len(end) >= maxStrings {
						return sharedStrings{}, fmt.Errorf("%s: %w: %s holds more than %d shared strings, more than the workbook's sheets can use (one per cell at most)",
							x.name, ErrTooLarge, part, maxStrings)
					}
					inSI, rphAt, buf = true, 0, buf[:0]
				}
			case "rPh":
				if inSI && rphAt == 0 {
					rphAt = s.depth()
				}
			case "t":
				capture = inSI && rphAt == 0
			}
		case tokenEnd:
			capture = false
			switch {
			case tok.name == "si" && inSI && s.depth() == 1:
				inSI = false
				if err := addSharedString(&text, &end, buf, x.name, part); err != nil {
					return sharedStrings{}, err
				}
			case rphAt > 0 && s.depth() < rphAt:
				rphAt = 0
			}
		case tokenText:
			if capture {
				buf = append(buf, tok.text...)
			}
		}
	}
}

// addSharedString adds the text of one <si> to the table.
func addSharedString(text *strings.Builder, end *[]uint32, buf []byte, name, part string) error {
	if bytes.Contains(buf, []byte("_x")) {
		text.WriteString(unescape(string(buf)))
	} else {
		text.Write(buf)
	}
	if text.Len() > math.MaxUint32 {
		return fmt.Errorf("%s: %w: %s holds more than 4 GiB of text", name, ErrTooLarge, part)
	}
	*end = append(*end, uint32(text.Len()))
	return nil
}

// readStyles classifies each cell style (cellXfs) by its number format.
func (x *xlsxBook) readStyles(part string) ([]uint8, error) {
	s, err := x.open(part, x.lim.MaxPartBytes)
	if err != nil {
		return nil, err
	}
	defer s.close()
	custom := map[int]string{}
	var xfIDs []int
	for {
		tok, err := s.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if tok.kind != tokenStart {
			continue
		}
		switch {
		case tok.name == "numFmt" && s.parent() == "numFmts":
			idText, _ := tok.attr("numFmtId")
			code, _ := tok.attr("formatCode")
			if id, ok := parseUint(idText); ok {
				custom[id] = string(code)
			}
		case tok.name == "xf" && s.parent() == "cellXfs":
			id := 0
			if v, ok := tok.attr("numFmtId"); ok {
				id, _ = parseUint(v)
			}
			xfIDs = append(xfIDs, id)
		}
	}
	kinds := make([]uint8, len(xfIDs))
	for i, id := range xfIDs {
		code, ok := custom[id]
		kinds[i] = formatKind(id, code, ok)
	}
	return kinds, nil
}

// formatKind classifies a number format: built-in ids 9 and 10 are
// percentages; 14–22 and 45–47 are dates and times, and so are 27–36 and
// 50–58 (the East Asian built-in date formats). A format code, when the
// workbook gives one, decides instead.
func formatKind(id int, code string, hasCode bool) uint8 {
	if hasCode {
		return codeKind(code)
	}
	switch {
	case id == 9 || id == 10:
		return fmtPercent
	case id >= 14 && id <= 22, id >= 45 && id <= 47, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return fmtDate
	}
	return fmtOther
}

// codeKind classifies a custom number format code: date/time when it
// has y, m, d, h or s (or an elapsed [h], [mm], [ss]) outside quotes,
// brackets and escapes; percent when it has % there.
func codeKind(code string) uint8 {
	percent := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return fmtOther // unterminated: nothing after is a token
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is a literal, a space width or a fill
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return fmtOther
			}
			inner := strings.ToLower(code[i+1 : i+1+j])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				return fmtDate // elapsed time
			}
			i += j + 1
		case 'y', 'Y', 'm', 'M', 'd', 'D', 'h', 'H', 's', 'S':
			return fmtDate
		case '%':
			percent = true
		}
	}
	if percent {
		return fmtPercent
	}
	return fmtOther
}

// unescape decodes the _xHHHH_ escapes SpreadsheetML uses for
// characters XML cannot hold (_x000D_ is a carriage return; _x005F_ is an
// escaped underscore).
func unescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, ok := escapeAt(s, i)
		if !ok {
			b.WriteByte(s[i])
			i++
			continue
		}
		i += 7
		if utf16.IsSurrogate(r) {
			if r2, ok := escapeAt(s, i); ok {
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					b.WriteRune(pair)
					i += 7
					continue
				}
			}
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeAt decodes an _xHHHH_ escape at s[i:].
func escapeAt(s string, i int) (rune, bool) {
	if i+7 > len(s) || s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}
