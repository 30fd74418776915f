package reports

import (
	"errors"
	"os"
	"testing"

	"rexpo/exposure"
)

// TestWorkbookCrashLeavesNoTempFiles: a Parts sheet over 16 MiB is spilled
// to a temporary file while the workbook is written. Whatever stops the
// writing, an error or a panic, the file is gone when WriteWorkbook
// returns (issue 12: a crash during rendering left another user's Parts
// sheet in /tmp).
func TestWorkbookCrashLeavesNoTempFiles(t *testing.T) {
	fx := newFixture()
	const rows = 60000 // well over 16 MiB of sheet XML
	big := bigParts(fx, rows)
	errStop := errors.New("stop")
	for _, tc := range []struct {
		name  string
		crash func()
	}{
		{"panic", func() { panic("rendering crashed") }},
		{"error", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			m := fx.m
			m.TempDir = dir
			calls, spilled := 0, false
			parts := func(o exposure.PartOptions, fn func(exposure.PartRow) error) error {
				calls++
				n := 0
				return big(o, func(pr exposure.PartRow) error {
					if err := fn(pr); err != nil {
						return err
					}
					if n++; calls > 1 && n == rows-1 { // the last pass, the sheet spilled
						entries, _ := os.ReadDir(dir)
						spilled = len(entries) > 0
						if tc.crash != nil {
							tc.crash()
						}
						return errStop
					}
					return nil
				})
			}
			func() {
				defer func() { recover() }()
				var w countingWriter
				writeWorkbook(&w, fx.r, m, parts)
			}()
			if !spilled {
				t.Fatalf("no temporary file while writing %d part rows: the test does not test", rows)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("left behind: %s", entries[0].Name())
			}
		})
	}
}
