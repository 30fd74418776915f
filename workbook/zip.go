package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	kflate "github.com/klauspost/compress/flate"
)

// Opening an .xlsx: the zip archive, its parts and relationships, and the
// byte limits every part is read under (Limits). The workbook reader
// streams SpreadsheetML itself (archive/zip and the XML tokenizer of
// xml.go) instead of going through excelize: excelize's row
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
	sst      sharedStrings        // shared strings
	xfKind   []uint8              // cellXfs index → fmtOther, fmtPercent or fmtDate
	parts    map[string]string    // sheet name → worksheet part ("" when the relationship is missing)
	date1904 bool
	// rowCounts are the worksheets' rows counted ahead of reading
	// (rows.go), -1 where the count could not tell.
	rowCounts map[*zip.File]int
	countMu   sync.Mutex // guards rowCounts: row readers may be opened concurrently
}

// Number format classes of a cell style.
const (
	fmtOther uint8 = iota
	fmtPercent
	fmtDate
)

// partBufSize is the initial read buffer of one part; it grows only for a
// token longer than that, up to the token budget.
const partBufSize = 64 << 10

// maxDepth bounds element nesting; SpreadsheetML needs a dozen levels.
const maxDepth = 256

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func isOLE(b []byte) bool {
	return len(b) >= len(oleMagic) && bytes.Equal(b[:len(oleMagic)], oleMagic)
}

func isZip(b []byte) bool {
	return len(b) >= 4 && b[0] == 'P' && b[1] == 'K' &&
		(b[2] == 3 && b[3] == 4 || b[2] == 5 && b[3] == 6 || b[2] == 7 && b[3] == 8)
}

// OpenXLSX opens the workbook in r (size bytes; name is used in messages).
// It reads the workbook, its relationships, the shared strings and the
// styles; worksheets are streamed later by Rows.
func OpenXLSX(r io.ReaderAt, size int64, name string, lim Limits) (*Book, error) {
	lim = lim.withDefaults()
	if err := checkZipMagic(r, size, name); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrDamaged, err)
	}
	zr.RegisterDecompressor(zip.Deflate, inflater)
	x, err := indexEntries(zr, name, lim)
	if err != nil {
		return nil, err
	}
	wbPart, err := x.workbookPart()
	if err != nil {
		return nil, err
	}
	sheets, err := x.readWorkbook(wbPart)
	if err != nil {
		return nil, err
	}
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: %w: %s lists no sheets", name, ErrDamaged, wbPart)
	}
	parts, err := x.workbookParts(wbPart)
	if err != nil {
		return nil, err
	}
	if err := x.readTables(parts, sheets); err != nil {
		return nil, err
	}
	b := &Book{name: name, xlsx: x, date1904: x.date1904}
	x.parts = make(map[string]string, len(sheets))
	for _, s := range sheets {
		if _, dup := x.parts[s.name]; dup {
			continue
		}
		x.parts[s.name] = parts.byID[s.rid]
		b.sheets = append(b.sheets, s.name)
	}
	return b, nil
}

// inflater is klauspost/compress's inflater, which the report already
// uses to deflate: it inflates a million-line sheet in about three
// quarters of compress/flate's time. archive/zip still checks each
// part's CRC and the reader its sizes, whichever inflates.
func inflater(r io.Reader) io.ReadCloser { return kflate.NewReader(r) }

// checkZipMagic tells from the first bytes what a file that is not a zip
// archive is (an OLE file: encrypted or an old .xls; empty; something
// else), so the message can say what to do.
func checkZipMagic(r io.ReaderAt, size int64, name string) error {
	var magic [8]byte
	n, err := r.ReadAt(magic[:], 0)
	if err != nil && err != io.EOF {
		return fmt.Errorf("%s: %w", name, err) // a read error, or the reader's context done
	}
	switch {
	case isOLE(magic[:n]):
		return oleError(r, size, name) // encrypted, an old .xls, or which cannot be told
	case n == 0:
		return fmt.Errorf("%s: %w: the file is empty", name, ErrNotWorkbook)
	case !isZip(magic[:n]):
		return fmt.Errorf("%s: %w: it is not a zip archive (an .xls, HTML or XML spreadsheet must be opened in Excel and saved as .xlsx)", name, ErrNotWorkbook)
	}
	return nil
}

// indexEntries indexes the archive's entries by part name. Two entries
// of one name are refused: readers disagree on which wins (openpyxl takes
// the last, this reader the first), and a file that reads differently
// elsewhere must not pass.
func indexEntries(zr *zip.Reader, name string, lim Limits) (*xlsxBook, error) {
	x := &xlsxBook{name: name, lim: lim, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		key := partKey(f.Name)
		if first, dup := x.files[key]; dup && !strings.HasSuffix(key, "/") {
			return nil, fmt.Errorf("%s: %w: the zip archive holds two entries named %q and %q", name, ErrDamaged, first.Name, f.Name)
		}
		x.files[key] = f
	}
	return x, nil
}

// workbookPart is the workbook's part as the package relationships name
// it, else the usual xl/workbook.xml; an error when it is missing.
func (x *xlsxBook) workbookPart() (string, error) {
	wbPart := "xl/workbook.xml"
	if _, ok := x.files["_rels/.rels"]; ok {
		rels, err := x.readRels("_rels/.rels")
		if err != nil {
			return "", err
		}
		for _, rel := range rels {
			if strings.HasSuffix(rel.typ, "/officeDocument") {
				wbPart = resolvePart("", rel.target)
				break
			}
		}
	}
	if x.files[partKey(wbPart)] == nil {
		return "", x.notWorkbook()
	}
	return wbPart, nil
}

// bookParts are the parts the workbook's relationships name: each
// sheet's by relationship id, the shared strings and the styles (the
// usual names beside the workbook when not named).
type bookParts struct {
	byID                map[string]string
	sstPart, stylesPart string
}

// workbookParts reads the workbook's relationships.
func (x *xlsxBook) workbookParts(wbPart string) (bookParts, error) {
	relsPart := path.Join(path.Dir(wbPart), "_rels", path.Base(wbPart)+".rels")
	p := bookParts{byID: map[string]string{}}
	if _, ok := x.files[partKey(relsPart)]; ok {
		rels, err := x.readRels(relsPart)
		if err != nil {
			return p, err
		}
		for _, rel := range rels {
			if rel.external {
				continue
			}
			target := resolvePart(wbPart, rel.target)
			p.byID[rel.id] = target
			switch {
			case strings.HasSuffix(rel.typ, "/sharedStrings"):
				p.sstPart = target
			case strings.HasSuffix(rel.typ, "/styles"):
				p.stylesPart = target
			}
		}
	}
	dir := path.Dir(wbPart)
	if p.sstPart == "" {
		p.sstPart = path.Join(dir, "sharedStrings.xml")
	}
	if p.stylesPart == "" {
		p.stylesPart = path.Join(dir, "styles.xml")
	}
	return p, nil
}

// readTables reads the shared strings (within the cap the sheets allow)
// and the styles' number formats, when the archive holds them.
func (x *xlsxBook) readTables(p bookParts, sheets []sheetRef) error {
	var err error
	if _, ok := x.files[partKey(p.sstPart)]; ok {
		if x.sst, err = x.readSharedStrings(p.sstPart, x.sharedStringsCap(sheets, p.byID)); err != nil {
			return err
		}
	}
	if _, ok := x.files[partKey(p.stylesPart)]; ok {
		if x.xfKind, err = x.readStyles(p.stylesPart); err != nil {
			return err
		}
	}
	return nil
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

// partKey normalises a zip entry or part name for lookup: part names
// are case-insensitive in OPC.
func partKey(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	return strings.ToLower(strings.TrimPrefix(name, "/"))
}

// resolvePart resolves a relationship target against the part that owns
// the relationship ("" for the package root).
func resolvePart(base, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return path.Clean(path.Join(path.Dir(base), target))
}

// --- reading parts ---------------------------------------------------------

// partCounter counts the uncompressed bytes read from one part, against the
// book's total and the part's own limit.
type partCounter struct {
	r         io.Reader
	book      *xlsxBook
	part      string
	n         int64 // bytes read from this part
	partLimit int64 // 0: none (worksheets)
	err       error
}

func (c *partCounter) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	lim := c.book.lim
	switch {
	case c.book.total.Add(int64(n)) > lim.MaxUnzipped:
		c.err = fmt.Errorf("%s: %w: %s: the workbook unzips to more than %s (raise the limit with --max-unzipped)",
			c.book.name, ErrTooLarge, c.part, byteSize(lim.MaxUnzipped))
	case c.partLimit > 0 && c.n > c.partLimit:
		c.err = fmt.Errorf("%s: %w: %s unzips to more than %s (raise the limit with --max-unzipped)",
			c.book.name, ErrTooLarge, c.part, byteSize(c.partLimit))
	}
	if c.err != nil {
		return 0, c.err
	}
	return n, err
}

// checkDeclared refuses a part whose size as its zip entry declares it
// passes a limit, before a byte of it is inflated: archive/zip holds an
// entry to its declared size (more is an error), so what a part declares
// bounds what reading it costs, and a lie only ends reading sooner. The
// counter still counts what is read, for parts read more than once.
func (x *xlsxBook) checkDeclared(f *zip.File, part string, partLimit int64) error {
	size := f.UncompressedSize64
	switch {
	case size > uint64(x.lim.MaxUnzipped) || x.total.Load()+int64(size) > x.lim.MaxUnzipped:
		return fmt.Errorf("%s: %w: %s: the workbook unzips to more than %s (raise the limit with --max-unzipped)",
			x.name, ErrTooLarge, part, byteSize(x.lim.MaxUnzipped))
	case partLimit > 0 && size > uint64(partLimit):
		return fmt.Errorf("%s: %w: %s unzips to more than %s (raise the limit with --max-unzipped)",
			x.name, ErrTooLarge, part, byteSize(partLimit))
	}
	return nil
}

// byteSize formats a byte count for messages.
func byteSize(n int64) string {
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

// partScanner reads the XML tokens of one part, keeping the stack of open
// elements: the tokenizer does not check nesting.
type partScanner struct {
	book      *xlsxBook
	part      string
	rc        io.ReadCloser
	cnt       *partCounter
	xt        *tokenizer
	stack     []string // local names of the open elements
	seenRoot  bool
	needClose bool // the last start tag was self-closing
}

// open starts reading part; partLimit 0 streams it (worksheets).
func (x *xlsxBook) open(part string, partLimit int64) (*partScanner, error) {
	f := x.files[partKey(part)]
	if f == nil {
		return nil, fmt.Errorf("%s: %w: part %s is missing", x.name, ErrDamaged, part)
	}
	if err := x.checkDeclared(f, part, partLimit); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s: %w", x.name, ErrDamaged, part, err)
	}
	cnt := &partCounter{r: rc, book: x, part: part, partLimit: partLimit}
	return &partScanner{book: x, part: part, rc: rc, cnt: cnt,
		xt: newTokenizer(cnt, int(x.lim.tokenBudget())), stack: make([]string, 0, 16)}, nil
}

func (s *partScanner) close() error { return s.rc.Close() }

func (s *partScanner) damagedf(format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s: %s", s.book.name, ErrDamaged, s.part, fmt.Sprintf(format, args...))
}

// token returns the next token; io.EOF only at a clean end of the
// document. Any other error is already wrapped. The token is valid until
// the next call.
func (s *partScanner) token() (*token, error) {
	if s.needClose {
		s.needClose = false
		tok := &s.xt.tok
		tok.kind, tok.attrs, tok.text = tokenEnd, tok.attrs[:0], nil
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
				s.book.name, ErrTooLarge, s.part, byteSize(s.book.lim.tokenBudget()))
		}
		return nil, fmt.Errorf("%s: %w: %s: %w", s.book.name, ErrDamaged, s.part, err)
	}
	switch tok.kind {
	case tokenStart:
		if len(s.stack) == 0 && s.seenRoot {
			return nil, s.damagedf("a second root element <%s>", tok.name)
		}
		if len(s.stack) >= maxDepth {
			return nil, s.damagedf("elements nested more than %d deep", maxDepth)
		}
		s.seenRoot = true
		s.stack = append(s.stack, tok.name)
		s.needClose = tok.selfClose
	case tokenEnd:
		if len(s.stack) == 0 || s.stack[len(s.stack)-1] != tok.name {
			return nil, s.damagedf("unexpected </%s>", tok.name)
		}
		s.stack = s.stack[:len(s.stack)-1]
	}
	return tok, nil
}

// depth is the number of open elements (1 inside the root element).
func (s *partScanner) depth() int { return len(s.stack) }

// parent is the local name of the element enclosing the innermost one.
func (s *partScanner) parent() string {
	if len(s.stack) < 2 {
		return ""
	}
	return s.stack[len(s.stack)-2]
}

type relationship struct {
	id, typ, target string
	external        bool
}

func (x *xlsxBook) readRels(part string) ([]relationship, error) {
	s, err := x.open(part, x.lim.MaxPartBytes)
	if err != nil {
		return nil, err
	}
	defer s.close()
	var rels []relationship
	for {
		tok, err := s.token()
		if err == io.EOF {
			return rels, nil
		}
		if err != nil {
			return nil, err
		}
		if tok.kind == tokenStart && tok.name == "Relationship" {
			var r relationship
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

type sheetRef struct{ name, rid string }

func (x *xlsxBook) readWorkbook(part string) ([]sheetRef, error) {
	s, err := x.open(part, x.lim.MaxPartBytes)
	if err != nil {
		return nil, err
	}
	defer s.close()
	var sheets []sheetRef
	for {
		tok, err := s.token()
		if err == io.EOF {
			return sheets, nil
		}
		if err != nil {
			return nil, err
		}
		if tok.kind != tokenStart {
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
			var ref sheetRef
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
