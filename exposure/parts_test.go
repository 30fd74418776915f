package exposure

import (
	"errors"
	"fmt"
	"runtime"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// TestPipelineRowsInOrder checks that every row emitted reaches the
// consumer once, in order, for counts around the batch size.
func TestPipelineRowsInOrder(t *testing.T) {
	const batch = 4
	for _, n := range []int{0, 1, batch - 1, batch, batch + 1, 3*batch + 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var got []int
			err := pipelineRows(emitN(n, nil), func(r PartRow) error { got = append(got, r.Index); return nil }, batch, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("consumed %d rows, want %d", len(got), n)
			}
			for i, idx := range got {
				if idx != i {
					t.Fatalf("row %d has index %d: out of order", i, idx)
				}
			}
		})
	}
}

// TestPipelineRowsConsumerStops checks that a consumer error is returned,
// that no row after it is consumed, and that the producer is told to stop
// and has ended by the time pipelineRows returns.
func TestPipelineRowsConsumerStops(t *testing.T) {
	stop := errors.New("disk full")
	var produced, consumed int
	var emitErr error
	ended := false
	produce := func(emit func(PartRow) error) error {
		defer func() { ended = true }()
		for i := 0; i < 1000; i++ {
			produced++
			if err := emit(PartRow{Index: i}); err != nil {
				emitErr = err
				return err
			}
		}
		return nil
	}
	err := pipelineRows(produce, func(PartRow) error {
		consumed++
		if consumed == 10 {
			return stop
		}
		return nil
	}, 4, false)
	if !errors.Is(err, stop) {
		t.Fatalf("error %v, want %v", err, stop)
	}
	if consumed != 10 {
		t.Errorf("consumed %d rows, want 10", consumed)
	}
	if !ended || !errors.Is(emitErr, errRowsStopped) {
		t.Errorf("producer ended %v with %v, want ended with errRowsStopped", ended, emitErr)
	}
	// The consumer stops in batch 2 (rows 8-11). By then batches 3 and 4
	// may wait in the channel and batch 5 be on its way in; draining them
	// may let batch 5 in, and batch 6 is filled before its send sees the
	// stop: at most 7 batches of 4.
	if produced > 28 {
		t.Errorf("producer made %d rows after the consumer stopped at 10, want at most 28", produced)
	}
}

// TestPipelineRowsProducerFails checks that rows emitted before the
// producer's own error are all consumed, then the error returned.
func TestPipelineRowsProducerFails(t *testing.T) {
	broken := errors.New("broken model")
	var got []int
	err := pipelineRows(emitN(6, broken), func(r PartRow) error { got = append(got, r.Index); return nil }, 4, false)
	if !errors.Is(err, broken) {
		t.Fatalf("error %v, want %v", err, broken)
	}
	if len(got) != 6 {
		t.Errorf("consumed %v, want the 6 rows emitted before the error", got)
	}
}

// emitN emits rows 0..n-1, then returns err.
func emitN(n int, err error) func(func(PartRow) error) error {
	return func(emit func(PartRow) error) error {
		for i := range n {
			if e := emit(PartRow{Index: i}); e != nil {
				return e
			}
		}
		return err
	}
}

// TestPartsWithSameOnOneCPU checks that the pipelined rows are the rows
// computed without the pipeline (one CPU), figure for figure.
func TestPartsWithSameOnOneCPU(t *testing.T) {
	r, err := Compute(drive(RollupAll))
	if err != nil {
		t.Fatal(err)
	}
	collect := func() []string {
		var out []string
		if err := r.PartsWith(PartOptions{}, func(p PartRow) error {
			out = append(out, fmt.Sprintf("%d %s %s %s %v", p.Index, p.AnnualQty, p.UnitCost, p.ClassProb, p.Deltas))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	piped := collect()
	runtime.GOMAXPROCS(1)
	plain := collect()
	if fmt.Sprint(piped) != fmt.Sprint(plain) || len(plain) == 0 {
		t.Errorf("pipelined rows\n%v\nwithout the pipeline\n%v", piped, plain)
	}
}

// TestPartRowsAsDecimal checks that the part rows computed in dec128.Decimal are
// the decimals deltasDecimal and decimal's Mul and Add give, coefficient
// and exponent, on BOMs whose figures fit in 128 bits and on one whose
// huge quantities and masses do not (those lines take the decimal path).
func TestPartRowsAsDecimal(t *testing.T) {
	huge := benchInput(400)
	for i := range huge.BOM.Lines {
		l := &huge.BOM.Lines[i]
		switch i % 7 {
		case 3:
			l.QtyPer = dec("1234567890123.5")
		case 5:
			if len(l.Content) > 0 {
				l.Content = append([]ElementMass(nil), l.Content...)
				l.Content[0].Kg = dec("0.000000000012345678901234567890123")
			}
		}
	}
	for _, c := range []struct {
		name     string
		in       Input
		overflow bool // some line must overflow dec128.Decimal
	}{{"bench", benchInput(3000), false}, {"drive", drive(RollupAll), false}, {"drive-leaves", drive(RollupLeaves), false}, {"huge", huge, true}} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Compute(c.in)
			if err != nil {
				t.Fatal(err)
			}
			m := r.model
			pc := newPartCalc(m, PartOptions{})
			rows, fellBack := 0, 0
			err = r.Parts(func(p PartRow) error {
				rows++
				i, l := p.Index, p.Line
				pi := m.prodIdx[l.Product]
				vol := m.in.BOM.Products[pi].AnnualVolume
				var elems []int
				for _, cm := range l.Content {
					e := -1
					if cm.Kg.Sign() > 0 {
						e = m.elemIdx[cm.Element]
					}
					elems = append(elems, e)
				}
				want := make([]PartDelta, len(p.Deltas))
				m.deltasDecimal(want, i, pi, elems, m.materialValue(l), vol)
				if !pc.deltas(make([]PartDelta, len(p.Deltas)), nil, i, pi, elems, dec128.Of(m.materialValue(l)), PartOptions{}) {
					fellBack++
				}
				// Without the split (and the unit deltas), each source's
				// annual figures are summed before the products: the same
				// annual delta, coefficient and exponent.
				bare := make([]PartDelta, len(p.Deltas))
				annual := make([]dec128.Decimal, len(p.Deltas))
				if pc.deltas(bare, nil, i, pi, elems, dec128.Of(m.materialValue(l)), PartOptions{NoSplit: true, NoUnit: true}) {
					if !pc.deltas(nil, annual, i, pi, elems, dec128.Of(m.materialValue(l)), PartOptions{AnnualOnly: true}) {
						return fmt.Errorf("%s: AnnualOnly fell back where NoSplit did not", m.in.BOM.Ref(i))
					}
					for s := range want {
						u, a, ok := bare[s].Exact()
						if !ok || !u.IsZero() || !sameDecimal(bare[s].AnnualDelta, want[s].AnnualDelta) || !sameDecimal(pc.dc.Decimal(a), want[s].AnnualDelta) ||
							!sameDecimal(pc.dc.Decimal(annual[s]), want[s].AnnualDelta) {
							return fmt.Errorf("%s scenario %d without the split: %s·10^%d, want %s·10^%d", m.in.BOM.Ref(i), s,
								bare[s].AnnualDelta.Coefficient(), bare[s].AnnualDelta.Exponent(), want[s].AnnualDelta.Coefficient(), want[s].AnnualDelta.Exponent())
						}
					}
				}
				for s := range want {
					g, w := p.Deltas[s], want[s]
					for k, pair := range [][2]decimal.Decimal{{g.UnitDelta, w.UnitDelta}, {g.AnnualDelta, w.AnnualDelta},
						{g.Split.Price, w.Split.Price}, {g.Split.Shortage, w.Split.Shortage}, {g.Split.Carrying, w.Split.Carrying}, {g.Split.Tariff, w.Split.Tariff}} {
						if !sameDecimal(pair[0], pair[1]) {
							return fmt.Errorf("%s scenario %d figure %d: %s·10^%d, want %s·10^%d", m.in.BOM.Ref(i), s, k,
								pair[0].Coefficient(), pair[0].Exponent(), pair[1].Coefficient(), pair[1].Exponent())
						}
					}
				}
				wantQty := m.qty[i].Mul(vol)
				var wantCost decimal.Decimal
				for _, src := range l.Sources {
					wantCost = wantCost.Add(src.Share.Mul(src.UnitCost))
				}
				if !sameDecimal(p.AnnualQty, wantQty) || !sameDecimal(p.UnitCost, wantCost) {
					return fmt.Errorf("%s: annual qty %s, unit cost %s, want %s and %s", m.in.BOM.Ref(i), p.AnnualQty, p.UnitCost, wantQty, wantCost)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if rows == 0 || (fellBack > 0) != c.overflow {
				t.Errorf("%d rows, %d computed in decimal; want rows and overflow %v", rows, fellBack, c.overflow)
			}
		})
	}
}

// sameDecimal reports whether a and b have the same coefficient and
// exponent, not only the same value.
func sameDecimal(a, b decimal.Decimal) bool {
	return a.Exponent() == b.Exponent() && a.Coefficient().Cmp(b.Coefficient()) == 0
}

// TestPartsTwoWaySame checks that the rows two goroutines compute
// (partsTwoWay) are the rows of one, in order and figure for figure,
// under the options the writers use (run with -race: the goroutines
// share factorsFor's cache).
func TestPartsTwoWaySame(t *testing.T) {
	r, err := Compute(benchInput(3000))
	if err != nil {
		t.Fatal(err)
	}
	m := r.model
	for _, o := range []PartOptions{{}, {NoDeltas: true}, {NoSplit: true, ExactOnly: true, NoUnit: true, NoClasses: true}, {AnnualOnly: true},
		{NoSplit: true, Keep: func(l *Line) bool { return len(l.PartNumber)%3 == 0 }}} {
		collect := func(two bool) []string {
			var out []string
			emit := func(p PartRow) error {
				exact := exactText(p)
				out = append(out, fmt.Sprintf("%d %s %s %s %v %s", p.Index, p.AnnualQty, p.UnitCost, p.ClassProb, p.Deltas, exact))
				return nil
			}
			var err error
			if two {
				err = m.partsTwoWay(r, o, emit)
			} else {
				err = m.parts(r, o, emit)
			}
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		two, one := collect(true), collect(false)
		if len(one) < 2*partChunk {
			t.Fatalf("%d rows: too few for two goroutines", len(one))
		}
		if fmt.Sprint(two) != fmt.Sprint(one) {
			t.Errorf("options %+v: the rows of two goroutines differ from one's", o)
		}
	}
}

// TestPartsTwoWayHelperPanics: a panic in the helper's chunk reaches the
// caller after the rows before it, and the helper has ended.
func TestPartsTwoWayHelperPanics(t *testing.T) {
	r, err := Compute(benchInput(1500))
	if err != nil {
		t.Fatal(err)
	}
	const at = partChunk + 44 // in chunk 1, the helper's
	keep := func(l *Line) bool {
		if l == &r.model.in.BOM.Lines[at] {
			panic("helper crashed")
		}
		return true
	}
	last := -1
	var got any
	before := runtime.NumGoroutine()
	func() {
		defer func() { got = recover() }()
		r.model.partsTwoWay(r, PartOptions{Keep: keep}, func(p PartRow) error {
			last = p.Index
			return nil
		})
	}()
	if panicValue(got) != "helper crashed" || last >= at || last < partChunk-10 {
		t.Errorf("recovered %v after row %d, want the panic after the rows before line %d", got, last, at)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines, %d before", n, before)
	}
}

// TestPartsLeanOptions checks that NoFigures gives the same rows (index,
// line, level, cost-bearing) as the full rows, with their figures zero;
// that NoUnitCost changes nothing but the unit cost; and that
// ExactAnnualQty is AnnualQty, coefficient and exponent, which ExactQty
// leaves zero.
func TestPartsLeanOptions(t *testing.T) {
	r, err := Compute(benchInput(1200))
	if err != nil {
		t.Fatal(err)
	}
	var full, keys, noCost []PartRow
	collect := func(o PartOptions, out *[]PartRow) {
		if err := r.PartsWith(o, func(p PartRow) error { *out = append(*out, p); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	collect(PartOptions{NoSplit: true}, &full)
	collect(PartOptions{NoFigures: true}, &keys)
	collect(PartOptions{NoSplit: true, NoUnitCost: true}, &noCost)
	var exactQty []PartRow
	collect(PartOptions{NoSplit: true, ExactQty: true}, &exactQty)
	var dcq dec128.Converter
	for i, e := range exactQty {
		if _, ok := e.ExactAnnualQty(); ok && !e.AnnualQty.IsZero() || e.AnnualQtyDecimal(&dcq).String() != full[i].AnnualQty.String() {
			t.Fatalf("row %d: ExactQty gives %s (decimal %s), want %s", i, e.AnnualQtyDecimal(&dcq), e.AnnualQty, full[i].AnnualQty)
		}
		v, ok := e.ExactMaterialValue()
		if ok && !e.MaterialValue.IsZero() || e.MaterialValueDecimal(&dcq).String() != full[i].MaterialValue.String() {
			t.Fatalf("row %d: ExactQty gives a material value of %s (decimal %s), want %s", i, e.MaterialValueDecimal(&dcq), e.MaterialValue, full[i].MaterialValue)
		}
		if d := dcq.Decimal(v); ok && (d.Exponent() != full[i].MaterialValue.Exponent() || d.Coefficient().Cmp(full[i].MaterialValue.Coefficient()) != 0) {
			t.Fatalf("row %d: ExactMaterialValue %s, MaterialValue %s", i, d, full[i].MaterialValue)
		}
		c, ok := e.ExactUnitCost()
		if ok && !e.UnitCost.IsZero() || e.UnitCostDecimal(&dcq).String() != full[i].UnitCost.String() {
			t.Fatalf("row %d: ExactQty gives a unit cost of %s (decimal %s), want %s", i, e.UnitCostDecimal(&dcq), e.UnitCost, full[i].UnitCost)
		}
		if d := dcq.Decimal(c); ok && (d.Exponent() != full[i].UnitCost.Exponent() || d.Coefficient().Cmp(full[i].UnitCost.Coefficient()) != 0) {
			t.Fatalf("row %d: ExactUnitCost %s, UnitCost %s", i, d, full[i].UnitCost)
		}
	}
	if len(full) == 0 || len(keys) != len(full) || len(noCost) != len(full) {
		t.Fatalf("%d rows, %d with NoFigures, %d with NoUnitCost", len(full), len(keys), len(noCost))
	}
	exact := 0
	for i, f := range full {
		k := keys[i]
		if k.Index != f.Index || k.Line != f.Line || k.Level != f.Level || k.CostBearing != f.CostBearing {
			t.Fatalf("row %d: NoFigures gives line %d, want %d", i, k.Index, f.Index)
		}
		if !k.Qty.IsZero() || !k.AnnualQty.IsZero() || !k.UnitCost.IsZero() || !k.MaterialValue.IsZero() || k.Deltas != nil {
			t.Fatalf("row %d: NoFigures left figures", i)
		}
		c := noCost[i]
		if !c.UnitCost.IsZero() || fmt.Sprint(c.Index, c.Qty, c.AnnualQty, c.MaterialValue, c.ClassProb, c.Deltas) != fmt.Sprint(f.Index, f.Qty, f.AnnualQty, f.MaterialValue, f.ClassProb, f.Deltas) {
			t.Fatalf("row %d: NoUnitCost changed more than the unit cost", i)
		}
		if q, ok := f.ExactAnnualQty(); ok {
			exact++
			var dc dec128.Converter
			if d := dc.Decimal(q); d.Coefficient().Cmp(f.AnnualQty.Coefficient()) != 0 || d.Exponent() != f.AnnualQty.Exponent() {
				t.Fatalf("row %d: ExactAnnualQty %s, AnnualQty %s", i, d, f.AnnualQty)
			}
		}
	}
	if exact == 0 {
		t.Error("no row has an exact annual quantity")
	}
}

// TestPartsTransientSame checks that transient rows, whose deltas' memory
// is reused (PartOptions.Transient), read inside fn the same as rows
// that own theirs, through the pipeline of goroutines (rowBatch copies
// them as they go) and through one goroutine alone.
func TestPartsTransientSame(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // the pipeline, whatever the machine
	r, err := Compute(benchInput(3000))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []PartOptions{{}, {AnnualOnly: true, ExactQty: true}, {NoSplit: true, ExactOnly: true, NoClasses: true, NoUnitCost: true, ExactQty: true}} {
		collect := func(o PartOptions, one bool) []string {
			var out []string
			emit := func(p PartRow) error {
				exact := exactText(p)
				out = append(out, fmt.Sprintf("%d %s %v %s", p.Index, p.AnnualQty, p.Deltas, exact))
				return nil
			}
			var err error
			if one {
				err = r.model.parts(r, o, emit)
			} else {
				err = r.PartsWith(o, emit)
			}
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		want := collect(o, false)
		if len(want) < 4*partBatch {
			t.Fatalf("%d rows: too few for the pipeline", len(want))
		}
		o.Transient = true
		if got := collect(o, false); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("options %+v: transient rows through the pipeline differ", o)
		}
		if got := collect(o, true); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("options %+v: transient rows in one goroutine differ", o)
		}
	}
}

// TestClassesCached: partCalc.classes, which keeps the classes of lines
// of one source by profile and share and weighs the others' in dec128,
// gives every line contentClasses' decimals, coefficient and exponent,
// whether or not the cache is full.
func TestClassesCached(t *testing.T) {
	weighed := 0
	split := benchInput(3000) // heavy rare earths separated in China, the light ones elsewhere
	for i := range split.BOM.Lines {
		l := &split.BOM.Lines[i]
		l.Sources = append([]Source(nil), l.Sources...)
		for j := range l.Sources {
			if i%3 == 0 && l.Sources[j].Countries[StageSeparation] != CountryOf("CN") {
				l.Sources[j].HRESeparation = CountryOf("CN")
			}
		}
	}
	for _, in := range []Input{benchInput(3000), drive(RollupAll), drive(RollupLeaves), split} {
		r, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		m := r.model
		for _, full := range []bool{false, true} {
			pc := newPartCalc(m, PartOptions{})
			if full {
				pc.classCache = map[classKey]sourceClassesOf{}
				for k := 0; k < maxClassCache; k++ {
					pc.classCache[classKey{exp: int32(-k - 1000)}] = sourceClassesOf{}
				}
			}
			cached := 0
			for i := range m.in.BOM.Lines {
				l := &m.in.BOM.Lines[i]
				var elems []int
				for _, c := range l.Content {
					e := -1
					if c.Kg.Sign() > 0 {
						e = m.elemIdx[c.Element]
					}
					elems = append(elems, e)
				}
				got, want := pc.classes(i, elems), m.contentClasses(i, elems)
				for k := range want {
					if !sameDecimal(got[k], want[k]) {
						t.Fatalf("line %s class %d: %s·10^%d, want %s·10^%d", m.in.BOM.Ref(i), k, got[k].Coefficient(), got[k].Exponent(), want[k].Coefficient(), want[k].Exponent())
					}
				}
				if len(l.Sources) == 1 && hasRareEarth(l) {
					cached++
				}
				if !m.sameClasses(i) && hasRareEarth(l) {
					weighed++
				}
			}
			if cached == 0 || len(pc.classCache) == 0 {
				t.Errorf("%d lines of one source with rare earths, %d cached: the cache went untried", cached, len(pc.classCache))
			}
		}
	}
	if weighed == 0 {
		t.Error("no line's classes weighed by mass: weighedClasses went untried")
	}
}

// exactText spells a part row's exact figures, per scenario and annual,
// for tests that compare two ways of making the rows.
func exactText(p PartRow) string {
	exact := ""
	for s := range p.Deltas {
		u, a, ok := p.Deltas[s].Exact()
		exact += fmt.Sprint(u, a, ok)
	}
	return exact + fmt.Sprint(p.ExactAnnual())
}
