package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"rexpo/exposure"
	"rexpo/inputs"
	"rexpo/reports"
	"rexpo/workbook"

	"rexpo/internal/gopanic"
)

// errInputFile marks an input file that cannot be opened at all.
var errInputFile = errors.New("cannot read the input")

// runOptions are what report, validate and demo need, read from flags.
type runOptions struct {
	input     string // BOM path; "" for the embedded sample
	output    string // workbook path; "" for none
	json      string // JSON path, "-" for stdout, "" for none
	scenarios string
	mapFile   string
	// read is what the flags add to the input (inputs.OptionsFrom): the
	// settings, the scenarios kept, the decimal comma.
	read     inputs.Options
	limits   workbook.Limits
	now      time.Time
	progress *progressLine // nil unless stderr is a terminal
}

// readRunOptions reads the flags every computing command shares.
func readRunOptions(c *cli.Context) (runOptions, error) {
	o := runOptions{
		output:    c.String(outputFlag.Name),
		json:      c.String(jsonFlag.Name),
		scenarios: c.String("scenarios"),
		mapFile:   c.String("map"),
		limits:    workbook.DefaultLimits(),
		now:       time.Now().UTC().Truncate(time.Second),
	}
	o.progress = newProgressLine(c.App.ErrWriter)
	if c.IsSet(maxUnzippedFlag.Name) {
		// One flag for both limits, as the reader's messages say: raising
		// it must also raise the cap on one part (the shared strings).
		n, err := parseSize(c.String(maxUnzippedFlag.Name))
		if err != nil {
			return o, usagef("--%s: %v", maxUnzippedFlag.Name, err)
		}
		o.limits.MaxUnzipped, o.limits.MaxPartBytes = n, n
	}
	fields := map[string]string{}
	for _, f := range settingFlags {
		name := f.Names()[0]
		if !c.IsSet(name) {
			continue
		}
		v := c.String(name)
		if _, many := f.(*cli.StringSliceFlag); many {
			v = strings.Join(c.StringSlice(name), ",") // --fx EUR=1.08 --fx GBP=1.27
		}
		fields[name] = v
	}
	fields[inputs.FieldOnly] = c.String(inputs.FieldOnly)
	fields[inputs.FieldDecimalComma] = strconv.FormatBool(c.Bool(inputs.FieldDecimalComma))
	var err error
	if o.read, err = inputs.OptionsFrom(fields, true); err != nil {
		return o, usagef("%v", err)
	}
	return o, checkSettingFlags(o.read.Settings)
}

// isTerminal reports whether f is a character device (a terminal), where
// progress lines belong; pipes and files get none.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// loaded is an input read and computed, with what the report says about it.
type loaded struct {
	in     *inputs.Loaded
	result *exposure.Result
	meta   reports.Meta
	// planned waits for the plan (result.Plan) and returns its error; it
	// may be called any number of times. loadBook has called it; after
	// loadPlanning it must be called before the result is let go, so that
	// the plan's goroutine has ended.
	planned func() error
}

// load opens and reads the input, then computes every scenario and the
// plan.
func load(ctx context.Context, o runOptions) (*loaded, error) {
	return withPlan(loadPlanning(ctx, o))
}

// withPlan waits for the plan of a load that succeeded: the loaded input
// with its plan, or the load's or the plan's error.
func withPlan(ld *loaded, err error) (*loaded, error) {
	if err != nil {
		return nil, err
	}
	if err := ld.planned(); err != nil {
		return nil, err
	}
	return ld, nil
}

// loadPlanning is load returning once the scenarios are computed, with
// the plan still being computed on a goroutine of its own: the report's
// writers first make a pass over the part rows, which needs no plan,
// while the plan takes the CPU the pass leaves (meta.Planned).
func loadPlanning(ctx context.Context, o runOptions) (*loaded, error) {
	book, name, sumOf, err := openInput(ctx, o)
	if err != nil {
		return nil, err
	}
	defer book.Close() // the result holds nothing of the file: the plan may outlive it
	ld, err := loadBookPlanning(ctx, o, book, name, "")
	if err != nil {
		sumOf() // the hash's goroutine ends before the command does; the input's error wins
		return nil, err
	}
	if ld.meta.InputSHA256, err = sumOf(); err != nil {
		ld.planned() // its goroutine ends before the result is let go
		return nil, err
	}
	return ld, nil
}

// loadBook reads an input that is already open (serve opens uploads from
// memory) and computes every scenario and the plan. The caller closes
// book.
func loadBook(ctx context.Context, o runOptions, book *workbook.Book, name, sum string) (*loaded, error) {
	return withPlan(loadBookPlanning(ctx, o, book, name, sum))
}

// loadBookPlanning reads and computes every scenario, and starts the plan
// on a goroutine of its own (see loaded.planned).
func loadBookPlanning(ctx context.Context, o runOptions, book *workbook.Book, name, sum string) (*loaded, error) {
	ld, err := readBook(ctx, o, book)
	if err != nil {
		return nil, err
	}
	defer o.progress.done()
	o.progress.show("computing %d scenario(s) over %d months", len(ld.Input.Scenarios), ld.Input.Settings.Horizon)
	if o.progress != nil {
		ld.Input.Progress = func(phase string) {
			o.progress.show("%s: %s draws per scenario", phase, thousands(ld.Input.Settings.Draws))
		}
	}
	if testHookAfterRead != nil {
		testHookAfterRead()
	}
	res, err := exposure.ComputeContext(ctx, ld.Input)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	meta := reports.Meta{InputName: name, InputSHA256: sum, Version: version, ScenarioSource: ld.ScenarioSource}
	for _, p := range ld.Problems {
		meta.Warnings = append(meta.Warnings, reports.Problem{Sheet: p.Sheet, Cell: p.Cell, Message: p.Message, Error: p.Error, Figures: p.Figures})
	}
	// The plan uses the scenarios' final probabilities: after Compute.
	o.progress.show("planning the sourcing mix")
	return &loaded{in: ld, result: res, meta: meta, planned: startPlan(res, name, o.progress)}, nil
}

// recommend is exposure.Recommend; tests replace it.
var recommend = exposure.Recommend

// startPlan computes res.Plan on a goroutine of its own and returns the
// function that waits for it: it returns the plan's error, or raises
// again in the caller's goroutine a panic of the plan's (one left in a
// goroutine of its own would end the program, where a command or a
// request recovers it).
func startPlan(res *exposure.Result, name string, progress *progressLine) func() error {
	done := make(chan struct{})
	var planErr error
	var planPanic any
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				planPanic = gopanic.Capture(p)
			}
		}()
		plan, err := recommend(res)
		if err != nil {
			planErr = fmt.Errorf("%s: recommendations: %w", name, err)
			return
		}
		res.Plan = plan
		progress.log("sourcing mix planned")
	}()
	return sync.OnceValue(func() error {
		<-done
		if planPanic != nil {
			panic(planPanic)
		}
		return planErr
	})
}

// readBook reads and checks an opened input with the options' mapping,
// scenarios and settings: the input stage of every computing command.
func readBook(ctx context.Context, o runOptions, book *workbook.Book) (*inputs.Loaded, error) {
	var err error
	opts := o.read
	opts.Now, opts.Context = o.now, ctx
	if o.progress != nil {
		opts.Progress = o.progress.rows
		o.progress.show("reading %s", book.Name())
	}
	if o.mapFile != "" {
		if opts.Mapping, err = readMapping(o.mapFile); err != nil {
			return nil, err
		}
	}
	if o.scenarios != "" {
		sb, err := inputs.OpenPath(ctx, o.scenarios, o.limits)
		if err != nil {
			return nil, fmt.Errorf("%w: scenarios %s: %w", errInputFile, o.scenarios, err)
		}
		defer sb.Close()
		opts.Scenarios = sb
	}
	ld, err := inputs.Read(book, opts)
	if err != nil {
		o.progress.done() // before the messages

		return nil, err
	}
	return ld, ctx.Err()
}

// openInput opens the BOM (or the embedded sample) and starts hashing it
// (hashBeside); the returned function waits for the sum.
func openInput(ctx context.Context, o runOptions) (*workbook.Book, string, func() (string, error), error) {
	if o.input == "" {
		b, err := inputs.Sample()
		if err != nil {
			return nil, "", nil, err
		}
		sum, err := hashFS(inputs.SampleFS(), ".")
		return b, "embedded sample (rexpo demo)", func() (string, error) { return sum, err }, nil
	}
	st, err := os.Stat(o.input)
	if err != nil {
		return nil, "", nil, fmt.Errorf("%w: %w", errInputFile, err)
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		// A pipe would be read once to hash it and then block for ever.
		return nil, "", nil, fmt.Errorf("%w: %s is not a regular file (%s): save the input to a file", errInputFile, o.input, st.Mode().Type())
	}
	b, err := inputs.OpenPath(ctx, o.input, o.limits)
	if err != nil {
		return nil, "", nil, fmt.Errorf("%w: %w", errInputFile, err)
	}
	return b, filepath.Base(o.input), hashBeside(o.input, st.IsDir()), nil
}

// hashBeside hashes the input file or folder on a goroutine of its own,
// beside the reading (a few tenths of a second on a million lines), and
// returns the function that waits for the sum.
func hashBeside(path string, dir bool) func() (string, error) {
	var sum string
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		if dir {
			sum, err = hashFS(os.DirFS(path), ".")
		} else {
			sum, err = hashFile(path)
		}
		if err != nil {
			err = fmt.Errorf("%w: %w", errInputFile, err)
		}
	}()
	return func() (string, error) {
		<-done
		return sum, err
	}
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashFS hashes a folder input: each CSV file's name, length and bytes,
// in name order. Files are streamed through the hash, never held whole.
func hashFS(fsys fs.FS, dir string) (string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return "", err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	h := sha256.New()
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			continue
		}
		if err := hashEntry(h, fsys, filepath.ToSlash(filepath.Join(dir, e.Name())), e.Name()); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashEntry(h io.Writer, fsys fs.FS, path, name string) error {
	if st, err := fs.Stat(fsys, path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (%s)", name, st.Mode().Type()) // a pipe would block the read
	}
	f, err := fsys.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "%s\x00%d\x00", name, st.Size())
	n, err := io.Copy(h, f)
	if err == nil && n != st.Size() {
		err = fmt.Errorf("%s changed while it was read", name)
	}
	return err
}

// testHookAfterRead, when set, runs between reading the input and
// computing it: tests interrupt a run there.
var testHookAfterRead func()

// writeResults writes the workbook and the JSON the options ask for,
// stopping (and removing what it began) once ctx is done. A workbook's
// spilled Parts sheets go to a private folder removed before it returns.
func writeResults(ctx context.Context, stdout io.Writer, o runOptions, ld *loaded) error {
	tmp, err := os.MkdirTemp("", "rexpo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	meta := ld.meta
	meta.TempDir = tmp
	var profiled sync.Once
	meta.Planned = func() error {
		err := ld.planned()
		profiled.Do(heapProfile) // input, result and plan live: the heap's high-water mark
		return err
	}
	var outs []output
	if o.output != "" {
		outs = append(outs, output{o.output, func(w io.Writer) error { return reports.WriteWorkbook(w, ld.result, meta) }})
	}
	if o.json != "" {
		outs = append(outs, output{o.json, func(w io.Writer) error { return reports.WriteJSON(w, ld.result, meta) }})
	}
	return writeOutputsContext(ctx, stdout, outs)
}

// defaultOutput is where report writes without -o: beside the input.
func defaultOutput(input string) string {
	base := strings.TrimSuffix(input, string(filepath.Separator))
	ext := filepath.Ext(base)
	if ext != "" && !isDir(base) {
		base = strings.TrimSuffix(base, ext)
	}
	return base + "-report.xlsx"
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// printSummary prints the headline figures to w.
func printSummary(w io.Writer, ld *loaded, outputs ...string) {
	r := ld.result
	cur := r.Settings.Currency
	fmt.Fprintf(w, "%d product(s), %d BOM line(s), %d scenario(s); figures in %s, projection from %s for %d months\n",
		len(r.Products), len(r.Input.BOM.Lines), len(r.Scenarios), cur, r.Months[0], len(r.Months))
	for _, s := range r.Scenarios {
		fmt.Fprintf(w, "  %-32s p=%-5s annual %s %15s", s.Scenario.ID, s.Probability.Round(3).String(), cur, money(s.AnnualDelta))
		if s.Uncertain && r.Mix.Draws > 0 {
			fmt.Fprintf(w, "   P10..P90 %s..%s", money(s.P10), money(s.P90))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  %-32s         annual %s %15s\n", "expected (probability-weighted)", cur, money(r.ExpectedAnnualDelta))
	if r.Mix.Draws > 0 {
		fmt.Fprintf(w, "  %-32s P50 %s, P90 %s, P95 %s (%s draws per scenario, seed %d)\n", "mixture of the scenarios", money(r.Mix.P50), money(r.Mix.P90), money(r.Mix.P95), thousands(r.Mix.Draws), r.Settings.Seed)
	}
	if r.Signals != nil {
		if fresh := len(r.Signals.Latest) - len(r.Signals.Stale); fresh > 0 {
			fmt.Fprintf(w, "  probabilities moved by %d signal(s); rules: %s\n", fresh, r.Signals.RuleSet)
		}
		if len(r.Signals.Stale) > 0 {
			fmt.Fprintf(w, "  %d signal(s) move nothing, their newest reading being over %d days old: %s\n",
				len(r.Signals.Stale), exposure.StaleAfterDays, strings.Join(r.Signals.Stale, ", "))
		}
	}
	if n := len(ld.meta.Warnings); n > 0 {
		printFigureWarnings(w, ld.in.Problems)
		fmt.Fprintf(w, "%d warning(s): see the Warnings sheet, or run rexpo validate\n", n)
	}
	for _, o := range outputs {
		if o != "" && o != "-" {
			fmt.Fprintf(w, "wrote %s\n", o)
		}
	}
}

// thousands formats n with thousands separators.
func thousands(n int) string {
	return strings.TrimSuffix(money(decimalInt(n)), ".00")
}

// money formats an amount with thousands separators and 2 decimals.
func money(d interface{ StringFixed(int32) string }) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String() + "." + frac
	if neg {
		return "-" + out
	}
	return out
}

func decimalInt(n int) decimal.Decimal { return decimal.NewFromInt(int64(n)) }
