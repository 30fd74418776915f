package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"rexpo/exposure"
	"rexpo/inputs"
	"rexpo/workbook"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit statuses of SPEC section 1.
const (
	exitOK    = 0
	exitInput = 1
	exitUsage = 2
	exitOther = 3
)

// newApp builds the command line. It is a function, not a package
// variable, so that every test gets a fresh app.
func newApp() *cli.App {
	app := &cli.App{
		Name:    "rexpo",
		Usage:   "what rare-earth export tightening does to your costs",
		Version: version,
		Description: "rexpo reads a bill of materials workbook, applies export-control and tariff\n" +
			"scenarios to the rare-earth content and sourcing of every part, and writes a\n" +
			"workbook of cost changes per unit, per year and per month.",
		HideVersion:    true,
		Commands:       []*cli.Command{demoCmd, reportCmd, validateCmd, templateCmd, scenariosCmd, serveCmd, versionCmd},
		ExitErrHandler: func(*cli.Context, error) {}, // main chooses exit codes
		OnUsageError:   usageError,                   // usage.go
		Action:         rootAction,                   // a word that names no command is bad usage
		Suggest:        true,                         // rexpo help repot: did you mean report?
	}
	// Setup adds urfave's help command, whose flags must be bad usage in
	// our words too ("rexpo help --frobnicate"), so that no flag error
	// reaches exitCode as urfave's bare text.
	app.Setup()
	for _, c := range app.Commands {
		c.OnUsageError = usageError
	}
	return app
}

type usageErr struct{ err error }

func (e *usageErr) Error() string { return e.err.Error() }
func (e *usageErr) Unwrap() error { return e.err }

// usagef returns a usage error with a message.
func usagef(format string, args ...any) error {
	return &usageErr{fmt.Errorf(format, args...)}
}

// exitCode maps an error to the exit status: 1 for a bad input, 2 for bad
// usage, 3 for anything else. Every flag error reaches it as a *usageErr
// (OnUsageError on the app and every command, urfave's help included);
// no flag is Required (TestNoRequiredFlags), so urfave's unexported
// required-flags error cannot occur.
func exitCode(err error) int {
	var (
		ue   *usageErr
		exit cli.ExitCoder
	)
	switch {
	case err == nil:
		return exitOK
	case isStopped(err): // a panic or an interruption, whatever it says
		return exitOther
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &exit):
		// urfave's own: help on a topic that does not exist ("rexpo help
		// frobnicate"). rexpo returns no cli.ExitCoder of its own.
		return exitUsage
	case isInputError(err):
		return exitInput
	}
	return exitOther
}

// isInputError tells whether err is the input's fault: a bad value, a
// broken, encrypted or oversized file, a file that does not exist.
func isInputError(err error) bool {
	for _, target := range []error{
		inputs.ErrInput, workbook.ErrNotWorkbook, workbook.ErrEncrypted, workbook.ErrDamaged, workbook.ErrTooLarge,
		exposure.ErrAmbiguousRule, exposure.ErrNotTree, exposure.ErrHorizon, exposure.ErrTooLarge, errInputFile,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// normalizeArgs moves flags that follow positional arguments in front of
// them, because urfave/cli v2 stops parsing flags at the first positional
// argument: `rexpo report bom.xlsx -o r.xlsx` must not drop -o.
func normalizeArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") { // global flags
		i++
	}
	if i >= len(args) {
		return args
	}
	cmd := app.Command(args[i])
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flags, positional []string
	dangling := false // a flag that takes a value ends the line without one
	rest := args[i+1:]
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		switch {
		case a == "--":
			positional = append(positional, rest[j+1:]...)
			j = len(rest)
		case a == "-" || !strings.HasPrefix(a, "-"):
			positional = append(positional, a)
		default:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] {
				if j+1 == len(rest) {
					dangling = true
				} else {
					flags = append(flags, rest[j+1])
					j++
				}
			}
		}
	}
	out := append([]string{}, args[:i+1]...)
	out = append(out, flags...)
	if len(positional) > 0 && !dangling { // else "--" would become the flag's value
		out = append(out, "--")
		out = append(out, positional...)
	}
	return out
}
