package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// streamedRows writes rows through excelize's StreamWriter, from row 2,
// and returns what it put between <sheetData> and </sheetData>.
func streamedRows(t testing.TB, rows [][]any, heights []float64) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, vals := range rows {
		var opts []excelize.RowOpts
		if heights[i] > 0 {
			opts = append(opts, excelize.RowOpts{Height: heights[i]})
		}
		if err := sw.SetRow(cellName(1, i+2), vals, opts...); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return sheetData(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
}

// sheetData returns what part of workbook holds between <sheetData> and
// </sheetData>.
func sheetData(t testing.TB, workbook []byte, part string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(part)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	xml, err := io.ReadAll(rc) // archive/zip checks the CRC-32 at the end
	if err != nil {
		t.Fatalf("%s: %v", part, err)
	}
	_, after, ok := bytes.Cut(xml, []byte("<sheetData>"))
	body, _, ok2 := bytes.Cut(after, []byte("</sheetData>"))
	if !ok || !ok2 {
		t.Fatalf("%s has no sheetData: %.200s", part, xml)
	}
	return body
}

// ourRows writes the same rows with sheetRows: strings, ints and floats
// in excelize.Cell, nil left out.
func ourRows(t testing.TB, rows [][]any, heights []float64) []byte {
	w := newSheetRows(40)
	for i, vals := range rows {
		w.startRow(i+2, heights[i])
		for c, v := range vals {
			if v == nil {
				continue
			}
			cell := v.(excelize.Cell)
			switch x := cell.Value.(type) {
			case string:
				w.str(c+1, cell.StyleID, x)
			case int:
				w.int(c+1, cell.StyleID, int64(x))
			case float64:
				w.float(c+1, cell.StyleID, x)
			default:
				t.Fatalf("unsupported %T", x)
			}
		}
		w.endRow()
	}
	return w.buf
}

func compareRows(t *testing.T, rows [][]any, heights []float64) {
	t.Helper()
	want := streamedRows(t, rows, heights)
	got := ourRows(t, rows, heights)
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("rows differ at byte %d:\n got …%q\nwant …%q", i, got[max(i-60, 0):min(i+80, len(got))], want[max(i-60, 0):min(i+80, len(want))])
	}
}

var awkwardTexts = []string{
	"", "plain", "Rotor magnet set 38UH", "Ø 12 mm · NdFeB µ-coated", "日本語の部品", "emoji 😀 and flag 🇩🇪",
	"a & b", "<tag>", `say "hi"`, "it's", " leading", "trailing ", "\ttab", "line\nfeed", "cr\rhere", "mid\tdle",
	"ctrl\x01char", "bad \xff utf8", "\xed\xa0\x80 surrogate", "_x0041_", "a_x005F_x0041_b", "_x005F_", "_xZZZZ_", "box_x", "x_",
	"\u00a0nbsp\u00a0", "\ufffd", "\uffff", "=SUM(A1)", strings.Repeat("é", 20000), strings.Repeat("😀", 17000),
	strings.Repeat("a", excelize.TotalCellChars), strings.Repeat("a", excelize.TotalCellChars+5),
}

var awkwardFloats = []float64{
	0, 1, -1, 0.5, -0.125, 0.1 + 0.2, 1e-7, 1.5e-9, 123456789012345678, 1.2345678901234567, 98765.4321098765432,
	1e15, 1e16, 1e21, 1e22, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 999999999999999.9, 0.000123456789012345678,
	12345678901234567890123.0, math.NaN(), math.Inf(1), math.Inf(-1), 2.675, -0.0000001,
}

// TestSheetRowsAsStreamWriter: sheetRows writes the bytes excelize's
// stream writer writes for the same cells, awkward ones included.
func TestSheetRowsAsStreamWriter(t *testing.T) {
	var rows [][]any
	var heights []float64
	for i, s := range awkwardTexts {
		rows = append(rows, []any{excelize.Cell{StyleID: i % 3, Value: s}, nil, excelize.Cell{StyleID: 7, Value: i - 3}})
		heights = append(heights, []float64{0, 17, 31.5, 409}[i%4])
	}
	for i, f := range awkwardFloats {
		rows = append(rows, []any{nil, excelize.Cell{StyleID: 12, Value: f}, excelize.Cell{StyleID: i % 2, Value: -f}})
		heights = append(heights, 0)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		row := make([]any, 30)
		for c := range row {
			switch rng.IntN(4) {
			case 0:
				row[c] = excelize.Cell{StyleID: 1 + rng.IntN(60), Value: math.Round(rng.NormFloat64()*math.Pow(10, float64(rng.IntN(14)))) / math.Pow(10, float64(rng.IntN(7)))}
			case 1:
				row[c] = excelize.Cell{StyleID: 1 + rng.IntN(60), Value: rng.Float64() * math.Pow(10, float64(rng.IntN(40)-20))}
			case 2:
				row[c] = excelize.Cell{StyleID: 3, Value: awkwardTexts[rng.IntN(20)]}
			}
		}
		rows = append(rows, row)
		heights = append(heights, 0)
	}
	compareRows(t, rows, heights)
}

// FuzzSheetRowsText: any text comes out of sheetRows as out of the
// stream writer.
func FuzzSheetRowsText(f *testing.F) {
	for _, s := range awkwardTexts[:27] {
		f.Add(s, 1.5)
	}
	f.Fuzz(func(t *testing.T, s string, v float64) {
		compareRows(t, [][]any{{excelize.Cell{StyleID: 2, Value: s}, excelize.Cell{StyleID: 5, Value: v}}}, []float64{0})
	})
}

// TestSheetRowsDecimal: a rounded figure written from its coefficient
// reads as the float nearest to it does, to the byte.
func TestSheetRowsDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	coefs := []int64{0, 1, -1, 5, 10, 100, 120, -120, 999999999999999, -999999999999999, 123456789012345, 100000000000000, 1 << 40, 450359962737049, 900719925474099}
	for i := 0; i < 200000; i++ {
		c := rng.Int64N(1<<53) >> rng.IntN(50) // 16 digits too: the test must see where the bound is needed
		if rng.IntN(2) == 0 {
			c = -c
		}
		coefs = append(coefs, c, c-c%1000)
	}
	a, b := newSheetRows(1), newSheetRows(1)
	for _, c := range coefs {
		if c < -maxDecimalCoef || c > maxDecimalCoef {
			continue
		}
		for p := int32(0); p <= 6; p++ {
			a.buf, b.buf = a.buf[:0], b.buf[:0]
			f, ok := coefFloat(c, p)
			if !ok {
				t.Fatalf("%d×10^-%d has no exact float", c, p)
			}
			a.decimal(1, 3, c, p)
			b.float(1, 3, f)
			if !bytes.Equal(a.buf, b.buf) {
				t.Fatalf("%d×10^-%d: %s, want %s", c, p, a.buf, b.buf)
			}
		}
	}
}
