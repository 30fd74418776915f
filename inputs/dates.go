package inputs

// Dates and times as the input writes them: months (ParseMonth, for
// from_month, to_month and start), days and the days between them (the
// data-age warnings), timestamps (as_of) and the serial numbers of date
// cells in Excel's 1900 date system.

import (
	"fmt"
	"rexpo/exposure"
	"rexpo/schema"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// day returns t's calendar date at midnight UTC, so that days between two
// dates are whole.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// daysBetween is the number of calendar days from a to b.
func daysBetween(a, b time.Time) int {
	return int(day(b).Sub(day(a)).Hours()/24 + 0.5)
}

// parseDay reads a date as the reference data and users write one:
// 2026-01-29, a month 2026-01 (its first day, as for signals), 2026/01/29,
// 29 January 2026, a timestamp, or a date cell's serial number.
func parseDay(text string) (time.Time, bool) {
	s := strings.TrimSpace(text)
	for _, layout := range []string{"2006-01-02", "2006-01", "2006/01/02", "2 January 2006", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006", "January 2006", "Jan 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if t, err := parseTimestamp(s); err == nil {
		return day(t), true
	}
	if t, err := serialTime(s); err == nil {
		return day(t), true
	}
	return time.Time{}, false
}

// dayText is a date as the input wrote it, or, for a date cell's serial
// number, as 2026-01-29.
func dayText(text string, d time.Time) string {
	text = strings.TrimSpace(text)
	if strings.Trim(text, "0123456789.") == "" {
		return d.Format("2006-01-02")
	}
	return text
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

// parseTimestamp accepts RFC 3339 timestamps and plain dates (UTC).
func parseTimestamp(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %q", v)
}

// serialTime turns the serial number of a date cell (days in Excel's 1900
// date system, the fraction the time of day) into a UTC time.
func serialTime(v string) (time.Time, error) {
	d, err := decimal.NewFromString(v)
	if err != nil || d.LessThan(decimal.NewFromInt(61)) || d.GreaterThan(decimal.NewFromInt(2958465)) {
		return time.Time{}, fmt.Errorf("not a date serial: %q", v)
	}
	days := d.IntPart()
	secs := d.Sub(decimal.NewFromInt(days)).Mul(decimal.NewFromInt(86400)).Round(0).IntPart()
	base := time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)
	return base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), nil
}
