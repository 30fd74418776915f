package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// This file turns what urfave/cli reports about a mistyped command or flag
// into bad usage (exit 2) with a message naming the nearest valid word
// (SPEC section 11), instead of silence or a page of help.

// rootAction runs when no command matched: a word that names no command
// is bad usage; no word at all shows the help.
func rootAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.ShowAppHelp(c)
	}
	return unknownCommand(c.App, c.Args().First())
}

// unknownCommand is the error for a command name that names none.
func unknownCommand(app *cli.App, name string) error {
	var names []string
	for _, cmd := range app.VisibleCommands() {
		if cmd.Name != "help" {
			names = append(names, cmd.Name)
		}
	}
	if near := nearestWord(name, names); near != "" {
		return usagef("%s: no such command; did you mean %s?", name, near)
	}
	return usagef("%s: no such command; the commands are %s (rexpo help lists them)", name, strings.Join(names, ", "))
}

// usageError marks flag errors so that exitCode returns 2, and words the
// common ones for people: an unknown flag names the nearest one.
func usageError(c *cli.Context, err error, isSubcommand bool) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return unknownFlag(c, strings.TrimLeft(name, "-"), isSubcommand)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return usagef("%s needs a value", dashed(strings.TrimLeft(name, "-")))
	}
	return &usageErr{err}
}

// unknownFlag is the error for a flag that the command does not define:
// it names the nearest flag of the command, or the command that has it.
func unknownFlag(c *cli.Context, name string, isSubcommand bool) error {
	cmdName, help := "", "rexpo --help"
	var flags []cli.Flag
	if isSubcommand && c.Command != nil {
		cmdName, flags, help = c.Command.Name, c.Command.Flags, "rexpo "+c.Command.Name+" --help"
	} else {
		flags = c.App.Flags
	}
	var names []string
	for _, f := range flags {
		for _, n := range f.Names() {
			if len(n) > 1 { // -o is no help for a mistyped --output
				names = append(names, n)
			}
		}
	}
	if near := nearestWord(name, names); near != "" {
		return usagef("%s: no such flag; did you mean --%s? (%s lists the flags)", dashed(name), near, help)
	}
	if cmdName != "" {
		var others []string
		for _, cmd := range c.App.Commands {
			if cmd.Name == cmdName {
				continue
			}
			for _, f := range cmd.Flags {
				if hasName(f, name) {
					others = append(others, cmd.Name)
					break
				}
			}
		}
		if len(others) > 0 {
			return usagef("%s: no such flag for %s: it is a flag of %s (%s lists the flags)", dashed(name), cmdName, strings.Join(others, " and "), help)
		}
	}
	return usagef("%s: no such flag (%s lists the flags)", dashed(name), help)
}

func hasName(f cli.Flag, name string) bool {
	for _, n := range f.Names() {
		if n == name {
			return true
		}
	}
	return false
}

// dashed writes a flag name as typed: -o, --output.
func dashed(name string) string {
	name, _, _ = strings.Cut(name, "=")
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// nearestWord returns the word of words nearest to s, when it is near
// enough to be what was meant (a typo, a dropped or swapped letter, a
// prefix), else "".
func nearestWord(s string, words []string) string {
	s = strings.ToLower(s)
	best, bestD := "", 0
	sorted := append([]string(nil), words...)
	sort.Strings(sorted)
	for _, w := range sorted {
		d := wordDistance(s, strings.ToLower(w))
		if len(s) >= 3 && strings.HasPrefix(w, s) {
			d = 1 // an abbreviation: --hor for --horizon
		}
		if best == "" || d < bestD {
			best, bestD = w, d
		}
	}
	if best == "" || bestD > max(1, min(len(s), len(best))/3) {
		return ""
	}
	return best
}

// wordDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each count 1.
func wordDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// flagUsage is the error for a flag value out of range: bad usage, naming
// the flag, the value and what it accepts.
func flagUsage(name, value, format string, args ...any) error {
	return usagef("--%s %s: %s", name, value, fmt.Sprintf(format, args...))
}
