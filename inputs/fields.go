package inputs

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"rexpo/schema"
)

// The names of the values beside the input that are not Settings keys.
const (
	// FieldOnly keeps some scenarios: their ids, comma-separated.
	FieldOnly = "only"
	// FieldDecimalComma says numbers written as text use ',' for decimals.
	FieldDecimalComma = "decimal-comma"
)

// FieldNames are the values an upload page's form may give beside the
// input, as the report flags spell them: every Settings key
// ("carrying-rate"), FieldOnly and FieldDecimalComma, sorted. The
// declarations setting is not among them: it names a path on this machine.
func FieldNames() []string {
	names := []string{FieldOnly, FieldDecimalComma}
	for _, k := range schema.SettingKeys {
		names = append(names, fieldName(k))
	}
	slices.Sort(names)
	return names
}

// fieldName spells a Settings key as its report flag: '-' between words.
func fieldName(key string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(key), "_", "-"))
}

// OptionsFrom turns the values given by name beside the input — the
// report flags set on the command line, or an upload page's form fields —
// into the Options that say the same: Settings by Settings key ("-" and
// "_" alike), Only from FieldOnly, DecimalComma from FieldDecimalComma
// (yes, true, on or 1: a ticked box sends "on"). A setting given empty
// still wins over the Settings sheet's, leaving its default
// (--declarations= reads no declarations). A name that is none of
// FieldNames is an error, and so is the declarations setting unless local
// is true: only this machine's user may name a path on it. The command
// line and the upload page both build their Options here, so they read a
// value alike.
func OptionsFrom(fields map[string]string, local bool) (Options, error) {
	known := map[string]bool{}
	for _, n := range FieldNames() {
		known[n] = true
	}
	o := Options{Settings: map[string]string{}}
	for _, name := range slices.Sorted(maps.Keys(fields)) { // the first unknown name, always the same
		v := strings.TrimSpace(fields[name])
		switch n := fieldName(name); {
		case n == fieldName(schema.DeclarationsKey) && local:
			o.Settings[schema.DeclarationsKey] = v
		case !known[n]:
			return Options{}, fmt.Errorf("%w: %q is not a setting (known: %s)", ErrUnknownName, name, strings.Join(FieldNames(), ", "))
		case n == FieldDecimalComma:
			o.DecimalComma = slices.Contains([]string{"on", "true", "1", "yes"}, strings.ToLower(v))
		case n == FieldOnly:
			for _, id := range strings.Split(v, ",") {
				if id = strings.TrimSpace(id); id != "" {
					o.Only = append(o.Only, id)
				}
			}
		default:
			o.Settings[strings.ReplaceAll(n, "-", "_")] = v
		}
	}
	return o, nil
}
