package workbook

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"rexpo/internal/cp1252"
)

// CSV input: one file is the BOM sheet; a folder holds one file per sheet.
// Every non-empty field is CellText: the value parser decides what it
// means, exactly as for a text cell of a workbook.

// csvBook is the CSV side of a Book.
type csvBook struct {
	fsys     fs.FS
	files    map[string]string // sheet → file in fsys
	display  map[string]string // sheet → file name for messages
	lim      Limits
	single   bool // one CSV file, not a folder
	embedded bool // a folder of a file system given to OpenCSVFS (Folder)
}

// OpenCSVFS opens the folder dir of fsys as a book: each *.csv file in it is
// a sheet named after the file stem (bom.csv is sheet "bom"), in file name
// order. The embedded sample is read this way.
func OpenCSVFS(fsys fs.FS, dir string) (*Book, error) {
	b, err := openCSVDir(fsys, dir, dir, DefaultLimits())
	if err != nil {
		return nil, err
	}
	b.csv.embedded = true
	return b, nil
}

func openCSVDir(fsys fs.FS, dir, name string, lim Limits) (*Book, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c := &csvBook{fsys: fsys, files: map[string]string{}, display: map[string]string{}, lim: lim.withDefaults()}
	b := &Book{name: name, csv: c}
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || !strings.EqualFold(ext, ".csv") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		sheet := strings.TrimSuffix(e.Name(), ext)
		if _, dup := c.files[sheet]; dup {
			continue
		}
		c.files[sheet] = path.Join(dir, e.Name())
		c.display[sheet] = filepath.Join(name, e.Name())
		b.sheets = append(b.sheets, sheet)
	}
	if len(b.sheets) == 0 {
		return nil, fmt.Errorf("%s: %w: the folder holds no .csv files", name, ErrNotWorkbook)
	}
	return b, nil
}

// OpenCSV opens one CSV file of size bytes in r as a book with the single
// sheet "BOM"; name is the file's name for messages. Its rows are read
// from r each time they are asked for.
func OpenCSV(r io.ReaderAt, size int64, name string, lim Limits) (*Book, error) {
	c := &csvBook{
		fsys:    readerFS{r: r, size: size},
		files:   map[string]string{"BOM": readerFSName},
		display: map[string]string{"BOM": name},
		lim:     lim.withDefaults(),
		single:  true,
	}
	return &Book{name: name, sheets: []string{"BOM"}, csv: c}, nil
}

// readerFS is a file system of one file, readerFSName, whose bytes are
// r's: each Open reads them from the start.
type readerFS struct {
	r    io.ReaderAt
	size int64
}

const readerFSName = "input.csv"

func (f readerFS) Open(name string) (fs.File, error) {
	if name != readerFSName {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &readerFile{SectionReader: io.NewSectionReader(f.r, 0, f.size)}, nil
}

// readerFile is the open file of a readerFS.
type readerFile struct{ *io.SectionReader }

func (f *readerFile) Stat() (fs.FileInfo, error) { return readerInfo{size: f.Size()}, nil }
func (f *readerFile) Close() error               { return nil }

// readerInfo describes a readerFS's file: its size, for the row-count guess.
type readerInfo struct{ size int64 }

func (i readerInfo) Name() string       { return readerFSName }
func (i readerInfo) Size() int64        { return i.size }
func (i readerInfo) Mode() fs.FileMode  { return 0o444 }
func (i readerInfo) ModTime() time.Time { return time.Time{} }
func (i readerInfo) IsDir() bool        { return false }
func (i readerInfo) Sys() any           { return nil }

func (c *csvBook) rows(sheet string) (rowSource, error) {
	name := c.display[sheet]
	f, err := c.fsys.Open(c.files[sheet])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cnt := &csvCounter{r: f, budget: c.lim.tokenBudget() + csvBufSize}
	br := bufio.NewReaderSize(cnt, csvBufSize)
	head, _ := br.Peek(4096) // a short file gives fewer bytes; an error recurs on read
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
		head = head[3:]
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		f.Close()
		return nil, fmt.Errorf("%s: %w: the file is UTF-16 text: save it as \"CSV UTF-8\"", name, ErrDamaged)
	case isZip(head), isOLE(head):
		f.Close()
		return nil, fmt.Errorf("%s: %w: the file is a workbook, not CSV text: name it .xlsx", name, ErrDamaged)
	}
	cr := csv.NewReader(br)
	cr.Comma = csvSniffComma(head)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	return &csvSheetReader{name: name, f: f, cnt: cnt, cr: cr, hint: csvRowsHint(f, head), size: size}, nil
}

// csvRowsHint guesses a file's line count from its size and the mean
// length of the lines in head, its first bytes; 0 when it cannot. It adds
// a tenth: a guess just short would make the caller's slices grow once
// more, copying everything read so far.
func csvRowsHint(f fs.File, head []byte) int {
	st, err := f.Stat()
	lines := bytes.Count(head, []byte{'\n'})
	if err != nil || lines == 0 {
		return 0
	}
	n := st.Size() / int64(max(len(head)/lines, 1))
	return int(n + n/10 + 16)
}

// csvSniffComma picks the separator of the first line: a comma, unless the
// line has none but has semicolons (Excel's CSV in locales with a decimal
// comma) or tabs.
func csvSniffComma(head []byte) rune {
	inQuote := false
	commas, semis, tabs := 0, 0, 0
loop:
	for _, c := range head {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\n':
			break loop
		case c == ',':
			commas++
		case c == ';':
			semis++
		case c == '\t':
			tabs++
		}
	}
	switch {
	case commas > 0:
		return ','
	case semis > 0:
		return ';'
	case tabs > 0:
		return '\t'
	}
	return ','
}

const csvBufSize = 64 << 10

// csvCounter stops a record that would take more than budget bytes: a
// file with no line breaks would otherwise be read into memory whole.
type csvCounter struct {
	r       io.Reader
	n, mark int64
	budget  int64
}

var errCSVRecordTooLong = errors.New("record too long")

func (c *csvCounter) Read(p []byte) (int, error) {
	if c.n-c.mark > c.budget {
		return 0, errCSVRecordTooLong
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type csvSheetReader struct {
	name    string
	f       fs.File
	cnt     *csvCounter
	cr      *csv.Reader
	num     int   // row number of the last record
	endLine int   // line on which the last record ended
	hint    int   // a guess at the number of rows
	size    int64 // the file's size, 0 when unknown
	err     error
}

func (r *csvSheetReader) close() error { return r.f.Close() }

func (r *csvSheetReader) bytes() int64 { return r.size }

func (r *csvSheetReader) rowsHint() int { return r.hint }

func (r *csvSheetReader) next(row *Row) error {
	if r.err != nil {
		return r.err
	}
	r.cnt.mark = r.cnt.n
	rec, err := r.cr.Read()
	if err != nil {
		r.err = r.wrap(err)
		return r.err
	}
	if len(rec) > maxCols {
		line, _ := r.cr.FieldPos(0)
		r.err = fmt.Errorf("%s: %w: line %d has %d fields, more than %d columns", r.name, ErrDamaged, line, len(rec), maxCols)
		return r.err
	}
	// Blank lines are skipped by encoding/csv but shown as rows by a
	// spreadsheet; count them so that row numbers match what the user sees.
	start, _ := r.cr.FieldPos(0)
	last, _ := r.cr.FieldPos(len(rec) - 1)
	r.num += max(start-r.endLine, 1)
	r.endLine = last + strings.Count(rec[len(rec)-1], "\n")
	if r.num > maxRows {
		r.err = fmt.Errorf("%s: %w: more than %d lines, the most a sheet holds", r.name, ErrTooLarge, maxRows)
		return r.err
	}

	unsure := r.cr.Comma == ';' // a ',' in a number may be a decimal mark (Cell.CommaUnsure)
	cells := row.Cells[:0]
	for _, s := range rec {
		if s == "" {
			cells = append(cells, Cell{})
			continue
		}
		if !utf8.ValidString(s) {
			s = csvFromWindows1252(s)
		}
		cells = append(cells, Cell{Text: s, Kind: CellText, CommaUnsure: unsure})
	}
	row.Num = r.num
	row.Cells = trimRow(cells)
	return nil
}

func (r *csvSheetReader) wrap(err error) error {
	if err == io.EOF {
		return io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, errCSVRecordTooLong) {
			return fmt.Errorf("%s: %w: line %d: a record longer than %s", r.name, ErrTooLarge, pe.StartLine, byteSize(r.cnt.budget-csvBufSize))
		}
		hint := ""
		if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
			hint = ` (a quote inside a cell must be doubled "" and the cell quoted)`
		}
		return fmt.Errorf("%s: %w: line %d, column %d: %w%s", r.name, ErrDamaged, pe.Line, pe.Column, pe.Err, hint)
	}
	if errors.Is(err, errCSVRecordTooLong) {
		return fmt.Errorf("%s: %w: line %d: a record longer than %s", r.name, ErrTooLarge, r.endLine+1, byteSize(r.cnt.budget-csvBufSize))
	}
	return fmt.Errorf("%s: %w", r.name, err)
}

// csvFromWindows1252 decodes a field that is not UTF-8 as Windows-1252,
// which is what Excel's plain "CSV" save writes on Western systems.
func csvFromWindows1252(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			b.WriteByte(c)
		} else {
			b.WriteRune(cp1252.Rune(c))
		}
	}
	return b.String()
}
