package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// awkwardParts are part rows that exercise every branch of a Parts row:
// descriptions that wrap or must be cut, text to escape, a line without
// a line, an element listed twice, content that cancels out, a declared
// source, levels beyond the indents, missing deltas, and figures whose
// coefficients are too long for an int64.
func awkwardParts(fx *fixture) []exposure.PartRow {
	base := *fx.rows[0].Line
	line := func(edit func(l *exposure.Line)) *exposure.Line {
		l := base
		l.Content = append([]exposure.ElementMass(nil), base.Content...)
		edit(&l)
		return &l
	}
	long := "Rotor magnet set with a description long enough to wrap over several lines of the description column, " +
		"as engineers write them when the part number alone does not say what the part is."
	big := d("123456789012345678901234.5678901234567890123")
	rows := append([]exposure.PartRow(nil), fx.rows...)
	add := func(pr exposure.PartRow) {
		if pr.Deltas == nil {
			pr.Deltas = fx.rows[1].Deltas
		}
		pr.ClassProb = fx.rows[1].ClassProb
		rows = append(rows, pr)
	}
	add(exposure.PartRow{Line: line(func(l *exposure.Line) { l.Description = long }), Level: 0, Qty: d("1.5"), AnnualQty: d("1500.0000004"), UnitCost: d("12.34567"), MaterialValue: d("3.1")})
	add(exposure.PartRow{Line: line(func(l *exposure.Line) { l.Description = strings.Repeat("é & <b> ", 5000) }), Level: 12, Qty: d("0.0000004"), AnnualQty: d("-3"), UnitCost: d("-0.5")})
	add(exposure.PartRow{Line: line(func(l *exposure.Line) {
		l.PartNumber, l.Product, l.UOM, l.Material = " P&1 ", "_x0041_", "", "\tNd"
		l.Content = append(l.Content, exposure.ElementMass{Element: "Nd", Kg: d("0.1")}, exposure.ElementMass{Element: "Tb", Kg: d("0.002")}, exposure.ElementMass{Element: "Tb", Kg: d("-0.0005")})
	}), Level: 3, Qty: big, AnnualQty: big.Neg(), UnitCost: big, MaterialValue: big,
		Deltas: []exposure.PartDelta{{AnnualDelta: big}, {AnnualDelta: d("-0.005")}}})
	add(exposure.PartRow{Line: line(func(l *exposure.Line) {
		l.Content = []exposure.ElementMass{{Element: "Nd", Kg: d("0.5")}, {Element: "Nd", Kg: d("-0.5")}, {Element: "Dy", Kg: d("0")}}
		l.ContentSource = "decl.xml"
	}), Level: 2, Qty: d("2"), AnnualQty: d("2000"), UnitCost: d("1"), Deltas: []exposure.PartDelta{{AnnualDelta: d("7.125")}}})
	add(exposure.PartRow{Line: line(func(l *exposure.Line) { l.ContentSource = "decl.xml" }), Level: 1, Qty: d("1"), AnnualQty: d("1"), UnitCost: d("1")})
	add(exposure.PartRow{Level: 1, Qty: d("1"), AnnualQty: d("1"), UnitCost: d("0")}) // no line
	return rows
}

// referencePartRow is the Parts row as it was written through excelize's
// StreamWriter.SetRow before sheetRows, kept to check that the sheet's
// bytes have not changed.
func referencePartRow(rep *report, sc *partsScan, pr *exposure.PartRow, vals []any, sheet string, row int) {
	s := &rep.b.s
	l := pr.Line
	if l == nil {
		l = &exposure.Line{}
	}
	str := func(c int, v string, style int) {
		v, was := cut(v)
		if was {
			rep.b.cutAt(sheet, cellName(c, row))
		}
		if v == "" {
			vals[c-1] = nil
			return
		}
		vals[c-1] = excelize.Cell{StyleID: style, Value: v}
	}
	num := func(c int, d decimal.Decimal) {
		k := sc.cols[c-1].kind
		style := s.styleFor(k, d, false)
		if k == kUnitMoney && c < len(sc.unitP) && sc.unitP[c] > 0 {
			style = s.unitFixed[sc.unitP[c]][0]
		}
		vals[c-1] = excelize.Cell{StyleID: style, Value: number(d, k)}
	}
	str(pcProduct, l.Product, s.text)
	str(pcPart, l.PartNumber, s.indent[min(max(pr.Level-1, 0), maxIndent)])
	descStyle := s.text
	if sc.descLines(l.Description) > 1 {
		descStyle = s.wrap
	}
	str(pcDesc, l.Description, descStyle)
	vals[pcLevel-1] = excelize.Cell{StyleID: s.center, Value: pr.Level}
	str(pcMaterial, l.Material, s.text)
	str(pcUOM, l.UOM, s.text)
	num(pcQty, pr.Qty)
	num(pcAnnualQty, pr.AnnualQty)
	num(pcUnitCost, pr.UnitCost)
	if pr.MaterialValue.IsZero() {
		vals[pcMaterialValue-1] = nil
	} else {
		num(pcMaterialValue, pr.MaterialValue)
	}
	str(pcCostBearing, yesNo(pr.CostBearing), s.text)
	grams := make([]decimal.Decimal, len(sc.elements))
	if pr.Line != nil {
		for _, c := range pr.Line.Content {
			if i, ok := sc.elemIdx[c.Element]; ok {
				grams[i] = grams[i].Add(c.Kg.Mul(decimal.NewFromInt(1000)))
			}
		}
	}
	content := false
	for i, g := range grams {
		if g.IsZero() {
			vals[sc.elemCol(i)-1] = nil
			continue
		}
		content = true
		num(sc.elemCol(i), g)
	}
	if sc.sourceCol {
		str(sc.sourceColumn(), contentSource(l, content), s.text)
	}
	for k := 0; k < exposure.NumClasses; k++ {
		if content {
			num(sc.classCol(k), pr.ClassProb[k])
		} else {
			vals[sc.classCol(k)-1] = nil
		}
	}
	for i := 0; i < sc.nScen; i++ {
		if i < len(pr.Deltas) {
			num(sc.scenCol(i), pr.Deltas[i].AnnualDelta)
		} else {
			vals[sc.scenCol(i)-1] = nil
		}
	}
	num(sc.expCol(), expectedOf(rep.r, pr))
}

// TestPartRowsAsStreamWriter: partWriter writes a Parts row byte for byte
// as SetRow wrote the cells the sheet used to be given, and notes the same
// cut cells.
func TestPartRowsAsStreamWriter(t *testing.T) {
	fx := newFixture()
	fx.rows = awkwardParts(fx)
	rep := newReport(fx.r, fx.m)
	sc, err := scanParts(rep, fx.parts)
	if err != nil {
		t.Fatal(err)
	}
	if !sc.sourceCol || len(sc.elements) < 3 {
		t.Fatalf("the rows do not exercise the element and source columns: %v %v", sc.elements, sc.sourceCol)
	}
	b, err := newBook(rep.cur, "footer")
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	rep.b = b
	sc.descWidth = sc.columnWidth(pcDesc)
	last := sc.lastCol()
	pw := newPartWriter(rep, sc, newSheetRows(last))
	var ref [][]any
	var heights []float64
	wraps := 0
	for i := range fx.rows {
		pr := &fx.rows[i]
		row := i + 2
		vals := make([]any, last)
		referencePartRow(rep, sc, pr, vals, sheetParts, row)
		h := 0.0
		if pr.Line != nil {
			if n := sc.descLines(pr.Line.Description); n > 1 {
				h = math.Min(float64(n)*15+2, 409)
				wraps++
			}
		}
		ref, heights = append(ref, vals), append(heights, h)
		pw.row(pr, sheetParts, row, &heatRange{})
	}
	if wraps == 0 {
		t.Fatal("no description wraps: the rows do not exercise row heights")
	}
	want := streamedRows(t, ref, heights)
	if got := pw.rows.buf; !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("Parts rows differ at byte %d:\n got …%q\nwant …%q", i, got[max(i-80, 0):min(i+80, len(got))], want[max(i-80, 0):min(i+80, len(want))])
	}
	cuts := b.cuts
	if len(cuts) == 0 || len(cuts)%2 != 0 {
		t.Fatalf("%d cut cells noted, want the same nonzero number from each writer", len(cuts))
	}
	for i := range cuts[:len(cuts)/2] {
		if a, b := cuts[2*i], cuts[2*i+1]; a != b {
			t.Errorf("cut noted at %s!%s, then %s!%s", a.Sheet, a.Cell, b.Sheet, b.Cell)
		}
	}
}
