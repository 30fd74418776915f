package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The workbook reader streams SpreadsheetML itself (archive/zip and the
// XML tokenizer below) instead of going through excelize: excelize's row
// iterator returns only strings, hiding the number format that tells a
// percentage (stored 0.05, shown 5%) or a date from a plain number, and it
// is about eight times slower. Elements are matched by local name, so
// documents written with a prefix (x:worksheet, x:c) read the same.

// xlsxBook is the workbook side of a Book.
type xlsxBook struct {
	name     string
	lim      Limits
	files    map[string]*zip.File // by lower-case part name
	total    atomic.Int64         // uncompressed bytes read so far, all parts
	sst      xlsxStrings          // shared strings
	xfKind   []uint8              // cellXfs index → xlsxFmt*
	parts    map[string]string    // sheet name → worksheet part ("" when the relationship is missing)
	date1904 bool
}

// Number format classes of a cell style.
const (
	xlsxFmtOther uint8 = iota
	xlsxFmtPercent
	xlsxFmtDate
)

// xlsxBufSize is the initial read buffer of one part; it grows only for a
// token longer than that, up to the token budget.
const xlsxBufSize = 64 << 10

// xlsxMaxDepth bounds element nesting; SpreadsheetML needs a dozen levels.
const xlsxMaxDepth = 256

var xlsxOLEMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func xlsxIsOLEMagic(b []byte) bool {
	return len(b) >= len(xlsxOLEMagic) && bytes.Equal(b[:len(xlsxOLEMagic)], xlsxOLEMagic)
}

func xlsxIsZipMagic(b []byte) bool {
	return len(b) >= 4 && b[0] == 'P' && b[1] == 'K' &&
		(b[2] == 3 && b[3] == 4 || b[2] == 5 && b[3] == 6 || b[2] == 7 && b[3] == 8)
}

// OpenXLSX opens the workbook in r (size bytes; name is used in messages).
// It reads the workbook, its relationships, the shared strings and the
// styles; worksheets are streamed later by Rows.
func OpenXLSX(r io.ReaderAt, size int64, name string, lim Limits) (*Book, error) {
	lim = lim.withDefaults()
	var magic [8]byte
	n, err := r.ReadAt(magic[:], 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", name, err) // a read error, or the reader's context done
	}
	switch {
	case xlsxIsOLEMagic(magic[:n]):
		return nil, oleError(r, size, name) // encrypted, an old .xls, or which cannot be told
	case n == 0:
		return nil, fmt.Errorf("%s: %w: the file is empty", name, ErrNotWorkbook)
	case !xlsxIsZipMagic(magic[:n]):
		return nil, fmt.Errorf("%s: %w: it is not a zip archive (an .xls, HTML or XML spreadsheet must be opened in Excel and saved as .xlsx)", name, ErrNotWorkbook)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrDamaged, err)
	}
	x := &xlsxBook{name: name, lim: lim, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		key := xlsxPartKey(f.Name)
		if first, dup := x.files[key]; dup && !strings.HasSuffix(key, "/") {
			// Readers disagree on which of two entries wins (openpyxl
			// takes the last, this reader the first): a file that reads
			// differently elsewhere is refused.
			return nil, fmt.Errorf("%s: %w: the zip archive holds two entries named %q and %q", name, ErrDamaged, first.Name, f.Name)
		}
		x.files[key] = f
	}

	wbPart := "xl/workbook.xml"
	if _, ok := x.files["_rels/.rels"]; ok {
		rels, err := x.readRels("_rels/.rels")
		if err != nil {
			return nil, err
		}
		for _, rel := range rels {
			if strings.HasSuffix(rel.typ, "/officeDocument") {
				wbPart = xlsxResolve("", rel.target)
				break
			}
		}
	}
	if x.files[xlsxPartKey(wbPart)] == nil {
		return nil, x.notWorkbook()
	}
	sheets, err := x.readWorkbook(wbPart)
	if err != nil {
		return nil, err
	}
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: %w: %s lists no sheets", name, ErrDamaged, wbPart)
	}

	relsPart := path.Join(path.Dir(wbPart), "_rels", path.Base(wbPart)+".rels")
	byID := map[string]string{}
	sstPart, stylesPart := "", ""
	if _, ok := x.files[xlsxPartKey(relsPart)]; ok {
		rels, err := x.readRels(relsPart)
		if err != nil {
			return nil, err
		}
		for _, rel := range rels {
			if rel.external {
				continue
			}
			target := xlsxResolve(wbPart, rel.target)
			byID[rel.id] = target
			switch {
			case strings.HasSuffix(rel.typ, "/sharedStrings"):
				sstPart = target
			case strings.HasSuffix(rel.typ, "/styles"):
				stylesPart = target
			}
		}
	}
	dir := path.Dir(wbPart)
	if sstPart == "" {
		sstPart = path.Join(dir, "sharedStrings.xml")
	}
	if stylesPart == "" {
		stylesPart = path.Join(dir, "styles.xml")
	}
	if _, ok := x.files[xlsxPartKey(sstPart)]; ok {
		if x.sst, err = x.readSharedStrings(sstPart, x.sharedStringsCap(sheets, byID)); err != nil {
			return nil, err
		}
	}
	if _, ok := x.files[xlsxPartKey(stylesPart)]; ok {
		if x.xfKind, err = x.readStyles(stylesPart); err != nil {
			return nil, err
		}
	}

	b := &Book{name: name, xlsx: x, date1904: x.date1904}
	x.parts = make(map[string]string, len(sheets))
	for _, s := range sheets {
		if _, dup := x.parts[s.name]; dup {
			continue
		}
		x.parts[s.name] = byID[s.rid]
		b.sheets = append(b.sheets, s.name)
	}
	return b, nil
}

// notWorkbook explains what a zip without a workbook part is.
func (x *xlsxBook) notWorkbook() error {
	switch {
	case x.files["xl/workbook.bin"] != nil:
		return fmt.Errorf("%s: %w: it is a binary .xlsb workbook: save it as .xlsx", x.name, ErrNotWorkbook)
	case x.files["content.xml"] != nil && x.files["mimetype"] != nil:
		return fmt.Errorf("%s: %w: it is an OpenDocument file (.ods): save it as .xlsx", x.name, ErrNotWorkbook)
	case x.files["word/document.xml"] != nil, x.files["ppt/presentation.xml"] != nil:
		return fmt.Errorf("%s: %w: it is a Word or PowerPoint document", x.name, ErrNotWorkbook)
	}
	return fmt.Errorf("%s: %w: the zip archive has no xl/workbook.xml", x.name, ErrNotWorkbook)
}

// xlsxPartKey normalises a zip entry or part name for lookup: part names
// are case-insensitive in OPC.
func xlsxPartKey(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	return strings.ToLower(strings.TrimPrefix(name, "/"))
}

// xlsxResolve resolves a relationship target against the part that owns
// the relationship ("" for the package root).
func xlsxResolve(base, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return path.Clean(path.Join(path.Dir(base), target))
}

// --- reading parts ---------------------------------------------------------

// xlsxCounter counts the uncompressed bytes read from one part, against the
// book's total and the part's own limit.
type xlsxCounter struct {
	r         io.Reader
	book      *xlsxBook
	part      string
	n         int64 // bytes read from this part
	partLimit int64 // 0: none (worksheets)
	err       error
}

func (c *xlsxCounter) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	lim := c.book.lim
	switch {
	case c.book.total.Add(int64(n)) > lim.MaxUnzipped:
		c.err = fmt.Errorf("%s: %w: %s: the workbook unzips to more than %s (raise the limit with --max-unzipped)",
			c.book.name, ErrTooLarge, c.part, sheetBytes(lim.MaxUnzipped))
	case c.partLimit > 0 && c.n > c.partLimit:
		c.err = fmt.Errorf("%s: %w: %s unzips to more than %s (raise the limit with --max-unzipped)",
			c.book.name, ErrTooLarge, c.part, sheetBytes(c.partLimit))
	}
	if c.err != nil {
		return 0, c.err
	}
	return n, err
}

// sheetBytes formats a byte count for messages.
func sheetBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// xlsxScanner reads the XML tokens of one part, keeping the stack of open
// elements: the tokenizer does not check nesting.
type xlsxScanner struct {
	book      *xlsxBook
	part      string
	rc        io.ReadCloser
	cnt       *xlsxCounter
	xt        *xlsxXML
	stack     []string // local names of the open elements
	seenRoot  bool
	needClose bool // the last start tag was self-closing
}

// open starts reading part; partLimit 0 streams it (worksheets).
func (x *xlsxBook) open(part string, partLimit int64) (*xlsxScanner, error) {
	f := x.files[xlsxPartKey(part)]
	if f == nil {
		return nil, fmt.Errorf("%s: %w: part %s is missing", x.name, ErrDamaged, part)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s: %w", x.name, ErrDamaged, part, err)
	}
	cnt := &xlsxCounter{r: rc, book: x, part: part, partLimit: partLimit}
	return &xlsxScanner{book: x, part: part, rc: rc, cnt: cnt,
		xt: newXLSXXML(cnt, int(x.lim.tokenBudget())), stack: make([]string, 0, 16)}, nil
}

func (s *xlsxScanner) close() error { return s.rc.Close() }

func (s *xlsxScanner) damagedf(format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s: %s", s.book.name, ErrDamaged, s.part, fmt.Sprintf(format, args...))
}

// token returns the next token; io.EOF only at a clean end of the
// document. Any other error is already wrapped. The token is valid until
// the next call.
func (s *xlsxScanner) token() (*xlsxTok, error) {
	if s.needClose {
		s.needClose = false
		tok := &s.xt.tok
		tok.kind, tok.attrs, tok.text = xlsxTokEnd, tok.attrs[:0], nil
		tok.name = s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		return tok, nil
	}
	tok, err := s.xt.next()
	if err != nil {
		switch {
		case err == io.EOF && len(s.stack) > 0:
			return nil, s.damagedf("the XML ends inside <%s>", s.stack[len(s.stack)-1])
		case err == io.EOF && !s.seenRoot:
			return nil, s.damagedf("the part holds no XML")
		case err == io.EOF:
			return nil, io.EOF
		case errors.Is(err, ErrTooLarge), errors.Is(err, ErrDamaged):
			return nil, err // from the counter, already wrapped
		case errors.Is(err, errXLSXTokenTooLong):
			return nil, fmt.Errorf("%s: %w: %s: one XML element or text is longer than %s (raise the limit with --max-unzipped)",
				s.book.name, ErrTooLarge, s.part, sheetBytes(s.book.lim.tokenBudget()))
		}
		return nil, fmt.Errorf("%s: %w: %s: %w", s.book.name, ErrDamaged, s.part, err)
	}
	switch tok.kind {
	case xlsxTokStart:
		if len(s.stack) == 0 && s.seenRoot {
			return nil, s.damagedf("a second root element <%s>", tok.name)
		}
		if len(s.stack) >= xlsxMaxDepth {
			return nil, s.damagedf("elements nested more than %d deep", xlsxMaxDepth)
		}
		s.seenRoot = true
		s.stack = append(s.stack, tok.name)
		s.needClose = tok.selfClose
	case xlsxTokEnd:
		if len(s.stack) == 0 || s.stack[len(s.stack)-1] != tok.name {
			return nil, s.damagedf("unexpected </%s>", tok.name)
		}
		s.stack = s.stack[:len(s.stack)-1]
	}
	return tok, nil
}

// depth is the number of open elements (1 inside the root element).
func (s *xlsxScanner) depth() int { return len(s.stack) }

// parent is the local name of the element enclosing the innermost one.
func (s *xlsxScanner) parent() string {
	if len(s.stack) < 2 {
		return ""
	}
	return s.stack[len(s.stack)-2]
}

// --- XML tokenizer ----------------------------------------------------------
//
// encoding/xml's RawToken spends most of a worksheet's reading time copying
// names and attributes into fresh strings, one byte at a time. This
// tokenizer reads from a buffer and returns slices into it. Where
// encoding/xml's strict RawToken reads a document, this reads the same
// tokens (FuzzXLSXTokenizer checks it), with three differences: directives
// (<!DOCTYPE ...>), which OOXML forbids, are refused; processing
// instructions are skipped unchecked (parts are read as UTF-8 whatever the
// declaration says, and bad UTF-8 is still an error); and characters beyond
// ASCII in names are not checked against XML's name tables. Entities are
// the five predefined ones and character references only: nothing expands.

type xlsxTokKind uint8

const (
	xlsxTokStart xlsxTokKind = iota + 1
	xlsxTokEnd
	xlsxTokText
)

// xlsxXMLAttr is one attribute; its slices are valid until the next token.
type xlsxXMLAttr struct {
	space, local []byte
	value        []byte // entities decoded
}

// xlsxTok is one token. Comments and processing instructions are skipped.
type xlsxTok struct {
	kind      xlsxTokKind
	name      string // local name of a start or end tag
	space     []byte // its prefix
	attrs     []xlsxXMLAttr
	selfClose bool
	text      []byte // character data, decoded (text and CDATA sections)
}

// attr returns the value of the unprefixed attribute local.
func (t *xlsxTok) attr(local string) ([]byte, bool) {
	for _, a := range t.attrs {
		if len(a.space) == 0 && string(a.local) == local {
			return a.value, true
		}
	}
	return nil, false
}

type xlsxXML struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	rerr     error // a read error other than io.EOF
	off      int64 // stream offset of buf[0]
	maxTok   int
	tok      xlsxTok
	scratch  []byte
	err      error // sticky
}

var (
	errXLSXMore         = errors.New("need more input") // internal: refill and retry
	errXLSXTokenTooLong = errors.New("token too long")
)

func newXLSXXML(r io.Reader, maxTok int) *xlsxXML {
	return &xlsxXML{r: r, buf: make([]byte, xlsxBufSize), maxTok: max(maxTok, 1<<10)}
}

// fill reads more input, keeping buf[pos:end]; it grows the buffer when a
// token does not fit, up to maxTok.
func (x *xlsxXML) fill() error {
	if x.rerr != nil {
		return x.rerr
	}
	if x.pos > 0 {
		n := copy(x.buf, x.buf[x.pos:x.end])
		x.off += int64(x.pos)
		x.pos, x.end = 0, n
	}
	if x.end == len(x.buf) {
		if x.end >= x.maxTok+xlsxBufSize {
			return errXLSXTokenTooLong
		}
		nb := make([]byte, min(2*len(x.buf), x.maxTok+xlsxBufSize))
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

func (x *xlsxXML) syntax(at int, msg string) error {
	return fmt.Errorf("XML syntax error at byte %d: %s", x.off+int64(at), msg)
}

// next returns the next token, or io.EOF after the last.
func (x *xlsxXML) next() (*xlsxTok, error) {
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
func (x *xlsxXML) parse(p int) (int, bool, error) {
	b := x.buf[:x.end]
	if b[p] != '<' {
		i := bytes.IndexByte(b[p:], '<')
		if i < 0 {
			if !x.eof {
				return 0, false, errXLSXMore
			}
			i = len(b) - p
		}
		text, err := x.decode(b[p:p+i], p, xlsxInText)
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
		space, local, ok := xlsxSplitName(b[p+2 : ne])
		if !ok {
			return 0, false, x.syntax(p, "expected element name after </")
		}
		i := xlsxSkipSpace(b, ne)
		if i >= len(b) {
			return 0, false, errXLSXMore
		}
		if b[i] != '>' {
			return 0, false, x.syntax(i, "invalid characters between </"+string(local)+" and >")
		}
		x.tok = xlsxTok{kind: xlsxTokEnd, name: xlsxIntern(local), space: space, attrs: x.tok.attrs[:0]}
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
			text, err := x.decode(b[start:start+i], start, xlsxInCDATA)
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

func (x *xlsxXML) setText(text []byte) {
	x.tok = xlsxTok{kind: xlsxTokText, text: text, attrs: x.tok.attrs[:0]}
}

func (x *xlsxXML) startTag(b []byte, p int) (int, bool, error) {
	ne, err := x.name(b, p+1)
	if err != nil {
		return 0, false, err
	}
	space, local, ok := xlsxSplitName(b[p+1 : ne])
	if ne == p+1 || !ok {
		return 0, false, x.syntax(p, "expected element name after <")
	}
	attrs := x.tok.attrs[:0]
	i := ne
	selfClose := false
	for {
		i = xlsxSkipSpace(b, i)
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
		aspace, alocal, ok := xlsxSplitName(b[i:an])
		if an == i || !ok {
			return 0, false, x.syntax(i, "expected attribute name in element")
		}
		i = xlsxSkipSpace(b, an)
		if i >= len(b) {
			return 0, false, errXLSXMore
		}
		if b[i] != '=' {
			return 0, false, x.syntax(i, "attribute name without = in element")
		}
		i = xlsxSkipSpace(b, i+1)
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
		val, err := x.decode(raw, i+1, xlsxInAttr)
		if err != nil {
			return 0, false, err
		}
		attrs = append(attrs, xlsxXMLAttr{space: aspace, local: alocal, value: val})
		i += 1 + j + 1
	}
	x.tok = xlsxTok{kind: xlsxTokStart, name: xlsxIntern(local), space: space, attrs: attrs, selfClose: selfClose}
	return i, false, nil
}

// name scans an XML name at b[i:], returning the index after it: ASCII
// name bytes and any byte of a multi-byte character.
func (x *xlsxXML) name(b []byte, i int) (int, error) {
	j := i
	for j < len(b) && (b[j] >= utf8.RuneSelf || xlsxIsNameByte(b[j])) {
		j++
	}
	if j == len(b) {
		return 0, errXLSXMore
	}
	return j, nil
}

func xlsxIsNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// xlsxSplitName checks a name (ASCII names as XML defines them; any valid
// UTF-8 beyond ASCII) and splits it at its colon, as encoding/xml does:
// "x:c" is c with prefix x; ":c" and "c:" are names without a prefix; two
// colons are an error.
func xlsxSplitName(n []byte) (space, local []byte, ok bool) {
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

func xlsxSkipSpace(b []byte, i int) int {
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

// xlsxIntern returns the local names SpreadsheetML repeats as constants, so
// that the element stack costs no allocation.
func xlsxIntern(b []byte) string {
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
	xlsxInText = iota
	xlsxInAttr
	xlsxInCDATA
)

// decode checks and decodes character data at b (which starts at index at
// in the buffer): entities (not in CDATA), line ends ("\r\n" and "\r" read
// as "\n"), "]]>" (not allowed in text), valid UTF-8 and XML characters.
// The result is b itself, or lies in x.scratch (text), or is a copy
// (attribute values).
func (x *xlsxXML) decode(b []byte, at, where int) ([]byte, error) {
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
	if bytes.IndexByte(b, '\r') >= 0 || where != xlsxInCDATA && bytes.IndexByte(b, '&') >= 0 ||
		where == xlsxInText && bytes.Contains(b, []byte("]]>")) {
		var err error
		if where == xlsxInAttr {
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
func (x *xlsxXML) decodeSlow(dst, b []byte, at, where int) ([]byte, error) {
	var b0, b1 byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if where == xlsxInText && b0 == ']' && b1 == ']' && c == '>' {
			return nil, x.syntax(at+i, "unescaped ]]> not in CDATA section")
		}
		if c == '&' && where != xlsxInCDATA {
			r, n, ok := xlsxEntity(b[i:])
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

// xlsxEntity decodes the entity reference at b ("&amp;", "&#65;",
// "&#x41;"), returning the rune and the reference's length.
func xlsxEntity(b []byte) (rune, int, bool) {
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

type xlsxRel struct {
	id, typ, target string
	external        bool
}

func (x *xlsxBook) readRels(part string) ([]xlsxRel, error) {
	s, err := x.open(part, x.lim.MaxPartBytes)
	if err != nil {
		return nil, err
	}
	defer s.close()
	var rels []xlsxRel
	for {
		tok, err := s.token()
		if err == io.EOF {
			return rels, nil
		}
		if err != nil {
			return nil, err
		}
		if tok.kind == xlsxTokStart && tok.name == "Relationship" {
			var r xlsxRel
			for _, a := range tok.attrs {
				if len(a.space) > 0 {
					continue
				}
				switch string(a.local) {
				case "Id":
					r.id = string(a.value)
				case "Type":
					r.typ = string(a.value)
				case "Target":
					r.target = string(a.value)
				case "TargetMode":
					r.external = strings.EqualFold(string(a.value), "External")
				}
			}
			rels = append(rels, r)
		}
	}
}

type xlsxSheetRef struct{ name, rid string }

func (x *xlsxBook) readWorkbook(part string) ([]xlsxSheetRef, error) {
	s, err := x.open(part, x.lim.MaxPartBytes)
	if err != nil {
		return nil, err
	}
	defer s.close()
	var sheets []xlsxSheetRef
	for {
		tok, err := s.token()
		if err == io.EOF {
			return sheets, nil
		}
		if err != nil {
			return nil, err
		}
		if tok.kind != xlsxTokStart {
			continue
		}
		switch tok.name {
		case "workbookPr":
			if v, ok := tok.attr("date1904"); ok {
				x.date1904 = string(v) == "1" || string(v) == "true"
			}
		case "sheet":
			if s.parent() != "sheets" {
				continue
			}
			var ref xlsxSheetRef
			for _, a := range tok.attrs {
				switch {
				case string(a.local) == "name" && len(a.space) == 0:
					ref.name = string(a.value)
				case string(a.local) == "id" && len(a.space) > 0 && string(a.space) != "xmlns":
					ref.rid = string(a.value)
				}
			}
			if ref.name == "" {
				return nil, s.damagedf("a sheet without a name")
			}
			sheets = append(sheets, ref)
		}
	}
}

// Shared string limits. A shared string table costs memory before any
// sheet is read, and its <si/> entries compress to almost nothing: 100
// million of them fit in a 731 KB workbook. Every entry a sheet can use is
// referenced by a cell, and a cell that references one takes at least
// xlsxMinSharedCell bytes of worksheet XML (<c t="s"><v>0</v></c>), whose
// size the zip declares and archive/zip holds it to. So the table may hold
// at most one entry per such cell of the workbook's sheets (counted
// against --max-unzipped, which bounds what can be read of them), plus
// xlsxSSTSlack for the unused strings some writers leave, and never more
// than xlsxMaxSharedStrings: 4 bytes of memory each, 128 MiB at most.
const (
	xlsxMinSharedCell    = 21
	xlsxSSTSlack         = 1 << 16
	xlsxMaxSharedStrings = 1 << 25
)

// sharedStringsCap is how many shared strings the workbook's sheets can
// use (see xlsxMinSharedCell).
func (x *xlsxBook) sharedStringsCap(sheets []xlsxSheetRef, byID map[string]string) int {
	var total uint64
	seen := map[string]bool{}
	for _, s := range sheets {
		key := xlsxPartKey(byID[s.rid])
		if f := x.files[key]; f != nil && !seen[key] {
			seen[key] = true
			total += f.UncompressedSize64
		}
	}
	total = min(total, uint64(x.lim.MaxUnzipped))
	return int(min(total/xlsxMinSharedCell+xlsxSSTSlack, xlsxMaxSharedStrings))
}

// xlsxStrings is the shared string table: every string in one text, each
// entry its end offset, so that an entry costs 4 bytes and no allocation
// (an empty one nothing more).
type xlsxStrings struct {
	text string
	end  []uint32
}

func (t *xlsxStrings) len() int { return len(t.end) }

func (t *xlsxStrings) at(i int) string {
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
func (x *xlsxBook) readSharedStrings(part string, maxStrings int) (xlsxStrings, error) {
	s, err := x.open(part, x.lim.MaxPartBytes)
	if err != nil {
		return xlsxStrings{}, err
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
		tok, err := s.token()
		if err == io.EOF {
			return xlsxStrings{text: text.String(), end: end}, nil
		}
		if err != nil {
			return xlsxStrings{}, err
		}
		switch tok.kind {
		case xlsxTokStart:
			switch tok.name {
			case "sst":
				if v, ok := tok.attr("uniqueCount"); ok && end == nil {
					// A hint only: never trust it beyond what the sheets can use.
					if n, ok := xlsxParseUint(v); ok && n > 0 {
						end = make([]uint32, 0, min(n, maxStrings, 1<<20))
					}
				}
			case "si":
				if s.depth() == 2 {
					if len(end) >= maxStrings {
						return xlsxStrings{}, fmt.Errorf("%s: %w: %s holds more than %d shared strings, more than the workbook's sheets can use (one per cell at most)",
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
		case xlsxTokEnd:
			capture = false
			switch {
			case tok.name == "si" && inSI && s.depth() == 1:
				inSI = false
				if bytes.Contains(buf, []byte("_x")) {
					text.WriteString(xlsxUnescape(string(buf)))
				} else {
					text.Write(buf)
				}
				if text.Len() > math.MaxUint32 {
					return xlsxStrings{}, fmt.Errorf("%s: %w: %s holds more than 4 GiB of text", x.name, ErrTooLarge, part)
				}
				end = append(end, uint32(text.Len()))
			case rphAt > 0 && s.depth() < rphAt:
				rphAt = 0
			}
		case xlsxTokText:
			if capture {
				buf = append(buf, tok.text...)
			}
		}
	}
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
		if tok.kind != xlsxTokStart {
			continue
		}
		switch {
		case tok.name == "numFmt" && s.parent() == "numFmts":
			idText, _ := tok.attr("numFmtId")
			code, _ := tok.attr("formatCode")
			if id, ok := xlsxParseUint(idText); ok {
				custom[id] = string(code)
			}
		case tok.name == "xf" && s.parent() == "cellXfs":
			id := 0
			if v, ok := tok.attr("numFmtId"); ok {
				id, _ = xlsxParseUint(v)
			}
			xfIDs = append(xfIDs, id)
		}
	}
	kinds := make([]uint8, len(xfIDs))
	for i, id := range xfIDs {
		code, ok := custom[id]
		kinds[i] = xlsxFormatKind(id, code, ok)
	}
	return kinds, nil
}

// xlsxFormatKind classifies a number format: built-in ids 9 and 10 are
// percentages; 14–22 and 45–47 are dates and times, and so are 27–36 and
// 50–58 (the East Asian built-in date formats). A format code, when the
// workbook gives one, decides instead.
func xlsxFormatKind(id int, code string, hasCode bool) uint8 {
	if hasCode {
		return xlsxCodeKind(code)
	}
	switch {
	case id == 9 || id == 10:
		return xlsxFmtPercent
	case id >= 14 && id <= 22, id >= 45 && id <= 47, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return xlsxFmtDate
	}
	return xlsxFmtOther
}

// xlsxCodeKind classifies a custom number format code: date/time when it
// has y, m, d, h or s (or an elapsed [h], [mm], [ss]) outside quotes,
// brackets and escapes; percent when it has % there.
func xlsxCodeKind(code string) uint8 {
	percent := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return xlsxFmtOther // unterminated: nothing after is a token
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is a literal, a space width or a fill
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return xlsxFmtOther
			}
			inner := strings.ToLower(code[i+1 : i+1+j])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				return xlsxFmtDate // elapsed time
			}
			i += j + 1
		case 'y', 'Y', 'm', 'M', 'd', 'D', 'h', 'H', 's', 'S':
			return xlsxFmtDate
		case '%':
			percent = true
		}
	}
	if percent {
		return xlsxFmtPercent
	}
	return xlsxFmtOther
}

// xlsxUnescape decodes the _xHHHH_ escapes SpreadsheetML uses for
// characters XML cannot hold (_x000D_ is a carriage return; _x005F_ is an
// escaped underscore).
func xlsxUnescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, ok := xlsxEscapeAt(s, i)
		if !ok {
			b.WriteByte(s[i])
			i++
			continue
		}
		i += 7
		if utf16.IsSurrogate(r) {
			if r2, ok := xlsxEscapeAt(s, i); ok {
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

// xlsxEscapeAt decodes an _xHHHH_ escape at s[i:].
func xlsxEscapeAt(s string, i int) (rune, bool) {
	if i+7 > len(s) || s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}

// --- worksheets -----------------------------------------------------------

func (x *xlsxBook) rows(sheet string) (sheetRowSource, error) {
	part := x.parts[sheet]
	if part == "" {
		return nil, fmt.Errorf("%s: %w: sheet %q has no worksheet part", x.name, ErrDamaged, sheet)
	}
	s, err := x.open(part, 0)
	if err != nil {
		return nil, err
	}
	s.part = "sheet " + sheet // messages name the sheet, not its part
	s.cnt.part = s.part
	return &xlsxSheetReader{book: x, sheet: sheet, sc: s, partSize: x.files[xlsxPartKey(part)].UncompressedSize64}, nil
}

// Worksheet reader states.
const (
	xlsxBeforeData = iota
	xlsxInData
	xlsxDone
)

// xlsxSheetReader streams <sheetData>: worksheet(1) / sheetData(2) /
// row(3) / c(4) / v, is, f(5) / t, r, rPh(6) / t(7).
type xlsxSheetReader struct {
	book    *xlsxBook
	sheet   string
	sc      *xlsxScanner
	state   int
	prevRow int
	text    []byte
	err     error

	dimRows  int    // the last row of the sheet's <dimension>, 0 when none
	partSize uint64 // the sheet XML's size as the zip declares it
}

func (r *xlsxSheetReader) close() error { return r.sc.close() }

// xlsxMinRowBytes is about the least XML a row with a cell takes
// (<row r="1"><c r="A1"><v>1</v></c></row>), which bounds the row count a
// sheet's size allows.
const xlsxMinRowBytes = 40

// rowsHint is the sheet's declared last row, trusted only as far as the
// size of its XML allows: a wrong dimension must not make a caller size
// its slices for a million rows.
func (r *xlsxSheetReader) rowsHint() int {
	return int(min(uint64(r.dimRows), r.partSize/xlsxMinRowBytes))
}

func (r *xlsxSheetReader) next(row *Row) error {
	if r.err != nil {
		return r.err
	}
	err := r.advance(row)
	if err != nil {
		r.err = err
	}
	return err
}

func (r *xlsxSheetReader) advance(row *Row) error {
	if r.state == xlsxDone {
		return io.EOF
	}
	sc := r.sc
	for {
		tok, err := sc.token()
		if err != nil {
			if err == io.EOF {
				r.state = xlsxDone
			}
			return err
		}
		switch tok.kind {
		case xlsxTokStart:
			switch {
			case r.state == xlsxBeforeData && tok.name == "dimension" && sc.depth() == 2:
				r.dimRows = xlsxDimensionRows(tok)
			case r.state == xlsxBeforeData && tok.name == "sheetData" && sc.depth() == 2:
				r.state = xlsxInData
			case r.state == xlsxInData && tok.name == "row" && sc.depth() == 3:
				return r.readRow(tok, row)
			}
		case xlsxTokEnd:
			if r.state == xlsxInData && sc.depth() == 1 {
				// </sheetData>: what follows (merged cells, extensions) is
				// not needed.
				r.state = xlsxDone
				return io.EOF
			}
		}
	}
}

// xlsxDimensionRows returns the last row of a <dimension ref="A1:T500">,
// 0 when the reference does not say.
func xlsxDimensionRows(tok *xlsxTok) int {
	ref, _ := tok.attr("ref")
	if i := bytes.LastIndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	ref = bytes.TrimLeft(ref, "$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
	n, ok := xlsxParseUint(ref)
	if !ok || n > sheetMaxRows {
		return 0
	}
	return n
}

func (r *xlsxSheetReader) damagedAt(col, rowNum int, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s!%s: %s", r.book.name, ErrDamaged, r.sheet, sheetCellName(col, rowNum), fmt.Sprintf(format, args...))
}

// Cell types (the t attribute).
const (
	xlsxTypeNumber  = iota // n, or none
	xlsxTypeShared         // s
	xlsxTypeInline         // inlineStr
	xlsxTypeFormula        // str
	xlsxTypeBool           // b
	xlsxTypeError          // e
	xlsxTypeDate           // d
	xlsxTypeUnknown
)

func xlsxCellType(v []byte) int {
	switch string(v) {
	case "", "n":
		return xlsxTypeNumber
	case "s":
		return xlsxTypeShared
	case "inlineStr":
		return xlsxTypeInline
	case "str":
		return xlsxTypeFormula
	case "b":
		return xlsxTypeBool
	case "e":
		return xlsxTypeError
	case "d":
		return xlsxTypeDate
	}
	return xlsxTypeUnknown
}

// readRow reads the cells of the <row> just opened by start.
func (r *xlsxSheetReader) readRow(start *xlsxTok, row *Row) error {
	sc := r.sc
	num := r.prevRow + 1
	if v, ok := start.attr("r"); ok {
		n, ok := xlsxParseUint(v)
		if !ok || n < 1 || n > sheetMaxRows {
			return fmt.Errorf("%s: %w: sheet %s: bad row number %q (rows are 1 to %d)", r.book.name, ErrDamaged, r.sheet, v, sheetMaxRows)
		}
		if n <= r.prevRow {
			// Each row once, in order, as Excel writes them: a row repeated
			// would read as many lines as the file can hold.
			return fmt.Errorf("%s: %w: sheet %s: row %d comes after row %d (row numbers must increase)", r.book.name, ErrDamaged, r.sheet, n, r.prevRow)
		}
		num = n
	} else if num > sheetMaxRows {
		return fmt.Errorf("%s: %w: sheet %s: more than %d rows", r.book.name, ErrDamaged, r.sheet, sheetMaxRows)
	}
	r.prevRow = num

	cells := row.Cells[:0]
	col := -1
	var (
		inCell, capture, inIS, hasV bool
		typ, style                  int
		typText                     string
	)
	for {
		tok, err := sc.token()
		if err != nil {
			if err == io.EOF {
				return sc.damagedf("the XML ends inside a row")
			}
			return err
		}
		switch tok.kind {
		case xlsxTokStart:
			d := sc.depth()
			switch {
			case d == 4 && tok.name == "c":
				inCell, inIS, hasV, capture = true, false, false, false
				typ, style = xlsxTypeNumber, -1
				r.text = r.text[:0]
				var ref []byte
				for _, a := range tok.attrs {
					if len(a.space) > 0 || len(a.local) != 1 {
						continue
					}
					switch a.local[0] {
					case 'r':
						ref = a.value
					case 't':
						if typ = xlsxCellType(a.value); typ == xlsxTypeUnknown {
							typText = string(a.value)
						}
					case 's':
						if n, ok := xlsxParseUint(a.value); ok {
							style = n
						}
					}
				}
				if ref != nil {
					c, ok := xlsxParseRef(ref)
					if !ok {
						return fmt.Errorf("%s: %w: sheet %s, row %d: bad cell reference %q", r.book.name, ErrDamaged, r.sheet, num, ref)
					}
					col = c
				} else {
					col++
					if col >= sheetMaxCols {
						return fmt.Errorf("%s: %w: sheet %s, row %d: more than %d columns", r.book.name, ErrDamaged, r.sheet, num, sheetMaxCols)
					}
				}
			case !inCell:
			case d == 5 && tok.name == "v":
				capture, hasV = true, true
			case d == 5 && tok.name == "is":
				inIS = true
			case inIS && tok.name == "t" && (d == 6 || d == 7 && sc.stack[5] == "r"):
				capture = true
			}
		case xlsxTokText:
			if capture {
				r.text = append(r.text, tok.text...)
			}
		case xlsxTokEnd:
			capture = false
			switch sc.depth() {
			case 2: // </row>
				row.Num = num
				row.Cells = sheetTrimRow(cells)
				return nil
			case 3: // </c>
				if !inCell {
					continue
				}
				inCell = false
				cell, err := r.cell(col, num, typ, typText, style, hasV, inIS)
				if err != nil {
					return err
				}
				for len(cells) <= col {
					cells = append(cells, Cell{})
				}
				cells[col] = cell
			}
		}
	}
}

// cell makes the cell just read (its text in r.text).
func (r *xlsxSheetReader) cell(col, num, typ int, typText string, style int, hasV, inIS bool) (Cell, error) {
	text := r.text
	switch typ {
	case xlsxTypeShared:
		if !hasV {
			return Cell{}, nil
		}
		i, ok := xlsxParseUint(bytes.TrimSpace(text))
		if !ok || i >= r.book.sst.len() {
			return Cell{}, r.damagedAt(col, num, "shared string %q does not exist (the table has %d)", text, r.book.sst.len())
		}
		s := r.book.sst.at(i)
		if s == "" {
			return Cell{}, nil
		}
		return Cell{Text: s, Kind: CellText}, nil
	case xlsxTypeInline:
		if !inIS || len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: xlsxUnescape(string(text)), Kind: CellText}, nil
	case xlsxTypeFormula:
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellText}, nil
	case xlsxTypeBool:
		switch string(bytes.TrimSpace(text)) {
		case "":
			return Cell{}, nil
		case "1", "true", "TRUE":
			return Cell{Text: "TRUE", Kind: CellBool}, nil
		case "0", "false", "FALSE":
			return Cell{Text: "FALSE", Kind: CellBool}, nil
		}
		return Cell{}, r.damagedAt(col, num, "bad boolean %q", text)
	case xlsxTypeError:
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellError}, nil
	case xlsxTypeDate:
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellDate}, nil
	case xlsxTypeNumber:
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			return Cell{}, nil
		}
		c := Cell{Text: xlsxNumberText(text), Kind: CellNumber}
		if style >= 0 && style < len(r.book.xfKind) {
			switch r.book.xfKind[style] {
			case xlsxFmtPercent:
				c.Percent = true
			case xlsxFmtDate:
				c.Date = true
			}
		}
		return c, nil
	}
	return Cell{}, r.damagedAt(col, num, "unknown cell type %q", typText)
}

// xlsxSmallInts holds the texts "0" to "99", so that the commonest numbers
// (quantities, flags) cost no allocation.
var xlsxSmallInts = func() (t [100]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return
}()

func xlsxNumberText(b []byte) string {
	switch {
	case len(b) == 1 && b[0] >= '0' && b[0] <= '9':
		return xlsxSmallInts[b[0]-'0']
	case len(b) == 2 && b[0] >= '1' && b[0] <= '9' && b[1] >= '0' && b[1] <= '9':
		return xlsxSmallInts[int(b[0]-'0')*10+int(b[1]-'0')]
	}
	return string(b)
}

// xlsxParseUint parses a decimal non-negative int of at most 9 digits.
func xlsxParseUint[T string | []byte](s T) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// xlsxParseRef parses an A1 cell reference and returns its 0-based column;
// the row must be valid but is not returned (the row element's number
// wins).
func xlsxParseRef[T string | []byte](ref T) (int, bool) {
	i, col := 0, 0
	for ; i < len(ref) && i < 3; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a') + 1
	}
	if i == 0 || col > sheetMaxCols {
		return 0, false
	}
	n, ok := xlsxParseUint(ref[i:])
	if !ok || n < 1 || n > sheetMaxRows {
		return 0, false
	}
	return col - 1, true
}
