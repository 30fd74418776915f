package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// The worksheet reader: <sheetData> streamed row by row into Cells, each
// with its kind and number format (styles.go) and its shared string
// resolved.

// rows opens the worksheet of the named sheet for streaming.
func (x *xlsxBook) rows(sheet string) (rowSource, error) {
	part := x.parts[sheet]
	if part == "" {
		return nil, fmt.Errorf("%s: %w: sheet %q has no worksheet part", x.name, ErrDamaged, sheet)
	}
	f := x.files[partKey(part)]
	if f == nil {
		return nil, fmt.Errorf("%s: %w: part %s is missing", x.name, ErrDamaged, part)
	}
	if err := x.checkDeclared(f, "sheet "+sheet, 0); err != nil {
		return nil, err
	}
	rows, err := x.countRows(f, sheet)
	if err != nil {
		return nil, err
	}
	s, err := x.open(part, 0)
	if err != nil {
		return nil, err
	}
	s.part = "sheet " + sheet // messages name the sheet, not its part
	s.cnt.part = s.part
	return &xlsxSheetReader{book: x, sheet: sheet, sc: s, partSize: f.UncompressedSize64, rows: rows}, nil
}

// Row counts ahead of reading (rowcount.go). A sheet whose XML could hold
// more rows than a sheet has (at least minRowTag bytes a row) and that
// deflates more than bombRatio-fold is counted before its rows are read:
// such XML inflates cheaply, the count costs about a twentieth of
// reading it, and a zip bomb of a million rows is then refused before
// the caller builds anything. Ordinary sheets deflate five- to
// fifteen-fold and are not counted, so that reading a million rows of
// them costs no more than it did.
const (
	minRowTag = len("<row/>")
	bombRatio = 20
)

// countRows counts the rows of sheet's part f ahead of reading when it
// may be a zip bomb (see bombRatio), refusing more than a sheet holds;
// -1 when it is not counted or the count cannot tell. Counts are kept:
// a sheet opened again is not counted again.
func (x *xlsxBook) countRows(f *zip.File, sheet string) (int, error) {
	size := f.UncompressedSize64
	if size < uint64(maxRows+1)*uint64(minRowTag) || size < bombRatio*f.CompressedSize64 {
		return -1, nil
	}
	x.countMu.Lock()
	defer x.countMu.Unlock()
	if n, ok := x.rowCounts[f]; ok {
		return n, nil
	}
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("%s: %w: sheet %s: %w", x.name, ErrDamaged, sheet, err)
	}
	n, ok := countRows(rc, maxRows)
	rc.Close()
	switch {
	case !ok:
		n = -1
	case n > maxRows:
		return 0, fmt.Errorf("%s: %w: sheet %s holds more than %d rows, the most a sheet has", x.name, ErrTooLarge, sheet, maxRows)
	}
	if x.rowCounts == nil {
		x.rowCounts = map[*zip.File]int{}
	}
	x.rowCounts[f] = n
	return n, nil
}

// Worksheet reader states.
const (
	beforeSheetData = iota
	inSheetData
	afterSheetData
)

// xlsxSheetReader streams <sheetData>: worksheet(1) / sheetData(2) /
// row(3) / c(4) / v, is, f(5) / t, r, rPh(6) / t(7).
type xlsxSheetReader struct {
	book    *xlsxBook
	sheet   string
	sc      *partScanner
	state   int
	prevRow int
	text    []byte
	err     error

	dimRows  int    // the last row of the sheet's <dimension>, 0 when none
	partSize uint64 // the sheet XML's size as the zip declares it
	rows     int    // the rows counted ahead of reading, -1 when not counted
}

func (r *xlsxSheetReader) close() error { return r.sc.close() }

func (r *xlsxSheetReader) bytes() int64 { return int64(min(r.partSize, 1<<62)) }

// minRowBytes is about the least XML a row with a cell takes
// (<row r="1"><c r="A1"><v>1</v></c></row>), which bounds the row count a
// sheet's size allows.
const minRowBytes = 40

// rowsHint is the count of the sheet's rows when it was counted, else
// its declared last row, trusted only as far as the size of its XML
// allows: a wrong dimension must not make a caller size its slices for a
// million rows. (A sheet is counted when its XML deflates so well that
// its declared size says little; otherwise that size is at most
// bombRatio times the compressed size.)
func (r *xlsxSheetReader) rowsHint() int {
	if r.rows >= 0 {
		return r.rows
	}
	return int(min(uint64(r.dimRows), r.partSize/minRowBytes))
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
	if r.state == afterSheetData {
		return io.EOF
	}
	sc := r.sc
	for {
		if r.state == inSheetData && !sc.needClose && sc.depth() == 2 && fastPaths {
			if num, hasNum, ok := plainRowStart(sc.xt); ok {
				sc.stack = append(sc.stack, "row")
				return r.readRow(num, hasNum, row)
			}
		}
		tok, err := sc.token()
		if err != nil {
			if err == io.EOF {
				r.state = afterSheetData
			}
			return err
		}
		switch tok.kind {
		case tokenStart:
			switch {
			case r.state == beforeSheetData && tok.name == "dimension" && sc.depth() == 2:
				r.dimRows = dimensionRows(tok)
			case r.state == beforeSheetData && tok.name == "sheetData" && sc.depth() == 2:
				r.state = inSheetData
			case r.state == inSheetData && tok.name == "row" && sc.depth() == 3:
				v, hasNum := tok.attr("r")
				return r.readRow(v, hasNum, row)
			}
		case tokenEnd:
			if r.state == inSheetData && sc.depth() == 1 {
				// </sheetData>: what follows (merged cells, extensions) is
				// not needed.
				r.state = afterSheetData
				return io.EOF
			}
		}
	}
}

// dimensionRows returns the last row of a <dimension ref="A1:T500">,
// 0 when the reference does not say.
func dimensionRows(tok *token) int {
	ref, _ := tok.attr("ref")
	if i := bytes.LastIndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	ref = bytes.TrimLeft(ref, "$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
	n, ok := parseUint(ref)
	if !ok || n > maxRows {
		return 0
	}
	return n
}

func (r *xlsxSheetReader) damagedAt(col, rowNum int, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s!%s: %s", r.book.name, ErrDamaged, r.sheet, cellName(col, rowNum), fmt.Sprintf(format, args...))
}

// Cell types (the t attribute).
const (
	typeNumber  = iota // n, or none
	typeShared         // s
	typeInline         // inlineStr
	typeFormula        // str
	typeBool           // b
	typeError          // e
	typeDate           // d
	typeUnknown
)

func cellType(v []byte) int {
	switch string(v) {
	case "", "n":
		return typeNumber
	case "s":
		return typeShared
	case "inlineStr":
		return typeInline
	case "str":
		return typeFormula
	case "b":
		return typeBool
	case "e":
		return typeError
	case "d":
		return typeDate
	}
	return typeUnknown
}

// readRow reads the cells of the <row> just opened, whose r attribute is
// v when hasNum.
func (r *xlsxSheetReader) readRow(v []byte, hasNum bool, row *Row) error {
	sc := r.sc
	num, err := r.rowNumber(v, hasNum)
	if err != nil {
		return err
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
		if !inCell && !sc.needClose && sc.depth() == 3 && fastPaths {
			if plainRowEnd(sc.xt) {
				sc.stack = sc.stack[:2]
				row.Num = num
				row.Cells = trimRow(cells)
				return nil
			}
			if cell, c, ok := r.plainCell(col, num); ok {
				col = c
				cells = putCell(cells, col, cell)
				continue
			}
		}
		var tok *token
		if tok, err = sc.token(); err != nil {
			if err == io.EOF {
				return sc.damagedf("the XML ends inside a row")
			}
			return err
		}
		switch tok.kind {
		case tokenStart:
			d := sc.depth()
			switch {
			case d == 4 && tok.name == "c":
				inCell, inIS, hasV, capture = true, false, false, false
				r.text = r.text[:0]
				var ref []byte
				ref, typ, typText, style = cellAttrs(tok)
				if col, err = r.cellColumn(ref, col, num); err != nil {
					return err
				}
			case !inCell:
			case d == 5 && tok.name == "v":
				capture, hasV = true, true
			case d == 5 && tok.name == "is":
				inIS = true
			case inIS && tok.name == "t" && (d == 6 || d == 7 && sc.stack[5] == "r"):
				capture = true
			}
		case tokenText:
			if capture {
				r.text = append(r.text, tok.text...)
			}
		case tokenEnd:
			capture = false
			switch sc.depth() {
			case 2: // </row>
				row.Num = num
				row.Cells = trimRow(cells)
				return nil
			case 3: // </c>
				if !inCell {
					continue
				}
				inCell = false
				cell, err := r.cell(r.text, col, num, typ, typText, style, hasV, inIS)
				if err != nil {
					return err
				}
				cells = putCell(cells, col, cell)
			}
		}
	}
}

// rowNumber is the number of the <row> just opened: its r attribute v
// when hasNum, else the one after the last. Each row comes once, in
// order, as Excel writes them: a row repeated would read as many lines as
// the file can hold.
func (r *xlsxSheetReader) rowNumber(v []byte, hasNum bool) (int, error) {
	num := r.prevRow + 1
	if !hasNum {
		if num > maxRows {
			return 0, fmt.Errorf("%s: %w: sheet %s: more than %d rows", r.book.name, ErrDamaged, r.sheet, maxRows)
		}
		return num, nil
	}
	n, ok := parseUint(v)
	if !ok || n < 1 || n > maxRows {
		return 0, fmt.Errorf("%s: %w: sheet %s: bad row number %q (rows are 1 to %d)", r.book.name, ErrDamaged, r.sheet, v, maxRows)
	}
	if n <= r.prevRow {
		return 0, fmt.Errorf("%s: %w: sheet %s: row %d comes after row %d (row numbers must increase)", r.book.name, ErrDamaged, r.sheet, n, r.prevRow)
	}
	return n, nil
}

// cellAttrs reads a <c> start tag's reference, type (typText keeps a
// type this reader does not know, for its message) and style (-1 when
// none).
func cellAttrs(tok *token) (ref []byte, typ int, typText string, style int) {
	typ, style = typeNumber, -1
	for _, a := range tok.attrs {
		if len(a.space) > 0 || len(a.local) != 1 {
			continue
		}
		switch a.local[0] {
		case 'r':
			ref = a.value
		case 't':
			if typ = cellType(a.value); typ == typeUnknown {
				typText = string(a.value)
			}
		case 's':
			if n, ok := parseUint(a.value); ok {
				style = n
			}
		}
	}
	return ref, typ, typText, style
}

// cellColumn is the column of a cell: its reference's, else the one
// after the previous cell's (prev).
func (r *xlsxSheetReader) cellColumn(ref []byte, prev, num int) (int, error) {
	if ref != nil {
		c, ok := parseRef(ref)
		if !ok {
			return 0, fmt.Errorf("%s: %w: sheet %s, row %d: bad cell reference %q", r.book.name, ErrDamaged, r.sheet, num, ref)
		}
		return c, nil
	}
	if prev+1 >= maxCols {
		return 0, fmt.Errorf("%s: %w: sheet %s, row %d: more than %d columns", r.book.name, ErrDamaged, r.sheet, num, maxCols)
	}
	return prev + 1, nil
}

// putCell sets cells[col], growing cells with empty cells up to it.
// Rows reuse their cells' room, so the cells skipped are mostly cleared
// within it, at once rather than one append each.
func putCell(cells []Cell, col int, cell Cell) []Cell {
	if n := len(cells); col >= n {
		if col < cap(cells) {
			cells = cells[:col+1]
			clear(cells[n:col])
		} else {
			cells = append(cells, make([]Cell, col+1-n)...)
		}
	}
	cells[col] = cell
	return cells
}

// cell makes the cell just read, whose <v> or <is> held text.
func (r *xlsxSheetReader) cell(text []byte, col, num, typ int, typText string, style int, hasV, inIS bool) (Cell, error) {
	switch typ {
	case typeShared:
		if !hasV {
			return Cell{}, nil
		}
		i, ok := parseUint(text)
		if !ok {
			i, ok = parseUint(bytes.TrimSpace(text)) // digits alone need no trimming
		}
		if !ok || i >= r.book.sst.len() {
			return Cell{}, r.damagedAt(col, num, "shared string %q does not exist (the table has %d)", text, r.book.sst.len())
		}
		s := r.book.sst.at(i)
		if s == "" {
			return Cell{}, nil
		}
		return Cell{Text: s, Kind: CellText}, nil
	case typeInline:
		if !inIS || len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: unescape(string(text)), Kind: CellText}, nil
	case typeFormula:
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellText}, nil
	case typeBool:
		switch string(bytes.TrimSpace(text)) {
		case "":
			return Cell{}, nil
		case "1", "true", "TRUE":
			return Cell{Text: "TRUE", Kind: CellBool}, nil
		case "0", "false", "FALSE":
			return Cell{Text: "FALSE", Kind: CellBool}, nil
		}
		return Cell{}, r.damagedAt(col, num, "bad boolean %q", text)
	case typeError:
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellError}, nil
	case typeDate:
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			return Cell{}, nil
		}
		return Cell{Text: string(text), Kind: CellDate}, nil
	case typeNumber:
		text = trimSpace(text)
		if len(text) == 0 {
			return Cell{}, nil
		}
		c := Cell{Text: numberText(text), Kind: CellNumber}
		if style >= 0 && style < len(r.book.xfKind) {
			switch r.book.xfKind[style] {
			case fmtPercent:
				c.Percent = true
			case fmtDate:
				c.Date = true
			}
		}
		return c, nil
	}
	return Cell{}, r.damagedAt(col, num, "unknown cell type %q", typText)
}

// trimSpace is bytes.TrimSpace, without its call for the text of nearly
// every number: one that starts and ends with printable ASCII.
func trimSpace(b []byte) []byte {
	if n := len(b); n > 0 && b[0] > ' ' && b[0] < 0x7f && b[n-1] > ' ' && b[n-1] < 0x7f {
		return b
	}
	return bytes.TrimSpace(b)
}

// smallIntTexts holds the texts "0" to "99", so that the commonest numbers
// (quantities, flags) cost no allocation.
var smallIntTexts = func() (t [100]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return
}()

func numberText(b []byte) string {
	switch {
	case len(b) == 1 && b[0] >= '0' && b[0] <= '9':
		return smallIntTexts[b[0]-'0']
	case len(b) == 2 && b[0] >= '1' && b[0] <= '9' && b[1] >= '0' && b[1] <= '9':
		return smallIntTexts[int(b[0]-'0')*10+int(b[1]-'0')]
	}
	return string(b)
}

// parseUint parses a decimal non-negative int of at most 9 digits.
func parseUint[T string | []byte](s T) (int, bool) {
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

// parseRef parses an A1 cell reference and returns its 0-based column;
// the row must be valid but is not returned (the row element's number
// wins).
func parseRef[T string | []byte](ref T) (int, bool) {
	i, col := 0, 0
	for ; i < len(ref) && i < 3; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a') + 1
	}
	if i == 0 || col > maxCols {
		return 0, false
	}
	n, ok := parseUint(ref[i:])
	if !ok || n < 1 || n > maxRows {
		return 0, false
	}
	return col - 1, true
}
