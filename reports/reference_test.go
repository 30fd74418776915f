package reports

import "github.com/shopspring/decimal"

// Reference implementations that the workbook no longer calls, kept for
// the tests that compare its fast paths with them.

// styleFor (reference for quickBoldStyleFor) returns the style of a value of kind k; quantities that are not
// whole get decimals.
func (s *styles) styleFor(k kind, d decimal.Decimal, bold bool) int {
	if k == kQty && !d.Round(6).IsInteger() {
		return s.qtyFrac
	}
	if bold {
		return s.boldKind[k]
	}
	return s.byKind[k]
}
