// A BOM line's rare-earth content: the material's composition, wt% and gram columns overriding it, the balance element giving way (SPEC section 2).

package inputs

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/schema"
)

// materialComposition is a material's wt% by element in symbol order,
// worked out once per material rather than once per line.
type materialComposition struct {
	elems []elementPct
	// balance is the material's balance element, its largest element that
	// is not a rare earth (Fe in NdFeB, Co in SmCo): it gives way when a
	// row's wt% cells push the total past 100. "" when it has none.
	balance string
}

// total adds up the composition. It is asked of every line with content,
// so it adds whole millionths of a percent where it can (totalMillionths),
// a decimal sum (and its allocations) only where it must.
func (mc materialComposition) total() decimal.Decimal {
	if sum, ok := mc.totalMillionths(); ok {
		return decimal.New(sum, -6)
	}
	t := decimal.Zero
	for _, e := range mc.elems {
		t = t.Add(e.pct)
	}
	return t
}

// totalMillionths is the total in millionths of a percent; ok is false
// when a figure has more than six decimals (millionths).
func (mc materialComposition) totalMillionths() (sum int64, ok bool) {
	for _, e := range mc.elems {
		v, ok := millionths(e.pct)
		if !ok {
			return 0, false
		}
		sum += v
	}
	return sum, true
}

// over100 reports whether a composition adds up to more than exactly
// 100 wt%: whole millionths where it can, a decimal sum where it must.
func (mc materialComposition) over100() bool {
	if sum, ok := mc.totalMillionths(); ok {
		return sum > 100e6
	}
	return mc.total().GreaterThan(hundred)
}

// maxComposition is the most a composition may add up to: 100 and the
// rounding of compositionSlack.
var maxComposition = hundred.Add(compositionSlack)

// millionths returns d × 10⁶ when that is a whole number below 10⁹ in
// magnitude (d within ±1,000 with at most six decimals, as percentages
// are): integer sums of such values are exact and cannot overflow.
func millionths(d decimal.Decimal) (int64, bool) {
	exp := d.Exponent()
	if exp < -6 || exp > 0 || d.NumDigits() > 12 {
		return 0, false
	}
	v := d.CoefficientInt64()
	for range 6 + exp {
		v *= 10
	}
	if v > 1e9 || v < -1e9 {
		return 0, false
	}
	return v, true
}

// elementPct is one element's wt%; counted says whether the element
// matters to the cost model (reader.counts), asked once per material;
// row says the figure is the BOM row's own, not the material's.
type elementPct struct {
	sym     string
	pct     decimal.Decimal
	counted bool
	row     bool
}

func (lr *lineReader) composition(material string) materialComposition {
	if mc, ok := lr.compOf[material]; ok {
		return mc
	}
	if lr.compOf == nil {
		lr.compOf = map[string]materialComposition{}
	}
	var mc materialComposition
	wt := lr.r.materials[material].WtPct
	var most decimal.Decimal
	for _, sym := range sortedKeys(wt) {
		mc.elems = append(mc.elems, elementPct{sym: sym, pct: wt[sym], counted: lr.r.counts(sym)})
		if !exposure.IsRareEarth(sym) && wt[sym].GreaterThan(most) {
			mc.balance, most = sym, wt[sym]
		}
	}
	lr.compOf[material] = mc
	return mc
}

// filled reports whether any of the columns holds text in this row.
func (lr *lineReader) filled(cols []elementColumn) bool {
	for _, ec := range cols {
		if strings.TrimSpace(lr.t.cellAt(ec.col).Text) != "" {
			return true
		}
	}
	return false
}

// lineContent computes each element's mass per unit of the part: grams
// columns win, else re_mass × wt% with wt% from the row or the material.
// It also returns the mass of the material itself (re_mass), zero when
// the row gives none.
func (lr *lineReader) lineContent(material string) ([]exposure.ElementMass, decimal.Decimal) {
	t, c := lr.t, &lr.cols
	pct, grams := lr.filled(c.pct), lr.filled(c.grams)
	if material == "" && !pct && !grams && t.textAt(c.reMassKg) == "" && t.textAt(c.reMassG) == "" {
		return nil, decimal.Zero // most lines hold no rare earths: skip the work below
	}
	comp, overridden := lr.composition(material), false
	if pct {
		// A material's own composition was checked when it was read:
		// only a row's cells can push it past 100.
		comp, overridden = lr.overridden(comp, material)
		if overridden && comp.over100() {
			lr.giveWay(&comp, material)
		}
	}
	mass, hasMass := lr.massAt(c.reMassKg, "re_mass_kg", 0)
	if g, ok := lr.massAt(c.reMassG, "re_mass_g", -3); ok {
		if hasMass {
			t.bad("re_mass_g", ErrConflict, "give re_mass_kg or re_mass_g, not both")
		}
		mass, hasMass = g.Shift(-3), true
	}
	// Without the row's own wt% or grams, the content follows from the
	// material and the re_mass_kg text alone: lines that repeat them
	// share it (measures.go).
	var memo *contentSlot
	var memoKey costKey
	if !pct && !grams && hasMass && len(comp.elems) > 0 && t.textAt(c.reMassG) == "" {
		if key, ok := lr.plainKey(c.reMassKg); ok {
			slot, hit := lr.measures.contentSlot(material, key)
			if hit {
				return slot.content, mass
			}
			memo, memoKey = slot, key
		}
	}
	out := lr.scratch[:0]
	var fromGrams map[string]bool
	if grams {
		fromGrams = map[string]bool{}
		for _, ec := range c.grams {
			if g, ok := t.amountAt(ec.col, true); ok {
				fromGrams[ec.sym] = true
				if g.Sign() > 0 && lr.r.counts(ec.sym) {
					out = append(out, exposure.ElementMass{Element: ec.sym, Kg: g.Shift(-3)})
				}
			}
		}
	}
	if hasMass {
		if len(comp.elems) == 0 && len(fromGrams) == 0 {
			t.ps.warnf(t.sheet, t.refOf("re_mass_kg"), "rare-earth mass given but no material or wt%% columns: the line carries no element content")
		}
		for _, e := range comp.elems {
			if fromGrams[e.sym] || e.pct.IsZero() || !e.counted || mass.IsZero() {
				continue
			}
			out = append(out, exposure.ElementMass{Element: e.sym, Kg: mulShift(mass, e.pct, -2)})
		}
	} else if (material != "" || overridden) && len(fromGrams) == 0 && t.textAt(c.reMassKg) == "" && t.textAt(c.reMassG) == "" {
		// A mass cell that is there but bad is already an error: one
		// problem, one message.
		t.ps.warnf(t.sheet, t.refOf("material"), "material or wt%% given but no re_mass_kg: the line carries no element content")
	}
	lr.scratch = out
	if !hasMass {
		mass = decimal.Zero
	}
	var kept []exposure.ElementMass
	if len(out) > 0 {
		kept = lr.content.take(len(out))
		copy(kept, out)
	}
	if memo != nil {
		*memo = contentSlot{material: material, mass: memoKey, content: kept}
	}
	return kept, mass
}

// massWithUnit matches a mass written with its unit: "25g", "0.5 kg".
var massWithUnit = regexp.MustCompile(`(?i)^\s*([0-9][0-9.,]*)\s*(mg|g|grams?|kg|kgs|kilograms?)\s*$`)

// massAt reads a re_mass cell of column col (named name, whose unit is
// 10^shift kg). A number written with a unit is an error that says what to
// write instead: the column's header gives the unit.
func (lr *lineReader) massAt(col int, name string, shift int32) (decimal.Decimal, bool) {
	t := lr.t
	if !strings.ContainsAny(t.cellAt(col).Text, "gG") { // every unit massWithUnit knows has a g
		return lr.measure(col)
	}
	m := massWithUnit.FindStringSubmatch(t.textAt(col))
	if m == nil {
		return t.amountAt(col, true)
	}
	v, err := ParseAmount(m[1])
	if err != nil {
		return t.amountAt(col, true)
	}
	unit := map[string]int32{"mg": -6, "g": -3, "gram": -3, "grams": -3}[strings.ToLower(m[2])]
	inCol := v.Shift(unit - shift)
	other, otherShift := "re_mass_g", int32(-3)
	if shift == -3 {
		other, otherShift = "re_mass_kg", 0
	}
	t.ps.errorIs(ErrInvalidNumber, t.sheet, t.ref(col), "%s %s: the column is in %s, so write the number alone: %s (or head the column %s and write %s)",
		name, schema.Quote(t.textAt(col)), map[int32]string{0: "kg", -3: "grams"}[shift], inCol, other, v.Shift(unit-otherShift))
	return decimal.Decimal{}, false
}

// giveWay applies the balance rule of SPEC section 2 to a composition that
// the row's wt% cells push past 100: the material's balance element gives
// way by the excess, unless the row sets it too. It is an error when there
// is no balance element to give way (beyond rounding), when the rare
// earths alone pass 100, or when the balance would go below 0. mc holds
// the row's merged figures (lr.merged), so it is changed in place.
func (lr *lineReader) giveWay(mc *materialComposition, material string) {
	t := lr.t
	total := mc.total()
	over := total.Sub(hundred)
	b := -1
	for i, e := range mc.elems {
		if e.sym == mc.balance {
			b = i
		}
	}
	switch {
	case b < 0:
		if over.GreaterThan(compositionSlack) {
			if material == "" {
				t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(""), "composition adds up to %s wt%%, more than 100", total)
			} else {
				t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(""), "composition adds up to %s wt%%, more than 100, and %s has no element other than rare earths to give way", total, material)
			}
		}
		return
	case mc.elems[b].row:
		if over.GreaterThan(compositionSlack) {
			t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(mc.balance), "composition adds up to %s wt%%, more than 100: %s, the balance of %s, is set on this row too, so it does not give way",
				total, mc.balance, material)
		}
		return
	}
	re := decimal.Zero
	for _, e := range mc.elems {
		if exposure.IsRareEarth(e.sym) {
			re = re.Add(e.pct)
		}
	}
	if re.GreaterThan(maxComposition) {
		t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(""), "the rare earths alone add up to %s wt%%, more than 100", re)
		return
	}
	left := mc.elems[b].pct.Sub(over)
	if left.Sign() < 0 {
		if over.GreaterThan(compositionSlack) {
			t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(""), "composition adds up to %s wt%%: %s, the balance of %s, would have to give way by %s from %s wt%% and go below 0",
				total, mc.balance, material, over, mc.elems[b].pct)
		}
		return
	}
	mc.elems[b].pct = left
}

// rowCell names the cell of the row's wt% column for sym, or with sym ""
// the row's first filled wt% cell (a problem of its composition as a
// whole), or the row when there is none.
func (lr *lineReader) rowCell(sym string) string {
	first := -1
	for _, ec := range lr.cols.pct {
		if sym != "" && ec.sym == sym {
			return lr.t.ref(ec.col)
		}
		if sym == "" && (first < 0 || ec.col < first) && strings.TrimSpace(lr.t.cellAt(ec.col).Text) != "" {
			first = ec.col
		}
	}
	if first < 0 {
		return fmt.Sprint(lr.t.row.Num)
	}
	return lr.t.ref(first)
}

// overridden returns the material's composition with the row's wt% cells
// in place of the material's figures; set is false when no cell was good.
// Both lists are in symbol order, so they merge in one pass.
func (lr *lineReader) overridden(base materialComposition, material string) (mc materialComposition, set bool) {
	t := lr.t
	over := lr.overrides[:0]
	for _, ec := range lr.cols.pct {
		if pct, ok := t.percentAt(ec.col); ok {
			if v, ok := millionths(pct); pct.Sign() < 0 || !ok && pct.GreaterThan(hundred) || v > 100e6 {
				t.cellErr(ec.col, fmt.Errorf("%w: wt%% must be between 0 and 100", ErrOutOfRange))
				continue
			}
			over = append(over, elementPct{sym: ec.sym, pct: pct, counted: lr.r.counts(ec.sym), row: true})
		}
	}
	lr.overrides = over
	merged := lr.merged[:0]
	b := base.elems
	for len(b) > 0 || len(over) > 0 {
		switch {
		case len(over) == 0 || len(b) > 0 && b[0].sym < over[0].sym:
			merged, b = append(merged, b[0]), b[1:]
		case len(b) > 0 && b[0].sym == over[0].sym:
			lr.warnFraction(over[0], b[0], material)
			merged, b, over = append(merged, over[0]), b[1:], over[1:]
		default:
			merged, over = append(merged, over[0]), over[1:]
		}
	}
	lr.merged = merged
	return materialComposition{elems: merged, balance: base.balance}, len(lr.overrides) > 0
}

// warnFraction warns about a wt% cell that looks like the material's own
// figure written as a fraction (0.235 for NdFeB's 23.5 wt%: a hundredth of
// it, give or take a factor of three), which would cut the element's mass
// a hundredfold. A smaller or larger figure is taken as meant.
func (lr *lineReader) warnFraction(cell, material elementPct, code string) {
	v, ok := millionths(cell.pct)
	w, wok := millionths(material.pct)
	if !ok || !wok || v <= 0 || w < 1e6 || v*100*3 < w || v*100 > w*3 {
		return
	}
	for _, ec := range lr.cols.pct {
		if ec.sym == cell.sym {
			lr.t.ps.warnf(lr.t.sheet, lr.t.ref(ec.col), "%s %s wt%% is about a hundredth of %s's %s wt%%: wt%% columns are in percent (%s means %s%%); if %s is a fraction, write %s",
				cell.sym, cell.pct, code, material.pct, material.pct, material.pct, cell.pct, cell.pct.Shift(2))
		}
	}
}
