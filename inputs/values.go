package inputs

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
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

// currencyPrefix returns the length of a currency at the start of s:
// a run of currency symbols after at most three letters ("$", "€", "US$",
// "CN¥", "R$"), or an ISO 4217 code (any case) not followed by a letter
// ("USD 12", "eur12"). It returns 0 when s starts with no currency.
func currencyPrefix(s string) int {
	letters := 0
	for letters < len(s) && letters <= 3 && isLetter(s[letters]) {
		letters++
	}
	n := letters
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !unicode.Is(unicode.Sc, r) {
			break
		}
		n += size
	}
	if n > letters && letters <= 3 {
		return n
	}
	if letters == 3 && currencyCodes[strings.ToUpper(s[:3])] {
		return 3
	}
	return 0
}

// currencySuffix is currencyPrefix at the end of s: "12 €", "12€",
// "12 EUR", "12 US$".
func currencySuffix(s string) int {
	n := len(s)
	for n > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:n])
		if !unicode.Is(unicode.Sc, r) {
			break
		}
		n -= size
	}
	if n < len(s) {
		letters := 0
		for n-letters > 0 && letters <= 3 && isLetter(s[n-letters-1]) {
			letters++
		}
		if letters <= 3 {
			return len(s) - n + letters
		}
		return 0
	}
	if len(s) >= 3 && currencyCodes[strings.ToUpper(s[len(s)-3:])] && (len(s) == 3 || !isLetter(s[len(s)-4])) {
		return 3
	}
	return 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// currencyCodes holds the ISO 4217 codes in use, plus RMB, which buyers
// write for the yuan.
var currencyCodes = func() map[string]bool {
	const codes = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
		"CAD CDF CHF CLP CNH CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD " +
		"GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP " +
		"LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN " +
		"PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB " +
		"TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG RMB"
	m := make(map[string]bool)
	for _, c := range strings.Fields(codes) {
		m[c] = true
	}
	return m
}()

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

// maxRelativeMonth caps relative months at 100 years, so a date serial in
// a cell not formatted as a date (46327) is an error, not month 46327.
const maxRelativeMonth = 1200

// monthNames maps English month names and abbreviations to months.
var monthNames = func() map[string]time.Month {
	m := map[string]time.Month{"sept": time.September}
	for mo := time.January; mo <= time.December; mo++ {
		name := strings.ToLower(mo.String())
		m[name] = mo
		m[name[:3]] = mo
	}
	return m
}()

// ParseMonth parses a month cell (from_month, to_month, start). Text may
// be a calendar month: "2026-11", "2026/11", "11/2026", "Nov 2026",
// "November 2026", "2026-11-01", "2026-11-01T00:00:00", "1 Nov 2026",
// "Nov 1, 2026", and day/month/year or month/day/year dates when only one
// reading is possible ("15/11/2026"; not "01/11/2026"). A date cell
// (isDate true) holds an Excel serial number in the 1900 date system
// ("46327" is 2026-11-01; a time of day is ignored) and gives its calendar
// month. A plain integer from 1 to 1200 is a month relative to the start
// of the projection. "0", negatives, fractions and other text are
// ErrInvalidMonth. Empty text is the zero Month (open-ended) and no error.
func ParseMonth(text string, isDate bool) (exposure.Month, error) {
	s := schema.Trim(text)
	if s == "" {
		return exposure.Month{}, nil
	}
	hint := "write a month as 2026-11, or a month number from 1 counted from the start of the projection"
	bad := func(why string) (exposure.Month, error) {
		return exposure.Month{}, fmt.Errorf("%w %s (%s)", ErrInvalidMonth, schema.Quote(text), why)
	}
	if len(s) > 100 {
		return bad(hint)
	}
	if isDate {
		if d, err := parseDigits(s); err == nil {
			return serialMonth(d, text)
		}
		// A date cell whose text is already formatted: read it as text.
	}
	if d, err := parseDigits(s); err == nil {
		if !d.IsInteger() {
			return bad("not a whole number; " + hint)
		}
		if d.Sign() <= 0 {
			return bad("a relative month counts from 1, the first month of the projection")
		}
		if d.Cmp(decimal.NewFromInt(maxRelativeMonth)) > 0 {
			return bad(fmt.Sprintf("a relative month is at most %d; if this is a date, format the cell as a date or write 2026-11", maxRelativeMonth))
		}
		return exposure.Month{Relative: int(d.IntPart())}, nil
	}
	if s[0] == '-' || s[0] == '+' || strings.HasPrefix(s, "\u2212") {
		return bad(hint)
	}
	// An ISO date with a time of day, as CSV exports write date cells.
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') && strings.Contains(s[10:], ":") {
		s = s[:10]
	}
	m, ok, ambiguous := monthText(s)
	if ambiguous {
		return bad("day and month could be either way round; write 2026-11")
	}
	if !ok {
		return bad(hint)
	}
	return m, nil
}

// serialMonth turns an Excel 1900-system serial number into its month.
// Excel counts 1900-02-29, which did not exist (serial 60): serials from 61
// on are days since 1899-12-30, serials 1–59 days since 1899-12-31.
func serialMonth(d decimal.Decimal, text string) (exposure.Month, error) {
	const maxSerial = 2958465 // 9999-12-31, the last date Excel shows
	n := d.Floor()
	if n.Sign() <= 0 || n.Cmp(decimal.NewFromInt(maxSerial)) > 0 {
		return exposure.Month{}, fmt.Errorf("%w %s (a date cell holds no valid date)", ErrInvalidMonth, schema.Quote(text))
	}
	serial := int(n.IntPart())
	switch {
	case serial == 60:
		return exposure.Month{Year: 1900, Month: time.February}, nil
	case serial < 60:
		t := time.Date(1899, time.December, 31+serial, 0, 0, 0, 0, time.UTC)
		return exposure.Month{Year: t.Year(), Month: t.Month()}, nil
	}
	t := time.Date(1899, time.December, 30+serial, 0, 0, 0, 0, time.UTC)
	return exposure.Month{Year: t.Year(), Month: t.Month()}, nil
}

// monthText reads a calendar month or date written as text. It splits
// s at spaces, '-', '/', '.' and ',' and accepts a four-digit year with a
// month number or English month name, and optionally a day. ambiguous
// reports a numeric date whose day and month could be swapped.
func monthText(s string) (m exposure.Month, ok, ambiguous bool) {
	toks := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '/' || r == '.' || r == ','
	})
	type tok struct {
		num   int // -1 when not a number
		width int
		month time.Month // a month name, or 0
	}
	ts := make([]tok, len(toks))
	for i, t := range toks {
		ts[i] = tok{num: -1, width: len(t)}
		if allDigits(t) && len(t) <= 4 {
			ts[i].num, _ = strconv.Atoi(t)
		} else if mo, found := monthNames[strings.ToLower(t)]; found {
			ts[i].month = mo
		} else {
			return m, false, false
		}
	}
	isYear := func(t tok) bool { return t.num >= 1900 && t.width == 4 }
	isMonthNum := func(t tok) bool { return t.num >= 1 && t.num <= 12 && t.width <= 2 }
	isDay := func(t tok) bool { return t.num >= 1 && t.num <= 31 && t.width <= 2 }
	cal := func(y int, mo time.Month) exposure.Month { return exposure.Month{Year: y, Month: mo} }
	valid := func(y int, mo time.Month, d int) bool {
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Day() == d
	}
	switch len(ts) {
	case 2:
		a, b := ts[0], ts[1]
		switch {
		case isYear(a) && isMonthNum(b):
			return cal(a.num, time.Month(b.num)), true, false
		case isMonthNum(a) && isYear(b):
			return cal(b.num, time.Month(a.num)), true, false
		case a.month != 0 && isYear(b):
			return cal(b.num, a.month), true, false
		case isYear(a) && b.month != 0:
			return cal(a.num, b.month), true, false
		}
	case 3:
		a, b, c := ts[0], ts[1], ts[2]
		switch {
		case isYear(a) && isMonthNum(b) && isDay(c): // 2026-11-01
			return cal(a.num, time.Month(b.num)), valid(a.num, time.Month(b.num), c.num), false
		case isYear(a) && b.month != 0 && isDay(c): // 2026 Nov 01
			return cal(a.num, b.month), valid(a.num, b.month, c.num), false
		case isDay(a) && b.month != 0 && isYear(c): // 1 Nov 2026, 01-Nov-2026
			return cal(c.num, b.month), valid(c.num, b.month, a.num), false
		case a.month != 0 && isDay(b) && isYear(c): // Nov 1, 2026
			return cal(c.num, a.month), valid(c.num, a.month, b.num), false
		case isDay(a) && isDay(b) && isYear(c): // 15/11/2026 or 11/15/2026
			dm := isMonthNum(b) && valid(c.num, time.Month(b.num), a.num)
			md := isMonthNum(a) && valid(c.num, time.Month(a.num), b.num)
			switch {
			case dm && md && a.num != b.num:
				return m, false, true
			case dm:
				return cal(c.num, time.Month(b.num)), true, false
			case md:
				return cal(c.num, time.Month(a.num)), true, false
			}
		}
	}
	return m, false, false
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
