package inputs

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rexpo/internal/genbom"
	"rexpo/workbook"
)

func TestOpenPath(t *testing.T) {
	dir := t.TempDir()
	var wb bytes.Buffer
	if err := genbom.WriteXLSX(&wb, 20, 1); err != nil {
		t.Fatal(err)
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...) // the OLE signature
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
		{"old.xls", ole, workbook.ErrEncrypted, ""},
		{"locked.xlsx", ole, workbook.ErrEncrypted, ""},
		{"notes.txt", []byte("hello"), workbook.ErrNotWorkbook, ""},
		{"fake.xlsx", []byte("part,qty\n"), workbook.ErrNotWorkbook, ""},
		{"bom.csv", []byte("a,b\n"), nil, "BOM"},
		{"workbook.csv", wb.Bytes(), nil, "BOM,Products,FX"}, // the bytes decide before the name
		{"empty.xlsx", nil, workbook.ErrNotWorkbook, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := write(tc.name, tc.data)
			b, err := OpenPath(context.Background(), p, workbook.DefaultLimits())
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
	if _, err := OpenPath(context.Background(), filepath.Join(dir, "missing.xlsx"), workbook.DefaultLimits()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// TestOpenUpload: an upload is opened from memory as a file of the command
// line is, by its bytes and then its name, and has no folder for relative
// paths in its Settings.
func TestOpenUpload(t *testing.T) {
	var wb bytes.Buffer
	if err := genbom.WriteXLSX(&wb, 20, 1); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		want   error
		sheets string
	}{
		{"bom.xlsx", wb.Bytes(), nil, "BOM,Products,FX"},
		{"Export (3).csv", wb.Bytes(), nil, "BOM,Products,FX"},
		{"bom.csv", []byte("product,part_number,qty_per\nP1,A,1\n"), nil, "BOM"},
		{"page.html", []byte("<html>"), workbook.ErrNotWorkbook, ""},
	} {
		b, err := Open(tc.name, bytes.NewReader(tc.data), int64(len(tc.data)), workbook.Limits{})
		if tc.want != nil {
			if !errors.Is(err, tc.want) || !strings.HasPrefix(err.Error(), tc.name+": ") {
				t.Errorf("Open(%s): %v, want %v naming the file", tc.name, err, tc.want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Open(%s): %v", tc.name, err)
		}
		if got := strings.Join(b.Sheets(), ","); got != tc.sheets || b.Name() != tc.name {
			t.Errorf("Open(%s): sheets %s, name %q; want %s", tc.name, got, b.Name(), tc.sheets)
		}
		if _, _, _, err := b.Folder(); !errors.Is(err, workbook.ErrNoFolder) {
			t.Errorf("Open(%s): Folder() = %v, want ErrNoFolder", tc.name, err)
		}
		b.Close()
	}
}
