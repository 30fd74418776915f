package inputs

import (
	"fmt"
	"math"
	"strconv"

	"rexpo/exposure"
	"rexpo/workbook"
)

// checkExploded refuses a line whose exploded quantity (the product of
// qty_per from the product down to it) is beyond exposure.MaxQuantity:
// each qty_per may be as large as a cell holds, but ten levels of 1e39
// make 1e390, and the figures built on it would not be numbers. The
// error names the qty_per cell of the line where the product first
// passes the limit. Cycles are broken before this runs.
func (r *reader) checkExploded(pend []pendingLine, qtyCol int) {
	lines := r.bom.Lines
	limit := math.Log10(exposure.MaxQuantity.InexactFloat64()) + 1e-9
	lg := make([]float64, len(lines)) // log10 of the exploded quantity
	done := make([]bool, len(lines))
	var path []int
	for i := range lines {
		path = path[:0]
		for j := i; j >= 0 && !done[j]; j = int(lines[j].Parent) {
			path = append(path, j)
		}
		for k := len(path) - 1; k >= 0; k-- {
			l := path[k]
			q := math.Log10(math.Abs(lines[l].QtyPer.InexactFloat64()))
			above := math.Inf(-1)
			if p := lines[l].Parent; p >= 0 {
				above = lg[p]
				q += lg[p]
			}
			lg[l], done[l] = q, true
			if q > limit && !(above > limit) {
				cell := strconv.Itoa(int(pend[l].row))
				if qtyCol >= 0 {
					cell = cellName(qtyCol, int(pend[l].row))
				}
				r.ps.errorIs(ErrOutOfRange, r.bomSheet, cell, "the exploded quantity of part %q, the product of qty_per from product %q down to it, is about 1e%.0f, beyond 1e40: check the quantities up the tree",
					lines[l].PartNumber, lines[l].Product, math.Floor(q))
			}
		}
	}
}

// dateAsNumber refuses a date cell in a column of numbers: Excel stores a
// date as its day count, so an annual volume, quantity or cost formatted
// as 2026-01-15 would read as 46037 without a word.
func (t *table) dateAsNumber(c workbook.Cell) error {
	if !c.Date && c.Kind != workbook.CellDate {
		return nil
	}
	shown := ""
	if c.Kind == workbook.CellDate {
		shown = c.Text
	} else if d, err := serialTime(c.Text); err == nil {
		if t.date1904 {
			d = d.AddDate(0, 0, 1462)
		}
		shown = d.Format("2006-01-02") + ", stored as " + c.Text
	}
	if shown == "" {
		return fmt.Errorf("%w: the cell is formatted as a date (stored as %s), not as a number: format it as a number", ErrInvalidNumber, c.Text)
	}
	return fmt.Errorf("%w: the cell holds a date (%s), not a number: format it as a number and write the value", ErrInvalidNumber, shown)
}
