package inputs

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/schema"
)

func TestValuesNormalizeKey(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"share percent", "Share (%)", "share"},
		{"hyphen", "Status-Quo", "statusquo"},
		{"underscore", "unit_cost", "unitcost"},
		{"spaces and case", "  Unit Cost ", "unitcost"},
		{"grams header", "Nd (g)", "ndg"},
		{"wt percent", "Nd wt%", "ndwt"},
		{"byte order mark", "\ufeffproduct", "product"},
		{"no-break space", "annual\u00a0volume", "annualvolume"},
		{"dots kept", "Comp. Qty (CUn)", "comp.qtycun"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := schema.NormalizeKey(tc.in); got != tc.want {
				t.Errorf("NormalizeKey(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// valCase is a parser case: want is a decimal string when err is nil.
type valCase struct {
	name string
	text string
	want string
	err  error
}

func valCheck(t *testing.T, fn string, tc valCase, got decimal.Decimal, err error) {
	t.Helper()
	if tc.err != nil {
		if !errors.Is(err, tc.err) {
			t.Fatalf("%s(%q) error = %v, want %v", fn, tc.text, err, tc.err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s(%q) error = %v, want %s", fn, tc.text, err, tc.want)
	}
	if !got.Equal(decimal.RequireFromString(tc.want)) {
		t.Fatalf("%s(%q) = %s, want %s", fn, tc.text, got, tc.want)
	}
}

func TestValuesParseAmount(t *testing.T) {
	tests := []valCase{
		// Numeric cells, as stored.
		{"stored decimal", "1234.5", "1234.5", nil},
		{"stored integer", "42", "42", nil},
		{"stored negative", "-2", "-2", nil},
		{"stored small scientific", "1E-3", "0.001", nil},
		{"stored scientific with point", "1.5E-2", "0.015", nil},
		{"stored scientific lower case", "2.5e+3", "2500", nil},
		{"stored float noise", "0.30000000000000004", "0.30000000000000004", nil},
		{"zero", "0", "0", nil},
		{"leading point", ".5", "0.5", nil},
		{"trailing point", "5.", "5", nil},
		// Text as people type it (SPEC section 2).
		{"thousands with decimals", "1,234.50", "1234.50", nil},
		{"thousands", "1,500", "1500", nil},
		{"millions", "12,345,678.9", "12345678.9", nil},
		{"dollar", "$12.50", "12.50", nil},
		{"euro with space", "€ 3", "3", nil},
		{"euro after", "3 €", "3", nil},
		{"ISO code before", "USD 12", "12", nil},
		{"ISO code after", "12 EUR", "12", nil},
		{"ISO code lower case, no space", "usd12", "12", nil},
		{"US dollar sign", "US$ 1,000", "1000", nil},
		{"yuan sign", "¥1,200", "1200", nil},
		{"RMB", "RMB 80", "80", nil},
		{"accounting negative", "(12.50)", "-12.50", nil},
		{"accounting negative with currency", "($1,234.50)", "-1234.50", nil},
		{"currency outside parentheses", "$(12.50)", "-12.50", nil},
		{"SAP trailing minus", "1,234.50-", "-1234.50", nil},
		{"minus before currency", "-$12.50", "-12.50", nil},
		{"minus after currency", "$-12.50", "-12.50", nil},
		{"unicode minus", "\u22127", "-7", nil},
		{"plus sign", "+7", "7", nil},
		{"surrounding spaces", " 12 ", "12", nil},
		{"no-break spaces", "\u00a012\u00a0", "12", nil},
		// Errors.
		{"percent sign", "5%", "", ErrPercentNotAllowed},
		{"percent sign with space", "5 %", "", ErrPercentNotAllowed},
		{"decimal comma", "1,5", "", ErrAmbiguousNumber},
		// Thousands groups never start with 0: "0,125" is 0.125 written
		// with a decimal comma, not 125.
		{"leading zero before a comma", "0,125", "", ErrAmbiguousNumber},
		{"leading zeros before commas", "012,345", "", ErrAmbiguousNumber},
		{"European thousands and decimals", "1.234,5", "", ErrAmbiguousNumber},
		{"four digits before comma", "1234,567", "", ErrAmbiguousNumber},
		{"group of two", "1,234,56", "", ErrAmbiguousNumber},
		{"first group of four", "1234,567.5", "", ErrAmbiguousNumber},
		{"comma first", ",5", "", ErrAmbiguousNumber},
		{"dots as thousands", "1.234.567", "", ErrAmbiguousNumber},
		{"empty", "", "", ErrInvalidNumber},
		{"blank", "   ", "", ErrInvalidNumber},
		{"word", "abc", "", ErrInvalidNumber},
		{"unit", "12 kg", "", ErrInvalidNumber},
		{"not a currency code", "12 pcs", "", ErrInvalidNumber},
		{"two minus signs", "--12", "", ErrInvalidNumber},
		{"minus and parentheses", "(-12)", "", ErrInvalidNumber},
		{"two currencies", "$12 USD", "", ErrInvalidNumber},
		{"sign only", "-", "", ErrInvalidNumber},
		{"currency only", "$", "", ErrInvalidNumber},
		{"empty parentheses", "()", "", ErrInvalidNumber},
		{"dangling exponent", "1E", "", ErrInvalidNumber},
		{"dangling exponent sign", "1E-", "", ErrInvalidNumber},
		{"inner space", "1 234", "", ErrInvalidNumber},
		{"excel error", "#N/A", "", ErrInvalidNumber},
		{"NaN", "NaN", "", ErrInvalidNumber},
		{"infinity", "Inf", "", ErrInvalidNumber},
		{"hex", "0x10", "", ErrInvalidNumber},
		{"underscore digits", "1_000", "", ErrInvalidNumber},
		{"huge exponent", "1E999999999", "", ErrOutOfRange},
		{"too large", "1E41", "", ErrOutOfRange},
		{"too small", "1E-61", "", ErrOutOfRange},
		{"zero with large exponent", "0E9999", "0", nil},
		{"zero with huge exponent", "0E999999999", "", ErrOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAmount(tc.text)
			valCheck(t, "ParseAmount", tc, got, err)
		})
	}
}

func TestValuesParsePercent(t *testing.T) {
	tests := []struct {
		valCase
		formatted bool
	}{
		{valCase{"plain number is percent", "5", "5", nil}, false},
		{valCase{"percent sign", "5%", "5", nil}, false},
		{valCase{"percent sign with space", "12.5 %", "12.5", nil}, false},
		{valCase{"decimal", "0.5", "0.5", nil}, false},
		{valCase{"percent-formatted cell", "0.05", "5", nil}, true},
		{valCase{"percent-formatted whole", "1", "100", nil}, true},
		{valCase{"percent-formatted scientific", "2.5E-3", "0.25", nil}, true},
		{valCase{"percent-formatted text with sign", "5%", "5", nil}, true},
		{valCase{"negative", "-10", "-10", nil}, false},
		{valCase{"negative percent", "-10%", "-10", nil}, false},
		{valCase{"thousands", "1,000%", "1000", nil}, false},
		{valCase{"currency", "$5", "", ErrInvalidNumber}, false},
		{valCase{"two percent signs", "5%%", "", ErrInvalidNumber}, false},
		{valCase{"leading percent sign", "%5", "", ErrInvalidNumber}, false},
		{valCase{"decimal comma", "12,5%", "", ErrAmbiguousNumber}, false},
		{valCase{"empty", "", "", ErrInvalidNumber}, false},
		{valCase{"word", "five", "", ErrInvalidNumber}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePercent(tc.text, tc.formatted)
			valCheck(t, "ParsePercent", tc.valCase, got, err)
		})
	}
}

func TestValuesParseFraction(t *testing.T) {
	tests := []struct {
		valCase
		formatted bool
	}{
		{valCase{"fraction", "0.25", "0.25", nil}, false},
		{valCase{"percent text", "25%", "0.25", nil}, false},
		{valCase{"percent-formatted cell", "0.25", "0.25", nil}, true},
		{valCase{"zero", "0", "0", nil}, false},
		{valCase{"one", "1", "1", nil}, false},
		{valCase{"hundred percent", "100%", "1", nil}, false},
		{valCase{"above one", "1.5", "", ErrOutOfRange}, false},
		{valCase{"percent meant without sign", "25", "", ErrOutOfRange}, false},
		{valCase{"above hundred percent", "150%", "", ErrOutOfRange}, false},
		{valCase{"percent-formatted above one", "1.2", "", ErrOutOfRange}, true},
		{valCase{"negative", "-0.1", "", ErrOutOfRange}, false},
		{valCase{"word", "likely", "", ErrInvalidNumber}, false},
		{valCase{"decimal comma", "0,25", "", ErrAmbiguousNumber}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseFraction(tc.text, tc.formatted)
			valCheck(t, "ParseFraction", tc.valCase, got, err)
		})
	}
}

func TestValuesParseRange(t *testing.T) {
	pct := func(s string) (decimal.Decimal, error) { return ParsePercent(s, false) }
	tests := []struct {
		name            string
		text            string
		parse           func(string) (decimal.Decimal, error)
		value, low, hig string
		ranged          bool
		err             error
	}{
		{"range", "30 (20..60)", ParseAmount, "30", "20", "60", true, nil},
		{"no range", "30", ParseAmount, "30", "30", "30", false, nil},
		{"spaces around dots", "30 (20 .. 60)", ParseAmount, "30", "20", "60", true, nil},
		{"unicode ellipsis", "30 (20…60)", ParseAmount, "30", "20", "60", true, nil},
		{"three dots", "30 (20...60)", ParseAmount, "30", "20", "60", true, nil},
		{"no space before range", "30(20..60)", ParseAmount, "30", "20", "60", true, nil},
		{"equal bounds", "30 (30..30)", ParseAmount, "30", "30", "30", true, nil},
		{"thousands", "1,500 (1,000..2,000)", ParseAmount, "1500", "1000", "2000", true, nil},
		{"percent closure", "30% (20%..60%)", pct, "30", "20", "60", true, nil},
		{"percent closure plain", "12.5 (10..15)", pct, "12.5", "10", "15", true, nil},
		{"accounting negative is no range", "(12.50)", ParseAmount, "-12.50", "-12.50", "-12.50", false, nil},
		{"negative bounds", "-5 ((10)..(1))", ParseAmount, "-5", "-10", "-1", true, nil},
		{"value below low", "10 (20..60)", ParseAmount, "", "", "", false, ErrOutOfRange},
		{"value above high", "70 (20..60)", ParseAmount, "", "", "", false, ErrOutOfRange},
		{"bounds reversed", "30 (60..20)", ParseAmount, "", "", "", false, ErrOutOfRange},
		{"bad low", "30 (x..60)", ParseAmount, "", "", "", false, ErrInvalidNumber},
		{"missing high", "30 (20..)", ParseAmount, "", "", "", false, ErrInvalidNumber},
		{"missing value", "(20..60)", ParseAmount, "", "", "", false, ErrInvalidNumber},
		{"unclosed", "30 (20..60", ParseAmount, "", "", "", false, ErrInvalidNumber},
		{"ambiguous bound", "30 (1,5..60)", ParseAmount, "", "", "", false, ErrAmbiguousNumber},
		{"percent in amount range", "30% (20%..60%)", ParseAmount, "", "", "", false, ErrPercentNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, lo, hi, ranged, err := ParseRange(tc.text, tc.parse)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("ParseRange(%q) error = %v, want %v", tc.text, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRange(%q) error = %v", tc.text, err)
			}
			for _, c := range []struct {
				what string
				got  decimal.Decimal
				want string
			}{{"value", v, tc.value}, {"low", lo, tc.low}, {"high", hi, tc.hig}} {
				if !c.got.Equal(decimal.RequireFromString(c.want)) {
					t.Errorf("ParseRange(%q) %s = %s, want %s", tc.text, c.what, c.got, c.want)
				}
			}
			if ranged != tc.ranged {
				t.Errorf("ParseRange(%q) ranged = %v, want %v", tc.text, ranged, tc.ranged)
			}
		})
	}
}

func TestValuesParseYesNo(t *testing.T) {
	tests := []struct {
		name, text string
		want       bool
		wantErr    bool
	}{
		{"yes", "yes", true, false},
		{"Yes padded", " Yes ", true, false},
		{"y", "Y", true, false},
		{"true", "TRUE", true, false},
		{"one", "1", true, false},
		{"no", "no", false, false},
		{"n", "N", false, false},
		{"false", "False", false, false},
		{"zero", "0", false, false},
		{"empty", "", false, true},
		{"maybe", "maybe", false, true},
		{"minus one", "-1", false, true},
		{"two", "2", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseYesNo(tc.text)
			if tc.wantErr {
				if !errors.Is(err, ErrInvalidYesNo) {
					t.Fatalf("ParseYesNo(%q) error = %v, want ErrInvalidYesNo", tc.text, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseYesNo(%q) = %v, %v; want %v", tc.text, got, err, tc.want)
			}
		})
	}
}

// The messages are what a user reads beside the cell name.
func TestValuesErrorMessages(t *testing.T) {
	pct := func(s string) (decimal.Decimal, error) { return ParsePercent(s, false) }
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"ambiguous", valErr(ParseAmount("1,5")), `ambiguous number "1,5" (use '.' for decimals`},
		{"percent", valErr(ParseAmount("5%")), `percent not allowed in "5%"`},
		{"invalid", valErr(ParseAmount("abc")), `invalid number "abc"`},
		{"empty", valErr(ParseAmount("")), `invalid number: the cell is empty`},
		{"probability", valErr(ParseFraction("1.5", false)), `probability "1.5" is not between 0 and 1`},
		{"range bound", valErr3(ParseRange("30 (2x..60)", pct)), `in range "30 (2x..60)": invalid number "2x"`},
		{"month", valErrM(ParseMonth("2026-13", false)), `invalid month "2026-13" (write a month as 2026-11`},
		{"long text cut", valErr(ParseAmount(strings.Repeat("x", 500))), `invalid number "` + strings.Repeat("x", schema.MaxQuote) + `"…`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", tc.err, tc.want)
			}
		})
	}
}

func valErr(_ decimal.Decimal, err error) error { return err }
func valErr3(_, _, _ decimal.Decimal, _ bool, err error) error {
	return err
}
func valErrM(_ exposure.Month, err error) error { return err }

func TestMonthParse(t *testing.T) {
	cal := func(y int, m time.Month) exposure.Month { return exposure.Month{Year: y, Month: m} }
	rel := func(n int) exposure.Month { return exposure.Month{Relative: n} }
	tests := []struct {
		name   string
		text   string
		isDate bool
		want   exposure.Month
		err    bool
	}{
		// Text.
		{"year-month", "2026-11", false, cal(2026, time.November), false},
		{"year/month", "2026/11", false, cal(2026, time.November), false},
		{"single-digit month", "2026-1", false, cal(2026, time.January), false},
		{"month/year", "11/2026", false, cal(2026, time.November), false},
		{"short name", "Nov 2026", false, cal(2026, time.November), false},
		{"full name", "November 2026", false, cal(2026, time.November), false},
		{"name lower case", "november 2026", false, cal(2026, time.November), false},
		{"name with hyphen", "Nov-2026", false, cal(2026, time.November), false},
		{"sept", "Sept 2026", false, cal(2026, time.September), false},
		{"year first name", "2026 Nov", false, cal(2026, time.November), false},
		{"ISO date", "2026-11-01", false, cal(2026, time.November), false},
		{"ISO date time", "2026-11-01T00:00:00", false, cal(2026, time.November), false},
		{"ISO date time zone", "2026-11-30T12:00:00Z", false, cal(2026, time.November), false},
		{"day name year", "1 Nov 2026", false, cal(2026, time.November), false},
		{"SAP style", "01-Nov-2026", false, cal(2026, time.November), false},
		{"US long", "Nov 1, 2026", false, cal(2026, time.November), false},
		{"unambiguous day/month", "15/11/2026", false, cal(2026, time.November), false},
		{"unambiguous month/day", "11/15/2026", false, cal(2026, time.November), false},
		{"same day and month", "11/11/2026", false, cal(2026, time.November), false},
		{"German date", "15.11.2026", false, cal(2026, time.November), false},
		{"padded", " 2026-11 ", false, cal(2026, time.November), false},
		{"empty is open-ended", "", false, exposure.Month{}, false},
		{"ambiguous day/month", "01/11/2026", false, exposure.Month{}, true},
		{"month 13", "2026-13", false, exposure.Month{}, true},
		{"month 0", "2026-00", false, exposure.Month{}, true},
		{"February 30", "2026-02-30", false, exposure.Month{}, true},
		{"two-digit year", "Nov-26", false, exposure.Month{}, true},
		{"year alone", "2026", false, exposure.Month{}, true},
		{"year dot month", "2026.11", false, exposure.Month{}, true},
		{"word", "soon", false, exposure.Month{}, true},
		{"name without year", "November", false, exposure.Month{}, true},
		{"year before 1900", "1899-12", false, exposure.Month{}, true},
		// Relative months.
		{"relative one", "1", false, rel(1), false},
		{"relative twelve", "12", false, rel(12), false},
		{"relative with decimals zero", "3.0", false, rel(3), false},
		{"relative maximum", "1200", false, rel(1200), false},
		{"zero", "0", false, exposure.Month{}, true},
		{"negative", "-3", false, exposure.Month{}, true},
		{"fraction", "1.5", false, exposure.Month{}, true},
		{"serial without date format", "46327", false, exposure.Month{}, true},
		// Date cells hold serial numbers in the 1900 date system: days
		// since 1899-12-30 from serial 61 on (Excel counts a 29 February
		// 1900 that never was, serial 60).
		{"serial 2025-01-01", "45658", true, cal(2025, time.January), false},
		{"serial 2025-01-31", "45688", true, cal(2025, time.January), false},    // 45658 + 30
		{"serial 2025-02-01", "45689", true, cal(2025, time.February), false},   // 45658 + 31
		{"serial 2025-12-31", "46022", true, cal(2025, time.December), false},   // 45658 + 364
		{"serial 2026-01-01", "46023", true, cal(2026, time.January), false},    // 45658 + 365
		{"serial 2026-10-31", "46326", true, cal(2026, time.October), false},    // 46023 + 303
		{"serial 2026-11-01", "46327", true, cal(2026, time.November), false},   // 46023 + 304
		{"serial with time", "46327.75", true, cal(2026, time.November), false}, // 18:00 that day
		{"serial 2024-02-29", "45351", true, cal(2024, time.February), false},
		{"serial 1900-01-01", "1", true, cal(1900, time.January), false},
		{"serial 1900-02-28", "59", true, cal(1900, time.February), false},
		{"serial phantom 1900-02-29", "60", true, cal(1900, time.February), false},
		{"serial 1900-03-01", "61", true, cal(1900, time.March), false},
		{"serial 9999-12-31", "2958465", true, cal(9999, time.December), false},
		{"serial past 9999", "2958466", true, exposure.Month{}, true},
		{"serial zero", "0", true, exposure.Month{}, true},
		{"serial negative", "-1", true, exposure.Month{}, true},
		{"date cell as ISO text", "2026-11-01T00:00:00Z", true, cal(2026, time.November), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMonth(tc.text, tc.isDate)
			if tc.err {
				if !errors.Is(err, ErrInvalidMonth) {
					t.Fatalf("ParseMonth(%q, %v) = %+v, %v; want ErrInvalidMonth", tc.text, tc.isDate, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseMonth(%q, %v) = %+v, %v; want %+v", tc.text, tc.isDate, got, err, tc.want)
			}
		})
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.5", "1E-3", "-2", "1,234.50", "1,500", "$12.50", "€ 3", "USD 12",
		"(12.50)", " 12 ", "5%", "1,5", "1.234,5", "1234,567", "1.5E-2", "12.50-", "0E999999999", "1E40"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := ParseAmount(text)
		if err != nil {
			return
		}
		again, err := ParseAmount(d.String())
		if err != nil {
			t.Fatalf("ParseAmount(%q) = %s, which does not parse again: %v", text, d, err)
		}
		if !again.Equal(d) {
			t.Fatalf("ParseAmount(%q) = %s, which parses again as %s", text, d, again)
		}
	})
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"5", "5%", "12.5 %", "0.05", "1,000%", "-3", "5%%", "1E-3"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, formatted bool) {
		d, err := ParsePercent(text, formatted)
		if err != nil {
			return
		}
		for _, s := range []string{d.String(), d.String() + "%"} {
			again, err := ParsePercent(s, false)
			if err != nil || !again.Equal(d) {
				t.Fatalf("ParsePercent(%q, %v) = %s, but ParsePercent(%q) = %s, %v", text, formatted, d, s, again, err)
			}
		}
		if frac, err := ParseFraction(text, formatted); err == nil && frac.Sign() < 0 {
			t.Fatalf("ParseFraction(%q, %v) = %s, below 0", text, formatted, frac)
		}
	})
}

func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-11", "2026/11", "Nov 2026", "November 2026", "2026-11-01", "46327", "1", "0",
		"-3", "1.5", "01/11/2026", "2026-11-01T00:00:00"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, isDate bool) {
		m, err := ParseMonth(text, isDate)
		if err != nil {
			return
		}
		switch {
		case m.Relative != 0:
			if m.Relative < 1 || m.Relative > maxRelativeMonth || m.Year != 0 || m.Month != 0 {
				t.Fatalf("ParseMonth(%q, %v) = %+v", text, isDate, m)
			}
		case m.Year != 0:
			if m.Year < 1900 || m.Year > 9999 || m.Month < time.January || m.Month > time.December {
				t.Fatalf("ParseMonth(%q, %v) = %+v", text, isDate, m)
			}
			s := time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
			if again, err := ParseMonth(s, false); err != nil || again != m {
				t.Fatalf("ParseMonth(%q, %v) = %+v, but ParseMonth(%q) = %+v, %v", text, isDate, m, s, again, err)
			}
		default:
			if schema.Trim(text) != "" {
				t.Fatalf("ParseMonth(%q, %v) = zero Month without error", text, isDate)
			}
		}
	})
}

// TestPlainFastMatchesGeneral checks the fast path of number parsing
// against the general one: the same value with the same exponent (the
// exponent shows in printed figures), and no claim on text the general
// parser reads differently.
func TestPlainFastMatchesGeneral(t *testing.T) {
	for _, s := range []string{"0", "1", "7", "255", "256", "1.05", "1.", ".5", "007", "0.00", "000.0100",
		"123456789012345678", "99999999999999999.", "1.2.3", "", ".", "1e3", "-1", " 1", "1,5", "1234567890123456789"} {
		checkPlainFast(t, s)
	}
}

func FuzzPlainFast(f *testing.F) {
	for _, s := range []string{"0", "1.05", ".5", "1.", "123456789012345678"} {
		f.Add(s)
	}
	f.Fuzz(checkPlainFast)
}

func checkPlainFast(t *testing.T, s string) {
	fast, ok := plainFast(s)
	if !ok {
		return
	}
	slow, err := parseDigits(s)
	if err != nil {
		t.Fatalf("%q: fast path gives %s, general parser fails: %v", s, fast, err)
	}
	if !fast.Equal(slow) || fast.Exponent() != slow.Exponent() {
		t.Fatalf("%q: fast path gives %s (exp %d), general parser %s (exp %d)", s, fast, fast.Exponent(), slow, slow.Exponent())
	}
}
