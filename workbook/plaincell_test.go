package workbook

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"rexpo/internal/genbom"
)

// readSheetDump reads every row of the BOM sheet of data into text, with
// the fast path on or off, ending in the error if any.
func readSheetDump(data []byte, fast bool) string {
	defer func(was bool) { fastPaths = was }(fastPaths)
	fastPaths = fast
	var out strings.Builder
	b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "in.xlsx", Limits{MaxUnzipped: 64 << 20, MaxPartBytes: 1 << 20})
	if err != nil {
		return err.Error()
	}
	defer b.Close()
	rr, err := b.Rows("BOM")
	if err != nil {
		return err.Error()
	}
	defer rr.Close()
	for rr.Next() {
		fmt.Fprintf(&out, "%d: %+v\n", rr.Row().Num, rr.Row().Cells)
	}
	if err := rr.Err(); err != nil {
		out.WriteString(err.Error())
	}
	return out.String()
}

// FuzzPlainCell: the sheet reader reads the same cells and fails with the
// same errors with its fast path as without.
func FuzzPlainCell(f *testing.F) {
	for _, s := range []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>0.5</v></c><c r="C1"/><c></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row>`,
		`<row><c r="XFD1"><v>1</v></c><c><v>2</v></c></row><row><c r="3C"><v>1</v></c></row>`,
		`<row><c t="s"><v>7</v></c><c t="q"><v>1</v></c><c t="d"><v> 2026-01-01 </v></c><c  r="A1"><v>1</v></c><c r="A1" r="B1"><v>&amp;</v></c></row>`,
		`<row><c t="inlineStr"><v>x</v></c><c t="inlineStr"><is><t>y</t></is></c><c s="x"><v>1</v></c><c t="b"><v>yes</v></c></row>`,
		`<row r="1" spans="1:2" ht="15" customHeight="1"><c><v>1</v></c></row><row r="3" r="2" x14ac:dyDescent="0.25"><c/></row><row  r="4"></row><row r="x"></row>`,
		`<row r="2"/><row r="3" ><c><v>1</v></c></row ><row r="1048577"></row><rows></rows><row r="5" s="-1.5"><c><v>1</v></c><row></row></row>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sheetData string) {
		data := xlsxTestBook(t, sheetData, "xl/sharedStrings.xml", `<sst><si><t>a</t></si><si><t>b</t></si></sst>`,
			"xl/styles.xml", `<styleSheet><cellXfs><xf/><xf numFmtId="9"/><xf numFmtId="14"/></cellXfs></styleSheet>`)
		if fast, slow := readSheetDump(data, true), readSheetDump(data, false); fast != slow {
			t.Fatalf("with the fast path:\n%s\nwithout:\n%s", fast, slow)
		}
	})
}

// TestPlainCellGenerated reads a generated BOM, whose cells are all plain
// (and some cut by the tokenizer's buffer), both ways.
func TestPlainCellGenerated(t *testing.T) {
	var buf bytes.Buffer
	if err := genbom.WriteXLSX(&buf, 3000, 7); err != nil {
		t.Fatal(err)
	}
	fast, slow := readSheetDump(buf.Bytes(), true), readSheetDump(buf.Bytes(), false)
	if fast != slow || strings.Count(fast, "\n") != 3001 {
		t.Errorf("the fast path reads %d rows, the tokenizer %d, or they differ", strings.Count(fast, "\n"), strings.Count(slow, "\n"))
	}
}

// sharedStringsDump reads the shared strings part sst with the fast path
// on or off: the table, or the error.
func sharedStringsDump(t *testing.T, sst string, fast bool) string {
	defer func(was bool) { fastPaths = was }(fastPaths)
	fastPaths = fast
	data := xlsxTestBook(t, `<row><c t="s"><v>0</v></c></row>`, "xl/sharedStrings.xml", sst)
	b, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), "in.xlsx", Limits{MaxUnzipped: 64 << 20, MaxPartBytes: 1 << 20})
	if err != nil {
		return err.Error()
	}
	defer b.Close()
	return fmt.Sprintf("%q %v", b.xlsx.sst.text, b.xlsx.sst.end)
}

// FuzzPlainSharedString: the shared strings read the same, and fail the
// same, with the fast path as without.
func FuzzPlainSharedString(f *testing.F) {
	for _, s := range []string{
		`<sst><si><t>a</t></si><si><t>P1-100000</t></si><si><t></t></si><si><t>x_x000D_y</t></si></sst>`,
		`<sst><si><t xml:space="preserve"> a </t></si><si><r><t>b</t></r><rPh><t>c</t></rPh></si><si><t>a&amp;b</t></si><si><t>é</t></si></sst>`,
		`<x:sst xmlns:x="s"><x:si><x:t>a</x:t></x:si><si><t>b</t></si><si><t>c</t></si ></x:sst>`,
		`<sst>` + strings.Repeat(`<si><t>s</t></si>`, 70000) + `</sst>`, // more than the sheet can use
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sst string) {
		if fast, slow := sharedStringsDump(t, sst, true), sharedStringsDump(t, sst, false); fast != slow {
			t.Fatalf("with the fast path:\n%.3000s\nwithout:\n%.3000s", fast, slow)
		}
	})
}
