package declaration

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"rexpo/schema"
)

// maxFileBytes caps one declaration file: a full declaration of a
// large assembly runs to a few MiB. Tests lower it.
var maxFileBytes int64 = 32 << 20

// maxDepth caps element nesting, far above any schema's.
const maxDepth = 64

// File is what one declaration file says about rare earths.
type File struct {
	Name     string // the file's name as messages give it
	Format   string // "IPC-1752A" or "IEC 62474"; "" when not recognised
	Products []Product
	// Problems are warnings about the file.
	Problems []Problem
}

// Problem is a warning about a declaration file, placed by its own
// position: the file, the element path in it and the line, not a sheet
// and a cell.
type Problem struct {
	File    string // the file's name as messages give it
	Path    string // element path (/MainDeclaration/Product[1]/...), "" for the file as a whole
	Line    int    // 1-based line of the XML, 0 when not known
	Message string
}

// String formats the problem for logs and tests: file, path and text.
func (p Problem) String() string {
	if p.Path == "" {
		return p.File + ": " + p.Text()
	}
	return p.File + " " + p.Path + ": " + p.Text()
}

// Error is String: a Problem is an error, with its own position, for the
// inputs package's problem list.
func (p Problem) Error() string { return p.String() }

// Text returns the message as the problem list shows it, after the
// file and path: "line 12: ..." when the line is known.
func (p Problem) Text() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return p.Message
}

// Product is one product of a declaration.
type Product struct {
	PartNumber string // the item number (or the --map field) matched to BOM part numbers
	Name       string
	Unit       string // unitType as declared ("Each"), "" when not stated
	Path       string // element path of the Product, for messages
	// Masses is false when the product declares no material masses (an
	// IPC-1752A Class C or a compliance-only IEC 62474 declaration): it
	// cannot supply content.
	Masses bool
	// Usable is false when a rare-earth figure is broken (missing,
	// negative, duplicated, a percent over 100): the declaration's
	// problems say why, and the product supplies no content.
	Usable bool
	// Grams is the mass of each rare earth in one unit of the product,
	// summed over its materials, oxides and compounds converted to the
	// element: symbol → grams.
	Grams map[string]decimal.Decimal
}

// errTooLarge stops a file that exceeds maxFileBytes.
var errTooLarge = errors.New("too large")

// Parse reads one declaration from r. name is the file name
// that messages give; partField, when not empty, names the attribute or
// element whose value is matched to BOM part numbers (--map
// declaration_part_number). A broken file yields problems, never an error
// or a panic.
func Parse(r io.Reader, name, partField string) File {
	d := File{Name: name}
	species, err := rareEarthSpecies()
	if err != nil {
		d.problem("", 0, "cannot read declarations: %v", err)
		return d
	}
	p := &parser{out: &d, partField: schema.NormalizeKey(partField), fieldName: partField, species: species}
	p.run(r)
	return d
}

// problem records a warning about the file.
func (d *File) problem(path string, line int, format string, args ...any) {
	d.Problems = append(d.Problems, Problem{File: d.Name, Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
}

// limitedReader returns errTooLarge once more than n bytes are read.
// io.LimitReader would end a large file with a quiet EOF, which the
// decoder reports as broken XML; this error says what happened.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(b []byte) (int, error) {
	if l.n <= 0 {
		return 0, errTooLarge
	}
	if int64(len(b)) > l.n {
		b = b[:l.n]
	}
	n, err := l.r.Read(b)
	l.n -= int64(n)
	return n, err
}

// Read reads the declaration file name of fsys, or every
// .xml file under it when it is a folder (in name order, read in
// parallel). display is the name messages give the file or folder. An
// error means name cannot be read at all; broken files yield problems.
func Read(fsys fs.FS, name, display, partField string) ([]File, error) {
	files, err := listFiles(fsys, name, display)
	if err != nil {
		return nil, err
	}
	return parseAll(fsys, files, partField), nil
}

// listedFile is one declaration file to read.
type listedFile struct {
	name, display string
	special       bool // not a regular file: a pipe would block the read for ever
}

// listFiles lists the file name, or the .xml files under the folder name
// in name order, skipping hidden files and folders. A file that is not
// regular (a pipe, a device, a link that leads nowhere) is listed as
// special, to be reported rather than opened.
func listFiles(fsys fs.FS, name, display string) ([]listedFile, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file (%s)", display, st.Mode().Type())
		}
		return []listedFile{{name: name, display: display}}, nil
	}
	var files []listedFile
	err = fs.WalkDir(fsys, name, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != name && strings.HasPrefix(e.Name(), ".") {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !e.IsDir() && strings.EqualFold(path.Ext(e.Name()), ".xml") {
			rel := strings.TrimPrefix(strings.TrimPrefix(p, name), "/")
			if name == "." {
				rel = p
			}
			regular := e.Type().IsRegular()
			if e.Type()&fs.ModeSymlink != 0 {
				st, err := fs.Stat(fsys, p) // where the link leads, if fsys lets it
				regular = err == nil && st.Mode().IsRegular()
			}
			files = append(files, listedFile{name: p, display: path.Join(strings.TrimSuffix(display, "/"), rel), special: !regular})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

// parseAll parses the files on as many goroutines as there are CPUs,
// each result in its file's place. A worker's panic is raised again in
// the caller's goroutine, once every worker has stopped.
func parseAll(fsys fs.FS, files []listedFile, partField string) []File {
	out := make([]File, len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	var crash sync.Once
	var crashed any
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					crash.Do(func() { crashed = p })
					for range work { // the others' share, so that the sender ends
					}
				}
			}()
			for i := range work {
				out[i] = parseFile(fsys, files[i], partField)
			}
		}()
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()
	if crashed != nil {
		panic(crashed)
	}
	return out
}

// parseFile parses one listed file; one that cannot be opened, or is not
// regular, becomes a File with that problem.
func parseFile(fsys fs.FS, lf listedFile, partField string) File {
	if lf.special {
		f := File{Name: lf.display}
		f.problem("", 0, "skipped: not a regular file (a pipe, a device, or a link that leads out of the folder or nowhere)")
		return f
	}
	fh, err := fsys.Open(lf.name)
	if err != nil {
		f := File{Name: lf.display}
		f.problem("", 0, "cannot open: %v", err)
		return f
	}
	defer fh.Close()
	return Parse(fh, lf.display, partField)
}
