// Package workbook reads the files a user gives rexpo as one kind of
// thing: a book of named sheets whose rows stream as raw cells. A book is
// an .xlsx workbook, one CSV file (the sheet "BOM") or a folder of CSV
// files (one sheet per file) — SPEC section 2. It says what each
// cell stores and how it is formatted (a number shown as a percentage or a
// date, a CSV field whose comma is unsure), never what it means: turning
// cells into amounts, countries and BOM lines is the inputs package's job.
//
// The package is named for what it yields, not for a file format: CSV
// input is read into the same Book, Row and Cell as a workbook, so inputs
// never asks which it has. It opens what it is told to (OpenXLSX, OpenCSV,
// OpenFolder, OpenCSVFS); deciding what a file is, from its bytes and its
// name, is inputs.Open's.
//
// Where things are:
//
//   - book.go: Book, OpenFolder, Cell, Row, RowReader, Limits and the errors
//     (ErrNotWorkbook, ErrEncrypted, ErrDamaged, ErrTooLarge);
//   - zip.go: OpenXLSX — the zip archive, its parts and
//     relationships, and the byte limits every part is read under
//     (--max-unzipped: the zip bomb of SPEC section 11);
//   - xml.go: the XML tokenizer (slices into a buffer, no DTDs, no
//     entity expansion);
//   - styles.go: the shared strings and the number formats of cell styles;
//   - rows.go: the worksheet reader, row by row, and plaincell.go, its
//     fast path for the cells Excel writes;
//   - rowcount.go: counting a worksheet's rows before reading it, so that
//     a sheet that deflates suspiciously well and runs past the last row
//     is refused before a row is read;
//   - ahead.go: reading a large sheet's rows on a goroutine of their own;
//   - csv.go: CSV files and folders, read with encoding/csv;
//   - ole.go: telling an encrypted workbook from an old .xls.
//
// The reader streams: a worksheet or CSV file of a million rows is read a
// row at a time (a large one a batch ahead of its caller), and only the shared strings and styles
// are held whole, under Limits, so that a zip bomb ends in ErrTooLarge. A
// part whose size as its zip entry declares it passes a limit is refused
// before it is inflated.
package workbook
