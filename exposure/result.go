package exposure

import (
	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// Input is everything Compute needs: the BOM, the scenarios and the
// reference data, all in the report currency.
type Input struct {
	BOM         BOM
	Scenarios   []Scenario
	Prices      map[string]Price    // by element symbol
	Materials   map[string]Material // by material code (for stage-share families)
	StageShares []StageShare
	Settings    Settings
	// Signals and SignalRules move the priors (SPEC section 6);
	// SignalRuleSet names the rules used (embedded defaults or a sheet).
	Signals       []Signal
	SignalRules   []SignalRule
	SignalRuleSet string
	// Alternatives are the candidate sources of recommendations: the
	// input's rows, then the embedded default centres (Indicative).
	Alternatives []Alternative
	// Progress, when set, is called as Compute starts a long phase
	// (PhaseMonteCarlo), so that a terminal can say what is going on.
	Progress func(phase string)
}

// PhaseMonteCarlo is the phase Input.Progress hears of when the Monte
// Carlo draws start.
const PhaseMonteCarlo = "Monte Carlo"

// Split divides a cost change into the four parts of the cost model.
type Split struct {
	Price    decimal.Decimal
	Shortage decimal.Decimal
	Carrying decimal.Decimal
	Tariff   decimal.Decimal
}

// Total returns the sum of the four parts.
func (s Split) Total() decimal.Decimal {
	return s.Price.Add(s.Shortage).Add(s.Carrying).Add(s.Tariff)
}

// Add returns the part-by-part sum of s and o.
func (s Split) Add(o Split) Split {
	return Split{s.Price.Add(o.Price), s.Shortage.Add(o.Shortage), s.Carrying.Add(o.Carrying), s.Tariff.Add(o.Tariff)}
}

// Mul returns s with every part multiplied by f.
func (s Split) Mul(f decimal.Decimal) Split {
	return Split{s.Price.Mul(f), s.Shortage.Mul(f), s.Carrying.Mul(f), s.Tariff.Mul(f)}
}

// ProductResult is the baseline of one product.
type ProductResult struct {
	ID               string
	Name             string
	AnnualVolume     decimal.Decimal
	BaselineUnitCost decimal.Decimal // Σ over cost-bearing lines of Q·Σ x_j c_j
	Outlook          ProductOutlook  // over the scenarios, set by Result.Weigh
}

// ProductDelta is a scenario's effect on one product.
type ProductDelta struct {
	Product     string
	UnitDelta   decimal.Decimal // per unit of product, month 1 of the projection
	AnnualDelta decimal.Decimal // months 1..12, all units
	Split       Split           // of AnnualDelta
	// UnitsAtRisk is the units of the product that could not be built in
	// the first year if the shortfall could not be bought at any price:
	// V/12 · Σ_{t≤12} (1 − min over its lines with rare-earth content of
	// the line's availability) (SPEC section 5).
	UnitsAtRisk decimal.Decimal
}

// ElementDelta is the price part of a scenario's annual delta from one element.
type ElementDelta struct {
	Element     string
	AnnualDelta decimal.Decimal
}

// MonthDelta is the change of cost in one month of the projection, all products.
type MonthDelta struct {
	Month string // calendar month, YYYY-MM
	Delta decimal.Decimal
	Split Split
}

// ScenarioResult is what one scenario does to the BOM.
type ScenarioResult struct {
	Scenario     Scenario
	Probability  decimal.Decimal // posterior weight; equals the prior until signals are read
	AnnualDelta  decimal.Decimal // months 1..12
	HorizonDelta decimal.Decimal // months 1..H
	Split        Split           // of AnnualDelta
	Products     []ProductDelta  // in BOM product order
	Elements     []ElementDelta  // price part, elements in BOM order
	Months       []MonthDelta    // 1..H
	UnitsAtRisk  decimal.Decimal // Σ over products of ProductDelta.UnitsAtRisk

	// Monte Carlo of the annual delta (SPEC section 7); all equal to
	// AnnualDelta when the scenario has no ranged parameter.
	P10, P50, P90, Mean decimal.Decimal
	Uncertain           bool    // some parameter of the scenario has a range
	Phases              []Phase // month windows with the rows in force
}

// ElementExposure is the annual mass of one element in the BOM, split by
// exposure class under the settings' controlling country.
type ElementExposure struct {
	Element    string
	AnnualKg   decimal.Decimal
	ByClass    [NumClasses]decimal.Decimal // kg a year per class
	ChinaPrice decimal.Decimal             // report currency per kg
	PriceDelta []decimal.Decimal           // per scenario: the price part of its annual delta from the element, set by Result.Weigh
}

// StageCountry is one country's share of the BOM's rare-earth mass at one
// stage ("" country = unknown), and the stage's Herfindahl–Hirschman index
// over the known countries in percent points (0–10,000).
type StageCountry struct {
	Stage   Stage
	Country string
	Share   decimal.Decimal // fraction 0..1 of the annual rare-earth kg
	Kg      decimal.Decimal
	HHI     decimal.Decimal // of the whole stage, repeated on each row
}

// PartDelta is one scenario's effect on one BOM line.
type PartDelta struct {
	UnitDelta   decimal.Decimal // per unit of the part, month 1
	AnnualDelta decimal.Decimal // the line's annual delta for its product
	Split       Split           // of AnnualDelta

	// The unit and annual deltas as computed, in dec128, for readers that
	// sum them without decimal's allocations (see Exact).
	unit, annual dec128.Decimal
	exact        bool
}

// Exact returns UnitDelta and AnnualDelta as dec128 values, the same
// coefficients and exponents, when Result.PartsWith computed them so;
// ok is false otherwise (a line whose figures need more than 128 bits,
// a PartDelta made elsewhere), and the decimals are to be used.
func (d *PartDelta) Exact() (unit, annual dec128.Decimal, ok bool) {
	return d.unit, d.annual, d.exact
}

// PartRow is one BOM line with its computed figures, as Result.Parts
// yields it. Rows are produced on demand so that no per-scenario copy of
// the BOM is ever held.
type PartRow struct {
	Index       int             // index in BOM.Lines
	Line        *Line           // the line itself
	Level       int             // 1 for top-level lines
	Qty         decimal.Decimal // exploded quantity per unit of product
	AnnualQty   decimal.Decimal // Qty × product annual volume
	CostBearing bool
	UnitCost    decimal.Decimal // Σ_j x_j c_j
	// MaterialValue is B: the value of the rare-earth-bearing material in
	// one unit of the part, the base of shortage and carrying (SPEC
	// section 3); zero without rare-earth content.
	MaterialValue decimal.Decimal
	ClassProb     [NumClasses]decimal.Decimal // share-weighted class probabilities, settings' country
	// Deltas are the row's figures, one per scenario, in
	// Result.Scenarios order; under PartOptions.Transient their memory is
	// reused once the callback returns.
	Deltas []PartDelta

	annual []dec128.Decimal // with PartOptions.AnnualOnly, in place of Deltas

	annualQty  dec128.Decimal // AnnualQty, when qtyExact
	unitCost   dec128.Decimal // UnitCost, when costExact
	value128   dec128.Decimal // MaterialValue, when valueExact
	qtyExact   bool
	costExact  bool
	valueExact bool
}

// ExactMaterialValue is ExactAnnualQty for MaterialValue.
func (r *PartRow) ExactMaterialValue() (dec128.Decimal, bool) { return r.value128, r.valueExact }

// MaterialValueDecimal is AnnualQtyDecimal for MaterialValue.
func (r *PartRow) MaterialValueDecimal(dc *dec128.Converter) decimal.Decimal {
	if r.valueExact {
		return dc.Decimal(r.value128)
	}
	return r.MaterialValue
}

// ExactUnitCost is ExactAnnualQty for UnitCost.
func (r *PartRow) ExactUnitCost() (dec128.Decimal, bool) { return r.unitCost, r.costExact }

// UnitCostDecimal is AnnualQtyDecimal for UnitCost.
func (r *PartRow) UnitCostDecimal(dc *dec128.Converter) decimal.Decimal {
	if r.costExact {
		return dc.Decimal(r.unitCost)
	}
	return r.UnitCost
}

// ExactAnnualQty returns AnnualQty as a dec128 value, the same
// coefficient and exponent, when Result.PartsWith computed it so; ok is
// false otherwise, and AnnualQty is to be used (with
// PartOptions.ExactQty, AnnualQty is left zero where ok is true).
func (r *PartRow) ExactAnnualQty() (dec128.Decimal, bool) { return r.annualQty, r.qtyExact }

// AnnualQtyDecimal returns AnnualQty, from ExactAnnualQty where that is
// set (PartOptions.ExactQty may have left AnnualQty zero).
func (r *PartRow) AnnualQtyDecimal(dc *dec128.Converter) decimal.Decimal {
	if r.qtyExact {
		return dc.Decimal(r.annualQty)
	}
	return r.AnnualQty
}

// ExactAnnual returns the row's annual deltas, one per scenario, as dec128
// values, the coefficients and exponents of PartDelta.AnnualDelta, when
// Result.PartsWith computed them so under PartOptions.AnnualOnly; nil
// otherwise, and Deltas holds the figures. The caller must not change
// them, and under PartOptions.Transient must not keep them past its
// callback's return: their memory then holds later rows' figures.
func (r *PartRow) ExactAnnual() []dec128.Decimal { return r.annual }

// Result is the outcome of Compute.
type Result struct {
	Settings            Settings
	Months              []string // calendar months of the projection, YYYY-MM
	Products            []ProductResult
	Scenarios           []ScenarioResult
	ExpectedAnnualDelta decimal.Decimal // Σ_s w_s · annual_delta_s
	Elements            []ElementExposure
	Stages              []StageCountry
	Input               *Input // what was computed, for the Assumptions sheet
	Plan                *Plan  // the diversification plan Recommend returns, set by its caller; nil when not run

	model *model

	// Signals and uncertainty (SPEC sections 6 and 7).
	Signals     *SignalReport // how the signals moved the priors; nil without signals
	Mix         Mix           // the probability-weighted mixture of the scenarios' draws
	MixMonths   []Band        // per month, the mixture's P10..P90 band
	Sensitivity []Swing       // tornado of the expected annual delta, largest swing first

	// Figures the report prints, computed once from the above by Weigh
	// (weighted.go).
	Expected Expected // probability-weighted
	Totals   Totals   // sums and extremes over products, elements and scenarios
}

// Parts calls fn for every BOM line that is cost-bearing or carries
// rare-earth content, in BOM order, with its figures for every scenario.
// It stops at the first error fn returns.
func (r *Result) Parts(fn func(PartRow) error) error {
	return r.PartsWith(PartOptions{}, fn)
}
