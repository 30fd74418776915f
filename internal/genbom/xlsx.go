package genbom

import (
	"archive/zip"
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Styles (cellXfs indices) of generated cells.
const (
	styleGeneral = 0
	stylePercent = 1 // custom 164 "0.0%"
	styleMoney   = 2 // built-in 4 "#,##0.00"
	styleHeader  = 3 // bold
)

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"

const (
	nsMain = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	nsRel  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	nsPkg  = `http://schemas.openxmlformats.org/package/2006/relationships`
)

var staticParts = []struct{ name, body string }{
	{"[Content_Types].xml", xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
		`</Types>`},
	{"_rels/.rels", xmlHeader + `<Relationships xmlns="` + nsPkg + `">` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`},
	{"docProps/app.xml", xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
		`<Application>Microsoft Excel</Application></Properties>`},
	{"docProps/core.xml", xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>genbom</dc:creator></cp:coreProperties>`},
	{"xl/workbook.xml", xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>` +
		`<sheets><sheet name="BOM" sheetId="1" r:id="rId1"/><sheet name="Products" sheetId="2" r:id="rId2"/><sheet name="FX" sheetId="3" r:id="rId5"/></sheets>` +
		`<calcPr calcId="191029"/></workbook>`},
	{"xl/_rels/workbook.xml.rels", xmlHeader + `<Relationships xmlns="` + nsPkg + `">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
		`<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/>` +
		`</Relationships>`},
	{"xl/styles.xml", xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
		`<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>` +
		`<fonts count="2"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>` +
		`<font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>` +
		`</styleSheet>`},
}

const sheetHead = xmlHeader + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`

const sheetTail = `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`

// WriteXLSX writes a workbook with a BOM sheet of the given number of lines
// (below a header row) and a Products sheet. It writes to w as it goes and
// holds only one row in memory.
func WriteXLSX(w io.Writer, lines int, seed int64) error {
	if lines < 0 || lines > 1<<20-1 {
		return errLines(lines)
	}
	x := &xlsxWriter{g: newGen(lines, seed), zw: zip.NewWriter(w)}
	for _, p := range staticParts {
		f, err := x.zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	for _, write := range []func() error{x.bomSheet, x.productsSheet, x.fxSheet, x.sharedStrings} {
		if err := write(); err != nil {
			return err
		}
	}
	return x.zw.Close()
}

// xlsxWriter writes the generated workbook's parts one after the other
// through one buffer, counting the string cells as it goes: the shared
// strings part, written last, gives their count.
type xlsxWriter struct {
	g    *gen
	zw   *zip.Writer
	bw   *bufio.Writer
	buf  []byte // one row
	refs int    // string cells, for the sst count attribute
}

// part starts the zip entry name, writing through x.bw.
func (x *xlsxWriter) part(name string) error {
	f, err := x.zw.Create(name)
	if err != nil {
		return err
	}
	if x.bw == nil {
		x.bw = bufio.NewWriterSize(f, 256<<10)
	} else {
		x.bw.Reset(f)
	}
	return nil
}

// bomSheet writes the BOM sheet: a frozen header row, then a row per
// generated line.
func (x *xlsxWriter) bomSheet() error {
	if err := x.part("xl/worksheets/sheet1.xml"); err != nil {
		return err
	}
	g, bw := x.g, x.bw
	bw.WriteString(sheetHead)
	bw.WriteString(`<dimension ref="A1:`)
	bw.WriteString(colLetters[numCols-1] + strconv.Itoa(g.lines+1))
	bw.WriteString(`"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	bw.WriteString(`<sheetFormatPr defaultRowHeight="15"/><sheetData>`)
	var hdr [numCols]value
	for i := range hdr {
		hdr[i] = value{kind: valString, s: g.v.header + i}
	}
	x.buf = appendRow(x.buf[:0], 1, hdr[:], styleHeader, &x.refs)
	bw.Write(x.buf)
	for n := 2; g.next(); n++ {
		x.buf = appendRow(x.buf[:0], n, g.row[:], styleGeneral, &x.refs)
		if _, err := bw.Write(x.buf); err != nil {
			return err
		}
	}
	bw.WriteString(sheetTail)
	return bw.Flush()
}

// productsSheet writes the Products sheet: each product's ID, annual
// volume and name.
func (x *xlsxWriter) productsSheet() error {
	if err := x.part("xl/worksheets/sheet2.xml"); err != nil {
		return err
	}
	g, bw := x.g, x.bw
	bw.WriteString(sheetHead)
	bw.WriteString(`<dimension ref="A1:C` + strconv.Itoa(len(g.products)+1) + `"/><sheetFormatPr defaultRowHeight="15"/><sheetData>`)
	var prow [3]value
	for i := range prow {
		prow[i] = value{kind: valString, s: g.v.productHeader + i}
	}
	x.buf = appendRow(x.buf[:0], 1, prow[:], styleHeader, &x.refs)
	bw.Write(x.buf)
	for i, p := range g.products {
		prow = [3]value{
			{kind: valString, s: g.v.productID + i},
			{kind: valNumber, num: strconv.Itoa(p.volume)},
			{kind: valString, s: g.v.productName + i},
		}
		x.buf = appendRow(x.buf[:0], i+2, prow[:], styleGeneral, &x.refs)
		bw.Write(x.buf)
	}
	bw.WriteString(sheetTail)
	return bw.Flush()
}

// fxSheet writes the FX sheet: the rates of the currencies the BOM uses,
// in USD.
func (x *xlsxWriter) fxSheet() error {
	if err := x.part("xl/worksheets/sheet3.xml"); err != nil {
		return err
	}
	bw := x.bw
	bw.WriteString(sheetHead + `<dimension ref="A1:B` + strconv.Itoa(len(FXRates)+1) + `"/><sheetData>`)
	bw.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>currency</t></is></c><c r="B1" t="inlineStr"><is><t>rate</t></is></c></row>`)
	for i, fx := range FXRates {
		n := strconv.Itoa(i + 2)
		bw.WriteString(`<row r="` + n + `"><c r="A` + n + `" t="inlineStr"><is><t>` + fx[0] + `</t></is></c><c r="B` + n + `"><v>` + fx[1] + `</v></c></row>`)
	}
	bw.WriteString(sheetTail)
	return bw.Flush()
}

// sharedStrings writes the shared strings: the vocabulary, then one part
// number per line.
func (x *xlsxWriter) sharedStrings() error {
	if err := x.part("xl/sharedStrings.xml"); err != nil {
		return err
	}
	g, bw := x.g, x.bw
	total := g.numStrings()
	bw.WriteString(xmlHeader + `<sst xmlns="` + nsMain + `" count="` + strconv.Itoa(x.refs) + `" uniqueCount="` + strconv.Itoa(total) + `">`)
	for i := range total {
		x.buf = append(x.buf[:0], "<si><t>"...)
		x.buf = appendEscaped(x.buf, g.str(i))
		x.buf = append(x.buf, "</t></si>"...)
		if _, err := bw.Write(x.buf); err != nil {
			return err
		}
	}
	bw.WriteString(`</sst>`)
	return bw.Flush()
}

var colLetters = func() (t [numCols]string) {
	for i := range t {
		t[i] = string(rune('A' + i))
	}
	return
}()

// appendRow appends one <row> the way Excel writes it: empty cells left
// out, every cell with its reference.
func appendRow(buf []byte, n int, vals []value, style int, refs *int) []byte {
	buf = append(buf, `<row r="`...)
	buf = strconv.AppendInt(buf, int64(n), 10)
	buf = append(buf, `" spans="1:`...)
	buf = strconv.AppendInt(buf, int64(len(vals)), 10)
	buf = append(buf, `">`...)
	for i, v := range vals {
		if v.kind == valEmpty {
			continue
		}
		buf = append(buf, `<c r="`...)
		buf = append(buf, colLetters[i]...)
		buf = strconv.AppendInt(buf, int64(n), 10)
		buf = append(buf, '"')
		s := style
		switch v.kind {
		case valPercent:
			s = stylePercent
		case valMoney:
			s = styleMoney
		}
		if s != styleGeneral {
			buf = append(buf, ` s="`...)
			buf = strconv.AppendInt(buf, int64(s), 10)
			buf = append(buf, '"')
		}
		if v.kind == valString {
			*refs++
			buf = append(buf, ` t="s"><v>`...)
			buf = strconv.AppendInt(buf, int64(v.s), 10)
		} else {
			buf = append(buf, `><v>`...)
			buf = append(buf, v.num...)
		}
		buf = append(buf, `</v></c>`...)
	}
	return append(buf, `</row>`...)
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// appendEscaped appends s with the XML specials escaped, without a
// copy when it has none (most part numbers).
func appendEscaped(buf []byte, s string) []byte {
	if !strings.ContainsAny(s, `&<>"`) {
		return append(buf, s...)
	}
	return append(buf, xmlEscaper.Replace(s)...)
}
