package reports

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
	"rexpo/internal/dec128"
)

// partsPerSheet is how many BOM lines one Parts sheet holds below its
// header: Excel's last row is 1,048,576. Tests lower it.
var partsPerSheet = excelize.TotalRows - 1

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
	ps.ranks = newPartRanks(sc.rows) // at most a part a row
	// The sheet shows annual deltas alone, rounded from the rows' dec128
	// figures (exactDeltas): no unit deltas, splits or decimals; the
	// annual quantity and unit cost too are rounded from their dec128
	// figures (annualQty, unitCost). A row is written as it comes, its
	// deltas kept by none (Transient).
	if err := parts(exposure.PartOptions{AnnualOnly: true, ExactQty: true, Transient: true}, ps.add); err != nil {
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
	written int        // rows written on all sheets
	ranks   *partRanks // per part, for topParts
	heat    heatRange  // of the current sheet
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
	ps.heat = heatRange{} // the heat map's range is per sheet
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
	if err := ps.rep.heatMap(name, ps.sc, lastRow, &ps.heat); err != nil {
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
	exp := ps.pw.row(&pr, ps.names[ps.sheet], ps.row, &ps.heat)
	if err := ps.body.rowDone(); err != nil {
		return err
	}
	ps.rank(pr.Line, exp)
	return nil
}

// rank adds a line's expected delta, the float nearest to it, to its
// part's: ranking needs no more, and topParts sums the few parts shown
// exactly.
func (ps *partsStream) rank(l *exposure.Line, exp float64) {
	if l != nil {
		ps.ranks.add(l, exp, ps.written)
	}
}

// partWriter writes part rows onto a Parts sheet.
type partWriter struct {
	rep   *report
	sc    *partsScan
	rows  *sheetRows
	grams []decimal.Decimal // kilograms of each scan element in one unit of the line
	sum   *expectedSum
	ex    *exactDeltas // nil when a probability does not fit dec128
	dc    dec128.Converter
	// scratch is exactFloat's.
	scratch   []byte
	exactRows int // rows written by ex, for tests
}

func newPartWriter(rep *report, sc *partsScan, rows *sheetRows) *partWriter {
	return &partWriter{rep: rep, sc: sc, rows: rows, sum: newExpectedSum(rep.r), ex: newExactDeltas(rep.r)}
}

// row writes one part row as row r of sheet, cells in column order and
// empty ones left out, notes its deltas in heat, and returns the float
// nearest to the row's expected annual delta.
func (pw *partWriter) row(pr *exposure.PartRow, sheet string, r int, heat *heatRange) float64 {
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
	pw.annualQty(pr)
	pw.unitCost(pr)
	if v, ok := pr.ExactMaterialValue(); ok && !v.IsZero() || !ok && !pr.MaterialValue.IsZero() {
		pw.unitMoney(pcMaterialValue, v, ok, pr.MaterialValueDecimal)
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
	exp := pw.deltas(pr, heat)
	w.endRow()
	return exp
}

// deltas writes the row's annual delta under each scenario and the
// expected one, notes them in heat, and returns the float nearest to the
// expected one. A row computed in dec128 is summed and rounded there
// (exactDeltas); others, and one whose sum needs more than 128 bits, go
// through decimals.
func (pw *partWriter) deltas(pr *exposure.PartRow, heat *heatRange) float64 {
	if pw.ex != nil {
		if exp, ok := pw.ex.write(pw, pr, heat); ok {
			pw.exactRows++
			return exp
		}
	}
	exp := pw.deltasDecimal(pr, heat)
	return exactFloat(exp, &pw.scratch)
}

// deltasDecimal is deltas in decimals, returning the expected delta. Each
// delta's coefficient, mostly too long for an int64, is copied once:
// summed into the expected delta, then rounded for its cell.
func (pw *partWriter) deltasDecimal(pr *exposure.PartRow, heat *heatRange) decimal.Decimal {
	sc, sum := pw.sc, pw.sum
	sum.reset()
	for i := 0; i < sc.nScen && i < deltaCount(pr); i++ {
		d := annualAt(pr, i, &pw.dc)
		heat.note(d)
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
	heat.note(exp)
	pw.num(sc.expCol(), exp, 0)
	return exp
}

// annualQty writes the row's annual quantity as num would, rounded from
// its dec128 figure where the row has one (exposure.PartOptions.ExactQty)
// and the deltas too are written so (pw.ex; tests clear it to write
// through decimals alone).
func (pw *partWriter) annualQty(pr *exposure.PartRow) {
	q, ok := pr.ExactAnnualQty()
	if !ok || pw.ex == nil {
		pw.num(pcAnnualQty, pr.AnnualQtyDecimal(&pw.dc), 0)
		return
	}
	p := places(kQty)
	if c, ok := q.RoundCoef64(p); ok && c >= -maxDecimalCoef && c <= maxDecimalCoef {
		s := &pw.rep.b.s
		style := s.byKind[kQty] // quickStyleFor's: whole or not, as wholeQty tells
		if c%pow10Int[p] != 0 {
			style = s.qtyFrac
		}
		pw.rows.decimal(pcAnnualQty, style, c, p)
		return
	}
	pw.num(pcAnnualQty, pr.AnnualQtyDecimal(&pw.dc), 0)
}

// unitCost is annualQty for the unit cost (unitMoney).
func (pw *partWriter) unitCost(pr *exposure.PartRow) {
	x, ok := pr.ExactUnitCost()
	pw.unitMoney(pcUnitCost, x, ok, pr.UnitCostDecimal)
}

// unitMoney writes column c, of money per unit in the places the scan
// chose for it, as num would: rounded from x when ok (and the deltas too
// are written from dec128, see annualQty), else from the decimal dec
// gives.
func (pw *partWriter) unitMoney(c int, x dec128.Decimal, ok bool, dec func(*dec128.Converter) decimal.Decimal) {
	if sc := pw.sc; ok && pw.ex != nil && c < len(sc.unitP) && sc.unitP[c] > 0 {
		p := places(kUnitMoney)
		if coef, ok := x.RoundCoef64(p); ok && coef >= -maxDecimalCoef && coef <= maxDecimalCoef {
			pw.rows.decimal(c, pw.rep.b.s.unitFixed[sc.unitP[c]][0], coef, p) // numRounded's style
			return
		}
	}
	pw.num(c, dec(&pw.dc), 0)
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
func (rep *report) heatMap(sheet string, sc *partsScan, lastRow int, heat *heatRange) error {
	lim, ok := heat.limit()
	if sc.rows == 0 || !ok {
		return nil
	}
	ref := cellName(sc.scenCol(0), 2) + ":" + cellName(sc.expCol(), lastRow)
	return rep.b.f.SetConditionalFormat(sheet, ref, []excelize.ConditionalFormatOptions{{
		Type: "3_color_scale", Criteria: "=",
		MinType: "num", MinValue: "-" + lim, MinColor: "#" + colGreen,
		MidType: "num", MidValue: "0", MidColor: "#" + colWhite,
		MaxType: "num", MaxValue: lim, MaxColor: "#" + colRed,
	}})
}
