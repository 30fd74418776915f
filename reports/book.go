package reports

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// book wraps an excelize file with the house styles and keeps what has to
// be settled once all cells are written: column widths, header heights
// and the cells whose text was cut.
type book struct {
	f      *excelize.File
	s      styles
	cur    string // report currency, for headers
	footer string // printed at the foot of every page
	cuts   []Problem

	widths  map[string]map[int]float64 // sheet → column → widest content
	fixed   map[string]map[int]float64 // sheet → column → width set by the writer
	headers map[string][]headerRow
	extent  map[string][2]int // sheet → last column and row written
	wraps   map[string][]wrapCell
	charts  []pendingChart
	printed map[string]*printSpec // sheets with a page setup
	tables  int
	units   map[string][]*unitRun // sheet → its tables' columns of money per unit
	// noteSpan is, for a sheet whose blocks' notes wrap within the page,
	// the last column of the page (block).
	noteSpan map[string]int
	// bodies are the rows of the streamed Parts sheets, by part name,
	// written into the zip by stableZip.
	bodies map[string]*sheetBody
	tmpDir string // where bodies spill ("" for the system's folder)
}

// unitRun is one table column of money per unit: its cells get the places
// the column's values need (unitPlaces), the same down the column, once
// all are written.
type unitRun struct {
	col    int
	places int32
	cells  []unitCell
}

type unitCell struct {
	row  int
	bold bool
}

// styleUnits gives every column of money per unit on sheet one number of
// places.
func (b *book) styleUnits(sheet string) error {
	for _, u := range b.units[sheet] {
		for _, c := range u.cells {
			bold := 0
			if c.bold {
				bold = 1
			}
			cell := cellName(u.col, c.row)
			if err := b.f.SetCellStyle(sheet, cell, cell, b.s.unitFixed[u.places][bold]); err != nil {
				return err
			}
		}
	}
	return nil
}

// pendingChart is a chart added once the columns have their widths:
// excelize anchors a chart to the cells it covers at the time it is added,
// so a chart added earlier would stretch with the columns.
type pendingChart struct {
	sheet, cell string
	chart       *excelize.Chart
	combo       []*excelize.Chart // charts drawn on the same axes
}

// chart adds c (with combo charts on its axes) at cell of sheet when the
// workbook is finished.
func (b *book) chart(sheet, cell string, c *excelize.Chart, combo ...*excelize.Chart) {
	b.charts = append(b.charts, pendingChart{sheet, cell, c, combo})
}

// addCharts adds the pending charts, then gives every sheet written
// through the book a print area over its cells and charts. Call it after
// finishSheet.
func (b *book) addCharts() error {
	for _, c := range b.charts {
		if err := b.f.AddChart(c.sheet, c.cell, c.chart, c.combo...); err != nil {
			return fmt.Errorf("chart on %s: %w", c.sheet, err)
		}
		col, row, _ := excelize.CellNameToCoordinates(c.cell)
		px := 0
		for px < int(c.chart.Dimension.Width) && col < excelize.MaxColumns {
			w, err := b.f.GetColWidth(c.sheet, colName(col))
			if err != nil {
				return err
			}
			px += int(w*7 + 5)
			col++
		}
		// Rows are 20 pixels in Excel, fewer in LibreOffice: count short.
		b.extend(c.sheet, col-1, row+int(c.chart.Dimension.Height)/16+2)
	}
	// An explicit print area keeps text that spills past the last column
	// off the printed page: LibreOffice would otherwise shrink the page to
	// fit it.
	sheets := make([]string, 0, len(b.extent))
	for s := range b.extent {
		sheets = append(sheets, s)
	}
	sort.Strings(sheets)
	for _, s := range sheets {
		e := b.extent[s]
		area := absRange(s, 1, 1, e[0], e[1])
		if sp := b.printed[s]; sp != nil && sp.split != nil {
			// Two print ranges side by side, each on its own pages.
			x := sp.split
			area = absRange(s, 1, 1, x.leftCols, x.leftRows) + "," + absRange(s, x.rightCol, x.rightRow, max(e[0], x.rightCol), max(e[1], x.rightRow))
		}
		if err := b.f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Area", RefersTo: area, Scope: s,
		}); err != nil {
			return err
		}
	}
	return nil
}

// wrapCell is a wrapped text whose row must grow to show it: excelize
// writes no row heights and neither Excel nor LibreOffice fits them on
// opening.
type wrapCell struct {
	col, row int
	text     string
	span     int // the last column of a merged range from col, 0 for col alone
}

type headerRow struct {
	row   int
	cells map[int]string // column → header text
}

func newBook(cur, footer string, opts ...excelize.Options) (*book, error) {
	f := excelize.NewFile(opts...)
	s, err := newStyles(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("styles: %w", err)
	}
	b := &book{
		f: f, s: s, cur: cur, footer: footer,
		widths: map[string]map[int]float64{}, fixed: map[string]map[int]float64{},
		headers: map[string][]headerRow{}, extent: map[string][2]int{}, wraps: map[string][]wrapCell{}, printed: map[string]*printSpec{},
		bodies: map[string]*sheetBody{},
	}
	for _, o := range opts {
		b.tmpDir = o.TmpDir
	}
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newStableZip(w, b.bodies) })
	return b, nil
}

// close releases the workbook and the rows of its streamed sheets,
// removing their temporary files; it may be called more than once.
func (b *book) close() error {
	err := b.f.Close()
	for _, body := range b.bodies {
		err = errors.Join(err, body.close())
	}
	return err
}

// addSheets creates the sheets in order; the first replaces excelize's
// default "Sheet1".
func (b *book) addSheets(names ...string) error {
	for i, n := range names {
		if i == 0 {
			if err := b.f.SetSheetName("Sheet1", n); err != nil {
				return err
			}
			continue
		}
		if _, err := b.f.NewSheet(n); err != nil {
			return fmt.Errorf("sheet %s: %w", n, err)
		}
	}
	return nil
}

// widen records that column c of sheet holds something w characters wide.
func (b *book) widen(sheet string, c int, w float64) {
	m := b.widths[sheet]
	if m == nil {
		m = map[int]float64{}
		b.widths[sheet] = m
	}
	if w > m[c] {
		m[c] = w
	}
}

// fix sets column c of sheet to width w whatever it holds (wrapped text).
func (b *book) fix(sheet string, c int, w float64) {
	m := b.fixed[sheet]
	if m == nil {
		m = map[int]float64{}
		b.fixed[sheet] = m
	}
	m[c] = w
}

// extend records that (c, r) of sheet holds something.
func (b *book) extend(sheet string, c, r int) {
	e := b.extent[sheet]
	b.extent[sheet] = [2]int{max(e[0], c), max(e[1], r)}
}

// str writes text as a string cell, never a formula, cutting what a cell
// cannot hold.
func (b *book) str(sheet string, c, r int, s string, style int) error {
	cell := cellName(c, r)
	b.extend(sheet, c, r)
	s, was := cut(s)
	if was {
		b.cutAt(sheet, cell)
	}
	if err := b.f.SetCellStr(sheet, cell, s); err != nil {
		return err
	}
	if style != 0 {
		if err := b.f.SetCellStyle(sheet, cell, cell, style); err != nil {
			return err
		}
	}
	return nil
}

func (b *book) cutAt(sheet, cell string) {
	b.cuts = append(b.cuts, Problem{Sheet: sheet, Cell: cell,
		Message: fmt.Sprintf("text longer than the %d characters a cell holds was cut; the full text is in the input and the JSON", maxCellChars)})
}

// num writes d as a numeric cell rounded for kind k.
func (b *book) num(sheet string, c, r int, d decimal.Decimal, k kind, bold bool) error {
	cell := cellName(c, r)
	b.extend(sheet, c, r)
	if err := b.f.SetCellFloat(sheet, cell, cellNumber(d, k), -1, 64); err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, cell, cell, b.s.quickBoldStyleFor(k, d, bold))
}

// finishSheet settles what depends on everything written: column widths,
// header heights, the sheet's dimension (excelize leaves it at A1, and
// openpyxl's read-only mode trusts it) and fit-to-page, which excelize's
// AutoFilter drops.
func (b *book) finishSheet(sheet string) error {
	if err := b.styleUnits(sheet); err != nil {
		return err
	}
	if e := b.extent[sheet]; e[0] > 0 {
		if err := b.f.SetSheetDimension(sheet, "A1:"+cellName(e[0], e[1])); err != nil {
			return err
		}
	}
	if b.printed[sheet] != nil {
		// Again: excelize's AutoFilter replaces the sheet properties.
		if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
			return err
		}
	}
	widths, err := b.layoutColumns(sheet)
	if err != nil {
		return err
	}
	return b.printAcross(sheet, widths)
}

// layoutColumns sets every column's width from what was written and the
// header rows' heights from their wrapped text. It returns the widths of
// the columns up to the last one written, from column 1.
func (b *book) layoutColumns(sheet string) ([]float64, error) {
	final := map[int]float64{}
	for c, w := range b.widths[sheet] {
		final[c] = math.Min(math.Max(w, 7.5), 60)
	}
	for c, w := range b.fixed[sheet] {
		final[c] = w
	}
	cols := make([]int, 0, len(final))
	for c := range final {
		cols = append(cols, c)
	}
	sort.Ints(cols)
	for _, c := range cols {
		if err := b.f.SetColWidth(sheet, colName(c), colName(c), final[c]); err != nil {
			return nil, err
		}
	}
	rows := map[int]int{} // row → lines
	for _, w := range b.wraps[sheet] {
		cw := final[w.col]
		if cw == 0 {
			cw = 9
		}
		for c := w.col + 1; c <= w.span; c++ { // merged: the range's width
			if x := final[c]; x > 0 {
				cw += x
			} else {
				cw += defaultColWidth
			}
		}
		n := 0
		for para := range strings.SplitSeq(w.text, "\n") {
			n += textLines(para, cw)
		}
		rows[w.row] = max(rows[w.row], n)
	}
	for r, n := range rows {
		if n > 1 {
			if err := b.f.SetRowHeight(sheet, r, math.Min(float64(n)*15+2, 409)); err != nil {
				return nil, err
			}
		}
	}
	for _, h := range b.headers[sheet] {
		lines := 1
		for c, text := range h.cells {
			w := final[c]
			if w == 0 {
				w = 9
			}
			if n := headerLines(text, w); n > lines {
				lines = n
			}
		}
		if lines > 1 {
			if err := b.f.SetRowHeight(sheet, h.row, float64(lines)*15+3); err != nil {
				return nil, err
			}
		}
	}
	widths := make([]float64, b.extent[sheet][0])
	for c := range widths {
		widths[c] = defaultColWidth
		if w, ok := final[c+1]; ok {
			widths[c] = w
		}
	}
	return widths, nil
}

// defaultColWidth is the width of a column nobody set, in Excel's
// character units.
const defaultColWidth = 9.140625

// finish writes the workbook to w and releases it. The zip goes to w as
// it is made: excelize's WriteTo would first build the whole file in a
// buffer of its own (80 MB for a million-line report, more while the
// buffer grows), then copy it. Its buffer stays empty, since the zip
// writer is ours; only a workbook with a password or a part over 4 GiB
// would need it, and neither is written here.
func (b *book) finish(w io.Writer) error {
	defer b.close()
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return newStableZip(w, b.bodies) })
	buf, err := b.f.WriteToBuffer()
	if err == nil && buf.Len() > 0 {
		err = fmt.Errorf("excelize wrote %d bytes past the zip writer", buf.Len())
	}
	if err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}
