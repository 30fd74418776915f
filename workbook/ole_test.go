package workbook

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestOLEFilesToldApart checks that an encrypted .xlsx and an old .xls,
// both OLE compound files, get messages that say which one they are
// (SPEC section 11): the encrypted one holds an EncryptionInfo stream.
func TestOLEFilesToldApart(t *testing.T) {
	// An encrypted workbook, as Excel writes one with a password.
	f := excelize.NewFile()
	if err := f.SetCellStr("Sheet1", "A1", "part_number"); err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	if err := f.Write(&enc, excelize.Options{Password: "secret"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// An Excel 97-2003 workbook, saved by LibreOffice.
	xls, err := os.ReadFile(filepath.Join("testdata", "ole", "old-format.xls"))
	if err != nil {
		t.Fatal(err)
	}
	unreadable := append(append([]byte{}, oleMagic...), make([]byte, 600)...)
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		data     []byte
		want     error
		says     string
		mustNot  string
		fileName string
	}{
		{"encrypted", enc.Bytes(), ErrEncrypted, "encrypted with a password", "97-2003", "locked.xlsx"},
		{"old xls", xls, ErrNotWorkbook, "old Excel 97-2003 .xls workbook", "password", "old.xls"},
		{"old xls named .xlsx", xls, ErrNotWorkbook, "old Excel 97-2003 .xls workbook", "password", "renamed.xlsx"},
		{"unreadable OLE", unreadable, ErrEncrypted, "save it as .xlsx without a password", "", "odd.xlsx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.fileName)
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := openPath(p, DefaultLimits())
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) || tc.mustNot != "" && strings.Contains(err.Error(), tc.mustNot) {
				t.Errorf("message %q: want %q in it and not %q", err, tc.says, tc.mustNot)
			}
		})
	}
}

// FuzzOLEKind: any bytes after the OLE signature end in a kind, without a
// panic or an endless walk.
func FuzzOLEKind(f *testing.F) {
	if xls, err := os.ReadFile(filepath.Join("testdata", "ole", "old-format.xls")); err == nil {
		f.Add(xls)
	}
	f.Add(append(append([]byte{}, oleMagic...), make([]byte, 600)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		oleKind(bytes.NewReader(data), int64(len(data)))
	})
}
