package main

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/reports"
)

// This file holds what the page's templates (web/page.html) show: the
// form, filled in again after a post, the problems, the figures.

// pageData is what the page template renders. Every text goes through
// html/template, which escapes it: a cell holding <script> shows as text.
type pageData struct {
	Form     *upload      // the posted fields, nil for the empty form
	Error    *pageError   // a refusal without a problem list (413, 503, ...)
	Problems *problemList // the input's problems (400)
	Result   *resultView  // the figures of a computed report

	// Set by page.
	Version   string
	MaxUpload string
	KeepFor   string
	Library   []scenarioBox
	Countries []string
}

type pageError struct{ Title, Message string }

// problemList is the list validate prints, one line per problem, errors
// first.
type problemList struct {
	Title, Message string
	Lines          []problemLine
}

type problemLine struct {
	Text  string // exactly as validate prints it: "error BOM!F12: ..."
	Error bool
}

// scenarioBox is a scenario of the built-in library on the form.
type scenarioBox struct {
	ID, Name, Stance, Prior string
	Checked                 bool
}

// Value returns the posted value of a settings field, for the form.
func (d *pageData) Value(name string) string { return strings.TrimSpace(d.Form.form(name)) }

// Selected tells whether an option of a select field was posted.
func (d *pageData) Selected(name, option string) bool { return d.Value(name) == option }

// page renders the page with status.
func (s *server) page(w http.ResponseWriter, status int, d *pageData) {
	d.Version = version
	d.MaxUpload = sizeString(s.o.maxUpload)
	d.KeepFor = durationWords(keepFor)
	d.Countries = reference.CountryNames()
	ticked := map[string]bool{}
	if d.Form != nil {
		for _, id := range d.Form.fields["only"] {
			ticked[id] = true
		}
	}
	for _, sc := range s.library {
		d.Library = append(d.Library, scenarioBox{
			ID: sc.ID, Name: sc.Name, Stance: sc.Stance.String(),
			Prior:   pct(sc.Prior, 0),
			Checked: len(ticked) == 0 || ticked[sc.ID],
		})
	}
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, "page", d); err != nil {
		s.log.Printf("page template: %v", err)
		http.Error(w, "the page could not be drawn; the server's log has the details", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// resultView is the figures of a report as the page shows them, in the
// report currency, rounded to cents.
type resultView struct {
	Input, FileName, Download, Size string
	Currency, From, To, AsOf        string
	Months, Products, Lines         int
	ScenarioSource                  string

	Baseline, Expected, ExpectedShare, Worst, WorstName string
	Mix                                                 string // the mixture's percentiles, when the Monte Carlo ran

	Scenarios   []scenarioRow
	HasRange    bool
	ProductRows []productRow
	Warnings    []problemLine
	// Notices are the warnings that bear on the figures, shown above them
	// as the Summary sheet shows them.
	Notices []problemLine
	// Signals says which rules moved the probabilities, when the input
	// gives signals.
	Signals *signalsView
	// Plan is the diversification plan as the Recommendations sheet has
	// it; nil when none was computed.
	Plan *planView
}

// signalsView is the page's account of the signals (SPEC section 6): the
// rules that moved the probabilities, a transparent heuristic.
type signalsView struct {
	RuleSet   string
	Read      int         // rules read
	Fired     []firedRule // the rules that moved the probabilities
	Stale     string      // signals too old to move anything, comma-separated
	Lacking   []string    // rules that lacked history: "SOY_STALL lacks a reading for 2024-12, ..."
	StaleDays int
}

// firedRule is a rule that moved the probabilities, with the reading it
// fired on and what it was compared with.
type firedRule struct {
	ID, Signal, Condition, Evidence, Stance, LR, Scenarios string
}

// planView is the plan of SPEC section 8 on the page: the Summary's
// paragraph, the cost of the cap and the listed lines, largest saving
// first.
type planView struct {
	Paragraph, Currency             string
	Changed, Exposed, RequiredByCap int
	Premium, Expected, CostOfCap    string // a year, whole units
	Horizon                         string // over the horizon, after qualifying sources
	Cap                             string // "65% on China"
	Lines                           []planLineView
	More                            int // listed lines beyond those shown
}

type planLineView struct {
	Product, Part, Description string
	From, To                   string // today's mix and the recommended one, in words
	Saving                     string // expected, a year
	Delivers, Payback          string // calendar months, or "not within the horizon"
	RequiredByCap, Costs       bool   // Costs: the expected saving is negative
	AboveCap, HHIRises         string
}

// maxPageLines is how many plan lines the page shows; the workbook has them all.
const maxPageLines = 50

type scenarioRow struct {
	ID, Name, Stance, Probability     string
	Annual, Horizon                   string
	Price, Shortage, Carrying, Tariff string
	Range                             string
	AtRisk                            string // units of product at risk in the first year
	Saving                            bool   // the scenario lowers costs
}

type productRow struct {
	ID, Name, Volume, Baseline, ExpectedUnit, ExpectedAnnual string
}

// newResultView computes the headline figures as the Summary sheet does.
func newResultView(ld *loaded, fileName string, size int) *resultView {
	r := ld.result
	v := &resultView{
		Input: ld.meta.InputName, FileName: fileName, Size: sizeString(int64(size)),
		Currency: r.Settings.Currency, Months: len(r.Months), Products: len(r.Products),
		Lines: len(r.Input.BOM.Lines), ScenarioSource: ld.meta.ScenarioSource,
		AsOf: r.Settings.AsOf.UTC().Format("2006-01-02 15:04 UTC"),
	}
	if len(r.Months) > 0 {
		v.From, v.To = r.Months[0], r.Months[len(r.Months)-1]
	}
	var baseline decimal.Decimal
	for _, p := range r.Products {
		baseline = baseline.Add(p.BaselineUnitCost.Mul(p.AnnualVolume))
	}
	v.Baseline, v.Expected = money(baseline), money(r.ExpectedAnnualDelta)
	if baseline.Sign() > 0 {
		v.ExpectedShare = pct(r.ExpectedAnnualDelta.DivRound(baseline, 8), 2)
	}
	worst := -1
	for i, s := range r.Scenarios {
		if worst < 0 || s.AnnualDelta.GreaterThan(r.Scenarios[worst].AnnualDelta) {
			worst = i
		}
	}
	if worst >= 0 {
		v.Worst, v.WorstName = money(r.Scenarios[worst].AnnualDelta), r.Scenarios[worst].Scenario.Name
	}
	if r.Mix.Draws > 0 {
		v.Mix = "P50 " + money(r.Mix.P50) + " · P90 " + money(r.Mix.P90) + " · P95 " + money(r.Mix.P95)
	}
	for _, s := range r.Scenarios {
		row := scenarioRow{
			ID: s.Scenario.ID, Name: s.Scenario.Name, Stance: s.Scenario.Stance.String(),
			Probability: pct(s.Probability, 1),
			Annual:      whole(s.AnnualDelta), Horizon: whole(s.HorizonDelta),
			Price: whole(s.Split.Price), Shortage: whole(s.Split.Shortage),
			Carrying: whole(s.Split.Carrying), Tariff: whole(s.Split.Tariff),
			AtRisk: whole(s.UnitsAtRisk), Saving: s.AnnualDelta.Sign() < 0,
		}
		if s.Uncertain && r.Mix.Draws > 0 {
			row.Range = whole(s.P10) + " to " + whole(s.P90)
			v.HasRange = true
		}
		v.Scenarios = append(v.Scenarios, row)
	}
	for _, p := range r.Products {
		var unit, annual decimal.Decimal
		for _, s := range r.Scenarios {
			for _, pd := range s.Products {
				if pd.Product == p.ID {
					unit = unit.Add(pd.UnitDelta.Mul(s.Probability))
					annual = annual.Add(pd.AnnualDelta.Mul(s.Probability))
				}
			}
		}
		v.ProductRows = append(v.ProductRows, productRow{
			ID: p.ID, Name: p.Name, Volume: quantity(p.AnnualVolume),
			Baseline: money(p.BaselineUnitCost), ExpectedUnit: money(unit), ExpectedAnnual: whole(annual),
		})
	}
	v.Signals = newSignalsView(r.Signals)
	v.Plan = newPlanView(r)
	for _, p := range problemOrder(ld.in.Problems) {
		line := problemLine{Text: p.String(), Error: p.Error}
		v.Warnings = append(v.Warnings, line)
		if p.Figures && !p.Error {
			v.Notices = append(v.Notices, line)
		}
	}
	return v
}

// newSignalsView lists the rules that moved the probabilities; nil
// without signals.
func newSignalsView(sr *exposure.SignalReport) *signalsView {
	if sr == nil {
		return nil
	}
	v := &signalsView{RuleSet: sr.RuleSet, Read: len(sr.Rules), Stale: strings.Join(sr.Stale, ", "), StaleDays: exposure.StaleAfterDays}
	for _, ro := range sr.Rules {
		name := ro.Rule.ID
		if name == "" {
			name = ro.Rule.Signal + " " + ro.Rule.Condition()
		}
		switch {
		case ro.Matched && len(ro.Scenarios) > 0:
			v.Fired = append(v.Fired, firedRule{
				ID: name, Signal: ro.Rule.Signal, Condition: ro.Rule.Condition(), Evidence: ro.Evidence(),
				Stance: ro.Rule.Stance.String(), LR: ro.Rule.LR.String(), Scenarios: strings.Join(ro.Scenarios, ", "),
			})
		case !ro.Stale && ro.Lacks() != "":
			v.Lacking = append(v.Lacking, name+" lacks "+ro.Lacks())
		}
	}
	return v
}

// newPlanView puts the plan on the page in the words of the
// Recommendations sheet.
func newPlanView(r *exposure.Result) *planView {
	p := r.Plan
	if p == nil {
		return nil
	}
	capped := "every country but the import country"
	if !p.CapAll {
		var names []string
		for _, c := range p.CapCountries {
			if n := reference.CountryName(c); n != "" {
				names = append(names, n)
			} else {
				names = append(names, c)
			}
		}
		capped = strings.Join(names, ", ")
	}
	v := &planView{
		Paragraph: reports.PlanParagraph(r), Currency: r.Settings.Currency, Changed: p.Changed, Exposed: p.Exposed, RequiredByCap: p.RequiredByCap,
		Premium: whole(p.Premium), Expected: whole(p.ExpectedSaving), CostOfCap: whole(p.CostOfCap), Horizon: whole(p.HorizonSaving),
		Cap: p.CountryCap.String() + "% on " + capped,
	}
	lines := reports.PlanLines(r)
	if len(lines) > maxPageLines {
		v.More = len(lines) - maxPageLines
		lines = lines[:maxPageLines]
	}
	for _, l := range lines {
		v.Lines = append(v.Lines, planLineView{
			Product: l.Product, Part: l.PartNumber, Description: l.Description, From: l.Today, To: l.Recommended,
			Saving: whole(l.ExpectedSaving), Delivers: l.Delivers, Payback: l.Payback,
			RequiredByCap: l.RequiredByCap, Costs: l.ExpectedSaving.Sign() < 0, AboveCap: l.AboveCap, HHIRises: l.HHIRises,
		})
	}
	return v
}

// pct writes a fraction as a percentage with places decimals.
func pct(f decimal.Decimal, places int32) string {
	return f.Mul(decimal.NewFromInt(100)).StringFixed(places) + " %"
}

// whole writes an amount in whole units with thousands separators: the
// tables are read for size, the workbook has the cents.
func whole(d decimal.Decimal) string {
	return strings.TrimSuffix(money(d.Round(0)), ".00")
}

// quantity writes a count with thousands separators and no needless decimals.
func quantity(d decimal.Decimal) string {
	s := money(d)
	if strings.HasSuffix(s, ".00") {
		return strings.TrimSuffix(s, ".00")
	}
	return s
}
