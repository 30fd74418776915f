package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// This file says the plan in one paragraph, for the Summary and the upload
// page, and lists its lines for the upload page as the Recommendations
// sheet does.

// planParagraph is the recommendation in one paragraph, for the Summary.
// It claims only what holds: the cap is said to be met only when every
// planned part meets it, a saving is never printed negative, and a plan
// that raises a capped country's share says so.
func (rep *report) planParagraph() string {
	p := rep.r.Plan
	if p == nil {
		return ""
	}
	if len(p.Lines) == 0 {
		return noPlanParagraph(p)
	}
	s := []string{fmt.Sprintf("Change the sourcing mix of %d of the %d exposed parts (see Recommendations).", p.Changed, p.Exposed)}
	s = append(s, rep.capSentences()...)
	s = append(s, rep.steadySentence())
	if c := rep.capCostSentence(); c != "" {
		s = append(s, c)
	}
	s = append(s, rep.horizonSentence())
	if l := rep.largestSavingSentence(); l != "" {
		s = append(s, l)
	}
	if p.UnplannedCount > 0 {
		s = append(s, fmt.Sprintf("%d exposed part(s) have no alternative at all.", p.UnplannedCount))
	}
	if p.IndicativeCandidate {
		s = append(s, "Sources marked (indicative) are reference defaults, not quotes.")
	}
	return strings.Join(s, " ")
}

// noPlanParagraph says why a plan lists no line.
func noPlanParagraph(p *exposure.Plan) string {
	switch {
	case p.Exposed == 0:
		return "No part's cost moves in these scenarios, so there is nothing to diversify."
	case p.Planned == 0:
		return fmt.Sprintf("None of the %d exposed parts has a second candidate source, so no plan could be made: add Alternatives rows (by part number or material) to the input.", p.Exposed)
	}
	s := fmt.Sprintf("For the %d exposed parts with a second candidate source, today's mix is already the best the candidates allow under the %s%% cap on %s.", p.Planned, p.CountryCap, capWho(p))
	if p.CapNotMet > 0 {
		s += fmt.Sprintf(" %d of them stay above the cap at some stage: ask for sources outside it.", p.CapNotMet)
	}
	return s
}

// capSentences say what the plan does under the cap, claiming only what
// is true, and where it raises a capped country's share.
func (rep *report) capSentences() []string {
	p := rep.r.Plan
	capped := capWho(p)
	var s []string
	if p.CapNotMet == 0 {
		s = append(s, fmt.Sprintf("Afterwards no capped country (%s) holds more than %s%% of a planned part at any stage.", capped, p.CountryCap))
	} else {
		s = append(s, fmt.Sprintf("The plan keeps each capped country (%s) to %s%% of a part at every stage where the candidates allow it; %d part(s) stay above the cap at some stage%s.",
			capped, p.CountryCap, p.CapNotMet, rep.mostlyWhere(p)))
	}
	rises := 0
	for i := range p.Lines {
		if len(realRises(rep.capRises(p, &p.Lines[i]))) > 0 {
			rises++
		}
	}
	if rises > 0 {
		whose := "a capped country's share"
		if !p.CapAll && len(p.CapCountries) == 1 {
			whose = countryName(p.CapCountries[0]) + "'s share"
		}
		s = append(s, fmt.Sprintf("On %d part(s) the plan raises %s at some stage, to at most %s%%, where that is cheaper or every candidate depends on it: the Recommendations sheet names the stage.", rises, whose, p.CountryCap))
	}
	return s
}

// steadySentence says what the plan costs and saves a year once the new
// sources deliver.
func (rep *report) steadySentence() string {
	p, cur := rep.r.Plan, rep.cur
	first, last := p.FirstEffect, p.LastEffect
	when := "Once the new sources deliver"
	switch {
	case first == 0:
	case first == last && first == 1:
		when = fmt.Sprintf("From the start (%s)", planMonth(p, 1))
	case first == last:
		when = fmt.Sprintf("Once the new sources deliver (%s)", planMonth(p, first))
	default:
		when = fmt.Sprintf("Once the new sources deliver (from %s to %s, part by part)", planMonth(p, first), planMonth(p, last))
	}
	money := when + ", the plan " + premiumWords(cur, p.Premium) + ", and " + savingWords(cur, p.ExpectedSaving, "a year in expectation")
	if len(rep.r.Scenarios) > 0 && p.WorstCurrent < len(rep.r.Scenarios) {
		money += fmt.Sprintf(" and %s (“%s” for today's mix)", savingWords(cur, p.WorstSaving, "in the worst case"), scenarioName(rep.r.Scenarios[p.WorstCurrent].Scenario))
	}
	return money + "."
}

// capCostSentence says what the cap costs, "" when no plan is required
// by it.
func (rep *report) capCostSentence() string {
	p, cur := rep.r.Plan, rep.cur
	if p.RequiredByCap == 0 {
		return ""
	}
	c := fmt.Sprintf("The cap costs %s %s a year in expectation: %d part(s) are required by it (their plans cost more than they avoid)", cur, wholeText(p.CostOfCap), p.RequiredByCap)
	if p.RequiredByCap == 1 {
		c = fmt.Sprintf("The cap costs %s %s a year in expectation: 1 part is required by it (its plan costs more than it avoids)", cur, wholeText(p.CostOfCap))
	}
	if p.ExpectedSaving.Sign() > 0 {
		c += ", paid for by the other parts' savings"
	}
	return c + "."
}

// horizonSentence says what the plan saves over the horizon, counting
// each part's savings from its qualification month, and how many parts
// pay back within it.
func (rep *report) horizonSentence() string {
	p, cur := rep.r.Plan, rep.cur
	horizon := "Over the horizon"
	if n := len(rep.r.Months); n > 0 {
		horizon = fmt.Sprintf("Over the horizon (%s to %s)", rep.r.Months[0], rep.r.Months[n-1])
	}
	h := horizon + ", counting each part's savings from the month its new sources deliver, the plan "
	switch p.HorizonSaving.Round(0).Sign() {
	case 1:
		h += fmt.Sprintf("saves %s %s", cur, wholeText(p.HorizonSaving))
		if p.QualificationCost.Sign() > 0 {
			h += fmt.Sprintf(" net of %s %s of one-off qualification costs", cur, wholeText(p.QualificationCost))
		}
	case -1:
		h += fmt.Sprintf("costs %s %s", cur, wholeText(p.HorizonSaving.Neg()))
		if p.QualificationCost.Sign() > 0 {
			h += fmt.Sprintf(", %s %s of one-off qualification costs included", cur, wholeText(p.QualificationCost))
		}
	default:
		h += "breaks even"
	}
	if p.QualificationCost.Sign() == 0 {
		h += " (no qualification costs were given)"
	}
	return h + fmt.Sprintf("; %d of the %d changed parts pay back within it.", p.PaidBack, p.Changed)
}

// largestSavingSentence names the changed part that saves most, from
// which mix to which, "" when none saves.
func (rep *report) largestSavingSentence() string {
	p := rep.r.Plan
	for _, lp := range planOrder(p) {
		if !lp.Changed || lp.ExpectedSaving.Sign() <= 0 {
			continue
		}
		t := fmt.Sprintf("The largest saving is on %s in %s: from %s to %s, saving %s %s a year from %s",
			describe(lp.Line), lp.Line.Product, rep.mixWords(lp, true), rep.mixWords(lp, false), rep.cur, wholeText(lp.ExpectedSaving), planMonth(p, lp.QualificationMonth))
		if pb := paybackText(p, lp); pb != "" && lp.PaybackMonth > 0 {
			t += " (paid back " + pb + ")"
		}
		return t + "."
	}
	return ""
}

// premiumWords: "costs USD 1,200 a year more if nothing happens".
func premiumWords(cur string, prem decimal.Decimal) string {
	switch prem.Round(0).Sign() {
	case 1:
		return fmt.Sprintf("costs %s %s a year more if nothing happens", cur, wholeText(prem))
	case -1:
		return fmt.Sprintf("costs %s %s a year less even if nothing happens", cur, wholeText(prem.Neg()))
	}
	return "costs the same as today's mix if nothing happens"
}

// savingWords: "saves USD 5 a year in expectation", or "costs USD 5 a
// year more in expectation": never a negative saving.
func savingWords(cur string, d decimal.Decimal, what string) string {
	switch d.Round(0).Sign() {
	case 1:
		return fmt.Sprintf("saves %s %s %s", cur, wholeText(d), what)
	case -1:
		return fmt.Sprintf("costs %s %s more %s", cur, wholeText(d.Neg()), what)
	}
	return "saves nothing " + what
}

// mostlyWhere says where the listed parts stay above the cap, most often:
// ", mostly at heavy-rare-earth separation, where no candidate is outside
// China".
func (rep *report) mostlyWhere(p *exposure.Plan) string {
	type key struct {
		stage   exposure.Stage
		country string
		why     string
	}
	n := map[key]int{}
	var keys []key
	for i := range p.Lines {
		seen := map[key]bool{}
		for _, br := range p.Lines[i].CapBreaks {
			k := key{br.Stage, br.Country, br.Why}
			if seen[k] {
				continue
			}
			seen[k] = true
			if n[k] == 0 {
				keys = append(keys, k)
			}
			n[k]++
		}
	}
	if len(keys) == 0 {
		return ""
	}
	sort.SliceStable(keys, func(i, j int) bool { return n[keys[i]] > n[keys[j]] })
	k := keys[0]
	where := fmt.Sprintf(", mostly at %s (%d part(s))", capStageWord(k.stage), n[k])
	if strings.HasPrefix(k.why, "no candidate") {
		return where + fmt.Sprintf(", where every candidate depends on %s: ask for sources outside it", countryName(k.country))
	}
	if k.why != "" {
		return where + ", where " + k.why
	}
	return where
}

// PlanLine is one listed line of the plan as the Recommendations sheet
// says it, for the upload page.
type PlanLine struct {
	Product, PartNumber, Description string
	Today, Recommended               string          // the mixes in words
	ExpectedSaving                   decimal.Decimal // a year in steady state; negative when the cap requires the plan
	Delivers                         string          // YYYY-MM: the month the plan takes effect
	Payback                          string          // YYYY-MM, or "not within the horizon"
	RequiredByCap                    bool
	AboveCap                         string // the stages left above the cap, in words; "" when none
	HHIRises                         string // the stages whose concentration rises, in words; "" when none
}

// PlanLines lists the plan's lines largest expected saving first, as the
// Recommendations sheet does.
func PlanLines(r *exposure.Result) []PlanLine {
	if r.Plan == nil {
		return nil
	}
	rep := newReport(r, Meta{})
	var out []PlanLine
	for _, lp := range planOrder(r.Plan) {
		pl := PlanLine{
			Product: lp.Line.Product, PartNumber: lp.Line.PartNumber, Description: lp.Line.Description,
			Today: rep.mixWords(lp, true), Recommended: rep.mixWords(lp, false), ExpectedSaving: lp.ExpectedSaving,
			Delivers: planMonth(r.Plan, lp.QualificationMonth), Payback: paybackText(r.Plan, lp),
			RequiredByCap: lp.RequiredByCap, AboveCap: breaksText(lp, capStageWord),
		}
		if !lp.Changed {
			pl.Recommended = "today's mix, kept"
		}
		if up := stagesWith(hhiMoves(lp), hhiRises); lp.Changed && len(up) > 0 {
			pl.HHIRises = stageWords(up)
		}
		out = append(out, pl)
	}
	return out
}

// PlanParagraph is the Summary's recommendation paragraph.
func PlanParagraph(r *exposure.Result) string {
	return newReport(r, Meta{}).planParagraph()
}
