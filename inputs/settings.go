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

// settingValues are the settings given, by key, with the problems their
// bad values are recorded in: each parse step below reads its keys
// through get and reports through bad, so that every message names the
// key, its text and its cell (or flag) the same way.
type settingValues struct {
	vals map[string]settingValue
	ps   *problems
}

// get returns the trimmed text of the setting key, and false when it is
// not given or blank (so the default stands).
func (sv settingValues) get(key string) (string, bool) {
	v, ok := sv.vals[key]
	if !ok || strings.TrimSpace(v.text) == "" {
		return "", false
	}
	return strings.TrimSpace(v.text), true
}

// bad records an error at the setting key's cell or flag, its cause
// wrapping kind (nil for none).
func (sv settingValues) bad(key string, kind error, format string, args ...any) {
	v := sv.vals[key]
	sv.ps.errorIs(kind, v.sheet, v.place, "%s %q: %w", key, v.text, fmt.Errorf(format, args...))
}

// defaultSettings are the settings of an input that gives none (SPEC
// section 1's defaults); now is --as-of, or the clock.
func defaultSettings(now time.Time) exposure.Settings {
	return exposure.Settings{
		Currency: "USD", ImportCountry: "US", ControllingCountry: "CN", Horizon: 24,
		CarryingRate: decimal.NewFromInt(25), CountryCap: decimal.NewFromInt(65),
		Objective: exposure.ObjectiveExpected, Draws: 10000, Seed: 1, AsOf: now,
	}
}

// parseSettings parses every setting over the defaults into r.settings,
// in a fixed order so that the errors of one input always list the same
// way: currency and countries, the projection, the seed, percentages,
// capped countries, words, volume and --only; the fx setting last, since
// its rates are in the currency.
func (r *reader) parseSettings(vals map[string]settingValue) {
	sv := settingValues{vals: vals, ps: &r.ps}
	s := defaultSettings(r.opts.Now)
	if _, ok := sv.get("currency"); ok {
		r.silent.currencyGiven = true
	}
	sv.currency(&s)
	sv.country("import_country", &s.ImportCountry)
	sv.country("controlling_country", &s.ControllingCountry)
	sv.projection(&s)
	if v, ok := sv.get("seed"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			sv.bad("seed", ErrInvalidNumber, "expected a whole number")
		} else {
			s.Seed = n
		}
	}
	sv.percent("carrying_rate", &s.CarryingRate, 0)
	sv.percent("country_cap", &s.CountryCap, 100)
	sv.capCountries(&s.CapCountries)
	settingWord(sv, "unknown_origin", schema.UnknownOrigins, &s.UnknownOrigin)
	settingWord(sv, "objective", schema.Objectives, &s.Objective)
	settingWord(sv, "rollup", schema.Rollups, &s.Rollup)
	if d, ok := sv.volume(); ok {
		r.volume = d
	}
	if v, ok := sv.get("only"); ok && len(r.opts.Only) == 0 {
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

// currency reads the report currency: a three-letter code, upper-cased.
func (sv settingValues) currency(s *exposure.Settings) {
	v, ok := sv.get("currency")
	if !ok {
		return
	}
	if len(v) != 3 {
		sv.bad("currency", nil, "expected a three-letter ISO currency code such as USD or EUR")
		return
	}
	s.Currency = strings.ToUpper(v)
}

// country reads a country setting (import_country, controlling_country)
// as its ISO code, by any name reference.LookupCountry knows.
func (sv settingValues) country(key string, dst *string) {
	v, ok := sv.get(key)
	if !ok {
		return
	}
	code, err := reference.LookupCountry(v)
	if err != nil {
		sv.bad(key, nil, "%w", err)
		return
	}
	*dst = code
}

// projection reads as_of, start, horizon and draws, then checks that the
// projection's months can be written (ProjectionFits), blaming the
// setting that moved it: start when given, else as_of. A projection that
// does not fit is replaced by one that does, so the rest of the reading
// still works and lists its own problems.
func (sv settingValues) projection(s *exposure.Settings) {
	if v, ok := sv.get("as_of"); ok {
		t, err := parseTimestamp(v)
		if err != nil && sv.vals["as_of"].date {
			t, err = serialTime(v)
		}
		if err != nil {
			sv.bad("as_of", ErrInvalidDate, "expected a date or timestamp such as 2026-11-26 or 2026-11-26T09:00:00Z")
		} else {
			s.AsOf = t
		}
	}
	s.Start = exposure.Month{Year: s.AsOf.Year(), Month: s.AsOf.Month()}
	if v, ok := sv.get("start"); ok {
		m, err := ParseMonth(v, sv.vals["start"].date)
		if err != nil || m.Relative > 0 {
			sv.bad("start", ErrInvalidMonth, "expected a calendar month such as 2026-12")
		} else {
			s.Start = m
		}
	}
	sv.wholeNumber("horizon", exposure.MinHorizon, exposure.MaxHorizon, &s.Horizon)
	sv.wholeNumber("draws", 1, MaxDraws, &s.Draws)
	if err := ProjectionFits(s.Start, s.Horizon); err != nil {
		key := "start"
		if _, given := sv.get("start"); !given {
			if _, given = sv.get("as_of"); given {
				key = "as_of"
			}
		}
		sv.bad(key, nil, "%w", err)
		s.Start = exposure.Month{Year: exposure.MaxYear, Month: time.January}
		s.Horizon = exposure.MinHorizon
	}
}

// wholeNumber reads a whole-number setting from min to max into *dst.
func (sv settingValues) wholeNumber(key string, min, max int, dst *int) {
	v, ok := sv.get(key)
	if !ok {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		sv.bad(key, ErrOutOfRange, "expected a whole number from %d to %d", min, max)
		return
	}
	*dst = n
}

// percent reads a percentage setting from 0 (to max, when max > 0) into
// *dst; a cell formatted as a percentage counts as the percentage shown.
func (sv settingValues) percent(key string, dst *decimal.Decimal, max int64) {
	if _, ok := sv.get(key); !ok {
		return
	}
	v := sv.vals[key]
	if v.numErr != nil {
		sv.bad(key, ErrAmbiguousNumber, "%s", commaUnsureHint)
		return
	}
	d, err := ParsePercent(v.num, v.percent)
	if err != nil || d.Sign() < 0 || (max > 0 && d.GreaterThan(decimal.NewFromInt(max))) {
		sv.bad(key, ErrOutOfRange, "expected a percentage from 0%s", map[bool]string{true: fmt.Sprintf(" to %d", max), false: ""}[max > 0])
		return
	}
	*dst = d
}

// capCountries reads cap_countries: controlling (the default), all, or a
// comma-separated list of countries; one unknown country drops the list.
func (sv settingValues) capCountries(dst *exposure.CapScope) {
	v, ok := sv.get("cap_countries")
	if !ok {
		return
	}
	switch schema.NormalizeKey(v) {
	case "controlling":
		return
	case "all":
		dst.All = true
		return
	}
	for _, name := range strings.Split(v, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		code, err := reference.LookupCountry(name)
		if err != nil {
			sv.bad("cap_countries", nil, "expected controlling, all or a comma-separated list of countries: %w", err)
			dst.Countries = nil
			return
		}
		dst.Countries = append(dst.Countries, code)
	}
}

// volume reads the volume setting, the annual volume of every product of
// a BOM without Products: a number of units above 0.
func (sv settingValues) volume() (decimal.Decimal, bool) {
	if _, ok := sv.get("volume"); !ok {
		return decimal.Decimal{}, false
	}
	v := sv.vals["volume"]
	d, err := ParseAmount(v.num)
	switch {
	case v.numErr != nil:
		sv.bad("volume", ErrAmbiguousNumber, "%s", commaUnsureHint)
	case err != nil || d.Sign() <= 0:
		sv.bad("volume", ErrOutOfRange, "expected a number of units above 0")
	default:
		return d, true
	}
	return decimal.Decimal{}, false
}

// settingWord sets *dst to the word the setting key gives, when it gives
// one of ws, and reports any other word with the accepted ones in
// alphabetical order.
func settingWord[T comparable](sv settingValues, key string, ws schema.Words[T], dst *T) {
	v, ok := sv.get(key)
	if !ok {
		return
	}
	w, found := ws.Lookup(v)
	if !found {
		sv.bad(key, ErrUnknownWord, "expected one of %s", strings.Join(slices.Sorted(slices.Values(ws.Texts())), ", "))
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
