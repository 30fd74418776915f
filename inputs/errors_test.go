package inputs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rexpo/declaration"
)

// firstCellError returns the first *CellError in err.
func firstCellError(t *testing.T, err error) *CellError {
	t.Helper()
	var ce *CellError
	if !errors.As(err, &ce) {
		t.Fatalf("errors.As(%v, *CellError) = false", err)
	}
	return ce
}

func TestCellErrorBadNumber(t *testing.T) {
	// simpleBOM's columns are A product, B part_number, C parent, D qty_per,
	// E unit_cost; row 3 is part B. "1,5" in its qty_per is ambiguous:
	// the error is at D3, column index 3, field qty_per.
	bom := simpleBOM()
	bom[2][3] = "1,5"
	_, err := readPath(t, mustWorkbook(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}), Options{})
	if !errors.Is(err, ErrAmbiguousNumber) || !errors.Is(err, ErrInput) {
		t.Fatalf("Read: %v, want ErrAmbiguousNumber and ErrInput", err)
	}
	ce := firstCellError(t, err)
	if ce.Sheet != "BOM" || ce.Row != 3 || ce.Col != 3 || ce.Field != "qty_per" {
		t.Errorf("CellError at %q row %d col %d field %q, want BOM row 3 col 3 field qty_per", ce.Sheet, ce.Row, ce.Col, ce.Field)
	}
	if errors.Is(err, ErrInvalidNumber) || errors.Is(err, ErrMissingColumn) {
		t.Error("the error also matches a sentinel it is not")
	}
	if got, want := ce.Error(), `BOM!D3 (qty_per): ambiguous number "1,5"`; !strings.HasPrefix(got, want) {
		t.Errorf("Error() = %q, want it to start %q", got, want)
	}
	// Users read the message as before: the header, then the cause, which
	// quotes the text.
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	if p := ie.Problems[0]; !strings.HasPrefix(p.String(), `error BOM!D3: qty_per: ambiguous number "1,5"`) {
		t.Errorf("problem %q", p.String())
	}
}

func TestCellErrorKinds(t *testing.T) {
	// A BOM without its qty_per column: the error is the header row's.
	bom := [][]any{{"product", "part_number", "Menge"}, {"P1", "A", 1}}
	_, err := readPath(t, mustWorkbook(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}), Options{})
	if ce := firstCellError(t, err); !errors.Is(err, ErrMissingColumn) || ce.Sheet != "BOM" || ce.Row != 1 || ce.Col != -1 {
		t.Errorf("missing column: %v at %q row %d col %d, want ErrMissingColumn at BOM row 1, no column", err, ce.Sheet, ce.Row, ce.Col)
	}
	// An empty part number: a missing value at B3, field part_number.
	bom = simpleBOM()
	bom[2][1] = nil
	_, err = readPath(t, mustWorkbook(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}), Options{})
	if ce := firstCellError(t, err); !errors.Is(err, ErrMissingValue) || ce.Cell() != "B3" || ce.Field != "part_number" {
		t.Errorf("empty part number: %v at %s field %q, want ErrMissingValue at B3 part_number", err, ce.Cell(), ce.Field)
	}
}

func TestCheckSettingsErrors(t *testing.T) {
	// A flag's problem has no sheet: its field is the flag.
	for _, tc := range []struct {
		key, value string
		kind       error
	}{
		{"objective", "best", ErrUnknownWord},
		{"horizon", "6", ErrOutOfRange},
		{"import_country", "Atlantis", ErrUnknownCountry},
	} {
		ps := CheckSettings(map[string]string{tc.key: tc.value})
		if len(ps) != 1 || !ps[0].Error {
			t.Fatalf("%s=%s: problems %v, want one error", tc.key, tc.value, ps)
		}
		var ce *CellError
		if !errors.As(ps[0].Err, &ce) || !errors.Is(ps[0].Err, tc.kind) {
			t.Fatalf("%s=%s: Err %v, want a *CellError wrapping %v", tc.key, tc.value, ps[0].Err, tc.kind)
		}
		if flag := "--" + strings.ReplaceAll(tc.key, "_", "-"); ce.Sheet != "" || ce.Field != flag || ce.Cell() != "" {
			t.Errorf("%s=%s: place %q %q %q, want the field %s alone", tc.key, tc.value, ce.Sheet, ce.Cell(), ce.Field, flag)
		}
	}
}

func TestAt(t *testing.T) {
	for _, tc := range []struct {
		cell       string
		row, col   int
		field, out string
	}{
		{"C7", 7, 2, "", "C7"},
		{"AB12", 12, 27, "", "AB12"}, // AB is 26 + 2 = 28th, index 27
		{"XFD1048576", 1048576, 16383, "", "XFD1048576"},
		{"12", 12, -1, "", "12"},
		{"", 0, -1, "", ""},
		{"--only", 0, -1, "--only", ""},
		{"/MainDeclaration/Product[1]", 0, -1, "/MainDeclaration/Product[1]", ""},
	} {
		ce := at("S", tc.cell)
		if ce.Row != tc.row || ce.Col != tc.col || ce.Field != tc.field || ce.Cell() != tc.out {
			t.Errorf("at(%q) = row %d col %d field %q cell %q, want %d %d %q %q", tc.cell, ce.Row, ce.Col, ce.Field, ce.Cell(), tc.row, tc.col, tc.field, tc.out)
		}
	}
}

func TestDeclarationProblemsKeepTheirPosition(t *testing.T) {
	// A declaration's problem is listed with its file and element path;
	// its Err is the declaration's own Problem, with the XML line.
	dir := declBOM(t, "decl", "P1,BRK-NEGATIVE,,1,10,,,,,,")
	l, err := readPath(t, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range l.Problems {
		var dp declaration.Problem
		if !errors.As(p.Err, &dp) {
			continue
		}
		if dp.File != p.Sheet || dp.Path != p.Cell || dp.Line <= 0 || !strings.HasPrefix(p.Message, "line ") {
			t.Errorf("problem %q: declaration problem %+v", p, dp)
		}
		return
	}
	t.Fatalf("no problem of a declaration:%s", problemList(l.Problems))
}

func TestDeclarationPathErrorWraps(t *testing.T) {
	dir := declBOM(t, "missing", "P1,X,,1,10,,,,,,")
	_, err := readPath(t, dir, Options{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read: %v, want it to wrap fs.ErrNotExist", err)
	}
	if _, statErr := os.Stat(filepath.Join(dir, "missing")); statErr == nil {
		t.Fatal("the folder exists")
	}
}
