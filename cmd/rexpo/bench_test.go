package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"rexpo/internal/benchenv"
	"rexpo/internal/genbom"
	"rexpo/workbook"
)

// generated writes (once per process) a benchmark BOM of n lines as an
// Excel-style workbook and as a folder of CSV files.
func generated(b *testing.B, n int) (xlsx, csvDir string) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("rexpo-bench-%d", n))
	xlsx, csvDir = filepath.Join(dir, "bom.xlsx"), filepath.Join(dir, "csv")
	if _, err := os.Stat(filepath.Join(csvDir, "fx.csv")); err == nil {
		return xlsx, csvDir
	}
	if err := os.MkdirAll(csvDir, 0o755); err != nil {
		b.Fatal(err)
	}
	write := func(path string, fn func(io.Writer) error) {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := fn(f); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	write(xlsx, func(w io.Writer) error { return genbom.WriteXLSX(w, n, 1) })
	write(filepath.Join(csvDir, "bom.csv"), func(w io.Writer) error { return genbom.WriteCSV(w, n, 1) })
	// The CSV folder's other sheets, read back from the workbook.
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range []string{"Products", "FX"} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			b.Fatal(err)
		}
		write(filepath.Join(csvDir, strings.ToLower(sheet)+".csv"), func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.WriteAll(rows)
			return cw.Error()
		})
	}
	return xlsx, csvDir
}

// BenchmarkReport measures the whole `rexpo report` (read, compute, write
// the workbook) against the time excelize alone needs to iterate the same
// BOM sheet, and reading CSV input (rexpo-csv-read: open, hash, parse,
// check and build the BOM tree, what `report` does before computing)
// against encoding/csv reading the same file, in one run so that the
// ratios compare like with like:
//
//	REXPO_BENCH_LINES=100000,1048575 go test -run '^$' -bench Report -benchtime 1x ./cmd/rexpo
func BenchmarkReport(b *testing.B) {
	for _, n := range benchenv.Lines(b, "100000") {
		xlsx, csvDir := generated(b, n)
		out := filepath.Join(b.TempDir(), "report.xlsx")
		b.Run(fmt.Sprintf("lines=%d/excelize-rows", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := excelizeRows(b, xlsx); got != n+1 {
					b.Fatalf("excelize read %d rows, want %d", got, n+1)
				}
			}
		})
		b.Run(fmt.Sprintf("lines=%d/rexpo-xlsx", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchRun(b, xlsx, out)
			}
		})
		b.Run(fmt.Sprintf("lines=%d/encoding-csv", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := csvRows(b, filepath.Join(csvDir, "bom.csv")); got != n+1 {
					b.Fatalf("encoding/csv read %d rows, want %d", got, n+1)
				}
			}
		})
		b.Run(fmt.Sprintf("lines=%d/rexpo-csv-read", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := benchRead(b, csvDir); got != n {
					b.Fatalf("read %d lines, want %d", got, n)
				}
			}
		})
		b.Run(fmt.Sprintf("lines=%d/rexpo-csv", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchRun(b, csvDir, out)
			}
		})
	}
}

// benchRun runs `rexpo report` in-process and checks it wrote a workbook.
func benchRun(b *testing.B, input, out string) {
	app := newApp()
	app.Writer, app.ErrWriter = io.Discard, io.Discard
	os.Remove(out)
	if err := app.Run(normalizeArgs(app, []string{"rexpo", "report", input, "-o", out, "--as-of", "2026-11-26"})); err != nil {
		b.Fatalf("report %s: %v", input, err)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		b.Fatalf("no workbook written: %v", err)
	}
}

// benchRead runs the input stage of `rexpo report` on input and returns
// the number of BOM lines read.
func benchRead(b *testing.B, input string) int {
	o := runOptions{input: input, limits: workbook.DefaultLimits(), now: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)}
	book, _, sumOf, err := openInput(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	defer book.Close()
	ld, err := readBook(context.Background(), o, book)
	if err != nil {
		b.Fatalf("read %s: %v", input, err)
	}
	if _, err := sumOf(); err != nil { // the hash, beside the read
		b.Fatal(err)
	}
	return len(ld.Input.BOM.Lines)
}

// BenchmarkZipBomb runs `rexpo report` on a zip bomb (genbom -bomb): a
// 4.9 MB workbook whose BOM sheet repeats one valid line 1,048,600
// times, 441 MB of XML, past the last row a sheet has. It must be
// refused as too large; peak-heap-MB is the most heap the run held
// (sampled every millisecond), which the whole process's peak resident
// memory (/usr/bin/time) exceeds by the runtime's own few megabytes.
//
//	go test -run '^$' -bench ZipBomb -benchtime 3x ./cmd/rexpo
func BenchmarkZipBomb(b *testing.B) {
	path := filepath.Join(os.TempDir(), "rexpo-bench-bomb.xlsx")
	if _, err := os.Stat(path); err != nil {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := genbom.WriteBombXLSX(f, 1048600); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	out := filepath.Join(b.TempDir(), "report.xlsx")
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		stop := benchenv.SampleHeap(&peak)
		app := newApp()
		app.Writer, app.ErrWriter = io.Discard, io.Discard
		err := app.Run(normalizeArgs(app, []string{"rexpo", "report", path, "-o", out, "--as-of", "2026-11-26"}))
		stop()
		if !errors.Is(err, workbook.ErrTooLarge) {
			b.Fatalf("report of the bomb: %v, want it refused as too large", err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

func excelizeRows(b *testing.B, path string) int {
	f, err := excelize.OpenFile(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows("BOM")
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for rows.Next() {
		if _, err := rows.Columns(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

func csvRows(b *testing.B, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	n := 0
	for {
		if _, err := r.Read(); err == io.EOF {
			return n
		} else if err != nil {
			b.Fatal(err)
		}
		n++
	}
}
