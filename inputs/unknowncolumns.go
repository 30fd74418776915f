package inputs

// Columns the reader does not use: each unrecognised header is warned
// about, naming the nearest known header (SPEC section 11).

import (
	"fmt"
	"strings"

	"rexpo/schema"
)

// checkColumns warns about the headers of a sheet of the user's input
// that the reader does not use, naming the nearest known header, and sets
// up the unit-cost currency watch. The reader keeps such columns and
// ignores them; the warning makes sure that is never silent.
func (r *reader) checkColumns(t *table, l *schema.SheetLayout) {
	used := map[int]bool{}
	for _, i := range t.col {
		used[i] = true
	}
	for _, i := range t.elemPct {
		used[i] = true
	}
	for _, i := range t.elemGrams {
		used[i] = true
	}
	if t.exampleCol > 0 {
		used[t.exampleCol-1] = true
	}
	if l.Name == "BOM" {
		r.silent.bomContentCols = len(t.elemPct)+len(t.elemGrams) > 0
		for _, c := range []string{"material", "re_mass_kg", "re_mass_g"} {
			if _, ok := t.col[c]; ok {
				r.silent.bomContentCols = true
			}
		}
		if i, ok := t.col["hs_code"]; ok {
			r.silent.bomHSCol = cellName(i, t.headerRow)
		}
	}
	keys := columnKeys(l, r.opts.Mapping)
	var cands []headerCandidate
	for i, h := range t.headers {
		h = strings.TrimSpace(h)
		if h == "" || used[i] {
			continue
		}
		if _, ok := keys[schema.NormalizeKey(h)]; ok || t.elemPct != nil && isElementColumn(h) {
			continue // a second header of a used column: warnDuplicateHeaders or findElementColumns said so
		}
		if cands == nil {
			cands = headerCandidates(l, t.col)
		}
		if r.silent.unknown == nil {
			r.silent.unknown = map[string][]string{}
		}
		r.silent.unknown[t.sheet] = append(r.silent.unknown[t.sheet], schema.Quote(h))
		r.warnUnknownColumn(t, i, h, cands, t.elemPct != nil)
	}
	r.watchCosts(t, l)
}

// warnUnknownColumn warns about one unrecognised header. A header near
// one of ours (a typo, an abbreviation, other words for it) bears on the
// figures: its data is most likely lost. One near none of ours (Notes,
// Plant, Find Num) is listed all the same, as an ordinary warning.
func (r *reader) warnUnknownColumn(t *table, i int, h string, cands []headerCandidate, withElements bool) {
	cell := cellName(i, t.headerRow)
	q := schema.Quote(h)
	near := nearestHeaders(h, cands)
	if len(near) == 0 && withElements {
		if sym, ok := elementHeader(h); ok {
			t.ps.figuref(t.sheet, cell, "column %s is not recognised, so its cells are ignored: an element column is headed by the element alone, %s for wt%% of the material or %s_g for grams per unit of the part; rename the header",
				q, sym, sym)
			return
		}
	}
	if len(near) == 0 {
		t.ps.warnf(t.sheet, cell, "column %s is not recognised, so its cells are ignored (no known header of the %s sheet is near it); if it holds one of rexpo's columns, rename the header or map it with --map FILE, a file of lines `our_column: Their header`",
			q, t.sheet)
		return
	}
	var names []string
	for _, c := range near {
		if c.text != c.column {
			names = append(names, fmt.Sprintf("%s (read as %s)", c.text, c.column))
		} else {
			names = append(names, c.column)
		}
	}
	nearest := "the nearest known header is " + names[0]
	if len(names) > 1 {
		nearest = "the nearest known headers are " + orList(names)
	}
	note := ""
	if code := headerCurrency(h); code != "" && code != r.settings.Currency && near[0].column == "unit_cost" {
		note = fmt.Sprintf(" (its header names %s: say so in a currency column, with an FX row for %s)", code, code)
	}
	t.ps.figuref(t.sheet, cell, "column %s is not recognised, so its cells are ignored; %s. If it holds %s, rename the header to %s or map it with --map FILE, a file with the line `%s: %s`%s",
		q, nearest, map[bool]string{true: "that column", false: "one of them"}[len(near) == 1], near[0].column, near[0].column, strings.TrimSpace(h), note)
}
