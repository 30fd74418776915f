package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"

	"rexpo/exposure"
	"rexpo/schema"
)

// clean makes text safe for a terminal: control characters (escape
// sequences included) become spaces.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// paramText prints a Param as written in an input cell: "30" or "30 (20..60)".
func paramText(p exposure.Param) string {
	if !p.Ranged {
		return p.Value.String()
	}
	return fmt.Sprintf("%s (%s..%s)", p.Value, p.Low, p.High)
}

// WriteScenarioTable writes the scenarios for a terminal: each scenario's
// parameters, source and description, then its Controls and Tariffs rows
// with months as written (relative "m3" or calendar "2026-11").
func WriteScenarioTable(w io.Writer, ss []exposure.Scenario) error {
	bw := &errWriter{w: w}
	fmt.Fprintf(bw, "%d scenarios\n", len(ss))
	for _, s := range ss {
		fmt.Fprintf(bw, "\n%s  %s\n", clean(s.ID), clean(scenarioName(s)))
		fmt.Fprintf(bw, "  stance %s · prior %s · controlling country %s · spot premium %s\n",
			clean(s.Stance.String()), pctText(s.Prior), clean(s.Country), pctParamText(s.SpotPremium))
		if s.Description != "" {
			fmt.Fprintf(bw, "  %s\n", clean(s.Description))
		}
		if s.Source != "" {
			fmt.Fprintf(bw, "  source: %s\n", clean(s.Source))
		}
		if s.Checked != "" {
			fmt.Fprintf(bw, "  checked: %s\n", clean(s.Checked))
		}
		if len(s.Controls) > 0 {
			fmt.Fprintf(bw, "  controls:\n")
			tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "    ELEMENTS\tCLASS\tPRICE UPLIFT %\tAVAILABLE %\tDELAY DAYS\tFROM\tTO\t")
			for _, c := range s.Controls {
				fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", clean(joinElements(c)), c.Class,
					paramText(c.Uplift), paramText(c.Availability), paramText(c.Delay), dash(monthText(c.From)), dash(monthText(c.To)))
			}
			tw.Flush()
		}
		if len(s.Tariffs) > 0 {
			fmt.Fprintf(bw, "  tariffs:\n")
			tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "    IMPORT\tORIGIN\tMATERIAL\tHS PREFIX\tTARIFF %\tFROM\tTO\t")
			for _, t := range s.Tariffs {
				fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", clean(t.ImportCountry), clean(t.Origin), dash(clean(t.Material)),
					dash(clean(t.HSPrefix)), paramText(t.Pct), dash(monthText(t.From)), dash(monthText(t.To)))
			}
			tw.Flush()
		}
	}
	return bw.err
}

// pctParamText prints a percent Param for prose: "50%" or "50% (30..80)".
func pctParamText(p exposure.Param) string {
	s := p.Value.String() + "%"
	if p.Ranged {
		s += fmt.Sprintf(" (%s..%s)", p.Low, p.High)
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// errWriter keeps the first write error so that a table is written
// without checking every Fprintf.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// The scenario library as JSON.
type jsonLibrary struct {
	Scenarios []jsonLibScenario `json:"scenarios"`
}

type jsonParam struct {
	Value string `json:"value"`
	Low   string `json:"low,omitempty"`
	High  string `json:"high,omitempty"`
}

func param(p exposure.Param) jsonParam {
	j := jsonParam{Value: p.Value.String()}
	if p.Ranged {
		j.Low, j.High = p.Low.String(), p.High.String()
	}
	return j
}

type jsonLibScenario struct {
	ID             string           `json:"id"`
	Name           string           `json:"name"`
	Stance         string           `json:"stance"`
	Prior          string           `json:"prior"`
	Country        string           `json:"country"`
	SpotPremiumPct jsonParam        `json:"spot_premium_pct"`
	Description    string           `json:"description"`
	Source         string           `json:"source"`
	Checked        string           `json:"checked"`
	Controls       []jsonLibControl `json:"controls"`
	Tariffs        []jsonLibTariff  `json:"tariffs"`
}

type jsonLibControl struct {
	Row             string    `json:"row"`
	Elements        []string  `json:"elements"`
	Class           string    `json:"class"`
	PriceUpliftPct  jsonParam `json:"price_uplift_pct"`
	AvailabilityPct jsonParam `json:"availability_pct"`
	DelayDays       jsonParam `json:"delay_days"`
	FromMonth       *string   `json:"from_month"`
	ToMonth         *string   `json:"to_month"`
}

type jsonLibTariff struct {
	Row           string    `json:"row"`
	ImportCountry string    `json:"import_country"`
	OriginCountry string    `json:"origin_country"`
	Material      string    `json:"material"`
	HSPrefix      string    `json:"hs_prefix"`
	TariffPct     jsonParam `json:"tariff_pct"`
	FromMonth     *string   `json:"from_month"`
	ToMonth       *string   `json:"to_month"`
}

// monthJSON is a month as written, null when open-ended.
func monthJSON(m exposure.Month) *string {
	if m.IsZero() {
		return nil
	}
	s := monthText(m)
	return &s
}

// WriteScenarioJSON writes the scenarios as {"scenarios":[...]}, each with
// its Controls and Tariffs rows; months as written ("m3", "2026-11", null
// when open-ended), numbers as decimal strings with their ranges.
func WriteScenarioJSON(w io.Writer, ss []exposure.Scenario) error {
	doc := jsonLibrary{Scenarios: []jsonLibScenario{}}
	for _, s := range ss {
		js := jsonLibScenario{ID: s.ID, Name: s.Name, Stance: s.Stance.String(), Prior: dec(s.Prior), Country: s.Country,
			SpotPremiumPct: param(s.SpotPremium), Description: s.Description, Source: s.Source, Checked: s.Checked,
			Controls: []jsonLibControl{}, Tariffs: []jsonLibTariff{}}
		for _, c := range s.Controls {
			els := append([]string{}, c.Elements...)
			if c.AllElements {
				els = []string{"*"}
			}
			js.Controls = append(js.Controls, jsonLibControl{Row: c.Ref, Elements: els, Class: c.Class.String(),
				PriceUpliftPct: param(c.Uplift), AvailabilityPct: param(c.Availability), DelayDays: param(c.Delay),
				FromMonth: monthJSON(c.From), ToMonth: monthJSON(c.To)})
		}
		for _, t := range s.Tariffs {
			js.Tariffs = append(js.Tariffs, jsonLibTariff{Row: t.Ref, ImportCountry: t.ImportCountry, OriginCountry: t.Origin,
				Material: t.Material, HSPrefix: t.HSPrefix, TariffPct: param(t.Pct),
				FromMonth: monthJSON(t.From), ToMonth: monthJSON(t.To)})
		}
		doc.Scenarios = append(doc.Scenarios, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// WriteScenarioWorkbook writes the scenarios as the Scenarios, Controls
// and Tariffs sheets of an input workbook, so that the file can be edited
// and given back with --scenarios. Headers are the input columns
// (schema.Layouts); months are written as an input takes them: a number
// for a relative month, text "2026-11" for a calendar month.
func WriteScenarioWorkbook(w io.Writer, ss []exposure.Scenario) error {
	b, err := newBook("", "rexpo scenario library")
	if err != nil {
		return err
	}
	defer b.f.Close()
	if err := b.addSheets("Scenarios", "Controls", "Tariffs"); err != nil {
		return err
	}
	var sRows, cRows, tRows []map[string]any
	for _, s := range ss {
		row := map[string]any{
			"scenario": s.ID, "name": s.Name, "stance": s.Stance.String(), "probability": cellNum{s.Prior, kPct},
			"country": s.Country, "description": s.Description, "source": s.Source, "checked": s.Checked,
		}
		putParam(row, "spot_premium_pct", "spot_premium_low", "spot_premium_high", s.SpotPremium)
		sRows = append(sRows, row)
		for _, c := range s.Controls {
			row := map[string]any{"scenario": s.ID, "elements": joinElements(c), "class": c.Class.String(),
				"from_month": monthCell(c.From), "to_month": monthCell(c.To)}
			putParam(row, "price_uplift_pct", "price_uplift_low", "price_uplift_high", c.Uplift)
			putParam(row, "availability_pct", "availability_low", "availability_high", c.Availability)
			putParam(row, "delay_days", "delay_low", "delay_high", c.Delay)
			cRows = append(cRows, row)
		}
		for _, t := range s.Tariffs {
			row := map[string]any{"scenario": s.ID, "import_country": t.ImportCountry, "origin_country": t.Origin,
				"material": t.Material, "hs_prefix": t.HSPrefix, "from_month": monthCell(t.From), "to_month": monthCell(t.To)}
			putParam(row, "tariff_pct", "tariff_low", "tariff_high", t.Pct)
			tRows = append(tRows, row)
		}
	}
	for _, sh := range []struct {
		name string
		rows []map[string]any
	}{{"Scenarios", sRows}, {"Controls", cRows}, {"Tariffs", tRows}} {
		if err := writeLibrarySheet(b, sh.name, sh.rows); err != nil {
			return fmt.Errorf("sheet %s: %w", sh.name, err)
		}
	}
	b.f.SetActiveSheet(0)
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("write scenario workbook: %w", err)
	}
	return nil
}

// putParam puts a Param in its value column and, when ranged, its range:
// in low/high columns where the layout has them, else as "30 (20..60)".
func putParam(row map[string]any, value, low, high string, p exposure.Param) {
	row[value] = cellNum{p.Value, kDec}
	if p.Ranged {
		row[low] = cellNum{p.Low, kDec}
		row[high] = cellNum{p.High, kDec}
		row[value+"\x00range"] = paramText(p)
	}
}

// monthCell is a month as an input cell takes it.
func monthCell(m exposure.Month) any {
	switch {
	case m.IsZero():
		return nil
	case m.Relative > 0:
		return m.Relative
	}
	return monthText(m)
}

// writeLibrarySheet writes one sheet of the scenario library under the
// input layout's headers, a note on each, and finishes it.
func writeLibrarySheet(b *book, name string, rows []map[string]any) error {
	l, ok := schema.LayoutOf(name)
	if !ok {
		return fmt.Errorf("no input layout %q", name)
	}
	w := newSheetWriter(b, name)
	w.plain(1)
	has := map[string]bool{}
	var cols []col
	for _, c := range l.Columns {
		has[c.Name] = true
		cols = append(cols, libraryColumn(c))
	}
	t := w.table(1, 1, cols)
	for i, c := range l.Columns {
		w.note(i+1, 1, columnNote(c))
	}
	for _, row := range rows {
		vals := make([]any, len(l.Columns))
		for i, c := range l.Columns {
			v := row[c.Name]
			// A range without low/high columns goes into the cell as text.
			if rt, ok := row[c.Name+"\x00range"]; ok {
				base := strings.TrimSuffix(strings.TrimSuffix(c.Name, "_pct"), "_days")
				if !has[base+"_low"] {
					v = rt
				}
			}
			if s, ok := v.(string); ok && s == "" {
				v = nil
			}
			vals[i] = v
		}
		t.add(vals...)
	}
	t.filter()
	w.do(func() error { return b.finishSheet(name) })
	return w.err
}

// libraryColumn is the library sheet's column for an input column: its
// values' kind, long text wrapped.
func libraryColumn(c schema.Column) col {
	if c.Name == "description" || c.Name == "source" {
		return col{head: c.Name, kind: kWrap, width: 60}
	}
	k := kText
	switch c.Kind {
	case schema.KindFraction:
		k = kPct
	case schema.KindAmount, schema.KindPercent, schema.KindRange, schema.KindPercentRange:
		k = kDec
	case schema.KindMonth:
		k = kInt
	}
	return col{head: c.Name, kind: k}
}
