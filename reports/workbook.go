package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
	"rexpo/exposure"
	"rexpo/reference"
)

// Problem is one warning or error found in the input, with its place.
type Problem struct {
	Sheet, Cell, Message string
	Error                bool
	// Figures marks a warning that bears on the figures (inputs.Problem):
	// the Summary repeats it at the top.
	Figures bool
}

// Meta is what the report says about the run.
type Meta struct {
	InputName      string // file name as given
	InputSHA256    string
	Version        string // tool version
	ScenarioSource string // "built-in library (checked 2026-01-29)" or the workbook/sheet it came from
	Warnings       []Problem
	// TempDir is where the rows of a Parts sheet over 16 MiB are spilled,
	// deflated, while the workbook is written ("" for the system's); the
	// files are removed before WriteWorkbook returns, even when it fails
	// or panics. The caller gives a folder of its own and removes it, so
	// that nothing of a report outlives the run or request (SPEC section
	// 12).
	TempDir string
	// Planned, when set, says that the plan (Result.Plan) is still being
	// computed as the writing begins: each writer first makes its pass
	// over the part rows, which needs no plan, then calls Planned, which
	// returns once the plan is set or has failed (its error stops the
	// writing; a panic of the plan's is raised again there), and only
	// then reads the plan. A writer that fails before may not call it:
	// the caller waits for the plan itself.
	Planned func() error
}

// awaitPlan waits for the plan when it is still being computed.
func (m Meta) awaitPlan() error {
	if m.Planned == nil {
		return nil
	}
	return m.Planned()
}

// The report's sheets, in order. Parts may continue on "Parts (2)", ...
const (
	sheetSummary     = "Summary"
	sheetScenarios   = "Scenarios"
	sheetProjection  = "Projection"
	sheetParts       = "Parts"
	sheetElements    = "Elements"
	sheetCountries   = "Countries"
	sheetAssumptions = "Assumptions"
	sheetWarnings    = "Warnings"
)

// partsFunc streams the part rows of a result; WriteWorkbook passes
// Result.Parts, tests a fake.
type partsFunc func(o exposure.PartOptions, fn func(exposure.PartRow) error) error

// WriteWorkbook writes the report workbook of r (SPEC section 9) to w.
func WriteWorkbook(w io.Writer, r *exposure.Result, m Meta) error {
	return writeWorkbook(w, r, m, r.PartsWith)
}

func writeWorkbook(w io.Writer, r *exposure.Result, m Meta, parts partsFunc) error {
	rep := newReport(r, m)
	scan, err := scanParts(rep, parts)
	if err != nil {
		return fmt.Errorf("read parts: %w", err)
	}
	if err := m.awaitPlan(); err != nil {
		return err
	}
	b, err := newBook(rep.cur, footerText(m), excelize.Options{TmpDir: m.TempDir})
	if err != nil {
		return err
	}
	defer b.close() // removes the spilled sheets, on a panic too
	rep.b = b
	names := []string{sheetSummary, sheetScenarios, sheetProjection}
	names = append(names, scan.sheetNames()...)
	names = append(names, sheetElements, sheetCountries, sheetRecommendations)
	if r.Signals != nil {
		names = append(names, sheetSignals)
	}
	names = append(names, sheetAssumptions, sheetWarnings)
	if err := b.addSheets(names...); err != nil {
		b.close()
		return err
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{sheetScenarios, rep.scenariosSheet},
		{sheetProjection, rep.projectionSheet},
		{sheetParts, func() error { return rep.partsSheets(scan, parts) }},
		{sheetElements, rep.elementsSheet},
		{sheetCountries, rep.countriesSheet},
		{sheetRecommendations, rep.recommendationsSheet},
		{sheetSignals, rep.signalsSheet},
		{sheetAssumptions, rep.assumptionsSheet},
		{sheetSummary, func() error { return rep.summarySheet(scan) }},
		{sheetWarnings, rep.warningsSheet},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			b.close()
			return fmt.Errorf("sheet %s: %w", s.name, err)
		}
	}
	for _, n := range names {
		if scan.isPartsSheet(n) {
			continue
		}
		if err := b.finishSheet(n); err != nil {
			b.close()
			return fmt.Errorf("sheet %s: %w", n, err)
		}
	}
	if err := b.addCharts(); err != nil {
		b.close()
		return err
	}
	// Summary, the first sheet, is active as created. SetActiveSheet would
	// read every sheet back, the streamed Parts sheets included.
	_ = b.f.SetDocProps(&excelize.DocProperties{
		Title:   "Rare-earth cost exposure report",
		Subject: m.InputName,
		Creator: "rexpo " + m.Version,
	})
	return b.finish(w)
}

// report holds what every sheet needs.
type report struct {
	r   *exposure.Result
	m   Meta
	b   *book
	cur string
	// colours is each country's colour in every chart (countryColours).
	colours map[string]string
}

func newReport(r *exposure.Result, m Meta) *report {
	rep := &report{r: r, m: m, cur: r.Settings.Currency}
	if rep.cur == "" {
		rep.cur = "USD"
	}
	return rep
}

// money returns a header with the report currency: "Annual change (USD)".
func (rep *report) money(label string) string { return label + " (" + rep.cur + ")" }

// monthly labels a column of monthly amounts: "Status quo (USD a month)".
func (rep *report) monthly(label string) string { return label + " (" + rep.cur + " a month)" }

// scenarioName is the name a buyer sees, the id when there is none.
func scenarioName(s exposure.Scenario) string {
	if strings.TrimSpace(s.Name) != "" {
		return s.Name
	}
	return s.ID
}

func footerText(m Meta) string {
	s := "rexpo report"
	if m.InputName != "" {
		s += " · " + m.InputName
	}
	return s
}

// asOf prints the as-of time as buyers read it.
func asOf(t time.Time) string {
	if t.IsZero() {
		return "not set"
	}
	return t.Format("2 January 2006 15:04 MST")
}

// monthText prints a Controls or Tariffs month as written: "m3" for
// relative months, "2026-11" for calendar months, "" when open-ended.
func monthText(m exposure.Month) string {
	switch {
	case m.IsZero():
		return ""
	case m.Relative > 0:
		return fmt.Sprintf("m%d", m.Relative)
	}
	return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
}

var stageLabels = [exposure.NumStages]string{"Mine", "Separation", "Metal", "Component"}

func stageLabel(g exposure.Stage) string {
	if g < 0 || g >= exposure.NumStages {
		return g.String()
	}
	return stageLabels[g]
}

// countryName returns the English name of an ISO 3166 alpha-2 code,
// "Unknown" for an unknown country and "Any" for the `*` of a Tariffs row.
func countryName(code string) string {
	switch code {
	case "":
		return "Unknown"
	case "*":
		return "Any"
	}
	if n := reference.CountryName(code); n != "" {
		return n
	}
	return code
}

// countryLabel is "China (CN)".
func countryLabel(code string) string {
	if code == "" || code == "*" {
		return countryName(code)
	}
	return countryName(code) + " (" + code + ")"
}

// moneyText prints an amount for prose: "1,234.50", negatives with a sign.
func moneyText(d decimal.Decimal) string {
	s := d.Abs().StringFixed(2)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if d.Sign() < 0 {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + "." + frac
}

// pctText prints a fraction as a percentage for prose: "12.3%".
func pctText(f decimal.Decimal) string {
	return f.Mul(decimal.NewFromInt(100)).StringFixed(1) + "%"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// startText prints the projection's first month.
func startText(m exposure.Month) string {
	if m.Year == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
}
