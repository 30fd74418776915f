package workbook

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rexpo/internal/genbom"
)

// openPath opens a test file as the command line would (inputs.OpenPath,
// which this package cannot import): a folder with OpenFolder, a .csv file
// with OpenCSV, any other file with OpenXLSX. Close closes the file.
func openPath(path string, lim Limits) (*Book, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return OpenFolder(context.Background(), path, lim)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	open := OpenXLSX
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		open = OpenCSV
	}
	b, err := open(f, st.Size(), path, lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	b.InFile(f)
	return b, nil
}

func TestBookRowsAndClose(t *testing.T) {
	var wb bytes.Buffer
	if err := genbom.WriteXLSX(&wb, 3, 1); err != nil {
		t.Fatal(err)
	}
	b, err := OpenXLSX(bytes.NewReader(wb.Bytes()), int64(wb.Len()), "g.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rows("bom"); err == nil || !strings.Contains(err.Error(), `no sheet "bom"`) {
		t.Errorf("Rows(bom): %v (names match exactly)", err)
	}
	rr, err := b.Rows("Products")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rr.Next() {
		n++
	}
	if rr.Next() || rr.Err() != nil {
		t.Errorf("Next after the end = true or Err = %v", rr.Err())
	}
	if err := rr.Close(); err != nil {
		t.Error(err)
	}
	if err := rr.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if n < 2 {
		t.Errorf("Products has %d rows", n)
	}
	b.Close()
	if _, err := b.Rows("BOM"); err == nil {
		t.Error("Rows after Close gave no error")
	}
}

func TestSheetNames(t *testing.T) {
	for col, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := colName(col); got != want {
			t.Errorf("sheetColName(%d) = %s, want %s", col, got, want)
		}
		if got, ok := parseRef(want + "1"); !ok || got != col {
			t.Errorf("xlsxParseRef(%s1) = %d, %v", want, got, ok)
		}
	}
	if got := cellName(2, 12); got != "C12" {
		t.Errorf("sheetCellName(2, 12) = %s", got)
	}
	if l := (Limits{}).withDefaults(); l != DefaultLimits() {
		t.Errorf("zero Limits = %+v, want the defaults", l)
	}
	if CellNumber.String() != "number" || CellKind(99).String() != "CellKind(99)" {
		t.Error("CellKind.String")
	}
}
