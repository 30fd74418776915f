package inputs

import (
	"fmt"
	"testing"
	"time"

	"rexpo/exposure"
)

// Tests of the Settings sheet and of the flags that override it.

// withSettings is a minimal input with a Settings sheet of the given
// key/value rows.
func withSettings(rows ...[]any) map[string][][]any {
	s := [][]any{{"key", "value"}}
	s = append(s, rows...)
	return map[string][][]any{
		"Products": oneProduct(),
		"BOM":      simpleBOM(),
		"Settings": s,
	}
}

func TestSettingsSheet(t *testing.T) {
	sheets := withSettings(
		[]any{"currency", "eur"},
		[]any{"Import Country", "Germany"},
		[]any{"CONTROLLING_COUNTRY", "PRC"},
		[]any{"start", "2026-12"},
		[]any{"horizon", 36},
		[]any{"Carrying-Rate (%)", "20%"},
		[]any{"unknown_origin", "Controlling"},
		[]any{"country_cap", 50},
		[]any{"objective", "Worst"},
		[]any{"rollup", "ALL"},
		[]any{"draws", "500"},
		[]any{"seed", 7},
		[]any{"as_of", "2026-11-20T08:30:00Z"},
	)
	sheets["FX"] = [][]any{{"currency", "rate"}, {"USD", "0.9"}} // EUR needs it for prices
	l := mustRead(t, sheets, Options{})
	s := l.Input.Settings
	if s.Currency != "EUR" || s.ImportCountry != "DE" || s.ControllingCountry != "CN" {
		t.Errorf("currency %q import %q controlling %q", s.Currency, s.ImportCountry, s.ControllingCountry)
	}
	if s.Start != (exposure.Month{Year: 2026, Month: time.December}) {
		t.Errorf("start %+v, want 2026-12", s.Start)
	}
	if s.Horizon != 36 || s.Draws != 500 || s.Seed != 7 {
		t.Errorf("horizon %d draws %d seed %d", s.Horizon, s.Draws, s.Seed)
	}
	wantDec(t, "carrying rate", s.CarryingRate, "20")
	wantDec(t, "country cap", s.CountryCap, "50")
	if s.UnknownOrigin != exposure.UnknownControlling || s.Objective != "worst" || s.Rollup != exposure.RollupAll {
		t.Errorf("unknown origin %v objective %q rollup %v", s.UnknownOrigin, s.Objective, s.Rollup)
	}
	if want := time.Date(2026, time.November, 20, 8, 30, 0, 0, time.UTC); !s.AsOf.Equal(want) {
		t.Errorf("as of %v, want %v", s.AsOf, want)
	}
	if ps := withoutFigures(l.Problems); len(ps) != 0 {
		t.Errorf("problems:\n%s", listProblems(ps))
	}
}

func TestSettingsDefaultStartFollowsAsOf(t *testing.T) {
	// No start: the month of as_of.
	l := mustRead(t, withSettings([]any{"as_of", "2027-03-05"}), Options{})
	if s := l.Input.Settings; s.Start != (exposure.Month{Year: 2027, Month: time.March}) {
		t.Errorf("start %+v, want 2027-03", s.Start)
	}
}

func TestSettingsFlagsWin(t *testing.T) {
	sheets := withSettings([]any{"currency", "EUR"}, []any{"horizon", 36}, []any{"seed", 3})
	l := mustRead(t, sheets, Options{Settings: map[string]string{"currency": "USD", "horizon": "12", "import-country": "JP"}})
	s := l.Input.Settings
	if s.Currency != "USD" || s.Horizon != 12 || s.ImportCountry != "JP" {
		t.Errorf("currency %q horizon %d import %q; want the flags' USD, 12, JP", s.Currency, s.Horizon, s.ImportCountry)
	}
	if s.Seed != 3 {
		t.Errorf("seed %d, want the sheet's 3", s.Seed)
	}
}

func TestSettingsBadValues(t *testing.T) {
	cases := []struct {
		key   string
		value any
	}{
		{"horizon", 6},
		{"horizon", "two years"},
		{"currency", "EURO"},
		{"import_country", "Atlantis"},
		{"controlling_country", "Chna"},
		{"start", "2026-13"},
		{"start", 3},
		{"carrying_rate", "-5"},
		{"carrying_rate", "1,5"},
		{"country_cap", 120},
		{"unknown_origin", "guess"},
		{"objective", "best"},
		{"rollup", "some"},
		{"draws", 0},
		{"draws", 2_000_000},
		{"seed", "x"},
		{"as_of", "yesterday"},
		{"volume", "-3"},
	}
	for _, tc := range cases {
		t.Run(tc.key+"="+fmt.Sprint(tc.value), func(t *testing.T) {
			ie := mustFail(t, withSettings([]any{"seed", 1}, []any{tc.key, tc.value}), Options{})
			wantProblem(t, ie.Problems, "Settings", "B3", true, tc.key)
			if n := countErrors(ie.Problems); n != 1 {
				t.Errorf("%d errors, want 1:\n%s", n, listProblems(ie.Problems))
			}
			// The same value given as a flag: the error names the flag.
			ie = mustFail(t, withSettings(), Options{Settings: map[string]string{tc.key: fmt.Sprint(tc.value)}})
			flag := "--" + map[string]string{
				"import_country": "import-country", "controlling_country": "controlling-country",
				"carrying_rate": "carrying-rate", "country_cap": "country-cap", "unknown_origin": "unknown-origin",
				"as_of": "as-of",
			}[tc.key]
			if flag == "--" {
				flag += tc.key
			}
			wantProblem(t, ie.Problems, "", flag, true)
		})
	}
}

func TestSettingsUnknownKey(t *testing.T) {
	l := mustRead(t, withSettings([]any{"horizont", 24}, []any{"seed", 2}), Options{})
	wantProblem(t, l.Problems, "Settings", "A2", false, "horizont")
	if l.Input.Settings.Seed != 2 || l.Input.Settings.Horizon != 24 {
		t.Errorf("settings %+v", l.Input.Settings)
	}
}

func TestSettingsFormattedCells(t *testing.T) {
	// carrying_rate and country_cap are percent settings: a cell shown as
	// 25% (stored 0.25) means 25, as in every percent column.
	t.Run("percent", func(t *testing.T) {
		l := mustRead(t, withSettings([]any{"carrying_rate", pctCell(0.25)}, []any{"country_cap", pctCell(0.5)}), Options{})
		wantDec(t, "carrying rate", l.Input.Settings.CarryingRate, "25")
		wantDec(t, "country cap", l.Input.Settings.CountryCap, "50")
	})
	// start is a month cell: a date cell means its calendar month.
	t.Run("date start", func(t *testing.T) {
		l, err := readPath(t, mustWorkbook(t, withSettings([]any{"start", dateCell("2026-12-01")})), Options{})
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if s := l.Input.Settings.Start; s != (exposure.Month{Year: 2026, Month: time.December}) {
			t.Errorf("start %+v, want 2026-12", s)
		}
	})
	// as_of typed as a date in Excel is a date cell.
	t.Run("date as_of", func(t *testing.T) {
		l, err := readPath(t, mustWorkbook(t, withSettings([]any{"as_of", dateCell("2026-11-20")})), Options{})
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if want := time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC); !l.Input.Settings.AsOf.Equal(want) {
			t.Errorf("as of %v, want %v", l.Input.Settings.AsOf, want)
		}
	})
}
