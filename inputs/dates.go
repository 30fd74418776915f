package inputs

// Dates and times as the input writes them, and days between them.

import (
	"strings"
	"time"
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
