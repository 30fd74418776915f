package inputs

// Cell text to the values of a column's kind: amounts, percentages,
// probabilities, ranges and yes/no. The number grammar they share is in
// numbers.go, months and dates in dates.go.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/schema"
)

// ParseAmount parses the text of a number cell in a column that is not in
// percent: a numeric cell's stored text ("1234.5", "1E-3", "-2") or text
// typed by a person ("1,234.50", "1,500", "$12.50", "€ 3", "USD 12",
// "(12.50)" for an accounting negative, "12.50-" as SAP writes it).
// Commas are thousands separators only when the first group has 1–3
// digits and every later group exactly three; any other comma makes the
// text ErrAmbiguousNumber, as does "1.234.567". A '%' is
// ErrPercentNotAllowed; anything else that is not a number (including an
// empty cell) is ErrInvalidNumber. The currency is dropped: checking it
// against the row's currency column is the caller's business. The text
// never goes through float64.
func ParseAmount(text string) (decimal.Decimal, error) {
	d, _, err := parseNumber(text, numberOptions{currency: true})
	return d, err
}

// ParsePercent parses a cell of a percent column (element wt%, share_pct,
// tariff_pct, carrying_rate, ...) and returns percent: "5" and "5%" are 5,
// "12.5 %" is 12.5. A numeric cell formatted as a percentage
// (percentFormatted true) stores the fraction, "0.05", shown as 5%: it is
// multiplied by 100. Negative values are returned as they are.
func ParsePercent(text string, percentFormatted bool) (decimal.Decimal, error) {
	d, pct, err := parseNumber(text, numberOptions{percent: true})
	if err != nil {
		return d, err
	}
	if percentFormatted && !pct {
		d = d.Shift(2)
	}
	return d, nil
}

// ParseFraction parses a probability, a fraction from 0 to 1: "0.25", the
// text "25%" and a cell shown as 25% (percentFormatted, stored 0.25) are
// all 0.25. A value above 1 or below 0 is ErrOutOfRange: "25" is not taken
// to mean 25%, the user is asked to write 25% or 0.25.
func ParseFraction(text string, percentFormatted bool) (decimal.Decimal, error) {
	d, pct, err := parseNumber(text, numberOptions{percent: true})
	if err != nil {
		return d, err
	}
	if pct {
		d = d.Shift(-2)
	}
	if d.Sign() < 0 || d.Cmp(decimal.NewFromInt(1)) > 0 {
		hint := "write a fraction from 0 to 1, such as 0.25, or a percentage such as 25%"
		return decimal.Decimal{}, fmt.Errorf("%w: probability %s is not between 0 and 1 (%s)", ErrOutOfRange, schema.Quote(text), hint)
	}
	return d, nil
}

// ParseRange parses a value with an optional range, "30 (20..60)": value
// 30, low 20, high 60, ranged true. Without a range, "30" gives 30, 30, 30,
// false. Spaces around ".." are allowed, and "…" or "..." may replace "..".
// Each of the three numbers is parsed with parse (ParseAmount, or a closure
// over ParsePercent), whose error is returned wrapped. The bounds must
// satisfy low ≤ value ≤ high, or the error is ErrOutOfRange. Text in
// parentheses without ".." is not a range: "(12.50)" goes to parse whole.
func ParseRange(text string, parse func(string) (decimal.Decimal, error)) (value, low, high decimal.Decimal, ranged bool, err error) {
	s := schema.Trim(text)
	head, inner, ok := rangeParts(s)
	if !ok {
		value, err = parse(text)
		if err != nil {
			return decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}, false, err
		}
		return value, value, value, false, nil
	}
	var lo, hi string
	for _, sep := range []string{"...", "…", ".."} {
		if a, b, found := strings.Cut(inner, sep); found {
			lo, hi = a, b
			break
		}
	}
	fail := func(err error) (decimal.Decimal, decimal.Decimal, decimal.Decimal, bool, error) {
		return decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}, false, fmt.Errorf("in range %s: %w", schema.Quote(text), err)
	}
	if value, err = parse(head); err != nil {
		return fail(err)
	}
	if low, err = parse(schema.Trim(lo)); err != nil {
		return fail(err)
	}
	if high, err = parse(schema.Trim(hi)); err != nil {
		return fail(err)
	}
	if low.Cmp(value) > 0 || value.Cmp(high) > 0 {
		return decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}, false,
			fmt.Errorf("%w: range %s must read value (low..high) with low ≤ value ≤ high", ErrOutOfRange, schema.Quote(text))
	}
	return value, low, high, true, nil
}

// rangeParts splits "30 (20..60)" into "30" and "20..60". It reports
// false when s does not end in a parenthesised part holding a range
// separator after some value text.
func rangeParts(s string) (head, inner string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				head, inner = schema.Trim(s[:i]), s[i+1:len(s)-1]
				if head == "" || !(strings.Contains(inner, "..") || strings.Contains(inner, "…")) {
					return "", "", false
				}
				return head, inner, true
			}
		}
	}
	return "", "", false
}

// ParseYesNo parses a yes/no cell: yes, no, y, n, true, false, 1 and 0, in
// any case (Excel stores a boolean cell as 1 or 0, or shows TRUE/FALSE).
func ParseYesNo(text string) (bool, error) {
	t := strings.ToLower(schema.Trim(text))
	for _, w := range schema.YesNo {
		if t == w.Text || slices.Contains(w.Aliases, t) {
			return w.Value, nil
		}
	}
	return false, fmt.Errorf("%w: %s (write yes or no)", ErrInvalidYesNo, schema.Quote(text))
}
