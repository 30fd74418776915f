package inputs

// The header row of a sheet: which header means which column (names,
// aliases, --map, ERP exports, element columns), what a header row lacks,
// and headers that mean the same column twice.

import (
	"fmt"
	"regexp"
	"strings"

	"rexpo/reference"
	"rexpo/schema"
	"rexpo/workbook"
)

// headerSearchRows is how far down a sheet the header row is looked for,
// below a title block.
const headerSearchRows = 20

// erpAliases are headers of ERP exports (SAP CS11/CS12, Agile) that mean
// one of our columns, in their raw spelling.
var erpAliases = map[string][]string{
	"level":       {"Explosion level", "Level", "Lvl"},
	"part_number": {"Component number", "Item Number", "Component", "Material"},
	"description": {"Object description", "Item Description", "Component description"},
	"qty_per":     {"Comp. Qty (CUn)", "Comp. Qty (BUn)", "Component quantity", "Qty", "Qty (CUn)", "Qty (BUn)"},
	"uom":         {"Component unit", "Unit", "UoM", "Base unit of measure", "Base Unit", "BUn"},
}

var (
	gramsHeader = regexp.MustCompile(`(?i)^([A-Za-z]+)(?:[ _\-]+g|\s*\(\s*g\s*\)|[ _\-]+grams?)$`)
	pctHeader   = regexp.MustCompile(`(?i)^([A-Za-z]+)(?:[ _\-]*(?:pct|%|\(\s*%\s*\)|wt\s*%|\(\s*wt\s*%\s*\)|wt_?pct))?$`)
)

// columnKey is the column a header means and how strongly: when several
// headers of a sheet mean the same column, the lowest rank wins.
type columnKey struct {
	name string
	rank int
}

// columnKeys maps every normalised header a layout accepts to its column:
// a --map entry first, then the canonical name, then aliases in their
// listed order, then ERP export headers.
func columnKeys(l *schema.SheetLayout, mapping map[string]string) map[string]columnKey {
	keys := map[string]columnKey{}
	add := func(header, name string, rank int) {
		k := schema.NormalizeKey(header)
		if old, taken := keys[k]; !taken || rank < old.rank {
			keys[k] = columnKey{name, rank}
		}
	}
	for _, c := range l.Columns {
		add(c.Name, c.Name, 1)
		for i, a := range c.Aliases {
			add(a, c.Name, 2+i)
		}
		if base, ok := strings.CutSuffix(c.Name, "_pct"); ok {
			add(base, c.Name, 50)
		}
	}
	if l.Name == "BOM" {
		for name, as := range erpAliases {
			for i, a := range as {
				add(a, name, 100+i)
			}
		}
	}
	for ours, theirs := range mapping {
		if k, ok := keys[schema.NormalizeKey(ours)]; ok {
			keys[schema.NormalizeKey(theirs)] = columnKey{k.name, 0}
		}
	}
	return keys
}

// assignColumns maps a header row's cells to columns, the best-ranked
// header winning where several mean the same column.
func assignColumns(cells []workbook.Cell, keys map[string]columnKey) map[string]int {
	cols := map[string]int{}
	ranks := map[string]int{}
	for i, c := range cells {
		k, ok := keys[schema.NormalizeKey(c.Text)]
		if !ok || strings.TrimSpace(c.Text) == "" {
			continue
		}
		if r, dup := ranks[k.name]; !dup || k.rank < r {
			cols[k.name], ranks[k.name] = i, k.rank
		}
	}
	return cols
}

func texts(cells []workbook.Cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c.Text
	}
	return out
}

// quoteList quotes names for a message: each cut as schema.Quote cuts it and
// at most quoteListMax of them, so that a header row of huge or countless
// cells still makes a message a person can read.
func quoteList(ss []string) string {
	var q []string
	more := 0
	for _, s := range ss {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if len(q) == quoteListMax {
			more++
			continue
		}
		q = append(q, schema.Quote(s))
	}
	if len(q) == 0 {
		return "none"
	}
	if more > 0 {
		q = append(q, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(q, ", ")
}

const quoteListMax = 30

func requiredNames(l *schema.SheetLayout) string {
	var n []string
	for _, c := range l.Columns {
		if c.Required {
			n = append(n, c.Name)
		}
	}
	return strings.Join(n, ", ")
}

// bareHeaderWords are element symbols that are also common header words
// ("No" for a row number, "In", "As", "At", "Be"): alone they are not read
// as wt% columns; "No_pct" or "Nobelium" still are.
var bareHeaderWords = map[string]bool{"no": true, "in": true, "as": true, "at": true, "be": true, "he": true, "am": true, "es": true, "pa": true, "po": true, "i": true}

// findElementColumns recognises element headers: `Nd`, `Nd_pct`, `Nd (%)`,
// `Nd wt%` or `Neodymium` as wt%, and `Nd_g`, `Nd (g)` as grams per unit.
// A grams header needs a separator, so `Hg` stays mercury.
func (t *table) findElementColumns() {
	t.elemPct, t.elemGrams = map[string]int{}, map[string]int{}
	known := map[int]bool{}
	for _, i := range t.col {
		known[i] = true
	}
	for i, h := range t.headers {
		h = strings.TrimSpace(h)
		if known[i] || h == "" {
			continue
		}
		if m := gramsHeader.FindStringSubmatch(h); m != nil {
			if sym, err := reference.LookupElement(m[1]); err == nil {
				if _, dup := t.elemGrams[sym]; dup {
					t.ps.warnf(t.sheet, cellName(i, t.headerRow), "second column for %s grams ignored", sym)
					continue
				}
				t.elemGrams[sym] = i
				continue
			}
		}
		if m := pctHeader.FindStringSubmatch(h); m != nil {
			if sym, err := reference.LookupElement(m[1]); err == nil && !(m[0] == m[1] && bareHeaderWords[strings.ToLower(h)]) {
				if _, dup := t.elemPct[sym]; dup {
					t.ps.warnf(t.sheet, cellName(i, t.headerRow), "second column for %s wt%% ignored", sym)
					continue
				}
				t.elemPct[sym] = i
			}
		}
	}
}

func (t *table) warnDuplicateHeaders(keys map[string]columnKey) {
	for i, h := range t.headers {
		if k, ok := keys[schema.NormalizeKey(h)]; ok && strings.TrimSpace(h) != "" {
			if used := t.col[k.name]; used != i {
				t.ps.warnf(t.sheet, cellName(i, t.headerRow), "column %q also means %s: column %s (%q) is used", h, k.name, colName(used), t.headers[used])
			}
		}
	}
}

// missingColumns says which required columns a header row lacks and, for
// each, the header found that is nearest to it (an ERP's own words for it,
// a typo) with the --map line that would read it; or that none is near.
func missingColumns(l *schema.SheetLayout, cells []workbook.Cell, keys map[string]columnKey) string {
	cols := assignColumns(cells, keys)
	used := map[int]bool{}
	for _, i := range cols {
		used[i] = true
	}
	var parts []string
	for _, c := range l.Columns {
		if _, ok := cols[c.Name]; !c.Required || ok {
			continue
		}
		cands := headerCandidates(&schema.SheetLayout{Name: l.Name, Columns: []schema.Column{c}}, nil)
		best, bestScore := "", 0.0
		for i, cell := range cells {
			h := strings.TrimSpace(cell.Text)
			if h == "" || used[i] {
				continue
			}
			for _, cand := range cands {
				if cand.column != c.Name {
					continue
				}
				if s := headerScore(h, cand); s > bestScore {
					best, bestScore = h, s
				}
			}
		}
		if best == "" {
			parts = append(parts, fmt.Sprintf("missing required column %s: no header found is near it; add the column, or name yours with --map FILE, a file with the line `%s: Your header`",
				c.Name, c.Name))
			continue
		}
		parts = append(parts, fmt.Sprintf("missing required column %s; the nearest header found is %s: if it holds %s, rename it %s or map it with --map FILE, a file with the line `%s: %s`",
			c.Name, schema.Quote(best), c.Name, c.Name, c.Name, best))
	}
	return strings.Join(parts, "; ")
}
