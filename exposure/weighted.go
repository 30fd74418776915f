package exposure

import "github.com/shopspring/decimal"

// This file computes, once, the figures a report prints beside the
// scenarios' own: the probability-weighted ones, each product's outlook
// over the scenarios, the elements' price parts and the totals. The
// report's sheets and the upload page read them instead of summing the
// scenarios again, each its own way.

// Expected holds the probability-weighted figures of a Result: each is
// Σ_s w_s · x_s over the scenarios, w_s their final probabilities (the
// priors moved by the signals). The annual one is
// Result.ExpectedAnnualDelta.
type Expected struct {
	Prior       decimal.Decimal // Σ_s prior_s
	Probability decimal.Decimal // Σ_s w_s
	Horizon     decimal.Decimal // Σ_s w_s · horizon delta_s
	Split       Split           // Σ_s w_s · split_s: what the expected annual delta is made of
	// Share is the expected annual delta as a fraction of
	// Totals.BaselineAnnual, to 6 places; zero when the baseline is not
	// positive (HasShare false).
	Share    decimal.Decimal
	HasShare bool
	// Months is the expected change of each projection month: Σ over the
	// scenarios that reach the month of w_s · month delta_s (Split is
	// left zero). It runs as long as the longest scenario's months, labelled
	// as Result.Months unless a scenario runs longer.
	Months []MonthDelta
}

// ProductOutlook is one product's figures over the scenarios.
type ProductOutlook struct {
	ExpectedUnitDelta   decimal.Decimal // Σ_s w_s · unit delta_s (month 1)
	ExpectedAnnualDelta decimal.Decimal // Σ_s w_s · annual delta_s
	WorstAnnualDelta    decimal.Decimal // max_s annual delta_s
	UnitsAtRisk         decimal.Decimal // the most units at risk in any scenario, at least 0
	// Scenarios counts the scenario results that carry the product; with
	// none there is no worst case or output at risk to show.
	Scenarios int
}

// Totals are sums and extremes over a Result, as a report's key figures
// and total rows print them.
type Totals struct {
	// BaselineAnnual is what the products cost a year today:
	// Σ_P baseline unit cost_P · annual volume_P.
	BaselineAnnual decimal.Decimal
	// Worst is the index in Result.Scenarios of the scenario with the
	// largest annual delta (the first of equals), -1 when there is none
	// or no scenario changes the cost: naming one "worst" would mislead.
	Worst int
	// Elements is the "all elements" row: Σ over Result.Elements of the
	// annual kg, the kg of each class and each scenario's price part
	// (Element is "" and ChinaPrice zero).
	Elements ElementExposure
}

// Weigh sets the figures computed from the scenarios' results: Expected,
// Totals, each product's Outlook and each element's PriceDelta. Compute
// calls it once its probabilities are final; a Result built or changed by
// hand (tests) calls it again. ExpectedAnnualDelta is left as it is.
func (r *Result) Weigh() {
	r.Expected = r.weighExpected()
	for i := range r.Products {
		r.Products[i].Outlook = r.outlook(r.Products[i].ID)
	}
	r.Totals = Totals{BaselineAnnual: r.baselineAnnual(), Worst: r.worstScenario()}
	r.Totals.Elements = r.elementTotals()
	if r.Totals.BaselineAnnual.Sign() > 0 {
		r.Expected.Share = r.ExpectedAnnualDelta.DivRound(r.Totals.BaselineAnnual, 6)
		r.Expected.HasShare = true
	}
}

func (r *Result) weighExpected() Expected {
	var e Expected
	months := r.Months
	for _, s := range r.Scenarios {
		w := s.Probability
		e.Prior = e.Prior.Add(s.Scenario.Prior)
		e.Probability = e.Probability.Add(w)
		e.Horizon = e.Horizon.Add(s.HorizonDelta.Mul(w))
		e.Split = e.Split.Add(s.Split.Mul(w))
		if len(s.Months) > len(months) {
			months = make([]string, len(s.Months))
			for i, m := range s.Months {
				months[i] = m.Month
			}
		}
	}
	e.Months = make([]MonthDelta, len(months))
	for i, m := range months {
		e.Months[i].Month = m
		for _, s := range r.Scenarios {
			if i < len(s.Months) {
				e.Months[i].Delta = e.Months[i].Delta.Add(s.Months[i].Delta.Mul(s.Probability))
			}
		}
	}
	return e
}

// outlook weighs the scenarios' deltas of one product.
func (r *Result) outlook(id string) ProductOutlook {
	var o ProductOutlook
	for _, s := range r.Scenarios {
		for _, pd := range s.Products {
			if pd.Product != id {
				continue
			}
			o.ExpectedUnitDelta = o.ExpectedUnitDelta.Add(pd.UnitDelta.Mul(s.Probability))
			o.ExpectedAnnualDelta = o.ExpectedAnnualDelta.Add(pd.AnnualDelta.Mul(s.Probability))
			if o.Scenarios == 0 || pd.AnnualDelta.GreaterThan(o.WorstAnnualDelta) {
				o.WorstAnnualDelta = pd.AnnualDelta
			}
			o.UnitsAtRisk = decimal.Max(o.UnitsAtRisk, pd.UnitsAtRisk)
			o.Scenarios++
		}
	}
	return o
}

func (r *Result) baselineAnnual() decimal.Decimal {
	var sum decimal.Decimal
	for _, p := range r.Products {
		sum = sum.Add(p.BaselineUnitCost.Mul(p.AnnualVolume))
	}
	return sum
}

func (r *Result) worstScenario() int {
	worst, moved := -1, false
	for i, s := range r.Scenarios {
		if worst < 0 || s.AnnualDelta.GreaterThan(r.Scenarios[worst].AnnualDelta) {
			worst = i
		}
		moved = moved || !s.AnnualDelta.IsZero()
	}
	if !moved {
		return -1
	}
	return worst
}

// elementTotals sets each element's price part per scenario (a scenario
// may list an element more than once) and sums the elements.
func (r *Result) elementTotals() ElementExposure {
	tot := ElementExposure{PriceDelta: make([]decimal.Decimal, len(r.Scenarios))}
	for i := range r.Elements {
		e := &r.Elements[i]
		e.PriceDelta = make([]decimal.Decimal, len(r.Scenarios))
		for s, sr := range r.Scenarios {
			for _, ed := range sr.Elements {
				if ed.Element == e.Element {
					e.PriceDelta[s] = e.PriceDelta[s].Add(ed.AnnualDelta)
				}
			}
			tot.PriceDelta[s] = tot.PriceDelta[s].Add(e.PriceDelta[s])
		}
		tot.AnnualKg = tot.AnnualKg.Add(e.AnnualKg)
		for k := range e.ByClass {
			tot.ByClass[k] = tot.ByClass[k].Add(e.ByClass[k])
		}
	}
	return tot
}
