package workbook

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"rexpo/internal/genbom"
)

// benchLines is the size of the generated BOM the read benchmarks read.
const benchLines = 100000

func BenchmarkReadXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bom.xlsx")
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := genbom.WriteXLSX(out, benchLines, 1); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	b.Run("reader=rexpo", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			book, err := openPath(path, DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			rr, err := book.Rows("BOM")
			if err != nil {
				b.Fatal(err)
			}
			rows, cells := 0, 0
			for rr.Next() {
				rows++
				cells += len(rr.Row().Cells)
			}
			if err := rr.Err(); err != nil {
				b.Fatal(err)
			}
			rr.Close()
			book.Close()
			if rows != benchLines+1 || cells < benchLines*5 {
				b.Fatalf("read %d rows, %d cells", rows, cells)
			}
		}
	})
	b.Run("reader=excelize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := excelize.OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			rows, err := f.Rows("BOM")
			if err != nil {
				b.Fatal(err)
			}
			n, cells := 0, 0
			for rows.Next() {
				cols, err := rows.Columns()
				if err != nil {
					b.Fatal(err)
				}
				n++
				cells += len(cols)
			}
			rows.Close()
			f.Close()
			if n != benchLines+1 || cells < benchLines*5 {
				b.Fatalf("read %d rows, %d cells", n, cells)
			}
		}
	})
}

func BenchmarkReadCSV(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bom.csv")
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := genbom.WriteCSV(out, benchLines, 1); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	b.Run("reader=rexpo", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			book, err := openPath(path, DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			rr, err := book.Rows("BOM")
			if err != nil {
				b.Fatal(err)
			}
			rows := 0
			for rr.Next() {
				rows++
			}
			if err := rr.Err(); err != nil {
				b.Fatal(err)
			}
			rr.Close()
			book.Close()
			if rows != benchLines+1 {
				b.Fatalf("read %d rows", rows)
			}
		}
	})
	b.Run("reader=encoding/csv", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			cr := csv.NewReader(f)
			cr.FieldsPerRecord = -1
			cr.ReuseRecord = true
			rows := 0
			for {
				_, err := cr.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				rows++
			}
			f.Close()
			if rows != benchLines+1 {
				b.Fatalf("read %d rows", rows)
			}
		}
	})
}
