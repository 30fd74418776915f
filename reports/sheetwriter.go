package reports

import (
	"maps"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// sheetWriter writes one sheet through the book and keeps the first
// error, as bufio.Writer does: once a write fails the later ones do
// nothing, and err holds the failure. A sheet function then reads as its
// layout, cell after cell, and returns w.err once at its end.
type sheetWriter struct {
	b     *book
	sheet string
	err   error
}

// writer starts writing the report's sheet.
func (rep *report) writer(sheet string) *sheetWriter { return newSheetWriter(rep.b, sheet) }

func newSheetWriter(b *book, sheet string) *sheetWriter { return &sheetWriter{b: b, sheet: sheet} }

// do runs one write of the book or its file, unless an earlier one failed.
func (w *sheetWriter) do(write func() error) {
	if w.err == nil {
		w.err = write()
	}
}

// str writes text as a string cell (book.str).
func (w *sheetWriter) str(c, r int, s string, style int) {
	w.do(func() error { return w.b.str(w.sheet, c, r, s, style) })
}

// put writes a value of any kind book.put takes.
func (w *sheetWriter) put(c, r int, v any, k kind, bold bool) {
	w.do(func() error { return w.b.put(w.sheet, c, r, v, k, bold) })
}

// style sets the style of the cell at (c, r).
func (w *sheetWriter) style(c, r, style int) {
	cell := cellName(c, r)
	w.do(func() error { return w.b.f.SetCellStyle(w.sheet, cell, cell, style) })
}

// merge merges the cells from (c1, r1) to (c2, r2).
func (w *sheetWriter) merge(c1, r1, c2, r2 int) {
	w.do(func() error { return w.b.f.MergeCell(w.sheet, cellName(c1, r1), cellName(c2, r2)) })
}

// height sets the height of row r in points.
func (w *sheetWriter) height(r int, h float64) {
	w.do(func() error { return w.b.f.SetRowHeight(w.sheet, r, h) })
}

// panes freezes the first rows and cols on screen.
func (w *sheetWriter) panes(rows, cols int) {
	w.do(func() error { return w.b.f.SetPanes(w.sheet, freezePanes(rows, cols)) })
}

// pageSetup prints the sheet landscape with titleRows repeated (book.pageSetup).
func (w *sheetWriter) pageSetup(titleRows int) {
	w.do(func() error { return w.b.pageSetup(w.sheet, titleRows) })
}

// wrapNotesTo has the notes under the sheet's block titles wrap within
// columns 1..last, the printed page (book.subtitle).
func (w *sheetWriter) wrapNotesTo(last int) {
	if w.b.noteSpan == nil {
		w.b.noteSpan = map[string]int{}
	}
	w.b.noteSpan[w.sheet] = last
}

// plain sets the sheet up for one table (book.plainSheet).
func (w *sheetWriter) plain(freezeCols int) {
	w.do(func() error { return w.b.plainSheet(w.sheet, freezeCols) })
}

// pageBreak starts a printed page at row r.
func (w *sheetWriter) pageBreak(r int) {
	w.do(func() error { return w.b.f.InsertPageBreak(w.sheet, cellName(1, r)) })
}

// link makes the cell at (c, r) a link to target, a place in the workbook.
func (w *sheetWriter) link(c, r int, target string) {
	w.do(func() error { return w.b.f.SetCellHyperLink(w.sheet, cellName(c, r), target, "Location") })
}

// note attaches an explanation to the cell at (c, r).
func (w *sheetWriter) note(c, r int, text string) {
	w.do(func() error { return w.b.note(w.sheet, c, r, text) })
}

// notes attaches explanations to the header cells of row, in column
// order so that the file is the same from run to run.
func (w *sheetWriter) notes(row int, notes map[int]string) {
	for _, c := range slices.Sorted(maps.Keys(notes)) {
		w.note(c, row, notes[c])
	}
}

// figure writes a key figure on row: label across A–C, value in D.
func (w *sheetWriter) figure(row int, label string, v any, k kind, bold bool) {
	w.do(func() error { return w.b.figure(w.sheet, row, label, v, k, bold) })
}

// spanText writes long text at (c, r) merged across to column last and
// wrapped (book.spanText).
func (w *sheetWriter) spanText(c, last, r int, s string, bold bool) {
	w.do(func() error { return w.b.spanText(w.sheet, c, last, r, s, bold) })
}

// subtitle writes a block's note at the start of row (book.subtitle).
func (w *sheetWriter) subtitle(row int, text string) {
	w.do(func() error { return w.b.subtitle(w.sheet, row, text) })
}

// block writes a titled table at *row and moves *row below it (book.block).
func (w *sheetWriter) block(row *int, title, note string, cols []col, rows [][]any, name string) {
	w.do(func() error { return w.b.block(w.sheet, row, title, note, cols, rows, name) })
}

// paragraph writes text merged across width columns from column left of
// row, wrapped, with the row sized for perLine characters a line: merged
// cells do not grow with their text.
func (w *sheetWriter) paragraph(left, row, width int, text string, perLine float64) {
	w.str(left, row, text, w.b.s.wrap)
	w.merge(left, row, left+width-1, row)
	lines := int(math.Ceil(float64(utf8.RuneCountInString(text))/perLine)) + 1
	w.height(row, math.Min(float64(lines)*15, 409))
}

// chart adds c at (col, row) once the workbook is finished (book.chart).
func (w *sheetWriter) chart(col, row int, c *excelize.Chart, combo ...*excelize.Chart) {
	w.b.chart(w.sheet, cellName(col, row), c, combo...)
}

// sheetTable is a table written through a sheetWriter: its rows, filter
// and Excel table keep the writer's first error. Its methods hide the
// table's own, which return errors.
type sheetTable struct {
	*table
	w *sheetWriter
}

// table writes the header row of a table at (left, top).
func (w *sheetWriter) table(left, top int, cols []col) *sheetTable {
	t := &table{b: w.b, sheet: w.sheet, cols: cols, left: left, top: top, row: top}
	w.do(func() error {
		var err error
		t, err = w.b.newTable(w.sheet, left, top, cols)
		return err
	})
	if t == nil { // newTable failed: keep a table to count rows on
		t = &table{b: w.b, sheet: w.sheet, cols: cols, left: left, top: top, row: top}
	}
	return &sheetTable{table: t, w: w}
}

// add writes the next row (table.add).
func (t *sheetTable) add(vals ...any) { t.w.do(func() error { return t.table.add(vals...) }) }

// addBold writes the next row in bold, for totals.
func (t *sheetTable) addBold(vals ...any) { t.w.do(func() error { return t.table.addBold(vals...) }) }

// filter puts the sheet's autofilter on the table.
func (t *sheetTable) filter() { t.w.do(t.table.filter) }

// asTable makes the table an Excel table named name.
func (t *sheetTable) asTable(name string) { t.w.do(func() error { return t.table.asTable(name) }) }
