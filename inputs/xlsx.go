package inputs

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"
)

// The workbook reader streams SpreadsheetML itself (archive/zip and
// encoding/xml's RawToken) instead of going through excelize: excelize's
// row iterator returns only strings, hiding the number format that tells a
// percentage (stored 0.05, shown 5%) or a date from a plain number, and it is
// several times slower. Elements are matched by local name, so documents
// written with a prefix (x:worksheet, x:c) read the same.

// xlsxBook is the workbook side of a Book.
type xlsxBook struct {
	name     string
	lim      Limits
	files    map[string]*zip.File // by lower-case part name
	total    atomic.Int64         // uncompressed bytes read so far, all parts
	sst      []string             // shared strings
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

// xlsxBufSize is the read buffer of one part. The token budget allows for
// it: the bytes pulled while reading one token may include a buffer's worth
// read ahead.
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
	n, _ := r.ReadAt(magic[:], 0)
	switch {
	case xlsxIsOLEMagic(magic[:n]):
		return nil, fmt.Errorf("%s: %w: save it as .xlsx without a password", name, ErrEncrypted)
	case n == 0:
		return nil, fmt.Errorf("%s: %w: the file is empty", name, ErrNotWorkbook)
	case !xlsxIsZipMagic(magic[:n]):
		return nil, fmt.Errorf("%s: %w: it is not a zip archive (an .xls, HTML or XML spreadsheet must be opened in Excel and saved as .xlsx)", name, ErrNotWorkbook)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrDamaged, err)
	}
	x := &xlsxBook{name: name, lim: lim, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		key := xlsxPartKey(f.Name)
		if _, dup := x.files[key]; !dup {
			x.files[key] = f
		}
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
		if x.sst, err = x.readSharedStrings(sstPart); err != nil {
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
// book's total, the part's own limit and the budget of one XML token.
type xlsxCounter struct {
	r         io.Reader
	book      *xlsxBook
	part      string
	n         int64 // bytes read from this part
	mark      int64 // n at the start of the current token
	partLimit int64 // 0: none (worksheets)
	budget    int64 // most bytes one token may take
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
	case c.n-c.mark > c.budget+xlsxBufSize:
		c.err = fmt.Errorf("%s: %w: %s: one XML element or text is longer than %s (raise the limit with --max-unzipped)",
			c.book.name, ErrTooLarge, c.part, sheetBytes(c.budget))
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

// xlsxScanner reads the raw XML tokens of one part, keeping the stack of
// open elements (RawToken does not check nesting) and the token budget.
type xlsxScanner struct {
	book     *xlsxBook
	part     string
	rc       io.ReadCloser
	cnt      *xlsxCounter
	dec      *xml.Decoder
	stack    []string // local names of the open elements
	seenRoot bool
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
	cnt := &xlsxCounter{r: rc, book: x, part: part, partLimit: partLimit, budget: x.lim.tokenBudget()}
	dec := xml.NewDecoder(bufio.NewReaderSize(cnt, xlsxBufSize))
	dec.Strict = true
	return &xlsxScanner{book: x, part: part, rc: rc, cnt: cnt, dec: dec, stack: make([]string, 0, 16)}, nil
}

func (s *xlsxScanner) close() error { return s.rc.Close() }

// damaged wraps a cause as ErrDamaged, naming the file and part; errors
// that already carry a sentinel (a limit) pass unchanged.
func (s *xlsxScanner) damaged(err error) error {
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrDamaged) {
		return err
	}
	return fmt.Errorf("%s: %w: %s: %w", s.book.name, ErrDamaged, s.part, err)
}

func (s *xlsxScanner) damagedf(format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s: %s", s.book.name, ErrDamaged, s.part, fmt.Sprintf(format, args...))
}

// token returns the next raw token; io.EOF only at a clean end of the
// document. Any other error is already wrapped.
func (s *xlsxScanner) token() (xml.Token, error) {
	s.cnt.mark = s.cnt.n
	tok, err := s.dec.RawToken()
	if err != nil {
		if err == io.EOF {
			if len(s.stack) > 0 {
				return nil, s.damagedf("the XML ends inside <%s>", s.stack[len(s.stack)-1])
			}
			if !s.seenRoot {
				return nil, s.damagedf("the part holds no XML")
			}
			return nil, io.EOF
		}
		return nil, s.damaged(err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if len(s.stack) == 0 && s.seenRoot {
			return nil, s.damagedf("a second root element <%s>", t.Name.Local)
		}
		if len(s.stack) >= xlsxMaxDepth {
			return nil, s.damagedf("elements nested more than %d deep", xlsxMaxDepth)
		}
		s.seenRoot = true
		s.stack = append(s.stack, t.Name.Local)
	case xml.EndElement:
		if len(s.stack) == 0 || s.stack[len(s.stack)-1] != t.Name.Local {
			return nil, s.damagedf("unexpected </%s>", t.Name.Local)
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

func xlsxAttr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
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
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "Relationship" {
			var r xlsxRel
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "Id":
					r.id = a.Value
				case "Type":
					r.typ = a.Value
				case "Target":
					r.target = a.Value
				case "TargetMode":
					r.external = strings.EqualFold(a.Value, "External")
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
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch t.Name.Local {
		case "workbookPr":
			if v, ok := xlsxAttr(t, "date1904"); ok {
				x.date1904 = v == "1" || v == "true"
			}
		case "sheet":
			if s.parent() != "sheets" {
				continue
			}
			var ref xlsxSheetRef
			for _, a := range t.Attr {
				switch {
				case a.Name.Local == "name" && a.Name.Space == "":
					ref.name = a.Value
				case a.Name.Local == "id" && a.Name.Space != "" && a.Name.Space != "xmlns":
					ref.rid = a.Value
				}
			}
			if ref.name == "" {
				return nil, s.damagedf("a sheet without a name")
			}
			sheets = append(sheets, ref)
		}
	}
}

// readSharedStrings reads the shared string table: each <si> is its <t>,
// or its rich text runs' <t> concatenated; phonetic runs (<rPh>) are left
// out.
func (x *xlsxBook) readSharedStrings(part string) ([]string, error) {
	s, err := x.open(part, x.lim.MaxPartBytes)
	if err != nil {
		return nil, err
	}
	defer s.close()
	var (
		table   []string
		buf     []byte
		inSI    bool
		rphAt   int // depth of an open <rPh>, 0 if none
		capture bool
	)
	for {
		tok, err := s.token()
		if err == io.EOF {
			return table, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sst":
				if v, ok := xlsxAttr(t, "uniqueCount"); ok && table == nil {
					// A hint only: never trust it beyond what the part can hold.
					if n, err := strconv.Atoi(v); err == nil && n > 0 {
						table = make([]string, 0, min(n, int(x.lim.MaxPartBytes/16), 1<<20))
					}
				}
			case "si":
				if s.depth() == 2 {
					inSI, rphAt, buf = true, 0, buf[:0]
				}
			case "rPh":
				if inSI && rphAt == 0 {
					rphAt = s.depth()
				}
			case "t":
				capture = inSI && rphAt == 0
			}
		case xml.EndElement:
			capture = false
			switch {
			case t.Name.Local == "si" && inSI && s.depth() == 1:
				inSI = false
				table = append(table, xlsxUnescape(string(buf)))
			case rphAt > 0 && s.depth() < rphAt:
				rphAt = 0
			}
		case xml.CharData:
			if capture {
				buf = append(buf, t...)
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
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case t.Name.Local == "numFmt" && s.parent() == "numFmts":
			idText, _ := xlsxAttr(t, "numFmtId")
			code, _ := xlsxAttr(t, "formatCode")
			if id, err := strconv.Atoi(idText); err == nil {
				custom[id] = code
			}
		case t.Name.Local == "xf" && s.parent() == "cellXfs":
			id := 0
			if v, ok := xlsxAttr(t, "numFmtId"); ok {
				id, _ = strconv.Atoi(v)
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
	return &xlsxSheetReader{book: x, sheet: sheet, sc: s}, nil
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
}

func (r *xlsxSheetReader) close() error { return r.sc.close() }

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
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case r.state == xlsxBeforeData && t.Name.Local == "sheetData" && sc.depth() == 2:
				r.state = xlsxInData
			case r.state == xlsxInData && t.Name.Local == "row" && sc.depth() == 3:
				return r.readRow(t, row)
			}
		case xml.EndElement:
			if r.state == xlsxInData && sc.depth() == 1 {
				// </sheetData>: what follows (merged cells, extensions) is
				// not needed.
				r.state = xlsxDone
				return io.EOF
			}
		}
	}
}

func (r *xlsxSheetReader) damagedAt(col, rowNum int, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s!%s: %s", r.book.name, ErrDamaged, r.sheet, sheetCellName(col, rowNum), fmt.Sprintf(format, args...))
}

// readRow reads the cells of the <row> just opened by start.
func (r *xlsxSheetReader) readRow(start xml.StartElement, row *Row) error {
	sc := r.sc
	num := r.prevRow + 1
	if v, ok := xlsxAttr(start, "r"); ok {
		n, ok := xlsxParseUint(v)
		if !ok || n < 1 || n > sheetMaxRows {
			return fmt.Errorf("%s: %w: sheet %s: bad row number %q (rows are 1 to %d)", r.book.name, ErrDamaged, r.sheet, v, sheetMaxRows)
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
		typ, style                  string
	)
	for {
		tok, err := sc.token()
		if err != nil {
			if err == io.EOF {
				return sc.damagedf("the XML ends inside a row")
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d := sc.depth()
			switch {
			case d == 4 && t.Name.Local == "c":
				inCell, inIS, hasV, capture = true, false, false, false
				typ, style = "", ""
				r.text = r.text[:0]
				ref := ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						ref = a.Value
					case "t":
						typ = a.Value
					case "s":
						style = a.Value
					}
				}
				if ref != "" {
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
			case d == 5 && t.Name.Local == "v":
				capture, hasV = true, true
			case d == 5 && t.Name.Local == "is":
				inIS = true
			case inIS && t.Name.Local == "t" && (d == 6 || d == 7 && sc.stack[5] == "r"):
				capture = true
			}
		case xml.CharData:
			if capture {
				r.text = append(r.text, t...)
			}
		case xml.EndElement:
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
				cell, err := r.cell(col, num, typ, style, hasV, inIS)
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
func (r *xlsxSheetReader) cell(col, num int, typ, style string, hasV, inIS bool) (Cell, error) {
	text := r.text
	switch typ {
	case "s":
		if !hasV {
			return Cell{}, nil
		}
		i, ok := xlsxParseUint(bytes.TrimSpace(text))
		if !ok || i >= len(r.book.sst) {
			return Cell{}, r.damagedAt(col, num, "shared string %q does not exist (the table has %d)", text, len(r.book.sst))
		}
		s := r.book.sst[i]
		if s == "" {
			return Cell{}, nil
		}
		return Cell{Text: s, Kind: CellText}, nil
	case "inlineStr":
		if !inIS || len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: xlsxUnescape(string(text)), Kind: CellText}, nil
	case "str":
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellText}, nil
	case "b":
		switch string(bytes.TrimSpace(text)) {
		case "":
			return Cell{}, nil
		case "1", "true", "TRUE":
			return Cell{Text: "TRUE", Kind: CellBool}, nil
		case "0", "false", "FALSE":
			return Cell{Text: "FALSE", Kind: CellBool}, nil
		}
		return Cell{}, r.damagedAt(col, num, "bad boolean %q", text)
	case "e":
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellError}, nil
	case "d":
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellDate}, nil
	case "", "n":
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			return Cell{}, nil
		}
		c := Cell{Text: xlsxNumberText(text), Kind: CellNumber}
		if style != "" {
			if i, ok := xlsxParseUint(style); ok && i < len(r.book.xfKind) {
				switch r.book.xfKind[i] {
				case xlsxFmtPercent:
					c.Percent = true
				case xlsxFmtDate:
					c.Date = true
				}
			}
		}
		return c, nil
	}
	return Cell{}, r.damagedAt(col, num, "unknown cell type %q", typ)
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
func xlsxParseRef(ref string) (int, bool) {
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
