package workbook

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// csvParser reads CSV records exactly as an encoding/csv.Reader with
// FieldsPerRecord -1, LazyQuotes and TrimLeadingSpace false, no Comment,
// ReuseRecord set and a one-byte Comma does: the same records, the same
// FieldPos, the same errors (*csv.ParseError with the csv.Err* values, or
// the reader's own), in the same order. FuzzCSVParser holds it to that.
//
// It is faster because it copies less. Input is read into a buffer; each
// run of complete lines in it becomes one string, and the fields of a
// record are substrings of that string: one allocation per buffer of input
// instead of one per record, and no copy through a record buffer. Only a
// quoted field holding "" or a line break is built byte by byte. As with
// encoding/csv the record slice is reused by the next Read but the strings
// stay valid; a string kept pins the block it is a part of.
//
// A line without quotes, most of them, is split by a bitmap of the
// separators in the block, made 8 bytes at a time when the block is;
// FieldPos of such a record is worked out when asked for. Other lines go
// through readQuoted, encoding/csv's loop line by line.
//
// The line reading is that of encoding/csv over a bufio.Reader: a line
// ends after '\n'; a read error is reported with the bytes read before it
// that end no line, and only once; "\r\n" ends a line as '\n' does, and a
// final '\r' before the end of the input is dropped. A line longer than the
// buffer grows it: whoever needs a bound (csvCounter) makes the reader fail.
type csvParser struct {
	r     io.Reader
	comma byte

	buf    []byte // buf[rd:wr] is read but not yet in blk; no '\n' in it unless peeked
	rd, wr int
	size   int      // the most one read asks for
	err    error    // the error r returned after buf[wr-1], not yet reported
	blk    string   // complete lines, each ending in '\n'
	blkUTF bool     // blk is valid UTF-8
	bp     int      // blk[bp:] is not yet read
	commas []uint64 // bit i%64 of commas[i/64]: blk[i] is the comma
	quote  int      // the first quote in blk at or after bp, len(blk) if none

	numLine int      // lines read, as encoding/csv counts them
	rec     []string // the last record, reused
	quoted  []byte   // a quoted field being unescaped

	// Where the fields of rec start: pos, or for a record of one line
	// without quotes (plain) its line, plainNum, and the columns worked
	// out from the line, the last one kept.
	plain     bool
	plainLine string
	plainNum  int
	lastCol   int
	pos       []csvPos
}

type csvPos struct{ line, col int }

var errCSVNegativeRead = errors.New("csv: reader returned a negative count from Read")

// newCSVParser reads from r with a buffer of bufSize bytes (at least 1);
// the comma may be set until the first Read.
func newCSVParser(r io.Reader, comma byte, bufSize int) *csvParser {
	bufSize = max(bufSize, 1)
	return &csvParser{r: r, comma: comma, buf: make([]byte, bufSize), size: bufSize}
}

// read reads once more from r into buf, making room first; as
// bufio.Reader, it gives up after 100 reads that return nothing. A read
// asks for at most size bytes, so that a reader counting bytes (csvCounter)
// stops a long line before the buffer grows much past its budget; the
// buffer grows as append grows a slice.
func (p *csvParser) read() {
	if p.rd > 0 {
		p.wr = copy(p.buf, p.buf[p.rd:p.wr])
		p.rd = 0
	}
	if p.wr == len(p.buf) {
		p.buf = slices.Grow(p.buf, p.size)
		p.buf = p.buf[:cap(p.buf)]
	}
	to := p.buf[p.wr:min(len(p.buf), p.wr+p.size)]
	for range 100 {
		n, err := p.r.Read(to)
		if n < 0 || n > len(to) {
			panic(errCSVNegativeRead)
		}
		p.wr += n
		if err != nil {
			p.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	p.err = io.ErrNoProgress
}

// peek returns up to the next n bytes without reading them, fewer only if
// the reader failed; the error stays to be reported by Read. The bytes are
// valid until the next call.
func (p *csvParser) peek(n int) []byte {
	for p.wr-p.rd < n && p.err == nil {
		p.read()
	}
	return p.buf[p.rd:min(p.wr, p.rd+n)]
}

// discard skips n peeked bytes.
func (p *csvParser) discard(n int) {
	p.rd += min(n, p.wr-p.rd)
}

// fill makes blk the complete lines in buf, reading as needed; false if
// there are none and the reader failed.
func (p *csvParser) fill() bool {
	scanned := 0 // buf[rd:rd+scanned] holds no '\n'
	for {
		if i := bytes.LastIndexByte(p.buf[p.rd+scanned:p.wr], '\n'); i >= 0 {
			end := p.rd + scanned + i + 1
			p.blk, p.bp, p.quote = string(p.buf[p.rd:end]), 0, -1
			p.blkUTF = utf8.ValidString(p.blk)
			p.commas = csvCommaBits(p.commas[:0], p.buf[p.rd:end], p.comma)
			p.rd = end
			return true
		}
		if p.err != nil {
			return false
		}
		scanned = p.wr - p.rd
		p.read()
	}
}

// readLine returns the next line without its "\n" or "\r\n" and whether it
// had one, as encoding/csv's readLine does: err is only set on a line
// without '\n', and is nil rather than io.EOF if the line has bytes.
func (p *csvParser) readLine() (line string, nl bool, err error) {
	p.numLine++
	if p.bp == len(p.blk) && !p.fill() {
		if p.rd < p.wr {
			line = string(p.buf[p.rd:p.wr])
		}
		p.rd, p.wr = 0, 0
		err, p.err = p.err, nil
		if len(line) > 0 && err == io.EOF {
			err = nil
			line = strings.TrimSuffix(line, "\r")
		}
		return line, false, err
	}
	s := p.blk[p.bp:]
	i := strings.IndexByte(s, '\n')
	p.bp += i + 1
	if i > 0 && s[i-1] == '\r' {
		return s[:i-1], true, nil
	}
	return s[:i], true, nil
}

// Read reads one record; see encoding/csv.Reader.Read. The slice is reused
// by the next call; the strings in it are not.
func (p *csvParser) Read() ([]string, error) {
	for p.bp < len(p.blk) || p.fill() {
		// The next line is complete; split it if it has no quotes.
		from := p.bp
		i := strings.IndexByte(p.blk[from:], '\n')
		end := from + i
		if i > 0 && p.blk[end-1] == '\r' {
			end--
		}
		if end == from {
			p.numLine++
			p.bp += i + 1
			continue
		}
		if p.quote < from {
			p.quote = len(p.blk)
			if j := strings.IndexByte(p.blk[from:], '"'); j >= 0 {
				p.quote = from + j
			}
		}
		if p.quote < end {
			break
		}
		p.numLine++
		p.bp += i + 1
		rec, last := csvSplit(p.rec[:0], p.blk, from, end, p.commas)
		p.rec, p.plain, p.plainLine, p.plainNum, p.lastCol = rec, true, p.blk[from:end], p.numLine, last-from+1
		return rec, nil
	}
	return p.readLines()
}

// ValidUTF8 reports whether every field of the last record is known to
// be valid UTF-8 (a line without quotes from a valid block), so that a
// caller need not check them one by one; false means "unknown".
func (p *csvParser) ValidUTF8() bool { return p.plain && p.blkUTF }

// csvSplit appends the fields of blk[from:end], a line without quotes, to
// rec, and returns where the last one starts.
func csvSplit(rec []string, blk string, from, end int, commas []uint64) ([]string, int) {
	w := from >> 6
	m := commas[w] &^ (1<<(from&63) - 1)
	for {
		for ; m != 0; m &= m - 1 {
			i := w<<6 + bits.TrailingZeros64(m)
			if i >= end {
				return append(rec, blk[from:end]), from
			}
			rec = append(rec, blk[from:i])
			from = i + 1
		}
		w++
		if w<<6 >= end {
			return append(rec, blk[from:end]), from
		}
		m = commas[w]
	}
}

// csvCommaBits appends to dst the bitmap of the bytes of b equal to comma:
// bit i%64 of word i/64 for b[i].
func csvCommaBits(dst []uint64, b []byte, comma byte) []uint64 {
	const lo7, ones = 0x7f7f7f7f7f7f7f7f, 0x0101010101010101
	pat := uint64(comma) * ones
	for len(b) >= 64 {
		var m uint64
		for k := 0; k < 64; k += 8 {
			x := binary.LittleEndian.Uint64(b[k:]) ^ pat
			z := ^((x&lo7 + lo7) | x | lo7) // the high bit of each 0 byte of x
			m |= (z >> 7 * 0x0102040810204080 >> 56) << k
		}
		dst = append(dst, m)
		b = b[64:]
	}
	var m uint64
	for i, c := range b {
		if c == comma {
			m |= 1 << i
		}
	}
	return append(dst, m)
}

// readLines reads a record as encoding/csv does, line by line.
func (p *csvParser) readLines() ([]string, error) {
	// Skip empty lines.
	var line string
	var nl bool
	var errRead error
	for errRead == nil {
		line, nl, errRead = p.readLine()
		if errRead != nil || line != "" {
			break
		}
	}
	if errRead == io.EOF {
		return nil, io.EOF
	}
	p.plain = false
	p.rec, p.pos, errRead = p.readQuoted(p.rec[:0], p.pos[:0], line, nl, errRead)
	return p.rec, errRead
}

// readQuoted parses the record that starts with line, nl and errRead as
// readLine returned them: the loop of encoding/csv's readRecord, reading
// more lines for a quoted field that spans them. It returns the parse
// error if any, else the read error, as Read.
func (p *csvParser) readQuoted(rec []string, fpos []csvPos, line string, nl bool, errRead error) ([]string, []csvPos, error) {
	recLine := p.numLine
	at := csvPos{line: p.numLine, col: 1}
	for {
		if len(line) == 0 || line[0] != '"' {
			// A field without quotes.
			i := strings.IndexByte(line, p.comma)
			field := line
			if i >= 0 {
				field = line[:i]
			}
			if j := strings.IndexByte(field, '"'); j >= 0 {
				return rec, fpos, &csv.ParseError{StartLine: recLine, Line: p.numLine, Column: at.col + j, Err: csv.ErrBareQuote}
			}
			rec = append(rec, field)
			fpos = append(fpos, at)
			if i < 0 {
				return rec, fpos, errRead
			}
			line = line[i+1:]
			at.col += i + 1
			continue
		}
		// A quoted field: a substring of the line unless it holds "" or
		// a line break, then built in q.
		start := at
		line = line[1:]
		at.col++
		q := p.quoted[:0]
		for {
			if i := strings.IndexByte(line, '"'); i >= 0 {
				part := line[:i]
				line = line[i+1:]
				at.col += i + 1
				switch {
				case len(line) > 0 && line[0] == '"':
					// "" is a quote.
					q = append(q, part...)
					q = append(q, '"')
					line = line[1:]
					at.col++
					continue
				case len(line) > 0 && line[0] == p.comma, len(line) == 0:
					// The end of the field.
					field := part
					if len(q) > 0 {
						q = append(q, part...)
						field = string(q)
					}
					p.quoted = q
					rec = append(rec, field)
					fpos = append(fpos, start)
					if len(line) == 0 {
						return rec, fpos, errRead
					}
					line = line[1:]
					at.col++
				default:
					p.quoted = q
					return rec, fpos, &csv.ParseError{StartLine: recLine, Line: p.numLine, Column: at.col - 1, Err: csv.ErrQuote}
				}
				break
			} else if len(line) > 0 || nl {
				// The field goes on on the next line.
				q = append(q, line...)
				if nl {
					q = append(q, '\n')
				}
				if errRead != nil {
					p.quoted = q
					return rec, fpos, errRead
				}
				at.col += len(line)
				if nl {
					at.col++
				}
				line, nl, errRead = p.readLine()
				if len(line) > 0 || nl {
					at.line++
					at.col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			} else {
				// The end of the input, or a read error.
				p.quoted = q
				if errRead == nil {
					return rec, fpos, &csv.ParseError{StartLine: recLine, Line: at.line, Column: at.col, Err: csv.ErrQuote}
				}
				rec = append(rec, string(q))
				fpos = append(fpos, start)
				return rec, fpos, errRead
			}
		}
	}
}

// FieldPos returns the line and column where field i of the last record
// starts, as encoding/csv.Reader.FieldPos.
func (p *csvParser) FieldPos(i int) (line, column int) {
	if p.plain {
		switch {
		case i == 0 && len(p.rec) > 0:
			return p.plainNum, 1
		case i == len(p.rec)-1:
			return p.plainNum, p.lastCol
		}
		// Work out all the positions, once.
		p.pos = p.pos[:0]
		for s, col := p.plainLine, 1; ; {
			p.pos = append(p.pos, csvPos{p.plainNum, col})
			j := strings.IndexByte(s, p.comma)
			if j < 0 {
				break
			}
			s = s[j+1:]
			col += j + 1
		}
		p.plain = false
	}
	if i < 0 || i >= len(p.pos) {
		panic("out of range index passed to FieldPos")
	}
	return p.pos[i].line, p.pos[i].col
}
