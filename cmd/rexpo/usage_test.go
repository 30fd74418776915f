package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// Tests of bad usage (SPEC sections 1 and 11): a mistyped command or flag,
// and a flag value out of range, exit 2 with a message on stderr naming
// the nearest valid word or the range; nothing on stdout.

func TestMistypedCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"repot", "bom.xlsx"}, "repot: no such command; did you mean report?"},
		{[]string{"valdiate", "bom.xlsx"}, "did you mean validate?"},
		{[]string{"frobnicate"}, "frobnicate: no such command; the commands are demo, report, validate"},
		{[]string{"help", "repot"}, "report"},
	} {
		stdout, stderr, code := run(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("rexpo %s: exit %d, stderr %q, stdout %d bytes; want exit %d, %q on stderr, nothing on stdout",
				strings.Join(tc.args, " "), code, stderr, len(stdout), exitUsage, tc.want)
		}
	}
	if stdout, _, code := run(t); code != 0 || !strings.Contains(stdout, "COMMANDS") {
		t.Errorf("rexpo alone: exit %d, want 0 and the help", code)
	}
}

func TestMistypedFlag(t *testing.T) {
	dir := smallBOM(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--horizn", "36", dir}, "--horizn: no such flag; did you mean --horizon?"},
		{[]string{"report", dir, "--ouptut", "r.xlsx"}, "did you mean --output?"},
		{[]string{"validate", "--draws", "5", dir}, "--draws: no such flag for validate: it is a flag of report"},
		{[]string{"report", dir, "--frobnicate"}, "--frobnicate: no such flag (rexpo report --help lists the flags)"},
		{[]string{"--frobnicate"}, "--frobnicate: no such flag (rexpo --help lists the flags)"},
		{[]string{"report", dir, "-o"}, "-o needs a value"},
		{[]string{"help", "--frobnicate"}, "--frobnicate: no such flag"}, // urfave's own help command
	} {
		stdout, stderr, code := run(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("rexpo %s: exit %d, stderr %q, stdout %d bytes; want exit %d, %q on stderr, nothing on stdout",
				strings.Join(tc.args, " "), code, stderr, len(stdout), exitUsage, tc.want)
		}
	}
}

// A flag value out of range is bad usage naming the flag and its range; the
// same value in the Settings sheet is an input error naming its cell.
func TestFlagOutOfRange(t *testing.T) {
	dir := smallBOM(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	for _, tc := range []struct {
		flag, value, want string
	}{
		{"--horizon", "6", "--horizon 6: out of range: a whole number of months from 12 to 120"},
		{"--horizon", "121", "from 12 to 120"},
		{"--horizon", "two", "from 12 to 120"},
		{"--start", "2026-13", "--start 2026-13: not a calendar month: expected YYYY-MM with a month from 01 to 12"},
		{"--start", "3", "--start 3: not a calendar month"},
		{"--draws", "1000001", "--draws 1000001: out of range: a whole number from 1 to 1000000"},
		{"--country-cap", "101", "--country-cap: country_cap \"101\": expected a percentage from 0 to 100"},
		{"--rollup", "lefs", "--rollup: rollup \"lefs\": expected one of all, leaves"},
		{"--import-country", "Germny", "did you mean Germany (DE)?"},
		{"--max-unzipped", "lots", "--max-unzipped: \"lots\": expected a positive size"},
	} {
		stdout, stderr, code := run(t, "report", dir, "-o", out, tc.flag, tc.value)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%s %s: exit %d, stderr %q; want exit %d with %q", tc.flag, tc.value, code, stderr, exitUsage, tc.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s written despite bad usage", out)
	}
	for _, args := range [][]string{{"--horizon", "120"}, {"--horizon", "12"}, {"--start", "2027-01"}, {"--max-unzipped", "1GiB"}} {
		if _, stderr, code := run(t, append([]string{"validate", dir}, args...)...); code != 0 {
			t.Errorf("validate %v: exit %d, want 0: %s", args, code, stderr)
		}
	}

	// The same values in the Settings sheet: errors of the input, by cell.
	writeFiles(t, dir, map[string]string{"settings.csv": "key,value\nhorizon,6\nstart,2026-13\n"})
	stdout, stderr, code := run(t, "validate", dir)
	if code != exitInput || !strings.Contains(stdout, "error settings!B2: horizon \"6\"") || !strings.Contains(stdout, "error settings!B3: start \"2026-13\"") {
		t.Errorf("Settings out of range: exit %d, want %d naming settings!B2 and B3\n%s%s", code, exitInput, stdout, stderr)
	}
}

// validate lists only the flags it takes; sizes read as people write them.
func TestValidateHelp(t *testing.T) {
	stdout, _, code := run(t, "validate", "--help")
	if code != 0 {
		t.Fatalf("validate --help: exit %d", code)
	}
	for _, reportOnly := range []string{"--draws", "--seed", "--objective", "--output", "--json"} {
		if strings.Contains(stdout, reportOnly+" ") {
			t.Errorf("validate --help lists %s, a flag of report only:\n%s", reportOnly, stdout)
		}
	}
	for _, want := range []string{"--max-unzipped", "(default: 8 GiB)", "--horizon", "--fx"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("validate --help lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "8589934592") {
		t.Errorf("validate --help shows the size in bytes:\n%s", stdout)
	}
	stdout, _, _ = run(t, "report", "--help")
	for _, want := range []string{"--draws", "--seed", "--objective"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report --help lacks %s", want)
		}
	}
}

// On a terminal, each phase of a long run shows on stderr, and the line is
// cleared at the end; off a terminal nothing does.
func TestProgressPhases(t *testing.T) {
	dir := smallBOM(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	_, stderr, code := run(t, "report", dir, "-o", out, "--as-of", "2026-11-26T00:00:00Z", "--draws", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "\r") {
		t.Errorf("progress off a terminal: %q", stderr)
	}
	old := stderrIsTerminal
	stderrIsTerminal = func() bool { return true }
	defer func() { stderrIsTerminal = old }()
	_, stderr, code = run(t, "report", dir, "-o", out, "--as-of", "2026-11-26T00:00:00Z", "--draws", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	last := -1
	for _, phase := range []string{"reading " + dir, "computing 1 scenario(s) over 24 months", "Monte Carlo: 100 draws per scenario", "planning the sourcing mix", "writing " + out} {
		i := strings.Index(stderr, "\r\033[K"+phase)
		if i < 0 {
			t.Errorf("no phase %q on stderr: %q", phase, stderr)
			continue
		}
		if i < last {
			t.Errorf("phase %q out of order: %q", phase, stderr)
		}
		last = i
	}
	if !strings.HasSuffix(stderr, "\r\033[K") {
		t.Errorf("the progress line is not cleared at the end: %q", stderr)
	}
}

// A lone CSV file priced in EUR runs with --fx; without it the message says
// how to give the rate, not to add an FX sheet a CSV file cannot hold.
func TestFXFlag(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bom.csv")
	if err := os.WriteFile(p, []byte("part_number,qty_per,unit_cost,currency\nMOT,1,100,EUR\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "validate", p)
	if code != exitInput || !strings.Contains(stdout, "no FX rate for EUR: give it with --fx EUR=RATE, RATE being USD per one EUR") ||
		!strings.Contains(stdout, "a single CSV file has no FX sheet") {
		t.Errorf("without --fx: exit %d, want %d pointing to --fx\n%s%s", code, exitInput, stdout, stderr)
	}
	js := filepath.Join(t.TempDir(), "r.json")
	out := filepath.Join(t.TempDir(), "r.xlsx")
	if _, stderr, code := run(t, "report", p, "-o", out, "--json", js, "--fx", "EUR=1.08"); code != 0 {
		t.Fatalf("--fx EUR=1.08: exit %d: %s", code, stderr)
	}
	var doc struct {
		Products []struct {
			Baseline string `json:"baseline_unit_cost"`
		} `json:"products"`
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Products) != 1 || doc.Products[0].Baseline != "108" {
		t.Errorf("baseline unit cost %+v (%v), want 108 (100 EUR at 1.08)", doc.Products, err)
	}
	if _, stderr, code := run(t, "validate", p, "--fx", "EUR=1,08"); code != exitUsage || !strings.Contains(stderr, "decimal point") {
		t.Errorf("--fx EUR=1,08: exit %d, want %d: %s", code, exitUsage, stderr)
	}
}

// TestNoRequiredFlags: exitCode tells bad usage by error type, and urfave's
// error for a missing required flag has no exported type; no flag may be
// Required (check the value in the command's Action instead, as a
// usagef).
func TestNoRequiredFlags(t *testing.T) {
	app := newApp()
	flags := append([]cli.Flag(nil), app.Flags...)
	for _, c := range app.Commands {
		flags = append(flags, c.Flags...)
	}
	for _, f := range flags {
		if r, ok := f.(cli.RequiredFlag); ok && r.IsRequired() {
			t.Errorf("flag %s is Required", f.Names()[0])
		}
	}
}
