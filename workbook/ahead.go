package workbook

import (
	"fmt"
	"path"
	"runtime"
	"strings"
)

// Reading a large sheet ahead of its caller. Inflating and tokenizing a
// sheet's XML (or parsing CSV) is half the cost of reading a BOM; the
// caller turning rows into lines is the other half. A large sheet's rows
// are therefore read on a goroutine of their own, a batch of rows at a
// time, while the caller works on the batch before: on two cores,
// reading a million-line sheet takes little more than the slower half.

// aheadBytes is the size of sheet (its XML or CSV text) from which rows
// are read ahead; a smaller one is read as the caller asks. Tests lower
// it.
var aheadBytes int64 = 4 << 20

const (
	// aheadBatch is the rows of one batch, and aheadBatches how many
	// batches exist: one with the caller, the others being filled or
	// waiting for it.
	aheadBatch   = 512
	aheadBatches = 4
)

// rowBatch is rows read ahead, their cells in one slice.
type rowBatch struct {
	panic any // a panic of the source's, raised again in the caller's goroutine
	rows  []Row
	cells []Cell
	ends  []int // where each row's cells end in cells
	hint  int   // the source's row count hint once these rows were read
	err   error // the error that ended the source after these rows, io.EOF at the end
}

// aheadRows is a rowSource that reads its source's rows on a goroutine.
type aheadRows struct {
	src        rowSource
	full, free chan *rowBatch
	stop, done chan struct{}
	cur        *rowBatch // the batch the caller reads, nil before the first
	i          int       // the next row of cur
}

// readAhead returns src read ahead on a goroutine when size (the bytes of
// its sheet) is worth it and a second core can do it; src otherwise.
func readAhead(src rowSource, size int64) rowSource {
	if size < aheadBytes || runtime.GOMAXPROCS(0) < 2 {
		return src
	}
	a := &aheadRows{src: src, full: make(chan *rowBatch, aheadBatches), free: make(chan *rowBatch, aheadBatches),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range aheadBatches {
		a.free <- &rowBatch{}
	}
	go a.produce()
	return a
}

// produce fills batches until the source ends or the reader is closed.
func (a *aheadRows) produce() {
	defer close(a.done)
	var row Row
	defer func() {
		// A bug in a reader must reach the caller as a panic it can
		// recover, not end the program from this goroutine.
		if p := recover(); p != nil {
			select {
			case a.full <- &rowBatch{panic: fmt.Sprintf("%v (reading ahead, at %s)", p, panicPlace())}:
			case <-a.stop:
			}
		}
	}()
	for {
		var b *rowBatch
		select {
		case b = <-a.free:
		case <-a.stop:
			return
		}
		b.rows, b.cells, b.ends, b.err = b.rows[:0], b.cells[:0], b.ends[:0], nil
		for len(b.rows) < aheadBatch && b.err == nil {
			// The source reads the row's cells straight into the batch's
			// room (sources fill row.Cells[:0]), which then need no copy:
			// a million rows of twenty cells were copied once each.
			at := len(b.cells)
			row.Cells = b.cells[at:]
			if b.err = a.src.next(&row); b.err == nil {
				b.rows = append(b.rows, Row{Num: row.Num})
				if n := len(row.Cells); n > 0 && at+n <= cap(b.cells) && &row.Cells[0] == &b.cells[:at+1][at] {
					b.cells = b.cells[:at+n]
				} else {
					b.cells = append(b.cells, row.Cells...) // the row outgrew the room
				}
				b.ends = append(b.ends, len(b.cells))
			}
		}
		// The rows' cells are cut once the batch's cells have stopped
		// growing, and moving.
		start := 0
		for i, end := range b.ends {
			b.rows[i].Cells = b.cells[start:end:end]
			start = end
		}
		if c, ok := a.src.(rowCounter); ok {
			b.hint = c.rowsHint()
		}
		select {
		case a.full <- b:
		case <-a.stop:
			return
		}
		if b.err != nil {
			return
		}
	}
}

func (a *aheadRows) next(row *Row) error {
	for a.cur == nil || a.i == len(a.cur.rows) {
		if a.cur != nil {
			if a.cur.panic != nil {
				panic(a.cur.panic)
			}
			if a.cur.err != nil {
				return a.cur.err
			}
			a.free <- a.cur // never blocks: there are aheadBatches batches
		}
		a.cur, a.i = <-a.full, 0
	}
	*row = a.cur.rows[a.i]
	a.i++
	return nil
}

// rowsHint is the source's hint as of the batch last handed out, waiting
// for the first: the source may change its hint as it reads (a sheet's
// <dimension> comes before its rows).
func (a *aheadRows) rowsHint() int {
	if a.cur == nil {
		a.cur, a.i = <-a.full, 0
	}
	return a.cur.hint
}

// panicPlace names the function and line that panicked: the first frame
// outside the runtime of the goroutine recovering.
func panicPlace() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf("%s, %s:%d", f.Function, path.Base(f.File), f.Line)
		}
		if !more {
			return "unknown place"
		}
	}
}

// close stops the goroutine, waits for it and closes the source.
func (a *aheadRows) close() error {
	close(a.stop)
	<-a.done
	return a.src.close()
}
