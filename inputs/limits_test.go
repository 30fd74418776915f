package inputs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rexpo/workbook"
)

// The red-team findings of issue 12 against the input checks; those
// against the readers are in the workbook package.

func TestSettingsOutOfRange(t *testing.T) {
	for _, tc := range []struct {
		key   string
		value any
		words []string
	}{
		{"horizon", "1000000000", []string{"horizon", "12 to 120"}},
		{"horizon", "9223372036854775807", []string{"horizon", "12 to 120"}},
		{"horizon", 121, []string{"horizon", "12 to 120"}},
		{"draws", 1000001, []string{"draws", "1 to 1000000"}},
		{"start", "9999-12", []string{"start", "past 9999-12"}},
	} {
		t.Run(fmt.Sprint(tc.key, "=", tc.value), func(t *testing.T) {
			ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM(),
				"Settings": {{"key", "value"}, {tc.key, tc.value}}}, Options{})
			wantProblem(t, ie.Problems, "Settings", "B2", true, tc.words...)
		})
	}
	// A projection that ends in 9999-12 is fine.
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM(),
		"Settings": {{"key", "value"}, {"start", "9990-01"}, {"horizon", 120}}}, Options{})
	if s := l.Input.Settings; s.Horizon != 120 || s.Start.Year != 9990 {
		t.Errorf("settings %+v", s)
	}
}

func TestExplodedQuantityTooLarge(t *testing.T) {
	bom := [][]any{{"product", "part_number", "parent", "qty_per", "unit_cost"}}
	parent := ""
	for k := 0; k < 10; k++ {
		pn := fmt.Sprintf("A%d", k)
		bom = append(bom, []any{"P1", pn, parent, numText("1e39"), 10})
		parent = pn
	}
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	// 1e39 · 1e39 = 1e78 at the second line, row 3: named once there.
	wantProblem(t, ie.Problems, "BOM", "D3", true, "exploded quantity", "A1", "1e78", "beyond 1e40")
	if n := countErrors(ie.Problems); n != 1 {
		t.Errorf("%d errors, want 1:\n%s", n, listProblems(ie.Problems))
	}
}

func TestDateInNumberColumn(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"Products": {{"product", "name", "annual_volume"}, {"P1", "Product one", dateCell("2026-01-15")}},
		"BOM": {
			{"product", "part_number", "parent", "qty_per", "unit_cost", "material", "re_mass_kg"},
			{"P1", "A", "", dateCell("2026-01-15"), 10, "", ""},
			{"P1", "B", "A", 2, dateCell("2026-01-15"), "NDFEB_38UH_BULK", dateCell("2026-01-15")},
		},
	}, Options{})
	for _, at := range []struct{ sheet, cell string }{{"Products", "C2"}, {"BOM", "D2"}, {"BOM", "E3"}, {"BOM", "G3"}} {
		wantProblem(t, ie.Problems, at.sheet, at.cell, true, "date", "2026-01-15", "46037", "format it as a number")
	}
}

func TestDeclarationsSettingConfinedToFolder(t *testing.T) {
	// A link inside the input's folder that leads out of it is not
	// followed: here to a folder holding a declaration the BOM would use.
	outside := t.TempDir()
	copyFixture(t, "ipc1752a-classd-rotor-magnet.xml", filepath.Join(outside, "magnet.xml"))
	for _, setting := range []string{"out", "out/magnet.xml", "link.xml"} {
		t.Run(setting, func(t *testing.T) {
			path := mustWorkbook(t, map[string][][]any{
				"Products": oneProduct(),
				"BOM":      {{"product", "part_number", "qty_per"}, {"P1", "MAG-ROT-42SH", 1}},
				"Settings": {{"key", "value"}, {"declarations", setting}},
			})
			dir := filepath.Dir(path)
			if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
				t.Skip(err)
			}
			if err := os.Symlink(filepath.Join(outside, "magnet.xml"), filepath.Join(dir, "link.xml")); err != nil {
				t.Fatal(err)
			}
			ie := wantInputError(t, path, Options{})
			wantProblem(t, ie.Problems, "Settings", "B2", true, "declarations")
			for _, p := range ie.Problems {
				if strings.Contains(p.Sheet, "magnet") || strings.Contains(p.Message, outside) {
					t.Errorf("a file outside the folder was read: %s", p)
				}
			}
		})
	}
}

func TestDeclarationsFIFOSkipped(t *testing.T) {
	path := mustWorkbook(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM":      {{"product", "part_number", "qty_per"}, {"P1", "MAG-ROT-42SH", 1}},
		"Settings": {{"key", "value"}, {"declarations", "decl"}},
	})
	decl := filepath.Join(filepath.Dir(path), "decl")
	if err := os.Mkdir(decl, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFixture(t, "ipc1752a-classd-rotor-magnet.xml", filepath.Join(decl, "magnet.xml"))
	if err := mkfifo(filepath.Join(decl, "pipe.xml")); err != nil {
		t.Skip(err)
	}
	type result struct {
		l   *Loaded
		err error
	}
	done := make(chan result, 1)
	go func() {
		l, err := readPath(t, path, Options{})
		done <- result{l, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(time.Minute): // a bound on the test, not a timing assertion
		t.Fatal("reading a folder with a FIFO in it never ended")
	}
	if res.err != nil {
		t.Fatalf("Read: %v", res.err)
	}
	if src := lineOf(t, res.l, "P1", "MAG-ROT-42SH").ContentSource; src != "decl/magnet.xml" {
		t.Errorf("content source %q, want decl/magnet.xml", src)
	}
	wantProblem(t, res.l.Problems, "decl/pipe.xml", "", false, "not a regular file")
}

func TestReadStopsWithContext(t *testing.T) {
	path := mustWorkbook(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM()})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := OpenPath(ctx, path, workbook.Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("OpenPath after cancel: %v, want context.Canceled", err)
	}
	b, err := OpenPath(context.Background(), path, workbook.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := Read(b, Options{Now: readNow, Context: ctx}); !errors.Is(err, context.Canceled) {
		t.Errorf("Read after cancel: %v, want context.Canceled", err)
	}
}
