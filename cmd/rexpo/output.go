package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeFile writes a file whole or not at all: to a temporary file beside
// it, renamed into place only when write succeeded.
func writeFile(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// output is one file (or standard output for "-") a command writes.
type output struct {
	path  string
	write func(io.Writer) error
}

// writeOutputs writes every output; when one fails, those already
// written by this call are removed, so nothing half-done is left.
func writeOutputs(stdout io.Writer, outs []output) error {
	var done []string
	for _, o := range outs {
		if o.path == "-" {
			if err := o.write(stdout); err != nil {
				return err
			}
			continue
		}
		if err := writeFile(o.path, o.write); err != nil {
			for _, p := range done {
				os.Remove(p)
			}
			return err
		}
		done = append(done, o.path)
	}
	return nil
}
