package workbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// CellKind tells what a cell holds.
type CellKind uint8

// The kinds of cell. A CSV cell is always CellText (or CellEmpty).
const (
	CellEmpty  CellKind = iota // no value (absent, or a styled blank)
	CellText                   // a string: shared, inline, formula result or CSV text
	CellNumber                 // a number as stored; see Cell.Percent and Cell.Date
	CellBool                   // a boolean: Text is "TRUE" or "FALSE"
	CellError                  // an error value such as "#N/A"
	CellDate                   // an ISO 8601 date cell (t="d"): Text as stored
)

var cellKindNames = [...]string{"empty", "text", "number", "bool", "error", "date"}

// String names the kind, for messages and tests.
func (k CellKind) String() string {
	if int(k) < len(cellKindNames) {
		return cellKindNames[k]
	}
	return fmt.Sprintf("CellKind(%d)", uint8(k))
}

// Cell is one cell as read. Text is the stored value as text: a number
// exactly as stored (e.g. "0.05" or "1234.5", never through float64
// formatting), a shared string resolved, a date-formatted number's serial as
// text, a boolean as "TRUE" or "FALSE", an error as its code ("#N/A").
type Cell struct {
	Text    string
	Kind    CellKind
	Percent bool // number formatted as a percentage (stored 0.05, shown 5%)
	Date    bool // number formatted as a date/time (Kind CellNumber, Text the serial)
	// CommaUnsure marks a cell of a CSV file separated by ';', as Excel
	// writes CSV where ',' is the decimal mark: a ',' in a number there
	// may be a decimal mark or a thousands separator (checkComma).
	CommaUnsure bool
}

// Row is one row as read. Num is its 1-based row number in the sheet (for a
// CSV file, the record number, counting blank lines as rows the way a
// spreadsheet shows them); Cells[i] is column i+1 (A is 0). Trailing empty
// cells are absent; rows the sheet does not store are skipped.
type Row struct {
	Num   int
	Cells []Cell
}

// Limits bound what reading a workbook may cost, so that a zip bomb ends in
// an error instead of filling memory or disk.
type Limits struct {
	// MaxUnzipped caps the uncompressed bytes read from all parts of a
	// workbook together, counted while reading (zip headers are not
	// trusted). Worksheets are streamed but count towards it.
	MaxUnzipped int64
	// MaxPartBytes caps one part that is held in memory (shared strings,
	// styles, the workbook and its relationships), and also one XML token or
	// CSV record (capped at 64 MiB), so that a single huge text cannot
	// exhaust memory.
	MaxPartBytes int64
}

// DefaultLimits returns the limits used when none are given: 8 GiB
// unzipped in all, 1 GiB for one part.
func DefaultLimits() Limits {
	return Limits{MaxUnzipped: 8 << 30, MaxPartBytes: 1 << 30}
}

// withDefaults replaces zero or negative fields with the defaults, so that
// the zero Limits means "the defaults" rather than "nothing may be read".
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = d.MaxUnzipped
	}
	if l.MaxPartBytes <= 0 {
		l.MaxPartBytes = d.MaxPartBytes
	}
	return l
}

// tokenBudget is the most one XML token or one CSV record may take.
func (l Limits) tokenBudget() int64 {
	return min(l.MaxPartBytes, maxTokenBytes)
}

// Sheet size limits, those of Excel.
const (
	maxRows       = 1 << 20 // 1,048,576
	maxCols       = 1 << 14 // 16,384 (column XFD)
	maxTokenBytes = 64 << 20
)

// Errors a Book reports, wrapped with the file name and the place; match
// them with errors.Is.
var (
	// ErrNotWorkbook: the file is not an .xlsx workbook (nor a CSV file).
	ErrNotWorkbook = errors.New("not an .xlsx workbook")
	// ErrEncrypted: the workbook is password-protected (encrypted), or an
	// OLE compound file that cannot be told from one. An old .xls file,
	// also an OLE compound file, is ErrNotWorkbook.
	ErrEncrypted = errors.New("password-protected")
	// ErrDamaged: a bad zip, bad XML, or a reference that points nowhere.
	ErrDamaged = errors.New("damaged file")
	// ErrTooLarge: reading would exceed a Limits field.
	ErrTooLarge = errors.New("too large")
)

// Book is an opened input: a workbook, a CSV file or a folder of CSV files.
// Close it when done.
type Book struct {
	ctx      context.Context // nil: reading is never stopped
	name     string
	sheets   []string
	date1904 bool
	xlsx     *xlsxBook
	csv      *csvBook
	closer   io.Closer
	dir      string // the folder on disk the book was read from (Folder), "" for none
}

// OpenFolder opens the folder at path as a book of CSV files: each *.csv
// file in it is a sheet named after the file stem (bom.csv is sheet
// "bom"), in file name order. Reading its rows stops with ctx's error once
// ctx is done. A relative path in its Settings points into the folder
// (Folder). A single file is opened from its bytes: OpenXLSX, OpenCSV.
func OpenFolder(ctx context.Context, path string, lim Limits) (*Book, error) {
	b, err := openCSVDir(os.DirFS(path), ".", path, lim)
	if err != nil {
		return nil, err
	}
	b.ctx, b.dir = ctx, path
	return b, nil
}

// LooksLikeWorkbook reports whether r starts as a zip archive (an .xlsx
// workbook, or another Office file) or an OLE compound file (an encrypted
// workbook or an old .xls): what OpenXLSX reads or explains. It is false
// when r cannot be read; OpenXLSX then says why.
func LooksLikeWorkbook(r io.ReaderAt) bool {
	var magic [8]byte
	n, _ := r.ReadAt(magic[:], 0)
	return isZip(magic[:n]) || isOLE(magic[:n])
}

// InFile says the book was opened from the bytes of f, a file on this
// machine: a relative path in its Settings points into f's folder
// (Folder), and Close closes f.
func (b *Book) InFile(f *os.File) {
	b.dir, b.closer = filepath.Dir(f.Name()), f
}

// Name returns the name the book was opened with (the name given to
// OpenXLSX or OpenCSV, the folder given to OpenFolder or OpenCSVFS), for
// messages.
func (b *Book) Name() string { return b.name }

// Sheets returns the sheet names in workbook order (for a folder of CSV
// files, in file name order).
func (b *Book) Sheets() []string { return append([]string(nil), b.sheets...) }

// CSV reports whether the book is CSV text: one file or a folder of files.
func (b *Book) CSV() bool { return b.csv != nil }

// LoneCSV reports whether the book is a single CSV file: it has no other
// sheet to put settings or rates in.
func (b *Book) LoneCSV() bool { return b.csv != nil && b.csv.single }

// SetContext makes the book's row readers opened from now on stop with
// ctx's error once ctx is done, as OpenFolder does for a book it
// opens: a reader of a book opened elsewhere can still be cut short.
func (b *Book) SetContext(ctx context.Context) { b.ctx = ctx }

// Err returns the error of the context the book was opened with once it
// is done (nil before, and for a book opened without one), so that a
// reader stops between sheets as its row readers do within one.
func (b *Book) Err() error {
	if b.ctx == nil {
		return nil
	}
	return b.ctx.Err()
}

// Date1904 reports whether the workbook counts date serials from 1904 (an
// old Mac setting) instead of 1900. It is false for CSV input.
func (b *Book) Date1904() bool { return b.date1904 }

// Rows returns a streaming iterator over the rows of the named sheet. The
// name must match exactly; callers normalise names against Sheets first.
func (b *Book) Rows(sheet string) (*RowReader, error) {
	found := false
	for _, s := range b.sheets {
		if s == sheet {
			found = true
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("%s: no sheet %q (sheets: %s)", b.name, sheet, strings.Join(b.sheets, ", "))
	}
	var (
		src rowSource
		err error
	)
	switch {
	case b.xlsx != nil:
		src, err = b.xlsx.rows(sheet)
	case b.csv != nil:
		src, err = b.csv.rows(sheet)
	default:
		err = fmt.Errorf("%s: book is closed", b.name)
	}
	if err != nil {
		return nil, err
	}
	if sized, ok := src.(interface{ bytes() int64 }); ok {
		src = readAhead(src, sized.bytes())
	}
	return &RowReader{src: src, ctx: b.ctx}, nil
}

// ContextReaderAt returns r reading only while ctx is not done, for
// OpenXLSX: an upload or a file stops being read once its report is
// cancelled or past its time.
func ContextReaderAt(ctx context.Context, r io.ReaderAt) io.ReaderAt { return ctxReaderAt{ctx, r} }

// ctxReaderAt stops reading once ctx is done. Compressed parts are read
// a few KiB at a time, so even a part that inflates a thousandfold is
// checked every few MiB of its XML.
type ctxReaderAt struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c ctxReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

// Close releases the file behind the book. Close its row readers first: a
// workbook's readers read from the file.
func (b *Book) Close() error {
	b.xlsx, b.csv = nil, nil
	if b.closer != nil {
		err := b.closer.Close()
		b.closer = nil
		return err
	}
	return nil
}

// rowSource is what a RowReader pulls rows from: the workbook and the
// CSV readers.
type rowSource interface {
	// next fills row with the next row, reusing row.Cells; io.EOF at the end.
	next(row *Row) error
	close() error
}

// rowCounter is a rowSource that can guess its row count before
// reading, so that a caller can size its slices once.
type rowCounter interface {
	rowsHint() int
}

// RowReader streams the rows of one sheet:
//
//	rr, err := book.Rows("BOM")
//	...
//	defer rr.Close()
//	for rr.Next() {
//		row := rr.Row()
//		...
//	}
//	if err := rr.Err(); err != nil { ... }
type RowReader struct {
	src  rowSource
	ctx  context.Context // the book's, or nil
	n    int             // rows read
	row  Row
	err  error
	done bool
}

// ctxRows is how many rows are read between checks of the book's context.
const ctxRows = 1024

// Next advances to the next row, returning false at the end or on error
// (see Err).
func (r *RowReader) Next() bool {
	if r.done {
		return false
	}
	if r.n++; r.ctx != nil && r.n%ctxRows == 0 {
		if err := r.ctx.Err(); err != nil {
			r.done, r.err = true, err
			r.row.Cells = r.row.Cells[:0]
			return false
		}
	}
	if err := r.src.next(&r.row); err != nil {
		r.done = true
		if err != io.EOF {
			r.err = err
		}
		r.row.Cells = r.row.Cells[:0]
		return false
	}
	return true
}

// Row returns the current row. It is valid until the next call to Next: the
// Cells slice is reused (the strings in it are not, and may be kept).
func (r *RowReader) Row() Row { return r.row }

// Err returns the error that stopped Next, if any.
func (r *RowReader) Err() error { return r.err }

// RowsHint guesses how many rows the sheet has, from its size or its
// declared dimension; 0 when the source cannot tell. It is a capacity
// hint, never a limit: the guess may be off either way.
func (r *RowReader) RowsHint() int {
	if c, ok := r.src.(rowCounter); ok {
		return min(c.rowsHint(), maxRows)
	}
	return 0
}

// Close releases the reader. It is safe to call more than once.
func (r *RowReader) Close() error {
	r.done = true
	if r.src == nil {
		return nil
	}
	err := r.src.close()
	r.src = nil
	return err
}

// trimRow drops trailing empty cells.
func trimRow(cells []Cell) []Cell {
	n := len(cells)
	for n > 0 && cells[n-1].Kind == CellEmpty {
		n--
	}
	return cells[:n]
}

// colName returns the column letters of 0-based column col (0 is A).
func colName(col int) string {
	var buf [4]byte
	i := len(buf)
	col++
	for col > 0 && i > 0 {
		col--
		i--
		buf[i] = byte('A' + col%26)
		col /= 26
	}
	return string(buf[i:])
}

// cellName returns the A1 name of 0-based column col in 1-based row.
func cellName(col, row int) string {
	return colName(col) + fmt.Sprint(row)
}

// Folder returns where a relative path in the book (a Settings value
// naming a file) points: the folder of CSV files, or the folder of the
// file the book was read from (InFile). A book read from bytes alone (an
// upload) has none. A folder on disk is opened as an os.Root, which no
// symbolic link or ".." leads out of (a link to /etc inside the folder
// must not make rexpo read /etc); close it when done.
func (b *Book) Folder() (fsys fs.FS, dir string, closer io.Closer, err error) {
	switch {
	case b.dir != "":
		root, err := os.OpenRoot(b.dir)
		if err != nil {
			return nil, "", nil, err
		}
		return root.FS(), ".", root, nil
	case b.csv != nil && b.csv.embedded:
		for _, f := range b.csv.files { // an embedded folder: nothing to escape to
			return b.csv.fsys, path.Dir(f), io.NopCloser(nil), nil
		}
	}
	return nil, "", nil, ErrNoFolder
}

// ErrNoFolder: the book was not read from a folder (Folder).
var ErrNoFolder = errors.New("no folder")
