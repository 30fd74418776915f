package reports

import (
	"fmt"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/internal/dec128"
)

// partsScan is what the first pass over the part rows learns (how many
// rows and sheets, which elements, how wide each column gets, all without
// computing deltas), and what the writing pass adds: the most exposed
// parts.
type partsScan struct {
	rows     int
	elements []string // element columns, in first-seen order
	elemIdx  map[string]int
	nScen    int

	cols   []col
	textW  []int             // widest text per column
	maxAbs []decimal.Decimal // largest magnitude per numeric column
	neg    []bool            // a negative value in the column
	frac   []bool            // a quantity that is not whole

	top   []*partAgg           // the most exposed, largest expected delta first
	byKey map[partKey]*partAgg // the top parts, for the second pass to sum

	sourceCol bool // a line's content came from a declaration (declarations.go)
	sourceW   int

	unitP     []int32 // places shown in a column of money per unit: what its values need
	descWidth float64 // width of the description column, where long ones wrap
}

func (sc *partsScan) elemCol(i int) int { return partFixedCols + 1 + i }

func (sc *partsScan) classCol(k int) int { return sc.sourceColumn() + sc.sourceCols() + k }

func (sc *partsScan) scenCol(s int) int { return sc.classCol(exposure.NumClasses) + s }

func (sc *partsScan) expCol() int { return sc.scenCol(sc.nScen) }

func (sc *partsScan) lastCol() int { return sc.expCol() }

// kgOf returns the kilograms of each scan element in one unit of the
// line (the Parts sheet shows grams). An element listed once costs no
// arithmetic.
func (sc *partsScan) kgOf(l *exposure.Line, out []decimal.Decimal) []decimal.Decimal {
	out = out[:0]
	for range sc.elements {
		out = append(out, decimal.Decimal{})
	}
	if l == nil {
		return out
	}
	for _, c := range l.Content {
		if i, ok := sc.elemIdx[c.Element]; ok {
			if out[i].IsZero() {
				out[i] = c.Kg
			} else {
				out[i] = out[i].Add(c.Kg)
			}
		}
	}
	return out
}

// scanParts is the first pass over the part rows. It measures without
// formatting: the largest magnitudes are kept as decimals and turned into
// widths once, at the end.
func scanParts(rep *report, parts partsFunc) (*partsScan, error) {
	r := rep.r
	sc := &partsScan{elemIdx: map[string]int{}, nScen: len(r.Scenarios)}
	m := &partsMeasure{
		fixW:   make([]int, partFixedCols+1),
		fixMax: make([]decimal.Decimal, partFixedCols+1),
		fix128: make([]dec128.Decimal, partFixedCols+1),
		costP:  2, valueP: 2,
	}
	// Element columns in the order of the Elements sheet, then any other
	// element the rows hold.
	for _, e := range r.Elements {
		if _, ok := sc.elemIdx[e.Element]; !ok {
			sc.addElement(e.Element, m)
		}
	}
	// The annual quantity, unit cost and material value are measured in
	// dec128 where the rows have them so (ExactQty): a decimal is made
	// only of the largest yet.
	err := parts(exposure.PartOptions{NoDeltas: true, NoClasses: true, ExactQty: true}, func(pr exposure.PartRow) error {
		sc.rows++
		m.row(sc, &pr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sc.settle(rep, m)
	sc.sizeDeltas(r)
	for i, c := range sc.cols {
		sc.textW[i+1] = max(sc.textW[i+1], longestWord(c.head))
	}

	return sc, nil
}

// partsMeasure is what scanParts gathers from the rows before the
// columns exist: where the class and scenario columns fall depends on
// the elements the rows reveal, so the fixed and element columns are
// measured apart and copied into the scan's columns by settle.
type partsMeasure struct {
	fixW    []int             // widest text per fixed column
	fixMax  []decimal.Decimal // largest magnitude per fixed column
	fix128  []dec128.Decimal  // fixMax in dec128 (see growMaxExact)
	elemMax []decimal.Decimal // per element column, in kilograms; the sheet shows grams
	dc      dec128.Converter

	fracQty, fracAnnual, negCost bool
	costP, valueP                int32 // places the unit cost and material value need
	maxLevel                     int
}

// growMax raises *m (not negative) to the magnitude of d when that is
// larger. Where both coefficients fit an int64 they are compared so:
// decimal's Abs and Cmp make big.Ints, seven a row on the scan.
func growMax(m *decimal.Decimal, d decimal.Decimal) {
	if d.NumDigits() <= 18 && m.NumDigits() <= 18 {
		a := d.CoefficientInt64()
		if a < 0 {
			a = -a
		}
		if larger, ok := greaterScaled(a, d.Exponent(), m.CoefficientInt64(), m.Exponent()); ok {
			if larger {
				*m = d.Abs()
			}
			return
		}
	}
	if a := d.Abs(); a.GreaterThan(*m) {
		*m = a
	}
}

// greaterScaled reports whether a×10^ea > b×10^eb for a, b ≥ 0; ok is
// false when bringing them to one exponent overflows an int64.
func greaterScaled(a int64, ea int32, b int64, eb int32) (greater, ok bool) {
	switch {
	case a == 0 || b == 0:
		return a > b, true
	case ea > eb:
		if a, ok = scaleUp(a, ea-eb); !ok {
			return false, false
		}
	case eb > ea:
		if b, ok = scaleUp(b, eb-ea); !ok {
			return false, false
		}
	}
	return a > b, true
}

// text widens fixed column c to hold s, indented by extra characters.
func (m *partsMeasure) text(c int, s string, extra int) {
	if w := quickTextWidth(s) + extra; w > m.fixW[c] {
		m.fixW[c] = w
	}
}

// addElement gives element e the next element column and returns its
// index.
func (sc *partsScan) addElement(e string, m *partsMeasure) int {
	i := len(sc.elements)
	sc.elemIdx[e] = i
	sc.elements = append(sc.elements, e)
	m.elemMax = append(m.elemMax, decimal.Decimal{})
	return i
}

// row measures one part row: its element masses, texts and figures.
func (m *partsMeasure) row(sc *partsScan, pr *exposure.PartRow) {
	l := pr.Line
	if l == nil {
		l = &exposure.Line{}
	}
	for _, c := range l.Content {
		if c.Kg.Sign() <= 0 {
			continue
		}
		i, ok := sc.elemIdx[c.Element]
		if !ok {
			i = sc.addElement(c.Element, m)
		}
		growMax(&m.elemMax[i], c.Kg)
	}
	sc.noteSource(l)
	m.text(pcProduct, l.Product, 0)
	m.text(pcPart, l.PartNumber, min(max(pr.Level-1, 0), maxIndent)*2)
	m.text(pcDesc, l.Description, 0)
	m.text(pcMaterial, l.Material, 0)
	m.text(pcUOM, l.UOM, 0)
	m.maxLevel = max(m.maxLevel, pr.Level, -pr.Level)
	growMax(&m.fixMax[pcQty], pr.Qty)
	q, qOK := pr.ExactAnnualQty()
	cost, costOK := pr.ExactUnitCost()
	value, valueOK := pr.ExactMaterialValue()
	m.growMaxExact(pcAnnualQty, q, qOK, pr.AnnualQtyDecimal)
	m.growMaxExact(pcUnitCost, cost, costOK, pr.UnitCostDecimal)
	m.growMaxExact(pcMaterialValue, value, valueOK, pr.MaterialValueDecimal)
	m.costP = max(m.costP, m.unitPlacesExact(cost, costOK, pr.UnitCostDecimal))
	m.valueP = max(m.valueP, m.unitPlacesExact(value, valueOK, pr.MaterialValueDecimal))
	m.fracQty = m.fracQty || !wholeQty(pr.Qty)
	m.fracAnnual = m.fracAnnual || !m.wholeQtyExact(q, qOK, pr.AnnualQtyDecimal)
	if costOK {
		m.negCost = m.negCost || cost.Sign() < 0
	} else {
		m.negCost = m.negCost || pr.UnitCost.Sign() < 0
	}
}

// growMaxExact is growMax for fixed column c of a figure computed in
// dec128 (x, when ok; else the decimal dec gives): the figure becomes a
// decimal only when it is the largest yet. Where a comparison does not
// fit dec128, growMax decides.
func (m *partsMeasure) growMaxExact(c int, x dec128.Decimal, ok bool, dec func(*dec128.Converter) decimal.Decimal) {
	if ok && !m.fix128[c].Over() {
		if x.Sign() < 0 {
			x = x.Neg()
		}
		if diff := x.Sub(m.fix128[c]); !diff.Over() {
			if diff.Sign() > 0 {
				m.fixMax[c], m.fix128[c] = m.dc.Decimal(x), x
			}
			return
		}
	}
	growMax(&m.fixMax[c], dec(&m.dc))
	m.fix128[c] = dec128.Of(m.fixMax[c])
}

// unitPlacesExact is quickUnitPlaces of a figure computed in dec128 (x,
// when ok; else the decimal dec gives).
func (m *partsMeasure) unitPlacesExact(x dec128.Decimal, ok bool, dec func(*dec128.Converter) decimal.Decimal) int32 {
	top := places(kUnitMoney)
	if c, exact := x.RoundCoef64(top); ok && exact {
		for p := int32(2); p < top; p++ {
			if c%pow10Int[top-p] == 0 {
				return p
			}
		}
		return top
	}
	return quickUnitPlaces(dec(&m.dc))
}

// wholeQtyExact is wholeQty of a figure computed in dec128 (x, when ok;
// else the decimal dec gives).
func (m *partsMeasure) wholeQtyExact(x dec128.Decimal, ok bool, dec func(*dec128.Converter) decimal.Decimal) bool {
	if c, exact := x.RoundCoef64(6); ok && exact {
		return c%pow10Int[6] == 0
	}
	return wholeQty(dec(&m.dc))
}

// settle lays out the columns, now that the elements are known, and
// copies the measures of the fixed, element, class and source columns
// into them.
func (sc *partsScan) settle(rep *report, m *partsMeasure) {
	m.fixMax[pcLevel] = decimal.NewFromInt(int64(m.maxLevel))
	thousand := decimal.NewFromInt(1000)
	for i := range m.elemMax {
		m.elemMax[i] = m.elemMax[i].Mul(thousand) // grams
	}
	sc.cols = partsColumns(rep, sc)
	n := len(sc.cols)
	sc.textW = make([]int, n+1)
	sc.maxAbs = make([]decimal.Decimal, n+1)
	sc.neg = make([]bool, n+1)
	sc.frac = make([]bool, n+1)
	for c := 1; c <= partFixedCols; c++ {
		sc.textW[c] = m.fixW[c]
		sc.maxAbs[c] = m.fixMax[c]
	}
	sc.frac[pcQty], sc.frac[pcAnnualQty], sc.neg[pcUnitCost] = m.fracQty, m.fracAnnual, m.negCost
	sc.unitP = make([]int32, n+1)
	sc.unitP[pcUnitCost], sc.unitP[pcMaterialValue] = m.costP, m.valueP
	for i := range sc.elements {
		sc.maxAbs[sc.elemCol(i)] = m.elemMax[i]
	}
	for k := 0; k < exposure.NumClasses; k++ {
		sc.maxAbs[sc.classCol(k)] = decimal.NewFromInt(1)
	}
	if sc.sourceCol {
		sc.textW[sc.sourceColumn()] = sc.sourceW
	}
}

// sizeDeltas sizes the scenario and expected columns. The deltas are
// computed only when the rows are written: their columns are sized from
// the scenario and product totals, with room for one more digit, since
// one line can exceed a total that others offset.
func (sc *partsScan) sizeDeltas(r *exposure.Result) {
	for s := 0; s <= sc.nScen; s++ {
		var m decimal.Decimal
		neg := false
		for i, sr := range r.Scenarios {
			if i != s && s != sc.nScen {
				continue
			}
			growMax(&m, sr.AnnualDelta)
			neg = neg || sr.AnnualDelta.Sign() < 0
			for _, pd := range sr.Products {
				growMax(&m, pd.AnnualDelta)
				neg = neg || pd.AnnualDelta.Sign() < 0
			}
		}
		sc.maxAbs[sc.scenCol(s)], sc.neg[sc.scenCol(s)] = m.Mul(decimal.NewFromInt(10)), neg
	}
}

// descLines is how many lines a description takes in its column: 1 when
// it fits on one. It is asked of every row: quickTextWidth splits no
// one-line description into a slice.
func (sc *partsScan) descLines(s string) int {
	if sc.descWidth == 0 || colWidth(quickTextWidth(s)) <= sc.descWidth {
		return 1
	}
	return textLines(s, sc.descWidth)
}

// sheetNames returns "Parts", "Parts (2)", ... as the rows need.
func (sc *partsScan) sheetNames() []string {
	n := 1
	if sc.rows > 0 {
		n = (sc.rows + partsPerSheet - 1) / partsPerSheet
	}
	names := []string{sheetParts}
	for i := 2; i <= n; i++ {
		names = append(names, fmt.Sprintf("%s (%d)", sheetParts, i))
	}
	return names
}

func (sc *partsScan) isPartsSheet(name string) bool {
	for _, n := range sc.sheetNames() {
		if n == name {
			return true
		}
	}
	return false
}
