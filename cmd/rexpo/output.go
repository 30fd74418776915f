package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// writeFile writes a file whole or not at all: to a temporary file beside
// it, renamed into place only when write succeeded. The path's kind
// decides how:
//
//   - a regular file (or a new one) is replaced whole; a replaced file
//     keeps its permissions, a new one gets 0666 less the umask, as any
//     program's output does (cost data is not made world-readable);
//   - a symbolic link to a regular file replaces the file it leads to and
//     stays a link;
//   - a device or a pipe (/dev/null, /dev/stdout, a FIFO) is written
//     through, never replaced by a regular file;
//   - a folder, a socket or a link leading nowhere is refused.
func writeFile(ctx context.Context, path string, write func(io.Writer) error) error {
	st, err := os.Stat(path) // follows links
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if lst, lerr := os.Lstat(path); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("write %s: it is a symbolic link to a file that does not exist", path)
		}
		return replaceFile(ctx, path, 0o666, false, write)
	case err != nil:
		return fmt.Errorf("write %s: %w", path, err)
	case st.IsDir():
		return fmt.Errorf("write %s: it is a folder", path)
	case st.Mode()&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		return writeThrough(ctx, path, write)
	case !st.Mode().IsRegular():
		return fmt.Errorf("write %s: it is not a regular file (%s)", path, st.Mode().Type())
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return replaceFile(ctx, target, st.Mode().Perm(), true, write)
}

// replaceFile writes path whole through a temporary file beside it.
func replaceFile(ctx context.Context, path string, perm fs.FileMode, exists bool, write func(io.Writer) error) (err error) {
	tmp, err := createTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-", perm)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	renamed := false
	defer func() { // on an error, and on a panic while writing
		if !renamed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(ctxWriter{ctx, tmp}); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if exists { // the umask may have taken bits the file had
		if err = os.Chmod(tmp.Name(), perm); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err = ctx.Err(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	renamed = true
	return nil
}

// createTemp creates a new file in dir with a random name after prefix
// and permissions perm less the umask (os.CreateTemp always gives 0600).
func createTemp(dir, prefix string, perm fs.FileMode) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, prefix+rand.Text()[:12])
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, errors.New("cannot create a temporary file")
}

// writeThrough writes into a device or a pipe, which cannot be replaced
// whole: what reaches it cannot be taken back.
func writeThrough(ctx context.Context, path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(ctxWriter{ctx, f}); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
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
	return writeOutputsContext(context.Background(), stdout, outs)
}

// writeOutputsContext is writeOutputs stopped once ctx is done.
func writeOutputsContext(ctx context.Context, stdout io.Writer, outs []output) error {
	var done []string
	for _, o := range outs {
		if o.path == "-" {
			if err := o.write(ctxWriter{ctx, stdout}); err != nil {
				return err
			}
			continue
		}
		if err := writeFile(ctx, o.path, o.write); err != nil {
			for _, p := range done {
				os.Remove(p)
			}
			return err
		}
		if st, err := os.Lstat(o.path); err == nil && st.Mode().IsRegular() { // never a device or a link
			done = append(done, o.path)
		}
	}
	return nil
}

// checkOutputs refuses outputs that would destroy an input or each other
// before any work is done: -o or --json naming the input (or a CSV file of
// an input folder, the --scenarios or --map file), or -o and --json
// naming the same file. Bad usage, exit 2.
func checkOutputs(o runOptions) error {
	named := []struct{ flag, path string }{{"-o", o.output}, {"--json", o.json}}
	for i, out := range named {
		if out.path == "" || out.path == "-" {
			continue
		}
		for _, in := range []struct{ what, path string }{{"the input", o.input}, {"the --scenarios file", o.scenarios}, {"the --map file", o.mapFile}} {
			if in.path != "" && sameFile(out.path, in.path) {
				return usagef("%s %s is %s: the report would replace it; choose another file", out.flag, out.path, in.what)
			}
		}
		if o.input != "" && isDir(o.input) && strings.EqualFold(filepath.Ext(out.path), ".csv") && sameFile(filepath.Dir(out.path), o.input) {
			return usagef("%s %s is in the input folder, where it would be read as a sheet; choose a file elsewhere", out.flag, out.path)
		}
		for _, other := range named[i+1:] {
			if other.path != "" && other.path != "-" && sameFile(out.path, other.path) && !isCharDevice(out.path) {
				return usagef("%s and %s both name %s: give each output its own file", out.flag, other.flag, out.path)
			}
		}
	}
	return nil
}

// sameFile reports whether a and b are the same file: the same file on
// disk when both exist, else the same absolute path.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

func isCharDevice(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode()&fs.ModeCharDevice != 0
}
