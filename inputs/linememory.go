package inputs

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/workbook"
)

// What a BOM's lines keep in memory. A million-line BOM stays resident
// for the whole computation, so the lines hold no more than their values:
// texts apart from the blocks they were read from, repeated texts and
// amounts once (measures.go too), and their places as row numbers.

// Texts and amounts are remembered in direct-mapped caches, a slot a
// hash: a look-up costs a hash and a compare, where a map also grows,
// and a text that meets another in its slot is merely kept twice.
const (
	textSlots     = 1 << 12
	minAmountBits = 12
	maxAmountBits = 18
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
	keptHSCode // kept by onceRepeated
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

// onceRepeated keeps s once, whatever the book, as once does; the text
// of column col in the row above is taken again without hashing.
func (k *textKeeper) onceRepeated(col int, s string) string {
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
// and masses have a cache of their own, measures.go.)
//
// A slot holds its key, the text's bytes and the currency's number,
// within itself: looking up a million costs no reading of the strings
// they were read from, which lie all over the heap, and no hashing of
// strings (costKey). Texts of more than 16 bytes are not remembered.
type amountCache struct {
	slots []amountSlot
	shift uint8 // 64 - log2(len(slots))
}

// newAmountCache sizes a cache for a sheet of about rows rows (0:
// unknown), for the reading alone: a slot for every one or two rows,
// between 2^12 and 2^18 slots (10 MB), 2^16 when the size is unknown. A
// million-line BOM has some 170,000 distinct cost texts, which the most
// slots share most repeats among; a small sheet needs no megabytes.
func newAmountCache(rows int) *amountCache {
	n := 16
	if rows > 0 {
		n = min(max(bits.Len(uint(rows))-1, minAmountBits), maxAmountBits)
	}
	return &amountCache{slots: make([]amountSlot, 1<<n), shift: uint8(64 - n)}
}

type amountSlot struct {
	key costKey
	d   decimal.Decimal
}

// costKey is a cost cell's text, up to 16 bytes in two words (zero past
// its length), its length and its currency's number (costCurrencies).
// Equal keys are equal texts in the same currency.
type costKey struct {
	lo, hi uint64
	n, cur uint8 // n 0: an empty slot, never a key (empty cells are not remembered)
}

// makeCostKey is the key of text in currency cur; ok is false for an
// empty text or one longer than 16 bytes.
func makeCostKey(text string, cur uint8) (k costKey, ok bool) {
	if len(text) == 0 || len(text) > 16 {
		return k, false
	}
	var b [16]byte
	copy(b[:], text)
	return costKey{lo: binary.LittleEndian.Uint64(b[:8]), hi: binary.LittleEndian.Uint64(b[8:]), n: uint8(len(text)), cur: cur}, true
}

// slot is where the key is remembered: a multiplicative hash of its
// words, whose top bits pick the slot. (A collision only costs a parse.)
func (c *amountCache) slot(k costKey) (slot *amountSlot, hit bool) {
	h := (k.lo*0x9e3779b97f4a7c15 ^ k.hi*0xc2b2ae3d27d4eb4f ^ uint64(k.n)<<8 ^ uint64(k.cur)) * 0xff51afd7ed558ccd
	slot = &c.slots[h>>c.shift]
	return slot, slot.key == k
}

// costCurrencies numbers the currencies of cost cells (1, 2, ... in
// order met; 0 is no currency) and remembers whether each has a rate,
// for the cost cache's keys. The currency of the line above is found
// without a search: rows of one currency follow each other.
type costCurrencies struct {
	names []string // by number - 1
	rated []bool
	last  int // the number of the currency last found, 0 before any
}

// find returns currency's number (0 for none) and whether it has a
// rate; ok is false when too many currencies were met to number them.
func (cc *costCurrencies) find(r *reader, currency string) (cur uint8, rated, ok bool) {
	if currency == "" {
		_, rated = r.fx[currency]
		return 0, rated, true
	}
	if cc.last > 0 && cc.names[cc.last-1] == currency {
		return uint8(cc.last), cc.rated[cc.last-1], true
	}
	for i, name := range cc.names {
		if name == currency {
			cc.last = i + 1
			return uint8(i + 1), cc.rated[i], true
		}
	}
	if len(cc.names) >= 255 {
		return 0, false, false
	}
	_, rated = r.fx[currency]
	cc.names, cc.rated = append(cc.names, strings.Clone(currency)), append(cc.rated, rated)
	cc.last = len(cc.names)
	return uint8(cc.last), rated, true
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
	cur, rated, numbered := lr.currencies.find(lr.r, currency)
	key, keyed := makeCostKey(c.Text, cur)
	if !numbered || !keyed || !t.plainNumber(c) || !rated && currency != "" && currency != lr.r.settings.Currency {
		d, _ := t.amountAt(col, true)
		return lr.r.convert(t, "currency", d, currency) // which records a missing rate
	}
	slot, hit := lr.amounts.slot(key)
	if hit {
		return slot.d
	}
	d, ok := t.amountAt(col, true)
	d = lr.r.convert(t, "currency", d, currency)
	if ok {
		slot.key, slot.d = key, d
	}
	return d
}
