package reports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/internal/dec128"
)

// jsonParts are the JSON's part entries: the lines of each part number of
// each product summed (in first-seen order), their annual quantity and,
// per scenario, their unit and annual deltas. A part used in several
// places of a product sums its annual quantities and deltas; its unit
// delta is the lines' unit deltas weighted by their annual quantities.
//
// A million-line BOM has hundreds of thousands of parts, each listed by
// every scenario, so a part is kept as its figures already rounded to
// the JSON's 6 places, not as exact sums: its lines are summed exactly
// (jsonSum) only while some are still to come, which a first pass over
// the rows, counting, tells.
type jsonParts struct {
	n     int            // scenarios
	parts *partIndex     // the parts, in first-seen order
	fig   []int64        // per part 1 + 2n figures, in millionths: qty, then unit and annual per scenario
	large map[int]string // fig index → text, for figures beyond int64 millionths (±9.2e12)
}

// figs returns how many figures a part has.
func (ps *jsonParts) figs() int { return 1 + 2*ps.n }

// jsonSum sums one part's lines exactly, as the JSON always has:
// quantities, quantity-weighted unit deltas and annual deltas. The sums
// are dec128 values (the rows' own, see exposure.PartDelta.Exact) until
// one needs more than 128 bits; from then on, the part's sums are
// decimals (dec).
type jsonSum struct {
	qty              dec128.Decimal
	weighted, annual []dec128.Decimal     // per scenario; weighted is Σ annual qty × unit delta
	firstUnit        []exposure.PartDelta // the first line's deltas, for the unit delta of parts without volume
	nFirst           int                  // how many of firstUnit are set
	dec              *jsonSumDecimal
}

// jsonSumDecimal is a jsonSum in decimals.
type jsonSumDecimal struct {
	qty              decimal.Decimal
	weighted, annual []decimal.Decimal
}

func newJSONSum(n int) *jsonSum {
	return &jsonSum{weighted: make([]dec128.Decimal, n), annual: make([]dec128.Decimal, n), firstUnit: make([]exposure.PartDelta, n)}
}

// reset makes a an empty sum again.
func (a *jsonSum) reset() {
	a.qty = dec128.Decimal{}
	clear(a.weighted)
	clear(a.annual)
	clear(a.firstUnit)
	a.nFirst, a.dec = 0, nil
}

// sumJSONParts makes two passes over the rows: one counts the lines of
// each part, the next sums each part's figures and rounds them when its
// last line has been seen.
func sumJSONParts(n int, parts partsFunc) (*jsonParts, error) {
	ps := &jsonParts{n: n, large: map[int]string{}}
	index := newPartIndex()
	var count []int32
	var rowPart []int32 // per row, its part
	err := parts(exposure.PartOptions{NoFigures: true}, func(pr exposure.PartRow) error {
		p, added := index.of(pr.Line)
		if added {
			count = appendDoubling(count, 0)
		}
		count[p]++
		rowPart = appendDoubling(rowPart, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	index.slots = nil // not needed any more: let it go before the figures grow
	ps.parts = index
	ps.fig = make([]int64, len(index.lines)*ps.figs())
	open := map[int32]*jsonSum{} // parts with lines still to come
	var spare []*jsonSum         // sums of parts done, for the next parts
	single := newJSONSum(n)      // a part of one line, summed and rounded at once
	var sc jsonScratch
	row := 0
	err = parts(exposure.PartOptions{NoSplit: true, ExactOnly: true, NoClasses: true, NoUnitCost: true, ExactQty: true, Transient: true}, func(pr exposure.PartRow) error {
		if row >= len(rowPart) || keyOf(&pr) != index.key(rowPart[row]) {
			return fmt.Errorf("the part rows changed between two passes at row %d", row)
		}
		p := rowPart[row]
		row++
		sum := open[p]
		if sum == nil {
			switch {
			case count[p] == 1:
				sum = single
				sum.reset()
			case len(spare) > 0:
				sum = spare[len(spare)-1]
				spare = spare[:len(spare)-1]
				sum.reset()
				open[p] = sum
			default:
				sum = newJSONSum(n)
				open[p] = sum
			}
			// Copied: the row's deltas are not the row's past this call
			// (Transient).
			sum.nFirst = copy(sum.firstUnit, pr.Deltas)
		}
		sum.add(&pr, &sc)
		if count[p]--; count[p] == 0 {
			ps.round(int(p), sum, &sc)
			if sum != single {
				delete(open, p)
				spare = append(spare, sum)
			}
		}
		return nil
	})
	if err == nil && row != len(rowPart) {
		err = fmt.Errorf("the part rows changed between two passes: %d rows, then %d", len(rowPart), row)
	}
	return ps, err
}

// jsonScratch is what summing and rounding reuse.
type jsonScratch struct {
	dc               dec128.Converter
	weighted, annual []dec128.Decimal
}

// keyOf is the part a row belongs to.
func keyOf(pr *exposure.PartRow) partKey { return lineKey(pr.Line) }

// add adds one line's figures.
func (a *jsonSum) add(pr *exposure.PartRow, sc *jsonScratch) {
	if a.dec == nil {
		if a.addExact(pr, sc) {
			return
		}
		a.toDecimal(&sc.dc)
	}
	d := a.dec
	q := pr.AnnualQtyDecimal(&sc.dc)
	d.qty = d.qty.Add(q)
	for s := 0; s < len(d.annual) && s < len(pr.Deltas); s++ {
		unit, annual := deltaDecimals(&pr.Deltas[s], &sc.dc)
		d.weighted[s] = d.weighted[s].Add(q.Mul(unit))
		d.annual[s] = d.annual[s].Add(annual)
	}
}

// deltaDecimals returns a row's unit and annual delta as decimals: from
// Exact where the row gives them so (its decimals are then left zero, see
// exposure.PartOptions.ExactOnly).
func deltaDecimals(pd *exposure.PartDelta, dc *dec128.Converter) (unit, annual decimal.Decimal) {
	if u, a, ok := pd.Exact(); ok {
		return dc.Decimal(u), dc.Decimal(a)
	}
	return pd.UnitDelta, pd.AnnualDelta
}

// addExact adds one line's figures in dec128; false, with a unchanged,
// when some sum would need more than 128 bits.
func (a *jsonSum) addExact(pr *exposure.PartRow, sc *jsonScratch) bool {
	q, ok := pr.ExactAnnualQty()
	if !ok {
		q = dec128.Of(pr.AnnualQty)
	}
	qty := a.qty.Add(q)
	sc.weighted = append(sc.weighted[:0], a.weighted...)
	sc.annual = append(sc.annual[:0], a.annual...)
	for s := 0; s < len(a.annual) && s < len(pr.Deltas); s++ {
		pd := &pr.Deltas[s]
		unit, annual, ok := pd.Exact()
		if !ok {
			unit, annual = dec128.Of(pd.UnitDelta), dec128.Of(pd.AnnualDelta)
		}
		sc.weighted[s] = sc.weighted[s].Add(q.Mul(unit))
		sc.annual[s] = sc.annual[s].Add(annual)
		if sc.weighted[s].Over() || sc.annual[s].Over() {
			return false
		}
	}
	if qty.Over() {
		return false
	}
	a.qty = qty
	copy(a.weighted, sc.weighted)
	copy(a.annual, sc.annual)
	return true
}

// toDecimal moves a's sums to decimals.
func (a *jsonSum) toDecimal(dc *dec128.Converter) {
	d := &jsonSumDecimal{qty: dc.Decimal(a.qty), weighted: make([]decimal.Decimal, len(a.weighted)), annual: make([]decimal.Decimal, len(a.annual))}
	for s := range a.weighted {
		d.weighted[s], d.annual[s] = dc.Decimal(a.weighted[s]), dc.Decimal(a.annual[s])
	}
	a.dec = d
}

// round keeps part p's figures as the JSON shows them: the unit delta is
// the weighted sum divided by the quantity at 18 places, then, as every
// figure, rounded to 6.
func (ps *jsonParts) round(p int, a *jsonSum, sc *jsonScratch) {
	base := p * ps.figs()
	if a.dec == nil {
		if ps.roundExact(base, a) {
			return
		}
		a.toDecimal(&sc.dc)
	}
	d := a.dec
	ps.set(base, d.qty)
	for s := 0; s < ps.n; s++ {
		var unit decimal.Decimal
		if s < a.nFirst {
			unit, _ = deltaDecimals(&a.firstUnit[s], &sc.dc)
		}
		if d.qty.Sign() != 0 {
			unit = d.weighted[s].DivRound(d.qty, 18)
		}
		ps.set(base+1+2*s, unit)
		ps.set(base+2+2*s, d.annual[s])
	}
}

// roundExact is round in dec128; false when a figure needs more than
// 128 bits or int64 millionths.
func (ps *jsonParts) roundExact(base int, a *jsonSum) bool {
	ok := ps.setExact(base, a.qty)
	for s := 0; s < ps.n && ok; s++ {
		var unit dec128.Decimal
		if a.qty.IsZero() {
			if s < a.nFirst {
				f := &a.firstUnit[s]
				var ok bool
				if unit, _, ok = f.Exact(); !ok {
					unit = dec128.Of(f.UnitDelta)
				}
			}
		} else {
			unit = a.weighted[s].DivRound(a.qty, 18)
		}
		ok = ps.setExact(base+1+2*s, unit) && ps.setExact(base+2+2*s, a.annual[s])
	}
	return ok
}

// setExact keeps x rounded to the JSON's places at figure i; false when
// it does not fit.
func (ps *jsonParts) setExact(i int, x dec128.Decimal) bool {
	c, ok := x.RoundCoef64(jsonPlaces)
	ps.fig[i] = c
	return ok
}

// set keeps d rounded to the JSON's places at figure i.
func (ps *jsonParts) set(i int, d decimal.Decimal) {
	r := d.Round(jsonPlaces)
	if c := r.Coefficient(); r.Exponent() == -jsonPlaces && c.IsInt64() {
		ps.fig[i] = c.Int64()
		return
	}
	ps.large[i] = r.String()
}

// writeList writes scenario s's parts list as the encoder would indent
// it inside the document.
func (ps *jsonParts) writeList(w *bufio.Writer, s int) {
	if ps.parts == nil || len(ps.parts.lines) == 0 {
		w.WriteString("[]")
		return
	}
	w.WriteByte('[')
	var buf []byte
	for p := range ps.parts.lines {
		key := ps.parts.key(int32(p))
		base := p * ps.figs()
		buf = buf[:0]
		if p > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n        {\n          \"product\": "...)
		buf = appendJSONString(buf, key.product)
		buf = append(buf, ",\n          \"part_number\": "...)
		buf = appendJSONString(buf, key.part)
		buf = append(buf, ",\n          \"annual_qty\": \""...)
		buf = ps.appendFigure(buf, base)
		buf = append(buf, "\",\n          \"unit_delta\": \""...)
		buf = ps.appendFigure(buf, base+1+2*s)
		buf = append(buf, "\",\n          \"annual_delta\": \""...)
		buf = ps.appendFigure(buf, base+2+2*s)
		buf = append(buf, "\"\n        }"...)
		w.Write(buf)
	}
	w.WriteString("\n      ]")
}

// appendFigure appends figure i as dec prints it: a decimal rounded to 6
// places, without trailing zeros.
func (ps *jsonParts) appendFigure(buf []byte, i int) []byte {
	if s, ok := ps.large[i]; ok {
		return append(buf, s...)
	}
	return appendMillionths(buf, ps.fig[i])
}

// appendMillionths appends v/10^6 as decimal's String prints it: no
// trailing zeros after the point, and no point without digits after it.
func appendMillionths(buf []byte, v int64) []byte {
	u := uint64(v)
	if v < 0 {
		buf = append(buf, '-')
		u = -u
	}
	buf = strconv.AppendUint(buf, u/1e6, 10)
	frac := u % 1e6
	if frac == 0 {
		return buf
	}
	digits := 6
	for frac%10 == 0 {
		frac /= 10
		digits--
	}
	buf = append(buf, '.')
	for k := digits - 1; k >= 0; k-- {
		buf = append(buf, byte('0'+frac/pow10(k)%10))
	}
	return buf
}

// pow10 returns 10^k for small k.
func pow10(k int) uint64 {
	p := uint64(1)
	for ; k > 0; k-- {
		p *= 10
	}
	return p
}

// appendJSONString appends s as encoding/json encodes a string (escaping
// <, > and & too, as its Encoder does by default).
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always encodes
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
