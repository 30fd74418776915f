package inputs

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/schema"
)

// fxRate is one rate of the fx setting.
type fxRate struct {
	currency string
	rate     decimal.Decimal
}

var fxEntry = regexp.MustCompile(`^([A-Za-z]{3})\s*[=:]\s*(\S.*)$`)

// parseFXSetting reads the fx setting's value into r.fxSet: entries
// CUR=RATE separated by commas or semicolons. Rates are written with a
// decimal point, whatever --decimal-comma says, since a comma separates
// entries.
func (r *reader) parseFXSetting(v settingValue) {
	r.fxSet, r.fxPlace = nil, [2]string{v.sheet, v.place}
	text := strings.TrimSpace(v.text)
	if text == "" {
		return
	}
	bad := func(kind error, format string, args ...any) {
		r.ps.errorIs(kind, v.sheet, v.place, "%s %s: %w", schema.FXKey, schema.Quote(text), fmt.Errorf(format, args...))
	}
	seen := map[string]bool{}
	for _, e := range strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ';' }) {
		e = strings.TrimSpace(e)
		m := fxEntry.FindStringSubmatch(e)
		if m == nil && strings.Trim(e, "0123456789") == "" && len(seen) > 0 {
			bad(ErrAmbiguousNumber, "write a rate with a decimal point (1.08, not 1,08): a comma separates entries")
			return
		}
		if m == nil {
			bad(nil, "expected CUR=RATE entries separated by commas, such as EUR=1.08, GBP=1.27 (RATE in %s per one CUR, written with a decimal point); %s is not one", r.settings.Currency, schema.Quote(e))
			return
		}
		cur := strings.ToUpper(m[1])
		rate, err := ParseAmount(m[2])
		switch {
		case err != nil || rate.Sign() <= 0:
			bad(ErrOutOfRange, "the rate of %s, %s, is not a number above 0", cur, schema.Quote(m[2]))
			return
		case seen[cur]:
			bad(ErrDuplicate, "%s is given twice", cur)
			return
		case cur == r.settings.Currency && !rate.Equal(decimal.NewFromInt(1)):
			bad(ErrOutOfRange, "%s is the report currency: its rate is 1", cur)
			return
		}
		seen[cur] = true
		r.fxSet = append(r.fxSet, fxRate{cur, rate})
	}
}

// applyFXSetting puts the fx setting's rates in r.fx after the FX sheet
// is read, saying so where a sheet row gave another rate.
func (r *reader) applyFXSetting() {
	for _, x := range r.fxSet {
		if old, ok := r.fx[x.currency]; ok && !old.Equal(x.rate) && r.fxAt[x.currency] != "" {
			r.ps.warnf(r.fxPlace[0], r.fxPlace[1], "%s rate %s (%s) replaces %s from %s", x.currency, x.rate, r.fxSource(), old, r.fxAt[x.currency])
		}
		r.fx[x.currency] = x.rate
	}
}

// fxSource names where the fx setting came from: "--fx" or "Settings!B4".
func (r *reader) fxSource() string {
	if r.fxPlace[0] == "" {
		return r.fxPlace[1]
	}
	return r.fxPlace[0] + "!" + r.fxPlace[1]
}

// fxHint says how to give a missing rate for cur, in report-currency
// units per one cur: a lone CSV file can take it only from --fx.
func (r *reader) fxHint(cur string) string {
	how := fmt.Sprintf("--fx %s=RATE, RATE being %s per one %s (--fx %s=1.08 says one %s is 1.08 %s)",
		cur, r.settings.Currency, cur, cur, cur, r.settings.Currency)
	switch {
	case r.book != nil && r.book.LoneCSV():
		return "give it with " + how + "; a single CSV file has no FX sheet"
	case r.book != nil && r.book.CSV():
		return "give it with " + how + ", a Settings row fx, or a row of an fx.csv file (currency, rate)"
	}
	return "give it with " + how + ", a Settings row fx, or a row of the FX sheet"
}
