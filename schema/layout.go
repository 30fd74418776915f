package schema

import (
	"strings"
	"unicode"
)

// This file is the one place where the input workbook's sheets and
// columns are defined: their names, aliases, kinds and notes. The reader,
// the validator and `rexpo template` all work from it.

// The template marks its example rows with ExampleMark in a column headed
// ExampleColumn, after the sheet's own columns. The reader skips a row so
// marked with a warning: the mark survives edits to the row's other cells,
// and clearing it (or deleting the column) makes the row the user's.
const (
	ExampleColumn = "example"
	ExampleMark   = "EXAMPLE: replace or delete this row"
)

// NormalizeKey folds a sheet name, header, Settings key or word value for
// matching: lower case, and spaces, '_', '-', '%', '(' and ')' removed, so
// "Share (%)" becomes "share" and "Status-Quo" becomes "statusquo". A byte
// order mark or zero-width space (left by some CSV exports) is removed too.
func NormalizeKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '_' || r == '-' || r == '%' || r == '(' || r == ')':
		case r == '\ufeff' || r == '\u200b':
		case unicode.IsSpace(r):
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// ColumnKind says how a column's cells are parsed.
type ColumnKind int

// The column kinds.
const (
	KindText         ColumnKind = iota
	KindAmount                  // a number ≥ 0 unless said otherwise
	KindPercent                 // percent: 5 means 5%
	KindFraction                // probability 0..1
	KindMonth                   // calendar month, date or relative month
	KindCountry                 // ISO 3166 after normalising
	KindElement                 // chemical symbol after normalising
	KindRange                   // a number with an optional range "30 (20..60)"
	KindPercentRange            // a percent with an optional range
)

// DropDown names the list a template column offers.
type DropDown int

// The drop-down lists of the template.
const (
	NoList DropDown = iota
	ListCountries
	ListElements
	ListMaterials
	ListClasses
	ListStances
	ListYesNo
	ListUnknownOrigin
	ListObjective
	ListRollup
)

// Column is one known column of an input sheet.
type Column struct {
	Name     string   // canonical name, as the template writes it
	Aliases  []string // other accepted headers (matched with NormalizeKey)
	Kind     ColumnKind
	Required bool
	Note     string // the template's note on the header
	List     DropDown
}

// SheetLayout is one input sheet.
type SheetLayout struct {
	Name     string
	Required bool
	Note     string
	Columns  []Column
	Example  [][]string // example rows for the template, in Columns order
}

// stageColumns are the stage-country columns shared by BOM, Sourcing and
// Alternatives: the four stages and where the heavy rare earths are
// separated.
var stageColumns = []Column{
	{Name: "mine_country", Kind: KindCountry, List: ListCountries, Note: "Country where the ore is mined. Empty: unknown."},
	{Name: "refine_country", Aliases: []string{"separation_country"}, Kind: KindCountry, List: ListCountries, Note: "Country of separation/refining into oxides. Empty: unknown."},
	{Name: "hre_separation_country", Kind: KindCountry, List: ListCountries, Note: "Country where the heavy rare earths (Gd, Tb, Dy, Ho, Er, Tm, Yb, Lu, Y) are separated, when not where the light ones are. Empty: the separation country."},
	{Name: "metal_country", Aliases: []string{"alloy_country"}, Kind: KindCountry, List: ListCountries, Note: "Country where oxide is made into metal or alloy. Empty: unknown."},
	{Name: "component_country", Aliases: []string{"magnet_country"}, Kind: KindCountry, List: ListCountries, Note: "Country where the rare-earth-bearing component itself is made (magnet, coating, target). Empty: the origin country, else unknown."},
}

// originColumn is where the part as bought is made and shipped from: it
// decides tariffs, as the component country decides exposure classes.
var originColumn = Column{Name: "origin_country", Aliases: []string{"country_of_origin", "coo"}, Kind: KindCountry, List: ListCountries,
	Note: "Country the part as bought is made in and shipped from; it decides tariffs. Empty: the component country."}

// partNumberColumn is the part number on every sheet. Aliases are ranked:
// when several columns match, the earliest alias wins, so a SAP export's
// "Component number" beats its "Item" (0010, 0020, ...).
var partNumberColumn = Column{Name: "part_number", Aliases: []string{"part", "pn", "component_number", "item_number", "component", "material_number", "item"},
	Required: true, Note: "Part number. On the BOM sheet unique within a product when other lines name it as parent."}

// alternativesPartColumn is the part number on the Alternatives sheet,
// where a row may name a material instead.
var alternativesPartColumn = Column{Name: "part_number", Aliases: partNumberColumn.Aliases,
	Note: "Part number the source is offered for. Give part_number or material."}

func cols(groups ...[]Column) []Column {
	var out []Column
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// Layouts lists the input sheets in template order. Element columns of BOM
// and Materials (Nd, Dy_g, ...) are not listed: any chemical symbol is
// accepted as a wt% column, and `<El>_g` as grams per unit.
var Layouts = []SheetLayout{
	{
		Name: "Products", Required: true,
		Note: "One row per finished product.",
		Columns: []Column{
			{Name: "product", Required: true, Note: "Product id, as used in the BOM sheet's product column."},
			{Name: "name", Aliases: []string{"product_name"}, Note: "Product name for the report."},
			{Name: "annual_volume", Aliases: []string{"volume", "units_per_year"}, Kind: KindAmount, Required: true, Note: "Units made a year."},
			{Name: "import_country", Aliases: []string{"plant_country"}, Kind: KindCountry, List: ListCountries, Note: "Country where the product is built, so whose duties its parts pay. Empty: the Settings import_country."},
		},
		Example: [][]string{{"EDU-150", "EV drive unit 150 kW", "120000", "US"}},
	},
	{
		Name: "BOM", Required: true,
		Note: "One row per part in each product's bill of materials. Element columns (Nd, Pr, Dy, Tb, Sm, Y, Sc, ...) give wt% of the material; Nd_g, Dy_g, ... give grams per unit of the part.",
		Columns: cols([]Column{
			{Name: "product", Note: "Product id. May be left out when Products has one row."},
			partNumberColumn,
			{Name: "description", Aliases: []string{"object_description", "item_description"}, Note: "What the part is."},
			{Name: "parent", Aliases: []string{"parent_part"}, Note: "Part number of the parent assembly. Empty or the product id: top level. Use either parent or level."},
			{Name: "level", Aliases: []string{"bom_level", "explosion_level"}, Note: "SAP-style level (1, .2, ..3): a row's parent is the nearest row above it one level up."},
			{Name: "qty_per", Aliases: []string{"quantity", "qty", "comp_qty_cun", "comp_qty"}, Kind: KindAmount, Required: true, Note: "Quantity of this part in one unit of its parent."},
			{Name: "uom", Aliases: []string{"component_unit", "unit"}, Note: "Unit of measure (pcs, kg, m)."},
			{Name: "unit_cost", Aliases: []string{"unit_price", "price", "cost"}, Kind: KindAmount, Note: "Cost of one unit of the part, in its currency."},
			{Name: "currency", Note: "ISO currency code of unit_cost. Empty: the report currency."},
			{Name: "supplier", Aliases: []string{"vendor"}, Note: "Current supplier."},
			{Name: "material", List: ListMaterials, Note: "Rare-earth-bearing material code (see Materials and the reference data). Empty for parts without rare earths."},
			{Name: "re_mass_kg", Kind: KindAmount, Note: "Mass in kg of the rare-earth-bearing material in one unit of the part (e.g. the magnet)."},
			{Name: "re_mass_g", Kind: KindAmount, Note: "Same, in grams."},
		}, stageColumns, []Column{
			originColumn,
			{Name: "hs_code", Note: "Customs tariff code, e.g. 8505.11."},
		}),
		Example: [][]string{
			{"EDU-150", "EDU-MOT-100", "Traction motor", "", "", "1", "pcs", "420", "USD", "", "", "", "", "", "", "", "", "", "US", "8501.53"},
			{"EDU-150", "EDU-ROT-110", "Rotor magnet set 38UH", "EDU-MOT-100", "", "1", "set", "180", "USD", "Ningbo Magnet Co.", "NDFEB_38UH_BULK", "1.5", "", "CN", "CN", "", "CN", "CN", "", "8505.11"},
		},
	},
	{
		Name: "Sourcing",
		Note: "Optional: parts bought from several sources. Shares of a part must add up to 100.",
		Columns: cols([]Column{
			partNumberColumn,
			{Name: "product", Note: "Optional: limit the rows to one product's lines."},
			{Name: "supplier", Aliases: []string{"vendor"}, Note: "Supplier of this source."},
			{Name: "share_pct", Aliases: []string{"share"}, Kind: KindPercent, Required: true, Note: "Percent of the part's volume from this source."},
		}, stageColumns, []Column{
			originColumn,
			{Name: "unit_cost", Aliases: []string{"unit_price", "price", "cost"}, Kind: KindAmount, Note: "Unit cost from this source. Empty: the BOM row's."},
			{Name: "currency", Note: "Currency of unit_cost. Empty: the report currency (or the BOM row's when unit_cost is empty)."},
		}),
		Example: [][]string{
			{"EDU-ROT-110", "", "Ningbo Magnet Co.", "70", "CN", "CN", "", "CN", "CN", "", "180", "USD"},
			{"EDU-ROT-110", "", "Kanto Magnetics KK", "30", "", "CN", "", "JP", "JP", "", "235", "USD"},
		},
	},
	{
		Name: "Alternatives",
		Note: "Optional: candidate sources for the diversification plan (the report's Recommendations sheet). One row per source, for a part number or for every part of a material.",
		Columns: cols([]Column{
			alternativesPartColumn,
			{Name: "material", List: ListMaterials, Note: "Material code: the row is offered to every part of this material that has no row by part number. Give part_number or material."},
			{Name: "supplier", Aliases: []string{"vendor"}, Required: true, Note: "Supplier or production centre."},
		}, stageColumns, []Column{
			{Name: "origin_country", Aliases: originColumn.Aliases, Kind: KindCountry, List: ListCountries,
				Note: "Part-number rows only: country the part as bought ships from; it decides tariffs. Empty: the component country."},
			{Name: "unit_cost", Aliases: []string{"unit_price", "price", "cost"}, Kind: KindAmount, Note: "Part-number row: unit cost of the part from this source. Material row: price per kg of the material (the magnet, target) from this centre. Give unit_cost or premium_pct."},
			{Name: "currency", Note: "Currency of unit_cost and qualification_cost. Empty: the report currency."},
			{Name: "premium_pct", Kind: KindPercent, Note: "Part-number row: premium over the part's current average unit cost. Material row: premium over the value of the part's rare-earth-bearing material (re_mass_kg × its price), not over the part. Percent (e.g. 25)."},
			{Name: "capacity_units", Aliases: []string{"capacity", "capacity_per_year"}, Kind: KindAmount, Note: "Part-number rows: units a year this source can supply. Empty: no limit."},
			{Name: "qualification_months", Aliases: []string{"qualification", "lead_time_months"}, Kind: KindAmount, Note: "Months before the first delivery (samples, PPAP, tooling): the plan's savings count from the month after."},
			{Name: "capacity_kg", Aliases: []string{"capacity_kg_per_year"}, Kind: KindAmount, Note: "Material rows: kg of the material a year this centre can supply, offered once to all the parts it serves. Empty: no limit."},
			{Name: "qualification_cost", Kind: KindAmount, Note: "One-off cost of qualifying the source (samples, PPAP, tooling), in the row's currency: the horizon saving and the payback month count it."},
		}),
		Example: [][]string{
			{"EDU-ROT-110", "", "Kanto Magnetics KK", "", "CN", "", "JP", "JP", "", "", "", "30", "20000", "12", "", "25000"},
			{"", "NDFEB_38UH_BULK", "Baltic Magnet OÜ", "AU", "EE", "", "EE", "EE", "", "68", "USD", "", "", "18", "50000", "40000"},
		},
	},
	{
		Name: "Scenarios",
		Note: "Optional: replaces the built-in scenario library.",
		Columns: []Column{
			{Name: "scenario", Aliases: []string{"id", "scenario_id"}, Required: true, Note: "Scenario id."},
			{Name: "name", Note: "Scenario name."},
			{Name: "stance", List: ListStances, Note: "easing, status-quo, tightening or escalation."},
			{Name: "probability", Aliases: []string{"prior"}, Kind: KindFraction, Note: "Prior probability 0..1. Blanks share what the others leave."},
			{Name: "country", Aliases: []string{"controlling_country"}, Kind: KindCountry, List: ListCountries, Note: "Controlling country. Empty: CN."},
			{Name: "spot_premium_pct", Kind: KindPercentRange, Note: "Extra cost, percent of unit cost, of buying on the spot market when the usual source cannot deliver. May be a range: 50 (30..80)."},
			{Name: "spot_premium_low", Kind: KindPercent, Note: "Low end of the spot premium range."},
			{Name: "spot_premium_high", Kind: KindPercent, Note: "High end of the spot premium range."},
			{Name: "description", Note: "What the scenario assumes."},
			{Name: "source", Note: "The events the numbers are taken from."},
			{Name: "checked", Note: "Date the figures were last checked."},
			{Name: "decided_on", Note: "Optional date (2026-11-10) when the scenario's branch settles: after it, the report says the outcome is known and its probability belongs at 1 or 0."},
		},
		Example: [][]string{{"my-shock", "April 2025 replay", "tightening", "0.2", "CN", "200", "", "", "Licensing shock", "MOFCOM No. 18", "2026-01-29", ""}},
	},
	{
		Name: "Controls",
		Note: "Optional: export-control effects per scenario, element group, exposure class and month window. The most specific matching row applies.",
		Columns: []Column{
			{Name: "scenario", Aliases: []string{"id", "scenario_id"}, Required: true, Note: "Scenario id."},
			{Name: "elements", Aliases: []string{"element"}, Required: true, Note: "Symbols or names, comma-separated; groups HRE7, HRE12; * for every priced element."},
			{Name: "class", List: ListClasses, Note: "direct, upstream, free or * (empty: *)."},
			{Name: "hs_prefix", Aliases: []string{"hs_code"}, Note: "Optional: the row covers only lines whose HS code starts with these digits (8505.11 matches 850511...); more digits win. Empty: every line."},
			{Name: "price_uplift_pct", Aliases: []string{"uplift_pct"}, Kind: KindPercentRange, Note: "Price change of the element, percent. May be a range: 30 (20..60)."},
			{Name: "price_uplift_low", Kind: KindPercent, Note: "Low end of the uplift range."},
			{Name: "price_uplift_high", Kind: KindPercent, Note: "High end of the uplift range."},
			{Name: "availability_pct", Kind: KindPercentRange, Note: "Share of demand that can still be had, percent (empty: 100)."},
			{Name: "availability_low", Kind: KindPercent, Note: "Low end of the availability range."},
			{Name: "availability_high", Kind: KindPercent, Note: "High end of the availability range."},
			{Name: "delay_days", Kind: KindRange, Note: "Extra delivery delay, days."},
			{Name: "delay_low", Kind: KindAmount, Note: "Low end of the delay range."},
			{Name: "delay_high", Kind: KindAmount, Note: "High end of the delay range."},
			{Name: "from_month", Kind: KindMonth, Note: "First month: 2026-11, a date, or a month of the projection (1 = first). Empty: from the start."},
			{Name: "to_month", Kind: KindMonth, Note: "Last month, as from_month. Empty: open-ended."},
		},
		Example: [][]string{{"my-shock", "HRE7", "direct", "", "200 (100..330)", "", "", "25", "", "", "63", "", "", "1", "2"}},
	},
	{
		Name: "Tariffs",
		Note: "Optional: added import tariffs per scenario. The most specific matching row applies.",
		Columns: []Column{
			{Name: "scenario", Aliases: []string{"id", "scenario_id"}, Required: true, Note: "Scenario id."},
			{Name: "import_country", Kind: KindCountry, List: ListCountries, Required: true, Note: "Importing country (rows apply only for the report's import country)."},
			{Name: "origin_country", Aliases: []string{"origin"}, Note: "Country of the component stage, or * for every origin."},
			{Name: "material", List: ListMaterials, Note: "Optional material code the row is limited to."},
			{Name: "hs_prefix", Aliases: []string{"hs_code"}, Note: "Optional HS code prefix (digits compared: 8505.11 matches 850511...)."},
			{Name: "tariff_pct", Aliases: []string{"tariff"}, Kind: KindPercentRange, Required: true, Note: "Tariff added on top of today's duties, percent of unit cost. May be a range: 25 (10..45)."},
			{Name: "tariff_low", Kind: KindPercent, Note: "Low end of the tariff range."},
			{Name: "tariff_high", Kind: KindPercent, Note: "High end of the tariff range."},
			{Name: "from_month", Kind: KindMonth, Note: "First month, as in Controls."},
			{Name: "to_month", Kind: KindMonth, Note: "Last month, as in Controls."},
		},
		Example: [][]string{{"my-shock", "US", "CN", "", "8505.11", "45", "", "", "2026-01", ""}},
	},
	{
		Name: "Prices",
		Note: "Optional: element prices replacing the embedded ones, USD per kg of metal.",
		Columns: []Column{
			{Name: "element", Kind: KindElement, List: ListElements, Required: true, Note: "Element symbol or name."},
			{Name: "price_usd_per_kg", Aliases: []string{"price", "china_price_usd_per_kg"}, Kind: KindAmount, Required: true, Note: "China-origin price, USD per kg."},
			{Name: "exchina_usd_per_kg", Aliases: []string{"exchina_price_usd_per_kg"}, Kind: KindAmount, Note: "Ex-China price, USD per kg (empty: the China price)."},
			{Name: "as_of", Note: "Date of the quote."},
			{Name: "source", Note: "Where the price comes from."},
		},
		Example: [][]string{{"Dy", "278", "1150", "2026-01-29", "100ppi Dy metal"}},
	},
	{
		Name: "Materials",
		Note: "Optional: material compositions in wt% by element, adding to or replacing the embedded ones. Add one column per element symbol.",
		Columns: []Column{
			{Name: "material", Required: true, Note: "Material code."},
			{Name: "description", Note: "What the material is."},
			{Name: "family", Note: "Stage-share family: ndfeb, smco, yttria, scandium or empty."},
			{Name: "price_usd_per_kg", Kind: KindAmount, Note: "What one kg of the material itself costs (a sintered magnet, an oxide powder, a target), USD. Empty: the value of its priced elements."},
			{Name: "as_of", Aliases: []string{"price_as_of"}, Note: "Date of the price."},
			{Name: "source", Aliases: []string{"price_source"}, Note: "Where the composition and price come from."},
		},
		Example: [][]string{{"MY_GRADE", "In-house NdFeB grade", "ndfeb", "", "", ""}},
	},
	{
		Name: "FX",
		Note: "Optional: exchange rates, report-currency units per one unit of the currency.",
		Columns: []Column{
			{Name: "currency", Required: true, Note: "ISO currency code."},
			{Name: "rate", Kind: KindAmount, Required: true, Note: "Report-currency units per one unit of this currency."},
		},
		Example: [][]string{{"EUR", "1.08"}},
	},
	{
		Name: "Signals",
		Note: "Optional: dated readings of public signals of the negotiation's temperature. The newest value of each signal moves the scenario probabilities through SignalRules (a transparent heuristic).",
		Columns: []Column{
			{Name: "date", Required: true, Note: "Date of the reading, e.g. 2026-01-05 (a month such as 2026-01 counts as its first day)."},
			{Name: "signal", Required: true, Note: "soybean_imports_us_mt (China's monthly imports of US soybeans, Mt), magnet_exports_t (China's monthly magnet exports, HS 8505.11, tonnes), mofcom_tone (tighten, neutral or relax), us_exemption (yes: a US exemption window extended or a ban postponed; no: one lapsed), or a signal named in SignalRules (the embedded rules also read mofcom_suspension, licence_delay_reports, us_new_tariff_threat, us_232_tariff, cliff_nov2026)."},
			{Name: "value", Required: true, Note: "The reading: a number, or a word such as relax or yes."},
			{Name: "source", Note: "Where the reading comes from."},
		},
		Example: [][]string{{"2025-12-18", "mofcom_tone", "relax", "MOFCOM: some exporters approved for general licences"}},
	},
	{
		Name: "SignalRules",
		Note: "Optional: replaces the embedded rules. When the newest value of a signal meets a rule's condition, scenarios of the rule's stance have their probability multiplied by the likelihood ratio, then all are scaled to add up to 1.",
		Columns: []Column{
			{Name: "rule", Aliases: []string{"rule_id"}, Note: "Optional short name of the rule."},
			{Name: "signal", Required: true, Note: "Signal name, as in the Signals sheet."},
			{Name: "condition", Required: true, Note: "An operator and a value: >= 2, < 0.67, != no; a word alone means equal (relax; Excel takes = relax for a formula); any matches every value. For monthly numbers, yoy < 60 (the newest month as a % of the same month a year earlier) or avg3 >= 2 (the mean of the newest month and the two before)."},
			{Name: "stance", List: ListStances, Required: true, Note: "The stance the signal supports: easing, status-quo, tightening or escalation."},
			{Name: "likelihood_ratio", Aliases: []string{"lr"}, Kind: KindAmount, Required: true, Note: "P(signal | stance) / P(signal | not stance): above 1 raises the stance's scenarios, below 1 lowers them."},
			{Name: "rationale", Note: "Why the signal says so."},
			{Name: "source", Note: "The events the rule rests on."},
		},
		Example: [][]string{{"MOFCOM_APPROVED", "mofcom_tone", "relax", "easing", "1.8", "Approval and general-licence wording preceded export rebounds in June and December 2025", "MOFCOM briefings, 12 Jun and 4 Dec 2025"}},
	},
	{
		Name: "Settings",
		Note: "Optional: report settings; a command-line flag wins over a value here.",
		Columns: []Column{
			{Name: "key", Aliases: []string{"setting"}, Required: true, Note: "Setting name, as the report flag without dashes (currency, horizon, carrying_rate, ...)."},
			{Name: "value", Required: true, Note: "Its value."},
		},
		Example: [][]string{{"currency", "USD"}, {"import_country", "US"}, {"horizon", "24"}},
	},
}

// LayoutOf returns the layout of the sheet whose normalised name is name.
func LayoutOf(name string) (*SheetLayout, bool) {
	key := NormalizeKey(name)
	for i := range Layouts {
		if NormalizeKey(Layouts[i].Name) == key {
			return &Layouts[i], true
		}
	}
	return nil, false
}
