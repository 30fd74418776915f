package main

import (
	"io"

	"github.com/urfave/cli/v2"
)

var reportCmd = &cli.Command{
	Name:      "report",
	Usage:     "compute the scenario costs of a BOM and write the report workbook",
	ArgsUsage: "BOM",
	Description: "BOM is an .xlsx/.xlsm workbook, a .csv file (the BOM sheet alone) or a folder of\n" +
		"CSV files named after the sheets. Without -o the report is written beside the input\n" +
		"as <input>-report.xlsx. Flags may come before or after BOM. Each setting flag can\n" +
		"also be given in the workbook's Settings sheet; a flag wins.",
	Flags: append([]cli.Flag{outputFlag, jsonFlag}, reportFlags...),
	Action: func(c *cli.Context) error {
		if c.NArg() != 1 {
			return usagef("report needs exactly one BOM file or folder (got %d arguments)", c.NArg())
		}
		o, err := readRunOptions(c)
		if err != nil {
			return err
		}
		o.input = c.Args().First()
		if o.output == "" {
			o.output = defaultOutput(o.input)
		}
		return runReport(c, o, c.App.Writer)
	},
}

// runReport reads, computes and writes; stdout gets the summary unless the
// JSON goes there.
func runReport(c *cli.Context, o runOptions, stdout io.Writer) error {
	if err := checkOutputs(o); err != nil {
		return err
	}
	ld, err := loadPlanning(c.Context, o)
	if err != nil {
		return err
	}
	o.progress.show("writing %s", o.output)
	err = writeResults(c.Context, stdout, o, ld)
	o.progress.log("writing ended")
	o.progress.done()
	if perr := ld.planned(); perr != nil {
		return perr // what stopped the writing, or the plan's own failure
	}
	if err != nil {
		return err
	}
	if o.json != "-" {
		printSummary(stdout, ld, o.output, o.json)
	} else {
		printSummary(c.App.ErrWriter, ld, o.output)
	}
	return nil
}
