package reports

import (
	"bytes"
	"hash/crc32"
	"io"
	"math"
	"math/big"
	mrand "math/rand"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	kflate "github.com/klauspost/compress/flate"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

// TestCellNumber: the quick conversions give decimal's results, bit for
// bit, on values around every rounding edge and on coefficients too large
// for the quick path.
func TestCellNumber(t *testing.T) {
	var vals []decimal.Decimal
	for _, s := range []string{
		"0", "1", "-1", "0.5", "0.125", "-0.125", "2.675", "0.0000005", "-0.0000005", "0.00000049999", "1234.5678",
		"0.045", "-0.045", "0.0449999", "12.3", "12.34", "12.345", "12.3456", "12.34565", "-0.00015", "7.00004999", "0.00005", "-0.00015", "999999.9999995", "12345678901234567", "123456789012345678",
		"1234567890123456789", "-98765432109876543210.123456789", "0.1234567890123456789012345", "1e20", "-3e18", "1e-30",
		"4.9999999999999999999e-7", "9007199254740993", "90071992547409.93", "0.3333333333333333333333333333",
	} {
		vals = append(vals, decimal.RequireFromString(s))
	}
	vals = append(vals, randomDecimals(3, 4)...)
	for _, v := range vals {
		for _, k := range []kind{kMoney, kUnitMoney, kKg, kPct, kInt, kQty} {
			if got, want := cellNumber(v, k), number(v, k); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("cellNumber(%s, %d) = %v, want %v", v, k, got, want)
			}
			if got, want := scaledNumber(v, 3, k), number(v.Mul(decimal.NewFromInt(1000)), k); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("scaledNumber(%s, 3, %d) = %v, want %v", v, k, got, want)
			}
		}
		if got, want := wholeQty(v), v.Round(6).IsInteger(); got != want {
			t.Fatalf("wholeQty(%s) = %v, want %v", v, got, want)
		}
		if got, want := exactFloat(v, new([]byte)), v.InexactFloat64(); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactFloat(%s) = %v, want %v", v, got, want)
		}
		if got, want := quickUnitPlaces(v), unitPlaces(v); got != want {
			t.Fatalf("quickUnitPlaces(%s) = %v, want %v", v, got, want)
		}
	}
}

// TestExpectedSum: the expected delta summed in kept big.Ints equals
// expectedOf's, for deltas short and long, zero, and more or fewer than
// the scenarios.
func TestExpectedSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	r := &exposure.Result{}
	for _, p := range []string{"0.3", "0.1", "0.15", "0", "1", "0.3333333333333333333333", "0.05", "0.025"} {
		r.Scenarios = append(r.Scenarios, exposure.ScenarioResult{Probability: d(p)})
	}
	sum := newExpectedSum(r)
	src := mrand.New(mrand.NewSource(15))
	for i := 0; i < 3000; i++ {
		pr := exposure.PartRow{Deltas: make([]exposure.PartDelta, rng.IntN(len(r.Scenarios)+3))}
		for s := range pr.Deltas {
			switch rng.IntN(4) {
			case 0: // zero
			case 1:
				pr.Deltas[s].AnnualDelta = decimal.New(rng.Int64N(1e12)-5e11, int32(rng.IntN(12)-8))
			default:
				co := new(big.Int).Rand(src, new(big.Int).Lsh(big.NewInt(1), uint(64+rng.IntN(80))))
				if rng.IntN(2) == 0 {
					co.Neg(co)
				}
				pr.Deltas[s].AnnualDelta = decimal.NewFromBigInt(co, int32(rng.IntN(20)-31))
			}
		}
		sum.reset()
		for s, pd := range pr.Deltas {
			sum.add(s, pd.AnnualDelta.Coefficient(), pd.AnnualDelta.Exponent())
		}
		if got, want := sum.value(), expectedOf(r, &pr); !got.Equal(want) {
			t.Fatalf("row %d: %s, want %s", i, got, want)
		}
	}
}

func TestQuickTextWidth(t *testing.T) {
	for _, s := range append(awkwardTexts, "two\nlines", "\n", "a\nlonger line\n") {
		if got, want := quickTextWidth(s), textWidth(s); got != want {
			t.Errorf("quickTextWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestDeflaterReuse: a compressor reused, after a chunk deflated with a
// dictionary as the workers do, writes what a new one writes; else the
// part would be corrupt, or a workbook's bytes would depend on what the
// process wrote before.
func TestDeflaterReuse(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	text := func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString(`<c r="B` + strconv.Itoa(rng.IntN(1e6)) + `" s="7"><v>` + strconv.Itoa(rng.IntN(1e4)) + `</v></c>`)
		}
		return b.Bytes()
	}
	x, y := text(300000), text(500000)
	var fresh, reused bytes.Buffer
	fw, _ := kflate.NewWriter(&fresh, deflateLevel)
	fw.Write(x)
	fw.Close()
	fw.ResetDict(io.Discard, x[len(x)-dictSize:])
	fw.Write(y)
	fw.Flush()
	reuseDeflater(fw, &reused)
	fw.Write(x)
	fw.Close()
	if !bytes.Equal(fresh.Bytes(), reused.Bytes()) {
		t.Fatalf("a reused compressor wrote %d bytes, a new one %d", reused.Len(), fresh.Len())
	}
}

// TestCRC32Combine: the checksum of a followed by b, from theirs.
func TestCRC32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, 200000)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for _, cut := range []int{0, 1, 7, 4096, 99999, 199999, 200000} {
		a, b := data[:cut], data[cut:]
		got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(len(b)))
		if want := crc32.ChecksumIEEE(data); got != want {
			t.Errorf("cut at %d: %08x, want %08x", cut, got, want)
		}
	}
}

// bodyEntry writes rows through a sheetBody and into a zip entry between
// head and tail, and returns the zip and whether the rows were spilled to
// a file.
func bodyEntry(t *testing.T, rows [][]byte, dir string) ([]byte, bool) {
	t.Helper()
	w := newSheetRows(1)
	body := newSheetBody("xl/worksheets/sheet9.xml", w, dir)
	defer body.close()
	for _, r := range rows {
		w.buf = append(w.buf, r...)
		if err := body.rowDone(); err != nil {
			t.Fatal(err)
		}
	}
	if err := body.finish(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := newStableZip(&out, map[string]*sheetBody{body.path: body})
	for _, name := range []string{"xl/worksheets/sheet8.xml", body.path, "xl/worksheets/sheet1.xml"} {
		fw, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, `<worksheet><sheetData><row r="1"></row></sheetData><pageSetup/></worksheet>`)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), body.out.file != nil
}

// TestSheetBody: rows deflated in parallel chunks come out of the zip
// entry as written, between the sheet's start and end, with a checksum
// archive/zip accepts; in memory or spilled to a file, which is removed;
// and the same rows give the same bytes.
func TestSheetBody(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 3000, 80000} { // 80,000 rows: some 20 MB, spilled
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			var rows [][]byte
			var want bytes.Buffer
			for i := 0; i < n; i++ {
				r := []byte(`<row r="` + strconv.Itoa(i+2) + `"><c r="A` + strconv.Itoa(i+2) + `"><v>` + strconv.FormatFloat(rng.NormFloat64(), 'f', -1, 64) + `</v></c>`)
				r = append(r, bytes.Repeat([]byte("<c><v>7</v></c>"), rng.IntN(30))...)
				r = append(r, `</row>`...)
				rows = append(rows, r)
				want.Write(r)
			}
			dir := t.TempDir()
			zipped, spilled := bodyEntry(t, rows, dir)
			if spilled != (want.Len() > excelize.StreamChunkSize) {
				t.Errorf("%d bytes of rows: spilled %v", want.Len(), spilled)
			}
			got := sheetData(t, zipped, "xl/worksheets/sheet9.xml")
			wantData := append([]byte(`<row r="1"></row>`), want.Bytes()...)
			if !bytes.Equal(got, wantData) {
				t.Fatalf("%d rows: sheet data differs (%d bytes, want %d)", n, len(got), len(wantData))
			}
			if other := sheetData(t, zipped, "xl/worksheets/sheet1.xml"); string(other) != `<row r="1"></row>` {
				t.Errorf("another sheet changed: %q", other)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("left behind: %s", entries[0].Name())
			}
			if again, _ := bodyEntry(t, rows, dir); !bytes.Equal(again, zipped) {
				t.Errorf("%d rows: two runs gave different bytes", n)
			}
		})
	}
}

// TestSheetBodyMissing: a body whose sheet excelize never wrote is an
// error, not a workbook without its rows.
func TestSheetBodyMissing(t *testing.T) {
	w := newSheetRows(1)
	body := newSheetBody("xl/worksheets/sheet4.xml", w, "")
	defer body.close()
	w.buf = append(w.buf, `<row r="2"></row>`...)
	if err := body.finish(); err != nil {
		t.Fatal(err)
	}
	zw := newStableZip(io.Discard, map[string]*sheetBody{body.path: body})
	if _, err := zw.Create("xl/worksheets/sheet1.xml"); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err == nil {
		t.Fatal("closed without the sheet's rows")
	}
}

// TestPartsSheetSpliced writes a workbook whose Parts sheet spans several
// deflate chunks and checks the sheet reads back whole through excelize.
func TestPartsSheetSpliced(t *testing.T) {
	fx := newFixture()
	const n = 5000
	var buf bytes.Buffer
	if err := writeWorkbook(&buf, fx.r, fx.m, bigParts(fx, n)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetParts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows on Parts, want %d", len(rows), n+1)
	}
	if got, want := rows[n][1], "P-"+strconv.Itoa(n-1); got != want {
		t.Errorf("last part number %q, want %q", got, want)
	}
}

// TestAppendDecimalSame: appendDecimal's digits made from the end are
// appendDecimalSlow's (strconv's), for edge and random coefficients at
// every place count the sheets use and more.
func TestAppendDecimalSame(t *testing.T) {
	coefs := []int64{0, 1, -1, 5, -5, 10, -10, 100, 25, -25, 1e15 - 1, -(1e15 - 1), 1e15, math.MaxInt64, math.MinInt64 + 1, math.MinInt64, 120000, -120000}
	rnd := rand.New(rand.NewPCG(14, 14))
	for range 20000 {
		v := rnd.Int64() >> rnd.IntN(64)
		if rnd.IntN(2) == 0 {
			v = -v
		}
		coefs = append(coefs, v, v/1000*1000)
	}
	for _, c := range coefs {
		for p := int32(0); p <= 24; p++ {
			got, want := string(appendDecimal([]byte("x"), c, p)), string(appendDecimalSlow([]byte("x"), c, p))
			if got != want {
				t.Fatalf("appendDecimal(%d, %d) = %q, want %q", c, p, got, want)
			}
		}
	}
}

// randomDecimals are 40,000 decimals drawn from a generator seeded with
// seed1 and seed2: short coefficients of both signs at exponents -22 to 7,
// and coefficients of 20 to 45 digits, as the exposure figures have, at
// exponents -38 to 6.
func randomDecimals(seed1, seed2 uint64) []decimal.Decimal {
	var vals []decimal.Decimal
	rng := rand.New(rand.NewPCG(seed1, seed2))
	for i := 0; i < 20000; i++ {
		c := rng.Int64N(1<<62) >> rng.IntN(62)
		if rng.IntN(2) == 0 {
			c = -c
		}
		vals = append(vals, decimal.New(c, int32(rng.IntN(30)-22)))
		co := new(big.Int).Rand(mrand.New(mrand.NewSource(int64(i))), new(big.Int).Lsh(big.NewInt(1), uint(64+rng.IntN(90))))
		if rng.IntN(2) == 0 {
			co.Neg(co)
		}
		vals = append(vals, decimal.NewFromBigInt(co, int32(rng.IntN(45)-38)))
	}
	return vals
}
