package workbook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// The XML tokenizer of the worksheet reader. encoding/xml's RawToken spends most of a worksheet's reading time copying
// names and attributes into fresh strings, one byte at a time. This
// tokenizer reads from a buffer and returns slices into it. Where
// encoding/xml's strict RawToken reads a document, this reads the same
// tokens (FuzzXLSXTokenizer checks it), with three differences: directives
// (<!DOCTYPE ...>), which OOXML forbids, are refused; processing
// instructions are skipped unchecked (parts are read as UTF-8 whatever the
// declaration says, and bad UTF-8 is still an error); and characters beyond
// ASCII in names are not checked against XML's name tables. Entities are
// the five predefined ones and character references only: nothing expands.

type tokenKind uint8

const (
	tokenStart tokenKind = iota + 1
	tokenEnd
	tokenText
)

// xmlAttr is one attribute; its slices are valid until the next token.
type xmlAttr struct {
	space, local []byte
	value        []byte // entities decoded
}

// token is one token. Comments and processing instructions are skipped.
type token struct {
	kind      tokenKind
	name      string // local name of a start or end tag
	space     []byte // its prefix
	attrs     []xmlAttr
	selfClose bool
	text      []byte // character data, decoded (text and CDATA sections)
}

// attr returns the value of the unprefixed attribute local.
func (t *token) attr(local string) ([]byte, bool) {
	for _, a := range t.attrs {
		if len(a.space) == 0 && string(a.local) == local {
			return a.value, true
		}
	}
	return nil, false
}

type tokenizer struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	rerr     error // a read error other than io.EOF
	off      int64 // stream offset of buf[0]
	maxTok   int
	tok      token
	scratch  []byte
	err      error // sticky
}

var (
	errXLSXMore         = errors.New("need more input") // internal: refill and retry
	errXLSXTokenTooLong = errors.New("token too long")
)

func newTokenizer(r io.Reader, maxTok int) *tokenizer {
	return &tokenizer{r: r, buf: make([]byte, partBufSize), maxTok: max(maxTok, 1<<10)}
}

// fill reads more input, keeping buf[pos:end]; it grows the buffer when a
// token does not fit, up to maxTok.
func (x *tokenizer) fill() error {
	if x.rerr != nil {
		return x.rerr
	}
	if x.pos > 0 {
		n := copy(x.buf, x.buf[x.pos:x.end])
		x.off += int64(x.pos)
		x.pos, x.end = 0, n
	}
	if x.end == len(x.buf) {
		if x.end >= x.maxTok+partBufSize {
			return errXLSXTokenTooLong
		}
		nb := make([]byte, min(2*len(x.buf), x.maxTok+partBufSize))
		copy(nb, x.buf[:x.end])
		x.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err == io.EOF {
			x.eof = true
			return nil
		}
		if err != nil {
			x.rerr = err
			return err
		}
		if n > 0 {
			return nil
		}
	}
	x.rerr = io.ErrNoProgress
	return x.rerr
}

func (x *tokenizer) syntax(at int, msg string) error {
	return fmt.Errorf("XML syntax error at byte %d: %s", x.off+int64(at), msg)
}

// next returns the next token, or io.EOF after the last.
func (x *tokenizer) next() (*token, error) {
	if x.err != nil {
		return nil, x.err
	}
	for {
		if x.pos == x.end {
			if x.eof {
				return nil, io.EOF
			}
			if err := x.fill(); err != nil {
				x.err = err
				return nil, err
			}
			continue
		}
		n, skip, err := x.parse(x.pos)
		if err == errXLSXMore {
			if x.eof {
				err = x.syntax(x.end, "unexpected EOF")
			} else {
				err = x.fill()
			}
			if err != nil {
				x.err = err
				return nil, err
			}
			continue
		}
		if err != nil {
			x.err = err
			return nil, err
		}
		x.pos = n
		if !skip {
			return &x.tok, nil
		}
	}
}

// parse reads one token at buf[p:end], returning the index after it and
// whether it is skipped (a comment or processing instruction).
func (x *tokenizer) parse(p int) (int, bool, error) {
	b := x.buf[:x.end]
	if b[p] != '<' {
		i := bytes.IndexByte(b[p:], '<')
		if i < 0 {
			if !x.eof {
				return 0, false, errXLSXMore
			}
			i = len(b) - p
		}
		text, err := x.decode(b[p:p+i], p, inText)
		if err != nil {
			return 0, false, err
		}
		x.setText(text)
		return p + i, false, nil
	}
	if p+1 >= len(b) {
		return 0, false, errXLSXMore
	}
	switch b[p+1] {
	case '/':
		ne, err := x.name(b, p+2)
		if err != nil {
			return 0, false, err
		}
		if ne == p+2 {
			return 0, false, x.syntax(p, "expected element name after </")
		}
		space, local, ok := splitName(b[p+2 : ne])
		if !ok {
			return 0, false, x.syntax(p, "expected element name after </")
		}
		i := skipSpace(b, ne)
		if i >= len(b) {
			return 0, false, errXLSXMore
		}
		if b[i] != '>' {
			return 0, false, x.syntax(i, "invalid characters between </"+string(local)+" and >")
		}
		x.tok = token{kind: tokenEnd, name: intern(local), space: space, attrs: x.tok.attrs[:0]}
		return i + 1, false, nil
	case '?':
		i := bytes.Index(b[p+2:], []byte("?>"))
		if i < 0 {
			return 0, false, errXLSXMore
		}
		return p + 2 + i + 2, true, nil
	case '!':
		rest := b[p+2:]
		switch {
		case bytes.HasPrefix(rest, []byte("--")):
			i := bytes.Index(rest[2:], []byte("--"))
			if i < 0 || p+2+2+i+2 >= len(b) {
				return 0, false, errXLSXMore
			}
			end := p + 2 + 2 + i + 2
			if b[end] != '>' {
				return 0, false, x.syntax(end, `invalid sequence "--" not allowed in comments`)
			}
			return end + 1, true, nil
		case bytes.HasPrefix(rest, []byte("[CDATA[")):
			start := p + 2 + 7
			i := bytes.Index(b[start:], []byte("]]>"))
			if i < 0 {
				return 0, false, errXLSXMore
			}
			text, err := x.decode(b[start:start+i], start, inCDATA)
			if err != nil {
				return 0, false, err
			}
			x.setText(text)
			return start + i + 3, false, nil
		case len(rest) < 7 && (bytes.HasPrefix([]byte("--"), rest) || bytes.HasPrefix([]byte("[CDATA["), rest)):
			return 0, false, errXLSXMore
		}
		return 0, false, x.syntax(p, "a DOCTYPE or other directive, which a workbook may not hold")
	}
	return x.startTag(b, p)
}

func (x *tokenizer) setText(text []byte) {
	x.tok = token{kind: tokenText, text: text, attrs: x.tok.attrs[:0]}
}

func (x *tokenizer) startTag(b []byte, p int) (int, bool, error) {
	ne, err := x.name(b, p+1)
	if err != nil {
		return 0, false, err
	}
	space, local, ok := splitName(b[p+1 : ne])
	if ne == p+1 || !ok {
		return 0, false, x.syntax(p, "expected element name after <")
	}
	attrs := x.tok.attrs[:0]
	i := ne
	selfClose := false
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return 0, false, errXLSXMore
		}
		if c := b[i]; c == '/' {
			if i+1 >= len(b) {
				return 0, false, errXLSXMore
			}
			if b[i+1] != '>' {
				return 0, false, x.syntax(i, "expected /> in element")
			}
			i += 2
			selfClose = true
			break
		} else if c == '>' {
			i++
			break
		}
		an, err := x.name(b, i)
		if err != nil {
			return 0, false, err
		}
		aspace, alocal, ok := splitName(b[i:an])
		if an == i || !ok {
			return 0, false, x.syntax(i, "expected attribute name in element")
		}
		i = skipSpace(b, an)
		if i >= len(b) {
			return 0, false, errXLSXMore
		}
		if b[i] != '=' {
			return 0, false, x.syntax(i, "attribute name without = in element")
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return 0, false, errXLSXMore
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return 0, false, x.syntax(i, "unquoted or missing attribute value in element")
		}
		j := bytes.IndexByte(b[i+1:], q)
		if j < 0 {
			return 0, false, errXLSXMore
		}
		raw := b[i+1 : i+1+j]
		if bytes.IndexByte(raw, '<') >= 0 {
			return 0, false, x.syntax(i, "unescaped < inside quoted string")
		}
		val, err := x.decode(raw, i+1, inAttr)
		if err != nil {
			return 0, false, err
		}
		attrs = append(attrs, xmlAttr{space: aspace, local: alocal, value: val})
		i += 1 + j + 1
	}
	x.tok = token{kind: tokenStart, name: intern(local), space: space, attrs: attrs, selfClose: selfClose}
	return i, false, nil
}

// name scans an XML name at b[i:], returning the index after it: ASCII
// name bytes and any byte of a multi-byte character.
func (x *tokenizer) name(b []byte, i int) (int, error) {
	j := i
	for j < len(b) && (b[j] >= utf8.RuneSelf || isNameByte(b[j])) {
		j++
	}
	if j == len(b) {
		return 0, errXLSXMore
	}
	return j, nil
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// splitName checks a name (ASCII names as XML defines them; any valid
// UTF-8 beyond ASCII) and splits it at its colon, as encoding/xml does:
// "x:c" is c with prefix x; ":c" and "c:" are names without a prefix; two
// colons are an error.
func splitName(n []byte) (space, local []byte, ok bool) {
	if len(n) == 0 {
		return nil, nil, false
	}
	if c := n[0]; c < utf8.RuneSelf && !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
		return nil, nil, false
	}
	colon := -1
	for i, c := range n {
		if c == ':' {
			if colon >= 0 {
				return nil, nil, false
			}
			colon = i
		}
		if c >= utf8.RuneSelf {
			if !utf8.Valid(n) {
				return nil, nil, false
			}
			break
		}
	}
	if colon > 0 && colon < len(n)-1 {
		return n[:colon], n[colon+1:], true
	}
	return nil, n, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\r', '\n', '\t':
			i++
			continue
		}
		break
	}
	return i
}

// intern returns the local names SpreadsheetML repeats as constants, so
// that the element stack costs no allocation.
func intern(b []byte) string {
	switch string(b) {
	case "c":
		return "c"
	case "v":
		return "v"
	case "row":
		return "row"
	case "f":
		return "f"
	case "is":
		return "is"
	case "t":
		return "t"
	case "r":
		return "r"
	case "si":
		return "si"
	case "rPh":
		return "rPh"
	case "rPr":
		return "rPr"
	case "sheetData":
		return "sheetData"
	case "worksheet":
		return "worksheet"
	}
	return string(b)
}

// Where text is being decoded.
const (
	inText = iota
	inAttr
	inCDATA
)

// decode checks and decodes character data at b (which starts at index at
// in the buffer): entities (not in CDATA), line ends ("\r\n" and "\r" read
// as "\n"), "]]>" (not allowed in text), valid UTF-8 and XML characters.
// The result is b itself, or lies in x.scratch (text), or is a copy
// (attribute values).
func (x *tokenizer) decode(b []byte, at, where int) ([]byte, error) {
	special := false
	for _, c := range b {
		if c == '&' || c == '\r' || c == ']' || c < 0x20 || c >= utf8.RuneSelf {
			special = true
			break
		}
	}
	if !special {
		return b, nil
	}
	out := b
	if bytes.IndexByte(b, '\r') >= 0 || where != inCDATA && bytes.IndexByte(b, '&') >= 0 ||
		where == inText && bytes.Contains(b, []byte("]]>")) {
		var err error
		if where == inAttr {
			// A tag may hold several such values: each gets its own copy.
			out, err = x.decodeSlow(nil, b, at, where)
		} else {
			x.scratch, err = x.decodeSlow(x.scratch[:0], b, at, where)
			out = x.scratch
		}
		if err != nil {
			return nil, err
		}
	}
	for i := 0; i < len(out); {
		c := out[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return nil, x.syntax(at, fmt.Sprintf("illegal character code %U", rune(c)))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError && size == 1 {
			return nil, x.syntax(at, "invalid UTF-8")
		}
		if !(r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return nil, x.syntax(at, fmt.Sprintf("illegal character code %U", r))
		}
		i += size
	}
	return out, nil
}

// decodeSlow appends b decoded to dst, byte by byte, the way encoding/xml
// reads text.
func (x *tokenizer) decodeSlow(dst, b []byte, at, where int) ([]byte, error) {
	var b0, b1 byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if where == inText && b0 == ']' && b1 == ']' && c == '>' {
			return nil, x.syntax(at+i, "unescaped ]]> not in CDATA section")
		}
		if c == '&' && where != inCDATA {
			r, n, ok := entity(b[i:])
			if !ok {
				end := bytes.IndexByte(b[i:], ';') + 1
				if end <= 0 || end > 12 {
					end = min(len(b)-i, 12)
				}
				return nil, x.syntax(at+i, "invalid character entity "+strconv.Quote(string(b[i:i+end])))
			}
			dst = utf8.AppendRune(dst, r)
			i += n - 1
			b0, b1 = 0, 0
			continue
		}
		switch {
		case c == '\r':
			dst = append(dst, '\n')
		case b1 == '\r' && c == '\n':
		default:
			dst = append(dst, c)
		}
		b0, b1 = b1, c
	}
	return dst, nil
}

// entity decodes the entity reference at b ("&amp;", "&#65;",
// "&#x41;"), returning the rune and the reference's length.
func entity(b []byte) (rune, int, bool) {
	end := bytes.IndexByte(b, ';')
	if end < 2 {
		return 0, 0, false
	}
	name := b[1:end]
	switch string(name) {
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "amp":
		return '&', end + 1, true
	case "apos":
		return '\'', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, 0, false
	}
	var n uint64
	for _, c := range digits {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case base == 16 && 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, 0, false
		}
		n = n*uint64(base) + uint64(d)
		if n > unicode.MaxRune {
			return 0, 0, false
		}
	}
	r := rune(n)
	if !utf8.ValidRune(r) {
		r = utf8.RuneError // as string(rune(n)) does for a surrogate
	}
	return r, end + 1, true
}
