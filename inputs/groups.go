package inputs

import (
	"sort"
	"strings"
	"sync"
)

// elementGroup is a named group of elements of the embedded groups.csv.
type elementGroup struct {
	name  string
	elems map[string]bool
}

var (
	groupsOnce sync.Once
	groupList  []elementGroup // largest first
)

func loadGroups() {
	ref, err := Reference()
	if err != nil {
		return
	}
	var ps problems
	t, err := openTable(ref, "groups", &groupLayout, nil, false, &ps)
	if err != nil || t == nil {
		return
	}
	defer t.close()
	for t.next() {
		g := elementGroup{name: t.text("group"), elems: map[string]bool{}}
		for _, e := range strings.Split(t.text("elements"), ",") {
			if sym, err := LookupElement(strings.TrimSpace(e)); err == nil {
				g.elems[sym] = true
			}
		}
		groupList = append(groupList, g)
	}
	sort.SliceStable(groupList, func(i, j int) bool { return len(groupList[i].elems) > len(groupList[j].elems) })
}

// ElementsText prints a list of element symbols the way a Controls row is
// written: the largest embedded group the list holds whole by its name,
// then the other symbols, "HRE12, Nd, Pr" rather than fourteen symbols.
func ElementsText(elems []string) string {
	groupsOnce.Do(loadGroups)
	have := map[string]bool{}
	for _, e := range elems {
		have[e] = true
	}
	var parts []string
	for _, g := range groupList {
		if len(g.elems) < 2 || len(g.elems) > len(have) {
			continue
		}
		whole := true
		for e := range g.elems {
			if !have[e] {
				whole = false
				break
			}
		}
		if whole {
			parts = append(parts, g.name)
			for e := range g.elems {
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
