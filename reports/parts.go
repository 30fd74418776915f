package reports

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// partsPerSheet is how many BOM lines one Parts sheet holds below its
// header: Excel's last row is 1,048,576. Tests lower it.
var partsPerSheet = excelize.TotalRows - 1

// topParts is how many parts the Summary lists.
const topParts = 10

// partsScan is what the first pass over the part rows learns (how many
// rows and sheets, which elements, how wide each column gets, all without
// computing deltas), and what the writing pass adds: the range of the
// deltas for the heat map and the most exposed parts.
type partsScan struct {
	rows     int
	elements []string // element columns, in first-seen order
	elemIdx  map[string]int
	nScen    int

	cols     []col
	textW    []int             // widest text per column
	maxAbs   []decimal.Decimal // largest magnitude per numeric column
	neg      []bool            // a negative value in the column
	frac     []bool            // a quantity that is not whole
	minDelta decimal.Decimal
	maxDelta decimal.Decimal

	top   []*partAgg           // the most exposed, largest expected delta first
	byKey map[partKey]*partAgg // the top parts, for the second pass to sum

	sourceCol bool // a line's content came from a declaration (declarations.go)
	sourceW   int

	unitP     []int32 // places shown in a column of money per unit: what its values need
	descWidth float64 // width of the description column, where long ones wrap
}

// partKey names a part in a product. Its strings are the BOM line's, so a
// key costs no copy.
type partKey struct{ product, part string }

// partRank is what the writing pass keeps per part: enough to rank it.
// The float is for ranking only; the figures shown are summed exactly
// from the lines in a last pass over the top parts alone.
type partRank struct {
	expected float64
	first    int // row of the part's first line, to break ties in BOM order
}

// partAgg sums the lines of one of the most exposed parts.
type partAgg struct {
	key           partKey
	desc, uom     string
	qty, expected decimal.Decimal
	perScen       []decimal.Decimal // annual delta per scenario
	seen          bool
}

// Column positions of the Parts sheet (1-based); element, class and
// scenario columns follow partFixedCols.
const (
	pcProduct = iota + 1
	pcPart
	pcDesc
	pcLevel
	pcMaterial
	pcUOM
	pcQty
	pcAnnualQty
	pcUnitCost
	pcMaterialValue
	pcCostBearing
	partFixedCols = pcCostBearing
)

func (sc *partsScan) elemCol(i int) int  { return partFixedCols + 1 + i }
func (sc *partsScan) classCol(k int) int { return sc.sourceColumn() + sc.sourceCols() + k }
func (sc *partsScan) scenCol(s int) int  { return sc.classCol(exposure.NumClasses) + s }
func (sc *partsScan) expCol() int        { return sc.scenCol(sc.nScen) }
func (sc *partsScan) lastCol() int       { return sc.expCol() }

// expectedOf is the probability-weighted annual delta of a part row.
func expectedOf(r *exposure.Result, pr *exposure.PartRow) decimal.Decimal {
	var e decimal.Decimal
	for s := range pr.Deltas {
		if s < len(r.Scenarios) {
			e = e.Add(pr.Deltas[s].AnnualDelta.Mul(r.Scenarios[s].Probability))
		}
	}
	return e
}

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
		costP:  2, valueP: 2,
	}
	// Element columns in the order of the Elements sheet, then any other
	// element the rows hold.
	for _, e := range r.Elements {
		if _, ok := sc.elemIdx[e.Element]; !ok {
			sc.addElement(e.Element, m)
		}
	}
	err := parts(exposure.PartOptions{NoDeltas: true}, func(pr exposure.PartRow) error {
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
	elemMax []decimal.Decimal // per element column, in kilograms; the sheet shows grams

	fracQty, fracAnnual, negCost bool
	costP, valueP                int32 // places the unit cost and material value need
	maxLevel                     int
}

// growMax raises *m to the magnitude of d when that is larger.
func growMax(m *decimal.Decimal, d decimal.Decimal) {
	if a := d.Abs(); a.GreaterThan(*m) {
		*m = a
	}
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
	growMax(&m.fixMax[pcAnnualQty], pr.AnnualQty)
	growMax(&m.fixMax[pcUnitCost], pr.UnitCost)
	growMax(&m.fixMax[pcMaterialValue], pr.MaterialValue)
	m.costP, m.valueP = max(m.costP, quickUnitPlaces(pr.UnitCost)), max(m.valueP, quickUnitPlaces(pr.MaterialValue))
	m.fracQty = m.fracQty || !wholeQty(pr.Qty)
	m.fracAnnual = m.fracAnnual || !wholeQty(pr.AnnualQty)
	m.negCost = m.negCost || pr.UnitCost.Sign() < 0
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
// it fits on one.
func (sc *partsScan) descLines(s string) int {
	if sc.descWidth == 0 || colWidth(textWidth(s)) <= sc.descWidth {
		return 1
	}
	return textLines(s, sc.descWidth)
}

func (sc *partsScan) delta(d decimal.Decimal, first bool) {
	if first || d.LessThan(sc.minDelta) {
		sc.minDelta = d
	}
	if first || d.GreaterThan(sc.maxDelta) {
		sc.maxDelta = d
	}
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

// partsColumns lists the Parts sheet's columns.
func partsColumns(rep *report, sc *partsScan) []col {
	cols := []col{
		{head: "Product", kind: kText},
		{head: "Part number", kind: kText},
		{head: "Description", kind: kText},
		{head: "BOM level", kind: kInt},
		{head: "Material", kind: kText},
		{head: "UOM", kind: kText},
		{head: "Qty per product unit", kind: kQty},
		{head: "Annual qty", kind: kQty},
		{head: rep.money("Unit cost"), kind: kUnitMoney},
		{head: "Rare-earth material value (" + rep.cur + " per unit of the part)", kind: kUnitMoney},
		{head: "Cost-bearing", kind: kText},
	}
	for _, e := range sc.elements {
		cols = append(cols, col{head: e + " (g/unit)", kind: kKg})
	}
	cols = append(cols, sourceColumns(sc)...)
	cols = append(cols,
		col{head: "Direct (%)", kind: kPct},
		col{head: "Upstream (%)", kind: kPct},
		col{head: "Free (%)", kind: kPct})
	for _, s := range rep.r.Scenarios {
		cols = append(cols, col{head: rep.money(scenarioName(s.Scenario) + ": annual change"), kind: kMoney})
	}
	cols = append(cols, col{head: rep.money("Expected annual change"), kind: kMoney})
	return cols
}

// partsNotes explain the Parts columns a buyer may not know.
func partsNotes(rep *report, sc *partsScan) map[int]string {
	cc := countryName(rep.r.Settings.ControllingCountry)
	if rep.r.Settings.ControllingCountry == "" {
		cc = "the controlling country"
	}
	notes := map[int]string{
		pcQty:           "Quantity of the part in one unit of the product: qty_per multiplied up the BOM tree.",
		pcAnnualQty:     "Qty per product unit × the product's annual volume.",
		pcUnitCost:      "Average unit cost over the part's sources, weighted by their shares, in the report currency.",
		pcMaterialValue: "B: what the rare-earth-bearing material in one unit of the part is worth (the magnet, target, coating): re_mass_kg × the material's price per kg, else the content at China prices. Shortage and carrying are charged on it, not on the part's price; tariffs on the unit cost.",
		pcCostBearing:   "yes: the line's unit cost counts (by default the lines without children). Rare-earth content counts on every line.",
		sc.classCol(0):  "Share of the part's rare-earth content whose component stage is in " + cc + " (the part itself comes from there).",
		sc.classCol(1):  "Share made elsewhere but with mining, separation or metal making in " + cc + ".",
		sc.classCol(2):  "Share with no stage in " + cc + ".",
		sc.expCol():     "Sum over scenarios of probability × annual change.",
	}
	if len(sc.elements) > 0 {
		notes[sc.elemCol(0)] = "Grams of the element in one unit of the part."
	}
	if sc.sourceCol {
		notes[sc.sourceColumn()] = sourceNote
	}
	return notes
}

// columnWidth turns what the scan measured into a width.
func (sc *partsScan) columnWidth(c int) float64 {
	k := sc.cols[c-1].kind
	w := colWidth(sc.textW[c])
	if k != kText && k != kWrap {
		d := sc.maxAbs[c]
		if sc.neg[c] {
			d = d.Neg()
		}
		if k == kQty && sc.frac[c] {
			d = d.Add(decimal.New(1, -6)) // measure with decimals
		}
		w = math.Max(w, colWidth(shownWidth(d, k)))
	}
	if sc.scenCol(0) <= c && c <= sc.expCol() {
		w = math.Max(w, moneyWidth)
	}
	limit := 50.0
	if c == pcDesc {
		limit = 45
	}
	return math.Min(math.Max(w, 7.5), limit)
}

// partsSheets streams the part rows onto the Parts sheets. excelize's
// stream writer writes each sheet's start (its header row included) and
// end; the rows themselves are formatted by sheetRows and deflated as
// they come (sheetBody), and stableZip puts them between the two.
func (rep *report) partsSheets(sc *partsScan, parts partsFunc) error {
	ps := newPartsStream(rep, sc)
	if err := ps.open(0); err != nil {
		return err
	}
	if sc.rows == 0 {
		return ps.writeNone()
	}
	ps.pw = newPartWriter(rep, sc, ps.rows)
	ps.ranks = make(map[partKey]partRank, sc.rows) // at most a part a row: never grown
	if err := parts(exposure.PartOptions{NoSplit: true}, ps.add); err != nil {
		return err
	}
	if err := ps.closeSheet(); err != nil {
		return err
	}
	return rep.topParts(sc, ps.ranks, parts)
}

// partsStream is the writing pass over the Parts sheets: the layout the
// scan settled, shared by every sheet, and the sheet being written. It
// is a struct rather than closures over partsSheets' locals so that each
// step (open a sheet, write a row, close it) reads as a function of its
// own.
type partsStream struct {
	rep      *report
	sc       *partsScan
	names    []string       // the Parts sheets, "Parts", "Parts (2)", ...
	last     int            // last column
	widths   []float64      // column widths, from column 1
	hdrLines int            // lines of the tallest header
	notes    map[int]string // header comments by column
	rows     *sheetRows

	sw    *excelize.StreamWriter
	body  *sheetBody
	sheet int // index in names
	row   int // last row written on the current sheet

	pw      *partWriter
	written int                  // rows written on all sheets
	ranks   map[partKey]partRank // per part, for topParts
	scratch []byte
}

// newPartsStream settles what every Parts sheet shares: the column
// widths from the scan (the description's wraps the rows), the header's
// height and comments.
func newPartsStream(rep *report, sc *partsScan) *partsStream {
	last := sc.lastCol()
	widths := make([]float64, last+1)
	for c := 1; c <= last; c++ {
		widths[c] = sc.columnWidth(c)
	}
	sc.descWidth = widths[pcDesc]
	hdrLines := 1
	for c := 1; c <= last; c++ {
		hdrLines = max(hdrLines, headerLines(sc.cols[c-1].head, widths[c]))
	}
	ps := &partsStream{rep: rep, sc: sc, names: sc.sheetNames(), last: last, widths: widths, hdrLines: hdrLines}
	ps.notes = partsNotes(rep, sc)
	ps.rows = newSheetRows(last)
	return ps
}

// perSheet is how many rows sheet i holds: partsPerSheet on all but the
// last.
func (ps *partsStream) perSheet(i int) int {
	if i < len(ps.names)-1 {
		return partsPerSheet
	}
	return ps.sc.rows - partsPerSheet*(len(ps.names)-1)
}

// open starts sheet i: its print setup and dimension, its stream writer
// with the header row, and the body its rows are deflated into.
func (ps *partsStream) open(i int) error {
	b := ps.rep.b
	name := ps.names[i]
	if err := ps.setUp(i); err != nil {
		return err
	}
	var err error
	if ps.sw, err = b.f.NewStreamWriter(name); err != nil {
		return err
	}
	if err := ps.writeHeader(); err != nil {
		return err
	}
	for _, c := range slices.Sorted(maps.Keys(ps.notes)) { // in column order: the file is the same from run to run
		text := ps.notes[c]
		if err := b.f.AddComment(name, excelize.Comment{Author: "rexpo", Cell: cellName(c, 1), Text: text, Width: 260, Height: 90}); err != nil {
			return err
		}
	}
	if ps.sc.rows > 0 {
		path := fmt.Sprintf("xl/worksheets/sheet%d.xml", ps.sw.SheetID)
		ps.body = newSheetBody(path, ps.rows, b.tmpDir)
		b.bodies[path] = ps.body
	}
	ps.row = 1
	ps.sc.minDelta, ps.sc.maxDelta = decimal.Decimal{}, decimal.Decimal{} // the heat map's range is per sheet
	return nil
}

// setUp gives sheet i what the stream writer writes at the sheet's
// start, so it must come before the writer: print setup and dimension.
func (ps *partsStream) setUp(i int) error {
	b := ps.rep.b
	name := ps.names[i]
	if err := b.pageSetup(name, 1); err != nil {
		return err
	}
	b.printed[name].titleCols = 2 // the frozen part columns
	if err := b.printAcross(name, ps.widths[1:]); err != nil {
		return err
	}
	// The dimension must be set before the stream writer writes the
	// sheet's start, or openpyxl's read-only mode sees a single cell.
	n := max(ps.perSheet(i), 1)
	return b.f.SetSheetDimension(name, "A1:"+cellName(ps.last, n+1))
}

// writeHeader writes the column widths, the frozen panes and the header
// row through the stream writer, which allows them only in that order
// and before any row.
func (ps *partsStream) writeHeader() error {
	b, sc := ps.rep.b, ps.sc
	for c := 1; c <= ps.last; c++ {
		if err := ps.sw.SetColWidth(c, c, ps.widths[c]); err != nil {
			return err
		}
	}
	if err := ps.sw.SetPanes(freezePanes(1, 2)); err != nil {
		return err
	}
	head := make([]any, ps.last)
	for c := 1; c <= ps.last; c++ {
		style := b.s.header
		if k := sc.cols[c-1].kind; k == kText {
			style = b.s.headerLeftIndent
		}
		head[c-1] = excelize.Cell{StyleID: style, Value: sc.cols[c-1].head}
	}
	return ps.sw.SetRow("A1", head, excelize.RowOpts{Height: float64(ps.hdrLines)*15 + 3})
}

// closeSheet finishes the current sheet: its filter and heat map (which
// need its last row), its deflated body and the stream writer's end.
func (ps *partsStream) closeSheet() error {
	name := ps.names[ps.sheet]
	lastRow := max(ps.row, 2)
	if err := ps.rep.b.f.AutoFilter(name, "A1:"+cellName(ps.last, lastRow), nil); err != nil {
		return err
	}
	if err := ps.rep.heatMap(name, ps.sc, lastRow); err != nil {
		return err
	}
	if ps.body != nil {
		if err := ps.body.finish(); err != nil {
			return err
		}
	}
	return ps.sw.Flush()
}

// writeNone says on the only, empty, Parts sheet why it is empty, rather
// than leave a header over nothing.
func (ps *partsStream) writeNone() error {
	msg := "No BOM line is cost-bearing or carries rare earths."
	if err := ps.sw.SetRow("A2", []any{excelize.Cell{StyleID: ps.rep.b.s.note, Value: msg}}); err != nil {
		return err
	}
	ps.row = 2
	return ps.closeSheet()
}

// add writes one part row, moving to the next sheet when this one is
// full, and notes its deltas for the heat map and its expected delta for
// ranking the parts.
func (ps *partsStream) add(pr exposure.PartRow) error {
	sc := ps.sc
	if ps.written >= sc.rows {
		return fmt.Errorf("the parts changed between passes: more than %d rows", sc.rows)
	}
	if ps.row-1 >= ps.perSheet(ps.sheet) {
		if err := ps.closeSheet(); err != nil {
			return err
		}
		ps.sheet++
		if err := ps.open(ps.sheet); err != nil {
			return err
		}
	}
	ps.row++
	ps.written++
	exp := ps.pw.row(&pr, ps.names[ps.sheet], ps.row)
	if err := ps.body.rowDone(); err != nil {
		return err
	}
	for s := 0; s < sc.nScen && s < len(pr.Deltas); s++ {
		sc.delta(pr.Deltas[s].AnnualDelta, ps.row == 2 && s == 0)
	}
	sc.delta(exp, false)
	ps.rank(pr.Line, exp)
	return nil
}

// rank adds a line's expected delta to its part's, as a float: ranking
// needs no more, and topParts sums the few parts shown exactly.
func (ps *partsStream) rank(l *exposure.Line, exp decimal.Decimal) {
	if l == nil {
		return
	}
	key := partKey{l.Product, l.PartNumber}
	rk, ok := ps.ranks[key]
	if !ok {
		rk.first = ps.written
	}
	rk.expected += exactFloat(exp, &ps.scratch)
	ps.ranks[key] = rk
}

// topParts finds the most exposed parts from the ranks gathered while
// streaming, then sums their lines exactly in a pass that computes only
// their rows.
func (rep *report) topParts(sc *partsScan, ranks map[partKey]partRank, parts partsFunc) error {
	// The most exposed parts: largest expected annual delta first, parts
	// whose cost does not move left out, ties in BOM order.
	type cand struct {
		key partKey
		partRank
	}
	var top []cand
	for k, rk := range ranks {
		if rk.expected == 0 {
			continue
		}
		c := cand{k, rk}
		i := sort.Search(len(top), func(i int) bool {
			return top[i].expected < c.expected || (top[i].expected == c.expected && top[i].first > c.first)
		})
		if i >= topParts {
			continue
		}
		top = append(top, cand{})
		copy(top[i+1:], top[i:])
		top[i] = c
		if len(top) > topParts {
			top = top[:topParts]
		}
	}
	sc.byKey = map[partKey]*partAgg{}
	for _, c := range top {
		a := &partAgg{key: c.key, perScen: make([]decimal.Decimal, sc.nScen)}
		sc.top = append(sc.top, a)
		sc.byKey[c.key] = a
	}
	if len(sc.top) == 0 {
		return nil
	}
	keep := func(l *exposure.Line) bool { return l != nil && sc.byKey[partKey{l.Product, l.PartNumber}] != nil }
	err := parts(exposure.PartOptions{Keep: keep, NoSplit: true}, func(pr exposure.PartRow) error {
		l := pr.Line
		a := sc.byKey[partKey{l.Product, l.PartNumber}]
		if !a.seen {
			a.desc, a.uom, a.seen = l.Description, l.UOM, true
		}
		a.qty = a.qty.Add(pr.AnnualQty)
		a.expected = a.expected.Add(expectedOf(rep.r, &pr))
		for s := 0; s < sc.nScen && s < len(pr.Deltas); s++ {
			a.perScen[s] = a.perScen[s].Add(pr.Deltas[s].AnnualDelta)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The exact sums may reorder parts the floats ranked nearly equal.
	sort.SliceStable(sc.top, func(i, j int) bool { return sc.top[i].expected.GreaterThan(sc.top[j].expected) })
	return nil
}

// partWriter writes part rows onto a Parts sheet.
type partWriter struct {
	rep   *report
	sc    *partsScan
	rows  *sheetRows
	grams []decimal.Decimal // kilograms of each scan element in one unit of the line
	sum   *expectedSum
}

func newPartWriter(rep *report, sc *partsScan, rows *sheetRows) *partWriter {
	return &partWriter{rep: rep, sc: sc, rows: rows, sum: newExpectedSum(rep.r)}
}

// row writes one part row as row r of sheet, cells in column order and
// empty ones left out, and returns the row's expected annual delta.
func (pw *partWriter) row(pr *exposure.PartRow, sheet string, r int) decimal.Decimal {
	sc, w := pw.sc, pw.rows
	s := &pw.rep.b.s
	l := pr.Line
	if l == nil {
		l = &exposure.Line{}
	}
	str := func(c int, v string, style int) {
		v, was := cut(v)
		if was {
			pw.rep.b.cutAt(sheet, cellName(c, r))
		}
		if v != "" {
			w.str(c, style, v)
		}
	}
	descLines := sc.descLines(l.Description)
	height := 0.0
	if descLines > 1 {
		height = math.Min(float64(descLines)*15+2, 409)
	}
	w.startRow(r, height)
	str(pcProduct, l.Product, s.text)
	str(pcPart, l.PartNumber, s.indent[min(max(pr.Level-1, 0), maxIndent)])
	descStyle := s.text
	if descLines > 1 {
		descStyle = s.wrap // a long description wraps, its row grows: never clipped
	}
	str(pcDesc, l.Description, descStyle)
	w.int(pcLevel, s.center, int64(pr.Level))
	str(pcMaterial, l.Material, s.text)
	str(pcUOM, l.UOM, s.text)
	pw.num(pcQty, pr.Qty, 0)
	pw.num(pcAnnualQty, pr.AnnualQty, 0)
	pw.num(pcUnitCost, pr.UnitCost, 0)
	if !pr.MaterialValue.IsZero() {
		pw.num(pcMaterialValue, pr.MaterialValue, 0)
	}
	str(pcCostBearing, yesNo(pr.CostBearing), s.text)
	pw.grams = sc.kgOf(pr.Line, pw.grams)
	content := false
	for i, kg := range pw.grams {
		if !kg.IsZero() {
			content = true
			pw.num(sc.elemCol(i), kg, 3) // grams
		}
	}
	if sc.sourceCol {
		str(sc.sourceColumn(), contentSource(l, content), s.text)
	}
	// Classes say where rare-earth content comes from: blank for a line
	// that holds none.
	if content {
		for k := 0; k < exposure.NumClasses; k++ {
			pw.num(sc.classCol(k), pr.ClassProb[k], 0)
		}
	}
	exp := pw.deltas(pr)
	w.endRow()
	return exp
}

// deltas writes the row's annual delta under each scenario and the
// expected one, which it returns. Each delta's coefficient, mostly too
// long for an int64, is copied once: summed into the expected delta, then
// rounded for its cell.
func (pw *partWriter) deltas(pr *exposure.PartRow) decimal.Decimal {
	sc, sum := pw.sc, pw.sum
	sum.reset()
	for i := 0; i < sc.nScen && i < len(pr.Deltas); i++ {
		d := pr.Deltas[i].AnnualDelta
		if d.NumDigits() <= 18 {
			sum.add(i, sum.int64Coef(d), d.Exponent())
			pw.num(sc.scenCol(i), d, 0)
			continue
		}
		c := d.Coefficient()
		sum.add(i, c, d.Exponent())
		coef, ok := roundedOwnedCoef(c, d.Exponent(), places(kMoney))
		pw.numRounded(sc.scenCol(i), d, 0, coef, ok)
	}
	exp := sum.value()
	pw.num(sc.expCol(), exp, 0)
	return exp
}

// num writes d×10^shift in column c, rounded for the column's kind.
func (pw *partWriter) num(c int, d decimal.Decimal, shift int32) {
	coef, ok := roundedCoef(d, shift, places(pw.sc.cols[c-1].kind))
	pw.numRounded(c, d, shift, coef, ok)
}

// numRounded is num given d×10^shift rounded: coef×10^-places, when ok.
func (pw *partWriter) numRounded(c int, d decimal.Decimal, shift int32, coef int64, ok bool) {
	sc, s := pw.sc, &pw.rep.b.s
	k := sc.cols[c-1].kind
	var style int
	switch {
	case k == kUnitMoney && c < len(sc.unitP) && sc.unitP[c] > 0:
		style = s.unitFixed[sc.unitP[c]][0] // the same places down the column
	case k == kQty && shift != 0:
		style = s.quickStyleFor(k, d.Shift(shift))
	default:
		style = s.quickStyleFor(k, d) // which looks at d for a quantity only
	}
	if ok && coef >= -maxDecimalCoef && coef <= maxDecimalCoef {
		pw.rows.decimal(c, style, coef, places(k))
		return
	}
	if ok {
		if f, exact := coefFloat(coef, places(k)); exact {
			pw.rows.float(c, style, f)
			return
		}
	}
	pw.rows.float(c, style, number(d.Shift(shift), k))
}

// heatMap colours the delta columns on one symmetric scale, so that the
// same colour means the same money in every scenario: white for no change,
// red for the largest increase, green for a saving as large.
func (rep *report) heatMap(sheet string, sc *partsScan, lastRow int) error {
	m := sc.maxDelta.Abs()
	if a := sc.minDelta.Abs(); a.GreaterThan(m) {
		m = a
	}
	if sc.rows == 0 || m.IsZero() {
		return nil
	}
	lim := m.Round(2).String()
	ref := cellName(sc.scenCol(0), 2) + ":" + cellName(sc.expCol(), lastRow)
	return rep.b.f.SetConditionalFormat(sheet, ref, []excelize.ConditionalFormatOptions{{
		Type: "3_color_scale", Criteria: "=",
		MinType: "num", MinValue: "-" + lim, MinColor: "#" + colGreen,
		MidType: "num", MidValue: "0", MidColor: "#" + colWhite,
		MaxType: "num", MaxValue: lim, MaxColor: "#" + colRed,
	}})
}
