package exposure

import (
	"rexpo/internal/dec128"

	"github.com/shopspring/decimal"
)

// Reference implementations that the plan no longer calls, kept for the
// tests that compare its fast paths with them.

// stageHHI is stageHHIOf of a listed plan's candidates, as
// recommend_lines_test.go checks the plan's indexes against it.
func stageHHI(cands []Candidate, y []decimal.Decimal, heavy bool) [capStages]HHI {
	return stageHHIOf(len(cands), func(j int, g Stage) string { return stageCountryOf(cands[j], g) }, y, heavy)
}

// candidates128 (reference for candidates128Of) converts cands; false when some figure does not fit.
func candidates128(cands []candidate) ([]candidate128, bool) {
	if noDec128 {
		return nil, false
	}
	out := make([]candidate128, len(cands))
	for j, cd := range cands {
		c := candidate128{cost: dec128.Of(cd.cost), value: dec128.Of(cd.value), parts: make([]candPart128, len(cd.parts))}
		if c.cost.Over() || c.value.Over() {
			return nil, false
		}
		for k, pt := range cd.parts {
			p := candPart128{prof: pt.prof, cost: dec128.Of(pt.cost), weight: dec128.Of(pt.weight)}
			if p.cost.Over() || p.weight.Over() {
				return nil, false
			}
			c.parts[k] = p
		}
		out[j] = c
	}
	return out, true
}

// stageCountryOf is a candidate's country at a cap stage.
func stageCountryOf(cd Candidate, g Stage) string {
	if g == StageHRESeparation {
		return cd.HRESeparation
	}
	return cd.Countries[g]
}
