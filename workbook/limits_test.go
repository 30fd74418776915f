package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The red-team findings of issue 12 against the readers: each case read
// before its fix (and cost memory or time the input did not warrant).

func TestXLSXSharedStringsBomb(t *testing.T) {
	// 200,000 empty entries for a sheet of one cell: a few bytes compressed,
	// refused as more than the sheet can use.
	bomb := xlsxTestBook(t, `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
		"xl/sharedStrings.xml", `<sst>`+strings.Repeat(`<si/>`, 200000)+`</sst>`)
	err := xlsxTestReadAll(bomb, DefaultLimits())
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "shared strings") {
		t.Fatalf("error %v, want ErrTooLarge about the shared strings", err)
	}

	// A table the sheet does use, one string per cell, reads whole.
	const n = 100000
	var sheet, sst strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>`, i+1, i+1, n-1-i)
		fmt.Fprintf(&sst, `<si><t>s%d</t></si>`, i)
	}
	good := xlsxTestBook(t, sheet.String(), "xl/sharedStrings.xml", `<sst uniqueCount="100000">`+sst.String()+`</sst>`)
	cells, _ := xlsxTestRead(t, good, "BOM")
	if len(cells) != n || cells["A1"].Text != fmt.Sprintf("s%d", n-1) || cells[fmt.Sprintf("A%d", n)].Text != "s0" {
		t.Errorf("read %d cells, A1 %q, want %d cells, A1 %q", len(cells), cells["A1"].Text, n, fmt.Sprintf("s%d", n-1))
	}
}

func TestXLSXRowNumbersIncrease(t *testing.T) {
	for _, tc := range []struct{ name, rows, msg string }{
		{"repeated", `<row r="3"><c r="A3"><v>1</v></c></row><row r="3"><c r="A3"><v>1</v></c></row>`, "row 3 comes after row 3"},
		{"decreasing", `<row r="5"/><row r="4"/>`, "row 4 comes after row 5"},
		{"numbered after unnumbered", `<row/><row/><row r="2"/>`, "row 2 comes after row 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := xlsxTestReadAll(xlsxTestBook(t, tc.rows), DefaultLimits())
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %v, want ErrDamaged saying %q", err, tc.msg)
			}
		})
	}
	if err := xlsxTestReadAll(xlsxTestBook(t, `<row r="1"/><row/><row r="7"/><row/>`), DefaultLimits()); err != nil {
		t.Errorf("increasing rows, some unnumbered: %v", err)
	}
}

func TestXLSXDuplicateEntries(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range [][2]string{
		{"xl/xml", xlsxTestWorkbook},
		{"xl/_rels/xml.rels", xlsxTestRels},
		{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>`},
		{"xl/worksheets/Sheet1.xml", `<worksheet><sheetData><row><c><v>2</v></c></row></sheetData></worksheet>`},
	} {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[1]))
	}
	zw.Close()
	err := xlsxTestReadAll(buf.Bytes(), DefaultLimits())
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "two entries") {
		t.Fatalf("error %v, want ErrDamaged naming the two entries", err)
	}
}

func TestCSVLineCap(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bom.csv")
	if err := os.WriteFile(p, []byte("qty\n"+strings.Repeat("1\n", maxRows)), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := openPath(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rr, err := b.Rows("BOM")
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	n := 0
	for rr.Next() {
		n++
	}
	if err := rr.Err(); !errors.Is(err, ErrTooLarge) || n != maxRows {
		t.Fatalf("after %d rows: error %v, want ErrTooLarge after %d", n, err, maxRows)
	}
}
