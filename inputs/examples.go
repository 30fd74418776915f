package inputs

// The template's example rows: found by their marker column, skipped
// with a warning, and a sheet of nothing else set aside (SPEC section 11).

import (
	"strconv"
	"strings"

	"rexpo/schema"
)

// findExampleColumn finds the template's example-marker column.
func (t *table) findExampleColumn() {
	known := map[int]bool{}
	for _, i := range t.col {
		known[i] = true
	}
	for i, h := range t.headers {
		if !known[i] && schema.NormalizeKey(h) == schema.ExampleColumn {
			t.exampleCol = i + 1
			return
		}
	}
}

// isExampleMark reports whether a marker cell says the row is an example:
// its text starts with "example", in any case.
func isExampleMark(text string) bool {
	return strings.HasPrefix(schema.NormalizeKey(text), schema.ExampleColumn)
}

// skipExample reports whether the current row is one of the template's
// example rows, and warns that it is skipped.
func (t *table) skipExample() bool {
	if t.exampleCol == 0 {
		return false
	}
	mark := t.exampleCol - 1
	if !isExampleMark(t.cellAt(mark).Text) {
		return false
	}
	var gist []string
	for i, c := range t.row.Cells {
		if i != mark && strings.TrimSpace(c.Text) != "" && len(gist) < 2 {
			gist = append(gist, schema.Quote(strings.TrimSpace(c.Text)))
		}
	}
	what := ""
	if len(gist) > 0 {
		what = " (" + strings.Join(gist, ", ") + ", …)"
	}
	if t.ps.examples == nil {
		t.ps.examples = map[string]int{}
	}
	t.ps.examples[t.sheet]++
	t.ps.warnf(t.sheet, strconv.Itoa(t.row.Num), "example row of the template%s skipped, never run: replace it with your own data and clear its example cell %s, or delete the row",
		what, cellName(mark, t.row.Num))
	return true
}

// examplesOnly reports whether the input has at least one of the named
// sheets and they hold no row but the template's examples. It then reads
// them once more for their warnings (the example rows skipped, unknown
// columns) and says that they are set aside.
func (r *reader) examplesOnly(names ...string) bool {
	var present []string
	for _, name := range names {
		sheet := r.find(name)
		if sheet == "" {
			continue
		}
		present = append(present, sheet)
		l, _ := schema.LayoutOf(name)
		var scratch problems
		t, err := openTable(r.book, sheet, l, r.opts.Mapping, false, &scratch)
		if err != nil || t == nil {
			return false // the reading proper reports it
		}
		own := t.next()
		t.close()
		if own {
			return false
		}
	}
	if len(present) == 0 {
		return false
	}
	for _, name := range names {
		if t := r.open(name, false); t != nil {
			for t.next() {
			}
			r.readErr(t)
			t.close()
		}
	}
	what := "the " + present[0] + " sheet holds no row of its own"
	if len(present) > 1 {
		what = "the " + andList(present) + " sheets hold no row of their own"
	}
	r.ps.warnf(present[0], "", "%s, only the template's examples: the built-in scenario library runs instead", what)
	return true
}
