// Command genbom writes a synthetic BOM for benchmarks and manual tests:
//
//	genbom -lines 1048575 -seed 1 -o big.xlsx
//	genbom -lines 1000 -o bom.csv
//	genbom -bomb -lines 1100000 -o bomb.xlsx
//
// The output format follows the extension of -o (.xlsx or .csv).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"rexpo/internal/genbom"
)

func main() {
	lines := flag.Int("lines", 1000, "number of BOM lines below the header (at most 1048575)")
	seed := flag.Int64("seed", 1, "random seed: the same seed and lines give the same file")
	out := flag.String("o", "", "output file, .xlsx or .csv")
	bomb := flag.Bool("bomb", false, "write a zip bomb: one valid line repeated -lines times (may pass the last row of a sheet), .xlsx only")
	flag.Parse()
	if err := run(*out, *lines, *seed, *bomb); err != nil {
		fmt.Fprintln(os.Stderr, "genbom:", err)
		os.Exit(1)
	}
}

func run(out string, lines int, seed int64, bomb bool) error {
	if out == "" || flag.NArg() > 0 {
		flag.Usage()
		return fmt.Errorf("usage: genbom -lines N -seed S -o file.xlsx|file.csv")
	}
	write := genbom.WriteXLSX
	switch strings.ToLower(filepath.Ext(out)) {
	case ".xlsx":
	case ".csv":
		write = genbom.WriteCSV
	default:
		return fmt.Errorf("%s: the output must end in .xlsx or .csv", out)
	}
	if bomb {
		if write := genbom.WriteBombXLSX; strings.ToLower(filepath.Ext(out)) == ".xlsx" {
			return writeFile(out, func(f *os.File) error { return write(f, lines) })
		}
		return fmt.Errorf("%s: a bomb is an .xlsx workbook", out)
	}
	return writeFile(out, func(f *os.File) error { return write(f, lines, seed) })
}

// writeFile writes out through a temporary file, renamed into place once
// written whole.
func writeFile(out string, write func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".genbom-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes it private
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
