package reports

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxNotices is how many warnings on the figures the Summary lists before
// it sends the reader to the Warnings sheet.
const maxNotices = 10

// figureWarnings returns the warnings that bear on the figures
// (Problem.Figures): those about the input as a whole first (no content,
// stale data), then those about a cell or column, each group in the
// order found.
func (rep *report) figureWarnings() []Problem {
	var whole, cells []Problem
	for _, p := range rep.m.Warnings {
		switch {
		case p.Error || !p.Figures:
		case p.Cell == "":
			whole = append(whole, p)
		default:
			cells = append(cells, p)
		}
	}
	return append(whole, cells...)
}

// noticesBlock writes the warnings on the figures from row on, under a
// heading, one wrapped paragraph each: the first thing a buyer reads after
// the title, so that a report of zeros is not taken for good news. It
// returns the row where the next block starts (row itself when there are
// no such warnings).
func (rep *report) noticesBlock(w *sheetWriter, row int) int {
	ws := rep.figureWarnings()
	if len(ws) == 0 {
		return row
	}
	var head, body int
	w.do(func() error {
		var err error
		head, err = w.b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "C00000"}})
		return err
	})
	w.do(func() error {
		var err error
		body, err = w.b.f.NewStyle(&excelize.Style{
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
			Border:    []excelize.Border{{Type: "left", Color: "E0A800", Style: 5}},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true, Indent: 1},
		})
		return err
	})
	title := "Read this first: a warning bears on these figures"
	if len(ws) > 1 {
		title = fmt.Sprintf("Read this first: %d warnings bear on these figures", len(ws))
	}
	w.str(1, row, title, head)
	row++
	for i, p := range ws {
		if i == maxNotices {
			w.str(1, row, fmt.Sprintf("… and %d more: see the Warnings sheet.", len(ws)-maxNotices), w.b.s.subtitle)
			row++
			break
		}
		text := p.Message
		if pl := place(p); pl != "" {
			text = pl + ": " + text
		}
		w.str(1, row, text, body)
		w.merge(1, row, summaryWidth, row)
		// Merged cells do not grow with their text: about 135 characters
		// a line across A:G.
		lines := math.Ceil(float64(utf8.RuneCountInString(text)) / 135)
		w.height(row, lines*15+3)
		row++
	}
	return row + 1
}

// place is a problem's "BOM!F12", "BOM" or "".
func place(p Problem) string {
	switch {
	case p.Sheet == "":
		return p.Cell
	case p.Cell == "":
		return p.Sheet
	}
	return p.Sheet + "!" + p.Cell
}

// zeroReason says why an expected change of zero is no finding, or "":
// the BOM carries no rare-earth content, or the input drew warnings on
// the figures.
func (rep *report) zeroReason() string {
	if len(rep.r.Input.BOM.Lines) > 0 && !rep.anyContent() {
		return "no BOM line carries rare-earth content, so no export control can reach the products: the figures are zero for want of content, not because nothing changes (see the warnings at the top of this sheet)."
	}
	if len(rep.figureWarnings()) > 0 {
		return "rexpo may not have understood all of the input; see the warnings at the top of this sheet."
	}
	return ""
}

// noticeSentence points from the paragraph to the warnings, when there
// are any and the paragraph has not already said why its figure is zero.
func (rep *report) noticeSentence(zeroExplained bool) string {
	var out string
	if !zeroExplained && len(rep.r.Input.BOM.Lines) > 0 && !rep.anyContent() {
		out = "No BOM line carries rare-earth content, so the price, shortage and carrying parts are zero for want of content, not because nothing changes: the change shown is tariffs alone. "
	}
	if n := len(rep.figureWarnings()); n > 0 && !zeroExplained {
		out += fmt.Sprintf("These figures rest on an input that drew %d warning(s) at the top of this sheet: read them first.", n)
	}
	return strings.TrimSpace(out)
}

func (rep *report) anyContent() bool {
	for i := range rep.r.Input.BOM.Lines {
		if len(rep.r.Input.BOM.Lines[i].Content) > 0 {
			return true
		}
	}
	return false
}
