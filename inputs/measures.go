package inputs

import (
	"hash/maphash"
	"math"
	"math/bits"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// Quantities, rare-earth masses and the element masses computed from
// them are shared between the lines that repeat them, as unit costs are
// (amountCache): a decimal is immutable, and each one read costs a
// big.Int that stays live, and is scanned by every garbage collection,
// for as long as the BOM. On a million-line BOM the masses repeat one
// line in two, and the contents of a material at one mass repeat with
// them.

// measures remembers the decimals of plain number cells by their text:
// quantities and masses, which amountAt reads alike (its result depends
// on the text alone for a plain cell). Unit costs, converted to the
// report currency, have their own cache.
type measures struct {
	amounts *amountCache
	content [contentSlots]contentSlot
}

const contentSlots = 1 << 14

// contentSlot is a line's element masses for one material at one mass
// (the re_mass_kg cell's text): what lineContent computes from them alone
// when the row gives no wt% or grams of its own.
type contentSlot struct {
	material string
	mass     costKey // n 0: an empty slot
	content  []exposure.ElementMass
}

// plainKey is the key of the cell in column col when its amount depends
// on its text alone and amountAt reads it (no unit: massAt reads a text
// with a g as a mass with a unit); ok is false otherwise.
func (lr *lineReader) plainKey(col int) (costKey, bool) {
	c := lr.t.cellAt(col)
	if !lr.t.plainNumber(c) || strings.ContainsAny(c.Text, "gG") {
		return costKey{}, false
	}
	return makeCostKey(c.Text, 0)
}

// measure reads the amount in column col as table.amountAt(col, true)
// does, sharing the decimal of a text read before.
func (lr *lineReader) measure(col int) (decimal.Decimal, bool) {
	key, ok := lr.plainKey(col)
	if !ok {
		return lr.t.amountAt(col, true)
	}
	slot, hit := lr.measures.amounts.slot(key)
	if hit {
		return slot.d, true
	}
	d, ok := lr.t.amountAt(col, true)
	if ok { // a failed cell records its problem each time it is read
		slot.key, slot.d = key, d
	}
	return d, ok
}

// contentSlot returns the slot of a material's content at the mass of
// key; hit says it holds them.
func (m *measures) contentSlot(material string, key costKey) (slot *contentSlot, hit bool) {
	h := maphash.String(cacheSeed, material) ^ (key.lo*0x9e3779b97f4a7c15^key.hi*0xc2b2ae3d27d4eb4f^uint64(key.n))*0xff51afd7ed558ccd
	slot = &m.content[h%contentSlots]
	return slot, slot.mass == key && slot.material == material
}

// compact returns d, a product the line keeps, with a coefficient that
// fits in an int64 held as decimal.New holds it: a big.Int and one word,
// where a product's big.Int has four words more room than it uses. The
// value and the exponent are d's, so every figure computed from it is
// the same. Other decimals, and zero (whose words DeepEqual tells from
// an empty slice), are d itself.
func compact(d decimal.Decimal) decimal.Decimal {
	if d.Sign() == 0 {
		return d
	}
	small := decimal.New(d.CoefficientInt64(), d.Exponent())
	if small.Cmp(d) != 0 { // the coefficient is beyond an int64
		return d
	}
	return small
}

// mulShift returns a.Mul(b).Shift(shift), the same value and exponent,
// computed in an int64 when both coefficients and their product fit
// (the common case of a mass times a wt%): one decimal in compact's form
// and no garbage, where the product and its compact copy took four
// allocations.
func mulShift(a, b decimal.Decimal, shift int32) decimal.Decimal {
	exp := int64(a.Exponent()) + int64(b.Exponent()) + int64(shift)
	if a.NumDigits() <= 18 && b.NumDigits() <= 18 && exp >= math.MinInt32 && exp <= math.MaxInt32 {
		x, y := a.CoefficientInt64(), b.CoefficientInt64()
		hi, lo := bits.Mul64(absInt64(x), absInt64(y))
		if hi == 0 && lo <= math.MaxInt64 {
			p := int64(lo)
			if (x < 0) != (y < 0) {
				p = -p
			}
			return decimal.New(p, int32(exp))
		}
	}
	return compact(a.Mul(b).Shift(shift))
}

// absInt64 is |x| for a coefficient of at most 18 digits.
func absInt64(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}
