package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// The red-team findings of issue 12 against the command line.

// runCtx runs the app as main does (runApp, so panics and interruptions
// are handled as they are for a user) with ctx.
func runCtx(t *testing.T, ctx context.Context, app *cli.App, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	app.Writer, app.ErrWriter = &out, &errOut
	err := runApp(ctx, app, normalizeArgs(app, append([]string{"rexpo"}, args...)))
	if err != nil {
		errOut.WriteString("rexpo: " + err.Error() + "\n")
	}
	return out.String(), errOut.String(), exitCode(err)
}

func TestFlagOutOfRangeIsUsage(t *testing.T) {
	dir := smallBOM(t)
	for _, tc := range []struct {
		args  []string
		words []string
	}{
		{[]string{"--horizon", "121"}, []string{"--horizon", "12 to 120"}},
		{[]string{"--horizon", "9223372036854775807"}, []string{"--horizon", "12 to 120"}},
		{[]string{"--draws", "1000001"}, []string{"--draws", "1 to 1000000"}},
		{[]string{"--start", "9999-12"}, []string{"--start", "9999-12"}},
		{[]string{"--max-unzipped", "lots"}, []string{"--max-unzipped"}},
	} {
		for _, cmd := range []string{"report", "validate"} {
			if cmd == "validate" && tc.args[0] == "--draws" {
				continue // validate has no --draws: a flag of report only
			}
			args := append([]string{cmd, dir, "-o", filepath.Join(t.TempDir(), "r.xlsx")}, tc.args...)
			if cmd == "validate" {
				args = append([]string{cmd, dir}, tc.args...)
			}
			_, stderr, code := run(t, args...)
			if code != exitUsage {
				t.Errorf("%s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), code, exitUsage, stderr)
			}
			for _, w := range tc.words {
				if !strings.Contains(stderr, w) {
					t.Errorf("%s: stderr does not name %q:\n%s", strings.Join(args, " "), w, stderr)
				}
			}
		}
	}
}

func TestMaxUnzippedTakesSizes(t *testing.T) {
	dir := smallBOM(t)
	for _, v := range []string{"1GiB", "512MiB", "1073741824"} {
		if _, stderr, code := run(t, "validate", dir, "--max-unzipped", v); code != exitOK {
			t.Errorf("--max-unzipped %s: exit %d:\n%s", v, code, stderr)
		}
	}
}

func TestPanicIsExit3(t *testing.T) {
	app := newApp()
	app.Commands = append(app.Commands, &cli.Command{Name: "boom", Action: func(*cli.Context) error {
		var m map[string]int
		//lint:ignore SA5000 the panic is what this test runs
		m["x"] = 1 // a nil map: the kind of bug a panic is
		return nil
	}})
	_, stderr, code := runCtx(t, context.Background(), app, "boom")
	if code != exitOther {
		t.Errorf("exit %d, want %d", code, exitOther)
	}
	if !strings.Contains(stderr, "internal error: assignment to entry in nil map") || !strings.Contains(stderr, "limits_test.go") || strings.Contains(stderr, "goroutine ") {
		t.Errorf("stderr should name the panic and its place, without a stack trace:\n%s", stderr)
	}
}

func TestInterruptAfterReadStops(t *testing.T) {
	dir := smallBOM(t)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "r.xlsx")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	testHookAfterRead = cancel // Ctrl-C once the input is read
	defer func() { testHookAfterRead = nil }()
	_, stderr, code := runCtx(t, ctx, newApp(), "report", dir, "-o", out, "--json", filepath.Join(outDir, "r.json"))
	if code != exitOther || !strings.Contains(stderr, "interrupted") {
		t.Errorf("exit %d, want %d saying interrupted; stderr:\n%s", code, exitOther, stderr)
	}
	if entries, _ := os.ReadDir(outDir); len(entries) > 0 {
		t.Errorf("left behind: %s", entries[0].Name())
	}
}

func TestInterruptWhileWritingLeavesNothing(t *testing.T) {
	dir := smallBOM(t)
	outDir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := runOptions{input: dir, output: filepath.Join(outDir, "r.xlsx"), now: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)}
	ld, err := load(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := writeResults(ctx, io.Discard, o, ld); err == nil {
		t.Fatal("writeResults after cancel: no error")
	}
	if entries, _ := os.ReadDir(outDir); len(entries) > 0 {
		t.Errorf("left behind: %s", entries[0].Name())
	}
}

func TestOutputRefusesInputs(t *testing.T) {
	dir := smallBOM(t)
	bom := filepath.Join(dir, "bom.csv")
	before, _ := os.ReadFile(bom)
	other := filepath.Join(t.TempDir(), "x.xlsx")
	for _, args := range [][]string{
		{"report", bom, "-o", bom},
		{"report", bom, "--json", bom},
		{"report", dir, "--json", filepath.Join(dir, "products.csv")},
		{"report", dir, "-o", other, "--json", other},
		{"report", dir, "-o", filepath.Join(dir, "new.csv")},
	} {
		_, stderr, code := run(t, args...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d:\n%s", strings.Join(args, " "), code, exitUsage, stderr)
		}
	}
	if after, _ := os.ReadFile(bom); !bytes.Equal(before, after) {
		t.Error("the input was changed")
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("an output was written")
	}
}

func TestOutputKinds(t *testing.T) {
	dir := smallBOM(t)
	out := t.TempDir()

	// An existing file keeps its mode; a new one takes the umask's.
	kept := filepath.Join(out, "kept.json")
	if err := os.WriteFile(kept, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := syscall.Umask(0o077)
	_, stderr, code := run(t, "report", dir, "-o", filepath.Join(out, "new.xlsx"), "--json", kept)
	syscall.Umask(old)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	for name, want := range map[string]os.FileMode{"kept.json": 0o600, "new.xlsx": 0o600} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", name, st.Mode().Perm(), err, want)
		}
	}

	// A link to a file: the file is replaced, the link stays.
	target := filepath.Join(out, "target.json")
	os.WriteFile(target, []byte("old"), 0o640)
	link := filepath.Join(out, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "report", dir, "-o", filepath.Join(out, "b.xlsx"), "--json", link); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st.Mode(), err)
	}
	if data, _ := os.ReadFile(target); !bytes.HasPrefix(data, []byte("{")) {
		t.Errorf("the link's target holds %.20q, not the JSON", data)
	}
	if st, _ := os.Stat(target); st.Mode().Perm() != 0o640 {
		t.Errorf("the target's mode is %v, want 0640", st.Mode().Perm())
	}

	// A pipe is written through, never replaced by a file.
	fifo := filepath.Join(out, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		data, _ := io.ReadAll(f)
		f.Close()
		got <- data
	}()
	if _, stderr, code := run(t, "report", dir, "-o", filepath.Join(out, "c.xlsx"), "--json", fifo); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if data := <-got; !bytes.HasPrefix(data, []byte("{")) {
		t.Errorf("the pipe's reader got %.20q, not the JSON", data)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v %v", st.Mode(), err)
	}

	// A device node (here a null device made in the test's folder) too.
	null := filepath.Join(out, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, int((1<<8)|3)); err != nil {
		t.Logf("no device node: %v", err)
		return
	}
	if _, stderr, code := run(t, "report", dir, "-o", null, "--json", filepath.Join(out, "d.json")); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if st, err := os.Lstat(null); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("the device node was replaced: %v %v", st.Mode(), err)
	}
}

func TestInputPipeRefused(t *testing.T) {
	dir := smallBOM(t)
	fifo := filepath.Join(t.TempDir(), "bom.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "extra.csv"), 0o600); err != nil {
		t.Skip(err)
	}
	for _, in := range []string{fifo, dir} {
		done := make(chan int, 1)
		go func() {
			_, _, code := run(t, "validate", in)
			done <- code
		}()
		select {
		case code := <-done:
			if code != exitInput {
				t.Errorf("validate %s: exit %d, want %d", in, code, exitInput)
			}
		case <-time.After(time.Minute): // a bound on the test
			t.Fatalf("validate %s never ended", in)
		}
	}
}
