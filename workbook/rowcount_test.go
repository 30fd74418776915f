package workbook

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestCountRows(t *testing.T) {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	for _, tc := range []struct {
		name, xml string
		rows      int
		ok        bool
	}{
		{"rows", `<?xml version="1.0"?><worksheet ` + ns + `><sheetData><row r="1"/><row r="2"><c><v>1</v></c></row>` +
			"<row\n\tr=\"3\">" + `</row></sheetData></worksheet>`, 3, true},
		{"prefixed", `<x:worksheet xmlns:x="s"><x:sheetData><x:row><x:c/></x:row><x:row/><y:row></y:row><é:row/></x:sheetData></x:worksheet>`, 4, true},
		{"not rows", `<worksheet><sheetData><row><c row="1" t="inlineStr"><is><t>x:row y a:row&gt; row</t></is></c></row></sheetData>` +
			`<rowBreaks count="1"><brk id="1"/></rowBreaks><:row/><a:b:row/><rows/><row:x/></worksheet>`, 1, true},
		{"comment, CDATA and PI", `<worksheet><sheetData><!-- <row/> <row> --><!----><row><c t="inlineStr"><is><t><![CDATA[<row/>]]></t></is></c></row>` +
			`<?pi <row/> ?><!--> <row/> --></sheetData></worksheet>`, 1, true},
		{"directive", `<!DOCTYPE worksheet><worksheet><sheetData><row/></sheetData></worksheet>`, 0, false},
		{"empty", ``, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []io.Reader{strings.NewReader(tc.xml), iotest.OneByteReader(strings.NewReader(tc.xml)), iotest.HalfReader(strings.NewReader(tc.xml))} {
				rows, ok := countRows(r, maxRows)
				if rows != tc.rows || ok != tc.ok {
					t.Errorf("%T: %d rows, ok %v; want %d, %v", r, rows, ok, tc.rows, tc.ok)
				}
			}
		})
	}
	// A read error leaves the count undecided.
	if _, ok := countRows(iotest.ErrReader(errors.New("broken")), maxRows); ok {
		t.Error("a failed read counted")
	}
}

// TestCountRowsAcrossBuffers counts rows, comments and long prefixes that
// straddle the count's buffer, and stops past the limit.
func TestCountRowsAcrossBuffers(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<x:worksheet xmlns:x="s"><x:sheetData>`)
	want := 0
	for i := 0; b.Len() < 3*countBufSize+1000; i++ {
		switch i % 7 {
		case 0:
			b.WriteString(`<!-- <x:row/> ` + strings.Repeat("-", i%300) + ` -->`)
		case 1:
			b.WriteString(`<` + strings.Repeat("p", 40) + `:row r="` + strings.Repeat("9", i%50) + `"></` + strings.Repeat("p", 40) + `:row>`)
			want++
		default:
			b.WriteString(`<x:row><x:c t="inlineStr"><x:is><x:t>` + strings.Repeat("w", i%500) + `</x:t></x:is></x:c></x:row>`)
			want++
		}
	}
	b.WriteString(`</x:sheetData></x:worksheet>`)
	for _, r := range []io.Reader{strings.NewReader(b.String()), iotest.HalfReader(strings.NewReader(b.String()))} {
		if rows, ok := countRows(r, maxRows); rows != want || !ok {
			t.Errorf("%T: %d rows, ok %v; want %d", r, rows, ok, want)
		}
	}
	if rows, ok := countRows(strings.NewReader(b.String()), 100); rows != 101 || !ok {
		t.Errorf("limit 100: %d rows, ok %v; want to stop at 101", rows, ok)
	}
}

// FuzzCountRows checks the count against encoding/xml: in a document it
// reads whole, the count is the number of start tags named row, unless a
// name is longer than the count looks back.
func FuzzCountRows(f *testing.F) {
	for _, s := range []string{
		`<worksheet><sheetData><row r="1"><c><v>1</v></c></row><row/></sheetData></worksheet>`,
		`<x:worksheet xmlns:x="s"><x:sheetData><x:row/><!-- <x:row/> --></x:sheetData></x:worksheet>`,
		`<a><?p <row/>?><b><![CDATA[<row>]]></b><row a='>"'/></a>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		want, longName := 0, false
		d := xml.NewDecoder(strings.NewReader(doc))
		for {
			tok, err := d.RawToken()
			if err == io.EOF {
				break
			}
			if err != nil {
				return // not XML encoding/xml reads
			}
			if se, ok := tok.(xml.StartElement); ok {
				if len(se.Name.Space)+len(se.Name.Local) > countBehind-8 {
					longName = true
				}
				if se.Name.Local == "row" {
					want++
				}
			}
		}
		rows, ok := countRows(strings.NewReader(doc), maxRows)
		if !ok {
			if !strings.Contains(doc, "<!") {
				t.Fatalf("undecided without a directive")
			}
			return
		}
		if rows > want || rows < want && !longName {
			t.Fatalf("counted %d rows, encoding/xml reads %d", rows, want)
		}
	})
}

// TestSheetRowsCountedAhead: a sheet of more rows than a sheet holds, in
// XML that deflates well, is refused when its rows are asked for, before
// any is read; one of exactly the most a sheet holds reads whole, its
// count the readers' capacity hint.
func TestSheetRowsCountedAhead(t *testing.T) {
	bomb := xlsxTestBook(t, strings.Repeat(`<row/>`, maxRows+1))
	b, err := OpenXLSX(bytes.NewReader(bomb), int64(len(bomb)), "in.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rows("BOM"); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 1048576 rows") {
		t.Fatalf("Rows: %v, want ErrTooLarge saying more than 1048576 rows", err)
	}

	full := xlsxTestBook(t, strings.Repeat(`<row><c><v>1</v></c></row>`, maxRows))
	b, err = OpenXLSX(bytes.NewReader(full), int64(len(full)), "in.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rr, err := b.Rows("BOM")
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	if h := rr.RowsHint(); h != maxRows {
		t.Errorf("RowsHint %d, want the count %d", h, maxRows)
	}
	n := 0
	for rr.Next() {
		n++
	}
	if err := rr.Err(); err != nil || n != maxRows {
		t.Errorf("read %d rows, error %v; want %d", n, err, maxRows)
	}
}
