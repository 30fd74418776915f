package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
)

// pageSetup prints the sheet landscape, fitted to one page wide, with the
// header row repeated and a footer naming the report. It touches only
// parts of the sheet a stream writer writes at its start or end, so it
// may run before NewStreamWriter.
func (b *book) pageSetup(sheet string, titleRows int) error {
	b.printed[sheet] = &printSpec{titleRows: titleRows}
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.5), Right: ptr(0.5), Top: ptr(0.6), Bottom: ptr(0.6), Header: ptr(0.3), Footer: ptr(0.3),
	}); err != nil {
		return err
	}
	if err := b.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddFooter: "&L" + escapeHF(b.footer) + "&C" + escapeHF(sheet) + "&RPage &P of &N",
	}); err != nil {
		return err
	}
	return nil // the titles repeated on each page are set by printAcross, once the widths are known
}

// escapeHF doubles the ampersands of text put in a page header or footer,
// where & starts a code, and keeps it within Excel's 255 characters.
func escapeHF(s string) string {
	s = strings.ReplaceAll(s, "&", "&&")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return s
}

// freeze keeps rows 1..rows and columns 1..cols in view.
func freezePanes(rows, cols int) *excelize.Panes {
	p := &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: cellName(cols+1, rows+1), ActivePane: "bottomLeft"}
	switch {
	case cols > 0 && rows > 0:
		p.ActivePane = "bottomRight"
	case cols > 0:
		p.ActivePane = "topRight"
	}
	p.Selection = []excelize.Selection{{SQRef: p.TopLeftCell, ActiveCell: p.TopLeftCell, Pane: p.ActivePane}}
	return p
}

// printSpec is what a printed sheet repeats on every page: its first
// rows (titles) and, when it prints across pages, its first columns.
// minScale > 0 asks for a sheet laid out to print at that scale or larger
// (in percent) when fitted to the page width, as Excel measures columns;
// wider, it prints at minScale across pages instead.
type printSpec struct {
	titleRows, titleCols, minScale int
	split                          *printSplit
}

// printSplit prints a sheet as two ranges, each starting a page: the
// columns 1..leftCols of rows 1..leftRows, and the columns from rightCol
// on, from row rightRow. The title rows repeat on both, each showing its
// own columns.
type printSplit struct{ leftCols, leftRows, rightCol, rightRow int }

// pageWidth is about how much column width (in Excel's character units)
// a landscape page prints at a scale still read without a magnifier,
// about 55%. Fitting a 40-column sheet to one page width prints it at 25%.
const pageWidth = 250.0

// printAcross lets a table wider than a page print across as many pages
// as keep it readable, its frozen key columns repeated on each, instead of
// shrinking it to one page width; sheets of several blocks (no frozen
// columns) keep to one page width. It also sets the rows repeated on every
// page. widths are the columns' widths, from column 1.
func (b *book) printAcross(sheet string, widths []float64) error {
	spec := b.printed[sheet]
	if spec == nil {
		return nil
	}
	total, titles := 0.0, 0.0
	for c, w := range widths {
		total += w
		if c < spec.titleCols {
			titles += w
		}
	}
	if spec.minScale > 0 {
		scaled := widths
		if x := spec.split; x != nil && x.rightCol <= len(widths) {
			// The wider of the two ranges sets the scale.
			left, right := widths[:min(x.leftCols, len(widths))], widths[x.rightCol-1:]
			if printScale(right) < printScale(left) {
				scaled = right
			} else {
				scaled = left
			}
		}
		if err := b.printAtScale(sheet, scaled, spec.minScale); err != nil {
			return err
		}
	}
	pages := 1
	if spec.titleCols > 0 { // a table with its key columns frozen; blocks of text stay on one page width
		pages = max(int(math.Ceil((total-titles)/(pageWidth-titles))), 1)
	}
	if pages > 1 {
		if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{FitToWidth: ptr(pages)}); err != nil {
			return err
		}
	}
	var refs []string
	if pages > 1 { // only tables with title columns print across
		refs = append(refs, fmt.Sprintf("%s!$A:$%s", quoteSheet(sheet), colName(spec.titleCols)))
	}
	if spec.titleRows > 0 {
		refs = append(refs, fmt.Sprintf("%s!$1:$%d", quoteSheet(sheet), spec.titleRows))
	}
	if len(refs) == 0 {
		return nil
	}
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: strings.Join(refs, ","), Scope: sheet})
}

// printablePixels is the width a landscape Letter page prints within the
// margins pageSetup sets (11 in less 2 × 0.5 in, at 96 pixels an inch),
// less 2% for the difference between Excel's and LibreOffice's fonts.
const printablePixels = (11 - 2*0.5) * 96 * 0.98

// columnPixels is how many pixels a column of width w (Excel's character
// units, Calibri 11) takes on screen and on paper at 100%.
func columnPixels(w float64) float64 { return math.Trunc(w*7 + 5) }

// printScale is the scale, in percent, at which columns of the given
// widths fit a page's width, at most 100.
func printScale(widths []float64) int {
	px := 0.0
	for _, w := range widths {
		px += columnPixels(w)
	}
	if px == 0 {
		return 100
	}
	return min(int(math.Floor(printablePixels/px*100)), 100)
}

// printAtScale records the scale at which the sheet, fitted to the page
// width, prints in Excel (Excel writes the same figure when it saves); a
// sheet too wide to print at least at least percent prints at that scale
// instead, across pages.
func (b *book) printAtScale(sheet string, widths []float64, least int) error {
	scale := printScale(widths)
	if scale < least {
		scale = least
		if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(false)}); err != nil {
			return err
		}
	}
	return b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{AdjustTo: ptr(uint(scale))})
}
