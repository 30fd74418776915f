package inputs

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"rexpo/workbook"
)

// workbookExts are the names of files that must be workbooks: a file so
// named that is not one is told what it is (empty, HTML, not a zip).
var workbookExts = map[string]bool{".xlsx": true, ".xlsm": true, ".xltx": true, ".xltm": true}

// Open opens an input file of size bytes in r, named name (for messages
// and its extension): an upload, or a file of the command line
// (OpenPath). It is the one place that decides what a file is: its first
// bytes first, so that a workbook is read as one whatever its name (a zip
// is an .xlsx workbook; an OLE file an encrypted workbook or an old .xls,
// refused with what to do); then its name, .csv being one CSV sheet named
// "BOM". Anything else is workbook.ErrNotWorkbook. Reads of r stop with its
// errors: wrap it in workbook.ContextReaderAt to bound them by a context.
func Open(name string, r io.ReaderAt, size int64, lim workbook.Limits) (*workbook.Book, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case workbook.LooksLikeWorkbook(r), workbookExts[ext]:
		return workbook.OpenXLSX(r, size, name, lim)
	case ext == ".csv":
		return workbook.OpenCSV(r, size, name, lim)
	}
	return nil, fmt.Errorf("%s: %w: expected an .xlsx workbook, a .csv file or a folder of .csv files", name, workbook.ErrNotWorkbook)
}

// OpenPath opens the input at path on this machine: a folder of CSV files
// (each *.csv file a sheet named after its stem), or a file, which Open
// reads. Reading stops with ctx's error once ctx is done: a zip bomb is
// refused within its limits, but reaching them takes time that Ctrl-C must
// be able to cut short. A relative path in the input's Settings points
// into the folder, or the file's folder. Close the book when done.
func OpenPath(ctx context.Context, path string, lim workbook.Limits) (*workbook.Book, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err // *PathError names the file
	}
	switch {
	case st.IsDir():
		return workbook.OpenFolder(ctx, path, lim)
	case !st.Mode().IsRegular():
		// A pipe would block the read, or be read only once.
		return nil, fmt.Errorf("%s: %w: not a regular file (%s): save the input to a file", path, workbook.ErrNotWorkbook, st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	b, err := Open(path, workbook.ContextReaderAt(ctx, f), st.Size(), lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	b.InFile(f)
	b.SetContext(ctx)
	return b, nil
}
