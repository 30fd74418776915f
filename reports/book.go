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

// pageSetup prints the sheet landscape, fitted to one page wide, with the
// header row repeated and a footer naming the report. It touches only
// parts of the sheet a stream writer writes at its start or end, so it
// may run before NewStreamWriter.
func (b *book) pageSetup(sheet string, titleRows int) error {
	b.printed[sheet] = &printSpec{titleRows: titleRows}
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.5), Right: ptr(0.5), Top: ptr(0.6), Bottom: ptr(0.6), Header: ptr(0.3), Footer: ptr(0.3),
	}); err != nil {
		return err
	}
	if err := b.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddFooter: "&L" + escapeHF(b.footer) + "&C" + escapeHF(sheet) + "&RPage &P of &N",
	}); err != nil {
		return err
	}
	return nil // the titles repeated on each page are set by printAcross, once the widths are known
}

// escapeHF doubles the ampersands of text put in a page header or footer,
// where & starts a code, and keeps it within Excel's 255 characters.
func escapeHF(s string) string {
	s = strings.ReplaceAll(s, "&", "&&")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return s
}

// freeze keeps rows 1..rows and columns 1..cols in view.
func freezePanes(rows, cols int) *excelize.Panes {
	p := &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: cellName(cols+1, rows+1), ActivePane: "bottomLeft"}
	switch {
	case cols > 0 && rows > 0:
		p.ActivePane = "bottomRight"
	case cols > 0:
		p.ActivePane = "topRight"
	}
	p.Selection = []excelize.Selection{{SQRef: p.TopLeftCell, ActiveCell: p.TopLeftCell, Pane: p.ActivePane}}
	return p
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
	if err := b.f.SetCellFloat(sheet, cell, number(d, k), -1, 64); err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, cell, cell, b.s.styleFor(k, d, bold))
}

// col describes one column of a table.
type col struct {
	head  string
	kind  kind
	width float64 // fixed width for wrapped text; 0: fit the content
	// span, for a table's last column of long text, is the last sheet
	// column its cells are merged across and wrapped in, so that the
	// text stays within the printed page instead of spilling past it.
	span int
}

// table writes a block of rows under a header row.
type table struct {
	b     *book
	sheet string
	cols  []col
	left  int              // first column
	top   int              // header row
	row   int              // last row written
	units map[int]*unitRun // column index → its money per unit
}

// newTable writes the header row of a table at (left, top).
func (b *book) newTable(sheet string, left, top int, cols []col) (*table, error) {
	t := &table{b: b, sheet: sheet, cols: cols, left: left, top: top, row: top}
	hr := headerRow{row: top, cells: map[int]string{}}
	for i, c := range cols {
		style := b.s.header
		if c.kind == kText || c.kind == kWrap || c.kind == kSpill {
			style = b.s.headerLeftIndent
		}
		if err := b.str(sheet, left+i, top, c.head, style); err != nil {
			return nil, err
		}
		if c.span > left+i {
			if err := b.f.MergeCell(sheet, cellName(left+i, top), cellName(c.span, top)); err != nil {
				return nil, err
			}
			b.extend(sheet, c.span, top)
		}
		hr.cells[left+i] = c.head
		if c.kind != kSpill {
			b.widen(sheet, left+i, colWidth(longestWord(c.head)))
		}
		switch {
		case c.width > 0 && c.kind == kWrap:
			b.fix(sheet, left+i, c.width)
		case c.width > 0:
			b.widen(sheet, left+i, c.width) // a minimum: numbers must never show ####
		}
	}
	b.headers[sheet] = append(b.headers[sheet], hr)
	return t, nil
}

// wrapAt records wrapped text at (c, r) so that its row gets the height
// it needs once the column widths are known.
func (b *book) wrapAt(sheet string, c, r int, text string) {
	b.wraps[sheet] = append(b.wraps[sheet], wrapCell{col: c, row: r, text: text})
}

// cellNum forces a number of a given kind into a column of another kind.
type cellNum struct {
	d decimal.Decimal
	k kind
}

// add writes the next row. Values are string (text), decimal.Decimal
// (rounded for the column's kind), cellNum, int or nil (empty).
func (t *table) add(vals ...any) error { return t.addRow(false, vals) }

// addBold writes the next row in bold, for totals.
func (t *table) addBold(vals ...any) error { return t.addRow(true, vals) }

func (t *table) addRow(bold bool, vals []any) error {
	t.row++
	for i, v := range vals {
		if i >= len(t.cols) {
			return fmt.Errorf("table on %s: %d values for %d columns", t.sheet, len(vals), len(t.cols))
		}
		if s, ok := v.(string); ok && t.cols[i].span > t.left+i {
			if err := t.b.spanText(t.sheet, t.left+i, t.cols[i].span, t.row, s, bold); err != nil {
				return err
			}
			continue
		}
		if err := t.b.put(t.sheet, t.left+i, t.row, v, t.cols[i].kind, bold); err != nil {
			return err
		}
		t.noteUnit(i, v, bold)
	}
	return nil
}

// spanText writes long text at (c, r) merged across to column last and
// wrapped there, its row growing to show it all.
func (b *book) spanText(sheet string, c, last, r int, s string, bold bool) error {
	style := b.s.wrap
	if bold {
		style = b.s.boldWrap
	}
	if err := b.str(sheet, c, r, s, style); err != nil {
		return err
	}
	if err := b.f.MergeCell(sheet, cellName(c, r), cellName(last, r)); err != nil {
		return err
	}
	b.extend(sheet, last, r)
	b.wraps[sheet] = append(b.wraps[sheet], wrapCell{col: c, row: r, text: s, span: last})
	return nil
}

// noteUnit records a value of money per unit in column i, so that the
// column's cells show one number of places when the sheet is finished.
func (t *table) noteUnit(i int, v any, bold bool) {
	var d decimal.Decimal
	switch v := v.(type) {
	case decimal.Decimal:
		if t.cols[i].kind != kUnitMoney {
			return
		}
		d = v
	case cellNum:
		if v.k != kUnitMoney {
			return
		}
		d = v.d
	default:
		return
	}
	u := t.units[i]
	if u == nil {
		if t.units == nil {
			t.units = map[int]*unitRun{}
		}
		u = &unitRun{col: t.left + i, places: 2}
		t.units[i] = u
		if t.b.units == nil {
			t.b.units = map[string][]*unitRun{}
		}
		t.b.units[t.sheet] = append(t.b.units[t.sheet], u)
	}
	u.places = max(u.places, unitPlaces(d))
	u.cells = append(u.cells, unitCell{t.row, bold})
}

// put writes one value of any supported type at (c, r).
func (b *book) put(sheet string, c, r int, v any, k kind, bold bool) error {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		style := b.s.byKind[k]
		if k != kText && k != kWrap && k != kSpill {
			style = b.s.text
		}
		if bold {
			style = b.s.bold
			if k == kWrap {
				style = b.s.boldWrap
			}
		}
		switch k {
		case kWrap:
			b.wrapAt(sheet, c, r, v)
		case kSpill:
		default:
			b.widen(sheet, c, colWidth(textWidth(v)))
		}
		return b.str(sheet, c, r, v, style)
	case decimal.Decimal:
		b.widen(sheet, c, colWidth(shownWidth(v, k)))
		return b.num(sheet, c, r, v, k, bold)
	case cellNum:
		b.widen(sheet, c, colWidth(shownWidth(v.d, v.k)))
		return b.num(sheet, c, r, v.d, v.k, bold)
	case int:
		return b.put(sheet, c, r, decimal.NewFromInt(int64(v)), kInt, bold)
	case styledText:
		if v.width {
			b.widen(sheet, c, colWidth(textWidth(v.s)))
		}
		return b.str(sheet, c, r, v.s, v.style)
	}
	return fmt.Errorf("cell %s!%s: unsupported value %T", sheet, cellName(c, r), v)
}

// styledText is text with its own style, e.g. an indented part number.
type styledText struct {
	s     string
	style int
	width bool // counts towards the column width
}

// ref returns the table's range, header included, e.g. "A3:F10".
func (t *table) ref() string {
	last := t.row
	if last == t.top {
		last++ // a header without rows still filters an empty row
	}
	return cellName(t.left, t.top) + ":" + cellName(t.left+len(t.cols)-1, last)
}

// filter puts the sheet's autofilter on the table.
func (t *table) filter() error {
	return t.b.f.AutoFilter(t.sheet, t.ref(), nil)
}

// asTable makes the block an Excel table, which carries its own filter
// buttons: sheets with several blocks use this, since a sheet has one
// autofilter only.
func (t *table) asTable(name string) error {
	if t.row == t.top {
		return nil // Excel tables need a data row
	}
	t.b.tables++
	return t.b.f.AddTable(t.sheet, &excelize.Table{
		Range: t.ref(), Name: fmt.Sprintf("%s_%d", name, t.b.tables), StyleName: "TableStyleLight1",
		ShowRowStripes: ptr(false),
	})
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

// printSpec is what a printed sheet repeats on every page: its first
// rows (titles) and, when it prints across pages, its first columns.
// minScale > 0 asks for a sheet laid out to print at that scale or larger
// (in percent) when fitted to the page width, as Excel measures columns;
// wider, it prints at minScale across pages instead.
type printSpec struct {
	titleRows, titleCols, minScale int
	split                          *printSplit
}

// printSplit prints a sheet as two ranges, each starting a page: the
// columns 1..leftCols of rows 1..leftRows, and the columns from rightCol
// on, from row rightRow. The title rows repeat on both, each showing its
// own columns.
type printSplit struct{ leftCols, leftRows, rightCol, rightRow int }

// pageWidth is about how much column width (in Excel's character units)
// a landscape page prints at a scale still read without a magnifier,
// about 55%. Fitting a 40-column sheet to one page width prints it at 25%.
const pageWidth = 250.0

// printAcross lets a table wider than a page print across as many pages
// as keep it readable, its frozen key columns repeated on each, instead of
// shrinking it to one page width; sheets of several blocks (no frozen
// columns) keep to one page width. It also sets the rows repeated on every
// page. widths are the columns' widths, from column 1.
func (b *book) printAcross(sheet string, widths []float64) error {
	spec := b.printed[sheet]
	if spec == nil {
		return nil
	}
	total, titles := 0.0, 0.0
	for c, w := range widths {
		total += w
		if c < spec.titleCols {
			titles += w
		}
	}
	if spec.minScale > 0 {
		scaled := widths
		if x := spec.split; x != nil && x.rightCol <= len(widths) {
			// The wider of the two ranges sets the scale.
			left, right := widths[:min(x.leftCols, len(widths))], widths[x.rightCol-1:]
			if printScale(right) < printScale(left) {
				scaled = right
			} else {
				scaled = left
			}
		}
		if err := b.printAtScale(sheet, scaled, spec.minScale); err != nil {
			return err
		}
	}
	pages := 1
	if spec.titleCols > 0 { // a table with its key columns frozen; blocks of text stay on one page width
		pages = max(int(math.Ceil((total-titles)/(pageWidth-titles))), 1)
	}
	if pages > 1 {
		if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{FitToWidth: ptr(pages)}); err != nil {
			return err
		}
	}
	var refs []string
	if pages > 1 { // only tables with title columns print across
		refs = append(refs, fmt.Sprintf("%s!$A:$%s", quoteSheet(sheet), colName(spec.titleCols)))
	}
	if spec.titleRows > 0 {
		refs = append(refs, fmt.Sprintf("%s!$1:$%d", quoteSheet(sheet), spec.titleRows))
	}
	if len(refs) == 0 {
		return nil
	}
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: strings.Join(refs, ","), Scope: sheet})
}

// printablePixels is the width a landscape Letter page prints within the
// margins pageSetup sets (11 in less 2 × 0.5 in, at 96 pixels an inch),
// less 2% for the difference between Excel's and LibreOffice's fonts.
const printablePixels = (11 - 2*0.5) * 96 * 0.98

// columnPixels is how many pixels a column of width w (Excel's character
// units, Calibri 11) takes on screen and on paper at 100%.
func columnPixels(w float64) float64 { return math.Trunc(w*7 + 5) }

// printScale is the scale, in percent, at which columns of the given
// widths fit a page's width, at most 100.
func printScale(widths []float64) int {
	px := 0.0
	for _, w := range widths {
		px += columnPixels(w)
	}
	if px == 0 {
		return 100
	}
	return min(int(math.Floor(printablePixels/px*100)), 100)
}

// printAtScale records the scale at which the sheet, fitted to the page
// width, prints in Excel (Excel writes the same figure when it saves); a
// sheet too wide to print at least at least percent prints at that scale
// instead, across pages.
func (b *book) printAtScale(sheet string, widths []float64, least int) error {
	scale := printScale(widths)
	if scale < least {
		scale = least
		if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(false)}); err != nil {
			return err
		}
	}
	return b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{AdjustTo: ptr(uint(scale))})
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
		for _, para := range strings.Split(w.text, "\n") {
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

// block writes a titled table at *row: a section title, an optional note,
// the header and rows ("None." when there are none), made an Excel table
// named name when name is given, and moves *row two rows below it.
func (b *book) block(sheet string, row *int, title, note string, cols []col, rows [][]any, name string) error {
	if err := b.str(sheet, 1, *row, title, b.s.section); err != nil {
		return err
	}
	*row++
	if note != "" {
		if err := b.subtitle(sheet, *row, note); err != nil {
			return err
		}
		*row++
	}
	t, err := b.newTable(sheet, 1, *row, cols)
	if err != nil {
		return err
	}
	for _, v := range rows {
		if err := t.add(v...); err != nil {
			return err
		}
	}
	switch {
	case len(rows) == 0:
		if err := b.str(sheet, 1, t.row+1, "None.", b.s.note); err != nil {
			return err
		}
		t.row++
	case name != "" && !spans(cols):
		// A table cannot hold merged cells: a block with text merged
		// across columns keeps its plain header instead.
		if err := t.asTable(name); err != nil {
			return err
		}
	}
	*row = t.row + 3
	return nil
}

// spans reports whether a column of cols is merged across others.
func spans(cols []col) bool {
	for _, c := range cols {
		if c.span > 0 {
			return true
		}
	}
	return false
}

// figure writes one key figure on row: its label across columns A–C and
// its value in D, as the Summary and Recommendations sheets show them.
func (b *book) figure(sheet string, row int, label string, v any, k kind, bold bool) error {
	if err := b.str(sheet, 1, row, label, b.s.label); err != nil {
		return err
	}
	if err := b.f.MergeCell(sheet, cellName(1, row), cellName(3, row)); err != nil {
		return err
	}
	return b.put(sheet, 4, row, v, k, bold)
}
