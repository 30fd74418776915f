package reference

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"rexpo/schema"
)

// row is one record of a reference CSV file, by column name.
type row struct {
	file   string
	line   int
	rec    []string
	header map[string]int // NormalizeKey of each header → its index
}

// get returns the trimmed field of the column named col ("" when the file
// has no such column).
func (r row) get(col string) string {
	i, ok := r.header[schema.NormalizeKey(col)]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r row) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

// readCSV reads an embedded reference CSV file whose header names at
// least the given columns (other columns are kept for get; '#' starts a
// comment line; blank lines are skipped). It returns the header as
// written and the rows.
func readCSV(fsys fs.FS, name string, cols ...string) ([]row, error) {
	_, rows, err := readTable(fsys, name, cols...)
	return rows, err
}

// readTable is readCSV that also returns the header.
func readTable(fsys fs.FS, name string, cols ...string) ([]string, []row, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("reference data: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("reference data %s: empty file", name)
		}
		return nil, nil, fmt.Errorf("reference data %s: %w", name, err)
	}
	idx := make(map[string]int, len(header))
	for i, h := range header {
		idx[schema.NormalizeKey(h)] = i
	}
	for _, c := range cols {
		if _, ok := idx[schema.NormalizeKey(c)]; !ok {
			return nil, nil, fmt.Errorf("reference data %s: no column %q in header %q", name, c, header)
		}
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reference data %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, row{file: name, line: line, rec: rec, header: idx})
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("reference data %s: no rows", name)
	}
	return header, rows, nil
}

// rowError is row.errorf for a line that is not a record (the header).
func rowError(file string, line int, format string, args ...any) error {
	return row{file: file, line: line}.errorf(format, args...)
}
