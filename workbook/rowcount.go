package workbook

import (
	"bytes"
	"io"
)

// Counting a worksheet's rows before reading it, so that a sheet of more
// rows than a sheet holds is refused before its reader hands out a
// single row, not after the caller has built a million of them.
//
// The count must cost little next to inflating the XML, so it does not
// tokenize: it looks for the rare bytes that matter ('w', '!' and '?')
// with bytes.IndexByte and counts the start tags named row, of any
// prefix, outside comments, CDATA sections and processing instructions.
// In well-formed XML no such tag hides in text or an attribute value
// ('<' is escaped there), and the worksheet schema has row elements only
// directly inside sheetData: the count equals the rows the sheet reader
// reads, or the sheet is not a valid worksheet. Where the count cannot
// follow the XML (a directive, which the reader refuses) it gives up and
// leaves the refusal to the reader.

// rowScan is the state of one count.
type rowScan struct {
	rows   int
	limit  int    // the count stops at limit+1
	skipTo string // the end of the comment, CDATA section or PI being skipped
	bad    bool   // XML the count does not follow
	// next positions of the bytes looked for, in the buffer being
	// scanned; stale once behind the scan
	nextW, nextBang, nextQ int
}

const (
	// countBufSize is the count's read buffer.
	countBufSize = 256 << 10
	// countBehind is how many bytes before the scan's position stay in the
	// buffer for looking back at a tag's name; a prefix longer than that
	// hides a row from the count (which only makes the count low).
	countBehind = 64
)

// countRows counts the rows of the worksheet XML in r, stopping once it
// has counted more than limit. ok is false when the count cannot say: r
// failed, or the XML holds a directive.
func countRows(r io.Reader, limit int) (rows int, ok bool) {
	s := rowScan{limit: limit}
	buf := make([]byte, countBufSize)
	end, from := 0, 0
	for {
		n, err := r.Read(buf[end:])
		end += n
		eof := err == io.EOF
		if err != nil && !eof {
			return s.rows, false
		}
		from = s.scan(buf[:end], from, eof)
		switch {
		case s.bad:
			return s.rows, false
		case s.rows > limit, eof:
			return s.rows, true
		}
		if end == len(buf) { // keep what the next round looks back at
			keep := max(from-countBehind, 0)
			end = copy(buf, buf[keep:end])
			from -= keep
		}
	}
}

// scan counts the row tags in b[from:], b[:from] being scanned already;
// it returns where the next scan resumes, at the first byte it could not
// judge without the bytes after b.
func (s *rowScan) scan(b []byte, from int, eof bool) int {
	s.nextW, s.nextBang, s.nextQ = -1, -1, -1
	p := from
	for p < len(b) {
		if s.skipTo != "" {
			j := bytes.Index(b[p:], []byte(s.skipTo))
			if j < 0 {
				return max(p, len(b)-len(s.skipTo)+1)
			}
			p += j + len(s.skipTo)
			s.skipTo = ""
			continue
		}
		i := min(s.find(b, p, 'w', &s.nextW), s.find(b, p, '!', &s.nextBang), s.find(b, p, '?', &s.nextQ))
		if i == len(b) {
			return i
		}
		if i+8 >= len(b) && !eof {
			return i // judge it with the bytes that follow
		}
		p = i + 1
		switch {
		case b[i] == 'w':
			if isRowTag(b, i) {
				if s.rows++; s.rows > s.limit {
					return p
				}
			}
		case i == 0 || b[i-1] != '<':
		case b[i] == '?':
			s.skipTo = "?>"
		case bytes.HasPrefix(b[i+1:], []byte("--")):
			s.skipTo, p = "-->", i+3
		case bytes.HasPrefix(b[i+1:], []byte("[CDATA[")):
			s.skipTo, p = "]]>", i+8
		default:
			s.bad = true // a directive
			return i
		}
	}
	return p
}

// find returns the position of the first c at or after p in b (len(b)
// when none), remembering it in *next for the calls that follow.
func (s *rowScan) find(b []byte, p int, c byte, next *int) int {
	if *next < p {
		if j := bytes.IndexByte(b[p:], c); j >= 0 {
			*next = p + j
		} else {
			*next = len(b)
		}
	}
	return *next
}

// isRowTag reports whether the 'w' at b[i] ends the name of a start tag
// row: "<row" or "<prefix:row", followed by a space, '>' or '/'.
func isRowTag(b []byte, i int) bool {
	if i < 3 || i+1 >= len(b) || b[i-1] != 'o' || b[i-2] != 'r' {
		return false
	}
	switch b[i+1] {
	case ' ', '\t', '\r', '\n', '>', '/':
	default:
		return false
	}
	k := i - 3
	if b[k] == ':' { // back over the prefix
		for k--; k >= 0 && b[k] != ':' && (b[k] >= 0x80 || isNameByte(b[k])); k-- {
		}
		if k < 0 || k == i-4 {
			return false
		}
	}
	return b[k] == '<'
}
