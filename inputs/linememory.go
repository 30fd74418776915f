package inputs

import (
	"hash/maphash"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/workbook"
)

// What a BOM's lines keep in memory. A million-line BOM stays resident
// for the whole computation, so the lines hold no more than their values:
// texts apart from the blocks they were read from, repeated texts and
// amounts once, and their places in one string.

// Texts and amounts are remembered in direct-mapped caches, a slot a
// hash: a look-up costs a hash and a compare, where a map also grows,
// and a text that meets another in its slot is merely kept twice.
const (
	textSlots   = 1 << 12
	amountSlots = 1 << 16
)

var cacheSeed = maphash.MakeSeed()

// textKeeper keeps the texts a line holds. A CSV cell's text is a slice of
// the 64 KiB block the parser read it from, which would keep the whole
// file in memory for one part number: from CSV the texts are copied
// (once for the texts that repeat). A workbook's shared strings are held
// once already; only texts a workbook cell spells out (a number as an HS
// code) are kept once here.
type textKeeper struct {
	copy  bool // the texts are slices of larger blocks
	slots [textSlots]string
	last  [numKept]string // the text each column kept last
}

// The columns whose texts repeat, for textKeeper.repeated: rows of one
// product, unit or supplier often follow each other, and the text kept
// for the row above then needs no hashing.
const (
	keptProduct = iota
	keptDescription
	keptUOM
	keptSupplier
	numKept
)

func newTextKeeper(b *workbook.Book) *textKeeper {
	return &textKeeper{copy: b.CSV()}
}

// repeated keeps a text of column col (keptProduct, ...) that many
// lines share.
func (k *textKeeper) repeated(col int, s string) string {
	if !k.copy {
		return s
	}
	if s == k.last[col] {
		return k.last[col]
	}
	k.last[col] = k.once(s)
	return k.last[col]
}

// once keeps s once, whatever the book, as far as its slot allows.
func (k *textKeeper) once(s string) string {
	if s == "" {
		return s
	}
	slot := &k.slots[maphash.String(cacheSeed, s)%textSlots]
	if *slot == s {
		return *slot
	}
	if k.copy {
		s = strings.Clone(s)
	}
	*slot = s
	return s
}

// unique keeps a text that is seldom repeated (a part number).
func (k *textKeeper) unique(s string) string {
	if !k.copy {
		return s
	}
	return strings.Clone(s)
}

// amountCache remembers the unit costs of plain number cells, in the
// report currency, by their text and currency, so that a repeated cost
// is parsed and converted once and its lines share one decimal: decimals
// are immutable, and each costs an allocation of its own. (Quantities
// are mostly small whole numbers, shared already, and masses seldom
// repeat: they are not remembered.)
type amountCache [amountSlots]struct {
	text, currency string
	d              decimal.Decimal
}

// slot is where text in currency is remembered.
func (c *amountCache) slot(text, currency string) (slot *struct {
	text, currency string
	d              decimal.Decimal
}, hit bool) {
	h := maphash.String(cacheSeed, text)
	if currency != "" {
		h ^= maphash.String(cacheSeed, currency)
	}
	slot = &c[h%amountSlots]
	return slot, slot.text == text && slot.currency == currency
}

// plainNumber reports whether a cell's amount depends on its text alone:
// not a percentage, date or text number with an unsure or swapped comma.
func (t *table) plainNumber(c workbook.Cell) bool {
	return !c.Percent && !c.Date && c.Kind != workbook.CellDate && !c.CommaUnsure && !(t.decimalComma && c.Kind == workbook.CellText)
}

// cost reads the unit cost in column col in the report currency, as
// table.amountAt reads it and reader.convert turns it, remembering the
// result of plain cells whose currency has a rate.
func (lr *lineReader) cost(col int, currency string) decimal.Decimal {
	t := lr.t
	c := t.cellAt(col)
	_, rated := lr.r.fx[currency]
	if c.Text == "" || !t.plainNumber(c) || !rated && currency != "" && currency != lr.r.settings.Currency {
		d, _ := t.amountAt(col, true)
		return lr.r.convert(t, "currency", d, currency) // which records a missing rate
	}
	slot, hit := lr.amounts.slot(c.Text, currency)
	if hit {
		return slot.d
	}
	d, ok := t.amountAt(col, true)
	d = lr.r.convert(t, "currency", d, currency)
	if ok {
		slot.text, slot.currency, slot.d = lr.keep.unique(c.Text), lr.keep.once(currency), d
	}
	return d
}

// setRefs gives each line its place ("BOM!12") once the sheet is read:
// all the places are cut from one string, one allocation where a string
// each took a million.
func setRefs(lines []exposure.Line, pend []pendingLine, sheet string) {
	var buf [16]byte
	size := 0
	for i := range pend {
		size += len(sheet) + 1 + len(strconv.AppendInt(buf[:0], int64(pend[i].row), 10))
	}
	var b strings.Builder
	b.Grow(size)
	for i := range pend {
		b.WriteString(sheet)
		b.WriteByte('!')
		b.Write(strconv.AppendInt(buf[:0], int64(pend[i].row), 10))
	}
	all, at := b.String(), 0
	for i := range pend {
		n := len(sheet) + 1 + len(strconv.AppendInt(buf[:0], int64(pend[i].row), 10))
		lines[i].Ref = all[at : at+n]
		at += n
	}
}
