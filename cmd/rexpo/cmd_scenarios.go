package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"rexpo/inputs"
	"rexpo/reports"
	"rexpo/workbook"
)

var scenariosCmd = &cli.Command{
	Name:  "scenarios",
	Usage: "show the built-in scenario library",
	Description: "Each scenario with its controls and tariffs, prior, source and the date its\n" +
		"figures were last checked. --format xlsx writes a workbook whose sheets can be\n" +
		"edited and passed back with report --scenarios.",
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "format", Usage: "`table`, json or xlsx", Value: "table"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (default standard output; xlsx needs -o)"},
		&cli.StringFlag{Name: "scenarios", Usage: "show the library of workbook `FILE` instead"},
	},
	Action: func(c *cli.Context) error {
		if c.NArg() > 0 {
			return usagef("scenarios takes no arguments (got %q)", c.Args().First())
		}
		var src *workbook.Book
		if p := c.String("scenarios"); p != "" {
			b, err := inputs.OpenPath(c.Context, p, workbook.DefaultLimits())
			if err != nil {
				return fmt.Errorf("%w: %w", errInputFile, err)
			}
			defer b.Close()
			src = b
		}
		lib, _, err := inputs.ReadLibrary(src)
		if err != nil {
			return err
		}
		var write func(io.Writer) error
		switch c.String("format") {
		case "table":
			write = func(w io.Writer) error { return reports.WriteScenarioTable(w, lib) }
		case "json":
			write = func(w io.Writer) error { return reports.WriteScenarioJSON(w, lib) }
		case "xlsx":
			if c.String("output") == "" || c.String("output") == "-" {
				return usagef("--format xlsx needs -o FILE")
			}
			write = func(w io.Writer) error { return reports.WriteScenarioWorkbook(w, lib) }
		default:
			return usagef("--format %q: expected table, json or xlsx", c.String("format"))
		}
		path := c.String("output")
		if path == "" {
			path = "-"
		}
		return writeOutputs(c.App.Writer, []output{{path, write}})
	},
}
