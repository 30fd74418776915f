package genbom

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
)

// WriteCSV writes the BOM sheet of the same lines and seed as WriteXLSX as
// CSV: a header row, then one record per line. Element shares are written
// in percent (the workbook stores some as percent-formatted fractions).
func WriteCSV(w io.Writer, lines int, seed int64) error {
	if lines < 0 || lines > 1<<20-1 {
		return errLines(lines)
	}
	g := newGen(lines, seed)
	bw := bufio.NewWriterSize(w, 256<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	rec := make([]string, numCols)
	for g.next() {
		for i, v := range g.row {
			switch v.kind {
			case valEmpty:
				rec[i] = ""
			case valString:
				rec[i] = g.str(v.s)
			case valPercent:
				rec[i] = v.alt
			default:
				rec[i] = v.num
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func errLines(n int) error {
	return fmt.Errorf("genbom: %d lines: a sheet holds 0 to 1,048,575 lines below its header", n)
}
