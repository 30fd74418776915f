package workbook

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rexpo/internal/genbom"
)

func TestOpenBookByExtension(t *testing.T) {
	dir := t.TempDir()
	var wb bytes.Buffer
	if err := genbom.WriteXLSX(&wb, 20, 1); err != nil {
		t.Fatal(err)
	}
	ole := append(append([]byte{}, oleMagic...), make([]byte, 512)...)
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name   string
		data   []byte
		want   error  // nil: opens
		sheets string // when it opens
	}{
		{"bom.xlsx", wb.Bytes(), nil, "BOM,Products,FX"},
		{"BOM.XLSM", wb.Bytes(), nil, "BOM,Products,FX"},
		{"no-extension", wb.Bytes(), nil, "BOM,Products,FX"},
		{"old.xls", ole, ErrEncrypted, ""},
		{"locked.xlsx", ole, ErrEncrypted, ""},
		{"notes.txt", []byte("hello"), ErrNotWorkbook, ""},
		{"fake.xlsx", []byte("part,qty\n"), ErrNotWorkbook, ""},
		{"bom.csv", []byte("a,b\n"), nil, "BOM"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := write(tc.name, tc.data)
			b, err := OpenBook(p, DefaultLimits())
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				if !strings.HasPrefix(err.Error(), p+": ") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if got := strings.Join(b.Sheets(), ","); got != tc.sheets {
				t.Errorf("Sheets() = %s, want %s", got, tc.sheets)
			}
			if b.Name() != p {
				t.Errorf("Name() = %q, want %q", b.Name(), p)
			}
		})
	}
	if _, err := OpenBook(filepath.Join(dir, "missing.xlsx"), DefaultLimits()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
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
