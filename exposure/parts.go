package exposure

import (
	"errors"
	"runtime"

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
	return pipelineRows(produce, fn, partBatch)
}

// partBatch is how many rows pipelineRows hands over at a time: enough to
// make the hand-over cheap, few enough to keep little in flight.
const partBatch = 512

// errRowsStopped tells the producer that the consumer has stopped.
var errRowsStopped = errors.New("part rows: consumer stopped")

// pipelineRows runs produce in a goroutine and consume on the rows it
// emits, in order, batch rows at a time. A consume error stops produce
// (its emit returns errRowsStopped) and is returned; else produce's error.
// The goroutine has ended when pipelineRows returns, and a panic on
// either side is a panic of the caller's goroutine, where a command or a
// request can recover it (one in a goroutine of its own would end the
// program).
func pipelineRows(produce func(emit func(PartRow) error) error, consume func(PartRow) error, batch int) error {
	batches := make(chan []PartRow, 2)
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
		send := func(rows []PartRow) error {
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
		rows := make([]PartRow, 0, batch)
		produceErr = produce(func(row PartRow) error {
			rows = append(rows, row)
			if len(rows) < batch {
				return nil
			}
			err := send(rows)
			rows = make([]PartRow, 0, batch)
			return err
		})
		// Rows emitted before an error of produce's own are consumed
		// first, as they would be without the pipeline.
		if len(rows) > 0 && !errors.Is(produceErr, errRowsStopped) {
			if err := send(rows); produceErr == nil {
				produceErr = err
			}
		}
	}()
	var consumeErr error
	for rows := range batches { // drained to the end, so that the goroutine ends
		for _, row := range rows {
			if consumeErr != nil {
				break
			}
			if consumeErr = consume(row); consumeErr != nil {
				close(stop)
				stopped = true
			}
		}
	}
	if producePanic != nil {
		panic(producePanic)
	}
	if consumeErr != nil {
		return consumeErr
	}
	return produceErr
}
