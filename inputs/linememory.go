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
}

func newTextKeeper(b *workbook.Book) *textKeeper {
	return &textKeeper{copy: b.CSV()}
}

// repeated keeps a text that many lines share (a product, a unit, a
// supplier, a description).
func (k *textKeeper) repeated(s string) string {
	if !k.copy {
		return s
	}
	return k.once(s)
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

// amountCache remembers the amounts of plain number cells by their text
// (and, for a cost turned into the report currency, its currency), so
// that a repeated quantity, cost or mass is parsed once and its lines
// share one decimal: decimals are immutable, and each costs an
// allocation of its own.
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

// amount reads the non-negative amount in column col of lr's row as
// table.amountAt does, remembering it when the cell is a plain number.
func (lr *lineReader) amount(col int) (decimal.Decimal, bool) {
	t := lr.t
	c := t.cellAt(col)
	if c.Text == "" || !t.plainNumber(c) || len(c.Text) <= 2 && isDigits(c.Text) {
		return t.amountAt(col, true) // a small whole number is a shared decimal already (smallInts)
	}
	slot, hit := lr.amounts.slot(c.Text, "")
	if hit {
		return slot.d, true
	}
	d, ok := t.amountAt(col, true)
	if ok {
		slot.text, slot.currency, slot.d = lr.keep.unique(c.Text), "", d
	}
	return d, ok
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cost reads the unit cost in column col in the report currency, as
// reader.convert turns it, remembering the result of plain cells.
func (lr *lineReader) cost(col int, currency string) decimal.Decimal {
	t := lr.t
	c := t.cellAt(col)
	_, rated := lr.r.fx[currency]
	if c.Text == "" || currency == "" || currency == lr.r.settings.Currency || !rated || !t.plainNumber(c) {
		d, _ := lr.amount(col)
		return lr.r.convert(t, "currency", d, currency) // which records a missing rate
	}
	slot, hit := lr.amounts.slot(c.Text, currency)
	if hit {
		return slot.d
	}
	d, ok := lr.amount(col)
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
