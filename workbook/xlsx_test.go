package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"rexpo/internal/genbom"
)

// xlsxTestCell is an expected cell at an A1 reference.
type xlsxTestCell struct {
	ref  string
	want Cell
}

// xlsxTestRead opens data and returns every non-empty cell of sheet by A1
// name, and the row numbers in the order read.
func xlsxTestRead(t *testing.T, data []byte, sheet string) (map[string]Cell, []int) {
	t.Helper()
	b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "test.xlsx", DefaultLimits())
	if err != nil {
		t.Fatalf("OpenXLSX: %v", err)
	}
	defer b.Close()
	rr, err := b.Rows(sheet)
	if err != nil {
		t.Fatalf("Rows(%q): %v", sheet, err)
	}
	defer rr.Close()
	cells := map[string]Cell{}
	var nums []int
	for rr.Next() {
		row := rr.Row()
		nums = append(nums, row.Num)
		for i, c := range row.Cells {
			if c.Kind != CellEmpty {
				cells[cellName(i, row.Num)] = c
			}
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatalf("reading %s: %v", sheet, err)
	}
	return cells, nums
}

func xlsxTestCheck(t *testing.T, got map[string]Cell, want []xlsxTestCell) {
	t.Helper()
	for _, w := range want {
		g, ok := got[w.ref]
		if w.want.Kind == CellEmpty {
			if ok {
				t.Errorf("%s = %+v, want empty", w.ref, g)
			}
			continue
		}
		if g != w.want {
			t.Errorf("%s = %+v, want %+v", w.ref, g, w.want)
		}
	}
	if len(got) != xlsxTestNonEmpty(want) {
		t.Errorf("read %d non-empty cells, want %d: %v", len(got), xlsxTestNonEmpty(want), got)
	}
}

func xlsxTestNonEmpty(cells []xlsxTestCell) int {
	n := 0
	for _, c := range cells {
		if c.want.Kind != CellEmpty {
			n++
		}
	}
	return n
}

// xlsxTestZip zips parts in the given order.
func xlsxTestZip(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[i+1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const xlsxTestWorkbook = `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="BOM" sheetId="1" r:id="rId1"/></sheets></workbook>`

const xlsxTestRels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`

// xlsxTestBook zips a one-sheet workbook ("BOM") around the given
// <sheetData> content, with optional extra parts (name, body pairs).
func xlsxTestBook(t testing.TB, sheetData string, extra ...string) []byte {
	t.Helper()
	parts := []string{
		"xl/workbook.xml", xlsxTestWorkbook,
		"xl/_rels/workbook.xml.rels", xlsxTestRels,
		"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + sheetData + `</sheetData></worksheet>`,
	}
	return xlsxTestZip(t, append(parts, extra...)...)
}

func TestXLSXExcelizeFixture(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "BOM"))
	style := func(s *excelize.Style) int {
		t.Helper()
		id, err := f.NewStyle(s)
		must(err)
		return id
	}
	fmtCode := func(code string) *excelize.Style { return &excelize.Style{CustomNumFmt: &code} }
	pct := style(&excelize.Style{NumFmt: 9})
	pct2 := style(&excelize.Style{NumFmt: 10})
	pctCustom := style(fmtCode("0.0%"))
	pctQuoted := style(fmtCode(`0 "%"`))
	date14 := style(&excelize.Style{NumFmt: 14})
	dateCustom := style(fmtCode("yyyy-mm"))
	elapsed := style(fmtCode("[h]:mm"))
	money := style(fmtCode(`[Red]#,##0.00 "USD"`))

	set := func(cell string, v any, styleID int) {
		t.Helper()
		must(f.SetCellValue("BOM", cell, v))
		if styleID != 0 {
			must(f.SetCellStyle("BOM", cell, cell, styleID))
		}
	}
	set("A1", "part_number", 0)
	set("B1", "Nd", 0)
	set("A2", "PN-1", 0)
	set("B2", 0.05, pct)
	set("C2", 0.295, pct2)
	set("D2", 0.055, pctCustom)
	set("E2", 5, pctQuoted)
	set("F2", 46327, date14)
	set("G2", 46327, dateCustom)
	set("H2", 1.5, elapsed)
	set("I2", 1234.5, money)
	set("J2", true, 0)
	set("K2", false, 0)
	set("L2", "  padded  ", 0)
	set("M2", "PN-1", 0) // the same shared string again
	set("N2", int64(12345678901234), 0)
	must(f.SetCellRichText("BOM", "O2", []excelize.RichTextRun{{Text: "Nd"}, {Text: "FeB", Font: &excelize.Font{Bold: true}}}))
	set("P2", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 0)
	set("Z5", "far", 0)                          // sparse: rows 3-4 absent, columns skipped
	set("B7", "", 0)                             // an empty string is an empty cell
	must(f.SetCellStyle("BOM", "C7", "C7", pct)) // styled but blank
	_, err := f.NewSheet("Products")
	must(err)
	must(f.SetCellValue("Products", "A1", "product"))

	buf, err := f.WriteToBuffer()
	must(err)
	data := buf.Bytes()

	b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "fixture.xlsx", DefaultLimits())
	must(err)
	if got := strings.Join(b.Sheets(), ","); got != "BOM,Products" {
		t.Errorf("Sheets() = %s, want BOM,Products", got)
	}
	if b.Name() != "fixture.xlsx" {
		t.Errorf("Name() = %q", b.Name())
	}
	b.Close()

	got, nums := xlsxTestRead(t, data, "BOM")
	text := func(s string) Cell { return Cell{Text: s, Kind: CellText} }
	number := func(s string) Cell { return Cell{Text: s, Kind: CellNumber} }
	xlsxTestCheck(t, got, []xlsxTestCell{
		{"A1", text("part_number")},
		{"B1", text("Nd")},
		{"A2", text("PN-1")},
		{"B2", Cell{Text: "0.05", Kind: CellNumber, Percent: true}},
		{"C2", Cell{Text: "0.295", Kind: CellNumber, Percent: true}},
		{"D2", Cell{Text: "0.055", Kind: CellNumber, Percent: true}},
		{"E2", number("5")},
		{"F2", Cell{Text: "46327", Kind: CellNumber, Date: true}},
		{"G2", Cell{Text: "46327", Kind: CellNumber, Date: true}},
		{"H2", Cell{Text: "1.5", Kind: CellNumber, Date: true}},
		{"I2", number("1234.5")},
		{"J2", Cell{Text: "TRUE", Kind: CellBool}},
		{"K2", Cell{Text: "FALSE", Kind: CellBool}},
		{"L2", text("  padded  ")},
		{"M2", text("PN-1")},
		{"N2", number("12345678901234")},
		{"O2", text("NdFeB")},
		{"P2", Cell{Text: "46327", Kind: CellNumber, Date: true}},
		{"Z5", text("far")},
		{"B7", Cell{}},
		{"C7", Cell{}},
	})
	if want := []int{1, 2, 5, 7}; fmt.Sprint(nums) != fmt.Sprint(want) {
		t.Errorf("row numbers %v, want %v", nums, want)
	}
}

func TestXLSXRawXML(t *testing.T) {
	// A sheet as other writers produce it: an x: prefix, inline strings,
	// cached formula results, cells and rows without references, and the
	// _xHHHH_ escapes.
	const ns = `xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	workbook := `<x:workbook ` + ns + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/>` +
		`<x:sheets><x:sheet name="Data &amp; more" sheetId="7" r:id="rIdA"/></x:sheets></x:workbook>`
	rels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/sheets/data.xml"/>` +
		`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>` +
		`<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="theStyles.xml"/>` +
		`</Relationships>`
	rootRels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/book.xml"/></Relationships>`
	sst := "\xEF\xBB\xBF" + `<x:sst ` + ns + ` count="3" uniqueCount="3">` + // with a byte order mark, as .NET writers do
		`<x:si><x:t>plain</x:t></x:si>` +
		`<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>rich </x:t></x:r><x:r><x:t xml:space="preserve">text</x:t></x:r><x:rPh sb="0" eb="1"><x:t>PHONETIC</x:t></x:rPh></x:si>` +
		`<x:si><x:t>line_x000D_break_x005F_x0041_</x:t></x:si>` +
		`</x:sst>`
	styles := `<x:styleSheet ` + ns + `><x:numFmts count="2"><x:numFmt numFmtId="170" formatCode="0.00%"/><x:numFmt numFmtId="171" formatCode="d/m/yy;@"/></x:numFmts>` +
		`<x:cellStyleXfs count="1"><x:xf numFmtId="9"/></x:cellStyleXfs>` +
		`<x:cellXfs count="4"><x:xf numFmtId="0"/><x:xf numFmtId="170"><x:alignment/></x:xf><x:xf numFmtId="171"/><x:xf numFmtId="9"/></x:cellXfs></x:styleSheet>`
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<x:worksheet ` + ns + `><x:dimension ref="A1:F9"/><x:sheetData>` +
		`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>` +
		`<x:row><x:c r="B2" t="inlineStr"><x:is><x:t>inline</x:t></x:is></x:c>` +
		`<x:c t="inlineStr"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t>line rich</x:t></x:r><x:rPh><x:t>no</x:t></x:rPh></x:is></x:c>` +
		`<x:c r="E2" s="1"><x:v>0.125</x:v></x:c><x:c s="2"><x:v>45000</x:v></x:c><x:c s="0"><x:v>7</x:v></x:c></x:row>` +
		`<x:row r="4"><x:c r="A4" t="str"><x:f>CONCAT("a","b")</x:f><x:v>ab</x:v></x:c>` +
		`<x:c r="B4"><x:f>1/3</x:f><x:v>0.33333333333333331</x:v></x:c>` +
		`<x:c r="C4" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>` +
		`<x:c r="D4" t="b"><x:v>1</x:v></x:c>` +
		`<x:c r="E4" t="d"><x:v>2026-11-01T00:00:00</x:v></x:c>` +
		`<x:c r="F4" s="3"/><x:c r="G4" t="str"><x:f>""</x:f><x:v></x:v></x:c>` +
		`<x:c r="H4"><x:f>SUM(A1:A2)</x:f></x:c>` +
		`<!-- a comment --><x:c r="I4" s="3"><x:v>1E-3</x:v></x:c></x:row>` +
		`<x:row/>` + // row 5, empty
		`<x:row><x:c><x:v>6</x:v></x:c></x:row>` + // row 6, column A
		`<x:row r="9" spans="1:3"><x:c r="C9" t="inlineStr"><x:is><x:t><![CDATA[<cdata> & ]]>more</x:t></x:is></x:c><x:c r="A9"><x:v>-1.5e3</x:v></x:c></x:row>` +
		`<x:row r="1048576"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>last</x:t></x:is></x:c></x:row>` +
		`</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>`
	data := xlsxTestZip(t,
		"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels", rootRels,
		"xl/book.xml", workbook,
		"xl/_rels/book.xml.rels", rels,
		"xl/sheets/data.xml", sheet,
		"xl/strings.xml", sst,
		"xl/theStyles.xml", styles,
	)
	b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "raw.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Sheets(); len(got) != 1 || got[0] != "Data & more" {
		t.Errorf("Sheets() = %q", got)
	}
	if !b.Date1904() {
		t.Error("Date1904() = false, want true")
	}
	got, nums := xlsxTestRead(t, data, "Data & more")
	text := func(s string) Cell { return Cell{Text: s, Kind: CellText} }
	number := func(s string) Cell { return Cell{Text: s, Kind: CellNumber} }
	xlsxTestCheck(t, got, []xlsxTestCell{
		{"A1", text("plain")},
		{"B1", text("rich text")},
		{"C1", text("line\rbreak_x0041_")},
		{"B2", text("inline")},
		{"C2", text("inline rich")},
		{"E2", Cell{Text: "0.125", Kind: CellNumber, Percent: true}},
		{"F2", Cell{Text: "45000", Kind: CellNumber, Date: true}},
		{"G2", number("7")},
		{"A4", text("ab")},
		{"B4", number("0.33333333333333331")},
		{"C4", Cell{Text: "#DIV/0!", Kind: CellError}},
		{"D4", Cell{Text: "TRUE", Kind: CellBool}},
		{"E4", Cell{Text: "2026-11-01T00:00:00", Kind: CellDate}},
		{"F4", Cell{}},
		{"G4", Cell{}},
		{"H4", Cell{}},
		{"I4", Cell{Text: "1E-3", Kind: CellNumber, Percent: true}},
		{"A6", number("6")},
		{"A9", number("-1.5e3")},
		{"C9", text("<cdata> & more")},
		{"XFD1048576", text("last")},
	})
	if want := []int{1, 2, 4, 5, 6, 9, 1048576}; fmt.Sprint(nums) != fmt.Sprint(want) {
		t.Errorf("row numbers %v, want %v", nums, want)
	}
}

func TestXLSXCodeKind(t *testing.T) {
	tests := []struct {
		code string
		want uint8
	}{
		{"General", fmtOther},
		{"0.00", fmtOther},
		{"0%", fmtPercent},
		{"0.0%;[Red]-0.0%", fmtPercent},
		{`0 "%"`, fmtOther},
		{`0\%`, fmtOther},
		{`#,##0.00 [$%-409]`, fmtOther},
		{"yyyy-mm-dd", fmtDate},
		{"mmm yy", fmtDate},
		{"h:mm AM/PM", fmtDate},
		{"[h]:mm:ss", fmtDate},
		{"[$-409]d-mmm", fmtDate},
		{`[Red][<=100]0;"big"`, fmtOther},
		{`0 "days"`, fmtOther},
		{`0_m`, fmtOther},
		{`0*s`, fmtOther},
		{`"unterminated`, fmtOther},
		{`[Blue`, fmtOther},
		{"0.00E+00", fmtOther},
		{"@", fmtOther},
	}
	for _, tc := range tests {
		if got := codeKind(tc.code); got != tc.want {
			t.Errorf("xlsxCodeKind(%q) = %d, want %d", tc.code, got, tc.want)
		}
	}
	for id, want := range map[int]uint8{0: fmtOther, 2: fmtOther, 9: fmtPercent, 10: fmtPercent,
		14: fmtDate, 22: fmtDate, 23: fmtOther, 45: fmtDate, 47: fmtDate, 49: fmtOther} {
		if got := formatKind(id, "", false); got != want {
			t.Errorf("xlsxFormatKind(%d) = %d, want %d", id, got, want)
		}
	}
}

func TestXLSXParseRef(t *testing.T) {
	tests := []struct {
		ref string
		col int
		ok  bool
	}{
		{"A1", 0, true}, {"Z9", 25, true}, {"AA10", 26, true}, {"XFD1048576", 16383, true}, {"b2", 1, true},
		{"XFE1", 0, false}, {"A1048577", 0, false}, {"A0", 0, false}, {"1", 0, false}, {"A", 0, false},
		{"AAAA1", 0, false}, {"A1B", 0, false}, {"$A$1", 0, false}, {"", 0, false}, {"A-1", 0, false},
	}
	for _, tc := range tests {
		col, ok := parseRef(tc.ref)
		if ok != tc.ok || ok && col != tc.col {
			t.Errorf("xlsxParseRef(%q) = %d, %v; want %d, %v", tc.ref, col, ok, tc.col, tc.ok)
		}
	}
}

// xlsxTestReadAll opens data and reads every row of every sheet, returning
// the first error.
func xlsxTestReadAll(data []byte, lim Limits) error {
	b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "in.xlsx", lim)
	if err != nil {
		return err
	}
	defer b.Close()
	for _, s := range b.Sheets() {
		rr, err := b.Rows(s)
		if err != nil {
			return err
		}
		for rr.Next() {
			_ = rr.Row()
		}
		rr.Close()
		if err := rr.Err(); err != nil {
			return err
		}
	}
	return nil
}

func TestXLSXBroken(t *testing.T) {
	good := xlsxTestBook(t, `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
		"xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>x</t></si></sst>`)
	if err := xlsxTestReadAll(good, DefaultLimits()); err != nil {
		t.Fatalf("the good workbook: %v", err)
	}
	// A worksheet that inflates far beyond its compressed size.
	bomb := xlsxTestBook(t, strings.Repeat(`<row><c><v>1</v></c></row>`, 200000))
	tiny := Limits{MaxUnzipped: 1 << 20, MaxPartBytes: 64 << 10}
	ole := append(append([]byte{}, oleMagic...), make([]byte, 504)...)

	tests := []struct {
		name string
		data []byte
		lim  Limits
		want error
		msg  string // in the message besides the file name
	}{
		{"empty file", nil, Limits{}, ErrNotWorkbook, "empty"},
		{"text", []byte("part_number,qty\nA,1\n"), Limits{}, ErrNotWorkbook, "not a zip"},
		{"OLE file", ole, Limits{}, ErrEncrypted, "save it as .xlsx"},
		{"truncated zip", good[:len(good)/2], Limits{}, ErrDamaged, ""},
		{"zip magic only", []byte("PK\x03\x04garbage"), Limits{}, ErrDamaged, ""},
		{"a docx", xlsxTestZip(t, "word/document.xml", "<w:document/>"), Limits{}, ErrNotWorkbook, "Word"},
		{"an xlsb", xlsxTestZip(t, "xl/workbook.bin", "\x00"), Limits{}, ErrNotWorkbook, ".xlsb"},
		{"an ods", xlsxTestZip(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>"), Limits{}, ErrNotWorkbook, "OpenDocument"},
		{"no sheets", xlsxTestZip(t, "xl/workbook.xml", `<workbook><sheets/></workbook>`), Limits{}, ErrDamaged, "no sheets"},
		{"bad workbook XML", xlsxTestZip(t, "xl/workbook.xml", `<workbook><sheets>`), Limits{}, ErrDamaged, "xl/workbook.xml"},
		{"missing worksheet", xlsxTestZip(t, "xl/workbook.xml", xlsxTestWorkbook, "xl/_rels/workbook.xml.rels", xlsxTestRels), Limits{}, ErrDamaged, "missing"},
		{"missing relationship", xlsxTestZip(t, "xl/workbook.xml", xlsxTestWorkbook), Limits{}, ErrDamaged, "no worksheet part"},
		{"malformed sheet XML", xlsxTestBook(t, `<row r="1"><c r="A1"><v>1</c></row>`), Limits{}, ErrDamaged, "sheet BOM: unexpected </c>"},
		{"sheet XML cut short", xlsxTestZip(t, "xl/workbook.xml", xlsxTestWorkbook, "xl/_rels/workbook.xml.rels", xlsxTestRels,
			"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row><c><v>1</v></c>`), Limits{}, ErrDamaged, ""},
		{"empty sheet part", xlsxTestZip(t, "xl/workbook.xml", xlsxTestWorkbook, "xl/_rels/workbook.xml.rels", xlsxTestRels,
			"xl/worksheets/sheet1.xml", ``), Limits{}, ErrDamaged, "no XML"},
		{"unknown entity", xlsxTestBook(t, `<row><c t="inlineStr"><is><t>&bomb;</t></is></c></row>`), Limits{}, ErrDamaged, ""},
		{"shared string out of range", xlsxTestBook(t, `<row r="3"><c r="C3" t="s"><v>5</v></c></row>`), Limits{}, ErrDamaged, "BOM!C3"},
		{"shared string not a number", xlsxTestBook(t, `<row r="3"><c r="C3" t="s"><v>x</v></c></row>`), Limits{}, ErrDamaged, "BOM!C3"},
		{"bad cell reference", xlsxTestBook(t, `<row r="3"><c r="3C"><v>1</v></c></row>`), Limits{}, ErrDamaged, `"3C"`},
		{"column beyond XFD", xlsxTestBook(t, `<row r="3"><c r="XFE3"><v>1</v></c></row>`), Limits{}, ErrDamaged, "XFE3"},
		{"too many columns", xlsxTestBook(t, `<row><c r="XFD1"><v>1</v></c><c><v>2</v></c></row>`), Limits{}, ErrDamaged, "columns"},
		{"row beyond the sheet", xlsxTestBook(t, `<row r="1048577"/>`), Limits{}, ErrDamaged, "1048577"},
		{"too many rows", xlsxTestBook(t, `<row r="1048576"/><row/>`), Limits{}, ErrDamaged, "rows"},
		{"bad boolean", xlsxTestBook(t, `<row><c t="b"><v>yes</v></c></row>`), Limits{}, ErrDamaged, "BOM!A1"},
		{"unknown cell type", xlsxTestBook(t, `<row><c t="q"><v>1</v></c></row>`), Limits{}, ErrDamaged, "BOM!A1"},
		{"nested too deep", xlsxTestBook(t, `<row>`+strings.Repeat("<a>", 300)+strings.Repeat("</a>", 300)+`</row>`), Limits{}, ErrDamaged, "nested"},
		{"zip bomb", bomb, tiny, ErrTooLarge, "--max-unzipped"},
		{"shared strings over the part limit", xlsxTestBook(t, `<row/>`, "xl/sharedStrings.xml",
			`<sst>`+strings.Repeat(`<si><t>abcdefgh</t></si>`, 10000)+`</sst>`), tiny, ErrTooLarge, "xl/sharedStrings.xml"},
		{"one huge text", xlsxTestBook(t, `<row><c t="inlineStr"><is><t>`+strings.Repeat("x", 1<<20)+`</t></is></c></row>`),
			Limits{MaxUnzipped: 1 << 30, MaxPartBytes: 1 << 10}, ErrTooLarge, "longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := xlsxTestReadAll(tc.data, tc.lim)
			t.Log(err)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "in.xlsx: ") {
				t.Errorf("error %q does not start with the file name", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func FuzzOpenXLSX(f *testing.F) {
	f.Add(xlsxTestBook(f, `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>0.5</v></c><c t="inlineStr"><is><t>x</t></is></c></row><row><c t="b"><v>1</v></c></row>`,
		"xl/sharedStrings.xml", `<sst><si><r><t>a</t></r><rPh><t>b</t></rPh></si></sst>`,
		"xl/styles.xml", `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0%"/></numFmts><cellXfs><xf/><xf numFmtId="164"/></cellXfs></styleSheet>`))
	var gen bytes.Buffer
	if err := genbom.WriteXLSX(&gen, 5, 1); err != nil {
		f.Fatal(err)
	}
	f.Add(gen.Bytes())
	f.Add(gen.Bytes()[:gen.Len()/2])
	f.Add([]byte("PK\x03\x04"))
	f.Add(append([]byte{}, oleMagic...))
	f.Add([]byte("a,b\n1,2\n"))
	lim := Limits{MaxUnzipped: 4 << 20, MaxPartBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := xlsxTestReadAll(data, lim)
		if err != nil && !strings.HasPrefix(err.Error(), "in.xlsx: ") {
			t.Errorf("error %q does not name the file", err)
		}
	})
}

// FuzzXLSXSheetXML fuzzes the worksheet, shared strings and styles XML
// inside a well-formed zip, where FuzzOpenXLSX mostly meets broken zips.
func FuzzXLSXSheetXML(f *testing.F) {
	f.Add(`<row r="1"><c r="A1" t="s"><v>0</v></c><c s="1"><v>0.5</v></c><c t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh></is></c></row><row/><row><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2026-01-01</v></c></row>`,
		`<sst><si><t>x_x000D_</t></si></sst>`,
		`<styleSheet><numFmts><numFmt numFmtId="164" formatCode="[h]:mm;&quot;%&quot;"/></numFmts><cellXfs><xf/><xf numFmtId="164"/></cellXfs></styleSheet>`)
	f.Add(`<x:row><x:c><x:f>1</x:f><x:v>2</x:v></x:c></x:row>`, ``, ``)
	lim := Limits{MaxUnzipped: 4 << 20, MaxPartBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, sheetData, sst, styles string) {
		extra := []string{}
		if sst != "" {
			extra = append(extra, "xl/sharedStrings.xml", sst)
		}
		if styles != "" {
			extra = append(extra, "xl/styles.xml", styles)
		}
		err := xlsxTestReadAll(xlsxTestBook(t, sheetData, extra...), lim)
		if err != nil && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrTooLarge) {
			t.Errorf("error %v is neither ErrDamaged nor ErrTooLarge", err)
		}
	})
}

// TestXLSXMatchesExcelize reads a generated workbook with excelize and with
// our reader: every cell must read the same, and the cells excelize shows
// with a % must be flagged Percent.
func TestXLSXMatchesExcelize(t *testing.T) {
	percents := 0
	for seed := int64(1); seed <= 5; seed++ {
		percents += xlsxTestMatchExcelize(t, seed)
	}
	if percents == 0 {
		t.Error("no percent-formatted cell in the generated BOMs")
	}
}

func xlsxTestMatchExcelize(t *testing.T, seed int64) (percents int) {
	t.Helper()
	var buf bytes.Buffer
	if err := genbom.WriteXLSX(&buf, 100, seed); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	xf, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize cannot open the generated workbook: %v", err)
	}
	defer xf.Close()
	for _, sheet := range xf.GetSheetList() {
		rows, err := xf.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for r, row := range rows {
			for c, v := range row {
				if v != "" {
					want[cellName(c, r+1)] = v
				}
			}
		}
		got, _ := xlsxTestRead(t, data, sheet)
		if sheet == "BOM" && len(want) < 100*5 {
			t.Fatalf("seed %d: excelize read only %d cells", seed, len(want))
		}
		for ref, w := range want {
			g, ok := got[ref]
			if !ok {
				t.Errorf("seed %d: %s!%s: missing, excelize reads %q", seed, sheet, ref, w)
				continue
			}
			if g.Text != w {
				t.Errorf("seed %d: %s!%s = %q, excelize reads %q", seed, sheet, ref, g.Text, w)
			}
			shown, err := xf.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			if isPct := strings.HasSuffix(shown, "%"); isPct != g.Percent {
				t.Errorf("seed %d: %s!%s shown as %q, Percent = %v", seed, sheet, ref, shown, g.Percent)
			} else if isPct {
				percents++
			}
		}
		for ref := range got {
			if _, ok := want[ref]; !ok {
				t.Errorf("seed %d: %s!%s = %+v, excelize reads nothing", seed, sheet, ref, got[ref])
			}
		}
	}
	return percents
}

// TestXLSXRowReuse checks that Row's Cells slice is reused, so a full
// sheet streams without allocating per row beyond the cell texts.
func TestXLSXRowReuse(t *testing.T) {
	var buf bytes.Buffer
	if err := genbom.WriteXLSX(&buf, 2000, 3); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "gen.xlsx", DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rr, err := b.Rows("BOM")
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	var first *Cell
	rows := 0
	for rr.Next() {
		row := rr.Row()
		if rows++; rows == 1 {
			first = &row.Cells[0]
		} else if len(row.Cells) > 0 && &row.Cells[0] != first {
			t.Fatalf("row %d: Cells was reallocated", row.Num)
		}
		if row.Num != rows {
			t.Fatalf("row %d read as number %d", rows, row.Num)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != 2001 {
		t.Errorf("read %d rows, want 2001", rows)
	}
}

// TestXLSXAllocs guards the hot path: a row costs no allocation beyond the
// texts of numbers that are not small integers (shared strings are held
// once, small integers interned).
func TestXLSXAllocs(t *testing.T) {
	const lines = 5000
	var buf bytes.Buffer
	if err := genbom.WriteXLSX(&buf, lines, 2); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "gen.xlsx", DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rr, err := b.Rows("BOM")
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for rr.Next() {
	}
	runtime.ReadMemStats(&after)
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	if perRow := float64(after.Mallocs-before.Mallocs) / lines; perRow > 4 {
		t.Errorf("%.1f allocations a row, want at most 4", perRow)
	}
}

// TestXLSXRowsHint checks the row-count guess a sheet's <dimension> gives
// once the first row is read, and that a dimension the XML is too small to
// hold is not believed.
func TestXLSXRowsHint(t *testing.T) {
	rows := func(n int) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>1.5</v></c><c r="C%d"><v>2</v></c></row>`, i, i, i, i, i)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, dimension string
		rows, want      int
	}{
		{"dimension", `<dimension ref="A1:C300"/>`, 300, 300},
		{"absolute references", `<dimension ref="$A$1:$C$300"/>`, 300, 300},
		{"one cell", `<dimension ref="A1"/>`, 1, 1},
		{"none", ``, 300, 0},
		// Three rows: no more rows believed than the XML's bytes / 40 (-1).
		{"a million rows claimed", `<dimension ref="A1:C1048576"/>`, 3, -1},
		{"beyond a sheet", `<dimension ref="A1:C9999999"/>`, 3, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + tc.dimension +
				`<sheetData>` + rows(tc.rows) + `</sheetData></worksheet>`
			data := xlsxTestZip(t, "xl/workbook.xml", xlsxTestWorkbook, "xl/_rels/workbook.xml.rels", xlsxTestRels, "xl/worksheets/sheet1.xml", sheet)
			b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "test.xlsx", DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			rr, err := b.Rows("BOM")
			if err != nil {
				t.Fatal(err)
			}
			defer rr.Close()
			if !rr.Next() {
				t.Fatalf("no first row: %v", rr.Err())
			}
			if tc.want < 0 {
				tc.want = len(sheet) / minRowBytes
			}
			if got := rr.RowsHint(); got != tc.want {
				t.Errorf("RowsHint() = %d, want %d", got, tc.want)
			}
		})
	}
}
