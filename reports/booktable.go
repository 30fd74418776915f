package reports

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

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
	b.wraps[sheet] = appendDoubling(b.wraps[sheet], wrapCell{col: c, row: r, text: text})
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
	b.wraps[sheet] = appendDoubling(b.wraps[sheet], wrapCell{col: c, row: r, text: s, span: last})
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
	u.places = max(u.places, quickUnitPlaces(d))
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
			b.widen(sheet, c, colWidth(quickTextWidth(v)))
		}
		return b.str(sheet, c, r, v, style)
	case decimal.Decimal:
		b.widen(sheet, c, colWidth(quickShownWidth(v, k)))
		return b.num(sheet, c, r, v, k, bold)
	case cellNum:
		b.widen(sheet, c, colWidth(quickShownWidth(v.d, v.k)))
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
