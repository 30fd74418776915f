package inputs

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/schema"
)

// Indicative marks the supplier name of an embedded default centre
// wherever it is shown: its premium and qualification time are reference
// estimates, not quotes.
const Indicative = " (indicative)"

// defaultAlternativesLayout is the embedded alternatives.csv: the
// Alternatives columns (by material only) plus the ranges, source and
// date of each centre.
var defaultAlternativesLayout = func() schema.SheetLayout {
	l, _ := schema.LayoutOf("Alternatives")
	out := schema.SheetLayout{Name: "alternatives"}
	for _, c := range l.Columns {
		if c.Name == "material" {
			c.Required = true
		}
		out.Columns = append(out.Columns, c)
	}
	out.Columns = append(out.Columns,
		schema.Column{Name: "premium_low", Kind: schema.KindPercent}, schema.Column{Name: "premium_high", Kind: schema.KindPercent},
		schema.Column{Name: "qualification_low", Kind: schema.KindAmount}, schema.Column{Name: "qualification_high", Kind: schema.KindAmount},
		schema.Column{Name: "source", Required: true}, schema.Column{Name: "as_of", Required: true}, schema.Column{Name: "notes"})
	return out
}()

// readAlternatives reads the input's Alternatives sheet (after the BOM,
// whose part numbers its rows name), then the embedded default centres.
func (r *reader) readAlternatives() error {
	if t := r.open("Alternatives", false); t != nil {
		parts, materials := map[string]bool{}, map[string]bool{}
		for _, l := range r.bom.Lines {
			parts[l.PartNumber] = true
			materials[l.Material] = true
		}
		for t.next() {
			if a, ok := r.alternative(t, false); ok {
				switch {
				case a.PartNumber != "" && !parts[a.PartNumber]:
					t.ps.warnf(t.sheet, t.refOf("part_number"), "no BOM line has part %q: row ignored", a.PartNumber)
				case a.Material != "" && !materials[a.Material]:
					t.ps.warnf(t.sheet, t.refOf("material"), "no BOM line is of material %s: row ignored", a.Material)
				default:
					r.alternatives = append(r.alternatives, a)
				}
			}
		}
		r.readErr(t)
		t.close()
	}
	defaults, err := r.defaultAlternatives()
	if err != nil {
		return err
	}
	r.alternatives = append(r.alternatives, defaults...)
	return nil
}

// defaultAlternatives reads the embedded default centres. A problem in
// them is ours, not the user's: it stops the run.
func (r *reader) defaultAlternatives() ([]exposure.Alternative, error) {
	ref, err := Reference()
	if err != nil {
		return nil, err
	}
	// A reader of their own keeps their problems apart from the input's.
	sub := &reader{book: ref, settings: r.settings, fx: r.fx, missingFX: map[string]bool{}, materials: r.materials, materialByKey: r.materialByKey}
	t, err := openTable(ref, "alternatives", &defaultAlternativesLayout, nil, false, &sub.ps)
	if err != nil || t == nil {
		return nil, fmt.Errorf("embedded alternatives.csv: %v %v", err, sub.ps.finish())
	}
	defer t.close()
	var out []exposure.Alternative
	for t.next() {
		if a, ok := sub.alternative(t, true); ok {
			out = append(out, a)
		}
	}
	if err := t.err(); err != nil {
		return nil, err
	}
	if sub.ps.errs > 0 {
		return nil, fmt.Errorf("embedded alternatives.csv: %v", sub.ps.finish())
	}
	return out, nil
}

// alternative reads the current row of an Alternatives table; ok is
// false when any of its cells is bad (each is recorded). Every step runs
// whatever the one before found, so a row's problems are listed in one
// pass, in the order of the steps.
func (r *reader) alternative(t *table, embedded bool) (exposure.Alternative, bool) {
	a := exposure.Alternative{PartNumber: t.text("part_number"), Supplier: t.text("supplier"), Ref: t.rowRef(), Indicative: embedded}
	ok := r.alternativeTarget(t, &a)
	ok = alternativeCountries(t, &a) && ok
	ok = r.alternativeCost(t, &a) && ok
	ok = alternativeCapacity(t, &a) && ok
	ok = r.alternativeQualification(t, &a) && ok
	if embedded {
		a.Supplier += Indicative
		a.Source = t.text("source") + " (checked " + t.text("as_of") + ")"
		a.Note = t.text("notes")
		a.Ref = "embedded default, alternatives.csv row " + fmt.Sprint(t.row.Num)
	}
	return a, ok
}

// alternativeTarget reads what the source offers, a part number or a
// material (one of them, not both), and who the supplier is.
func (r *reader) alternativeTarget(t *table, a *exposure.Alternative) bool {
	ok := true
	if code := t.text("material"); code != "" {
		if a.Material = r.material(t); a.Material == "" {
			ok = false
		}
	}
	switch {
	case a.PartNumber != "" && t.text("material") != "":
		t.bad("material", ErrConflict, "give part_number or material, not both")
		ok = false
	case a.PartNumber == "" && t.text("material") == "":
		t.bad("part_number", ErrMissingValue, "give the part number or the material the source is offered for")
		ok = false
	}
	if a.Supplier == "" {
		t.bad("supplier", ErrMissingValue, "supplier is empty: say who the source is")
		ok = false
	}
	return ok
}

// alternativeCountries reads the source's stage countries and origin.
// A material row is bought by the kg of material, shipped from where the
// component is made: only a part-number row may say the part ships from
// elsewhere.
func alternativeCountries(t *table, a *exposure.Alternative) bool {
	for g, name := range stageColumnNames {
		a.Countries[g] = t.country(name)
	}
	a.HRESeparation, a.Origin = t.country("hre_separation_country"), t.country("origin_country")
	defaultCountries(&a.Countries, &a.HRESeparation, &a.Origin)
	if c := a.Countries[exposure.StageComponent]; a.Material != "" && a.Origin != c {
		t.bad("origin_country", ErrConflict, "origin %s differs from the component country %s: only a part-number row may give another origin", a.Origin, c)
		return false
	}
	return true
}

// alternativeCost reads the source's price: a unit_cost (converted to
// the report currency) or a premium_pct over today's unit cost, one of
// them.
func (r *reader) alternativeCost(t *table, a *exposure.Alternative) bool {
	cost, hasCost := t.amount("unit_cost")
	premium, hasPremium := t.percent("premium_pct")
	switch {
	case hasCost && hasPremium:
		t.bad("premium_pct", ErrConflict, "give unit_cost or premium_pct, not both")
		return false
	case hasCost:
		a.UnitCost = r.convert(t, "currency", cost, strings.ToUpper(t.text("currency")))
		return true
	case hasPremium:
		a.PremiumPct, a.ByPremium = premium, true
		if premium.LessThanOrEqual(decimal.NewFromInt(-100)) {
			t.bad("premium_pct", ErrOutOfRange, "a premium of %s%% would make the part free or worse: it must be above -100", premium)
			return false
		}
		return true
	case t.text("unit_cost") == "" && t.text("premium_pct") == "":
		t.bad("unit_cost", ErrMissingValue, "give the source's unit_cost or its premium_pct over today's unit cost")
		return false
	}
	return false // the bad cell is already reported
}

// alternativeCapacity reads the source's capacity: units of the part for
// a part-number row, kg of the material for a material row (SPEC section
// 2); the other column must be empty.
func alternativeCapacity(t *table, a *exposure.Alternative) bool {
	ok := true
	capCol, wrongCol := "capacity_units", "capacity_kg"
	if a.Material != "" {
		capCol, wrongCol = wrongCol, capCol
	}
	if t.text(wrongCol) != "" {
		t.bad(wrongCol, ErrConflict, "%s belongs to %s rows; a %s row gives %s", wrongCol, map[bool]string{true: "material", false: "part-number"}[wrongCol == "capacity_kg"],
			map[bool]string{true: "material", false: "part-number"}[a.Material != ""], capCol)
		ok = false
	}
	if c, has := t.amount(capCol); has {
		if c.IsZero() {
			t.bad(capCol, ErrOutOfRange, "capacity 0 offers nothing: leave it empty for no limit, or drop the row")
			ok = false
		}
		a.Capacity, a.HasCapacity = c, true
	} else if t.text(capCol) != "" {
		ok = false
	}
	return ok
}

// alternativeQualification reads what switching to the source takes: a
// qualification cost (converted to the report currency) and a whole
// number of months.
func (r *reader) alternativeQualification(t *table, a *exposure.Alternative) bool {
	ok := true
	if c, has := t.amount("qualification_cost"); has {
		a.QualificationCost = r.convert(t, "currency", c, strings.ToUpper(t.text("currency")))
	} else if t.text("qualification_cost") != "" {
		ok = false
	}
	if m, has := t.amount("qualification_months"); has {
		if !m.IsInteger() || m.GreaterThan(decimal.NewFromInt(600)) {
			t.bad("qualification_months", ErrInvalidNumber, "qualification %s: expected a whole number of months", m)
			ok = false
		} else {
			a.QualificationMonths = int(m.IntPart())
		}
	} else if t.text("qualification_months") != "" {
		ok = false
	}
	return ok
}
