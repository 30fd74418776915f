package exposure

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Stage is one step of a rare-earth supply chain. The four stages are
// fixed: every source names (or leaves unknown) the country of each.
type Stage int

// The stages, in the order material flows through them.
const (
	StageMine Stage = iota
	StageSeparation
	StageMetal
	StageComponent
	NumStages = 4
)

// StageHRESeparation is the separation of the heavy rare earths (Gd, Tb,
// Dy, Ho, Er, Tm, Yb, Lu and Y) where it happens apart from the light
// ones: it is not one of the four stages a source lists, but the world
// shares of StageShare rows and the classes of heavy elements use it.
const StageHRESeparation Stage = NumStages

var stageNames = [NumStages + 1]string{"mine", "separation", "metal", "component", "hre_separation"}

// String returns the stage's lower-case name as used in reports and JSON.
func (g Stage) String() string {
	if g < 0 || g > StageHRESeparation {
		return "stage?"
	}
	return stageNames[g]
}

// Class is the exposure class of a source to a controlling country.
type Class int

// The three classes of SPEC section 3.
const (
	ClassDirect   Class = iota // component stage in the controlling country
	ClassUpstream              // component elsewhere, an earlier stage in it
	ClassFree                  // no stage in it
	NumClasses    = 3
)

var classNames = [NumClasses]string{"direct", "upstream", "free"}

// String returns the class's name as written in Controls sheets.
func (k Class) String() string {
	if k < 0 || k >= NumClasses {
		return "*"
	}
	return classNames[k]
}

// AnyClass marks a Controls row whose class is `*`.
const AnyClass Class = -1

// UnknownPolicy says how a stage whose country is not known is treated.
type UnknownPolicy int

// The --unknown-origin policies.
const (
	UnknownWorld       UnknownPolicy = iota // split by world stage shares
	UnknownControlling                      // as if in the controlling country
	UnknownFree                             // as if elsewhere
)

var unknownPolicyNames = [...]string{UnknownWorld: "world", UnknownControlling: "controlling", UnknownFree: "free"}

// String returns the policy's name as the --unknown-origin flag spells it.
func (p UnknownPolicy) String() string {
	if p < 0 || int(p) >= len(unknownPolicyNames) {
		return "world"
	}
	return unknownPolicyNames[p]
}

// Rollup chooses which BOM lines carry unit costs.
type Rollup int

// The --rollup values.
const (
	RollupLeaves Rollup = iota // lines without children
	RollupAll                  // every line
)

// String returns the roll-up's name as the --rollup flag spells it.
func (r Rollup) String() string {
	if r == RollupAll {
		return "all"
	}
	return "leaves"
}

// Product is one finished product of the BOM.
type Product struct {
	ID           string
	Name         string
	AnnualVolume decimal.Decimal // units a year
	// ImportCountry is where the product is built, so whose duties its
	// parts pay (alpha-2); "" takes Settings.ImportCountry.
	ImportCountry string
}

// ElementMass is the mass of one chemical element in one unit of a part.
type ElementMass struct {
	Element string          // chemical symbol, e.g. "Nd"
	Kg      decimal.Decimal // kilograms per unit of the part
}

// Source is one place a part is bought from. Its countries are Country
// values, not strings: every BOM line has a source, and six strings were
// 96 bytes and six pointers a source for the garbage collector to scan.
type Source struct {
	Supplier  string
	Share     decimal.Decimal    // fraction of the line, the shares of a line add up to 1
	Countries [NumStages]Country // per stage, NoCountry when unknown
	// HRESeparation is where the heavy rare earths are separated; the
	// reader defaults it to the separation country (SPEC section 2).
	HRESeparation Country
	// Origin is where the part as bought is made and shipped from: it
	// decides tariffs, the component country decides classes. The reader
	// defaults it to the component country.
	Origin   Country
	UnitCost decimal.Decimal // report currency per unit of the part
}

// Line is one row of the BOM: a part used in a product, below a parent.
type Line struct {
	Product     string // product ID
	PartNumber  string
	Description string
	// Parent is the index of the parent line in BOM.Lines, -1 at top
	// level: an int32 beside Row, where an int took a word of its own on
	// each of a million lines.
	Parent   int32
	Row      int32 // the sheet row the line came from, 0 when none (BOM.Ref)
	QtyPer   decimal.Decimal
	UOM      string
	Material string // material code, "" when the part holds no rare earths
	// MaterialKg is re_mass_kg: the mass of the rare-earth-bearing
	// material in one unit of the part; zero when not given.
	MaterialKg decimal.Decimal
	HSCode     string // digits only
	Content    []ElementMass
	// ContentSource says where Content came from: "" for the BOM row, else
	// the supplier declaration (file name) that supplied it.
	ContentSource string
	Sources       []Source
}

// BOM is a parsed bill of materials: products and their lines.
type BOM struct {
	Products []Product
	Lines    []Line
	Sheet    string // the sheet the lines were read from; "" is "BOM"
}

// Ref returns where line i came from, e.g. "BOM!12" (sheet and row), ""
// when it came from no row. Lines hold the row alone: a million lines
// each held a string for it, only for messages.
func (b *BOM) Ref(i int) string {
	row := b.Lines[i].Row
	if row == 0 {
		return ""
	}
	sheet := b.Sheet
	if sheet == "" {
		sheet = "BOM"
	}
	return sheet + "!" + strconv.Itoa(int(row))
}

// Price is the reference price of one element, already in the report
// currency. ExChina falls back to China when no ex-China quote exists.
type Price struct {
	Element    string
	China      decimal.Decimal // report currency per kg, China-origin
	ExChina    decimal.Decimal // report currency per kg, ex-China (0 when none)
	USDChina   decimal.Decimal // as quoted, USD per kg
	USDExChina decimal.Decimal
	AsOf       string
	Source     string
}

// Param is a numeric scenario parameter, optionally with a range for the
// Monte Carlo of SPEC section 7. Low and High equal Value when no range is given.
type Param struct {
	Value  decimal.Decimal
	Low    decimal.Decimal
	High   decimal.Decimal
	Ranged bool
}

// Fixed returns a Param without a range.
func Fixed(v decimal.Decimal) Param { return Param{Value: v, Low: v, High: v} }

// Month is a month reference in Controls or Tariffs: either relative to
// the start of the projection (Relative ≥ 1) or a calendar month.
// The zero Month means open-ended.
type Month struct {
	Relative int
	Year     int
	Month    time.Month
}

// IsZero reports whether m is open-ended.
func (m Month) IsZero() bool { return m.Relative == 0 && m.Year == 0 }

// Index returns the 1-based projection month of m for a projection that
// starts in start. Calendar months before the start give values below 1.
func (m Month) Index(start Month) int {
	if m.Relative > 0 {
		return m.Relative
	}
	return (m.Year-start.Year)*12 + int(m.Month-start.Month) + 1
}

// Control is one row of a Controls sheet.
type Control struct {
	Elements    []string // chemical symbols the row names
	AllElements bool     // the row said `*`
	Class       Class    // AnyClass for `*`
	// HSPrefix limits the row to lines whose HS code starts with these
	// digits (digits only, "" for every line): licences are granted by
	// customs code.
	HSPrefix     string
	Uplift       Param // price uplift, percent
	Availability Param // share still available, percent (100 when blank)
	Delay        Param // extra days of delay
	From, To     Month
	Ref          string // e.g. "Controls!7"
}

// Tariff is one row of a Tariffs sheet.
type Tariff struct {
	ImportCountry string
	Origin        string // alpha-2, or "*" for every origin
	Material      string // "" for any
	HSPrefix      string // digits only, "" for any
	Pct           Param  // added tariff, percent of unit cost
	From, To      Month
	Ref           string
}

// Scenario is one scenario of the library or of the input.
type Scenario struct {
	ID          string
	Name        string
	Stance      Stance          // easing, status-quo, tightening, escalation
	Prior       decimal.Decimal // normalised prior probability, the priors add up to 1
	PriorBlank  bool            // the input left the probability blank
	Country     string          // controlling country, alpha-2
	SpotPremium Param           // percent
	Description string
	Source      string
	Checked     string // date the scenario's figures were last checked
	// DecidedOn is the date (YYYY-MM-DD) the scenario's branch settles,
	// "" when it does not branch on a date.
	DecidedOn string
	Controls  []Control
	Tariffs   []Tariff
}

// Alternative is a candidate source offered for a part (by part number)
// or for every part of a material (SPEC sections 2 and 8): a row of the
// input's Alternatives sheet, or an embedded default centre (Indicative).
type Alternative struct {
	PartNumber string // "" for a row given by material
	Material   string // "" for a row given by part number
	Supplier   string
	Countries  [NumStages]string // alpha-2 per stage, "" when unknown
	// HRESeparation and Origin as in Source, defaulted by the reader (the
	// separation and the component country); "" falls back to them.
	HRESeparation string
	Origin        string
	// UnitCost is in the report currency; when ByPremium, the unit cost is
	// instead the line's current average unit cost × (1 + PremiumPct/100).
	UnitCost   decimal.Decimal
	PremiumPct decimal.Decimal
	ByPremium  bool
	// Capacity is units a year, offered once to all the lines the row
	// serves; HasCapacity is false for no limit.
	Capacity            decimal.Decimal
	HasCapacity         bool
	QualificationMonths int
	// QualificationCost is the one-off cost of qualifying the source, in
	// the report currency (samples, PPAP, tooling).
	QualificationCost decimal.Decimal
	Indicative        bool   // an embedded default centre, not a quote
	Source            string // where an indicative row's figures come from, with its date
	Note              string // what an indicative row's reference says about the centre
	Ref               string // e.g. "Alternatives!5"
}

// Material is a composition in wt% by element.
type Material struct {
	Code        string
	Description string
	Family      string // stage-share scope, e.g. "ndfeb", "smco", "yttria"; "" for the general rows
	WtPct       map[string]decimal.Decimal
	Source      string
	// PricePerKg is what one kg of the material itself costs, China-made,
	// in the report currency (zero when unknown); USDPerKg as quoted.
	PricePerKg  decimal.Decimal
	USDPerKg    decimal.Decimal
	PriceAsOf   string
	PriceSource string
}

// StageShare is a country's share of world output at one stage, for one
// scope of materials ("" = all).
type StageShare struct {
	Stage   Stage
	Family  string
	Country string
	Share   decimal.Decimal // fraction 0..1
	Source  string
	AsOf    string
}

// CapScope says which countries the plan's country cap applies to
// (--cap-countries, SPEC section 8). The zero CapScope is the default:
// the controlling countries of the scenarios computed.
type CapScope struct {
	All       bool     // every country but the product's import country
	Countries []string // alpha-2 codes given as a list
}

// String spells the scope as --cap-countries does.
func (c CapScope) String() string {
	switch {
	case c.All:
		return "all"
	case len(c.Countries) > 0:
		return strings.Join(c.Countries, ",")
	}
	return "controlling"
}

// Settings are the report settings of SPEC section 1, already validated.
type Settings struct {
	Currency           string
	ImportCountry      string
	ControllingCountry string
	Start              Month           // calendar month of projection month 1
	Horizon            int             // months, at least 12
	CarryingRate       decimal.Decimal // percent a year
	UnknownOrigin      UnknownPolicy
	CountryCap         decimal.Decimal // percent
	CapCountries       CapScope        // which countries the cap applies to
	Objective          Objective
	Rollup             Rollup
	Draws              int
	Seed               int64
	AsOf               time.Time
}
