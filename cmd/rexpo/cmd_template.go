package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/reports"
)

var templateCmd = &cli.Command{
	Name:  "template",
	Usage: "write an empty input workbook, explained",
	Description: "Every input sheet with its headers, a note on each header, drop-down lists\n" +
		"and example rows. Fill it in and run rexpo validate, then rexpo report.",
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the template to `FILE`", Value: "bom-template.xlsx"},
	},
	Action: func(c *cli.Context) error {
		if c.NArg() > 0 {
			return usagef("template takes no arguments (got %q)", c.Args().First())
		}
		lists, err := templateLists()
		if err != nil {
			return err
		}
		path := c.String("output")
		if err := writeOutputs(c.App.Writer, []output{{path, func(w io.Writer) error { return reports.WriteTemplate(w, lists) }}}); err != nil {
			return err
		}
		if path != "-" {
			fmt.Fprintf(c.App.Writer, "wrote %s\n", path)
		}
		return nil
	},
}

// templateLists gathers the drop-down values of the template.
func templateLists() (reports.TemplateLists, error) {
	if _, err := reference.Load(); err != nil {
		return reports.TemplateLists{}, err
	}
	return reports.TemplateLists{Countries: reference.CountryNames(), Elements: exposure.RareEarths(),
		Materials: reference.MaterialCodes(), MaterialInfo: reference.Materials()}, nil
}
