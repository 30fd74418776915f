package genbom

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"io"
	"regexp"
	"strconv"
)

// WriteBombXLSX writes a zip bomb for the reader's limits: a workbook like
// WriteXLSX's whose BOM sheet repeats one valid line rows times below its
// header, each row numbered (the cells are not, as some writers leave
// them), and whose <dimension> claims a full sheet whatever rows is.
// It deflates at the fastest level, which still packs the 1,048,600 rows
// of BenchmarkZipBomb, 441 MB of XML, into 4.9 MB. With rows above
// 1,048,575 the sheet runs past the last row a sheet has.
func WriteBombXLSX(w io.Writer, rows int) error {
	if rows < 1 {
		return errLines(rows)
	}
	g := newGen(1, 1)
	for seed := int64(2); g.next() && g.row[colMaterial].kind == valEmpty; seed++ {
		g = newGen(1, seed) // a magnet line, with rare-earth content
	}
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, p := range staticParts {
		f, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	refs := 0
	f, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	bw.WriteString(sheetHead + `<dimension ref="A1:` + colLetters[numCols-1] + `1048576"/><sheetData>`)
	var hdr [numCols]value
	for i := range hdr {
		hdr[i] = value{kind: valString, s: g.v.header + i}
	}
	buf := appendRow(nil, 1, hdr[:], styleHeader, &refs)
	bw.Write(buf)
	// The cells of one line, without references: a row is its number
	// and these bytes, which deflate finds again in the row above.
	var cells []byte
	for i := range g.row {
		c := appendRow(nil, 2, g.row[i:i+1], styleGeneral, &refs)
		c = cellRefs.ReplaceAll(c[bytes.IndexByte(c, '>')+1:len(c)-len("</row>")], nil)
		if len(c) == 0 {
			c = []byte("<c/>") // an empty cell keeps the next one in its column
		}
		cells = append(cells, c...)
	}
	cells = append(cells, "</row>"...)
	for n := 2; n <= rows+1; n++ {
		buf = append(strconv.AppendInt(append(buf[:0], `<row r="`...), int64(n), 10), `">`...)
		buf = append(buf, cells...)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	refs += (rows - 1) * bytes.Count(cells, []byte(`t="s"`))
	bw.WriteString(sheetTail)
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := writeSmallSheets(zw, bw, g, &refs); err != nil {
		return err
	}
	return zw.Close()
}

// cellRefs are the r attributes of a row's cells.
var cellRefs = regexp.MustCompile(` r="[A-Z]+[0-9]+"`)

// writeSmallSheets writes the Products and FX sheets and the shared
// strings of a one-line generator.
func writeSmallSheets(zw *zip.Writer, bw *bufio.Writer, g *gen, refs *int) error {
	f, err := zw.Create("xl/worksheets/sheet2.xml")
	if err != nil {
		return err
	}
	bw.Reset(f)
	bw.WriteString(sheetHead + `<sheetData>`)
	var prow [3]value
	for i := range prow {
		prow[i] = value{kind: valString, s: g.v.productHeader + i}
	}
	bw.Write(appendRow(nil, 1, prow[:], styleHeader, refs))
	for i, p := range g.products {
		prow = [3]value{
			{kind: valString, s: g.v.productID + i},
			{kind: valNumber, num: strconv.Itoa(p.volume)},
			{kind: valString, s: g.v.productName + i},
		}
		bw.Write(appendRow(nil, i+2, prow[:], styleGeneral, refs))
	}
	bw.WriteString(sheetTail)
	if err := bw.Flush(); err != nil {
		return err
	}
	f, err = zw.Create("xl/worksheets/sheet3.xml")
	if err != nil {
		return err
	}
	bw.Reset(f)
	bw.WriteString(sheetHead + `<sheetData>`)
	bw.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>currency</t></is></c><c r="B1" t="inlineStr"><is><t>rate</t></is></c></row>`)
	for i, fx := range FXRates {
		n := strconv.Itoa(i + 2)
		bw.WriteString(`<row r="` + n + `"><c r="A` + n + `" t="inlineStr"><is><t>` + fx[0] + `</t></is></c><c r="B` + n + `"><v>` + fx[1] + `</v></c></row>`)
	}
	bw.WriteString(sheetTail)
	if err := bw.Flush(); err != nil {
		return err
	}
	f, err = zw.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	bw.Reset(f)
	total := g.numStrings()
	bw.WriteString(xmlHeader + `<sst xmlns="` + nsMain + `" count="` + strconv.Itoa(*refs) + `" uniqueCount="` + strconv.Itoa(total) + `">`)
	for i := range total {
		bw.WriteString("<si><t>")
		bw.Write(appendEscaped(nil, g.str(i)))
		bw.WriteString("</t></si>")
	}
	bw.WriteString(`</sst>`)
	return bw.Flush()
}
