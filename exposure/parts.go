package exposure

import (
	"errors"
	"runtime"

	"rexpo/internal/dec128"
	"rexpo/internal/gopanic"
)

// PartOptions choose what Result.PartsWith computes, so that a writer can
// take a cheap first look at the rows (sizes, counts) and compute the
// per-scenario figures only in the pass that needs them.
type PartOptions struct {
	// NoDeltas leaves PartRow.Deltas nil: no per-scenario figures.
	NoDeltas bool
	// NoSplit leaves every PartDelta.Split zero: a reader of the unit and
	// annual deltas alone saves four decimals per scenario and line.
	NoSplit bool
	// ExactOnly, with NoSplit, gives the unit and annual deltas through
	// PartDelta.Exact alone where they were computed in dec128, leaving
	// UnitDelta and AnnualDelta zero there: a reader that sums them in
	// dec128 saves two more decimals per scenario and line. Where Exact
	// says no, the decimals are set as always.
	ExactOnly bool
	// NoUnit leaves the unit deltas zero (UnitDelta and Exact's unit)
	// where they are computed in dec128: a reader of the annual deltas
	// alone, as the Parts sheet is, saves their arithmetic, a third of a
	// row's.
	NoUnit bool
	// AnnualOnly gives the annual deltas alone, with NoSplit's and
	// NoUnit's savings, and where they were computed in dec128 through
	// PartRow.ExactAnnual, leaving Deltas nil: a row then holds its
	// figures in a sixth of the memory, none of it for the collector to
	// scan. Where ExactAnnual is nil, Deltas is set as always.
	AnnualOnly bool
	// NoClasses leaves PartRow.ClassProb zero: a pass that does not show
	// the classes saves their decimals.
	NoClasses bool
	// NoFigures gives a row's line, index, level and cost-bearing flag
	// alone, NoDeltas and NoClasses implied: Qty, AnnualQty, UnitCost and
	// MaterialValue are left zero. A pass that only asks which lines are
	// parts (the JSON's count of each part's lines) saves their decimals,
	// the first reads of each line's numbers among them.
	NoFigures bool
	// NoUnitCost leaves PartRow.UnitCost zero: a reader that does not show
	// it saves a product per source.
	NoUnitCost bool
	// ExactQty gives the annual quantity, the unit cost and the material
	// value through PartRow.ExactAnnualQty, ExactUnitCost and
	// ExactMaterialValue alone where they were computed in dec128, leaving
	// AnnualQty, UnitCost and MaterialValue zero there: a reader that
	// rounds or sums them in dec128 saves three decimals a row.
	ExactQty bool
	// Keep, when set, limits the rows to the lines it accepts. It may be
	// called from two goroutines at once (see partsTwoWay).
	Keep func(*Line) bool
	// Transient says that fn keeps neither a row's Deltas nor its
	// ExactAnnual past its return (the row itself, a copy, it may keep):
	// their memory is then reused for later rows. A writer that formats
	// each row as it comes saves a million rows' worth of deltas, each a
	// new object for the collector.
	Transient bool
}

// PartsWith calls fn with the part row of every line that bears cost or
// holds rare-earth content, in line order, and stops at fn's first error.
//
// With more than one CPU the rows are computed a few batches ahead, by
// two goroutines of their own (partsTwoWay), while fn, in the caller's
// goroutine, handles the rows before them: on a million-line BOM the
// figures and the writing of the Parts sheet take seconds each, and so
// overlap. fn sees the same rows in the same order either way.
func (r *Result) PartsWith(o PartOptions, fn func(PartRow) error) error {
	if r.model == nil {
		return nil
	}
	if runtime.GOMAXPROCS(0) < 2 {
		return r.model.parts(r, o, fn)
	}
	produce := func(emit func(PartRow) error) error { return r.model.partsTwoWay(r, o, emit) }
	return pipelineRows(produce, fn, partBatch, o.Transient)
}

// partBatch is how many rows pipelineRows hands over at a time: enough to
// make the hand-over cheap, few enough to keep little in flight.
const partBatch = 512

// errRowsStopped tells the producer that the consumer has stopped.
var errRowsStopped = errors.New("part rows: consumer stopped")

// rowBatch is rows on their way from one goroutine to another. With
// PartOptions.Transient a row's Deltas and ExactAnnual point into memory
// its producer reuses for the next row, so the batch copies them into
// memory of its own (own), which it too reuses once its rows have been
// consumed.
type rowBatch struct {
	rows   []PartRow
	deltas []PartDelta
	annual []dec128.Decimal
}

// add appends row; with own, the figures its slices hold are copied into
// the batch's own memory, and the row's slices point there. That memory
// is made for as many rows as the batch holds, rather than grown.
func (b *rowBatch) add(row *PartRow, own bool) {
	if own && row.Deltas != nil {
		if cap(b.deltas) == 0 {
			b.deltas = make([]PartDelta, 0, cap(b.rows)*len(row.Deltas))
		}
		n := len(b.deltas)
		b.deltas = append(b.deltas, row.Deltas...)
		row.Deltas = b.deltas[n:len(b.deltas):len(b.deltas)]
	}
	if own && row.annual != nil {
		if cap(b.annual) == 0 {
			b.annual = make([]dec128.Decimal, 0, cap(b.rows)*len(row.annual))
		}
		n := len(b.annual)
		b.annual = append(b.annual, row.annual...)
		row.annual = b.annual[n:len(b.annual):len(b.annual)]
	}
	b.rows = append(b.rows, *row)
}

// reset empties b for its next rows, keeping its memory. The rows are
// cleared, so that what they pointed to can go.
func (b *rowBatch) reset() {
	clear(b.rows)
	b.rows, b.deltas, b.annual = b.rows[:0], b.deltas[:0], b.annual[:0]
}

// recycle offers b, whose rows have been consumed, to its producer.
func recycle(free chan *rowBatch, b *rowBatch) {
	b.reset()
	select {
	case free <- b:
	default:
	}
}

// reused returns a batch from free, or a new one with room for n rows.
func reused(free chan *rowBatch, n int) *rowBatch {
	select {
	case b := <-free:
		return b
	default:
		return &rowBatch{rows: make([]PartRow, 0, n)}
	}
}

// pipelineRows runs produce in a goroutine and consume on the rows it
// emits, in order, batch rows at a time, in batches that go back to the
// goroutine for reuse: a million rows of some 300 bytes each were as
// many bytes for the collector. With own (PartOptions.Transient) the
// rows' deltas are copied out of produce's memory as they are emitted
// (rowBatch). A consume error stops produce (its emit returns
// errRowsStopped) and is returned; else produce's error. The goroutine
// has ended when pipelineRows returns, and a panic on either side is a
// panic of the caller's goroutine, where a command or a request can
// recover it (one in a goroutine of its own would end the program).
func pipelineRows(produce func(emit func(PartRow) error) error, consume func(PartRow) error, batch int, own bool) error {
	batches := make(chan *rowBatch, 2)
	free := make(chan *rowBatch, 4) // consumed batches, back for reuse: at most 4 exist
	stop := make(chan struct{})
	stopped := false
	var produceErr error
	var producePanic any
	defer func() {
		if p := recover(); p != nil { // consume panicked: let produce end first
			if !stopped {
				close(stop)
			}
			for range batches {
			}
			panic(p)
		}
	}()
	go func() {
		defer close(batches)
		defer func() {
			if p := recover(); p != nil {
				producePanic = gopanic.Capture(p)
			}
		}()
		send := func(rows *rowBatch) error {
			select { // a stop already given wins over a free place in the channel
			case <-stop:
				return errRowsStopped
			default:
			}
			select {
			case batches <- rows:
				return nil
			case <-stop:
				return errRowsStopped
			}
		}
		rows := reused(free, batch)
		produceErr = produce(func(row PartRow) error {
			rows.add(&row, own)
			if len(rows.rows) < batch {
				return nil
			}
			err := send(rows)
			rows = reused(free, batch)
			return err
		})
		// Rows emitted before an error of produce's own are consumed
		// first, as they would be without the pipeline.
		if len(rows.rows) > 0 && !errors.Is(produceErr, errRowsStopped) {
			if err := send(rows); produceErr == nil {
				produceErr = err
			}
		}
	}()
	var consumeErr error
	for rows := range batches { // drained to the end, so that the goroutine ends
		for _, row := range rows.rows {
			if consumeErr != nil {
				break
			}
			if consumeErr = consume(row); consumeErr != nil {
				close(stop)
				stopped = true
			}
		}
		recycle(free, rows)
	}
	if producePanic != nil {
		panic(producePanic)
	}
	if consumeErr != nil {
		return consumeErr
	}
	return produceErr
}
