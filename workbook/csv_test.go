package workbook

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// csvTestRows reads every row of sheet; it fails the test on error.
func csvTestRows(t *testing.T, b *Book, sheet string) []Row {
	t.Helper()
	rows, err := csvTestRowsErr(b, sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func csvTestRowsErr(b *Book, sheet string) ([]Row, error) {
	rr, err := b.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rr.Close()
	var rows []Row
	for rr.Next() {
		r := rr.Row()
		rows = append(rows, Row{Num: r.Num, Cells: append([]Cell(nil), r.Cells...)})
	}
	return rows, rr.Err()
}

// csvTestTexts renders rows as "num:a|b|c" lines, empty cells as "".
func csvTestTexts(rows []Row) string {
	var lines []string
	for _, r := range rows {
		var cells []string
		for _, c := range r.Cells {
			switch c.Kind {
			case CellEmpty:
				cells = append(cells, "")
			case CellText:
				cells = append(cells, c.Text)
			default:
				cells = append(cells, "?"+c.Kind.String())
			}
		}
		lines = append(lines, strings.Join(append([]string{strconv.Itoa(r.Num)}, cells...), "|"))
	}
	return strings.Join(lines, "\n")
}

func TestCSVRead(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"plain", "a,b,c\n1,2,3\n", "1|a|b|c\n2|1|2|3"},
		{"UTF-8 BOM stripped", "\xEF\xBB\xBFpart,qty\r\nX,1\r\n", "1|part|qty\n2|X|1"},
		{"empty and trailing cells", "a,,c,,\n,,\n", "1|a||c\n2"},
		{"blank lines keep row numbers", "a\n\n\nb\n", "1|a\n4|b"},
		{"quoted line breaks", "\"two\nlines\",x\nnext\n", "1|two\nlines|x\n2|next"},
		{"quotes and commas", `"a ""b""","1,234.50"` + "\n", `1|a "b"|1,234.50`},
		{"ragged rows", "a,b,c\nd\n", "1|a|b|c\n2|d"},
		{"no final newline", "a,b", "1|a|b"},
		{"semicolons", "part;qty;cost\nX;1;2,5\n", "1|part|qty|cost\n2|X|1|2,5"},
		{"tabs", "part\tqty\nX\t1\n", "1|part|qty\n2|X|1"},
		{"commas win over semicolons", "a;b,c\n", "1|a;b|c"},
		{"Windows-1252", "Stra\xdfe,\x80 5,caf\xc3\xa9\n", "1|Straße|€ 5|café"},
		{"empty file", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := OpenCSVFS(fstest.MapFS{"in/bom.csv": {Data: []byte(tc.data)}}, "in")
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if got := csvTestTexts(csvTestRows(t, b, "bom")); got != tc.want {
				t.Errorf("read\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	long := strings.Repeat("x", 300<<10)
	tests := []struct {
		name, data string
		lim        Limits
		want       error
		msg        string
	}{
		{"bare quote", "a,b\nx,1\"2\n", Limits{}, ErrDamaged, "line 2, column 4"},
		{"unterminated quote", "a,b\n\"x,1\n", Limits{}, ErrDamaged, "line 2"},
		{"UTF-16", "\xFF\xFEa\x00,\x00", Limits{}, ErrDamaged, "UTF-16"},
		{"a workbook named .csv", "PK\x03\x04rest", Limits{}, ErrDamaged, ".xlsx"},
		{"record too long", "a\n" + long + "\n", Limits{MaxPartBytes: 1 << 10}, ErrTooLarge, "line 2"},
		{"too many columns", strings.Repeat(",", maxCols) + "\n", Limits{}, ErrDamaged, "columns"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"bom.csv": {Data: []byte(tc.data)}}
			b, err := openCSVDir(fsys, ".", "dir", tc.lim)
			if err != nil {
				t.Fatal(err)
			}
			_, err = csvTestRowsErr(b, "bom")
			t.Log(err)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), filepath.Join("dir", "bom.csv")+": ") || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q should start with the file and mention %q", err, tc.msg)
			}
		})
	}
}

func TestOpenCSVFS(t *testing.T) {
	fsys := fstest.MapFS{
		"sample/products.csv":  {Data: []byte("product,annual_volume\nP1,100\n")},
		"sample/BOM.csv":       {Data: []byte("part_number\nA\n")},
		"sample/notes.txt":     {Data: []byte("ignored")},
		"sample/sub/x.csv":     {Data: []byte("ignored")},
		"sample/Sourcing.CSV":  {Data: []byte("part_number,share_pct\n")},
		"sample/.hidden.csv":   {Data: []byte("ignored")},
		"empty/readme.md":      {Data: []byte("no csv")},
		"other/settings.csv":   {Data: []byte("key,value\n")},
		"sample/sub/deeper.md": {Data: []byte("")},
	}
	b, err := OpenCSVFS(fsys, "sample")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.Sheets(), ","); got != "BOM,Sourcing,products" {
		t.Errorf("Sheets() = %s", got)
	}
	if b.Name() != "sample" || b.Date1904() {
		t.Errorf("Name() = %q, Date1904() = %v", b.Name(), b.Date1904())
	}
	if got := csvTestTexts(csvTestRows(t, b, "products")); got != "1|product|annual_volume\n2|P1|100" {
		t.Errorf("products read %q", got)
	}
	if _, err := b.Rows("Products"); err == nil || !strings.Contains(err.Error(), "sample") {
		t.Errorf("Rows of a missing sheet: %v", err)
	}
	if _, err := OpenCSVFS(fsys, "empty"); !errors.Is(err, ErrNotWorkbook) {
		t.Errorf("a folder without CSV files: %v", err)
	}
	if _, err := OpenCSVFS(fsys, "missing"); err == nil {
		t.Error("a missing folder opened")
	}
}

func TestOpenCSV(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "my bom.csv")
	if err := os.WriteFile(file, []byte("part_number,qty\nA,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := openPath(file, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Sheets(); len(got) != 1 || got[0] != "BOM" || b.Name() != file {
		t.Errorf("Sheets() = %v, Name() = %q", got, b.Name())
	}
	if got := csvTestTexts(csvTestRows(t, b, "BOM")); got != "1|part_number|qty\n2|A|2" {
		t.Errorf("read %q", got)
	}
	b.Close()

	b, err = openPath(dir, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := b.Sheets(); len(got) != 1 || got[0] != "my bom" {
		t.Errorf("folder Sheets() = %v", got)
	}
	_, err = csvTestRowsErr(b, "my bom")
	if err != nil {
		t.Error(err)
	}
}
