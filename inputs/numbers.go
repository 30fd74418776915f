package inputs

// The grammar of number text: signs, accounting brackets, SAP's trailing
// minus, thousands groups, exponents and decimal commas, read into exact
// decimals without float64. ParseAmount and its kin (values.go) are built
// on parseNumber.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/schema"
)

// smallInts are the decimals 0 to 255, shared: decimals are immutable, and
// quantities such as 1, 2 or 4 fill most of a BOM's qty_per column.
var smallInts = func() (out [256]decimal.Decimal) {
	for i := range out {
		out[i] = decimal.NewFromInt(int64(i))
	}
	return out
}()

// plainFast parses the common case, up to 18 ASCII digits with at most
// one '.' and nothing else, without the general parser's allocations.
// It gives exactly what parseDigits gives; ok is false for anything else.
func plainFast(s string) (d decimal.Decimal, ok bool) {
	if len(s) == 0 || len(s) > 18 {
		return d, false
	}
	var mant int64
	exp, dot, digits := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			mant = mant*10 + int64(c-'0')
			digits++
			if dot {
				exp--
			}
		case c == '.' && !dot:
			dot = true
		default:
			return d, false
		}
	}
	switch {
	case digits == 0:
		return d, false
	case mant == 0:
		return decimal.Zero, true
	case exp == 0 && mant < int64(len(smallInts)):
		return smallInts[mant], true
	}
	return decimal.New(mant, int32(exp)), true
}

// swapDecimalMarks turns a number written with a decimal comma
// ("1.234,5", "0,125") into the '.'-decimal form the parsers read
// ("1,234.5", "0.125") by trading ',' and '.', but leaves the ".." or
// "..." of a range ("20..60") alone.
func swapDecimalMarks(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c == ',':
			b[i] = '.'
		case c == '.' && (i > 0 && s[i-1] == '.' || i+1 < len(s) && s[i+1] == '.'):
		case c == '.':
			b[i] = ','
		}
	}
	return string(b)
}

// numberOptions says what decorations parseNumber accepts around the digits.
type numberOptions struct {
	currency bool // a currency symbol or ISO code before or after
	percent  bool // a trailing '%'
}

// parseNumber parses number text with its decorations: white space, a
// leading '+', '-' or '−', a trailing '-' (SAP), accounting parentheses,
// a currency (when allowed) and a '%' (when allowed; reported in pct).
// The digits themselves are checked by parseDigits.
func parseNumber(text string, opts numberOptions) (d decimal.Decimal, pct bool, err error) {
	if d, ok := plainFast(text); ok {
		return d, false, nil
	}
	invalid := func() error { return fmt.Errorf("%w %s", ErrInvalidNumber, schema.Quote(text)) }
	s := schema.Trim(text)
	if s == "" {
		return decimal.Decimal{}, false, fmt.Errorf("%w: the cell is empty", ErrInvalidNumber)
	}
	if !opts.percent && strings.ContainsAny(s, "%\uff05\u066a") {
		return decimal.Decimal{}, false, fmt.Errorf("%w in %s (this column is not in percent: write the number without %%)", ErrPercentNotAllowed, schema.Quote(text))
	}
	if len(s) > 200 {
		return decimal.Decimal{}, false, invalid()
	}
	var neg, plus, paren, cur int
	for changed := true; changed && s != ""; {
		changed = true
		switch {
		case s[0] == '(' && s[len(s)-1] == ')' && len(s) >= 2:
			paren++
			neg++
			s = schema.Trim(s[1 : len(s)-1])
		case s[0] == '-':
			neg++
			s = schema.Trim(s[1:])
		case strings.HasPrefix(s, "\u2212"):
			neg++
			s = schema.Trim(s[len("\u2212"):])
		case s[0] == '+':
			plus++
			s = schema.Trim(s[1:])
		case s[len(s)-1] == '-' && len(s) >= 2 && !isExpChar(s[len(s)-2]):
			// SAP writes negative amounts with a trailing minus: "12.50-".
			neg++
			s = schema.Trim(s[:len(s)-1])
		case opts.percent && s[len(s)-1] == '%':
			if pct {
				return decimal.Decimal{}, false, invalid()
			}
			pct = true
			s = schema.Trim(s[:len(s)-1])
		default:
			if !opts.currency {
				changed = false
				break
			}
			if n := currencyPrefix(s); n > 0 {
				cur++
				s = schema.Trim(s[n:])
			} else if n := currencySuffix(s); n > 0 {
				cur++
				s = schema.Trim(s[:len(s)-n])
			} else {
				changed = false
			}
		}
	}
	if neg > 1 || plus > 1 || neg+plus > 1 || cur > 1 || paren > 1 || s == "" {
		return decimal.Decimal{}, false, invalid()
	}
	d, err = parseDigits(s)
	if err != nil {
		if errors.Is(err, ErrAmbiguousNumber) {
			return decimal.Decimal{}, false, fmt.Errorf("%w %s (use '.' for decimals and ',' only between groups of three digits, as in 1,234.5)", ErrAmbiguousNumber, schema.Quote(text))
		}
		if errors.Is(err, ErrOutOfRange) {
			return decimal.Decimal{}, false, fmt.Errorf("%w: %s is too large or too small", ErrOutOfRange, schema.Quote(text))
		}
		return decimal.Decimal{}, false, invalid()
	}
	if neg == 1 {
		d = d.Neg()
	}
	return d, pct, nil
}

// isExpChar reports whether c may precede the sign of an exponent, so
// that "1E-" is not read as 1E with a trailing minus.
func isExpChar(c byte) bool { return c == 'e' || c == 'E' }

// parseDigits parses the bare number: digits with an optional '.' decimal
// part and an optional exponent ("1.5E-2", as Excel stores small numbers),
// or digits grouped by commas in thousands ("1,234.50"). Text with a comma
// made only of digits, '.' and ',' that fits neither form is ambiguous, as
// is "1.234.567"; anything else is invalid. Values beyond ±1e40, or with more than 60 decimals, are out of
// range: no cell means them, and their text would not round-trip.
func parseDigits(s string) (decimal.Decimal, error) {
	if strings.ContainsRune(s, ',') {
		if !isGrouped(s) {
			if onlyOf(s, "0123456789.,") {
				return decimal.Decimal{}, ErrAmbiguousNumber
			}
			return decimal.Decimal{}, ErrInvalidNumber
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	if !isPlain(s) {
		if isDotGrouped(s) {
			return decimal.Decimal{}, ErrAmbiguousNumber // "1.234.567", European thousands
		}
		return decimal.Decimal{}, ErrInvalidNumber
	}
	s = strings.TrimSuffix(s, ".")
	if i := strings.IndexAny(s, "eE"); i >= 0 && strings.HasSuffix(s[:i], ".") {
		s = s[:i-1] + s[i:] // "5.E3"
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, ErrOutOfRange // exponent beyond int32 or decimal's limit
	}
	n := d.Normalize()
	if n.IsZero() {
		// "0E999999999" is zero, but printing it would build a billion digits.
		return decimal.Zero, nil
	}
	if mag := int64(n.NumDigits()) + int64(n.Exponent()); mag > 40 || n.Exponent() < -60 {
		return decimal.Decimal{}, ErrOutOfRange
	}
	return d, nil
}

// onlyOf reports whether s has only bytes from set and at least one digit.
func onlyOf(s, set string) bool {
	digit := false
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(set, rune(s[i])) {
			return false
		}
		digit = digit || (s[i] >= '0' && s[i] <= '9')
	}
	return digit
}

// isGrouped reports whether s is digits grouped by commas in thousands:
// a first group of 1–3 digits, every later group exactly three, and then
// optionally a '.' and at least one digit.
func isGrouped(s string) bool {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && (frac == "" || !allDigits(frac)) {
		return false
	}
	groups := strings.Split(intPart, ",")
	// A number grouped in thousands never starts with 0: "0,125" is a
	// decimal comma (0.125), not 125.
	if len(groups) < 2 || len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) || groups[0][0] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

// isDotGrouped reports whether s is digits grouped by dots in thousands,
// with at least two dots ("1.234.567"), as European exports write them.
func isDotGrouped(s string) bool {
	groups := strings.Split(s, ".")
	if len(groups) < 3 || len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

// isPlain reports whether s is digits with an optional '.' part (either
// side may be empty, not both) and an optional exponent [eE][+-]digits.
func isPlain(s string) bool {
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		if exp == "" || !allDigits(exp) || len(exp) > 9 {
			return false
		}
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" {
		return false
	}
	return (intPart == "" || allDigits(intPart)) && (frac == "" || allDigits(frac))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
