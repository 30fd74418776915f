package inputs

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"rexpo/internal/benchenv"
	"rexpo/internal/genbom"
	"rexpo/workbook"
)

// BenchmarkReadBOM compares reading a generated BOM into domain values
// (Read: parsing, validation, tree) with encoding/csv alone reading the
// same CSV file, and reads the same BOM as a workbook (read-xlsx). The
// read benchmarks report resident-MB, the heap the Loaded input holds
// once read (after a collection): what stays in memory for the
// computation. REXPO_BENCH_LINES sets the sizes (default 10000,100000).
func BenchmarkReadBOM(b *testing.B) {
	for _, n := range benchenv.Lines(b, "10000,100000") {
		// The files are kept between runs, as BenchmarkReport keeps its.
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("rexpo-read-bench-%d", n))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		write := func(name string, fn func(io.Writer) error) {
			path := filepath.Join(dir, name)
			if _, err := os.Stat(path); err == nil {
				return
			}
			f, err := os.Create(path + ".tmp")
			if err != nil {
				b.Fatal(err)
			}
			if err := fn(f); err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			if err := os.Rename(path+".tmp", path); err != nil {
				b.Fatal(err)
			}
		}
		write("bom.csv", func(w io.Writer) error { return genbom.WriteCSV(w, n, 1) })
		write("products.csv", func(w io.Writer) error {
			_, err := io.WriteString(w, genbom.ProductsCSV(n, 1))
			return err
		})
		write("fx.csv", func(w io.Writer) error {
			_, err := io.WriteString(w, "currency,rate\nEUR,1.08\nCNY,0.14\nJPY,0.0067\n")
			return err
		})
		b.Run(fmt.Sprintf("lines=%d/encoding-csv", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f, _ := os.Open(filepath.Join(dir, "bom.csv"))
				r := csv.NewReader(f)
				rows := 0
				for {
					if _, err := r.Read(); err != nil {
						break
					}
					rows++
				}
				f.Close()
				if rows != n+1 {
					b.Fatalf("%d rows", rows)
				}
			}
		})
		b.Run(fmt.Sprintf("lines=%d/read", n), func(b *testing.B) { benchRead(b, dir, n) })
		b.Run(fmt.Sprintf("lines=%d/read-xlsx", n), func(b *testing.B) {
			write("bom.xlsx", func(w io.Writer) error { return genbom.WriteXLSX(w, n, 1) })
			benchRead(b, filepath.Join(dir, "bom.xlsx"), n)
		})
	}
}

// benchRead reads the BOM at path (a folder of CSV files or a workbook)
// and reports the heap its Loaded holds (resident-MB) and the most heap
// the read held, garbage included (peak-heap-MB, sampled every
// millisecond; the heap before the read is not counted).
func benchRead(b *testing.B, path string, n int) {
	b.ReportAllocs()
	var resident, peak uint64
	for b.Loop() {
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var top uint64
		stop := benchenv.SampleHeap(&top)
		bk, err := OpenPath(context.Background(), path, workbook.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		ld, err := Read(bk, Options{})
		if err != nil {
			b.Fatal(err)
		}
		bk.Close()
		stop()
		if len(ld.Input.BOM.Lines) != n {
			b.Fatalf("%d lines", len(ld.Input.BOM.Lines))
		}
		b.StopTimer()
		peak = max(peak, top-min(before.HeapInuse, top))
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		resident = max(resident, after.HeapInuse-min(before.HeapInuse, after.HeapInuse))
		runtime.KeepAlive(ld)
		b.StartTimer()
	}
	b.ReportMetric(float64(resident)/(1<<20), "resident-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
