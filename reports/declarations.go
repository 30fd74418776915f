package reports

import (
	"fmt"

	"rexpo/exposure"
)

// Suppliers' material declarations on the report: the Parts sheet says
// where each line's rare-earth content came from, and the Summary counts
// the lines whose content suppliers declared. Both appear only when a
// declaration supplied content, so reports without declarations keep
// their layout.

// noteSource measures a line's content source during the Parts scan.
func (sc *partsScan) noteSource(l *exposure.Line) {
	if l.ContentSource == "" {
		return
	}
	sc.sourceCol = true
	sc.sourceW = max(sc.sourceW, textWidth(contentSource(l, true)))
}

// sourceCols is 1 when the Parts sheets have the content-source column.
func (sc *partsScan) sourceCols() int {
	if sc.sourceCol {
		return 1
	}
	return 0
}

// sourceColumn is the content-source column, right after the elements
// (when there is none, the first class column is here).
func (sc *partsScan) sourceColumn() int { return partFixedCols + len(sc.elements) + 1 }

// sourceColumns is the content-source column, when the sheet has it.
func sourceColumns(sc *partsScan) []col {
	if !sc.sourceCol {
		return nil
	}
	return []col{{head: "Rare-earth content from", kind: kText}}
}

// sourceNote explains the content-source column.
const sourceNote = "declaration <file>: the grams come from the supplier's material declaration (IPC-1752A or IEC 62474), because the BOM row gave none. BOM: from the BOM row (a declaration that differs by more than 5% is listed on the Warnings sheet)."

// contentSource is a line's content-source cell: "" for a line without
// rare-earth content.
func contentSource(l *exposure.Line, hasContent bool) string {
	switch {
	case !hasContent:
		return ""
	case l.ContentSource != "":
		return "declaration " + l.ContentSource
	}
	return "BOM"
}

// declaredCounts returns how many BOM lines carry rare-earth content
// (the exposed lines) and how many of them took it from a declaration.
func declaredCounts(r *exposure.Result) (declared, exposed int) {
	if r.Input == nil {
		return 0, 0
	}
	for i := range r.Input.BOM.Lines {
		l := &r.Input.BOM.Lines[i]
		has := false
		for _, c := range l.Content {
			if c.Kg.Sign() > 0 {
				has = true
				break
			}
		}
		if !has {
			continue
		}
		exposed++
		if l.ContentSource != "" {
			declared++
		}
	}
	return declared, exposed
}

// declaredSentence is the Summary's sentence on declarations, "" when no
// declaration supplied content.
func declaredSentence(r *exposure.Result) string {
	declared, exposed := declaredCounts(r)
	if declared == 0 {
		return ""
	}
	return fmt.Sprintf("Rare-earth content declared by suppliers for %d of %d exposed lines (marked on the Parts sheet).", declared, exposed)
}
