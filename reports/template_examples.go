package reports

import (
	"math"

	"github.com/xuri/excelize/v2"

	"rexpo/schema"
)

// exampleNote is the note on the template's example-marker header.
const exampleNote = "Marks the template's example rows. rexpo skips a row whose cell here starts with EXAMPLE, with a warning, and never runs it: " +
	"so an example left in place cannot pass for your data (an example scenario would replace the built-in library). " +
	"To use a row, put your own data in it and clear this cell. Delete the example rows, or this column, when done."

// markExamples writes the example-marker column after a sheet's own
// columns: its header, a note, and schema.ExampleMark on each example row.
// The mark is a cell of its own, so that it survives edits to the row's
// other cells, and the reader recognises it by its header
// (schema.ExampleColumn).
func markExamples(b *book, l schema.SheetLayout, header int) error {
	if len(l.Example) == 0 {
		return nil
	}
	s, c := l.Name, len(l.Columns)+1
	if err := b.str(s, c, 1, schema.ExampleColumn, header); err != nil {
		return err
	}
	if err := b.f.AddComment(s, excelize.Comment{Author: "rexpo", Cell: cellName(c, 1), Text: exampleNote,
		Width: 300, Height: uint(math.Min(60+float64(len(exampleNote))/2, 220))}); err != nil {
		return err
	}
	for r := range l.Example {
		if err := b.str(s, c, r+2, schema.ExampleMark, b.s.note); err != nil {
			return err
		}
	}
	b.widen(s, c, float64(textWidth(schema.ExampleMark))+2)
	return nil
}
