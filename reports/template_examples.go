package reports

import "rexpo/schema"

// exampleNote is the note on the template's example-marker header.
const exampleNote = "Marks the template's example rows. rexpo skips a row whose cell here starts with EXAMPLE, with a warning, and never runs it: " +
	"so an example left in place cannot pass for your data (an example scenario would replace the built-in library). " +
	"To use a row, put your own data in it and clear this cell. Delete the example rows, or this column, when done."

// markExamples writes the example-marker column after a sheet's own
// columns: its header, a note, and schema.ExampleMark on each example row.
// The mark is a cell of its own, so that it survives edits to the row's
// other cells, and the reader recognises it by its header
// (schema.ExampleColumn).
func markExamples(w *sheetWriter, l schema.SheetLayout, header int) {
	if len(l.Example) == 0 {
		return
	}
	c := len(l.Columns) + 1
	w.str(c, 1, schema.ExampleColumn, header)
	templateNote(w, c, exampleNote)
	for r := range l.Example {
		w.str(c, r+2, schema.ExampleMark, w.b.s.note)
	}
	w.b.widen(w.sheet, c, float64(textWidth(schema.ExampleMark))+2)
}
