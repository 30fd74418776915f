package main

import (
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"
)

var versionCmd = &cli.Command{
	Name:  "version",
	Usage: "print the version",
	Action: func(c *cli.Context) error {
		fmt.Fprintf(c.App.Writer, "rexpo %s (%s)\n", version, runtime.Version())
		return nil
	},
}
