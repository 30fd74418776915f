package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"rexpo/inputs"
)

var validateCmd = &cli.Command{
	Name:      "validate",
	Usage:     "list every problem in an input; exit 1 if any is an error",
	ArgsUsage: "BOM",
	Description: "Reads the input as report would and prints each error and warning with its\n" +
		"place (BOM!F12), up to 200. Writes nothing.",
	Flags: validateFlags,
	Action: func(c *cli.Context) error {
		if c.NArg() != 1 {
			return usagef("validate needs exactly one BOM file or folder (got %d arguments)", c.NArg())
		}
		o, err := readRunOptions(c)
		if err != nil {
			return err
		}
		o.input = c.Args().First()
		return runValidate(c, o, c.App.Writer)
	},
}

// runValidate prints the problems; the returned error sets the exit status.
func runValidate(c *cli.Context, o runOptions, w io.Writer) error {
	ld, err := load(c.Context, o)
	var ie *inputs.InputError
	switch {
	case errors.As(err, &ie):
		printProblems(w, ie.Problems)
		return errValidation(ie.Problems)
	case err != nil:
		return err
	}
	printProblems(w, ld.in.Problems)
	fmt.Fprintf(w, "%s: no errors, %d warning(s); %d line(s) in %d product(s)\n",
		ld.meta.InputName, len(ld.in.Problems), len(ld.result.Input.BOM.Lines), len(ld.result.Products))
	return nil
}

// printProblems lists errors first, then the warnings that bear on the
// figures, then the other warnings (problemOrder).
func printProblems(w io.Writer, ps []inputs.Problem) {
	for _, p := range problemOrder(ps) {
		fmt.Fprintln(w, p.String())
	}
}

// problemOrder is the order validate and the upload page list problems
// in: errors, then warnings on the figures, then the other warnings, each
// group in the order found.
func problemOrder(ps []inputs.Problem) []inputs.Problem {
	out := make([]inputs.Problem, 0, len(ps))
	for _, group := range []func(inputs.Problem) bool{
		func(p inputs.Problem) bool { return p.Error },
		func(p inputs.Problem) bool { return !p.Error && p.Figures },
		func(p inputs.Problem) bool { return !p.Error && !p.Figures },
	} {
		for _, p := range ps {
			if group(p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// printFigureWarnings prints the warnings that bear on the figures, as
// report prints them under its summary.
func printFigureWarnings(w io.Writer, ps []inputs.Problem) {
	for _, p := range ps {
		if p.Figures && !p.Error {
			fmt.Fprintln(w, p.String())
		}
	}
}

// errValidation is the error validate returns after printing: exit 1.
func errValidation(ps []inputs.Problem) error {
	n := 0
	for _, p := range ps {
		if p.Error {
			n++
		}
	}
	return fmt.Errorf("%w: %d error(s)", inputs.ErrInput, n)
}
