package main

import (
	"fmt"
	"io"
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

func sprintfTo(w io.Writer, format string, args ...any) { fmt.Fprintf(w, format, args...) }
