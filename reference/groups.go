package reference

import (
	"io/fs"
	"sort"
	"strings"
)

// groupsFile lists the named element groups a Controls row may give
// (HRE7, HRE12, ...): group, elements (comma-separated), source.
const groupsFile = "data/groups.csv"

// Group is a named group of elements of the embedded groups.csv.
type Group struct {
	Name     string
	Elements []string // symbols, as the file lists them
}

// loadGroups reads data/groups.csv; every element must be known.
func loadGroups(fsys fs.FS, elements *elementTable) ([]Group, error) {
	rows, err := readCSV(fsys, groupsFile, "group", "elements", "source")
	if err != nil {
		return nil, err
	}
	var out []Group
	for _, r := range rows {
		g := Group{Name: r.get("group")}
		if g.Name == "" {
			return nil, r.errorf("no group name")
		}
		for _, e := range strings.Split(r.get("elements"), ",") {
			sym, err := elements.lookup(strings.TrimSpace(e))
			if err != nil {
				return nil, r.errorf("group %s: %v", g.Name, err)
			}
			g.Elements = append(g.Elements, sym)
		}
		out = append(out, g)
	}
	return out, nil
}

// Groups returns the embedded element groups in file order; nil when Load
// fails. The slices are the caller's.
func Groups() []Group {
	d, err := Load()
	if err != nil {
		return nil
	}
	out := make([]Group, len(d.groups))
	for i, g := range d.groups {
		out[i] = Group{Name: g.Name, Elements: append([]string(nil), g.Elements...)}
	}
	return out
}

// ElementsText prints a list of element symbols the way a Controls row is
// written: the largest embedded group the list holds whole by its name,
// then the other symbols, "HRE12, Nd, Pr" rather than fourteen symbols.
func ElementsText(elems []string) string {
	groups := Groups()
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].Elements) > len(groups[j].Elements) })
	have := map[string]bool{}
	for _, e := range elems {
		have[e] = true
	}
	var parts []string
	for _, g := range groups {
		if len(g.Elements) < 2 || len(g.Elements) > len(have) {
			continue
		}
		whole := true
		for _, e := range g.Elements {
			if !have[e] {
				whole = false
				break
			}
		}
		if whole {
			parts = append(parts, g.Name)
			for _, e := range g.Elements {
				delete(have, e)
			}
		}
	}
	for _, e := range elems {
		if have[e] {
			parts = append(parts, e)
		}
	}
	return strings.Join(parts, ", ")
}
