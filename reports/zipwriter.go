package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
)

// stableZip is the zip writer of every workbook rexpo writes. It makes
// [Content_Types].xml canonical: excelize lists the image extensions'
// Default entries in the order of a Go map, so two runs on the same input
// and --as-of would otherwise give files that differ in bytes (and in
// checksums an auditor may keep). The part keeps its place in the zip; it
// is held until the next part is created, then written with its Default
// entries sorted.
//
// It also puts the rows of the sheets streamed through a sheetBody (the
// Parts sheets) into their parts: excelize writes such a sheet's start
// and end only, which are held likewise, then written around the rows
// deflated beforehand. And it deflates with klauspost's compressor
// (deflateLevel), several times faster than compress/flate.
type stableZip struct {
	*zip.Writer
	contentTypes *bytes.Buffer // held until the next Create or Close

	bodies map[string]*sheetBody // by part name; never changed here
	held   *bytes.Buffer         // what excelize wrote of body's sheet, until the next Create or Close
	body   *sheetBody
	wrote  map[string]bool // the bodies written
}

const contentTypesPart = "[Content_Types].xml"

// newStableZip returns a zip writer for w that fills the sheets of
// bodies with their rows.
func newStableZip(w io.Writer, bodies map[string]*sheetBody) *stableZip {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, newDeflater)
	return &stableZip{Writer: zw, bodies: bodies, wrote: map[string]bool{}}
}

func (z *stableZip) Create(name string) (io.Writer, error) {
	if err := z.flush(); err != nil {
		return nil, err
	}
	if name == contentTypesPart {
		z.contentTypes = new(bytes.Buffer)
		return z.contentTypes, nil
	}
	if b := z.bodies[name]; b != nil {
		if z.wrote[name] {
			return nil, fmt.Errorf("zip: %s written twice", name)
		}
		z.held, z.body = new(bytes.Buffer), b
		return z.held, nil
	}
	return z.Writer.Create(name)
}

func (z *stableZip) AddFS(fsys fs.FS) error {
	if err := z.flush(); err != nil {
		return err
	}
	return z.Writer.AddFS(fsys)
}

func (z *stableZip) Close() error {
	if err := z.flush(); err != nil {
		return err
	}
	for name := range z.bodies {
		if !z.wrote[name] {
			return fmt.Errorf("zip: excelize wrote no %s for its rows", name)
		}
	}
	return z.Writer.Close()
}

// flush writes the part held, if any.
func (z *stableZip) flush() error {
	if b := z.body; b != nil {
		sheet := z.held.Bytes()
		z.held, z.body = nil, nil
		z.wrote[b.path] = true
		return b.writeEntry(z.Writer, sheet)
	}
	if z.contentTypes == nil {
		return nil
	}
	data := sortDefaults(z.contentTypes.Bytes())
	z.contentTypes = nil
	w, err := z.Writer.Create(contentTypesPart)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

var defaultEntry = regexp.MustCompile(`<Default [^>]*?(?:/>|>\s*</Default>)`)

// sortDefaults sorts the run of <Default> entries of a content-types
// document; anything else, or entries not in one run, is left as it is.
func sortDefaults(doc []byte) []byte {
	locs := defaultEntry.FindAllIndex(doc, -1)
	if len(locs) < 2 {
		return doc
	}
	start, end := locs[0][0], locs[len(locs)-1][1]
	entries := make([][]byte, len(locs))
	n := 0
	for i, l := range locs {
		entries[i] = doc[l[0]:l[1]]
		n += l[1] - l[0]
	}
	if n != end-start {
		return doc // something between the entries: not one run
	}
	slices.SortFunc(entries, bytes.Compare)
	out := make([]byte, 0, len(doc))
	out = append(out, doc[:start]...)
	for _, e := range entries {
		out = append(out, e...)
	}
	return append(out, doc[end:]...)
}
