package reports

import (
	"fmt"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// This file holds the plan as the JSON gives it (SPEC section 10): one
// entry per listed line and a warning per line left above the cap.

// jsonRec is one entry of the JSON's recommendations (SPEC section 10).
// hhi_before and hhi_after hold each stage's HHI (null when none of its
// countries is known; heavy-rare-earth separation only for lines holding
// heavy rare earths); payback_month is null when the plan does not pay
// back within the horizon. Indicative sources carry "(indicative)" in
// their name.
type jsonRec struct {
	Product            string      `json:"product"`
	PartNumber         string      `json:"part_number"`
	Current            []jsonShare `json:"current"`
	Recommended        []jsonShare `json:"recommended"`
	Premium            string      `json:"premium"`
	ExpectedSaving     string      `json:"expected_saving"`
	WorstSaving        string      `json:"worst_saving"`
	HorizonSaving      string      `json:"horizon_saving"`
	PaybackMonth       *int        `json:"payback_month"`
	QualificationMonth int         `json:"qualification_month"`
	RequiredByCap      bool        `json:"required_by_cap"`
	HHIBefore          jsonHHI     `json:"hhi_before"`
	HHIAfter           jsonHHI     `json:"hhi_after"`
}

// jsonShare is one source of a mix: its supplier, component country,
// origin and share; a material-level candidate's entry names the centre
// that makes the material (material_supplier) and its component country.
type jsonShare struct {
	Supplier         string `json:"supplier"`
	Country          string `json:"country"`
	Origin           string `json:"origin"`
	Share            string `json:"share"`
	MaterialSupplier string `json:"material_supplier,omitempty"`
}

// jsonHHI is a line's HHI per stage, in percent points.
type jsonHHI struct {
	Mine          *string `json:"mine"`
	Separation    *string `json:"separation"`
	HRESeparation *string `json:"hre_separation"`
	Metal         *string `json:"metal"`
	Component     *string `json:"component"`
}

func newJSONHHI(h [exposure.NumStages + 1]exposure.HHI) jsonHHI {
	v := func(g exposure.Stage) *string {
		if !h[g].Known {
			return nil
		}
		s := dec(h[g].Value)
		return &s
	}
	return jsonHHI{v(exposure.StageMine), v(exposure.StageSeparation), v(exposure.StageHRESeparation), v(exposure.StageMetal), v(exposure.StageComponent)}
}

// jsonRecommendations lists every listed line of the plan in BOM order.
func jsonRecommendations(p *exposure.Plan) []jsonRec {
	out := []jsonRec{}
	if p == nil {
		return out
	}
	for i := range p.Lines {
		lp := &p.Lines[i]
		rec := jsonRec{
			Product: lp.Line.Product, PartNumber: lp.Line.PartNumber,
			Current: jsonShares(lp.Candidates, true), Recommended: jsonShares(lp.Candidates, false),
			Premium: dec(lp.Premium), ExpectedSaving: dec(lp.ExpectedSaving), WorstSaving: dec(lp.WorstSaving),
			HorizonSaving: dec(lp.HorizonSaving), QualificationMonth: lp.QualificationMonth, RequiredByCap: lp.RequiredByCap,
			HHIBefore: newJSONHHI(lp.HHIBefore), HHIAfter: newJSONHHI(lp.HHIAfter),
		}
		if lp.PaybackMonth > 0 {
			m := lp.PaybackMonth
			rec.PaybackMonth = &m
		}
		out = append(out, rec)
	}
	return out
}

// jsonShares sums the non-zero shares by supplier, component country,
// origin and material supplier, in the candidates' order: a
// material-level candidate gives one entry per source it keeps, at the
// candidate's share times the source's.
func jsonShares(cands []exposure.Candidate, current bool) []jsonShare {
	out := []jsonShare{}
	// A line has a handful of sources: the keys are found by a scan, in
	// out, where a map per mix cost more than the entries themselves.
	var sums []decimal.Decimal
	add := func(k jsonShare, sh decimal.Decimal) {
		for i := range out {
			if out[i] == k {
				sums[i] = sums[i].Add(sh)
				return
			}
		}
		out = append(out, k)
		sums = append(sums, decimal.Decimal{}.Add(sh))
	}
	for _, c := range cands {
		sh := c.Share
		if current {
			sh = c.CurrentShare
		}
		if sh.Sign() <= 0 {
			continue
		}
		comp := c.Countries[exposure.StageComponent]
		if c.MaterialLevel && len(c.Parts) > 0 {
			for _, pt := range c.Parts {
				add(jsonShare{Supplier: pt.Supplier, Country: comp, Origin: pt.Origin, MaterialSupplier: c.Supplier}, sh.Mul(pt.Share))
			}
			continue
		}
		add(jsonShare{Supplier: c.Supplier, Country: comp, Origin: c.Origin}, sh)
	}
	for i := range out {
		out[i].Share = dec(sums[i])
	}
	return out
}

// planWarnings are the JSON's warnings for the stages left above the cap,
// one per listed line, pointing at the line's row of the plan table.
func planWarnings(p *exposure.Plan) []jsonWarning {
	if p == nil {
		return nil
	}
	row := map[*exposure.LinePlan]int{}
	for i, lp := range planOrder(p) {
		row[lp] = planHeaderRow + 1 + i
	}
	var out []jsonWarning
	for i := range p.Lines {
		lp := &p.Lines[i]
		br := breaksText(lp, capStageWord)
		if br == "" {
			continue
		}
		cell := ""
		if r, ok := row[lp]; ok {
			cell = cellName(planNotesCol, r)
		}
		out = append(out, jsonWarning{Sheet: sheetRecommendations, Cell: cell,
			Message: fmt.Sprintf("%s %s stays above the %s%% cap: %s", lp.Line.Product, lp.Line.PartNumber, p.CountryCap, br)})
	}
	return out
}
