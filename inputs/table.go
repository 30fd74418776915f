package inputs

// A sheet read as a table: its header row found below any title block
// (headers.go says which header means which column), then its data rows
// one at a time, blank rows and the template's examples skipped. The
// cells of the current row are read in cells.go.

import (
	"fmt"
	"sort"
	"strings"

	"rexpo/schema"
	"rexpo/workbook"
)

// table is one input sheet being read row by row after its header row.
type table struct {
	sheet     string
	headerRow int
	headers   []string       // as found, by column index
	col       map[string]int // canonical column → index
	elemPct   map[string]int // element symbol → column of wt%
	elemGrams map[string]int // element symbol → column of grams per unit
	rows      *workbook.RowReader
	date1904  bool // the workbook counts dates from 1904
	// decimalComma: text numbers write decimals with ',' and thousands
	// with '.' (--decimal-comma); numeric cells are numbers either way.
	decimalComma bool
	row          workbook.Row
	ps           *problems
	// exampleCol is 1 + the column of the template's example marker
	// (examples.go), 0 when the sheet has none.
	exampleCol int
	costs      *costWatch // unit costs read without a currency column, or nil
	textCols   []int      // the columns of text the report shows (KindText)
}

// openTable finds the sheet's header row in its first rows and returns the
// table positioned before the first data row. withElements accepts element
// columns (BOM, Materials).
func openTable(b *workbook.Book, sheet string, l *schema.SheetLayout, mapping map[string]string, withElements bool, ps *problems) (*table, error) {
	rr, err := b.Rows(sheet)
	if err != nil {
		return nil, err
	}
	t := &table{sheet: sheet, rows: rr, ps: ps, date1904: b.Date1904()}
	keys := columnKeys(l, mapping)
	var ahead []workbook.Row
	bestRow, bestFound := -1, -1
	for len(ahead) < headerSearchRows && rr.Next() {
		r := rr.Row()
		ahead = append(ahead, workbook.Row{Num: r.Num, Cells: append([]workbook.Cell(nil), r.Cells...)})
		missing := false
		cols := assignColumns(r.Cells, keys)
		found := len(cols)
		for _, c := range l.Columns {
			if _, ok := cols[c.Name]; c.Required && !ok {
				missing = true
			}
		}
		if found > bestFound {
			bestRow, bestFound = len(ahead)-1, found
		}
		if !missing {
			t.headerRow = r.Num
			t.col = cols
			t.headers = texts(r.Cells)
			break
		}
	}
	if err := rr.Err(); err != nil {
		rr.Close()
		return nil, err
	}
	if t.col == nil {
		rr.Close()
		if bestRow < 0 {
			ps.errorIs(ErrMissingColumn, sheet, "", "the sheet is empty: expected a header row with %s", requiredNames(l))
			return nil, nil
		}
		hdr := ahead[bestRow]
		ps.errorIs(ErrMissingColumn, sheet, fmt.Sprint(hdr.Num), "%s (headers found in row %d: %s)",
			missingColumns(l, hdr.Cells, keys), hdr.Num, quoteList(texts(hdr.Cells)))
		return nil, nil
	}
	if withElements {
		t.findElementColumns()
	}
	for _, c := range l.Columns {
		if i, ok := t.col[c.Name]; ok && c.Kind == schema.KindText {
			t.textCols = append(t.textCols, i)
		}
	}
	sort.Ints(t.textCols)
	t.warnDuplicateHeaders(keys)
	t.findExampleColumn()
	return t, nil
}

// next advances to the next non-empty data row, skipping the template's
// example rows (with a warning).
func (t *table) next() bool {
	for t.rows.Next() {
		t.row = t.rows.Row()
		if !blankRow(t.row.Cells) && !t.skipExample() {
			t.costs.see(t)
			t.cutLongTexts()
			return true
		}
	}
	return false
}

// err is the reading error that ended the rows, if any.
func (t *table) err() error { return t.rows.Err() }

// close releases the sheet's reader and gives the cost-currency warning
// of the sheet, now that all its rows are seen.
func (t *table) close() {
	t.rows.Close()
	t.costs.finish(t)
	t.costs = nil
}

// blankRow reports whether a row has no text: such rows are skipped,
// not read as lines with every value missing.
func blankRow(cells []workbook.Cell) bool {
	for _, c := range cells {
		if strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}
