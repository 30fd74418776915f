package inputs

import (
	"errors"
	"slices"
	"testing"

	"rexpo/schema"
)

func TestOptionsFrom(t *testing.T) {
	o, err := OptionsFrom(map[string]string{
		"carrying-rate": " 30 ", "import_country": "DE", "only": "a, b,,c", "decimal-comma": "on", "currency": "",
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	// Flags and keys alike become Settings keys, trimmed; an empty value is
	// kept, so that it hides the Settings sheet's.
	want := map[string]string{"carrying_rate": "30", "import_country": "DE", "currency": ""}
	if len(o.Settings) != len(want) {
		t.Errorf("Settings %v, want %v", o.Settings, want)
	}
	for k, v := range want {
		if got, ok := o.Settings[k]; !ok || got != v {
			t.Errorf("Settings[%s] = %q, %v; want %q", k, got, ok, v)
		}
	}
	if !slices.Equal(o.Only, []string{"a", "b", "c"}) || !o.DecimalComma {
		t.Errorf("Only %v, DecimalComma %v; want [a b c], true", o.Only, o.DecimalComma)
	}
	for v, want := range map[string]bool{"true": true, "YES": true, "1": true, "false": false, "": false, "off": false} {
		if o, _ := OptionsFrom(map[string]string{"decimal-comma": v}, false); o.DecimalComma != want {
			t.Errorf("decimal-comma %q: %v, want %v", v, o.DecimalComma, want)
		}
	}
}

func TestOptionsFromRefuses(t *testing.T) {
	// A path on this machine only from the command line.
	if _, err := OptionsFrom(map[string]string{schema.DeclarationsKey: "/etc"}, false); !errors.Is(err, ErrUnknownName) {
		t.Errorf("declarations from an upload: %v, want ErrUnknownName", err)
	}
	o, err := OptionsFrom(map[string]string{schema.DeclarationsKey: "decl"}, true)
	if err != nil || o.Settings[schema.DeclarationsKey] != "decl" {
		t.Errorf("declarations from the command line: %v, %v", o.Settings, err)
	}
	if _, err := OptionsFrom(map[string]string{"horizn": "36"}, true); !errors.Is(err, ErrUnknownName) {
		t.Errorf("an unknown name: %v, want ErrUnknownName", err)
	}
	for _, n := range FieldNames() {
		if n == schema.DeclarationsKey {
			t.Errorf("FieldNames holds %s", n)
		}
	}
}
