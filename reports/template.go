package reports

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
	"rexpo/schema"
)

// TemplateLists are the values the template's drop-down lists offer.
type TemplateLists struct {
	Countries, Elements, Materials []string
	// MaterialInfo says what each of Materials is (its description and
	// composition), for the Read me sheet to explain the codes.
	MaterialInfo map[string]exposure.Material
}

// Sheets of the template besides the input sheets: an explanation first,
// and the hidden sheet the drop-down lists read.
const (
	sheetReadMe = "Read me"
	sheetLists  = "Lists"
)

var listTitles = map[schema.DropDown]string{
	schema.ListCountries:     "Countries",
	schema.ListElements:      "Elements",
	schema.ListMaterials:     "Materials",
	schema.ListClasses:       "Classes",
	schema.ListStances:       "Stances",
	schema.ListYesNo:         "Yes/no",
	schema.ListUnknownOrigin: "Unknown origin",
	schema.ListObjective:     "Objective",
	schema.ListRollup:        "Roll-up",
}

const requiredFill = "FCE4D6"

// WriteTemplate writes the empty input workbook of `rexpo template`: a
// "Read me" sheet, then every sheet of schema.Layouts with its headers, a
// note on each header, the example rows and drop-down lists for countries,
// elements, materials, classes and stances (from the hidden "Lists" sheet).
func WriteTemplate(w io.Writer, lists TemplateLists) error {
	b, err := newBook("", "rexpo input template")
	if err != nil {
		return err
	}
	defer b.f.Close()
	names := []string{sheetReadMe}
	for _, l := range schema.Layouts {
		names = append(names, l.Name)
	}
	names = append(names, sheetLists)
	if err := b.addSheets(names...); err != nil {
		return err
	}
	req, err := b.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{requiredFill}},
		Border:    []excelize.Border{{Type: "bottom", Color: colHeaderLine, Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		return err
	}
	opt, err := b.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colHeaderFill}},
		Border:    []excelize.Border{{Type: "bottom", Color: colHeaderLine, Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		return err
	}
	refs, err := writeLists(b, lists)
	if err != nil {
		return err
	}
	if err := writeReadMe(b, lists); err != nil {
		return err
	}
	for _, l := range schema.Layouts {
		if err := writeInputSheet(b, l, refs, req, opt); err != nil {
			return fmt.Errorf("sheet %s: %w", l.Name, err)
		}
	}
	for _, n := range names {
		if err := b.finishSheet(n); err != nil {
			return err
		}
	}
	if err := b.f.SetSheetVisible(sheetLists, false); err != nil {
		return err
	}
	b.f.SetActiveSheet(0)
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// writeLists fills the hidden Lists sheet, one column per list, and
// returns the range each drop-down reads.
func writeLists(b *book, lists TemplateLists) (map[schema.DropDown]string, error) {
	all := map[schema.DropDown][]string{
		schema.ListCountries: lists.Countries,
		schema.ListElements:  lists.Elements,
		schema.ListMaterials: lists.Materials,
	}
	order := []schema.DropDown{schema.ListCountries, schema.ListElements, schema.ListMaterials, schema.ListClasses,
		schema.ListStances, schema.ListYesNo, schema.ListUnknownOrigin, schema.ListObjective, schema.ListRollup}
	for _, k := range order[3:] {
		all[k] = k.Words() // the fixed word lists
	}
	w := newSheetWriter(b, sheetLists)
	refs := map[schema.DropDown]string{}
	for i, k := range order {
		c := i + 1
		w.str(c, 1, listTitles[k], b.s.headerLeft)
		b.widen(sheetLists, c, float64(len(listTitles[k]))+2)
		vals := all[k]
		for j, v := range vals {
			w.str(c, j+2, v, 0)
			b.widen(sheetLists, c, float64(textWidth(v))+2)
		}
		if len(vals) > 0 {
			refs[k] = absRange(sheetLists, c, 2, c, len(vals)+1)
		}
	}
	return refs, w.err
}

// readMeLastCol is the last column of the Read me sheet: its sentences
// wrap within columns A to C, one landscape page wide.
const readMeLastCol = 3

// writeReadMe explains the template: how to fill it in and run it, what
// each sheet holds and what the material codes are.
func writeReadMe(b *book, lists TemplateLists) error {
	w := newSheetWriter(b, sheetReadMe)
	w.pageSetup(0) // landscape, one page wide
	w.wrapNotesTo(readMeLastCol)
	w.str(1, 1, "rexpo input workbook", b.s.title)
	lines := []string{
		"Fill in the sheets and run:  rexpo report this-file.xlsx   (rexpo validate this-file.xlsx lists every problem first).",
		"Hover over a column header for what it holds. Orange headers are required; the others may be left empty or deleted.",
		"The rows already filled in are examples, marked EXAMPLE in their last column: rexpo skips them, with a warning. Replace them (and clear the mark) or delete them. Optional sheets may be deleted.",
		"Element columns: BOM and Materials take one column per chemical element, named by its symbol (Nd, Pr, Dy, Tb, Sm, Co, ...) in wt% of the material, or Nd_g, Dy_g, ... in grams per unit of the part.",
		"Numbers may be typed as 1234.5 or 1,234.50; percent columns take 5 for 5%. Months are written 2026-11, or as a month of the projection (1 = first).",
		"Countries: ISO codes (CN, US) or English names. Drop-down lists suggest values; other spellings rexpo understands are accepted.",
	}
	for i, l := range lines {
		// Merged across the page and wrapped: never cut at its edge.
		w.spanText(1, readMeLastCol, 3+i, l, false)
	}
	t := w.table(1, 4+len(lines), []col{
		{head: "Sheet", kind: kText}, {head: "Required", kind: kText}, {head: "What it holds", kind: kWrap, width: 100},
	})
	for _, l := range schema.Layouts {
		t.add(l.Name, yesNo(l.Required), l.Note)
	}
	row := t.row + 3
	materialCodes(w, &row, lists)
	b.fix(sheetReadMe, 1, 22)
	b.fix(sheetReadMe, 2, 10)
	w.panes(1, 0)
	return w.err
}

// materialCodes lists on the Read me sheet, from *row, the material codes
// the drop-down lists offer, with what each is and its composition.
func materialCodes(w *sheetWriter, row *int, lists TemplateLists) {
	if len(lists.Materials) == 0 {
		return
	}
	var rows [][]any
	for _, code := range lists.Materials {
		what := ""
		if m, ok := lists.MaterialInfo[code]; ok {
			what = m.Description
			if c := composition(m.WtPct); c != "" {
				what += " (wt%: " + c + ")"
			}
		}
		rows = append(rows, []any{code, what})
	}
	w.block(row, "Material codes",
		"The BOM's material column takes one of these codes (or one of your own on the Materials sheet); its composition is the default element content of the line's rare-earth-bearing material.",
		[]col{{head: "Material", kind: kText}, {head: "What it is", kind: kSpill, span: readMeLastCol}}, rows, "")
}

// columnNote is the note on a template header.
func columnNote(c schema.Column) string {
	var b strings.Builder
	b.WriteString(c.Note)
	if c.Required {
		b.WriteString(" Required.")
	}
	if c.List == schema.ListMaterials {
		b.WriteString(" The codes, what each is and its composition: the Read me sheet.")
	}
	if len(c.Aliases) > 0 {
		b.WriteString(" Also accepted as header: ")
		b.WriteString(strings.Join(c.Aliases, ", "))
		b.WriteString(".")
	}
	return strings.TrimSpace(b.String())
}

// exampleValue turns an example cell into a number where the column is
// numeric and the text is a plain number, and keeps everything else text.
func exampleValue(c schema.Column, v string) (float64, bool) {
	switch c.Kind {
	case schema.KindAmount, schema.KindPercent, schema.KindFraction, schema.KindMonth, schema.KindRange, schema.KindPercentRange:
	default:
		return 0, false
	}
	d, err := decimal.NewFromString(strings.TrimSpace(v))
	if err != nil {
		return 0, false
	}
	if c.Kind == schema.KindMonth && !d.IsInteger() {
		return 0, false
	}
	return d.InexactFloat64(), true
}

// writeInputSheet writes one input sheet of the template: its headers,
// required ones orange, a note on each, the drop-down lists, the example
// rows and their marker column.
func writeInputSheet(b *book, l schema.SheetLayout, refs map[schema.DropDown]string, req, opt int) error {
	w := newSheetWriter(b, l.Name)
	w.pageSetup(1)
	for i, c := range l.Columns {
		style := opt
		if c.Required {
			style = req
		}
		w.str(i+1, 1, c.Name, style)
		b.widen(l.Name, i+1, float64(textWidth(c.Name))+3)
		note := columnNote(c)
		if i == 0 && l.Note != "" {
			note = "Sheet " + l.Name + ": " + l.Note + "\n\n" + c.Name + ": " + note
		}
		templateNote(w, i+1, note)
		if ref, ok := refs[c.List]; ok && c.List != schema.NoList {
			dropDown(w, i+1, ref)
		}
	}
	for r, ex := range l.Example {
		for i, v := range ex {
			if i >= len(l.Columns) || v == "" {
				continue
			}
			if f, ok := exampleValue(l.Columns[i], v); ok {
				cell := cellName(i+1, r+2)
				w.do(func() error { return b.f.SetCellFloat(l.Name, cell, f, -1, 64) })
			} else {
				w.str(i+1, r+2, v, 0)
			}
			b.widen(l.Name, i+1, math.Min(float64(textWidth(v))+2, 40))
		}
	}
	markExamples(w, l, opt)
	w.panes(1, 0)
	return w.err
}

// templateNote attaches a note to header column c, sized for its text.
func templateNote(w *sheetWriter, c int, text string) {
	w.do(func() error {
		return w.b.f.AddComment(w.sheet, excelize.Comment{Author: "rexpo", Cell: cellName(c, 1), Text: text,
			Width: 300, Height: uint(math.Min(60+float64(len(text))/2, 220))})
	})
}

// dropDown offers the list at ref in column c below the header, warning
// (not refusing) a value not in it.
func dropDown(w *sheetWriter, c int, ref string) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", colName(c), colName(c), excelize.TotalRows)
	dv.SetSqrefDropList(ref)
	dv.SetError(excelize.DataValidationErrorStyleWarning, "Not in the list",
		"This value is not in the list. rexpo also accepts other spellings (names, codes, any case); keep it if you are sure.")
	w.do(func() error { return w.b.f.AddDataValidation(w.sheet, dv) })
}
