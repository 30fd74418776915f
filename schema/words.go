package schema

import (
	"slices"
	"strings"

	"rexpo/exposure"
)

// A Word is one value a word column or setting accepts: the domain value
// it stands for, the text the template's drop-down offers, and other
// spellings accepted beside it. Texts are the domain values' own names
// (exposure's String methods), so a word is spelt in one place.
type Word[T comparable] struct {
	Value   T
	Text    string
	Aliases []string
}

// Words are the accepted values of one word column or setting, in the
// order the template offers them. Input matches them with NormalizeKey.
type Words[T comparable] []Word[T]

// named makes the words of values whose names are their texts.
func named[T interface {
	comparable
	String() string
}](values ...T) Words[T] {
	ws := make(Words[T], len(values))
	for i, v := range values {
		ws[i] = Word[T]{Value: v, Text: v.String()}
	}
	return ws
}

// The word lists of SPEC section 2: a Controls row's class, a scenario's
// or signal rule's stance, yes/no, and the Settings unknown_origin,
// objective and rollup.
var (
	Classes = func() Words[exposure.Class] {
		ws := named(exposure.ClassDirect, exposure.ClassUpstream, exposure.ClassFree, exposure.AnyClass)
		ws[3].Aliases = []string{""} // an empty class is every class
		return ws
	}()
	Stances        = named(exposure.Stances...)
	YesNo          = Words[bool]{{Value: true, Text: "yes", Aliases: []string{"y", "true", "1"}}, {Value: false, Text: "no", Aliases: []string{"n", "false", "0"}}}
	UnknownOrigins = named(exposure.UnknownWorld, exposure.UnknownControlling, exposure.UnknownFree)
	Objectives     = named(exposure.Objectives...)
	Rollups        = named(exposure.RollupLeaves, exposure.RollupAll)
)

// Lookup returns the value of the word text is, matched with
// NormalizeKey against each word's text and aliases.
func (ws Words[T]) Lookup(text string) (v T, ok bool) {
	key := NormalizeKey(text)
	for _, w := range ws {
		if NormalizeKey(w.Text) == key || slices.ContainsFunc(w.Aliases, func(a string) bool { return NormalizeKey(a) == key }) {
			return w.Value, true
		}
	}
	return v, false
}

// Texts returns the words' texts in order.
func (ws Words[T]) Texts() []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Text
	}
	return out
}

// OneOf lists the texts for a message: "direct, upstream, free or *".
func (ws Words[T]) OneOf() string {
	t := ws.Texts()
	if len(t) < 2 {
		return strings.Join(t, "")
	}
	return strings.Join(t[:len(t)-1], ", ") + " or " + t[len(t)-1]
}

// Words returns the texts a drop-down list of fixed words offers, in
// order; nil for the lists drawn from reference data (countries,
// elements, materials) and for NoList.
func (l DropDown) Words() []string {
	switch l {
	case ListClasses:
		return Classes.Texts()
	case ListStances:
		return Stances.Texts()
	case ListYesNo:
		return YesNo.Texts()
	case ListUnknownOrigin:
		return UnknownOrigins.Texts()
	case ListObjective:
		return Objectives.Texts()
	case ListRollup:
		return Rollups.Texts()
	}
	return nil
}
