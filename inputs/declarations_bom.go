package inputs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/declaration"
	"rexpo/exposure"
	"rexpo/schema"
	"rexpo/workbook"
)

// declarationSlack is how far a declared figure may differ from the BOM's
// before a warning names both: 5%.
const declarationSlack = "0.05"

// readDeclarations fills the rare-earth content of BOM lines from
// suppliers' declarations: Options.Declarations, then the file or folder
// the declarations setting (--declarations) names. A declared product
// matches the lines whose part number is its item number (or the --map
// declaration_part_number field), ignoring case.
func (r *reader) readDeclarations() error {
	decls := r.opts.Declarations
	if v := r.declSetting; strings.TrimSpace(v.text) != "" {
		more, ok := r.loadDeclarations(v)
		if !ok {
			return nil
		}
		decls = append(decls[:len(decls):len(decls)], more...)
	}
	if len(decls) > 0 {
		r.applyDeclarations(decls)
	}
	return nil
}

// declarationField returns the --map declaration_part_number entry, or "".
func (r *reader) declarationField() string {
	for k, v := range r.opts.Mapping {
		if schema.NormalizeKey(k) == schema.NormalizeKey(schema.DeclarationPartKey) {
			return v
		}
	}
	return ""
}

// loadDeclarations reads the files a declarations setting names. A flag's
// path is a path on this machine; a Settings sheet's path is relative to
// the input's folder and must stay inside it, so that a workbook cannot
// make rexpo read files elsewhere.
func (r *reader) loadDeclarations(v settingValue) ([]declaration.File, bool) {
	p := strings.TrimSpace(v.text)
	field := r.declarationField()
	var (
		fsys fs.FS
		name string
	)
	if v.sheet == "" {
		st, err := os.Stat(p)
		if err != nil {
			r.ps.errorf("", v.place, "declarations %q: %w", p, declPathError(err))
			return nil, false
		}
		if st.IsDir() {
			fsys, name = os.DirFS(p), "."
		} else {
			fsys, name = os.DirFS(filepath.Dir(p)), filepath.Base(p)
		}
	} else {
		base, dir, root, err := r.book.Folder()
		switch {
		case errors.Is(err, workbook.ErrNoFolder):
			r.ps.warnf(v.sheet, v.place, "declarations %q ignored: this input was not read from a folder, so a path in its Settings has nothing to be relative to (use --declarations)", p)
			return nil, false
		case err != nil:
			r.ps.errorf(v.sheet, v.place, "declarations %q: %w", p, declPathError(err))
			return nil, false
		}
		defer root.Close()
		clean := path.Clean(filepath.ToSlash(p))
		if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || !fs.ValidPath(clean) {
			r.ps.errorf(v.sheet, v.place, "declarations %q: give a file or folder inside the input's folder, as a relative path such as declarations (use --declarations for any other path)", p)
			return nil, false
		}
		fsys, name = base, path.Join(dir, clean)
	}
	decls, err := declaration.Read(fsys, name, p, field)
	if err != nil {
		r.ps.errorf(v.sheet, v.place, "declarations %q: %w", p, declPathError(err))
		return nil, false
	}
	if len(decls) == 0 {
		r.ps.warnf(v.sheet, v.place, "declarations %q: the folder holds no .xml files", p)
	}
	r.declPlace = [2]string{v.sheet, v.place}
	return decls, true
}

// declPathError says why a declarations path cannot be read, in words
// that leave out the path (the message names it), wrapping err.
func declPathError(err error) error {
	var pe *fs.PathError
	msg := err.Error()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = "no such file or folder"
	case errors.As(err, &pe):
		msg = pe.Err.Error()
	}
	return &causeError{msg: msg, errs: []error{err}}
}

// partKey is how part numbers are compared: trimmed, ignoring case.
func partKey(pn string) string { return strings.ToUpper(strings.TrimSpace(pn)) }

// eachUnits are the unitType values that mean one piece.
var eachUnits = map[string]bool{"": true, "each": true, "ea": true, "piece": true, "pieces": true, "pc": true, "pcs": true, "unit": true, "units": true, "set": true}

// declared is one declared product, by the file that declares it, and
// whether a BOM line matched it.
type declared struct {
	p       *declaration.Product
	file    string
	matched bool
}

// applyDeclarations lists the declarations' problems, then fills or
// checks the content of the BOM lines they match.
func (r *reader) applyDeclarations(decls []declaration.File) {
	byPart, order := r.indexDeclarations(decls)
	if len(byPart) == 0 {
		return
	}
	slack := decimal.RequireFromString(declarationSlack)
	rare := exposure.RareEarths()
	for i := range r.bom.Lines {
		l := &r.bom.Lines[i]
		e := byPart[partKey(l.PartNumber)]
		if e == nil {
			continue
		}
		e.matched = true
		if !e.p.Usable {
			continue // the declaration's problems say why
		}
		bom := map[string]decimal.Decimal{}
		for _, c := range l.Content {
			if exposure.IsRareEarth(c.Element) {
				bom[c.Element] = bom[c.Element].Add(c.Kg.Shift(3))
			}
		}
		if len(bom) == 0 {
			r.fillFromDeclaration(l, e, rare)
		} else {
			r.checkDeclaration(l, e, bom, slack, rare)
		}
	}
	r.warnUnmatchedDeclarations(order)
}

// indexDeclarations lists every declaration's problems (as warnings, by
// file and element path in place of sheet and cell) and indexes the
// declared products by part number, in the order read; a part declared
// twice keeps its first declaration, with a warning.
func (r *reader) indexDeclarations(decls []declaration.File) (map[string]*declared, []*declared) {
	byPart := map[string]*declared{}
	var order []*declared
	for i := range decls {
		d := &decls[i]
		for _, p := range d.Problems {
			r.ps.add(Problem{Sheet: p.File, Cell: p.Path, Message: p.Text(), Err: p})
		}
		for j := range d.Products {
			p := &d.Products[j]
			if p.PartNumber == "" {
				continue
			}
			k := partKey(p.PartNumber)
			if first, dup := byPart[k]; dup {
				r.ps.warnf(d.Name, p.Path, "part %q is declared again (first in %s): this declaration is ignored", p.PartNumber, first.file)
				continue
			}
			e := &declared{p: p, file: d.Name}
			byPart[k] = e
			order = append(order, e)
		}
	}
	return byPart, order
}

// fillFromDeclaration gives a BOM line without rare-earth content the
// grams its declaration gives, per BOM unit: a declaration per another
// unit than the BOM's is warned about, since the masses are taken as they
// are.
func (r *reader) fillFromDeclaration(l *exposure.Line, e *declared, rare []string) {
	added := false
	for _, sym := range rare {
		if g := e.p.Grams[sym]; g.Sign() > 0 {
			l.Content = append(l.Content, exposure.ElementMass{Element: sym, Kg: g.Shift(-3)})
			added = true
		}
	}
	if !added {
		return
	}
	l.ContentSource = e.file
	if u := e.p.Unit; !eachUnits[schema.NormalizeKey(u)] && schema.NormalizeKey(u) != schema.NormalizeKey(l.UOM) {
		r.ps.warnf(r.bomName(), strconv.Itoa(int(l.Row)), "part %q: %s declares its masses per %s, the BOM counts the part in %q: the masses are taken per BOM unit", l.PartNumber, e.file, u, l.UOM)
	}
}

// checkDeclaration compares the grams a BOM line gives (bom) with its
// declaration's: the BOM's figures stand, and a difference of more than
// slack in any rare earth is warned about with both lists.
func (r *reader) checkDeclaration(l *exposure.Line, e *declared, bom map[string]decimal.Decimal, slack decimal.Decimal, rare []string) {
	for _, sym := range rare {
		b, d := bom[sym], e.p.Grams[sym]
		if d.Sub(b).Abs().GreaterThan(b.Mul(slack)) {
			r.ps.warnf(r.bomName(), strconv.Itoa(int(l.Row)), "part %q: the BOM gives %s per unit, the supplier declaration %s gives %s: the BOM's figures are used (they differ by more than 5%%)",
				l.PartNumber, gramsList(bom, rare), e.file, gramsList(e.p.Grams, rare))
			return
		}
	}
}

// warnUnmatchedDeclarations names (the first five of) the declared
// products that no BOM line matched: most often a part number written
// differently, which --map can point at another field.
func (r *reader) warnUnmatchedDeclarations(order []*declared) {
	var unmatched []string
	for _, e := range order {
		if !e.matched {
			unmatched = append(unmatched, fmt.Sprintf("%q (%s)", e.p.PartNumber, e.file))
		}
	}
	n := len(unmatched)
	if n == 0 {
		return
	}
	const show = 5
	more := ""
	if n > show {
		unmatched, more = unmatched[:show], fmt.Sprintf(" and %d more", n-show)
	}
	r.ps.warnf(r.declPlace[0], r.declPlace[1], "%d declared product(s) match no BOM part number: %s%s (a declaration is matched by its item number; --map %s: <attribute> names another field)",
		n, strings.Join(unmatched, ", "), more, schema.DeclarationPartKey)
}

// gramsList writes element masses as "Nd 22 g, Dy 3.5 g" in atomic-number
// order, or "no rare earths".
func gramsList(g map[string]decimal.Decimal, order []string) string {
	var parts []string
	for _, sym := range order {
		if v, ok := g[sym]; ok && v.Sign() > 0 {
			parts = append(parts, fmt.Sprintf("%s %s g", sym, v.Round(3)))
		}
	}
	if len(parts) == 0 {
		return "no rare earths"
	}
	return strings.Join(parts, ", ")
}
