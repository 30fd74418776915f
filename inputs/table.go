package inputs

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/schema"
	"rexpo/workbook"
)

// headerSearchRows is how far down a sheet the header row is looked for,
// below a title block.
const headerSearchRows = 20

// erpAliases are headers of ERP exports (SAP CS11/CS12, Agile) that mean
// one of our columns, in their raw spelling.
var erpAliases = map[string][]string{
	"level":       {"Explosion level", "Level", "Lvl"},
	"part_number": {"Component number", "Item Number", "Component", "Material"},
	"description": {"Object description", "Item Description", "Component description"},
	"qty_per":     {"Comp. Qty (CUn)", "Comp. Qty (BUn)", "Component quantity", "Qty", "Qty (CUn)", "Qty (BUn)"},
	"uom":         {"Component unit", "Unit", "UoM", "Base unit of measure", "Base Unit", "BUn"},
}

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
	// (silent.go), 0 when the sheet has none.
	exampleCol int
	costs      *costWatch // unit costs read without a currency column, or nil
	textCols   []int      // the columns of text the report shows (KindText)
}

var (
	gramsHeader = regexp.MustCompile(`(?i)^([A-Za-z]+)(?:[ _\-]+g|\s*\(\s*g\s*\)|[ _\-]+grams?)$`)
	pctHeader   = regexp.MustCompile(`(?i)^([A-Za-z]+)(?:[ _\-]*(?:pct|%|\(\s*%\s*\)|wt\s*%|\(\s*wt\s*%\s*\)|wt_?pct))?$`)
)

// columnKey is the column a header means and how strongly: when several
// headers of a sheet mean the same column, the lowest rank wins.
type columnKey struct {
	name string
	rank int
}

// columnKeys maps every normalised header a layout accepts to its column:
// a --map entry first, then the canonical name, then aliases in their
// listed order, then ERP export headers.
func columnKeys(l *schema.SheetLayout, mapping map[string]string) map[string]columnKey {
	keys := map[string]columnKey{}
	add := func(header, name string, rank int) {
		k := schema.NormalizeKey(header)
		if old, taken := keys[k]; !taken || rank < old.rank {
			keys[k] = columnKey{name, rank}
		}
	}
	for _, c := range l.Columns {
		add(c.Name, c.Name, 1)
		for i, a := range c.Aliases {
			add(a, c.Name, 2+i)
		}
		if base, ok := strings.CutSuffix(c.Name, "_pct"); ok {
			add(base, c.Name, 50)
		}
	}
	if l.Name == "BOM" {
		for name, as := range erpAliases {
			for i, a := range as {
				add(a, name, 100+i)
			}
		}
	}
	for ours, theirs := range mapping {
		if k, ok := keys[schema.NormalizeKey(ours)]; ok {
			keys[schema.NormalizeKey(theirs)] = columnKey{k.name, 0}
		}
	}
	return keys
}

// assignColumns maps a header row's cells to columns, the best-ranked
// header winning where several mean the same column.
func assignColumns(cells []workbook.Cell, keys map[string]columnKey) map[string]int {
	cols := map[string]int{}
	ranks := map[string]int{}
	for i, c := range cells {
		k, ok := keys[schema.NormalizeKey(c.Text)]
		if !ok || strings.TrimSpace(c.Text) == "" {
			continue
		}
		if r, dup := ranks[k.name]; !dup || k.rank < r {
			cols[k.name], ranks[k.name] = i, k.rank
		}
	}
	return cols
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

func texts(cells []workbook.Cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c.Text
	}
	return out
}

// quoteList quotes names for a message: each cut as schema.Quote cuts it and
// at most quoteListMax of them, so that a header row of huge or countless
// cells still makes a message a person can read.
func quoteList(ss []string) string {
	var q []string
	more := 0
	for _, s := range ss {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if len(q) == quoteListMax {
			more++
			continue
		}
		q = append(q, schema.Quote(s))
	}
	if len(q) == 0 {
		return "none"
	}
	if more > 0 {
		q = append(q, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(q, ", ")
}

const quoteListMax = 30

func requiredNames(l *schema.SheetLayout) string {
	var n []string
	for _, c := range l.Columns {
		if c.Required {
			n = append(n, c.Name)
		}
	}
	return strings.Join(n, ", ")
}

// bareHeaderWords are element symbols that are also common header words
// ("No" for a row number, "In", "As", "At", "Be"): alone they are not read
// as wt% columns; "No_pct" or "Nobelium" still are.
var bareHeaderWords = map[string]bool{"no": true, "in": true, "as": true, "at": true, "be": true, "he": true, "am": true, "es": true, "pa": true, "po": true, "i": true}

// findElementColumns recognises element headers: `Nd`, `Nd_pct`, `Nd (%)`,
// `Nd wt%` or `Neodymium` as wt%, and `Nd_g`, `Nd (g)` as grams per unit.
// A grams header needs a separator, so `Hg` stays mercury.
func (t *table) findElementColumns() {
	t.elemPct, t.elemGrams = map[string]int{}, map[string]int{}
	known := map[int]bool{}
	for _, i := range t.col {
		known[i] = true
	}
	for i, h := range t.headers {
		h = strings.TrimSpace(h)
		if known[i] || h == "" {
			continue
		}
		if m := gramsHeader.FindStringSubmatch(h); m != nil {
			if sym, err := reference.LookupElement(m[1]); err == nil {
				if _, dup := t.elemGrams[sym]; dup {
					t.ps.warnf(t.sheet, cellName(i, t.headerRow), "second column for %s grams ignored", sym)
					continue
				}
				t.elemGrams[sym] = i
				continue
			}
		}
		if m := pctHeader.FindStringSubmatch(h); m != nil {
			if sym, err := reference.LookupElement(m[1]); err == nil && !(m[0] == m[1] && bareHeaderWords[strings.ToLower(h)]) {
				if _, dup := t.elemPct[sym]; dup {
					t.ps.warnf(t.sheet, cellName(i, t.headerRow), "second column for %s wt%% ignored", sym)
					continue
				}
				t.elemPct[sym] = i
			}
		}
	}
}

func (t *table) warnDuplicateHeaders(keys map[string]columnKey) {
	for i, h := range t.headers {
		if k, ok := keys[schema.NormalizeKey(h)]; ok && strings.TrimSpace(h) != "" {
			if used := t.col[k.name]; used != i {
				t.ps.warnf(t.sheet, cellName(i, t.headerRow), "column %q also means %s: column %s (%q) is used", h, k.name, colName(used), t.headers[used])
			}
		}
	}
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

func (t *table) err() error { return t.rows.Err() }

// MaxCellChars is what one workbook cell holds, counted in UTF-16 units
// as Excel counts them.
const MaxCellChars = 32767

// cutLongTexts cuts a text cell of the current row that is longer than a
// report cell holds, ending it in "…", with a warning naming the cell
// (SPEC section 2): the report, the JSON and every message then carry the
// same text.
func (t *table) cutLongTexts() {
	for _, i := range t.textCols {
		if i >= len(t.row.Cells) || len(t.row.Cells[i].Text) <= MaxCellChars { // bytes ≥ UTF-16 units
			continue
		}
		c := &t.row.Cells[i]
		cut, n, was := cutText(c.Text)
		if !was {
			continue
		}
		c.Text = cut
		t.ps.warnf(t.sheet, t.ref(i), "%s: text of %s characters is longer than the %s a cell holds: the report shows it cut, ending in \"…\"",
			strings.TrimSpace(t.headers[i]), thousandsInt(n), thousandsInt(MaxCellChars))
	}
}

// cutText cuts s to MaxCellChars UTF-16 units, the last one "…", never
// within a character. It returns the text, its length in UTF-16 units
// and whether it cut.
func cutText(s string) (string, int, bool) {
	units, end := 0, -1
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1 // an invalid rune is written as U+FFFD
		}
		if end < 0 && units+w > MaxCellChars-1 {
			end = i
		}
		units += w
	}
	if units <= MaxCellChars {
		return s, units, false
	}
	return s[:end] + "…", units, true
}

// thousandsInt writes n with thousands separators: 32,767.
func thousandsInt(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (t *table) close() {
	t.rows.Close()
	t.costs.finish(t)
	t.costs = nil
}

func blankRow(cells []workbook.Cell) bool {
	for _, c := range cells {
		if strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// cellAt returns the cell in column i of the current row.
func (t *table) cellAt(i int) workbook.Cell {
	if i < 0 || i >= len(t.row.Cells) {
		return workbook.Cell{}
	}
	return t.row.Cells[i]
}

// cell returns the named column's cell of the current row.
func (t *table) cell(name string) workbook.Cell {
	i, ok := t.col[name]
	if !ok {
		return workbook.Cell{}
	}
	return t.cellAt(i)
}

// numberText returns a cell's text for the number parsers: with
// --decimal-comma a text cell's decimal marks are swapped
// (swapDecimalMarks); without it, a comma where its meaning is unsure is
// refused (checkComma).
func (t *table) numberText(c workbook.Cell) (string, error) {
	if t.decimalComma && c.Kind == workbook.CellText {
		return swapDecimalMarks(c.Text), nil
	}
	return c.Text, checkComma(c)
}

// commaUnsureHint explains why a number with a comma in a ';'-separated
// CSV file is refused.
const commaUnsureHint = "this file separates its fields with ';', as Excel does where ',' marks decimals, so the comma could mean either: give --decimal-comma if the file writes decimals with ',', else write the number with '.' for decimals and no thousands separator"

// checkComma refuses a number with a comma in a cell where the comma's
// meaning is unsure (Cell.CommaUnsure): "1,500" there is as likely 1.5
// as 1500, and SPEC section 2 says an ambiguous number is an error.
func checkComma(c workbook.Cell) error {
	if c.CommaUnsure && strings.ContainsRune(c.Text, ',') {
		return fmt.Errorf("%w %s: %s", ErrAmbiguousNumber, schema.Quote(c.Text), commaUnsureHint)
	}
	return nil
}

// textAt returns the text of the cell in column i, trimmed.
func (t *table) textAt(i int) string {
	return strings.TrimSpace(t.cellAt(i).Text)
}

// text returns the named cell's text, trimmed.
func (t *table) text(name string) string {
	return strings.TrimSpace(t.cell(name).Text)
}

// ref returns the A1 name of column i in the current row.
func (t *table) ref(i int) string { return cellName(i, t.row.Num) }

// colOf returns the named column's index, or -1 when the table lacks it.
func (t *table) colOf(name string) int {
	if i, ok := t.col[name]; ok {
		return i
	}
	return -1
}

// refOf returns the A1 name of the named column in the current row, or
// the row number when the column is absent.
func (t *table) refOf(name string) string {
	if i, ok := t.col[name]; ok {
		return t.ref(i)
	}
	return fmt.Sprint(t.row.Num)
}

// rowRef is the sheet and row of the current row, e.g. "BOM!12".
func (t *table) rowRef() string {
	var buf [64]byte
	b := append(append(buf[:0], t.sheet...), '!')
	return string(strconv.AppendInt(b, int64(t.row.Num), 10)) // one allocation, not two
}

// bad records an error at the named cell whose cause wraps the sentinel
// kind (nil for none), which the message need not name.
func (t *table) bad(name string, kind error, format string, args ...any) {
	ce := &CellError{Sheet: t.sheet, Row: t.row.Num, Col: t.colOf(name), Field: name, Err: causef(kind, format, args...)}
	if ce.Col >= 0 {
		ce.Field = t.header(ce.Col)
	}
	t.ps.errorAt(ce, t.refOf(name), ce.Err.Error())
}

// header returns the header of column i as the sheet writes it, trimmed.
func (t *table) header(i int) string {
	if i < 0 || i >= len(t.headers) {
		return ""
	}
	return strings.TrimSpace(t.headers[i])
}

// cellErr records a value error at column i with the header and value:
// the message reads `unit_cost "1,5": ambiguous number ...`, and the
// problem's *CellError has the field and wraps err.
func (t *table) cellErr(i int, err error) {
	c := t.cellAt(i)
	h := t.header(i)
	msg := fmt.Sprintf("%s %q: %v", h, c.Text, err)
	if strings.Contains(err.Error(), strings.TrimSpace(c.Text)) || len(c.Text) > 60 {
		msg = fmt.Sprintf("%s: %v", h, err) // the cause already quotes the text
	}
	t.ps.errorAt(&CellError{Sheet: t.sheet, Row: t.row.Num, Col: i, Field: h, Err: err}, t.ref(i), msg)
}

// amount parses a non-negative amount column; ok is false when the cell is
// empty or bad (bad cells are recorded).
func (t *table) amount(name string) (decimal.Decimal, bool) {
	i, ok := t.col[name]
	if !ok {
		return decimal.Decimal{}, false
	}
	return t.amountAt(i, true)
}

func (t *table) amountAt(i int, nonNegative bool) (decimal.Decimal, bool) {
	c := t.cellAt(i)
	if strings.TrimSpace(c.Text) == "" {
		return decimal.Decimal{}, false
	}
	var d decimal.Decimal
	var err error
	if c.Percent {
		err = fmt.Errorf("%w: a cell formatted as a percentage in a column that is not a percent column", ErrPercentNotAllowed)
	} else if err = t.dateAsNumber(c); err == nil {
		var text string
		if text, err = t.numberText(c); err == nil {
			d, err = ParseAmount(text)
		}
	}
	if err == nil && nonNegative && d.Sign() < 0 {
		err = fmt.Errorf("%w: must be 0 or more", ErrNegative)
	}
	if err != nil {
		t.cellErr(i, err)
		return decimal.Decimal{}, false
	}
	return d, true
}

// percentAt parses a percent cell in column i.
func (t *table) percentAt(i int) (decimal.Decimal, bool) {
	c := t.cellAt(i)
	if strings.TrimSpace(c.Text) == "" {
		return decimal.Decimal{}, false
	}
	text, err := t.numberText(c)
	if err == nil {
		err = t.dateAsNumber(c)
	}
	if err != nil {
		t.cellErr(i, err)
		return decimal.Decimal{}, false
	}
	d, err := ParsePercent(text, c.Percent)
	if err != nil {
		t.cellErr(i, err)
		return decimal.Decimal{}, false
	}
	return d, true
}

func (t *table) percent(name string) (decimal.Decimal, bool) {
	i, ok := t.col[name]
	if !ok {
		return decimal.Decimal{}, false
	}
	return t.percentAt(i)
}

// country parses a country column: "" for unknown.
func (t *table) country(name string) string {
	i, ok := t.col[name]
	if !ok {
		return ""
	}
	return t.countryAt(i)
}

// countryAt parses the country cell in column i: "" for unknown or bad
// (recorded).
func (t *table) countryAt(i int) string {
	code, err := reference.LookupCountry(t.cellAt(i).Text)
	if err != nil {
		t.cellErr(i, err)
		return ""
	}
	return code
}

// month parses a month column; the zero Month when empty or bad.
func (t *table) month(name string) exposure.Month {
	i, ok := t.col[name]
	if !ok {
		return exposure.Month{}
	}
	c := t.cellAt(i)
	if strings.TrimSpace(c.Text) == "" {
		return exposure.Month{}
	}
	text, isDate := c.Text, c.Date || c.Kind == workbook.CellDate
	if isDate && t.date1904 && c.Kind == workbook.CellNumber {
		// Serials of the 1904 date system count from 1904-01-01, 1,462
		// days after the 1900 system's epoch.
		if d, err := decimal.NewFromString(text); err == nil {
			text = d.Add(decimal.NewFromInt(1462)).String()
		}
	}
	v, err := ParseMonth(text, isDate)
	if err != nil {
		t.cellErr(i, err)
		return exposure.Month{}
	}
	return v
}

// cellName returns the A1 name of 0-based column i in row.
func cellName(i, row int) string { return colName(i) + fmt.Sprint(row) }

// colName returns the letters of 0-based column i.
func colName(i int) string {
	n := i + 1
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// missingColumns says which required columns a header row lacks and, for
// each, the header found that is nearest to it (an ERP's own words for it,
// a typo) with the --map line that would read it; or that none is near.
func missingColumns(l *schema.SheetLayout, cells []workbook.Cell, keys map[string]columnKey) string {
	cols := assignColumns(cells, keys)
	used := map[int]bool{}
	for _, i := range cols {
		used[i] = true
	}
	var parts []string
	for _, c := range l.Columns {
		if _, ok := cols[c.Name]; !c.Required || ok {
			continue
		}
		cands := headerCandidates(&schema.SheetLayout{Name: l.Name, Columns: []schema.Column{c}}, nil)
		best, bestScore := "", 0.0
		for i, cell := range cells {
			h := strings.TrimSpace(cell.Text)
			if h == "" || used[i] {
				continue
			}
			for _, cand := range cands {
				if cand.column != c.Name {
					continue
				}
				if s := headerScore(h, cand); s > bestScore {
					best, bestScore = h, s
				}
			}
		}
		if best == "" {
			parts = append(parts, fmt.Sprintf("missing required column %s: no header found is near it; add the column, or name yours with --map FILE, a file with the line `%s: Your header`",
				c.Name, c.Name))
			continue
		}
		parts = append(parts, fmt.Sprintf("missing required column %s; the nearest header found is %s: if it holds %s, rename it %s or map it with --map FILE, a file with the line `%s: %s`",
			c.Name, schema.Quote(best), c.Name, c.Name, c.Name, best))
	}
	return strings.Join(parts, "; ")
}
