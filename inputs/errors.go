package inputs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"rexpo/exposure"
	"rexpo/reference"
)

// Causes of a bad value. The parsers (ParseAmount, ...) wrap them with the
// text that failed, so errors.Is tells the kind of problem and Error()
// reads as a message for the user, e.g. `ambiguous number "1,5" (...)`;
// the reader wraps them in a *CellError that places the cell.
var (
	// ErrInvalidNumber: the text is not a number.
	ErrInvalidNumber = errors.New("invalid number")
	// ErrAmbiguousNumber: the text is a number only under a guess about
	// its separators ("1,5", "1.234,5", "1234,567"); rexpo never guesses.
	ErrAmbiguousNumber = errors.New("ambiguous number")
	// ErrPercentNotAllowed: a '%' in a column that is not in percent.
	ErrPercentNotAllowed = errors.New("percent not allowed")
	// ErrNegative: a negative value where only values ≥ 0 make sense
	// (quantities, costs, masses). The parsers accept negative numbers;
	// callers that need ≥ 0 report this cause.
	ErrNegative = errors.New("negative value")
	// ErrOutOfRange: a value outside the range its column allows (a
	// probability above 1, a range whose value lies outside its bounds, a
	// number too large or too small to be meant).
	ErrOutOfRange = errors.New("value out of range")
	// ErrUnknownCountry: a country cell that names no ISO 3166 country
	// (the reference package's sentinel, which its lookups wrap).
	ErrUnknownCountry = reference.ErrUnknownCountry
	// ErrUnknownElement: an element cell that names no chemical element.
	ErrUnknownElement = reference.ErrUnknownElement
	// ErrInvalidMonth: a month cell that is no calendar or relative month.
	ErrInvalidMonth = errors.New("invalid month")
	// ErrInvalidYesNo: a yes/no cell with another word in it.
	ErrInvalidYesNo = errors.New("not yes or no")
)

// Causes of a problem with the input's shape rather than one value's text.
// The messages do not name them: they say what is wrong in words, and the
// sentinel lets a program tell the kind.
var (
	// ErrMissingSheet: a sheet the input needs is not in the book.
	ErrMissingSheet = errors.New("missing sheet")
	// ErrMissingColumn: a sheet lacks a required column (or a header row).
	ErrMissingColumn = errors.New("missing column")
	// ErrMissingValue: a cell that must be filled is empty.
	ErrMissingValue = errors.New("missing value")
	// ErrUnknownWord: a word column or setting holds a word it does not
	// accept (a stance, a class, ...).
	ErrUnknownWord = errors.New("unknown word")
	// ErrUnknownName: a cell names something the input does not define (a
	// product, a parent part, a material, a scenario, one of our columns).
	ErrUnknownName = errors.New("unknown name")
	// ErrDuplicate: a key is defined twice (a product, a scenario).
	ErrDuplicate = errors.New("defined twice")
	// ErrConflict: cells that exclude each other are both given
	// (part_number and material, unit_cost and premium_pct, ...).
	ErrConflict = errors.New("conflicting values")
	// ErrMissingRate: an amount is in a currency without an FX rate.
	ErrMissingRate = errors.New("missing FX rate")
	// ErrNotTree: the BOM is not a tree of parts (a cycle, a missing or
	// ambiguous parent, a level without its parent level); exposure's
	// sentinel, which exposure.Compute also wraps.
	ErrNotTree = exposure.ErrNotTree
)

// CellError is a problem of the input as an error, placed as
// encoding/csv's ParseError places a bad field: the sheet, the row and the
// column, and the field (the column's header), with the cause it wraps.
// Match the cause with errors.Is (ErrInvalidNumber, ErrMissingColumn, ...)
// and the place by its fields, not by words.
type CellError struct {
	Sheet string // the sheet as the book names it; "" for the input as a whole or a flag
	Row   int    // 1-based row; 0 when the problem is about a whole sheet
	Col   int    // 0-based column (A is 0); -1 when about a whole row or sheet
	Field string // the column's header, or the flag ("--only", "--map"); "" when none
	Err   error  // the cause
}

// Cell returns the cell's A1 name ("C7"), the row number alone ("7") for a
// whole row, or "".
func (e *CellError) Cell() string {
	switch {
	case e.Row <= 0:
		return ""
	case e.Col < 0:
		return strconv.Itoa(e.Row)
	}
	return cellName(e.Col, e.Row)
}

// Error reads `BOM!C7 (unit_cost): ambiguous number "1,5" (...)`: the place,
// the field, and the cause.
func (e *CellError) Error() string {
	var b strings.Builder
	b.WriteString(e.Sheet)
	if c := e.Cell(); c != "" {
		if e.Sheet != "" {
			b.WriteByte('!')
		}
		b.WriteString(c)
	}
	if e.Field != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "(%s)", e.Field)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *CellError) Unwrap() error { return e.Err }

// at places a problem given as a sheet and a cell string: an A1 name, a
// row number, or a flag ("--only"), which becomes the field.
func at(sheet, cell string) *CellError {
	ce := &CellError{Sheet: sheet, Col: -1}
	if cell == "" {
		return ce
	}
	if n, err := strconv.Atoi(cell); err == nil && n > 0 {
		ce.Row = n
		return ce
	}
	letters := 0
	for letters < len(cell) && cell[letters] >= 'A' && cell[letters] <= 'Z' {
		letters++
	}
	row, err := strconv.Atoi(cell[letters:])
	if letters == 0 || letters > 3 || err != nil || row <= 0 {
		ce.Field = cell // a flag, or a place that is no cell
		return ce
	}
	col := 0
	for _, c := range cell[:letters] {
		col = col*26 + int(c-'A') + 1
	}
	ce.Row, ce.Col = row, col-1
	return ce
}

// causeError is a message that wraps a sentinel without naming it, so that
// messages read as they did before their kinds were given.
type causeError struct {
	msg  string
	errs []error
}

func (c *causeError) Error() string   { return c.msg }
func (c *causeError) Unwrap() []error { return c.errs }

// causef formats a cause as fmt.Errorf does (a %w verb wraps its error,
// reading as %v would), wrapping kind too when it is not nil.
func causef(kind error, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	if kind == nil {
		return err
	}
	return &causeError{msg: err.Error(), errs: []error{kind, err}}
}
