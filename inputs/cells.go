package inputs

// The cells of a table's current row: their text and A1 names, and
// their values typed by column (amounts, percentages, countries, months),
// each bad cell recorded as a CellError with its header and value.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/schema"
	"rexpo/workbook"
)

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
