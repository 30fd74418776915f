package main

import "github.com/urfave/cli/v2"

var demoCmd = &cli.Command{
	Name:  "demo",
	Usage: "run the embedded sample BOM end to end",
	Description: "The sample holds three products: an EV drive unit, a direct-drive wind\n" +
		"generator (per MW) and a plasma-etch tool, with mixed sourcing across countries.",
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the workbook to `FILE`", Value: "rexpo-demo-report.xlsx"},
		jsonFlag, asOfFlag,
		&cli.StringFlag{Name: declarationsFlag.Name, Usage: "read these material declarations (`PATH`) instead of the sample's; --declarations= reads none"},
	},
	Action: func(c *cli.Context) error {
		if c.NArg() > 0 {
			return usagef("demo takes no arguments (got %q)", c.Args().First())
		}
		o, err := readRunOptions(c)
		if err != nil {
			return err
		}
		return runReport(c, o, c.App.Writer)
	},
}
