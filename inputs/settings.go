package inputs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/schema"
	"rexpo/workbook"
)

// MaxDraws bounds --draws: the draws of every scenario are held in memory.
const MaxDraws = 1_000_000

// settingValue is a setting's text and where it came from, for messages.
type settingValue struct {
	text    string
	sheet   string // "" for a flag
	place   string // cell, or "--flag"
	percent bool   // a cell formatted as a percentage (stored 0.25, shown 25%)
	date    bool   // a date cell: text is its serial (or ISO text)
	// num is text as the number parsers read it (table.numberText), or
	// numErr why it cannot be read as a number.
	num    string
	numErr error
}

// readSettings reads the Settings sheet, lets flags override it, and
// parses every value into r.settings.
func (r *reader) readSettings() error {
	vals := map[string]settingValue{}
	known := map[string]string{}
	for _, k := range schema.SettingKeys {
		known[schema.NormalizeKey(k)] = k
	}
	known[schema.NormalizeKey(schema.DeclarationsKey)] = schema.DeclarationsKey
	if t := r.open("Settings", false); t != nil {
		for t.next() {
			key, ok := known[schema.NormalizeKey(t.text("key"))]
			if !ok {
				r.ps.warnf(t.sheet, t.refOf("key"), "unknown setting %q ignored (known: %s)", t.text("key"), strings.Join(schema.SettingKeys, ", "))
				continue
			}
			c := t.cell("value")
			num, numErr := t.numberText(c)
			vals[key] = settingValue{text: t.text("value"), sheet: t.sheet, place: t.refOf("value"),
				percent: c.Percent, date: c.Date || c.Kind == workbook.CellDate, num: strings.TrimSpace(num), numErr: numErr}
		}
		r.readErr(t)
		t.close()
	}
	for k, v := range r.opts.Settings {
		key, ok := known[schema.NormalizeKey(k)]
		if !ok {
			continue
		}
		vals[key] = settingValue{text: v, num: strings.TrimSpace(v), place: "--" + strings.ReplaceAll(key, "_", "-")}
	}
	r.parseSettings(vals)
	return nil
}

func (r *reader) parseSettings(vals map[string]settingValue) {
	s := exposure.Settings{
		Currency: "USD", ImportCountry: "US", ControllingCountry: "CN", Horizon: 24,
		CarryingRate: decimal.NewFromInt(25), CountryCap: decimal.NewFromInt(65),
		Objective: exposure.ObjectiveExpected, Draws: 10000, Seed: 1, AsOf: r.opts.Now,
	}
	bad := func(key string, kind error, format string, args ...any) {
		v := vals[key]
		r.ps.errorIs(kind, v.sheet, v.place, "%s %q: %w", key, v.text, fmt.Errorf(format, args...))
	}
	get := func(key string) (string, bool) {
		v, ok := vals[key]
		if !ok || strings.TrimSpace(v.text) == "" {
			return "", false
		}
		return strings.TrimSpace(v.text), true
	}
	if v, ok := get("currency"); ok {
		r.silent.currencyGiven = true
		if len(v) != 3 {
			bad("currency", nil, "expected a three-letter ISO currency code such as USD or EUR")
		} else {
			s.Currency = strings.ToUpper(v)
		}
	}
	for _, c := range []struct {
		key string
		dst *string
	}{{"import_country", &s.ImportCountry}, {"controlling_country", &s.ControllingCountry}} {
		if v, ok := get(c.key); ok {
			code, err := reference.LookupCountry(v)
			if err != nil {
				bad(c.key, nil, "%w", err)
			} else {
				*c.dst = code
			}
		}
	}
	if v, ok := get("as_of"); ok {
		t, err := parseTimestamp(v)
		if err != nil && vals["as_of"].date {
			t, err = serialTime(v)
		}
		if err != nil {
			bad("as_of", ErrInvalidDate, "expected a date or timestamp such as 2026-11-26 or 2026-11-26T09:00:00Z")
		} else {
			s.AsOf = t
		}
	}
	s.Start = exposure.Month{Year: s.AsOf.Year(), Month: s.AsOf.Month()}
	if v, ok := get("start"); ok {
		m, err := ParseMonth(v, vals["start"].date)
		if err != nil || m.Relative > 0 {
			bad("start", ErrInvalidMonth, "expected a calendar month such as 2026-12")
		} else {
			s.Start = m
		}
	}
	intSetting := func(key string, min, max int, dst *int) {
		if v, ok := get(key); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < min || n > max {
				bad(key, ErrOutOfRange, "expected a whole number from %d to %d", min, max)
				return
			}
			*dst = n
		}
	}
	intSetting("horizon", exposure.MinHorizon, exposure.MaxHorizon, &s.Horizon)
	intSetting("draws", 1, MaxDraws, &s.Draws)
	if err := ProjectionFits(s.Start, s.Horizon); err != nil {
		key := "start"
		if _, given := get("start"); !given {
			if _, given = get("as_of"); given {
				key = "as_of"
			}
		}
		bad(key, nil, "%w", err)
		s.Start = exposure.Month{Year: exposure.MaxYear, Month: time.January}
		s.Horizon = exposure.MinHorizon
	}
	if v, ok := get("seed"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			bad("seed", ErrInvalidNumber, "expected a whole number")
		} else {
			s.Seed = n
		}
	}
	pctSetting := func(key string, dst *decimal.Decimal, max int64) {
		if _, ok := get(key); ok {
			if vals[key].numErr != nil {
				bad(key, ErrAmbiguousNumber, "%s", commaUnsureHint)
				return
			}
			d, err := ParsePercent(vals[key].num, vals[key].percent)
			if err != nil || d.Sign() < 0 || (max > 0 && d.GreaterThan(decimal.NewFromInt(max))) {
				bad(key, ErrOutOfRange, "expected a percentage from 0%s", map[bool]string{true: fmt.Sprintf(" to %d", max), false: ""}[max > 0])
				return
			}
			*dst = d
		}
	}
	pctSetting("carrying_rate", &s.CarryingRate, 0)
	pctSetting("country_cap", &s.CountryCap, 100)
	if v, ok := get("cap_countries"); ok {
		switch schema.NormalizeKey(v) {
		case "controlling":
		case "all":
			s.CapCountries.All = true
		default:
			for _, name := range strings.Split(v, ",") {
				if name = strings.TrimSpace(name); name == "" {
					continue
				}
				code, err := reference.LookupCountry(name)
				if err != nil {
					bad("cap_countries", nil, "expected controlling, all or a comma-separated list of countries: %w", err)
					s.CapCountries.Countries = nil
					break
				}
				s.CapCountries.Countries = append(s.CapCountries.Countries, code)
			}
		}
	}
	settingWord(get, bad, "unknown_origin", schema.UnknownOrigins, &s.UnknownOrigin)
	settingWord(get, bad, "objective", schema.Objectives, &s.Objective)
	settingWord(get, bad, "rollup", schema.Rollups, &s.Rollup)
	if _, ok := get("volume"); ok {
		d, err := ParseAmount(vals["volume"].num)
		if vals["volume"].numErr != nil {
			bad("volume", ErrAmbiguousNumber, "%s", commaUnsureHint)
		} else if err != nil || d.Sign() <= 0 {
			bad("volume", ErrOutOfRange, "expected a number of units above 0")
		} else {
			r.volume = d
		}
	}
	if v, ok := get("only"); ok && len(r.opts.Only) == 0 {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				r.opts.Only = append(r.opts.Only, id)
			}
		}
	}
	r.settings = s
	r.declSetting = vals[schema.DeclarationsKey]
	r.parseFXSetting(vals[schema.FXKey]) // after the currency: rates are in it
}

// settingWord sets *dst to the word the setting key gives, when it gives
// one of ws, and reports any other word with the accepted ones in
// alphabetical order.
func settingWord[T comparable](get func(string) (string, bool), bad func(key string, kind error, format string, args ...any), key string, ws schema.Words[T], dst *T) {
	v, ok := get(key)
	if !ok {
		return
	}
	w, found := ws.Lookup(v)
	if !found {
		bad(key, ErrUnknownWord, "expected one of %s", strings.Join(slices.Sorted(slices.Values(ws.Texts())), ", "))
		return
	}
	*dst = w
}

// ProjectionFits checks that a projection of horizon months from start
// ends by December of exposure.MaxYear: months are written YYYY-MM.
func ProjectionFits(start exposure.Month, horizon int) error {
	last := start.Year*12 + int(start.Month) - 1 + horizon - 1
	if start.Year < 1 || last/12 > exposure.MaxYear {
		return fmt.Errorf("a projection of %d months from %04d-%02d would run past %d-12", horizon, start.Year, int(start.Month), exposure.MaxYear)
	}
	return nil
}
