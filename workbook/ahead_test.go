package workbook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rexpo/internal/genbom"
)

// dumpRows reads every sheet of the book at path into text, rows read
// ahead or not, ending each sheet in its error if any.
func dumpRows(t *testing.T, path string, ahead bool) string {
	t.Helper()
	defer func(was int64) { aheadBytes = was }(aheadBytes)
	if ahead {
		aheadBytes = 0
	} else {
		aheadBytes = 1 << 62
	}
	b, err := openPath(path, Limits{})
	if err != nil {
		return err.Error()
	}
	defer b.Close()
	var out strings.Builder
	for _, s := range b.Sheets() {
		rr, err := b.Rows(s)
		if err != nil {
			fmt.Fprintln(&out, err)
			continue
		}
		if _, isAhead := rr.src.(*aheadRows); isAhead != ahead {
			t.Fatalf("sheet %s read ahead %v, want %v", s, isAhead, ahead)
		}
		fmt.Fprintln(&out, s)
		for rr.Next() {
			fmt.Fprintf(&out, "%d: %+v\n", rr.Row().Num, rr.Row().Cells)
			if rr.Row().Num == 1 { // a sheet's hint is known once its rows begin
				fmt.Fprintf(&out, "about %d rows\n", rr.RowsHint())
			}
		}
		fmt.Fprintln(&out, rr.Err())
		rr.Close()
	}
	return out.String()
}

// TestReadAheadSame: rows read ahead are the rows, hints and errors read
// as asked, for workbooks and CSV, whole or broken.
func TestReadAheadSame(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var gen, csv bytes.Buffer
	if err := genbom.WriteXLSX(&gen, 2000, 3); err != nil {
		t.Fatal(err)
	}
	if err := genbom.WriteCSV(&csv, 2000, 3); err != nil {
		t.Fatal(err)
	}
	// Rows of changing width: a batch's room is outgrown by some rows
	// and fits others (produce reads rows straight into it).
	var ragged strings.Builder
	for i := range 3000 {
		w := 1 + (i*37)%120
		if i%500 < 3 {
			w = 700
		}
		if i%250 == 7 { // grows past the room, then trimmed to fit it
			fmt.Fprintf(&ragged, "r%d%s\n", i, strings.Repeat(",", 2000))
			continue
		}
		for c := range w {
			if c > 0 {
				ragged.WriteByte(',')
			}
			if (c+i)%3 != 0 {
				fmt.Fprintf(&ragged, "r%dc%d", i, c)
			}
		}
		ragged.WriteByte('\n')
	}
	paths := []string{
		write("gen.xlsx", gen.Bytes()),
		write("ragged.csv", []byte(ragged.String())),
		write("gen.csv", csv.Bytes()),
		write("broken.csv", append(append([]byte{}, csv.Bytes()[:csv.Len()/2]...), "\n\"open quote,1\n"...)),
		write("late-error.xlsx", xlsxTestBook(t, strings.Repeat(`<row><c><v>1</v></c></row>`, 1500)+`<row><c t="q"><v>1</v></c></row>`)),
		write("bad-xml.xlsx", xlsxTestBook(t, strings.Repeat(`<row><c><v>1</v></c></row>`, 700)+`<row><c>`)),
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			ahead, asked := dumpRows(t, p, true), dumpRows(t, p, false)
			if ahead != asked {
				t.Errorf("read ahead:\n%.2000s\nas asked:\n%.2000s", ahead, asked)
			}
			if strings.Count(ahead, "\n") < 700 {
				t.Errorf("only %d lines read", strings.Count(ahead, "\n"))
			}
		})
	}
}

// TestReadAheadStops: closing a reader in the middle of a sheet, or its
// book's context ending, stops the goroutine reading ahead.
func TestReadAheadStops(t *testing.T) {
	defer func(was int64) { aheadBytes = was }(aheadBytes)
	aheadBytes = 0
	data := xlsxTestBook(t, strings.Repeat(`<row><c><v>1</v></c></row>`, 100000))
	path := filepath.Join(t.TempDir(), "in.xlsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, err := openPath(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	b.SetContext(ctx)
	defer b.Close()
	for _, stop := range []string{"close", "cancel"} {
		rr, err := b.Rows("BOM")
		if err != nil {
			t.Fatal(err)
		}
		a := rr.src.(*aheadRows)
		for i := 0; i < 5000 && rr.Next(); i++ {
		}
		if stop == "cancel" {
			cancel()
			for rr.Next() {
			}
			if !errors.Is(rr.Err(), context.Canceled) {
				t.Errorf("after cancel: %v, want context.Canceled", rr.Err())
			}
		}
		rr.Close()
		select {
		case <-a.done:
		default:
			t.Errorf("%s: the goroutine reading ahead still runs", stop)
		}
	}
}

// panicSource panics at its row 600.
type panicSource struct{ n int }

func (p *panicSource) next(row *Row) error {
	if p.n++; p.n == 600 {
		var cells []Cell
		_ = cells[p.n] // a bug
	}
	row.Num, row.Cells = p.n, row.Cells[:0]
	return nil
}

func (p *panicSource) close() error { return nil }

// TestReadAheadPanic: a panic while reading ahead is raised again in the
// caller's goroutine, where the command's recover turns it into a
// message, naming where it happened.
func TestReadAheadPanic(t *testing.T) {
	rr := &RowReader{src: readAhead(&panicSource{}, 1<<40)}
	defer rr.Close()
	defer func() {
		p := recover()
		if p == nil || !strings.Contains(fmt.Sprint(p), "index out of range") || !strings.Contains(fmt.Sprint(p), "panicSource") {
			t.Errorf("recovered %v, want the index panic and its place", p)
		}
	}()
	for rr.Next() {
	}
	t.Error("no panic")
}
