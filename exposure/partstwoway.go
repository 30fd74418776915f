package exposure

import "rexpo/internal/gopanic"

// partChunk is how many lines partsTwoWay's goroutines compute at a time.
const partChunk = 256

// chunkRows are the rows of one chunk of lines computed by partsTwoWay's
// helper, with the error or panic that cut them short.
type chunkRows struct {
	rows  *rowBatch
	err   error
	panic any
}

// partsTwoWay is parts computed by two goroutines: the caller's computes
// the even chunks of partChunk lines and a helper the odd ones, a chunk
// or two ahead; the caller emits each chunk's rows in turn, so emit sees
// parts' rows in parts' order. Computing a row is most of the Parts
// sheet's work: one goroutine alone held back the sheet's writer and
// compressors. An error or panic in the helper's chunk comes out after
// the rows before it, as it would from parts; the helper has ended when
// partsTwoWay returns.
func (m *model) partsTwoWay(r *Result, o PartOptions, emit func(PartRow) error) error {
	n := len(m.in.BOM.Lines)
	chunks := (n + partChunk - 1) / partChunk
	if chunks < 2 {
		return m.parts(r, o, emit)
	}
	odd := make(chan chunkRows, 2)
	free := make(chan *rowBatch, 4) // the helper's batches, back for reuse
	stop, done := make(chan struct{}), make(chan struct{})
	go m.partsHelper(r, o, chunks, odd, free, stop, done)
	defer func() { close(stop); <-done }()
	pc := newPartCalc(m, o)
	for c := 0; c < chunks; c++ {
		if c%2 == 0 {
			if err := m.partRange(r, o, pc, c*partChunk, min((c+1)*partChunk, n), emit); err != nil {
				return err
			}
			continue
		}
		got := <-odd
		for _, row := range got.rows.rows {
			if err := emit(row); err != nil {
				return err
			}
		}
		if got.panic != nil {
			panic(got.panic)
		}
		if got.err != nil {
			return got.err
		}
		recycle(free, got.rows) // emit copied the rows, and with o.Transient their deltas
	}
	return nil
}

// partsHelper computes partsTwoWay's odd chunks and sends them on odd,
// until the last, an error or panic, or stop.
func (m *model) partsHelper(r *Result, o PartOptions, chunks int, odd chan<- chunkRows, free chan *rowBatch, stop, done chan struct{}) {
	defer close(done)
	n := len(m.in.BOM.Lines)
	pc := newPartCalc(m, o)
	for c := 1; c < chunks; c += 2 {
		select {
		case <-stop:
			return
		default:
		}
		out := chunkRows{rows: reused(free, partChunk)}
		func() {
			defer func() {
				if p := recover(); p != nil {
					out.panic = gopanic.Capture(p)
				}
			}()
			out.err = m.partRange(r, o, pc, c*partChunk, min((c+1)*partChunk, n), func(row PartRow) error {
				out.rows.add(&row, o.Transient)
				return nil
			})
		}()
		select {
		case odd <- out:
		case <-stop:
			return
		}
		if out.err != nil || out.panic != nil {
			return
		}
	}
}
