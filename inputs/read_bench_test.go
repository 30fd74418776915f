package inputs

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"rexpo/internal/genbom"
	"rexpo/workbook"
)

// BenchmarkReadBOM compares reading a generated BOM into domain values
// (Read: parsing, validation, tree) with encoding/csv alone reading the
// same CSV file.
func BenchmarkReadBOM(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		dir := b.TempDir()
		write := func(name string, fn func(io.Writer) error) {
			f, err := os.Create(filepath.Join(dir, name))
			if err != nil {
				b.Fatal(err)
			}
			if err := fn(f); err != nil {
				b.Fatal(err)
			}
			f.Close()
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
		b.Run(fmt.Sprintf("lines=%d/read", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bk, err := OpenPath(context.Background(), dir, workbook.DefaultLimits())
				if err != nil {
					b.Fatal(err)
				}
				ld, err := Read(bk, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(ld.Input.BOM.Lines) != n {
					b.Fatalf("%d lines", len(ld.Input.BOM.Lines))
				}
				bk.Close()
			}
		})
	}
}
